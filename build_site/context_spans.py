"""Excerpts in their context: the turns of the transcript a team asks to show around an
excerpt (issue 21 item 1).

Opt-in, per excerpt: ``context: true`` shows the turn before the excerpt (the prompt it
answers); ``context: {before: N, after: M}`` shows N turns before the turn it starts in and M
after the one it ends in (at most :data:`build_site.study.MAX_CONTEXT_TURNS` each: context,
never the transcript). The dyad names its transcript and declares its speaker labels
(``speakers:``); the transcript is read as turns by :mod:`build_site.transcripts`.

:func:`attach_context` (called by validation) fills each excerpt's ``context_turns`` from the
transcript as written; from then on the turns are part of the study like the excerpt's own
text: de-identified with it (:mod:`build_site.deidentify`), read by the detectors, kept or
withheld per speaker's consent (:func:`consented_turns`, called by the selection), inside the
sign-off fingerprint (:mod:`build_site.published` walks every field) and read by the leak gate
in the finished site. The transcript itself stays in ``private/`` and is never published.
"""

from __future__ import annotations

from build_site.errors import Problem
from build_site.load import RawDocument, RawStudy
from build_site.study import Consent, ContextTurn, Dyad, Excerpt, Study
from build_site.transcripts import Turn, locate, parse_turns, undeclared_labels
from build_site.yamlsource import line_at

INTERVIEWER = "interviewer"  # the team's own voice: no participant's consent governs it
SPEAKERS = ("patient", "clinician", INTERVIEWER)


def attach_context(study: Study, raw: RawStudy) -> tuple[Study, list[Problem]]:
    """``study`` with every excerpt's ``context_turns`` filled from its dyad's transcript.

    Args:
        study: the validated study (transcripts as written).
        raw: the documents it was read from (for the line of each problem).

    Returns:
        The study (excerpts without ``context`` get no turns, whatever the file said) and the
        problems: a speaker label declared for someone the dyad does not have; context asked
        for an excerpt of a clinician file, of a dyad with no transcript or no ``speakers``,
        or whose words do not lie within the transcript's turns.
    """
    docs = {doc.path: doc for doc in raw.dyads + raw.clinicians}
    problems: list[Problem] = []
    clinicians = []
    for clinician in study.clinicians:
        file = clinician.source.file if clinician.source else clinician.id
        for j, excerpt in enumerate(clinician.excerpts):
            if excerpt.context:
                problems.append(_problem(docs, file, ("excerpts", j, "context"),
                                         f"excerpt '{excerpt.id}': context needs a transcript, "
                                         "and a clinician file names none",
                                         "quote the clinician in a dyad file with its transcript,"
                                         " or remove context"))
        clinicians.append(clinician.model_copy(update={"excerpts": [
            e.model_copy(update={"context_turns": []}) for e in clinician.excerpts]}))
    dyads = []
    for dyad in study.dyads:
        file = dyad.source.file if dyad.source else dyad.id
        problems += _speaker_problems(dyad, docs.get(file), file)
        dyads.append(_dyad_context(study, dyad, docs.get(file), file, problems))
    return study.model_copy(update={"clinicians": clinicians, "dyads": dyads}), problems


def _problem(docs: dict[str, RawDocument], file: str, path: tuple[object, ...], message: str,
             hint: str) -> Problem:
    doc = docs.get(file)
    return Problem(file, line_at(doc.data, path) if doc else 0, message, hint)


def _speaker_problems(dyad: Dyad, doc: RawDocument | None, file: str) -> list[Problem]:
    allowed = [*SPEAKERS, *dyad.interview.others_present]
    return [
        Problem(file, line_at(doc.data, ("speakers", label)) if doc else 0,
                f"speaker label '{label}' is declared for '{who}', who is not in this dyad",
                f"use one of: {', '.join(allowed)} (others present are listed in "
                "interview.others_present)")
        for label, who in dyad.speakers.items() if who not in allowed
    ]


