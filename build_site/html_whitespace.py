"""Indentation removed from a built site's HTML where no browser can show it (issue 25).

Material's templates and ours indent every line; at 1,000 dyads that is about 18 MB of the
site. In normal flow HTML collapses a run of white space that holds a newline into one space
(CSS Text 3, "white-space processing": the ``normal``, ``nowrap`` values), so the spaces and
tabs after a newline can go: ``"\\n      <li>"`` becomes ``"\\n<li>"``, which renders the same;
so can the empty lines after it (a run of newlines collapses as one does; Material's templates
leave about 1 MB of empty lines per 37 MB at 230 dyads). Nothing else is touched: no line is
joined, no text inside a line changes, and one newline stays.

Kept byte for byte:

- the contents of the raw text and pre-formatted elements (``script``, ``style``,
  ``textarea``, ``title``, ``pre``, ``listing``, ``xmp``, ``plaintext``) and of SVG ``text``
  (SVG 1.1's ``xml:space="default"`` drops newlines instead of turning them into spaces);
- every element a stylesheet of the site or a ``<style>`` element of the page gives a
  ``white-space`` or ``white-space-collapse`` value not known to collapse (``pre``,
  ``pre-wrap``, ``pre-line``, ``break-spaces``, CSS Text 4's ``preserve``, a ``var()``),
  found by :func:`keep_rules` (Material's ``.md-typeset code, kbd, pre``; a team's own
  stylesheet too; nested rules read), and every element whose own ``style`` attribute
  names ``white-space``;
- attribute values (a ``title`` or ``data-`` value spanning lines keeps its indentation).

A stylesheet rule this cannot map to a tag, class or id (``*``, an attribute selector alone)
turns the removal off for the whole site: the output then stays as the engine wrote it.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path
from typing import Any, NamedTuple

import tinycss2  # type: ignore[import-untyped]

from build_site.forked_map import map_forked, workers_for
from build_site.whole_write import replace_whole

# Elements whose contents HTML itself does not collapse, or parses as raw text.
_RAW = ("script", "style", "textarea", "title", "xmp", "plaintext")
_PRE = ("pre", "listing", "text")  # "text": SVG's, see the module docstring
_WS_PROPERTIES = ("white-space", "white-space-collapse")
# Values after which a newline and the spaces after it still collapse to one space (CSS Text
# 3 and 4: ``white-space`` and ``white-space-collapse``, ``text-wrap-mode``'s values, the
# CSS-wide keywords: every element they can inherit pre-formatting from is kept whole).
# Any other value (``pre``, ``preserve``, ``break-spaces``, ``var(--x)``...) keeps.
_COLLAPSING = frozenset({"normal", "nowrap", "collapse", "wrap", "inherit", "initial",
                         "unset", "revert", "revert-layer", "!important", "!", "important"})
_SIMPLE = re.compile(r"^([A-Za-z][A-Za-z0-9-]*)?((?:[.#][A-Za-z_-][A-Za-z0-9_-]*)*)"
                     r"(?:::?[A-Za-z-]+(?:\([^()]*\))?)*$")
_INDENT = re.compile(r"\n[ \t\n]+")
_QUOTED = re.compile(r"(\"[^\"]*\"|'[^']*')")
# One attribute of a start tag (HTML 13.2.5.32-38): a name, then maybe a value.
_ATTRIBUTE = re.compile(r"""([^\s"'>/=][^\s"'>/=]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'"""
                        r"""|([^\s"'>]+)))?""")
_STYLE_ELEMENT = re.compile(r"<style\b[^>]*>(.*?)</style\s*>", re.I | re.S)
# "<style" in html.lower(), without lowering the page (a seventh of tidy): no character but
# the ASCII letters lowers to one of "style"'s.
_STYLE_OPEN = re.compile(r"<[Ss][Tt][Yy][Ll][Ee]")
# Pages from which two processes strip them (about 0.8 ms of CPU a page at 1,000 dyads, 1.7
# before post4; below this the two forks cost about what they save on a shared 2-core machine,
# at 230 dyads more: guide/performance.md, tidy2 and post4).
POOL_MIN_PAGES = 600
_VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())


@dataclass
class KeepRules:
    """What a site's stylesheets keep pre-formatted: tag names, classes and ids.

    ``usable`` is False when a rule names none of them (the removal is then off).
    """

    tags: set[str] = field(default_factory=lambda: set(_PRE))
    classes: set[str] = field(default_factory=set)
    ids: set[str] = field(default_factory=set)
    usable: bool = True
    _patterns: tuple[re.Pattern[str], list[re.Pattern[str]]] | None = field(
        default=None, repr=False, compare=False)

    def patterns(self) -> tuple[re.Pattern[str], list[re.Pattern[str]]]:
        """Kept tag names after ``<`` (their first letters looked ahead for first); the kept
        classes and ids, each a literal (one literal each is several times faster to find
        than an alternation; ``white-space`` is found apart, :func:`_white_space_at`).
        Compiled once."""
        if self._patterns is None:
            tags = sorted({*_RAW, *self.tags})
            # The first letters, looked ahead for before the alternation: half the cost of
            # the scan (tidy9). Under re.I the class matches what the names' first letters
            # match (the Kelvin sign, the long s too), so the matches are the same.
            firsts = "".join(sorted({c for n in tags for c in (n[0].lower(), n[0].upper())}))
            words = [re.compile(re.escape(w)) for w in sorted({*self.classes, *self.ids})]
            self._patterns = (re.compile(r"<(?=[" + re.escape(firsts) + r"])(?:"
                                         + "|".join(tags) + r")(?=[\s/>])", re.I), words)
        return self._patterns

    def add_selector(self, selector: str) -> None:
        """Adds the element a selector's last compound names (its ancestors are ignored,
        which keeps more than needed, never less); an unmappable one sets ``usable`` off."""
        last = re.split(r"[\s>+~]+", selector.strip())[-1] if selector.strip() else ""
        match = _SIMPLE.match(last)
        if not last or not match or not (match.group(1) or match.group(2)):
            self.usable = False
            return
        if match.group(1):
            self.tags.add(match.group(1).lower())
        for part in re.findall(r"[.#][A-Za-z0-9_-]+", match.group(2)):
            (self.classes if part[0] == "." else self.ids).add(part[1:])


def keep_rules(css_texts: list[str]) -> KeepRules:
    """The elements the given stylesheets make pre-formatted.

    Args:
        css_texts: the text of every stylesheet of the site.

    Returns:
        The tags, classes and ids to keep; ``usable`` False when a rule's selector names
        none (``*``, ``[hidden]``), and also for an ``@import`` (a sheet not read here).
    """
    rules = KeepRules()
    for css in css_texts:
        tags, classes, ids, usable = _sheet_rules(css)
        rules.tags |= tags
        rules.classes |= classes
        rules.ids |= ids
        rules.usable = rules.usable and usable
    return rules


@lru_cache(maxsize=32)
def _sheet_rules(css: str) -> tuple[frozenset[str], frozenset[str], frozenset[str], bool]:
    """:func:`keep_rules` of one stylesheet (tags, classes, ids, usable), kept per process
    by the sheet's text: ``serve`` reads the same theme stylesheets (about 0.1 CPU s to
    parse) at every rebuild. Also kept in the user's cache (:mod:`build_site.derived_cache`)
    keyed by a digest of the sheet's text and of this code when the sheet is a theme's
    own file (:func:`~build_site.privacy.theme_files.is_theme_asset`): Material's stylesheets
    cost about 0.1 s of every cold build."""
    from build_site.derived_cache import cached, code_digest
    from build_site.privacy.theme_files import is_theme_asset

    if not is_theme_asset(css.encode("utf-8")):  # a team's sheet: nothing of it leaves
        return _parse_sheet_rules(css)
    key = [code_digest(__name__), hashlib.sha256(css.encode("utf-8", "replace")).hexdigest()]
    return cached(f"keep-rules-{key[1][:16]}", key, lambda: _parse_sheet_rules(css),
                  lambda v: [sorted(v[0]), sorted(v[1]), sorted(v[2]), v[3]],
                  _load_sheet_rules)


def _load_sheet_rules(data: Any) -> tuple[frozenset[str], frozenset[str], frozenset[str], bool]:
    tags, classes, ids, usable = data
    if not isinstance(usable, bool):
        raise ValueError("not a keep-rules entry")
    return (frozenset(map(str, tags)), frozenset(map(str, classes)), frozenset(map(str, ids)),
            usable)


def _parse_sheet_rules(css: str) -> tuple[frozenset[str], frozenset[str], frozenset[str],
                                          bool]:
    rules = KeepRules()
    nodes = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    if any(n.type == "at-rule" and n.lower_at_keyword == "import" for n in nodes):
        rules.usable = False
    for selectors in _keeping_preludes(nodes, None):
        for selector in selectors.split(","):
            rules.add_selector(selector)
    return frozenset(rules.tags), frozenset(rules.classes), frozenset(rules.ids), rules.usable


def _keeping_preludes(nodes: list[Any], prelude: str | None) -> Iterator[str]:
    """The selector list of every rule among ``nodes`` (tinycss2's parse of a stylesheet or
    of a block) one of whose own declarations keeps white space (:func:`keeps_white_space`).
    Rules may nest (CSS Nesting): a declaration belongs to the innermost rule around it,
    before or after the rules nested in it, and inside an at-rule nested in a rule
    (``@media``) to that rule; ``prelude`` is the rule ``nodes`` belong to, None at the top
    or inside a top-level at-rule."""
    kept = False
    for node in nodes:
        if node.type in ("qualified-rule", "at-rule") and node.content is not None:
            inner = tinycss2.parse_blocks_contents(node.content, skip_comments=True,
                                                   skip_whitespace=True)
            own = (tinycss2.serialize(node.prelude).strip() if node.type == "qualified-rule"
                   else prelude)
            yield from _keeping_preludes(inner, own)
        elif (node.type == "declaration" and prelude is not None and not kept
              and node.lower_name in _WS_PROPERTIES and _keeps(node)):
            kept = True
            yield prelude


def _keeps(declaration: Any) -> bool:
    """Whether a ``white-space`` or ``white-space-collapse`` declaration has a value not
    known to collapse (escapes decoded by the parser: ``pr\\65`` is ``pre``)."""
    value = tinycss2.serialize(declaration.value).lower().replace("!", " !").split()
    return not set(value) <= _COLLAPSING


def _attributes(attrs: str) -> dict[str, str]:
    """A start tag's attributes (the text after its name), by lower-case name; the first of
    a repeated name counts, as in HTML."""
    found: dict[str, str] = {}
    for match in _ATTRIBUTE.finditer(attrs):
        name = match.group(1).lower()
        if name not in found:
            found[name] = match.group(2) or match.group(3) or match.group(4) or ""
    return found


def keeps_white_space(declarations: str) -> bool:
    """Whether CSS ``declarations`` (a rule's body or a ``style`` attribute) set
    ``white-space`` or ``white-space-collapse`` to a value that is not known to collapse."""
    return any(node.type == "declaration" and node.lower_name in _WS_PROPERTIES
               and _keeps(node)
               for node in tinycss2.parse_blocks_contents(declarations, skip_comments=True,
                                                          skip_whitespace=True))


def _kept(name: str, attrs: str, rules: KeepRules) -> bool:
    """Whether a start tag opens an element whose white space must stay."""
    if name in _RAW or name in rules.tags:
        return True
    found = _attributes(attrs)
    if "white-space" in found.get("style", "").lower():
        return True  # whatever its value: an element's style is its own
    if rules.classes.intersection(found.get("class", "").split()):
        return True
    return bool(rules.ids) and found.get("id") in rules.ids


def _end_of(html: str, name: str, start: int) -> int:
    """Where the element opened just before ``start`` ends (after its end tag), counting
    nested elements of the same name and passing over comments; the end of the text when it
    is never closed."""
    pattern = _end_pattern(name)
    if name in _RAW:
        found = pattern.search(html, start)
        return found.end() if found else len(html)
    depth = 1
    while depth:
        found = pattern.search(html, start)
        if not found:
            return len(html)
        start = found.end()
        if found.group(2) is None:
            continue  # a comment: an end tag in it ends nothing
        if found.group(1):
            depth -= 1
        elif not found.group(2).rstrip().endswith("/"):
            depth += 1
    return start


@lru_cache(maxsize=256)
def _end_pattern(name: str) -> re.Pattern[str]:
    """What :func:`_end_of` looks for after an element named ``name``: its end tag when its
    contents are raw text, else a comment, or its start or end tag. Compiled once per name
    (``re``'s own cache cost a fifth of tidy in flag arithmetic and look-ups)."""
    if name in _RAW:
        return re.compile(r"</" + re.escape(name) + r"\s*>", re.I)
    return re.compile(r"<!--.*?(?:-->|\Z)|<(/?)" + re.escape(name)
                      + r"\b((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.I | re.S)


def _tag(text: str) -> str:
    """A tag with the indentation between its attributes removed, values kept."""
    if "\n" not in text:
        return text
    parts = _QUOTED.split(text)
    return "".join(part if i % 2 else _INDENT.sub("\n", part) for i, part in enumerate(parts))


def _candidates(html: str, rules: KeepRules) -> list[int]:
    """Where a start tag that may open a kept element begins: a kept tag name, or a tag
    whose attributes mention a kept class or id or ``white-space`` (:func:`_kept` decides),
    in order. Every scan is of the whole page: a page's cost in tidy is mostly these."""
    names, words = rules.patterns()
    found = {m.start() for m in names.finditer(html)}
    found.update(_tag_around(html, at) for at in _white_space_at(html))
    for word in words:
        for hit in word.finditer(html):
            found.add(_tag_around(html, hit.start()))
    found.discard(-1)
    return sorted(found)


# "white-space" with each ASCII letter in either case, found from its "-space" (a pattern
# that starts with a literal is searched for several times faster: a third of the scans).
_WHITE_SPACE = re.compile("".join(f"[{c.upper()}{c.lower()}]" if c.isalpha() else c
                                  for c in "white-space"))
_DASH_SPACE = re.compile(r"-[Ss][Pp][Aa][Cc][Ee]")


def _white_space_at(html: str) -> Iterator[int]:
    """Where ``white-space`` starts in ``html``, in any case of its letters: the starts of
    ``_WHITE_SPACE.finditer(html)`` (its matches cannot overlap, nor can "-space"'s)."""
    for hit in _DASH_SPACE.finditer(html):
        at = hit.start() - 5
        if at >= 0 and _WHITE_SPACE.match(html, at):
            yield at


def _tag_around(html: str, at: int) -> int:
    """Where the start tag holding position ``at`` begins, or the nearest ``<`` before it
    when none does: a ``<`` that starts no tag (one inside an attribute value, as in
    ``title="a < b"``) is passed over, back to the first that starts a tag."""
    start = html.rfind("<", 0, at)
    first = start
    while start >= 0:
        found = _START.match(html, start)
        if found:
            return start if found.end() > at else first
        start = html.rfind("<", 0, start)
    return first


# A quote opening an attribute value that spans lines: the slow, careful path.
_MULTILINE_VALUE = re.compile(r"=\s*(?:\"[^\"]*\n|'[^']*\n)")
# Indentation, or a tag one of whose quoted attribute values spans lines (kept as it is).
_SEGMENT = re.compile(
    r"(<[A-Za-z][^>\"']*(?:(?:\"[^\"\n]*\"|'[^'\n]*')[^>\"']*)*"
    r"(?:\"[^\"]*\n[^\"]*\"|'[^']*\n[^']*')(?:[^>\"']|\"[^\"]*\"|'[^']*')*>)"
    r"|\n[ \t\n]+")
_START = re.compile(r"<([A-Za-z][A-Za-z0-9:-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")


def _strip_segment(text: str) -> str:
    """A stretch of HTML holding no kept element, its indentation removed."""
    if not _MULTILINE_VALUE.search(text):
        return _INDENT.sub("\n", text)
    return _SEGMENT.sub(lambda m: _tag(m.group(1)) if m.group(1) else "\n", text)


def strip_indentation(html: str, rules: KeepRules | None = None) -> str:
    """The page with the white space after each newline removed where it cannot show.

    Args:
        html: one HTML page.
        rules: what the site's stylesheets keep pre-formatted (:func:`keep_rules`); by
            default only the elements HTML itself keeps.

    Returns:
        The page, unchanged when ``rules`` is not usable. The stretches between kept
        elements are substituted together where that gives the same text (a page without
        a multi-line attribute value, a kept element without a newline: tidy9).
    """
    rules = with_style_elements(rules or KeepRules(), html)
    if not rules.usable:
        return html
    # Without a multi-line attribute value in the page there is none in any stretch of it
    # (a match in a stretch is one in the page), so every stretch is ``_INDENT.sub``'s; and
    # a kept element without a newline is left as it is by that substitution, whose matches
    # (runs of white space) cannot reach across its ``<`` or its last character: it stays
    # in the stretch around it, one substitution for both (tidy9: SVG's ``text`` elements,
    # about 38 a page, each cost a search and a substitution of its own).
    simple = not _MULTILINE_VALUE.search(html)
    out: list[str] = []
    done = covered = 0  # the end of the last kept element cut out; of the last one seen
    for start in _candidates(html, rules):
        found = _START.match(html, start)
        if start < covered or not found:
            continue
        name, attrs = found.group(1).lower(), found.group(2)
        if name in _VOID or not _kept(name, attrs, rules) or (
                attrs.rstrip().endswith("/") and name not in _RAW):
            continue
        end = covered = _end_of(html, name, found.end())
        if simple and html.find("\n", start, end) < 0:
            continue  # stays in the stretch
        out.append(_INDENT.sub("\n", html[done:start]) if simple
                   else _strip_segment(html[done:start]))
        out.append(html[start:end])
        done = end
    out.append(_INDENT.sub("\n", html[done:]) if simple else _strip_segment(html[done:]))
    return "".join(out)


def with_style_elements(rules: KeepRules, html: str) -> KeepRules:
    """``rules`` with those of the page's own ``<style>`` elements added (a hand-written
    page's raw HTML, a theme override); ``rules`` itself when the page has none."""
    inline = _STYLE_ELEMENT.findall(html) if _STYLE_OPEN.search(html) else []
    if not inline:
        return rules
    own = keep_rules(inline)
    return KeepRules(rules.tags | own.tags, rules.classes | own.classes, rules.ids | own.ids,
                     rules.usable and own.usable)


def site_rules(site: Path) -> KeepRules:
    """The keep rules of every ``.css`` file under a built site (the suffix in any case: a
    browser applies a linked stylesheet whatever its name)."""
    return keep_rules([p.read_text(encoding="utf-8", errors="replace")
                       for p in sorted(site.rglob("*"))
                       if p.suffix.lower() == ".css" and p.is_file()])


def strip_site(site: Path, done: Collection[str] = ()) -> int:
    """Removes invisible indentation from every ``.html`` file under a built site, on two
    processes from :data:`POOL_MIN_PAGES` pages (:func:`build_site.forked_map.map_forked`:
    each page's bytes depend on that page and the site's stylesheets alone, so the site is
    byte for byte the one a single process writes).

    A worker writes each page whole (through its scratch file in a scratch folder inside
    ``site``, :func:`~build_site.whole_write.replace_whole`), so a worker that dies leaves
    every page either as the engine wrote it or stripped; the pool's fallback then strips
    the pages again in this process, which leaves a stripped page as it is
    (:func:`strip_indentation` is idempotent, tested).
    The scratch folder is removed before this returns or raises.

    Args:
        site: the engine's output folder, before the leak gate reads it (a full build
            strips its pages in the gate's pass instead: :mod:`build_site.tidy_gate`).
        done: site-relative paths (``/``-separated) of files already passed through this
            removal and left as they were (an incremental preview's unchanged pages,
            :meth:`build_site.preview.Plan.unchanged`): passed over.

    Returns:
        The number of bytes removed (0 when a stylesheet makes the removal unsafe; a page a
        worker stripped before the pool failed counts 0).

    Raises:
        OSError: a page cannot be read or written (raised from this process, with the
            page's path, as without a pool); the scratch folder cannot be removed.
    """
    rules = site_rules(site)
    if not rules.usable:
        return 0
    pages = site_pages(site, done)
    if workers_for(len(pages), POOL_MIN_PAGES) < 2:
        return sum(_strip_file(path, rules, None) for path in pages)
    rules.patterns()  # compiled once, before the fork
    scratch = Path(tempfile.mkdtemp(prefix=".tidy-", dir=site))
    try:
        removed = sum(map_forked(partial(_strip_file, rules=rules, scratch=scratch), pages,
                                 POOL_MIN_PAGES, chunk=16))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if os.path.lexists(scratch):  # the workers' scratch files: pages as the engine wrote
        shutil.rmtree(scratch)  # them, never left in the site (raises, naming what stays)
    return removed


def site_pages(site: Path, done: Collection[str] = ()) -> list[Path]:
    """The pages :func:`strip_site` strips: every ``.html`` file under ``site`` (in path
    order) that is not a symbolic link and not among ``done`` (site-relative paths)."""
    return [path for path in sorted(site.rglob("*.html"))
            if not path.is_symlink()
            and not (done and path.relative_to(site).as_posix() in done)]


def _strip_file(path: Path, rules: KeepRules, scratch: Path | None) -> int:
    """Strips one page in place (:func:`strip_page`) and returns the bytes removed."""
    return strip_page(path, path.read_bytes(), rules, scratch)[1]


def page_text(data: bytes) -> str | None:
    """A page's bytes as ``Path.read_text(encoding="utf-8")`` reads them (universal
    newlines: ``\r\n`` and ``\r`` read as ``\n``; a byte-order mark kept), or None when
    they are not UTF-8."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def strip_page(path: Path, data: bytes, rules: KeepRules, scratch: Path | None
               ) -> tuple[bytes, int]:
    """Strips the page ``path``, which holds ``data`` (:func:`strip_indentation`), and
    returns the bytes the file holds afterwards and the number of bytes removed. Written
    whole through a scratch file in ``scratch`` when given (a pool's worker, or the gate's
    pass, :mod:`build_site.tidy_gate`: :func:`~build_site.whole_write.replace_whole`), else
    in place. A
    page that is not UTF-8 (a team's hand-written HTML in Latin-1, copied by the engine as it
    is) is left as it is: the leak gate and the external-load check read it in its own
    encoding; so is a page the removal leaves unchanged (its bytes as they were, ``\r\n``
    included).

    The bytes removed are counted from ``data`` (gate10): the text read holds one byte fewer
    than ``data`` for each ``\r\n`` (:func:`page_text` reads it as ``\n``; a lone ``\r``
    becomes ``\n``, as long), so the text is not encoded a second time to be measured
    (0.1-0.15 CPU s over the 1,000-dyad pages).

    Raises:
        OSError: the page cannot be written.
    """
    tidied = tidy_page(path, data, rules, scratch)
    return tidied.data, tidied.removed


class Tidied(NamedTuple):
    """What :func:`tidy_page` did to a page."""

    data: bytes
    """The bytes the file holds afterwards."""
    removed: int
    """The bytes removed, counted in the text as read (:func:`page_text`)."""
    text: str | None
    """The text written, whose UTF-8 is ``data`` (a valid string: no lone surrogate), when
    the page was rewritten; None when it was left as it is."""


def tidy_page(path: Path, data: bytes, rules: KeepRules, scratch: Path | None) -> Tidied:
    """:func:`strip_page`, with the text written (the leak gate reads it in the same pass,
    :mod:`build_site.tidy_gate`, without decoding the page again).

    Raises:
        OSError: the page cannot be written.
    """
    text = page_text(data)
    if text is None:
        return Tidied(data, 0, None)
    stripped = strip_indentation(text, rules)
    if stripped == text:
        return Tidied(data, 0, None)
    new_data = stripped.encode("utf-8")
    if scratch is None:
        path.write_bytes(new_data)
    else:
        replace_whole(path, new_data, scratch)  # whole_write.py
    read = len(data) - data.count(b"\r\n") if b"\r" in data else len(data)
    return Tidied(new_data, read - len(new_data), stripped)
