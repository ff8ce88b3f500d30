"""A file's bytes replaced whole or not at all, with no file made or deleted per file (gate10).

The tidy stage's workers (:func:`build_site.html_whitespace.strip_page` with a scratch
folder, in the gate's pass, :mod:`build_site.tidy_gate`, or :func:`strip_site`'s pool) write
each page whole: a worker that dies must leave every page as the engine wrote it or stripped,
never half written, since the pool's fallback then reads the tree again. They used to write a
new temporary file per page and rename it over the page. On ext4 each of those costs a
new inode, which the allocator finds only after skipping every inode deleted in the last
seconds (``recently_deleted``, reading their inode table blocks: the rename over a page
deletes one a page, so the search grows with each page), and a rename over an existing file
starts the new file's write-back at once (``auto_da_alloc``). Profiled at 1,000 dyads
(``perf``, 1,266 pages on two workers): a quarter of the tidy work's samples in
``ext4_create``'s search, 0.25-0.6 CPU s of system time for the writes.

:func:`replace_whole` keeps one scratch file per process instead: the new bytes are written
over it (then cut to their length: no truncation to zero, so no early write-back), it is
given the page's permission bits, and the two names are exchanged in one step
(``renameat2(..., RENAME_EXCHANGE)``, Linux 3.15): the page's name then holds the new bytes,
and the scratch name the old ones, which the next page's bytes overwrite. The page holds its
old bytes or its new ones at every moment, as with a rename; no inode is made or freed. Where
the exchange fails (another system, an old kernel, a file system without it, or any other error)
the scratch file is renamed over the page, as before (which raises where the rename fails),
and a new one made for the next page.
"""

from __future__ import annotations

import ctypes
import errno
import os
import stat
from pathlib import Path
from typing import Any

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2  # linux/fs.h
_UNSUPPORTED = {errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV}
_FLAGS = os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)

_exchange_works: list[bool] = []  # [] untried, [False] once the exchange was refused
_scratch_file: dict[tuple[int, str], str] = {}  # (process id, scratch folder) -> its file
_names = [0]


_call: list[Any] = []  # libc's renameat2 (None where there is none), once looked up


def _renameat2() -> Any:
    """libc's ``renameat2``, or None where there is none."""
    if not _call:
        try:
            _call.append(ctypes.CDLL(None, use_errno=True).renameat2)
        except (OSError, AttributeError):
            _call.append(None)
    return _call[0]


def exchange(a: str, b: str) -> bool:
    """Swaps the files named ``a`` and ``b`` in one step; False, with nothing done, when it
    could not (the caller then renames as before, which raises its own error if there is
    one). Where the system or file system cannot exchange at all, no later call tries."""
    if _exchange_works == [False]:
        return False
    call = _renameat2()
    if call is None:
        _exchange_works[:] = [False]
        return False
    if call(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    if ctypes.get_errno() in _UNSUPPORTED:
        _exchange_works[:] = [False]
    return False


def _open_scratch(scratch: Path) -> tuple[str, int]:
    """This process's scratch file in ``scratch`` (made the first time, and again when the
    one it had cannot be opened for writing: a read-only page's old inode), open to write."""
    key = (os.getpid(), str(scratch))
    name = _scratch_file.get(key)
    if name is not None:
        try:
            return name, os.open(name, _FLAGS)
        except OSError:
            os.unlink(name)
    while True:
        _names[0] += 1
        name = os.path.join(scratch, f"{os.getpid()}-{_names[0]}")
        try:
            handle = os.open(name, _FLAGS | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        _scratch_file[key] = name
        return name, handle


def replace_whole(path: Path, data: bytes, scratch: Path) -> None:
    """Puts ``data`` in the file ``path`` whole or not at all, with ``path``'s permission
    bits (module docstring). ``scratch``: an existing folder on the same file system as
    ``path``, the caller's to remove afterwards with what it holds (a scratch file per
    process that wrote, holding the bytes of a page as they were). A page with another
    name (a hard link) is replaced by a rename, as before: the other name keeps the old
    bytes, and its inode is not taken as a scratch file.

    Raises:
        OSError: ``path`` cannot be read for its mode, or the scratch file cannot be made,
            written, or exchanged and then renamed: ``path`` is then as it was.
    """
    info = os.stat(path)
    name, handle = _open_scratch(scratch)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(handle, view):]
        os.ftruncate(handle, len(data))
        os.fchmod(handle, stat.S_IMODE(info.st_mode))  # the page's own mode
    finally:
        os.close(handle)
    # a page with another name keeps its old bytes there: its inode is not reused
    if info.st_nlink > 1 or not exchange(name, str(path)):
        del _scratch_file[(os.getpid(), str(scratch))]
        os.replace(name, path)
