"""Relations as grounded-theory claims (issue 19): what each relation of the model rests on.

A relation may name its conditions, the basis the team declares, two to five illustrative
cases and any negative or deviant cases (each a dyad or clinician id with a short within-case
account and the excerpts on each side), the model version where it entered or changed, and a
memo. This module checks those references and says what a relation shows: a relation with no
case and no linking excerpt is *asserted; evidence not shown*, never *established*.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from build_site.deidentify import Replacer, scrub
from build_site.study import Kind, KindRef, Model, Relation, RelationCase, Study

C = TypeVar("C", bound=RelationCase)
Add = Callable[[str, tuple[Any, ...], str, str], None]

ESTABLISHED = "established"
TENTATIVE = "tentative"
ASSERTED = "asserted; evidence not shown"

MIN_ILLUSTRATIVE = 2


def status(rel: Relation, linking_excerpts: int) -> str:
    """The status a page shows for ``rel``: ``tentative`` when the team says so; otherwise
    ``established`` only when something is shown (an illustrative or negative case, or an
    excerpt coded to the relation itself), else ``asserted; evidence not shown``.

    ``linking_excerpts`` is how many excerpts on the site are coded to the relation.
    """
    if rel.tentative:
        return TENTATIVE
    if shows_evidence(rel, linking_excerpts):
        return ESTABLISHED
    return ASSERTED


def shows_evidence(rel: Relation, linking_excerpts: int) -> bool:
    """Whether ``rel`` shows anything it rests on (a chosen case or a linking excerpt)."""
    return bool(rel.illustrative_cases or rel.negative_cases or linking_excerpts)


def rests_on_clinicians(rel: Relation, kind_of: dict[str, Kind]) -> bool:
    """Whether ``rel`` joins competencies to processes: such a relation rests on clinicians
    (a competency belongs to the clinician, seen across all their patients), not on dyads.
    ``kind_of`` maps top-level component ids to their kind."""
    def end_kind(end: str | KindRef) -> Kind | None:
        return end.kind if isinstance(end, KindRef) else kind_of.get(end)

    return end_kind(rel.from_) == Kind.competency and end_kind(rel.to) == Kind.process


def uncited_established(study: Study) -> list[str]:
    """Ids of relations the team does not call tentative that cite no case (``check`` warns:
    an established claim should show the cases it rests on; an excerpt is not a case)."""
    return [r.id for r in study.model.relations
            if not r.tentative and not (r.illustrative_cases or r.negative_cases)]


def uncited_warnings(study: Study, study_dir: Path | None = None) -> list[str]:
    """``check``'s warning for each relation of :func:`uncited_established`, at the line of
    its ``id`` in ``study_dir/model.yml`` (the file alone when there is no folder or the line
    is not found)."""
    try:
        lines = (study_dir / "model.yml").read_text(encoding="utf-8-sig").splitlines() \
            if study_dir else []
    except (OSError, UnicodeDecodeError):
        lines = []
    return [f"{_where(i, lines)}: relation '{i}' is not marked tentative but cites no case: "
            "name two to five illustrative_cases (dyads, or clinicians for competencies) or "
            "mark it tentative; with no case and no excerpt coded to it, the site shows it as "
            "'asserted; evidence not shown'"
            for i in uncited_established(study)]


def _where(relation_id: str, lines: list[str]) -> str:
    """``model.yml:LINE`` of the relation's ``id:`` line after ``relations:``, else
    ``model.yml``."""
    after = next((n for n, line in enumerate(lines) if line.startswith("relations:")), None)
    if after is None:
        return "model.yml"
    pattern = re.compile(rf"^\s*(?:-\s+)?id:\s*['\"]?{re.escape(relation_id)}['\"]?\s*(?:#.*)?$")
    found = next((n for n, line in enumerate(lines[after:], after + 1)
                  if pattern.match(line)), 0)
    return f"model.yml:{found}" if found else "model.yml"


def relation_problems(study: Study, add: Add) -> None:
    """Check every relation's claim fields; ``add(file, path, message, hint)`` once per problem.

    Rules: every case id names a dyad or clinician of the study (a clinician for a
    competency-to-process relation); every excerpt id names an excerpt of that case (for a
    clinician, of the clinician or their dyads); illustrative cases number two to five or
    none; ``since`` names a version of the model history.
    """
    kind_of = {c.id: c.kind for c in study.model.components}
    versions = {v.entry.version for v in study.history}
    if study.model.version:
        versions.add(study.model.version)
    for i, rel in enumerate(study.model.relations):
        at = ("relations", i)
        if len(rel.illustrative_cases) == 1:
            add("model.yml", (*at, "illustrative_cases"),
                f"relation '{rel.id}': one illustrative case",
                "choose two to five cases that show the relation, or none")
        if rel.since and rel.since not in versions:
            add("model.yml", (*at, "since"),
                f"relation '{rel.id}': unknown model version '{rel.since}'",
                "name a version listed in model-history/history.yml: "
                + ", ".join(sorted(versions)) if versions else
                "the study records no model version: add model-history/history.yml")
        clinicians_only = rests_on_clinicians(rel, kind_of)
        for field in ("illustrative_cases", "negative_cases"):
            for j, case in enumerate(getattr(rel, field)):
                _case_problems(study, rel.id, case, clinicians_only, (*at, field, j), add)


def _case_excerpts(study: Study) -> dict[str, set[str]]:
    """Excerpt ids by case id; a clinician's set holds their own and their dyads' excerpts."""
    found: dict[str, set[str]] = {c.id: {e.id for e in c.excerpts} for c in study.clinicians}
    for dyad in study.dyads:
        own = {e.id for e in dyad.excerpts}
        found[dyad.id] = own
        found.setdefault(dyad.clinician, set()).update(own)
    return found


def _case_problems(study: Study, rel_id: str, case: RelationCase, clinicians_only: bool,
                   at: tuple[Any, ...], add: Add) -> None:
    clinicians = {c.id for c in study.clinicians}
    excerpts = _case_excerpts(study)
    if case.case not in excerpts:
        add("model.yml", (*at, "case"), f"relation '{rel_id}': unknown case '{case.case}'",
            "name a dyad (dyads/ID.md) or clinician (clinicians/ID.md) id")
        return
    if clinicians_only and case.case not in clinicians:
        add("model.yml", (*at, "case"),
            f"relation '{rel_id}' joins competencies to processes; '{case.case}' is not a "
            "clinician", "a competency is the clinician's: name the clinician's case study")
    for k, excerpt_id in enumerate(case.excerpt_ids):
        if excerpt_id not in excerpts[case.case]:
            add("model.yml", (*at, "excerpt_ids", k),
                f"relation '{rel_id}': case '{case.case}' has no excerpt '{excerpt_id}'",
                "name an excerpt id from that case study's excerpts")


def unlinked_model(model: Model, dyads: dict[str, str], excerpts: dict[str, str],
                   mask: Replacer) -> Model:
    """``model`` for a build that hides which clinician each dyad belongs to
    (``publication.hide_clinician``): dyad cases and their excerpts under their neutral ids,
    a clinician case without its dyads' excerpts (which would tie them to it), and case ids
    in the prose masked by ``mask``.

    Args:
        model: the de-identified model.
        dyads: original dyad id -> neutral id.
        excerpts: original dyad excerpt id -> neutral id.
        mask: replaces case-study ids written in text.
    """
    def neutral(case: C) -> C:
        if case.case in dyads:
            return case.model_copy(update={
                "case": dyads[case.case],
                "excerpt_ids": [excerpts[e] for e in case.excerpt_ids if e in excerpts]})
        return case.model_copy(update={
            "excerpt_ids": [e for e in case.excerpt_ids if e not in excerpts]})

    relations = [
        r.model_copy(update={
            "illustrative_cases": [neutral(c) for c in r.illustrative_cases],
            "negative_cases": [neutral(c) for c in r.negative_cases]})
        for r in scrub(model, mask).relations]
    return model.model_copy(update={"relations": relations})
