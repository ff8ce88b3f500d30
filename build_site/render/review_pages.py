"""Pages only a review copy has: the dashboard (status per case, open comments, unresolved
de-identification findings by category and place, consent findings and sensitive disclosures in
published free text, disclosure risk).

:func:`declare` registers them on a :class:`~build_site.render.registry.SitePages`.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from markupsafe import Markup, escape

from build_site.analyse.risk import Exposure
from build_site.deidentify.findings import Finding
from build_site.privacy import BLOCKING, FOR_REVIEW, TextFinding, TextReport
from build_site.render.context import RenderContext
from build_site.render.registry import SitePages
from build_site.study import Clinician, Dyad, Status


def declare(site: SitePages, ctx: RenderContext) -> None:
    """Declare the review pages (a review copy only)."""
    if ctx.review:
        site.page("review/dashboard.md", "Review dashboard", ("Review", "Dashboard"),
                  "dashboard.md.j2",
                  lambda: _dashboard(ctx, ctx.review_data.get("findings", []),
                                     ctx.review_data.get("exposures", [])))


def _dashboard(r: RenderContext, findings: list[Finding], exposures: list[Exposure]
               ) -> dict[str, Any]:
    """The review dashboard. Findings are listed by category and location only: the matched
    text never enters a site, not even a review copy."""
    cases: list[dict[str, Any]] = []
    comments: list[dict[str, Any]] = []
    items: list[tuple[str, Clinician | Dyad]] = [
        *((f"clinicians/{c.id}.md", c) for c in r.study.clinicians),
        *((f"dyads/{d.id}.md", d) for d in r.study.dyads),
    ]
    for target, case in items:
        labels = r.study.meta.labels
        label = f"{labels.clinician if isinstance(case, Clinician) else labels.dyad} {case.id}"
        url = Markup(escape(f"../{target}"))  # a Markdown link: MkDocs checks and rewrites it
        cases.append({
            "label": label, "url": url, "status": case.status.value, "memos": len(case.memos),
            "open": sum(not c.resolved for c in case.comments), "excerpts": len(case.excerpts),
            "unpublished": sum(e.id in r.review_data.get("withheld", {}) for e in case.excerpts),
        })
        comments += [{"case": label, "url": url, "author": c.author, "text": c.text}
                     for c in case.comments if not c.resolved]
    places: dict[str, list[str]] = defaultdict(list)
    for finding in findings:
        places[finding.category].append(finding.location())
    return {"cases": cases, "comments": comments,
            "ready": sum(c["status"] == Status.approved.value for c in cases),
            "findings": sorted(places.items()), "exposures": exposures,
            "placeholders": r.review_data.get("placeholders", []),
            **_free_text(r.review_data.get("text", TextReport()))}


def _free_text(text: TextReport) -> dict[str, Any]:
    """The free-text findings by rule (or sensitive category) and place, never their text:
    ``consent`` (unresolved: a public build is refused), ``to_review`` (computable ages and
    sensitive disclosures: not blocking)."""
    def by_rule(items: list[TextFinding], names: dict[str, str]) -> list[tuple[str, str]]:
        places: dict[str, list[str]] = defaultdict(list)
        for f in items:
            places[names.get(f.rule, f.rule)].append(f.location())
        return [(rule, ", ".join(dict.fromkeys(where))) for rule, where in sorted(places.items())]
    return {"consent": by_rule(text.consent, BLOCKING),
            "to_review": by_rule([*text.review, *text.sensitive], FOR_REVIEW)}
