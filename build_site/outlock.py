"""One build per output at a time.

:func:`output_lock` holds a lock file beside the output (``.<name>.lock``) for the whole build:
build directory, staging folder, swap and reuse record. The lock is ``flock``'s, so the
operating system releases it when the holder dies, however it dies; a second build waits,
saying so, for a bounded time and then refuses. :func:`guarded_output` adds what must happen
first under the lock: the output is checked and an interrupted build's old copy restored
(:func:`build_site.publish.recover`).
"""

from __future__ import annotations

import fcntl
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from build_site.errors import UsageError
from build_site.publish import check_output, recover

LOCK_WAIT_SECONDS = 600.0
"""How long a build waits for another build of the same output before it gives up (exit 2)."""
_LOCK_POLL = 0.1

Notify = Callable[[str], None]


def _to_stderr(message: str) -> None:
    print(f"note: {message}", file=sys.stderr, flush=True)


def lock_path(out: Path) -> Path:
    """The lock file of output ``out``: ``.<name>.lock`` beside it."""
    return out.parent / f".{out.name}.lock"


@contextmanager
def output_lock(out: Path, notify: Notify = _to_stderr,
                wait: float | None = None) -> Iterator[None]:
    """Hold the lock of output ``out`` (exclusive across processes) for the ``with`` body.

    A second holder waits, saying so through ``notify``, at most ``wait`` seconds (default
    :data:`LOCK_WAIT_SECONDS`). The lock file is removed on release; a holder checks after
    locking that the file it locked is still the one at the path, so removal cannot let two
    holders in.

    Raises:
        UsageError: the lock file cannot be created, or another process held the lock for
            longer than ``wait`` (exit 2; nothing was changed).
    """
    path = lock_path(out)
    limit = LOCK_WAIT_SECONDS if wait is None else wait
    deadline = time.monotonic() + limit
    told = False
    while True:
        fd = _open_lock(path, out)
        if _try_lock(fd, path):
            break
        holder = _holder(fd)
        os.close(fd)
        if time.monotonic() >= deadline:
            raise UsageError(
                f"another build-site process{holder} is still writing this output "
                f"after {limit:.0f} s",
                "wait for it to finish, or build into another folder with --out "
                "(nothing was changed)", out)
        if not told:
            notify(f"another build-site process{holder} is writing {out}; waiting up to "
                   f"{limit:.0f} s for it to finish")
            told = True
        time.sleep(_LOCK_POLL)
    try:
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        path.unlink(missing_ok=True)  # while still locked: see the docstring
        os.close(fd)


def _open_lock(path: Path, out: Path) -> int:
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise UsageError(f"cannot create the lock file {path.name} beside the output: "
                         f"{exc.strerror}", "choose a location you can write to", out) from None


def _try_lock(fd: int, path: Path) -> bool:
    """Lock ``fd`` without blocking; True only if it is locked and still the file at
    ``path`` (an earlier holder may have removed it meanwhile)."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    try:
        current = path.stat()
    except FileNotFoundError:
        return False
    return os.path.samestat(os.fstat(fd), current)


def _holder(fd: int) -> str:
    try:
        pid = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return ""
    return f" (pid {pid})" if pid.isdigit() else ""


@contextmanager
def guarded_output(out: Path, study_dir: Path, notify: Notify = _to_stderr) -> Iterator[Path]:
    """Check ``out`` (:func:`check_output`), hold its lock (:func:`output_lock`) and restore
    an interrupted build's old copy (:func:`recover`, said through ``notify``) before the
    ``with`` body runs.

    Yields:
        The resolved output path.

    Raises:
        UsageError: as :func:`check_output`, :func:`output_lock` and :func:`recover` do.
    """
    resolved = check_output(out, study_dir)
    with output_lock(resolved, notify):
        restored = recover(resolved)
        if restored:
            notify(restored)
        yield resolved
