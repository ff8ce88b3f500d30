"""Graphviz's path data written shorter keeps every shape: each segment ends where it did,
each curve keeps its control points, each polygon its points (issue 25: output size)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from build_site.analyse import analyse
from build_site.pipeline import load_and_validate
from build_site.render import diagrams
from build_site.render.diagrams import DiagramRenderer, clean_svg, model_dot
from build_site.render.svg_paths import compact_d, compact_paths, compact_points

from .test_diagrams import LINKS

SVG = "{http://www.w3.org/2000/svg}"
ROUNDED_BOX = ("M558,-575C558,-575 482,-575 482,-575 476,-575 470,-569 470,-563 470,-563 "
               "470,-551 470,-551 470,-545 476,-539 482,-539 482,-539 558,-539 558,-539 "
               "564,-539 570,-545 570,-551 570,-551 570,-563 570,-563 570,-569 564,-575 "
               "558,-575")
Point = tuple[float, float]
Cubic = tuple[Point, Point, Point, Point]


def cubics(d: str) -> list[Cubic]:
    """Every segment of ``d`` (``M``, ``C``, ``H``, ``V``, ``L``, absolute) as the cubic it
    draws: a line from P0 to P3 is the cubic with P1 = P0 and P2 = P3 (SVG 1.1, 8.3.6)."""
    tokens = re.findall(r"[MCHVL]|-?\d+\.?\d*", d)
    found: list[Cubic] = []
    here: Point = (0.0, 0.0)
    command = ""
    i = 0
    while i < len(tokens):
        if tokens[i].isalpha():
            command = tokens[i]
            i += 1
        n = [float(t) for t in tokens[i:i + {"M": 2, "C": 6, "L": 2, "H": 1, "V": 1}[command]]]
        if command == "M":
            here = (n[0], n[1])
        elif command == "C":
            found.append((here, (n[0], n[1]), (n[2], n[3]), (n[4], n[5])))
            here = (n[4], n[5])
        else:
            end = {"H": (n[0], here[1]), "V": (here[0], n[0])}.get(command, (n[0], n[-1]))
            found.append((here, here, end, end))
            here = end
        i += len(n)
    return found


def test_a_rounded_box_keeps_its_corners_and_writes_its_sides_as_lines() -> None:
    lean = compact_d(ROUNDED_BOX)
    assert lean == ("M558-575H482C476-575 470-569 470-563V-551C470-545 476-539 482-539"
                    "H558C564-539 570-545 570-551V-563C570-569 564-575 558-575")
    assert cubics(lean) == cubics(ROUNDED_BOX) and len(cubics(lean)) == 8
    assert len(lean) < 0.6 * len(ROUNDED_BOX)


def test_a_curve_keeps_its_control_points_and_digits() -> None:
    d = "M213.18,-52.24C231.57,-67.97 256.02,-88.93 257,-90 292.05,-128.31 309.13,-135.56 325,-185"
    assert compact_d(d) == "M213.18-52.24C231.57-67.97 256.02-88.93 257-90C292.05-128.31 " \
        "309.13-135.56 325-185"
    assert cubics(compact_d(d)) == cubics(d)


@pytest.mark.parametrize("d", ["M1,2L3,4", "M1e3,2C1,2 3,4 5,6", "M1,2C1,2 3,4", "M1,2Z",
                               "", "C1,2 3,4 5,6"])
def test_path_data_not_shaped_as_graphviz_writes_it_is_kept(d: str) -> None:
    assert compact_d(d) == d


def test_a_straight_cubic_of_zero_length_stays_a_cubic() -> None:
    # A line would draw the same nothing, but nothing is gained by trusting that.
    assert compact_d("M5,5C5,5 5,5 5,5") == "M5 5C5 5 5 5 5 5"


def test_a_dashed_path_keeps_its_straight_cubics() -> None:
    # Chromium lays a dash pattern along a cubic's flattening: as lines, the dashes of a
    # cluster's outline moved (tests/browser/test_diagram_pixels.py saw it).
    svg = f'<path fill="none" stroke="black" stroke-dasharray="5,2" d="{ROUNDED_BOX}"/>'
    lean = compact_paths(svg)
    assert 'd="M558-575C558-575 482-575 482-575C476-575' in lean
    assert not re.search("[HVL]", lean.split(' d="')[1])
    assert cubics(lean.split(' d="')[1].rstrip('"/>')) == cubics(ROUNDED_BOX)
    assert "H482" in compact_paths(svg.replace(' stroke-dasharray="5,2"', ""))


def test_polygon_points_keep_their_numbers() -> None:
    assert compact_points("199.23,-61.87 194.74,-52.27 192.26,62.57") == \
        "199.23-61.87 194.74-52.27 192.26 62.57"
    assert compact_points("1,2 3") == "1,2 3"


def test_every_shape_of_a_diagram_is_the_same(
        tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    analysis = analyse(load_and_validate(tiny))
    raw = DiagramRenderer(tmp_path / "cache").svg(
        model_dot(analysis, LINKS, highlight={"caring", "small-acts"}, prefix="d-x"))
    lean = ET.fromstring(clean_svg(raw, "Diagram"))
    monkeypatch.setattr(diagrams, "compact_paths", lambda svg: svg, raising=False)
    monkeypatch.setattr("build_site.render.svg_compact.compact_paths", lambda svg: svg)
    full = ET.fromstring(clean_svg(raw, "Diagram"))
    paths = [(a.get("d"), b.get("d")) for a, b in zip(full.iter(f"{SVG}path"),
                                                      lean.iter(f"{SVG}path"), strict=True)]
    assert len(paths) > 5 and any(a != b for a, b in paths)
    assert all(cubics(b or "") == cubics(a or "") for a, b in paths)
    solid = [(a, b) for (a, b), e in zip(paths, lean.iter(f"{SVG}path"), strict=True)
             if not e.get("stroke-dasharray")]
    straight = sum(len(re.findall("[HVL]", b or "")) for _, b in solid)
    assert straight >= 4 * sum(1 for a, _ in solid if (a or "").count(" ") > 12) > 0
    polygons = [(a.get("points"), b.get("points"))
                for a, b in zip(full.iter(f"{SVG}polygon"), lean.iter(f"{SVG}polygon"),
                                strict=True)]
    assert polygons and all(re.findall(r"-?[\d.]+", a or "") == re.findall(r"-?[\d.]+", b or "")
                            for a, b in polygons)
