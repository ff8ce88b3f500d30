"""HTML fragments that pages embed: excerpts, sanitised narratives, diagrams and their text
alternatives.

Participant text is inert here: excerpts are HTML-escaped; narratives (Markdown) are converted
to HTML and then cleaned by nh3 with an allow-list of tags, attributes and URL schemes, so
``<script>``, event handlers and ``javascript:`` links never reach a page. Raw HTML inside a
Markdown page is not link-rewritten by MkDocs, so every URL here is computed relative to the
page that shows it (``use_directory_urls`` is off so the site also works from disk).
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from functools import lru_cache

import markdown
import nh3
from markupsafe import Markup, escape

from build_site.render.plain_narrative import plain_html

ALLOWED_TAGS = {
    "p", "br", "em", "strong", "b", "i", "a", "ul", "ol", "li", "blockquote", "code", "pre",
    "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td", "sup", "sub",
    "abbr", "span",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}


def page_url(from_page: str, to_page: str, anchor: str = "") -> str:
    """URL of ``to_page`` (a ``.md`` path in the docs folder) relative to ``from_page``.

    Example: ``page_url("dyads/D1-P1.md", "model/valuing.md")`` is ``../model/valuing.html``.
    """
    url = _page_url(from_page, to_page)
    return f"{url}#{anchor}" if anchor else url


@lru_cache(maxsize=1 << 16)
def _page_url(from_page: str, to_page: str) -> str:
    """:func:`page_url` without an anchor, kept per pair of pages (each excerpt's anchor made
    a pair of its own)."""
    return "" if to_page == from_page else _folder_url(posixpath.dirname(from_page), to_page)


@lru_cache(maxsize=1 << 16)
def _folder_url(here: str, to_page: str) -> str:
    """The URL of ``to_page`` from any other page in the folder ``here`` (the pairs of pages
    are many, 53,000 at 1,000 dyads; the pairs of a folder and a page a few thousand)."""
    return relative_path(posixpath.splitext(to_page)[0] + ".html", here or ".")


def relative_path(path: str, start: str) -> str:
    """``posixpath.relpath(path, start)``, without its two calls of ``os.getcwd`` when both are
    relative paths that stay inside the current folder (docs-relative page paths always do);
    anything else goes to ``posixpath.relpath`` itself."""
    if path.startswith("/") or start.startswith("/"):
        return posixpath.relpath(path, start)
    to = [p for p in posixpath.normpath(path).split("/") if p != "."]
    base = [p for p in posixpath.normpath(start).split("/") if p != "."]
    if to[:1] == [".."] or base[:1] == [".."] or not path:
        return posixpath.relpath(path, start)
    common = 0
    for a, b in zip(to, base, strict=False):
        if a != b:
            break
        common += 1
    parts = [".."] * (len(base) - common) + to[common:]
    return "/".join(parts) if parts else "."


@lru_cache(maxsize=1)
def _markdown() -> markdown.Markdown:
    """One converter for every narrative of the build, reset before each (as
    ``markdown.markdown`` would make anew each time: loading its extensions cost more than
    converting a narrative; ``sane_lists`` and ``tables`` keep no state between texts)."""
    return markdown.Markdown(extensions=["sane_lists", "tables"], output_format="html")


def narrative_html(text: str) -> Markup:
    """Render team- or participant-written Markdown to sanitised HTML.

    Headings are shifted down so a narrative's ``#`` never competes with the page title;
    relative links are kept, other schemes than http, https and mailto are dropped. A text
    without Markdown syntax (:func:`~build_site.render.plain_narrative.plain_html`, most of a
    large study's) is written directly, the same bytes without either converter.
    """
    plain = plain_html(text)
    return Markup(plain) if plain is not None else converted_html(text)


def converted_html(text: str) -> Markup:
    """:func:`narrative_html` through Python-Markdown and nh3, whatever the text."""
    html = _markdown().reset().convert(text)
    for level in (2, 1):
        html = html.replace(f"<h{level}>", "<h3>").replace(f"</h{level}>", "</h3>")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    # A blank line would end the raw-HTML block inside the Markdown page.
    return Markup("\n".join(line for line in clean.splitlines() if line.strip()))


def inline_text(text: str) -> Markup:
    """Escape a participant's words for HTML, keeping line breaks as ``<br>``."""
    lines = [str(escape(line.strip())) for line in text.strip().splitlines() if line.strip()]
    return Markup("<br>".join(lines))


def chips(links: Iterable[tuple[str, str, str]]) -> Markup:
    """Code chips: ``(label, url, title)`` triples as links styled as chips (an empty
    title: no ``title`` attribute)."""
    return Markup(" ".join([
        _kept_chip(*link) if type(link[0]) is type(link[1]) is type(link[2]) is str
        else _chip(*link) for link in links]))


@lru_cache(maxsize=1 << 14)
def _kept_chip(label: str, url: str, title: str) -> str:
    """:func:`_chip` of plain strings, kept (a site's chips are its codes seen from each
    folder, shown on every excerpt: about 90,000 at 1,000 dyads for a few hundred distinct).
    ``Markup``, equal to a string as a key but not escaped alike, never comes here."""
    return _chip(label, url, title)


def _chip(label: str, url: str, title: str) -> str:
    return (f'<a class="bs-chip" href="{escape(url)}"'
            + (f' title="{escape(title)}"' if title else "") + f">{escape(label)}</a>")


def one_line(html: str) -> Markup:
    """Collapse an HTML fragment onto lines without blank ones (safe inside Markdown)."""
    return Markup("\n".join(line for line in html.splitlines() if line.strip()))
