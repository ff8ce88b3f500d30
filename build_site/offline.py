"""No page of a built site loads anything from another host, unless the team opts in.

A supplement promises to work from disk and to tell no other server that someone is reading
it. This check reads the finished tree (after the engine, before publish) for every *load*
of a resource from another host: ``<script src>``, stylesheets, fonts, preconnects and other
``<link>`` loads, images, media, frames, embedded objects, SVG ``<image>``/``<use>``
references, and CSS ``url()`` and ``@import`` in stylesheets, ``<style>`` elements and
``style`` attributes, URL literals in inline scripts (Material's analytics snippet), and what
Material's script fetches because of the page (repository facts for ``repo_url``, Mermaid for
a diagram). Links a reader follows (``<a href>``, ``rel="canonical"``) are not loads.

The team opts in, in ``mkdocs.yml``, with ``extra: {allow_external_resources: [HOST, ...]}``
(those hosts) or ``true`` (any host).

What it cannot see: what a script file fetches when it runs, beyond the cases above (the
site's scripts are Material's and build-site's; the team's ``extra_javascript`` from another
host is a ``<script src>`` and is caught). Material's bundle also loads a ResizeObserver
polyfill from unpkg.com in browsers without ResizeObserver (none current).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from build_site.errors import Problem, StudyError
from build_site.offline_sources import handwritten_source, source_line
from build_site.privacy.gate import css_unescape
from build_site.privacy.gate_files import decode_text
from build_site.site_project import SiteProject, default_config, resolved_config
from build_site.site_theme import key_line

OPT_IN = "allow_external_resources"

# <link rel=...> values that name a related document rather than load one.
_NOT_LOADED = frozenset({"canonical", "alternate", "author", "license", "help", "next",
                         "prev", "me", "bookmark", "external", "search", "nofollow",
                         "noopener", "noreferrer", "tag"})
# Element -> attributes whose URL the browser fetches when it shows the page (HTML Living
# Standard; the HTML parser keeps ``xlink:href`` as that name, the XML parser as a namespace).
_XLINK = ("href", "xlink:href", "{http://www.w3.org/1999/xlink}href")
_LOADS: dict[str, tuple[str, ...]] = {
    "script": ("src",), "img": ("src", "srcset"), "source": ("src", "srcset"),
    "video": ("src", "poster"), "audio": ("src",), "track": ("src",), "iframe": ("src",),
    "frame": ("src",), "embed": ("src",), "object": ("data",), "input": ("src",),
    "link": ("imagesrcset",), "base": ("href",),  # an external <base> moves every load
    "image": _XLINK, "use": _XLINK, "feimage": _XLINK,
}
# SVG elements that may reference another document (an SVG <script> by href; gradients,
# patterns, filters and text paths by URL): external only when the URL names another host.
_LOADS.update({tag: (*_LOADS.get(tag, ()), *_XLINK) for tag in (
    "script", "pattern", "lineargradient", "radialgradient", "filter", "textpath", "mpath",
    "tref", "cursor")})
# Legacy attributes browsers still fetch on any element (body/table/td background, img
# lowsrc and dynsrc).
_LOADS_ANYWHERE = ("background", "lowsrc", "dynsrc")
_SRCSETS = frozenset({"srcset", "imagesrcset"})
MAX_SRCDOC_DEPTH = 5  # an iframe's srcdoc is a document of its own, read the same way
_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)""", re.IGNORECASE)
# Where a CSS string (not only url()) names what is fetched: image-set(), @import, src:.
_CSS_LOADING = re.compile(r"(?:-webkit-)?image-set\(|@import\b|\bsrc\s*:", re.IGNORECASE)
_CSS_STRING = re.compile(r""""([^"]*)"|'([^']*)'""")
_CSS_COMMENT = re.compile(r"/\*.*?(?:\*/|$)", re.DOTALL)


@dataclass(frozen=True)
class ExternalLoad:
    """A load of ``url`` (from host ``host``) by the file ``page`` (site-relative), as
    ``what`` (an element and attribute, or CSS)."""

    page: str
    url: str
    host: str
    what: str


