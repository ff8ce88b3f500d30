"""The packaged supplement opened straight from disk (file://), as a reader of a journal's
supplementary material would."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from build_site.outputs.package import package

from ..conftest import REPO


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("supplement")
    archive = package(REPO / "casestudies", folder / "supplement.zip")
    with zipfile.ZipFile(archive) as zipped:
        zipped.extractall(folder / "unzipped")
    return folder / "unzipped" / "site"


def test_supplement_navigates_and_searches_from_disk(browser: Browser, unpacked: Path) -> None:
    page = browser.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto((unpacked / "index.html").as_uri())
    expect(page.locator(".bs-diagram svg")).to_be_visible()
    page.locator(".bs-diagram svg text", has_text="Valuing").first.click()
    expect(page.locator("article h1")).to_contain_text("Valuing")
    page.goto((unpacked / "dyads" / "D1-P1.html").as_uri())
    page.locator(".bs-chip").first.click()
    assert page.url.startswith("file://") and "/model/" in page.url
    page.wait_for_load_state("load")
    search = page.locator("input.md-search__input")
    expect(search).to_be_visible()
    search.click()
    search.press_sequentially("Abiding", delay=50)
    expect(page.locator(".md-search-result__item").first).to_be_visible(timeout=45000)
    assert all(u.startswith(("file://", "data:", "blob:")) for u in requests), requests
    page.close()
