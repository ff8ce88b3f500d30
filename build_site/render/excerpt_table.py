"""A row of the excerpt browser's table (``analysis/excerpts.md``), built as a string.

This was one line of ``excerpts.md.j2``, repeated for every excerpt shown (8,000 at 1,000
dyads, a second of Jinja work). It writes the same bytes: every value the template printed goes
through the environment's ``finalize`` and autoescape (:func:`~.excerpt_html._out`), and a
``join`` of plain strings is joined first and printed as one value, as Jinja does;
``tests/render/test_excerpt_html.py`` compares it with the template line for every row of
both studies.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markupsafe import Markup

from build_site.render.excerpt_html import _out


def excerpt_row(row: dict[str, Any], url: Callable[[str], Markup],
                code_chips: Callable[[list[str]], Markup],
                component_url: Callable[[str], Markup], component_label: Callable[[str], str],
                text: Callable[[str], Markup], finalize: Callable[[Any], Any]) -> Markup:
    """The ``<tr>`` of one row of :func:`~build_site.render.analysis_pages.excerpt_rows`."""

    def out(value: Any) -> str:
        return _out(value, finalize)

    dyad = row["dyad"]
    case = (f'<a href="{out(url("dyads/" + str(dyad) + ".md"))}">{out(dyad)}</a>' if dyad
            else "–")
    components = ", ".join(f'<a href="{out(component_url(c))}">{out(component_label(c))}</a>'
                           for c in row["components"])
    return Markup(
        f'<tr data-dyad="{out(dyad)}" data-clinician="{out(row["clinician"])}" '
        f'data-speaker="{out(row["speaker"])}" data-code=" {out(" ".join(row["codes"]))} " '
        f'data-component=" {out(" ".join(row["components"]))} " '
        f'data-flag=" {out(" ".join(row["flags"]))} "><th scope="row">'
        f'<a href="{out(row["url"])}">{out(row["id"])}</a></th><td>{out(text(row["text"]))}'
        f'</td><td>{case}</td><td>{out(row["clinician"])}</td><td>{out(row["speaker_label"])}'
        f'</td><td>{out(code_chips(row["codes"]))}</td><td>{components}</td>'
        f'<td>{out(", ".join(row["flags"]))}</td></tr>')
