"""How fast the leak gate reads a built site, in MB/s (``gate.scan_tree`` alone).

Usage: ``python bench/gate_rate.py STUDY SITE [--runs N]``: STUDY gives the identifier list,
SITE is a site built from it (e.g. ``build-site synth --dyads 230`` then ``build-site
build``). The theme's hashes are warmed by a first scan; the best of N runs is reported, as
wall-clock time and as processor time (steadier on a machine shared with other work).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from build_site.pipeline import load_and_validate
from build_site.privacy.gate import scan_tree


def main() -> None:
    """Time ``scan_tree`` on SITE and print the size, the best time and the rate."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("study", type=Path)
    parser.add_argument("site", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    identifiers = load_and_validate(args.study).identifiers
    size = sum(p.stat().st_size for p in args.site.rglob("*") if p.is_file())
    scan_tree(args.site, identifiers)
    best = cpu = float("inf")
    for _ in range(args.runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        leaks = scan_tree(args.site, identifiers)
        best = min(best, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
    print(f"{size / 1e6:.1f} MB, {len(identifiers)} identifiers, {len(leaks)} leaks, best of "
          f"{args.runs}: wall {best:.2f} s = {size / 1e6 / best:.1f} MB/s, "
          f"cpu {cpu:.2f} s = {size / 1e6 / cpu:.1f} MB/s")


if __name__ == "__main__":
    main()
