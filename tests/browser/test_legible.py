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
    assert page.locator("svg[role=img]").count() == 1
    page.keyboard.press("Escape")
    page.wait_for_function("!document.querySelector('dialog.bs-zoom').open")
    page.wait_for_function("!!document.querySelector('.md-content .bs-diagram svg')")
    assert min(_sizes(page)) >= LEGIBLE


def _dialog_text(page: Page) -> list[float]:
    sizes: list[float] = page.locator("dialog.bs-zoom svg").evaluate(TEXT_SIZES)
    return sizes
