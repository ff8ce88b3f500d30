"""No page of a built site loads anything from another host, unless the team opts in.

A supplement promises to work from disk and to tell no other server that someone is reading
it. This check reads the finished tree (after the engine, before publish) for every *load*
of a resource from another host: ``<script src>``, stylesheets, fonts, preconnects and other
``<link>`` loads, images, media, frames, embedded objects, SVG ``<image>``/``<use>``
references, and CSS ``url()`` and ``@import`` in stylesheets, ``<style>`` elements and
``style`` attributes, URL literals in inline scripts (Material's analytics snippet), and what
Material's script fetches because of the page (repository facts for ``repo_url``, Mermaid for
a diagram). Links a reader follows (``<a href>``, ``rel="canonical"``) are not loads. A page
is read as libxml2's HTML parser reads it (lxml.html's parser, events without a tree:
:class:`_PageReader`), what follows ``</html>`` included.

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
from typing import Any, cast
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
    "image": (*_XLINK, "src", "srcset"), "use": _XLINK, "feimage": _XLINK,
}  # an HTML <image> is an <img> to a browser (WHATWG HTML, "in body": "Don't ask.")
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


_C0_OR_SPACE = "".join(map(chr, range(0x21)))
_TAB_OR_NEWLINE = re.compile("[\t\n\r]")


def external_host(url: str) -> str | None:
    """The host ``url`` would be fetched from when it is on another host (absolute with a
    network scheme, or protocol-relative ``//host``), else None. Browsers remove leading and
    trailing C0 controls and spaces and every tab and newline (WHATWG URL, basic URL parser:
    ``"\\x01//host"`` and ``"/\\t/host"`` are ``//host``) and read ``\\`` as ``/``, so this
    does too."""
    cleaned = _TAB_OR_NEWLINE.sub("", url.strip(_C0_OR_SPACE)).replace("\\", "/")
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
_READ_ALL = False  # True: every element read, the filter off (a test shows it loses nothing)


def _may_load(el: Any, tag: str) -> bool:
    """Whether :func:`_loads_of` reads anything of the element ``el`` (named ``tag``, local
    and in lower case; ``el`` an lxml element or a parser target's attribute mapping, both
    with ``keys()``); when not, it yields nothing for it."""
    if tag in _TEXT_READ:
        return True
    keys = el.keys()
    return (not _READ_ATTRIBUTES.isdisjoint(keys) or (tag in _HREF_READ and "href" in keys)
            or _READ_ALL)


def _local_name(tag: str) -> str:
    """The local name of an element, in lower case: ``{ns}image`` and ``svg:image`` (a prefix
    the HTML parser keeps as part of the name; lxml's QName refuses it) both read ``image``, so
    a prefixed element is checked as the element it names, never passed over or crashed on."""
    return tag.rpartition("}")[2].rpartition(":")[2].lower()


def _element_loads(root: Any, depth: int = 0) -> Iterator[tuple[str, str]]:
    """(what, url) for every load an lxml tree asks for (an SVG file, read as XML), in
    document order: each element's as :func:`_loads_of` reads them."""
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
        yield from _loads_of(tag, el, el.text if tag in _TEXT_READ else None, depth)


def _loads_of(tag: str, attrs: Any, text: str | None, depth: int) -> Iterator[tuple[str, str]]:
    """(what, url) for every load one element asks for: the element named ``tag`` (local, in
    lower case) with the attributes ``attrs`` (anything with ``get``: an lxml element, or
    the mapping a parser target is handed) and, for ``script`` and ``style``, ``text`` (its
    text before its first child, lxml's ``.text``); an iframe's ``srcdoc`` is read as a
    document of its own (:func:`_html_loads`, up to :data:`MAX_SRCDOC_DEPTH` deep).

    Raises:
        ValueError: an external ``href`` of Material's ``source`` link that
            :func:`urllib.parse.urlsplit` refuses (as before: the check fails on it).
        etree.ParserError: an empty ``srcdoc`` document (:func:`_html_loads`).
    """
    if tag == "meta" and (attrs.get("http-equiv") or "").strip().lower() == "refresh":
        target = _REFRESH_URL.search(attrs.get("content") or "")
        if target:
            yield "<meta http-equiv=\"refresh\">", target.group(1).strip("'\" ")
    if tag == "link" and attrs.get("href"):
        rels = set((attrs.get("rel") or "").lower().split())
        if rels and not rels <= _NOT_LOADED:
            yield f"<link rel=\"{attrs.get('rel')}\">", attrs.get("href")
    for attr in (*_LOADS.get(tag, ()), *_LOADS_ANYWHERE):
        value = attrs.get(attr)
        if value:
            name = etree.QName(attr).localname if attr.startswith("{") else attr
            urls = _srcset_urls(value) if attr in _SRCSETS else [value]
            yield from ((f"<{tag} {name}>", u) for u in urls)
    yield from _theme_fetches(attrs, tag, text)
    if tag == "style" and text:
        yield from (("CSS in <style>", u) for u in _css_urls(text))
    if attrs.get("style"):
        yield from (("CSS in a style attribute", u) for u in _css_urls(attrs.get("style")))
    if tag == "iframe" and (attrs.get("srcdoc") or "").strip():
        if depth >= MAX_SRCDOC_DEPTH:
            yield "<iframe srcdoc> nested too deep to read", "//srcdoc.unread"
        else:
            yield from ((f"{what} in <iframe srcdoc>", url)
                        for what, url in _html_loads(attrs.get("srcdoc"), depth + 1))


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


def _theme_fetches(attrs: Any, tag: str, text: str | None) -> Iterator[tuple[str, str]]:
    """Loads that a script makes because of an element (``tag``, its attributes ``attrs``
    and, for a script, its ``text``, as :func:`_loads_of`): a URL literal in an inline script (the
    analytics snippet adds ``<script src=...>`` so), Material's repository facts for its
    ``source`` link (``repo_url``: GitHub's or GitLab's API) and Mermaid for a ``pre.mermaid``
    diagram (Material's bundle loads it from unpkg.com)."""
    if tag == "script" and not attrs.get("src") and text and (
            (attrs.get("type") or "").lower() not in _JSON_TYPES):
        yield from (("a URL in an inline script", u) for u in _SCRIPT_URL.findall(text))
    if attrs.get("data-md-component") == "source" and attrs.get("href"):
        parts = urlsplit(attrs.get("href"))
        if external_host(attrs.get("href")):
            api = ("https://api.github.com/repos" if parts.hostname == "github.com"
                   else f"{parts.scheme}://{parts.netloc}/api/v4/projects")
            yield "Material's repository facts for repo_url, fetched by its script", api
    if tag == "pre" and "mermaid" in (attrs.get("class") or "").split():
        yield "Material's script, to draw a Mermaid diagram", MERMAID


class _PageReader:
    """An lxml parser target (no tree is built) that reads the loads of an HTML document as
    :func:`_element_loads` reads them from the tree libxml2's HTML parser builds of it: the
    same parser, so the same elements with the same attributes, in the same order (the start
    events come in the tree's document order), each element read by :func:`_loads_of`.

    A ``script`` or ``style`` element is read once its text before its first child (lxml's
    ``.text``) is complete: at the next start, end, comment or instruction. What follows
    ``</html>`` is read too: libxml2 puts it in a second ``<html>`` beside the root, which the
    tree walk (``root.iter()``) never visited, while a browser shows it in the body. An
    instruction is read once an element has started (libxml2 2.14 and later parse ``<?`` in
    HTML as a comment). Building and freeing the tree and a proxy per element made the check
    half as costly again (2.47 against 1.67 CPU s at 1,000 dyads: ``guide/performance.md``,
    post4); ``tests/offline_reference.py``
    keeps that tree walk, against which ``tests/test_offline_reader.py`` compares this.

    What a page costs beyond libxml2's parse is a Python call per event (1.2 M starts, 1.2 M
    ends, 1.5 M texts at 1,000 dyads), so the two commonest are cheapened (loads8): a text
    goes to ``list.append`` (``data``, a C method: no Python frame), and a waiting element's
    text is what was appended since it started; an element whose name is a key of
    :data:`_PLAIN` (no special rule applies to it) is read in :meth:`start` by
    :func:`_loads_of` when it holds one of the attributes that function reads of it
    (:data:`_PLAIN`'s value), without the general path (:meth:`_start`). The first element of
    a page always takes the general path (:attr:`plain` starts empty), which marks the page
    started.
    """

    def __init__(self, depth: int) -> None:
        self.depth = depth
        self.found: list[tuple[str, str]] = []
        self.names: dict[str, str] = {}
        self.started = False
        # an element awaiting its text: a script or style (its attributes), or one whose
        # text a browser parses as markup (inside SVG or MathML: _foreign_text_loads)
        self.waiting: tuple[str, Any, bool] | None = None
        self.texts: list[str] = []  # every text since the waiting element started (or more)
        self.data = self.texts.append  # the parser target's text event (lxml reads it once)
        self.foreign = 0  # open svg and math elements
        self.plain: dict[str, frozenset[str]] = {}  # _PLAIN once started, unless _READ_ALL

    def _read_waiting(self) -> None:
        if self.waiting is not None:
            tag, attrs, markup = self.waiting
            self.waiting = None
            text = "".join(self.texts)
            if attrs is not None:
                self.found.extend(_loads_of(tag, attrs, text or None, self.depth))
            if markup:
                self.found.extend(_foreign_text_loads(text, self.depth))

    def _wait(self, tag: str, attrs: Any, markup: bool) -> None:
        """Let the element ``tag`` await its text (``attrs``: read by :func:`_loads_of`
        then; ``markup``: the text read as a browser parses it inside SVG or MathML)."""
        self.texts.clear()
        self.waiting = (tag, attrs, markup)

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        """An element starts (lxml's parser target interface): read as
        :func:`_element_loads` reads it, :func:`_may_load`'s test inlined (a call per
        element is a tenth of the check); one of :data:`_PLAIN` here, any other by
        :meth:`_start`."""
        if self.waiting is not None:
            self._read_waiting()
        read = self.plain.get(tag)
        if read is None:
            self._start(tag, attrs)
        elif not read.isdisjoint(attrs):
            self.found.extend(_loads_of(tag, attrs, None, self.depth))

    def _start(self, tag: str, attrs: dict[str, str]) -> None:
        """An element :meth:`start` does not read itself (the general path)."""
        if not self.started:
            self.started = True
            self.plain = {} if _READ_ALL else _PLAIN
        name = self.names.get(tag)
        if name is None:
            name = self.names[tag] = _local_name(tag)
        if name in _FOREIGN_ROOTS:
            self.foreign += 1
        if (name in _TEXT_READ or not _READ_ATTRIBUTES.isdisjoint(attrs)
                or (name in _HREF_READ and "href" in attrs) or _READ_ALL):
            if name == "script" or name == "style":
                self._wait(name, attrs, self.foreign > 0)
                return
            self.found.extend(_loads_of(name, attrs, None, self.depth))
        if self.foreign and name in _TEXT_IN_LIBXML2:
            self._wait(name, None, True)

    def end(self, tag: str) -> None:
        """An element ends (the parser target interface): a waiting element's text too."""
        if self.waiting is not None:
            self._read_waiting()
        if self.foreign and self.names.get(tag) in _FOREIGN_ROOTS:
            self.foreign -= 1

    def comment(self, text: str) -> None:
        """A comment (the parser target interface): it ends a waiting element's text."""
        if self.waiting is not None:
            self._read_waiting()

    def pi(self, target: str, data: str | None) -> None:
        """A processing instruction (the parser target interface), read as
        :func:`_stylesheet_instruction` reads one inside the root."""
        self._read_waiting()
        if self.started:
            self.found.extend(_stylesheet_instruction(etree.ProcessingInstruction(
                target, data)))

    def close(self) -> list[tuple[str, str]] | None:
        """The loads read, in order; None when the document held no element."""
        self._read_waiting()
        return self.found if self.started else None


# In SVG and MathML (a browser's "foreign content") these are ordinary elements whose
# content is parsed as markup, or HTML integration points (title); libxml2 keeps their content
# as text, so "<svg><style><img src=https://...>" hid an image a browser loads: the <img>
# leaves the SVG (WHATWG HTML 13.2.6.5, the rules for parsing tokens in foreign content).
_FOREIGN_ROOTS = frozenset({"svg", "math"})
_TEXT_IN_LIBXML2 = frozenset({"style", "script", "title", "textarea", "xmp", "iframe",
                              "noembed", "noframes", "noscript", "plaintext"})

# Element names (as libxml2's HTML parser hands them: lower case, no prefix) that no rule
# but the filter and _loads_of's attribute reading touches: not read for their text
# (_TEXT_READ), not read for a plain href (_HREF_READ), neither SVG nor MathML roots nor
# elements whose text a browser parses as markup there. _PageReader reads these without its
# general path; any other name (a prefixed one, an unknown one) takes that path. Most of a
# page's elements are these (a, span, td, li, text, path, g, p, div...). Each maps to the
# attributes _loads_of reads of it (its _LOADS, _LOADS_ANYWHERE, style, Material's
# data-md-component, and http-equiv for meta): without one of them it yields nothing, so an
# <a xlink:href> in a diagram (40 k at 1,000 dyads) is passed over.
_PLAIN_NAMES = frozenset("""
    a abbr address area article aside b bdi bdo blockquote body br button canvas caption
    cite code col colgroup data datalist dd del details dfn dialog div dl dt em fieldset
    figcaption figure footer form h1 h2 h3 h4 h5 h6 head header hgroup hr html i input ins
    kbd label legend li main map mark menu meta meter nav ol optgroup option output p
    param picture progress q rp rt ruby s samp search section select slot small span strong
    sub summary sup table tbody td tfoot th thead time tr u ul var wbr img source video
    audio track embed object iframe frame
    circle clippath defs desc ellipse g line marker mask path polygon polyline rect stop
    symbol text tspan foreignobject switch metadata view
    mi mo mn ms mtext mrow msup msub mfrac msqrt mroot mtable mtr mtd annotation semantics
    """.split()) - _TEXT_READ - _HREF_READ - _FOREIGN_ROOTS - _TEXT_IN_LIBXML2
_PLAIN: dict[str, frozenset[str]] = {name: frozenset({
    *_LOADS.get(name, ()), *_LOADS_ANYWHERE, "style", "data-md-component",
    *(("http-equiv",) if name == "meta" else ())}) for name in _PLAIN_NAMES}


def _foreign_text_loads(text: str, depth: int) -> list[tuple[str, str]]:
    """The loads of ``text`` (the content libxml2 kept as text of an element of
    :data:`_TEXT_IN_LIBXML2` inside SVG or MathML) read as an HTML document, as a browser
    parses it there; none when it holds no ``<``."""
    if "<" not in text:
        return []
    try:
        return [(f"{what} inside SVG or MathML text", url)
                for what, url in _html_loads(text, depth)]
    except etree.ParserError:  # no element: nothing loads
        return []


def _html_loads(text: str, depth: int = 0) -> list[tuple[str, str]]:
    """(what, url) for every load of the HTML document ``text``, read by libxml2's HTML
    parser as ``lxml.html.document_fromstring`` parses it, through :class:`_PageReader`.

    Raises:
        etree.ParserError: "Document is empty" (no element), as lxml.html raises it.
        ValueError: as :func:`_loads_of`.
    """
    # A new parser each time: an iframe's srcdoc is read while its page's parser runs.
    parser = etree.HTMLParser(target=_PageReader(depth), collect_ids=False)
    found = etree.fromstring(text, parser)
    if found is None:
        raise etree.ParserError("Document is empty")
    if any(error.message.startswith(_MISPLACED) for error in parser.error_log):
        found = found + _merged_root_loads(text, depth)
    return cast(list[tuple[str, str]], found)


# libxml2 drops a second <html> or <body> start tag inside the document (its attributes
# too); an HTML5 browser adds that tag's attributes to the page's html or body element
# (WHATWG HTML 13.2.6.4.7, "in body": a start tag "html" or "body"), so a Markdown page's
# raw <body style="background:url(https://...)"> or <body background=...> loads.
_MISPLACED = ("htmlParseStartTag: misplaced <html>", "htmlParseStartTag: misplaced <body>")
_ROOT_TAG = re.compile(r"<(html|body)(?=[\s/>])", re.IGNORECASE)


_RENAMED = "build-site-misplaced-"  # an html or body start tag, read as an element so named


class _RootTags(_PageReader):
    """A parser target reading only the elements named ``build-site-misplaced-html`` or
    ``-body`` (:func:`_merged_root_loads`), each as the ``html`` or ``body`` it stood for."""

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        """Read a renamed element's attributes as :func:`_loads_of` reads the element's."""
        if tag.startswith(_RENAMED):
            self.found.extend(_loads_of(tag[len(_RENAMED):], attrs, None, self.depth))

    def close(self) -> list[tuple[str, str]]:
        """The loads read, in order."""
        return self.found


def _merged_root_loads(text: str, depth: int) -> list[tuple[str, str]]:
    """The loads of every ``<html>`` and ``<body>`` start tag of ``text``, for a page where
    libxml2 dropped one as misplaced (a browser adds its attributes to the page's own
    element): ``text`` parsed once more with each such tag renamed (:data:`_RENAMED`), so
    libxml2 keeps it, with its attributes, wherever it stands (one in a comment or a script
    stays text there, as in a browser)."""
    renamed = _ROOT_TAG.sub(lambda tag: "<" + _RENAMED + tag.group(1).lower(), text)
    return cast(list[tuple[str, str]], etree.fromstring(
        renamed, etree.HTMLParser(target=_RootTags(depth), collect_ids=False)))


def _file_loads(page: str, data: bytes, decoded: list[str] | None = None
                ) -> Iterator[tuple[str, str]]:
    """(what, url) for every load of the HTML (:func:`_html_loads`), SVG (an XML tree,
    :func:`_element_loads`) or CSS file ``page`` holding ``data``, its
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
            yield from _html_loads(text)


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
