from __future__ import annotations

import re
from pathlib import Path

from build_site.analyse import analyse
from build_site.pipeline import load_and_validate
from build_site.render.diagrams import DiagramLinks, DiagramRenderer, clean_svg, model_dot

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
    assert svg.startswith('<svg role="img" aria-label="Diagram of the model"')
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
