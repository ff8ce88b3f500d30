"""Helpers of the browser tests: the page of each type, screenshots kept as artefacts, and
the contrast of diagram labels against what is painted behind them (WCAG 2 formula)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import Locator, Page

ARTEFACTS = Path(os.environ.get("BUILD_SITE_ARTEFACTS") or Path(__file__).parent / "artefacts")

# One page of every type, as a path relative to the site root. The component is the first one
# the home diagram links to (a component with elements, so its page is a full one).
FIXED_PAGES = {
    "home": "index.html",
    "model": "model/index.html",
    "matrix": "analysis/matrix.html",
    "excerpts": "analysis/excerpts.html",
    "methods": "methods/index.html",
    "coreq": "methods/coreq.html",
}


def page_types(site: Path) -> dict[str, str]:
    """Every page type of the site in ``site`` -> one page of that type."""
    home = (site / "index.html").read_text(encoding="utf-8")
    component = re.search(
        r'<a (?:xlink:)?href="(model/[^"#/]+\.html)" (?:aria-label|xlink:title)=', home)
    assert component, "the home diagram links to no component page"
    first = {kind: sorted(p.name for p in (site / folder).glob("*.html"))[0]
             for kind, folder in (("clinician", "clinicians"), ("dyad", "dyads"))}
    return {**FIXED_PAGES, "component": component.group(1),
            "clinician": f"clinicians/{first['clinician']}", "dyad": f"dyads/{first['dyad']}"}


def shoot(page: Page, name: str, full_page: bool = True) -> Path:
    """Save a screenshot of ``page`` as ``ARTEFACTS/name.png``."""
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTEFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page, animations="disabled")
    return path


def heading(text: str) -> re.Pattern[str]:
    """A page title as its ``h1`` shows it (Material adds a permalink sign)."""
    return re.compile(rf"^\s*{re.escape(text)}\s*¶?\s*$")


def scheme(page: Page) -> str:
    """Material's active colour scheme: ``default`` (light) or ``slate`` (dark)."""
    value: str = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    return value


# -- contrast ---------------------------------------------------------------------------------

RGB = tuple[float, float, float]
RGBA = tuple[float, float, float, float]


def luminance(rgb: RGB) -> float:
    """Relative luminance of an sRGB colour (channels 0-255), as WCAG 2 defines it."""
    def linear(channel: float) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: RGB, b: RGB) -> float:
    """WCAG 2 contrast ratio of two opaque colours, from 1 to 21."""
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def over(top: RGBA, bottom: RGB) -> RGB:
    """``top`` (with its alpha) painted over the opaque ``bottom``."""
    alpha = top[3]
    return (top[0] * alpha + bottom[0] * (1 - alpha), top[1] * alpha + bottom[1] * (1 - alpha),
            top[2] * alpha + bottom[2] * (1 - alpha))


def mix(a: RGB, b: RGB, alpha: float) -> RGB:
    """``a`` at opacity ``alpha`` over ``b``."""
    return over((*a, alpha), b)


# For every <text> of an inline SVG diagram: its computed fill, the opacity of the group that
# fades it (a `dim` node), and at three points of the label (middle, left, right) the fills
# painted before it that contain the point, split into those inside that group and outside it;
# plus the background colours of the diagram's HTML ancestors, outermost first.
LABELS_JS = r"""
(svg) => {
  const parse = (value) => {
    const m = /^rgba?\(([^)]*)\)$/.exec(String(value).trim());
    if (!m) return null;  // none, url(...)
    const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const paint = (el) => {
    const style = getComputedStyle(el);
    const c = parse(style.fill);
    if (c) c[3] *= Number(style.fillOpacity);
    return c;
  };
  const opacity = (el) => Number(getComputedStyle(el).opacity);
  const page = [];
  for (let el = svg.parentElement; el; el = el.parentElement) {
    const c = parse(getComputedStyle(el).backgroundColor);
    if (c && c[3] > 0) page.unshift(c);
  }
  const shapes = [...svg.querySelectorAll("path, polygon, polyline, ellipse, circle, rect")]
    .filter((s) => !s.closest("g.edge"));
  return {page, labels: [...svg.querySelectorAll("text")].map((text) => {
    let group = null, alpha = 1;
    for (let el = text; el && el !== svg; el = el.parentElement) {
      const o = opacity(el);
      if (o < 1) { alpha *= o; group = el; }
    }
    const box = text.getBBox();
    const y = box.y + box.height / 2;
    const inset = Math.min(2, box.width / 4);
    const screen = text.getScreenCTM();
    const samples = [box.x + box.width / 2, box.x + inset, box.x + box.width - inset].map((x) => {
      const at = new DOMPoint(x, y).matrixTransform(screen);
      const inside = [], outside = [];
      for (const shape of shapes) {
        if (!(shape.compareDocumentPosition(text) & Node.DOCUMENT_POSITION_FOLLOWING)) continue;
        if (!shape.isPointInFill(at.matrixTransform(shape.getScreenCTM().inverse()))) continue;
        const c = paint(shape);
        if (!c) continue;
        if (group && group.contains(shape)) { inside.push(c); continue; }
        for (let el = shape; el && el !== svg; el = el.parentElement) c[3] *= opacity(el);
        outside.push(c);
      }
      return {inside, outside};
    });
    return {label: text.textContent.trim(), fill: paint(text), alpha, samples};
  })};
}
"""


@dataclass(frozen=True)
class LabelContrast:
    """A diagram label's lowest contrast over its sample points, with the colours behind it."""

    label: str
    ratio: float
    fg: RGB
    bg: RGB

    def __str__(self) -> str:
        def hexa(c: RGB) -> str:
            return "#" + "".join(f"{round(v):02x}" for v in c)
        return f"{self.label!r}: {self.ratio:.2f}:1 ({hexa(self.fg)} on {hexa(self.bg)})"


def _rgba(value: list[float]) -> RGBA:
    return (value[0], value[1], value[2], value[3])


def label_contrasts(svg: Locator) -> list[LabelContrast]:
    """The contrast of every text label of the inline SVG ``svg`` against the resolved colour
    behind it: the fill of the node it sits on (clusters' translucent fills included), else the
    page background; a faded group fades its label and its node alike."""
    data: dict[str, Any] = svg.evaluate(LABELS_JS)
    page_bg: RGB = (255.0, 255.0, 255.0)  # the canvas
    for layer in data["page"]:
        page_bg = over(_rgba(layer), page_bg)
    results = []
    for label in data["labels"]:
        assert label["fill"], f"diagram label {label['label']!r} has no fill colour"
        worst: LabelContrast | None = None
        for sample in label["samples"]:
            backdrop = page_bg  # what lies behind the group that fades the label, if any
            for layer in sample["outside"]:
                backdrop = over(_rgba(layer), backdrop)
            inner = backdrop
            for layer in sample["inside"]:
                inner = over(_rgba(layer), inner)
            fg = mix(over(_rgba(label["fill"]), inner), backdrop, label["alpha"])
            bg = mix(inner, backdrop, label["alpha"])
            ratio = contrast(fg, bg)
            if worst is None or ratio < worst.ratio:
                worst = LabelContrast(label["label"], ratio, fg, bg)
        assert worst is not None
        results.append(worst)
    return results