def external_host(url: str) -> str | None:
    """The host ``url`` would be fetched from when it is on another host (absolute with a
    network scheme, or protocol-relative ``//host``), else None. Browsers ignore leading
    white space and read ``\\`` as ``/``, so this does too."""
    cleaned = url.strip(" \t\r\n\f\x00").replace("\\", "/")
    parts = urlsplit(cleaned)
    if parts.scheme.lower() in ("http", "https", "ftp", "ws", "wss") or (
            not parts.scheme and cleaned.startswith("//")):
        return (parts.hostname or "?").lower()
    return None


def _css_urls(css: str) -> Iterator[str]:
    """Every URL the CSS ``css`` (a stylesheet, a ``<style>`` or a ``style`` attribute) asks
    to fetch: comments removed, then escapes decoded as the leak gate decodes them
    (:func:`build_site.privacy.gate.css_unescape`; ``\\68ttps`` is ``https``, ``u\\72l(`` is
    ``url(``), then each ``url()`` and each string in ``image-set()``, ``@import`` and
    ``src:``."""
    css = css_unescape(_CSS_COMMENT.sub("", css))
    for match in _CSS_URL.finditer(css):
        yield next(g for g in match.groups() if g is not None)
    for match in _CSS_LOADING.finditer(css):
        end = _CSS_END.search(css, match.end())
        body = css[match.end():end.start() if end else len(css)]
        for string in _CSS_STRING.finditer(body):
            yield next(g for g in string.groups() if g is not None)


_CSS_END = re.compile(r"[;}]")


def _srcset_urls(value: str) -> list[str]:
    return [part.strip().split()[0] for part in value.split(",") if part.strip()]


# What the loop below reads: the attributes it reads on any element or that name a load
# (``rel``, ``content``, ``class`` and ``type`` are read only beside one of these or in an
# element of _TEXT_READ), a plain ``href`` only on the elements of _HREF_READ (and beside
# ``data-md-component``), and the text of the elements of _TEXT_READ. An element with none of
# them yields nothing, so it is passed over before any other look-up.
_READ_ATTRIBUTES = frozenset({
    *(attr for attrs in _LOADS.values() for attr in attrs), *_LOADS_ANYWHERE,
    "style", "srcdoc", "http-equiv", "data-md-component"}) - {"href"}
_HREF_READ = frozenset({"link", *(tag for tag, attrs in _LOADS.items() if "href" in attrs)})
_TEXT_READ = frozenset({"script", "style", "pre"})


def _may_load(el: Any, tag: str) -> bool:
    """Whether :func:`_element_loads` reads anything of the element ``el`` (named ``tag``,
    local and in lower case); when not, it yields nothing for it."""
    if tag in _TEXT_READ:
        return True
    keys = el.keys()
    return not _READ_ATTRIBUTES.isdisjoint(keys) or (tag in _HREF_READ and "href" in keys)


def _local_name(tag: str) -> str:
    """The local name of an element, in lower case: ``{ns}image`` and ``svg:image`` (a prefix
    the HTML parser keeps as part of the name; lxml's QName refuses it) both read ``image``, so
    a prefixed element is checked as the element it names, never passed over or crashed on."""
    return tag.rpartition("}")[2].rpartition(":")[2].lower()


