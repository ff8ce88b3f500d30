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
fragment itself; so does one whose tags are mostly kept tags and headings (a diagram's text
alternative, nested lists), where the reduction would cost more than the parse it saves.

The fragments are the raw HTML blocks the templates write at the start of a Markdown line
(:mod:`build_site.render.fragments`), so they never sit inside a heading, a ``pre``, or an
excluded element; the tests read the parser's sections in many contexts and the whole index
of sites built with and without the stand-ins (``tests/render/test_search_reduce.py``).
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import re
from dataclasses import dataclass
from html import escape
from html import unescape as html_unescape

KNOWN_INDEXERS = frozenset({
    "3227e18afa8a20e15210cd0e298b6edee838f72f05024bd5d191dae87f57fa2b",  # Material 9.8.1
})
"""SHA-256 digests of the source of Material's search ``Parser`` class whose rules the
stand-ins (these and :func:`build_site.render.fragments.stand_in`) were read from and tested
against. With another Material whose parser differs, pages are indexed as they are."""


@functools.lru_cache(maxsize=1)
def indexer_known() -> bool:
    """Whether the installed Material's search ``Parser`` is one of :data:`KNOWN_INDEXERS`
    (False when it cannot be read): the stand-ins rely on its rules, so a Material that
    changed them gets the slower, exact path instead of a silently different index."""
    try:
        from material.plugins.search.plugin import Parser  # type: ignore[import-untyped]

        source = inspect.getsource(Parser)
    except Exception:  # no Material, no source on disk: nothing to stand in for
        return False
    return hashlib.sha256(source.encode()).hexdigest() in KNOWN_INDEXERS


# A start or an end tag the way Python's HTML parser reads a well-formed one (groups: the end
# tag's slash and name; the start tag's name, attributes and closing slash). A fragment where
# any "<" does not begin one of these is refused.
_TAG_TOKEN = re.compile(
    r"""<(?:(/)([a-zA-Z][a-zA-Z0-9-]*)\s*"""
    r"""|([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)"""
    r"""\s*(/?))>""")
_HEADINGS = frozenset(f"h{n}" for n in range(1, 7))
_KEPT = frozenset({"p", "code", "li", "ol", "ul", "sub", "sup"})  # the parser's keep list, less pre
_REFUSED = frozenset({"pre", "script", "style", "object", "textarea", "title", "xmp", "iframe",
                      "noembed", "noframes", "noscript", "plaintext"})
# Python's HTML parser's void elements as Material lists them (``void`` in its plugin).
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "param", "source", "track", "wbr"})
_KEPT_OR_HEADING = re.compile(r"</?(?:p|code|li|ol|ul|sub|sup|h[1-6])[\s>]")
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
    pos = count = 0
    for m in _TAG_TOKEN.finditer(html):
        if m.start() > pos:
            out.append(html[pos:m.start()])
        pos = m.end()
        count += 1
        slash, end_name, start_name, attrs, self_closing = m.groups()
        if slash:
            name = end_name.lower()
            if not stack:
                return None
            opened = stack.pop()
            start = out[opened]
            if not isinstance(start, _Tag) or start.name != name:
                return None
            start.pair = len(out)
            out.append(_Tag(name, True, m.group(0), pair=opened))
            continue
        name = start_name.lower()
        names = _attr_names(attrs) if name in _HEADINGS else frozenset()
        if self_closing and name not in _VOID:  # <x/>: the start then the end handler
            out.append(_Tag(name, False, m.group(0), names, len(out) + 1))
            out.append(_Tag(name, True, "", pair=len(out) - 1))
            continue
        if name not in _VOID:
            stack.append(len(out))
        out.append(_Tag(name, False, m.group(0), names))
    if pos < len(html):
        out.append(html[pos:])
    return None if stack or count != html.count("<") else out


def _attr_names(attrs: str) -> frozenset[str]:
    return frozenset(a.lower() for a in _ATTR.findall(attrs))


def _excluded(html: str, root: re.Match[str]) -> str | None:
    """The stand-in of ``html``, whose root element (start tag ``root``) is excluded from
    search, or None. Only the tags' names are read: the content is skipped whatever it is."""
    found = _TAG_TOKEN.findall(html)
    last = html[html.rindex("<"):]
    if len(found) != html.count("<") or not _TAG_TOKEN.fullmatch(last) or last[1] != "/":
        return None
    root_name = root.group(3).lower()
    stack: list[str] = []
    for i, (slash, end_name, start_name, _attrs, self_closing) in enumerate(found):
        if slash:
            if not stack or stack.pop() != end_name.lower() or (not stack and i < len(found) - 1):
                return None
            continue
        name = start_name.lower()
        if i and (name == root_name or name in _HEADINGS or name in _REFUSED):
            return None
        if name not in _VOID and not self_closing:
            stack.append(name)
    if stack:
        return None
    return root.group(0) + f"</{root_name}>"


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
        if tok.name in _REFUSED:
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


def compact_runs(stand_in: str) -> str:
    """``stand_in`` (text runs between void ``<br>`` tags, outside any heading, as
    :func:`build_site.render.fragments.stand_in` writes them) in the fewest runs the indexer
    reads the same way (:func:`_runs`): a diagram's labels, one run each, become one."""
    runs = _runs([r for r in stand_in.split("<br>") if r], in_heading=False)
    return "<br>".join(escape(r, quote=False) for r in runs)


def reduce_for_search(html: str) -> str | None:
    """What Material's search indexer reads in ``html`` with fewer tags (see the module's
    rules), or None when ``html`` is not a fragment the rules cover or nothing is saved.

    ``html`` must start with a tag and end with one: the stand-in replaces it between two
    comments, which the parser reads as boundaries between text runs as it reads the
    fragment's first and last tags.
    """
    if not (html.startswith("<") and html.endswith(">")) or "<!" in html or "<?" in html:
        return None
    root = _TAG_TOKEN.match(html)
    if root is None or root.group(1):
        return None
    if "data-search-exclude" in _attr_names(root.group(4)):
        cheap = _excluded(html, root)
    elif _SPECIAL.search(html):  # anywhere, text included: refusing more is safe
        return None
    elif 2 * len(_KEPT_OR_HEADING.findall(html)) > html.count("<"):
        return None  # mostly tags that stay (a diagram's text alternative): not worth it
    else:
        tokens = _tokens(html)
        cheap = _kept(tokens) if tokens else None
    if cheap is None or cheap.count("<") >= html.count("<"):
        return None
    return cheap
