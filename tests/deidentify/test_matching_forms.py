"""Each form's expression compiled once instead of one alternation per set of entries present
(issue 25, own3): the matches, and so every replacement, are those of the alternation."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from build_site.deidentify import Matcher, deidentify
from build_site.deidentify.matching import (
    _is_word,
    _leftmost,
    _ordered,
    _pattern,
)
from build_site.pipeline import load_and_validate
from build_site.study import Study
from build_site.synth import default_clinicians, write_synthetic_study

from .alternation import alternation_hits

REPO = Path(__file__).resolve().parents[2]


def _spans(matches: list[re.Match[str]]) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group(0)) for m in matches]


def _alternation(forms: list[str], flags: int, text: str) -> list[tuple[int, int, str]]:
    pattern = _pattern(forms, flags)
    return _spans(list(pattern.finditer(text))) if pattern else []


def test_a_word_character_is_what_re_calls_one_at_every_code_point() -> None:
    # _leftmost checks the character before a match in Python instead of with (?<![\w]).
    word = re.compile(r"\w")
    for code in range(0x110000):
        char = chr(code)
        assert _is_word(char) == bool(word.match(char)), hex(code)


def test_overlapping_forms_match_as_the_alternation_does() -> None:
    # "x a" is taken first; the alternation then finds "a a" after it, which a form's own
    # search from the start (at "a a" overlapping "x a") would have missed.
    forms = ["x a", "a a", "a"]
    text = "x a a a"
    assert _spans(_leftmost(text, _ordered(forms, 0))) == _alternation(forms, 0, text) == [
        (0, 3, "x a"), (4, 7, "a a")]
    # Several forms starting at one place: the longest, then the first alphabetically.
    forms = ["ab", "ab cd", "ab c"]
    for text in ("ab  cd", "ab c", "ab*_c d", "xab cd ab"):
        assert _spans(_leftmost(text, _ordered(forms, 0))) == _alternation(forms, 0, text)


def test_random_texts_match_as_the_alternation_does() -> None:
    rng = random.Random(25)
    words = ["a", "ab", "b", "x", "ana", "reyes", "o'neil", "st.", "ı", "ſ", "k"]
    around = ["", " ", "  ", "_", "*", "\n", "é", "1", "²", "½", "-", ".", "'", "A", "İ",
              "K", "ſ", "ı", "S", "\u00a0"]
    for _ in range(4000):
        forms = [" ".join(rng.choice(words) for _ in range(rng.randint(1, 3)))
                 for _ in range(rng.randint(1, 5))]
        text = "".join(rng.choice(words + around) for _ in range(rng.randint(0, 14)))
        for flags in (0, re.IGNORECASE):
            assert _spans(_leftmost(text, _ordered(forms, flags))) == \
                _alternation(forms, flags, text), (forms, text, flags)


@pytest.fixture(scope="module")
def study(tmp_path_factory: pytest.TempPathFactory) -> Study:
    folder = tmp_path_factory.mktemp("synth") / "study"
    write_synthetic_study(folder, 12, default_clinicians(12), 4, 1)
    return load_and_validate(folder)


@pytest.mark.parametrize("which", ["synthetic", "bundled"])
def test_every_string_a_study_replaces_has_the_hits_of_the_alternation(
        which: str, study: Study, monkeypatch: pytest.MonkeyPatch) -> None:
    chosen = study if which == "synthetic" else load_and_validate(REPO / "casestudies")
    asked: list[str] = []
    replace = Matcher.replace

    def listed(self: Matcher, text: str) -> str:
        asked.append(text)
        return replace(self, text)

    monkeypatch.setattr(Matcher, "replace", listed)
    deidentify(chosen)
    monkeypatch.undo()
    matcher = Matcher(chosen.identifiers)
    strings = list(dict.fromkeys(asked))
    assert len(strings) > 100
    hit = 0
    for text in strings:
        got = [(h.start, h.end, h.identifier.text) for h in matcher._hits(text)]
        assert got == alternation_hits(matcher, text, present_only=True), repr(text)
        hit += bool(got)
    assert hit > 20  # names were found: the comparison is not between two empty lists
