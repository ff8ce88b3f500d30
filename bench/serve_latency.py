"""Edit-to-disk latency of ``build-site serve`` (issue 8): from saving one dyad file to the
rebuilt page on disk.

Run from the repository root::

    .venv/bin/python bench/serve_latency.py [--runs 5] [--port 8765]

(it runs ``python -m build_site`` with this Python and this checkout first on ``PYTHONPATH``).

Copies the bundled study (``casestudies``, with ``mkdocs.yml`` and ``docs/`` beside it) to a
temporary folder, starts ``build-site serve`` there on 127.0.0.1, waits for the first build,
then, per run, appends a sentence to one dyad's narrative and polls the dyad's page in the
served output until it contains the sentence. Prints each latency and the median, with the
load average. Only the standard library is used.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DYAD = "D1-P1"


def _wait_for(predicate: object, timeout: float, step: float = 0.02) -> float:
    """Poll ``predicate()`` until true; returns the time it became true (perf_counter)."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if predicate():  # type: ignore[operator]
            return time.perf_counter()
        time.sleep(step)
    raise TimeoutError("serve did not rebuild in time")


def main() -> int:
    """Measure; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="serve-latency-"))
    shutil.copytree(REPO / "casestudies", work / "casestudies")
    shutil.copy(REPO / "mkdocs.yml", work / "mkdocs.yml")
    shutil.copytree(REPO / "docs", work / "docs")
    out = work / "casestudies-preview"  # serve's default output (locate.default_output)
    # this checkout's package, run by this Python (a worktree may have no .venv of its own)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1",
               PYTHONPATH=os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH"))
                                          if p))
    cmd = [sys.executable, "-m", "build_site", "serve", "casestudies", "--port", str(args.port)]
    proc = subprocess.Popen(cmd, cwd=work, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        page = out / "dyads" / f"{DYAD}.html"
        _wait_for(lambda: page.is_file(), 120)
        url = f"http://127.0.0.1:{args.port}/dyads/{DYAD}.html"
        _wait_for(lambda: _get(url), 30)
        source = work / "casestudies" / "dyads" / f"{DYAD}.md"
        latencies = []
        for run in range(args.runs):
            # lower-case letters only: no detector takes it for a name or a number
            marker = "the probe " + "".join(random.choice("abcdefghijklmnop") for _ in range(12))
            text = source.read_text(encoding="utf-8").rstrip("\n") + f"\n\n{marker}\n"
            time.sleep(1.0)  # let the watcher settle between runs
            start = time.perf_counter()
            source.write_text(text, encoding="utf-8")
            done = _wait_for(lambda m=marker: _has(page, m), 60)  # type: ignore[misc]
            latencies.append(done - start)
            print(f"run {run + 1}: {latencies[-1]:.2f} s (load {os.getloadavg()[0]:.2f})")
        print(f"median edit-to-disk: {statistics.median(latencies):.2f} s over {args.runs} runs; "
              f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(work, ignore_errors=True)
    return 0


def _has(page: Path, marker: str) -> bool:
    try:
        return marker in page.read_text(encoding="utf-8")
    except OSError:
        return False


def _get(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


if __name__ == "__main__":
    sys.exit(main())