def _element_loads(root: Any, depth: int = 0) -> Iterator[tuple[str, str]]:
    """(what, url) for every load an HTML or SVG tree asks for, an iframe's ``srcdoc`` read
    as a document of its own (up to :data:`MAX_SRCDOC_DEPTH` deep)."""
    local_names: dict[str, str] = {}
    for el in root.iter():
        if isinstance(el, etree._ProcessingInstruction):
            yield from _stylesheet_instruction(el)
            continue
        if not isinstance(el.tag, str):
            continue
        tag = local_names.get(el.tag)
        if tag is None:
            tag = local_names[el.tag] = _local_name(el.tag)
        if not _may_load(el, tag):
            continue  # most of a page (<a href>, <div class>)
        if tag == "meta" and (el.get("http-equiv") or "").strip().lower() == "refresh":
            target = _REFRESH_URL.search(el.get("content") or "")
            if target:
                yield "<meta http-equiv=\"refresh\">", target.group(1).strip("'\" ")
        if tag == "link" and el.get("href"):
            rels = set((el.get("rel") or "").lower().split())
            if rels and not rels <= _NOT_LOADED:
                yield f"<link rel=\"{el.get('rel')}\">", el.get("href")
        for attr in (*_LOADS.get(tag, ()), *_LOADS_ANYWHERE):
            value = el.get(attr)
            if value:
                name = etree.QName(attr).localname if attr.startswith("{") else attr
                urls = _srcset_urls(value) if attr in _SRCSETS else [value]
                yield from ((f"<{tag} {name}>", u) for u in urls)
        yield from _theme_fetches(el, tag)
        if tag == "style" and el.text:
            yield from (("CSS in <style>", u) for u in _css_urls(el.text))
        if el.get("style"):
            yield from (("CSS in a style attribute", u) for u in _css_urls(el.get("style")))
        if tag == "iframe" and (el.get("srcdoc") or "").strip():
            if depth >= MAX_SRCDOC_DEPTH:
                yield "<iframe srcdoc> nested too deep to read", "//srcdoc.unread"
            else:
                inner = _html_document(el.get("srcdoc"))
                yield from ((f"{what} in <iframe srcdoc>", url)
                            for what, url in _element_loads(inner, depth + 1))


# A refresh sends the browser to another address by itself, unasked: "5; url=https://...".
_REFRESH_URL = re.compile(r"url\s*=\s*(\S+)", re.IGNORECASE)


def _stylesheet_instruction(node: Any) -> Iterator[tuple[str, str]]:
    """An ``<?xml-stylesheet href=...?>`` processing instruction (SVG and XML files): the
    browser loads the stylesheet it names."""
    if node.target == "xml-stylesheet":
        href = node.get("href")
        if href:
            yield "<?xml-stylesheet?>", href


# What Material's own script fetches at run time, because of an element on the page.
MERMAID = "https://unpkg.com/mermaid@11/dist/mermaid.min.js"
_JSON_TYPES = ("application/json", "application/ld+json", "importmap")
_SCRIPT_URL = re.compile(r"""["'`]((?:https?:)?//[^"'`\s]+)""", re.IGNORECASE)


def _theme_fetches(el: Any, tag: str) -> Iterator[tuple[str, str]]:
    """Loads that a script makes because of ``el``: a URL literal in an inline script (the
    analytics snippet adds ``<script src=...>`` so), Material's repository facts for its
    ``source`` link (``repo_url``: GitHub's or GitLab's API) and Mermaid for a ``pre.mermaid``
    diagram (Material's bundle loads it from unpkg.com)."""
    if tag == "script" and not el.get("src") and el.text and (
            (el.get("type") or "").lower() not in _JSON_TYPES):
        yield from (("a URL in an inline script", u) for u in _SCRIPT_URL.findall(el.text))
    if el.get("data-md-component") == "source" and el.get("href"):
        parts = urlsplit(el.get("href"))
        if external_host(el.get("href")):
            api = ("https://api.github.com/repos" if parts.hostname == "github.com"
                   else f"{parts.scheme}://{parts.netloc}/api/v4/projects")
            yield "Material's repository facts for repo_url, fetched by its script", api
    if tag == "pre" and "mermaid" in (el.get("class") or "").split():
        yield "Material's script, to draw a Mermaid diagram", MERMAID


# lxml.html's parser (libxml2's HTML parser, same options) without lxml.html's element
# classes: the same tree, and no Python look-up of a class for each element read. Without
# the table of ``id`` values (``collect_ids``), used only by ``getElementById`` and XPath's
# ``id()`` (nothing here): a few per cent of the parse (``guide/performance.md``, tidy2).
_HTML_PARSER = etree.HTMLParser(collect_ids=False)


def _html_document(text: str) -> Any:
    """The root element of the HTML document ``text``, as ``lxml.html.document_fromstring``
    parses it (an ``etree`` element rather than an ``HtmlElement``).

    Raises:
        etree.ParserError: "Document is empty", as lxml.html raises it.
    """
    root = etree.fromstring(text, _HTML_PARSER)
    if root is None:
        raise etree.ParserError("Document is empty")
    return root


