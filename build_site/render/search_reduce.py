"""A shorter HTML fragment that Material's search indexer reads exactly as it reads the original.

Material's indexer (``material/plugins/search/plugin.py``, class ``Parser``, Material 9.x) runs
Python's HTML parser over every page and keeps, per section: the text runs, the tags ``p``,
``code``, ``pre``, ``li``, ``ol``, ``ul``, ``sub``, ``sup``, and the headings with an ``id``
(each starts a section). Every other tag costs a parse and changes nothing but (a) where
one text run ends and the next begins, (b) how deep a heading sits, which decides when its
section ends (a heading's section ends when an element that encloses it closes), and (c) for an
element with ``data-search-exclude``, that everything inside is skipped. :func:`reduce_for_search`
keeps (b) and (c) and rewrites (a) into the fewest runs that give the same index, so the
excerpt blocks of a page (each about 25 tags, most of them links and spans) cost a few.

The rules (each from the parser named above):

- An element with ``data-search-exclude`` at the fragment's root and no heading inside: the
  parser skips its whole content (text, kept tags); the stand-in is its own start tag and its
  end tag. Refused when an element inside has the root's tag (its end tag would take the root
  off the parser's skip list, which compares elements by tag).
- Otherwise (no exclusion, no ``pre``, no ``script``/``style``/``object``, no heading link,
  every heading with an ``id`` and none inside another): headings are kept as written, the
  elements that enclose a heading and the kept tags bare, every other tag dropped. Between two
  kept tags, outside a heading the parser appends each run of text and a single space for a
  run of white space unless the last item already is white space; so consecutive text runs,
  and a text run, one space and a text run, are one run, and white space before the first and
  after the last text run stays a run of its own (it depends on what precedes and follows).
  Inside a heading every run is appended (white space as one space), so the runs with text
  are one run and white space alone keeps its count. Runs are kept apart by a void ``<br>``,
  which the parser ignores. Text is written unescaped, line breaks as spaces (as the parser
  appends it), then escaped again, so entities never join across runs.

A fragment this does not cover (another comment, a processing instruction, an unbalanced or
unparsable tag, a ``<`` in text, a stand-in no shorter) gives None: the indexer reads the
fragment itself. The fragments are the raw HTML blocks the templates write at the start of a
Markdown line (:mod:`build_site.render.fragments`), so they never sit inside a heading, a
``pre``, or an excluded element; a test reads the whole index of sites built with and without
the stand-ins (``tests/render/test_search_reduce.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from html import unescape as html_unescape

# Start tags and end tags the way Python's HTML parser reads well-formed ones; anything else
# starting with "<" refuses the fragment.
_START = re.compile(
    r"""<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)"""
    r"""\s*(/?)>""")
_END = re.compile(r"</([a-zA-Z][a-zA-Z0-9-]*)\s*>")
_HEADINGS = frozenset(f"h{n}" for n in range(1, 7))
_KEPT = frozenset({"p", "code", "li", "ol", "ul", "sub", "sup"})  # the parser's keep list, less pre
_REFUSED = frozenset({"pre", "script", "style", "object", "textarea", "title", "xmp", "iframe",
                      "noembed", "noframes", "noscript", "plaintext"})
# Python's HTML parser's void elements as Material lists them (``void`` in its plugin).
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "param", "source", "track", "wbr"})
_ATTR = re.compile(r"""\s+([^\s"'>/=]+)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
_SPECIAL = re.compile(r"data-search-|linenodiv|headerlink", re.I)


@dataclass
class _Tag:
    """One tag of the fragment: ``name`` (lower case), ``end`` (an end tag), ``raw`` (as
    written), ``attrs`` (attribute names, lower case), ``pair`` (the index of the matching
    tag, for a start tag of a non-void element), ``holds_heading`` (a start tag whose element
    encloses a heading)."""

    name: str
    end: bool
    raw: str
    attrs: frozenset[str] = frozenset()
    pair: int = -1
    holds_heading: bool = False


def _tokens(html: str) -> list[str | _Tag] | None:
    """``html`` as text runs and tags, matched up (a self-closing non-void tag as a start and
    an end tag); None for anything but balanced, well-formed tags."""
    out: list[str | _Tag] = []
    stack: list[int] = []
    pos = 0
    while pos < len(html):
        lt = html.find("<", pos)
        if lt < 0:
            out.append(html[pos:])
            break
        if lt > pos:
            out.append(html[pos:lt])
        if html.startswith("</", lt):
            m = _END.match(html, lt)
            if m is None or not stack:
                return None
            name = m.group(1).lower()
            opened = stack.pop()
            start = out[opened]
            if not isinstance(start, _Tag) or start.name != name:
                return None
            start.pair = len(out)
            out.append(_Tag(name, True, m.group(0), pair=opened))
        else:
            m = _START.match(html, lt)
            if m is None:
                return None
            name = m.group(1).lower()
            attrs = frozenset(a.lower() for a in _ATTR.findall(m.group(2)))
            if m.group(3) and name not in _VOID:  # <x/>: the start then the end handler
                out.append(_Tag(name, False, m.group(0), attrs, len(out) + 1))
                out.append(_Tag(name, True, "", pair=len(out) - 1))
            else:
                if name not in _VOID:
                    stack.append(len(out))
                out.append(_Tag(name, False, m.group(0), attrs))
        pos = m.end()
    return None if stack else out


def _excluded(tokens: list[str | _Tag]) -> str | None:
    """The stand-in of a fragment whose root element is excluded from search, or None."""
    root = tokens[0]
    if not isinstance(root, _Tag) or root.pair != len(tokens) - 1 or root.end:
        return None
    inner = [t for t in tokens[1:-1] if isinstance(t, _Tag)]
    if any(t.name == root.name or t.name in _HEADINGS or t.name in _REFUSED for t in inner):
        return None
    return root.raw + f"</{root.name}>"


def _runs(texts: list[str], in_heading: bool) -> list[str]:
    """The fewest runs (unescaped, line breaks as spaces) the indexer reads as it reads the
    runs ``texts`` (raw HTML text between two kept tags)."""
    items: list[str] = []  # " " for white space, else the text as the parser appends it
    for raw in texts:
        data = html_unescape(raw)
        items.append(" " if data.isspace() else data.replace("\n", " "))
    if in_heading:
        if all(i == " " for i in items):
            return items
        return ["".join(items)]
    lead = [" "] if items and items[0] == " " else []
    tail = [" "] if items and items[-1] == " " and not all(i == " " for i in items) else []
    body: list[str] = []
    for item in items:  # between text runs, any number of white-space runs reads as one
        if item != " " or (body and body[-1] != " "):
            body.append(item)
    while body and body[-1] == " ":
        body.pop()
    return lead + (["".join(body)] if body else []) + tail


def _kept(tokens: list[str | _Tag]) -> str | None:
    """The stand-in of a fragment with no exclusion: kept tags, headings and the elements
    around them; the text between as :func:`_runs`. None where the rules do not cover it."""
    open_tags: list[_Tag] = []
    for tok in tokens:
        if not isinstance(tok, _Tag):
            continue
        if tok.name in _REFUSED or _SPECIAL.search(tok.raw):
            return None
        if tok.end:
            if tok.pair >= 0 and open_tags:
                open_tags.pop()
            continue
        if tok.name in _HEADINGS:
            if any(t.name in _HEADINGS for t in open_tags) or "id" not in tok.attrs \
                    or tok.raw.endswith("/>"):
                return None
            for t in open_tags:  # every element open here encloses the heading
                t.holds_heading = True
        if tok.pair >= 0:
            open_tags.append(tok)
    # The root stays (bare) even without a heading inside: at the start of a page its start
    # tag is what opens the page's first section.
    root, root_end = tokens[0], tokens[-1]
    out: list[str] = []
    texts: list[str] = []
    in_heading = False

    def flush() -> None:
        runs = _runs(texts, in_heading)
        out.append("<br>".join(escape(r, quote=False) for r in runs))
        texts.clear()

    for tok in tokens:
        if isinstance(tok, str):
            texts.append(tok)
            continue
        if tok.name in _HEADINGS:
            flush()
            out.append(tok.raw)
            in_heading = not tok.end
        elif tok.name in _KEPT:
            flush()
            out.append(f"</{tok.name}>" if tok.end else f"<{tok.name}>")
        elif tok is root or tok is root_end or tok.holds_heading \
                or (tok.end and _holds_heading(tokens, tok)):
            flush()
            out.append(f"</{tok.name}>" if tok.end else f"<{tok.name}>")
        # any other tag is dropped: only a boundary between the runs around it
    flush()
    return "".join(out)


def _holds_heading(tokens: list[str | _Tag], end: _Tag) -> bool:
    start = tokens[end.pair]
    return isinstance(start, _Tag) and start.holds_heading


def reduce_for_search(html: str) -> str | None:
    """What Material's search indexer reads in ``html`` with fewer tags (see the module's
    rules), or None when ``html`` is not a fragment the rules cover or nothing is saved.

    ``html`` must start with a tag and end with one: the stand-in replaces it between two
    comments, which the parser reads as boundaries between text runs as it reads the
    fragment's first and last tags.
    """
    if not (html.startswith("<") and html.endswith(">")) or "<!" in html or "<?" in html:
        return None
    tokens = _tokens(html)
    if not tokens:
        return None
    root = tokens[0]
    if isinstance(root, _Tag) and "data-search-exclude" in root.attrs:
        cheap = _excluded(tokens)
    else:
        cheap = _kept(tokens)
    if cheap is None or cheap.count("<") >= html.count("<"):
        return None
    return cheap
