"""The data section: demographics, the codebook, the downloads and how to cite, with the
files they offer (CSV, JSON, the REFI-QDA codebook, ``CITATION.cff``).

:func:`declare` registers them on a :class:`~build_site.render.registry.SitePages`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markupsafe import Markup, escape

from build_site.consent.archive import left_out
from build_site.metadata.datapackage import DATAPACKAGE, datapackage_json
from build_site.metadata.fictional_downloads import MARK
from build_site.metadata.references import REFERENCE_FILES, reference_blocks, reference_files
from build_site.render import downloads
from build_site.render.analysis_pages import excerpt_rows
from build_site.render.article_text import supplement_table
from build_site.render.context import Asset, RenderContext
from build_site.render.paths import RELATIONS, component_path
from build_site.render.registry import SitePages
from build_site.study import in_sentence

DATA = "Data"
CODEBOOK = "data/codebook.md"
DOWNLOADS_PAGE = "data/downloads.md"

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


def declare(site: SitePages, ctx: RenderContext) -> None:
    """Declare the data pages and their files, in navigation order."""
    labels = ctx.study.meta.labels
    site.page("data/demographics.md", "Demographics", (DATA, "Demographics"),
              "demographics.md.j2",
              lambda: {"tables": [
                  supplement_table("S1", labels.clinicians, in_sentence(labels.clinicians),
                                   ctx.analysis.clinician_table),
                  supplement_table("S2", labels.patients, in_sentence(labels.patients),
                                   ctx.analysis.patient_table)],
                       "min_cell": ctx.study.meta.publication.min_cell_size})
    site.page(CODEBOOK, "Codebook", (DATA, "Codebook"), "codebook.md.j2",
              lambda: _codebook(ctx))
    files = _download_files(ctx)
    site.page(DOWNLOADS_PAGE, "Downloads", (DATA, "Downloads"), "downloads.md.j2",
              lambda: {"files": [(f"data/{name}", text) for name, text in DOWNLOADS
                                 if name in download_names(ctx)],
                       "left_out": bool(left_out(ctx.study))})
    site.files(lambda: [Asset(f"data/{name}", data) for name, data in sorted(files().items())]
               + [Asset(f"data/{DATAPACKAGE}", datapackage_json(ctx.study, files()))])
    site.page("data/cite.md", "How to cite", (DATA, "How to cite"), "cite.md.j2",
              lambda: {"example_excerpt": next(
                  (e.id for d in ctx.study.dyads for e in d.excerpts), "excerpt-id"),
                  **reference_blocks(ctx.study)})
    site.files(lambda: [Asset("CITATION.cff", downloads.citation_cff(ctx.study)),
                        *reference_files(ctx.study)],
               paths=("CITATION.cff", *REFERENCE_FILES))


def download_names(ctx: RenderContext) -> set[str]:
    """The names of the downloadable files (the keys of what :func:`_download_files` makes),
    without making them: the downloads page lists them, and may be rendered in another
    process than the one making the files (:mod:`build_site.render.render_pool`)."""
    matrix = ctx.analysis.matrix
    clinicians = ["clinician-matrix.csv", "clinician-matrix.json"] if (
        matrix is not None and matrix.linked) else []
    return {"meta-matrix.csv", "meta-matrix.json", *clinicians, "excerpts.csv",
            "excerpts.json", "codebook.qdc", "codebook.csv"}


def _download_files(ctx: RenderContext) -> Callable[[], dict[str, bytes]]:
    """A function giving the downloadable files by name, made once at the first call."""
    made: dict[str, bytes] = {}

    def files() -> dict[str, bytes]:
        if not made:
            out = left_out(ctx.study)  # downloads are kept: archive: false stays out
            # a demonstration study's files marked as they are written (fictional_downloads)
            mark = MARK if ctx.study.meta.demonstration else None
            made.update(downloads.matrix_files(ctx.analysis, ctx.counts, out, mark))
            made.update(downloads.excerpt_files([r for r in excerpt_rows(ctx, DOWNLOADS_PAGE)
                                               if r["id"] not in out.excerpts], mark))
            made["codebook.qdc"] = downloads.codebook_qdc(ctx.study)
            made["codebook.csv"] = downloads.codebook_csv(
                ctx.study, ctx.code_counts() if ctx.counts else None, mark)
        return made

    return files


def _target_link(ctx: RenderContext, target: str) -> dict[str, Any]:
    """The label and URL (from the codebook page) of a component, element or relation."""
    label, url = "", ""
    if target in ctx.analysis.nodes:
        label = ctx.analysis.nodes[target].label
        url = f"../{component_path(target)}"
    elif target in ctx.analysis.relations:
        rel = ctx.relation_views([target])[0]
        label = f"{rel.from_label} {rel.kind} {rel.to_label}"
        url = f"../{RELATIONS}#{target}"
    return {"label": label, "url": Markup(escape(url))}


def _codebook(ctx: RenderContext) -> dict[str, Any]:
    """The codebook with hierarchy and the component each code evidences."""
    children: dict[str | None, list[Any]] = {}
    for code in ctx.study.codebook.codes:
        children.setdefault(code.parent, []).append(code)
    rows: list[dict[str, Any]] = []

    def walk(parent: str | None, depth: int) -> None:
        for code in children.get(parent, []):
            rows.append({"code": code, "depth": depth,
                         "targets": [_target_link(ctx, t) for t in code.targets]})
            walk(code.id, depth + 1)

    walk(None, 0)
    return {"rows": rows, "counts": ctx.code_counts() if ctx.counts else None}
