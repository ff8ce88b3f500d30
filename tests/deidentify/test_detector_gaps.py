"""Regression tests for the detector gaps of issue 15, item 2: each planted identifier must be
flagged with the right kind, and the finding must name the whole identifier (a finding that
names half a surname teaches the team to list half of it). Every sentence is invented."""

from __future__ import annotations

import pytest

from build_site.deidentify.detectors import Detection, detect


def _covering(text: str, item: str) -> list[Detection]:
    start = text.index(item)
    end = start + len(item)
    return [d for d in detect(text) if d.start <= start and d.end >= end]


def _assert_flagged_whole(text: str, item: str, category: str) -> None:
    found = _covering(text, item)
    assert found, f"{item!r} not flagged whole in {text!r}: {detect(text)}"
    assert any(d.category == category for d in found), found


@pytest.mark.parametrize(("text", "item"), [
    ("We moved to 60614 the summer after the wedding.", "60614"),
    ("Her cheques still go to 02139-4307, her old place.", "02139-4307"),
    ("He grew up in 48207 and never left the east side.", "48207"),
    ("Send it to the cottage, postal code N6A 3K7, before Friday.", "N6A 3K7"),
])
def test_zip_code_in_running_prose(text: str, item: str) -> None:
    _assert_flagged_whole(text, item, "zip-code")


@pytest.mark.parametrize("text", [
    "She walks about 10000 steps a day.",
    "It cost $12500 in the end.",
    "They earn 45000 a year between them.",
    "Her count was 12,500 last week.",
    "The scan used 15000 units.",
])
def test_other_five_digit_numbers_are_not_zip_codes(text: str) -> None:
    assert [d for d in detect(text) if d.category == "zip-code"] == []


@pytest.mark.parametrize(("text", "item"), [
    ("And when she turned 93 she gave up the car.", "turned 93"),
    ("My mother is ninety-one years old and lives alone.", "ninety-one years old"),
    ("He turned ninety-one in the spring.", "turned ninety-one"),
    ("My grandmother is 94 and sharp as a tack.", "grandmother is 94"),
    ("She's ninety-six now, still at home.", "She's ninety-six"),
    ("Dad passed away at 97, in his sleep.", "passed away at 97"),
    ("We had her 90th birthday at the hall.", "90th birthday"),
    ("For his hundredth birthday the mayor came.", "hundredth birthday"),
    ("Grandpa was a hundred and two when he died.", "Grandpa was a hundred and two"),
    ("I'm ninety, I don't need a walker.", "I'm ninety"),
])
def test_age_over_89_in_prose(text: str, item: str) -> None:
    _assert_flagged_whole(text, item, "age-over-89")


@pytest.mark.parametrize("text", [
    "Her sugar was 94 this morning.",
    "It's 95 percent better.",
    "He turned 90 degrees and fell.",
    "My mother is 89 and fine.",
    "About ninety minutes later the pain stopped.",
])
def test_other_numbers_near_ninety_are_not_ages(text: str) -> None:
    assert [d for d in detect(text) if d.category == "age-over-89"] == []


@pytest.mark.parametrize(("text", "item"), [
    ("I saw Dr. Whitcombe\u2010Hale on the ward.", "Dr. Whitcombe\u2010Hale"),
    ("Mrs. O\u2019Donnell\u2011Reyes rang twice.", "Mrs. O\u2019Donnell\u2011Reyes"),
    ("Then Dr Whitcombe\u2013Hale came in.", "Dr Whitcombe\u2013Hale"),
    ("i told dr. whitcombe-hale about it.", "dr. whitcombe-hale"),
    ("I TOLD DR. WHITCOMBE-HALE ABOUT IT.", "DR. WHITCOMBE-HALE"),
    ("Then Dr. van der Berg-Hale phoned.", "Dr. van der Berg-Hale"),
    ("I saw Dr. de la Cruz-Whitcombe today.", "Dr. de la Cruz-Whitcombe"),
    ("Ask Mrs.O'Donnell-Reyes at the desk.", "Mrs.O'Donnell-Reyes"),
])
def test_hyphenated_and_apostrophe_surnames_after_a_title_are_whole(text: str, item: str) -> None:
    _assert_flagged_whole(text, item, "name")


def test_hyphenated_surname_without_title_is_one_finding() -> None:
    text = "We asked Whitcombe\u2010Hale about it."
    _assert_flagged_whole(text, "Whitcombe\u2010Hale", "name")


@pytest.mark.parametrize("text", [
    "The doctor said it was fine.",
    "I told the nurse about it.",
    "dr. said to rest.",
])
def test_titles_before_ordinary_words_are_not_names(text: str) -> None:
    assert [d for d in detect(text) if d.category == "name"] == []


@pytest.mark.parametrize(("text", "item"), [
    ("She was at University of Northern Ontario Hospital for a week.",
     "University of Northern Ontario Hospital"),
    ("We go to Church of the Good Shepherd on Sundays.", "Church of the Good Shepherd"),
    ("He was born at the Hospital for Sick Children downtown.", "Hospital for Sick Children"),
    ("She nursed at Our Lady of Mercy for years.", "Our Lady of Mercy"),
    ("The Sisters of St. Joseph ran the home.", "Sisters of St. Joseph"),
    ("He volunteers at the Royal Canadian Legion Branch 27.", "Royal Canadian Legion"),
])
def test_institution_names_with_of_or_the_inside(text: str, item: str) -> None:
    _assert_flagged_whole(text, item, "institution")


