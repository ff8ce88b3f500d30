from __future__ import annotations

from pathlib import Path

from build_site.analyse import analyse
from build_site.pipeline import load_and_validate
from build_site.render import charts

from ..conftest import REPO


def test_cached_chart_is_the_drawn_chart_and_keyed_by_the_numbers(tmp_path: Path) -> None:
    series = analyse(load_and_validate(REPO / "casestudies")).saturation
    assert series is not None
    drawn = charts.saturation_chart(series, 12)
    assert charts.saturation_chart(series, 12, tmp_path) == drawn
    assert len(list(tmp_path.glob("*.svg"))) == 1
    assert charts.saturation_chart(series, 12, tmp_path) == drawn  # from the cache
    assert charts.saturation_chart(series, 14, tmp_path) != drawn
    assert len(list(tmp_path.glob("*.svg"))) == 2
