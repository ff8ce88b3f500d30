"""Graphviz's path data written shorter, drawing the same shapes to the pixel (issue 25: output
size).

``dot -Tsvg`` writes every path as one ``M`` and a run of absolute cubic Béziers, straight
sides included: a rounded box (every node, every cluster) is eight cubics in about 230 bytes,
``M558,-575C558,-575 482,-575 482,-575 476,-575 470,-569 470,-563 ...``. Written here:

- when every number of the path is a whole number or a half (a box's corners and sides
  always are), as relative cubics: ``M558-575c0 0-76 0-76 0-6 0-12 6-12 12 ...``, about
  115 bytes. The browser turns a relative point back into an absolute one by adding the
  current point (SVG 1.1, 8.3.2 and 8.3.6); for whole numbers and halves that sum is exact in
  single precision, so it gets exactly the numbers the absolute form gave it and draws the
  same curves. (Writing the straight sides as ``H``/``V`` lines instead changed anti-aliasing
  at box corners by one level in a few pixels, and moved the dashes of dashed outlines.)
- otherwise (an edge's curve: ``201.48,-119``) with Graphviz's own digits, absolute, one
  ``C`` for the run of cubics (SVG 1.1, 8.3.2: a command letter may be left out when it
  repeats), and no comma or space before a negative number (8.3.9: a minus sign starts a
  new number); ``points`` likewise (9.7.1).

A path not shaped as Graphviz writes it is left as it is. ``tests/render/test_svg_paths.py``
checks that every curve ends and bends where it did, ``tests/browser/test_diagram_pixels.py``
that a page draws the same pixels, light and dark.
"""

from __future__ import annotations

import re
from fractions import Fraction
from functools import lru_cache

_TOKEN = re.compile(r"[A-Za-z]|-?(?:\d+\.?\d*|\.\d+)")
_NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)$")
_WHOLE_OR_HALF = re.compile(r"-?\d+(?:\.5)?$")
_PATH_D = re.compile(r'(<path\b[^>]*?\sd=")([^"]*)(")')
_POINTS = re.compile(r'(<polygon\b[^>]*?\spoints=")([^"]*)(")')
_POINTS_SHAPE = re.compile(r"\s*-?[\d.]+,-?[\d.]+(?:\s+-?[\d.]+,-?[\d.]+)*\s*")
_SEPARATORS = re.compile(r"[\s,]+")


def compact_paths(svg: str) -> str:
    """``svg`` with every ``<path d>`` shortened (:func:`compact_d`) and every ``<polygon
    points>`` written without separators before negative numbers (:func:`compact_points`).

    Returns:
        The SVG; the same string when no path or polygon is shaped as Graphviz writes them.
    """
    svg = _PATH_D.sub(lambda m: m.group(1) + compact_d(m.group(2)) + m.group(3), svg)
    return _POINTS.sub(lambda m: m.group(1) + compact_points(m.group(2)) + m.group(3), svg)


@lru_cache(maxsize=8192)  # the case diagrams share the model's layout: the same paths recur
def compact_d(d: str) -> str:
    """Graphviz path data ``d`` (``M x,y C x1,y1 x2,y2 x3,y3 ...``) written shorter: see the
    module docstring.

    Returns:
        The shorter data; ``d`` itself when it is not one ``M`` and cubics only (``C`` with a
        multiple of six numbers), or holds a token that is not a command or a number.
    """
    tokens = _TOKEN.findall(d)
    if "".join(tokens) != _SEPARATORS.sub("", d):  # something this reader does not know
        return d
    if len(tokens) < 4 or tokens[0] != "M" or tokens[3] != "C":
        return d
    numbers: list[str] = []
    for token in tokens[4:]:
        if token == "C" and len(numbers) % 6 == 0:
            continue
        if not _NUMBER.match(token):
            return d
        numbers.append(token)
    start = tokens[1:3]
    if not all(_NUMBER.match(t) for t in start) or not numbers or len(numbers) % 6:
        return d
    if all(_WHOLE_OR_HALF.match(t) for t in (*start, *numbers)):
        return "M" + _joined(start) + "c" + _joined(_relative(start, numbers))
    return "M" + _joined(start) + "C" + _joined(numbers)


def _relative(start: list[str], numbers: list[str]) -> list[str]:
    """The cubics' points (``numbers``, absolute, from ``start``) relative to each cubic's
    start, the end of the one before: exact, in whole numbers and halves."""
    x, y = Fraction(start[0]), Fraction(start[1])
    out: list[str] = []
    for i in range(0, len(numbers), 6):
        points = [Fraction(n) for n in numbers[i:i + 6]]
        out += [_number(p - (x if j % 2 == 0 else y)) for j, p in enumerate(points)]
        x, y = points[4], points[5]
    return out


def _number(value: Fraction) -> str:
    """A whole number or a half as the shortest decimal SVG reads: ``12``, ``-0.5``."""
    return str(value.numerator) if value.denominator == 1 else str(float(value))


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
