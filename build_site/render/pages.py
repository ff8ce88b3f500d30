"""Stage 6, render: page models for every page of the site, written as Markdown from Jinja2
templates, with the model diagrams inlined.

Takes the selected, de-identified ``Study`` and its ``Analysis``; returns ``Page`` objects (a
docs-relative path, a title, Markdown text) plus the navigation. Nothing here touches the disk
except the diagram cache.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from jinja2 import BytecodeCache, Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from build_site.analyse import (
    Analysis,
    Evidence,
    Node,
    Quote,
    ancestors,
    evidence_dyads_with_elements,
    evidence_with_elements,
    relation_end_ids,
    shown_value,
)
from build_site.render.diagrams import (
    DiagramLinks,
    DiagramRenderer,
    DotTemplate,
    model_template,
)
from build_site.render.fragments import lift_blocks, template_bytecode_cache
from build_site.render.html import chips, inline_text, narrative_html, one_line, page_url
from build_site.render.theme_text import front_matter_title
from build_site.study import KIND_TITLES, Audience, Clinician, Dyad, Kind, KindRef, Study

NavItem = dict[str, Any]


@dataclass(frozen=True)
class Page:
    """One generated page: ``path`` relative to the docs folder, e.g. ``dyads/D1-P1.md``."""

    path: str
    title: str
    markdown: str


@dataclass(frozen=True)
class Asset:
    """A generated non-page file (download, citation): ``path`` relative to the docs folder."""

    path: str
    data: bytes


@dataclass(frozen=True)
class Diagram:
    """A diagram (its marker, replaced by the inline SVG after Markdown) and its text
    alternative (HTML)."""

    svg: Markup
    alt: Markup


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
    return env


class Renderer:
    """Builds every page of one site.

    Args:
        study: de-identified, selected for ``audience``.
        analysis: ``analyse(study)``.
        audience: "public" or "review".
        diagrams: the diagram renderer (with its cache).
        coded: the de-identified study before selection (all that the team coded), used for
            the sample description; defaults to ``study``.
        withdrawn: how many participants withdrew (reported on the methods page).
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
        self.env = _environment(template_bytecode_cache(diagrams.cache_dir.parent / "templates"))
        self.codes = {c.id: c for c in study.codebook.codes}
        self._templates: dict[tuple[str, bool], DotTemplate] = {}
        self._blocks: dict[str, str] = {}  # excerpt blocks lifted out of the Markdown

    def code_counts(self) -> dict[str, int]:
        """Number of excerpts shown per code."""
        counts: dict[str, int] = {}
        cases: list[Clinician | Dyad] = [*self.study.clinicians, *self.study.dyads]
        for case in cases:
            for excerpt in case.excerpts:
                for code in excerpt.codes:
                    counts[code] = counts.get(code, 0) + 1
        return counts

    # -- helpers shared by templates -------------------------------------------------------
    def _end_label(self, end: str | KindRef) -> str:
        if isinstance(end, KindRef):
            return KIND_TITLES[end.kind].lower()
        return self.analysis.nodes[end].label

    def relation_views(self, ids: list[str] | None = None) -> list[RelationView]:
        """Relations (all, or those with ``ids``) with their end labels and evidence."""
        rels = self.analysis.relations.values()
        return [
            RelationView(r.id, r.kind, r.description, r.tentative, self._end_label(r.from_),
                         self._end_label(r.to), self.analysis.evidence.get(r.id, _empty()))
            for r in rels if ids is None or r.id in ids
        ]

    def _code_link(self, page: str, code_id: str) -> tuple[str, str, str]:
        code = self.codes[code_id]
        target = code.component
        if target in self.analysis.nodes:
            url = page_url(page, f"model/{target}.md")
        elif target in self.analysis.relations:
            url = page_url(page, "model/relations.md", target)
        else:
            url = page_url(page, "data/codebook.md", f"code-{code_id}")
        return code.label, url, code.definition

    def _diagram(self, page: str, highlight: set[str] | None, prefix: str, label: str,
                 analysis: Analysis | None = None, elsewhere: str = "") -> Diagram:
        """A model diagram for ``page``; ``analysis`` draws another model version, whose
        components and relations missing from the current model link to ``elsewhere``."""
        shown = analysis or self.analysis

        def component(i: str) -> str:
            if i in self.analysis.nodes or not elsewhere:
                return page_url(page, f"model/{i}.md")
            return elsewhere

        def relation(i: str) -> str:
            if i in self.analysis.relations or not elsewhere:
                return page_url(page, "model/relations.md", i)
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
        return Diagram(Markup(self.diagrams.placeholder(template, label, prefix, highlight)), alt)

    def diagram_fragments(self) -> dict[str, str]:
        """Draw the diagrams the pages asked for; returns the SVG by marker key, laid out as
        the page's own lines are (:func:`_tidy`), to be swapped in after Markdown.

        Raises:
            StudyError: Graphviz is not installed or rejected a diagram.
        """
        svgs = {key: _tidy(svg).rstrip("\n") for key, svg in self.diagrams.render().items()}
        return {**self._blocks, **svgs}

    def history(self) -> Page | None:
        """The model history page (when the study keeps ``model-history/history.yml``)."""
        from build_site.analyse import core_analysis
        from build_site.analyse.history import changes

        if not self.study.history:
            return None
        page = "model/history.md"
        versions: list[dict[str, Any]] = []
        previous = None
        for version in self.study.history:
            analysis = core_analysis(self.study.model_copy(update={"model": version.model}))
            anchor = f"version-{version.entry.version}"
            versions.append({
                "entry": version.entry,
                "change": changes(previous, version) if previous else None,
                "diagram": self._diagram(page, None, f"v{version.entry.version}",
                                         f"Model version {version.entry.version}", analysis,
                                         elsewhere=f"#{anchor}"),
            })
            previous = version
        return self._render("history.md.j2", page, "Model history", versions=versions)

    def _alt_text(self, page: str, highlight: set[str] | None) -> Markup:
        def item(node: Node) -> str:
            mark = ""
            if highlight is not None:
                mark = " (evidenced)" if node.id in highlight else " (not evidenced)"
            url = page_url(page, f"model/{node.id}.md")
            inner = "".join(item(self.analysis.nodes[c]) for c in node.children)
            sub = f"<ul>{inner}</ul>" if inner else ""
            return f'<li><a href="{escape(url)}">{escape(node.label)}</a>{mark}{sub}</li>'

        parts = []
        for kind in Kind:
            tops = [n for n in self.analysis.nodes.values() if n.is_component and n.kind is kind]
            if tops:
                inner = "".join(item(n) for n in tops)
                parts.append(f"<li>{escape(KIND_TITLES[kind])}<ul>{inner}</ul></li>")
        rels = "".join(
            f'<li>{escape(r.from_label)} '
            f'<a href="{escape(page_url(page, "model/relations.md", r.id))}">'
            f"{escape(r.kind)}</a> {escape(r.to_label)}{' (tentative)' if r.tentative else ''}</li>"
            for r in self.relation_views()
        )
        parts.append(f"<li>Relations<ul>{rels}</ul></li>")
        return Markup(f"<ul>{''.join(parts)}</ul>")

    def _render(self, template: str, page: str, title: str, hide: tuple[str, ...] = (),
                **context: Any) -> Page:
        """Render ``template`` into the page at ``page``; ``hide`` names Material sidebars to
        leave out (``"toc"``) so a wide table gets the width."""
        def url(to: str, anchor: str = "") -> Markup:
            return Markup(escape(page_url(page, to, anchor)))

        def excerpt_url(q: Quote) -> Markup:
            target = f"dyads/{q.dyad}.md" if q.dyad else f"clinicians/{q.clinician}.md"
            return Markup(escape(page_url(page, target, q.excerpt.id)))

        def code_chips(codes: list[str]) -> Markup:
            return chips(self._code_link(page, c) for c in codes)

        def speaker_label(q: Quote) -> str:
            if q.excerpt.speaker.value == "other":
                return (q.excerpt.role or "other").capitalize()
            return q.excerpt.speaker.value.capitalize()

        text = self.env.get_template(template).render(
            url=url, excerpt_url=excerpt_url, code_chips=code_chips, text=inline_text,
            speaker_label=speaker_label, review=self.audience == "review",
            withheld=lambda q: self.review_data.get("withheld", {}).get(q.excerpt.id, ""),
            linked=self.linked, meta=self.study.meta, **context,
        )
        hidden = f"hide: [{', '.join(hide)}]\n" if hide else ""
        front = f"---\ntitle: {_yaml_str(front_matter_title(title))}\n{hidden}---\n\n"
        return Page(page, title, lift_blocks(front + _tidy(text), self._blocks))

    # -- pages --------------------------------------------------------------------------------
    def home(self) -> Page:
        """The home page: the study in brief and the model diagram."""
        counts = {
            "clinicians": len(self.study.clinicians),
            "dyads": len(self.study.dyads),
            "excerpts": sum(len(c.excerpts) for c in self.study.clinicians)
            + sum(len(d.excerpts) for d in self.study.dyads),
            "components": len(self.analysis.nodes),
        }
        return self._render(
            "home.md.j2", "index.md", "Home",
            overview=narrative_html(self.study.meta.overview), counts=counts,
            diagram=self._diagram("index.md", None, "home", "Diagram of the model"),
        )

    @cached_property
    def support(self) -> dict[str, int]:
        """Number of dyads supporting each component/element (its elements included),
        computed once per site: every component page shows it."""
        return {n: len(evidence_dyads_with_elements(self.analysis, n)) for n in self.analysis.nodes}

    def model_index(self) -> Page:
        """The model overview: full diagram, components by kind, relations."""
        kinds = []
        for kind in Kind:
            nodes = [n for n in self.analysis.nodes.values() if n.is_component and n.kind is kind]
            if nodes:
                kinds.append((kind, KIND_TITLES[kind], nodes))

        def descendants(node: Node, depth: int = 1) -> Iterator[dict[str, Any]]:
            for child_id in node.children:
                child = self.analysis.nodes[child_id]
                yield {"node": child, "depth": depth}
                yield from descendants(child, depth + 1)

        return self._render(
            "model_index.md.j2", "model/index.md", "The model", kinds=kinds,
            descendants=descendants, support=self.support, relations=self.relation_views(),
            disconfirming=[(n, len(evidence_with_elements(self.analysis, n.id).disconfirming))
                           for n in self.analysis.nodes.values() if n.is_component],
            diagram=self._diagram("model/index.md", None, "model", "Diagram of the model"),
        )

    def component(self, node: Node) -> Page:
        """The page of one component or element with the evidence behind it, its elements'
        included, grouped by clinician and dyad (anchors ``clinician-ID`` and ``dyad-ID``)."""
        page = f"model/{node.id}.md"
        evidence = evidence_with_elements(self.analysis, node.id)
        trail = [self.analysis.nodes[a] for a in reversed(ancestors(self.analysis.nodes, node.id))]
        rel_ids = [
            r.id for r in self.analysis.relations.values()
            if node.is_component and any(
                node.id in relation_end_ids(self.analysis.nodes, end) for end in (r.from_, r.to))
        ]
        quotes = evidence.supporting + evidence.disconfirming
        summary = {
            "dyads": sorted({q.dyad for q in evidence.supporting if q.dyad}),
            "clinicians": {q.clinician for q in evidence.supporting if q.clinician},
            "patient": sum(q.excerpt.speaker.value == "patient" for q in quotes),
            "clinician": sum(q.excerpt.speaker.value == "clinician" for q in quotes),
            "other": sum(q.excerpt.speaker.value == "other" for q in quotes),
            "disconfirming": len(evidence.disconfirming),
        }
        return self._render(
            "component.md.j2", page, node.label, node=node,
            kind_title=KIND_TITLES[node.kind], trail=trail[:-1],
            children=[self.analysis.nodes[c] for c in node.children], support=self.support,
            relations=self.relation_views(rel_ids), summary=summary,
            groups=self._groups(evidence), contrastive=evidence.contrastive,
        )

    def _groups(self, evidence: Evidence) -> list[dict[str, Any]]:
        """Evidence cases grouped by clinician; when clinicians are hidden, dyads come first
        in one group without a clinician (``""``), then each clinician's own interview."""
        order = {c.id: i + 1 for i, c in enumerate(self.study.clinicians)}
        cases: dict[tuple[str, str], dict[str, Any]] = {}
        for name in ("supporting", "disconfirming"):
            for q in getattr(evidence, name):
                key = (q.clinician, q.dyad or "")
                case = cases.setdefault(key, {"dyad": q.dyad, "supporting": [],
                                              "disconfirming": []})
                case[name].append(q)
        groups: dict[str, list[dict[str, Any]]] = {}
        for key in sorted(cases, key=lambda k: (order.get(k[0], 0), k[1] == "", k[1])):
            groups.setdefault(key[0], []).append(cases[key])
        return [{"clinician": c, "cases": v} for c, v in groups.items()]

    def relations(self) -> Page:
        """All relations, an evidence section (anchored by relation id) each."""
        return self._render("relations.md.j2", "model/relations.md", "Relations",
                            relations=self.relation_views())

    def cases_index(self) -> Page:
        """The case-study overview: clinicians and their dyads."""
        return self._render(
            "cases_index.md.j2", "cases/index.md", "Case studies",
            clinicians=self.study.clinicians, dyads=self.analysis.dyads_by_clinician,
            all_dyads=sorted(self.study.dyads, key=lambda d: d.id),
            evidenced=self._evidenced_counts(),
        )

    def _evidenced_counts(self) -> dict[str, int]:
        nodes = set(self.analysis.nodes)
        return {d: len(ids & nodes) for d, ids in self.analysis.dyad_evidenced.items()}

    def clinician(self, case: Clinician) -> Page:
        """A clinician case study page (without their dyads when clinicians are hidden)."""
        page = f"clinicians/{case.id}.md"
        source = "dyads" if self.linked else "interview"
        return self._render(
            "clinician.md.j2", page, f"Clinician {case.id}", case=case,
            narrative=narrative_html(case.narrative),
            dyads=self.analysis.dyads_by_clinician.get(case.id, []) if self.linked else [],
            evidenced=self._evidenced_counts(),
            quotes=[Quote(e, case.id, None) for e in case.excerpts],
            diagram=self._diagram(
                page, self.analysis.clinician_evidenced.get(case.id, set()), f"c-{case.id}",
                f"Model diagram: components evidenced in clinician {case.id}'s {source}"),
        )

    def dyad(self, case: Dyad) -> Page:
        """A dyad case study page."""
        page = f"dyads/{case.id}.md"
        return self._render(
            "dyad.md.j2", page, f"Dyad {case.id}", case=case, facts=self._facts(case),
            narrative=narrative_html(case.narrative),
            quotes=[Quote(e, case.clinician, case.id) for e in case.excerpts],
            diagram=self._diagram(
                page, self.analysis.dyad_evidenced.get(case.id, set()), f"d-{case.id}",
                f"Model diagram: components evidenced in dyad {case.id}"),
        )

    def _facts(self, case: Dyad) -> list[tuple[str, str]]:
        pub = self.study.meta.publication
        facts = []
        fields = case.demographics if self.audience == "review" else {
            k: v for k, v in case.demographics.items() if k in pub.dyad_demographics
        }
        for key, value in fields.items():
            shown = shown_value(key, value, pub.age_band_width)
            if shown:
                facts.append((key.replace("_", " ").capitalize(), ", ".join(shown)))
        others = case.interview.others_present
        facts.append(("Others present at the interview", ", ".join(others) if others else "none"))
        return facts

    def demographics(self) -> Page:
        """Demographics tables for clinicians and patients."""
        return self._render(
            "demographics.md.j2", "data/demographics.md", "Demographics",
            tables=[self.analysis.clinician_table, self.analysis.patient_table],
            min_cell=self.study.meta.publication.min_cell_size,
        )

    def codebook(self) -> Page:
        """The codebook with hierarchy and the component each code evidences."""
        page = "data/codebook.md"
        children: dict[str | None, list[Any]] = {}
        for code in self.study.codebook.codes:
            children.setdefault(code.parent, []).append(code)
        rows: list[dict[str, Any]] = []

        def walk(parent: str | None, depth: int) -> None:
            for code in children.get(parent, []):
                target = code.component
                label, url = "", ""
                if target in self.analysis.nodes:
                    label, url = self.analysis.nodes[target].label, f"../model/{target}.md"
                elif target in self.analysis.relations:
                    rel = self.relation_views([target])[0]
                    label = f"{rel.from_label} {rel.kind} {rel.to_label}"
                    url = f"../model/relations.md#{target}"
                rows.append({"code": code, "depth": depth, "target": target,
                             "target_label": label, "target_url": Markup(escape(url))})
                walk(code.id, depth + 1)

        walk(None, 0)
        return self._render("codebook.md.j2", page, "Codebook", rows=rows,
                            counts=self.code_counts() if self.counts else None)

    def all_pages(self, progress: Callable[[str], None] = lambda _: None
                  ) -> tuple[list[Page], list[Asset]]:
        """Every generated page, in navigation order, and the generated files."""
        from build_site.render import analysis_pages, methods_pages

        pages = [self.home(), self.model_index()]
        pages += [self.component(n) for n in self.analysis.nodes.values()]
        pages.append(self.relations())
        history = self.history()
        if history:
            pages.append(history)
        progress("model pages")
        pages.append(self.cases_index())
        pages += [self.clinician(c) for c in self.study.clinicians]
        pages += [self.dyad(d) for d in self.study.dyads]
        progress("case study pages")
        pages += [analysis_pages.matrix_page(self), analysis_pages.excerpts_page(self),
                  analysis_pages.saturation_page(self)]
        guide = methods_pages.interview_guide_page(self)
        pages += [methods_pages.methods_page(self), *([guide] if guide else []),
                  methods_pages.coreq_page(self), methods_pages.srqr_page(self)]
        downloads, assets = analysis_pages.downloads(self)
        cite, cite_assets = methods_pages.cite(self)
        pages += [self.demographics(), self.codebook(), downloads, cite]
        if self.audience == "review":
            from build_site.render.review_pages import dashboard_page

            pages.append(dashboard_page(self, self.review_data.get("findings", []),
                                        self.review_data.get("exposures", [])))
        return pages, assets + cite_assets

    def nav(self, extra: list[NavItem]) -> list[NavItem]:
        """The navigation: model sections by kind, case studies grouped by clinician (so no
        page carries every dyad in its sidebar once ``navigation.prune`` is on), data, and the
        hand-written pages in ``extra``."""
        model: list[NavItem | str] = [{"Overview": "model/index.md"}]
        for kind in Kind:
            tops = [n for n in self.analysis.nodes.values() if n.is_component and n.kind is kind]
            if tops:
                model.append({KIND_TITLES[kind]: [self._nav_node(n) for n in tops]})
        model.append({"Relations": "model/relations.md"})
        if self.study.history:
            model.append({"Model history": "model/history.md"})
        cases: list[NavItem | str] = [{"Overview": "cases/index.md"}]
        for c in self.study.clinicians if self.linked else []:
            dyads = self.analysis.dyads_by_clinician.get(c.id, [])
            cases.append({f"Clinician {c.id}": [
                {"Case study": f"clinicians/{c.id}.md"},
                *({f"Dyad {d.id}": f"dyads/{d.id}.md"} for d in dyads),
            ]})
        if not self.linked:
            cases += self._unlinked_case_nav()
        methods: list[NavItem] = [{"Methods": "methods/index.md"}]
        if self.study.meta.interview_guide:
            methods.append({"Interview guide": "methods/interview-guide.md"})
        methods += [{"COREQ checklist": "methods/coreq.md"},
                    {"SRQR checklist": "methods/srqr.md"}]
        nav: list[NavItem] = [
            {"Home": "index.md"},
            {"Model": model},
            {"Case studies": cases},
            {"Analysis": [{"Meta-matrix": "analysis/matrix.md"},
                          {"Excerpts": "analysis/excerpts.md"},
                          {"Saturation": "analysis/saturation.md"}]},
            {"Methods": methods},
            {"Data": [{"Demographics": "data/demographics.md"},
                      {"Codebook": "data/codebook.md"},
                      {"Downloads": "data/downloads.md"},
                      {"How to cite": "data/cite.md"}]},
        ]
        if extra:
            nav.append({"About": extra})
        if self.audience == "review":
            nav.append({"Review": [{"Dashboard": "review/dashboard.md"}]})
        return nav

    def _unlinked_case_nav(self, size: int = 20) -> list[NavItem]:
        """Clinicians, then dyads in sections of ``size`` (so no sidebar lists every dyad),
        with nothing grouping a dyad under its clinician."""
        nav: list[NavItem] = [{"Clinicians": [
            {f"Clinician {c.id}": f"clinicians/{c.id}.md"} for c in self.study.clinicians]}]
        dyads = sorted(self.study.dyads, key=lambda d: d.id)
        for start in range(0, len(dyads), size):
            chunk = dyads[start:start + size]
            title = "Dyads" if len(dyads) <= size else f"Dyads {chunk[0].id}-{chunk[-1].id}"
            nav.append({title: [{f"Dyad {d.id}": f"dyads/{d.id}.md"} for d in chunk]})
        return nav

    def _nav_node(self, node: Node) -> NavItem:
        if not node.children:
            return {node.label: f"model/{node.id}.md"}
        return {node.label: [{"Overview": f"model/{node.id}.md"},
                             *(self._nav_node(self.analysis.nodes[c]) for c in node.children)]}


def _empty() -> Evidence:
    return Evidence()


def _yaml_str(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _tidy(text: str) -> str:
    """Collapse runs of blank lines, and make sure a table or a heading is never glued to
    the line before it (templates' block tags swallow newlines)."""
    out: list[str] = []
    for line in (raw.rstrip() for raw in text.splitlines()):
        previous = out[-1] if out else ""
        if not line and not previous:
            continue
        ends_table = previous.startswith("|") and line and not line.startswith("|")
        starts_block = line.startswith(("#", "|")) and previous and not previous.startswith("|")
        if ends_table or (starts_block and not previous.startswith("#")):
            out.append("")
        out.append(line)
    return "\n".join(out).strip() + "\n"


__all__ = ["Page", "Renderer", "one_line"]
