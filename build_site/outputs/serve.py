"""``build-site serve``: build, serve on 127.0.0.1 only, rebuild when the study changes.

The port is bound before the first build, so a busy port is reported at once (exit 2), not
after a whole build. Only requests whose ``Host`` header names this machine's loopback
(``localhost``, ``127.0.0.1``, ``[::1]``, with or without the bound port) are answered: a page
on another site whose name an attacker resolves to 127.0.0.1 (DNS rebinding) sends its own
name and gets 421, so it cannot read a review preview.

The watch polls file modification times (every POLL_SECONDS) of the study folder and the site
project's configuration and pages; each rebuild goes through the whole pipeline (MkDocs then
rebuilds only the pages that changed and the leak gate reads only the files that changed, when
:mod:`build_site.preview` can vouch for it), so a failed rebuild prints its errors and leaves
the last good site being served. Until a rebuild succeeds again, every page is served with a
banner saying that the last rebuild was refused and that the page is the last good build
(:class:`PreviewStatus`): a reader who reloads to see an edit is not left to think it is there.
The banner names no problem: the terminal does (a refusal's message can quote the very text
the gate stopped).
"""

from __future__ import annotations

import errno
import functools
import io
import os
import threading
import time
from dataclasses import dataclass
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from rich.console import Console

from build_site.errors import PrivacyError, Problem, StudyError, UsageError
from build_site.pipeline import build
from build_site.study import Audience

HOST = "127.0.0.1"
LOCAL_NAMES = ("localhost", "127.0.0.1", "[::1]")
"""The names a request may carry in its Host header (with or without the bound port)."""
POLL_SECONDS = 0.1
"""How often the watch looks at modification times: a save is noticed within this."""


def snapshot(paths: list[Path]) -> dict[str, float]:
    """Modification times of every file under ``paths`` (hidden files skipped)."""
    seen: dict[str, float] = {}
    for root in paths:
        files = [root] if root.is_file() else root.rglob("*") if root.is_dir() else []
        for path in files:
            if path.is_file() and not path.name.startswith("."):
                seen[str(path)] = path.stat().st_mtime
    return seen


def allowed_host(header: str, port: int) -> bool:
    """Whether a ``Host`` header names this server: one of :data:`LOCAL_NAMES`, alone or
    followed by ``:port`` (case-insensitive; RFC 9110, section 7.2)."""
    host = header.strip().lower()
    return any(host in (name, f"{name}:{port}") for name in LOCAL_NAMES)


@dataclass
class PreviewStatus:
    """Whether the preview is behind the study: ``refused_at`` is the local time (HH:MM:SS) of
    the last rebuild, when it failed; None once a rebuild succeeds."""

    refused_at: str | None = None


def with_banner(page: bytes, refused_at: str) -> bytes:
    """``page`` (an HTML page as served) with a notice after its ``<body>`` start tag (at the
    start when it has none) that the rebuild at ``refused_at`` was refused, so this page is
    the last good build."""
    notice = (f'<div role="alert" style="background:#b00020;color:#fff;padding:.6em 1em;'
              f'font:600 .9rem/1.4 system-ui,sans-serif">The rebuild at {refused_at} was '
              'refused, so this page is the last good build, without your latest edit. The '
              "terminal running build-site serve says why; save the fix and reload.</div>"
              ).encode()
    body = page.lower().find(b"<body")
    end = page.find(b">", body) + 1 if body >= 0 else 0
    return page[:end] + notice + page[end:]


