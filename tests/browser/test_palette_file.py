"""Issue 25: Material's palette script is one file (build_site/palette_file.py), loaded where the
inline copy was; a reader's stored dark palette is on the page from its first frame, from disk
and over HTTP."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser

from build_site.palette_file import PALETTE_SCRIPT, theme_palette_script

# Records the body's palette at every animation frame from the start of the page's load (a
# frame's callbacks run just before it is painted), until the page has loaded.
_FRAMES = """
window.__schemes = [];
(function frame() {
  if (document.body && document.body.firstElementChild)
    window.__schemes.push(document.body.getAttribute("data-md-color-scheme"));
  if (document.readyState !== "complete") requestAnimationFrame(frame);
})();
"""


def test_pages_load_the_palette_script_instead_of_carrying_it(bundled_site: Path) -> None:
    code = theme_palette_script()
    assert code and (bundled_site / PALETTE_SCRIPT).read_text("utf-8") == code
    for page in ("index.html", "dyads/D1-P1.html", "model/index.html"):
        html = (bundled_site / page).read_text("utf-8")
        assert code not in html
        assert html.count('build-site-palette.js"></script>') == 1
        # where the inline script was: after the palette's inputs, before the search button
        assert (html.index('id="__palette_1"') < html.index("build-site-palette.js")
                < html.index('for="__search"'))


@pytest.mark.parametrize("where", ["disk", "http"])
def test_a_stored_dark_palette_is_there_from_the_first_frame(
        browser: Browser, bundled_site: Path, site_url: str, where: str) -> None:
    root = bundled_site.as_uri() + "/" if where == "disk" else site_url
    context = browser.new_context(viewport={"width": 1280, "height": 800},
                                  color_scheme="light")
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(root + "index.html", wait_until="load")
        page.locator('form[data-md-component="palette"] label:visible').click()
        assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
        page.add_init_script(_FRAMES)
        page.goto(root + "dyads/D1-P1.html", wait_until="load")
        schemes = page.evaluate("window.__schemes")
        assert schemes and set(schemes) == {"slate"}, schemes
        assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
        assert not errors
    finally:
        context.close()
