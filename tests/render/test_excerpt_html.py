"""The excerpt figure built in Python (:mod:`build_site.render.excerpt_html`, issue 25) writes
the bytes the ``excerpt`` macro of ``_macros.j2`` wrote, for every excerpt of the bundled and
OSCE studies, in public and review copies, at its home page and elsewhere."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from jinja2 import ChoiceLoader, FileSystemLoader
from markupsafe import Markup

from build_site.analyse import Quote
from build_site.pipeline import Purpose, _render_context, prepare
from build_site.render.diagrams import DiagramRenderer
from build_site.study import ContextTurn, Speaker

REPO = Path(__file__).resolve().parents[2]
TEMPLATES = Path(__file__).resolve().parents[1] / "fixtures" / "templates"
PAIR = re.compile(r"⟦(.*?)⟧⟦(.*?)⟧", re.DOTALL)


@pytest.mark.parametrize("purpose", ["public", "review"])
@pytest.mark.parametrize("study_dir", ["casestudies", "examples/osce"])
def test_python_figures_equal_the_macro(study_dir: str, purpose: Purpose, tmp_path: Path) -> None:
    prepared = prepare(REPO / study_dir, purpose)
    ctx = _render_context(prepared, DiagramRenderer(tmp_path / "diagrams"))
    env = ctx.env.overlay(loader=ChoiceLoader([FileSystemLoader(TEMPLATES), ctx.env.loader]))
    ctx.__dict__["env"] = env  # the probe template and the old macro, same finalize
    study = ctx.study
    quotes = [Quote(e, c.id, None) for c in study.clinicians for e in c.excerpts]
    quotes += [Quote(e, d.clinician, d.id) for d in study.dyads for e in d.excerpts]
    assert quotes
    quotes += _variants(quotes[0])
    pages = ["model/index.md", *{f"dyads/{q.dyad}.md" for q in quotes if q.dyad},
             *{f"clinicians/{q.clinician}.md" for q in quotes}]
    compared = 0
    for page in pages:
        text = ctx.render("excerpt_probe.j2", page, "probe", quotes=quotes).markdown
        for old, new in PAIR.findall(text):
            assert new == old, page
            compared += 1
    assert compared == 4 * len(quotes) * len(pages)
    if study_dir == "casestudies" and purpose == "review":
        assert any(ctx.withheld_reason(q.excerpt.id) for q in quotes)


def _variants(q: Quote) -> list[Quote]:
    """``q`` with every flag set, with context turns of every kind, with text that Markdown
    and HTML would read as syntax, and as a clinician's own excerpt."""
    turns = [ContextTurn(speaker="patient", line=3, position="before", text="I *said* <no>"),
             ContextTurn(speaker="interviewer", line=5, position="excerpt"),
             ContextTurn(speaker="x_ray tech", line=7, position="after", withheld=True),
             ContextTurn(speaker="clinician", line=9, position="after", text="it's [x](y)",
                         withheld=True)]
    flagged = q.excerpt.model_copy(update={"exemplar": True, "contrast": True,
                                           "disconfirming": True, "context_turns": turns,
                                           "text": "A & B <i>|x|</i> # [link](u)\n\nnext"})
    other = q.excerpt.model_copy(update={"speaker": Speaker.other, "role": "the *nurse*"})
    return [Quote(flagged, q.clinician, q.dyad), Quote(flagged, q.clinician, None),
            Quote(other, q.clinician, q.dyad)]


@pytest.mark.parametrize("purpose", ["public", "review"])
@pytest.mark.parametrize("study_dir", ["casestudies", "examples/osce"])
def test_python_table_rows_equal_the_template_line(study_dir: str, purpose: Purpose,
                                                   tmp_path: Path) -> None:
    from build_site.render.analysis_pages import _excerpts

    prepared = prepare(REPO / study_dir, purpose)
    ctx = _render_context(prepared, DiagramRenderer(tmp_path / "diagrams"))
    env = ctx.env.overlay(loader=ChoiceLoader([FileSystemLoader(TEMPLATES), ctx.env.loader]))
    ctx.__dict__["env"] = env
    page = "analysis/excerpts.md"
    context = _excerpts(ctx, page)
    rows = context["rows"]
    odd = {**rows[0], "dyad": None, "text": "A & B <i>|x|</i> *y*\n[z](w)", "speaker_label":
           "the *nurse* & co", "flags": ["contrastive", "not for publication"],
           "components": [*rows[0]["components"], "no_such_component"]}
    context["rows"] = [*rows, odd, {**odd, "codes": rows[0]["codes"][:1], "flags": []}]
    text = ctx.render("excerpt_row.j2", page, "probe", **context).markdown
    pairs = PAIR.findall(text)
    assert len(pairs) == len(context["rows"]) > 2
    for old, new in pairs:
        assert new == old
    assert any(r["dyad"] is None for r in rows) or study_dir == "examples/osce"


