"""Graphviz's path data written shorter, drawing the same shapes (issue 25: output size).

``dot -Tsvg`` writes every path as one ``M`` and a run of cubic Béziers, straight sides
included: a rounded box (every node, every cluster) is four straight sides written as cubics
whose control points sit on their end points, and four corners, about 230 bytes. A cubic whose
first control point is its start and whose second is its end is the straight segment between
them (SVG 1.1, 8.3.6: the curve is ``B(t) = (1-t)^3 P0 + 3(1-t)^2 t P1 + 3(1-t) t^2 P2 + t^3
P3``; with ``P1 = P0`` and ``P2 = P3`` every point lies on ``P0 P3``, in order), so it is
written as ``H``, ``V`` or ``L``, except on a dashed path (``stroke-dasharray``): Chromium
measures a dash pattern along a cubic by flattening it, and the dashes of a cluster's outline
moved by a pixel here and there when its sides became lines, so a dashed path keeps its
cubics and only its numbers are written shorter (a stylesheet that dashes a solid Graphviz
stroke would meet the same sub-pixel shift; the site's own does not). Numbers keep Graphviz's
own digits and absolute coordinates (no rounding, no relative arithmetic); a comma or space
before a negative number goes (SVG 1.1, 8.3.9 and 9.7.1: a minus sign starts a new number), in
``points`` as well. A path not shaped as Graphviz writes it, or a segment of zero length, is
left as it is.

``tests/render/test_svg_paths.py`` checks that every segment ends where it did and every curve
keeps its control points; ``tests/browser/test_diagram_pixels.py`` that the page draws the
same pixels, light and dark.
"""

from __future__ import annotations

import re
from functools import lru_cache

_TOKEN = re.compile(r"[A-Za-z]|-?(?:\d+\.?\d*|\.\d+)")
_NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)$")
_PATH = re.compile(r"<path\b[^>]*>")
_D = re.compile(r'(\sd=")([^"]*)(")')
_POINTS = re.compile(r'(<polygon\b[^>]*?\spoints=")([^"]*)(")')
_POINTS_SHAPE = re.compile(r"\s*-?[\d.]+,-?[\d.]+(?:\s+-?[\d.]+,-?[\d.]+)*\s*")
_SEPARATORS = re.compile(r"[\s,]+")


def compact_paths(svg: str) -> str:
    """``svg`` with every ``<path d>`` shortened (:func:`compact_d`) and every ``<polygon
    points>`` written without separators before negative numbers (:func:`compact_points`).

    Returns:
        The SVG; the same string when no path or polygon is shaped as Graphviz writes them.
    """
    svg = _PATH.sub(_path_tag, svg)
    return _POINTS.sub(lambda m: m.group(1) + compact_points(m.group(2)) + m.group(3), svg)


def _path_tag(tag: re.Match[str]) -> str:
    straight = "stroke-dasharray" not in tag.group(0)
    return _D.sub(lambda m: m.group(1) + compact_d(m.group(2), straight) + m.group(3),
                  tag.group(0), count=1)


@lru_cache(maxsize=8192)  # the case diagrams share the model's layout: the same paths recur
def compact_d(d: str, straight: bool = True) -> str:
    """Graphviz path data ``d`` (``M x,y C x1,y1 x2,y2 x3,y3 ...``) with each straight cubic as
    ``H``, ``V`` or ``L`` (only when ``straight``: false for a dashed path) and the other
    cubics as ``C``: see the module docstring.

    Returns:
        The shorter data; ``d`` itself when it is not one ``M`` and cubics only (``C`` with a
        multiple of six numbers), or holds a token that is not a command or a number.
    """
    tokens = _TOKEN.findall(d)
    if "".join(tokens) != _SEPARATORS.sub("", d):  # something this reader does not know
        return d
    if len(tokens) < 3 or tokens[0] != "M" or not all(_NUMBER.match(t) for t in tokens[1:3]):
        return d
    numbers: list[str] = []
    for token in tokens[3:]:
        if token == "C" and len(numbers) % 6 == 0:
            continue
        if not _NUMBER.match(token):
            return d
        numbers.append(token)
    if not numbers or len(numbers) % 6 or tokens[3] != "C":
        return d
    x, y = tokens[1], tokens[2]
    out = ["M" + _joined([x, y])]
    for i in range(0, len(numbers), 6):
        x1, y1, x2, y2, x3, y3 = numbers[i:i + 6]
        out.append(_segment((x, y), (x1, y1), (x2, y2), (x3, y3)) if straight
                   else "C" + _joined([x1, y1, x2, y2, x3, y3]))
        x, y = x3, y3
    return "".join(out)


def _segment(start: tuple[str, str], first: tuple[str, str], second: tuple[str, str],
             end: tuple[str, str]) -> str:
    """One cubic from ``start``: a line command when it is straight (control points on the
    end points) and not of zero length, else ``C`` with its three points."""
    if _same(first, start) and _same(second, end) and not _same(start, end):
        if float(start[1]) == float(end[1]):
            return "H" + end[0]
        if float(start[0]) == float(end[0]):
            return "V" + end[1]
        return "L" + _joined(list(end))
    return "C" + _joined([*first, *second, *end])


def _same(a: tuple[str, str], b: tuple[str, str]) -> bool:
    return float(a[0]) == float(b[0]) and float(a[1]) == float(b[1])


def _joined(numbers: list[str]) -> str:
    """Numbers written one after the other: a space between two, none before a minus sign."""
    return numbers[0] + "".join(n if n.startswith("-") else " " + n for n in numbers[1:])


@lru_cache(maxsize=8192)
def compact_points(points: str) -> str:
    """A Graphviz ``points`` value (``x,y x,y ...``) without the comma or space before a
    negative number; ``points`` itself when it is not pairs of numbers so written."""
    if not _POINTS_SHAPE.fullmatch(points):
        return points
    return _joined(_SEPARATORS.split(points.strip()))
