"""Part of stage 4, select: hide which clinician each dyad belongs to in a public build.

In a study of named exemplars the clinicians are few and findable; a patient's words grouped
under their clinician can identify the patient to anyone who knows the practice. When
``study.yml`` sets ``publication.hide_clinician``, the public build therefore:

- gives every dyad a neutral id (``case_prefix`` and a number, e.g. ``P07``) in an order
  shuffled by ``publication.case_key`` (HMAC-SHA256 of the original id), and every dyad excerpt
  a neutral id (``P07-E3``: its place among all of the dyad's excerpts). Both are computed over
  the whole study, so withholding a case or an excerpt renumbers nothing;
- drops the dyads' clinician, interview order and transcript reference, so no page, matrix, URL
  or download can group them by clinician;
- masks case-study ids written in text (in any letter case): in a dyad, its own id becomes its
  neutral id, another dyad's ``[another patient]``, its clinician's ``[the clinician]`` and
  another clinician's ``[another clinician]``; elsewhere a dyad id becomes ``[a patient]``.

What the tool cannot rewrite, it checks (:func:`linkages`): a term (a pseudonym, a bracketed
descriptor, a capitalised name) that ties a dyad to its clinician's case study, groups several
dyads of one clinician, or names a patient on the study's own pages. And :func:`gate_identifiers`
gives the leak gate every original dyad id, so a forgotten path that still shows one fails the
build instead of publishing it.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from pydantic import BaseModel

from build_site.deidentify import scrub
from build_site.errors import Problem, StudyError
from build_site.study import Clinician, Dyad, Identifier, IdentifierKind, Study

THE_CLINICIAN = "[the clinician]"
ANOTHER_CLINICIAN = "[another clinician]"
ANOTHER_PATIENT = "[another patient]"
A_PATIENT = "[a patient]"
_MASKS = {THE_CLINICIAN, ANOTHER_CLINICIAN, ANOTHER_PATIENT, A_PATIENT}
_NAME = re.compile(r"\b[A-Z][a-z]{2,}(?:['-][A-Z]?[a-z]+)*\b")


class IdMask:
    """Replaces whole-word case-study ids in text, in any letter case.

    Args:
        replacements: id -> what to show instead. Longer ids are tried first, and an id
            never matches inside a longer one (``D1`` does not match in ``D1-P2``).
    """

    def __init__(self, replacements: dict[str, str]) -> None:
        self.replacements = {k.lower(): v for k, v in replacements.items()}
        ids = sorted(self.replacements, key=lambda s: (-len(s), s))
        alternatives = "|".join(map(re.escape, ids))
        self.pattern = re.compile(
            rf"(?<![A-Za-z0-9_.-])({alternatives})(?![A-Za-z0-9_]|-[A-Za-z0-9])", re.IGNORECASE
        ) if ids else None

    def replace(self, text: str) -> str:
        """``text`` with every listed id replaced."""
        if self.pattern is None:
            return text
        return self.pattern.sub(lambda m: self.replacements[m.group(1).lower()], text)


@dataclass(frozen=True)
class Neutral:
    """Neutral ids of a study: original dyad id -> ``P07``, original excerpt id -> ``P07-E3``."""

    dyads: dict[str, str]
    excerpts: dict[str, str]


def neutral_ids(study: Study) -> Neutral:
    """The neutral ids of every dyad and dyad excerpt of ``study`` (pass the whole study,
    before selection, so the numbering does not depend on what is published).

    Raises:
        StudyError: a neutral id collides with an existing case-study or excerpt id (exit 2).
    """
    pub = study.meta.publication
    key = pub.case_key.encode("utf-8")
    ordered = sorted(study.dyads,
                     key=lambda d: hmac.new(key, d.id.encode("utf-8"), hashlib.sha256).digest())
    width = max(2, len(str(len(ordered))))
    dyads = {d.id: f"{pub.case_prefix}{n:0{width}d}" for n, d in enumerate(ordered, 1)}
    excerpts = {e.id: f"{dyads[d.id]}-E{n}" for d in study.dyads
                for n, e in enumerate(d.excerpts, 1)}
    taken = {c.id.lower() for c in _cases(study)} | {
        e.id.lower() for case in _cases(study) for e in case.excerpts}
    clash = sorted(i for i in [*dyads.values(), *excerpts.values()] if i.lower() in taken)
    if clash:
        raise StudyError([Problem(
            "study.yml", 0, f"neutral case id '{clash[0]}' is already an id in the study",
            "set publication.case_prefix to letters that no clinician, dyad or excerpt id "
            "starts with")])
    return Neutral(dyads, excerpts)


def unlink(study: Study, neutral: Neutral) -> Study:
    """A copy of ``study`` (selected for the public) in which no dyad can be tied to its
    clinician: neutral dyad and excerpt ids, no clinician, order or transcript on the dyads,
    ids in text masked, and ``clinician_links`` False.

    Args:
        study: the public selection, already de-identified.
        neutral: :func:`neutral_ids` of the whole study.
    """
    clinician_ids = {c.id for c in study.clinicians} | {d.clinician for d in study.dyads}
    elsewhere = IdMask(dict.fromkeys(neutral.dyads, A_PATIENT))
    dyads = sorted((_unlink_dyad(d, neutral, clinician_ids) for d in study.dyads),
                   key=lambda d: d.id)
    clinicians = [scrub(c, elsewhere) for c in study.clinicians]
    return study.model_copy(update={
        "meta": scrub(study.meta, elsewhere), "clinicians": clinicians, "dyads": dyads,
        "clinician_links": False,
    })


def _unlink_dyad(dyad: Dyad, neutral: Neutral, clinician_ids: set[str]) -> Dyad:
    own = neutral.dyads[dyad.id]
    mask = IdMask({
        **dict.fromkeys(neutral.dyads, ANOTHER_PATIENT), dyad.id: own,
        **dict.fromkeys(clinician_ids, ANOTHER_CLINICIAN), dyad.clinician: THE_CLINICIAN,
    })
    excerpts = [e.model_copy(update={"id": neutral.excerpts[e.id]}) for e in dyad.excerpts]
    masked: Dyad = scrub(dyad.model_copy(update={"excerpts": excerpts}), mask)
    interview = masked.interview.model_copy(update={"order": None})
    return masked.model_copy(update={"id": own, "clinician": "", "transcript": None,
                                     "interview": interview})


def gate_identifiers(study: Study, neutral: Neutral) -> list[Identifier]:
    """Leak-gate entries for an unlinked build: every original dyad id, in any letter case,
    and every dyad excerpt id that contains a clinician's id (``D1-P2-E1`` already contains
    its dyad's id; a bare ``E1`` ties nothing to anyone and would match the neutral ids)."""
    entries = [Identifier(text=d.id, replacement=neutral.dyads[d.id], kind=IdentifierKind.other)
               for d in study.dyads]
    clinicians = IdMask(dict.fromkeys({c.id for c in study.clinicians}, ""))
    entries += [Identifier(text=e.id, replacement=neutral.excerpts[e.id],
                           kind=IdentifierKind.other)
                for d in study.dyads for e in d.excerpts
                if clinicians.pattern is not None and clinicians.pattern.search(e.id)
                and d.id.lower() not in e.id.lower()]
    return entries


