"""Work the render stage does once per site instead of once per page (issue 25) gives the same
answers as the per-page work it replaced."""

from __future__ import annotations

import itertools
import posixpath
from pathlib import Path

import pytest

from build_site.analyse import Evidence, analyse
from build_site.pipeline import load_and_validate
from build_site.privacy.selection import select
from build_site.render.context import RelationView, RenderContext
from build_site.render.diagrams import DiagramRenderer
from build_site.render.html import relative_path
from build_site.render.relation_claims import claim_view, reading_list
from build_site.study import Audience
from build_site.verbs import verb_for

REPO = Path(__file__).resolve().parents[2]


def _scanned_views(ctx: RenderContext) -> list[RelationView]:
    """The relation views as each page used to build them: from scratch, every call."""
    views = []
    for r in ctx.analysis.relations.values():
        evidence = ctx.analysis.evidence.get(r.id, Evidence())
        views.append(RelationView(
            r.id, verb_for(r.from_, r.kind), r.description, r.tentative,
            ctx._end_label(r.from_), ctx._end_label(r.to), evidence,
            claim_view(r, ctx.study, len(evidence.all()),
                       reading_list(r, ctx.analysis) if ctx.review else None)))
    return views


@pytest.mark.parametrize("audience", ["public", "review"])
@pytest.mark.parametrize("study_dir", ["casestudies", "examples/osce"])
def test_relation_views_made_once_equal_those_made_per_page(
        study_dir: str, audience: Audience, tmp_path: Path) -> None:
    shown = select(load_and_validate(REPO / study_dir), audience)
    ctx = RenderContext(shown, analyse(shown), audience, DiagramRenderer(tmp_path))
    scanned = _scanned_views(ctx)
    assert scanned, "the study has relations to compare"
    assert ctx.relation_views() == scanned
    for view in scanned:
        assert ctx.relation_views([view.id]) == [view]
    some = [v.id for v in scanned[::2]]
    assert ctx.relation_views(some) == [v for v in scanned if v.id in some]
    assert ctx.relation_views([]) == []


def test_a_caller_changing_its_list_of_views_changes_no_other_page(tmp_path: Path) -> None:
    shown = select(load_and_validate(REPO / "casestudies"), "public")
    ctx = RenderContext(shown, analyse(shown), "public", DiagramRenderer(tmp_path))
    first = ctx.relation_views()
    first.clear()
    assert ctx.relation_views() == _scanned_views(ctx)


PATHS = ["", ".", "a", "a/b", "a/b/c.html", "x/b", "a/../b", "./a", "a//b", "a/", "..", "../a",
         "/a", "/a/b", "a/b/../..", "a/b/../../..", "index.html", "dyads/D1-P1.html", "dyads",
         "model/x.html", "./", "a/./b", "model/../dyads/x.html", "b/a"]


def test_relative_path_is_posixpath_relpath() -> None:
    for path, start in itertools.product(PATHS, PATHS):
        try:
            expected: str | type[ValueError] = posixpath.relpath(path, start)
        except ValueError:
            expected = ValueError
        try:
            got: str | type[ValueError] = relative_path(path, start)
        except ValueError:
            got = ValueError
        assert got == expected, (path, start)


def test_narratives_through_one_converter_equal_a_new_converter_each() -> None:
    # One Markdown converter serves every narrative (reset before each): nothing one text
    # defines (a link reference, a list, a table) may reach the next.
    import markdown

    from build_site.render import html

    texts = ["See [the clinic][r].\n\n[r]: https://example.org/a",
             "See [the clinic][r] again.",
             "1. one\n2. two\n\n* a\n* b",
             "| a | b |\n|---|---|\n| 1 | 2 |",
             "# Title\n\n## Part\n\n<script>x</script> *hi*",
             "See [the clinic][r]."]
    fresh = [markdown.markdown(t, extensions=["sane_lists", "tables"], output_format="html")
             for t in texts]
    assert [html._markdown().reset().convert(t) for t in texts] == fresh
    assert [html.narrative_html(t) for t in texts][1] == html.narrative_html(texts[1])
    assert 'href="https://example.org/a"' in html.narrative_html(texts[0])
    assert "href" not in html.narrative_html(texts[1]) + html.narrative_html(texts[5])


def test_evidenced_counts_made_once_equal_the_count(tmp_path: Path) -> None:
    shown = select(load_and_validate(REPO / "casestudies"), "public")
    ctx = RenderContext(shown, analyse(shown), "public", DiagramRenderer(tmp_path))
    nodes = set(ctx.analysis.nodes)
    counted = {d: len(ids & nodes) for d, ids in ctx.analysis.dyad_evidenced.items()}
    first = ctx.evidenced_counts()
    assert first == counted and any(first.values())
    first.clear()
    assert ctx.evidenced_counts() == counted


