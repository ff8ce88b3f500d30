"""The cases index (issue 19 item 3): its per-dyad counts stand beside the caveat that counts
are not strength of evidence."""

from __future__ import annotations

from pathlib import Path

from build_site.pipeline import build


def test_cases_index_counts_stand_beside_their_caveat(tiny: Path, tmp_path: Path) -> None:
    html = (build(tiny, tmp_path / "site").out / "cases" / "index.html").read_text("utf-8")
    table = html.index("<table")
    assert "Components evidenced" in html[table:]
    assert "Counts are not strength of evidence" in html[:table]
