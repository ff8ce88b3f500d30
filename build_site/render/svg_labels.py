"""Labels of the edges to a whole kind, moved beside the line that is drawn.

Graphviz places an edge's label at the middle of the edge as it routes it from node to node.
An edge to a whole kind (``lhead`` a kind's group) is routed from a node inside one group to
a node inside the other and then clipped at the groups' borders, so only a short line
between the two groups is drawn while its label stays at the hidden middle, where it can sit
beside another edge (the bundled model's "produces" next to "reinforces", issue 23). Such
edges carry their label as a head label and the class ``kind-edge``; this module moves that
label beside the middle of the drawn line, on its right.
"""

from __future__ import annotations

import re

_KIND_EDGE = re.compile(
    r'<g id="[^"]*" class="edge[^"]*kind&#45;edge[^"]*">(?P<body>.*?)'
    r'<text text-anchor="middle" x="(?P<x>-?[0-9.]+)" y="(?P<y>-?[0-9.]+)"'
    r'(?P<rest>[^>]*font-size="(?P<size>[0-9.]+)"[^>]*>)', re.S)
_SHAPE = re.compile(r'\b(?:d|points)="([^"]*)"')
_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
GAP = 4.0
"""Points between the drawn line and its label."""


def _points(body: str) -> list[tuple[float, float]]:
    numbers: list[float] = []
    for shape in _SHAPE.findall(body):
        numbers.extend(float(n) for n in _NUMBER.findall(shape))
    return list(zip(numbers[::2], numbers[1::2], strict=False))


def place_kind_labels(svg: str) -> str:
    """``svg`` (``dot -Tsvg`` output) with the label of every ``kind-edge`` moved to the right of
    its drawn line and arrowhead, level with their middle; other text is untouched.

    Returns:
        The SVG; unchanged when it has no such edge, or one without a drawn line.
    """
    def move(m: re.Match[str]) -> str:
        points = _points(m.group("body"))
        if not points:
            return m.group(0)
        xs = [x for x, _ in points]
        ys = [y for _, y in points]
        x = max(xs) + GAP
        y = (min(ys) + max(ys)) / 2 + float(m.group("size")) * 0.35
        return (f'{m.group(0)[:m.start("body") - m.start()]}{m.group("body")}'
                f'<text text-anchor="start" x="{x:.2f}" y="{y:.2f}"{m.group("rest")}')

    return _KIND_EDGE.sub(move, svg)
