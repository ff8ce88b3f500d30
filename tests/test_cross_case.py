"""Cross-case pages of the bundled study, checked on the built site (issue: cross-dyad
analysis, methods and reporting-standard pages)."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from build_site.analyse import model_nodes
from build_site.pipeline import build, load_and_validate
from build_site.render.downloads import QDC_NS

from .conftest import REPO

ROW = re.compile(r'<tr data-clinician="[^"]+" data-position="\d+" data-order="\d+">(.*?)</tr>',
                 re.S)
CELL = re.compile(r'<td class="cell-(\w+)" data-component="([^"]+)"[^>]*>(.*?)</td>', re.S)


@pytest.fixture(scope="module")
def review_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("review") / "site"
    build(REPO / "casestudies", out, audience="review")
    return out


def _matrix_cells(site: Path) -> list[tuple[str, str, str, str]]:
    html = (site / "analysis" / "matrix.html").read_text(encoding="utf-8")
    cells = []
    for row in ROW.findall(html):
        dyad = re.search(r'dyads/([^"]+)\.html', row).group(1)  # type: ignore[union-attr]
        for state, component, body in CELL.findall(row):
            cells.append((dyad, component, state, body))
    return cells


def _ids_in_group(page: str, dyad: str) -> set[str]:
    start = page.index(f'id="dyad-{dyad}"')
    end = page.find('<h4 id="dyad-', start + 1)
    for marker in ('<h3 id="clinician-', '<h4 id="clinician-', '<h2 id="contrastive'):
        stop = page.find(marker, start + 1)
        if stop != -1 and (end == -1 or stop < end):
            end = stop
    return set(re.findall(r'<figure class="bs-excerpt[^"]*" id="([^"]+)"', page[start:end]))


def test_meta_matrix_has_every_dyad_and_component(bundled_site: Path) -> None:
    study = load_and_validate(REPO / "casestudies")
    cells = _matrix_cells(bundled_site)
    assert len({c[0] for c in cells}) == 23
    assert {c[1] for c in cells} == set(model_nodes(study))
    assert len(cells) == 23 * len(model_nodes(study))


@pytest.mark.parametrize("site_name", ["bundled_site", "review_site"])
def test_every_cell_links_to_exactly_its_excerpts(site_name: str,
                                                  request: pytest.FixtureRequest) -> None:
    site: Path = request.getfixturevalue(site_name)
    pages: dict[str, str] = {}
    checked = 0
    for dyad, component, state, body in _matrix_cells(site):
        if state == "empty":
            assert "href" not in body
            continue
        href = re.search(r'href="([^"]+)"', body).group(1)  # type: ignore[union-attr]
        assert href == f"../model/{component}.html#dyad-{dyad}"
        page = pages.setdefault(component, (site / "model" / f"{component}.html").read_text(
            encoding="utf-8"))
        ids = _ids_in_group(page, dyad)
        assert ids, (dyad, component)
        dyad_page = (site / "dyads" / f"{dyad}.html").read_text(encoding="utf-8")
        for excerpt_id in ids:
            assert f'id="{excerpt_id}"' in dyad_page  # agrees with the dyad page
        if site_name == "review_site":
            count = int(re.search(r"</span> (\d+)</a>", body).group(1))  # type: ignore[union-attr]
            assert count == len(ids), (dyad, component)
        checked += 1
    assert checked > 100


def test_every_component_rests_on_two_dyads(bundled_site: Path) -> None:
    support: dict[str, set[str]] = {}
    for dyad, component, state, _ in _matrix_cells(bundled_site):
        if state in ("supporting", "both"):
            support.setdefault(component, set()).add(dyad)
    study = load_and_validate(REPO / "casestudies")
    for node in model_nodes(study):
        assert len(support.get(node, set())) >= 2, node


def test_saturation_chart_and_sentence(bundled_site: Path) -> None:
    html = (bundled_site / "analysis" / "saturation.html").read_text(encoding="utf-8")
    assert re.search(r'<svg[^>]+role="img"[^>]+aria-label="Chart of new codes', html)
    assert "No new code appeared after interview" in html
    assert "Date" not in html.split("<svg", 1)[1].split("</svg>", 1)[0][:2000]


def test_coreq_lists_32_items_each_linked_or_flagged(bundled_site: Path) -> None:
    html = (bundled_site / "methods" / "coreq.html").read_text(encoding="utf-8")
    rows = re.findall(r"<tr>\s*<td>(\d+)</td>(.*?)</tr>", html, re.S)
    assert [int(n) for n, _ in rows] == list(range(1, 33))
    for _, row in rows:
        assert "<a href=" in row or "Not reported" in row or re.search(r"<td>[^<]+</td>\s*$", row)
    srqr = (bundled_site / "methods" / "srqr.html").read_text(encoding="utf-8")
    assert len(re.findall(r"<td>S\d+</td>", srqr)) == 21


def test_downloads_parse_and_agree(bundled_site: Path) -> None:
    study = load_and_validate(REPO / "casestudies")
    root = ET.parse(bundled_site / "data" / "codebook.qdc").getroot()
    names = {c.get("name") for c in root.iter(f"{{{QDC_NS}}}Code")}
    assert names == {c.label for c in study.codebook.codes}
    rows = list(csv.DictReader(io.StringIO(
        (bundled_site / "data" / "excerpts.csv").read_text(encoding="utf-8-sig"))))
    page = (bundled_site / "analysis" / "excerpts.html").read_text(encoding="utf-8")
    # D2-P4 did not agree to share with her clinician: analytic summary only, so no excerpt of
    # her dyad (hers or her physician's) is on the site; she did not agree to be archived
    # either, so the kept files leave her dyad out too (tests/consent/test_archive.py).
    assert page.count('<tr data-dyad="D2-P4"') == 0
    assert len(rows) == page.count('<tr data-dyad="')
    matrix = json.loads((bundled_site / "data" / "meta-matrix.json").read_text())
    assert len(matrix["rows"]) == 22
    assert (bundled_site / "CITATION.cff").is_file()


def test_public_counts_are_off_and_review_counts_on(bundled_site: Path,
                                                    review_site: Path) -> None:
    public = (bundled_site / "data" / "codebook.html").read_text(encoding="utf-8")
    review = (review_site / "data" / "codebook.html").read_text(encoding="utf-8")
    assert "<th>Excerpts</th>" not in public and "<th>Excerpts</th>" in review


def test_methods_page_reports_design_from_the_data(bundled_site: Path) -> None:
    html = (bundled_site / "methods" / "index.html").read_text(encoding="utf-8")
    assert "Others were present at 3 of 23 patient interviews (spouse 3×)" in html
    for anchor in ("sample", "team", "interviewer", "interviews", "analysis",
                   "data-processing", "member-checking"):
        assert f'id="{anchor}"' in html, anchor
    assert "Second retreat" in html
    assert (bundled_site / "methods" / "interview-guide.html").is_file()
