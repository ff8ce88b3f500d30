"""The methods section: methods (from ``study.yml`` and the data), the interview guide, and
the COREQ and SRQR checklists (each item linked to where the site reports it).

:func:`declare` registers them on a :class:`~build_site.render.registry.SitePages`.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Callable
from typing import Any

from markupsafe import Markup, escape

from build_site.analyse import standards
from build_site.render.article_text import availability, guide_rounds, methods_sections
from build_site.render.context import RenderContext
from build_site.render.html import narrative_html, page_url
from build_site.render.registry import SitePages

METHODS = "Methods"

_INTERVIEWER_FIELDS = [
    ("name", "Interviewer"), ("credentials", "Credentials"), ("occupation", "Occupation"),
    ("gender", "Gender"), ("experience", "Experience and training"),
    ("relationship", "Relationship with participants"),
    ("participant_knowledge", "What participants knew of the interviewer"),
    ("characteristics", "Characteristics, assumptions and interests"),
]


def declare(site: SitePages, ctx: RenderContext) -> None:
    """Declare the methods pages, in navigation order. The checklists name the pages they
    point to by the titles those pages are declared with."""
    site.page("methods/index.md", "Methods", (METHODS, "Methods"), "methods.md.j2",
              lambda: _methods(ctx))
    if ctx.study.meta.interview_guide or ctx.study.meta.interview_guide_rounds:
        site.page("methods/interview-guide.md", "Interview guide",
                  (METHODS, "Interview guide"), "interview_guide.md.j2",
                  lambda: {"guide": narrative_html(ctx.study.meta.interview_guide),
                           "rounds": guide_rounds(ctx.study.meta)})
    coreq = (
        "methods/coreq.md", "COREQ checklist",
        "The Consolidated criteria for reporting qualitative research (COREQ) list 32 items "
        "for studies using interviews or focus groups.", standards.COREQ_CITATION)
    srqr = (
        "methods/srqr.md", "SRQR checklist",
        "The Standards for reporting qualitative research (SRQR) list 21 items for any "
        "qualitative study.", standards.SRQR_CITATION)
    for (path, name, intro, citation), items in (
            (coreq, lambda: standards.coreq_items(ctx.study)),
            (srqr, lambda: standards.srqr_items(ctx.study))):
        site.page(path, name, (METHODS, name), "standard.md.j2",
                  _standard_context(site, path, name, intro, items, citation))


def _sample(r: RenderContext) -> dict[str, Any]:
    dyads = r.study.dyads
    durations = [d.interview.duration_minutes for d in dyads if d.interview.duration_minutes]
    others = Counter(role for d in dyads for role in d.interview.others_present)
    coded = r.coded
    return {
        "clinicians": len(r.study.clinicians),
        "patients": len(dyads),
        "dyads": len(dyads),
        "withdrawn": r.withdrawn,
        "unpublished": len(coded.dyads) - len(dyads) if coded else 0,
        "durations": {"min": min(durations), "max": max(durations),
                      "median": round(statistics.median(durations))} if durations else None,
        "others": ", ".join(f"{role} {n}×" if n > 1 else role for role, n in sorted(
            others.items())),
        "others_count": sum(1 for d in dyads if d.interview.others_present),
    }


def _methods(r: RenderContext) -> dict[str, Any]:
    """The methods page, generated from ``study.yml`` and computed from the dyads."""
    meta = r.study.meta
    interviewer = [
        (label, getattr(meta.interviewer, key))
        for key, label in _INTERVIEWER_FIELDS
        if meta.interviewer and getattr(meta.interviewer, key)
    ]
    anchors = {key: standards.methods_anchor(key) for key in meta.methods}
    return {"sample": _sample(r), "interviewer": interviewer,
            "sections": methods_sections(meta, anchors),
            "availability": availability(r.coded, r.study),
            "guide_rounds": len(meta.interview_guide_rounds),
            "md": narrative_html, "identifier_count": len(r.study.identifiers)}


def _standard_context(site: SitePages, path: str, name: str, intro: str,
                      items_of: Callable[[], list[standards.Item]], citation: str
                      ) -> Callable[[], dict[str, Any]]:
    def context() -> dict[str, Any]:
        items = items_of()
        groups: dict[str, list[standards.Item]] = {}
        for item in items:
            groups.setdefault(item.domain, []).append(item)

        def rel(to: str, anchor: str = "") -> Markup:
            target = page_url(path, to)
            md_target = target[: -len(".html")] + ".md" if target.endswith(".html") else target
            return Markup(escape(f"{md_target}#{anchor}" if anchor else md_target))

        return {"name": name, "intro": intro, "groups": list(groups.items()), "items": items,
                "status_words": standards.STATUS_WORDS,
                "citation": citation, "rel": rel, "page_title": site.title}

    return context


def unreported(r: RenderContext) -> list[str]:
    """Warnings naming the COREQ and SRQR items this study does not report."""
    warnings = []
    for name, items in (("COREQ", standards.coreq_items(r.study)),
                        ("SRQR", standards.srqr_items(r.study))):
        missing = [f"{i.id} {i.title}" for i in items if i.status == "missing"]
        if missing:
            # A new study misses most items: a count and a few, not a wall of text that
            # buries the warnings that matter (a new user's finding); the page lists them all.
            shown = "; ".join(missing[:3]) + ("; ..." if len(missing) > 3 else "")
            warnings.append(f"{name}: {len(missing)} item(s) neither confirmed by the team "
                            "(study.yml reporting: status, by, on) nor found on the site "
                            f"({shown}); the site's {name} page lists each")
    return warnings
