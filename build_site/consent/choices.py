"""Statements on a case's page that tell a reader one person's consent choice.

A reader of a dyad or clinician page (the clinician among them) must not learn what one
participant agreed to: "she agreed to take part but not to be quoted", "did not consent to her
interview being published", "his wife's contributions are not reproduced here". Such a sentence
is a finding on the case's narrative or summaries; the study may still report consent as an
aggregate over the whole study (the methods page's non-participation). Source of the rule:
issue 17 item 5. Like a contrastive statement it cannot be marked reviewed: rewrite it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from build_site.consent import contrastive
from build_site.consent.contrastive import all_cases, case_texts, sentences
from build_site.errors import PrivacyError, Problem
from build_site.forked_map import map_forked
from build_site.study import Study

_CHOICE = re.compile(
    r"\b(?:consent\w*|agreed to (?:take part|be (?:quoted|interviewed|recorded))|"
    r"(?:not|declined|refused|unwilling) to be (?:quoted|recorded|archived|named|published)|"
    r"not (?:be )?quoted|(?:are|is|were|was) not (?:reproduced|quoted|published)|"
    r"(?:are|is|were|was) withheld|did not (?:agree|wish) to|permission to (?:quote|publish)|"
    r"asked not to be)\b", re.I)


@dataclass(frozen=True)
class ConsentStatement:
    """A sentence on a case page that states someone's consent choice: file relative to the
    study, 1-based line, the sentence (for the local terminal only) and the words found."""

    file: str
    line: int
    sentence: str
    cue: str


def find_consent_statements(study: Study, study_dir: Path | None = None
                            ) -> list[ConsentStatement]:
    """Sentences in the narratives and summaries of ``study`` (give it what would be
    published) that state a participant's consent choice."""
    texts = [found for case in all_cases(study) for found in case_texts(case, study_dir)]
    # Each text is read alone, so on both cores when there are many (forked_map.py).
    per_text = map_forked(lambda item: _choices(item[2]), texts, contrastive.POOL_MIN_TEXTS)
    return [ConsentStatement(file, line + offset, sentence, cue)
            for (file, line, _), choices in zip(texts, per_text, strict=True)
            for offset, sentence, cue in choices]


def _choices(text: str) -> list[tuple[int, str, str]]:
    """The sentences of ``text`` that state a consent choice: (line offset, the sentence on
    one line, the words found)."""
    return [(offset, " ".join(sentence.split()), cue.group(0))
            for offset, sentence in sentences(text) if (cue := _CHOICE.search(sentence))]


def consent_statement_problems(found: list[ConsentStatement]) -> list[Problem]:
    """One :class:`Problem` per statement (file, line, what to do)."""
    return [Problem(f.file, f.line, f"a case page states a participant's consent choice "
                    f"('{f.cue}'): a reader, their clinician among them, learns what one "
                    "person agreed to", "rewrite the sentence; report consent only as a "
                    "study-wide aggregate (methods: non_participation); nothing was written")
            for f in found]


def refuse_consent_statements(study: Study, study_dir: Path) -> None:
    """Refuse a public build of ``study`` while a case page states a consent choice.

    Raises:
        PrivacyError: one problem per statement (exit 3).
    """
    found = find_consent_statements(study, study_dir)
    if found:
        raise PrivacyError(consent_statement_problems(found))
