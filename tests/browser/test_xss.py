"""Stored XSS in a real browser: a public build of the hostile study (every free-text field of
study.yml, model.yml and codebook.yml holds ``<img src=x onerror=...>``, ``"><svg onload=...>``
and ``javascript:`` links, see tests/hostile.py) is opened page by page in Chromium, and the
search is made to show its results. No handler may run, no link may lead to ``javascript:``,
and what a reader sees of each field is what the team typed.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from build_site.pipeline import build

from ..hostile import Hostile, hostile_study
from .conftest import _local_only, _QuietHandler, _Server

SPACE = re.compile(r"\s+")
MARKER = re.compile(r"zq\d\d")
# Every attribute a reader sees or hears, and every link, of the page as the browser built it.
SEEN = """() => {
  const out = {attributes: [], links: [], handlers: []};
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      if (['title', 'aria-label', 'alt', 'placeholder'].includes(a.name)
          || a.name === 'xlink:title') out.attributes.push(a.value);
      if (a.name.startsWith('on')) out.handlers.push(el.tagName + ' ' + a.name);
      if (['href', 'src', 'xlink:href', 'action'].includes(a.name)) out.links.push(a.value);
    }
  }
  return out;
}"""


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, Hostile]]:
    work = tmp_path_factory.mktemp("hostile-browser")
    hostile = hostile_study(work / "study")
    build(hostile.folder, work / "site")
    handler = functools.partial(_QuietHandler, directory=str(work / "site"))
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="hostile-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/", work / "site", hostile
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _norm(text: str) -> str:
    return SPACE.sub(" ", text).strip().casefold()  # labels are lower-cased inside sentences


def _misread(text: str, hostile: Hostile, cut_ok: bool) -> list[str]:
    """Fields in ``text`` not followed by what was typed (``cut_ok``: a tooltip may end early)."""
    text = _norm(text)
    wrong = []
    for found in MARKER.finditer(text):
        marker = found.group(0)
        if marker not in hostile.typed or hostile.is_markdown(marker):
            continue
        typed = _norm(hostile.typed[marker].split(marker, 1)[1])
        shown = text[found.end():].strip()
        if not shown.startswith(typed) and not (cut_ok and typed.startswith(shown)):
            wrong.append(f"{hostile.paths[marker]} reads {shown[:len(typed)]!r}")
    return wrong


def _check(page: Page, where: str, hostile: Hostile) -> list[str]:
    problems = []
    if page.evaluate("() => window.__xss") is not None:
        problems.append(f"{where}: a handler ran (window.__xss = "
                        f"{page.evaluate('() => window.__xss')})")
    seen = page.evaluate(SEEN)
    problems += [f"{where}: handler attribute {h}" for h in seen["handlers"]]
    problems += [f"{where}: link {link!r}" for link in seen["links"]
                 if _norm(link).startswith("javascript:")]
    # The cite page's BibTeX and RIS blocks show fields in those formats (BibTeX escapes,
    # family name first), not as typed: read the rest (what runs in them is checked above).
    page.evaluate("() => document.querySelectorAll('.bs-reference')"
                  ".forEach(e => { e.style.display = 'none'; })")
    problems += [f"{where}: {w}" for w in _misread(page.inner_text("body"), hostile, False)]
    problems += [f"{where}: <title> {w}" for w in _misread(page.title(), hostile, False)]
    for value in seen["attributes"]:
        problems += [f"{where}: attribute {w}" for w in _misread(value, hostile, True)]
    return problems


def test_no_handler_runs_and_every_field_reads_as_typed(
        browser: Browser, hostile_url: tuple[str, Path, Hostile]) -> None:
    url, site, hostile = hostile_url
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(15_000)
    context.route("**/*", _local_only(url))
    errors: list[str] = []
    problems: list[str] = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
        for path in sorted(site.rglob("*.html")):
            rel = path.relative_to(site).as_posix()
            page.goto(url + rel, wait_until="load")
            problems += _check(page, rel, hostile)
        page.goto(url + "index.html", wait_until="load")
        box = page.locator("input.md-search__input")
        box.click()
        box.press_sequentially("zq", delay=15)  # every field: titles and text alike
        expect(page.locator(".md-search-result__item").first).to_be_visible()
        page.locator(".md-search-result__more summary").evaluate_all(
            "items => items.forEach(s => s.click())")  # the results folded under "more"
        problems += _check(page, "search results", hostile)
        shown = page.locator(".md-search-result__item").count()
    finally:
        context.close()
    assert shown > 0, "the search showed no result, so it proved nothing"
    assert not problems and not errors, "\n".join([*problems[:40], *errors])
