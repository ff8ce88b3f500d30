"""A study folder holding a file whose name is not UTF-8 (adv8): the no-op check vouches
for nothing it cannot name, and the build goes on (it failed with an internal error,
UnicodeEncodeError, from the source fingerprint)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from build_site.noop import source_state


@pytest.fixture
def odd(tiny: Path) -> Path:
    notes = tiny / "private" / "notes"
    notes.mkdir(parents=True, exist_ok=True)
    try:
        with open(os.fsencode(notes) + b"/\xffodd.txt", "w", encoding="utf-8") as file:
            file.write("x\n")
    except OSError:
        pytest.skip("this file system refuses names that are not UTF-8")
    return tiny


def test_the_source_fingerprint_of_a_study_with_a_name_not_utf8_is_unvouched(
        odd: Path, tmp_path: Path) -> None:
    assert source_state(odd, tmp_path / "site", None, "public", "mkdocs", "") is None


def test_a_study_with_a_name_not_utf8_builds_twice(odd: Path, tmp_path: Path) -> None:
    from build_site.pipeline import build

    build(odd, tmp_path / "site")
    build(odd, tmp_path / "site")
    assert (tmp_path / "site" / "index.html").is_file()
