"""Fixtures of the browser tests: the bundled study built once per session (``bundled_site``
from the parent conftest) and served on 127.0.0.1, one headless Chromium for the session, and a
fresh browser context for every page a test opens.

The browser is Debian's Chromium at /usr/bin/chromium, driven by the Playwright wheel's own
driver; no browser is ever downloaded (never run ``playwright install``). When Chromium is
missing, every browser test fails with a message saying how to install it: never skipped.
Playwright starts Chromium with a fresh temporary user-data directory of its own and deletes it
on close (it refuses an explicit ``--user-data-dir`` with ``launch``).

Every request to a host other than the local server is aborted and listed at the end of the run,
and the Playwright and Chromium versions (released separately) are printed there too.
"""

from __future__ import annotations

import functools
import sys
import threading
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, sync_playwright
from playwright.sync_api import Error as PlaywrightError

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",  # the tests run as root
    "--disable-dev-shm-usage",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
MISSING = (
    f"Chromium is needed for the browser tests and was not found at {CHROMIUM}. Install "
    "Debian's package: `apt-get install chromium` (scripts/bootstrap.sh does this when run as "
    "root). Never run `playwright install`: the tests use the system browser."
)
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 667}

VERSIONS: dict[str, str] = {}
BLOCKED: set[str] = set()

OpenPage = Callable[..., Page]


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # The browser dropping a connection it no longer needs is no error of the site.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@pytest.fixture(scope="session")
def site_url(bundled_site: Path) -> Iterator[str]:
    """The bundled study's public site, served on 127.0.0.1 at a free port."""
    handler = functools.partial(_QuietHandler, directory=str(bundled_site))
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Debian Chromium, one for the whole session."""
    if not CHROMIUM.is_file():
        pytest.fail(MISSING, pytrace=False)
    with sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        except PlaywrightError as error:
            pytest.fail(f"Chromium at {CHROMIUM} did not start: {error}\n{MISSING}",
                        pytrace=False)
        VERSIONS["Playwright"] = version("playwright")
        VERSIONS["Chromium"] = f"{chromium.version} ({CHROMIUM})"
        try:
            yield chromium
        finally:
            chromium.close()


def _local_only(site_url: str) -> Callable[[Route], None]:
    def route(route: Route) -> None:
        url = route.request.url
        if url.startswith((site_url, "data:", "blob:", "about:")):
            route.continue_()
        else:
            BLOCKED.add(url)
            route.abort()
    return route


@pytest.fixture
def open_page(browser: Browser, site_url: str) -> Iterator[OpenPage]:
    """``open_page(path, dark=False, viewport=DESKTOP)``: a page of the site in a fresh
    context (no stored palette choice), with requests to other hosts aborted. A script error
    on any page the test opened fails the test."""
    contexts: list[BrowserContext] = []
    errors: list[str] = []

    def open_(path: str, *, dark: bool = False, viewport: dict[str, int] = DESKTOP) -> Page:
        context = browser.new_context(
            viewport=viewport,  # type: ignore[arg-type]
            color_scheme="dark" if dark else "light", reduced_motion="reduce")
        context.set_default_timeout(15_000)
        context.route("**/*", _local_only(site_url))
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
        page.goto(site_url + path, wait_until="load")
        return page

    yield open_
    for context in contexts:
        context.close()
    if errors:
        pytest.fail("script errors:\n" + "\n".join(errors), pytrace=False)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not VERSIONS and not BLOCKED:
        return
    terminalreporter.write_sep("-", "browser")
    for name, value in VERSIONS.items():
        terminalreporter.write_line(f"{name} {value}")
    for url in sorted(BLOCKED):
        terminalreporter.write_line(f"request to another host blocked: {url}")
