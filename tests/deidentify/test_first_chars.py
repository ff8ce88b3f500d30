"""The detector expressions behind a look-ahead of the characters their matches start with
(issue 25, own3): the same matches as the expressions alone."""

from __future__ import annotations

import random
import re

import pytest

from build_site.consent import choices, contrastive
from build_site.deidentify import detectors, extra_patterns, prose
from build_site.deidentify.bench import DEFAULT_CORPUS, load_corpus
from build_site.deidentify.detectors import detect
from build_site.deidentify.first_chars import first_char_set, with_first_chars
from build_site.pipeline import load_and_validate
from build_site.privacy import numbers, sensitive
from build_site.synth import default_clinicians, write_synthetic_study

from ..conftest import REPO

# Every expression searched behind a look-ahead: the detectors', and the checks of published
# text (numbers, sensitive disclosures, contrastive comments, consent statements).
WRAPPED = [*(p for _, p in (*detectors._PATTERNS, *extra_patterns.PATTERNS)),
           prose._AGE_CUE, prose._ZIP, prose._POSTAL_CA, prose._TITLED, prose._INSTITUTION_OF,
           prose._LANDMARK, prose._PLACE_PREFIX,
           prose._OLD_LANDMARK, prose._NICKNAMES, numbers.EXACT_AGE, numbers.EXACT_DATE,
           numbers.APPROX_AGE, numbers.DURATION, sensitive.PATTERN, contrastive._NEGATIVE,
           contrastive._ROLE, choices._CHOICE]
ALL_CHARACTERS = "".join(map(chr, range(0x110000)))
_MEMBER = re.compile(r"\\U[0-9a-f]{8}-\\U[0-9a-f]{8}|\\U[0-9a-f]{8}|\\d")


def _readable(head: str | None) -> str | None:
    return head and re.sub(r"\\U([0-9a-f]{8})", lambda m: chr(int(m.group(1), 16)), head)


@pytest.mark.parametrize("expression, head", [
    (r"a?b", "[ab]"), (r"(?:x[ ]+){0,3}y", "[xy]"), (r"\b(?:jan|feb)\b", "[fj]"),
    (r"(?<!\d)\b[A-C]\w", "[A-C]"), (r"\d+x", r"[\d]"), (r"(?:ab|c)+", "[ac]"),
    (r"a?", None), (r"x*y?", None), (r"(?:a|)b", None), (r"[^a]", None),
    (r"(?i)(?i:a)b", "[a]"), (r"(?i)(?-i:A)b", "[A]"),
    # a first character read under a scoped "(?i:" the whole lacks: the set in any case
    (r"(?i:a)b", "(?i:[a])"), (r"\b(?:(?i:ab|c)|D)", "(?i:[Dac])"), (r"x?(?i:a)", "(?i:[ax])"),
    (r"(?i:a)?b", "(?i:[ab])"), (r"A(?i:b)", "[A]"), (r"(?i:a?)", None),
    (r"\w", None), (r".", None), (r"\s*a", None), (r"(a)\1", "[a]")])
def test_the_first_characters_read_from_an_expression(expression: str, head: str | None
                                                      ) -> None:
    assert _readable(first_char_set(re.compile(expression))) == head


def test_global_flags_inside_leave_the_expression_as_it_is() -> None:
    pattern = re.compile("(?i)ab")
    assert with_first_chars(pattern) is pattern


def test_the_detectors_get_a_look_ahead_where_it_pays() -> None:
    heads = {p.pattern: _readable(first_char_set(p)) for p in WRAPPED}
    assert heads[detectors._PATTERNS[3][1].pattern] == "[adfjmnos]"  # month names
    assert heads[prose._LANDMARK.pattern] == "[A-Z]"
    assert heads[sensitive.PATTERN.pattern] is not None  # "(?-i:HIV)" inside "re.I"
    assert heads[prose._TITLED.pattern] == "(?i:[dfmnprs])"  # "(?i:dr|mr|...)" (own4)
    assert heads[detectors._PATTERNS[-1][1].pattern] == "(?i:[Icm])"  # "(?i:my name is|...)"
    assert heads[prose._INSTITUTION_OF.pattern] is not None
    assert prose._searched(prose._TITLED) is not prose._TITLED
    assert prose._searched(prose._INSTITUTION_OF) is not prose._INSTITUTION_OF
    assert sum(head is not None for head in heads.values()) >= 35


@pytest.mark.parametrize("index", range(len(WRAPPED)))
def test_the_look_ahead_takes_every_character_a_first_literal_matches(index: int) -> None:
    # Each single character of the set is written as a literal in the expression, and matched
    # there under the expression's flags (letter case, Unicode's special case pairs such as
    # "ſ" and "s"): the set, under the same flags, must take every code point it takes.
    # A set read under a scoped "(?i:" is tested in any case: so are its literals here.
    pattern = WRAPPED[index]
    head = first_char_set(pattern)
    if head is None:
        return
    flags = pattern.flags
    if head.startswith("(?i:"):
        head, flags = head[4:-1], flags | re.IGNORECASE
    members = _MEMBER.findall(head)
    assert "".join(members) == head[1:-1]
    literal = re.compile("|".join(m if len(m) == 10 else f"[{m}]" for m in members), flags)
    lookahead = re.compile(head, flags)
    by_literal = {m.start() for m in literal.finditer(ALL_CHARACTERS)}
    by_set = {m.start() for m in lookahead.finditer(ALL_CHARACTERS)}
    assert by_literal <= by_set
    assert by_literal


