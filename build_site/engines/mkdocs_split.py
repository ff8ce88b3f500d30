"""The MkDocs build on two cores: this process renders the first run of pages, a forked
child the rest, and the two outputs are put together into the very bytes one process writes.

MkDocs 1.6 renders page after page in one process; at 1,000 dyads that is half a minute, and
about 40 % of it is Material's search plugin parsing each page's HTML. Both processes run the
same configuration as a dirty build (:mod:`build_site.engines.mkdocs_dirty`) in which only
their pages count as modified:

- the pages, in the order MkDocs builds them, are dealt out alternately (:func:`_halves`),
  the same way in both processes from the same files, so the split is deterministic;
- this process writes its pages, every asset, the 404 page and the sitemap into the site
  folder; the child writes its pages into a hidden folder inside it (``.half-pages``);
- both read the front matter of the pages they do not render, so the navigation each page
  shows (titles from the navigation, Material's ``icon``/``status``/``subtitle`` from
  ``meta``) is the full build's; a split is tried only when every page in the navigation has
  its title there (else a page's title would come from its rendered heading, which only one
  of the processes has);
- the child's pages move into the site folder; its 404 page, sitemap and any other file
  both wrote must be byte for byte this process's (a check that both saw the same site:
  else :class:`Fallback`, and the caller builds in one process); the search indexes are
  joined page by page in build order, the order of one build (Material indexes each page as
  it is built).

A half that fails (a warning in strict mode, or any error) makes the whole site be built
again in one process (:class:`Fallback`), which then reports it: MkDocs' warnings in the
order of one build (each half lists only its own pages' warnings, the child's after this
process's) and an error with the file and line that raised it (an exception that crossed the
pipe has lost its traceback), the one met first in build order when both halves raise. A
failed build costs a second run; a build that passes, none.
The site folder of a failed split is unfinished and is emptied by that run (the pipeline
swaps the published site only after the gate). One process is used below
:data:`MIN_PAGES` pages unless a core is free (from :data:`MIN_PAGES_CORE_FREE` pages on),
on one processor, where ``os.fork`` is missing or fails, when this
process runs threads other than daemon ones, with a plugin not known to split
(:data:`SPLIT_SAFE_PLUGINS`), for ``serve``'s incremental rebuilds and when
anchor links are validated as warnings (each process would only see its own pages' anchors).
"""

from __future__ import annotations

import logging
import os
import pickle
import shutil
import signal
import sys
import threading
from pathlib import Path
from typing import Any

import build_site.engines.mkdocs_dirty as mkdocs_dirty
from build_site.engines.mkdocs_dirty import Fallback, OnlyThesePages
from build_site.forked import core_free, die_with_parent, held_interrupt, usable_cores
from build_site.gc_stages import freeze_for_fork, thaw_after_fork
from build_site.render.fragments import PLUGIN_NAME as DIAGRAMS
from build_site.render.theme_text import PLUGIN_NAME as THEME_TEXT

MIN_PAGES = 100  # below this, forking costs more than it saves on a busy machine
MIN_PAGES_CORE_FREE = 40
"""From this many pages (and below :data:`MIN_PAGES`) the build splits when a core is free
(:func:`~build_site.forked.core_free`): then two processes save about 0.2 s at 42 pages and
0.4 s at 71, the bundled study (guide/performance.md, "MkDocs on two cores" and "The bundled
study under 3 s"); while other work keeps both cores busy they only add the fork's CPU."""
SPLIT_SAFE_PLUGINS = frozenset({
    "search", "material/search", "offline", "material/offline",
    DIAGRAMS, THEME_TEXT, mkdocs_dirty.PLUGIN_NAME})
"""The plugins known to give, in two processes, the bytes of one (their state is each page's
own, or checked by :func:`_put_together`). Any other is not split: Material's ``tags``
collects every page's tags as it renders it (each half's listing would show only its own
pages), its ``blog`` keeps generated pages in a temporary folder both processes would share
and each remove."""
HALF_DIR = ".half-pages"
JOINED = {mkdocs_dirty.SEARCH_INDEX.as_posix(), mkdocs_dirty.SEARCH_SCRIPT.as_posix()}


