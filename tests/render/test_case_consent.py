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
