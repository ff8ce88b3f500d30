"""``archive: false``: shown on the live site, never in the downloads or the deposit
(issue 17 item 5)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from build_site.consent.archive import left_out
from build_site.outputs.package import package
from build_site.pipeline import build, prepare
from build_site.signoff import fingerprint

WORDS = "I drop by when he is in hospital"  # the clinician's words about C1-P2


def _no_archive(tiny: Path) -> None:
    """C1-P2's patient agrees to the site but not to be archived."""
    page = tiny / "dyads" / "C1-P2.md"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "patient: {quote: false, public_site: true, archive: true}",
        "patient: {quote: false, public_site: true, archive: false}"), encoding="utf-8")


def _sign(study: Path) -> None:
    path = study / "study.yml"
    path.write_text(path.read_text() + "license: CC BY 4.0\n")
    digest = fingerprint(study)  # of everything published, the licence included
    path.write_text(path.read_text() + "sign_off: {role: PI, by: AB, "
                    f'date: 2026-11-29, manifest: "{digest}"}}\n')


def test_left_out_is_the_dyad_and_the_clinicians_words_about_it(tiny: Path) -> None:
    _no_archive(tiny)
    out = left_out(prepare(tiny, "public", scan=False).shown)
    assert out.dyads == {"C1-P2"} and "C1-P2-E2" in out.excerpts
    assert "C1-P1-E1" not in out.excerpts


def test_live_site_shows_it_downloads_do_not(tiny: Path, tmp_path: Path) -> None:
    _no_archive(tiny)
    site = build(tiny, tmp_path / "site").out
    assert WORDS in (site / "dyads" / "C1-P2.html").read_text(encoding="utf-8")
    for name in ("excerpts.csv", "excerpts.json", "meta-matrix.csv", "meta-matrix.json",
                 "clinician-matrix.csv", "clinician-matrix.json"):
        text = (site / "data" / name).read_text(encoding="utf-8-sig")
        assert "C1-P2" not in text and WORDS not in text, name
    assert "not to be archived" in (site / "data" / "downloads.html").read_text(
        encoding="utf-8")


def test_supplement_zip_and_deposit_metadata_leave_it_out(tiny: Path, tmp_path: Path) -> None:
    _no_archive(tiny)
    _sign(tiny)
    with zipfile.ZipFile(package(tiny, tmp_path / "s.zip")) as archive:
        names = archive.namelist()
        everything = b"".join(archive.read(n) for n in names).decode("utf-8", "replace")
    assert not any("C1-P2" in n for n in names)
    assert "C1-P2" not in everything and WORDS not in everything
    assert "site/dyads/C1-P1.html" in names


def test_nothing_left_out_when_everyone_agreed(tiny: Path, tmp_path: Path) -> None:
    assert not left_out(prepare(tiny, "public", scan=False).shown)
    site = build(tiny, tmp_path / "site").out
    assert "C1-P2" in (site / "data" / "meta-matrix.csv").read_text(encoding="utf-8-sig")
    assert "not to be archived" not in (site / "data" / "downloads.html").read_text(
        encoding="utf-8")
