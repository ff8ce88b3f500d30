"""Insiders: a patient who did not agree to share her interview with her clinician.

In a study where clinicians nominate their own patients, the clinician (and anyone else present
at the interview) knows who each dyad page is about and can read the public site. A patient who
recorded ``share_with_clinician: false`` is protected from that reader (issue 17, item 3):

- a public build is refused until the team records a decision in her case file
  (``insider_decision``: re-consent with date and form version, or "analytic summary only",
  reviewed by a named team member on a date; :func:`decision_problems` validates it);
- without re-consent her public dyad page carries only the team's analytic summary: no
  excerpt from either side of the dyad (the clinician's words about her reveal what she
  disclosed), no component summary, no narrative (:func:`public_update`);
- her clinician's page may carry nothing from her case: no run of six words from her case file,
  no name found only in her case, not her case id (:func:`clinician_page_problems`).

The same search keeps a case that the selection leaves out for its participant's consent
(withdrawn, no ``public_site``; no ``archive`` in a selection made for deposit) off its
clinician's page: "a participant with ``withdrawn: true`` disappears from every build"
(guide/preparing-your-study.md, "What gets published") holds for the clinician's case study too.

:func:`insider_statements` lists, per clinician and per other person present, every public
statement that comes from a patient's side, with that patient's consent (``check --risk
--insider``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from build_site.errors import Problem
from build_site.privacy.texts import clean
from build_site.study import RECONSENT, SUMMARY_ONLY, Clinician, Dyad, Speaker, Study

SUMMARY_REASON = ("analytic summary only: the patient did not agree to share her interview "
                  "with her clinician")
RUN = 6  # words in a run, as issue 17 item 1
CONTENT_WORDS = 3  # content words a run needs to count
_STOP = frozenset(
    "the a an and or but of to in on at for with from by as is was were be been are it its "
    "this that these those he she him her his hers they them their we us our you your i me my "
    "not no so if then than there here who whom what when where which while would could should "
    "will can did do does had has have into out up down over about after before just very".split())
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_CAPITAL = re.compile(r"\b[A-Z][a-z]{2,}\b")
_QUOTES = re.compile(r"[\"\u201c\u201d]")

Add = Callable[[str, tuple[Any, ...], str, str], None]


def shares(dyad: Dyad) -> bool:
    """Whether the patient agreed to share her interview with her clinician."""
    return dyad.consent.patient.share_with_clinician


def summary_only(dyad: Dyad) -> bool:
    """Whether a public page of ``dyad`` may carry only the team's analytic summary: the
    patient did not agree to share with her clinician and no re-consent is recorded (no
    decision at all counts as the strictest one, so nothing of hers leaks before the build
    refuses)."""
    decision = dyad.insider_decision
    return not shares(dyad) and (decision is None or decision.decision == SUMMARY_ONLY)


def public_update(dyad: Dyad) -> dict[str, object]:
    """The fields a public selection replaces in ``dyad`` (empty when nothing changes): under
    "analytic summary only" no excerpt, no component summary, and the analytic summary in
    place of the narrative."""
    if not summary_only(dyad):
        return {}
    decision = dyad.insider_decision
    return {"excerpts": [], "summaries": {},
            "narrative": decision.analytic_summary if decision else ""}


def decision_problems(study: Study, add: Add) -> None:
    """Validate every dyad's ``insider_decision``; ``add(file, path, message, hint)`` is
    called once per problem (validation turns the path into a line).

    Rules: ``reviewed_by`` names a person (the model requires it); dates are ISO
    (YYYY-MM-DD); re-consent gives ``consented_on`` and ``form_version``; an analytic summary
    is written and holds no quotation marks (quoted words present themselves as the
    patient's).
    """
    for dyad in study.dyads:
        decision = dyad.insider_decision
        if decision is None or dyad.source is None:
            continue
        file = dyad.source.file
        at = ("insider_decision",)
        for name in ("reviewed_on", "consented_on"):
            value = getattr(decision, name)
            if value and not _iso_date(value):
                add(file, (*at, name), f"insider_decision.{name} '{value}' is not a date",
                    "write the date as YYYY-MM-DD")
        if decision.decision == RECONSENT:
            for name in ("consented_on", "form_version"):
                if not getattr(decision, name):
                    add(file, at, f"insider_decision: re-consent without {name}",
                        f"add {name} (the new consent's date and the form's version)")
        elif not decision.analytic_summary.strip():
            add(file, at, "insider_decision: analytic summary only, but no analytic_summary",
                "write the team's analytic summary of the case (no excerpt, nothing in her "
                "words); it replaces the narrative on the public dyad page")
        elif _QUOTES.search(decision.analytic_summary):
            add(file, (*at, "analytic_summary"),
                "insider_decision.analytic_summary holds quotation marks",
                "an analytic summary carries no words of the participants; paraphrase")


def _iso_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def refusals(study_dir: Path, full: Study, public: Study) -> list[Problem]:
    """Why a public build must be refused for insiders (exit 3).

    Args:
        study_dir: the study folder (to point at the consent line).
        full: the de-identified study, every case and excerpt.
        public: the public selection.

    Returns:
        One problem per shown dyad whose patient did not agree to share with her clinician and
        whose file records no decision, and every :func:`clinician_page_problems` finding.
    """
    problems = []
    for dyad in public.dyads:
        if shares(dyad) or dyad.insider_decision is not None:
            continue
        file = dyad.source.file if dyad.source else dyad.id
        problems.append(Problem(
            file, _line_of(study_dir / file),
            "the patient did not agree to share her interview with her clinician "
            "(share_with_clinician: false), who can read the public site, and no decision "
            "is recorded",
            "record insider_decision in this file: 're-consent' (consented_on, form_version) "
            "or 'analytic summary only' (analytic_summary), with reviewed_by and reviewed_on "
            "(guide/preparing-your-study.md); nothing was written"))
    return problems + clinician_page_problems(full, public)


def _line_of(path: Path) -> int:
    """The line of the patient's consent record (``share_with_clinician`` when written; a
    missing field is false too), 0 when the file cannot be read."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return 0
    for needle in ("share_with_clinician", "patient:", "consent:"):
        found = next((n for n, line in enumerate(lines, 1) if needle in line), 0)
        if found:
            return found
    return 0


