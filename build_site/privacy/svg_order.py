"""SVG text in the order it is drawn, for the leak gate.

An SVG ``<text>`` element may place its pieces anywhere: ``<tspan x="40">cott</tspan>``
before ``<tspan x="0">Al</tspan>`` is stored "cottAl" and drawn "Alcott", and
``<text x="20 0 10">lAc</text>`` draws "Acl" (SVG 2, 11.5: the ``x`` attribute of text
content elements, a list of absolute positions, one per character). :func:`drawn_order` gives
each element's text in the order of its explicit ``x`` positions (left to right; a
right-to-left or vertical layout is not modelled).
"""

from __future__ import annotations

import html
import re

_TEXT = re.compile(r"<text\b([^>]*)>(.*?)</text\s*>", re.S | re.I)
_TSPAN = re.compile(r"<tspan\b([^>]*)>(.*?)</tspan\s*>", re.S | re.I)
_X = re.compile(r"""\bx\s*=\s*["']([^"']*)["']""")
_TAG = re.compile(r"<[^<>]*>")
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def _positions(attributes: str) -> list[float]:
    match = _X.search(attributes)
    return [float(n) for n in _NUMBER.findall(match.group(1))] if match else []


def _one_position(attributes: str) -> bool:
    """Whether the ``x`` attribute in ``attributes`` gives at most one position."""
    match = _X.search(attributes)
    return not match or len(_NUMBER.findall(match.group(1))) <= 1


def _placed(attributes: str, content: str, start: float) -> list[tuple[float, str]]:
    """The characters (or whole run) of one piece with the x position each is drawn at."""
    text = html.unescape(_TAG.sub("", content))
    xs = _positions(attributes)
    if len(xs) > 1:
        # Characters past the last position follow it (SVG 2, 11.5.1).
        return [(xs[min(i, len(xs) - 1)] + max(0, i - len(xs) + 1) * 1e-3, c)
                for i, c in enumerate(text)]
    return [(xs[0] if xs else start, text)]


def drawn_order(markup: str, reordered_only: bool = False) -> list[list[str]]:
    """The pieces of each SVG ``<text>`` element in ``markup`` whose pieces carry explicit
    ``x`` positions (tspans, or characters given positions of their own), sorted by
    position; elements without positions are left out (they are read as stored).

    With ``reordered_only``, also an element drawn as one piece that is its own text as
    stored (no markup or character reference inside, at most one ``x`` position): that text
    stands between two tags, so whoever reads the text between tags reads it already (the
    leak gate's word filter, :mod:`build_site.privacy.word_filter`)."""
    readings = []
    for attributes, body in _TEXT.findall(markup):
        if "x" not in body and not _X.search(attributes):
            continue
        if reordered_only and "<" not in body and "&" not in body and _one_position(
                attributes):
            continue
        pieces = _placed(attributes, _TSPAN.sub("", body), 0.0) if _X.search(attributes) \
            else []
        position = pieces[-1][0] if pieces else 0.0
        for tspan_attributes, content in _TSPAN.findall(body):
            placed = _placed(tspan_attributes, content, position + 1e-3)
            pieces.extend(placed)
            position = placed[-1][0]
        readings.append([piece for _, piece in sorted(pieces, key=lambda p: p[0])])
    return readings
