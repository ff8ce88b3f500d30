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
from collections.abc import Iterator
from contextlib import contextmanager

PR_SET_PDEATHSIG = 1  # linux/prctl.h


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


def worker_start(parent: int) -> None:
    """In a new pool worker of the build's process ``parent``: Ctrl-C (sent to the whole
    terminal's process group) is the build's own process's to handle, so a worker ignores it
    and is stopped by the pool's shutdown; and it ends when the build's process does."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):  # forked while held (held_interrupt): now ignored
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    die_with_parent(parent)


def usable_cores() -> int:
    """The cores this process may run on (its affinity on Linux, else every core)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


@contextmanager
def held_interrupt() -> Iterator[None]:
    """Hold Ctrl-C (SIGINT) back in this thread while the block runs, and deliver one pressed
    meanwhile when it ends (as a KeyboardInterrupt, by Python's handler).

    For the forks of a pool: Python runs its at-fork handlers (logging's) in this process just
    after a fork, and a KeyboardInterrupt raised in one of them is printed and dropped, so the
    build would run on as if Ctrl-C had not been pressed. A child forked meanwhile starts
    with SIGINT held too (:func:`worker_start` ignores it, then lets it through). Where this
    thread's signal mask cannot be set (not POSIX), the block runs as it is."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)