def _file_loads(page: str, data: bytes, decoded: list[str] | None = None
                ) -> Iterator[tuple[str, str]]:
    """(what, url) for every load of the HTML, SVG or CSS file ``page`` holding ``data``, its
    bytes read as the leak gate reads them (:func:`build_site.privacy.gate_files.decode_text`:
    a byte-order mark, UTF-8, UTF-16 told by its NUL bytes, else the detected encoding), each
    reading in turn; ``decoded`` is that reading when the caller has it already."""
    suffix = PurePosixPath(page).suffix.lower()
    if suffix not in (".css", ".html", ".htm", ".xhtml", ".svg"):
        return
    if suffix == ".svg":
        parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True)
        root = etree.fromstring(data, parser)
        if root is not None:
            # instructions before the root element are its preceding siblings
            for node in reversed(list(root.itersiblings(preceding=True))):
                if isinstance(node, etree._ProcessingInstruction):
                    yield from _stylesheet_instruction(node)
            yield from _element_loads(root)
        return  # an SVG is read as XML above, never as text
    if decoded is None:
        decoded = decode_text(data)
    for text in decoded or [data.decode("cp1252", "replace")]:
        if suffix == ".css":
            yield from (("CSS", u) for u in _css_urls(text))
        elif text.strip():
            yield from _element_loads(_html_document(text))


class LoadCollector:
    """The external loads of a tree's files, collected file by file as the leak gate reads
    them (:func:`build_site.privacy.gate.scan_tree` hands each file's bytes and text to
    :meth:`visit`), so each file is read and decoded once for both checks.

    ``found`` lists the loads in the order the files were visited (path order, as
    :func:`external_loads`). An error reading a file is kept and raised by :meth:`loads`, where
    :func:`refuse_external_loads` would have met it, so that the gate's verdict still comes
    first; no file is read after it.
    """

    def __init__(self) -> None:
        self.found: list[ExternalLoad] = []
        self.error: Exception | None = None

    def visit(self, page: str, data: bytes, decoded: list[str] | None = None) -> None:
        """Add the loads of the file ``page`` (site-relative) holding ``data``; ``decoded``
        is its text as :func:`decode_text` reads it, when the caller has it."""
        if self.error is not None:
            return
        try:
            for what, url in dict.fromkeys(_file_loads(page, data, decoded)):
                host = external_host(url)
                if host is not None:
                    self.found.append(ExternalLoad(page, url, host, what))
        except Exception as exc:  # raised again by loads(), after the gate's verdict
            self.error = exc

    __call__ = visit  # a file visitor of the gate (scan_tree's ``also``)

    def part(self) -> LoadCollector:
        """An empty collector for a run of the files (the gate's worker processes,
        :class:`build_site.privacy.gate_pool.Splittable`)."""
        return LoadCollector()

    def join(self, parts: Sequence[Any]) -> None:
        """Add what ``parts`` (collectors of consecutive runs of files, in path order)
        collected, as if this collector had visited their files in turn: nothing after the
        first error."""
        for part in parts:
            if self.error is not None:
                return
            self.found.extend(part.found)
            self.error = part.error

    def loads(self) -> list[ExternalLoad]:
        """The loads found. Raises: the first error met reading a file, as it was."""
        if self.error is not None:
            raise self.error
        return self.found


def external_loads(site: Path) -> list[ExternalLoad]:
    """Every load of a resource from another host by the HTML, SVG and CSS files under
    ``site``, in path order."""
    found = []
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        page = path.relative_to(site).as_posix()
        for what, url in dict.fromkeys(_file_loads(page, path.read_bytes())):
            host = external_host(url)
            if host is not None:
                found.append(ExternalLoad(page, url, host, what))
    return found


def allowed_hosts(raw_config: dict[str, Any]) -> frozenset[str] | None:
    """The hosts the team allows pages to load from (``extra.allow_external_resources``):
    None for any host (``true``), else a set, empty when the team allows none."""
    extra = raw_config.get("extra")
    value = extra.get(OPT_IN) if isinstance(extra, dict) else None
    if value is True:
        return None
    if isinstance(value, list):
        return frozenset(str(h).lower() for h in value)
    return frozenset()


