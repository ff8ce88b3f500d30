"""The detectors' cache (issue 25: one file per build directory instead of one per text) is
used only for the same text, allow-list, year and detector code, and never trusted blindly."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

import build_site.deidentify.findings as findings
from build_site.deidentify import deidentify
from build_site.deidentify.findings import CACHE_FILE, FindingCache, find_all, vocabulary
from build_site.pipeline import load_and_validate
from build_site.privacy.selection import select
from build_site.study import Study

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PLANTED = {"category": "name", "text": "Planted", "start": 0, "end": 7}


@pytest.fixture(scope="module")
def study() -> Study:
    """The tiny study, public, with identifiers the detectors find in one narrative."""
    shown = select(deidentify(load_and_validate(FIXTURES / "tiny")), "public")
    dyad = shown.dyads[0]
    told = dyad.narrative + "\n\nShe moved to 42 Maple Street on March 3, 2019; call 312-555-0148."
    return shown.model_copy(update={"dyads": [dyad.model_copy(update={"narrative": told}),
                                              *shown.dyads[1:]]})


def _run(study: Study, folder: Path) -> tuple[FindingCache, list[findings.Finding]]:
    cache = FindingCache(folder)
    return cache, find_all(study, None, cache)


def _plant(folder: Path) -> None:
    """Every stored entry replaced by a detection no scan would make."""
    path = folder / CACHE_FILE
    data = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({k: [PLANTED] for k in data}), encoding="utf-8")


def test_a_second_run_reads_every_text_from_one_file(study: Study, tmp_path: Path) -> None:
    first, found = _run(study, tmp_path)
    assert first.scanned > 0 and first.hits < first.scanned
    assert [p.name for p in tmp_path.iterdir()] == [CACHE_FILE]
    second, again = _run(study, tmp_path)
    assert second.scanned == 0 and second.hits == first.scanned + first.hits
    assert again == found and found and "Planted" not in {f.text for f in found}
    _plant(tmp_path)  # the file really is what the second run read
    _, planted = _run(study, tmp_path)
    assert planted and {f.text for f in planted} == {"Planted"}


def test_entries_of_other_detector_code_are_not_used(
        study: Study, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first, found = _run(study, tmp_path)
    _plant(tmp_path)
    monkeypatch.setattr(findings, "_detector_digest", lambda: "other code")
    cache, again = _run(study, tmp_path)
    assert cache.scanned == first.scanned and again == found


def test_entries_of_another_year_are_not_used(
        study: Study, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A birth year tells an age over 89 by the year of the run (extra_patterns.birth_years).
    first, found = _run(study, tmp_path)
    _plant(tmp_path)

    class NextYear(date):
        @classmethod
        def today(cls) -> NextYear:
            return cls(date.today().year + 1, 1, 1)

    monkeypatch.setattr(findings, "date", NextYear)
    cache, again = _run(study, tmp_path)
    assert cache.scanned == first.scanned and again == found


def test_entries_of_another_allow_list_are_not_used(study: Study, tmp_path: Path) -> None:
    first, _ = _run(study, tmp_path)
    _plant(tmp_path)
    reviewed = study.reviewed.model_copy(update={"allow": [*study.reviewed.allow, "Zyx"]})
    other = study.model_copy(update={"reviewed": reviewed})
    assert vocabulary(other) != vocabulary(study)
    cache, again = _run(other, tmp_path)
    assert cache.scanned == first.scanned and "Planted" not in {f.text for f in again}


@pytest.mark.parametrize("content", ["not json", "[1, 2]", '{"k": 3}', "\udcff"])
def test_an_unreadable_file_is_scanned_again_and_rewritten(
        study: Study, tmp_path: Path, content: str) -> None:
    _, found = _run(study, tmp_path)
    key = next(iter(json.loads((tmp_path / CACHE_FILE).read_text(encoding="utf-8"))))
    broken = content.replace('"k"', json.dumps(key))
    (tmp_path / CACHE_FILE).write_bytes(broken.encode("utf-8", "surrogateescape"))
    cache, again = _run(study, tmp_path)
    assert again == found and cache.scanned > 0
    assert isinstance(json.loads((tmp_path / CACHE_FILE).read_text(encoding="utf-8")), dict)
