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
the last good site being served.
"""

from __future__ import annotations

import errno
import functools
import threading
import time
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


class _LocalOnly(SimpleHTTPRequestHandler):
    """Serves files, but only to requests addressed to a loopback name."""

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


def bind(port: int, directory: Path) -> ThreadingHTTPServer:
    """A server for ``directory`` bound to 127.0.0.1:``port`` (0: any free port), not yet
    serving.

    Raises:
        UsageError: the port is in use or not allowed (exit 2).
    """
    handler = functools.partial(_LocalOnly, directory=str(directory))
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
    server = bind(port, out.resolve())
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
            _watch(study, out, config, audience, console)
        finally:
            server.shutdown()
    finally:
        server.server_close()


def _watch(study: Path, out: Path, config: Path | None, audience: Audience,
           console: Console) -> None:
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
                console.print(f"Rebuilt in {time.perf_counter() - started:.1f} s")
            except StudyError as exc:
                for problem in exc.problems:
                    console.print(f"[red]error[/red] {problem}")
    except KeyboardInterrupt:
        pass
