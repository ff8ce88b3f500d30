"""A narrative without Markdown syntax written directly (:mod:`build_site.render.plain_narrative`,
issue 25) is byte for byte what Python-Markdown and nh3 make of it
(:func:`build_site.render.html.converted_html`), and any text with syntax takes that path."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from build_site.pipeline import prepare
from build_site.render.html import converted_html, narrative_html
from build_site.render.plain_narrative import plain_html
from build_site.synth import write_synthetic_study

REPO = Path(__file__).resolve().parents[2]

# Plain words, and pieces at the edge of each rule: syntax of every kind and whitespace.
WORDS = ["word", "Dr. Yarr", "it's", 'said "no"', "(once)", "a/b", "50%", "yes: no", "x; y",
         "ok!", "why?", "well-known", "é", "Ünal", "2019", "x:y", "### H", "## H", "# H",
         "[a small town]", "[x] y", "[x]", "[[x]]", "x]", "[x", "(y)", "![x]"]
SYNTAX = [
    "1. first", "1) first", "- item", "+ item", "* item", "*em*", "_em_", "**b**", "`code`",
    "[a](b)", "![i](s)", "<b>x</b>", "&amp;", "a & b", "x > y", "|a|b|", "~~s~~", "\\*",
    "{: #id}", "a  ", " a", "\ta", "    code", "---", "===", "***", "# ", "#", "#### H",
    "###### H", "####### H", "### H #", "##H", "#tag", "\u00a0", "a\u00a0b", "\r",
    "<https://x.org>", "https://x.org", "", " ", "e\u0301",
]


def _text(rng: random.Random) -> str:
    lines = []
    for _ in range(rng.randint(1, 6)):
        line = " ".join(rng.choice(SYNTAX if rng.random() < 0.04 else WORDS)
                        for _ in range(rng.randint(1, 3)))
        lines.append(line)
        lines.extend([""] * rng.choice((0, 0, 1, 1, 1, 1, 2)))
    return rng.choice(("", "\n", "\n\n")) + "\n".join(lines) + rng.choice(("", "\n", "\n\n"))


def test_generated_texts_equal_the_converters_or_take_their_path() -> None:
    rng = random.Random(25)
    plain = 0
    for _ in range(6000):
        text = _text(rng)
        direct = plain_html(text)
        if direct is not None:
            assert direct == str(converted_html(text)), repr(text)
            plain += 1
        assert narrative_html(text) == converted_html(text), repr(text)
    assert 300 < plain < 5700  # both paths taken, often


@pytest.mark.parametrize("text", [
    "A *b*", "A\n\n- b", "A\n### H", "### H\nA", "A  \nB", " A", "A\n\n\n\nB\n", "1986. A",
    "A & B", "A <b>", "A < B", "A <b", "A <x@y.org", "# A #", "A\u00a0B", "A\n===",
    "A\n\nB\n  C", "\tA", "A [x](y)", "A [x] (y)", "A [x]\n(y)", "A [x][y]", "A [x] [y]",
    "[a]: http://x.org\n\nSee [a].", "See [a].\n\n[a]: http://x.org", "A ![x](y.png)",
])
def test_syntax_takes_the_converters_path(text: str) -> None:
    direct = plain_html(text)
    assert direct is None or direct == str(converted_html(text))
    assert narrative_html(text) == converted_html(text)


def test_every_narrative_of_three_studies(tmp_path: Path) -> None:
    synth = tmp_path / "synth"
    write_synthetic_study(synth, 40, 8, 3, 5)
    plain = total = 0
    for study_dir in (REPO / "casestudies", REPO / "examples" / "osce", synth):
        study = prepare(study_dir, "review").study
        for case in [*study.clinicians, *study.dyads]:
            text = case.narrative
            direct = plain_html(text)
            if direct is not None:
                assert direct == str(converted_html(text)), (study_dir, case.id)
                plain += 1
            total += 1
    assert plain > total // 2  # the synthetic narratives are plain


def test_a_line_holds_exactly_letters_digits_and_the_safe_punctuation() -> None:
    # the regular expression is the rule the module states: str.isalnum or one of the list
    import sys

    from build_site.render.plain_narrative import _words

    safe = set(" .,;:'\"?!-()/%[]")
    wrong = [c for c in map(chr, range(sys.maxunicode + 1))
             if _words(f"a{c}a") != (c.isalnum() or c in safe)]
    assert wrong == []
