"""What a new user met following the README with a study of their own (helper newuser9):
each test is a place where the site or the tool said something untrue or stopped a first study
for no reason."""

from __future__ import annotations

import html
import re
from pathlib import Path

from build_site.pipeline import build


def _text(page: Path) -> str:
    """The visible text of a built page, tags dropped and white space collapsed."""
    raw = re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8"))
    return " ".join(html.unescape(raw).split())


def _set_min_cell(study: Path, size: int) -> None:
    path = study / "study.yml"
    text = path.read_text(encoding="utf-8")
    assert "min_cell_size: 2" in text
    path.write_text(text.replace("min_cell_size: 2", f"min_cell_size: {size}"), encoding="utf-8")


def test_methods_page_claims_suppression_only_when_counts_are_suppressed(
        tiny: Path, tmp_path: Path) -> None:
    # `build-site new` writes min_cell_size: 1, which hides nothing (the demographics page says
    # so); the methods page said "small counts in tables are suppressed" all the same.
    build(tiny, tmp_path / "two")
    assert "small counts in tables are suppressed" in _text(tmp_path / "two/methods/index.html")
    _set_min_cell(tiny, 1)
    build(tiny, tmp_path / "one")
    methods = _text(tmp_path / "one/methods/index.html")
    assert "suppressed" not in methods
    assert "every count in tables is shown exactly" in methods
