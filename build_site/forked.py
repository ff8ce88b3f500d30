"""What every process this tool forks to share a stage's work does first (the workers of
:mod:`build_site.forked_map`: the detectors and the checks of published text; the leak gate's
workers, :mod:`build_site.privacy.gate_pool`; the MkDocs half,
:mod:`build_site.engines.mkdocs_split`).

A forked process inherits the build's open files, the output's lock among them
(:mod:`build_site.outlock`: ``flock``, held while any copy of its descriptor is open). A
worker left waiting for tasks after the build's process was killed (``kill -9``, the
out-of-memory killer) would hold it for ever, and every later build of that output would
be refused as locked.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from concurrent.futures import Executor
from contextlib import contextmanager

PR_SET_PDEATHSIG = 1  # linux/prctl.h
_HELD = {signal.SIGINT, signal.SIGTERM}


def die_with_parent(parent: int) -> None:
    """Ask Linux to send this process SIGKILL when its parent (process ``parent``) ends, and
    end at once when it already has (nothing elsewhere: other systems have no such call)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the build ended before this process got here
        os._exit(1)


class Terminated(KeyboardInterrupt):
    """SIGTERM received while :func:`terminate_as_interrupt` was in force: raised as Ctrl-C
    is, so every clean-up path of an interrupted build runs (staging folder deleted, the
    output's lock released, forked processes stopped, the previous site left as it was)."""


def _raise_terminated(signum: int, frame: object) -> None:
    raise Terminated


@contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """While the block runs, SIGTERM (``kill``, ``timeout``, a CI runner or systemd stopping
    the command) raises :class:`Terminated` in this process instead of ending it at once with
    nothing cleaned up; the handler before is put back after. Outside the main thread, where
    Python cannot set a handler, the block runs as it is."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)


def worker_start(parent: int) -> None:
    """In a new pool worker of the build's process ``parent``: Ctrl-C (sent to the whole
    terminal's process group) is the build's own process's to handle, so a worker ignores it
    and is stopped by the pool's shutdown; SIGTERM ends a worker at once, as the system does
    by default (the build's process cleans up: :func:`terminate_as_interrupt`); and it ends
    when the build's process does; its cyclic collector is on."""
    from build_site.gc_stages import resume_collector

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):  # forked while held (held_interrupt): now as set
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD)
    resume_collector()  # the build's process may have paused it (gc_stages.py)
    die_with_parent(parent)


def usable_cores() -> int:
    """The cores this process may run on (its affinity on Linux, else every core)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def core_free() -> bool:
    """Whether a core is free for a second process: the load average of the last minute
    (processes running or waiting for a core) is under the number of usable cores. The load
    counts this build too, and the ones before it when builds run back to back: a loop of
    builds alone on a 2-core machine keeps it near 1.2 with a core free, and half a core of
    other work brings it to 1.7, where two processes still saved a quarter of the MkDocs
    stage (guide/performance.md); two busy processes of other sessions bring it over 2.
    False on one core, and where the system has no load average. For stages whose second
    process pays only when it runs beside this one (a small input: the fork and what the
    child repeats cost about what it saves, so on a busy machine it only adds CPU)."""
    cores = usable_cores()
    try:
        return cores > 1 and os.getloadavg()[0] < cores
    except (AttributeError, OSError):  # not a Unix, or no load average to read
        return False


@contextmanager
def held_interrupt() -> Iterator[None]:
    """Hold Ctrl-C (SIGINT) and SIGTERM back in this thread while the block runs, and deliver
    one sent meanwhile when it ends (as a KeyboardInterrupt, by Python's handler, or as
    :class:`Terminated`).

    For the forks of a pool: Python runs its at-fork handlers (logging's) in this process just
    after a fork, and a KeyboardInterrupt raised in one of them is printed and dropped, so the
    build would run on as if Ctrl-C had not been pressed. A child forked meanwhile starts
    with SIGINT held too (:func:`worker_start` ignores it, then lets it through). Where this
    thread's signal mask cannot be set (not POSIX), the block runs as it is."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def start_workers(pool: Executor) -> None:
    """Start the workers of a pool of forked processes now, with Ctrl-C held meanwhile
    (:func:`held_interrupt`): with the ``fork`` start method the first task submitted forks
    every worker, so a Ctrl-C pressed during the forks is delivered after them, not dropped."""
    with held_interrupt():
        pool.submit(os.getpid)