def _texts() -> list[str]:
    study = load_and_validate(REPO / "casestudies")
    texts = [c.narrative or "" for c in [*study.clinicians, *study.dyads]]
    texts += [e.text for d in study.dyads for e in d.excerpts]
    corpus = load_corpus(DEFAULT_CORPUS)
    texts += [case["text"] for key in ("listed", "unlisted", "keep", "false_alarms_ok")
              for case in corpus.get(key, []) if isinstance(case, dict) and "text" in case]
    return texts


def _random_texts(texts: list[str]) -> list[str]:
    """Pieces of the texts and of the expressions' own words, joined in random orders, with
    letters in other cases and the characters case-insensitive matching pairs with ASCII."""
    rng = random.Random(25)
    words = [w for t in texts for w in re.findall(r"\S+", t)][:20000]
    words += ["Christmas", "2019", "jan", "ſept", "K", "ı", "İ", "93", "MRN", "12345",
              "St.", "Mary's", "Hospital", "Park", "Fort", "the", "old", "mill", "Big", "Apple",
              "P.O.", "Box", "12", "Main", "Street", "ninety", "one", "hundred", "years", "old"]
    phrases = ["March 3, 2019", "3rd of June 2020", "sept 2001", "12/03/2019", "2019-04-05",
               "in her nineties", "93 years old", "aged 101", "123 Main Street", "PO Box 12",
               "ZIP 12345", "MRN 12345678", "123-45-6789", "St. Mary's Hospital", "555-1234",
               "my name is Ana", "Christmas Day 2019", "born in 1931", "RR 2 box 3",
               "jo at example dot com", "www.x.org", "a@b.com", "10.0.0.1", "K1A 0B1",
               "Springbank Park", "Fort Mac", "the old mill", "the Big Apple", "turned 93",
               "Kilbride Memorial Hospital", "Church of the Good Shepherd", "x1 ", "_", "é",
               "aged 44", "she was thirty-eight", "in her late thirties", "six years later",
               "HIV", "aids", "PTSD", "opioids", "came out", "prison", "the surgeon",
               "dismissed", "another doctor", "Dr. Falkner", "waved it away", "Oct 3",
               "one hundred years old", "Our Lady of Sorrows"]
    out = []
    for _ in range(3000):
        picked = [rng.choice(phrases if rng.random() < 0.4 else words)
                  for _ in range(rng.randint(1, 12))]
        picked = [w.upper() if rng.random() < 0.1 else w.lower() if rng.random() < 0.1 else w
                  for w in picked]
        out.append("".join(w + rng.choice([" ", "  ", "\n", ", ", "-", ""]) for w in picked))
    return out


@pytest.fixture(scope="module")
def texts(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    folder = tmp_path_factory.mktemp("synth") / "study"
    write_synthetic_study(folder, 12, default_clinicians(12), 4, 1)
    synthetic = load_and_validate(folder)
    found = _texts()
    found += [c.narrative or "" for c in [*synthetic.clinicians, *synthetic.dyads]]
    found += [e.text for d in synthetic.dyads for e in d.excerpts]
    return found + _random_texts(found)


def test_every_expression_finds_what_it_found_alone(texts: list[str]) -> None:
    matched = 0
    for pattern in WRAPPED:
        searched = with_first_chars(pattern)
        for text in texts:
            alone = [(m.span(), m.groups()) for m in pattern.finditer(text)]
            assert [(m.span(), m.groups()) for m in searched.finditer(text)] == alone, (
                pattern.pattern, text)
            matched += len(alone)
    assert matched > 500


def test_detections_with_and_without_the_look_ahead_agree(
        texts: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    sample = texts[:1500]
    with_look_ahead = [detect(t) for t in sample]
    monkeypatch.setattr(detectors, "_SEARCHED", {})
    monkeypatch.setattr(prose, "_SEARCHED", {})
    assert [detect(t) for t in sample] == with_look_ahead
    assert sum(map(len, with_look_ahead)) > 100


def _random_expression(rng: random.Random, depth: int = 0) -> str:
    """A small expression over the letters a-c and digits: literals, sets, optional and
    repeated items, alternations, groups, word boundaries and look-arounds."""
    atoms = ["a", "b", "c", "1", "[ab]", "[a-c]", r"\d", "[^a]", r"\w", ".", r"\b", " ",
             "(?=a)", "(?!b)", "(?<=c)", "(?<!a)", "[Bc]", "C", "(?i:B)", "(?-i:A)", "(?i:c|A)"]
    parts = []
    for _ in range(rng.randint(1, 4)):
        roll = rng.random()
        if roll < 0.15 and depth < 2:
            branches = [_random_expression(rng, depth + 1) for _ in range(rng.randint(1, 3))]
            if rng.random() < 0.2:
                branches.append("")
            item = "(?:" + "|".join(branches) + ")"
        elif roll < 0.25 and depth < 2:
            item = "(" + _random_expression(rng, depth + 1) + ")"
        else:
            item = rng.choice(atoms)
        if rng.random() < 0.3 and not item.startswith(("(?=", "(?!", "(?<", "\\b")):
            item += rng.choice(["?", "*", "+", "{0,2}", "{1,3}", "??", "+?"])
        parts.append(item)
    return "".join(parts)


def test_random_expressions_find_what_they_found_alone() -> None:
    rng = random.Random(2512)
    texts = ["".join(rng.choice("abcABC1 _.-") for _ in range(rng.randint(0, 12)))
             for _ in range(300)]
    read = 0
    for _ in range(1500):
        flags = rng.choice([0, re.IGNORECASE])
        pattern = re.compile(_random_expression(rng), flags)
        searched = with_first_chars(pattern)
        read += searched is not pattern
        for text in texts:
            assert [(m.span(), m.groups()) for m in searched.finditer(text)] == [
                (m.span(), m.groups()) for m in pattern.finditer(text)], (pattern, text)
    assert read > 300  # most expressions got a look-ahead: the comparison tests the reading
