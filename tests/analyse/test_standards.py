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


def test_a_confirmed_entry_carries_its_status_initials_and_date(tiny: Path) -> None:
    path = tiny / "study.yml"
    path.write_text(path.read_text() + (
        "reporting:\n  coreq:\n"
        "    '23': {status: reported-as-not-done, quote: Transcripts were not returned.,"
        " by: AB, on: '2026-12-01'}\n"
        "  srqr:\n"
        "    S21: {status: not-applicable, reason: No funding., by: CD, on: '2026-12-02'}\n"))
    study = load_and_validate(tiny)
    item = {i.id: i for i in coreq_items(study)}["23"]
    assert (item.status, item.quote, item.by, item.on, item.confirmed) == (
        "reported-as-not-done", "Transcripts were not returned.", "AB", "2026-12-01", True)
    funding = {i.id: i for i in srqr_items(study)}["S21"]
    assert (funding.status, funding.reason) == ("not-applicable", "No funding.")


def test_coreq_30_to_32_are_never_suggested(tiny: Path) -> None:
    path = tiny / "study.yml"
    path.write_text(path.read_text() + "methods:\n  analysis: Coded, then compared.\n")
    items = {i.id: i for i in coreq_items(load_and_validate(tiny))}
    for item_id in ("30", "31", "32"):
        assert (items[item_id].status, items[item_id].page) == ("judgement", "")
