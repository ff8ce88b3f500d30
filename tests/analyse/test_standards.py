from __future__ import annotations

from pathlib import Path

from build_site.analyse.standards import coreq_items, srqr_items
from build_site.pipeline import load_and_validate


def test_every_item_is_listed_once(tiny: Path) -> None:
    study = load_and_validate(tiny)
    assert [i.id for i in coreq_items(study)] == [str(n) for n in range(1, 33)]
    assert [i.id for i in srqr_items(study)] == [f"S{n}" for n in range(1, 22)]


def test_team_location_wins_then_suggestion_then_missing(tiny: Path) -> None:
    path = tiny / "study.yml"
    path.write_text(path.read_text() + (
        "methods:\n  sampling: Purposive.\n"
        "reporting:\n  coreq:\n    '10': Manuscript, p. 4\n    '27': methods/index.md#tools\n"))
    items = {i.id: i for i in coreq_items(load_and_validate(tiny))}
    assert (items["10"].status, items["10"].location) == ("team", "Manuscript, p. 4")
    assert (items["27"].page, items["27"].anchor) == ("methods/index.md", "tools")
    assert (items["12"].status, items["12"].page) == ("suggested", "methods/index.md")
    assert items["1"].status == "missing"  # no interviewer recorded
