"""A dyad's row of the meta-matrix (``analysis/matrix.md``), built as a string.

This was one line of ``matrix.md.j2`` holding a loop over every column, repeated for every
dyad (21,000 cells at 1,000 dyads, over a second of Jinja work). It writes the same bytes:
every value the template printed goes through the environment's ``finalize`` and autoescape
(:func:`~.excerpt_html._out`); ``tests/render/test_excerpt_html.py`` compares it with the
template line for every row of both studies, public and review.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from build_site.analyse import Quote
from build_site.analyse.matrices import Column, MatrixRow
from build_site.render.excerpt_html import _out


@dataclass(frozen=True)
class MatrixWriter:
    """What every row of one matrix page shares: its columns, the page-bound ``url`` and
    ``withheld`` helpers, the page's switches and words, and the environment's ``finalize``."""

    columns: list[Column]
    url: Callable[..., Markup]
    withheld: Callable[[Quote], str]
    linked: bool
    review: bool
    counts: Any
    marks: Mapping[str, str]
    state_words: Mapping[str, str]
    rank: Mapping[str, int]
    finalize: Callable[[Any], Any]

    def row(self, row: MatrixRow, position: int) -> Markup:
        """The ``<tr>`` of ``row``, the ``position``-th (from 1) of the table."""

        def out(value: Any) -> str:
            return _out(value, self.finalize)

        dyad = row.dyad
        ident = out(dyad.id)
        parts = ["<tr"]
        if self.linked:
            parts.append(f' data-clinician="{out(dyad.clinician)}"')
        parts.append(f' data-position="{out(position)}" '
                     f'data-order="{out(dyad.interview.order or 100000)}"><th scope="row">'
                     f'<a href="{out(self.url("dyads/" + str(dyad.id) + ".md"))}">{ident}</a>'
                     "</th>")
        if self.linked:
            parts.append(f"<td>{out(dyad.clinician)}</td>")
        for col in self.columns:
            cell = row.cells[col.node.id]
            state = cell.state
            node_id = out(col.node.id)
            parts.append(f'<td class="cell-{out(state)}" data-component="{node_id}" '
                         f'data-rank="{out(self.rank[state])}">')
            if state != "empty":
                href = out(self.url("model/" + str(col.node.id) + ".md",
                                    "dyad-" + str(dyad.id)))
                words = out(self.state_words[state])
                parts.append(f'<a href="{href}" title="{out(col.node.label)} in {ident}: '
                             f'{words}"><span class="bs-mark" aria-hidden="true">'
                             f'{out(self.marks[state])}</span><span class="bs-sr">{words}</span>'
                             + (f" {out(cell.count)}" if self.counts else "") + "</a>")
            elif self.review:
                parts.append('<span class="bs-mark" aria-hidden="true">·</span>'
                             '<span class="bs-sr">no evidence</span>')
            else:
                parts.append('<span class="bs-sr">not coded</span>')
            if self.review and cell.count:
                held = sum(1 for q in cell.supporting + cell.disconfirming if self.withheld(q))
                if held == cell.count:
                    parts.append(' <span class="bs-flag">held back</span>')
            if cell.summary:
                parts.append(f'<span class="bs-summary">{out(cell.summary)}</span>')
            parts.append("</td>")
        parts.append("</tr>")
        return Markup("".join(parts))
