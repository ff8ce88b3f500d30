"""Methods pages: methods (from ``study.yml`` and the data), the interview guide, the COREQ
and SRQR checklists, and how to cite. Functions of a
:class:`~build_site.render.pages.Renderer`."""

from __future__ import annotations

import statistics
from collections import Counter
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

from build_site.analyse import standards
from build_site.render import exports
from build_site.render.html import narrative_html, page_url

if TYPE_CHECKING:
    from build_site.render.pages import Asset, Page, Renderer

_INTERVIEWER_FIELDS = [
    ("name", "Interviewer"), ("credentials", "Credentials"), ("occupation", "Occupation"),
    ("gender", "Gender"), ("experience", "Experience and training"),
    ("relationship", "Relationship with participants"),
    ("participant_knowledge", "What participants knew of the interviewer"),
    ("characteristics", "Characteristics, assumptions and interests"),
]
# Methods keys shown in their own sections above, in a fixed place.
_PLACED = set(standards.PLACED)

PAGE_TITLES = {
    "index.md": "Home", "model/index.md": "The model", "methods/index.md": "Methods",
    "methods/interview-guide.md": "Interview guide", "data/demographics.md": "Demographics",
    "data/codebook.md": "Codebook", "analysis/saturation.md": "Saturation",
    "analysis/excerpts.md": "Excerpts", "analysis/matrix.md": "Meta-matrix",
}


def _sample(r: Renderer) -> dict[str, Any]:
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


def methods_page(r: Renderer) -> Page:
    """The methods page, generated from ``study.yml`` and computed from the dyads."""
    meta = r.study.meta
    interviewer = [
        (label, getattr(meta.interviewer, key))
        for key, label in _INTERVIEWER_FIELDS
        if meta.interviewer and getattr(meta.interviewer, key)
    ]
    other = [
        (standards.methods_anchor(key), key.replace("_", " ").capitalize(), value)
        for key, value in meta.methods.items() if key not in _PLACED and value
    ]
    return r._render(
        "methods.md.j2", "methods/index.md", "Methods", sample=_sample(r),
        interviewer=interviewer, other_methods=other, md=narrative_html,
        identifier_count=len(r.study.identifiers),
    )


def interview_guide_page(r: Renderer) -> Page | None:
    """The interview guide as supplementary material, if ``study.yml`` has one."""
    if not r.study.meta.interview_guide:
        return None
    return r._render("interview_guide.md.j2", "methods/interview-guide.md", "Interview guide",
                     guide=narrative_html(r.study.meta.interview_guide))


def _standard_page(r: Renderer, path: str, name: str, intro: str,
                   items: list[standards.Item], citation: str) -> Page:
    groups: dict[str, list[standards.Item]] = {}
    for item in items:
        groups.setdefault(item.domain, []).append(item)
    missing = [i.id for i in items if i.status == "missing"]

    def rel(to: str, anchor: str = "") -> Markup:
        target = page_url(path, to)
        md_target = target[: -len(".html")] + ".md" if target.endswith(".html") else target
        return Markup(escape(f"{md_target}#{anchor}" if anchor else md_target))

    return r._render(
        "standard.md.j2", path, name, name=name, intro=intro, groups=list(groups.items()),
        items=items, reported=len(items) - len(missing), missing=missing, citation=citation,
        rel=rel, page_title=lambda p: PAGE_TITLES.get(p, p),
    )


def coreq_page(r: Renderer) -> Page:
    """The 32 COREQ items and where this study reports each."""
    return _standard_page(
        r, "methods/coreq.md", "COREQ checklist",
        "The Consolidated criteria for reporting qualitative research (COREQ) list 32 items "
        "for studies using interviews or focus groups.",
        standards.coreq_items(r.study), standards.COREQ_CITATION)


def srqr_page(r: Renderer) -> Page:
    """The 21 SRQR items and where this study reports each."""
    return _standard_page(
        r, "methods/srqr.md", "SRQR checklist",
        "The Standards for reporting qualitative research (SRQR) list 21 items for any "
        "qualitative study.",
        standards.srqr_items(r.study), standards.SRQR_CITATION)


def cite(r: Renderer) -> tuple[Page, list[Asset]]:
    """The how-to-cite page and ``CITATION.cff`` at the site root."""
    from build_site.render.pages import Asset

    example = next((e.id for d in r.study.dyads for e in d.excerpts), "excerpt-id")
    page = r._render("cite.md.j2", "data/cite.md", "How to cite", example_excerpt=example)
    return page, [Asset("CITATION.cff", exports.citation_cff(r.study))]


def unreported(r: Renderer) -> list[str]:
    """Warnings naming the COREQ and SRQR items this study does not report."""
    warnings = []
    for name, items in (("COREQ", standards.coreq_items(r.study)),
                        ("SRQR", standards.srqr_items(r.study))):
        missing = [f"{i.id} {i.title}" for i in items if i.status == "missing"]
        if missing:
            warnings.append(f"{name} items not reported: " + "; ".join(missing))
    return warnings
