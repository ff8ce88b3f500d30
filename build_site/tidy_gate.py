"""The tidy stage and the leak gate in one pass over a fully built site (issue 25, fuse8).

A full build used to strip each page's invisible indentation
(:func:`build_site.html_whitespace.strip_site`: read, decode, strip, write) and then have the
gate read every file again (:func:`build_site.privacy.gate.scan_tree`, with the external-load
check's :class:`~build_site.offline.LoadCollector` in its pass), each pass starting its own
worker processes. :func:`tidy_and_scan` does both in the gate's pass: whichever process reads
a file first hands it to :class:`PageTidy`, which strips a page that ``strip_site`` would strip
(:func:`~build_site.html_whitespace.site_pages`, with the site's keep rules computed here,
before any fork) and writes it as ``strip_site``'s workers do (whole: a scratch file exchanged
with the page, :func:`~build_site.whole_write.replace_whole`), and gives back the bytes the
page now holds; the gate and the load collector read those bytes (and the text written, which
the gate then does not decode again).

Why the gate reads exactly what is published: each page is written once, by the process that
then reads it, before it reads it, and nothing writes a page after the gate (the build then
only publishes the folder); a page ``strip_site`` would leave alone (not UTF-8, a symbolic link,
already stripped) is read as it is on disk. Each file's result still depends on that file
alone, so the leaks, their order and the refusals are those of one process
(:mod:`build_site.privacy.gate_pool`), and of the two passes (``tests/test_tidy_gate.py``).

The two passes run as before, in this process and the same order, whenever the fused one
cannot promise that:

- the external-load visitor cannot be split over processes (the fused pass reads into a part
  of it, joined only when the pass is done);
- a page ``strip_site`` would read is not a regular file (it raises there), or the tree holds
  a symbolic link or a page with another name (a hard link): a file read through one could be
  read before or after the page it shares bytes with is stripped (an engine writes neither);
- anything raises ``OSError`` in the fused pass (a page or file that cannot be read or
  written): ``strip_site`` then runs again (it leaves a page already stripped as it is) and
  raises its error, with its file, or the gate does, as they did.

A worker that dies makes the gate's pool read the tree again in this process, through
:class:`PageTidy` again: a page stripped already is left as it is, so the result is the same.
"""

from __future__ import annotations

import os
import secrets
import shutil
import stat
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from build_site.errors import PrivacyError
from build_site.html_whitespace import KeepRules, site_pages, site_rules, strip_site, tidy_page
from build_site.privacy import gate_pool
from build_site.privacy.gate import FileVisitor, Leak, scan_tree
from build_site.privacy.gate_files import decode_utf8_text
from build_site.study import Identifier

last_tidy_cpu: float | None = None
"""Processor seconds tidy took inside the last fused pass of this process, summed over the
processes that read the files the pass kept (None before one): ``bench/bench.py`` splits
the ``tidy+gate`` stage's clock with it."""

# This process's tidy time not yet taken by a _Clocked visitor.
_spent = [0.0]


class _Clocked:
    """The gate's ``also`` visitor of the fused pass: hands each file to ``inner`` (the
    caller's external-load visitor's part, or None) and takes the tidy time spent on it.
    Splittable as the gate's pool asks (:class:`~build_site.privacy.gate_pool.Splittable`):
    each worker's part carries the tidy time of its run back with the loads it found."""

    def __init__(self, inner: gate_pool.Splittable | None) -> None:
        self.inner = inner
        self.cpu = 0.0

    def __call__(self, rel: str, data: bytes, decoded: list[str] | None) -> None:
        self.cpu += _spent[0]
        _spent[0] = 0.0
        if self.inner is not None:
            self.inner(rel, data, decoded)

    def part(self) -> _Clocked:
        return _Clocked(self.inner.part() if self.inner is not None else None)

    def join(self, parts: Sequence[gate_pool.Splittable]) -> None:
        own = [part for part in parts if isinstance(part, _Clocked)]
        if self.inner is not None:
            self.inner.join([part.inner for part in own if part.inner is not None])
        self.cpu += sum(part.cpu for part in own)


