"""Counts on the model pages (issue 19 item 3): public pages list the dyads where a component
appears, linked to their pages, rather than a count; the review build keeps the count with the
caveat that counts are not strength of evidence beside it; a withheld case is never listed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from build_site.pipeline import build

CAVEAT = "Counts are not strength of evidence"


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = Path(__file__).resolve().parents[1] / "fixtures" / "tiny"
    out = tmp_path_factory.mktemp("model-pages")
    return {audience: build(root, out / audience, audience=audience).out  # type: ignore[arg-type]
            for audience in ("public", "review")}


def _row(html: str, component: str) -> str:
    """The table row whose first cell links to ``component``'s page."""
    found = re.search(rf'<tr>\s*<td>[\s\u2003]*<a href="{component}\.html">.*?</tr>', html, re.S)
    assert found, component
    return found.group(0)


def _page(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def test_public_overview_lists_linked_dyads_not_counts(sites: dict[str, Path]) -> None:
    html = _page(sites["public"], "model/index.html")
    assert "Dyads with evidence" not in html
    assert "Where this appears" in html
    cells = re.findall(r"<td>(.*?)</td>", _row(html, "caring"), re.S)
    assert re.findall(r'href="\.\./dyads/([^"]+)\.html"', cells[-1]) == ["C1-P2"]
    assert not re.search(r"^\s*\d+\s*$", cells[-1])


def test_review_overview_keeps_count_with_caveat(sites: dict[str, Path]) -> None:
    html = _page(sites["review"], "model/index.html")
    assert "Dyads with evidence" in html
    table = html.index("Dyads with evidence")
    assert CAVEAT in html[:table]
    cells = re.findall(r"<td>(.*?)</td>", _row(html, "caring"), re.S)
    assert cells[-1].strip() == "2"


def test_count_that_stays_on_public_overview_has_caveat_beside_it(
        sites: dict[str, Path]) -> None:
    html = _page(sites["public"], "model/index.html")
    section = html[html.index('id="disconfirming"'):]
    assert CAVEAT in section[:section.index("<table")]


def test_public_component_page_lists_linked_dyads(sites: dict[str, Path]) -> None:
    html = _page(sites["public"], "model/caring.html")
    assert "Supported in" not in html and "Dyads with evidence" not in html
    text = re.sub(r"<[^>]+>", "", html)
    assert "Where this appears, counting its elements: dyads C1-P2." in text
    assert 'href="../dyads/C1-P2.html"' in html
    review = re.sub(r"<[^>]+>", "", _page(sites["review"], "model/caring.html"))
    assert "Supported in 2 dyads" in review
    assert review.index(CAVEAT) < review.index("Supported in")


def test_withheld_case_is_never_listed(sites: dict[str, Path]) -> None:
    """C1-P1's only 'kindness' excerpt (caring, small acts) is her spouse's, who did not agree
    to be quoted; C2-P1 is a draft: the review build counts them, public pages never list them."""
    overview = _page(sites["public"], "model/index.html")
    for component in ("caring", "small-acts", "staying"):
        row = _row(overview, component)
        assert "C1-P1" not in row and "C2-P1" not in row, component
    page = re.sub(r"<[^>]+>", "", _page(sites["public"], "model/caring.html"))
    assert "C1-P1" not in page.split("Where this appears", 1)[1].split(".", 1)[0]


def _add_clinician_excerpt(tiny: Path, exemplar: str) -> None:
    """A second 'kindness' excerpt of dyad C1-P2, after its first, flagged as ``exemplar``."""
    path = tiny / "dyads" / "C1-P2.md"
    text = path.read_text("utf-8")
    extra = ("  - id: C1-P2-E3\n    speaker: clinician\n    codes: [kindness]\n"
             f"{exemplar}    text: I sit with him a while.\n")
    path.write_text(text.replace("insider_decision:", extra + "insider_decision:", 1), "utf-8")


def _figures(html: str) -> list[str]:
    return re.findall(r'<figure class="bs-excerpt[^"]*" id="([^"]+)"', html)


def test_exemplar_comes_first_and_is_marked(tiny: Path, tmp_path: Path) -> None:
    _add_clinician_excerpt(tiny, "    exemplar: true\n")
    html = (build(tiny, tmp_path / "site").out / "model" / "caring.html").read_text("utf-8")
    assert _figures(html)[:2] == ["C1-P2-E3", "C1-P2-E2"]
    figure = html[html.index('id="C1-P2-E3"'):]
    assert "exemplar" in html[html.rindex("<figure", 0, html.index('id="C1-P2-E3"')):][:80]
    assert '<span class="bs-flag">Exemplar</span>' in figure[:figure.index("</figure>")]


def test_without_exemplars_the_order_stays(tiny: Path, tmp_path: Path) -> None:
    _add_clinician_excerpt(tiny, "")
    html = (build(tiny, tmp_path / "site").out / "model" / "caring.html").read_text("utf-8")
    assert _figures(html)[:2] == ["C1-P2-E2", "C1-P2-E3"]
    assert "Exemplar" not in html
