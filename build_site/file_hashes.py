"""The SHA-256 of many files, and the listing of a tree, for the records a build keeps
(issue 25, serial9).

A build hashes whole trees in this process, alone, while the machine's second core idles:
after the publish, every file of the output (``reuse._manifest``: 1,292 files, 97 MB at
1,000 dyads) for the publish record; and at its start and end every file of the study folder
(:mod:`build_site.noop`: small files, listed here but hashed on one thread, see
:func:`sha256_files`). Reading a file and hashing it both let go of Python's global lock
(``hashlib`` drops it for data of 2 KB and more, ``read`` for the system call), so two threads
hash large files about twice as fast as one, with nothing to fork or copy.
:func:`sha256_files` reads the files on two threads when there are enough of them and a
second core; each digest comes back in its file's place, so the result does not depend on
which thread read what, and an error is the one a loop in order would have raised first.

:func:`tree_entries` lists a tree as ``sorted(root.rglob("*"))`` lists it (same entries, same
order), from one ``os.scandir`` a folder instead of a ``Path`` and four status calls an entry.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from build_site.forked import usable_cores

THREADED_MIN = 64
"""The fewest files worth a second thread (about 0.1 ms to start and join one)."""

Kind = Literal["file", "folder", "link", "other"]


@dataclass(frozen=True)
class Entry:
    """One path under a listed root: ``parts`` (relative, one name a level), ``kind``
    ("link" for a symbolic link whatever it points to; "other" for what is neither a regular
    file nor a folder) and ``path`` (the full path, for reading)."""

    parts: tuple[str, ...]
    kind: Kind
    path: str

    @property
    def rel(self) -> str:
        """The relative path with ``/`` (``Path.relative_to(root).as_posix()``)."""
        return "/".join(self.parts)


def tree_entries(root: Path) -> list[Entry]:
    """Every path under ``root`` (not ``root`` itself), in the order of
    ``sorted(root.rglob("*"))``, which compares paths part by part: a folder's contents
    follow it (``a/b`` before ``a-b``). Like ``rglob``, it does not walk into a symbolic link
    to a folder, and a folder it may not list (``PermissionError``) is listed without
    contents. Nothing when ``root`` is not a folder.

    Raises:
        OSError: a folder cannot be listed for another reason (as ``rglob`` raises it).
    """
    found: list[Entry] = []
    if root.is_dir():
        _walk(str(root), (), found)
    found.sort(key=lambda entry: entry.parts)
    return found


def _walk(folder: str, prefix: tuple[str, ...], found: list[Entry]) -> None:
    try:
        with os.scandir(folder) as listing:
            entries = list(listing)
    except PermissionError:  # rglob's own rule: an unreadable folder shows nothing
        return
    for entry in entries:
        parts = (*prefix, entry.name)
        kind: Kind
        if entry.is_symlink():
            kind = "link"
        elif entry.is_dir(follow_symlinks=False):
            kind = "folder"
        elif entry.is_file(follow_symlinks=False):
            kind = "file"
        else:
            kind = "other"
        found.append(Entry(parts, kind, entry.path))
        if kind == "folder":
            _walk(entry.path, parts, found)


def sha256_files(paths: Sequence[str | Path], threaded: bool = True) -> list[bytes]:
    """The SHA-256 of each file's bytes, in the order of ``paths``: on two threads when
    ``threaded``, there are :data:`THREADED_MIN` files or more and two usable cores, else in
    this thread. Two threads pay for files of tens of kilobytes (the published pages: 97 MB
    in 1,292 files at 1,000 dyads, 0.105 -> 0.056 s); for files of a few kilobytes (a study
    folder's: 9.2 MB in 1,222 files) opening and reading each one holds the global lock for
    most of its time and a second thread only adds switching (0.022 -> 0.034 s).

    Ctrl-C or SIGTERM (raised in this thread) stops the other thread after the file it is
    reading, and is raised once it has stopped: no thread outlives the call.

    Raises:
        OSError: a file cannot be read: the error of the first such file in ``paths``.
    """
    if not threaded or len(paths) < THREADED_MIN or usable_cores() < 2:
        return [_sha256(path) for path in paths]
    results: list[bytes | Exception | None] = [None] * len(paths)
    stop = threading.Event()

    def run(first: int) -> None:
        for index in range(first, len(paths), 2):
            if stop.is_set():
                return
            try:
                results[index] = _sha256(paths[index])
            except Exception as exc:  # kept in its place, raised below in order
                results[index] = exc

    helper = threading.Thread(target=run, args=(1,), name="sha256-files", daemon=True)
    helper.start()
    try:
        run(0)
        helper.join()
    finally:
        stop.set()
        helper.join()
    digests: list[bytes] = []
    for result in results:
        if isinstance(result, Exception):
            raise result
        assert result is not None  # both threads ran to the end
        digests.append(result)
    return digests


def _sha256(path: str | Path) -> bytes:
    with open(path, "rb") as file:
        return hashlib.sha256(file.read()).digest()
