"""A pure function over a list, on a forked pool of two when the list is long.

:func:`map_forked` gives exactly ``[job(item) for item in items]``. It is for checks that read
each item alone (the detectors over each text, :mod:`build_site.deidentify.detect_pool`; the
consent and disclosure checks over each published passage, :mod:`build_site.privacy`; the
contrastive-comment and consent-statement refusals over each case text,
:mod:`build_site.consent`): each item's result comes back in its place, so the result does not
depend on how the items were split between processes.

The workers are forks of this process: they inherit ``job`` and ``items`` (set in this module
before the fork, cleared after), so nothing is pickled but each chunk's bounds and its results,
and ``job`` may be a closure over data this process has built (word lists, an index). The pool
is used only when all of these hold: at least ``minimum`` items, more than one core, the
``fork`` start method, and no other thread running in this process (forking a process that runs
threads can copy a lock another thread holds; ``serve`` runs its web server in a thread), and
this process is not itself a pool's worker. Anything that goes wrong in or with the pool (a
worker cannot start or dies, ``job`` raises, a result cannot be pickled) makes the items be
done again in this process, so an error is raised here, from the code and line that raised it,
as without a pool. Workers ignore Ctrl-C and end with this process (:mod:`build_site.forked`).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

from build_site.forked import start_workers, usable_cores, worker_start

Item = TypeVar("Item")
Result = TypeVar("Result")

# The job under way and its items, inherited by the forked workers (set before the fork,
# cleared after).
_job: Callable[[Any], Any] | None = None
_items: Sequence[Any] = ()


def map_forked(job: Callable[[Item], Result], items: Sequence[Item], minimum: int,
               chunk: int = 64, warm: int = 1) -> list[Result]:
    """``[job(item) for item in items]``, on two processes when there are ``minimum`` items or
    more (see the module's docstring for when one process does it all).

    Args:
        job: a function of one item that depends on nothing a worker could change.
        items: the items, in the order of the results.
        minimum: the fewest items worth starting workers for.
        chunk: items per task (large enough that scheduling costs little, small enough that
            both workers finish together).
        warm: how many first items are done in this process before the fork, so whatever
            ``job`` loads on its first call (word lists) is loaded once and shared.

    Raises:
        Whatever ``job`` raises for one of the items, from this process.
    """
    if workers_for(len(items), minimum) < 2:
        return [job(item) for item in items]
    first = [job(item) for item in items[:warm]]
    rest = _in_pool(job, items[warm:], chunk)
    if rest is None:
        return [*first, *(job(item) for item in items[warm:])]
    return [*first, *rest]


def workers_for(count: int, minimum: int) -> int:
    """How many processes to do ``count`` items with (1: this one alone), at most two."""
    if count < minimum or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    if threading.active_count() > 1 or multiprocessing.current_process().daemon:
        return 1
    return min(usable_cores(), 2)


def _in_pool(job: Callable[[Item], Result], items: Sequence[Item], chunk: int
             ) -> list[Result] | None:
    """``job`` of each of ``items`` from two forked processes, in order; None when the pool
    failed in any way (the caller then does them in this process)."""
    global _job, _items
    bounds = [(i, min(i + chunk, len(items))) for i in range(0, len(items), chunk)]
    _job, _items = job, items
    gc.freeze()  # objects made so far are not touched by the workers' collector (copy on write)
    pool = None
    try:
        pool = ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork"),
                                   initializer=worker_start, initargs=(os.getpid(),))
        start_workers(pool)
        return [result for part in pool.map(_run_chunk, bounds) for result in part]
    except Exception:  # done again here, where any error is raised as it is
        return None
    finally:
        if pool is not None:  # on Ctrl-C too: the tasks not started are dropped
            pool.shutdown(wait=True, cancel_futures=True)
        gc.unfreeze()
        _job, _items = None, ()


def _run_chunk(bounds: tuple[int, int]) -> list[Any]:
    """In a worker: the inherited job of each inherited item from ``bounds[0]`` to
    ``bounds[1]`` (excluded)."""
    assert _job is not None  # set before the fork
    return [_job(item) for item in _items[bounds[0]:bounds[1]]]
