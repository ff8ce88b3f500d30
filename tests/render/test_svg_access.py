"""The diagram's links named for assistive technology (``build_site/render/svg_access.py``):
the rules on hand-written Graphviz-shaped SVG, then on the tiny study's drawn model."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from build_site.analyse import analyse
from build_site.pipeline import load_and_validate
from build_site.render.diagrams import DiagramLinks, DiagramRenderer, clean_svg, model_dot
from build_site.render.svg_access import name_links, root_role

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"
LINKS = DiagramLinks(component=lambda i: f"../model/{i}.html",
                     relation=lambda i: f"../model/relations.html#{i}")
NO_LINKS = DiagramLinks(component=lambda i: "", relation=lambda i: "")

NODE = ('<g id="m-power" class="node kind-process"><a href="power.html" '
        'xlink:title="Power: Using it well."><path d="M0 0"/>\n'
        '<text x="1" y="2">Appreciating</text>\n<text x="1" y="3">power</text>\n</a></g>')
EDGE = ('<g id="m-rel-r1" class="edge relation"><a href="relations.html#r1" '
        'xlink:title="Trust reinforces Appreciating power (tentative)"><path d="M0 0"/>'
        '<polygon points="0,0"/></a><a href="relations.html#r1" xlink:title="reinforces">\n'
        '<text x="5" y="5">reinforces</text>\n</a></g>')


def test_a_node_link_is_named_by_its_visible_text_and_keeps_its_tooltip() -> None:
    named = name_links(NODE)
    assert named.startswith('<g id="m-power" class="node kind-process"><a href="power.html" '
                            'aria-label="Appreciating power" xlink:title="Power: Using it well.">')
    assert named.split(">", 2)[2] == NODE.split(">", 2)[2]  # the drawing as it was


def test_an_edge_is_one_link_named_by_its_sentence() -> None:
    named = name_links(EDGE)
    assert named.count("<a ") == 1 and named.count("</a>") == 1
    assert ('<a href="relations.html#r1" aria-label="Trust reinforces Appreciating power '
            '(tentative)" xlink:title="Trust reinforces Appreciating power (tentative)">'
            ) in named
    # the line, the arrow head and the label, in their order, inside the one link
    assert re.search(r"<path [^>]*/><polygon [^>]*/>\n<text [^>]*>reinforces</text>\n</a></g>$",
                     named)


def test_links_to_different_targets_stay_apart() -> None:
    two = EDGE.replace('<a href="relations.html#r1" xlink:title="reinforces">',
                       '<a href="relations.html#r2" xlink:title="reinforces">')
    assert name_links(two).count("<a ") == 2


def test_the_root_is_a_group_only_when_it_holds_a_link() -> None:
    assert root_role(f"<svg>{NODE}</svg>") == "group"
    assert root_role('<svg><a xlink:href="x.html"><text>x</text></a></svg>') == "group"
    # Graphviz's tooltip-only <a> (a node without URL) is no link
    assert root_role('<svg><g><a xlink:title="Power: Using it well."><text>x</text></a>'
                     "</g></svg>") == "img"
    assert root_role("<svg><text>chart</text></svg>") == "img"


def test_the_drawn_model_has_every_link_named_and_one_per_relation(
        tiny: Path, tmp_path: Path) -> None:
    analysis = analyse(load_and_validate(tiny))
    renderer = DiagramRenderer(tmp_path / "cache")
    svg = clean_svg(renderer.svg(model_dot(analysis, LINKS, prefix="m")), "Diagram of the model")
    root = ET.fromstring(svg)
    assert root.get("role") == "group" and root.get("aria-label") == "Diagram of the model"
    links = list(root.iter(f"{SVG}a"))
    assert links and all(a.get("href") and a.get("aria-label") for a in links)
    assert not any(a.get(f"{XLINK}href") for a in links)
    names = {a.get("href"): a.get("aria-label") for a in links}
    for node in analysis.nodes.values():
        assert names[f"../model/{node.id}.html"] == node.label
    edge_links = [g.find(f"{SVG}a") for g in root.iter(f"{SVG}g")
                  if (g.get("class") or "").startswith("edge")]
    assert len(edge_links) == len(analysis.relations)  # one link for each drawn relation
    # worded from the tiny model.yml: a whole kind's title as the subject, written as is
    assert {h.split("#")[1]: n for h, n in names.items() if "#" in h} == {
        "listening-helps-caring": "Competencies facilitate processes (asserted; evidence not "
                                  "shown)",
        "caring-builds-trust": "Caring produces Trust (established)",
        "trust-feeds-back": "Trust reinforces Listening (tentative)"}


def test_a_diagram_without_links_stays_an_image(tiny: Path, tmp_path: Path) -> None:
    analysis = analyse(load_and_validate(tiny))
    renderer = DiagramRenderer(tmp_path / "cache")
    svg = clean_svg(renderer.svg(model_dot(analysis, NO_LINKS, prefix="p")), "Diagram")
    assert svg.startswith('<svg role="img" aria-label="Diagram"')
    assert "aria-label" not in svg.split(">", 1)[1]  # nothing inside to name


def test_a_keyboard_meets_the_components_in_model_order_then_the_relations(
        tiny: Path, tmp_path: Path) -> None:
    analysis = analyse(load_and_validate(tiny))
    svg = clean_svg(DiagramRenderer(tmp_path / "cache").svg(model_dot(analysis, LINKS)), "D")
    order = [a.get("href") for a in ET.fromstring(svg).iter(f"{SVG}a")]  # the tab order
    groups = [f"../model/{n.id}.html" for n in analysis.nodes.values() if n.children]
    boxes = [f"../model/{n.id}.html" for n in analysis.nodes.values() if not n.children]
    relations = [f"../model/relations.html#{r}" for r in analysis.relations]
    # Graphviz draws the groups (components with elements) under everything else, so first;
    # then the boxes as model.yml lists them, then the relations as it lists them
    assert order == groups + boxes + relations
