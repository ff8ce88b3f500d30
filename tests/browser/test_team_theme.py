"""A team that sets only a palette colour keeps the tabs and the dark-mode toggle, sees its
colour, and no page of its site asks another host for anything (issue 20, item 4). The study
is the one ``build-site new`` writes, built from inside its folder with no arguments, and every
page is opened from disk with every request recorded."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from playwright.sync_api import Browser, expect

from build_site.cli import main

INDIGO = "rgb(64, 81, 181)"  # Material's indigo primary (#4051b5)


@pytest.fixture(scope="module")
def palette_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("team-theme")
    study = root / "study"
    assert CliRunner().invoke(main, ["new", str(study)]).exit_code == 0
    (study / "mkdocs.yml").write_text("site_name: A palette only\ntheme:\n  palette:\n"
                                      "    primary: indigo\n", encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(study)
        result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 0, result.output
    return root / "study-site"


def test_palette_only_theme_keeps_tabs_and_dark_mode_and_loads_nothing_from_elsewhere(
        browser: Browser, palette_site: Path) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800},
                                  color_scheme="light", reduced_motion="reduce")
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    pages = sorted(palette_site.rglob("*.html"))
    assert len(pages) > 10
    for html in pages:
        page.goto(html.as_uri(), wait_until="load")
    page.goto((palette_site / "index.html").as_uri(), wait_until="load")
    expect(page.locator(".md-tabs")).to_be_visible()
    header = page.locator(".md-header")
    expect(header).to_have_css("background-color", INDIGO)
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "default")
    page.locator('form[data-md-component="palette"] label:visible').click()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    expect(page.locator("body")).to_have_attribute("data-md-color-primary", "indigo")
    expect(header).to_have_css("background-color", INDIGO)
    elsewhere = [u for u in requests if not u.startswith(("file://", "data:", "blob:"))]
    assert elsewhere == []
    context.close()
