"""A case-insensitive expression searched lower-cased in ASCII texts (issue 25, checks3,
``build_site/privacy/lowered.py``): the same matches, at the same places, as the expression
itself; no twin where one would differ."""

from __future__ import annotations

import random
import re

import pytest

from build_site.consent import choices, contrastive
from build_site.privacy import numbers
from build_site.privacy.lowered import Lowered, lowered_twin
from build_site.privacy.sensitive import disclosures

from .. import checks_reference as reference

SEARCHED = [contrastive._NEGATIVE_SEARCHED, choices._CHOICE_SEARCHED.pattern,
            numbers._EXACT_AGE, numbers._APPROX_AGE, numbers._DURATION]
_WORDS = ["Dismissed", "DISMISSED", "dismissive", "Judged", "rude", "Rudely", "brisk",
          "She", "was", "Forty-Two", "aged 44", "Aged: 47", "in her Late Thirties",
          "Six Years", "consented", "Asked Not To Be", "Did Not Agree To", "NOT QUOTED",
          "Were Withheld", "shook His head", "waved it away", "You People", "drug-seeking",
          "12", "x", "_", "'", "\n", "-", ".", ",", "  "]


def _texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.choice(_WORDS) for _ in range(rng.randint(0, 30)))
            for _ in range(count)]


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


@pytest.mark.parametrize("index", range(len(SEARCHED)))
def test_each_check_expression_matches_the_same_lower_cased(index: int) -> None:
    pattern = SEARCHED[index]
    twin = lowered_twin(pattern)
    assert twin is not None
    lowered = Lowered(pattern)
    for text in _texts(2000, index):
        assert _spans(twin, text.lower()) == _spans(pattern, text), text
        match = pattern.search(text)
        assert lowered.search(text) == (match.group(0) if match else None)
        assert lowered.spans(text) == _spans(pattern, text)


def test_a_text_outside_ascii_is_searched_as_it_is() -> None:
    lowered = Lowered(re.compile(r"\bkelvin\b", re.I))
    assert lowered.search("\u212aelvin") == "\u212aelvin"  # the Kelvin sign folds to k
    assert lowered.search("KELVIN") == "KELVIN"


@pytest.mark.parametrize("expression, flags", [
    (r"\bER doctor", re.I), (r"[A-Z]x", re.I), (r"[0-_]x", re.I), (r"(?-i:HIV)", re.I),
    (r"(?i:x)y", 0), (r"abc", 0), (r"abc", re.I | re.M), (r"\x41", re.I), (r"é", re.I),
    (r"(a)?(?(1)a|b)", re.I)])
def test_no_twin_where_case_or_flags_would_differ(expression: str, flags: int) -> None:
    assert lowered_twin(re.compile(expression, flags)) is None


def _random_expression(rng: random.Random) -> str:
    items = []
    for _ in range(rng.randint(1, 5)):
        item = rng.choice(["a", "b", "B", "ab", r"\b", r"\w", r"\W", r"\d", "[a-c]", "[^b]",
                           "[A-C]", "[0-_]", "[ -@]", "(?:a|Bb|c)", "(?=a)", "(?<!b)", "x",
                           "(a)\\1", "[_-z]"])
        items.append(item + rng.choice(["", "", "?", "*", "+", "{1,2}", "*?"]))
    return "".join(items)


def test_random_expressions_with_a_twin_match_the_same() -> None:
    rng = random.Random(3)
    twins = refused = 0
    for _ in range(1500):
        try:
            pattern = re.compile(_random_expression(rng), re.I)
        except re.error:  # a repeated \b or look-around
            continue
        twin = lowered_twin(pattern)
        if twin is None:
            refused += 1
            continue
        twins += 1
        for _ in range(20):
            text = "".join(rng.choice("aAbBcCxX_0 -[@") for _ in range(rng.randint(0, 12)))
            assert _spans(twin, text.lower()) == _spans(pattern, text), (pattern, text)
    assert twins > 300 and refused > 300


def test_disclosures_are_those_of_the_one_alternation() -> None:
    terms = ["abused", "Assaulted", "RAPED", "domestic violence", "Opioids", "alcoholic",
             "HIV", "Hiv", "hiv", "AIDS", "aids", "Aids", "PrEP", "prep", "PTSD", "ptsd",
             "Depressed", "self-harming", "Refugees", "prison", "same-sex", "came out",
             "ſubstance use", "\u212aelvin", "Deport", "xabused", "abusedx", "crack", "gay"]
    filler = ["she", "said", "the", ",", ".", "\n", "-", "'", "x2"]
    rng = random.Random(7)
    for _ in range(3000):
        text = " ".join(rng.choice(terms if rng.random() < 0.2 else filler)
                        for _ in range(rng.randint(0, 25)))
        assert list(disclosures(text)) == list(reference.disclosures(text)), text
