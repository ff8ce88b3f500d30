"""Swap rendered diagrams and excerpt blocks into pages after Markdown has run.

Generated pages carry a marker where a diagram goes (``<!--bs-diagram:KEY-->``, see
:func:`build_site.render.diagrams.DiagramRenderer.placeholder`) and in place of every excerpt
block (``<!--bs-block:KEY-->``, :func:`lift_blocks`). Markdown's ``md_in_html`` extension would
parse each of them with Python's HTML parser only to pass it through unchanged, so they are put
in place once the page's Markdown is HTML: by a Python-Markdown extension
(:class:`FragmentsExtension`, a postprocessor that runs last), which every engine names among
the Markdown extensions with the file holding the fragments (:func:`write_fragments`). It runs
under MkDocs and Zensical alike (Zensical runs no MkDocs plugins), so every later step (the
search index, the theme's templates) sees the page exactly as if the HTML had been inline all
along, and the leak gate reads the finished files as before.

Under MkDocs only, :class:`DiagramFragments` (an MkDocs plugin the MkDocs engine adds itself)
lets Material's search indexer read a tag-free :func:`stand_in` of each diagram (the same index,
much less parsing) and keeps the theme's compiled templates between builds.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Mapping
from html import unescape as html_unescape
from pathlib import Path
from typing import Any

from jinja2 import BytecodeCache, Environment
from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.pages import Page

from build_site.render.search_reduce import compact_runs, indexer_known, reduce_for_search

PLUGIN_NAME = "build-site-diagrams"
EXTENSION = "build_site.render.fragments"  # as named in markdown_extensions
# Raw HTML blocks as the page templates write them, each lifted whole: an excerpt (its
# figure: lines of HTML, its heading and context among them); a scrolling table, a filter
# form, an ordering control, a diagram's text alternative or a case's facts (nothing of the
# kind nested at a line start); the SVG of a chart inside its ``markdown="0"`` wrapper
# (the wrapper stays); and a heading or paragraph the templates write whole on one line (a
# compact component page's evidence headings, captions; none with ``markdown=``, an
# attribute ``md_in_html`` would take out). Every block starts with "<": the look-ahead
# before the alternatives lets ``re`` skip to the next "<" instead of trying each alternative
# at every position of the page (the same matches; a third of lift_blocks' time at 1,000 dyads).
BLOCK_ALTERNATIVES = (
    r'^<figure class="bs-excerpt[^"\n]*"[^\n]*>\n(?:(?!</?figure\b)[^\n]*\n)*?</figure>$'
    r'|^<(?P<tag>div|form|details|dl) class="bs-(?:scroll|filters|order|alt|facts)"[^\n]*>\n'
    r"(?:(?!</?(?:div|form|details|dl)\b)[^\n]*\n)*?</(?P=tag)>$"
    r'|(?<=^<div class="bs-chart" markdown="0">\n)<svg\b[^\n]*\n(?:(?!</?svg\b)[^\n]*\n)*?</svg>$'
    r'|^<(?P<line>h[1-6]|p) (?:id="|class="bs-)'
    r"(?:(?!</?(?P=line)\b| markdown=)[^\n])*</(?P=line)>$")
_BLOCKS = re.compile(f"(?=<)(?:{BLOCK_ALTERNATIVES})", re.M)
MARKER = re.compile(r"<!--bs-(?:diagram|block):([0-9a-f]{64})-->")


def lift_blocks(markdown: str, blocks: dict[str, str]) -> str:
    """``markdown`` with every raw HTML block the templates write (excerpts, tables, filter
    forms, chart SVG) replaced by a marker, the block kept in ``blocks`` by key;
    :func:`swap_in` puts it back after Markdown, which passes such blocks through unchanged
    but would first parse each one with Python's HTML parser."""

    def lift(m: re.Match[str]) -> str:
        key = hashlib.sha256(m.group(0).encode()).hexdigest()
        blocks[key] = m.group(0)
        return f"<!--bs-block:{key}-->"

    return _BLOCKS.sub(lift, markdown)


def template_bytecode_cache(folder: Path) -> BytecodeCache:
    """A Jinja bytecode cache in ``folder`` (created, private to the user), except for the
    templates of installed packages (this one's and Material's), whose compiled code is kept
    in the user's cache for every study (:mod:`build_site.render.template_cache`)."""
    from build_site.render.template_cache import PackageTemplateCache, package_roots

    return PackageTemplateCache(folder, package_roots())


