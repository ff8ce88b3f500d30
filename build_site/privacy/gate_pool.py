"""The leak gate on every core: the files of a large tree read by worker processes.

:func:`scan_pooled` cuts the tree's files (in path order) into runs of about
:data:`CHUNK_BYTES` and hands them, the largest first (:func:`largest_first`), to forked
worker processes, one fewer than the usable cores, while this process reads runs too, from
the smallest back, each one no worker has started yet (:func:`_take_from_end`; it saves a
fork, its start and its copied memory: about 0.06 CPU s at 1,000 dyads); the results are
put back in path order. A fork
inherits the built matcher and the theme's hashes (made here first,
:func:`~build_site.privacy.theme_files.warm_theme_hashes`): nothing is pickled but each run's index
and its results. Each file's result (the
entries found, in the order found, and whether the gate could not read it) depends on that
file alone: what a worker remembers between files (``_QuickScan``'s tags read clean) changes
how much it reads, never the verdict. So the leaks, their order and the refusals are those
of one process (``tests/test_gate_pool.py`` compares them).

A worker ignores Ctrl-C (this process handles it and shuts the pool down, dropping the runs
no worker has started, so the build stops after at most a run per worker) and ends when
this process does (:mod:`build_site.forked`: it would otherwise hold the output's lock).

A scanner's ``rewrite`` (tidy riding in the gate's pass on a full build,
:mod:`build_site.tidy_gate`) runs on each file in whichever process reads it, just before
it is read; the tree's size, for the threshold below, is counted before.

The external-load check read in the gate's pass (``also``) is split the same way: each run
gets its own empty copy (:class:`Splittable`), joined in path order afterwards.

One process reads the tree, and :func:`scan_pooled` returns None, when:

- the tree holds less than :data:`MIN_POOL_BYTES`, 8 MB (the bundled study, 3.9 MB, and
  23 dyads, 3.7 MB: there two workers cost about 0.04 s more than they save; at 80 dyads,
  11 MB, they took the gate with the external-load check from 0.31 to 0.19 s wall, at 230
  dyads, 29 MB, from 0.90 to 0.51 s, for 0.05-0.08 CPU s more; ``guide/performance.md``,
  fuse8: re-measured with the external-load check in the pass, after gate6 and gate7);
- this process may use only one core, or runs other threads (a fork copies one thread of a
  process: a lock another thread held would never be released in the child), or the system
  cannot fork;
- ``also`` is a visitor that cannot be split;
- anything goes wrong in a worker or in handing results back (a process killed, a result
  that cannot be pickled, a file that cannot be read): the caller then reads the whole tree
  in one process, so every error is raised as one process raises it, with the same file.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from build_site.forked import start_workers, usable_cores, worker_start
from build_site.privacy.gate_files import Unreadable
from build_site.privacy.theme_files import warm_theme_hashes

if TYPE_CHECKING:
    from build_site.privacy.gate import FileScanner, FileVisitor
    from build_site.study import Identifier

MIN_POOL_BYTES = 8_000_000
CHUNK_BYTES = 1_000_000
PARENT_READS = False
"""True: this process reads runs too, beside one worker fewer (:func:`_take_from_end`);
False: it only waits for the workers. Off: with the external-load check in the pass, as every
build runs it (:class:`build_site.offline.LoadCollector`), the scan of the 98.7 MB 1,000-dyad
site took 2.37-3.01 s wall with this process reading and 1.70 s without (2 cores, load 1.1;
``bench/gate_rate.py --loads``): the pool's feeding thread waits for the interpreter while this
process reads, and the worker for its next run. The gate alone gains nothing either way
(0.856 and 0.867 s)."""

# One file's result: the entries found, and the file when the gate cannot read it.
FileResult = tuple["list[Identifier]", "Unreadable | None"]
# As sent back by a worker: indices into the identifier list, and (where, kind, digest).
_SentResult = tuple[list[int], "tuple[str, str, str] | None"]


@runtime_checkable
class Splittable(Protocol):
    """A file visitor (``also`` of :func:`~build_site.privacy.gate.scan_tree`) that can be
    split over processes: each run of files is visited by an empty :meth:`part`, and the
    parts, in path order, are then :meth:`join`-ed into the visitor, which must then hold
    what visiting every file in path order would."""

    def __call__(self, rel: str, data: bytes, decoded: list[str] | None) -> None: ...

    def part(self) -> Splittable: ...

    def join(self, parts: Sequence[Splittable]) -> None: ...


# A run's outcome: each file's result as sent back, and the part of ``also`` that read them.
_Outcome = tuple[list[_SentResult], "Splittable | None"]

# What the forked workers read: set in this process just before the fork, cleared after.
_WORK: tuple[Path, list[Path], list[tuple[int, int]], FileScanner,
             Splittable | None] | None = None


def chunks(sizes: list[int], chunk_bytes: int) -> list[tuple[int, int]]:
    """Runs ``(start, end)`` of consecutive indices of ``sizes`` covering every index in
    order, each holding about ``chunk_bytes`` (at least one file)."""
    runs: list[tuple[int, int]] = []
    start, held = 0, 0
    for index, size in enumerate(sizes):
        held += size
        if held >= chunk_bytes:
            runs.append((start, index + 1))
            start, held = index + 1, 0
    if start < len(sizes):
        runs.append((start, len(sizes)))
    return runs


def largest_first(sizes: list[int], runs: list[tuple[int, int]]) -> list[int]:
    """The indices of ``runs`` (of files of ``sizes``) by bytes held, the largest first
    (ties in path order): handed out in that order, a large file (the search index, 9 MB
    at 1,000 dyads, sorts near the end of the paths) is not read by one worker while the
    other has nothing left to do."""
    held = [sum(sizes[start:end]) for start, end in runs]
    return sorted(range(len(runs)), key=lambda index: -held[index])


def _run(index: int) -> _Outcome:
    """Read run ``index`` of the files (in a worker): each file's
    result, as sent back, and the part of ``also`` that visited them."""
    assert _WORK is not None
    root, paths, runs, scanner, also = _WORK
    part = also.part() if also is not None else None
    where = {id(ident): k for k, ident in enumerate(scanner.identifiers)}
    start, end = runs[index]
    results: list[_SentResult] = []
    for path in paths[start:end]:
        found, bad = scanner.scan(root, path, part)
        results.append(([where[id(ident)] for ident in found],
                        None if bad is None else (bad.where, bad.kind, bad.digest)))
    return results, part


def _received(scanner: FileScanner, sent: list[_SentResult]) -> list[FileResult]:
    """Results as sent back, with the entries and the unreadable files they name."""
    return [([scanner.identifiers[k] for k in found],
             None if bad is None else Unreadable(*bad)) for found, bad in sent]


def _take_from_end(order: list[int], futures: dict[int, Future[_Outcome]]
                   ) -> dict[int, _Outcome]:
    """Runs of ``order`` (handed to the workers in that order, ``futures``) read by this
    process instead, from the last (the smallest) back, each taken only while no worker has
    started it (:meth:`Future.cancel` succeeds: the pool then never hands it out); stops at
    the first a worker holds, as the workers take runs in order. Returns each run taken and
    its outcome, as :func:`_run` gives it in a worker."""
    taken: dict[int, _Outcome] = {}
    for index in reversed(order):
        if not futures[index].cancel():
            break
        taken[index] = _run(index)
    return taken


def pool_pays(total_bytes: int, also: FileVisitor | None) -> bool:
    """Whether to read a tree of ``total_bytes`` with several processes (module docstring)."""
    return (total_bytes >= MIN_POOL_BYTES and usable_cores() > 1
            and threading.active_count() == 1
            and "fork" in multiprocessing.get_all_start_methods()
            and (also is None or isinstance(also, Splittable)))


def scan_pooled(root: Path, paths: list[Path], scanner: FileScanner,
                also: FileVisitor | None, *, force: bool = False) -> list[FileResult] | None:
    """Each of ``paths`` (under ``root``, in path order) read by ``scanner`` with ``also``,
    by this process and one forked worker per other usable core (with
    :data:`PARENT_READS`; else one worker per core, at least two); None when one process
    should read them instead (module docstring).

    Args:
        force: use workers whatever the size of the tree and the cores (tests).

    Returns:
        One result per path, in the order of ``paths``; ``also`` (when splittable) then holds
        what visiting every file in order would.
    """
    global _WORK
    sizes = [p.stat().st_size if p.is_file() else 0 for p in paths]
    if not (force or pool_pays(sum(sizes), also)):
        return None
    if also is not None and not isinstance(also, Splittable):
        return None
    if scanner.identifiers:  # the theme's files are looked up only to read a file
        warm_theme_hashes(sizes)  # once here, inherited by every worker
    runs = chunks(sizes, CHUNK_BYTES)
    splittable = also if isinstance(also, Splittable) else None
    _WORK = (root, paths, runs, scanner, splittable)
    try:
        context = multiprocessing.get_context("fork")
        workers = max(1, usable_cores() - 1) if PARENT_READS else max(2, usable_cores())
        pool = ProcessPoolExecutor(workers, mp_context=context,
                                   initializer=worker_start, initargs=(os.getpid(),))
        try:
            start_workers(pool)
            order = largest_first(sizes, runs)
            futures = {index: pool.submit(_run, index) for index in order}
            done = _take_from_end(order, futures) if PARENT_READS else {}
            done.update((index, futures[index].result()) for index in order
                        if index not in done)
        finally:  # on Ctrl-C or SIGTERM too: the runs no worker has started are dropped
            pool.shutdown(wait=True, cancel_futures=True)
        outcomes = [done[index] for index in range(len(runs))]
    except Exception:  # read again in one process, which raises as it does
        return None
    finally:
        _WORK = None
    if splittable is not None:
        splittable.join([part for _, part in outcomes if part is not None])
    return [result for sent, _ in outcomes for result in _received(scanner, sent)]
