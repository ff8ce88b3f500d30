"""Swap rendered diagrams into pages after Markdown has run.

Generated pages carry a marker (``<!--bs-diagram:KEY-->``, see
:func:`build_site.render.diagrams.DiagramRenderer.placeholder`) where a diagram goes. Parsing
inline SVG is most of what Markdown's ``md_in_html`` extension costs, so the SVG is put in
place only once the page's Markdown is HTML: by this small MkDocs plugin, which
:func:`build_site.site.mkdocs_build` adds to every build itself (it is never named in
``mkdocs.yml``). It runs first among the ``on_page_content`` handlers, so every later step
(the search index, the theme's templates) sees the page exactly as if the SVG had been inline
all along, and the leak gate reads the finished files as before.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mkdocs.plugins import BasePlugin, event_priority

from build_site.render.diagrams import PLACEHOLDER

PLUGIN_NAME = "build-site-diagrams"


def swap_in(html: str, fragments: Mapping[str, str]) -> str:
    """``html`` with every diagram marker replaced by its SVG.

    Raises:
        KeyError: a marker names a diagram that was not rendered (a bug, never silent).
    """
    if "<!--bs-diagram:" not in html:
        return html
    return PLACEHOLDER.sub(lambda m: fragments[m.group(1)], html)


class DiagramFragments(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
    """The MkDocs plugin that swaps diagrams in; ``fragments``: SVG by marker key."""

    def __init__(self, fragments: Mapping[str, str]) -> None:
        super().__init__()
        self.fragments = fragments

    @event_priority(100)
    def on_page_content(self, html: str, **kwargs: Any) -> str:
        """MkDocs event: the page's HTML body, right after Markdown; returns it with the
        diagrams in place."""
        return swap_in(html, self.fragments)
