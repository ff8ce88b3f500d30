"""The home page and the model section: the overview, a page per component and element (with
the evidence behind it), the relations and the model history.

:func:`declare` registers them on a :class:`~build_site.render.registry.SitePages`; each
page's context is computed only when the site is rendered.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from build_site.analyse import (
    Evidence,
    Node,
    Quote,
    ancestors,
    evidence_with_elements,
    relation_end_ids,
)
from build_site.naturalorder import natural_key
from build_site.render.article_text import demonstration_note
from build_site.render.context import RenderContext
from build_site.render.html import narrative_html
from build_site.render.large_pages import compact_evidence
from build_site.render.paths import HISTORY, MODEL_OVERVIEW, RELATIONS, component_path
from build_site.render.registry import SitePages
from build_site.render.relation_claims import READING_NOTE
from build_site.study import Kind

HOME = "index.md"
MODEL = "Model"


def declare(site: SitePages, ctx: RenderContext) -> None:
    """Declare the home page and the model section, in navigation order."""
    site.page(HOME, "Home", ("Home",), "home.md.j2", lambda: _home(ctx))
    site.page(MODEL_OVERVIEW, "The model", (MODEL, "Overview"), "model_index.md.j2",
              lambda: _model_index(ctx))
    declared: set[str] = set()
    for kind in Kind:
        for node in ctx.top_components(kind):
            _declare_node(site, ctx, node, (MODEL, ctx.kind_title(kind)), declared)
    for node in ctx.analysis.nodes.values():  # not reached from a component (none today)
        if node.id not in declared:
            _declare_node(site, ctx, node, None, declared)
    site.page(RELATIONS, "Relations", (MODEL, "Relations"), "relations.md.j2",
              lambda: {"relations": ctx.relation_views(), "reading_note": READING_NOTE})
    if ctx.study.history:
        site.page(HISTORY, "Model history", (MODEL, "Model history"), "history.md.j2",
                  lambda: _history(ctx))


def _declare_node(site: SitePages, ctx: RenderContext, node: Node,
                  section: tuple[str, ...] | None, declared: set[str]) -> None:
    """A component's page, then its elements' under it: a node with elements is a section
    whose first entry ("Overview") is its own page."""
    declared.add(node.id)
    nav: tuple[str, ...] | None = None
    if section is not None:
        nav = (*section, node.label, "Overview") if node.children else (*section, node.label)
    site.page(component_path(node.id), node.label, nav, "component.md.j2",
              lambda: _component(ctx, node))
    for child in node.children:
        inner = (*section, node.label) if section is not None else None
        _declare_node(site, ctx, ctx.analysis.nodes[child], inner, declared)


def _home(ctx: RenderContext) -> dict[str, Any]:
    study = ctx.study
    counts = {
        "clinicians": len(study.clinicians),
        "dyads": len(study.dyads),
        "excerpts": sum(len(c.excerpts) for c in study.clinicians)
        + sum(len(d.excerpts) for d in study.dyads),
        "components": len(ctx.analysis.nodes),
    }
    return {"overview": narrative_html(study.meta.overview), "counts": counts,
            "abstract": narrative_html(study.meta.abstract),
            "demonstration_note": demonstration_note(study.meta),
            "diagram": ctx.diagram(HOME, None, "home", "Diagram of the model")}


def _model_index(ctx: RenderContext) -> dict[str, Any]:
    kinds = []
    for kind in Kind:
        nodes = ctx.top_components(kind)
        if nodes:
            kinds.append((kind, ctx.kind_title(kind), nodes))

    def descendants(node: Node, depth: int = 1) -> Iterator[dict[str, Any]]:
        for child_id in node.children:
            child = ctx.analysis.nodes[child_id]
            yield {"node": child, "depth": depth}
            yield from descendants(child, depth + 1)

    return {
        "kinds": kinds, "descendants": descendants, "support": ctx.support,
        "dyads": ctx.support_dyads,
        "relations": ctx.relation_views(),
        "disconfirming": [(n, len(evidence_with_elements(ctx.analysis, n.id).disconfirming))
                          for n in ctx.analysis.nodes.values() if n.is_component],
        "diagram": ctx.diagram(MODEL_OVERVIEW, None, "model", "Diagram of the model"),
    }


def _component(ctx: RenderContext, node: Node) -> dict[str, Any]:
    """The evidence behind one component or element, its elements' included, grouped by
    clinician and dyad (anchors ``clinician-ID`` and ``dyad-ID``)."""
    analysis = ctx.analysis
    evidence = evidence_with_elements(analysis, node.id)
    trail = [analysis.nodes[a] for a in reversed(ancestors(analysis.nodes, node.id))]
    rel_ids = [
        r.id for r in analysis.relations.values()
        if node.is_component and any(
            node.id in relation_end_ids(analysis.nodes, end) for end in (r.from_, r.to))
    ]
    quotes = evidence.supporting + evidence.disconfirming
    groups = _groups(ctx, evidence)
    summary = {
        "dyads": sorted({q.dyad for q in evidence.supporting if q.dyad}, key=natural_key),
        "clinicians": {q.clinician for q in evidence.supporting if q.clinician},
        "patient": sum(q.excerpt.speaker.value == "patient" for q in quotes),
        "clinician": sum(q.excerpt.speaker.value == "clinician" for q in quotes),
        "other": sum(q.excerpt.speaker.value == "other" for q in quotes),
        "disconfirming": len(evidence.disconfirming),
    }
    return {
        "node": node, "kind_title": ctx.kind_title(node.kind), "trail": trail[:-1],
        "children": [analysis.nodes[c] for c in node.children], "support": ctx.support,
        "dyads": ctx.support_dyads,
        "relations": ctx.relation_views(rel_ids), "summary": summary,
        "groups": groups, "compact": compact_evidence(groups),  # large_pages.py
        "contrastive": exemplars_first(evidence.contrastive),
    }


def _groups(ctx: RenderContext, evidence: Evidence) -> list[dict[str, Any]]:
    """Evidence cases grouped by clinician; when clinicians are hidden, dyads come first
    in one group without a clinician (``""``), then each clinician's own interview."""
    order = {c.id: i + 1 for i, c in enumerate(ctx.study.clinicians)}
    cases: dict[tuple[str, str], dict[str, Any]] = {}
    for name in ("supporting", "disconfirming"):
        for q in getattr(evidence, name):
            key = (q.clinician, q.dyad or "")
            case = cases.setdefault(key, {"dyad": q.dyad, "supporting": [],
                                          "disconfirming": []})
            case[name].append(q)
    for case in cases.values():
        for name in ("supporting", "disconfirming"):
            case[name] = exemplars_first(case[name])
    groups: dict[str, list[dict[str, Any]]] = {}
    for key in sorted(cases, key=lambda k: (order.get(k[0], 0), not _has_exemplar(cases[k]),
                                            k[1] == "", natural_key(k[1]))):
        groups.setdefault(key[0], []).append(cases[key])
    return [{"clinician": c, "cases": v} for c, v in groups.items()]


