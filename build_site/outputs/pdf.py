"""``build-site pdf``: the whole public site as one printable PDF, diagrams kept as vectors.

For reviewers who print. The PDF is made from the public build only, as ``build-site package``
builds it for deposit: without the material of participants who agreed to the website but not
to be archived (a printed copy is copied and kept like the supplement;
:mod:`build_site.consent.archive`). It is refused (exit 3) until ``study.yml`` records a
sign-off of exactly this content (:func:`build_site.outputs.package.require_sign_off`, the
same rule).

The built pages are joined, in navigation order, into one print document (:func:`print_document`):
each page's article without Material's chrome (navigation, search, permalinks, the
JavaScript-only table controls), internal links turned into links inside the document
(``x/y.html#frag`` becomes ``#page-x-y--frag``), every ``id`` prefixed with its page's so ids
stay unique, inline SVG diagrams kept inline. WeasyPrint lays it out with the package's
``defaults/print.css`` (A4, a title page, contents with page numbers, a landscape page for the
wide tables) and fetches nothing outside the built site.

The leak gate's reading and matching rules (:func:`build_site.privacy.gate.scan_text`: the canonical
reading of :mod:`build_site.deidentify.reading`) are applied to the print document and to what
the finished PDF holds as text (page text, bookmarks, metadata), read as the site gate reads a
PDF file; a hit refuses (exit 3) and nothing is written. The PDF is written atomically and is
reproducible: its dates come from :func:`build_site.manifest.source_date_epoch`, never from
the clock.
"""

from __future__ import annotations

import os
import posixpath
import re
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import lxml.html
from lxml.html import HtmlElement, builder

from build_site import __version__
from build_site.errors import PrivacyError, Problem, StudyError, UsageError
from build_site.manifest import source_date_epoch
from build_site.metadata.demonstration import fictional
from build_site.metadata.deposit import title as deposit_title
from build_site.outputs.package import require_sign_off
from build_site.outputs.print_tables import split_wide_tables
from build_site.pipeline import build
from build_site.privacy.gate import scan_text
from build_site.study import Identifier, Study
from build_site.timing import StageClock

Progress = Callable[[str], None]
PRINT_CSS = "print.css"
PAGE_PREFIX = "page-"
# Material chrome and controls that mean nothing on paper (XPath 1.0, inside an article).
_CLASS = 'contains(concat(" ", normalize-space(@class), " "), " {} ")'
_DROP = " | ".join([
    ".//a[" + _CLASS.format("headerlink") + "]",
    ".//*[" + _CLASS.format("md-content__button") + "]",
    ".//*[" + _CLASS.format("md-source-file") + "]",
    ".//*[" + _CLASS.format("md-feedback") + "]",
    ".//*[" + _CLASS.format("bs-order") + "]",
    ".//*[" + _CLASS.format("bs-filters") + "]",
    ".//*[" + _CLASS.format("bs-screen") + "]",
    ".//*[" + _CLASS.format("bs-sr") + "]",
    ".//details[" + _CLASS.format("bs-alt") + "]",
    ".//*[@hidden]",
    ".//nav", ".//header", ".//footer", ".//script", ".//noscript", ".//form", ".//button",
    ".//select", ".//input", ".//textarea", ".//output", ".//iframe", ".//object",
    ".//embed", ".//video", ".//audio", ".//link", ".//meta",
    ".//style[not(ancestor::svg)]",
])
_ARTICLE = "//article[" + _CLASS.format("md-content__inner") + "]"
_URL_REF = re.compile(r"url\(\s*(['\"]?)#([^)'\"]+)\1\s*\)")
_ID_LISTS = ("aria-labelledby", "aria-describedby", "aria-controls", "aria-owns", "for",
             "headers")
