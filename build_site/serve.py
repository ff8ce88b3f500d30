"""``build-site serve``: build, serve on 127.0.0.1 only, rebuild when the study changes.

The watch polls file modification times (every POLL_SECONDS) of the study folder and the site
project's configuration and pages; each rebuild goes through the full pipeline, so a failed
rebuild prints its errors and leaves the last good site being served.
"""

from __future__ import annotations

import functools
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from rich.console import Console

from build_site.errors import StudyError
from build_site.pipeline import build
from build_site.study import Audience

HOST = "127.0.0.1"
POLL_SECONDS = 0.2
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


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def serve_forever(study: Path, out: Path, config: Path | None, port: int,
                  audience: Audience, console: Console) -> None:
    """Serve ``out`` at http://127.0.0.1:PORT and rebuild on change until interrupted.

    Raises:
        StudyError: the first build failed (nothing to serve).
    """
    report = build(study, out, config, audience)
    watched = [study, *( [config] if config else [] ), study.parent / "mkdocs.yml",
               study.parent / "docs"]
    handler = functools.partial(_Quiet, directory=str(report.out))
    server = ThreadingHTTPServer((HOST, port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    console.print(f"Serving {report.out} at http://{HOST}:{port}/ (Ctrl+C to stop)")
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
                build(study, out, config, audience)
                console.print(f"Rebuilt in {time.perf_counter() - started:.1f} s")
            except StudyError as exc:
                for problem in exc.problems:
                    console.print(f"[red]error[/red] {problem}")
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
