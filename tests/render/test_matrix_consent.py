"""The meta-matrix on public pages: no "no evidence", no per-case consent marks, study-level
aggregates only (issue 17 item 9)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from build_site.pipeline import build

CELL = re.compile(r'<td class="cell-(\w+)" data-component="([^"]+)"[^>]*>(.*?)</td>', re.S)


def _cells(site: Path) -> dict[tuple[str, str], tuple[str, str]]:
    html = (site / "analysis" / "matrix.html").read_text(encoding="utf-8")
    cells = {}
    for row in re.findall(r"<tr[^>]*data-position.*?</tr>", html, re.S):
        dyad = re.search(r'dyads/([^"]+)\.html', row).group(1)  # type: ignore[union-attr]
        for state, component, body in CELL.findall(row):
            cells[(dyad, component)] = (state, body)
    return cells


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = Path(__file__).resolve().parents[1] / "fixtures" / "tiny"
    out = tmp_path_factory.mktemp("matrix")
    return {audience: build(root, out / audience, audience=audience).out  # type: ignore[arg-type]
            for audience in ("public", "review")}


def test_public_uncoded_cell_is_blank_with_a_legend(sites: dict[str, Path]) -> None:
    html = (sites["public"] / "analysis" / "matrix.html").read_text(encoding="utf-8")
    assert "no evidence" not in html
    assert "not coded (coding was selective)" in html
    state, body = _cells(sites["public"])[("C1-P2", "staying")]
    assert state == "empty" and "·" not in body and "not coded" in body


def test_consent_held_back_cell_is_marked_in_review_only(sites: dict[str, Path]) -> None:
    """C1-P2's patient did not agree to be quoted: her only 'staying' excerpt is held back."""
    review = _cells(sites["review"])[("C1-P2", "staying")]
    public = _cells(sites["public"])[("C1-P2", "staying")]
    assert "held back" in review[1]
    assert "held back" not in public[1]
    page = (sites["public"] / "analysis" / "matrix.html").read_text(encoding="utf-8")
    assert "held back" not in page


def test_public_matrix_gives_a_study_level_count(sites: dict[str, Path]) -> None:
    text = re.sub(r"<[^>]+>", "", (sites["public"] / "analysis" / "matrix.html")
                  .read_text(encoding="utf-8"))
    found = re.search(r"Across the whole study, (\d+) of (\d+) coded excerpts are not "
                      r"published", text)
    assert found and 0 < int(found.group(1)) < int(found.group(2))
