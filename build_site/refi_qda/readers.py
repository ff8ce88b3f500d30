"""Import formats, registered by file suffix (as Pelican registers its readers).

A reader takes the path of a file and the archive limits and returns a
:class:`~build_site.refi_qda.qde.QdaProject`, the one value every later step of an import
(:mod:`build_site.refi_qda.import_plan`, :mod:`build_site.refi_qda.study_import`) works on.
A new import format is one reader that returns a ``QdaProject``, added to :data:`READERS`
under its suffix; nothing after it changes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from build_site.refi_qda.qde import QdaProject
from build_site.refi_qda.read import read_qdc, read_qdpx
from build_site.refi_qda.safe_zip import Limits

Reader = Callable[[Path, "Limits | None"], QdaProject]

READERS: dict[str, Reader] = {
    ".qdpx": read_qdpx,
    ".qdc": read_qdc,
}
"""File suffix (lower case, with its dot) -> the reader of files with that suffix."""


def reader_for(suffix: str) -> Reader:
    """Return the reader registered for ``suffix`` (e.g. ``".qdpx"``; case is ignored).

    Raises:
        KeyError: no reader is registered for the suffix.
    """
    return READERS[suffix.lower()]
