"""Withheld words stay withheld (issue 17 item 1): runs of a non-quotable participant's words
and quotations presented as theirs, in every kind of published free text."""

from __future__ import annotations

from pathlib import Path

import pytest

from build_site.privacy.texts import words
from build_site.privacy.withheld import (
    CONTENT,
    RUN,
    content_words,
    gram_index,
    grams,
    withheld_runs,
)
from tests.privacy.conftest import narrate, prepared, rules, withheld_study


def test_a_run_of_her_words_in_her_narrative_is_a_consent_finding(tiny: Path) -> None:
    withheld_study(tiny)
    narrate(tiny, "C1-P2", "She spoke of how the doctor still remembers my daughter's name.")
    assert rules(tiny) == [("dyads/C1-P2.md", "withheld-words", "C1-P2")]


def test_case_punctuation_and_hidden_characters_do_not_hide_the_run(tiny: Path) -> None:
    withheld_study(tiny)
    narrate(tiny, "C1-P2", "She said the doctor STILL remembers, my\u200b daughter’s... Name!")
    assert rules(tiny) == [("dyads/C1-P2.md", "withheld-words", "C1-P2")]


def test_her_words_in_another_case_and_in_hand_written_pages_are_found(tiny: Path) -> None:
    withheld_study(tiny)
    narrate(tiny, "C1", "One patient said she still remembers my daughter's name.")
    (tiny / "docs").mkdir()
    (tiny / "docs" / "about.md").write_text(
        "# About\n\nA patient: she still remembers my daughter's name.\n", encoding="utf-8")
    found = {(f.file, f.line, f.rule) for f in prepared(tiny).text.consent}
    assert ("clinicians/C1.md", prepared(tiny).study.clinicians[0].source.body_line,
            "withheld-words") in found
    assert ("docs/about.md", 3, "withheld-words") in found


def test_her_words_in_study_yml_prose_are_found(tiny: Path) -> None:
    withheld_study(tiny)
    study = tiny / "study.yml"
    study.write_text(study.read_text(encoding="utf-8").replace(
        "overview: A two-clinician fixture for the tests.",
        "overview: A fixture. She still remembers my daughter's name."), encoding="utf-8")
    found = [f for f in prepared(tiny).text.consent if f.file == "study.yml"]
    assert [f.rule for f in found] == ["withheld-words"] and found[0].line > 0


def test_another_person_present_who_may_not_be_quoted_is_protected(tiny: Path) -> None:
    withheld_study(tiny)
    narrate(tiny, "C1-P1", "Her husband said she phoned us at home, more than once.")
    assert rules(tiny) == [("dyads/C1-P1.md", "withheld-words", "C1-P1/spouse")]


def test_a_quotable_participant_s_own_words_are_no_finding(tiny: Path) -> None:
    withheld_study(tiny)
    narrate(tiny, "C1-P1", "She said the other doctor never looked up from his notes.")
    assert rules(tiny) == []


def test_the_whole_transcript_is_compared_when_the_dyad_names_one(tiny: Path) -> None:
    withheld_study(tiny)
    (tiny / "private" / "transcripts").mkdir()
    (tiny / "private" / "transcripts" / "C1-P2.txt").write_text(
        "Twenty years with the same doctor, and she still remembers my daughter's name.\n"
        "I walked the dog along the canal every single morning.\n"
        "DOCTOR: I drop by when he is in hospital.\n", encoding="utf-8")
    dyad = tiny / "dyads" / "C1-P2.md"
    dyad.write_text(dyad.read_text(encoding="utf-8").replace(
        "clinician: C1\n", "clinician: C1\ntranscript: private/transcripts/C1-P2.txt\n", 1),
        encoding="utf-8")
    narrate(tiny, "C1-P2", "He walked the dog along the canal most mornings. Her doctor "
                           "said: “I drop by when he is in hospital.”")
    assert rules(tiny) == [("dyads/C1-P2.md", "withheld-words", "C1-P2")]  # not the doctor's


def test_a_quotation_attributed_to_her_is_a_finding_even_if_it_matches_nothing(tiny: Path
                                                                               ) -> None:
    withheld_study(tiny)
    narrate(tiny, "C1-P2", "He called the clinic “a proper place” and meant it.")
    assert rules(tiny) == [("dyads/C1-P2.md", "quoted-withheld", "C1-P2")]


