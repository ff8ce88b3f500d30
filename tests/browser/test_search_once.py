"""The site keeps its search index once (``search/search_index.js``, issue 25: output size)
and a quote typed into the search still lands on its excerpt, opened from disk and served
over HTTP."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from build_site.search_once import SEARCH_JSON, SEARCH_SCRIPT, read_index

QUOTE = "how much or how often"  # words of excerpt D1-P1-E1 of the bundled study


def test_the_index_is_stored_once(bundled_site: Path) -> None:
    assert not (bundled_site / SEARCH_JSON).exists() and (bundled_site / SEARCH_SCRIPT).is_file()
    entries = {e["location"]: e["text"] for e in read_index(bundled_site)["docs"]}
    assert QUOTE in entries["dyads/D1-P1.html#D1-P1-E1"]


@pytest.mark.parametrize("where", ["disk", "http"])
def test_a_quote_search_lands_on_the_excerpt(browser: Browser, bundled_site: Path,
                                             site_url: str, where: str) -> None:
    root = bundled_site.as_uri() + "/" if where == "disk" else site_url
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        requested: list[str] = []
        page.on("request", lambda r: requested.append(r.url))
        page.goto(root + "index.html", wait_until="load")
        box = page.locator("input.md-search__input")
        box.click()
        box.press_sequentially(QUOTE, delay=30)
        # Among the hits (some under a page's "more" fold) is the excerpt's own anchor.
        hit = page.locator(".md-search-result__list a[href*='#D1-P1-E1']").first
        expect(hit).to_be_attached(timeout=45000)
        assert root + "search/search_index.js" in requested
        assert not any(u.endswith("search_index.json") for u in requested)
        page.goto(str(hit.evaluate("a => a.href")), wait_until="load")
        assert re.search(r"dyads/D1-P1\.html(\?[^#]*)?#D1-P1-E1$", page.url), page.url
    finally:
        context.close()
