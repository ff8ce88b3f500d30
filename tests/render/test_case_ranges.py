"""Issue 25: above a threshold of clinician groups, the case-study navigation gathers them into
ranges, each with an index page, so a case page carries only its own branch."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from build_site.pipeline import build
from build_site.render import case_ranges
from build_site.render.case_ranges import MAX_FLAT_GROUPS, RANGE_SIZE, clinician_ranges
from tests.conftest import broken_links

HREF = re.compile(r'href="([^"#]*)')


def _clinicians(n: int) -> list[Any]:
    return [SimpleNamespace(id=f"C{i}") for i in range(1, n + 1)]


def test_a_section_up_to_the_threshold_stays_flat() -> None:
    assert clinician_ranges(_clinicians(MAX_FLAT_GROUPS), "Clinicians") == []


def test_above_the_threshold_clinicians_are_ranged_in_order() -> None:
    ranges = clinician_ranges(_clinicians(MAX_FLAT_GROUPS + 1), "Clinicians")
    assert [len(r.clinicians) for r in ranges][:-1] == [RANGE_SIZE] * (len(ranges) - 1)
    assert [c.id for r in ranges for c in r.clinicians] == [
        c.id for c in _clinicians(MAX_FLAT_GROUPS + 1)]
    assert ranges[0].title == f"Clinicians C1\u2013C{RANGE_SIZE}"
    assert ranges[0].path == f"cases/clinicians-C1-to-C{RANGE_SIZE}.md"


def test_a_range_of_one_clinician_is_titled_by_that_clinician() -> None:
    n = RANGE_SIZE * (MAX_FLAT_GROUPS // RANGE_SIZE + 1) + 1
    last = clinician_ranges(_clinicians(n), "Teachers")[-1]
    assert (last.title, last.path) == (f"Teachers C{n}", f"cases/clinicians-C{n}.md")


def _sections(nav: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return next(item["Case studies"] for item in nav if "Case studies" in item)


def _pages(items: list[dict[str, Any]] | str) -> list[str]:
    if isinstance(items, str):
        return [items]
    return [p for item in items for value in item.values() for p in _pages(value)]


def _normal(links: list[str]) -> set[str]:
    """Relative links as written by either engine (Zensical writes ``./C1-P2.html``)."""
    return {posixpath.normpath(link) for link in links if link}


def _sidebar_links(page: Path) -> set[str]:
    """The links of everything before the article: tabs and the navigation sidebar."""
    text = page.read_text("utf-8")
    return _normal(HREF.findall(text[:text.index("<article")]))


def test_the_tiny_study_keeps_its_flat_navigation(tiny: Path, tmp_path: Path) -> None:
    report = build(tiny, tmp_path / "site")
    titles = [next(iter(item)) for item in _sections(report.nav)]
    assert titles == ["Overview", "Clinician C1", "Clinician C2"]
    assert not list((tmp_path / "site" / "cases").glob("clinicians-*.html"))


@pytest.fixture(params=["mkdocs", "zensical"])
def ranged(request: pytest.FixtureRequest, tiny: Path, tmp_path: Path,
           monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Path]:
    """The tiny study (2 clinicians) built with ranges of one clinician above one group, by
    each engine (Zensical from a working folder of its own, as in test_zensical.py)."""
    if request.param == "zensical":
        pytest.importorskip("zensical")
    monkeypatch.setattr(case_ranges, "MAX_FLAT_GROUPS", 1)
    monkeypatch.setattr(case_ranges, "RANGE_SIZE", 1)
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    out = tmp_path / "site"
    return build(tiny, out, engine=request.param), out


def test_above_the_threshold_the_nav_is_ranged_and_every_case_page_is_in_it(
        ranged: tuple[Any, Path]) -> None:
    report, site = ranged
    section = _sections(report.nav)
    assert [next(iter(item)) for item in section] == [
        "Overview", "Clinicians C1", "Clinicians C2"]
    assert section[1]["Clinicians C1"] == [
        {"Overview": "cases/clinicians-C1.md"},
        {"Clinician C1": [{"Case study": "clinicians/C1.md"}, {"Dyad C1-P1": "dyads/C1-P1.md"},
                          {"Dyad C1-P2": "dyads/C1-P2.md"}]}]
    case_pages = {f"{folder}/{p.stem}.md" for folder in ("clinicians", "dyads")
                  for p in (site / folder).glob("*.html")}
    assert {"clinicians/C1.md", "clinicians/C2.md", "dyads/C1-P1.md"} <= case_pages
    assert case_pages <= set(_pages(section))
    assert broken_links(site) == []


def test_every_case_page_is_linked_from_its_range_index_and_every_range_from_the_overview(
        ranged: tuple[Any, Path]) -> None:
    _, site = ranged
    cases = site / "cases"

    def article_links(page: Path) -> set[str]:
        text = page.read_text("utf-8")
        return _normal(HREF.findall(text[text.index("<article"):]))

    assert {"../clinicians/C1.html", "../dyads/C1-P1.html", "../dyads/C1-P2.html",
            "index.html"} <= article_links(cases / "clinicians-C1.html")
    assert "../clinicians/C2.html" in article_links(cases / "clinicians-C2.html")
    assert "../dyads/C1-P1.html" not in article_links(cases / "clinicians-C2.html")
    assert {"clinicians-C1.html", "clinicians-C2.html"} <= article_links(cases / "index.html")


def test_a_case_page_carries_only_its_own_branch(ranged: tuple[Any, Path]) -> None:
    _, site = ranged
    links = _sidebar_links(site / "dyads" / "C1-P1.html")
    # its own branch: the overview, the range index, its clinician, its dyads
    assert {"../cases/index.html", "../cases/clinicians-C1.html", "../clinicians/C1.html",
            "C1-P1.html", "C1-P2.html"} <= links
    assert "../clinicians/C2.html" not in links
    other = _sidebar_links(site / "clinicians" / "C2.html")
    assert {"../cases/clinicians-C2.html", "C2.html"} <= other
    assert not {"C1.html", "../dyads/C1-P1.html", "../dyads/C1-P2.html"} & other
    # both engines show the trail only (nav_trail.py): not the other range, not even as a link
    assert "../cases/clinicians-C2.html" not in links
    assert "../cases/clinicians-C1.html" not in other


def _nav_links(page: Path) -> set[str]:
    """The links of the primary navigation sidebar alone (not the tabs)."""
    text = page.read_text("utf-8")
    start = text.index('class="md-nav md-nav--primary')
    return _normal(HREF.findall(text[start:text.index("md-sidebar--secondary", start)]))


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_each_engine_shows_a_ranged_section_as_the_page_trail_and_the_entries_it_holds(
        tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: str) -> None:
    """A case page lists no other range or clinician; the overview lists the ranges and a
    range's index page its clinicians, so each is one click from the trail."""
    if engine == "zensical":
        pytest.importorskip("zensical")
    study = tiny
    text = (study / "clinicians" / "C2.md").read_text()
    (study / "clinicians" / "C3.md").write_text(text.replace("C2", "C3"))
    monkeypatch.setattr(case_ranges, "MAX_FLAT_GROUPS", 1)
    monkeypatch.setattr(case_ranges, "RANGE_SIZE", 2)
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    site = tmp_path / "site"
    report = build(study, site, engine=engine)
    assert [next(iter(item)) for item in _sections(report.nav)] == [
        "Overview", "Clinicians C1\u2013C2", "Clinicians C3"]
    dyad = _nav_links(site / "dyads" / "C1-P1.html")
    assert {"../cases/index.html", "../cases/clinicians-C1-to-C2.html", "../clinicians/C1.html",
            "C1-P1.html", "C1-P2.html"} <= dyad
    assert not {"../clinicians/C2.html", "../cases/clinicians-C3.html"} & dyad
    clinician = _nav_links(site / "clinicians" / "C2.html")
    assert "C1.html" not in clinician and "../cases/clinicians-C3.html" not in clinician
    overview = _nav_links(site / "cases" / "index.html")
    assert {"clinicians-C1-to-C2.html", "clinicians-C3.html"} <= overview
    assert not {"../clinicians/C1.html", "../clinicians/C2.html"} & overview
    index = _nav_links(site / "cases" / "clinicians-C1-to-C2.html")
    assert {"../clinicians/C1.html", "../clinicians/C2.html"} <= index
    assert "clinicians-C3.html" not in index
    assert broken_links(site) == []


def test_a_study_hiding_clinicians_ranges_its_clinicians_list_too(
        tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = (tiny / "study.yml").read_text()
    (tiny / "study.yml").write_text(text + '  hide_clinician: true\n  case_key: "team-secret-1"\n')
    monkeypatch.setattr(case_ranges, "MAX_FLAT_GROUPS", 1)
    monkeypatch.setattr(case_ranges, "RANGE_SIZE", 1)
    report = build(tiny, tmp_path / "site")
    section = _sections(report.nav)
    titles = [next(iter(item)) for item in section]
    assert titles[:3] == ["Overview", "Clinicians C1", "Clinicians C2"]
    assert section[1] == {"Clinicians C1": [{"Clinician C1": "clinicians/C1.md"}]}
    assert "../clinicians/C1.html" not in _sidebar_links(tmp_path / "site" / "clinicians"
                                                         / "C2.html")
