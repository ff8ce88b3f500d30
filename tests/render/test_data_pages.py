"""The codebook's excerpt counts (issue 19 item 3): when ``publication.counts`` keeps them on a
public page, the caveat that counts are not strength of evidence stands beside them."""

from __future__ import annotations

from pathlib import Path

from build_site.pipeline import build

CAVEAT = "Counts are not strength of evidence"


def _codebook(tiny: Path, out: Path) -> str:
    return (build(tiny, out).out / "data" / "codebook.html").read_text("utf-8")


def test_codebook_counts_stand_beside_their_caveat(tiny: Path, tmp_path: Path) -> None:
    study = tiny / "study.yml"
    study.write_text(study.read_text("utf-8") + "  counts: true\n", "utf-8")
    html = _codebook(tiny, tmp_path / "site")
    table = html.index("<table")
    assert "Excerpts</th>" in html[table:]
    assert CAVEAT in html[:table]


def test_codebook_without_counts_has_no_caveat(tiny: Path, tmp_path: Path) -> None:
    html = _codebook(tiny, tmp_path / "site")
    assert "Excerpts</th>" not in html and CAVEAT not in html