def load_collector(project: SiteProject) -> LoadCollector | None:
    """A :class:`LoadCollector` for the leak gate's pass over a build of ``project``, or None
    when the team allows loads from any host (``true``), so that nothing is read for it.

    Raises:
        StudyError: the site configuration cannot be read (:func:`resolved_config`).
    """
    return None if allowed_hosts(resolved_config(project.config)) is None else LoadCollector()


def refuse_external_loads(site: Path, project: SiteProject, study_dir: Path,
                          collected: LoadCollector | None = None) -> None:
    """Refuse a built ``site`` whose pages load a resource from a host the team did not
    allow (:func:`allowed_hosts` of the site configuration ``project.config``). The loads are
    those ``collected`` while the leak gate read the site, else read from ``site`` here.

    Raises:
        StudyError: one problem per URL, naming the team's hand-written file that loads it
            (``docs/about.md`` and the line, not the built ``about.html``) or else the first
            built page, how many others do, and how to remove it or opt in (in the study's
            ``mkdocs.yml``, or in one to create beside ``study.yml`` when the study has none):
            exit 2, nothing is published.
    """
    config = project.config
    allowed = allowed_hosts(resolved_config(config))
    if allowed is None:
        return
    by_url: dict[str, list[ExternalLoad]] = {}
    for load in collected.loads() if collected else external_loads(site):
        if load.host not in allowed:
            by_url.setdefault(load.url, []).append(load)
    problems = [_problem(loads, project, study_dir) for loads in by_url.values()]
    if problems:
        raise StudyError(problems)


def _problem(loads: list[ExternalLoad], project: SiteProject, study_dir: Path) -> Problem:
    """The problem for the loads of one URL: the first that a hand-written file makes, else
    the first."""
    sources = [(load, handwritten_source(load.page, project)) for load in loads]
    first, rel = next(((ld, r) for ld, r in sources if r is not None), (loads[0], None))
    others = len({ld.page for ld in loads} - {first.page})
    more = f"{others} other file{'s' if others != 1 else ''}" if others else ""
    what, where, line = first.what, first.page + (f" (and {more})" if more else ""), 0
    if rel is not None:
        where = _shown_path(Path(project.source(rel)), study_dir)
        line = source_line(project.pages[rel], first.url.strip(), first.host)
        built = [f"built as {first.page}"] if first.page != rel else []
        what = "; ".join([what, *built, *([f"{more} load it too"] if more else [])])
    return Problem(where, line, f"loads {first.url} from another host ({what}): the site must "
                   "work from disk and tell no other server that someone reads it",
                   _hint(first.host, project.config, study_dir, rel is not None))


def _shown_path(path: Path, study_dir: Path) -> str:
    """``path`` relative to the study folder when inside it (``docs/about.md``), else whole."""
    try:
        return path.resolve().relative_to(study_dir.resolve()).as_posix()
    except ValueError:
        return str(path)


def _hint(host: str, config: Path, study_dir: Path, handwritten: bool) -> str:
    """What to do about a load from ``host``: remove it (from the hand-written page, or for
    web fonts the line of ``theme.font`` in ``config``), or opt in, in ``config`` or, when the
    study has none (the package default is in force), in a ``mkdocs.yml`` to create beside
    ``study.yml``."""
    allow = f"extra: {{{OPT_IN}: [{host}]}}"
    if config == default_config():
        opt_in = (f"or, if the team accepts the request, create {study_dir / 'mkdocs.yml'} "
                  f"(beside study.yml) holding {allow}")
    else:
        opt_in = f"or, if the team accepts the request, allow the host in {config}: {allow}"
    font_line = key_line(config, "theme", "font")
    if host.startswith("fonts.") and font_line and config != default_config():
        return (f"web fonts: remove theme.font at {config}:{font_line} (build-site's default "
                f"is font: false, the reader's own fonts), {opt_in}")
    if handwritten:
        return f"remove it from that file, {opt_in}"
    if config == default_config():
        return f"remove it from the hand-written page or theme override that adds it, {opt_in}"
    return f"remove it from {config} or the hand-written page that adds it, {opt_in}"
