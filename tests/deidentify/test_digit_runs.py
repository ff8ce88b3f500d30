"""The run of digits every match of a detector's expression holds (issue 25, own5): a text
without such a run (no year: four digits in a row) is not searched with that expression, and
the detections are the same."""

from __future__ import annotations

import random
import re

import pytest

from build_site.deidentify import detectors, extra_patterns, prose
from build_site.deidentify.detectors import detect
from build_site.deidentify.digit_runs import Runs, digit_run

from .test_first_chars import _random_expression, texts  # noqa: F401

PATTERNS = [p for _, p in (*detectors._PATTERNS, *extra_patterns.PATTERNS)]
_YEARS = ["Christmas 1987", "christmas eve, 1987", "the 1990 Easter", "born in 1931",
          "June 1990", "June 3, 1990", "3rd of June 1990", "ZIP 90210", "zip code 90210-1234",
          "call 555-1234", "SSN 123-45-6789", "1990-06-03", "3/6/90", "turned 93 years of age",
          "Thanksgiving of 2019", "MRN 12345", "10.0.0.1", "12 Main Street", "R.R. 3",
          "٣٤٥٦ and ١٩٨٧ Christmas", "Christmas ١٩٨٧", "in 1987's Christmas"]


@pytest.mark.parametrize("expression, run", [
    (r"\d", 1), (r"\d{4}", 4), (r"\b(?:1[89]\d\d|20\d\d)\b", 4), (r"\d[\d-]{3,}", 1),
    (r"\d\d?\d", 2), (r"(?:\d{4}|\d{2})", 2), (r"a|\d", 0), (r"\d?", 0), (r"[0-9a]", 0),
    (r"(\d)\1", 1), (r"\d\b\d", 2), (r"x(?:\d\d|y\d{3})", 2), (r"(?:12)+", 2),
    (r"(?:12){2}", 4), (r"(?:12)*3", 1), ("\uff11", 0), (r"\d+", 1), (r"(?>\d{3})", 3),
    (r"(?i:\d{5})", 5), (r"(?<!\d)\d{3}[-.]\d{4}(?!\d)", 4), (r"[^0-9]\d", 1),
    (r"\d(?:a|\d)\d", 1), (r"(?:\d\d|)x", 0), (r"\d*+\d", 1), (r"[\d]{2}", 2)])
def test_the_run_read_from_an_expression(expression: str, run: int) -> None:
    assert digit_run(re.compile(expression)) == run


def test_the_detectors_runs() -> None:
    # the dates with a year, the holidays with a year, ZIP codes, social security and
    # telephone numbers need four or five digits in a row; before, one digit
    runs = [(c, detectors._DIGIT_RUNS.get(id(p)))
            for c, p in (*detectors._PATTERNS, *extra_patterns.PATTERNS)]
    assert runs == [
        ("email", None), ("url", None), ("ip-address", 1), ("date", 1), ("date", 1),
        ("date", 4), ("date", 2), ("age-over-89", None), ("street-address", 1),
        ("street-address", 1), ("zip-code", 5), ("record-number", 1), ("record-number", 4),
        ("institution", None), ("institution", None), ("name", None), ("date", 4),
        ("date", 4), ("age-over-89", 2), ("phone", 4), ("street-address", 1), ("email", None)]
    assert detectors._BIRTH_YEAR_RUN == 4
    assert prose._ZIP_RUN.pattern == r"\d{5}"


def test_a_text_without_a_year_is_not_searched_for_one(monkeypatch: pytest.MonkeyPatch) -> None:
    searched: list[str] = []
    year_patterns = {id(p) for p in PATTERNS if detectors._DIGIT_RUNS.get(id(p), 0) >= 4}

    class Spy:
        def __init__(self, pattern: re.Pattern[str]) -> None:
            self.pattern = pattern

        def finditer(self, text: str) -> object:
            searched.append(self.pattern.pattern)
            return self.pattern.finditer(text)

    monkeypatch.setattr(detectors, "_SEARCHED", {
        key: Spy(p) if key in year_patterns else p for key, p in detectors._SEARCHED.items()})
    detect("We met on the 3rd, room 12, at Christmas.")
    assert searched == []
    detect("We met at Christmas 1987.")
    assert len(searched) >= 4  # (the others need a piece the text lacks: required.py)


def test_runs_are_searched_once_and_answer_as_the_expression() -> None:
    for text in ["", "a1b22c333", "٣٤٥", "１２", "12 345 6789", "x"]:
        runs = Runs(text)
        for k in (1, 2, 3, 4, 5, 3, 1):
            assert runs.holds(k) is (re.search(rf"\d{{{k}}}", text) is not None)


def test_every_match_of_a_detector_holds_its_run(texts: list[str]) -> None:  # noqa: F811
    checked = 0
    for pattern in [*PATTERNS, extra_patterns._BIRTH_YEAR, prose._ZIP]:
        run = digit_run(pattern)
        for text in [*texts, *_YEARS]:
            for m in pattern.finditer(text):
                assert re.search(rf"\d{{{run}}}", m.group(0)) if run else True, (pattern, text)
                checked += run > 0
    assert checked > 100


def test_detections_with_and_without_the_runs_agree(
        texts: list[str], monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    sample = [*texts[:1500], *_YEARS, " ".join(_YEARS)]
    with_runs = [detect(t) for t in sample]
    monkeypatch.setattr(detectors, "_DIGIT_RUNS", {})
    monkeypatch.setattr(detectors, "_BIRTH_YEAR_RUN", 0)
    monkeypatch.setattr(prose, "_ZIP_RUN", re.compile(""))
    assert [detect(t) for t in sample] == with_runs
    assert sum(len(found) for found in with_runs[-len(_YEARS) - 1:]) > 20


def test_random_expressions_hold_their_run_in_every_match() -> None:
    rng = random.Random(2025)
    samples = ["".join(rng.choice("ab1 2_.-٣") for _ in range(rng.randint(0, 14)))
               for _ in range(300)]
    read = 0
    for _ in range(2000):
        expression = _random_expression(rng).replace("1", rng.choice(["1", r"\d", "[0-9]"]))
        pattern = re.compile(expression, rng.choice([0, re.IGNORECASE]))
        run = digit_run(pattern)
        if run == 0:
            continue
        read += 1
        needed = re.compile(rf"\d{{{run}}}")
        for text in samples:
            for m in pattern.finditer(text):
                assert needed.search(m.group(0)), (pattern, text, run)
    assert read > 200
