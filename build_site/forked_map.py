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

Checks that each need one such map can share one pool (:func:`run_together`): each is written
as a generator of :class:`Batch` requests (a step function, see :data:`Steps`) that receives
each batch's results and returns its value; :func:`run_steps` runs one alone, exactly as
:func:`map_forked` would. Run together, the checks' items are done by one pair of workers
forked once, so neither core waits while one check's last chunks finish before the next
check forks its own pair (a public build's checks before render: the detectors, the checks of
published text, the contrastive-comment and consent-statement refusals, issue 25).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Generator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from build_site.forked import start_workers, usable_cores, worker_start
from build_site.gc_stages import frozen_for_fork

Item = TypeVar("Item")
Result = TypeVar("Result")
Value = TypeVar("Value")

# A pool is never started for a batch of this many items or fewer on its own account
# (:func:`alone`): one item run beside a larger batch's chunks.
NEVER = 2**62

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
    rest = _in_pool(job, items[warm:], _bounds(len(items) - warm, chunk))
    if rest is None:
        return [*first, *(job(item) for item in items[warm:])]
    return [*first, *rest]


@dataclass(frozen=True)
class Batch(Generic[Item, Result]):
    """A request for ``[job(item) for item in items]`` (the arguments of :func:`map_forked`).

    ``minimum`` is the fewest items worth starting workers for this batch alone; a batch
    with ``minimum`` :data:`NEVER` (:func:`alone`) never starts a pool but is done by one when
    run with a batch that does.
    """

    job: Callable[[Item], Result]
    items: Sequence[Item]
    minimum: int
    chunk: int = 64
    warm: int = 1


# A check written to share a pool: yields the batches it needs one at a time, receives each
# batch's results (a list, in the order of its items), and returns its value.
Steps = Generator[Batch[Any, Any], list[Any], Value]


def value_of(value: Value) -> Steps[Value]:
    """A step function that needs no batch: its value is ``value``."""
    return value
    yield  # never reached: makes this a generator


def alone(work: Callable[[], Value]) -> Steps[Value]:
    """A step function of one batch of one item: ``work()``, run by a worker when a pool
    runs the other checks' batches, in this process otherwise (never a pool of its own)."""
    (value,) = yield Batch(lambda _: work(), [None], NEVER, 1, 0)
    return value  # type: ignore[no-any-return]


def run_steps(steps: Steps[Value]) -> Value:
    """The value of one step function, each of its batches done by :func:`map_forked`."""
    try:
        batch = next(steps)
        while True:
            batch = steps.send(map_forked(batch.job, batch.items, batch.minimum, batch.chunk,
                                          batch.warm))
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]


def run_together(*all_steps: Steps[Any]) -> list[Any]:
    """The values of several step functions, in their order, their batches of each round
    (the first of each, then the second...) done in one pool.

    The pool starts when one of the round's batches would start one alone
    (:func:`workers_for` with its own ``minimum``); each batch's ``warm`` first items are done
    in this process first, in order. Every batch gets exactly ``[job(item) for item in
    items]``: the values are those of :func:`run_steps` of each, one after another.

    Raises:
        Whatever a step function or a job raises, from this process: the step functions are
        advanced in order, and when the pool fails every batch is done again here in order,
        so the first error raised is the one running them one after another would raise
        (unless an earlier check raises only on the items a later batch's error stopped).
    """
    values: list[Any] = [None] * len(all_steps)
    pending: dict[int, Batch[Any, Any]] = {}
    for index in range(len(all_steps)):
        _advance(all_steps, index, None, pending, values)
    while pending:
        order = sorted(pending)
        results = _map_batches([pending[i] for i in order])
        pending = {}
        for index, result in zip(order, results, strict=True):
            _advance(all_steps, index, result, pending, values)
    return values


def _advance(all_steps: Sequence[Steps[Any]], index: int, result: list[Any] | None,
             pending: dict[int, Batch[Any, Any]], values: list[Any]) -> None:
    """Sends ``result`` (None: the first step) to step function ``index`` and records the
    batch it asks for next, or its value when it is done."""
    try:
        steps = all_steps[index]
        pending[index] = next(steps) if result is None else steps.send(result)
    except StopIteration as done:
        values[index] = done.value


def _map_batches(batches: list[Batch[Any, Any]]) -> list[list[Any]]:
    """Each batch's results, the batches done by one pool when one of them would start it."""
    if not any(workers_for(len(b.items), b.minimum) > 1 for b in batches):
        return [[b.job(item) for item in b.items] for b in batches]
    warm = [[b.job(item) for item in b.items[:b.warm]] for b in batches]
    # A lone item first: a worker starts on it while the other takes the first chunks.
    order = sorted(range(len(batches)), key=lambda k: batches[k].minimum != NEVER)
    pairs: list[tuple[int, Any]] = []
    bounds: list[tuple[int, int]] = []
    for k in order:
        items = batches[k].items[batches[k].warm:]
        bounds += [(len(pairs) + a, len(pairs) + b)
                   for a, b in _bounds(len(items), batches[k].chunk)]
        pairs += [(k, item) for item in items]
    jobs = [b.job for b in batches]
    rest = _in_pool(lambda pair: jobs[pair[0]](pair[1]), pairs, bounds)
    if rest is None:
        return [[*first, *(b.job(item) for item in b.items[b.warm:])]
                for first, b in zip(warm, batches, strict=True)]
    out = [list(first) for first in warm]
    for (k, _), result in zip(pairs, rest, strict=True):
        out[k].append(result)
    return out


def workers_for(count: int, minimum: int) -> int:
    """How many processes to do ``count`` items with (1: this one alone), at most two."""
    if count < minimum or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    if threading.active_count() > 1 or multiprocessing.current_process().daemon:
        return 1
    return min(usable_cores(), 2)


def _bounds(count: int, chunk: int) -> list[tuple[int, int]]:
    """The tasks of ``count`` items, ``chunk`` at a time: (first, last excluded)."""
    return [(i, min(i + chunk, count)) for i in range(0, count, chunk)]


def _in_pool(job: Callable[[Item], Result], items: Sequence[Item],
             bounds: list[tuple[int, int]]) -> list[Result] | None:
    """``job`` of each of ``items`` from two forked processes, in order, one task per
    ``bounds`` (consecutive, covering every item); None when the pool failed in any way (the
    caller then does them in this process)."""
    global _job, _items
    _job, _items = job, items
    pool = None
    # objects made so far are not touched by the workers' collector (copy on write)
    with frozen_for_fork():
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
            _job, _items = None, ()


def _run_chunk(bounds: tuple[int, int]) -> list[Any]:
    """In a worker: the inherited job of each inherited item from ``bounds[0]`` to
    ``bounds[1]`` (excluded)."""
    assert _job is not None  # set before the fork
    return [_job(item) for item in _items[bounds[0]:bounds[1]]]