_LINKS = ("href", "xlink:href")
# Print colours for the model diagrams (the site's colours live in CSS variables of Material's
# theme, which the print document does not load; WeasyPrint styles an inline SVG only from
# the stylesheets inside it).
_DIAGRAM_STYLE = """
text { fill: #000; }
.node path, .node polygon { stroke: #37474f; }
.node.kind-competency path, .node.kind-competency polygon { fill: #e3f2fd; }
.node.kind-process path, .node.kind-process polygon { fill: #fff3e0; }
.node.kind-outcome path, .node.kind-outcome polygon { fill: #e8f5e9; }
.cluster path, .cluster polygon { fill: #fafafa; stroke: #37474f; }
.edge path { stroke: #37474f; }
.edge polygon { fill: #37474f; stroke: #37474f; }
.node.dim path, .node.dim polygon, .cluster.dim path, .cluster.dim polygon { opacity: 0.45; }
.node.evidenced path, .node.evidenced polygon { stroke: #000; stroke-width: 3px; }
.cluster.evidenced path, .cluster.evidenced polygon { stroke: #000; stroke-width: 2.5px; }
"""


@dataclass(frozen=True)
class Entry:
    """One line of the contents, in navigation order.

    ``path``: the page (site-relative ``.html``), or ``None`` for a navigation section that has
    no page of its own; ``label``: its navigation title; ``depth``: 0 for top-level items;
    ``section``: the top-level section it belongs to (shown in the running header).
    """

    depth: int
    label: str
    path: str | None
    section: str


@dataclass(frozen=True)
class PrintDocument:
    """The assembled print document: ``html`` (one HTML document) and ``titles``, each site
    page it holds (site-relative ``.html``) with its title, in document order."""

    html: str
    titles: dict[str, str]


@dataclass
class PdfReport:
    """What ``build-site pdf`` did: the file written, site pages and PDF pages in it, its size
    in bytes, seconds per stage, warnings (e.g. resources that were not fetched) and the print
    document the PDF was laid out from."""

    out: Path
    document: PrintDocument | None = None
    pages: int = 0
    pdf_pages: int = 0
    size: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def outline(nav: list[Any]) -> list[Entry]:
    """Flatten MkDocs' ``nav`` (``[{title: "x/y.md" or [...]}, ...]``) into the contents.

    A section whose first item is its overview (titled "Overview", or titled like the section)
    is that page: the page takes the section's place and title. Other sections become a
    heading without a page. Pages are given as site-relative ``.html`` paths, as MkDocs writes
    them with ``use_directory_urls: false``.

    Returns:
        The entries in navigation order.
    """
    entries: list[Entry] = []

    def walk(items: list[Any], depth: int, section: str) -> None:
        for item in items:
            if isinstance(item, str):
                entries.append(Entry(depth, posixpath.splitext(item)[0], _html(item),
                                     section))
                continue
            for title, value in item.items():
                top = section or str(title)
                if isinstance(value, str):
                    entries.append(Entry(depth, str(title), _html(value), top))
                    continue
                children = list(value)
                first = children[0] if children else None
                if (isinstance(first, dict) and len(first) == 1
                        and isinstance(next(iter(first.values())), str)
                        and next(iter(first)) in ("Overview", title)):
                    entries.append(Entry(depth, str(title), _html(next(iter(first.values()))),
                                         top))
                    children = children[1:]
                else:
                    entries.append(Entry(depth, str(title), None, top))
                walk(children, depth + 1, top)

    walk(nav, 0, "")
    return entries


def _html(page: str) -> str:
    stem, _ = posixpath.splitext(page)
    if posixpath.basename(stem).lower() == "readme":
        stem = posixpath.join(posixpath.dirname(stem), "index")
    return stem + ".html"


def page_anchor(path: str, fragment: str = "") -> str:
    """The id of page ``path`` (site-relative ``.html``) in the print document, or of the
    element ``fragment`` on it: ``model/trust.html`` gives ``page-model-trust`` and, with
    ``dyad-D1``, ``page-model-trust--dyad-D1``."""
    stem = re.sub(r"\s+", "_", unquote(path).removesuffix(".html").replace("/", "-"))
    base = PAGE_PREFIX + stem
    return f"{base}--{fragment}" if fragment else base


def _drop(element: HtmlElement) -> None:
    parent = element.getparent()
    if parent is not None:
        element.drop_tree()


