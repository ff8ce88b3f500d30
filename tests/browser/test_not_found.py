"""Issue 23 item 7: the "page not found" page of a site hosted under a sub-path, as a journal
hosts a supplement (the bundled study has no site_url). A reader who arrives from the site
and follows a broken link sees a styled page whose links stay inside the supplement."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser

PREFIX = "/journal/suppl/s1/"


class _SubPath(SimpleHTTPRequestHandler):
    """Serves the site under :data:`PREFIX`, answering a missing file with ``404.html`` as a
    web server configured for it does."""

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")  # the 404 page fetches its own assets
        super().end_headers()

    def translate_path(self, path: str) -> str:
        if not path.startswith(PREFIX):
            return str(Path(self.directory) / "no-such-file")
        return super().translate_path("/" + path[len(PREFIX):])

    def send_error(self, code: int, message: str | None = None,
                   explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def sub_path_url(bundled_site: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_SubPath, directory=str(bundled_site)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_not_found_page_links_stay_under_the_sub_path(browser: Browser,
                                                       sub_path_url: str) -> None:
    root = sub_path_url + PREFIX
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        page.goto(root + "index.html", wait_until="load")
        loaded: list[str] = []
        page.on("response", lambda r: loaded.append(r.url) if r.ok else None)
        with page.expect_response(lambda r: r.url.endswith("search_index.js")) as index:
            page.goto(root + "dyads/missing.html", wait_until="load")
        assert index.value.url == root + "search/search_index.js" and index.value.ok
        page.wait_for_function("document.documentElement.classList.contains('js')")
        assert "404" in page.inner_text("article")
        links = page.eval_on_selector_all("header a[href], nav a[href]",
                                          "a => a.map(l => l.href)")
        local = [u for u in links if u.startswith(sub_path_url)]
        assert local and all(u.startswith(root) for u in local), local
        sheets = page.evaluate("[...document.styleSheets].map(s => s.href).filter(Boolean)")
        assert sheets and all(s.startswith(root + "assets/") for s in sheets), sheets
        assert root + "assets/build-site.js" in loaded
        page.click("nav a[href='methods/index.html'] >> nth=0")
        page.wait_for_load_state("load")
        assert page.url == root + "methods/index.html"
    finally:
        context.close()
