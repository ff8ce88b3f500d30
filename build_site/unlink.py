"""Part of stage 4, select: hide which clinician each dyad belongs to in a public build.

In a study of named exemplars the clinicians are few and findable; a patient's words grouped
under their clinician can identify the patient to anyone who knows the practice. When
``study.yml`` sets ``publication.hide_clinician``, the public build therefore:

- gives every dyad a neutral id (``case_prefix`` and a number, e.g. ``P07``) in an order
  shuffled by ``publication.case_key`` (HMAC-SHA256 of the original id), so neither the numbers
  nor their order follow the original, clinician-based ids; the numbering is computed over every
  dyad of the study, so withholding one case does not renumber the others;
- renames the dyads' excerpts (``P07-E1`` ...) and drops the dyads' clinician, interview order
  and transcript reference, so no page, matrix, URL or download can group them by clinician;
- masks case-study ids written in text: in a dyad, another dyad's id becomes its neutral id and
  a clinician's id becomes ``[the clinician]``; elsewhere a dyad id becomes ``[a patient]``.

What the tool cannot rewrite, it checks. :func:`linkages` reports a pseudonym that appears both
in a dyad and in a clinician case study (a clinician narrative that names its patients links
them as surely as a table). :func:`gate_identifiers` gives the leak gate every original dyad
and excerpt id, so a forgotten path that still shows one fails the build instead of publishing.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable

from build_site.deidentify import scrub
from build_site.errors import Problem, StudyError
from build_site.study import Clinician, Dyad, Excerpt, Identifier, IdentifierKind, Study

THE_CLINICIAN = "[the clinician]"
A_PATIENT = "[a patient]"


class IdMask:
    """Replaces whole-word case-study ids in text (case-sensitive, as ids are written).

    Args:
        replacements: id -> what to show instead. Longer ids are tried first, and an id
            never matches inside a longer one (``D1`` does not match in ``D1-P2``).
    """

    def __init__(self, replacements: dict[str, str]) -> None:
        self.replacements = replacements
        ids = sorted(replacements, key=lambda s: (-len(s), s))
        alternatives = "|".join(map(re.escape, ids))
        self.pattern = re.compile(
            rf"(?<![A-Za-z0-9_.-])({alternatives})(?![A-Za-z0-9_]|-[A-Za-z0-9])"
        ) if ids else None

    def replace(self, text: str) -> str:
        """``text`` with every listed id replaced."""
        if self.pattern is None:
            return text
        return self.pattern.sub(lambda m: self.replacements[m.group(1)], text)


def neutral_ids(study: Study) -> dict[str, str]:
    """Original dyad id -> neutral id for every dyad of ``study`` (pass the whole study, before
    selection, so the numbering does not depend on what is published).

    Raises:
        StudyError: a neutral id collides with an existing case-study or excerpt id (exit 2).
    """
    pub = study.meta.publication
    key = pub.case_key.encode("utf-8")
    ordered = sorted(study.dyads,
                     key=lambda d: hmac.new(key, d.id.encode("utf-8"), hashlib.sha256).digest())
    width = max(2, len(str(len(ordered))))
    mapping = {d.id: f"{pub.case_prefix}{n:0{width}d}" for n, d in enumerate(ordered, 1)}
    taken = {c.id for c in study.clinicians} | set(mapping) | {
        e.id for case in _cases(study) for e in case.excerpts}
    clash = sorted(set(mapping.values()) & taken)
    if clash:
        raise StudyError([Problem(
            "study.yml", 0, f"neutral case id '{clash[0]}' is already an id in the study",
            "set publication.case_prefix to letters that no clinician, dyad or excerpt id "
            "starts with")])
    return mapping


def unlink(study: Study, mapping: dict[str, str]) -> Study:
    """A copy of ``study`` (selected for the public) in which no dyad can be tied to its
    clinician: neutral dyad and excerpt ids, no clinician, order or transcript on the dyads,
    ids in text masked, and ``clinician_links`` False.

    Args:
        study: the public selection, already de-identified.
        mapping: :func:`neutral_ids` of the whole study.
    """
    clinician_ids = {c.id for c in study.clinicians} | {d.clinician for d in study.dyads}
    in_dyads = IdMask({**mapping, **dict.fromkeys(clinician_ids, THE_CLINICIAN)})
    elsewhere = IdMask(dict.fromkeys(mapping, A_PATIENT))
    dyads = sorted((_unlink_dyad(d, mapping[d.id], in_dyads) for d in study.dyads),
                   key=lambda d: d.id)
    clinicians = [scrub(c, elsewhere) for c in study.clinicians]
    return study.model_copy(update={
        "meta": scrub(study.meta, elsewhere), "clinicians": clinicians, "dyads": dyads,
        "clinician_links": False,
    })


def _unlink_dyad(dyad: Dyad, neutral: str, mask: IdMask) -> Dyad:
    excerpts = [
        e.model_copy(update={"id": f"{neutral}-E{n}"}) for n, e in enumerate(dyad.excerpts, 1)
    ]
    masked: Dyad = scrub(dyad.model_copy(update={"excerpts": excerpts}), mask)
    interview = masked.interview.model_copy(update={"order": None})
    return masked.model_copy(update={"id": neutral, "clinician": "", "transcript": None,
                                     "interview": interview})


def gate_identifiers(study: Study, mapping: dict[str, str]) -> list[Identifier]:
    """Leak-gate entries for an unlinked build: every original dyad id and dyad excerpt id,
    matched as written (case-sensitive, whole word)."""
    entries = [Identifier(text=d.id, replacement=mapping[d.id], kind=IdentifierKind.other,
                          case_sensitive=True) for d in study.dyads]
    entries += [Identifier(text=e.id, replacement=f"{mapping[d.id]}-E{n}",
                           kind=IdentifierKind.other, case_sensitive=True)
                for d in study.dyads for n, e in enumerate(d.excerpts, 1)]
    return entries


def linkages(study: Study) -> list[Problem]:
    """Pseudonyms that tie an unlinked dyad to a clinician: a person's replacement (not a
    bracketed descriptor) written both in a dyad and in a clinician case study.

    Args:
        study: the unlinked public selection (``clinician_links`` False); any other study
            gives no problem.

    Returns:
        One problem per clinician case study and dyad that share pseudonyms, at the clinician
        file's line where the first one is written.
    """
    if study.clinician_links:
        return []
    names = sorted({i.replacement for i in study.identifiers
                    if i.kind is IdentifierKind.person and not i.replacement.startswith("[")
                    and i.replacement not in _ids(study)})
    if not names:
        return []
    pattern = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, names)) + r")(?!\w)")
    problems = []
    for clinician in study.clinicians:
        mine = _found(pattern, _texts(clinician))
        for dyad in study.dyads:
            shared = sorted(mine & _found(pattern, _texts(dyad)))
            if shared:
                problems.append(Problem(
                    _file(clinician), _line(clinician, shared[0]),
                    f"with hide_clinician on, pseudonym{'s' if len(shared) > 1 else ''} "
                    f"{', '.join(repr(s) for s in shared)} in this clinician case study also "
                    f"appear{'' if len(shared) > 1 else 's'} in {_file(dyad)}, which ties that "
                    f"patient to clinician {clinician.id} on the public site",
                    "refer to the patient by a descriptor such as [a patient] in the clinician's "
                    "case study (or change the dyad), or set publication.hide_clinician: false"))
    return problems


def _cases(study: Study) -> list[Clinician | Dyad]:
    return [*study.clinicians, *study.dyads]


def _ids(study: Study) -> set[str]:
    return {case.id for case in _cases(study)}


def _texts(case: Clinician | Dyad) -> list[str]:
    texts = [case.narrative, *(e.text for e in case.excerpts)]
    if isinstance(case, Dyad):
        texts += list(case.summaries.values())
    return texts


def _found(pattern: re.Pattern[str], texts: Iterable[str]) -> set[str]:
    return {m.group(1) for text in texts for m in pattern.finditer(text)}


def _file(case: Clinician | Dyad) -> str:
    return case.source.file if case.source else case.id


def _line(case: Clinician, name: str) -> int:
    source = case.source
    if source is None:
        return 0
    position = case.narrative.find(name)
    if position >= 0 and source.body_line:
        return source.body_line + case.narrative[:position].count("\n")
    excerpt: Excerpt | None = next((e for e in case.excerpts if name in e.text), None)
    if excerpt is not None and excerpt.source is not None:
        return excerpt.source.line
    return source.line
