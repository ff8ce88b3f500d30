"""Charts rendered at build time to inline SVG, drawn here as plain SVG elements (no plotting
library, no JavaScript).

Output is reproducible (the same numbers give the same bytes: no date, no random ids), text is
kept as ``<text>`` so the site's stylesheet can colour it for light and dark palettes, and the
background is transparent.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from html import escape
from pathlib import Path

from build_site.analyse import SaturationSeries

# Colours that read against both Material palettes; text colour comes from the stylesheet.
_BAR = "#26a69a"
_LINE = "#ef6c00"
_AXIS = "#8a8a8a"
_JUDGED = "#888888"
_FONT = 'font-family="DejaVu Sans, sans-serif" font-size="12"'


@dataclass(frozen=True)
class _Frame:
    """The plot area in SVG units: left, top, right, bottom, and the y axis's top value."""

    left: float
    top: float
    right: float
    bottom: float
    y_max: int

    def x(self, position: float, count: int) -> float:
        """The x of interview ``position`` (1-based; halves fall between interviews)."""
        return self.left + (position - 0.5) * (self.right - self.left) / count

    def y(self, value: float) -> float:
        return self.bottom - value * (self.bottom - self.top) / self.y_max


def saturation_chart(series: SaturationSeries, judged_after: int | None,
                     cache_dir: Path | None = None) -> str:
    """An SVG chart: bars of new codes per interview, a line of cumulative codes, and a dashed
    vertical line where the team judged saturation reached (``judged_after``), if given.

    With ``cache_dir`` the SVG is kept there, keyed by a hash of the plotted numbers and this
    module's source, so a rebuild with the same numbers does not draw again.

    Returns:
        The ``<svg>`` element as text (no XML prolog), labelled for screen readers.
    """
    orders = [p.order for p in series.points]
    new = [p.added for p in series.points]
    total = [p.cumulative for p in series.points]
    if cache_dir is None:
        return _draw(orders, new, total, judged_after)
    key = hashlib.sha256(json.dumps([
        Path(__file__).read_text(encoding="utf-8"), orders, new, total, judged_after
    ]).encode()).hexdigest()
    path = cache_dir / f"{key}.svg"
    if path.is_file():
        return path.read_text(encoding="utf-8")
    svg = _draw(orders, new, total, judged_after)
    cache_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(svg, encoding="utf-8")
    tmp.replace(path)
    return svg


def _ticks(top: int) -> tuple[int, list[int]]:
    """A round step (1, 2 or 5 times a power of ten) giving at most six ticks from 0 past
    ``top``, and the axis's top value. Returns ``(axis_top, ticks)``."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            candidate = step * factor
            if -(-max(top, 1) // candidate) <= 5:
                axis_top = -(-max(top, 1) // candidate) * candidate
                return axis_top, list(range(0, axis_top + 1, candidate))
        step *= 10


def _f(value: float) -> str:
    """A coordinate with one decimal, trailing zeros dropped, for short, stable bytes."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _draw(orders: list[int], new: list[int], total: list[int], judged_after: int | None) -> str:
    """The chart's SVG: axes with round ticks, a bar per interview (new codes), a line with a
    dot per interview (codes so far), the team's judgement as a dashed line, a legend above."""
    count = max(len(orders), 1)
    axis_top, y_ticks = _ticks(max([*total, *new, 1]))
    frame = _Frame(left=52, top=44, right=708, bottom=268, y_max=axis_top)
    band = (frame.right - frame.left) / count
    parts: list[str] = []
    for tick in y_ticks:
        y = _f(frame.y(tick))
        parts.append(f'<line x1="{_f(frame.left - 4)}" y1="{y}" x2="{_f(frame.left)}" y2="{y}" '
                     f'stroke="{_AXIS}"/><text x="{_f(frame.left - 8)}" y="{y}" '
                     f'text-anchor="end" dominant-baseline="middle">{tick}</text>')
    every = -(-count // 12)
    for index, order in enumerate(orders):
        x = frame.x(index + 1, count)
        width = band * 0.8
        if new[index]:
            parts.append(f'<rect x="{_f(x - width / 2)}" y="{_f(frame.y(new[index]))}" '
                         f'width="{_f(width)}" height="{_f(frame.bottom - frame.y(new[index]))}" '
                         f'fill="{_BAR}"><title>Interview {order}: {new[index]} new</title>'
                         "</rect>")
        if index % every == 0 or index == count - 1:
            parts.append(f'<text x="{_f(x)}" y="{_f(frame.bottom + 16)}" '
                         f'text-anchor="middle">{order}</text>')
    points = " ".join(f"{_f(frame.x(i + 1, count))},{_f(frame.y(v))}"
                      for i, v in enumerate(total))
    if points:
        parts.append(f'<polyline points="{points}" fill="none" stroke="{_LINE}" '
                     'stroke-width="1.5"/>')
        parts.extend(f'<circle cx="{_f(frame.x(i + 1, count))}" cy="{_f(frame.y(v))}" r="3" '
                     f'fill="{_LINE}"><title>Interview {orders[i]}: {v} codes so far</title>'
                     "</circle>" for i, v in enumerate(total))
    if judged_after and judged_after in orders:
        judged_x = _f(frame.x(orders.index(judged_after) + 1.5, count))
        parts.append(f'<line x1="{judged_x}" y1="{_f(frame.top)}" x2="{judged_x}" '
                     f'y2="{_f(frame.bottom)}" '
                     f'stroke="{_JUDGED}" stroke-dasharray="5 4"/>')
    parts.append(f'<path d="M{_f(frame.left)},{_f(frame.top)}V{_f(frame.bottom)}'
                 f'H{_f(frame.right)}" fill="none" stroke="{_AXIS}"/>')
    parts.append(_legend(bool(judged_after and judged_after in orders)))
    parts.append(f'<text x="{_f((frame.left + frame.right) / 2)}" y="308" '
                 'text-anchor="middle">Interview, in the order conducted</text>')
    parts.append(f'<text transform="translate(14 {_f((frame.top + frame.bottom) / 2)}) '
                 'rotate(-90)" text-anchor="middle">Codes</text>')
    label = ("Chart of new codes per interview and cumulative codes across "
             f"{len(orders)} interviews")
    return (f'<svg role="img" aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg" '
            f'viewBox="0 0 720 320" width="720" height="320" {_FONT}>'
            f"<title>{escape(label)}</title>{''.join(parts)}</svg>")


def _legend(judged: bool) -> str:
    """The legend, in one row above the plot: swatch and words for each series."""
    items = [
        f'<rect x="0" y="-9" width="14" height="10" fill="{_BAR}"/>',
        f'<line x1="0" y1="-4" x2="14" y2="-4" stroke="{_LINE}" stroke-width="1.5"/>'
        f'<circle cx="7" cy="-4" r="3" fill="{_LINE}"/>',
    ]
    words = ["New codes in this interview", "Codes so far (cumulative)"]
    if judged:
        items.append(f'<line x1="0" y1="-4" x2="14" y2="-4" stroke="{_JUDGED}" '
                     'stroke-dasharray="5 4"/>')
        words.append("Saturation judged by the team")
    out, x = [], 52.0
    for swatch, word in zip(items, words, strict=True):
        out.append(f'<g transform="translate({_f(x)} 20)">{swatch}'
                   f'<text x="20" y="0">{escape(word)}</text></g>')
        x += 20 + 7.2 * len(word) + 24
    return "".join(out)
