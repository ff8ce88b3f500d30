"""Numbers that identify (issue 17 item 2): exact ages and dates in free text are consent
findings; an age beside a duration is listed for review."""

from __future__ import annotations

from pathlib import Path

import pytest

from build_site.privacy.numbers import number_hits
from tests.privacy.conftest import narrate, prepared, rules


def _found(text: str) -> list[tuple[str, str]]:
    return [(text[a:b], rule) for a, b, rule in number_hits(text)]


@pytest.mark.parametrize("text, age", [
    ("She was thirty-eight, and tired.", "She was thirty-eight"),
    ("a 44-year-old teacher", "44-year-old"),
    ("Age: 47", "Age: 47"),
    ("aged 52 at the time", "aged 52"),
    ("a man who turned sixty-one", "who turned sixty-one"),
])
def test_exact_ages_are_found(text: str, age: str) -> None:
    assert (age, "exact-age") in _found(text)


@pytest.mark.parametrize("text, date", [
    ("On March 3 she came back.", "March 3"),
    ("It was 3 March 2019.", "3 March"),
    ("In June 2019 he retired.", "June 2019"),
    ("Seen 2019-03-04 in clinic.", "2019-03-04"),
    ("Seen on 4/3/2019.", "4/3/2019"),
])
def test_dates_more_specific_than_a_year_are_found(text: str, date: str) -> None:
    assert (date, "exact-date") in _found(text)


@pytest.mark.parametrize("text", [
    "She was one of three patients.", "He was 30 minutes late.", "In 2019 he retired.",
    "The pain may 4 times a day return.", "Twenty-three years in practice.",
    "She was seventy kilos.",
])
def test_counts_years_and_durations_are_not_ages_or_dates(text: str) -> None:
    assert [r for _, r in _found(text) if r != "age-computable"] == []


def test_an_age_and_a_duration_are_flagged_for_review() -> None:
    assert _found("In her late thirties she moved; over six years she healed.") == [
        ("In her late thirties", "age-computable")]
    assert _found("In her late thirties she moved.") == []


def test_an_exact_age_in_a_narrative_refuses_and_an_age_band_with_years_is_for_review(
        tiny: Path) -> None:
    narrate(tiny, "C1-P1", "She was forty-four when she met C1, on March 3.")
    assert rules(tiny) == [("dyads/C1-P1.md", "exact-age", "C1-P1"),
                           ("dyads/C1-P1.md", "exact-date", "C1-P1")]
    narrate(tiny, "C1-P1", "In her forties, she had known C1 for six years.")
    text = prepared(tiny).text
    assert text.consent == []
    assert [(f.file, f.rule) for f in text.review] == [("dyads/C1-P1.md", "age-computable")]


def test_a_date_in_a_summary_is_found_on_the_summary_s_line(tiny: Path) -> None:
    path = tiny / "dyads" / "C1-P1.md"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "memos:\n", "summaries:\n  listening: First heard out on 12 May 2021.\nmemos:\n", 1),
        encoding="utf-8")
    [finding] = prepared(tiny).text.consent
    line = path.read_text(encoding="utf-8").splitlines()[finding.line - 1]
    assert finding.rule == "exact-date" and "listening:" in line