def clinician_page_problems(full: Study, public: Study) -> list[Problem]:
    """Content from a protected case on its clinician's public page.

    A case is protected when its patient is protected from her clinician (:func:`summary_only`:
    she contributes to cross-case text only) or when ``public`` leaves the case out for its
    participant's consent (:func:`left_out_for_consent`: withdrawn, no public site, or no
    archive in a selection for deposit). The clinician's narrative and excerpts in ``public``
    are searched for the case id, for a name that occurs only in that case file (the written
    names of the study: a capitalised word never written in lower case), and for a run of
    :data:`RUN` words with :data:`CONTENT_WORDS` content words taken from that case file that
    no other case of the clinician shares. What it cannot find: a paraphrase without a name.

    Args:
        full: the de-identified study (every case file, excerpts the public never sees).
        public: the selection being published (the clinician page as published): the public
            selection, or its archive subset for a deposit.

    Returns:
        One problem per paragraph or excerpt of a clinician page that carries such content,
        at its file and line.
    """
    problems: list[Problem] = []
    clinicians = {c.id: c for c in public.clinicians}
    shown = {d.id for d in public.dyads}
    lower = _lower_words(full)
    for dyad in full.dyads:
        clinician = clinicians.get(dyad.clinician)
        left_out = left_out_for_consent(dyad, shown)
        if clinician is None or not (left_out or summary_only(dyad)):
            continue
        others = [d for d in full.dyads if d.id != dyad.id]
        own = clean(_case_text(dyad))
        names = _names(own, lower) - {n for d in others for n in _names(_case_text(d), lower)}
        runs = _runs(own) - {r for d in others if d.clinician == dyad.clinician
                             for r in _runs(_case_text(d))}
        why = (f"which is left out here ({left_out})" if left_out else
               "whose patient did not agree to share her interview with this clinician")
        hint = ("remove it: a case left out is told on no page of what leaves it out "
                "(guide/preparing-your-study.md, what gets published); a word that is not "
                "that case's (a month, a holiday) can be reworded in its case file instead"
                if left_out else
                "remove it: she contributes to cross-case text only "
                "(guide/preparing-your-study.md, insiders)")
        for line, text in _clinician_lines(clinician):
            text = clean(text)  # entities, look-alikes and markup read as a reader reads them
            hits = sorted({dyad.id} & set(re.findall(r"[\w.-]+", text))
                          | names & set(_CAPITAL.findall(text)))
            if hits or _runs(text) & runs:
                what = ", ".join(f"'{h}'" for h in hits) or "words taken from its case file"
                file = clinician.source.file if clinician.source else clinician.id
                problems.append(Problem(
                    file, line,
                    f"the clinician page carries content from the case of {dyad.id} ({what}), "
                    f"{why}", hint))
    return problems


def left_out_for_consent(dyad: Dyad, shown: set[str]) -> str:
    """Why ``dyad`` is not among the ``shown`` dyad ids for its participant's consent, in
    words for the terminal ("" when it is shown, or left out for another reason such as its
    status).

    Rules (guide/preparing-your-study.md, "What gets published"): a withdrawn participant
    disappears from every build; ``public_site: false`` leaves the case out; ``archive:
    false`` leaves it out of the downloads, the supplement and the PDF.
    """
    if dyad.id in shown:
        return ""
    consent = dyad.consent.patient
    if consent.withdrawn:
        return "the participant withdrew"
    if not consent.public_site:
        return "the participant did not agree to a public site"
    if not consent.archive:
        return "the participant did not agree to be archived"
    return ""


