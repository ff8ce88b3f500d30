from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from build_site.deidentify.bench import DEFAULT_CORPUS, load_corpus, run
from build_site.deidentify.detectors import allowed_words, detect
from build_site.errors import PrivacyError
from build_site.pipeline import build

from ..conftest import REPO


def test_planted_corpus_meets_the_targets() -> None:
    result = run(load_corpus(DEFAULT_CORPUS), None)
    assert result.listed_misses == []  # every listed identifier in every form
    assert result.kept == [2, 2]  # "hope" and "grace" as words survive
    assert result.unlisted_rate >= 0.95, result.unlisted_misses
    assert result.clean_false_alarms == 0
    assert set(result.unlisted) >= {"name", "place", "institution", "date", "age-over-89",
                                    "phone", "email", "url", "record-number",
                                    "street-address", "zip-code"}


def test_bracketed_descriptors_and_allowed_words_are_not_flagged() -> None:
    assert detect("Then [her husband] drove to [small town] with Ruth.", ["Ruth"]) == []
    assert [d.text for d in detect("Then Ruth drove.")] == ["Ruth"]


def test_the_vocabulary_read_once_gives_the_same_detections() -> None:
    allowed = ["Ruth", "Kilbride Memorial", "Saint Jude's"]
    words = allowed_words(allowed)
    assert words == {"ruth", "kilbride", "memorial", "saint", "jude's"}
    for text in ["Then Ruth drove to Kilbride Memorial Hospital with Agnes.",
                 "St. Jude's clinic and Saint Jude's, then Ruth Okafor."]:
        assert detect(text, allowed, words=words) == detect(text, allowed)
    assert detect("Then Ruth drove.", allowed, words=words) == []
    assert detect("Then Ruth drove.") != []


def test_detections_carry_offsets() -> None:
    text = "Call (312) 555-0148 now."
    (found,) = detect(text)
    assert text[found.start:found.end] == "(312) 555-0148" and found.category == "phone"


@pytest.mark.parametrize("entry", ["Tammy Brekke", "Kilbride Memorial Hospital"])
def test_removing_a_bundled_entry_refuses_the_public_build(entry: str, tmp_path: Path) -> None:
    study = tmp_path / "casestudies"
    shutil.copytree(REPO / "casestudies", study)
    ids = study / "private" / "identifiers.yml"
    data = yaml.safe_load(ids.read_text(encoding="utf-8"))
    removed = next(i for i in data["identifiers"] if i["text"] == entry)
    data["identifiers"].remove(removed)
    ids.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(PrivacyError) as exc:
        build(study, tmp_path / "site")
    assert exc.value.exit_code == 3
    forms = [removed["text"], *removed.get("variants", [])]
    assert any(any(f.split()[-1] in str(p) for f in forms) for p in exc.value.problems)
    assert not (tmp_path / "site").exists()


def test_detectors_read_compatibility_letters_and_invisible_characters() -> None:
    text = "We saw Dr. \uff37hit\u200bcombe at 4821 NE 12th Avenue."
    found = {d.category: d for d in detect(text)}
    name = found["name"]
    assert name.text == "Dr. Whitcombe"
    assert text[name.start:name.end] == "Dr. \uff37hit\u200bcombe"  # offsets into the text
    assert "street-address" in found


def test_first_names_read_from_the_data_file_are_gender_guessers() -> None:
    # Issue 25: the names are read from gender-guesser's file directly (its Detector also
    # parses genders and frequencies per country, 0.2 s of each cold build).
    import gender_guesser.detector as gender  # type: ignore[import-untyped]

    from build_site.deidentify.detectors import _gender_guesser_names, first_names
    from build_site.deidentify.matching import fold

    names = gender.Detector(case_sensitive=False).names
    assert _gender_guesser_names() == set(names)
    assert first_names() == frozenset(fold(name) for name in names)
    assert {"jenn", "joey", "abdel aziz", "abdel-aziz", "abdelaziz"} <= first_names()


def test_patterns_skipped_without_a_digit_are_those_whose_matches_hold_one() -> None:
    # Issue 25: a text without a digit is not searched by a pattern every match of which
    # holds one, read from the pattern's own expression.
    from build_site.deidentify import extra_patterns
    from build_site.deidentify.detectors import _DIGIT_PATTERNS, _PATTERNS

    marked = [(c, id(p) in _DIGIT_PATTERNS) for c, p in (*_PATTERNS, *extra_patterns.PATTERNS)]
    assert marked == [
        ("email", False), ("url", False), ("ip-address", True), ("date", True), ("date", True),
        ("date", True), ("date", True), ("age-over-89", False), ("street-address", True),
        ("street-address", True), ("zip-code", True), ("record-number", True),
        ("record-number", True), ("institution", False), ("institution", False),
        ("name", False), ("date", True), ("date", True), ("age-over-89", True),
        ("phone", True), ("street-address", True), ("email", False)]


@pytest.mark.parametrize("pattern, needs", [
    (r"\d", True), (r"[0-9]+x", True), (r"a(?:1|2)b", True), (r"a(?:1|b)", False),
    (r"\d?", False), (r"\d*", False), (r"[^\d]", False), (r"(?=\d)\w", False),
    (r"[0-9a]", False), (r"(?i:x\d{2,})", True), (r"x|\d", False), (r"(\d)\1", True),
    (r"[\d]", True), (r"(?>\d)", True), (r"\d++", True), ("\uff11", False)])
def test_reading_whether_a_match_holds_a_digit(pattern: str, needs: bool) -> None:
    import re

    from build_site.deidentify.detectors import _needs_digit

    assert _needs_digit(re.compile(pattern)) is needs


def test_detections_with_and_without_the_digit_shortcut_agree(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import build_site.deidentify.detectors as detectors
    from build_site.pipeline import load_and_validate

    study = load_and_validate(REPO / "casestudies")
    corpus = load_corpus(DEFAULT_CORPUS)
    texts = [c.narrative for c in [*study.clinicians, *study.dyads]]
    texts += [e.text for d in study.dyads for e in d.excerpts]
    texts += [case["text"] for key in ("listed", "unlisted", "keep", "false_alarms_ok")
              for case in corpus.get(key, []) if isinstance(case, dict) and "text" in case]
    texts += ["Born in nineteen thirty, she is in her nineties; write jo at example dot com.",
              "No digits here: March the third, at St. Mary's Hospital, Route One."]
    with_shortcut = [detect(t) for t in texts]
    monkeypatch.setattr(detectors, "_DIGIT_RUNS", {})
    monkeypatch.setattr(detectors, "_BIRTH_YEAR_RUN", 0)
    assert [detect(t) for t in texts] == with_shortcut
    assert sum(map(len, with_shortcut)) > 20
    assert sum(1 for t in texts if not any(ch.isdigit() for ch in t)) > 100
