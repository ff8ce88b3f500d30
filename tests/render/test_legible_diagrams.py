"""Diagrams people can read (issue 23 item 1), what can be checked without a browser: every
relation's label beside its own drawn line, text drawn at 12 pt, the floor width that keeps it
at 12 CSS px, the key, and relation verbs that agree with a whole kind as subject."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
from lxml import etree

from build_site.analyse import analyse
from build_site.pipeline import load_and_validate
from build_site.render.diagrams import (
    DiagramLinks,
    DiagramRenderer,
    clean_svg,
    min_width_style,
    model_dot,
)
from build_site.verbs import plural_verb

REPO = Path(__file__).resolve().parents[2]
LINKS = DiagramLinks(component=lambda i: f"../model/{i}.html",
                     relation=lambda i: f"../model/relations.html#{i}")
SVG = "{http://www.w3.org/2000/svg}"


def _bundled_svg(tmp_path: Path) -> etree._Element:
    analysis = analyse(load_and_validate(REPO / "casestudies"))
    svg = clean_svg(DiagramRenderer(tmp_path).svg(model_dot(analysis, LINKS, prefix="m")),
                    "The model")
    return etree.fromstring(svg.encode("utf-8"))


def _curve(d: str) -> list[tuple[float, float]]:
    """Points along a Graphviz edge path (``M x,y C x1,y1 x2,y2 x3,y3 ...``), 20 per cubic."""
    numbers = [float(n) for n in re.findall(r"-?[0-9]+(?:\.[0-9]+)?", d)]
    pts = list(zip(numbers[::2], numbers[1::2], strict=False))
    out = [pts[0]]
    for i in range(1, len(pts) - 2, 3):
        p0, p1, p2, p3 = pts[i - 1], pts[i], pts[i + 1], pts[i + 2]
        for step in range(1, 21):
            t = step / 20
            out.append(tuple(  # type: ignore[arg-type]
                (1 - t) ** 3 * a + 3 * (1 - t) ** 2 * t * b + 3 * (1 - t) * t ** 2 * c + t ** 3 * e
                for a, b, c, e in zip(p0, p1, p2, p3, strict=True)))
    return out


def _inherited(element: etree._Element, name: str) -> str:
    """The value of an inherited attribute (``font-size``, ``text-anchor``) as drawn: the
    element's own or its nearest ancestor's (compacted diagrams write it once on a group)."""
    for node in (element, *element.iterancestors()):
        if node.get(name) is not None:
            return str(node.get(name))
    raise AssertionError(f"no {name} on {element.text!r} or its ancestors")


Box = tuple[float, float, float, float]  # centre x, centre y, half width, half height


def _text_box(text: etree._Element) -> Box:
    """The box a label covers (DejaVu Sans: about 0.55 em per character)."""
    x, y = float(text.get("x")), float(text.get("y"))
    size = float(_inherited(text, "font-size"))
    width = len(text.text or "") * size * 0.55
    shift = {"start": width / 2, "middle": 0.0, "end": -width / 2}[_inherited(text, "text-anchor")]
    return x + shift, y - size * 0.35, width / 2, size / 2


def _gap(box: Box, point: tuple[float, float]) -> float:
    """Distance from a point to the nearest side of a label's box (0 inside)."""
    dx = max(abs(point[0] - box[0]) - box[2], 0.0)
    dy = max(abs(point[1] - box[1]) - box[3], 0.0)
    return math.hypot(dx, dy)


