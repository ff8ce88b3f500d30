from __future__ import annotations

from pathlib import Path

from build_site.analyse import saturation_series
from build_site.pipeline import load_and_validate


def test_series_follows_interview_order_and_speakers(tiny: Path) -> None:
    series = saturation_series(load_and_validate(tiny))
    by_label = {p.label: p for p in series.points}
    assert [p.order for p in series.points] == [1, 2, 3, 4]
    # the clinician's words about C1-P2 belong to the clinician's interview (order 1)
    assert set(by_label["Clinician C1"].new_codes) == {"heard", "kindness", "care-made-trust"}
    assert set(by_label["Patient C1-P1"].new_codes) == {"relies", "brushed-off"}
    assert by_label["Patient C1-P2"].new_codes == ("long-haul",)
    assert by_label["Patient C2-P1"].new_codes == ()
    assert series.last_new == 3
    assert series.points[-1].cumulative == 6
    assert series.unordered == ("Clinician C2",)


def test_interviews_not_published_are_counted_but_not_named(tiny: Path) -> None:
    from build_site.analyse.saturation import NOT_PUBLISHED

    series = saturation_series(load_and_validate(tiny),
                               published={"Clinician C1", "Patient C1-P1"})
    points = {p.order: p for p in series.points}
    assert points[3].label == NOT_PUBLISHED and points[3].new_codes == ()
    assert points[3].added == 1 and points[3].cumulative == 6  # long-haul, still counted
    assert points[2].label == "Patient C1-P1" and points[2].added == 2
    assert series.unordered == (NOT_PUBLISHED,)  # clinician C2
