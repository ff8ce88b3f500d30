"""The analysis section: the meta-matrix, the excerpt browser and the saturation chart.

:func:`declare` registers them on a :class:`~build_site.render.registry.SitePages`;
:func:`excerpt_rows` is also what the downloads are made from (:mod:`.data_pages`).
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from build_site.analyse import Quote
from build_site.consent.aggregates import unpublished_total
from build_site.naturalorder import natural_key
from build_site.render import charts
from build_site.render.context import RenderContext
from build_site.render.excerpt_table import excerpt_row
from build_site.render.html import chips, inline_text, page_url
from build_site.render.matrix_table import MatrixWriter
from build_site.render.paths import RELATIONS, component_path
from build_site.render.registry import SitePages
from build_site.study import in_sentence

ANALYSIS = "Analysis"

MARKS = {"supporting": "+", "both": "±", "disconfirming": "−", "empty": "·"}
STATE_WORDS = {
    "supporting": "supporting evidence", "both": "supporting and disconfirming evidence",
    "disconfirming": "disconfirming evidence only", "empty": "no evidence",
}
RANK = {"both": 3, "supporting": 2, "disconfirming": 1, "empty": 0}
MATRIX_PAGE = "analysis/matrix.md"


def declare(site: SitePages, ctx: RenderContext) -> None:
    """Declare the analysis pages, in navigation order."""
    site.page(MATRIX_PAGE, "Meta-matrix", (ANALYSIS, "Meta-matrix"), "matrix.md.j2",
              lambda: {"matrix": ctx.analysis.matrix, "marks": MARKS,
                       "state_words": STATE_WORDS, "rank": RANK, "counts": ctx.counts,
                       "matrix_row": _matrix_writer(ctx).row,
                       **unpublished_total(ctx.coded, ctx.study)},
              hide=("toc",))
    page = "analysis/excerpts.md"
    site.page(page, "Excerpts", (ANALYSIS, "Excerpts"), "excerpts.md.j2",
              lambda: _excerpts(ctx, page), hide=("toc",))
    site.page("analysis/saturation.md", "Saturation", (ANALYSIS, "Saturation"),
              "saturation.md.j2", lambda: _saturation(ctx))


def _matrix_writer(r: RenderContext) -> MatrixWriter:
    """What writes the meta-matrix's rows, bound to its page."""
    assert r.analysis.matrix is not None

    def url(to: str, anchor: str = "") -> Markup:
        return Markup(escape(page_url(MATRIX_PAGE, to, anchor)))

    return MatrixWriter(r.analysis.matrix.columns, url,
                        lambda q: r.withheld_reason(q.excerpt.id), r.linked, r.review, r.counts,
                        MARKS, STATE_WORDS, RANK, r.env.finalize or str)


def _quotes(r: RenderContext) -> list[Quote]:
    quotes = [Quote(e, c.id, None) for c in r.study.clinicians for e in c.excerpts]
    quotes += [Quote(e, d.clinician, d.id) for d in r.study.dyads for e in d.excerpts]
    return sorted(quotes, key=lambda q: (natural_key(q.clinician), natural_key(q.dyad or ""),
                                         natural_key(q.excerpt.id)))


def excerpt_rows(r: RenderContext, page: str) -> list[dict[str, Any]]:
    """One row per excerpt shown on the site, as the browser and the downloads use it: what
    :func:`_rows` keeps for the site, and each row's ``url`` from ``page`` (a new mapping a
    row; the lists in it are the kept rows', which nobody changes)."""
    return [{**row, "url": escape(page_url(page, target, row["id"]))}
            for row, target in _rows(r)]


def _rows(r: RenderContext) -> list[tuple[dict[str, Any], str]]:
    """The rows of :func:`excerpt_rows` without their ``url``, each with the page it links
    to, made once per render context (the browser and the downloads both ask; one process
    or one worker of the pool makes them once)."""
    kept: list[tuple[dict[str, Any], str]] | None = r.kept.get("excerpt_rows")
    if kept is not None:
        return kept
    rows = []
    withheld = r.review_data.get("withheld", {})
    for q in _quotes(r):
        e = q.excerpt
        components = sorted({t for c in e.codes for t in r.analysis.code_targets.get(c, ())})
        flags = [f for f, on in (("contrastive", e.contrast), ("disconfirming", e.disconfirming),
                                 ("not for publication", e.id in withheld)) if on]
        target = f"dyads/{q.dyad}.md" if q.dyad else f"clinicians/{q.clinician}.md"
        speaker = ((e.role or "other") if e.speaker.value == "other" else
                   in_sentence(getattr(r.study.meta.labels, e.speaker.value)))
        rows.append(({
            "id": e.id, "text": e.text, "dyad": q.dyad, "clinician": q.clinician,
            "speaker": e.speaker.value, "speaker_label": speaker, "codes": list(e.codes),
            "components": components, "flags": flags,
        }, target))
    r.kept["excerpt_rows"] = rows
    return rows


def _excerpts(r: RenderContext, page: str) -> dict[str, Any]:
    """Every excerpt shown on the site, filterable in the browser without a server."""
    rows = excerpt_rows(r, page)
    labels = {**{n.id: n.label for n in r.analysis.nodes.values()},
              **{v.id: f"{v.from_label} {v.kind} {v.to_label}" for v in r.relation_views()}}

    def values(key: str, text: Any = None) -> list[tuple[str, str]]:
        found = sorted({v for row in rows for v in (row[key] if isinstance(row[key], list)
                                                    else [row[key]]) if v})
        return [(v, text(v) if text else v) for v in found]

    case_labels = r.study.meta.labels
    speakers = {row["speaker"]: row["speaker_label"] for row in rows
                if row["speaker"] != "other"}
    filters = [
        ("dyad", case_labels.dyad, values("dyad")),
        ("clinician", case_labels.clinician, values("clinician")),
        ("speaker", "Speaker", values("speaker", lambda v: speakers.get(v, v))),
        ("code", "Code", values("codes", lambda c: r.codes[c].label)),
        ("component", "Component", values("components", lambda c: labels.get(c, c))),
        ("flag", "Flag", values("flags")),
    ]

    def component_url(target: str) -> Markup:
        if target in r.analysis.nodes:
            return Markup(escape(page_url(page, component_path(target))))
        return Markup(escape(page_url(page, RELATIONS, target)))

    def component_label(target: str) -> str:
        return labels.get(target, target)

    def url(to: str) -> Markup:
        return Markup(escape(page_url(page, to)))

    def code_chips(codes: list[str]) -> Markup:
        return chips(r.code_link(page, c) for c in codes)

    def row_html(row: dict[str, Any]) -> Markup:
        return excerpt_row(row, url, code_chips, component_url, component_label, inline_text,
                           r.env.finalize or str)

    return {"rows": rows, "filters": filters, "component_url": component_url,
            "component_label": component_label, "excerpt_row": row_html}


def _saturation(r: RenderContext) -> dict[str, Any]:
    """New and cumulative codes per interview, with the team's saturation judgement."""
    series = r.analysis.saturation
    assert series is not None
    judged = r.study.meta.saturation.after_interview if r.study.meta.saturation else None
    chart = Markup(charts.saturation_chart(series, judged, r.diagrams.cache_dir.parent / "charts"))
    return {"series": series, "chart": chart}
