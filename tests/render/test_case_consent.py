"""A public dyad page with no published excerpt says nothing about why (issue 17 item 5)."""

from __future__ import annotations

from pathlib import Path

from build_site.pipeline import build


def test_dyad_page_without_excerpts_states_nothing(tiny: Path, tmp_path: Path) -> None:
    page = tiny / "dyads" / "C1-P2.md"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "    text: I drop by when he is in hospital.",
        "    text: I drop by when he is in hospital.\n    publish: false"), encoding="utf-8")
    html = (build(tiny, tmp_path / "site").out / "dyads" / "C1-P2.html").read_text(
        encoding="utf-8")
    assert "A patient with diabetes." in html
    assert "No excerpt" not in html and "Coded excerpts" not in html


def test_clinician_page_gives_no_per_dyad_excerpt_count(tiny: Path, tmp_path: Path) -> None:
    """C1-P2's patient was not quoted: a count per dyad would show her clinician that."""
    site = build(tiny, tmp_path / "site").out
    html = (site / "clinicians" / "C1.html").read_text(encoding="utf-8")
    assert "C1-P2" in html and "<th>Excerpts</th>" not in html
    review = build(tiny, tmp_path / "review", audience="review").out
    assert "<th>Excerpts</th>" in (review / "clinicians" / "C1.html").read_text(
        encoding="utf-8")
