"""The key beside every model diagram: what the line styles, the box colours and (on a case's
diagram) the highlighted boxes mean.

The diagram's own styles come from :mod:`build_site.render.diagrams` (solid, dashed and dotted
edges for established, tentative and asserted relations; ``kind-*`` fills for the three kinds;
``evidenced`` and ``dim`` on a case's diagram) and the site's stylesheet, which draws the
swatches here with the same colours (``.bs-key-*``), so the key follows the light and dark
palettes as the diagram does.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from build_site.analyse import Analysis, Evidence
from build_site.relation_claims import ASSERTED, ESTABLISHED, TENTATIVE, status
from build_site.study import Kind

LINES = (("solid", ESTABLISHED), ("dashed", TENTATIVE), ("dotted", ASSERTED))
"""Each relation status with the line style :func:`build_site.render.diagrams` gives it."""


def _item(swatch: str, words: str) -> str:
    return f'<li><span class="{swatch}" aria-hidden="true"></span> {escape(words)}</li>'


def legend_for(analysis: Analysis, highlighted: bool) -> Markup:
    """The key to the diagram of ``analysis``: the line styles of the relation statuses it
    draws and the kinds of component it shows (see :func:`legend_html`)."""
    kinds = [k for k in Kind if any(n.kind is k for n in analysis.nodes.values())]
    shown = {status(r, len(analysis.evidence.get(r.id, Evidence()).all()))
             for r in analysis.relations.values()}
    return legend_html(kinds, shown, highlighted, analysis.kind_titles)


def legend_html(kinds: list[Kind], statuses: set[str], highlighted: bool,
                titles: dict[Kind, str]) -> Markup:
    """The key as an HTML list (one line, safe inside a Markdown page).

    Args:
        kinds: the kinds of component the diagram shows, in the model's order.
        statuses: the relation statuses it draws (only their line styles are explained).
        highlighted: whether the diagram marks one case's evidence (``evidenced``/``dim``).
        titles: the study's title for each kind (``labels.kinds`` in study.yml).

    Returns:
        ``<ul class="bs-diagram-key">`` with a swatch and its meaning per item.
    """
    items = [_item(f"bs-key-line {style}", f"relation: {shown}")
             for style, shown in LINES if shown in statuses]
    items += [_item(f"bs-key-box kind-{kind.value}", titles[kind]) for kind in kinds]
    if highlighted:
        items += [_item("bs-key-box evidenced", "evidenced in this case"),
                  _item("bs-key-box dim", "not evidenced in this case")]
    items.append("<li>An arrow runs the way its relation reads (from 'A' to 'B' in 'A produces "
                 "B'); a box inside a box is an element of that component.</li>")
    return Markup('<ul class="bs-diagram-key" aria-label="Key to the diagram">'
                  + "".join(items) + "</ul>")
