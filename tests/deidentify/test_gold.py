"""The gold set for detector recall (hand-annotated OSCE transcripts) and the bundled study's
identifier list as a second gold set: recall must not fall below what the detectors reach."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from build_site.deidentify.goldbench import load_gold, run_gold, run_study

from ..conftest import REPO

GOLD = Path(__file__).parent / "gold" / "osce-gold.yml"


def test_gold_set_covers_thirty_transcripts_with_attribution() -> None:
    texts, gold = load_gold(GOLD)  # raises when an entry's text is not at its offsets
    assert len(texts) >= 30
    assert {g.kind for g in gold} <= {"name", "place", "institution", "date", "age-over-89",
                                      "phone", "email", "url", "ip-address", "record-number",
                                      "street-address", "zip-code"}
    assert all(texts[g.file][g.start:g.end] == g.text for g in gold)  # CRLF and UTF-16 mapped
    attribution = (GOLD.parent / "ATTRIBUTION.md").read_text(encoding="utf-8")
    assert "CC BY 4.0" in attribution and "Fareez" in attribution


def test_a_stale_annotation_is_refused(tmp_path: Path) -> None:
    shutil.copytree(GOLD.parent, tmp_path / "gold")
    path = tmp_path / "gold" / GOLD.name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["identifiers"][0]["start"] += 1
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ValueError, match="does not match"):
        load_gold(path)


def test_recall_on_the_gold_set_does_not_fall() -> None:
    result = run_gold(GOLD)
    # measured 100% (97.8% whole) and 9.2 false alarms per 10,000 words; floors leave a margin
    assert result.recall >= 0.97, result.misses
    assert result.whole_recall >= 0.95, result.misses
    assert result.false_alarms_per_10k <= 11.0, result.false_alarms


def test_recall_on_the_bundled_study_does_not_fall() -> None:
    result = run_study(REPO / "casestudies")
    # measured 99.6% (97.8% whole); its 3 other findings are the ones the team reviewed
    assert result.recall >= 0.97
    assert result.whole_recall >= 0.95
    assert len(result.false_alarms) <= 3, result.false_alarms