def swap_in(html: str, fragments: Mapping[str, str]) -> str:
    """``html`` with every diagram marker replaced by its SVG.

    Raises:
        KeyError: a marker names a diagram that was not rendered (a bug, never silent).
    """
    if "<!--bs-" not in html:
        return html
    return MARKER.sub(lambda m: fragments[m.group(1)], html)


def write_fragments(path: Path, fragments: Mapping[str, str]) -> Path:
    """Write ``fragments`` (HTML by marker key) as JSON to ``path`` for
    :class:`FragmentsExtension`; returns ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(dict(fragments)), encoding="utf-8")
    return path


def extension_entry(path: Path) -> dict[str, dict[str, str]]:
    """The ``markdown_extensions`` entry that swaps in the fragments written to ``path``."""
    return {EXTENSION: {"file": str(path)}}


@functools.lru_cache(maxsize=4)
def _read_fragments(path: str, mtime_ns: int, size: int) -> dict[str, str]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else {}


def load_fragments(path: str) -> Mapping[str, str]:
    """The fragments in the JSON file at ``path`` ({} for an empty path), read once per
    version of the file (engines make a Markdown instance per page)."""
    if not path:
        return {}
    stat = Path(path).stat()
    return _read_fragments(path, stat.st_mtime_ns, stat.st_size)


class _SwapIn(Postprocessor):  # type: ignore[misc]
    def __init__(self, md: Markdown, fragments: Mapping[str, str]) -> None:
        super().__init__(md)
        self.fragments = fragments

    def run(self, text: str) -> str:
        return swap_in(text, self.fragments)


class FragmentsExtension(Extension):  # type: ignore[misc]
    """Python-Markdown extension: the page's HTML with every marker swapped for its fragment.

    Configuration: ``file``, the JSON file of fragments by marker key
    (:func:`write_fragments`). The postprocessor runs after every other one (priority -100,
    below raw HTML's 30), so it sees the HTML as the engine gets it.

    Raises (at conversion): KeyError when a marker names a fragment the file does not hold.
    """

    def __init__(self, **kwargs: Any) -> None:
        self.config = {"file": ["", "JSON file of HTML fragments by marker key"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        """Register the postprocessor with the fragments of the configured file."""
        fragments = load_fragments(str(self.getConfig("file")))
        md.postprocessors.register(_SwapIn(md, fragments), "build-site-fragments", -100)


def makeExtension(**kwargs: Any) -> FragmentsExtension:
    """Python-Markdown's entry point for ``markdown_extensions: [build_site.render.fragments]``."""
    return FragmentsExtension(**kwargs)


# A tag as Python's HTML parser reads one (quoted attribute values may hold ">").
_TAG = re.compile(r"""<(?:[^>"']|"[^"]*"|'[^']*')*>""")
_STAND_IN = re.compile(r"<!--bs-search:([0-9a-f]{64})-->(.*?)<!--/bs-search-->", re.S)
# What Material's search plugin takes out of every page it indexed (``on_page_context``).
SEARCH_ATTRIBUTES = re.compile(r"\s?data-search-\w+=\"[^\"]+\"")


# What Material's search indexer treats specially: the tags it keeps or skips, headings, and
# exclusions. A fragment with any of these is indexed as it is.
_INDEXER_SPECIAL = re.compile(
    r"</?(?:p|code|pre|li|ol|ul|sub|sup|h[1-6]|script|style|object)\b|data-search-|linenodiv",
    re.I)


def stand_in(html: str) -> str | None:
    """What Material's search indexer reads in ``html``, cheaply; None when ``html`` holds
    something the indexer treats specially.

    The indexer keeps only text: each run of text between tags is appended to the section
    (HTML-escaped, line breaks as spaces) and a run of white space as one space unless the last
    item already is white space; the section's text is then joined. In a fragment with no
    kept tag, heading or exclusion (a diagram, a table of links, a form) only that sequence
    matters, so the stand-in is the same runs, neighbouring text runs joined and neighbouring
    white-space runs as one, between void ``<br>`` tags: the same index, a fraction of the tags
    to parse.
    """
    if _INDEXER_SPECIAL.search(html):
        return None
    runs: list[str] = []
    for text in _TAG.split(html):
        if not text:
            continue
        if html_unescape(text).isspace():
            if not runs or runs[-1] != " ":
                runs.append(" ")
        elif runs and runs[-1] != " ":
            runs[-1] += text
        else:
            runs.append(text)
    body = "<br>".join(runs)
    lead = "<br>" if html.startswith("<") else ""
    tail = "<br>" if html.endswith(">") else ""
    return lead + body + tail if body else lead


def _wrapped(key: str, cheap: str | None) -> str:
    return f"<!--bs-search:{key}-->{cheap}<!--/bs-search-->"


def search_stand_in(html: str) -> str | None:
    """What Material's search indexer reads in place of ``html``: the tag-free
    :func:`stand_in` where it applies (its runs joined where the indexer joins them,
    :func:`compact_runs`), else :func:`reduce_for_search`'s fewer tags, else None (the
    fragment itself; always None with a Material whose indexer the rules were not read from,
    :func:`~build_site.render.search_reduce.indexer_known`)."""
    if not indexer_known():
        return None
    cheap = stand_in(html)
    if cheap is None:
        return reduce_for_search(html)
    # No text at all: nothing to save, and at a page's start the fragment's first tag is what
    # opens the page's first section.
    return compact_runs(cheap) or None


class DiagramFragments(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
    """The MkDocs-only plugin around the swap; ``fragments``: HTML by marker key.

    For Material's search indexer alone (``on_page_context``) each fragment that has one is
    briefly replaced by its :func:`stand_in`, then put back before the theme renders the page.
    The swap itself is :class:`FragmentsExtension`'s.
    """

    def __init__(self, fragments: Mapping[str, str], template_cache: Path | None = None) -> None:
        super().__init__()
        self.fragments = fragments
        self.template_cache = template_cache
        self._keys: dict[str, list[str]] = {}  # page source path -> fragment keys on it
        self._stand_ins: dict[str, str | None] = {}

    def on_env(self, env: Environment, /, **kwargs: Any) -> Environment:
        """MkDocs event: the theme's Jinja environment keeps compiled templates in
        ``template_cache`` (Jinja checks each against its source), so a rebuild does not
        compile the theme again."""
        if self.template_cache is not None:
            env.bytecode_cache = template_bytecode_cache(self.template_cache)
        return env

    @event_priority(100)
    def on_page_markdown(self, markdown: str, /, *, page: Page, **kwargs: Any) -> str:
        """MkDocs event: the page's Markdown; notes the fragments it names (the extension
        swaps them in during Markdown) and returns it unchanged."""
        self._keys[page.file.src_uri] = MARKER.findall(markdown)
        return markdown

    @event_priority(100)
    def _before_search(self, context: Any, /, *, page: Page, **kwargs: Any) -> Any:
        content = page.content or ""
        parts: list[str] = []
        pos = 0
        elsewhere: list[str] = []
        # The fragments stand in the HTML in the order of their markers in the Markdown: each
        # is looked for after the one before, so the page is read once however many it has.
        for key in self._keys.get(page.file.src_uri, []):
            cheap = self._stand_in(key)
            if cheap is None:
                continue
            fragment = self.fragments[key]
            at = content.find(fragment, pos)
            if at < 0:
                elsewhere.append(key)
                continue
            parts += (content[pos:at], _wrapped(key, cheap))
            pos = at + len(fragment)
        parts.append(content[pos:])
        content = "".join(parts)
        for key in dict.fromkeys(elsewhere):
            content = content.replace(self.fragments[key], _wrapped(key, self._stand_ins[key]))
        page.content = content
        return context

    def _stand_in(self, key: str) -> str | None:
        """The search stand-in of fragment ``key`` (computed once), None for none or for a
        key that is no fragment (a marker quoted in a hand-written code block)."""
        if key not in self.fragments:
            return None
        if key not in self._stand_ins:
            self._stand_ins[key] = search_stand_in(self.fragments[key])
        return self._stand_ins[key]

    @event_priority(-100)
    def _after_search(self, context: Any, /, *, page: Page, **kwargs: Any) -> Any:
        page.content = _STAND_IN.sub(self._restore, page.content or "")
        return context

    def _restore(self, m: re.Match[str]) -> str:
        """The fragment behind the stand-in ``m``, with the search attributes taken out as the
        search plugin took them out of the stand-in (it strips them from the page it read)."""
        fragment = self.fragments[m.group(1)]
        if m.group(2) != self._stand_ins.get(m.group(1)):
            return SEARCH_ATTRIBUTES.sub("", fragment)
        return fragment

    on_page_context = CombinedEvent(_before_search, _after_search)
    """MkDocs event: SVG out and stand-ins in before the search plugin reads the page, the
    SVG back after it."""
