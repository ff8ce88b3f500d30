"""Partial MkDocs builds: a dirty build in which only some pages count as modified, and
Material's search index put back together afterwards.

Two callers: ``serve``'s incremental previews (:mod:`build_site.preview`: the changed pages
over a copy of the previous preview) and the build on two cores
(:mod:`build_site.engines.mkdocs_split`: each process renders one half of the pages). MkDocs
1.6's ``build(config, dirty=True)`` reads, renders and writes only the files whose
``is_modified()`` is true (``mkdocs/commands/build.py``: ``_populate_page``, ``_build_page``,
``Files.copy_static_files``); :class:`OnlyThesePages` decides that answer for every file.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from mkdocs.plugins import BasePlugin

from build_site import search_once

PLUGIN_NAME = "build-site-preview"
SEARCH_INDEX = Path("search") / "search_index.json"
SEARCH_SCRIPT = Path("search") / "search_index.js"
DIRTY_WARNING = "A 'dirty' build is being performed"

Chooser = Callable[[Sequence[str]], set[str]]


class Fallback(Exception):
    """A partial build cannot vouch for its result: build in full."""


class OnlyThesePages(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
    """An MkDocs plugin for a dirty build: only the documentation pages in ``pages``
    (docs-relative paths, or a function choosing them from every page in the order MkDocs
    builds them) count as modified; nothing else is read or rendered.

    Args:
        pages: the pages to build, or a :data:`Chooser`; a file of the docs folder that is
            not a page and is named here is copied (``serve``: a changed download).
        assets: whether every file that is not a page (theme and docs assets) counts as
            modified, so that it is copied (a split build's first half); else only those
            named in ``pages`` are.
        read_others: read the source (front matter and Markdown) of every page that is not
            built, so the navigation shows its ``meta`` (Material's ``icon``, ``status``,
            ``subtitle``) as a full build does.

    After the files event, ``urls`` holds the URLs of the pages built, ``order`` the URLs of
    every page in the order MkDocs builds them, ``built`` and
    ``left_out`` the output paths (``dest_uri``) of the pages built and of those not built.
    """

    def __init__(self, pages: set[str] | Chooser, *, assets: bool = False,
                 read_others: bool = False) -> None:
        super().__init__()
        self.pages = pages
        self.assets = assets
        self.read_others = read_others
        self.urls: set[str] = set()
        self.order: list[str] = []
        self.built: list[str] = []
        self.left_out: list[str] = []

    def on_files(self, files: Any, /, **kwargs: Any) -> Any:
        """Mark each file modified or not."""
        order = [file.src_uri for file in files.documentation_pages()]
        chosen = self.pages(order) if callable(self.pages) else self.pages
        self.order = [file.url for file in files.documentation_pages()]
        for file in files:
            if file.is_documentation_page():
                modified = file.src_uri in chosen
                if modified:
                    self.urls.add(file.url)
                (self.built if modified else self.left_out).append(file.dest_uri)
            else:  # an asset, or a file of the docs folder ``serve`` copies alone
                modified = self.assets or file.src_uri in chosen
            file.is_modified = _constant(modified)
        return files

    def on_nav(self, nav: Any, /, *, config: Any, files: Any, **kwargs: Any) -> Any:
        """Read the pages not built, when ``read_others`` (see the class)."""
        if self.read_others:
            for file in files.documentation_pages():
                if file.page is not None and not file.is_modified():
                    file.page.read_source(config)
        return nav


def _constant(value: bool) -> Callable[[], bool]:
    return lambda: value


class _QuietDirty(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(DIRTY_WARNING)


@contextmanager
def quiet_dirty() -> Iterator[None]:
    """Drop MkDocs' warning that a dirty build is being performed (strict mode would stop on
    it): the callers build every page that needs it and put the search index together."""
    logger = logging.getLogger("mkdocs.commands.build")
    quiet = _QuietDirty()
    logger.addFilter(quiet)
    try:
        yield
    finally:
        logger.removeFilter(quiet)


def run(cfg: Any, only: OnlyThesePages | None = None) -> None:
    """Run MkDocs' build of ``cfg`` (a loaded configuration, plugins set): in full, or a
    dirty build of what ``only`` marks modified. Each build gets the plugins' startup and
    shutdown events, as ``mkdocs build`` gives them.

    Raises:
        MkDocsException, SystemExit: MkDocs refused the build (strict mode: any warning).
    """
    from mkdocs.commands.build import build

    if only is not None:
        cfg.plugins[PLUGIN_NAME] = only
    cfg.plugins.on_startup(command="build", dirty=False)
    try:
        with quiet_dirty():
            build(cfg, dirty=only is not None)
    finally:
        cfg.plugins.on_shutdown()


def read_search_index(site: Path) -> Any:
    """The search index of ``site``, parsed.

    Raises:
        Fallback: it is missing or unreadable.
    """
    try:
        return search_once.read_index(site)  # the .json, or the .js when it is the only one
    except (OSError, ValueError) as exc:
        raise Fallback("search index") from exc


def write_search_index(site: Path, config: Any, docs: list[Any]) -> None:
    """Write Material's search index of ``site`` with ``config`` and ``docs`` (its entries)
    as Material 9.8 writes it (``plugins/search/plugin.py``, ``generate_search_index``), and
    the offline plugin's copy (``search_index.js``) when the site has one."""
    data = json.dumps({"config": config, "docs": docs}, separators=(",", ":"), default=str)
    (site / SEARCH_INDEX).write_text(data, encoding="utf-8")
    script = site / SEARCH_SCRIPT
    if script.is_file():  # Material's offline plugin inlines the index, as it does
        script.write_text(f"var __index = {data}", encoding="utf-8")


