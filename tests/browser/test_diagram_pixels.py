"""A compacted diagram draws the same pixels as before, in the light and the dark palette, on
the site's own page and stylesheets (issue 25: output size)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from build_site.analyse import analyse
from build_site.pipeline import load_and_validate
from build_site.render import diagrams
from build_site.render.diagrams import DiagramRenderer, clean_svg, model_dot

from ..render.test_diagrams import LINKS
from .conftest import OpenPage


def _shot(open_page: OpenPage, svg: str, dark: bool) -> Image.Image:
    page = open_page("dyads/D1-P1.html", dark=dark)
    page.evaluate("svg => { document.querySelector('.bs-diagram').innerHTML = svg; }", svg)
    return Image.open(io.BytesIO(page.locator(".bs-diagram svg").screenshot())).convert("RGB")


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_compact_diagram_draws_the_same_pixels(
        open_page: OpenPage, tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        dark: bool) -> None:
    analysis = analyse(load_and_validate(tiny))
    raw = DiagramRenderer(tmp_path / "cache").svg(
        model_dot(analysis, LINKS, highlight={"caring", "small-acts"}, prefix="d-x"))
    lean = clean_svg(raw, "Diagram")
    monkeypatch.setattr(diagrams, "compact_svg", lambda svg: svg)
    full = clean_svg(raw, "Diagram")
    assert lean != full
    before, after = _shot(open_page, full, dark), _shot(open_page, lean, dark)
    assert before.size == after.size
    assert ImageChops.difference(before, after).getbbox() is None  # not one pixel differs
    assert len(set(before.get_flattened_data())) > 3  # the shot shows a drawing, not a blank box
