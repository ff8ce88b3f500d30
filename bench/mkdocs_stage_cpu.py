"""CPU and wall seconds of the MkDocs stage alone, in one process (no split into two).

    PYTHONPATH=CHECKOUT python bench/mkdocs_stage_cpu.py build STUDY --out OUT --quiet

runs the CLI's build as given, with :func:`build_site.engines.mkdocs_split.can_split` turned
off and ``time.process_time()`` around :func:`build_site.engines.mkdocs_dirty.run`, then
prints the stage's CPU and wall seconds and the load average. Alternate two checkouts, with a
new OUT each time, to compare them in the same minute (``guide/performance.md``, "The MkDocs
stage (mkd3)"). Nothing is timed against a limit.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from typing import Any

import build_site.engines.mkdocs_dirty as mkdocs_dirty
import build_site.engines.mkdocs_engine as mkdocs_engine
import build_site.engines.mkdocs_split as mkdocs_split


def main(argv: list[str]) -> int:
    """Run ``build-site`` with ``argv``; print the MkDocs stage's seconds; return 0, or 1
    when the stage did not run."""
    spent: list[tuple[float, float]] = []
    real = mkdocs_dirty.run

    def timed(cfg: Any, only: Any = None) -> Any:
        cpu, wall = time.process_time(), time.perf_counter()
        try:
            return real(cfg, only)
        finally:
            spent.append((time.process_time() - cpu, time.perf_counter() - wall))

    mkdocs_split.can_split = lambda *args: False  # type: ignore[assignment]
    mkdocs_engine.mkdocs_dirty.run = timed  # type: ignore[assignment]
    from build_site.cli import main as cli

    with contextlib.suppress(SystemExit):
        cli(argv)
    if not spent:
        print("the MkDocs stage did not run", file=sys.stderr)
        return 1
    cpu, wall = spent[0]
    print(f"MkDocs stage in one process: {cpu:.2f} CPU s, {wall:.2f} s wall, "
          f"load {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
