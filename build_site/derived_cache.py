"""Data derived from installed packages, kept in the user's cache between builds (issue 25).

A cold build of a small study spent about 0.3 CPU s deriving the same data from installed
packages every time: the list of MkDocs Material's and MkDocs' ~14,000 theme files by size
(the leak gate's theme-asset check), gender-guesser's ~40,000 first names, the keep rules of
Material's stylesheets (the indentation removal). :func:`cached` keeps such a value as JSON in
``$XDG_CACHE_HOME/build-site/derived`` (:func:`build_site.render.template_cache.
private_user_folder`: a private folder the user owns, or no cache at all).

What keys an entry: everything its value is derived from, which the caller passes (a
package's version and folder, or a digest of the data file itself), and the deriving code
(:func:`code_digest` of the modules that derive it), and this module's format version. The
entry stores its whole key and is used only when the key read back matches; a file that
cannot be read or parsed whole, or whose value the caller cannot load, is a missed cache: the
value is derived again and the file rewritten (atomically, by rename). JSON, never pickle:
reading an entry runs no code.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from build_site.render.template_cache import private_user_folder

T = TypeVar("T")

_FORMAT = "1"


def code_digest(*modules: str) -> str:
    """A SHA-256 digest (hex) of the source files of the named modules (dotted names), this
    one's included: an edit to the deriving code changes every key it is part of.

    Raises:
        ImportError: a module cannot be found.
    """
    import importlib

    digest = hashlib.sha256()
    for name in (__name__, *modules):
        file = getattr(importlib.import_module(name), "__file__", None)
        digest.update(name.encode() + b"\0")
        digest.update(Path(file).read_bytes() if file else b"?")
    return digest.hexdigest()


def cached(kind: str, key: Iterable[str], derive: Callable[[], T],
           dump: Callable[[T], Any], load: Callable[[Any], T]) -> T:
    """The value ``derive()`` returns, from the user's cache when an entry of ``kind`` has
    the same ``key``.

    Args:
        kind: a short file-name-safe name of what is kept (``theme-files``).
        key: every string the value depends on (versions, paths, digests, the code's).
        derive: computes the value (a miss).
        dump: the value as JSON-serialisable data.
        load: the value from that data; any exception it raises makes the entry a miss.

    Returns:
        The value: loaded from a matching entry, else derived (and stored when the folder
        is usable; a failed write is only a missed cache).
    """
    full = hashlib.sha256("\0".join([_FORMAT, kind, *key]).encode()).hexdigest()
    folder = private_user_folder("derived")
    if folder is None:
        return derive()
    path = folder / f"{kind}.json"
    try:
        entry = json.loads(path.read_bytes())
        if isinstance(entry, dict) and entry.get("key") == full:
            return load(entry["value"])
    except Exception:  # a missing, cut short or garbled entry: derive it again
        pass
    value = derive()
    _write(path, {"key": full, "value": dump(value)})
    return value


def _write(path: Path, entry: dict[str, Any]) -> None:
    """Writes ``entry`` to ``path`` through a temporary file renamed over it (a reader never
    sees half a file); an OSError leaves no temporary file and is ignored."""
    try:
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.",
                                         suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(entry, out, separators=(",", ":"))
        os.replace(temporary, path)
    except OSError:
        Path(temporary).unlink(missing_ok=True)
