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
A study with at most 50 clinician groups has no ranges and keeps the theme's navigation as it
was, byte for byte.

How: a theme override of the engine's own ``partials/nav-item.html`` (the partial whose
``render`` macro writes a section and loops over its children), taken from the installed
theme at build time and changed in three places (:func:`trail_partial`), so no plugin is needed
and both engines show the trail: MkDocs reads it from the build's theme folder
(``site_project._theme_overrides``), Zensical from its copy of that folder with its own
partial patched the same way (``zensical_engine.theme_folder``; Zensical's template engine,
minijinja, runs the same statements: ``namespace``, ``for ... if``, slices). The macro gets a
fifth argument, ``inside`` (a section on the page's path holds ranges; the theme's
``nav.html`` passes three arguments, so it starts undefined, false); an active section sets
``inside`` when one of its subsections opens with a range's index page (its URL starts with
:data:`~build_site.render.case_ranges.RANGE_INDEX_PREFIX`), and when ``inside`` and the page is
not one of its own entries it loops over its children without the inactive subsections
(``loop.index``, and so the ``__nav_*`` ids, count the kept children). The navigation objects
are never changed, so page order, previous/next links, tabs and search stay the same. The
statements are written on lines that exist already, so the partial writes the same characters
as the theme's own wherever nothing is trimmed. When the installed partial is not the one this
was written against (:func:`trail_partial` returns None), or the team's theme folder holds its
own ``nav-item.html``, the theme's navigation is used whole.
"""

from __future__ import annotations

import re
from pathlib import Path

from build_site.render.case_ranges import RANGE_INDEX_PREFIX

PARTIAL = "partials/nav-item.html"

_MACRO = "{% macro render(nav_item, path, level, parent) %}"
_CHILDREN = "{% if nav_item.children %}"
_LOOP = re.compile(
    r'\{% for item in nav_item\.children %\}(?P<between>\s*\{% if not index or item != index %\}'
    r'\s*)\{\{ render\(item, path ~ "_" ~ loop\.index, level \+ 1, nav_item\) \}\}')


def _trail_statements() -> str:
    """The statements that set ``trail.inside`` and ``trail.trim`` for ``nav_item``."""
    prefix = RANGE_INDEX_PREFIX  # a path in docs/: the page's URL starts the same way
    return (
        "{% set trail = namespace(inside=false, direct=false, trim=false) %}"
        "{% if nav_item.active %}"
        "{% if inside %}{% set trail.inside = true %}{% endif %}"
        "{% for c in nav_item.children %}"
        "{% if c.children %}"
        '{% if (((c.children | first).url or "") ~ "")[:' + str(len(prefix)) + '] == "'
        + prefix + '" %}{% set trail.inside = true %}{% endif %}'
        "{% elif c.active %}{% set trail.direct = true %}{% endif %}"
        "{% endfor %}"
        "{% set trail.trim = trail.inside and not trail.direct %}"
        "{% endif %}")


def trail_partial(templates: Path) -> str | None:
    """The text of ``templates/partials/nav-item.html`` (Material's or Zensical's) with the
    trail (see the module's docstring), or None when that file cannot be read or is not the
    partial the changes were written against (each place found exactly once)."""
    try:
        text = (templates / PARTIAL).read_text(encoding="utf-8")
    except OSError:
        return None
    if text.count(_MACRO) != 1 or len(_LOOP.findall(text)) != 1:
        return None
    head, body = text.split(_MACRO)
    if body.count(_CHILDREN) != 1:
        return None
    body = body.replace(_CHILDREN, _CHILDREN + _trail_statements(), 1)
    body = _LOOP.sub(
        lambda m: ("{% for item in nav_item.children"
                   " if not (trail.trim and item.children and not item.active) %}"
                   + m.group("between")
                   + '{{ render(item, path ~ "_" ~ loop.index, level + 1, nav_item,'
                     " trail.inside) }}"), body)
    return head + _MACRO.replace("parent)", "parent, inside)") + body


def write_partial(folder: Path, templates: Path) -> bool:
    """Write :func:`trail_partial` of ``templates`` into the theme folder ``folder``, unless
    ``folder`` holds its own ``nav-item.html`` or the installed partial is not as expected.

    Returns:
        Whether the partial was written.
    """
    target = folder / PARTIAL
    text = trail_partial(templates)
    if text is None or target.exists():
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return True


def is_ours(folder: Path, templates: Path) -> bool:
    """Whether ``folder``'s ``nav-item.html`` is the one :func:`write_partial` writes from
    ``templates``."""
    target = folder / PARTIAL
    text = trail_partial(templates)
    return (text is not None and target.is_file()
            and target.read_text(encoding="utf-8") == text)
