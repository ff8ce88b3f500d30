"""The checks of published text as they were before checks3 (ceb631f), in one process: kept
as the reference the faster checks must match finding for finding, in order, with file and
line (``tests/test_checks_differential.py``, ``bench/checks_diff.py``). Copied unchanged
from ``build_site/privacy/texts.py``, ``privacy/withheld.py``, ``privacy/__init__.py``,
``privacy/numbers.py``, ``privacy/sensitive.py``, ``consent/contrastive.py`` and
``consent/choices.py``; what they share with the new code and
checks3 did not change (the expressions, ``clean``, ``_key_line``, the findings' types) is
imported."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from build_site.consent.choices import _CHOICE, ConsentStatement
from build_site.consent.contrastive import (
    _NEGATIVE_SEARCHED,
    _ROLE_SEARCHED,
    _TITLED,
    Contrastive,
    _clinician,
    _file_lines,
    all_cases,
    own_names,
    sentences,
)
from build_site.deidentify import Matcher
from build_site.deidentify.findings import finding_key
from build_site.privacy import BLOCKING, FOR_REVIEW, TextFinding, TextReport
from build_site.privacy.numbers import (
    _APPROX_AGE,
    _DURATION,
    _EXACT_AGE,
    _EXACT_DATE,
    _is_may_modal,
)
from build_site.privacy.sensitive import _NAMES
from build_site.privacy.sensitive import _SEARCHED as _DISCLOSURES
from build_site.privacy.texts import (
    _WORD,
    Passage,
    Voice,
    _case_file,
    _key_line,
    _speaker,
    _turn_voices,
    _without,
    clean,
)
from build_site.privacy.withheld import (
    RUN,
    Hit,
    _contains,
    _stretches,
    gram_index,
    grams,
    quoted_spans,
)
from build_site.study import Clinician, Consent, Dyad, Speaker, Study


def number_hits(text: str) -> Iterator[tuple[int, int, str]]:
    ages = [m.span() for m in _EXACT_AGE.finditer(text)]
    for start, end in ages:
        yield start, end, "exact-age"
    for m in _EXACT_DATE.finditer(text):
        if not _is_may_modal(text, m):
            yield m.start(), m.end(), "exact-date"
    approximate = [m.span() for m in _APPROX_AGE.finditer(text)]
    every_age = sorted([*ages, *approximate])
    if every_age and _DURATION.search(text):
        yield every_age[0][0], every_age[0][1], "age-computable"


def disclosures(text: str) -> Iterator[tuple[int, int, str]]:
    for m in _DISCLOSURES.finditer(text):
        group = m.lastgroup or ""
        yield m.start(), m.end(), _NAMES[int(group[1:])]


def tokens(text: str) -> list[tuple[str, int, int]]:
    return [(m.group().casefold().replace("'", "").replace("’", ""), m.start(), m.end())
            for m in _WORD.finditer(text)]


def words(text: str) -> tuple[str, ...]:
    return tuple(w for w, _, _ in tokens(clean(text)))


def published_passages(public: Study, handwritten: dict[str, bytes],
                       lines: Callable[[str], list[str]],
                       prose: Iterable[tuple[str, int, str]] = ()) -> Iterator[Passage]:
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
        for key, summary in dyad.summaries.items():
            yield Passage(file, _key_line(lines(file), key, summary), summary, about)
        for episode in dyad.episodes:
            if episode.note:
                yield Passage(file, episode.source.line if episode.source else 0,
                              episode.note, about)
    for path, data in sorted(handwritten.items()):
        if path.endswith(".md"):
            yield Passage(f"docs/{path}", 1, data.decode("utf-8", "replace"))
    yield from (Passage(file, line, text) for file, line, text in prose)


def voices(deidentified: Study, study: Study) -> list[Voice]:
    matcher = Matcher(study.identifiers)
    found: dict[str, tuple[bool, list[tuple[str, ...]]]] = {}

    def add(who: str, consent: Consent, text: str) -> None:
        found.setdefault(who, (consent.allows_public_quote(), []))[1].append(words(text))

    by_id = {c.id: c for c in deidentified.clinicians}
    for clinician in deidentified.clinicians:
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
        covered = _turn_voices(dyad, transcript, own, matcher, add) if transcript else set()
        if transcript and not covered:
            others = [words(e.text) for e in dyad.excerpts if e.speaker != Speaker.patient]
            found[dyad.id][1].extend(
                _without(words(matcher.replace(transcript)), others))
            covered = {dyad.id}
        for excerpt in dyad.excerpts:
            who, consent = _speaker(dyad, excerpt, own)
            if who not in covered:
                add(who, consent, excerpt.text)
    return [Voice(who, quotable, tuple(texts)) for who, (quotable, texts) in found.items()]


def withheld_runs(text: str, index: dict[tuple[str, ...], list[str]],
                  run: int = RUN) -> Iterator[Hit]:
    found = tokens(text)
    norm = [w for w, _, _ in found]
    covered: dict[str, list[bool]] = {}
    for i in range(len(found) - run + 1):
        for who in index.get(tuple(norm[i:i + run]), ()):
            covered.setdefault(who, [False] * len(found))[i:i + run] = [True] * run
    for who, marks in sorted(covered.items()):
        yield from (Hit(found[a][1], found[b][2], who, "withheld-words")
                    for a, b in _stretches(marks))


def attributed(inner: str, passage: Passage, voices: dict[str, Voice]) -> str | None:
    seq = tuple(w for w, _, _ in tokens(inner))
    if not seq:
        return None
    holders = [w for w in passage.about if w in voices and _contains(voices[w], seq)]
    if not holders:
        holders = [w for w, v in voices.items() if w not in passage.about and _contains(v, seq)]
    holders.sort(key=lambda w: voices[w].quotable)
    if holders:
        return holders[0]
    return passage.about[0] if passage.about else None


def withheld_hits(passage: Passage, voices: dict[str, Voice],
                  index: dict[tuple[str, ...], list[str]]) -> list[Hit]:
    text = clean(passage.text)
    hits = list(withheld_runs(text, index))
    for start, end, inner in quoted_spans(text):
        who = attributed(inner, passage, voices)
        voice = voices.get(who) if who else None
        withheld = voice is not None and not voice.quotable
        if withheld and who is not None and not any(h.start <= start and end <= h.end
                                                    for h in hits):
            hits.append(Hit(start, end, who, "quoted-withheld"))
    return sorted(hits, key=lambda h: (h.start, h.rule))


def scan_published_text(study: Study, deidentified: Study, public: Study,
                        handwritten: dict[str, bytes],
                        lines: Callable[[str], list[str]],
                        prose: Iterable[tuple[str, int, str]] = ()) -> TextReport:
    speakers = {v.who: v for v in voices(deidentified, study)}
    index = gram_index({who: grams(v.texts) for who, v in speakers.items() if not v.quotable})
    found: dict[tuple[str, str, str], TextFinding] = {}
    passages = list(published_passages(public, handwritten, lines, prose))
    for items in [_passage_findings(passage, speakers, index) for passage in passages]:
        for item in items:
            found.setdefault((item.file, item.rule, item.key), item)
    closed = {(r.file, r.hash) for r in study.reviewed.consent}
    report = TextReport()
    for item in sorted(found.values(), key=lambda f: (f.file, f.line, f.rule)):
        if item.rule in BLOCKING:
            target = report.resolved if (item.file, item.key) in closed else report.consent
        else:
            target = report.review if item.rule in FOR_REVIEW else report.sensitive
        target.append(item)
    return report


def _passage_findings(passage: Passage, speakers: dict[str, Voice],
                      index: dict[tuple[str, ...], list[str]]) -> list[TextFinding]:
    text = clean(passage.text)
    spans = [(h.start, h.end, h.rule, h.who) for h in withheld_hits(passage, speakers, index)]
    subject = passage.about[0] if passage.about else ""
    spans += [(a, b, rule, subject) for a, b, rule in number_hits(text)]
    spans += [(a, b, category, subject) for a, b, category in disclosures(text)]
    return [TextFinding(passage.file, passage.line + text[:a].count("\n") if passage.line else 0,
                        rule, text[a:b], who, finding_key(passage.file, text[a:b]))
            for a, b, rule, who in spans]


def contrastive_sentences(text: str, own: set[str] | None = None
                          ) -> Iterator[tuple[int, str, str, str]]:
    mine = own_names(text) if own is None else own
    for offset, sentence in sentences(text):
        cue = _NEGATIVE_SEARCHED.search(sentence)
        if not cue:
            continue
        others = [m.group(0) for m in _TITLED.finditer(sentence) if m.group(1) not in mine]
        role = None if others else _ROLE_SEARCHED.search(sentence)
        who = others[0] if others else role.group(0) if role else None
        if who:
            yield offset, " ".join(sentence.split()), who, cue.group(0)


def case_texts(case: Clinician | Dyad, study_dir: Path | None
               ) -> Iterator[tuple[str, int, str]]:
    file = case.source.file if case.source else case.id
    if case.narrative:
        yield file, case.source.body_line if case.source else 1, case.narrative
    if isinstance(case, Dyad):
        lines = _file_lines(study_dir / file) if study_dir else []
        for key, summary in case.summaries.items():
            line = next((i for i, text in enumerate(lines, 1)
                         if text.strip().startswith(f"{key}:")), 1)
            yield file, line, summary


def find_contrastive(study: Study, study_dir: Path | None = None) -> list[Contrastive]:
    if study.meta.publication.contrastive_comments:
        return []
    by_clinician: dict[str, list[str]] = {}
    for case in all_cases(study):
        by_clinician.setdefault(_clinician(case), []).append(case.narrative or "")
    own_by_clinician = {key: own_names("\n".join(texts)) for key, texts in by_clinician.items()}
    texts = [(file, line, text, own_by_clinician[_clinician(case)])
             for case in all_cases(study) for file, line, text in case_texts(case, study_dir)]
    per_text = [list(contrastive_sentences(item[2], item[3])) for item in texts]
    return [Contrastive(file, line + offset, sentence, who, cue)
            for (file, line, _, _), sentences_found in zip(texts, per_text, strict=True)
            for offset, sentence, who, cue in sentences_found]


def _choices(text: str) -> list[tuple[int, str, str]]:
    return [(offset, " ".join(sentence.split()), cue.group(0))
            for offset, sentence in sentences(text) if (cue := _CHOICE.search(sentence))]


def find_consent_statements(study: Study, study_dir: Path | None = None
                            ) -> list[ConsentStatement]:
    texts = [found for case in all_cases(study) for found in case_texts(case, study_dir)]
    per_text = [_choices(item[2]) for item in texts]
    return [ConsentStatement(file, line + offset, sentence, cue)
            for (file, line, _), choices in zip(texts, per_text, strict=True)
            for offset, sentence, cue in choices]
