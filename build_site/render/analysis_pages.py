"""Cross-case pages: the meta-matrix, the excerpt browser, the saturation chart, and the
downloads behind them. Functions of a :class:`~build_site.render.pages.Renderer`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

from build_site.analyse import Quote
from build_site.render import charts, exports
from build_site.render.html import page_url

if TYPE_CHECKING:
    from build_site.render.pages import Asset, Page, Renderer

MARKS = {"supporting": "+", "both": "±", "disconfirming": "−", "empty": "·"}
STATE_WORDS = {
    "supporting": "supporting evidence", "both": "supporting and disconfirming evidence",
    "disconfirming": "disconfirming evidence only", "empty": "no evidence",
}
RANK = {"both": 3, "supporting": 2, "disconfirming": 1, "empty": 0}


def matrix_page(r: Renderer) -> Page:
    """The meta-matrix and the clinician-by-component matrix."""
    return r._render("matrix.md.j2", "analysis/matrix.md", "Meta-matrix", hide=("toc",),
                     matrix=r.analysis.matrix, marks=MARKS, state_words=STATE_WORDS, rank=RANK,
                     counts=r.counts)


def _quotes(r: Renderer) -> list[Quote]:
    quotes = [Quote(e, c.id, None) for c in r.study.clinicians for e in c.excerpts]
    quotes += [Quote(e, d.clinician, d.id) for d in r.study.dyads for e in d.excerpts]
    return sorted(quotes, key=lambda q: (q.clinician, q.dyad or "", q.excerpt.id))


def excerpt_rows(r: Renderer, page: str) -> list[dict[str, Any]]:
    """One row per excerpt shown on the site, as the browser and the downloads use it."""
    rows = []
    for q in _quotes(r):
        e = q.excerpt
        components = sorted({t for c in e.codes if (t := r.analysis.code_target.get(c))})
        flags = [f for f, on in (("contrastive", e.contrast), ("disconfirming", e.disconfirming),
                                 ("not for publication",
                                  e.id in r.review_data.get("withheld", {}))) if on]
        target = f"dyads/{q.dyad}.md" if q.dyad else f"clinicians/{q.clinician}.md"
        speaker = (e.role or "other") if e.speaker.value == "other" else e.speaker.value
        rows.append({
            "id": e.id, "text": e.text, "dyad": q.dyad, "clinician": q.clinician,
            "speaker": e.speaker.value, "speaker_label": speaker, "codes": list(e.codes),
            "components": components, "flags": flags,
            "url": Markup(escape(page_url(page, target, e.id))),
        })
    return rows


def excerpts_page(r: Renderer) -> Page:
    """Every excerpt shown on the site, filterable in the browser without a server."""
    page = "analysis/excerpts.md"
    rows = excerpt_rows(r, page)
    labels = {**{n.id: n.label for n in r.analysis.nodes.values()},
              **{v.id: f"{v.from_label} {v.kind} {v.to_label}" for v in r.relation_views()}}

    def values(key: str, text: Any = None) -> list[tuple[str, str]]:
        found = sorted({v for row in rows for v in (row[key] if isinstance(row[key], list)
                                                    else [row[key]]) if v})
        return [(v, text(v) if text else v) for v in found]

    filters = [
        ("dyad", "Dyad", values("dyad")), ("clinician", "Clinician", values("clinician")),
        ("speaker", "Speaker", values("speaker")),
        ("code", "Code", values("codes", lambda c: r.codes[c].label)),
        ("component", "Component", values("components", lambda c: labels.get(c, c))),
        ("flag", "Flag", values("flags")),
    ]

    def component_url(target: str) -> Markup:
        if target in r.analysis.nodes:
            return Markup(escape(page_url(page, f"model/{target}.md")))
        return Markup(escape(page_url(page, "model/relations.md", target)))

    return r._render("excerpts.md.j2", page, "Excerpts", hide=("toc",), rows=rows, filters=filters,
                     component_url=component_url,
                     component_label=lambda t: labels.get(t, t))


def saturation_page(r: Renderer) -> Page:
    """New and cumulative codes per interview, with the team's saturation judgement."""
    series = r.analysis.saturation
    assert series is not None
    judged = r.study.meta.saturation.after_interview if r.study.meta.saturation else None
    chart = Markup(charts.saturation_chart(series, judged, r.diagrams.cache_dir.parent / "charts"))
    return r._render("saturation.md.j2", "analysis/saturation.md", "Saturation",
                     series=series, chart=chart)


DOWNLOADS = [
    ("meta-matrix.csv", "The meta-matrix: dyads by components and elements (cell states)."),
    ("meta-matrix.json", "The meta-matrix with cell summaries and the excerpt ids behind "
                         "each cell."),
    ("clinician-matrix.csv", "Clinicians by components: dyads with supporting evidence."),
    ("clinician-matrix.json", "The same, as JSON."),
    ("excerpts.csv", "Every excerpt shown, with dyad, clinician, speaker, codes, components."),
    ("excerpts.json", "The same, as JSON."),
    ("codebook.csv", "The codebook: codes, hierarchy, definitions and components."),
    ("codebook.qdc", "The codebook as a REFI-QDA codebook, for ATLAS.ti, NVivo, MAXQDA and "
                     "QualCoder."),
]


def downloads(r: Renderer) -> tuple[Page, list[Asset]]:
    """The downloads page and the files it lists (under ``data/``)."""
    from build_site.render.pages import Asset

    files: dict[str, bytes] = {}
    files |= exports.matrix_files(r.analysis, r.counts)
    files |= exports.excerpt_files(excerpt_rows(r, "data/downloads.md"))
    files["codebook.qdc"] = exports.codebook_qdc(r.study)
    files["codebook.csv"] = exports.codebook_csv(r.study, r.code_counts() if r.counts else None)
    assets = [Asset(f"data/{name}", data) for name, data in sorted(files.items())]
    page = r._render("downloads.md.j2", "data/downloads.md", "Downloads",
                     files=[(f"data/{name}", text) for name, text in DOWNLOADS if name in files])
    return page, assets