class _LocalOnly(SimpleHTTPRequestHandler):
    """Serves files, but only to requests addressed to a loopback name; an HTML page with
    :func:`with_banner`'s notice while ``status`` says the last rebuild was refused."""

    def __init__(self, *args: Any, status: PreviewStatus | None = None, **kwargs: Any) -> None:
        self.status = status
        super().__init__(*args, **kwargs)

    def send_head(self) -> Any:
        refused = self.status.refused_at if self.status else None
        path = self.translate_path(self.path)
        if os.path.isdir(path) and self.path.split("?", 1)[0].endswith("/"):
            path = os.path.join(path, "index.html")
        if refused is None or not path.endswith(".html") or not os.path.isfile(path):
            return super().send_head()
        with open(path, "rb") as page:
            data = with_banner(page.read(), refused)
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        return io.BytesIO(data)

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        hosts = self.headers.get_all("Host") or []
        if len(hosts) != 1:
            self.send_error(HTTPStatus.BAD_REQUEST, "exactly one Host header is required")
            return False
        if not allowed_host(hosts[0], int(getattr(self.server, "server_port", 0))):
            self.send_error(HTTPStatus.MISDIRECTED_REQUEST,
                            "this preview answers only to localhost")
            return False
        return True

    def log_message(self, format: str, *args: Any) -> None:
        pass


def bind(port: int, directory: Path, status: PreviewStatus | None = None
         ) -> ThreadingHTTPServer:
    """A server for ``directory`` bound to 127.0.0.1:``port`` (0: any free port), not yet
    serving; its pages carry a notice while ``status`` says the last rebuild was refused.

    Raises:
        UsageError: the port is in use or not allowed (exit 2).
    """
    handler = functools.partial(_LocalOnly, directory=str(directory), status=status)
    try:
        return ThreadingHTTPServer((HOST, port), handler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(f"port {port} on {HOST} is already in use",
                             "stop the program using it (perhaps another build-site serve) or "
                             f"choose another port, for example --port {port + 1}") from None
        if exc.errno == errno.EACCES:
            raise UsageError(f"not allowed to use port {port}",
                             "choose a port above 1023, for example --port 8000") from None
        raise


def serve_forever(study: Path, out: Path, config: Path | None, port: int,
                  audience: Audience, console: Console) -> None:
    """Serve ``out`` at http://127.0.0.1:PORT and rebuild on change until interrupted.

    Raises:
        UsageError: the port is busy (before any build); StudyError: the first build failed
            (nothing to serve).
    """
    status = PreviewStatus()
    server = bind(port, out.resolve(), status)
    try:
        try:
            report = build(study, out, config, audience, incremental=True)
        except PrivacyError as exc:
            if audience == "public":  # nothing to preview yet: say how to see the work
                exc.problems.append(Problem(
                    str(study), 0, "the public preview waits until these are resolved",
                    "meanwhile preview the team's copy: build-site serve --review"))
            raise
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            bound = server.server_address[1]
            console.print(f"Serving {report.out} at http://{HOST}:{bound}/ (Ctrl+C to stop)")
            _watch(study, out, config, audience, console, status)
        finally:
            server.shutdown()
    finally:
        server.server_close()


def _watch(study: Path, out: Path, config: Path | None, audience: Audience,
           console: Console, status: PreviewStatus | None = None) -> None:
    """Rebuild ``out`` whenever a watched file changes, until Ctrl-C; ``status`` records
    whether the last rebuild was refused (the served pages then say so)."""
    status = status or PreviewStatus()
    watched = [study, *([config] if config else []), study.parent / "mkdocs.yml",
               study.parent / "docs"]
    state = snapshot(watched)
    try:
        while True:
            time.sleep(POLL_SECONDS)
            current = snapshot(watched)
            if current == state:
                continue
            state = current
            started = time.perf_counter()
            try:
                build(study, out, config, audience, incremental=True)
                status.refused_at = None
                console.print(f"Rebuilt in {time.perf_counter() - started:.1f} s")
            except StudyError as exc:
                status.refused_at = time.strftime("%H:%M:%S")
                for problem in exc.problems:
                    console.print(f"[red]error[/red] {problem}")
                console.print("The preview shows the last good build, with a notice on every "
                              "page, until a rebuild succeeds.")
    except KeyboardInterrupt:
        pass
