"""Replacements that repeat the word before them: "her husband Sean" with ``Sean -> her
husband`` is published as "her husband her husband" (newuser10's study, and five narratives of
the bundled study); ``check`` warns with the file and line."""

from __future__ import annotations

from pathlib import Path

from build_site.check import check_study
from build_site.deidentify.echo import echo_warnings
from build_site.pipeline import load_and_validate

REPO = Path(__file__).resolve().parents[2]


def _narrative(study: Path, old: str, new: str) -> None:
    path = study / "dyads" / "C1-P1.md"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_a_replacement_repeating_the_word_before_it_is_warned_at_its_line(tiny: Path) -> None:
    _narrative(tiny, "Margery Quill first met Dr. Alcott in Fennick Falls.",
               "Margery Quill first met Dr. Alcott in Fennick Falls.\n\n"
               "She came with her husband Bertram, and later without him.")
    warned = [w for w in check_study(tiny).warnings if "repeats the word" in w]
    assert len(warned) == 1
    assert warned[0].startswith("dyads/C1-P1.md:31: 'husband Bertram' is published as "
                                "'husband [her husband]'")


def test_text_whose_lower_case_is_longer_is_read_as_written(tiny: Path) -> None:
    """"İ" is two code points in lower case: such a text is searched as written."""
    _narrative(tiny, "Margery Quill first met Dr. Alcott in Fennick Falls.",
               "İlkay met HER HUSBAND BERTRAM in Fennick Falls.")
    warned = echo_warnings(load_and_validate(tiny))
    assert [w.split(" is published")[0] for w in warned] == [
        "dyads/C1-P1.md:29: 'HUSBAND BERTRAM'"]


def test_a_name_with_other_words_before_it_is_not_warned(tiny: Path) -> None:
    _narrative(tiny, "Margery Quill first met Dr. Alcott in Fennick Falls.",
               "Margery Quill first met Dr. Alcott in Fennick Falls with Bertram, then her "
               "husband, Bertram's brother and a husbandly Bertram.")
    assert echo_warnings(load_and_validate(tiny)) == []


def test_the_longest_form_is_named_once_and_possessives_count(tiny: Path) -> None:
    _narrative(tiny, "Margery Quill first met Dr. Alcott in Fennick Falls.",
               "Margery Quill first met Dr. Alcott at her husband Bertram Quill's house.")
    warned = echo_warnings(load_and_validate(tiny))
    assert [w.split(" is published")[0] for w in warned] == [
        "dyads/C1-P1.md:29: 'husband Bertram Quill'"]


def test_a_name_in_apposition_after_the_same_words_is_warned(tiny: Path) -> None:
    """"her husband, Bertram, came" is published "her husband, [her husband], came": the
    bundled study had 34 such sentences, which the word-before rule alone missed."""
    _narrative(tiny, "Margery Quill first met Dr. Alcott in Fennick Falls.",
               "Margery Quill first met Dr. Alcott with her husband, Bertram, and later alone "
               "with her husband, Bertram.")
    warned = echo_warnings(load_and_validate(tiny))
    assert [w.split(" is published")[0] for w in warned] == [
        "dyads/C1-P1.md:29: 'husband, Bertram'"]
    assert "is published as 'husband, [her husband]'" in warned[0]


def test_the_replacement_s_words_after_the_name_are_warned(tiny: Path) -> None:
    """showcase9: "Yvette Carmody, a nurse at the centre" with ``[a nurse]`` was published
    "[a nurse], a nurse at the centre"."""
    _narrative(tiny, "Margery Quill first met Dr. Alcott in Fennick Falls.",
               "Margery Quill first met Dr. Alcott in Fennick Falls. Bertram, her husband "
               "of forty years, came too; so did Bertram, who is her husband.")
    warned = echo_warnings(load_and_validate(tiny))
    assert [w.split(": the")[0] for w in warned] == [
        "dyads/C1-P1.md:29: 'Bertram, her husband' is published as '[her husband], her "
        "husband'"]


def test_the_bundled_study_has_none() -> None:
    """The bundled narratives were rewritten where a replacement repeated the words before a
    name (five directly, 34 in apposition) or after it (one)."""
    assert echo_warnings(load_and_validate(REPO / "casestudies")) == []
