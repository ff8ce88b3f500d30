"""axe-core on one page of every type, in the light palette and, after the palette toggle, in
the dark one: no violation at all, minor ones included. axe's script comes inside the pinned
``axe-playwright-python`` wheel and is injected into the page; nothing is fetched. Screenshots of
every page type in both palettes are kept as test artefacts (``BUILD_SITE_ARTEFACTS``, by default
``tests/browser/artefacts/``), with axe's list of violations."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from .conftest import OpenPage
from .support import ARTEFACTS, page_types, scheme, shoot

TYPES = ["home", "model", "component", "clinician", "dyad", "matrix", "excerpts", "methods",
         "coreq"]
BLOCKING = {"minor", "moderate", "serious", "critical"}
# The dark palette changes colours only: there axe runs its colour rules alone, and on the two
# long tables, whose rows all come from one template, on their first rows only.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]
DARK_SAMPLE = {"exclude": [["#bs-excerpts tbody tr:nth-child(n+13)"],
                           ["#bs-meta-matrix tbody tr:nth-child(n+7)"]]}
FULL_PAGE_SHOT = {"excerpts": False}  # a table of every excerpt: the first screen is enough
AXE = Axe()


def _report(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} [{len(v['nodes'])} elements]")
        for node in v["nodes"][:5]:
            lines.append(f"    {' '.join(node['target'])}: {node['failureSummary']!r}"[:400])
    return "\n".join(lines)


def _axe(page: Page, name: str, context: Any = None, **options: Any) -> list[dict[str, Any]]:
    violations: list[dict[str, Any]] = AXE.run(
        page, context=context, options={"resultTypes": ["violations"], **options}
    ).response["violations"]
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    (ARTEFACTS / f"axe-{name}.json").write_text(json.dumps(violations, indent=1),
                                                 encoding="utf-8")
    return [v for v in violations if v["impact"] in BLOCKING]


@pytest.mark.parametrize("kind", TYPES)
def test_no_accessibility_violation(
    open_page: OpenPage, bundled_site: Path, kind: str
) -> None:
    path = page_types(bundled_site)[kind]
    full_page = FULL_PAGE_SHOT.get(kind, True)
    page = open_page(path)
    assert scheme(page) == "default"
    shoot(page, f"{kind}-light", full_page)
    light = _axe(page, f"{kind}-light")

    page.locator('form[data-md-component="palette"] label:visible').click()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    shoot(page, f"{kind}-dark", full_page)
    dark = _axe(page, f"{kind}-dark", DARK_SAMPLE,
                runOnly={"type": "rule", "values": COLOUR_RULES})

    assert not light, f"{path} (light palette):\n{_report(light)}"
    assert not dark, f"{path} (dark palette):\n{_report(dark)}"


def test_wide_tables_scroll_in_focusable_labelled_regions(
    open_page: OpenPage, bundled_site: Path
) -> None:
    for kind in ("matrix", "excerpts"):
        page = open_page(page_types(bundled_site)[kind])
        regions = page.locator(".bs-scroll")
        assert regions.count(), kind
        for region in regions.all():
            assert region.get_attribute("tabindex") == "0"
            assert region.get_attribute("role") == "region"
            assert (region.get_attribute("aria-label") or "").strip()
            assert region.locator("table caption").count() == 1
            assert region.locator("thead th[scope=col]").count() > 1
            region.focus()
            expect(region).to_be_focused()
        # Nothing leaks past a scroll container: the page itself never scrolls sideways.
        scroll, client = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert scroll <= client, f"{kind}: the page scrolls sideways ({scroll}px > {client}px)"


def test_matrix_does_not_carry_meaning_by_colour_alone(
    open_page: OpenPage, bundled_site: Path
) -> None:
    page = open_page(page_types(bundled_site)["matrix"])
    cells: list[dict[str, str]] = page.locator("#bs-meta-matrix td[class^='cell-']").evaluate_all(
        """cells => cells.map(td => ({state: td.className.replace('cell-', ''),
            mark: td.querySelector('.bs-mark')?.textContent.trim() ?? '',
            words: td.querySelector('.bs-sr')?.textContent.trim() ?? ''}))""")
    assert len(cells) > 23
    marks: dict[str, set[str]] = {}
    for cell in cells:
        assert cell["words"], cell  # every cell says what it holds in words
        if cell["state"] == "empty":  # uncoded: blank on the public site, never "no evidence"
            assert not cell["mark"] and cell["words"] == "not coded", cell
            continue
        assert cell["mark"], cell
        marks.setdefault(cell["state"], set()).add(cell["mark"])
    assert all(len(m) == 1 for m in marks.values()), marks  # one mark per state
    glyphs = [next(iter(m)) for m in marks.values()]
    assert len(set(glyphs)) == len(glyphs), marks  # and a different one for each
    legend = page.locator(".bs-legend").inner_text()
    for glyph in glyphs:
        assert glyph in legend, (glyph, legend)


def test_diagrams_carry_text_alternatives(open_page: OpenPage, bundled_site: Path) -> None:
    for kind in ("home", "model", "clinician", "dyad"):
        page = open_page(page_types(bundled_site)[kind])
        for block in page.locator(".bs-diagram").all():
            svg = block.locator("svg")
            # a group, whose links assistive technology sees, when it holds links; else an image
            assert svg.get_attribute("role") == ("group" if svg.locator("a[href]").count()
                                                 else "img")
            assert (svg.get_attribute("aria-label") or "").strip()
            alternative = block.locator("xpath=following-sibling::details[1]")
            expect(alternative.locator("summary")).to_have_text(re.compile("as text"))
            drawn = set(svg.locator("a").evaluate_all(
                "links => links.map(a => a.getAttribute('href').split('#')[0])"))
            listed = set(alternative.locator("a").evaluate_all(
                "links => links.map(a => a.getAttribute('href').split('#')[0])"))
            assert drawn <= listed, (kind, sorted(drawn - listed))


def _chromium_name(page: Page) -> tuple[str, str]:
    """The accessible name and description Chromium gives the focused element (its own
    accessibility tree, read through the DevTools protocol)."""
    cdp = page.context.new_cdp_session(page)
    focused = cdp.send("Runtime.evaluate", {"expression": "document.activeElement"})
    node = cdp.send("Accessibility.getPartialAXTree", {
        "objectId": focused["result"]["objectId"], "fetchRelatives": False})["nodes"][0]
    return (node.get("name", {}).get("value", ""),
            node.get("description", {}).get("value", ""))


def test_axe_reads_every_diagram_link_and_finds_each_named(
    open_page: OpenPage, bundled_site: Path
) -> None:
    for kind in ("home", "model", "dyad"):
        page = open_page(page_types(bundled_site)[kind])
        links = page.locator(".bs-diagram svg a[href]").count()
        assert links > 10, kind
        result = AXE.run(page, context=".bs-diagram", options={
            "resultTypes": ["violations", "passes"],
            "runOnly": {"type": "rule", "values": ["link-name", "nested-interactive"]},
        }).response
        assert not result["violations"], f"{kind}:\n{_report(result['violations'])}"
        passed = {p["id"]: len(p["nodes"]) for p in result["passes"]}
        # axe's link-name reads a[href]: it saw none of the diagrams' <a xlink:href> links
        assert passed.get("link-name") == links, (kind, passed, links)


def test_a_relation_is_one_tab_stop_named_by_its_sentence(
    open_page: OpenPage, bundled_site: Path
) -> None:
    page = open_page(page_types(bundled_site)["model"])
    svg = page.locator(".bs-diagram svg").first
    links = svg.locator("a[href]")
    hrefs = links.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    at = next(i for i, h in enumerate(hrefs) if "#" in h)  # the first relation's link
    assert at > 0 and hrefs.count(hrefs[at]) == 1  # one link for the line and its label
    links.nth(at - 1).focus()
    node_text = " ".join(links.nth(at - 1).locator("text").all_text_contents())
    assert _chromium_name(page)[0] == node_text  # a component: its visible text
    page.keyboard.press("Tab")
    edge = links.nth(at)
    expect(edge).to_be_focused()
    # named as the diagram's text alternative words that relation
    item = page.locator(f'details.bs-alt li:has(> a[href="{hrefs[at]}"])').first
    sentence = " ".join(str(item.text_content()).split())
    assert _chromium_name(page)[0] == sentence, sentence
    expect(edge).to_have_accessible_name(sentence)  # as the accname spec reads it
    # its focus is seen: the line drawn thicker, the label underlined
    assert edge.locator("path").first.evaluate("p => getComputedStyle(p).strokeWidth") == "3px"
    assert "underline" in edge.locator("text").first.evaluate(
        "t => getComputedStyle(t).textDecorationLine")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") != hrefs[at]
