"""Contrastive statements in free text: criticism of clinicians outside the study.

When ``study.yml`` sets ``publication.contrastive_comments: false`` (the default), excerpts
flagged ``contrast: true`` are held back (:mod:`build_site.privacy.selection`), but the same
criticism can reach the site in a narrative or a summary. This rule-based detector reads those
texts sentence by sentence and flags a sentence that both

- refers to a clinician other than the case's own: a role ("an emergency physician", "the
  surgeon", "a specialist", "the doctor before", "another physician", "a pain clinic") or a
  titled name ("Dr. Falkner") other than the names the text uses most (the case's own
  clinician is named throughout a narrative, an outside clinician once or twice); and
- evaluates them negatively (dismissed, judged, lectured, waved away, "you people", rarely
  looked up, ...).

Source of the rule: issue 17 item 5, and the consent rule it enforces (non-participating
clinicians gave no consent, so the study publishes no criticism of them). A finding is a
consent finding: the fix is rewriting the sentence, not an exemption. False alarms and misses
are measured on the bundled study (see ``tests/consent/test_contrastive.py``); the rule cannot
see criticism spread over two sentences or made by implication.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from build_site.deidentify.first_chars import with_first_chars
from build_site.errors import PrivacyError, Problem
from build_site.forked_map import Batch, Steps, run_steps
from build_site.privacy.lowered import Lowered
from build_site.study import Clinician, Dyad, Study

# Below this many case texts (narratives and summaries), one process, here and in
# ``choices.py``: a cold build of 1,000 dyads has about 4,200, of 230 about 970, the bundled
# study about 100 (see guide/performance.md).
POOL_MIN_TEXTS = 2000

_ROLE = re.compile(
    r"\b(?:emergency (?:physician|doctor|department|room)|ER doctor|(?:the|a|an|his|her|their)"
    r" (?:[a-z-]+ )?(?:surgeon|specialist|consultant|resident|registrar|hospitalist|"
    r"[a-z]+ologist|[a-z]+iatrist)|(?:another|other|previous|former|earlier|old|first) "
    r"(?:doctors?|physicians?|clinicians?|GPs?)|(?:doctors?|physicians?) before|"
    r"pain clinic|four doctors|(?:oncology|surgical|cardiology) (?:team|service))\b", re.I)
_TITLED = re.compile(r"\bDr\.? ([A-Z][A-Za-z'-]+)")
_NEGATIVE = re.compile(
    r"\b(?:dismiss\w*|judg\w*|lectur\w*|contempt|rude\w*|scold\w*|shook (?:his|her) head|"
    r"shaken (?:his|her) head|waved? (?:it |her |him )?away|wav\w+ away|brush\w* off|"
    r"never (?:looked|listened|asked)|rarely looked|did not (?:look|listen)|didn't "
    r"(?:look|listen)|without looking|speaking only to|spoke only to|directed every|"
    r"decided (?:from|that|before)|(?:make|made|making) up (?:his|her) mind|called it|brisk\w*|"
    r"typing|doorknob|grow up|addressed largely|verdict|discharged from|incompetent|wary|"
    r"pointed contrastive|screen-focused|you people|treated (?:him|her|me)"
    r" like|stress|in (?:his|her|your) head|for pills|drug[- ]seek\w*|missed|cold\w*|"
    r"sent (?:him|her) home|one long look|read (?:her|him),? in|bad visit|worst|"
    r"condescend\w*|patroniz\w*|patronis\w*|ignor\w*|blam\w*|humiliat\w*|insult\w*|"
    r"curt\w*|abrupt\w*|number forty-two|overrul\w*|discharg\w+ (?:him|her) from)\b", re.I)
# As searched: behind a look-ahead of the characters their matches start with (the same
# matches in less time, deidentify/first_chars.py).
_NEGATIVE_SEARCHED, _ROLE_SEARCHED = with_first_chars(_NEGATIVE), with_first_chars(_ROLE)
# The cue searched in an ASCII text as a case-sensitive expression over the text lower-cased
# (the same matches: privacy/lowered.py).
_NEGATIVE_LOWERED = Lowered(_NEGATIVE_SEARCHED)
_SENTENCE = re.compile(r"[^.!?]+(?:[.!?]+[\"”’)]*|$)")
_TITLES_BEFORE_PERIOD = re.compile(r"\b(Dr|St|Mr|Mrs|Ms)\.")


@dataclass(frozen=True)
class Contrastive:
    """A sentence that criticises a clinician outside the study: file relative to the study,
    1-based line, the sentence (for the local terminal only) and the words that made it one."""

    file: str
    line: int
    sentence: str
    who: str
    cue: str

    def location(self) -> str:
        """``file:line``."""
        return f"{self.file}:{self.line}"


def own_names(text: str) -> set[str]:
    """The titled names ``text`` uses most: those of the case's own clinician(s).

    A name counts as own when it appears (titled or bare) at least three times, or as often
    as the most frequent one."""
    titled = Counter(_TITLED.findall(text))
    counts = {n: len(re.findall(rf"\b{re.escape(n)}\b", text)) for n in titled}
    top = max(counts.values(), default=0)
    return {n for n, c in counts.items() if c >= 3 or (c == top and c > 1)}


def sentences(text: str) -> Iterator[tuple[int, str]]:
    """Each sentence of ``text`` with its 0-based line offset in ``text`` (a title's period,
    as in "Dr. Mercer", does not end a sentence)."""
    masked = _TITLES_BEFORE_PERIOD.sub(lambda m: m.group(1) + "\0", text)
    for match in _SENTENCE.finditer(masked):
        sentence = match.group(0).replace("\0", ".").strip()
        if sentence:
            offset = match.start() + len(match.group(0)) - len(match.group(0).lstrip())
            yield text.count("\n", 0, offset), sentence


def contrastive_sentences(text: str, own: set[str] | None = None
                          ) -> Iterator[tuple[int, str, str, str]]:
    """The sentences of ``text`` that criticise a clinician outside the study: (line offset,
    sentence, the reference, the negative cue). ``own``: names of the study's own clinicians
    (default: :func:`own_names` of ``text``).

    A text with no negative cue anywhere is passed over whole (issue 25, checks3): a sentence
    is a piece of the text whose neighbours are not word characters (a sentence ends after
    its punctuation and the next starts there; the spaces stripped off are not word
    characters either; the masked title period comes back as the same "."), and no cue holds
    a period or NUL, so a cue found in a sentence is found at the same place in the text.
    The cue is searched lower-cased in an ASCII text (:mod:`build_site.privacy.lowered`)."""
    if _NEGATIVE_LOWERED.search(text) is None:  # most texts: no cue, so no sentence has one
        return
    mine = own_names(text) if own is None else own
    for offset, sentence in sentences(text):
        cue = _NEGATIVE_LOWERED.search(sentence)
        if cue is None:  # most sentences: the reference need not be looked for
            continue
        others = [m.group(0) for m in _TITLED.finditer(sentence) if m.group(1) not in mine]
        role = None if others else _ROLE_SEARCHED.search(sentence)
        who = others[0] if others else role.group(0) if role else None
        if who:
            yield offset, " ".join(sentence.split()), who, cue


def case_texts(case: Clinician | Dyad, study_dir: Path | None
               ) -> Iterator[tuple[str, int, str]]:
    """The free text of a case page: its narrative and (for a dyad) its summaries, each as
    (file relative to the study, 1-based line where the text starts, text). ``study_dir`` lets
    a summary name its own line (else the file's first)."""
    read: dict[str, list[str]] = {}
    for key, text in case_fields(case):
        yield (*text_place(case, key, study_dir, read), text)


def case_fields(case: Clinician | Dyad) -> Iterator[tuple[str | None, str]]:
    """The free text of a case page as :func:`case_texts` lists it, without places: (None,
    the narrative) and, for a dyad, (key, summary) of each summary."""
    if case.narrative:
        yield None, case.narrative
    if isinstance(case, Dyad):
        yield from case.summaries.items()


def text_place(case: Clinician | Dyad, key: str | None, study_dir: Path | None,
               read: dict[str, list[str]]) -> tuple[str, int]:
    """(file relative to the study, 1-based line) where the narrative (``key`` None) or the
    summary ``key`` of ``case`` starts, as :func:`case_texts` gives it. A summary's line is
    read from its file (kept in ``read`` by file, so each is read once), the file's first
    when there is no ``study_dir`` or no line starts with ``key:``."""
    file = case.source.file if case.source else case.id
    if key is None:
        return file, case.source.body_line if case.source else 1
    if file not in read:
        read[file] = _file_lines(study_dir / file) if study_dir else []
    return file, next((i for i, text in enumerate(read[file], 1)
                       if text.strip().startswith(f"{key}:")), 1)


def _file_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []


def all_cases(study: Study) -> list[Clinician | Dyad]:
    """Every clinician and dyad case of ``study``, clinicians first."""
    return [*study.clinicians, *study.dyads]


def find_contrastive(study: Study, study_dir: Path | None = None) -> list[Contrastive]:
    """Contrastive statements in the narratives and summaries of ``study`` (give it what would
    be published), when its ``publication.contrastive_comments`` is false; none otherwise.
    ``study_dir`` (the study folder) lets a summary's finding name its own line.

    The own-clinician names are read from every narrative of the case's clinician and dyads
    together, so a name used once in a dyad narrative but throughout the clinician's case still
    counts as the study's own. A summary's file is read for its line only when the summary
    holds a finding (:func:`text_place`)."""
    return run_steps(contrastive_steps(study, study_dir))


def contrastive_steps(study: Study, study_dir: Path | None = None
                      ) -> Steps[list[Contrastive]]:
    """:func:`find_contrastive` as a step function, to share a pool with other checks
    (:func:`~build_site.forked_map.run_together`)."""
    if study.meta.publication.contrastive_comments:
        return []
    read: dict[str, list[str]] = {}  # a file's lines, read only for a text with a finding
    by_clinician: dict[str, list[str]] = {}
    for case in all_cases(study):
        by_clinician.setdefault(_clinician(case), []).append(case.narrative or "")
    # Read once per clinician, not once per case of theirs (the same text each time).
    own_by_clinician = {key: own_names("\n".join(texts)) for key, texts in by_clinician.items()}
    texts = [(case, key, text, own_by_clinician[_clinician(case)])
             for case in all_cases(study) for key, text in case_fields(case)]
    # Each text is read alone, so on both cores when there are many (forked_map.py).
    per_text: list[list[tuple[int, str, str, str]]] = yield Batch(
        lambda item: list(contrastive_sentences(item[2], item[3])), texts, POOL_MIN_TEXTS)
    return [Contrastive(file, line + offset, sentence, who, cue)
            for (case, key, _, _), found in zip(texts, per_text, strict=True) if found
            for file, line in [text_place(case, key, study_dir, read)]
            for offset, sentence, who, cue in found]


def _clinician(case: Clinician | Dyad) -> str:
    """The id of the clinician whose case ``case`` is (theirs, or their dyad's)."""
    return case.id if isinstance(case, Clinician) else case.clinician


def contrastive_problems(found: list[Contrastive]) -> list[Problem]:
    """One :class:`Problem` per contrastive statement (file, line, what to do)."""
    return [Problem(f.file, f.line, f"criticism of a clinician outside the study ('{f.who}' "
                    f"... '{f.cue}'), and study.yml does not publish contrastive comments",
                    "rewrite the sentence without the criticism (it cannot be marked reviewed); "
                    "nothing was written") for f in found]


def refuse_contrastive(found: list[Contrastive]) -> None:
    """Refuse a public build while a narrative or summary of what it would publish
    criticises a clinician outside the study (``found``: :func:`find_contrastive` of it, found
    while the study is prepared, ``build_site.pipeline.Prepared.refused``).

    Raises:
        PrivacyError: one problem per statement (exit 3).
    """
    if found:
        raise PrivacyError(contrastive_problems(found))
