"""Privacy checks of published free text (issue 17): consent and identifying numbers.

:func:`scan_published_text` reads every piece of free text a public build publishes
(:mod:`~build_site.privacy.texts`) and returns a :class:`TextReport`:

- consent findings, which refuse a public build (exit 3) until resolved: the words of a
  participant who may not be quoted (:mod:`~build_site.privacy.withheld`), exact ages and dates
  (:mod:`~build_site.privacy.numbers`);
- findings for review, which do not: ages a reader can compute, sensitive disclosures
  (:mod:`~build_site.privacy.sensitive`).

A consent finding is not waived like an identifier finding ("judged safe"): it is closed only
by an entry under ``consent:`` in ``private/reviewed.yml`` (:class:`~build_site.study.
ConsentResolution`), "not-a-match" or "re-consent" with its date and form version, each by a
named reviewer; those entries are part of the sign-off fingerprint (``manifest.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from build_site.deidentify.findings import finding_key
from build_site.errors import Problem
from build_site.forked_map import Batch, Steps, run_steps
from build_site.privacy.numbers import number_hits
from build_site.privacy.sensitive import disclosures
from build_site.privacy.texts import (
    Passage,
    Voice,
    clean,
    published_excerpts,
    published_passages,
    voices,
)
from build_site.privacy.withheld import gram_index, grams, withheld_hits, withheld_runs
from build_site.study import Study

BLOCKING = {
    "withheld-words": "words of a participant who did not consent to be quoted",
    "quoted-withheld": "a quotation presented as the words of a participant who did not "
                       "consent to be quoted",
    "exact-age": "an exact age",
    "exact-date": "a date more specific than a year",
}
FOR_REVIEW = {"age-computable": "an age and a duration from which a reader can compute an age"}
# Below this many published passages, one process (a cold build of 230 dyads publishes about
# 1,000, of 1,000 dyads about 4,200, the bundled study about 100): see guide/performance.md.
POOL_MIN_PASSAGES = 1000


@dataclass(frozen=True)
class TextFinding:
    """One finding in published free text: file (relative to the study folder), 1-based line,
    rule (a key of :data:`BLOCKING` or :data:`FOR_REVIEW`, or a sensitive category), the
    matched text (for the team's terminal only, never written into a site), the participant
    it concerns ("" when none), and the key a resolution uses."""

    file: str
    line: int
    rule: str
    text: str
    who: str
    key: str

    def location(self) -> str:
        """``file:line`` (or just the file when the line is unknown)."""
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass(frozen=True)
class TextReport:
    """What :func:`scan_published_text` found: ``consent`` (unresolved, a public build is
    refused), ``resolved`` (closed by a recorded resolution), ``review`` (computable ages) and
    ``sensitive`` (disclosures), the last two listed for review only."""

    consent: list[TextFinding] = field(default_factory=list)
    resolved: list[TextFinding] = field(default_factory=list)
    review: list[TextFinding] = field(default_factory=list)
    sensitive: list[TextFinding] = field(default_factory=list)


def scan_published_text(study: Study, deidentified: Study, public: Study,
                        handwritten: dict[str, bytes],
                        lines: Callable[[str], list[str]],
                        prose: Iterable[tuple[str, int, str]] = ()) -> TextReport:
    """Check every piece of free text the public build publishes, and every published
    excerpt (and transcript turn shown around one) for another participant's words: a
    clinician's excerpt repeating what a patient who may not be quoted said is her words
    published (the ``withheld-words`` rule alone reads excerpts: their dates and disclosures
    are the detectors' and the review's).

    Args:
        study: the study as written (transcripts, the recorded resolutions).
        deidentified: every case, de-identified (every participant's words, published or not).
        public: the de-identified public selection (what is published).
        handwritten: the de-identified hand-written pages (docs-relative path -> bytes).
        lines: the lines of a study file as written, by path relative to the study folder.
        prose: the published prose of the study's YAML files (file, line, text), de-identified.

    Returns:
        The :class:`TextReport`.
    """
    return run_steps(published_text_steps(study, deidentified, public, handwritten, lines,
                                          prose))


def published_text_steps(study: Study, deidentified: Study, public: Study,
                         handwritten: dict[str, bytes],
                         lines: Callable[[str], list[str]],
                         prose: Iterable[tuple[str, int, str]] = ()) -> Steps[TextReport]:
    """:func:`scan_published_text` as a step function, to share a pool with other checks
    (:func:`~build_site.forked_map.run_together`)."""
    speakers = {v.who: v for v in voices(deidentified, study)}
    index = gram_index({who: grams(v.texts) for who, v in speakers.items() if not v.quotable})
    found: dict[tuple[str, str, str], TextFinding] = {}
    passages = list(published_passages(public, handwritten, lines, prose))
    if index:  # someone may not be quoted: their words in another's excerpt are theirs
        passages += published_excerpts(public)
    # Each passage is read alone, so on both cores when there are many (forked_map.py).
    per_passage: list[list[TextFinding]] = yield Batch(
        lambda passage: _passage_findings(passage, speakers, index), passages,
        POOL_MIN_PASSAGES)
    for items in per_passage:
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
    if passage.speaker:  # a participant's own words: only another's words in them count
        return [TextFinding(passage.file, passage.line, h.rule, text[h.start:h.end], h.who,
                            finding_key(passage.file, text[h.start:h.end]))
                for h in withheld_runs(text, index)
                if h.who != passage.speaker and h.who in passage.about]
    spans = [(h.start, h.end, h.rule, h.who)
             for h in withheld_hits(passage, speakers, index, text)]
    subject = passage.about[0] if passage.about else ""
    spans += [(a, b, rule, subject) for a, b, rule in number_hits(text)]
    spans += [(a, b, category, subject) for a, b, category in disclosures(text)]
    return [TextFinding(passage.file, passage.line + text[:a].count("\n") if passage.line else 0,
                        rule, text[a:b], who, finding_key(passage.file, text[a:b]))
            for a, b, rule, who in spans]


def consent_problems(report: TextReport) -> list[Problem]:
    """One problem per unresolved consent finding, with file, line and what to do (a public
    build raises them as a PrivacyError, exit 3)."""
    return [Problem(f.file, f.line, f"{BLOCKING[f.rule]} in published text"
                    + (f" ({f.who})" if f.who else "") + f": '{f.text}'",
                    "rewrite it in your own words without it; if it is not what it seems, or "
                    "the participant has re-consented, record that under consent: in "
                    f"private/reviewed.yml (file: {f.file}, hash: {f.key}, resolution: "
                    "not-a-match, or re-consent with date and form_version, and by); "
                    "nothing was written")
            for f in report.consent]
