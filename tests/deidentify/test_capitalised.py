"""The capitalised words the proper-noun detector reads (issue 25, deid6): found without
walking every word, the same words at the same places as every word of ``_WORD`` whose first
letter is a capital."""

from __future__ import annotations

import random
import re

from build_site.deidentify.detectors import _CAPITALISED, _WORD, _capitalised_words

from .test_first_chars import texts  # noqa: F401

TRICKY = ["iPhone", "5Abc", "_Abc", "'Abc", "-Abc", "ΩAbc", "éAbc", "ßAbc", "x-Ray", "O'Neil",
          "abc'Def", "‐Ábc", "Þór", "×Abc", "Abc", "McDonald", "mcDonald", "Ωmega Ábc",
          "9-Eleven", "__Init", "’Tis", "e.g. Ana", "ÿAbc", "ØAbc", "÷Abc", "ʼAbc x"]


def _by_word(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _WORD.finditer(text) if m.group(0)[0].isupper()]


def test_the_capitals_are_those_of_the_first_letter_class() -> None:
    first = re.compile(_WORD.pattern.split("]")[0] + "]")
    capital = re.compile(_CAPITALISED.pattern.split("]")[0] + "]")
    letters = [chr(c) for c in range(0x110000) if first.fullmatch(chr(c))]
    assert len(letters) > 100
    assert {c for c in letters if c.isupper()} == {
        chr(c) for c in range(0x110000) if capital.fullmatch(chr(c))}


def test_the_same_words_as_every_word_tested_for_a_capital(texts: list[str]  # noqa: F811
                                                           ) -> None:
    found = 0
    for text in [*texts, *TRICKY, " ".join(TRICKY), "".join(TRICKY)]:
        assert [m.span() for m in _capitalised_words(text)] == _by_word(text), text
        found += len(_by_word(text))
    assert found > 1000


def test_random_texts_of_word_characters_give_the_same_words() -> None:
    rng = random.Random(625)
    alphabet = "aAbBéÉßÞÿØ×÷Ω5_'’ʼ‘‐-– .\n"
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 20)))
        assert [m.span() for m in _capitalised_words(text)] == _by_word(text), text


def test_a_capital_inside_a_word_is_not_a_word() -> None:
    assert [m.group(0) for m in _capitalised_words("my iPhone, 5Abc and ΩDef")] == [
        "Abc", "ΩDef"[1:]]