# -- linkage -------------------------------------------------------------------------------


def linkages(study: Study, pages: dict[str, str] | None = None) -> list[Problem]:
    """What would tie dyads to clinicians on a site that hides the tie.

    Terms are the identifier list's replacements (pseudonyms and bracketed descriptors) and
    capitalised names that are not English words or the study's vocabulary. A term is reported
    when it (1) appears in a clinician's case study and in one of that clinician's dyads, and no
    other clinician's case study uses it (a patient's pseudonym: always); (2) appears in two or
    more dyads, all of one clinician (bracketed descriptors only when they stand for a place or
    an institution); or (3) is a patient's pseudonym written on the study's own pages
    (``study.yml`` text, hand-written pages). Terms listed under ``linkage_ok`` in
    ``private/reviewed.yml`` are not reported.

    Args:
        study: the public selection, de-identified and still linked (``keep_links``).
        pages: hand-written pages (path -> de-identified text).

    Returns:
        The problems, each at the file and line where the term is written; none when the study
        does not hide clinicians or shows fewer than two.
    """
    if not study.meta.publication.hide_clinician or len(study.clinicians) < 2:
        return []
    terms = _Terms(study)
    by_clinician = {c.id: terms.of(c) for c in study.clinicians}
    by_dyad = {d.id: terms.of(d) for d in study.dyads}
    clinicians_using: dict[str, set[str]] = defaultdict(set)
    for cid, found in by_clinician.items():
        for term in found:
            clinicians_using[term].add(cid)
    problems = []
    for dyad in study.dyads:
        shared = sorted(t for t in by_dyad[dyad.id] & by_clinician.get(dyad.clinician, set())
                        if terms.pseudonym(t) or clinicians_using[t] == {dyad.clinician})
        if shared:
            clinician = next(c for c in study.clinicians if c.id == dyad.clinician)
            problems.append(Problem(
                _file(clinician), _line(clinician, shared[0]),
                f"{terms.describe(shared)} in this clinician case study and in "
                f"{_file(dyad)} would tie that dyad to clinician {clinician.id} on a site "
                "that hides clinicians",
                "write a neutral descriptor in one of the two, or list the term under "
                "linkage_ok in private/reviewed.yml if it ties nothing to anyone"))
    problems += _groupings(study, terms, by_dyad)
    problems += _named_on_study_pages(study, terms, by_dyad, pages or {})
    return problems


