"""Model diagrams: DOT built with the ``graphviz`` package, rendered to SVG by Graphviz ``dot``.

Every diagram is the whole model (so per-case "highlight" diagrams share the model's layout):
competencies, processes with their elements, outcomes, and the relations between them. Nodes
and edges are links to their evidence pages; CSS classes (``kind-*``, ``evidenced``, ``dim``,
``tentative``) let the site's stylesheet colour them for Material's light and dark palettes.

A keyboard meets the links in the model's order: component groups, boxes, then relations
(``outputorder``); :mod:`build_site.render.svg_access` names them.

Rendered SVG is cached on disk by a hash of the DOT source and the Graphviz version (after
Sphinx's graphviz extension), so an unchanged diagram is never rendered twice; the uncached
diagrams of a build go through a few ``dot`` processes together rather than one each.
"""

from __future__ import annotations

import hashlib
import os
import re
import textwrap
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import graphviz

from build_site.analyse import Analysis, Evidence, Node, relation_end_ids
from build_site.errors import Problem, StudyError
from build_site.relation_claims import ASSERTED, TENTATIVE, status
from build_site.render.svg_access import name_links, root_role
from build_site.render.svg_compact import compact_svg
from build_site.render.svg_labels import place_kind_labels
from build_site.study import Kind, KindRef, in_sentence
from build_site.verbs import verb_for

FONT = "DejaVu Sans"
FONT_SIZE = 12
"""Points, for every text in a diagram (box, group and edge labels; kind titles a point more).
The site never scales a diagram below 3/4 of its drawn size (see :func:`min_width_style`),
so no text is ever smaller than 12 CSS px: 12 pt is 16 px, times 3/4."""
WRAP = 14
"""Characters per line of a box or group label: long labels wrap onto lines rather than widen
the drawing (the bundled model's 'Acceptance of the illness experience' took 300 px)."""
KIND_WRAP = 24


def _text(value: str) -> str:
    """A label or tooltip as literal text for DOT: backslashes doubled (DOT reads escape
    sequences in strings), ampersands written ``&amp;`` (Graphviz passes a character reference
    such as a typed ``&amp;`` into the SVG as it is, so it would show as ``&``) and never
    taken for an HTML-like label (``<...>``)."""
    literal = value.replace("\\", "\\\\").replace("&", "&amp;")
    escaped: str = graphviz.nohtml(literal)
    return escaped


def _wrapped(value: str, width: int = WRAP) -> str:
    """A label as DOT text (see :func:`_text`) broken at spaces into centred lines of at most
    ``width`` characters (a longer word keeps its own line; hyphens never break)."""
    lines = textwrap.wrap(value, width, break_long_words=False, break_on_hyphens=False)
    literal = "\\n".join(
        line.replace("\\", "\\\\").replace("&", "&amp;") for line in lines or [value])
    escaped: str = graphviz.nohtml(literal)
    return escaped


@dataclass(frozen=True)
class DiagramLinks:
    """How diagram links are written for the page that shows the diagram.

    ``component``: a component/element id -> URL; ``relation``: a relation id -> URL.
    """

    component: Callable[[str], str]
    relation: Callable[[str], str]


Mark = Callable[[Node], "str | None"]
"""The extra CSS class of a node (``evidenced``, ``dim``, or a template's token), if any."""


def _highlight_mark(highlight: set[str] | None) -> Mark:
    if highlight is None:
        return lambda node: None
    return lambda node: "evidenced" if node.id in highlight else "dim"


def _node_classes(node: Node, mark: Mark) -> str:
    extra = mark(node)
    return f"kind-{node.kind.value}" + (f" {extra}" if extra else "")


