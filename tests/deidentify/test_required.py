"""The piece of text every match of a detector's expression holds (issue 25, own4): a text
without it is not searched with that expression, and the detections are the same."""

from __future__ import annotations

import random
import re

import pytest

from build_site.deidentify import detectors, extra_patterns
from build_site.deidentify.detectors import detect
from build_site.deidentify.required import CASELESS_SAFE, required_text

from .test_first_chars import ALL_CHARACTERS, _random_expression, texts  # noqa: F401

PATTERNS = [p for _, p in (*detectors._PATTERNS, *extra_patterns.PATTERNS)]


@pytest.mark.parametrize("expression, flags, piece", [
    (r"\b[\w.+-]+@[\w-]+", 0, "@"), (r"x?ab+c", 0, "a"), (r"x?abc+", 0, "ab"),
    (r"(?:ab)+", 0, "ab"),
    (r"a(?:xyz|wxyzw)b", 0, "xyz"), (r"(?:ab|cd)", 0, None), (r"a?", 0, None),
    (r"(?:abc){0,2}d", 0, "d"), (r"DOT", re.I, "dot"), (r"is", re.I, None),
    (r"ks|at", re.I, None), (r"(?-i:X)y", re.I, "y"), (r"(?i:X)y", 0, "y"),
    (r"(?:\(dot\)|\bdot\b)\s*com", re.I, "dot"), (r"[ab]c", 0, "c"), (r"\d+", 0, None)])
def test_the_piece_read_from_an_expression(expression: str, flags: int, piece: str | None
                                           ) -> None:
    assert required_text(re.compile(expression, flags)) == piece


@pytest.mark.parametrize("char", sorted(CASELESS_SAFE))
def test_a_safe_character_matches_in_any_case_only_what_lower_cases_to_it(char: str) -> None:
    matched = {m.group(0) for m in re.finditer(re.escape(char), ALL_CHARACTERS, re.I)}
    assert {c.lower() for c in matched} == {char.lower()}


def test_the_letters_left_out_match_more_than_their_cases() -> None:
    for char in "is":  # "ı", "İ"; "ſ" (k is left out too: "K" lower-cases to it)
        matched = {m.group(0) for m in re.finditer(char, ALL_CHARACTERS, re.I)}
        assert {c.lower() for c in matched} != {char}


def test_the_e_mail_detectors_need_their_piece() -> None:
    pieces = {p.pattern: required_text(p) for p in PATTERNS}
    assert pieces[detectors._PATTERNS[0][1].pattern] == "@"
    assert pieces[extra_patterns.PATTERNS[-1][1].pattern] == "dot"
    assert len(detectors._REQUIRED) >= 5


def test_every_match_of_a_detector_holds_its_piece(texts: list[str]) -> None:  # noqa: F811
    checked = 0
    for pattern in PATTERNS:
        piece = required_text(pattern)
        if piece is None:
            continue
        for text in [*texts, "jo at example dot com", "JO AT EXAMPLE DOT COM", "a@b.org"]:
            for m in pattern.finditer(text):
                found = m.group(0).lower() if pattern.flags & re.I else m.group(0)
                assert piece in found, (pattern.pattern, text)
                checked += 1
    assert checked > 50


def test_detections_with_and_without_the_pieces_agree(
        texts: list[str], monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    sample = [*texts[:1500], "write to jo at example dot com", "Jo AT Example DOT org",
              "mail a.b@c.org", "PO Box 12", "turned 93 years of age"]
    with_pieces = [detect(t) for t in sample]
    monkeypatch.setattr(detectors, "_REQUIRED", {})
    assert [detect(t) for t in sample] == with_pieces
    assert sum(map(len, with_pieces)) > 100


def test_random_expressions_hold_their_piece_in_every_match() -> None:
    rng = random.Random(4025)
    samples = ["".join(rng.choice("abcABC1 _.-") for _ in range(rng.randint(0, 14)))
               for _ in range(300)]
    read = 0
    for _ in range(1500):
        flags = rng.choice([0, re.IGNORECASE])
        pattern = re.compile(_random_expression(rng), flags)
        piece = required_text(pattern)
        if piece is None:
            continue
        read += 1
        for text in samples:
            for m in pattern.finditer(text):
                found = m.group(0).lower() if flags else m.group(0)
                assert piece in found, (pattern, text)
    assert read > 300