def _instantiate_by_search(template_svg: str, prefix: str, classes: dict[str, str]) -> str:
    """diagrams.instantiate as written before issue 25: one search of the whole SVG."""
    import re

    from build_site.render.diagrams import _ID_OR_CLASS, _MARK_TOKEN, PREFIX_TOKEN

    prefix = prefix.replace("-", "&#45;")

    def attribute(m: re.Match[str]) -> str:
        value = m.group(2).replace(PREFIX_TOKEN, prefix)
        value = _MARK_TOKEN.sub(lambda t: classes[t.group(0)], value)
        return f'{m.group(1)}="{value}"'

    return _ID_OR_CLASS.sub(attribute, template_svg)


HANDMADE = ('<svg id="bsprefix_graph0" class="graph"><g id="bsprefix_node1" class="node '
            'bsmark00000 x"><text>id="bsprefix" class="bsmark00001"</text></g><g id="static" '
            'class="plain"/><a href="#bsprefix_node1" id="a_bsprefix"/>'
            '<g class="bsmark00001bsmark00000" id=""/></svg>')


def test_diagrams_filled_from_a_cut_template_equal_a_search_of_the_whole(
        tmp_path: Path) -> None:
    from build_site.pipeline import _render_context, declare_pages, prepare
    from build_site.render.diagrams import instantiate

    classes = {"bsmark00000": "evidenced", "bsmark00001": "dim"}
    for prefix in ("d-D1-P1", "model", "c-bsmark00001", ""):
        assert instantiate(HANDMADE, prefix, classes) == _instantiate_by_search(
            HANDMADE, prefix, classes)
    with pytest.raises(KeyError):
        instantiate(HANDMADE, "x", {"bsmark00000": "dim"})
    compared = 0
    for study_dir in ("casestudies", "examples/osce"):
        prepared = prepare(REPO / study_dir, "public", scan=False)
        ctx = _render_context(prepared, DiagramRenderer(tmp_path / study_dir))
        declare_pages(prepared, ctx).render(ctx)
        for wanted in ctx.diagrams._wanted.values():
            raw = ctx.diagrams.svg(wanted.source)
            assert instantiate(raw, wanted.prefix, wanted.classes) == _instantiate_by_search(
                raw, wanted.prefix, wanted.classes)
            compared += 1
    assert compared > 20


def test_page_urls_with_anchors_are_the_page_url_and_the_anchor() -> None:
    from build_site.render.html import page_url

    pages = ["index.md", "dyads/D1-P1.md", "model/valuing.md", "data/x/deep.md"]
    for here, there in itertools.product(pages, pages):
        expected = ("" if here == there else posixpath.relpath(
            posixpath.splitext(there)[0] + ".html", posixpath.dirname(here) or "."))
        assert page_url(here, there) == expected
        for anchor in ("E1", "dyad-D1-P1"):
            assert page_url(here, there, anchor) == f"{expected}#{anchor}"


@pytest.mark.parametrize("purpose", ["public", "review"])
@pytest.mark.parametrize("study_dir", ["casestudies", "examples/osce"])
def test_each_page_rendered_alone_equals_it_rendered_after_the_others(
        study_dir: str, purpose: str, tmp_path: Path) -> None:
    # What a site keeps for the pages of a folder (text alternatives, code chips, excerpts'
    # words) must never give a page what another page's links were: every page rendered by
    # a context that rendered nothing before equals the page rendered after all those
    # declared before it (a model folder holds both pages that are link targets and pages
    # that are not).
    from build_site.pipeline import _render_context, declare_pages, prepare

    prepared = prepare(REPO / study_dir, purpose, scan=False)  # type: ignore[arg-type]
    ctx = _render_context(prepared, DiagramRenderer(tmp_path / "site"))
    records = [r for r in declare_pages(prepared, ctx).records if r.generated]
    together = [ctx.render(r.template, r.path, r.title, r.hide, **r.context()) for r in records]
    folders = {posixpath.dirname(r.path) for r in records}
    assert len(records) > 30 and {"model", "dyads"} <= folders
    for index, record in enumerate(records):
        alone = _render_context(prepared, DiagramRenderer(tmp_path / "alone"))
        alone.__dict__["env"] = ctx.env  # the same templates, compiled once
        again = [r for r in declare_pages(prepared, alone).records if r.generated][index]
        assert again.path == record.path
        page = alone.render(again.template, again.path, again.title, again.hide,
                            **again.context())
        assert page == together[index], record.path
