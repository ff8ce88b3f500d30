"""Files the site's theme ships, recognised by their bytes (the leak gate leaves them unread:
the theme's own files name no participant, and reading Material's bundles would cost more than
every page; :mod:`build_site.privacy.gate`).

Its own module, apart from the gate, because the gate's worker pool warms these caches before
it forks (:mod:`build_site.privacy.gate_pool`), and the gate starts that pool: each imports this
module, neither the other. The cached list of theme files is keyed by this module's code, so a
change to the gate's reading no longer lists the ~14,000 files again.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from functools import cache
from importlib import resources
from importlib.util import find_spec
from pathlib import Path

THEME_PACKAGES = ("material", "mkdocs", "zensical")
THEME_SUFFIXES = frozenset({".js", ".css", ".json", ".svg", ".html", ".map", ".png", ".ico",
                            ".woff", ".woff2", ".ttf", ".gif", ".jpg"})


@cache
def _theme_files_by_size() -> dict[int, tuple[str, ...]]:
    """The theme files (by suffix) of MkDocs Material, MkDocs and, when installed, Zensical
    (the second site engine, :mod:`build_site.engines`), grouped by size in bytes.

    Kept in the user's cache (:mod:`build_site.derived_cache`) keyed by each package's
    folder and version and this code: listing the ~14,000 files costs about 0.15 s of every
    cold build. A stale list can only exempt less: the digests are of the files' bytes as
    they are now (:func:`_theme_digests`)."""
    from build_site.derived_cache import cached, code_digest

    folders = [str(resources.files(package)) for package in THEME_PACKAGES
               if find_spec(package) is not None]
    if not folders:
        return {}
    key = [code_digest(__name__), *folders, *(_version(p) for p in THEME_PACKAGES)]
    top = os.path.commonpath(folders) + os.sep  # paths kept relative: a third of the file
    return cached("theme-files", key, lambda: _list_theme_files(list(folders)),
                  lambda value: {str(size): [p[len(top):] for p in paths]
                                 for size, paths in value.items()},
                  lambda data: {int(size): tuple(top + p for p in paths)
                                for size, paths in data.items()})


def _version(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"{package}={version(package)}"
    except PackageNotFoundError:
        return f"{package}=?"


def _list_theme_files(folders: list[str]) -> dict[int, tuple[str, ...]]:
    by_size: dict[int, list[str]] = {}
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    folders.append(entry.path)
                elif os.path.splitext(entry.name)[1] in THEME_SUFFIXES and entry.is_file():
                    by_size.setdefault(entry.stat().st_size, []).append(entry.path)
    return {size: tuple(paths) for size, paths in by_size.items()}


@cache
def _theme_digests(size: int) -> frozenset[str]:
    """SHA-256 digests of the theme files of ``size`` bytes as they are now (a listed file
    gone since, or no longer of that size, is left out)."""
    digests = set()
    for path in _theme_files_by_size().get(size, ()):
        try:
            data = Path(path).read_bytes()
        except OSError:
            continue
        if len(data) == size:
            digests.add(hashlib.sha256(data).hexdigest())
    return frozenset(digests)


def warm_theme_hashes(sizes: Iterable[int]) -> None:
    """Fill this process's caches of the theme's files (:func:`_theme_files_by_size`, 0.04
    CPU s from the user's cache, 0.3 when the list is made again) and of their digests for
    each of ``sizes`` that a theme file has, so that worker processes forked next inherit
    them instead of each making them again (:mod:`build_site.privacy.gate_pool`)."""
    by_size = _theme_files_by_size()
    for size in set(sizes):
        if size in by_size:
            _theme_digests(size)


def is_theme_asset(data: bytes) -> bool:
    """Whether ``data`` is byte-identical to a file the MkDocs Material or MkDocs theme ships
    (a file with one of :data:`THEME_SUFFIXES`).

    Only theme files of the same size are hashed (once per process), so the thousands of
    theme files are listed but almost never read.
    """
    return len(data) in _theme_files_by_size() and (
        hashlib.sha256(data).hexdigest() in _theme_digests(len(data)))
