"""A component page's evidence, its headings and figures, built as a string (issue 25).

This was the ``{% for group in groups %}`` loop of ``component.md.j2``: a heading per
clinician and per case, then each case's excerpt figures. At 1,000 dyads its 21 pages hold
20,765 figures under up to 1,373 headings each, and the loop's Jinja (a macro call, a
``finalize`` and an escape per value printed) was 0.85 CPU s, the largest part of the render
stage's template time (``guide/performance.md``, "The render stage (render5)"). It writes the
same bytes as the loop: every value the template printed goes through the environment's
``finalize`` and autoescape (:func:`~build_site.render.excerpt_html._out`), each figure is the
one :meth:`~build_site.render.excerpt_html.ExcerptWriter.figure` makes, and the blank lines
are those ``trim_blocks`` and ``lstrip_blocks`` left. ``tests/render/test_evidence_html.py``
compares it with the old loop (``tests/fixtures/templates/component_loop.md.j2``) for every
component page of the bundled and OSCE studies, public and review, in the plain and the
compact form.

The groups and the compact form are :func:`build_site.render.model_pages._groups` and
:mod:`build_site.render.large_pages`; the headings' search exclusion and anchors are
described there.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from build_site.render.excerpt_html import _out
from build_site.study import in_sentence

if TYPE_CHECKING:
    from build_site.render.excerpt_html import ExcerptWriter

DISCONFIRMING = '<p class="bs-flag-heading">Disconfirming evidence in this case</p>\n\n'


def evidence_groups(writer: ExcerptWriter, groups: Sequence[dict[str, Any]],
                    compact: bool) -> Markup:
    """The evidence of a component page: for each of ``groups`` (``clinician``: an id or
    ``""``; ``cases``: dicts of ``dyad``, ``supporting`` and ``disconfirming`` quotes) its
    heading, then each case's heading and figures; ``compact`` (large_pages.py) writes the
    headings as raw HTML linking to the case, and the figures without their case.

    Returns the text the template's loop printed (each block followed by a blank line), as
    ``Markup`` so the template prints it unchanged. Raises nothing of its own (what
    ``writer``'s helpers raise, as the template did)."""
    out = writer.finalize
    clinician_label = _out(writer.clinician_label, out)
    dyad_label = _out(writer.dyad_label, out)
    own_label = _out(in_sentence(writer.clinician_label), out)
    show_case = not compact
    parts: list[str] = []
    for group in groups:
        clinician = group["clinician"]
        shown = _out(clinician, out)
        if compact and clinician:
            link = _out(writer.url("clinicians/" + str(clinician) + ".md"), out)
            parts.append(f'<h3 id="clinician-{shown}" data-search-exclude="true">'
                         f'{clinician_label} <a href="{link}">{shown}</a></h3>\n\n')
        elif compact:
            parts.append('<h3 id="dyads" data-search-exclude="true">Dyads</h3>\n\n')
        elif clinician:
            parts.append(f"### {clinician_label} {shown} "
                         f'{{ #clinician-{shown} data-search-exclude="true" }}\n\n')
        else:
            parts.append('### Dyads { #dyads data-search-exclude="true" }\n\n')
        for case in group["cases"]:
            parts.append(_case_heading(writer, case["dyad"], shown, dyad_label, compact,
                                       own_label))
            for q in case["supporting"]:
                parts.append(writer.figure(q, show_case=show_case, compact=compact))
                parts.append("\n\n")
            if case["disconfirming"]:
                parts.append(DISCONFIRMING)
                for q in case["disconfirming"]:
                    parts.append(writer.figure(q, show_case=show_case, compact=compact))
                    parts.append("\n\n")
    return Markup("".join(parts))


def _case_heading(writer: ExcerptWriter, dyad: Any, clinician: str, dyad_label: str,
                  compact: bool, own_label: str = "clinician") -> str:
    """A case's heading and the blank line after it: its dyad's, or the clinician's own
    interview's (``clinician`` as printed; ``own_label``: the study's clinician label as
    written in a sentence, "From the pharmacist's interview")."""
    out = writer.finalize
    if compact and dyad:
        shown = _out(dyad, out)
        link = _out(writer.url("dyads/" + str(dyad) + ".md"), out)
        return (f'<h4 id="dyad-{shown}" data-search-exclude="true">{dyad_label} '
                f'<a href="{link}">{shown}</a></h4>\n\n')
    if compact:
        return (f'<h4 id="clinician-{clinician}-general" data-search-exclude="true">'
                f"From the {own_label}'s interview</h4>\n\n")
    if dyad:
        shown = _out(dyad, out)
        return (f"#### {dyad_label} {shown} "
                f'{{ #dyad-{shown} data-search-exclude="true" }}\n\n')
    return (f"#### From the {own_label}'s interview "
            f'{{ #clinician-{clinician}-general data-search-exclude="true" }}\n\n')
