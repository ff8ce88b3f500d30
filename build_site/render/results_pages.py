"""The results page (issue 23 item 3): for each component the team wrote results for
(``study.yml`` ``results``), its text and the exemplar excerpts it names, in the team's order.

An exemplar this build does not publish is left out (the pipeline's warnings name its line of
``study.yml``); an excerpt named under two components is quoted once and linked the second
time, so no two elements of the page share an id.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from build_site.analyse import Node, Quote
from build_site.render.context import RenderContext
from build_site.render.html import narrative_html
from build_site.render.registry import SitePages
from build_site.study import ComponentResult, Study

RESULTS_PAGE = "results.md"
RESULTS = "Results"


@dataclass(frozen=True)
class ResultView:
    """One component's results: its node, the team's text as HTML, the exemplars quoted here
    and those already quoted above on the page (linked)."""

    node: Node
    kind_title: str
    text: Markup
    quotes: list[Quote]
    quoted_above: list[Quote]


def declare(site: SitePages, ctx: RenderContext) -> None:
    """Declare the results page when the study writes results."""
    if ctx.study.meta.results:
        site.page(RESULTS_PAGE, RESULTS, (RESULTS,), "results.md.j2",
                  lambda: {"results": result_views(ctx.study, ctx)})


def quotes_by_id(study: Study) -> dict[str, Quote]:
    """Every excerpt of ``study`` as a :class:`Quote` (with its case), by excerpt id."""
    found = {e.id: Quote(e, c.id, None) for c in study.clinicians for e in c.excerpts}
    found.update({e.id: Quote(e, d.clinician, d.id) for d in study.dyads for e in d.excerpts})
    return found


def result_views(study: Study, ctx: RenderContext) -> list[ResultView]:
    """The results of ``study`` (a selection) for its page, in the team's order; a result
    whose component the analysis does not hold is skipped (validation refuses it)."""
    quotes = quotes_by_id(study)
    seen: set[str] = set()
    views = []
    for result in study.meta.results:
        node = ctx.analysis.nodes.get(result.component)
        if node is None:
            continue
        views.append(_view(result, node, ctx.kind_title(node.kind), quotes, seen))
    return views


def _view(result: ComponentResult, node: Node, kind_title: str, quotes: dict[str, Quote],
          seen: set[str]) -> ResultView:
    shown = [quotes[i] for i in result.excerpt_ids if i in quotes]
    fresh = [q for q in shown if q.excerpt.id not in seen]
    above = [q for q in shown if q.excerpt.id in seen]
    seen.update(q.excerpt.id for q in fresh)
    return ResultView(node, kind_title, narrative_html(result.text), fresh, above)

