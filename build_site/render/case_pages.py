"""The case-study section: the overview, a page per clinician and a page per dyad.

:func:`declare` registers them on a :class:`~build_site.render.registry.SitePages`. Dyads are
grouped under their clinician in the navigation, or, when the study hides which clinician each
patient saw (``publication.hide_clinician``), listed apart in sections of
:data:`DYAD_SECTION` with nothing grouping a dyad under its clinician.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from build_site.analyse import Quote, shown_value
from build_site.insider import summary_only
from build_site.naturalorder import natural_key
from build_site.perspectives import paired_ids
from build_site.render.case_ranges import ClinicianRange, clinician_ranges
from build_site.render.context import RenderContext
from build_site.render.html import narrative_html
from build_site.render.perspective_pages import dyad_context
from build_site.render.registry import SitePages
from build_site.study import Clinician, Dyad, in_sentence

CASES = "Case studies"
DYAD_SECTION = 20  # dyads per navigation section when clinicians are hidden


def clinician_path(case_id: str) -> str:
    """The page of a clinician case study."""
    return f"clinicians/{case_id}.md"


def dyad_path(case_id: str) -> str:
    """The page of a dyad case study."""
    return f"dyads/{case_id}.md"


def declare(site: SitePages, ctx: RenderContext) -> None:
    """Declare the case-study pages, in navigation order: the overview, then a group per
    clinician (gathered into ranges with index pages when there are many, see
    :mod:`~build_site.render.case_ranges`), or the clinicians and dyads apart when hidden."""
    labels = ctx.study.meta.labels
    ranges = clinician_ranges(ctx.study.clinicians, labels.clinicians) if ctx.linked else []
    site.page("cases/index.md", "Case studies", (CASES, "Overview"), "cases_index.md.j2",
              lambda: _index(ctx, ctx.study.clinicians) | {"ranges": ranges})
    placed: set[str] = set()
    if ctx.linked:
        for r in ranges:
            _declare_range(site, ctx, r)
        in_range = {c.id: (CASES, r.title) for r in ranges for c in r.clinicians}
        for c in ctx.study.clinicians:
            section = (*in_range.get(c.id, (CASES,)), f"{labels.clinician} {c.id}")
            _declare_clinician(site, ctx, c, (*section, "Case study"))
            for d in ctx.analysis.dyads_by_clinician.get(c.id, []):
                _declare_dyad(site, ctx, d, (*section, f"{labels.dyad} {d.id}"))
                placed.add(d.id)
    else:
        # the same ranges for the clinicians' list; the overview is its index
        hidden = {c.id: r.title for r in clinician_ranges(ctx.study.clinicians,
                                                          labels.clinicians)
                  for c in r.clinicians}
        for c in ctx.study.clinicians:
            _declare_clinician(site, ctx, c, (CASES, hidden.get(c.id, labels.clinicians),
                                              f"{labels.clinician} {c.id}"))
        dyads = sorted(ctx.study.dyads, key=lambda d: natural_key(d.id))
        for start in range(0, len(dyads), DYAD_SECTION):
            chunk = dyads[start:start + DYAD_SECTION]
            title = (labels.dyads if len(dyads) <= DYAD_SECTION
                     else f"{labels.dyads} {chunk[0].id}-{chunk[-1].id}")
            for d in chunk:
                _declare_dyad(site, ctx, d, (CASES, title, f"{labels.dyad} {d.id}"))
                placed.add(d.id)
    for d in ctx.study.dyads:  # a dyad whose clinician is not shown: reached by links only
        if d.id not in placed:
            _declare_dyad(site, ctx, d, None)


def _declare_range(site: SitePages, ctx: RenderContext, r: ClinicianRange) -> None:
    site.page(r.path, r.title, (CASES, r.title, "Overview"), "cases_range.md.j2",
              lambda: _index(ctx, r.clinicians) | {"range": r})


def _declare_clinician(site: SitePages, ctx: RenderContext, case: Clinician,
                       nav: tuple[str, ...]) -> None:
    site.page(clinician_path(case.id), f"{ctx.study.meta.labels.clinician} {case.id}", nav,
              "clinician.md.j2", lambda: _clinician(ctx, case))


def _declare_dyad(site: SitePages, ctx: RenderContext, case: Dyad,
                  nav: tuple[str, ...] | None) -> None:
    site.page(dyad_path(case.id), f"{ctx.study.meta.labels.dyad} {case.id}", nav, "dyad.md.j2",
              lambda: _dyad(ctx, case))


def _index(ctx: RenderContext, clinicians: Sequence[Clinician]) -> dict[str, Any]:
    """The context of an index page listing ``clinicians`` (the overview: all of them)."""
    return {"clinicians": clinicians, "dyads": ctx.analysis.dyads_by_clinician,
            "all_dyads": sorted(ctx.study.dyads, key=lambda d: natural_key(d.id)),
            "evidenced": ctx.evidenced_counts()}


def _clinician(ctx: RenderContext, case: Clinician) -> dict[str, Any]:
    """A clinician case study (without their dyads when clinicians are hidden)."""
    page = clinician_path(case.id)
    source = "dyads" if ctx.linked else "interview"
    return {
        "case": case, "narrative": narrative_html(case.narrative),
        "dyads": ctx.analysis.dyads_by_clinician.get(case.id, []) if ctx.linked else [],
        "evidenced": ctx.evidenced_counts(),
        "quotes": [Quote(e, case.id, None) for e in case.excerpts],
        "diagram": ctx.diagram(
            page, ctx.analysis.clinician_evidenced.get(case.id, set()), f"c-{case.id}",
            f"Model diagram: components evidenced in clinician {case.id}'s {source}"),
    }


def _dyad(ctx: RenderContext, case: Dyad) -> dict[str, Any]:
    page = dyad_path(case.id)
    paired = paired_ids(case)  # shown in their pairing (perspective_pages), not again below
    return {
        "case": case, "facts": _facts(ctx, case), "narrative": narrative_html(case.narrative),
        "summary_only": not ctx.review and summary_only(case),
        "quotes": [Quote(e, case.clinician, case.id) for e in case.excerpts
                   if e.id not in paired],
        **dyad_context(ctx, case),
        "diagram": ctx.diagram(
            page, ctx.analysis.dyad_evidenced.get(case.id, set()), f"d-{case.id}",
            f"Model diagram: components evidenced in "
            f"{in_sentence(ctx.study.meta.labels.dyad)} {case.id}"),
    }


def _facts(ctx: RenderContext, case: Dyad) -> list[tuple[str, str]]:
    """The dyad's demographics the study publishes (all of them in a review copy) and who
    else was present at the interview."""
    pub = ctx.study.meta.publication
    facts = []
    fields = case.demographics if ctx.review else {
        k: v for k, v in case.demographics.items() if k in pub.dyad_demographics
    }
    for key, value in fields.items():
        shown = shown_value(key, value, pub.age_band_width)
        if shown:
            facts.append((key.replace("_", " ").capitalize(), ", ".join(shown)))
    others = case.interview.others_present
    facts.append(("Others present at the interview", ", ".join(others) if others else "none"))
    return facts