def _dyad_context(study: Study, dyad: Dyad, doc: RawDocument | None, file: str,
                  problems: list[Problem]) -> Dyad:
    wanted = [e for e in dyad.excerpts if e.context]
    transcript = study.transcripts.get(dyad.transcript or "") if wanted else None
    turns = parse_turns(transcript, list(dyad.speakers)) if transcript else []
    excerpts = []
    for j, excerpt in enumerate(dyad.excerpts):
        found: list[ContextTurn] = []
        if excerpt.context:
            where = line_at(doc.data, ("excerpts", j, "context")) if doc else 0
            found = _span(dyad, excerpt, turns, transcript is not None, file, where, problems)
        excerpts.append(excerpt.model_copy(update={"context_turns": found}))
    return dyad.model_copy(update={"excerpts": excerpts})


def _span(dyad: Dyad, excerpt: Excerpt, turns: list[Turn], has_transcript: bool, file: str,
          line: int, problems: list[Problem]) -> list[ContextTurn]:
    """The turns around ``excerpt`` its ``context`` asks for (a problem and none when they
    cannot be found)."""
    assert excerpt.context is not None
    if not has_transcript or not dyad.speakers:
        missing = "a transcript (transcript:)" if not has_transcript else \
            "its speaker labels (speakers:, e.g. {D: clinician, P: patient})"
        problems.append(Problem(file, line, f"excerpt '{excerpt.id}': context needs the dyad's "
                                f"{missing}", "add it, or remove context"))
        return []
    span = locate(turns, excerpt.text)
    if span is None:
        problems.append(Problem(file, line, f"excerpt '{excerpt.id}': its words are not within "
                                f"the speaker turns of '{dyad.transcript}'",
                                "check that every turn starts with a label declared in "
                                "speakers: followed by a colon"))
        return []
    first, last = span
    before = turns[max(0, first - excerpt.context.before):first]
    after = turns[last + 1:last + 1 + excerpt.context.after]
    # A turn label the declaration misses would give its words (and its consent) to the
    # previous speaker.
    for number, label in (hit for turn in [*before, *turns[first:last + 1], *after]
                          for hit in undeclared_labels(turn, dyad.speakers)):
        problems.append(Problem(file, line, f"excerpt '{excerpt.id}': line {number} of "
                                f"'{dyad.transcript}' starts with '{label}:', which speakers: "
                                "does not declare", f"declare '{label}' in speakers: too"))
        return []
    return ([_shown(dyad, t, "before") for t in before]
            + [ContextTurn(speaker=dyad.speakers[turns[first].label], line=turns[first].line,
                           position="excerpt")]
            + [_shown(dyad, t, "after") for t in after])


def _shown(dyad: Dyad, turn: Turn, position: str) -> ContextTurn:
    return ContextTurn.model_validate({"speaker": dyad.speakers[turn.label], "line": turn.line,
                                       "position": position, "text": turn.text})


def turn_consent(dyad: Dyad, speaker: str, clinician: Consent) -> Consent | None:
    """The consent that governs a turn by ``speaker`` in ``dyad``: the patient's, the
    clinician's, that of the other person present in that role (a missing record counts as
    no consent), or None for the interviewer (the team's own words)."""
    if speaker == INTERVIEWER:
        return None
    if speaker == "patient":
        return dyad.consent.patient
    if speaker == "clinician":
        return clinician
    return dyad.consent.others.get(speaker, Consent())


def consented_turns(dyad: Dyad, excerpt: Excerpt, clinician: Consent, public: bool
                    ) -> Excerpt:
    """``excerpt`` with each context turn kept or withheld by its speaker's consent.

    A turn by someone who may not be quoted in public (:meth:`Consent.allows_public_quote`)
    is withheld: it keeps its speaker and line and, in a public build, loses its words (the
    review copy keeps them, marked, except those of someone who withdrew: gone from every
    build). The interviewer's turns are the team's words.
    """
    if not excerpt.context_turns:
        return excerpt
    turns = []
    for turn in excerpt.context_turns:
        consent = turn_consent(dyad, turn.speaker, clinician)
        withheld = consent is not None and not consent.allows_public_quote()
        if withheld and turn.position != "excerpt":
            keep_text = not public and not (consent and consent.withdrawn)
            turn = turn.model_copy(update={"withheld": True,
                                           "text": turn.text if keep_text else ""})
        turns.append(turn)
    return excerpt.model_copy(update={"context_turns": turns})