@pytest.mark.parametrize("purpose", ["public", "review"])
@pytest.mark.parametrize("study_dir", ["casestudies", "examples/osce"])
def test_python_matrix_rows_equal_the_template_line(study_dir: str, purpose: Purpose,
                                                    tmp_path: Path) -> None:
    from build_site.render.analysis_pages import MATRIX_PAGE, _matrix_writer

    prepared = prepare(REPO / study_dir, purpose)
    ctx = _render_context(prepared, DiagramRenderer(tmp_path / "diagrams"))
    env = ctx.env.overlay(loader=ChoiceLoader([FileSystemLoader(TEMPLATES), ctx.env.loader]))
    ctx.__dict__["env"] = env
    matrix = ctx.analysis.matrix
    assert matrix is not None
    first = matrix.rows[0]
    undated = first.dyad.model_copy(update={"interview": first.dyad.interview.model_copy(
        update={"order": None})})
    cells = {k: type(c)(summary="A & *b* <i>", supporting=c.supporting,
                        disconfirming=c.disconfirming) for k, c in first.cells.items()}
    odd = type(first)(undated, cells)
    shown = replace(matrix, rows=[*matrix.rows, odd])
    for linked in (True, False):
        ctx.linked = linked
        writer = _matrix_writer(ctx)
        text = ctx.render("matrix_row.j2", MATRIX_PAGE, "probe", matrix=shown,
                          matrix_row=writer.row, marks=writer.marks,
                          state_words=writer.state_words, rank=writer.rank,
                          counts=ctx.counts).markdown
        pairs = PAIR.findall(text)
        assert len(pairs) == len(shown.rows)
        for old, new in pairs:
            assert new == old
        if purpose == "review" and study_dir == "casestudies":
            assert "held back" in text


def test_a_string_printed_before_never_stands_for_markup_or_another_finalize() -> None:
    # _out keeps what a plain string prints; Markup("<b>") equals "<b>" as a key, so a kept
    # string must not be printed for it, nor a string kept for one finalize for another.
    from markupsafe import Markup

    from build_site.render.context import markdown_safe
    from build_site.render.excerpt_html import _out

    for value in ("<b>x</b>", "a_b & *c*", "D1-P1"):
        plain = _out(value, markdown_safe)
        assert _out(value, markdown_safe) == plain
        assert _out(Markup(value), markdown_safe) == value
        assert _out(value, str) == str(Markup.escape(value))
        assert _out(value, markdown_safe) == plain
    assert _out("<b>x</b>", markdown_safe) == "&lt;b&gt;x&lt;/b&gt;"
    assert _out("a_b & *c*", markdown_safe) == "a&#95;b &amp; &#42;c&#42;"


@pytest.mark.parametrize("study_dir", ["casestudies", "examples/osce"])
def test_python_dyad_links_equal_the_macro(study_dir: str, tmp_path: Path) -> None:
    """``excerpt_html.dyad_links`` (render6) prints what the ``dyad_links`` macro printed,
    from pages in every folder, for every case's dyads, none, and ids that need escaping or
    would be Markdown."""
    prepared = prepare(REPO / study_dir, "public")
    ctx = _render_context(prepared, DiagramRenderer(tmp_path / "diagrams"))
    env = ctx.env.overlay(loader=ChoiceLoader([FileSystemLoader(TEMPLATES), ctx.env.loader]))
    ctx.__dict__["env"] = env
    ids = [d.id for d in ctx.study.dyads]
    lists: list[Any] = [[], ids, ids[:1], tuple(reversed(ids)), {ids[0]},
                        ["a_b", "x*y", "<i>", "A & B", "d'1", 'q"2', "[l](u)", "é-1"],
                        [Markup("<b>m</b>"), "p|q"]]
    compared = 0
    for page in ["index.md", "model/index.md", "dyads/x.md", "analysis/matrix.md", "a/b/c.md"]:
        text = ctx.render("dyad_links_probe.j2", page, "probe", lists=lists).markdown
        for old, new in PAIR.findall(text):
            assert new == old, page
            compared += 1
    assert compared == 5 * len(lists)
