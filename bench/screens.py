"""Pixel comparison of two built sites: the same pages, screenshotted in headless Chromium.

Usage: ``python bench/screens.py BEFORE_SITE AFTER_SITE OUT_DIR [PAGE ...]``

Each page (a path inside the site; ``#open`` after it opens every ``<details>`` first) is
shot full-page in light and dark, at desktop (1280x800) and phone (375x667) size, from each
site served on 127.0.0.1; the two PNGs are compared pixel by pixel. Prints one line per shot
and exits 1 when any differs (both PNGs are kept in OUT_DIR). Chromium is Debian's
(/usr/bin/chromium), driven by the Playwright wheel; nothing is downloaded.
"""

from __future__ import annotations

import functools
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--font-render-hinting=none"]
SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 667}}
STILL = "*,*::before,*::after{transition:none!important;animation:none!important}"
PAGES = ["index.html", "model/index.html", "model/trust.html", "dyads/D1-P1.html#open",
         "analysis/matrix.html", "analysis/excerpts.html"]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def _serve(site: Path) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/"


def main(before: Path, after: Path, out: Path, pages: list[str]) -> int:
    """Shoots and compares every page; returns 0 when all are pixel-identical, else 1."""
    out.mkdir(parents=True, exist_ok=True)
    servers = [_serve(before), _serve(after)]
    differ = 0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for page_path in pages:
            path, _, mode = page_path.partition("#")
            for scheme in ("light", "dark"):
                for size_name, size in SIZES.items():
                    for attempt in range(3):  # noqa: B007 (printed below) a retake, when timing alone differs
                        shots = _shoot(browser, servers, out, path, mode, scheme, size,
                                       size_name)
                        same = shots[0] == shots[1] or _pixels(BytesIO(shots[0])) == \
                            _pixels(BytesIO(shots[1]))
                        if same:
                            break
                    differ += not same
                    print(f"{'same' if same else 'DIFFERS'}  {page_path} {scheme} {size_name}"
                          f" (attempt {attempt + 1})")
        browser.close()
    for server, _ in servers:
        server.shutdown()
    return 1 if differ else 0


def _shoot(browser: Any, servers: list[tuple[ThreadingHTTPServer, str]], out: Path,
           path: str, mode: str, scheme: str, size: dict[str, int],
           size_name: str) -> list[bytes]:
    """One full-page PNG of the page from each site, transitions and animations off."""
    shots = []
    for label, (_, url) in zip(("before", "after"), servers, strict=True):
        context = browser.new_context(viewport=size, color_scheme=scheme,
                                      reduced_motion="reduce")
        context.route("**/*", lambda r: r.continue_()
                      if r.request.url.startswith("http://127.0.0.1") else r.abort())
        page = context.new_page()
        page.goto(url + path, wait_until="networkidle")
        page.add_style_tag(content=STILL)
        if mode == "open":
            page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        page.wait_for_timeout(1000)
        name = f"{path.replace('/', '_')}-{scheme}-{size_name}-{label}.png"
        shots.append(page.screenshot(path=str(out / name), full_page=True,
                                     animations="disabled"))
        context.close()
    return shots


def _pixels(data: Any) -> bytes:
    """The decoded RGBA pixels and size of a PNG (PNG bytes can differ for equal pixels)."""
    from PIL import Image

    with Image.open(data) as image:
        return repr(image.size).encode() + image.convert("RGBA").tobytes()


if __name__ == "__main__":
    args = sys.argv[1:]
    if len(args) < 3:
        sys.exit(__doc__)
    sys.exit(main(Path(args[0]), Path(args[1]), Path(args[2]), args[3:] or PAGES))
