"""The public render context every page module writes through.

A :class:`RenderContext` holds what all pages of one site share: the selected, de-identified
study, its analysis, the audience, the diagram renderer and the Jinja environment. It renders a
template into a :class:`Page` (:meth:`RenderContext.render`) and offers the helpers templates
and page modules need (relation views, code links, model diagrams and their text
alternatives). Page modules (``model_pages``, ``case_pages``, ``analysis_pages``,
``methods_pages``, ``data_pages``, ``review_pages``) declare their pages through it; none of
them reaches into another's internals. Nothing here touches the disk except the diagram and
template caches.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import Any, TypeVar

from jinja2 import BytecodeCache, Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from build_site.analyse import Analysis, Evidence, Node, Quote, evidence_dyads_with_elements
from build_site.naturalorder import natural_key
from build_site.render.diagram_legend import legend_for
from build_site.render.diagrams import DiagramLinks, DiagramRenderer, DotTemplate, model_template
from build_site.render.evidence_html import evidence_groups
from build_site.render.excerpt_html import ExcerptWriter, dyad_links
from build_site.render.fragments import lift_blocks, template_bytecode_cache
from build_site.render.html import chips, inline_text, page_url
from build_site.render.paths import RELATIONS, component_path
from build_site.render.relation_claims import ClaimView, claim_view, reading_list
from build_site.render.theme_text import front_matter_title
from build_site.study import Audience, Clinician, Dyad, Kind, KindRef, Study, in_sentence
from build_site.verbs import verb_for


@dataclass(frozen=True)
class Page:
    """One rendered page: ``path`` relative to the docs folder (``dyads/D1-P1.md``), its title
    and its Markdown."""

    path: str
    title: str
    markdown: str


@dataclass(frozen=True)
class Asset:
    """A generated non-page file (download, citation): ``path`` relative to the docs folder."""

    path: str
    data: bytes


@dataclass(frozen=True)
class Asked:
    """What rendering apart asked of the site besides its result
    (:meth:`RenderContext.apart`): the raw HTML blocks lifted out of its Markdown and the
    diagrams it asked for, each by marker key, in the order asked."""

    blocks: dict[str, str]
    diagrams: dict[str, Any]


Value = TypeVar("Value")


@dataclass(frozen=True)
class Diagram:
    """A diagram (its marker, replaced by the inline SVG after Markdown), its text
    alternative (HTML) and its key (HTML, :mod:`build_site.render.diagram_legend`)."""

    svg: Markup
    alt: Markup
    legend: Markup = field(default_factory=Markup)


@dataclass(frozen=True)
class RelationView:
    """A relation as pages show it."""

    id: str
    kind: str
    description: str
    tentative: bool
    from_label: str
    to_label: str
    evidence: Any
    claim: ClaimView


_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
# Characters that Markdown (and its attr_list extension) would read as syntax. As numeric
# character references they show as themselves and can never become a link, an image,
# emphasis, a table cell or an attribute list ("{: onclick=...}").
# HTML's own five are escaped in the same single pass, so the "#" of "&#39;" is never escaped
# again (which showed an apostrophe as "&#39;").
_MARKDOWN_SYNTAX = str.maketrans({
    **{c: f"&#{ord(c)};" for c in "\\`*_[]{}()#+!|~:"},
    "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;",
})
_WEB = re.compile(r"https?://", re.IGNORECASE)
CODEBOOK = "data/codebook.md"  # where a code evidencing several components links


def markdown_safe(value: Any) -> Any:
    """Jinja ``finalize``: every plain string a template prints is HTML-escaped and has its
    Markdown syntax neutralised, so participant or team text is shown as written, in HTML and
    in Markdown contexts alike. Ids (letters, digits, ``-_.``) and ``Markup`` (HTML built
    and escaped by this package) pass unchanged."""
    if isinstance(value, Markup) or not isinstance(value, str) or _ID.match(value):
        return value
    return Markup(value.translate(_MARKDOWN_SYNTAX))


def web_link(url: str) -> Markup:
    """Jinja filter: a web address as a link to itself (``http`` and ``https`` only; anything
    else is shown as text). A Markdown autolink (``<https://...>``) cannot be used: with its
    syntax neutralised it would be read as an HTML tag and vanish."""
    text = markdown_safe(url)
    return Markup(f'<a href="{text}">{text}</a>') if _WEB.match(url) else Markup(text)


def _environment(bytecode_cache: BytecodeCache | None = None) -> Environment:
    env = Environment(
        loader=PackageLoader("build_site.render", "templates"),
        autoescape=True,
        finalize=markdown_safe,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # templates ship with the package: no stat of every file per use
        bytecode_cache=bytecode_cache,
    )
    env.filters["web_link"] = web_link
    env.filters["in_sentence"] = in_sentence
    return env


class RenderContext:
    """What every page of one site shares, and the one way to render a page.

    Args:
        study: de-identified, selected for ``audience``.
        analysis: ``analyse(study)``.
        audience: "public" or "review".
        diagrams: the diagram renderer (with its cache).
        coded: the de-identified study before selection (all that the team coded), used for
            the sample description; defaults to ``study``.
        withdrawn: how many participants withdrew (reported on the methods page).
        review_data: for a review copy: ``findings``, ``withheld`` (excerpt id -> reason) and
            ``exposures``.
    """

    def __init__(self, study: Study, analysis: Analysis, audience: Audience,
                 diagrams: DiagramRenderer, coded: Study | None = None,
                 withdrawn: int = 0, review_data: dict[str, Any] | None = None) -> None:
        self.study = study
        self.analysis = analysis
        self.audience = audience
        self.diagrams = diagrams
        self.coded = coded or study
        self.withdrawn = withdrawn
        self.review_data = review_data or {}
        self.counts = analysis.counts or audience == "review"
        self.linked = study.clinician_links
        self.codes = {c.id: c for c in study.codebook.codes}
        self._templates: dict[tuple[str, bool], DotTemplate] = {}
        self._blocks: dict[str, str] = {}  # raw HTML blocks lifted out of the Markdown
        self.lifted: frozenset[str] = frozenset()  # their keys, set by diagram_fragments()
        # What every page of a folder shows alike, made at its first page (see _same_links):
        # diagrams' text alternatives, code chips, excerpts' words and figures' fixed parts.
        self._alt_parts: dict[tuple[str, str], tuple[tuple[str, ...], tuple[str, ...]]] = {}
        self._chips: dict[tuple[str, str, tuple[str, ...], bool], Markup] = {}
        self._words: dict[str, str] = {}
        self._figure_pieces: dict[int, Any] = {}  # excerpt_html.ExcerptWriter.pieces
        # What page modules make once for the site, by their own name (excerpt rows).
        self.kept: dict[str, Any] = {}

    @cached_property
    def env(self) -> Environment:
        """The Jinja environment, made at the first render (its bytecode cache is a folder
        beside the diagram cache: declaring pages alone writes nothing)."""
        return _environment(template_bytecode_cache(self.diagrams.cache_dir.parent / "templates"))

    @property
    def review(self) -> bool:
        """Whether this is the team's review copy."""
        return self.audience == "review"

    def withheld_reason(self, excerpt_id: str) -> str:
        """Why an excerpt stays off the public site ("" when it does not, or in a public
        build, which never says)."""
        return str(self.review_data.get("withheld", {}).get(excerpt_id, ""))

    def code_counts(self) -> dict[str, int]:
        """Number of excerpts shown per code."""
        counts: dict[str, int] = {}
        cases: list[Clinician | Dyad] = [*self.study.clinicians, *self.study.dyads]
        for case in cases:
            for excerpt in case.excerpts:
                for code in excerpt.codes:
                    counts[code] = counts.get(code, 0) + 1
        return counts

    @cached_property
    def support(self) -> dict[str, int]:
        """Number of dyads supporting each component/element (its elements included),
        computed once per site: every component page shows it."""
        return {n: len(evidence_dyads_with_elements(self.analysis, n)) for n in self.analysis.nodes}

    @cached_property
    def support_dyads(self) -> dict[str, list[str]]:
        """The dyads supporting each component/element (its elements included), sorted: the
        public pages list these case ids where the review build gives a count (issue 19 item 3).
        Withheld cases never appear: the analysis holds only what is shown."""
        return {n: sorted(evidence_dyads_with_elements(self.analysis, n), key=natural_key)
                for n in self.analysis.nodes}

    def evidenced_counts(self) -> dict[str, int]:
        """Number of model components and elements evidenced in each dyad (a copy: counted
        once per site, as every clinician page shows them)."""
        return dict(self._evidenced_counts)

    @cached_property
    def _evidenced_counts(self) -> dict[str, int]:
        nodes = set(self.analysis.nodes)
        return {d: len(ids & nodes) for d, ids in self.analysis.dyad_evidenced.items()}

    def kind_title(self, kind: Kind) -> str:
        """The study's title for ``kind`` (``labels.kinds`` in study.yml), as text."""
        return self.study.meta.labels.kinds.of(kind)

    def top_components(self, kind: Kind) -> list[Node]:
        """The components (not elements) of ``kind``, in the model's order."""
        return [n for n in self.analysis.nodes.values() if n.is_component and n.kind is kind]

    def _end_label(self, end: str | KindRef) -> str:
        if isinstance(end, KindRef):
            return in_sentence(self.kind_title(end.kind))
        return self.analysis.nodes[end].label

    def relation_views(self, ids: list[str] | None = None) -> list[RelationView]:
        """Relations (all, or those with ``ids``) with their end labels and evidence, in the
        model's order."""
        if ids is None:
            return list(self._all_relation_views)
        return [v for v in self._all_relation_views if v.id in ids]

    @cached_property
    def _all_relation_views(self) -> tuple[RelationView, ...]:
        """Every relation's view, made once per site: each diagram's text alternative lists
        them all, so building them per page cost O(pages x relations x cases)."""
        views = []
        for r in self.analysis.relations.values():
            evidence = self.analysis.evidence.get(r.id, Evidence())
            views.append(RelationView(
                r.id, verb_for(r.from_, r.kind), r.description, r.tentative,
                self._end_label(r.from_), self._end_label(r.to), evidence,
                claim_view(r, self.study, len(evidence.all()),
                           reading_list(r, self.analysis) if self.review else None)))
        return tuple(views)

    def code_link(self, page: str, code_id: str) -> tuple[str, str, str]:
        """A code's label, the URL of what it evidences (from ``page``) and its definition."""
        code = self.codes[code_id]
        # A code spanning several components links to its codebook entry, which lists them.
        target = code.targets[0] if len(code.targets) == 1 else None
        if target in self.analysis.nodes:
            url = page_url(page, component_path(target))
        elif target in self.analysis.relations:
            url = page_url(page, RELATIONS, target)
        else:
            url = page_url(page, CODEBOOK, f"code-{code_id}")
        return code.label, url, code.definition

    def diagram(self, page: str, highlight: set[str] | None, prefix: str, label: str,
                analysis: Analysis | None = None, elsewhere: str = "") -> Diagram:
        """A model diagram for ``page``; ``analysis`` draws another model version, whose
        components and relations missing from the current model link to ``elsewhere``."""
        shown = analysis or self.analysis

        def component(i: str) -> str:
            if i in self.analysis.nodes or not elsewhere:
                return page_url(page, component_path(i))
            return elsewhere

        def relation(i: str) -> str:
            if i in self.analysis.relations or not elsewhere:
                return page_url(page, RELATIONS, i)
            return elsewhere

        # Pages in one folder outside model/ (no page there is a link target) link alike: the
        # DOT template is built once per folder, not once per case page.
        key = (page.rpartition("/")[0], highlight is not None)
        cacheable = analysis is None and not elsewhere and not page.startswith("model/")
        template = self._templates.get(key) if cacheable else None
        if template is None:
            template = model_template(shown, DiagramLinks(component=component,
                                                          relation=relation),
                                      highlighted=highlight is not None)
            if cacheable:
                self._templates[key] = template
        alt = self._alt_text(page, highlight) if analysis is None else Markup("")
        return Diagram(Markup(self.diagrams.placeholder(template, label, prefix, highlight)), alt,
                       legend_for(shown, highlight is not None))

    def diagram_fragments(self) -> dict[str, str]:
        """Draw the diagrams the pages asked for; returns the SVG by marker key, laid out as
        the page's own lines are (:func:`tidy`), with every lifted HTML block, to be swapped
        in after Markdown. Sets :attr:`lifted` to the keys that are lifted blocks, each the
        hex SHA-256 of its block (:func:`lift_blocks`), not diagrams (keyed by their source).

        Raises:
            StudyError: Graphviz is not installed or rejected a diagram.
        """
        svgs = {key: tidy(svg).rstrip("\n") for key, svg in self.diagrams.render().items()}
        self.lifted = frozenset(self._blocks.keys() - svgs.keys())
        return {**self._blocks, **svgs}

    def apart(self, work: Callable[[], Value]) -> tuple[Value, Asked]:
        """``work()`` (rendering a page, making a file) with the HTML blocks and diagrams it
        asks for returned instead of kept, so it can run in another process
        (:mod:`build_site.render.render_pool`); :meth:`take` adds them to the site.

        Raises:
            Whatever ``work`` raises (nothing it asked for is kept then).
        """
        blocks, diagrams = self._blocks, self.diagrams.asked()
        self._blocks = {}
        try:
            value = work()
            asked = Asked(self._blocks, self.diagrams.asked())
        except BaseException:
            self.diagrams.asked()  # what the failed work asked for is dropped
            raise
        finally:
            self._blocks = blocks
            self.diagrams.ask(diagrams)
        return value, asked

    def take(self, asked: Asked) -> None:
        """Add what one piece of work rendered :meth:`apart` asked for after what the site
        asked for so far (the blocks and diagrams end in the order one process asks for
        them, when every piece is taken in that order)."""
        self._blocks.update(asked.blocks)
        self.diagrams.ask(asked.diagrams)

    @cached_property
    def _link_targets(self) -> frozenset[str]:
        """Every page a code chip or a diagram's text alternative links to."""
        return frozenset({*(component_path(n) for n in self.analysis.nodes), RELATIONS,
                          CODEBOOK})

    def _same_links(self, page: str) -> tuple[str, str]:
        """A key shared by the pages whose links to :attr:`_link_targets` are the same:
        ``page_url(page, target)`` depends only on the page's folder, but for a link to the
        page itself (then only its anchor), so a page that is one of the targets has a key of
        its own."""
        return posixpath.dirname(page), page if page in self._link_targets else ""

    def _alt_text(self, page: str, highlight: set[str] | None) -> Markup:
        """A model diagram's text alternative: every component (its elements nested) linked,
        marked evidenced or not when ``highlight`` is given, then every relation. Made once
        per folder (:meth:`_same_links`, :meth:`_alt_pieces`); only the marks differ between
        a folder's pages."""
        texts, marked = self._alt_pieces(page)
        if highlight is None:
            return Markup("".join(texts))
        parts = [texts[0]]
        for node_id, text in zip(marked, texts[1:], strict=True):
            parts.append(" (evidenced)" if node_id in highlight else " (not evidenced)")
            parts.append(text)
        return Markup("".join(parts))

    def _alt_pieces(self, page: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The text alternative of ``page``'s diagrams cut where each component's mark goes:
        ``texts`` (one more than ``marked``) and the ids of the marked components, in order
        (kept per :meth:`_same_links` key)."""
        key = self._same_links(page)
        if key in self._alt_parts:
            return self._alt_parts[key]
        texts: list[list[str]] = [[]]
        marked: list[str] = []

        def item(node: Node) -> None:
            url = page_url(page, component_path(node.id))
            texts[-1].append(f'<li><a href="{escape(url)}">{escape(node.label)}</a>')
            marked.append(node.id)
            texts.append([])
            if node.children:
                texts[-1].append("<ul>")
                for child in node.children:
                    item(self.analysis.nodes[child])
                texts[-1].append("</ul>")
            texts[-1].append("</li>")

        texts[-1].append("<ul>")
        for kind in Kind:
            tops = self.top_components(kind)
            if tops:
                texts[-1].append(f"<li>{escape(self.kind_title(kind))}<ul>")
                for node in tops:
                    item(node)
                texts[-1].append("</ul></li>")
        rels = "".join(
            f'<li>{escape(r.from_label)} '
            f'<a href="{escape(page_url(page, RELATIONS, r.id))}">'
            f"{escape(r.kind)}</a> {escape(r.to_label)} ({escape(r.claim.status)})</li>"
            for r in self.relation_views()
        )
        texts[-1].append(f"<li>Relations<ul>{rels}</ul></li></ul>")
        pieces = (tuple("".join(t) for t in texts), tuple(marked))
        self._alt_parts[key] = pieces
        return pieces

    def render(self, template: str, page: str, title: str, hide: tuple[str, ...] = (),
               **context: Any) -> Page:
        """Render ``template`` into the page at ``page`` titled ``title``; ``hide`` names
        Material sidebars to leave out (``"toc"``) so a wide table gets the width.

        Every template gets ``url``, ``excerpt_url``, ``code_chips``, ``text``,
        ``speaker_label``, ``review``, ``withheld``, ``excerpt`` (an excerpt's figure,
        :mod:`build_site.render.excerpt_html`), ``dyad_links`` (links to dyads, the same
        module), ``linked`` and ``meta`` besides ``context``.

        Raises:
            jinja2.UndefinedError: the template uses a name nobody gave it (a bug).
        """
        def url(to: str, anchor: str = "") -> Markup:
            return escape(page_url(page, to, anchor))  # escape gives Markup: no second copy

        def excerpt_url(q: Quote) -> Markup:
            target = f"dyads/{q.dyad}.md" if q.dyad else f"clinicians/{q.clinician}.md"
            return escape(page_url(page, target, q.excerpt.id))

        folder, itself = self._same_links(page)

        def code_chips(codes: list[str], compact: bool = False) -> Markup:
            # the same chips on every page of a folder (see _same_links)
            key = (folder, itself, tuple(codes), compact)
            if key not in self._chips:
                links = (self.code_link(page, c) for c in codes)
                if compact:  # large_pages.py: no chip naming this very page, no tooltips
                    links = ((label, to, "") for label, to, _ in links if to)
                self._chips[key] = chips(links)
            return self._chips[key]

        def speaker_label(q: Quote) -> str:
            if q.excerpt.speaker.value == "other":
                return (q.excerpt.role or "other").capitalize()
            labels = self.study.meta.labels
            return labels.patient if q.excerpt.speaker.value == "patient" else labels.clinician

        def withheld(q: Quote) -> str:
            return self.withheld_reason(q.excerpt.id)

        labels = self.study.meta.labels
        figures = ExcerptWriter(excerpt_url, url, speaker_label, inline_text, code_chips,
                                withheld, self.review, labels.dyad, labels.clinician,
                                self.env.finalize or str, self._words, self._figure_pieces,
                                labels.patient)
        text = self.env.get_template(template).render(
            url=url, excerpt_url=excerpt_url, code_chips=code_chips, text=inline_text,
            speaker_label=speaker_label, review=self.review, withheld=withheld,
            excerpt=figures.figure, evidence_groups=partial(evidence_groups, figures),
            dyad_links=partial(dyad_links, url=url, finalize=figures.finalize),
            linked=self.linked, meta=self.study.meta, **context,
        )
        hidden = f"hide: [{', '.join(hide)}]\n" if hide else ""
        front = f"---\ntitle: {_yaml_str(front_matter_title(title))}\n{hidden}---\n\n"
        return Page(page, title, lift_blocks(front + tidy(text), self._blocks))


def _yaml_str(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def tidy(text: str) -> str:
    """Collapse runs of blank lines, and make sure a table or a heading is never glued to
    the line before it (templates' block tags swallow newlines).

    Each line is stripped at its end; a blank line is kept only after a line that is not
    blank (none at the start); a blank line is put before a line that ends a table (the line
    before starts with "|", this one does not) and before a table or heading line that
    follows text (the line before is not blank and starts with neither "|" nor "#"). Written
    on the first character of each line, the one thing the rules look at (about 350,000
    lines at 1,000 dyads); ``tests/render/test_tidy.py`` compares it with the rules written
    one by one."""
    out: list[str] = []
    append = out.append
    before = ""  # the first character of the last line kept ("" when blank or none)
    for line in [raw.rstrip() for raw in text.splitlines()]:
        if not line:
            if before:
                append(line)
                before = ""
            continue
        first = line[0]
        if before == "|":
            if first != "|":
                append("")
        elif before and before != "#" and (first == "#" or first == "|"):
            append("")
        append(line)
        before = first
    return "\n".join(out).strip() + "\n"
