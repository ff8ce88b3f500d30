"""Offline search of a Zensical build, opened from disk (file://) in headless Chromium.

Zensical writes its index as ``search.js`` beside ``search.json``, so its search needs no
server; this proves it before the README promises it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from build_site.pipeline import build

from ..conftest import REPO


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("zensical-search") / "site"
    build(REPO / "casestudies", out, engine="zensical")
    return out


def test_zensical_search_works_from_disk(browser: Browser, zensical_site: Path) -> None:
    page = browser.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto((zensical_site / "dyads" / "D1-P1.html").as_uri())
    page.wait_for_load_state("load")
    page.locator(".md-search__button").first.click()
    page.keyboard.type("Abiding", delay=50)
    expect(page.get_by_text(re.compile(r"^\d+ results?$"))).to_be_visible(timeout=45000)
    hit = page.get_by_text("Staying committed to the patient over time").first
    expect(hit).to_be_visible()
    hit.click()
    page.wait_for_load_state("load")
    expect(page.locator("article h1")).to_contain_text("Abiding")
    assert page.url.startswith("file://") and "/model/abiding.html" in page.url
    assert all(u.startswith(("file://", "data:", "blob:")) for u in requests), requests
    page.close()
