"""Issue 23 item 7: the 404 page under a sub-path, ids in natural order, one spelling per
condition, and the OSCE home page that must not call real transcripts fictional."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

from build_site.analyse.evidence import demographics_table
from build_site.load import load_study_folder
from build_site.naturalorder import natural_key
from build_site.pipeline import build
from build_site.study import Dyad

ROOT_LINK = re.compile(r'\b(?:href|src)="(/[^"]*)"')


def _links(page: Path) -> list[str]:
    return re.findall(r'\b(?:href|src)="([^"]*)"', page.read_text(encoding="utf-8"))


def test_not_found_page_without_site_url_has_no_link_from_the_domain_root(
        tiny: Path, tmp_path: Path) -> None:
    page = build(tiny, tmp_path / "site").out / "404.html"
    text = page.read_text(encoding="utf-8")
    assert not ROOT_LINK.findall(text)
    assert "index.html" in _links(page) and '"base": "."' in text
    assert text.index('<meta name="bs-not-found"') < text.index("<link")  # before any link


def test_not_found_page_under_a_site_url_with_a_path_keeps_that_path(
        tiny: Path, tmp_path: Path) -> None:
    (tiny / "mkdocs.yml").write_text(
        "site_name: Tiny\nsite_url: https://journal.example/suppl/s1/\n", encoding="utf-8")
    page = build(tiny, tmp_path / "site").out / "404.html"
    local = [u for u in _links(page) if not u.startswith(("https://", "#"))]
    assert local and all(u.startswith("/suppl/s1/") for u in local), local
    assert "bs-not-found" not in page.read_text(encoding="utf-8")


def test_ids_sort_in_natural_order() -> None:
    ids = ["O10", "O2", "O1", "D1-P10", "D1-P9", "d1-p2"]
    assert sorted(ids, key=natural_key) == ["d1-p2", "D1-P9", "D1-P10", "O1", "O2", "O10"]
    assert sorted(["O1", "O01"], key=natural_key) == ["O01", "O1"]  # stable, not equal


def test_case_files_load_in_natural_order(tiny: Path) -> None:
    clinicians = tiny / "clinicians"
    for n in (10, 3):
        shutil.copy(clinicians / "C2.md", clinicians / f"C{n}.md")
    names = [Path(d.path).name for d in load_study_folder(tiny).clinicians]
    assert names == ["C1.md", "C2.md", "C3.md", "C10.md"]


def test_osce_navigation_lists_o2_before_o10(osce_site: Path) -> None:
    page = (osce_site / "clinicians" / "O1.html").read_text(encoding="utf-8")
    order = re.findall(r'href="(O\d+)\.html"', page)
    assert order == [f"O{n}" for n in range(1, 11)]


def test_osce_lists_of_cases_are_in_natural_order(osce_site: Path) -> None:
    lists = 0
    for page in sorted((osce_site / "model").glob("*.html")):
        for found in re.finditer(r"<(p|td)>.*?</\1>", page.read_text(encoding="utf-8"), re.S):
            ids = re.findall(r'href="\.\./dyads/(O\d+-P\d+)\.html"', found.group(0))
            if len(ids) > 1:
                lists += 1
                assert ids == sorted(ids, key=natural_key), (page.name, ids)
    assert lists


def test_osce_home_does_not_call_real_transcripts_fictional(osce_site: Path) -> None:
    page = (osce_site / "index.html").read_text(encoding="utf-8")
    text = html.unescape(re.sub(r"<[^>]+>", " ", page[page.index("<article"):]))
    assert "real transcripts" in text
    assert not re.search(r"conversations[^.]*\bfictional", text)


def _dyad(n: int, conditions: list[str]) -> Dyad:
    return Dyad(id=f"C1-P{n}", clinician="C1", demographics={"conditions": conditions})


def test_condition_spellings_are_counted_as_one() -> None:
    dyads = [_dyad(1, ["Diabetes"]), _dyad(2, ["diabetes "]), _dyad(3, ["diabetes."]),
             _dyad(4, ["Diabetes", "diabetes", "HIV infection"])]
    table = demographics_table("Patients", dyads, 10, 1)
    assert [(v, c) for _, v, c in table.rows] == [("HIV infection", "1"), ("diabetes", "4")]
