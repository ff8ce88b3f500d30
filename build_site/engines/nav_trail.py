"""Below a ranged case-study section, a page's navigation shows its trail, not every range.

Material renders into every page each sibling of every section on the page's path
(``navigation.prune`` collapses them to one link each, but keeps them). When the case studies
are gathered into ranges (:mod:`build_site.render.case_ranges`, above 50 clinician groups) a
case page therefore carried a link to every other range and to every other clinician of its
range: 30 links, 6-7 KB of markup on each of 1,217 case pages at 1,000 dyads (issue 25: "index
pages can replace long navigation lists").

Inside such a section (the one holding the ranges, and each range), a section's collapsed
subsections are shown only on the pages that section holds directly: the case-study overview
lists the ranges, a range's index page lists its clinicians, and a clinician's or dyad's page
shows its own range and clinician with the clinician's pages, and every page entry on the way
(the overview, the range's index). The pages listing what the sidebar leaves out are one click
away: the range's index (its clinicians and their dyads) and the overview (every clinician).
A study with at most 50 clinician groups has no ranges and keeps Material's navigation as it
was, byte for byte. MkDocs only: the plugin hands Material's templates a per-page view of the
navigation in ``on_page_context``; the shared navigation objects are never changed, so the
page order, previous/next links, tabs and search are the same.
"""

from __future__ import annotations

import copy
from typing import Any

from mkdocs.plugins import BasePlugin
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

from build_site.render.case_ranges import is_range_index

PLUGIN_NAME = "build-site-nav-trail"


def _first_page(section: Section) -> Page | None:
    first = section.children[0] if section.children else None
    return first if isinstance(first, Page) else None


def holds_ranges(section: Section) -> bool:
    """Whether one of ``section``'s subsections opens with a range's index page."""
    for child in section.children:
        if isinstance(child, Section):
            first = _first_page(child)
            if first is not None and is_range_index(first.file.src_uri):
                return True
    return False


def _trimmed(item: Any, page: Page, inside: bool) -> Any:
    """``item`` as ``page`` shows it: a copy of an active section, inside a ranged section,
    without the inactive subsections it does not hold ``page`` directly beside; ``item``
    itself when nothing changes."""
    if not isinstance(item, Section) or not item.active:
        return item
    inside = inside or holds_ranges(item)
    children = item.children
    if inside and page not in children:
        children = [c for c in children if not (isinstance(c, Section) and not c.active)]
    children = [_trimmed(c, page, inside) for c in children]
    if len(children) == len(item.children) and all(
            a is b for a, b in zip(children, item.children, strict=True)):
        return item
    view = copy.copy(item)
    view.children = children
    return view


def trail_view(nav: Navigation, page: Page) -> Navigation:
    """The navigation ``page``'s templates render: ``nav`` itself, or a shallow copy whose
    ranged section is trimmed to ``page``'s trail (see the module's docstring)."""
    items = [_trimmed(item, page, False) for item in nav.items]
    if all(a is b for a, b in zip(items, nav.items, strict=True)):
        return nav
    view = copy.copy(nav)
    view.items = items
    return view


class NavTrail(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
    """Hands each page's templates :func:`trail_view` of the navigation."""

    def on_page_context(self, context: Any, /, *, page: Page, config: Any,
                        nav: Navigation) -> Any:
        """Replace the context's ``nav`` by the page's trail view; returns the context."""
        context["nav"] = trail_view(nav, page)
        return context