def _halves() -> tuple[mkdocs_dirty.Chooser, mkdocs_dirty.Chooser]:
    """Every other page, in build order: this process the first, third...; the child the
    second, fourth... Neighbouring pages are alike (a folder's pages are built together), so
    the two halves cost about the same whatever the study's pages weigh."""
    return (lambda order: set(order[0::2])), (lambda order: set(order[1::2]))


def can_split(cfg: Any, docs_dir: Path, nav: list[Any]) -> bool:
    """Whether the build of ``cfg`` (pages in ``docs_dir``, navigation ``nav``) is worth and
    safe to run in two processes (module docstring)."""
    if not hasattr(os, "fork") or _other_threads() or not _titled(nav):
        return False
    if any(name not in SPLIT_SAFE_PLUGINS for name in cfg.plugins):
        return False
    if usable_cores() < 2:
        return False
    if cfg.validation.links.anchors >= logging.WARNING:
        return False
    pages = sum(1 for _ in docs_dir.rglob("*.md"))
    return pages >= MIN_PAGES or (pages >= MIN_PAGES_CORE_FREE and core_free())


def _other_threads() -> bool:
    """Whether threads other than this one and daemon threads run: a daemon thread (the
    progress display's refresh, ``serve``'s HTTP server) is never joined and the child never
    touches what it uses (the child writes through stdout and stderr objects of its own), but
    a worker thread may hold a lock the child would need."""
    current = threading.current_thread()
    return any(t is not current and not t.daemon for t in threading.enumerate())


def _titled(nav: Any) -> bool:
    """Whether every page of the navigation ``nav`` (``mkdocs.yml``'s form) has a title."""
    if isinstance(nav, list):
        return all(_titled(item) for item in nav)
    if isinstance(nav, dict):
        return all(_titled(value) if isinstance(value, list) else isinstance(value, str)
                   for value in nav.values())
    return False  # a bare path: MkDocs takes the title from the page


def build_in_two(cfg: Any, messages: list[str]) -> None:
    """Build the site of ``cfg`` into ``cfg.site_dir`` in two processes (module docstring);
    ``messages`` is the list that collects MkDocs' warnings.

    Raises:
        Fallback: a process could not be started, either half failed (MkDocs refused it, or
            anything else raised in the child), or the halves do not fit together: build in
            one process instead, which reports any failure as one build does; nothing in the
            site folder is to be kept.
        KeyboardInterrupt: the build was stopped (the child is stopped too).
    """
    from mkdocs.utils import clean_directory

    site = Path(cfg.site_dir)
    half = site / HALF_DIR
    clean_directory(str(site))  # what MkDocs' own full build does first
    shutil.rmtree(half, ignore_errors=True)
    half.mkdir(parents=True)
    try:
        first, second = _halves()
        mine = OnlyThesePages(first, assets=True, read_others=True)
        theirs = OnlyThesePages(second, read_others=True)
        pid, pipe = _fork(cfg, half, theirs, messages)
        try:
            try:
                mkdocs_dirty.run(cfg, mine)
            except (Exception, SystemExit) as exc:  # the one-process build reports it
                raise Fallback("this half failed") from exc
            result = _receive(pid, pipe)
            pid = 0  # ended and reaped
        finally:
            if pid:  # this half failed or was interrupted: stop the child
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                os.close(pipe)
        if result is None:  # killed, or out of memory: it wrote nothing whole
            raise Fallback("the second process ended without a result")
        if result[0] != "ok":
            raise Fallback("the second half failed")
        _put_together(site, half, set(mine.left_out), mine.order)
    finally:
        shutil.rmtree(half, ignore_errors=True)


