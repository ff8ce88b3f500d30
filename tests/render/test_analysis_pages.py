"""The clinician-by-component matrix (issue 19 item 3): on public pages each cell lists the
clinician's dyads with supporting evidence, linked to their pages, not "n/m"; the review build
keeps the count with the caveat that counts are not strength of evidence beside it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from build_site.pipeline import build

CAVEAT = "Counts are not strength of evidence"


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = Path(__file__).resolve().parents[1] / "fixtures" / "tiny"
    out = tmp_path_factory.mktemp("analysis-pages")
    return {audience: (build(root, out / audience, audience=audience)  # type: ignore[arg-type]
                       .out / "analysis" / "matrix.html").read_text("utf-8")
            for audience in ("public", "review")}


def _clinician_row(html: str, clinician: str) -> list[str]:
    table = html[html.index('id="clinicians"'):]
    row = re.search(rf'<tr><th scope="row"><a href="\.\./clinicians/{clinician}\.html">'
                    r".*?</tr>", table, re.S)
    assert row, clinician
    return re.findall(r"<td>(.*?)</td>", row.group(0), re.S)


def test_public_clinician_matrix_lists_linked_dyads(sites: dict[str, str]) -> None:
    cells = _clinician_row(sites["public"], "C1")
    assert not any(re.search(r"\d+/\d+", c) for c in cells)
    linked = [re.findall(r'href="\.\./dyads/([^"]+)\.html"', c) for c in cells]
    assert ["C1-P1"] in linked
    assert all(set(ids) <= {"C1-P1", "C1-P2"} for ids in linked)


def test_public_clinician_matrix_never_lists_a_withheld_case(sites: dict[str, str]) -> None:
    """C1-P2's only 'staying' excerpt is held back (her patient did not agree to be quoted)."""
    html = sites["public"]
    header = re.findall(r'<th scope="col" class="depth-\d"><a href="\.\./model/([^"]+)\.html"',
                        html[html.index('id="clinicians"'):])
    staying = _clinician_row(html, "C1")[header.index("staying")]
    assert "C1-P2" not in staying


def test_review_clinician_matrix_keeps_counts_with_caveat(sites: dict[str, str]) -> None:
    html = sites["review"]
    cells = _clinician_row(html, "C1")
    assert all(re.search(r"\d+/\d+", c) for c in cells)
    section = html[html.index('id="clinicians"'):]
    assert CAVEAT in section[:section.index("<table")]
