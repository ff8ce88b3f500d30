"""Diagrams and tables people can read (issue 23 items 1-2), measured in Chromium: the model
diagram's text in CSS px at a 1280 px and a 390 px window, the diagram enlarged in a dialog,
and the meta-matrix's sticky header row and case column and its compact view."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from .conftest import OpenPage

WIDE = {"width": 1280, "height": 900}
NARROW = {"width": 390, "height": 844}
LEGIBLE = 12.0  # CSS px (issue 23)

TEXT_SIZES = """svg => Array.from(svg.querySelectorAll('text')).map(t =>
    t.getScreenCTM().a * parseFloat(getComputedStyle(t).fontSize))"""


def _sizes(page: Page) -> list[float]:
    sizes: list[float] = page.locator(".md-content .bs-diagram svg").first.evaluate(TEXT_SIZES)
    assert sizes, "the diagram has no text"
    return sizes


@pytest.mark.parametrize("path", ["model/index.html", "index.html", "dyads/D1-P1.html"])
def test_diagram_text_is_legible_in_a_wide_window(open_page: OpenPage, path: str) -> None:
    """Before: box labels about 9 px and edge labels about 7 px at 1280 px."""
    page = open_page(path, viewport=WIDE)
    sizes = _sizes(page)
    assert min(sizes) >= LEGIBLE, f"{path}: smallest diagram text {min(sizes):.1f} px"
    box = page.locator(".md-content .bs-diagram").first
    # At this width the bundled model fits its column: no sideways scrolling needed.
    assert box.evaluate("b => b.scrollWidth <= b.clientWidth + 1")


def test_diagram_text_is_legible_on_a_phone_and_scrolls_sideways(open_page: OpenPage) -> None:
    """Before: about 5 px on a phone."""
    page = open_page("model/index.html", viewport=NARROW)
    sizes = _sizes(page)
    assert min(sizes) >= LEGIBLE, f"smallest diagram text {min(sizes):.1f} px at 390 px"
    box = page.locator(".md-content .bs-diagram").first
    scroll = box.evaluate("""b => [b.scrollWidth, b.clientWidth,
                                   getComputedStyle(b).overflowX]""")
    assert scroll[0] > scroll[1] and scroll[2] == "auto", scroll
    # The page itself does not scroll sideways: only the diagram's box does.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_enlarge_opens_the_diagram_in_a_dialog_and_gives_it_back(open_page: OpenPage) -> None:
    page = open_page("model/index.html", viewport=NARROW)
    page.get_by_role("button", name="Enlarge diagram").first.click()
    dialog = page.locator("dialog.bs-zoom")
    assert dialog.evaluate("d => d.open")
    at_100 = _dialog_text(page)
    assert min(at_100) >= 15.9, min(at_100)  # drawn size: 12 pt is 16 px
    page.get_by_role("button", name="Zoom in").click()
    assert min(_dialog_text(page)) > min(at_100)
    # The svg moved, not copied: one diagram, ids unique on the page.
    assert page.locator("svg[role=group]").count() == 1  # a diagram with links: a group
    page.keyboard.press("Escape")
    page.wait_for_function("!document.querySelector('dialog.bs-zoom').open")
    page.wait_for_function("!!document.querySelector('.md-content .bs-diagram svg')")
    assert min(_sizes(page)) >= LEGIBLE


def _dialog_text(page: Page) -> list[float]:
    sizes: list[float] = page.locator("dialog.bs-zoom svg").evaluate(TEXT_SIZES)
    return sizes


MATRIX = "analysis/matrix.html"


def test_matrix_header_row_and_case_column_stay_in_view(open_page: OpenPage) -> None:
    """Before: the header row and the case column scrolled away with the cells."""
    page = open_page(MATRIX, viewport=NARROW)
    table = page.locator("#bs-meta-matrix")
    styles = table.evaluate("""t => [
        getComputedStyle(t.querySelector('thead th:nth-child(3)')).position,
        getComputedStyle(t.querySelector('thead th.bs-case')).position,
        getComputedStyle(t.querySelector('tbody th[scope=row]')).position]""")
    assert styles == ["sticky", "sticky", "sticky"], styles
    page.get_by_role("button", name="show summaries in every cell").click()
    box = page.locator(".bs-scroll").first
    box.scroll_into_view_if_needed()
    where = """t => [
        t.querySelector('thead th:nth-child(3)').getBoundingClientRect().top,
        t.querySelector('tbody th[scope=row]').getBoundingClientRect().left,
        t.parentElement.getBoundingClientRect().top,
        t.parentElement.getBoundingClientRect().left]"""
    before = table.evaluate(where)
    box.evaluate("b => { b.scrollTop = 600; b.scrollLeft = 500; }")
    after = table.evaluate(where)
    assert box.evaluate("b => b.scrollTop > 0 && b.scrollLeft > 0"), "nothing to scroll"
    assert abs(after[0] - after[2]) < 2, f"header row left the box: {after}"
    assert abs(after[1] - after[3]) < 2, f"case column left the box: {after}"
    assert before[0] >= after[0] - 1


def test_matrix_shows_marks_only_until_summaries_are_asked_for(open_page: OpenPage) -> None:
    """Before: every summary showed in its cell, so about four rows fitted the box."""
    page = open_page(MATRIX, viewport=WIDE)
    summaries = page.locator("#bs-meta-matrix .bs-summary")
    assert summaries.count() > 10
    assert summaries.evaluate_all("s => s.filter(x => x.offsetParent !== null).length") == 0
    # One cell's summary on demand: hovering (or focusing) its cell.
    cell = page.locator("#bs-meta-matrix td:has(.bs-summary)").first
    cell.locator("a").focus()
    assert cell.locator(".bs-summary").is_visible()
    rows_in_view = page.locator(".bs-scroll").first.evaluate(
        """b => Array.from(b.querySelectorAll('tbody tr[data-position]')).filter(r =>
             r.getBoundingClientRect().bottom <= b.getBoundingClientRect().bottom).length""")
    assert rows_in_view >= 12, rows_in_view
    button = page.get_by_role("button", name="show summaries in every cell")
    button.click()
    assert button.get_attribute("aria-pressed") == "true"
    assert summaries.evaluate_all("s => s.filter(x => x.offsetParent !== null).length") == (
        summaries.count())


def test_matrix_groups_dyads_under_their_clinician(open_page: OpenPage) -> None:
    page = open_page(MATRIX, viewport=WIDE)
    groups = page.locator("#bs-meta-matrix tbody")
    assert groups.count() == 5
    for i in range(groups.count()):
        group = groups.nth(i)
        head = group.locator("tr.bs-group-head th[scope=rowgroup]").inner_text()
        clinicians = set(group.locator("tr[data-clinician]").evaluate_all(
            "rows => rows.map(r => r.dataset.clinician)"))
        assert clinicians == {head.removeprefix("Clinician ").strip()}, (head, clinicians)
    # Another order puts every dyad in one list and hides the clinician headings, and back.
    page.get_by_role("button", name="interview order").click()
    assert page.locator("#bs-meta-matrix tr.bs-group-head").evaluate_all(
        "hs => hs.every(h => h.offsetParent === null)")
    page.get_by_role("button", name="clinician").click()
    assert groups.nth(1).locator("tr[data-clinician]").count() > 0
    assert page.locator("#bs-meta-matrix tr.bs-group-head").first.is_visible()


def test_excerpt_table_header_and_ids_stay_in_view(open_page: OpenPage) -> None:
    page = open_page("analysis/excerpts.html", viewport=NARROW)
    styles = page.locator(".bs-excerpt-table").first.evaluate("""t => [
        getComputedStyle(t.querySelector('thead th:nth-child(2)')).position,
        getComputedStyle(t.querySelector('tbody th[scope=row]')).position]""")
    assert styles == ["sticky", "sticky"], styles


@pytest.mark.parametrize("path", ["dyads/D1-P1.html", "dyads/D4-P1.html"])
def test_case_facts_fit_a_phone(open_page: OpenPage, path: str) -> None:
    """Before: the longest label ("Others present at the interview") set the label column's
    width, and on a 390 px phone the values ran past the right edge of the page."""
    page = open_page(path, viewport=NARROW)
    edges = page.locator(".md-content .bs-facts").first.evaluate(
        """dl => [dl.getBoundingClientRect().right,
                  ...Array.from(dl.querySelectorAll('dd, dt')).map(
                      e => e.getBoundingClientRect().right)]""")
    assert edges[1:], "no facts on the page"
    assert max(edges[1:]) <= min(edges[0], NARROW["width"]) + 0.5, edges
