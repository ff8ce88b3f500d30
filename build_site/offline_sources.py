"""Where a load found in the built site comes from, for the offline check's messages
(:mod:`build_site.offline`): the team's hand-written file, and the line in it.

A hand-written Markdown page ``docs/x.md`` is built as ``x.html`` (``index.md`` and
``README.md`` as ``index.html``: MkDocs with ``use_directory_urls: false``, as build-site builds);
any other file in ``docs/`` (a stylesheet, an HTML page) is copied as it is.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from build_site.privacy.gate_files import decode_text
from build_site.site_project import SiteProject


def handwritten_source(page: str, project: SiteProject) -> str | None:
    """The docs-relative path of the hand-written file the built ``page`` (site-relative)
    comes from, or None when build-site or the theme made it."""
    if page in project.pages:
        return page
    path = PurePosixPath(page)
    if path.suffix != ".html":
        return None
    stems = ("index", "README") if path.stem == "index" else (path.stem,)
    for stem in stems:
        rel = path.with_name(stem + ".md").as_posix()
        if rel in project.pages:
            return rel
    return None


def source_line(data: bytes, *needles: str) -> int:
    """The 1-based line of ``data`` (a file's bytes, read as the leak gate reads them) holding
    the first of ``needles`` found (a URL, then its host), or 0."""
    text = (decode_text(data) or [data.decode("cp1252", "replace")])[0]
    lines = text.splitlines()
    for needle in needles:
        for number, line in enumerate(lines, 1):
            if needle and needle in line:
                return number
    return 0
