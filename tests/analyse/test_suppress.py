"""Demographics without subtraction (issue 17 item 8)."""

from __future__ import annotations

from collections import Counter
from itertools import product
from pathlib import Path

from build_site.analyse.evidence import demographics_table
from build_site.analyse.suppress import HIDDEN, protect
from build_site.manifest import build_manifest
from build_site.pipeline import load_and_validate, prepare
from build_site.privacy.selection import select


def _derivable(counts: Counter[str], shown: dict[str, str], minimum: int) -> set[str]:
    """Hidden values whose count a reader can work out from the total and the shown counts
    (every split of the hidden total over the hidden cells, each at least 1)."""
    hidden = [v for v, s in shown.items() if not s.isdigit()]
    total = sum(counts[v] for v in hidden)
    splits = [combo for combo in product(range(1, total + 1), repeat=len(hidden))
              if sum(combo) == total]
    return {v for i, v in enumerate(hidden) if len({s[i] for s in splits}) == 1}


def test_one_small_cell_beside_a_total_is_not_derivable() -> None:
    counts = Counter({"woman": 3, "man": 2})  # five clinicians: "man <3" + "woman 3" gives 2
    shown = protect(counts, 3)
    assert shown == {"woman": HIDDEN, "man": HIDDEN}
    assert _derivable(counts, shown, 3) == set()


def test_second_cell_is_the_smallest_other_one() -> None:
    counts = Counter({"40-59": 13, "60-79": 6, "80 or older": 3, "20-39": 1})
    shown = protect(counts, 3)
    assert shown == {"40-59": "13", "60-79": "6", "80 or older": HIDDEN, "20-39": HIDDEN}
    assert _derivable(counts, shown, 3) == set()


def test_all_small_cells_are_hidden_together() -> None:
    counts = Counter({"a": 1, "b": 1, "c": 1})
    assert set(protect(counts, 3).values()) == {HIDDEN}


def test_nothing_hidden_when_every_cell_is_large() -> None:
    assert protect(Counter({"a": 3, "b": 4}), 3) == {"a": "3", "b": "4"}


def test_field_hidden_from_case_pages_is_hidden_from_the_tables(tiny: Path) -> None:
    study_yml = tiny / "study.yml"
    study_yml.write_text(study_yml.read_text(encoding="utf-8").replace(
        "  min_cell_size: 2", "  min_cell_size: 2\n  dyad_demographics: [gender]"),
        encoding="utf-8")
    prepared = prepare(tiny, "public", scan=False)
    labels = {label for label, _, _ in prepared.analysis.patient_table.rows}
    assert labels == {"Gender"}
    for item in build_manifest(prepared).items:
        if item.kind == "dyad":
            shown = {path.split(".")[1] for path in item.fields if path.startswith("demographics.")}
            assert shown <= {"gender"}, item.fields


def test_every_field_when_no_list_is_given(tiny: Path) -> None:
    study = select(load_and_validate(tiny), "review")
    table = demographics_table("Patients", study.dyads, 10, 1)
    assert {label for label, _, _ in table.rows} == {"Age", "Gender", "Conditions"}


def test_published_table_gives_no_count_away(tiny: Path) -> None:
    """Three patients, two women and a man, min_cell_size 2: "man <2" beside "woman 2" and
    n = 3 would give the man away."""
    study = select(load_and_validate(tiny), "review")
    table = demographics_table("Patients", study.dyads, 10, 2)
    gender = {value: count for label, value, count in table.rows if label == "Gender"}
    assert table.n == 3 and "2" not in gender.values() and "<2" not in gender.values()