def exemplars_first(quotes: list[Quote]) -> list[Quote]:
    """``quotes`` with the team's exemplars (``exemplar: true``) first, each part in its
    order: a study that marks none keeps today's order (issue 19 item 3)."""
    return sorted(quotes, key=lambda q: not q.excerpt.exemplar)


def _has_exemplar(case: dict[str, Any]) -> bool:
    """Whether a case on a component page holds an exemplar: such cases come first within
    their group (the groups themselves, by clinician or not, keep their order)."""
    return any(q.excerpt.exemplar for q in case["supporting"] + case["disconfirming"])


def _history(ctx: RenderContext) -> dict[str, Any]:
    """Each model version with its diagram and what changed from the one before."""
    from build_site.analyse import core_analysis
    from build_site.analyse.history import changes

    versions: list[dict[str, Any]] = []
    previous = None
    labels = {c.id: c.label for c in ctx.study.codebook.codes}
    for version in ctx.study.history:
        analysis = core_analysis(ctx.study.model_copy(update={"model": version.model}))
        anchor = f"version-{version.entry.version}"
        versions.append({
            "entry": version.entry,
            "change": (changes(previous, version, ctx.study.meta.labels.kinds) if previous
                       else None),
            "codebook": [{"change": c.change, "note": c.note,
                          "before": [labels.get(code, code) for code in c.codes],
                          "after": [labels.get(code, code) for code in c.into]}
                         for c in version.entry.codebook],
            "diagram": ctx.diagram(HISTORY, None, f"v{version.entry.version}",
                                   f"Model version {version.entry.version}", analysis,
                                   elsewhere=f"#{anchor}"),
        })
        previous = version
    return {"versions": versions}
