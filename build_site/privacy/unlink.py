"""Part of the select stage: hide which clinician each dyad belongs to in a public build.

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

What the tool cannot rewrite, the linkage checker checks
(:func:`build_site.deidentify.linkage.linkages`): a term (a pseudonym, a bracketed
descriptor, a capitalised name) that ties a dyad to its clinician's case study, groups several
dyads of one clinician, or names a patient on the study's own pages. And :func:`gate_identifiers`
gives the leak gate every original dyad id, so a forgotten path that still shows one fails the
build instead of publishing it.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass

from build_site.deidentify import scrub
from build_site.deidentify.linkage import (
    A_PATIENT,
    ANOTHER_CLINICIAN,
    ANOTHER_PATIENT,
    THE_CLINICIAN,
    study_cases,
)
from build_site.errors import Problem, StudyError
from build_site.naturalorder import natural_key
from build_site.perspectives import neutral_episodes
from build_site.relation_claims import unlinked_model
from build_site.study import Dyad, Identifier, IdentifierKind, Study, StudyMeta

_NAME = re.compile(r"\b[A-Z][a-z]{2,}(?:['-][A-Z]?[a-z]+)*\b")


class IdMask:
    """Replaces whole-word case-study ids in text, in any letter case.

    Args:
        replacements: id -> what to show instead. Longer ids are tried first, and an id
            never matches inside a longer one (``D1`` does not match in ``D1-P2``).
    """

    def __init__(self, replacements: dict[str, str]) -> None:
        self.replacements = {k.lower(): v for k, v in replacements.items()}
        for key, value in list(self.replacements.items()):
            for variant in _spellings(key):
                self.replacements.setdefault(variant, value)
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


def _spellings(case_id: str) -> list[str]:
    """Other ways an id is written: ``D1-P2`` as ``D1P2``, ``D1_P2`` and ``D1 P2``."""
    return [case_id.replace("-", sep) for sep in ("", "_", " ")] if "-" in case_id else []


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
    taken = {c.id.lower() for c in study_cases(study)} | {
        e.id.lower() for case in study_cases(study) for e in case.excerpts}
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
                   key=lambda d: natural_key(d.id))
    clinicians = [scrub(c, elsewhere) for c in study.clinicians]
    # Codes in coding order would place a dyad's codes between its clinician's and the next.
    codes = sorted(study.codebook.codes, key=lambda c: (c.label.lower(), c.id))
    return study.model_copy(update={
        "meta": neutral_results(scrub(study.meta, elsewhere), neutral.excerpts),
        "clinicians": clinicians, "dyads": dyads,
        "model": unlinked_model(study.model, neutral.dyads, neutral.excerpts, elsewhere),
        "codebook": study.codebook.model_copy(update={"codes": codes}),
        "clinician_links": False,
    })


def _unlink_dyad(dyad: Dyad, neutral: Neutral, clinician_ids: set[str]) -> Dyad:
    own = neutral.dyads[dyad.id]
    mask = IdMask({
        **dict.fromkeys(neutral.dyads, ANOTHER_PATIENT), dyad.id: own,
        **dict.fromkeys(clinician_ids, ANOTHER_CLINICIAN), dyad.clinician: THE_CLINICIAN,
    })
    excerpts = [e.model_copy(update={"id": neutral.excerpts[e.id]}) for e in dyad.excerpts]
    paired = neutral_episodes(dyad.model_copy(update={"excerpts": excerpts}))
    masked: Dyad = scrub(paired, mask)
    interview = masked.interview.model_copy(update={"order": None})
    return masked.model_copy(update={"id": own, "clinician": "", "transcript": None,
                                     "interview": interview})


def gate_identifiers(study: Study, neutral: Neutral) -> list[Identifier]:
    """Leak-gate entries for an unlinked build: every original dyad id, in any letter case,
    and every dyad excerpt id that contains a clinician's id (``D1-P2-E1`` already contains
    its dyad's id; a bare ``E1`` ties nothing to anyone and would match the neutral ids)."""
    entries = [Identifier(text=d.id, replacement=neutral.dyads[d.id], kind=IdentifierKind.other,
                          variants=[v for v in _spellings(d.id) if "_" not in v])
               for d in study.dyads]
    clinicians = IdMask(dict.fromkeys({c.id for c in study.clinicians}, ""))
    entries += [Identifier(text=e.id, replacement=neutral.excerpts[e.id],
                           kind=IdentifierKind.other)
                for d in study.dyads for e in d.excerpts
                if clinicians.pattern is not None and clinicians.pattern.search(e.id)
                and d.id.lower() not in e.id.lower()]
    return entries


def neutral_results(meta: StudyMeta, excerpts: dict[str, str]) -> StudyMeta:
    """``meta`` with the exemplar excerpts of its ``results`` under their neutral ids
    (``excerpts``: original dyad excerpt id -> neutral id; a clinician's keep theirs)."""
    results = [r.model_copy(update={"excerpt_ids": [excerpts.get(e, e) for e in r.excerpt_ids]})
               for r in meta.results]
    return meta.model_copy(update={"results": results})
