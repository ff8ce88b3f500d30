"""Graphviz's path data written shorter keeps every curve: each cubic ends and bends where it
did, to the same single-precision numbers a browser reads; each polygon keeps its points
(issue 25: output size)."""

from __future__ import annotations

import re
import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from build_site.analyse import analyse
from build_site.pipeline import load_and_validate
from build_site.render import svg_compact
from build_site.render.diagrams import DiagramRenderer, clean_svg, model_dot
from build_site.render.svg_paths import compact_d, compact_points

from .test_diagrams import LINKS

SVG = "{http://www.w3.org/2000/svg}"
ROUNDED_BOX = ("M558,-575C558,-575 482,-575 482,-575 476,-575 470,-569 470,-563 470,-563 "
               "470,-551 470,-551 470,-545 476,-539 482,-539 482,-539 558,-539 558,-539 "
               "564,-539 570,-545 570,-551 570,-551 570,-563 570,-563 570,-569 564,-575 "
               "558,-575")


def f32(value: str | float) -> float:
    """``value`` rounded to single precision (a sum of two singles, rounded so, is the
    single-precision sum)."""
    return float(struct.unpack("f", struct.pack("f", float(value)))[0])


def cubics(d: str) -> list[tuple[float, ...]]:
    """Every cubic of ``d`` (``M``, then ``C`` or ``c`` with implicit repeats) as the absolute
    points a browser computes: single-precision numbers, a relative point added to the
    current point in single precision (as Chromium's SVG path parser does)."""
    tokens = re.findall(r"[MCc]|-?\d+\.?\d*", d)
    here = (f32(tokens[1]), f32(tokens[2]))
    found: list[tuple[float, ...]] = []
    command, numbers = "", list[float]()
    for token in tokens[3:]:
        if token in ("C", "c"):
            command = token
            continue
        numbers.append(f32(token))
        if len(numbers) == 6:
            if command == "c":
                numbers = [f32(n + here[i % 2]) for i, n in enumerate(numbers)]
            found.append(tuple(numbers))
            here = (numbers[4], numbers[5])
            numbers = []
    assert not numbers
    return found


def test_a_rounded_box_as_relative_cubics() -> None:
    lean = compact_d(ROUNDED_BOX)
    assert lean == ("M558-575c0 0-76 0-76 0-6 0-12 6-12 12 0 0 0 12 0 12 0 6 6 12 12 12 0 0 76 "
                    "0 76 0 6 0 12-6 12-12 0 0 0-12 0-12 0-6-6-12-12-12")
    assert cubics(lean) == cubics(ROUNDED_BOX) and len(cubics(lean)) == 8
    assert len(lean) < 0.6 * len(ROUNDED_BOX)


def test_halves_stay_exact() -> None:
    d = "M352.5,-575C352.5,-575 293.5,-575 293.5,-575 287.5,-575 281.5,-569 281.5,-563.5"
    assert compact_d(d) == "M352.5-575c0 0-59 0-59 0-6 0-12 6-12 11.5"
    assert cubics(compact_d(d)) == cubics(d)


def test_a_curve_with_other_digits_stays_absolute_with_its_digits() -> None:
    # 201.48 - 1.71 need not be 199.77 in single precision: no relative numbers here.
    d = "M213.18,-52.24C231.57,-67.97 256.02,-88.93 257,-90 292.05,-128.31 309.13,-135.56 325,-185"
    assert compact_d(d) == ("M213.18-52.24C231.57-67.97 256.02-88.93 257-90 292.05-128.31 "
                            "309.13-135.56 325-185")
    assert cubics(compact_d(d)) == cubics(d)


@pytest.mark.parametrize("d", ["M1,2L3,4", "M1e3,2C1,2 3,4 5,6", "M1,2C1,2 3,4", "M1,2Z",
                               "", "C1,2 3,4 5,6", "M1,2C1,2 3,4 5,6Z"])
def test_path_data_not_shaped_as_graphviz_writes_it_is_kept(d: str) -> None:
    assert compact_d(d) == d


def test_polygon_points_keep_their_numbers() -> None:
    assert compact_points("199.23,-61.87 194.74,-52.27 192.26,62.57") == \
        "199.23-61.87 194.74-52.27 192.26 62.57"
    assert compact_points("1,2 3") == "1,2 3"


def test_every_curve_of_a_diagram_is_the_same(
        tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    analysis = analyse(load_and_validate(tiny))
    raw = DiagramRenderer(tmp_path / "cache").svg(
        model_dot(analysis, LINKS, highlight={"caring", "small-acts"}, prefix="d-x"))
    lean = ET.fromstring(clean_svg(raw, "Diagram"))
    monkeypatch.setattr(svg_compact, "compact_paths", lambda svg: svg)
    full = ET.fromstring(clean_svg(raw, "Diagram"))
    paths = [(a.get("d") or "", b.get("d") or "")
             for a, b in zip(full.iter(f"{SVG}path"), lean.iter(f"{SVG}path"), strict=True)]
    assert len(paths) > 5 and sum(len(b) for _, b in paths) < 0.7 * sum(len(a) for a, _ in paths)
    assert all(cubics(b) == cubics(a) for a, b in paths)
    assert sum("c" in b for _, b in paths) >= 4  # the boxes, relative
    polygons = [(a.get("points") or "", b.get("points") or "")
                for a, b in zip(full.iter(f"{SVG}polygon"), lean.iter(f"{SVG}polygon"),
                                strict=True)]
    assert polygons and all(re.findall(r"-?[\d.]+", a) == re.findall(r"-?[\d.]+", b)
                            for a, b in polygons)

