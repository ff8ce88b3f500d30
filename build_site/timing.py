"""Seconds per stage, for the reports of a build and of the exports built on it."""

from __future__ import annotations

import time
from collections.abc import Callable

from build_site.gc_stages import settle


class StageClock:
    """Call with a stage's name when it finishes: records the seconds since the previous call
    (or since creation) in ``timings`` and reports the name to ``progress``.

    Args:
        timings: stage name -> wall seconds (a report's dictionary, filled in place).
        progress: called with each finished stage's name.
        settling: at the end of each stage, leave what is alive to the collector's permanent
            generation (:func:`build_site.gc_stages.settle`; the caller runs the stages
            inside :func:`build_site.gc_stages.settled`).
    """

    def __init__(self, timings: dict[str, float], progress: Callable[[str], None],
                 settling: bool = False) -> None:
        self.timings = timings
        self.progress = progress
        self.settling = settling
        self.last = time.perf_counter()

    def __call__(self, name: str) -> None:
        """Close stage ``name``."""
        now = time.perf_counter()
        self.timings[name] = now - self.last
        self.last = now
        if self.settling:
            settle()
        self.progress(name)
