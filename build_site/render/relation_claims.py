"""What the relations page shows of each relation's claim (issue 19): its status, conditions,
declared basis, the team's illustrative and negative cases linked to the dyad or clinician
pages they rest on, the model version where it entered or changed, and the memo.

Cases and excerpts that the shown study does not hold (withheld from a public build) are
left out, so a link never points at a page or an excerpt that is not there.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from build_site.analyse import Analysis, relation_end_ids
from build_site.naturalorder import natural_key
from build_site.relation_claims import rests_on_clinicians, status
from build_site.study import Basis, Consequence, KindRef, Relation, RelationCase, Study

# Above the review build's reading lists (issue 19 item 2), word for word.
READING_NOTE = ("Coding was selective; a missing code does not mean the phenomenon was absent. "
                "These lists are for reading, not counting.")

BASIS_TEXT = {
    Basis.PARTICIPANTS_WORDS: "in participants' own words",
    Basis.WITHIN_CASE_SEQUENCE: "seen as a sequence within cases",
    Basis.CROSS_CASE_COMPARISON: "inferred from cross-case comparison",
    Basis.MEMBER_CHECKING: "raised in member checking",
    Basis.PRIOR_LITERATURE: "carried from prior literature",
}
CONSEQUENCE_TEXT = {
    Consequence.BOUNDARY_CONDITION: "a boundary condition added",
    Consequence.MODEL_REVISED: "the model revised",
    Consequence.UNEXPLAINED: "left unexplained",
}


@dataclass(frozen=True)
class CaseLink:
    """A chosen case as a page shows it: its id and page, the account, its excerpts (id and
    page) and, for a negative case, what it did to the model."""

    id: str
    kind: str
    path: str
    account: str
    excerpts: list[tuple[str, str]] = field(default_factory=list)
    consequence: str = ""


@dataclass(frozen=True)
class ClaimView:
    """A relation's claim as the relations page shows it."""

    status: str
    holds_when: str
    not_when: str
    basis: list[str]
    illustrative: list[CaseLink]
    negative: list[CaseLink]
    since: str
    memo: str
    reading: ReadingList | None = None
    members: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class ReadingList:
    """Review build only: cases to read for a relation, to help the team choose illustrative
    and negative cases; ``kind`` is "clinician" or "dyad". Never counted on a page."""

    kind: str
    both_ends: list[str]
    one_end: list[str]


def reading_list(rel: Relation, analysis: Analysis) -> ReadingList:
    """The cases (clinicians for a competency-to-process relation, else dyads) in which both
    ends of ``rel`` are coded with supporting evidence, and those in which one end is."""
    kind_of = {n.id: n.kind for n in analysis.nodes.values() if n.is_component}
    clinicians = rests_on_clinicians(rel, kind_of)
    coded = analysis.clinician_evidenced if clinicians else analysis.dyad_evidenced
    ends = [set(relation_end_ids(analysis.nodes, e)) for e in (rel.from_, rel.to)]
    both, one = [], []
    for case_id in sorted(coded, key=natural_key):
        hits = sum(1 for end in ends if end & coded[case_id])
        if hits == 2:
            both.append(case_id)
        elif hits == 1:
            one.append(case_id)
    return ReadingList("clinician" if clinicians else "dyad", both, one)


def claim_view(rel: Relation, study: Study, linking_excerpts: int,
               reading: ReadingList | None = None) -> ClaimView:
    """The claim of ``rel`` over the shown ``study`` (public selection or review copy);
    ``linking_excerpts`` is how many shown excerpts are coded to the relation itself;
    ``reading`` the review build's reading list (None in a public build)."""
    pages = _case_pages(study)
    illustrative = [c for c in (_link(x, study, pages) for x in rel.illustrative_cases) if c]
    negative = [c for c in (_link(x, study, pages) for x in rel.negative_cases) if c]
    shown = rel.model_copy(update={
        "illustrative_cases": [x for x in rel.illustrative_cases if x.case in pages],
        "negative_cases": [x for x in rel.negative_cases if x.case in pages]})
    return ClaimView(
        status=status(shown, linking_excerpts),
        holds_when=rel.conditions.holds_when, not_when=rel.conditions.not_when,
        basis=[BASIS_TEXT[b] for b in rel.basis], illustrative=illustrative,
        negative=negative, since=rel.since, memo=rel.memo, reading=reading,
        members=member_relations(rel, study))


def member_relations(rel: Relation, study: Study) -> list[tuple[str, str]]:
    """For a relation between whole kinds, the relations between single components of those
    kinds (its member relations, which it rests on with its cross-case memo) as (id, "From
    kind To"); empty for any other relation."""
    if not (isinstance(rel.from_, KindRef) and isinstance(rel.to, KindRef)):
        return []
    comps = {c.id: c for c in study.model.components}
    return [(r.id, f"{comps[r.from_].label} {r.kind} {comps[r.to].label}")
            for r in study.model.relations
            if isinstance(r.from_, str) and isinstance(r.to, str)
            and r.from_ in comps and r.to in comps
            and comps[r.from_].kind == rel.from_.kind and comps[r.to].kind == rel.to.kind]


def _case_pages(study: Study) -> dict[str, tuple[str, str, set[str]]]:
    """Case id -> (kind, page, excerpt ids on that page)."""
    pages = {c.id: ("clinician", f"clinicians/{c.id}.md", {e.id for e in c.excerpts})
             for c in study.clinicians}
    pages.update({d.id: ("dyad", f"dyads/{d.id}.md", {e.id for e in d.excerpts})
                  for d in study.dyads})
    return pages


def _excerpt_page(excerpt_id: str, case_id: str, study: Study,
                  pages: dict[str, tuple[str, str, set[str]]]) -> str:
    """The page holding ``excerpt_id``: the case's own, or (for a clinician) a dyad's."""
    if excerpt_id in pages[case_id][2]:
        return pages[case_id][1]
    for dyad in study.dyads:
        if dyad.clinician == case_id and excerpt_id in pages[dyad.id][2]:
            return pages[dyad.id][1]
    return ""


def _link(case: RelationCase, study: Study,
          pages: dict[str, tuple[str, str, set[str]]]) -> CaseLink | None:
    if case.case not in pages:
        return None
    kind, path, _ = pages[case.case]
    found = ((e, _excerpt_page(e, case.case, study, pages)) for e in case.excerpt_ids)
    excerpts = [(e, page) for e, page in found if page]
    consequence = getattr(case, "consequence", None)
    return CaseLink(case.case, kind, path, case.account, excerpts,
                    CONSEQUENCE_TEXT[consequence] if consequence else "")
