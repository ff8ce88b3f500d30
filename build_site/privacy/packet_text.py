"""The consent reading of free text in a member-checking packet (the team's notes on its
pairings of one episode, :mod:`build_site.perspectives`).

A public build reads each published note for the words of a participant who may not be quoted
(:mod:`build_site.privacy.withheld`) and refuses it. A packet goes to one clinician, so the
same reading applies with that reader's permissions: he may see his own words, the words of
the patient and of any other person present in his own dyads only when they agreed to share
with him (``share_with_clinician``, not withdrawn), and anyone else's only when they may be
quoted in public. A note carrying words he may not see refuses the packets (exit 3), with the
note's file and line; a resolution the team recorded for that text under ``consent:`` in
``private/reviewed.yml`` (same file and hash as the public build's finding) closes it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from build_site.deidentify.findings import finding_key
from build_site.errors import Problem
from build_site.privacy.texts import Passage, Voice, clean, voices
from build_site.privacy.withheld import gram_index, grams, withheld_hits
from build_site.study import Consent, Dyad, Study

_WHAT = {"withheld-words": "words of a participant",
         "quoted-withheld": "a quotation presented as the words of a participant"}


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


def _note_passages(dyads: list[Dyad]) -> Iterator[Passage]:
    for dyad in dyads:
        file = dyad.source.file if dyad.source else f"{dyad.id}.md"
        about = (dyad.id, *(f"{dyad.id}/{r}" for r in dyad.consent.others), dyad.clinician)
        for episode in dyad.episodes:
            if episode.note:
                yield Passage(file, episode.source.line if episode.source else 0,
                              episode.note, about)


def packet_note_problems(study: Study, deidentified: Study, reader: str,
                         dyads: list[Dyad]) -> list[Problem]:
    """The consent problems of the pairing notes one clinician's packet shows.

    Args:
        study: the study as written (transcripts, the recorded resolutions).
        deidentified: every case, de-identified (every participant's words).
        reader: the clinician the packet is for.
        dyads: his dyads as the packet shows them (only the pairings it keeps).

    Returns:
        One problem per span of a note that carries words ``reader`` may not see (file, line,
        what to do); empty when there is none or the team resolved it.
    """
    passages = list(_note_passages(dyads))
    if not passages:
        return []
    own = {d.id: d for d in deidentified.dyads if d.clinician == reader}
    speakers = {v.who: replace(v, quotable=_may_see(reader, v.who, own, v.quotable))
                for v in voices(deidentified, study)}
    return _problems(study, reader, passages, speakers)


def _problems(study: Study, reader: str, passages: list[Passage],
              speakers: dict[str, Voice]) -> list[Problem]:
    index = gram_index({who: grams(v.texts) for who, v in speakers.items() if not v.quotable})
    closed = {(r.file, r.hash) for r in study.reviewed.consent}
    problems: list[Problem] = []
    for passage in passages:
        text = clean(passage.text)
        for hit in withheld_hits(passage, speakers, index):
            words = text[hit.start:hit.end]
            key = finding_key(passage.file, words)
            if (passage.file, key) in closed:
                continue
            line = passage.line + text[:hit.start].count("\n") if passage.line else 0
            problems.append(Problem(
                passage.file, line,
                f"{_WHAT[hit.rule]} ({hit.who}) who did not agree to share them with "
                f"clinician {reader}, in the note of a pairing his member-checking packet "
                f"shows: '{words}'",
                "rewrite the note in your own words without them; if they are not what they "
                "seem, or the participant has re-consented, record that under consent: in "
                f"private/reviewed.yml (file: {passage.file}, hash: {key}, resolution: "
                "not-a-match, or re-consent with date and form_version, and by); no packet "
                "was written"))
    return problems
