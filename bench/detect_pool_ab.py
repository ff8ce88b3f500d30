"""The detectors (``find_all``) over a study, in one process and with the pool, alternately.

Usage: ``python bench/detect_pool_ab.py STUDY [ROUNDS]`` (e.g. ``build-site synth --dyads 1000
--out /tmp/s1000`` first). Prints CPU seconds (this process and its reaped workers) and wall
seconds of each run with the load average at its start; checks that both ways find the same.
No timing is asserted.
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

from build_site.deidentify import deidentify, detect_pool
from build_site.deidentify.findings import Finding, FindingCache, find_all
from build_site.pipeline import load_and_validate
from build_site.privacy.selection import select


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main(study_dir: Path, rounds: int) -> int:
    """Time ``rounds`` pairs of runs; 1 when the two ways disagree, else 0."""
    public = select(deidentify(load_and_validate(study_dir)), "public")
    find_all(public, None, FindingCache(None))  # the word lists, loaded before either is timed
    threshold = detect_pool.POOL_MIN_TEXTS
    first: list[Finding] | None = None
    for _ in range(rounds):
        for label, minimum in (("one process", 10**9), ("pool", threshold)):
            detect_pool.POOL_MIN_TEXTS = minimum
            load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
            cpu, wall = _cpu(), time.perf_counter()
            found = find_all(public, None, FindingCache(None))
            print(f"{label:12s} cpu {_cpu() - cpu:5.2f} s  wall {time.perf_counter() - wall:5.2f} s"
                  f"  load {load}  findings {len(found)}", flush=True)
            first = found if first is None else first
            if found != first:
                print("the two ways disagree", file=sys.stderr)
                return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 3))
