"""What the privacy checks of free text read: the published passages and the participants' words.

:func:`published_passages` lists every piece of free text a public build publishes (dyad and
clinician narratives, summaries, the team's prose in ``study.yml``, hand-written Markdown
pages) with its file, first line and the participants it is about. :func:`voices` lists every
participant's own words: the whole transcript when the dyad names one, else all their excerpts,
published or not, each with whether their consent lets them be quoted in public.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property, partial
from typing import overload

from build_site.context_spans import turn_consent
from build_site.deidentify import Matcher
from build_site.deidentify.reading import reading
from build_site.study import Clinician, Consent, Dyad, Excerpt, Speaker, Study
from build_site.transcripts import parse_turns


@dataclass(frozen=True)
class Passage:
    """A piece of published free text: file (relative to the study folder, or ``docs/...``),
    the 1-based line it starts on (0 when unknown), the text, and the participants it is about
    (participant keys, see :func:`voices`; the first is the one a quotation is attributed to
    when it matches no one). A passage with a ``speaker`` is a participant's own words
    (:func:`published_excerpts`)."""

    file: str
    line: int
    text: str
    about: tuple[str, ...] = ()
    speaker: str = ""  # an excerpt's (or a shown transcript turn's): see published_excerpts


class LazyTexts(Sequence[tuple[str, ...]]):
    """A voice's token sequences, read (:func:`words`) when first asked for, not before.

    :func:`voices` lists every participant's words, but a check reads only some: the runs of
    those who may not be quoted, and a quotation's possible speakers. At 1,000 dyads reading
    all 8,651 texts took 0.13 CPU s in the build's process before its pool forked (issue 25);
    read lazily, each process reads only what it asks for. ``pieces`` each give some of the
    sequences, in order."""

    def __init__(self, pieces: list[Callable[[], list[tuple[str, ...]]]]) -> None:
        self._pieces = pieces
        self._texts: tuple[tuple[str, ...], ...] | None = None

    def _all(self) -> tuple[tuple[str, ...], ...]:
        if self._texts is None:
            self._texts = tuple(seq for piece in self._pieces for seq in piece())
            self._pieces = []
        return self._texts

    @overload
    def __getitem__(self, index: int) -> tuple[str, ...]: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[tuple[str, ...]]: ...

    def __getitem__(self, index: int | slice) -> tuple[str, ...] | Sequence[tuple[str, ...]]:
        return self._all()[index]

    def __len__(self) -> int:
        return len(self._all())


@dataclass(frozen=True)
class Voice:
    """One participant's own words: ``who`` (the clinician id, the dyad id for its patient, or
    ``DYAD/ROLE`` for another person present), whether consent lets them be quoted in public,
    and the token sequences of each transcript or excerpt (runs never span two of them; from
    :func:`voices`, read when first asked for: :class:`LazyTexts`)."""

    who: str
    quotable: bool
    texts: Sequence[tuple[str, ...]]

    @cached_property
    def joined(self) -> str:
        """Every text's words, space-separated and space-delimited, texts split by a newline
        (a sequence of words occurs in a text iff " w1 w2 " occurs here)."""
        return "\n".join(f" {' '.join(t)} " for t in self.texts)


# Emphasis or other inline markup inside a word ("tr*u*sted", "re_mem_bers") hides nothing
# from a reader.
_INNER_MARKUP = re.compile(r"(?<=\w)[*_~`]+(?=\w)")
# Quotation marks keep their own characters (the reading would turn “ into '' and ‹ into <),
# so quotations are still found in the cleaned text.
_NOT_QUOTES = re.compile("[^“”‘’«»„‚‹›「」『』\"']+")


def clean(text: str) -> str:
    """``text`` as a reader reads it, for comparing words: HTML character references decoded,
    markup inside a word removed, then the leak gate's canonical reading keeping case (NFKC,
    invisible characters dropped, look-alike letters read as the Latin ones:
    :func:`build_site.deidentify.reading.reading`), so entities, hidden characters, Cyrillic
    look-alikes or emphasis cannot disguise a participant's words. Line breaks are kept, so
    offsets still give the line."""
    text = _INNER_MARKUP.sub("", html.unescape(text))
    if text.isascii():
        return text
    return _NOT_QUOTES.sub(lambda run: reading(run.group(0), lower=False), text)


_WORD = re.compile(r"\w+(?:['’]\w+)*")


def tokens(text: str) -> list[tuple[str, int, int]]:
    """The words of already :func:`clean` ``text``: (normalised word, start, end). A word is
    case-folded with apostrophes removed ("Didn’t" -> "didnt"); punctuation separates words."""
    return [(m.group().casefold().replace("'", "").replace("’", ""), m.start(), m.end())
            for m in _WORD.finditer(text)]


def normalised(text: str) -> list[str]:
    """The normalised words of already :func:`clean` ``text``: those of :func:`tokens`,
    without their places.

    An ASCII text (most) is lower-cased whole and its words listed by ``findall``, with no
    match object or tuple per word (issue 25, checks3): in ASCII, ``casefold`` is ``lower``,
    changes no length and no character's membership of ``\\w``, and "’" cannot occur, so the
    same words are found at the same places. Any other text goes through :func:`tokens`
    (``casefold`` may lengthen a character or change whether it is a word character there)."""
    if not text.isascii():
        return [w for w, _, _ in tokens(text)]
    found = _WORD.findall(text.lower())
    if "'" not in text or not found:
        return found
    # A word holds no space and is never all apostrophes: the apostrophes of every word go in
    # one replace over the words joined by spaces.
    return " ".join(found).replace("'", "").split(" ")


def words(text: str) -> tuple[str, ...]:
    """The normalised words of raw ``text``."""
    return tuple(normalised(clean(text)))


def _case_file(case: Clinician | Dyad) -> tuple[str, int]:
    source = case.source
    return (source.file, source.body_line) if source else (f"{case.id}.md", 0)


def published_passages(public: Study, handwritten: dict[str, bytes],
                       lines: Callable[[str], list[str]],
                       prose: Iterable[tuple[str, int, str]] = ()) -> Iterator[Passage]:
    """Every piece of free text a public build publishes.

    Args:
        public: the de-identified public selection.
        handwritten: the hand-written pages, de-identified (docs-relative path -> bytes).
        lines: the lines of a study file as written (relative path -> lines; empty when
            unreadable), to give summaries their line; called once per dyad with summaries.
        prose: the published prose of the study's YAML files as (file, line, text), listed
            identifiers replaced (:func:`build_site.deidentify.fields.replaced_prose`, which
            the detectors read too).
    """
    for clinician in public.clinicians:
        file, body = _case_file(clinician)
        about = (clinician.id, *(d.id for d in public.dyads if d.clinician == clinician.id))
        if clinician.narrative:
            yield Passage(file, body, clinician.narrative, about)
    for dyad in public.dyads:
        file, body = _case_file(dyad)
        about = (dyad.id, *(f"{dyad.id}/{r}" for r in dyad.consent.others), dyad.clinician)
        if dyad.narrative:
            yield Passage(file, body, dyad.narrative, about)
        written = lines(file) if dyad.summaries else []  # once per file, not per summary
        for key, summary in dyad.summaries.items():
            yield Passage(file, _key_line(written, key, summary), summary, about)
        for episode in dyad.episodes:  # the team's note on a pairing (perspectives)
            if episode.note:
                yield Passage(file, episode.source.line if episode.source else 0,
                              episode.note, about)
    for path, data in sorted(handwritten.items()):
        if path.endswith(".md"):
            yield Passage(f"docs/{path}", 1, data.decode("utf-8", "replace"))
    yield from (Passage(file, line, text) for file, line, text in prose)


def published_excerpts(public: Study) -> Iterator[Passage]:
    """Every excerpt a public build publishes, and the transcript turns shown around each,
    as passages whose ``speaker`` is the participant who spoke it (a turn's, the speaker
    key of :func:`voices` when the turn is a participant's, else its role).

    They are a participant's own words, quoted with that participant's consent; what they may
    still carry is the words of someone in the same case who may not be quoted (a clinician
    repeating what her patient told her, a patient what her husband said): only the
    ``withheld-words`` rule reads them (:func:`build_site.privacy.scan_published_text`), for
    the participants a passage is ``about``: a clinician's excerpt for the clinician, her
    dyads' patients and the others present in them; a dyad's for its patient, the others
    present and its clinician. (The same words said by a participant of another case are
    theirs: two patients may say the same thing.)
    """
    dyads_of: dict[str, list[Dyad]] = {}
    for dyad in public.dyads:
        dyads_of.setdefault(dyad.clinician, []).append(dyad)
    for clinician in public.clinicians:
        file, _ = _case_file(clinician)
        about = (clinician.id, *(key for d in dyads_of.get(clinician.id, [])
                                 for key in _dyad_keys(d).values()))
        for excerpt in clinician.excerpts:
            yield from _excerpt_passages(file, excerpt, clinician.id,
                                         {"clinician": clinician.id}, about)
    by_id = {c.id: c for c in public.clinicians}
    for dyad in public.dyads:
        file, _ = _case_file(dyad)
        keys = _dyad_keys(dyad)
        for excerpt in dyad.excerpts:
            who, _ = _speaker(dyad, excerpt, by_id.get(dyad.clinician))
            yield from _excerpt_passages(file, excerpt, who, keys, tuple(keys.values()))


def _dyad_keys(dyad: Dyad) -> dict[str, str]:
    """Who speaks in a dyad's transcript -> their participant key (:func:`voices`)."""
    return {"patient": dyad.id, "clinician": dyad.clinician,
            **{role: f"{dyad.id}/{role}" for role in dyad.consent.others}}


def _excerpt_passages(file: str, excerpt: Excerpt, who: str, keys: dict[str, str],
                      about: tuple[str, ...]) -> Iterator[Passage]:
    line = excerpt.source.line if excerpt.source else 0
    yield Passage(file, line, excerpt.text, about, speaker=who)
    for turn in excerpt.context_turns:
        if turn.text:
            yield Passage(file, line, turn.text, about,
                          speaker=keys.get(turn.speaker, turn.speaker))


def _key_line(lines: list[str], key: str, value: str) -> int:
    """The line of ``study.yml`` that holds ``value`` (its first words), else its key."""
    first = " ".join(value.split()[:4])
    for number, line in enumerate(lines, 1):
        if first and first in line:
            return number
    for number, line in enumerate(lines, 1):
        if re.match(rf"\s*-?\s*{re.escape(key)}\s*:", line):
            return number
    return 0


def voices(deidentified: Study, study: Study) -> list[Voice]:
    """Every participant's own words, from every case the team coded (published or not).

    Args:
        deidentified: the de-identified study (all cases).
        study: the study as written (its transcripts, which are de-identified here).

    Returns:
        One :class:`Voice` per clinician, patient and other person present who has words.
    """
    matcher = Matcher(study.identifiers)
    found: dict[str, tuple[bool, list[Callable[[], list[tuple[str, ...]]]]]] = {}

    def add(who: str, consent: Consent, text: str) -> None:
        found.setdefault(who, (consent.allows_public_quote(), []))[1].append(
            partial(_words_of, text))

    by_id = {c.id: c for c in deidentified.clinicians}
    for clinician in deidentified.clinicians:  # everyone has a voice, words or not
        found[clinician.id] = (clinician.consent.allows_public_quote(), [])
    for dyad in deidentified.dyads:
        found[dyad.id] = (dyad.consent.patient.allows_public_quote(), [])
        for role, consent in dyad.consent.others.items():
            found[f"{dyad.id}/{role}"] = (consent.allows_public_quote(), [])
    for clinician in deidentified.clinicians:
        for excerpt in clinician.excerpts:
            add(clinician.id, clinician.consent, excerpt.text)
    for dyad in deidentified.dyads:
        transcript = study.transcripts.get(dyad.transcript) if dyad.transcript else None
        own = by_id.get(dyad.clinician)
        # A transcript with declared speaker labels gives each speaker their own turns
        # (build_site.transcripts, as the excerpt context reads it); without labels, its words
        # are the patient's, cut where other speakers' excerpts occur.
        covered = _turn_voices(dyad, transcript, own, matcher, add) if transcript else set()
        if transcript and not covered:
            others = [e.text for e in dyad.excerpts if e.speaker != Speaker.patient]
            found[dyad.id][1].append(partial(_transcript_words, matcher, transcript, others))
            covered = {dyad.id}
        for excerpt in dyad.excerpts:
            who, consent = _speaker(dyad, excerpt, own)
            if who not in covered:
                add(who, consent, excerpt.text)
    return [Voice(who, quotable, LazyTexts(pieces)) for who, (quotable, pieces) in found.items()]


def _words_of(text: str) -> list[tuple[str, ...]]:
    return [words(text)]


def _transcript_words(matcher: Matcher, transcript: str, others: list[str]
                      ) -> list[tuple[str, ...]]:
    """A transcript without speaker labels as the patient's words: listed identifiers
    replaced, cut where the excerpts of other speakers (``others``) occur."""
    return _without(words(matcher.replace(transcript)), [words(text) for text in others])


def _turn_voices(dyad: Dyad, transcript: str, clinician: Clinician | None, matcher: Matcher,
                 add: Callable[[str, Consent, str], None]) -> set[str]:
    """Add each turn of ``transcript`` (read with the dyad's ``speakers`` labels, listed
    identifiers replaced) to its speaker's voice through ``add``; the interviewer's turns are
    the team's. Returns who was given words this way (nobody without declared labels); the
    others keep their excerpts as their words."""
    covered: set[str] = set()
    for turn in parse_turns(transcript, list(dyad.speakers)):
        speaker = dyad.speakers[turn.label]
        consent = turn_consent(dyad, speaker, clinician.consent if clinician else Consent())
        if consent is None:
            continue
        who = {"patient": dyad.id, "clinician": dyad.clinician}.get(speaker,
                                                                    f"{dyad.id}/{speaker}")
        add(who, consent, matcher.replace(turn.text))
        covered.add(who)
    return covered


def _without(text: tuple[str, ...], spoken_by_others: list[tuple[str, ...]]
             ) -> list[tuple[str, ...]]:
    """``text`` (a transcript's words) cut where the excerpts of other speakers (the clinician,
    a relative) occur, so their words are not taken for the patient's."""
    pieces = [text]
    for seq in filter(None, spoken_by_others):
        cut: list[tuple[str, ...]] = []
        for piece in pieces:
            start = _find(piece, seq)
            while start >= 0:
                cut.append(piece[:start])
                piece = piece[start + len(seq):]
                start = _find(piece, seq)
            cut.append(piece)
        pieces = cut
    return [p for p in pieces if p]


def _find(text: tuple[str, ...], seq: tuple[str, ...]) -> int:
    n = len(seq)
    return next((i for i in range(len(text) - n + 1) if text[i:i + n] == seq), -1)


def _speaker(dyad: Dyad, excerpt: Excerpt, clinician: Clinician | None) -> tuple[str, Consent]:
    if excerpt.speaker == Speaker.clinician:
        return dyad.clinician, clinician.consent if clinician else Consent()
    if excerpt.speaker == Speaker.other:
        role = excerpt.role or "other"
        return f"{dyad.id}/{role}", dyad.consent.others.get(role, Consent())
    return dyad.id, dyad.consent.patient
