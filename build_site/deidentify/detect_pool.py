"""The detectors over many texts, on every core when there are many.

:func:`detect_many` gives exactly ``[detect(t, allowed) for t in texts]``: the detectors are
pure functions of a text and the allow-list, each text's detections come back in its place, so
the result does not depend on how the texts were split between processes
(``tests/deidentify/test_detect_pool.py`` compares both ways).

The pool is a fork of this process (the detectors' word lists, already loaded by the first
text, are shared, not loaded again per worker) and is used only when all of these hold:
at least :data:`POOL_MIN_TEXTS` texts, more than one core, the ``fork`` start method, and no
other thread running in this process (forking a process that runs threads can copy a lock
another thread holds; ``serve`` runs its web server in a thread). Anything that goes wrong in
or with the pool (a worker cannot start or dies, a detector raises) makes the whole list be
scanned again in this process, so an error is raised here, from the code and line that raised
it, as without a pool.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor

from build_site.deidentify.detectors import Detection, detect
from build_site.forked import worker_start

# Below this many texts to scan, one process: starting a worker costs more than it saves.
# (A cold build of 23 dyads scans about 150 texts, of 230 about 1,500, of 1,000 about 6,200.)
POOL_MIN_TEXTS = 400
# Texts per task: large enough that pickling and scheduling cost little, small enough that
# both workers finish together.
CHUNK = 64

# The allow-list of the scan under way, inherited by the forked workers (set before the fork,
# cleared after), so it is not pickled with every task.
_allowed: list[str] = []


def detect_many(texts: list[str], allowed: list[str]) -> list[list[Detection]]:
    """The detections of each of ``texts`` (:func:`~.detectors.detect` with ``allowed``), in
    the order of ``texts``.

    Raises:
        Whatever :func:`~.detectors.detect` raises for one of the texts, from this process.
    """
    workers = _workers(len(texts))
    if workers < 2:
        return [detect(text, allowed) for text in texts]
    # The first text in this process: it loads the word lists the workers then share.
    first = detect(texts[0], allowed)
    rest = _in_pool(texts[1:], allowed, workers)
    if rest is None:
        return [first, *(detect(text, allowed) for text in texts[1:])]
    return [first, *rest]


def _workers(count: int) -> int:
    """How many processes to scan ``count`` texts with (1: this one alone)."""
    if count < POOL_MIN_TEXTS or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    if threading.active_count() > 1 or multiprocessing.current_process().daemon:
        return 1
    return min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
               else os.cpu_count() or 1, 2)


def _in_pool(texts: list[str], allowed: list[str], workers: int
             ) -> list[list[Detection]] | None:
    """The detections of ``texts`` from ``workers`` forked processes, in order; None when the
    pool failed in any way (the caller then scans in this process)."""
    global _allowed
    chunks = [texts[i:i + CHUNK] for i in range(0, len(texts), CHUNK)]
    _allowed = allowed
    gc.freeze()  # objects made so far are not touched by the workers' collector (copy on write)
    pool = None
    try:
        pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                                   initializer=_worker_start, initargs=(os.getpid(),))
        return [found for part in pool.map(_detect_chunk, chunks) for found in part]
    except Exception:  # scanned again here, where any error is raised as it is
        return None
    finally:
        if pool is not None:  # on Ctrl-C too: the tasks not started are dropped
            pool.shutdown(wait=True, cancel_futures=True)
        gc.unfreeze()
        _allowed = []


_worker_start = worker_start  # the pool's initializer (build_site/forked.py)


def _detect_chunk(texts: list[str]) -> list[list[Detection]]:
    """In a worker: the detections of each of ``texts`` with the inherited allow-list."""
    return [detect(text, _allowed) for text in texts]