def test_a_quotation_of_the_quotable_clinician_in_her_narrative_is_no_finding(tiny: Path
                                                                              ) -> None:
    withheld_study(tiny)
    narrate(tiny, "C1-P2", 'The doctor said "I drop by" when he is in hospital.')
    assert rules(tiny) == []


def test_a_run_needs_enough_content_words() -> None:
    source = gram_index({"X": grams((words("and then I went to the shop and it was in the end"),))})
    assert RUN == 5 and CONTENT == 3
    assert content_words(words("it was in the end")) < CONTENT
    assert list(withheld_runs("So it was in the end, she said.", source)) == []
    assert content_words(words("went to the shop and")) < CONTENT
    source = gram_index({"X": grams((words("we walked the dog along the canal"),))})
    assert [h.who for h in withheld_runs("They walked the dog along the canal.", source)] == ["X"]


def test_a_quotation_in_the_narrative_of_a_clinician_who_may_not_be_quoted(tiny: Path) -> None:
    path = tiny / "clinicians" / "C1.md"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "consent: {quote: true, public_site: true, archive: true}",
        "consent: {quote: false, public_site: true, archive: true}"),
        encoding="utf-8")
    narrate(tiny, "C1", 'She calls her method "just listening" and means it.')
    assert rules(tiny) == [("clinicians/C1.md", "quoted-withheld", "C1")]


@pytest.mark.parametrize("disguised", [
    "She said the doctor still rem&#101;mbers my daughter&#39;s name.",  # character references
    "She said the doctor still rеmembers my daughtеr's name.",           # Cyrillic е
    "She said the doctor still re*mem*bers my dau_ght_er's name.",       # markup inside words
])
def test_her_words_disguised_as_a_reader_still_reads_them_are_found(tiny: Path,
                                                                     disguised: str) -> None:
    withheld_study(tiny)
    narrate(tiny, "C1-P2", disguised)
    assert rules(tiny) == [("dyads/C1-P2.md", "withheld-words", "C1-P2")]


@pytest.mark.parametrize("marks", [("«", "»"), ("« ", " »"), ("„", "“"), ("‹", "›"),
                                   ("「", "」"), ("『", "』")])
def test_quotations_in_other_languages_marks_are_quotations(tiny: Path,
                                                            marks: tuple[str, str]) -> None:
    withheld_study(tiny)
    opening, closing = marks
    narrate(tiny, "C1-P2", f"She calls it {opening}a proper place to be{closing} and means it.")
    assert ("dyads/C1-P2.md", "quoted-withheld", "C1-P2") in rules(tiny)


def _say(study: Path, case: str, old: str, new: str) -> None:
    path = study / ("clinicians" if "-" not in case else "dyads") / f"{case}.md"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


def test_her_words_in_another_participant_s_excerpt_are_found(tiny: Path) -> None:
    """newuser10: a clinician's excerpt repeating what a carer who refused quotation said
    ("he never knew a night could be that long") was published: excerpts were not read. The
    same words in a patient of another case are that patient's (synthetic studies reuse
    sentences across patients; two patients may say the same thing)."""
    withheld_study(tiny)
    _say(tiny, "C1", "text: I let them talk first.",
         "text: \"She told me she still remembers my daughter's name, every visit.\"")
    _say(tiny, "C1-P1", "text: Dr. Alcott heard me out, and Bertram Quill came with me.",
         "text: Dr. Alcott heard me out; she still remembers my daughter's name.")
    found = sorted((f.file, f.rule, f.who) for f in prepared(tiny).text.consent)
    # her clinician repeating her: found; another patient saying the same: that patient's own
    assert found == [("clinicians/C1.md", "withheld-words", "C1-P2")]
    line = next(f.line for f in prepared(tiny).text.consent if f.file == "clinicians/C1.md")
    assert line == prepared(tiny).study.clinicians[0].excerpts[0].source.line


def test_an_excerpt_s_own_words_and_ordinary_overlap_are_no_finding(tiny: Path) -> None:
    withheld_study(tiny)
    _say(tiny, "C1", "text: I let them talk first.",
         "text: I let them talk first, and I still remember names.")
    assert rules(tiny) == []


def test_words_of_someone_present_in_the_patient_s_excerpt_are_found(tiny: Path) -> None:
    _say(tiny, "C1-P1", "text: Dr. Alcott heard me out, and Bertram Quill came with me.",
         "text: Dr. Alcott heard me out. SPOUSE-WORDS she phoned us at home.")
    assert rules(tiny) == [("dyads/C1-P1.md", "withheld-words", "C1-P1/spouse")]