class PageTidy:
    """The tidy stage as the gate's ``rewrite`` (:class:`~build_site.privacy.gate.FileScanner`):
    called with a file's path and bytes, returns the bytes it holds afterwards (and the text
    written, as the gate reads it). A page is
    written as :func:`~build_site.html_whitespace.strip_site` writes it: in place in this
    process, whole through a scratch file in a worker (a worker that dies leaves each
    page as the engine wrote it or stripped, never half written).

    Args:
        rules: the site's keep rules (usable).
        pages: the pages to strip (:func:`~build_site.html_whitespace.site_pages`).
        scratch: a folder inside the site that does not exist yet: made (by whichever process
            writes first) only once the gate has listed the tree, so the gate never lists it;
            the caller removes it.

    The processor time it takes is added to this process's ``_spent``, which the next
    :class:`_Clocked` visitor called (the gate calls it with the same file, next) takes.
    """

    def __init__(self, rules: KeepRules, pages: Iterable[Path], scratch: Path) -> None:
        self.rules = rules
        self.pages = frozenset(pages)
        self.scratch = scratch
        self.parent = os.getpid()
        rules.patterns()  # compiled once, before any fork

    def __call__(self, path: Path, data: bytes) -> tuple[bytes, list[str] | None]:
        """The bytes of ``path`` once stripped (``data`` when it is not a page to strip),
        and, for a page rewritten, its text as the gate decodes those bytes
        (:func:`~build_site.privacy.gate_files.decode_utf8_text` of the text written: the
        page is not decoded a second time; else None).

        Raises:
            OSError: the page cannot be written.
        """
        if path not in self.pages:
            return data, None
        start = time.process_time()
        if os.getpid() == self.parent:  # as strip_site in one process: in place
            tidied = tidy_page(path, data, self.rules, None)
        else:
            self.scratch.mkdir(mode=0o700, exist_ok=True)  # a worker: whole or not at all
            tidied = tidy_page(path, data, self.rules, self.scratch)
        _spent[0] += time.process_time() - start
        return tidied.data, None if tidied.text is None else decode_utf8_text(tidied.text)


def tidy_and_scan(site: Path, identifiers: list[Identifier], reviewed: Iterable[str] = (),
                  also: FileVisitor | None = None) -> list[Leak]:
    """``strip_site(site)`` then ``scan_tree(site, identifiers, reviewed, also)``, in one pass
    when it can (module docstring): same files written, same leaks in the same order, same
    errors, ``also`` holding the same.

    Raises:
        PrivacyError: as :func:`~build_site.privacy.gate.scan_tree`.
        OSError: a page cannot be read or written, as ``strip_site`` raises it; a file cannot
            be read, as ``scan_tree`` does; the scratch folder cannot be removed (each
            worker's scratch file holds a page's bytes as the engine wrote them, which the
            gate did not read: :mod:`build_site.whole_write`).
    """
    rules = site_rules(site)
    if not rules.usable:  # strip_site strips nothing
        return scan_tree(site, identifiers, reviewed, also)
    pages = site_pages(site)
    splittable = also is None or isinstance(also, gate_pool.Splittable)
    if not splittable or not _plain(site, pages):
        return _two_passes(site, identifiers, reviewed, also)
    global last_tidy_cpu
    part = also.part() if isinstance(also, gate_pool.Splittable) else None
    scratch = _new_scratch(site)
    clocked = _Clocked(part)
    _spent[0] = 0.0
    try:
        leaks = scan_tree(site, identifiers, reviewed, clocked,
                          PageTidy(rules, pages, scratch))
    except OSError:
        shutil.rmtree(scratch, ignore_errors=True)
        return _two_passes(site, identifiers, reviewed, also)
    except PrivacyError:  # every file was read: ``also`` holds what it read, as in two passes
        _join(also, part)
        raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        last_tidy_cpu = clocked.cpu
    if os.path.lexists(scratch):  # it holds the workers' scratch files, which the gate
        shutil.rmtree(scratch)  # never read: never published (raises, naming what stays)
    _join(also, part)
    return leaks


def _join(also: FileVisitor | None, part: FileVisitor | None) -> None:
    if isinstance(also, gate_pool.Splittable) and isinstance(part, gate_pool.Splittable):
        also.join([part])


def _plain(site: Path, pages: list[Path]) -> bool:
    """Whether every one of ``pages`` is a regular file of one name and nothing under
    ``site`` is a symbolic link (about 3 ms for the 1,305 files of 1,000 dyads)."""
    for folder, dirs, files in os.walk(site):
        for name in (*dirs, *files):
            if os.path.islink(os.path.join(folder, name)):
                return False
    for page in pages:
        info = page.lstat()
        if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:
            return False
    return True


def _two_passes(site: Path, identifiers: list[Identifier], reviewed: Iterable[str],
                also: FileVisitor | None) -> list[Leak]:
    strip_site(site)
    return scan_tree(site, identifiers, reviewed, also)


def _new_scratch(site: Path) -> Path:
    """A name for a scratch folder in ``site`` that is not taken (not made here)."""
    while True:
        scratch = site / f".tidy-{secrets.token_hex(8)}"
        if not scratch.exists():
            return scratch