def test_every_relation_label_is_nearest_its_own_line(tmp_path: Path) -> None:
    """Before: the label of 'processes produce outcomes' (an edge to a whole kind) sat at the
    hidden middle of its route, beside 'reinforces', 120 pt from its own line."""
    root = _bundled_svg(tmp_path)
    lines: dict[str, list[tuple[float, float]]] = {}
    labels: dict[str, list[Box]] = {}
    for group in root.iter(f"{SVG}g"):
        if "edge" not in (group.get("class") or "").split():
            continue
        rel = group.get("id", "")
        paths = [p.get("d") for p in group.iter(f"{SVG}path")]
        lines[rel] = [pt for d in paths for pt in _curve(d)]
        labels[rel] = [_text_box(t) for t in group.iter(f"{SVG}text")]
    assert sum(len(v) for v in labels.values()) >= 7, labels
    for rel, boxes in labels.items():
        for box in boxes:
            distance = {other: min(_gap(box, p) for p in pts)
                        for other, pts in lines.items() if pts}
            nearest = min(distance, key=lambda k: distance[k])
            assert nearest == rel, (f"the label of {rel} is {distance[rel]:.0f} pt from its "
                                    f"line but {distance[nearest]:.0f} pt from {nearest}")
            assert distance[rel] < 15, f"the label of {rel} is {distance[rel]:.0f} pt away"


def test_text_is_drawn_at_12_points_and_kept_legible(tmp_path: Path) -> None:
    root = _bundled_svg(tmp_path)
    sizes = {float(_inherited(t, "font-size")) for t in root.iter(f"{SVG}text")}
    assert min(sizes) >= 12, sizes
    width_pt = float(root.get("width").removesuffix("pt"))
    floor = int(re.fullmatch(r"min-width: (\d+)px", root.get("style")).group(1))  # type: ignore[union-attr]
    # Shown at its floor width the smallest text is still 12 CSS px (1 pt = 4/3 px).
    assert min(sizes) * 4 / 3 * floor / (width_pt * 4 / 3) >= 12
    # The bundled model fits a 690 px column (Material at 1280 px) without scrolling.
    assert floor <= 690, floor


def test_long_labels_wrap_instead_of_widening(tmp_path: Path) -> None:
    root = _bundled_svg(tmp_path)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Acceptance of the illness experience" not in texts
    assert {"Acceptance of", "the illness", "experience"} <= set(texts)
    assert max(len(t or "") for t in texts) <= 22, max(texts, key=lambda t: len(t or ""))


def test_min_width_style_needs_a_width_in_points() -> None:
    assert min_width_style('<svg width="640pt" height="10pt">') == "min-width: 641px"
    assert min_width_style('<svg width="100%">') == ""


@pytest.mark.parametrize(("verb", "plural"), [
    ("facilitates", "facilitate"), ("produces", "produce"), ("reinforces", "reinforce"),
    ("clarifies", "clarify"), ("reaches", "reach"), ("leads to", "lead to"), ("is part of",
    "are part of"), ("has", "have"), ("obeys", "obey"), ("access", "access"), ("enable", "enable"),
])
def test_plural_verb(verb: str, plural: str) -> None:
    assert plural_verb(verb) == plural


def test_a_whole_kind_takes_the_plural_verb(bundled_site: Path, tmp_path: Path) -> None:
    """Before: 'clinician competencies facilitates relational processes'."""
    relations = (bundled_site / "model" / "relations.html").read_text(encoding="utf-8")
    assert "clinician competencies facilitate relational processes" in relations.lower()
    assert "competencies facilitates" not in relations.lower()
    history = (bundled_site / "model" / "history.html").read_text(encoding="utf-8")
    assert "all clinician competencies facilitate all relational processes" in history
    assert "Self-confidence facilitates Hope" in relations  # one component: as written
    texts = [t.text for t in _bundled_svg(tmp_path).iter(f"{SVG}text")]
    assert "facilitate" in texts and "produce" in texts


def test_the_key_explains_lines_colours_and_highlight(bundled_site: Path) -> None:
    model = (bundled_site / "model" / "index.html").read_text(encoding="utf-8")
    key = re.search(r'<ul class="bs-diagram-key".*?</ul>', model, re.S)
    assert key, "no key under the model diagram"
    for words in ("relation: established", "relation: tentative", "Clinician competencies",
                  "Relational processes", "Relational outcomes"):
        assert words in key.group(0)
    assert "evidenced in this case" not in key.group(0)
    assert "relation: asserted" not in key.group(0)  # only the line styles it draws
    dyad = (bundled_site / "dyads" / "D1-P1.html").read_text(encoding="utf-8")
    assert "not evidenced in this case" in dyad
