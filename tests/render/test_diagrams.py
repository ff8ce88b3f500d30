from __future__ import annotations

import re
from pathlib import Path

import pytest

from build_site.analyse import analyse
from build_site.pipeline import load_and_validate
from build_site.render.diagrams import (
    PLACEHOLDER,
    DiagramLinks,
    DiagramRenderer,
    clean_svg,
    model_dot,
    model_template,
)
from build_site.render.fragments import stand_in, swap_in

LINKS = DiagramLinks(component=lambda i: f"../model/{i}.html",
                     relation=lambda i: f"../model/relations.html#{i}")


def test_dot_has_every_component_linked_and_classed(tiny: Path) -> None:
    analysis = analyse(load_and_validate(tiny))
    dot = model_dot(analysis, LINKS, highlight={"caring", "small-acts"}, prefix="d-x")
    for node_id in ("listening", "small-acts", "staying", "trust"):
        assert f'URL="../model/{node_id}.html"' in dot
    assert "cluster_caring" in dot  # a component with elements is a group
    assert 'class="kind-process evidenced"' in dot
    assert 'class="kind-process dim"' in dot  # staying is not highlighted
    assert "lhead=cluster_kind_process" in dot  # a whole-kind relation
    assert re.search(r'style=dashed[^\]]*|\[[^\]]*style=dashed', dot)  # tentative relation
    assert "constraint=false" in dot  # the feedback arrow does not bend the layout


def test_svg_is_cleaned_and_ids_prefixed(tiny: Path, tmp_path: Path) -> None:
    analysis = analyse(load_and_validate(tiny))
    renderer = DiagramRenderer(tmp_path / "cache")
    raw = renderer.svg(model_dot(analysis, LINKS, prefix="home"))
    svg = clean_svg(raw, "Diagram of the model")
    assert svg.startswith('<svg role="group" aria-label="Diagram of the model"')  # links
    assert "<!DOCTYPE" not in svg and "<?xml" not in svg and "<!--" not in svg
    assert "<title>" not in svg and "cluster_" not in svg.split("<svg", 1)[1].split(">", 1)[1]
    assert 'xlink:title="Caring: Showing care."' in svg  # the tooltip people see
    ids = re.findall(r'\bid="([^"]+)"', svg)
    assert ids and all(i.startswith(("home-", "a_home-")) for i in ids)
    assert len(ids) == len(set(ids))


def test_cache_renders_each_source_once(tiny: Path, tmp_path: Path) -> None:
    analysis = analyse(load_and_validate(tiny))
    renderer = DiagramRenderer(tmp_path / "cache")
    dot = model_dot(analysis, LINKS)
    first = renderer.svg(dot)
    assert renderer.svg(dot) == first
    assert (renderer.rendered, renderer.cached) == (1, 1)


def test_diagrams_from_one_template_equal_diagrams_drawn_alone(tiny: Path,
                                                               tmp_path: Path) -> None:
    analysis = analyse(load_and_validate(tiny))
    shared = DiagramRenderer(tmp_path / "shared")
    alone = DiagramRenderer(tmp_path / "alone")
    cases = [({"caring", "small-acts"}, "d-C1-P1"), ({"trust"}, "c-C1"), (set(), "d-x.y_z"),
             (None, "home"), (None, "model")]
    markers = [shared.placeholder(model_template(analysis, LINKS, highlighted=h is not None),
                                  f"Diagram {prefix}", prefix, h) for h, prefix in cases]
    svgs = shared.render()
    for (highlight, prefix), marker in zip(cases, markers, strict=True):
        expected = clean_svg(alone.svg(model_dot(analysis, LINKS, highlight, prefix)),
                             f"Diagram {prefix}")
        assert svgs[PLACEHOLDER.fullmatch(marker).group(1)] == expected  # type: ignore[union-attr]
    assert (shared.rendered, shared.cached) == (2, 0)  # highlighted and plain: two layouts
    assert alone.rendered == len(cases)


def test_markers_in_markdown_become_svg_and_excerpts_in_html(bundled_site: Path) -> None:
    docs = bundled_site.parent / f".{bundled_site.name}.build" / "docs"
    assert "<svg" not in (docs / "dyads" / "D1-P1.md").read_text(encoding="utf-8")
    assert "<!--bs-diagram:" in (docs / "dyads" / "D1-P1.md").read_text(encoding="utf-8")
    page = (bundled_site / "dyads" / "D1-P1.html").read_text(encoding="utf-8")
    assert "<!--bs-diagram:" not in page
    assert page.count('aria-label="Model diagram: components evidenced in dyad D1-P1"') == 1
    assert 'class="node kind-process evidenced"' in page and 'id="d-D1-P1-graph"' in page
    markdown = (docs / "dyads" / "D1-P1.md").read_text(encoding="utf-8")
    assert "<figure" not in markdown and "<!--bs-block:" in markdown  # excerpts lifted too
    # seven excerpts, the case's facts and the diagram's text alternative
    assert page.count('<figure class="bs-excerpt') == markdown.count("<!--bs-block:") - 2
    assert '<dl class="bs-facts">' in page and '<details class="bs-alt">' in page
    assert "<!--bs-block:" not in page


