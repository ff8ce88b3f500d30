"""The light/dark palette toggle, and the model diagrams legible in both palettes: every label's
computed colour against the colour resolved behind it has a contrast of at least 4.5:1."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .conftest import OpenPage
from .support import ARTEFACTS, contrast, label_contrasts, luminance, page_types, scheme

MINIMUM = 4.5


def _background(page: Page) -> tuple[float, float, float]:
    rgb = page.evaluate(
        "getComputedStyle(document.body).backgroundColor.match(/[\\d.]+/g).slice(0, 3)"
        ".map(Number)")
    return (rgb[0], rgb[1], rgb[2])


def _toggle(page: Page) -> None:
    page.locator('form[data-md-component="palette"] label:visible').click()


def _assert_legible(page: Page, where: str) -> int:
    """Check every label of every diagram on ``page``; the ratios are kept as an artefact."""
    checked = 0
    for number, svg in enumerate(page.locator(".bs-diagram svg").all(), 1):
        contrasts = label_contrasts(svg)
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        name = f"contrast-{where.replace('/', '-').removesuffix('.html')}-{number}-{scheme(page)}"
        (ARTEFACTS / f"{name}.txt").write_text(
            "".join(f"{c}\n" for c in sorted(contrasts, key=lambda c: c.ratio)),
            encoding="utf-8")
        assert contrasts, f"{where}: diagram {number} has no text label"
        low = [str(c) for c in contrasts if c.ratio < MINIMUM]
        assert not low, (f"{where} ({scheme(page)} palette), diagram {number}: labels below "
                         f"{MINIMUM}:1: " + "; ".join(low))
        checked += len(contrasts)
    assert checked, f"{where}: no diagram"
    return checked


@pytest.mark.parametrize("kind", ["home", "dyad"])  # a plain diagram; evidenced and dimmed nodes
def test_palette_toggle_and_legible_diagrams(
    open_page: OpenPage, bundled_site: Path, kind: str
) -> None:
    path = page_types(bundled_site)[kind]
    page = open_page(path)
    assert scheme(page) == "default"
    assert luminance(_background(page)) > 0.8
    light = _assert_legible(page, path)

    _toggle(page)
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    assert luminance(_background(page)) < 0.05
    assert _assert_legible(page, path) == light

    page.reload()  # the choice is remembered
    assert scheme(page) == "slate"
    _toggle(page)
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "default")


def test_dark_palette_follows_the_system_setting(open_page: OpenPage) -> None:
    page = open_page("index.html", dark=True)
    assert scheme(page) == "slate"


def test_contrast_formula() -> None:
    assert contrast((0, 0, 0), (255, 255, 255)) == pytest.approx(21)
    assert contrast((0x76, 0x76, 0x76), (255, 255, 255)) == pytest.approx(4.54, abs=0.01)
    assert contrast((0x77, 0x77, 0x77), (255, 255, 255)) < MINIMUM


def test_contrast_check_sees_a_faded_label(open_page: OpenPage, bundled_site: Path) -> None:
    page = open_page(page_types(bundled_site)["dyad"])
    page.add_style_tag(content=".bs-diagram .node.dim { opacity: 0.45; }")
    faded = [c for c in label_contrasts(page.locator(".bs-diagram svg").first)
             if c.ratio < MINIMUM]
    assert faded, "fading whole nodes should make the check fail"