@pytest.mark.parametrize(("text", "item"), [
    ("We grew up in the Soo, both of us.", "Soo"),
    ("We lived down by the old mill until the flood.", "the old mill"),
    ("About a year ago we went to see the CN tower.", "CN tower"),
    ("The other boy works in Fort Mac now.", "Fort Mac"),
    ("We used to swim at Springbank Park every summer.", "Springbank Park"),
    ("My son moved to the Big Apple for work.", "the Big Apple"),
    ("She still lives out past Hollister Creek.", "Hollister Creek"),
])
def test_landmarks_and_nicknames_of_places(text: str, item: str) -> None:
    _assert_flagged_whole(text, item, "place")


@pytest.mark.parametrize("text", [
    "The park was nice in the spring.",
    "I walk by the old house every day.",
    "He had an ACL repair years ago.",
    "We went for a walk along the creek.",
])
def test_ordinary_places_are_not_landmarks(text: str) -> None:
    assert [d for d in detect(text) if d.category == "place"] == []


# Names read across a text: the misses the gold set and the bundled study showed.

def _names(text: str) -> list[str]:
    return [d.text for d in detect(text) if d.category == "name"]


def test_a_first_name_takes_the_surname_after_it_and_the_surname_is_found_again() -> None:
    text = ("Tobias Mercer has practised for years. The visits, Mercer said, were short. "
            "Mercer sent him home.")
    assert _names(text) == ["Tobias Mercer", "Mercer", "Mercer"]


def test_a_name_found_mid_sentence_is_found_where_it_opens_a_sentence() -> None:
    text = "She trusted Dr. Okafor from the start. Okafor moves quickly when it matters."
    assert _names(text) == ["Dr. Okafor", "Okafor"]


def test_a_first_name_is_found_again_in_lower_case() -> None:
    text = "My son Dave is five. OK, and so, has dave been coughing at night?"
    assert _names(text) == ["Dave", "dave"]


def test_an_english_word_is_not_found_again_in_lower_case() -> None:
    text = "Her neighbour, Tobias Hope, came by. It gave her hope."
    assert "hope" not in _names(text)


@pytest.mark.parametrize("text", [
    "No, I've been in Ontario since the pandemic began.",
    "She was in Saskatchewan for work.",
    "I moved here a year back from Sri Lanka.",
])
def test_provinces_and_countries_are_not_flagged(text: str) -> None:
    assert detect(text) == []


def test_a_church_named_by_its_denomination_is_an_institution() -> None:
    _assert_flagged_whole("She plays the organ at Vang Lutheran on Sundays.", "Vang Lutheran",
                          "institution")
    assert detect("I'm Lutheran, always was.") == []


@pytest.mark.parametrize("text", [
    "D: OK, and So what came first?",
    "D: Ok, Ok. Are You coughing as well?",
    "We can order a chest X Ray to rule it out.",
])
def test_capitalised_function_words_and_x_ray_are_not_names(text: str) -> None:
    assert detect(text) == []


def test_a_full_name_that_opens_a_sentence_is_found() -> None:
    assert _names("Rose Kjelstad remembered the handshake.") == ["Rose Kjelstad"]
    assert _names("Rose early, she said, and left.") == []


def test_a_name_that_looks_like_a_plural_of_a_function_word_is_still_a_name() -> None:
    assert _names("Then Wes came by with the car.") == ["Wes"]


def test_a_nickname_of_title_and_initial_is_a_name() -> None:
    assert _names("There's Doc Q at the foot of the bed.") == ["Doc Q"]
    assert _names("Thanks Doc, I feel better.") == []


# An adversarial review of the detectors: each of these passed without a finding.

@pytest.mark.parametrize(("text", "item", "category"), [
    ("She was 94 years of age when she moved in.", "94 years of age", "age-over-89"),
    ("He was born in 1931 on the farm.", "born in 1931", "age-over-89"),
    ("We buried him on Christmas Day 2019.", "Christmas Day 2019", "date"),
    ("It was Thanksgiving Day 2019, the last one.", "Thanksgiving Day 2019", "date"),
    ("Just call 867-5309 after six.", "867-5309", "phone"),
    ("They lived out on Rural Route 3 past the creek.", "Rural Route 3", "street-address"),
    ("Write to jane at example dot com if you want.", "jane at example dot com", "email"),
])
def test_review_gaps_are_flagged(text: str, item: str, category: str) -> None:
    _assert_flagged_whole(text, item, category)


@pytest.mark.parametrize("text", [
    # Safe Harbor keeps ages of 89 or less and a year alone (45 CFR 164.514(b)(2)(i)(C)).
    "She was 44 years of age then.",
    "She was born in 1990, the spring of the flood.",
    "Christmas was hard that year.",
    "We looked at it, dot by dot.",
    "The seasons ran 1998-2004.",
])
def test_what_safe_harbor_keeps_is_not_flagged(text: str) -> None:
    assert [d for d in detect(text) if d.category != "name"] == []


def test_a_birth_year_is_flagged_once_it_tells_an_age_over_89() -> None:
    from datetime import date

    from build_site.deidentify.extra_patterns import birth_years

    text = "born in 1936"
    assert list(birth_years(text, date(2025, 6, 1))) == []
    assert list(birth_years(text, date(2026, 1, 1))) == [("age-over-89", 0, 12)]
