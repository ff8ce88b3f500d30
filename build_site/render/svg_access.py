"""A Graphviz diagram's links named for assistive technology, and its root's role.

``dot -Tsvg`` writes a link as ``<a xlink:href="..." xlink:title="...">`` (SVG 2 ``href`` once
:func:`~build_site.render.svg_compact.compact_svg` has run) and names it by nothing but its
tooltip. SVG-AAM 1.0 (section 8.1, name computation) reads ``xlink:title`` as a link's name,
before its text, so Chromium named a component's link by its tooltip ("Valuing: Building a
bond ...") and an edge's line by "What the relation rests on: ..."; axe-core and some screen
readers do not read ``xlink:title`` at all, so to them an edge's line was a link without a name.
And the root was ``role="img"``, whose children assistive technology does not see (WAI-ARIA
1.2, ``img``: "children presentational"), though a keyboard reaches the links inside (axe:
``nested-interactive``).

What :func:`name_links` does (the tooltips stay as they were, for pointer users):

- a component's or element's link (in a group of class ``node`` or ``cluster``) gets an
  ``aria-label`` of its visible text, its lines joined by a space: what a sighted user reads,
  and what voice control users say (WCAG 2.2, 2.5.3 Label in Name);
- an edge's links (Graphviz writes one for the line and one for each of its labels, all to the
  same target) become one link, so a keyboard stops once on a relation and its focus style
  marks the line and the label together; it gets an ``aria-label`` of the edge's tooltip, which
  :mod:`build_site.render.diagrams` writes as the relation's sentence from the model ("Trust
  reinforces Appreciating power (tentative)", as the diagram's text alternative words it).

:func:`root_role` is ``group`` for a diagram that holds a link (WAI-ARIA 1.2: a set of
elements not meant for a page summary, whose children stay in the accessibility tree) and
``img`` for one that holds none. ``tests/render/test_svg_access.py`` checks the rules and
``tests/browser/test_accessibility.py`` what Chromium and axe make of a built page.
"""

from __future__ import annotations

import re

# Two links side by side to the same target (an edge's line and its label): one link. The
# first keeps its attributes, so the edge's own tooltip (its first link's) is kept.
_TWIN = re.compile(r'(<a href="([^"]*)"[^>]*>)((?:(?!</a>).)*)</a><a href="\2"[^>]*>', re.S)
# A link as the first child of a Graphviz node, cluster or edge group (as compact_svg leaves
# it: Graphviz's id-only group around the link gone).
_GROUP_LINK = re.compile(
    r'(<g id="[^"]*" class="(node|cluster|edge)\b[^"]*">)<a href="([^"]*)" '
    r'xlink:title="([^"]*)">((?:(?!</a>).)*)</a>', re.S)
_TEXT = re.compile(r"<text\b[^>]*>([^<]*)</text>")


def name_links(svg: str) -> str:
    """``svg`` (Graphviz output after :func:`~build_site.render.svg_compact.compact_svg`) with
    an edge's links merged into one and every link of a node, cluster or edge group named by an
    ``aria-label``: see the module's docstring. Links in another shape are left as they are.

    Returns:
        The SVG with its links named; the same string when it holds no link.
    """
    if "<a " not in svg:
        return svg
    merged = svg
    while True:  # an edge with a label and a head label has three links
        merged, count = _TWIN.subn(r"\1\3", merged)
        if not count:
            break
    return _GROUP_LINK.sub(_named, merged)


def _named(m: re.Match[str]) -> str:
    group, kind, href, title, body = m.groups()
    if kind == "edge":
        name = title
    else:
        name = " ".join(" ".join(t.split()) for t in _TEXT.findall(body) if t.strip())
    if not name:  # a link with nothing to read keeps its tooltip, the name SVG-AAM gives it
        return m.group(0)
    return (f'{group}<a href="{href}" aria-label="{name.replace(chr(34), "&quot;")}" '
            f'xlink:title="{title}">{body}</a>')


_LINK = re.compile(r"<a\b[^>]*\s(?:xlink:)?href=")


def root_role(svg: str) -> str:
    """``group`` when ``svg`` holds a link (an ``a`` with a target: Graphviz writes ``<a>`` with
    a tooltip alone for a node without a URL, which is no link and takes no focus), else
    ``img`` (see the module's docstring)."""
    return "group" if _LINK.search(svg) else "img"
