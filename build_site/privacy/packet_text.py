"""The consent reading of the team's free text in member-checking packets: the notes on its
pairings of one episode (:mod:`build_site.perspectives`), the model's definitions, the
feedback questions and the study's title.

A public build reads each published text for the words of a participant who may not be quoted
(:mod:`build_site.privacy.withheld`) and refuses it. A packet goes to one clinician, so the
same reading applies with that reader's permissions: he may see his own words, the words of
the patient and of any other person present in his own dyads only when they agreed to share
with him (``share_with_clinician``, not withdrawn), and anyone else's only when they may be
quoted in public. A text carrying words he may not see refuses the packets (exit 3), with its
file and line; a resolution the team recorded for that text under ``consent:`` in
``private/reviewed.yml`` (same file and hash as the public build's finding) closes it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from build_site.deidentify.fields import replaced_prose
from build_site.deidentify.findings import finding_key
from build_site.deidentify.matching import Matcher
from build_site.errors import Problem
from build_site.load import load_study_folder
from build_site.privacy.texts import Passage, Voice, clean, voices
from build_site.privacy.withheld import gram_index, grams, withheld_hits
from build_site.study import Component, Consent, Dyad, Element, Study

_WHAT = {"withheld-words": "words of a participant",
         "quoted-withheld": "a quotation presented as the words of a participant"}


@dataclass(frozen=True)
class _Span:
    """Words of ``who`` in a passage at ``file``:``line`` (``key``: the public build's finding
    key for them)."""

    file: str
    line: int
    who: str
    rule: str
    words: str
    key: str


def shared_passages(study_dir: Path, study: Study, deidentified: Study) -> list[Passage]:
    """The team's texts every packet shows, de-identified, with file and line: the study's
    title, the feedback questions and the model's definitions (``study``: as written, for its
    identifier list; ``deidentified``: what the packets show).

    Raises:
        StudyError: the study folder cannot be read (exit 2).
    """
    items: list[Component | Element] = list(deidentified.model.components)
    shown = {deidentified.meta.title, *deidentified.meta.feedback_questions}
    while items:
        item = items.pop()
        shown.add(item.definition)
        items.extend(item.elements)
    prose = replaced_prose(load_study_folder(study_dir), Matcher(study.identifiers))
    return [Passage(file, line, text) for file, line, text in prose
            if file in ("study.yml", "model.yml") and text in shown]


def note_passages(dyads: Iterable[Dyad]) -> Iterator[Passage]:
    """The notes on the pairings of ``dyads`` (as a packet shows them), with file and line."""
    for dyad in dyads:
        file = dyad.source.file if dyad.source else f"{dyad.id}.md"
        about = (dyad.id, *(f"{dyad.id}/{r}" for r in dyad.consent.others), dyad.clinician)
        for episode in dyad.episodes:
            if episode.note:
                yield Passage(file, episode.source.line if episode.source else 0,
                              episode.note, about)


def _may_see(reader: str, who: str, own: dict[str, Dyad], quotable: bool) -> bool:
    """Whether clinician ``reader`` may read the words of participant ``who`` (a voice key of
    :func:`build_site.privacy.texts.voices`); ``own``: his dyads by id."""
    if who == reader:
        return True
    dyad_id, _, role = who.partition("/")
    dyad = own.get(dyad_id)
    if dyad is None:
        return quotable
    consent = dyad.consent.others.get(role, Consent()) if role else dyad.consent.patient
    return consent.share_with_clinician and not consent.withdrawn


def packet_problems(study: Study, deidentified: Study,
                    passages: dict[str, list[Passage]]) -> list[Problem]:
    """The consent problems of the team's text in each clinician's packet.

    Args:
        study: the study as written (transcripts, the recorded resolutions).
        deidentified: every case, de-identified (every participant's words).
        passages: clinician id -> the team's texts his packet shows (:func:`note_passages`
            and the shared texts), de-identified.

    Returns:
        One problem per span of a text that carries words a reader may not see, naming its
        file and line, the readers and what to do; none for a span the team resolved.
    """
    if not any(passages.values()):
        return []
    closed = {(r.file, r.hash) for r in study.reviewed.consent}
    everyone = {v.who: v for v in voices(deidentified, study)}
    readers: dict[_Span, list[str]] = {}
    for reader, shown in sorted(passages.items()):
        own = {d.id: d for d in deidentified.dyads if d.clinician == reader}
        speakers = {who: replace(v, quotable=_may_see(reader, who, own, v.quotable))
                    for who, v in everyone.items()}
        for span in _spans(shown, speakers):
            if (span.file, span.key) not in closed:
                readers.setdefault(span, []).append(reader)
    return [_problem(span, who) for span, who in readers.items()]


def _spans(passages: list[Passage], speakers: dict[str, Voice]) -> Iterator[_Span]:
    index = gram_index({who: grams(v.texts) for who, v in speakers.items() if not v.quotable})
    for passage in passages:
        text = clean(passage.text)
        for hit in withheld_hits(passage, speakers, index):
            words = text[hit.start:hit.end]
            line = passage.line + text[:hit.start].count("\n") if passage.line else 0
            yield _Span(passage.file, line, hit.who, hit.rule, words,
                        finding_key(passage.file, words))


def _problem(span: _Span, readers: list[str]) -> Problem:
    return Problem(
        span.file, span.line,
        f"{_WHAT[span.rule]} ({span.who}) who did not agree to share them with "
        f"clinician {', '.join(readers)}, in text a member-checking packet shows: "
        f"'{span.words}'",
        "rewrite it in your own words without them; if they are not what they seem, or the "
        "participant has re-consented, record that under consent: in private/reviewed.yml "
        f"(file: {span.file}, hash: {span.key}, resolution: not-a-match, or re-consent with "
        "date and form_version, and by); no packet was written")