def _article(site: Path, path: str) -> HtmlElement:
    file = site / path
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise StudyError([Problem(path, 0, f"the built page cannot be read: {exc}")]) from None
    root = lxml.html.document_fromstring(data, parser=lxml.html.HTMLParser(encoding="utf-8"))
    found = root.xpath(_ARTICLE)
    if found:
        article: HtmlElement = found[0]
    else:  # a custom theme: take the main content, else the body, without the chrome
        main = root.xpath("//main") or root.xpath("//body")
        article = main[0] if main else root
    return article


def _clean(article: HtmlElement) -> None:
    for element in article.xpath(_DROP):
        _drop(element)
    for details in article.iter("details"):
        details.set("open", "open")
    for element in article.iter():
        if isinstance(element.tag, str):
            for name in ("tabindex", "aria-pressed", "aria-live", "data-target"):
                element.attrib.pop(name, None)


def _rewrite(article: HtmlElement, path: str, pages: dict[str, str]) -> None:
    """Prefix every id with the page's anchor; point every internal link into the document."""
    here = posixpath.dirname(path)
    anchor = pages[path]
    seen: set[str] = set()
    for element in article.iter():
        if not isinstance(element.tag, str):
            continue
        if element.get("id"):
            new = f"{anchor}--{element.get('id')}"
            if new in seen:  # a repeated id (Matplotlib's gid): a link meets the first
                element.attrib.pop("id")
            else:
                element.set("id", new)
                seen.add(new)
        for name in _ID_LISTS:
            if element.get(name):
                element.set(name, " ".join(f"{anchor}--{token}"
                                           for token in element.get(name, "").split()))
        for name, value in list(element.attrib.items()):
            if "url(" in value:
                element.set(name, _URL_REF.sub(
                    lambda m: f"url(#{anchor}--{m.group(2)})", value))
        if element.tag == "style" and element.text and "url(" in element.text:
            element.text = _URL_REF.sub(lambda m: f"url(#{anchor}--{m.group(2)})",
                                        element.text)
        for name in _LINKS:
            href = element.get(name)
            if href is None:
                continue
            target = _link(href, here, path, pages)
            if target is None:
                element.attrib.pop(name)
                if element.tag == "a":
                    element.set("class", (element.get("class", "") + " bs-unlinked").strip())
            else:
                element.set(name, target)
        src = element.get("src")
        if src is not None:
            parts = urlsplit(src)
            if not parts.scheme and not parts.netloc and parts.path:
                element.set("src", posixpath.normpath(posixpath.join(here, parts.path)))


