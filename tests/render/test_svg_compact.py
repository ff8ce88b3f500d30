"""A compacted diagram keeps everything a reader, a screen reader and the gate read, and
every text's font, size and anchor (issue 25: output size)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from build_site.analyse import analyse
from build_site.pipeline import load_and_validate
from build_site.render import diagrams
from build_site.render.diagrams import DiagramRenderer, clean_svg, model_dot
from build_site.render.fragments import stand_in
from build_site.render.svg_compact import HOISTED, compact_svg
from build_site.render.svg_paths import compact_paths

from .test_diagrams import LINKS

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"


def _both(tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    """The highlight diagram of the tiny study cleaned as before (no compaction) and now,
    both with their path data as written now (``tests/render/test_svg_paths.py`` compares
    the shapes that data draws), neither with its links named
    (``tests/render/test_svg_access.py`` tests that)."""
    monkeypatch.setattr(diagrams, "name_links", lambda svg: svg)
    analysis = analyse(load_and_validate(tiny))
    raw = DiagramRenderer(tmp_path / "cache").svg(
        model_dot(analysis, LINKS, highlight={"caring", "small-acts"}, prefix="d-x"))
    lean = clean_svg(raw, "Diagram")
    monkeypatch.setattr(diagrams, "compact_svg", compact_paths)
    return clean_svg(raw, "Diagram"), lean


def _texts(svg: str) -> list[tuple[str, dict[str, str | None]]]:
    """Every text's words with its effective (inherited) font, size and anchor."""
    found: list[tuple[str, dict[str, str | None]]] = []

    def walk(node: ET.Element, inherited: dict[str, str | None]) -> None:
        here = {name: node.get(name, inherited[name]) for name in HOISTED}
        if node.tag == f"{SVG}text":
            found.append((node.text or "", here))
        for child in node:
            walk(child, here)

    walk(ET.fromstring(svg), dict.fromkeys(HOISTED))
    return found


def _links(svg: str) -> list[tuple[str | None, str | None]]:
    return [(a.get("href") or a.get(f"{XLINK}href"), a.get(f"{XLINK}title"))
            for a in ET.fromstring(svg).iter(f"{SVG}a")]


def _drawn(svg: str) -> list[tuple[str, dict[str, str]]]:
    """Every element that draws, in order, with its attributes (text properties aside)."""
    return [(e.tag, {k: v for k, v in e.attrib.items() if k not in HOISTED})
            for e in ET.fromstring(svg).iter()
            if e.tag in {f"{SVG}path", f"{SVG}polygon", f"{SVG}ellipse", f"{SVG}text"}]


def test_compact_diagram_keeps_texts_links_and_drawing(
        tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    full, lean = _both(tiny, tmp_path, monkeypatch)
    assert len(lean) < 0.9 * len(full)
    assert _texts(lean) == _texts(full) and len(_texts(full)) > 5
    assert {t for t, _ in _texts(lean)} >= {"Listening", "Caring"}
    assert _links(lean) == _links(full) and len(_links(full)) > 5
    assert _drawn(lean) == _drawn(full)
    root_full, root_lean = ET.fromstring(full), ET.fromstring(lean)
    assert root_lean.attrib == root_full.attrib  # role, aria-label, size, min-width
    assert root_lean.get("role") == "group" and root_lean.get("aria-label") == "Diagram"
    kept_ids = [e.get("id") for e in root_full.iter()
                if e.get("id") and not e.get("id", "").startswith("a_")]
    assert [e.get("id") for e in root_lean.iter() if e.get("id")] == kept_ids
    classes = [e.get("class") for e in root_full.iter() if e.get("class")]
    assert [e.get("class") for e in root_lean.iter() if e.get("class")] == classes
    assert '<g id="a_' in full and '<g id="a_' not in lean
    # SVG 2's plain href instead of xlink:href on every link; the tooltip as it was
    assert "<a xlink:href=" in full and "xlink:href" not in lean
    assert lean.count("<a href=") == full.count("<a xlink:href=")
    assert lean.count("xlink:title=") == full.count("xlink:title=")
    assert "font-family" not in lean.split('class="graph"', 1)[1].split(">", 1)[1]
    # What Material's search indexer reads: the same words, still apart.
    assert stand_in(lean) == stand_in(full)
    assert "Listening<br> <br>" in (stand_in(lean) or "")


def test_a_text_with_its_own_size_keeps_it() -> None:
    svg = ('<svg xmlns="http://www.w3.org/2000/svg"><g id="g" class="graph">\n'
           '<text text-anchor="middle" font-family="F" font-size="12.00">a</text>\n'
           '<text text-anchor="middle" font-family="F" font-size="12.00">b</text>\n'
           '<text text-anchor="start" font-family="F" font-size="13.00">c</text>\n</g></svg>')
    lean = compact_svg(svg)
    assert _texts(lean) == _texts(svg)
    assert '<text text-anchor="start" font-size="13.00">c</text>' in lean
    assert lean.count("font-family") == 1


def test_a_text_without_an_attribute_stops_its_hoisting() -> None:
    # Hoisting font-size would give the second text 12 where it drew the default.
    svg = ('<svg xmlns="http://www.w3.org/2000/svg"><g class="graph">'
           '<text font-size="12.00">a</text><text>b</text></g></svg>')
    assert _texts(compact_svg(svg)) == _texts(svg)
    assert compact_svg(svg) == svg


def test_white_space_inside_text_with_children_is_kept() -> None:
    svg = '<svg><g class="graph"><text font-size="1">a\n<tspan>b</tspan>\n</text></g></svg>'
    assert compact_svg(svg) == svg
    assert re.search(r"a\n<tspan>", compact_svg(svg))
