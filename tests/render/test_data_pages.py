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


def test_codebook_links_each_component_a_code_spans(tiny: Path, tmp_path: Path) -> None:
    codebook = tiny / "codebook.yml"
    codebook.write_text(codebook.read_text("utf-8").replace(
        "    component: listening\n", "    component: [listening, trust]\n", 1), "utf-8")
    site = build(tiny, tmp_path / "site").out
    html = (site / "data" / "codebook.html").read_text("utf-8")
    row = html[html.index('id="code-heard"'):]
    row = row[:row.index("</tr>")]
    assert 'href="../model/listening.html"' in row and 'href="../model/trust.html"' in row
    csv_text = (site / "data" / "codebook.csv").read_text("utf-8-sig")
    assert "heard,Heard,,listening; trust," in csv_text