def test_swap_in_refuses_an_unknown_marker() -> None:
    with pytest.raises(KeyError):
        swap_in("<p>x</p><!--bs-diagram:" + "0" * 64 + "-->", {})
    assert swap_in("<p>no diagram</p>", {}) == "<p>no diagram</p>"


def _indexed(html: str) -> list[tuple[str, str, str]]:
    from material.plugins.search.plugin import Parser

    parser = Parser()
    parser.feed(html)
    parser.close()
    return [(str(s.id), "".join(s.title), "".join(s.text)) for s in parser.data]


def test_search_reads_the_stand_in_as_it_reads_the_svg(tiny: Path, tmp_path: Path) -> None:
    analysis = analyse(load_and_validate(tiny))
    svg = clean_svg(DiagramRenderer(tmp_path / "c").svg(
        model_dot(analysis, LINKS, {"caring"}, "d-x")), "Diagram of <dyad> x")
    page = ('<h2 id="a">Case</h2>\n<p>Before</p>\n<div class="bs-diagram">\n{}\n</div>\n'
            "<details><summary>Text</summary><ul><li>Caring</li></ul></details>\n<p>After</p>")
    assert "Caring" in "".join(t for _, _, t in _indexed(page.format(svg)))
    assert _indexed(page.format(stand_in(svg))) == _indexed(page.format(svg))
    assert "<path" not in stand_in(svg)


def test_pages_with_diagrams_are_indexed_with_stand_ins(tiny: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from material.plugins.search.plugin import SearchIndex

    from build_site.pipeline import build

    seen: list[str] = []
    real = SearchIndex.add_entry_from_context

    def spy(self: SearchIndex, page: object) -> None:
        seen.append(str(getattr(page, "content", "")))
        real(self, page)

    monkeypatch.setattr(SearchIndex, "add_entry_from_context", spy)
    out = tmp_path / "site"
    build(tiny, out)
    with_diagrams = [c for c in seen if "<!--bs-search:" in c]
    assert with_diagrams and not any("<path" in c for c in with_diagrams)
    assert "<path" in (out / "dyads" / "C1-P1.html").read_text(encoding="utf-8")
    assert "bs-search" not in (out / "dyads" / "C1-P1.html").read_text(encoding="utf-8")


def test_tables_index_through_stand_ins_and_paragraphs_do_not() -> None:
    table = ('<div class="bs-scroll" tabindex="0">\n<table class="bs-matrix"><caption>Dyads'
             '</caption>\n<tr><th>Dyad</th><td><a href="x.html" title="Caring">+</a> &amp; '
             "<span>±</span></td><td>&nbsp;</td><td>&#10;</td><td>a\nb </td><td> </td>"
             "<td>&lt;x&gt;</td></tr>\n  \n</table>\n</div>")
    page = '<h2 id="m">Matrix</h2>\n<p>Intro</p>\n{}\n<p>After</p>'
    cheap = stand_in(table)
    assert cheap is not None and "<td" not in cheap and cheap.count("<br>") < 12
    assert _indexed(page.format(cheap)) == _indexed(page.format(table))
    assert stand_in("<figure><blockquote><p>Said.</p></blockquote></figure>") is None
    assert stand_in('<div data-search-exclude><span>x</span></div>') is None


def test_each_template_cleaned_once_gives_what_cleaning_each_diagram_gives(
        tmp_path: Path) -> None:
    """The render stage cleans a drawn template once and fills in each diagram's ids, classes
    and label after (branch rpool); every diagram of the bundled study's review copy, and one
    with a label to escape and a prefix full of dashes, equal the cleaning of each
    diagram's own SVG."""
    from build_site.pipeline import _render_context, declare_pages, prepare
    from build_site.render.diagrams import instantiate

    from ..conftest import REPO

    prepared = prepare(REPO / "casestudies", "review")
    ctx = _render_context(prepared, DiagramRenderer(tmp_path / "cache"))
    declare_pages(prepared, ctx).render(ctx)
    template = model_template(prepared.analysis, LINKS, highlighted=True)
    ctx.diagrams.placeholder(template, 'A "quoted" <label> & more', "-a--b-",
                             set(list(prepared.analysis.nodes)[:3]))
    wanted = dict(ctx.diagrams._wanted)
    svgs = ctx.diagrams.render()
    assert len(wanted) > 30 and any("kind-edge" in s for s in svgs.values())
    for key, w in wanted.items():
        raw = ctx.diagrams.svg(w.source)
        assert svgs[key] == clean_svg(instantiate(raw, w.prefix, w.classes), w.label), w.prefix
