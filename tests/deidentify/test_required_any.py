"""Pieces one of which every match of a detector's expression holds (issue 25, deid6): a text
in which none occurs is not searched with that expression (the city nicknames, places named
with a prefix, institutions "of" something, web addresses), and the detections are the same."""

from __future__ import annotations

import random
import re

import pytest

from build_site.deidentify import detectors, extra_patterns, prose
from build_site.deidentify.detectors import detect
from build_site.deidentify.required import any_search, required_any

from .test_first_chars import _random_expression, texts  # noqa: F401

PATTERNS = [p for _, p in (*detectors._PATTERNS, *extra_patterns.PATTERNS)] + [
    prose._INSTITUTION_OF, prose._PLACE_PREFIX, prose._OLD_LANDMARK, prose._NICKNAMES,
    prose._AGE_CUE, prose._LANDMARK, prose._TITLED]

HOSTILE = [
    "we moved to the Big Apple", "the Big apple", "THE BIG APPLE", "back to the Peg in May",
    "the Soo", "the Six and the 6ix", "T-Dot", "Chi-Town", "Motown", "Sin City", "Steeltown",
    "Cowtown", "Fort McMoney", "the Windy City", "the Motor City", "the Forest City",
    "the Hammer", "the Rock", "the  Rock", "the\tRock", "theRock", "Fort Mac", "Port Hope",
    "Mount Royal", "Mt. Pleasant", "Mt.Pleasant", "Sault Ste. Marie", "Lake Louise",
    "Cape Breton", "fort mac", "the old mill", "the abandoned quarry", "The old mill",
    "Church of the Good Shepherd", "Sisters of St. Joseph", "University of Toronto",
    "Our Lady of Lourdes", "School of Medicine", "Centre for Addiction", "Center of Hope",
    "church of the nazarene", "see https://example.org/x", "HTTP://EXAMPLE.ORG",
    "www.example.org", "WWW.EXAMPLE.ORG", "Www.x.ca", "ftp://x", "http:/x",
    "Hospital of St. Mary", "a Home for the Aged", "Ｍotown", "the Ｂig Apple",
]


@pytest.mark.parametrize("expression, flags, pieces", [
    (r"\b(?:Fort|Port|Mt\.)[ \t]+X", 0, {"Fort", "Port", "Mt."}),
    (r"the (?:Big (?:Apple|Easy)|Rock)\b|\bMotown", 0, {"Big Apple", "Big Easy", "Rock",
                                                         "Motown"}),
    (r"(?:ab|c)d", 0, {"d"}), (r"(?:Ab|Cd)x", 0, {"Ab", "Cd"}), (r"a?", 0, None),
    (r"(?:Ab|c?)", 0, None), (r"(?:Ab|)", 0, None), (r"(?:WWW|FTP)", re.I, {"www", "ftp"}),
    (r"(?:is|at)", re.I, None), (r"(?:https?://|www\.)", re.I, {"://", "www."}),
    (r"(?:(?i:Ab)|Cd)", 0, None), (r"(?:Xa+|Yb)", 0, {"X", "Yb"}), (r"\d+", 0, None)])
def test_the_pieces_read_from_an_expression(expression: str, flags: int,
                                            pieces: set[str] | None) -> None:
    found = required_any(re.compile(expression, flags))
    assert (None if found is None else set(found)) == pieces


def test_the_searched_gates_are_in_place() -> None:
    assert set(prose._GATES) == {id(p) for p in (prose._INSTITUTION_OF, prose._PLACE_PREFIX,
                                                 prose._OLD_LANDMARK, prose._NICKNAMES)}
    assert id(detectors._PATTERNS[1][1]) in detectors._REQUIRED_ANY  # web addresses
    assert {"Motown", "Big Apple", "Fort McMoney"} <= set(required_any(prose._NICKNAMES) or ())
    search = any_search(frozenset({"Mt.", "Fort"}))
    assert search.search("Mt. X") and search.search("Fort") and not search.search("Mtx")


def test_every_match_holds_one_of_its_pieces(texts: list[str]) -> None:  # noqa: F811
    checked = 0
    for pattern in PATTERNS:
        pieces = required_any(pattern)
        if pieces is None:
            continue
        for text in [*texts, *HOSTILE]:
            for m in pattern.finditer(text):
                found = m.group(0).lower() if pattern.flags & re.I else m.group(0)
                assert any(piece in found for piece in pieces), (pattern.pattern, text)
                checked += 1
    assert checked > 50


def test_detections_with_and_without_the_gates_agree(
        texts: list[str], monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    sample = [*texts, *HOSTILE, " ".join(HOSTILE)]
    with_gates = [detect(t) for t in sample]
    monkeypatch.setattr(detectors, "_REQUIRED_ANY", {})
    monkeypatch.setattr(prose, "_GATES", {})
    assert [detect(t) for t in sample] == with_gates
    places = [d for found in with_gates for d in found if d.category == "place"]
    assert len(places) > 20 and any(d.text == "the Big Apple" for d in places)


def test_random_expressions_hold_one_of_their_pieces_in_every_match() -> None:
    rng = random.Random(1925)
    samples = ["".join(rng.choice("abcABC1 _.-") for _ in range(rng.randint(0, 14)))
               for _ in range(300)]
    read = 0
    for _ in range(2000):
        flags = rng.choice([0, re.IGNORECASE])
        pattern = re.compile(_random_expression(rng), flags)
        pieces = required_any(pattern)
        if pieces is None:
            continue
        read += len(pieces) > 1
        for text in samples:
            for m in pattern.finditer(text):
                found = m.group(0).lower() if flags else m.group(0)
                assert any(piece in found for piece in pieces), (pattern, text)
    assert read > 30


def test_the_age_words_lower_case_to_the_forms_looked_for() -> None:
    for letter in "ninethudr":
        matched = {chr(c) for c in range(0x110000) if re.fullmatch(letter, chr(c), re.I)}
        lowered = {c.lower() for c in matched}
        assert lowered == ({"i", "i\u0307", "\u0131"} if letter == "i" else {letter}), letter
    assert set(prose._AGE_WORDS_LOWERED) == {"hundred", "ninet", "ni\u0307net", "n\u0131net"}


def test_ages_are_found_the_same_with_the_number_words_looked_for_first(
        texts: list[str], monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    words = ["NİNETY-ONE years old", "nınety-two years old", "she turned NINETY",
             "ONE HUNDRED years old", "my mother is ninety three", "aged 101", "hit 95",
             "in her nineties", "Hundred-year-old", "he is 93", "a hundredth birthday"]
    sample = [*texts, *words, " ".join(words)]
    gated = [list(prose._ages(t)) for t in sample]
    monkeypatch.setattr(prose, "_AGE_WORDS_LOWERED", ("",))  # every text: the whole cue
    assert [list(prose._ages(t)) for t in sample] == gated
    assert sum(map(len, gated[-len(words) - 1:])) >= 10