def _case_text(dyad: Dyad) -> str:
    return "\n".join([dyad.narrative, *dyad.summaries.values(),
                      *(e.text for e in dyad.excerpts)])


def _lower_words(study: Study) -> set[str]:
    texts = [*(_case_text(d) for d in study.dyads),
             *(c.narrative for c in study.clinicians),
             *(e.text for c in study.clinicians for e in c.excerpts)]
    return {w for t in texts for w in re.findall(r"\b[a-z]{3,}\b", t)}


def _names(text: str, lower: set[str]) -> set[str]:
    return {w for w in _CAPITAL.findall(text) if w.lower() not in lower}


def _runs(text: str) -> set[tuple[str, ...]]:
    words = _WORD.findall(text.lower().replace("\u2019", "'"))
    return {tuple(words[i:i + RUN]) for i in range(len(words) - RUN + 1)
            if sum(w not in _STOP for w in words[i:i + RUN]) >= CONTENT_WORDS}


def _clinician_lines(clinician: Clinician) -> Iterator[tuple[int, str]]:
    """(line, text) of each paragraph of the clinician's narrative and each public excerpt."""
    base = clinician.source.body_line if clinician.source else 0
    start = 0
    for n, line in enumerate([*clinician.narrative.splitlines(), ""]):
        if line.strip():
            continue
        paragraph = " ".join(clinician.narrative.splitlines()[start:n])
        if paragraph.strip():
            yield base + start, paragraph
        start = n + 1
    for excerpt in clinician.excerpts:
        yield (excerpt.source.line if excerpt.source else 0), excerpt.text


@dataclass(frozen=True)
class Statement:
    """A public statement from a patient's side that someone close to the case can read:
    ``reader`` (``clinician D2``, ``spouse in D1-P3``), the dyad, what (``excerpt D1-P3-E2``,
    ``narrative``, ``summary: trust``), where (file:line) and the patient's consent to her
    clinician reading it."""

    reader: str
    dyad: str
    what: str
    where: str
    consent: str


def insider_statements(public: Study) -> list[Statement]:
    """Every public statement from a patient's side, per clinician and per other person
    present (``check --risk --insider``).

    Args:
        public: the public selection (what is published, after :func:`public_update`).

    Returns:
        Statements ordered by reader, then dyad, as pages show them.
    """
    out: list[Statement] = []
    clinicians = {c.id: c for c in public.clinicians}
    lower = _lower_words(public)
    for dyad in public.dyads:
        readers = [f"clinician {dyad.clinician}",
                   *(f"{role} in {dyad.id}" for role in dyad.interview.others_present)]
        consent = consent_label(dyad)
        told = [*_patient_side(dyad), *_told_on_clinician_page(
            dyad, clinicians.get(dyad.clinician), public, lower)]
        for what, where in told:
            out += [Statement(r, dyad.id, what, where, consent) for r in readers]
    return sorted(out, key=lambda s: (s.reader, s.dyad))


def _told_on_clinician_page(dyad: Dyad, clinician: Clinician | None, public: Study,
                            lower: set[str]) -> Iterator[tuple[str, str]]:
    """Paragraphs of the clinician's page that name this dyad's patient (a name only this
    case's published text holds), as (what, file:line)."""
    if clinician is None:
        return
    others = {n for d in public.dyads if d.id != dyad.id for n in _names(_case_text(d), lower)}
    names = _names(_case_text(dyad), lower) - others
    file = clinician.source.file if clinician.source else clinician.id
    for line, text in _clinician_lines(clinician):
        named = sorted(names & set(_CAPITAL.findall(text)))
        if named:
            yield f"clinician page, naming {', '.join(named)}", f"{file}:{line}"


def consent_label(dyad: Dyad) -> str:
    """The patient's consent to her clinician reading her case, in words."""
    if shares(dyad):
        return "shares with the clinician"
    decision = dyad.insider_decision
    if decision is None:
        return "does not share; NO DECISION RECORDED"
    if decision.decision == RECONSENT:
        return (f"re-consented on {decision.consented_on} (form {decision.form_version}), "
                f"reviewed by {decision.reviewed_by} on {decision.reviewed_on}")
    return (f"does not share: analytic summary only, reviewed by {decision.reviewed_by} on "
            f"{decision.reviewed_on}")


def _patient_side(dyad: Dyad) -> Iterator[tuple[str, str]]:
    file = dyad.source.file if dyad.source else dyad.id
    base = dyad.source.body_line if dyad.source else 0
    if dyad.narrative.strip():
        label = "analytic summary" if summary_only(dyad) else "narrative"
        yield label, f"{file}:{base}"
    for component in sorted(dyad.summaries):
        yield f"summary: {component}", file
    for excerpt in dyad.excerpts:
        if excerpt.speaker is not Speaker.clinician:
            yield f"excerpt {excerpt.id}", f"{file}:{excerpt.source.line if excerpt.source else 0}"
