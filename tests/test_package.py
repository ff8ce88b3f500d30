"""The journal supplement and reproducible output."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest

from build_site.errors import PrivacyError
from build_site.outputs.package import package
from build_site.pipeline import build
from build_site.signoff import fingerprint

from .conftest import tree_hash


def _sign(study: Path) -> None:
    path = study / "study.yml"
    path.write_text(path.read_text() + "license: CC BY 4.0\n")
    path.write_text(path.read_text() + "sign_off: {role: PI, by: AB, date: 2026-11-29, "
                    f'manifest: "{fingerprint(study)}"}}\n')


def test_package_is_refused_until_signed_off(tiny: Path, tmp_path: Path) -> None:
    with pytest.raises(PrivacyError) as exc:
        package(tiny, tmp_path / "s.zip")
    assert exc.value.exit_code == 3 and not (tmp_path / "s.zip").exists()
    _sign(tiny)
    package(tiny, tmp_path / "s.zip")
    dyad = tiny / "dyads" / "C1-P1.md"
    dyad.write_text(dyad.read_text().replace("first met", "first saw"))
    with pytest.raises(PrivacyError, match="not signed off"):
        package(tiny, tmp_path / "t.zip")


def test_package_contents_and_reproducibility(tiny: Path, tmp_path: Path) -> None:
    _sign(tiny)
    first = package(tiny, tmp_path / "a.zip")
    second = package(tiny, tmp_path / "b.zip")
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        names = archive.namelist()
        assert {"site/index.html", "CITATION.cff", ".zenodo.json", "datacite.json",
                "README.txt", "LICENSE.txt"} <= set(names)
        assert not any(".build" in n or n.endswith(".build-site") for n in names)
        assert {i.date_time for i in archive.infolist()} == {(2026, 11, 29, 0, 0, 0)}
        zenodo = json.loads(archive.read(".zenodo.json"))
        assert zenodo["title"] == "Tiny study (fictional demonstration data)"
        assert zenodo["license"] == "cc-by-4.0"
        pages = [n for n in names if n.endswith(".html")]
        for name in pages:
            html = archive.read(name).decode("utf-8")
            assert '<script src="http' not in html and "fonts.googleapis" not in html, name
        assert "MEMO-SECRET-ONE" not in b"".join(archive.read(n) for n in names).decode(
            "utf-8", "replace")


def test_two_builds_are_byte_identical(tiny: Path, tmp_path: Path) -> None:
    build(tiny, tmp_path / "one")
    build(tiny, tmp_path / "two")
    assert tree_hash(tmp_path / "one") == tree_hash(tmp_path / "two")
    digest = hashlib.sha256((tmp_path / "one" / "analysis" / "saturation.html").read_bytes())
    assert digest.hexdigest() == hashlib.sha256(
        (tmp_path / "two" / "analysis" / "saturation.html").read_bytes()).hexdigest()


def test_a_clinician_page_telling_an_unarchived_case_is_refused(tiny: Path,
                                                                tmp_path: Path) -> None:
    """newuser10: a carer who did not agree to be archived was left out of the supplement's
    dyads, but her clinician's page in it still said what she thought of him."""
    dyad = tiny / "dyads" / "C1-P1.md"
    dyad.write_text(dyad.read_text().replace("archive: true, share_with_clinician: true}",
                                             "archive: false, share_with_clinician: true}"))
    clinician = tiny / "clinicians" / "C1.md"
    clinician.write_text(clinician.read_text().replace(
        "listens before she speaks.", "listens before she speaks.\n\nAda finds her blunt."))
    build(tiny, tmp_path / "site")  # the live site shows the case, so it may tell it
    _sign(tiny)
    with pytest.raises(PrivacyError) as exc:
        package(tiny, tmp_path / "s.zip")
    assert not (tmp_path / "s.zip").exists()
    problem = exc.value.problems[0]
    assert (problem.file, problem.line) == ("clinicians/C1.md", 15)
    assert "C1-P1" in problem.message and "did not agree to be archived" in problem.message
    with pytest.raises(PrivacyError) as built:  # the deposit's own build refuses it too
        build(tiny, tmp_path / "deposit", archive=True)
    assert [(p.file, p.line) for p in built.value.problems] == [("clinicians/C1.md", 15)]
    assert not (tmp_path / "deposit").exists()
