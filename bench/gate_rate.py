"""How fast the leak gate reads a built site, in MB/s (``gate.scan_tree`` alone).

Usage: ``python bench/gate_rate.py STUDY SITE [--runs N] [--loads]``: STUDY gives the
identifier list, SITE is a site built from it (e.g. ``build-site synth --dyads 230`` then
``build-site build``). The theme's hashes are warmed by a first scan; the best of N runs is
reported, as wall-clock time and as processor time (steadier on a machine shared with other
work; the gate's worker processes included, :mod:`build_site.privacy.gate_pool`). With
``--one-process``, the tree is read by this process alone, as below the pool's threshold.
With ``--loads``, also the gate with the external-load check read in its pass (as a build
runs them, :class:`build_site.offline.LoadCollector`) and that check reading the site alone
(:func:`build_site.offline.external_loads`).
"""

from __future__ import annotations

import argparse
import resource
import time
from collections.abc import Callable
from pathlib import Path

from build_site.offline import LoadCollector, external_loads
from build_site.pipeline import load_and_validate
from build_site.privacy import gate_pool
from build_site.privacy.gate import scan_tree


def _cpu() -> float:
    """Processor seconds of this process and of its children that have ended (the gate's
    workers, once the pool has shut down)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _best(runs: int, work: Callable[[], object]) -> tuple[float, float]:
    """The best wall-clock and processor seconds of ``runs`` calls of ``work``."""
    wall = cpu = float("inf")
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), _cpu()
        work()
        wall = min(wall, time.perf_counter() - start)
        cpu = min(cpu, _cpu() - start_cpu)
    return wall, cpu


def main() -> None:
    """Time ``scan_tree`` on SITE and print the size, the best time and the rate."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("study", type=Path)
    parser.add_argument("site", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--loads", action="store_true",
                        help="also time the external-load check, in the gate's pass and alone")
    parser.add_argument("--one-process", action="store_true",
                        help="read the tree in this process alone (no worker processes)")
    args = parser.parse_args()
    if args.one_process:
        gate_pool.MIN_POOL_BYTES = 1 << 62
    identifiers = load_and_validate(args.study).identifiers
    size = sum(p.stat().st_size for p in args.site.rglob("*") if p.is_file()) / 1e6
    leaks = scan_tree(args.site, identifiers)
    timed: list[tuple[str, Callable[[], object]]] = [
        ("gate", lambda: scan_tree(args.site, identifiers))]
    if args.loads:
        timed += [("gate + external loads, one pass",
                   lambda: scan_tree(args.site, identifiers, also=LoadCollector())),
                  ("external loads alone", lambda: external_loads(args.site))]
    print(f"{size:.1f} MB, {len(identifiers)} identifiers, {len(leaks)} leaks, best of "
          f"{args.runs}:")
    for name, work in timed:
        wall, cpu = _best(args.runs, work)
        print(f"  {name}: wall {wall:.2f} s = {size / wall:.1f} MB/s, "
              f"cpu {cpu:.2f} s = {size / cpu:.1f} MB/s")


if __name__ == "__main__":
    main()