def _fork(cfg: Any, half: Path, plugin: OnlyThesePages,
          messages: list[str]) -> tuple[int, int]:
    """Start the child that builds ``plugin``'s pages into ``half``: its process id and the
    read end of the pipe its result comes through.

    Raises:
        Fallback: the process could not be started.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    read_end, write_end = os.pipe()
    parent = os.getpid()
    # the child's collections then leave the parent's objects (and pages) alone
    frozen = freeze_for_fork()
    try:
        with held_interrupt():  # a Ctrl-C meanwhile is not dropped (forked.held_interrupt)
            pid = os.fork()
    except OSError as exc:
        thaw_after_fork(frozen)
        os.close(read_end)
        os.close(write_end)
        raise Fallback("no second process") from exc
    if pid == 0:  # the child: never returns
        os.close(read_end)
        _child(cfg, half, plugin, messages, write_end, parent)
    thaw_after_fork(frozen)  # inside a build, left frozen until it ends (gc_stages.py)
    os.close(write_end)
    return pid, read_end


def _child(cfg: Any, half: Path, plugin: OnlyThesePages, messages: list[str],
           write_end: int, parent: int) -> None:
    from mkdocs.exceptions import MkDocsException

    code = 70
    try:
        die_with_parent(parent)  # else it would hold the output's lock after a kill -9
        _own_stdio()
        known = len(messages)
        cfg["site_dir"] = str(half)
        result: tuple[str, list[str], Any]
        try:
            mkdocs_dirty.run(cfg, plugin)
            result = ("ok", [], None)
        except (MkDocsException, SystemExit) as exc:
            result = ("mkdocs", [], str(exc))
        except BaseException as exc:  # handed to the parent, raised there
            result = ("error", [], _picklable(exc))
        result[1].extend(messages[known:])
        with os.fdopen(write_end, "wb") as pipe:
            pickle.dump(result, pipe)
        code = 0
    finally:
        os._exit(code)  # no atexit handlers, no flushing of the parent's buffers


def _own_stdio() -> None:
    """Give the child stdout and stderr objects (and locks) of its own over the same
    descriptors: a daemon thread of the parent may have held the old ones' locks at the
    fork."""
    for name, fd in (("stdout", 1), ("stderr", 2)):
        old = getattr(sys, name)
        try:
            new = open(os.dup(fd), "w", encoding=getattr(old, "encoding", None) or "utf-8",  # noqa: SIM115
                       errors=getattr(old, "errors", None) or "backslashreplace")
        except OSError:
            continue  # no such descriptor: nothing to write to anyway
        setattr(sys, name, new)


def _picklable(exc: BaseException) -> BaseException:
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:  # any exception that cannot cross the pipe
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc


def _receive(pid: int, pipe: int) -> tuple[str, list[str], Any] | None:
    """The child's result (status, its new messages, its error) once it has ended and been
    reaped, or None when it ended without one."""
    with os.fdopen(pipe, "rb") as stream:
        data = stream.read()
    os.waitpid(pid, 0)
    try:
        status, their_messages, error = pickle.loads(data)
    except Exception:  # a child that died mid-way wrote nothing whole
        return None
    return str(status), list(their_messages), error


def _put_together(site: Path, half: Path, theirs: set[str], order: list[str]) -> None:
    """Move the child's pages (``theirs``: their output paths) from ``half`` into ``site``,
    join the search indexes (``order``: every page's URL in build order), and check every
    other file both wrote is the same.

    Raises:
        Fallback: a file both wrote differs, or the search indexes cannot be joined.
    """
    for path in sorted(half.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(half).as_posix()
        target = site / rel
        if rel in JOINED:
            continue
        if rel not in theirs and target.exists():
            if target.read_bytes() != path.read_bytes():
                raise Fallback(f"{rel} differs between the two halves")
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)
    if (half / mkdocs_dirty.SEARCH_INDEX).exists() or (site / mkdocs_dirty.SEARCH_INDEX).exists():
        mkdocs_dirty.join_search_indexes(site, half, order)
