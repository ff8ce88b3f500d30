"""Fewer bytes for a Graphviz SVG that draws exactly the same (issue 25: output size).

A case page carries its own highlight diagram, about 21 KB, and at 1,000 dyads those are a
fifth of the site. Five things in ``dot -Tsvg`` output draw nothing, are written twice or
longer than needed:

- the ``<g id="a_...">`` group Graphviz wraps around every link: it has no attribute but
  its id, which nothing on the site refers to (the link inside keeps its target, tooltip and
  class-bearing parents);
- the same ``font-family``, ``font-size`` and ``text-anchor`` written on every ``<text>``: they
  are inherited properties (SVG 1.1, 10.10 and 10.9.1), so each is written once on the
  drawing's top group and kept only on a text whose value differs;
- Graphviz's path data: straight sides written as cubics, and the separators before negative
  numbers (:mod:`build_site.render.svg_paths`);
- ``xlink:href`` on Graphviz's links (``<a xlink:href="...">``): SVG 2 (chapter "Linking",
  the ``a`` element) gives ``<a>`` a plain ``href`` and deprecates ``xlink:href``; current
  browsers follow either (checked in Chromium: ``tests/browser/test_navigation.py`` clicks a
  diagram's links). The tooltip (``xlink:title``) stays as it is, and with it the
  ``xmlns:xlink`` declaration. 40,227 links at 1,000 dyads, 6 bytes each;
- the line breaks between elements: outside ``<text>`` SVG draws no white space between
  elements (SVG 1.1, 10.15), and no Graphviz text element holds one. The one before and after
  each ``<text>`` stays: it separates the words the site's search reads (the search index is
  unchanged).

Kept: every element that draws, every ``<text>`` and its words, every link, tooltip, id, class,
``role`` and ``aria-label``. ``tests/render/test_svg_compact.py`` checks that, and
``tests/browser/test_diagram_pixels.py`` that a page draws the same pixels.
"""

from __future__ import annotations

import re
from collections import Counter

from build_site.render.svg_paths import compact_paths

_ANCHOR_GROUP = re.compile(r'<g id="a_[^"]*">(<a\b[^>]*>.*?</a>)\s*</g>', re.S)
_TEXT_TAG = re.compile(r"<text\b([^>]*)>")
_ATTRIBUTE = re.compile(r'\s([\w:-]+)="([^"]*)"')
_TOP_GROUP = re.compile(r'<g\b[^>]*\bclass="graph"[^>]*>')
# A line break between elements, except before a text and after one: Material's search indexer
# reads a diagram's words as text runs, and a run of white space is what keeps two labels two
# words ("Listening Reflecting", not "ListeningReflecting").
_BETWEEN_TAGS = re.compile(r"(?<!</text)>\s*\n\s*<(?!text\b)")
_XLINK_A = "<a xlink:href="  # as Graphviz writes every link
HOISTED = ("font-family", "font-size", "text-anchor")
"""Inherited text properties written once on the top group when every text carries them."""


def compact_svg(svg: str) -> str:
    """``svg`` (Graphviz output, already cleaned) with the bytes that draw nothing removed:
    see the module's docstring. An SVG not shaped as Graphviz writes it (no top group with
    class ``graph``, text elements with child elements) loses only what is safe without that
    shape: the link groups are kept unless matched whole.

    Returns:
        The compacted SVG; the same string when nothing applies.
    """
    svg = compact_paths(_ANCHOR_GROUP.sub(r"\1", svg)).replace(_XLINK_A, "<a href=")
    if "<tspan" in svg or "<text" not in svg:  # white space that may be drawn or read
        return svg
    svg = _hoist_text_attributes(svg)
    return _BETWEEN_TAGS.sub("><", svg)


def _hoist_text_attributes(svg: str) -> str:
    """Write each of :data:`HOISTED` once on the top group (its most common value over the
    texts) and drop it from the texts that carry that value. An attribute is left alone when
    some text lacks it (that text would inherit the new value) or the top group has it."""
    top = _TOP_GROUP.search(svg)
    texts = [dict(_ATTRIBUTE.findall(m.group(1))) for m in _TEXT_TAG.finditer(svg)]
    if top is None or not texts:
        return svg
    hoisted: dict[str, str] = {}
    for name in HOISTED:
        values = [attrs.get(name) for attrs in texts]
        if None in values or f' {name}="' in top.group(0):
            continue
        hoisted[name] = Counter(values).most_common(1)[0][0]  # type: ignore[assignment]
    if not hoisted:
        return svg

    def text_tag(m: re.Match[str]) -> str:
        attrs = m.group(1)
        for name, value in hoisted.items():
            attrs = attrs.replace(f' {name}="{value}"', "", 1)
        return f"<text{attrs}>"

    head = svg[:top.end() - 1] + "".join(f' {n}="{v}"' for n, v in hoisted.items()) + ">"
    return head + _TEXT_TAG.sub(text_tag, svg[top.end():])
