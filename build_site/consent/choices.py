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
from build_site.consent.contrastive import all_cases, case_fields, sentences, text_place
from build_site.deidentify.first_chars import with_first_chars
from build_site.errors import PrivacyError, Problem
from build_site.forked_map import Batch, Steps, run_steps
from build_site.privacy.lowered import Lowered
from build_site.study import Study

_CHOICE = re.compile(
    r"\b(?:consent\w*|agreed to (?:take part|be (?:quoted|interviewed|recorded))|"
    r"(?:not|declined|refused|unwilling) to be (?:quoted|recorded|archived|named|published)|"
    r"not (?:be )?quoted|(?:are|is|were|was) not (?:reproduced|quoted|published)|"
    r"(?:are|is|were|was) withheld|did not (?:agree|wish) to|permission to (?:quote|publish)|"
    r"asked not to be|"
    # newuser10: a request, a withdrawal, a choice told as a wish
    r"asked (?:(?:us|me|them|the (?:team|researchers?|interviewers?)) )?not to "
    r"(?:use|quote|publish|record|include|share|archive|name)|"
    r"(?:withdrew|withdrawn|pulled out|dropped out) (?:from|of) the study|"
    r"(?:later )?left the study(?=[.,;:!?)]|\s*$|\s+(?:in|at|on|after|before|when|because|"
    r"early|later|and|but|for|altogether)\b)|no longer (?:takes?|took|taking) part|"
    r"(?:happy|willing|glad|content|unhappy|unwilling) for (?:her|his|their|my) "
    r"(?:own )?(?:interview|words|transcript|recording|story|account|name) to be|"
    r"(?:did not|didn't|does not|doesn't) want (?:her|his|their|my) (?:own )?"
    r"(?:interview|words|transcript|recording|story|account|name) (?:to be )?"
    r"(?:used|quoted|published|shared|recorded|archived|kept))\b", re.I)
# As searched: behind a look-ahead of the characters its matches start with (the same matches
# in less time, deidentify/first_chars.py).
_CHOICE_SEARCHED = Lowered(with_first_chars(_CHOICE))  # lower-cased for ASCII: lowered.py


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
    published) that state a participant's consent choice. ``study_dir`` (the study folder)
    lets a summary's finding name its own line; a file is read for it only when one of its
    summaries holds a finding (:func:`~build_site.consent.contrastive.text_place`)."""
    return run_steps(consent_statement_steps(study, study_dir))


def consent_statement_steps(study: Study, study_dir: Path | None = None
                            ) -> Steps[list[ConsentStatement]]:
    """:func:`find_consent_statements` as a step function, to share a pool with other
    checks (:func:`~build_site.forked_map.run_together`)."""
    texts = [(case, key, text) for case in all_cases(study) for key, text in case_fields(case)]
    # Each text is read alone, so on both cores when there are many (forked_map.py).
    per_text: list[list[tuple[int, str, str]]] = yield Batch(
        lambda item: _choices(item[2]), texts, contrastive.POOL_MIN_TEXTS)
    read: dict[str, list[str]] = {}  # a file's lines, read only for a text with a finding
    return [ConsentStatement(file, line + offset, sentence, cue)
            for (case, key, _), choices in zip(texts, per_text, strict=True) if choices
            for file, line in [text_place(case, key, study_dir, read)]
            for offset, sentence, cue in choices]


def _choices(text: str) -> list[tuple[int, str, str]]:
    """The sentences of ``text`` that state a consent choice: (line offset, the sentence on
    one line, the words found). A text where the words are not found at all is passed over
    whole, as :func:`~build_site.consent.contrastive.contrastive_sentences` does (and why a
    sentence holds no words the text does not)."""
    if _CHOICE_SEARCHED.search(text) is None:
        return []
    return [(offset, " ".join(sentence.split()), cue) for offset, sentence in sentences(text)
            if (cue := _CHOICE_SEARCHED.search(sentence)) is not None]


def consent_statement_problems(found: list[ConsentStatement]) -> list[Problem]:
    """One :class:`Problem` per statement (file, line, what to do)."""
    return [Problem(f.file, f.line, f"a case page states a participant's consent choice "
                    f"('{f.cue}'): a reader, their clinician among them, learns what one "
                    "person agreed to", "rewrite the sentence; report consent only as a "
                    "study-wide aggregate (methods: non_participation); nothing was written")
            for f in found]


def refuse_consent_statements(found: list[ConsentStatement]) -> None:
    """Refuse a public build while a case page of what it would publish states a consent
    choice (``found``: :func:`find_consent_statements` of it, found while the study is
    prepared).

    Raises:
        PrivacyError: one problem per statement (exit 3).
    """
    if found:
        raise PrivacyError(consent_statement_problems(found))