def merge_search_index(old: Any, staging: Path, urls: set[str]) -> None:
    """Put the search index of ``staging`` together: its entries (of the rebuilt pages at
    ``urls`` only) replace those pages' entries in ``old`` (the previous index), in their
    place.

    Raises:
        Fallback: the new index is missing or unreadable, or a rebuilt page has entries where
            the previous index had none (its place is unknown).
    """
    new = read_search_index(staging)
    try:
        old_docs, new_docs = list(old["docs"]), list(new["docs"])
        same_config = old["config"] == new["config"]
    except (KeyError, TypeError) as exc:
        raise Fallback("search index") from exc
    fresh: dict[str, list[Any]] = {}
    for entry in new_docs:
        fresh.setdefault(_page_of(entry), []).append(entry)
    placed: set[str] = set()
    docs: list[Any] = []
    for entry in old_docs:
        page = _page_of(entry)
        if page not in urls:
            docs.append(entry)
        elif page not in placed:
            placed.add(page)
            docs += fresh.get(page, [])
    if set(fresh) - placed or set(fresh) - urls or not same_config:
        raise Fallback("search entries of a page that had none")
    write_search_index(staging, new["config"], docs)


def join_search_indexes(first: Path, second: Path, order: Sequence[str]) -> None:
    """Put the entries of the search indexes of ``first`` and ``second`` (two builds of
    disjoint sets of pages) into ``first``'s, page by page in ``order`` (every page's URL in
    build order): the order in which one build of every page writes them, since Material
    indexes each page as it is built (``on_page_context``).

    Raises:
        Fallback: an index is missing or unreadable, their configurations differ, a page has
            entries in both, or an entry belongs to no page of ``order``.
    """
    head, tail = read_search_index(first), read_search_index(second)
    try:
        if head["config"] != tail["config"]:
            raise Fallback("search configurations differ")
        groups: dict[str, list[Any]] = {}
        for index in (head, tail):
            mine: dict[str, list[Any]] = {}
            for entry in index["docs"]:
                mine.setdefault(_page_of(entry), []).append(entry)
            if set(mine) & set(groups):
                raise Fallback("a page indexed by both builds")
            groups.update(mine)
    except (KeyError, TypeError) as exc:
        raise Fallback("search index") from exc
    docs = [entry for url in order for entry in groups.pop(url, [])]
    if groups:
        raise Fallback("search entries of no page")
    write_search_index(first, head["config"], docs)


def _page_of(entry: Mapping[str, Any]) -> str:
    return str(entry["location"]).split("#", 1)[0]