def _link(href: str, here: str, path: str, pages: dict[str, str]) -> str | None:
    """The in-document link for ``href`` on page ``path``; ``href`` itself for a web or mail
    link; ``None`` for a file of the site that is not part of the document, or any other
    scheme (a PDF reader would be asked to open it)."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return href if parts.scheme.lower() in ("http", "https", "mailto") else None
    if not parts.path:
        return "#" + (f"{pages[path]}--{parts.fragment}" if parts.fragment else pages[path])
    target = posixpath.normpath(posixpath.join(here, unquote(parts.path)))
    if target.endswith("/") or "." not in posixpath.basename(target):
        target = posixpath.join(target, "index.html")
    if target not in pages:
        return None
    return "#" + (f"{pages[target]}--{parts.fragment}" if parts.fragment else pages[target])


def _alt_text(article: HtmlElement) -> None:
    """Give each inline SVG with an ``aria-label`` a ``<title>`` of that text: WeasyPrint's
    tagged PDF takes a figure's ``/Alt`` from an SVG's ``<title>`` (PDF/UA-1 7.3)."""
    for svg in article.xpath(".//svg[@aria-label]"):
        if not any(getattr(child, "tag", "") == "title" for child in svg):
            svg.insert(0, builder.E("title", svg.get("aria-label")))


def _style_diagrams(article: HtmlElement) -> None:
    _alt_text(article)
    for svg in article.xpath(".//*[" + _CLASS.format("bs-diagram") + "]//svg"):
        style = builder.E("style", _DIAGRAM_STYLE)
        style.set("type", "text/css")
        svg.insert(0, style)
    for svg in article.xpath(".//*[" + _CLASS.format("bs-diagram") + " or "
                             + _CLASS.format("bs-chart") + "]//svg"):
        _fit(svg)


_LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(pt|px|mm|cm|in|)\s*$")
_POINTS = {"pt": 1.0, "px": 0.75, "": 0.75, "mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0}
MAX_FIGURE = (490.0, 600.0)  # points: the text width of an A4 page, and most of its height


def _fit(svg: HtmlElement) -> None:
    """Scale a figure's width and height (points) down to fit ``MAX_FIGURE``, keeping its
    aspect ratio (WeasyPrint's ``max-width`` on an inline SVG keeps the full height)."""
    sizes = [_LENGTH.match(svg.get(name, "")) for name in ("width", "height")]
    if not (sizes[0] and sizes[1]):
        return
    width, height = (float(m.group(1)) * _POINTS[m.group(2)] for m in sizes if m)
    svg.attrib.pop("style", None)  # the screen's min-width (render/diagrams.py) is no paper size
    if width <= 0 or height <= 0:
        return
    scale = min(1.0, MAX_FIGURE[0] / width, MAX_FIGURE[1] / height)
    svg.set("width", f"{width * scale:.2f}pt")
    svg.set("height", f"{height * scale:.2f}pt")


def _upright_headers(article: HtmlElement) -> None:
    """Wrap the matrices' component headers so the stylesheet can turn them upright
    (WeasyPrint has no vertical writing mode)."""
    matrix = ".//table[" + _CLASS.format("bs-matrix") + "]/thead//th"
    for th in article.xpath(matrix + "[position() > 1][not(. = '')]"):
        if "bs-case" in (th.get("class") or "").split():  # the case column, not a component
            continue
        inner = builder.SPAN()
        inner.text, th.text = th.text, None
        for child in list(th):
            inner.append(child)
        th.append(builder.SPAN(inner, {"class": "bs-rot"}))
        th.set("class", (th.get("class", "") + " bs-rotated").strip())


def _first_heading(article: HtmlElement) -> HtmlElement | None:
    found = article.xpath(".//h1")
    return found[0] if found else None


def _iso(epoch: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def _title_page(public: Study, digest: str) -> HtmlElement:
    meta = public.meta
    E = builder
    heading = E.H1(meta.title, {"class": "bs-doc-title"})
    if meta.demonstration:  # the running header of every page says so (print.css)
        heading.set("data-running", fictional(meta.title))
    parts: list[Any] = [heading]
    if meta.subtitle:
        parts.append(E.P(meta.subtitle, {"class": "bs-doc-subtitle"}))
    if meta.team:
        parts.append(E.P(", ".join(p.name for p in meta.team), {"class": "bs-doc-authors"}))
    facts: list[Any] = []
    for term, value in (("Version", meta.version), ("Released", meta.date_released),
                        ("Licence", meta.license),
                        ("Cite as", meta.citation.text if meta.citation else ""),
                        ("DOI", meta.citation.doi if meta.citation and meta.citation.doi
                         and not meta.demonstration else "")):
        if value:
            facts += [E.DT(term), E.DD(value)]
    facts += [E.DT("Content"), E.DD(f"the signed-off public site; fingerprint {digest}")]
    parts.append(E.DL(*facts, {"class": "bs-doc-facts"}))
    if meta.demonstration:
        parts.append(E.P("A demonstration study: every participant, place and conversation in "
                         "it is fictional.", {"class": "bs-doc-note"}))
    parts.append(E.P(f"Printed from the public site by build-site {__version__}. Links in "
                     "this document lead to its own pages; downloadable files are in the "
                     "online site and the supplement.", {"class": "bs-doc-note"}))
    return E.SECTION(*parts, {"class": "bs-title-page", "id": "bs-title-page"})


def _contents(entries: list[Entry], titles: dict[str, str],
              pages: dict[str, str]) -> HtmlElement:
    E = builder
    items = []
    for entry in entries:
        cls = f"bs-toc-entry depth-{min(entry.depth, 5)}"
        if entry.path is None:
            items.append(E.LI(E.SPAN(entry.label, {"class": "bs-toc-label"}),
                              {"class": cls + " bs-toc-section"}))
        else:
            items.append(E.LI(E.A(titles[entry.path], href="#" + pages[entry.path]),
                              {"class": cls}))
    return E.SECTION(E.H2("Contents", {"class": "bs-toc-title"}),
                     E.UL(*items, {"class": "bs-toc-list"}),
                     {"class": "bs-toc", "id": "bs-contents"})


def print_document(site: Path, nav: list[Any], public: Study, digest: str,
                   epoch: int) -> PrintDocument:
    """Assemble the print document (HTML) from the public site built into ``site``.

    Args:
        site: the built site (MkDocs Material output, ``use_directory_urls: false``).
        nav: the navigation the site was built with (``BuildReport.nav``).
        public: the de-identified public study (title page and PDF metadata).
        digest: the manifest fingerprint of ``public`` (shown on the title page).
        epoch: the document's date, in seconds since 1970.

    Returns:
        A ``PrintDocument``: title page, contents, then every page of ``nav`` in order, each
        page a ``<section id="page-...">`` whose ids all start with that id.

    Raises:
        StudyError: a page named in ``nav`` is missing from ``site``.
    """
    entries = outline(nav)
    pages = _anchors(entries)
    articles: dict[str, HtmlElement] = {}
    titles: dict[str, str] = {}
    for entry in entries:
        if entry.path is not None and entry.path not in articles:
            article = _article(site, entry.path)
            _clean(article)
            heading = _first_heading(article)
            title = " ".join(heading.text_content().split()) if heading is not None else ""
            titles[entry.path] = title or entry.label
            articles[entry.path] = article
    entries = _merge_sections(entries, titles)
    meta = public.meta
    E = builder
    body: list[HtmlElement] = [_title_page(public, digest)]
    sections: list[HtmlElement] = []
    done: set[str] = set()
    pending: list[Entry] = []
    for entry in entries:
        if entry.path is None:
            pending.append(entry)
            continue
        if entry.path in done:
            continue
        done.add(entry.path)
        article = articles[entry.path]
        _style_diagrams(article)
        split_wide_tables(article)
        _upright_headers(article)
        _rewrite(article, entry.path, pages)
        section = E.SECTION({"class": "bs-page", "id": pages[entry.path],
                             "data-section": entry.section})
        if article.xpath(".//table[" + _CLASS.format("bs-matrix") + " or "
                         + _CLASS.format("bs-excerpt-table") + "]"):
            section.set("class", "bs-page bs-wide")
        for heading_entry in pending:  # sections without a page: a bookmark, no text
            marker = E.DIV({"class": "bs-bookmark", "data-label": heading_entry.label,
                            "style": f"bookmark-level: {heading_entry.depth + 1}; "
                                     "bookmark-label: attr(data-label)"})
            section.append(marker)
        pending = []
        for level, tag in enumerate(("h1", "h2"), start=entry.depth + 1):
            for h in article.iter(tag):
                h.set("style", f"bookmark-level: {level}")
        for h in article.xpath(".//h3 | .//h4 | .//h5 | .//h6"):
            h.set("style", "bookmark-level: none")
        article.tag = "div"
        article.set("class", "bs-article")
        article.attrib.pop("id", None)
        section.append(article)
        sections.append(section)
    body.append(_contents(entries, titles, pages))
    body += sections
    head = [E.META(charset="utf-8"), E.TITLE(deposit_title(meta))]
    head += [E.META(name="author", content=p.name) for p in meta.team]
    if meta.keywords:
        head.append(E.META(name="keywords", content=", ".join(meta.keywords)))
    if meta.subtitle:
        head.append(E.META(name="description", content=meta.subtitle))
    head += [E.META(name="generator", content=f"build-site {__version__}"),
             E.META(name="dcterms.created", content=_iso(epoch)),
             E.META(name="dcterms.modified", content=_iso(epoch))]
    document = E.HTML(E.HEAD(*head), E.BODY(*body), lang="en")
    _resolve_dangling(document, pages)
    html = "<!DOCTYPE html>\n" + lxml.html.tostring(document, encoding="unicode")
    return PrintDocument(html, titles)


def _anchors(entries: list[Entry]) -> dict[str, str]:
    """Each page's anchor (:func:`page_anchor`), made unique: ``a-b/c.html`` and
    ``a/b-c.html`` would otherwise meet."""
    pages: dict[str, str] = {}
    for entry in entries:
        if entry.path is None or entry.path in pages:
            continue
        anchor, n = page_anchor(entry.path), 1
        while anchor in pages.values():
            n += 1
            anchor = f"{page_anchor(entry.path)}-{n}"
        pages[entry.path] = anchor
    return pages


def _merge_sections(entries: list[Entry], titles: dict[str, str]) -> list[Entry]:
    """A section without an overview whose first page bears the section's title ("Clinician
    D1", then its case study titled "Clinician D1") is that page."""
    merged: list[Entry] = []
    skip = False
    for entry, after in zip(entries, [*entries[1:], None], strict=True):
        if skip:
            skip = False
            continue
        if (entry.path is None and after is not None and after.path is not None
                and after.depth == entry.depth + 1 and titles[after.path] == entry.label):
            merged.append(Entry(entry.depth, entry.label, after.path, entry.section))
            skip = True
        else:
            merged.append(entry)
    return merged


def _resolve_dangling(document: HtmlElement, pages: dict[str, str]) -> None:
    """Point a link to a missing anchor at its page instead (or drop it): every in-document
    link of the result has its target."""
    ids = {e.get("id") for e in document.iter() if isinstance(e.tag, str) and e.get("id")}
    anchors = sorted(pages.values(), key=len, reverse=True)
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue
        for name in _LINKS:
            href = element.get(name)
            if href is None or not href.startswith("#") or href[1:] in ids:
                continue
            page = next((a for a in anchors if href[1:].startswith(a + "--")), None)
            if page is not None and page in ids:
                element.set(name, "#" + page)
            else:
                element.attrib.pop(name)


# WeasyPrint's PDF/UA-1 variant (since v59; tagging is its pdf_tags option, since v61): a
# structure tree from the HTML elements (headings, paragraphs, lists, tables, links, figures),
# /MarkInfo /Marked, /Lang from <html lang>, the title shown by viewers (DisplayDocTitle) and
# the XMP pdfuaid:part claim. What it does not do is listed in guide/pdf-accessibility.md.
ACCESSIBLE: dict[str, Any] = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}


def stylesheet() -> str:
    """The print stylesheet shipped with the package (``build_site/defaults/print.css``)."""
    return (resources.files("build_site") / "defaults" / PRINT_CSS).read_text(encoding="utf-8")


def render_pdf(html: str, site: Path, css: str | None = None) -> tuple[bytes, list[str]]:
    """Lay out ``html`` with WeasyPrint and the print stylesheet.

    Resources are read only from inside ``site`` (and ``data:`` URLs); anything else is refused
    and reported, never fetched.

    Returns:
        The PDF's bytes and the URLs that were refused.
    """
    import logging

    from weasyprint import CSS, HTML  # deferred: WeasyPrint loads Pango when imported

    fetcher = _site_fetcher(site)
    logger = logging.getLogger("weasyprint")
    previous = logger.level
    logger.setLevel(logging.ERROR)  # WeasyPrint warns about CSS it ignores (e.g. the site's)
    try:
        document = HTML(string=html, base_url=site.resolve().as_uri() + "/",
                        url_fetcher=fetcher)
        sheet = CSS(string=css if css is not None else stylesheet(), url_fetcher=fetcher)
        data: bytes = document.write_pdf(stylesheets=[sheet], pdf_identifier=b"build-site",
                                         uncompressed_pdf=False, **ACCESSIBLE)
    finally:
        logger.setLevel(previous)
    return data, list(fetcher.refused)


def _site_fetcher(site: Path) -> Any:
    from weasyprint import URLFetcher
    from weasyprint.urls import URLFetcherResponse

    root = site.resolve()

    class SiteFetcher(URLFetcher):  # type: ignore[misc]
        """Reads files under the built site and ``data:`` URLs; refuses everything else."""

        def __init__(self) -> None:
            super().__init__(allowed_protocols=("file", "data"))
            self.refused: list[str] = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            parts = urlsplit(url)
            if parts.scheme == "data":
                return super().fetch(url, headers)
            if parts.scheme == "file" and not parts.netloc:
                path = Path(unquote(parts.path)).resolve()
                if path.is_relative_to(root) and path.is_file():
                    return URLFetcherResponse(url, path.read_bytes())
            self.refused.append(url)
            raise ValueError(f"refused: {url} is not part of the built site")

    return SiteFetcher()


def pdf_text(data: bytes) -> Iterator[str]:
    """What the PDF ``data`` holds as text: each page's text, the bookmarks, the document
    information (title, author, keywords...) and XMP metadata, read as the site gate reads a
    PDF (:func:`build_site.privacy.gate_files.texts`, with PDFium: some 40 times faster than a
    pure-Python reader on a 200-page study), annotations and embedded files included."""
    from build_site.privacy.gate_files import texts

    yield from texts("document.pdf", data)


def leaks(html: str, data: bytes, identifiers: list[Identifier]) -> list[Problem]:
    """The leak gate on the PDF: the listed identifiers found in the print document ``html`` or
    in the text of the PDF ``data``, with the rules of :func:`build_site.privacy.gate.scan_text`.

    Returns:
        One problem per identifier found (empty when both are clean).
    """
    if not identifiers:
        return []
    found = {id(i): ("the print document", i) for i in scan_text(html, identifiers)}
    text = "\n".join(pdf_text(data))
    found.update({id(i): ("the PDF's text", i) for i in scan_text(text, identifiers)
                  if id(i) not in found})
    return [Problem(where, 0, f"listed identifier ({ident.kind.value}, replaced by "
                    f"'{ident.replacement}') found in the PDF", "nothing was written")
            for where, ident in found.values()]


def _page_count(data: bytes) -> int:
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    try:
        return len(document)
    finally:
        document.close()


def _write_atomically(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                    dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(name, 0o644)
        os.replace(name, target)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


def export_pdf(study_dir: Path, target: Path, config: Path | None = None,
               progress: Progress = lambda _: None) -> PdfReport:
    """Build the public site of ``study_dir`` and write it to ``target`` as one PDF.

    Args:
        study_dir: the study folder.
        target: the ``.pdf`` file to write (replaced only when everything succeeded).
        config: an explicit ``mkdocs.yml`` (as for ``build``).
        progress: called with a short description as each stage finishes.

    Returns:
        A ``PdfReport``.

    Raises:
        UsageError: ``target`` is not a ``.pdf`` file or is a folder (exit 2);
        StudyError: invalid input (exit 2); PrivacyError: the content is not signed off, or a
        listed identifier was found in the site or the PDF (exit 3). On any error ``target`` is
        left as it was.
    """
    if target.suffix.lower() != ".pdf":
        raise UsageError("the PDF must be a .pdf file", "name it e.g. study.pdf", target)
    if target.is_dir():
        raise UsageError("the PDF's path is a folder", "name a file, e.g. study.pdf", target)
    report = PdfReport(target)
    stage = StageClock(report.timings, progress)

    study, public = require_sign_off(study_dir, config)
    stage("sign-off")
    epoch = source_date_epoch(public)
    with tempfile.TemporaryDirectory(prefix=".build-site-pdf-") as folder:
        site = Path(folder) / "site"
        built = build(study_dir, site, config, archive=True)  # archive: false stays out
        stage("public build")
        assert public.meta.sign_off is not None  # require_sign_off refuses otherwise
        document = print_document(site, built.nav, public, public.meta.sign_off.manifest,
                                  epoch)
        report.document = document
        report.pages = len(document.titles)
        stage("print document")
        data, refused = render_pdf(document.html, site)
        report.warnings += [f"not fetched (outside the built site): {url}" for url in refused]
        stage("layout")
        report.pdf_pages = _page_count(data)
        problems = leaks(document.html, data, study.identifiers)
        stage("gate")
        if problems:
            raise PrivacyError(problems)
    _write_atomically(target, data)
    stage("write")
    report.size = len(data)
    return report