class _Builder:
    def __init__(self, analysis: Analysis, links: DiagramLinks, mark: Mark,
                 prefix: str) -> None:
        self.analysis = analysis
        self.links = links
        self.mark = mark
        self.prefix = prefix
        self.anchor: dict[str, str] = {}  # cluster or node id -> its first node
        self._last: dict[str, str] = {}  # cluster or node id -> its last node
        self.cluster_name: dict[str, str] = {}

    def _node(self, g: graphviz.Digraph, node: Node) -> None:
        url = self.links.component(node.id)
        g.node(node.id, label=_wrapped(node.label), **({"URL": url} if url else {}),
               tooltip=_text(f"{node.label}: {node.definition}"[:200]),
               id=f"{self.prefix}-{node.id}", **{"class": _node_classes(node, self.mark)})
        self.anchor[node.id] = node.id
        self._last[node.id] = node.id

    def _item(self, g: graphviz.Digraph, node: Node) -> None:
        if not node.children:
            self._node(g, node)
            return
        name = f"cluster_{node.id}"
        with g.subgraph(name=name) as sub:
            url = self.links.component(node.id)
            sub.attr(label=_wrapped(node.label), **({"URL": url} if url else {}),
                     tooltip=_text(f"{node.label}: {node.definition}"[:200]),
                     id=f"{self.prefix}-{node.id}", style="rounded",
                     **{"class": "group " + _node_classes(node, self.mark)})
            for child in node.children:
                self._item(sub, self.analysis.nodes[child])
            # Stack the elements in a column, in model order.
            for upper, lower in zip(node.children, node.children[1:], strict=False):
                sub.edge(self._last[upper], self.anchor[lower], style="invis", weight="10")
        self.cluster_name[node.id] = name
        self.anchor[node.id] = self.anchor[node.children[0]]
        self._last[node.id] = self._last[node.children[-1]]

    def build(self) -> graphviz.Digraph:
        g = graphviz.Digraph(name=self.prefix)
        # outputorder: the SVG lists the boxes in the order they were added (the model's),
        # then the edges: the keyboard's order through the links (the layout is the same)
        g.attr(rankdir="TB", compound="true", bgcolor="transparent", fontname=FONT,
               outputorder="nodesfirst",
               fontsize=str(FONT_SIZE + 1), nodesep="0.15", ranksep="0.6",
               id=f"{self.prefix}-graph")
        g.attr("node", shape="box", style="rounded,filled", fontname=FONT,
               fontsize=str(FONT_SIZE), margin="0.12,0.05")
        g.attr("edge", fontname=FONT, fontsize=str(FONT_SIZE))
        tops = [n for n in self.analysis.nodes.values() if n.is_component]
        for kind in Kind:
            members = [n for n in tops if n.kind is kind]
            if not members:
                continue
            name = f"cluster_kind_{kind.value}"
            with g.subgraph(name=name) as sub:
                sub.attr(label=_wrapped(self.analysis.kind_titles[kind], KIND_WRAP),
                         id=f"{self.prefix}-kind-{kind.value}", style="rounded,dashed",
                         **{"class": f"kind-group kind-{kind.value}"})
                for node in members:
                    self._item(sub, node)
            self.cluster_name[f"kind:{kind.value}"] = name
            self.anchor[f"kind:{kind.value}"] = self.anchor[members[len(members) // 2].id]
            self._last[f"kind:{kind.value}"] = self._last[members[len(members) // 2].id]
        for rel in self.analysis.relations.values():
            shown = status(rel, len(self.analysis.evidence.get(rel.id, Evidence()).all()))
            self._edge(g, rel.id, rel.from_, rel.to, verb_for(rel.from_, rel.kind), shown)
        return g

    def _order(self, end: str | KindRef) -> int:
        kind = end.kind if isinstance(end, KindRef) else self.analysis.nodes[end].kind
        return list(Kind).index(kind)

    def _end(self, end: str | KindRef, tail: bool) -> tuple[str, str | None]:
        key = f"kind:{end.kind.value}" if isinstance(end, KindRef) else end
        node = self._last[key] if tail else self.anchor[key]
        return node, self.cluster_name.get(key)

    def _end_label(self, end: str | KindRef, first: bool = False) -> str:
        """A relation's end as its sentence reads it: a node's label, or a whole kind's title,
        in sentence case unless ``first`` (the sentence's first words; otherwise as the text
        alternative words it, ``RenderContext._end_label``)."""
        if isinstance(end, KindRef):
            title = self.analysis.kind_titles[end.kind]
            return title if first else in_sentence(title)
        return self.analysis.nodes[end].label

    def _edge(self, g: graphviz.Digraph, rel_id: str, src: str | KindRef, dst: str | KindRef,
              label: str, shown: str) -> None:
        if not relation_end_ids(self.analysis.nodes, src) or not relation_end_ids(
            self.analysis.nodes, dst
        ):
            return
        backwards = self._order(src) > self._order(dst)
        tail, ltail = self._end(src, tail=not backwards)
        head, lhead = self._end(dst, tail=backwards)
        tentative = shown == TENTATIVE
        asserted = shown == ASSERTED
        # A label sits at the middle of the edge as Graphviz routes it from node to node; an
        # edge to a whole kind is drawn only from one group's border to the other's, so its
        # label is drawn as a head label and moved beside that short visible line
        # (place_kind_labels), not left at the hidden middle beside another edge's label.
        where = "headlabel" if isinstance(dst, KindRef) else "label"
        kinds = " kind-edge" if where == "headlabel" else ""
        attrs = {where: _text(f"{label} (asserted)" if asserted else label),
                 "URL": self.links.relation(rel_id) or "",
                 # the relation's sentence, as the text alternative words it: the tooltip
                 # and, by svg_access.name_links, the edge link's accessible name
                 "tooltip": _text(f"{self._end_label(src, first=True)} {label} "
                                  f"{self._end_label(dst)} ({shown})"),
                 "id": f"{self.prefix}-rel-{rel_id}",
                 "class": ("relation tentative" if tentative else
                           "relation asserted" if asserted else "relation") + kinds}
        if not attrs["URL"]:
            del attrs["URL"]
        if tentative:
            attrs["style"] = "dashed"
        elif asserted:
            attrs["style"] = "dotted"
        if backwards:
            attrs["constraint"] = "false"  # a feedback arrow must not distort the layout
        if ltail:
            attrs["ltail"] = ltail
        if lhead:
            attrs["lhead"] = lhead
        g.edge(tail, head, **attrs)


def model_dot(analysis: Analysis, links: DiagramLinks, highlight: set[str] | None = None,
              prefix: str = "model") -> str:
    """The DOT source of the model diagram.

    Args:
        analysis: the analysed study.
        links: URL builders for the page the diagram appears on.
        highlight: ids to mark ``evidenced`` (the rest ``dim``), or None for a plain diagram.
        prefix: prefix for every SVG id, unique on the page.
    """
    source: str = _Builder(analysis, links, _highlight_mark(highlight), prefix).build().source
    return source


PREFIX_TOKEN = "bsprefix"
_MARK_TOKEN = re.compile(r"bsmark\d{5}")
_ID_OR_CLASS = re.compile(r'\b(id|class)="([^"]*)"')


@dataclass(frozen=True)
class DotTemplate:
    """The DOT source of a model diagram with its page-specific parts left as tokens.

    Diagrams that differ only in their id prefix and in which nodes are ``evidenced`` or
    ``dim`` (every case page's highlight diagram) share one layout: Graphviz uses neither ids
    nor classes to lay a graph out. So one template is drawn and :func:`instantiate` writes each
    diagram's prefix and classes into the SVG's ``id`` and ``class`` attributes, the only places
    they appear (labels and tooltips are never touched).

    ``source``: DOT with :data:`PREFIX_TOKEN` for the prefix and a ``bsmarkNNNNN`` class token
    per node; ``marks``: node id -> its token.
    """

    source: str
    marks: dict[str, str]


def model_template(analysis: Analysis, links: DiagramLinks, highlighted: bool) -> DotTemplate:
    """The :class:`DotTemplate` of the model diagram (with a mark token per node when
    ``highlighted``); see :func:`model_dot` for the arguments."""
    marks = {node_id: f"bsmark{i:05d}" for i, node_id in enumerate(analysis.nodes)}
    mark: Mark = (lambda node: marks[node.id]) if highlighted else (lambda node: None)
    source: str = _Builder(analysis, links, mark, PREFIX_TOKEN).build().source
    return DotTemplate(source, marks if highlighted else {})


def instantiate(template_svg: str, prefix: str, classes: dict[str, str],
                dash: str = "&#45;") -> str:
    """The raw SVG of one diagram from its template's SVG: :data:`PREFIX_TOKEN` replaced by
    ``prefix`` and each mark token by its class in ``classes`` (token -> ``evidenced`` or
    ``dim``), inside ``id`` and ``class`` attribute values only, escaped as ``dot`` escapes
    them (``-`` as ``&#45;``).

    Raises:
        KeyError: the SVG holds a mark token ``classes`` does not name.
    """
    prefix = prefix.replace("-", dash)  # dash="-": into an SVG already cleaned (clean_drawn)

    def attribute(name: str, value: str) -> str:
        value = value.replace(PREFIX_TOKEN, prefix)
        if "bsmark" in value:  # what _MARK_TOKEN can match starts so
            value = _MARK_TOKEN.sub(lambda t: classes[t.group(0)], value)
        return f'{name}="{value}"'

    return "".join(part if isinstance(part, str) else attribute(*part)
                   for part in _template_parts(template_svg))


@lru_cache(maxsize=16)
def _template_parts(template_svg: str) -> tuple[str | tuple[str, str], ...]:
    """``template_svg`` cut once into its text and the ``id`` and ``class`` attributes that
    hold a token, as (name, value): what :func:`instantiate` fills in for every diagram drawn
    from it (282 of them at 230 dyads), instead of searching the whole SVG each time. An
    attribute without a token is kept as text, written as the substitution would write it."""
    parts: list[str | tuple[str, str]] = []
    text: list[str] = []
    position = 0
    for m in _ID_OR_CLASS.finditer(template_svg):
        text.append(template_svg[position:m.start()])
        name, value = m.group(1), m.group(2)
        if PREFIX_TOKEN in value or "bsmark" in value:
            parts += ["".join(text), (name, value)]
            text = []
        else:
            text.append(f'{name}="{value}"')
        position = m.end()
    text.append(template_svg[position:])
    parts.append("".join(text))
    return tuple(parts)


@cache
def graphviz_version() -> str:
    """The version of the installed ``dot``, e.g. ``2.43.0``.

    Raises:
        graphviz.ExecutableNotFound: when Graphviz is not installed.
    """
    return ".".join(str(p) for p in graphviz.version())


_PROLOG = re.compile(r"^.*?(?=<svg\b)", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
# Graphviz titles every group with its internal DOT name ("cluster_valuing", "a->b"), which
# browsers show as tooltips and screen readers read out; the links carry real tooltips.
_TITLE = re.compile(r"<title>[^<]*</title>\s*")


_WIDTH_PT = re.compile(r'<svg\b[^>]*?\bwidth="([0-9.]+)pt"')
SMALLEST_SCALE = 0.75
"""The site shows a diagram at no less than this part of its drawn size: text drawn at
:data:`FONT_SIZE` points (16 CSS px) stays at 12 CSS px or more (issue 23: legible at a
1280 px window); a narrower column scrolls sideways instead."""


def min_width_style(svg: str) -> str:
    """The ``style`` attribute value that keeps a diagram at :data:`SMALLEST_SCALE` of its drawn
    width or more (``min-width`` in CSS px, rounded up), or "" when the root gives no width in
    points. A point is 4/3 CSS px, so the floor is ``width_pt * 4/3 * 0.75`` px."""
    found = _WIDTH_PT.search(svg)
    if not found:
        return ""
    floor = float(found.group(1)) * 4 / 3 * SMALLEST_SCALE
    return f"min-width: {int(floor) + 1}px"


def clean_svg(svg: str, label: str) -> str:
    """Make ``dot -Tsvg`` output fit for inlining: drop the XML prolog, DOCTYPE and comments,
    drop Graphviz's ``<title>`` elements (internal DOT names), undo its escaping of hyphens
    (``&#45;``) so ids read as written, move the labels of edges to a whole kind beside their
    drawn line (:func:`place_kind_labels`), drop the bytes that draw nothing
    (:func:`~build_site.render.svg_compact.compact_svg`), name every link
    (:func:`~build_site.render.svg_access.name_links`), and give the root its role and label
    for assistive technology and its smallest legible width (:func:`labelled_svg`)."""
    return labelled_svg(clean_drawn(svg), label)


def clean_drawn(svg: str) -> str:
    """What :func:`clean_svg` does but the label: done once per drawn template, whose
    diagrams then differ only in their ids and classes (:func:`instantiate` with ``dash="-"``)
    and label: none of these steps reads or changes an ``id`` or ``class`` value but by the
    ``&#45;`` every one of them loses (``tests/render/test_diagrams.py`` compares both ways
    for every diagram of a study)."""
    svg = _COMMENT.sub("", _PROLOG.sub("", place_kind_labels(svg), count=1)).replace("&#45;", "-")
    return name_links(compact_svg(_TITLE.sub("", svg).strip()))


def labelled_svg(svg: str, label: str) -> str:
    """A cleaned SVG (:func:`clean_drawn`) labelled ``label`` for assistive technology
    (``aria-label``; ``role="group"`` when it holds links, else ``role="img"``:
    :func:`~build_site.render.svg_access.root_role`) with its smallest legible width."""
    safe = label.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    style = min_width_style(svg)
    attrs = f'role="{root_role(svg)}" aria-label="{safe}"' + (f' style="{style}"' if style else "")
    return svg.replace("<svg ", f"<svg {attrs} ", 1)


PLACEHOLDER = re.compile(r"<!--bs-diagram:([0-9a-f]{64})-->")
"""What a page carries where a diagram goes; the SVG is swapped in after Markdown has run
(:mod:`build_site.render.fragments`), so Markdown never parses inline SVG."""
DOT_PROCESSES = 2
"""At most this many ``dot`` processes run at once. (One process per graph: Graphviz 2.43 fed
several graphs in one input carries state from one to the next, ``page0,1_`` ids and another
cluster order, so its SVG would differ from a graph drawn alone.)"""


def _key(dot_source: str) -> str:
    return hashlib.sha256(f"{graphviz_version()}\n{dot_source}".encode()).hexdigest()


@dataclass(frozen=True)
class _Wanted:
    source: str
    label: str
    prefix: str
    classes: dict[str, str]


class DiagramRenderer:
    """Renders DOT to SVG, with an on-disk cache keyed by a hash of the DOT source and the
    Graphviz version.

    Pages ask for a diagram with :meth:`placeholder` and get a marker back; :meth:`render`
    then draws every distinct template not in the cache (``DOT_PROCESSES`` ``dot`` processes
    in parallel) and returns the cleaned SVG per marker. :meth:`svg` draws one DOT source
    straight away (member-checking packets).

    Args:
        cache_dir: folder for cached SVG files (created when needed).

    Attributes:
        rendered, cached: counts of DOT sources drawn by ``dot`` and taken from the cache.
    """

    def __init__(self, cache_dir: Path) -> None:
        self.cache_dir = cache_dir
        self.rendered = 0
        self.cached = 0
        self._wanted: dict[str, _Wanted] = {}
        self._lock = threading.Lock()  # render() draws in threads

    def placeholder(self, template: DotTemplate, label: str, prefix: str,
                    highlight: set[str] | None = None) -> str:
        """Ask for the diagram drawn from ``template`` with id prefix ``prefix``, nodes in
        ``highlight`` marked ``evidenced`` and the rest ``dim`` (when the template has marks),
        labelled ``label`` (see :func:`clean_svg`).

        Returns:
            The marker to put where the diagram goes, replaced by :meth:`render`'s SVG.
        """
        shown = highlight or set()
        classes = {token: "evidenced" if node_id in shown else "dim"
                   for node_id, token in template.marks.items()}
        key = hashlib.sha256("\n".join(
            [label, prefix, *sorted(f"{t}={c}" for t, c in classes.items()), template.source]
        ).encode()).hexdigest()
        self._wanted[key] = _Wanted(template.source, label, prefix, classes)
        return f"<!--bs-diagram:{key}-->"

    def asked(self) -> dict[str, _Wanted]:
        """Start a new list of the diagrams asked for; returns the list kept so far, which
        :meth:`ask` can add back (a page rendered apart, :mod:`.render_pool`)."""
        kept, self._wanted = self._wanted, {}
        return kept

    def ask(self, wanted: dict[str, _Wanted]) -> None:
        """Ask for the diagrams of ``wanted`` (a list :meth:`asked` returned) after those
        asked for so far, in its order."""
        self._wanted.update(wanted)

    def render(self) -> dict[str, str]:
        """Draw every diagram asked for with :meth:`placeholder`.

        Returns:
            The cleaned, inlinable SVG by marker key.

        Raises:
            StudyError: Graphviz is not installed or rejected a source.
        """
        sources = sorted({w.source for w in self._wanted.values()})
        with ThreadPoolExecutor(DOT_PROCESSES) as pool:
            raw = dict(zip(sources, pool.map(self.svg, sources), strict=True))
        cleaned = {source: clean_drawn(svg) for source, svg in raw.items()}  # once each
        return {key: labelled_svg(instantiate(cleaned[w.source], w.prefix, w.classes,
                                              dash="-"), w.label)
                for key, w in self._wanted.items()}

    def svg(self, dot_source: str) -> str:
        """Return the raw SVG for ``dot_source``, rendered now unless cached.

        Raises:
            StudyError: Graphviz is not installed or rejected the source.
        """
        path = self.cache_dir / f"{_key(dot_source)}.svg"
        if path.is_file():
            with self._lock:
                self.cached += 1
            return path.read_text(encoding="utf-8")
        try:
            svg: str = graphviz.Source(dot_source).pipe(format="svg", engine="dot").decode(
                "utf-8")
        except graphviz.ExecutableNotFound:
            raise StudyError([Problem("model.yml", 0, "Graphviz 'dot' is not installed",
                                      "install the Debian package graphviz (make bootstrap)")]
                             ) from None
        except graphviz.CalledProcessError as exc:
            detail = (exc.stderr or b"").decode("utf-8", "replace").strip().splitlines()
            raise StudyError([Problem("model.yml", 0, "Graphviz could not draw the model: "
                                      + (detail[0] if detail else "unknown error"),
                                      "check labels and relations in model.yml")]) from None
        self.cache_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        # serve and build may share the cache; render() draws in threads
        tmp = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_text(svg, encoding="utf-8")
        tmp.replace(path)
        with self._lock:
            self.rendered += 1
        return svg
