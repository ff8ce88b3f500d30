"""A quote typed into the site's search lands on the excerpt (issue 21 item 3), under both
engines, opened from disk; and an excerpt's context (issue 21 item 1) opens from its collapsed
block and passes axe. The OSCE example is the study: it shows context."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, expect

from build_site.pipeline import build

from ..conftest import REPO
from .support import shoot

QUOTE = "A1C last time"  # words of excerpt O2-P1-E1 only


@pytest.fixture(scope="module", params=["mkdocs", "zensical"])
def osce(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp(f"osce-{request.param}") / "site"
    build(REPO / "examples" / "osce", out, engine=request.param)
    return out


def test_a_quote_search_lands_on_the_excerpt(browser: Browser, osce: Path) -> None:
    page = browser.new_page()
    page.goto((osce / "index.html").as_uri())
    page.wait_for_load_state("load")
    box = page.locator("input.md-search__input")
    if box.is_visible():  # Material
        box.click()
        box.press_sequentially(QUOTE, delay=30)
    else:  # Zensical opens its search from a button
        page.locator(".md-search__button").first.click()
        page.keyboard.type(QUOTE, delay=50)
    # The best hit (Material: the first page's group; Zensical: the first option) links to
    # the excerpt's own anchor.
    first = page.locator(".md-search-result__item, ol[role='listbox'] > li").first
    hit = first.locator("a[href*='#O2-P1-E1']").first
    expect(hit).to_be_visible(timeout=45000)
    hit.click()
    page.wait_for_load_state("load")
    assert re.search(r"dyads/O2-P1\.html(\?[^#]*)?#O2-P1-E1$", page.url), page.url
    expect(page.locator("figure[data-excerpt='O2-P1-E1'] blockquote")).to_be_in_viewport()
    page.close()


def test_context_opens_and_passes_axe(browser: Browser, osce: Path) -> None:
    page = browser.new_page()
    page.goto((osce / "dyads" / "O2-P1.html").as_uri())
    page.wait_for_load_state("load")
    block = page.locator("figure[data-excerpt='O2-P1-E2'] details.bs-context")
    expect(block.locator("ol")).not_to_be_visible()  # collapsed by default
    block.locator("summary").click()
    expect(block.locator("li[value='37']")).to_be_visible()
    shoot(page, "context-open", False)
    # The whole page: the excerpts' search headings and the open context block included.
    violations = Axe().run(page, options={"resultTypes": ["violations"]}
                           ).response["violations"]
    assert violations == [], [(n["target"], n["failureSummary"]) for v in violations
                              for n in v["nodes"]]
    page.close()