class _Terms:
    """The terms of a study that can tie cases together, and how to find them in text."""

    def __init__(self, study: Study) -> None:
        from build_site.deidentify.detectors import is_english

        self.is_english = is_english
        ids = {case.id.lower() for case in _cases(study)}
        self.listed: dict[str, list[Identifier]] = defaultdict(list)
        for ident in study.identifiers:
            if ident.replacement.lower() not in ids and ident.replacement not in _MASKS:
                self.listed[ident.replacement].append(ident)
        self.ok = set(study.reviewed.linkage_ok)
        vocabulary = [c.label for c in study.codebook.codes] + [
            e for comp in study.model.components for e in _labels(comp)]
        self.vocabulary = {w.lower() for text in vocabulary for w in re.findall(r"\w+", text)}
        alternatives = "|".join(map(re.escape, sorted(self.listed, key=lambda s: -len(s))))
        self.pattern = re.compile(rf"(?<!\w)({alternatives})(?!\w)") if self.listed else None

    def find(self, text: str) -> set[str]:
        """The terms in one text."""
        found = set(self.pattern.findall(text)) if self.pattern else set()
        found |= {n for n in _NAME.findall(text) if n not in self.listed
                  and n.lower() not in self.vocabulary and not self.is_english(n.lower())}
        return found - self.ok

    def of(self, case: Clinician | Dyad) -> set[str]:
        """The terms in everything a case study shows."""
        return {t for text in _texts(case) for t in self.find(text)}

    def pseudonym(self, term: str) -> bool:
        """A person's replacement that is not a bracketed descriptor."""
        return not term.startswith("[") and any(
            i.kind is IdentifierKind.person for i in self.listed.get(term, []))

    def groups(self, term: str) -> bool:
        """Whether a term shared by dyads says they share a clinician: names do, and
        descriptors of places and institutions (``[small town]``); ``[her husband]`` not."""
        if not term.startswith("["):
            return True
        kinds = {i.kind for i in self.listed.get(term, [])}
        return bool(kinds & {IdentifierKind.place, IdentifierKind.institution})

    def describe(self, shown: list[str]) -> str:
        """``'Ruth' (listed as 'Tammy Brekke'), 'Elmquist'`` for the terminal (never the site)."""
        parts = []
        for term in shown:
            listed = self.listed.get(term)
            parts.append(f"'{term}'" + (f" (listed as '{listed[0].text}')" if listed else ""))
        return ("terms " if len(parts) > 1 else "term ") + ", ".join(parts)


def _groupings(study: Study, terms: _Terms, by_dyad: dict[str, set[str]]) -> list[Problem]:
    dyads_using: dict[str, list[Dyad]] = defaultdict(list)
    for dyad in study.dyads:
        for term in by_dyad[dyad.id]:
            dyads_using[term].append(dyad)
    problems = []
    for term, dyads in sorted(dyads_using.items()):
        if len(dyads) > 1 and len({d.clinician for d in dyads}) == 1 and terms.groups(term):
            problems.append(Problem(
                _file(dyads[0]), _line(dyads[0], term),
                f"{terms.describe([term])} appears in "
                f"{', '.join(_file(d) for d in dyads)}, all dyads of clinician "
                f"{dyads[0].clinician}: on a site that hides clinicians it shows that these "
                "patients share one",
                "write a neutral descriptor in all but one of them, or list the term under "
                "linkage_ok in private/reviewed.yml if it ties nothing to anyone"))
    return problems


def _named_on_study_pages(study: Study, terms: _Terms, by_dyad: dict[str, set[str]],
                          pages: dict[str, str]) -> list[Problem]:
    patients = {t for found in by_dyad.values() for t in found if terms.pseudonym(t)}
    places = {"study.yml": " ".join(_strings(study.meta)), **pages}
    problems = []
    for file, text in places.items():
        named = sorted(patients & terms.find(text))
        if named:
            problems.append(Problem(
                file, 0, f"{terms.describe(named)}, a patient with a dyad page, is named here: "
                "on a site that hides clinicians, what this page says about them can tie "
                "them to a clinician",
                "refer to patients by neutral descriptors on the study's own pages"))
    return problems


def _labels(node: BaseModel) -> Iterator[str]:
    yield str(getattr(node, "label", ""))
    for child in getattr(node, "elements", []):
        yield from _labels(child)


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            if name != "sign_off":
                yield from _strings(getattr(value, name))
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _cases(study: Study) -> list[Clinician | Dyad]:
    return [*study.clinicians, *study.dyads]


def _texts(case: Clinician | Dyad) -> Iterable[str]:
    yield case.narrative
    yield from (e.text for e in case.excerpts)
    if isinstance(case, Dyad):
        yield from case.summaries.values()
        yield from (str(v) for v in case.demographics.values())


def _file(case: Clinician | Dyad) -> str:
    return case.source.file if case.source else case.id


def _line(case: Clinician | Dyad, term: str) -> int:
    source = case.source
    if source is None:
        return 0
    position = case.narrative.find(term)
    if position >= 0 and source.body_line:
        return source.body_line + case.narrative[:position].count("\n")
    excerpt = next((e for e in case.excerpts if term in e.text), None)
    if excerpt is not None and excerpt.source is not None:
        return excerpt.source.line
    return source.line
