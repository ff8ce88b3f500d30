"""The model's structure and the evidence behind every component, element and relation;
demographics tables with small-cell suppression (ages over 89 as one band, after HIPAA Safe
Harbor)."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from build_site.analyse.categories import merge_case_variants, normalise_category
from build_site.analyse.suppress import HIDDEN, protect
from build_site.study import (
    KIND_TITLES,
    Clinician,
    Component,
    Dyad,
    Element,
    Excerpt,
    Kind,
    KindRef,
    Relation,
    Study,
    walk_elements,
)

if TYPE_CHECKING:
    from build_site.analyse.matrices import MetaMatrix
    from build_site.analyse.saturation import SaturationSeries


@dataclass(frozen=True)
class Quote:
    """An excerpt with the case it belongs to: ``dyad`` is None for a clinician-file excerpt."""

    excerpt: Excerpt
    clinician: str
    dyad: str | None


@dataclass
class Node:
    """A component or element in the model tree."""

    id: str
    label: str
    definition: str
    kind: Kind
    parent: str | None
    children: list[str] = field(default_factory=list)

    @property
    def is_component(self) -> bool:
        """True for a top-level component, False for an element."""
        return self.parent is None


@dataclass
class Evidence:
    """The excerpts behind one component, element or relation."""

    supporting: list[Quote] = field(default_factory=list)
    disconfirming: list[Quote] = field(default_factory=list)
    contrastive: list[Quote] = field(default_factory=list)

    def all(self) -> list[Quote]:
        """Every quote, supporting first."""
        return [*self.supporting, *self.disconfirming, *self.contrastive]

    def dyads(self) -> set[str]:
        """Ids of the dyads with supporting or disconfirming evidence (not contrastive)."""
        return {q.dyad for q in [*self.supporting, *self.disconfirming] if q.dyad}

    def clinicians(self) -> set[str]:
        """Ids of the clinicians whose cases hold supporting or disconfirming evidence."""
        return {q.clinician for q in [*self.supporting, *self.disconfirming]}


@dataclass
class Table:
    """A demographics table: one row per (field, value) with a count, already suppressed."""

    title: str
    n: int
    rows: list[tuple[str, str, str]]


@dataclass
class Analysis:
    """Everything the render stage needs beyond the study itself."""

    nodes: dict[str, Node]
    relations: dict[str, Relation]
    code_targets: dict[str, tuple[str, ...]]
    evidence: dict[str, Evidence]
    dyad_evidenced: dict[str, set[str]]
    clinician_evidenced: dict[str, set[str]]
    dyads_by_clinician: dict[str, list[Dyad]]
    patient_table: Table
    clinician_table: Table
    counts: bool = False
    matrix: MetaMatrix | None = None
    saturation: SaturationSeries | None = None
    extras: dict[str, Any] = field(default_factory=dict)
    kind_titles: dict[Kind, str] = field(default_factory=lambda: dict(KIND_TITLES))


def model_nodes(study: Study) -> dict[str, Node]:
    """Every component and element by id, in model order, with parent and children links."""
    nodes: dict[str, Node] = {}

    def add(item: Component | Element, kind: Kind, parent: str | None) -> None:
        nodes[item.id] = Node(item.id, item.label, item.definition, kind, parent)
        if parent:
            nodes[parent].children.append(item.id)
        for child in item.elements:
            add(child, kind, item.id)

    for comp in study.model.components:
        add(comp, comp.kind, None)
    return nodes


def ancestors(nodes: dict[str, Node], node_id: str) -> list[str]:
    """``node_id`` followed by its parent, grandparent, ... up to the component."""
    chain = []
    current: str | None = node_id
    while current is not None:
        chain.append(current)
        current = nodes[current].parent
    return chain


def relation_end_ids(nodes: dict[str, Node], end: str | KindRef) -> list[str]:
    """The top-level component ids a relation end stands for."""
    if isinstance(end, KindRef):
        return [n.id for n in nodes.values() if n.is_component and n.kind is end.kind]
    return [end]


def _quotes(study: Study) -> list[Quote]:
    quotes = [Quote(e, c.id, None) for c in study.clinicians for e in c.excerpts]
    quotes += [Quote(e, d.clinician, d.id) for d in study.dyads for e in d.excerpts]
    return quotes


def _evidence(study: Study, code_targets: dict[str, tuple[str, ...]]) -> dict[str, Evidence]:
    evidence: dict[str, Evidence] = defaultdict(Evidence)
    for quote in _quotes(study):
        targets = {t for c in quote.excerpt.codes for t in code_targets.get(c, ())}
        for target in sorted(targets):
            bucket = evidence[target]
            if quote.excerpt.contrast:
                bucket.contrastive.append(quote)
            elif quote.excerpt.disconfirming:
                bucket.disconfirming.append(quote)
            else:
                bucket.supporting.append(quote)
    return dict(evidence)


def _evidenced_by_case(
    study: Study, nodes: dict[str, Node], code_targets: dict[str, tuple[str, ...]]
) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Components and relations with supporting evidence per dyad and per clinician: a
    clinician's dyads, or, when the study hides clinicians, the clinician's own interview."""

    def evidenced(excerpts: list[Excerpt]) -> set[str]:
        ids: set[str] = set()
        for excerpt in excerpts:
            if excerpt.contrast or excerpt.disconfirming:
                continue
            for code in excerpt.codes:
                for target in code_targets.get(code, ()):
                    if target in nodes:
                        ids.update(ancestors(nodes, target))
                    else:
                        ids.add(target)
        return ids

    per_dyad = {dyad.id: evidenced(dyad.excerpts) for dyad in study.dyads}
    if not study.clinician_links:
        return per_dyad, {c.id: evidenced(c.excerpts) for c in study.clinicians}
    per_clinician: dict[str, set[str]] = {c.id: set() for c in study.clinicians}
    for dyad in study.dyads:
        per_clinician.setdefault(dyad.clinician, set()).update(per_dyad[dyad.id])
    return per_dyad, per_clinician


