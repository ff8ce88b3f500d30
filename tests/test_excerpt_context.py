"""Excerpts in their context (issue 21 item 1): the transcript's turns a team asks to show
around an excerpt, read with the one turn parser, de-identified, consented per speaker,
detector-checked, signed off and never the whole transcript."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from build_site.cli import main
from build_site.errors import PrivacyError, StudyError
from build_site.pipeline import build, load_and_validate, prepare
from build_site.transcripts import locate, parse_turns

TRANSCRIPT = """Interview C1-P1: PREAMBLE-NEVER-SHOWN
I: FAR-PROMPT-WORDS what brought you in?
P: FAR-ANSWER-WORDS my feet.
I: PROMPT-WORDS how did the first visit go?
P: Dr. Alcott heard me out, and Bertram Quill came with me.
S: SPOUSE-CONTEXT-WORDS we drove there together.
I: AFTER-PROMPT-WORDS and later?
P: AFTER-ANSWER-WORDS it got better.
"""


def _setup(tiny: Path, context: str, transcript: str = TRANSCRIPT) -> Path:
    """The tiny study with C1-P1's transcript, its speaker labels, and ``context`` on its
    first excerpt."""
    (tiny / "private" / "transcripts").mkdir(parents=True)
    (tiny / "private" / "transcripts" / "C1-P1.txt").write_text(transcript, encoding="utf-8")
    path = tiny / "dyads" / "C1-P1.md"
    text = path.read_text(encoding="utf-8")
    text = text.replace("status: approved\n", "status: approved\ntranscript: "
                        "private/transcripts/C1-P1.txt\nspeakers: {I: interviewer, P: patient, "
                        "S: spouse}\n", 1)
    text = text.replace("    codes: [heard, relies]\n",
                        f"    codes: [heard, relies]\n    context: {context}\n", 1)
    # The tiny study's other excerpts are not in this transcript: keep them out of it.
    text = text.replace("SPOUSE-WORDS she phoned us at home.",
                        "SPOUSE-CONTEXT-WORDS we drove there together.")
    text = text.replace("CONTRAST-WORDS the other doctor never looked up.",
                        "AFTER-ANSWER-WORDS it got better.")
    path.write_text(text, encoding="utf-8")
    return tiny


def _context_html(site: Path) -> str:
    page = (site / "dyads" / "C1-P1.html").read_text(encoding="utf-8")
    found = re.search(r'<details class="bs-context".*?</details>', page, re.S)
    assert found, "no context block on the dyad page"
    return html.unescape(found.group(0))


def test_turns_are_read_by_declared_labels_only() -> None:
    turns = parse_turns("Title: not a turn\r\nD: Hello.\r\nNote: still the doctor\r\n\r\n"
                        "P: Hi.\r\nD:Bye", ["D", "P"])
    assert [(t.label, t.line, t.end_line) for t in turns] == [("D", 2, 3), ("P", 5, 5),
                                                             ("D", 6, 6)]
    assert turns[0].text == "Hello.\nNote: still the doctor" and turns[2].text == "Bye"
    assert locate(turns, "still the   doctor") == (0, 0)
    assert locate(turns, "P: Hi.") is None


def test_the_prompt_is_shown_by_default(tiny: Path, tmp_path: Path) -> None:
    build(_setup(tiny, "true"), tmp_path / "site")
    block = _context_html(tmp_path / "site")
    assert "<summary>" in block and "<details open" not in block  # collapsed
    assert "PROMPT-WORDS how did the first visit go?" in block
    assert '<li value="4" class="bs-turn-before">' in block  # its line in the transcript
    assert '<li value="5" class="bs-turn-excerpt">' in block
    for other in ("FAR-ANSWER-WORDS", "SPOUSE-CONTEXT-WORDS", "AFTER-PROMPT-WORDS"):
        assert other not in block


def test_a_wider_span_is_rendered(tiny: Path, tmp_path: Path) -> None:
    # The spouse (quote: false) is not in this span: every turn shown has consent.
    build(_setup(tiny, "{before: 2}"), tmp_path / "site")
    block = _context_html(tmp_path / "site")
    assert block.index("FAR-ANSWER-WORDS") < block.index("PROMPT-WORDS")
    assert "FAR-PROMPT-WORDS" not in block


def test_a_turn_without_consent_is_withheld(tiny: Path, tmp_path: Path) -> None:
    study = _setup(tiny, "{before: 0, after: 3}")
    build(study, tmp_path / "site")
    block = _context_html(tmp_path / "site")
    assert "SPOUSE-CONTEXT-WORDS" not in block and "[words not published]" in block
    assert "AFTER-PROMPT-WORDS" in block and "AFTER-ANSWER-WORDS" in block
    everything = "".join(p.read_text("utf-8", "replace") for p in (tmp_path / "site").rglob("*")
                         if p.is_file() and p.suffix in (".html", ".json", ".js", ".csv"))
    assert "SPOUSE-CONTEXT-WORDS" not in everything
    build(study, tmp_path / "review", audience="review")  # the team sees it, marked
    review = _context_html(tmp_path / "review")
    assert "SPOUSE-CONTEXT-WORDS" in review and "Not for publication" in review


def test_a_listed_identifier_in_context_is_replaced(tiny: Path, tmp_path: Path) -> None:
    transcript = TRANSCRIPT.replace("PROMPT-WORDS how", "PROMPT-WORDS did Margery Quill say how")
    build(_setup(tiny, "true", transcript), tmp_path / "site")
    block = _context_html(tmp_path / "site")
    assert "did Ada say how" in block and "Margery" not in block


def test_an_unlisted_name_in_context_is_refused(tiny: Path, tmp_path: Path) -> None:
    transcript = TRANSCRIPT.replace("PROMPT-WORDS how", "PROMPT-WORDS did Dr. Hargreave say how")
    study = _setup(tiny, "true", transcript)
    findings = prepare(study, "public").findings
    assert any("Hargreave" in f.text and f.file == "dyads/C1-P1.md" for f in findings)
    with pytest.raises(PrivacyError):
        build(study, tmp_path / "site")
    assert not (tmp_path / "site").exists()


def test_the_context_is_in_the_sign_off_fingerprint(tiny: Path) -> None:
    study = _setup(tiny, "true")
    runner = CliRunner()
    recorded = runner.invoke(main, ["manifest", str(study), "--record", "--by", "A. Author",
                                    "--role", "PI", "--date", "2026-12-06"])
    assert recorded.exit_code == 0, recorded.output
    path = study / "dyads" / "C1-P1.md"
    path.write_text(path.read_text("utf-8").replace("context: true", "context: {before: 2}"),
                    "utf-8")
    report = runner.invoke(main, ["manifest", str(study), "--changes"])
    assert report.exit_code == 0, report.output
    assert "FAR-ANSWER-WORDS my feet." in report.stdout
    assert "C1-P1-E1" in report.stdout


def test_the_transcript_is_never_published_whole(tiny: Path, tmp_path: Path) -> None:
    build(_setup(tiny, "{before: 1, after: 1}"), tmp_path / "site")
    files = [p for p in (tmp_path / "site").rglob("*") if p.is_file()]
    published = "".join(p.read_text("utf-8", "replace") for p in files)
    assert "PROMPT-WORDS" in published
    for line in ("PREAMBLE-NEVER-SHOWN", "FAR-PROMPT-WORDS", "FAR-ANSWER-WORDS",
                 "AFTER-PROMPT-WORDS"):
        assert line not in published
    assert not any("transcripts" in p.relative_to(tmp_path / "site").parts for p in files)


def test_context_needs_labels_and_a_dyad_transcript(tiny: Path) -> None:
    study = _setup(tiny, "true")
    path = study / "dyads" / "C1-P1.md"
    path.write_text(path.read_text("utf-8").replace("S: spouse}", "S: cousin}"), "utf-8")
    with pytest.raises(StudyError) as err:
        load_and_validate(study)
    assert any("'cousin'" in p.message and p.line > 0 for p in err.value.problems)
    path.write_text(path.read_text("utf-8").replace(
        "speakers: {I: interviewer, P: patient, S: cousin}\n", ""), "utf-8")
    with pytest.raises(StudyError) as err:
        load_and_validate(study)
    assert any("speaker labels" in p.message for p in err.value.problems)


def test_context_under_zensical(tiny: Path, tmp_path: Path) -> None:
    build(_setup(tiny, "{before: 1, after: 1}"), tmp_path / "site", engine="zensical")
    block = _context_html(tmp_path / "site")
    assert "PROMPT-WORDS" in block and "[words not published]" in block
    assert "SPOUSE-CONTEXT-WORDS" not in block
    index = (tmp_path / "site" / "search.json").read_text(encoding="utf-8")
    assert "PROMPT-WORDS" not in index  # the excerpt is the entry, not its context


def test_consent_checks_read_each_speakers_turns(tiny: Path) -> None:
    """The consent checks read the transcript with the same turn parser: words the spouse
    (quote: false) said outside any excerpt, repeated in the narrative, are hers, not the
    patient's (before, the whole transcript counted as the patient's words)."""
    said = "we drove the long road together past the old paper mill"
    study = _setup(tiny, "true", TRANSCRIPT + f"S: {said.capitalize()}.\n")
    path = study / "dyads" / "C1-P1.md"
    path.write_text(path.read_text("utf-8") + f"\nHer husband remembers that {said}.\n", "utf-8")
    findings = prepare(study, "public").text.consent
    assert any(f.file == "dyads/C1-P1.md" and "paper mill" in f.text for f in findings), findings


def test_a_label_in_another_case_is_refused_in_context(tiny: Path) -> None:
    """``p:`` where ``P`` is declared would give the patient's words, and her consent, to the
    interviewer's turn before it."""
    study = _setup(tiny, "true", TRANSCRIPT.replace("how did the first visit go?",
                                                    "how did the first visit go?\np: I forget."))
    with pytest.raises(StudyError) as err:
        load_and_validate(study)
    assert any("line 5" in p.message and "'p:'" in p.message for p in err.value.problems)