def age_band(age: int, width: int) -> str:
    """The band an age falls in, e.g. ``40-49``; 90 and over is "90 or older" (HIPAA Safe
    Harbor treats ages over 89 as identifiers), and a band that would reach 90 becomes open
    ("80 or older" with bands of 20)."""
    low = min((age // width) * width, (90 // width) * width)
    if low >= 90:
        return "90 or older"
    if low + width - 1 >= 90:
        return f"{low} or older"  # a band reaching 90 absorbs the ages above it
    return f"{low}-{low + width - 1}"


def shown_value(key: str, value: object, width: int) -> list[str]:
    """How a demographic value is shown: ages banded, numbers banded by 5 for other fields,
    lists split into items, everything else as text."""
    if isinstance(value, bool):
        return ["yes" if value else "no"]
    if isinstance(value, float) and not math.isfinite(value):
        return [str(value)]
    if isinstance(value, (int, float)):
        if key == "age":
            return [age_band(int(value), width)]
        low = int(value) // 5 * 5
        return [f"{low}-{low + 4}"]
    if isinstance(value, list):
        return [item for v in value for item in shown_value(key, v, width)]
    return [] if value is None else [normalise_category(str(value))]


def suppressed(count: int, minimum: int) -> str:
    """A count as shown in a public table: below ``minimum`` (and above 0) it is ``<minimum``."""
    return f"<{minimum}" if 0 < count < minimum else str(count)


def _sort_key(value: str) -> tuple[int, str]:
    digits = value.split("-")[0].split(" ")[0]
    return (int(digits), value) if digits.isascii() and digits.isdigit() else (10**6, value)


def demographics_table(
    title: str, cases: list[Dyad] | list[Clinician], width: int, minimum: int,
    fields: list[str] | None = None,
) -> Table:
    """Count every demographic field's shown values across ``cases`` (a multi-valued field
    counts each item), suppressing small cells and the cells that would give them away
    (:func:`build_site.analyse.suppress.protect`). ``fields``: only these fields (those the
    case pages show), or every field when None."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for case in cases:
        for key, value in case.demographics.items():
            if fields is not None and key not in fields:
                continue
            # one count per case for each value, whatever its letter case
            for shown in {v.casefold(): v for v in shown_value(key, value, width)}.values():
                counts[key][shown] += 1
    rows = []
    for key in sorted(counts):
        counts[key] = merge_case_variants(counts[key])
        cells = protect(counts[key], minimum)
        label = key.replace("_", " ").capitalize()
        if set(cells.values()) == {HIDDEN}:  # the values alone would single people out
            rows.append((label, f"not broken down (a group is smaller than {minimum})", HIDDEN))
            continue
        for value in sorted(counts[key], key=_sort_key):
            rows.append((label, value, cells[value]))
    return Table(title, len(cases), rows)


def core_analysis(study: Study) -> Analysis:
    """The model structure, evidence and demographics of ``study``."""
    nodes = model_nodes(study)
    code_targets = {c.id: c.targets for c in study.codebook.codes}
    per_dyad, per_clinician = _evidenced_by_case(study, nodes, code_targets)
    by_clinician: dict[str, list[Dyad]] = {c.id: [] for c in study.clinicians}
    for dyad in study.dyads:
        by_clinician.setdefault(dyad.clinician, []).append(dyad)
    pub = study.meta.publication
    labels = study.meta.labels
    return Analysis(
        nodes=nodes,
        relations={r.id: r for r in study.model.relations},
        code_targets=code_targets,
        evidence=_evidence(study, code_targets),
        dyad_evidenced=per_dyad,
        clinician_evidenced=per_clinician,
        dyads_by_clinician=by_clinician,
        patient_table=demographics_table(labels.patients, study.dyads, pub.age_band_width,
                                         pub.min_cell_size, pub.dyad_demographics),
        clinician_table=demographics_table(labels.clinicians, study.clinicians,
                                           pub.age_band_width, pub.min_cell_size),
        kind_titles={kind: labels.kinds.of(kind) for kind in Kind},
    )


def evidence_dyads_with_elements(analysis: Analysis, node_id: str) -> set[str]:
    """Dyads whose evidence supports ``node_id`` directly or through any of its elements."""
    dyads: set[str] = set()
    stack = [node_id]
    while stack:
        current = stack.pop()
        ev = analysis.evidence.get(current)
        if ev:
            dyads |= {q.dyad for q in ev.supporting if q.dyad}
        stack.extend(analysis.nodes[current].children if current in analysis.nodes else [])
    return dyads


def descendants(analysis: Analysis, node_id: str) -> list[str]:
    """Every element below ``node_id``, depth-first in model order."""
    out: list[str] = []
    for child in analysis.nodes[node_id].children if node_id in analysis.nodes else []:
        out.append(child)
        out.extend(descendants(analysis, child))
    return out


def evidence_with_elements(analysis: Analysis, node_id: str) -> Evidence:
    """The evidence for ``node_id`` and all its elements, each excerpt once."""
    merged = Evidence()
    seen: set[tuple[str, str]] = set()
    for target in [node_id, *descendants(analysis, node_id)]:
        evidence = analysis.evidence.get(target)
        if evidence is None:
            continue
        for name in ("supporting", "disconfirming", "contrastive"):
            for quote in getattr(evidence, name):
                key = (name, quote.excerpt.id)
                if key not in seen:
                    seen.add(key)
                    getattr(merged, name).append(quote)
    return merged


__all__ = ["walk_elements"]
