"""Leak gate: search every finished output byte for every listed identifier.

The gate reads the output the way a reader or a search engine would meet it: file and folder
names, and every file read as what it is (:mod:`build_site.privacy.gate_files`: text in any
encoding, image metadata, PDF text, annotations, attachments and metadata, the members and comments
of zip-based documents, gzip files); text with HTML entities, JSON escapes and
percent-encoding decoded, also with CSS escapes decoded and with the content of base64
``data:`` URIs of text types, with tags kept (attribute values such as ``alt`` and ``title``
are read), with tags removed (so a name split by markup is joined again) and with SVG text
pieces in the order they are drawn. Matching uses the same rule as the de-identification stage
(:class:`build_site.deidentify.Matcher`: the canonical reading of
:mod:`build_site.deidentify.reading`, whole words). A file of a kind the gate cannot read is
refused unless the team recorded its SHA-256 in ``private/reviewed.yml`` (``files``). Files
byte-identical to the theme's own files are skipped by hash. The gate cannot be turned off.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from build_site.deidentify import Matcher
from build_site.deidentify.reading import (
    bracket_look_alikes,
    distinct_in_utf8,
    distinct_non_ascii,
    glue_characters,
    reading_utf8,
)
from build_site.errors import PrivacyError, Problem
from build_site.privacy.gate_files import Unreadable, decode_text, kind_of, texts
from build_site.privacy.svg_order import drawn_order
from build_site.privacy.theme_files import is_theme_asset
from build_site.privacy.word_filter import WordFilter
from build_site.study import Identifier

_TAG = re.compile(r"<[^<>]*>")
_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})(?:\\u([0-9a-fA-F]{4}))?")
_SIMPLE_ESCAPES = {"\\n": "\n", "\\t": "\t", '\\"': '"', "\\/": "/", "\\\\": "\\"}
_AFTER_BACKSLASH = re.compile(r"\\(?=(.))", re.S)  # the character after each backslash


# what scan_tree(also=...) calls with each file: (path relative to the root, bytes, text)
FileVisitor = Callable[[str, bytes, "list[str] | None"], None]
# what scan_tree(rewrite=...) calls with each file before it is read: (path, bytes) ->
# (bytes, decode_text of those bytes when known, else None)
Rewrite = Callable[[Path, bytes], "tuple[bytes, list[str] | None]"]


@dataclass(frozen=True)
class Leak:
    """A listed identifier found in the output: ``where`` is the file (relative to the output
    root) and ``identifier`` the entry whose form matched."""

    where: str
    identifier: Identifier


def _json_unescape(text: str) -> str:
    if "\\" not in text:  # every escape starts with a backslash
        return text
    def pair(m: re.Match[str]) -> str:
        high = int(m.group(1), 16)
        if m.group(2):
            low = int(m.group(2), 16)
            if 0xD800 <= high < 0xDC00 and 0xDC00 <= low < 0xE000:
                return chr(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
            return chr(high) + chr(low)
        return chr(high)

    text = _JSON_ESCAPE.sub(pair, text)
    # Each replace reads the whole text (the search index: 9 MB, five times); one that
    # cannot match is skipped, told by what follows each backslash now. A pair absent here
    # is absent at its turn: a replace writes no backslash, and never the second character
    # of a later pair (a newline, tab, quote or slash, then only "/" and "\\" follow).
    following = set(_AFTER_BACKSLASH.findall(text))
    for escaped, plain in _SIMPLE_ESCAPES.items():
        if escaped[1] in following:
            text = text.replace(escaped, plain)
    return text


def decode(text: str) -> str:
    """``text`` with JSON escapes, percent-encoding and HTML character references decoded."""
    return html.unescape(unquote(_json_unescape(text)))


# A right-to-left override (U+202E) shows what follows it, up to the closing U+202C or U+2069
# or the end of the line, in reverse: "\u202ettoclA\u202c" is stored backwards and read
# "Alcott" (the "Trojan Source" trick, CVE-2021-42574).
_RIGHT_TO_LEFT_OVERRIDE = re.compile("\u202e([^\u202c\u2069\n]*)")


def visual_order(text: str) -> str:
    """``text`` with every right-to-left override run reversed, as a reader sees it."""
    return _RIGHT_TO_LEFT_OVERRIDE.sub(lambda m: m.group(1)[::-1], text)


# A CSS escape (CSS Syntax Level 3, 4.3.7): a backslash and one to six hex digits, with one
# white space after them eaten, or a backslash and any other character but a newline.
_CSS_ESCAPE = re.compile(r"\\(?:([0-9a-fA-F]{1,6})(?:\r\n|[ \t\r\n\f])?|([^0-9a-fA-F\r\n\f]))")


def css_unescape(text: str) -> str:
    """``text`` with CSS escapes decoded (``"Wren \\41 lcott"`` reads "Wren Alcott"); a code
    point that is zero, a surrogate or past U+10FFFF reads U+FFFD, as in CSS."""
    def one(m: re.Match[str]) -> str:
        if m.group(2) is not None:
            return m.group(2)
        code = int(m.group(1), 16)
        return "\ufffd" if code == 0 or 0xD800 <= code < 0xE000 or code > 0x10FFFF \
            else chr(code)

    return _CSS_ESCAPE.sub(one, text)


# A base64 ``data:`` URI (RFC 2397) of a type that is text: no type (text/plain), text/*, or
# an XML, SVG, JSON or JavaScript type.
_DATA_URI = re.compile(
    r"data:(?P<type>[\w.+-]*/?[\w.+-]*)(?:;[\w.+-]+=?[\w.+-]*)*;base64,"
    r"(?P<data>[A-Za-z0-9+/_\s-]+=*)", re.I)
_TEXT_TYPE = re.compile(r"^(?:|text/.*|.*[/+](?:xml|json)|application/(?:x-)?javascript)$",
                        re.I)


def data_uri_texts(text: str) -> Iterator[str]:
    """The decoded content of every base64 ``data:`` URI of a text type in ``text``."""
    import base64
    import binascii

    for match in _DATA_URI.finditer(text):
        if _TEXT_TYPE.match(match.group("type")):
            payload = re.sub(r"\s", "", match.group("data")).replace("-", "+").replace("_", "/")
            try:
                data = base64.b64decode(payload + "=" * (-len(payload) % 4))
            except (binascii.Error, ValueError):
                continue
            yield from decode_text(data) or []


# Where CSS (and so its escapes) is read in HTML or SVG: style elements and style attributes.
_CSS_IN_MARKUP = re.compile(
    r"<style\b[^>]*>(.*?)</style\s*>|\bstyle\s*=\s*(?:\"([^\"]*)\"|'([^']*)')", re.S | re.I)


def _css_reading(text: str, stylesheet: bool, data: bytes | None = None) -> str | None:
    """The CSS of ``text`` with its escapes decoded: the whole of a stylesheet, else its style
    elements and attributes; None when there is no escape to decode. Only CSS reads escapes,
    so other text (a search index full of JSON backslashes) is not read a second time.
    ``data``: the text's UTF-8, when the caller has it."""
    if "\\" not in text:
        return None
    if stylesheet:
        return css_unescape(text)
    if not _may_hold_style(text, data):  # a search index: not searched
        return None
    parts = [p for m in _CSS_IN_MARKUP.finditer(text) for p in m.groups() if p and "\\" in p]
    return "\n".join(css_unescape(p) for p in parts) if parts else None


def _may_hold_style(text: str, data: bytes | None = None) -> bool:
    """Whether ``text`` may hold "style" as ``_CSS_IN_MARKUP`` (``re.I``) reads it, which
    both its kinds hold; False only when it does not. Under ``re.I`` the only character
    besides ASCII letters that matches a letter of "style" is "ſ" (U+017F, read as "s";
    ``tests/test_gate_css_guard.py`` checks every code point), so without "ſ" it is the
    ASCII letters' case alone: ``bytes.lower`` of the UTF-8 (0.02 CPU s over the 9 MB search
    index at 1,000 dyads, against 0.05 for ``str.casefold``, which the text with "ſ" keeps).
    ``data``: the text's UTF-8 (surrogates passed through), when the caller has it."""
    if "\u017f" in text:
        return "style" in text.casefold()
    if data is None:
        data = text.encode("utf-8", "surrogatepass")
    return b"style" in data.lower()


def shown(text: str, depth: int = 0, stylesheet: bool = False) -> str:
    """:func:`shown_chars` without the characters."""
    return shown_chars(text, depth, stylesheet)[0]


def shown_chars(text: str, depth: int = 0, stylesheet: bool = False) -> tuple[str, set[str]]:
    """:func:`shown_utf8` without the UTF-8."""
    read, chars, _ = shown_utf8(text, depth, stylesheet)
    return read, chars


def shown_utf8(text: str, depth: int = 0, stylesheet: bool = False
               ) -> tuple[str, set[str], bytes | None]:
    """``text`` decoded (:func:`decode`), followed by its other readings when they differ:
    its CSS with escapes decoded (:func:`css_unescape`; all of it when ``stylesheet``, else
    its style elements and attributes), the content of base64 ``data:`` URIs of text types
    (read the same way, two levels deep), and, when it holds a right-to-left override, the
    text in the order it is shown (the canonical reading drops the override itself, so the
    order must be restored first), and, when a character of a tag reads as ``<`` or ``>``
    (:func:`_look_alike_in_tag`: ``title="‹"`` would read as
    markup that is not there and hide "Qu<b title="‹">ill" from the tags' removal), the
    text with its own tags removed, joined and spaced; and around each "|", the text with
    the pipe (or "¹", "™"...) read as a space (:func:`around_glue`).

    Returns the readings, one a line, and the distinct non-ASCII characters they hold, or
    more (the text's, its CSS's and its data URIs' readings'; the other readings hold none
    but the text's), for :meth:`_QuickScan.names_any`, which would otherwise find them again
    (a pass over every byte); and when the text decoded is the only reading (1,281 of 1,288
    texts at 1,000 dyads), its UTF-8 (surrogates passed through), else None.

    The decoded text is encoded once and read in bytes where that is the same: an ASCII
    string ("base64,", "style") occurs in the UTF-8 where it occurs in the text (no byte of
    a longer character is ASCII), and the right-to-left override is in the text when it is
    among its distinct non-ASCII characters. ``str.find`` of "base64," over a page that holds
    a non-ASCII character (two bytes a character) cost 0.08 CPU s over the 1,000-dyad site,
    ``bytes.find`` of its UTF-8 a fifth of that."""
    text = decode(text)
    data = text.encode("utf-8", "surrogatepass")
    readings = [text]
    chars = set() if text.isascii() else distinct_in_utf8(data)
    found = set(chars)
    css = _css_reading(text, stylesheet, data)
    if css is not None:
        readings.append(css)
        found |= distinct_non_ascii(css)
    if depth < 2 and b"base64," in data:
        for inner in data_uri_texts(text):
            inner_read, inner_chars, _ = shown_utf8(inner, depth + 1)
            readings.append(inner_read)
            found |= inner_chars
    if "\u202e" in chars:
        readings.append(visual_order(text))
    if chars and _look_alike_in_tag(text, chars):  # tags removed before the reading
        readings += [_TAG.sub("", text), _TAG.sub(" ", text)]
    glued = around_glue(text, chars)
    if glued:
        readings.append(glued)
    kept = _distinct(readings)
    return "\n".join(kept), found, data if len(kept) == 1 else None


def _distinct(texts: list[str]) -> list[str]:
    """``texts`` without repeats, in order (``dict.fromkeys`` without hashing whole pages:
    texts of different lengths compare unequal at once)."""
    kept: list[str] = []
    for text in texts:
        if text not in kept:
            kept.append(text)
    return kept


def _look_alike_in_tag(text: str, chars: set[str]) -> bool:
    """Whether a character that reads as ``<`` or ``>`` (of ``chars``, the distinct
    non-ASCII characters of ``text``) stands inside a tag of ``text``, where the reading
    would break the tag apart. One in the text between tags ("Processes › Valuing") breaks
    none: a tag holds no "<" or ">" (``_TAG``)."""
    alikes = bracket_look_alikes(chars)
    if not alikes:
        return False
    for mark in re.finditer("[" + "".join(map(re.escape, alikes)) + "]", text):
        if text.rfind("<", 0, mark.start()) > text.rfind(">", 0, mark.start()):
            return True
    return False


GLUE_WINDOW = 256
"""Characters read on either side of a glue character by :func:`around_glue` (longer than
any form)."""


def around_glue(text: str, chars: set[str] | None = None) -> str:
    """The stretches of ``text`` within :data:`GLUE_WINDOW` characters (and whole words) of
    a character that is no letter but reads as one
    (:func:`~build_site.deidentify.reading.reads_as_letter`), each such character a
    space, one stretch a line; "" when there is none. ``chars``: the distinct non-ASCII
    characters of ``text`` (:func:`~build_site.deidentify.reading.distinct_non_ascii`), when
    the caller has them. The canonical reading reads "|" as "l" (TS #39, so that "A|cott"
    reads "Alcott") and "¹" as "1", which glues it to a name beside it: "Alcott|C1" reads
    "alcottlc1" and "Alcott¹" "alcott1", no whole word. Read so as well, a name beside such a
    character is whole again."""
    glue = glue_characters(text, chars)
    if not glue:
        return ""
    marks = re.compile("[" + "".join(re.escape(c) for c in glue) + "]")
    spans: list[list[int]] = []
    for match in marks.finditer(text):
        start = max(0, match.start() - GLUE_WINDOW)
        end = min(len(text), match.end() + GLUE_WINDOW)
        while start > 0 and text[start - 1].isalnum():  # whole words only: a word cut
            start -= 1  # in two could read as a shorter listed name
        while end < len(text) and text[end].isalnum():
            end += 1
        if spans and start <= spans[-1][1]:
            spans[-1][1] = end
        else:
            spans.append([start, end])
    return "\n".join(marks.sub(" ", text[a:b]) for a, b in spans)


def markup_variants(text: str) -> Iterator[str]:
    """The ways a reader may meet (decoded) ``text``: as it is, with tags removed (joined
    and spaced), and SVG text pieces in the order they are drawn
    (:mod:`build_site.privacy.svg_order`, pieces joined and spaced)."""
    yield text
    if "<" in text:
        yield _TAG.sub("", text)
        yield _TAG.sub(" ", text)
        drawn = drawn_order(text) if "<text" in text.lower() else []
        if drawn:
            yield "\n".join("".join(pieces) for pieces in drawn)
            yield "\n".join(" ".join(pieces) for pieces in drawn)


_TAG_SPLIT = re.compile(r"(<[^<>]*>)")


MAX_CLEAN_TAGS = 300_000
MAX_PENDING_CHARS = 1 << 24


class _QuickScan:
    """Whether a text names any listed entry: the verdict of ``matcher.contains(read,
    markup_variants)``, with less to read (for the gate's first pass over each text).

    :meth:`Matcher.scan` reports every occurrence, overlapping ones included, and judges each
    by the characters on either side; this searches texts where it finds exactly the entries
    and unsure forms it finds in :func:`markup_variants`. The text as it is is replaced by
    its tags alone, each distinct tag once, joined by spaces, leaving out tags already read
    in a text that had no occurrence at all. Why that finds the same: when no listed form
    holds ``<`` or ``>``, an occurrence in the text as it is lies inside one tag or inside
    the text between tags. Inside a tag, its neighbours are the same in the tags joined by
    spaces (separator runs in a tag end at its brackets, so they collapse alike), so what a
    tag holds depends on the tag alone. Between tags, it is also in the text with tags
    replaced by spaces, where each neighbour is the same character or a space instead of a
    bracket: both are not word characters. The three texts are cut from one split of the
    text at its tags (``_TAG.sub`` finds the same tags).

    Before that, :class:`~build_site.privacy.word_filter.WordFilter` looks for one word of
    each form in the same texts uncollapsed (:meth:`_first_look`); a text it clears names
    nobody (the argument is in its module), and only a text it does not clear is searched as
    above, so what is found is unchanged.

    Args:
        matcher: the listed entries.
    """

    def __init__(self, matcher: Matcher) -> None:
        self.matcher = matcher
        self._clean_tags: set[str] = set()  # tags read in a text without any occurrence
        self._pending: list[str] = []  # texts cleared whose tags are not in _clean_tags yet
        self._pending_chars = 0
        self.words = WordFilter(matcher.forms)

    def names_any(self, read: str, chars: set[str] | None = None,
                  encoded: bytes | None = None) -> bool:
        """Whether ``matcher.contains(read, markup_variants)`` is not empty; ``chars``: the
        distinct non-ASCII characters of ``read`` or more (:func:`shown_chars`), when known;
        ``encoded``: the UTF-8 of ``read`` (surrogates passed through), when known
        (:func:`shown_utf8`)."""
        # the lower-case reading's UTF-8, which the words search
        data = reading_utf8(read, chars, encoded)
        lower = data.decode("utf-8", "surrogatepass")
        # first the words alone (word_filter.py): a text they clear names nobody
        if self.words.clears(self._first_look(lower, data=data)):
            self._clear_later(lower)
            return False
        new_tags: list[str] = []
        found, unsure = self.matcher.scan(self._variants(lower, new_tags))
        if not found and not unsure:
            self._remember(new_tags)
            return False
        return bool(found) or bool(self.matcher.settle(read, found, unsure, markup_variants))

    @property
    def clean_tags(self) -> set[str]:
        """The tags read in a text without any occurrence (those the fast pass need not read
        again). The tags of a text the first look cleared are split from it only here, when
        asked for: the first look reads a text without splitting it, and the fast pass is
        seldom needed."""
        for lower in self._pending:
            parts = _TAG_SPLIT.split(lower)
            self._remember([t for t in dict.fromkeys(parts[1::2]) if t not in self._clean_tags])
        self._pending, self._pending_chars = [], 0
        return self._clean_tags

    def _clear_later(self, lower: str) -> None:
        """Keep ``lower``, a text the first look cleared, for :attr:`clean_tags`; past
        ``MAX_PENDING_CHARS`` the texts kept are dropped (their tags would only be read
        again)."""
        if "<" not in lower:
            return
        self._pending_chars += len(lower)
        if self._pending_chars > MAX_PENDING_CHARS:
            self._pending, self._pending_chars = [], len(lower)
        self._pending.append(lower)

    def _remember(self, clean: list[str]) -> None:
        """Keep ``clean``, tags read in a text without any occurrence, as read clean."""
        if len(self._clean_tags) > MAX_CLEAN_TAGS:  # bound the memory (168,079 at N = 1000)
            self._clean_tags.clear()
        self._clean_tags.update(clean)

    def _first_look(self, read: str, new_tags: list[str] | None = None,
                    data: bytes | None = None) -> Iterator[str | bytes]:
        """What :class:`~build_site.privacy.word_filter.WordFilter` searches in the lower-case
        reading ``read`` (``data``: its UTF-8, when the caller has it): ``read`` as it is (its
        tags and the text between tags spaced, at once; searched as ``data``), the text
        between tags joined without spaces around its hard seams
        (:meth:`~build_site.privacy.word_filter.WordFilter.seam_windows`), and SVG text
        drawn in another order than stored. When a form holds a bracket, or a word a
        character the seams cannot be found beside in bytes, the texts of :meth:`_variants`
        instead, but the text between tags joined only around its hard seams; the tags
        searched are then added to ``new_tags``."""
        if self.matcher.forms_hold_brackets or self.words.seam_table is None:
            return self._readings(read, [] if new_tags is None else new_tags, first_look=True)
        return self._whole(read, read.encode("utf-8", "surrogatepass") if data is None else data)

    def _whole(self, read: str, data: bytes) -> Iterator[str | bytes]:
        """:meth:`_first_look` without splitting ``read`` at its tags (``data``: its UTF-8)."""
        yield data
        if "<" not in read:
            return
        yield self.words.seam_windows(data)
        yield from _drawn_readings(read, reordered_only=True)

    def _variants(self, read: str, new_tags: list[str]) -> Iterator[str]:
        """The texts to search in the lower-case reading ``read``; the tags searched are
        added to ``new_tags``."""
        return self._readings(read, new_tags, first_look=False)

    def _readings(self, read: str, new_tags: list[str], first_look: bool) -> Iterator[str]:
        """The texts of :meth:`_variants` (``first_look`` False) or :meth:`_first_look`
        (True), from one list, so that the first look reads what the fast pass reads."""
        if "<" not in read:
            yield read
            return
        parts = _TAG_SPLIT.split(read)
        gaps = parts[0::2]
        if self.matcher.forms_hold_brackets:
            yield read
        else:
            clean = self.clean_tags
            new_tags.extend(t for t in dict.fromkeys(parts[1::2]) if t not in clean)
            yield " ".join(new_tags)
        yield self.words.glued_windows(gaps) if first_look else "".join(gaps)
        yield " ".join(gaps)
        yield from _drawn_readings(read, reordered_only=first_look)


def _drawn_readings(read: str, reordered_only: bool) -> Iterator[str]:
    """The SVG text of the lower-case reading ``read`` in the order it is drawn, joined
    without and with spaces (:func:`drawn_order`; with ``reordered_only``, only when that
    order differs from the stored one)."""
    # read is lower-cased already, and no other character lower-cases to "<text"
    drawn = drawn_order(read, reordered_only=reordered_only) if "<text" in read else []
    if drawn:
        yield "\n".join("".join(pieces) for pieces in drawn)
        yield "\n".join(" ".join(pieces) for pieces in drawn)


class FileScanner:
    """The gate's reading of one file or folder of a tree at a time (:func:`scan_tree`, and
    its worker processes, :mod:`build_site.privacy.gate_pool`).

    Args:
        identifiers: the listed identifiers.
        reviewed: SHA-256 digests (hex) of files the team recorded as reviewed.
        rewrite: called with each file's path and bytes as read, before anything else reads
            them; returns the bytes the file holds once it has done its work (the tidy
            stage riding in the gate's pass, :mod:`build_site.tidy_gate`): those are read;
            and, when it knows it, their text as
            :func:`~build_site.privacy.gate_files.decode_text` reads it (else None), which is
            then not decoded again (gate10).
    """

    def __init__(self, identifiers: list[Identifier], reviewed: Iterable[str] = (),
                 rewrite: Rewrite | None = None) -> None:
        self.identifiers = identifiers
        self.rewrite = rewrite
        self.matcher = Matcher(identifiers)
        self.quick = _QuickScan(self.matcher)
        self.digests = frozenset(d.lower() for d in reviewed)

    def scan(self, root: Path, path: Path, also: FileVisitor | None
             ) -> tuple[list[Identifier], Unreadable | None]:
        """The entries named by ``path`` (under ``root``): by its name and, for a file, by
        what it holds, in the order found; and the file when the gate cannot read it. A file
        is handed to ``also`` as :func:`scan_tree` says.

        Raises:
            OSError: the file cannot be read.
        """
        rel = path.relative_to(root).as_posix()
        found = {id(i): i for i in self.matcher.contains(unquote(path.name))}
        if not path.is_file():
            return list(found.values()), None
        data = path.read_bytes()
        known = None
        if self.rewrite is not None:
            data, known = self.rewrite(path, data)
        read_here = bool(self.identifiers) and not is_theme_asset(data)
        decoded = None
        if read_here and kind_of(rel, data) == "text":
            decoded = known if known is not None else decode_text(data)
        if also is not None:
            also(rel, data, decoded)
        if read_here:
            try:
                for text in texts(rel, data, self.digests, decoded=decoded):
                    read, chars, encoded = shown_utf8(text, stylesheet=rel.endswith(".css"))
                    # a text that names nobody (almost all) is read once, the fast way;
                    # one that does is read again to list its entries in the usual order
                    if self.quick.names_any(read, chars, encoded):
                        found.update({id(i): i
                                      for i in self.matcher.contains(read, markup_variants)})
            except Unreadable as exc:
                return list(found.values()), exc
        return list(found.values()), None


def scan_tree(root: Path, identifiers: list[Identifier],
              reviewed: Iterable[str] = (), also: FileVisitor | None = None,
              rewrite: Rewrite | None = None) -> list[Leak]:
    """Scan every file and folder name under ``root``, and every file's content.

    A large tree is read by several processes (:mod:`build_site.privacy.gate_pool`: same
    leaks in the same order, same errors); a small one, or when processes cannot start, by
    this one.

    Args:
        root: the output folder.
        identifiers: the listed identifiers.
        reviewed: SHA-256 digests (hex) of files the team recorded as reviewed in
            ``private/reviewed.yml``; only files the gate cannot read are passed over by them.
        also: called with each file (theme files included), in path order, as ``also(rel,
            data, decoded)``: its path relative to ``root``, its bytes, and its text as
            :func:`~build_site.privacy.gate_files.decode_text` reads it when the gate read it
            as a text file (else None), so another check reads the tree in the same pass
            (:class:`build_site.offline.LoadCollector`). The tree is read by several
            processes only when ``also`` is None or can be split
            (:class:`~build_site.privacy.gate_pool.Splittable`).
        rewrite: called with each file before it is read, in whichever process reads it
            (:class:`FileScanner`).

    Returns:
        One ``Leak`` per (file, identifier) found; empty when the tree is clean.

    Raises:
        PrivacyError: a file (or a member of an archive) of a kind the gate cannot read, not
            recorded as reviewed (exit 3); the leaks found are listed too.
        OSError: a file cannot be read.
    """
    from build_site.privacy import gate_pool

    if not identifiers and also is None and rewrite is None:
        return []
    scanner = FileScanner(identifiers, reviewed, rewrite)
    paths = sorted(root.rglob("*"))
    results = gate_pool.scan_pooled(root, paths, scanner, also)
    if results is None:  # one process
        results = [scanner.scan(root, path, also) for path in paths]
    leaks: list[Leak] = []
    unreadable: list[Unreadable] = []
    for path, (found, bad) in zip(paths, results, strict=True):
        leaks.extend(Leak(path.relative_to(root).as_posix(), ident) for ident in found)
        if bad is not None:
            unreadable.append(bad)
    if unreadable:
        raise PrivacyError([*map(unreadable_problem, unreadable),
                            *(Problem(leak.where, 0, "listed identifier found in the output")
                              for leak in leaks)])
    return leaks


def unreadable_problem(file: Unreadable) -> Problem:
    """The refusal of a file the gate cannot read, saying what to do."""
    return Problem(
        file.where, 0,
        f"the leak gate cannot read this file ({file.kind}), so it cannot show that no listed "
        "identifier is in it; nothing was published",
        "convert it to a kind the gate reads (text, PNG, JPEG, PDF, or a zip-based document "
        "such as .docx), strip its metadata, or, once the team has checked it, record it in "
        f"private/reviewed.yml under files: {{sha256: {file.digest}, file: {file.where}, "
        "by: ..., why: ...}")


def scan_text(text: str, identifiers: list[Identifier]) -> list[Identifier]:
    """The identifiers found in one text (all readings); used for archives' members."""
    return Matcher(identifiers).contains(shown(text), markup_variants)


_ARTICLE = re.compile(r"<article\b[^>]*>(.*?)</article>", re.S)


def scan_articles(root: Path, identifiers: list[Identifier]) -> list[Leak]:
    """Scan the page content of every HTML page under ``root``: the ``<article>`` of each page,
    without the navigation around it, which lists every page of the site.

    Used for rules that hold for what a page says rather than for the whole site (a build
    that hides clinicians: no clinician id on any dyad page). Returns one ``Leak`` per (page,
    identifier) found.
    """
    if not identifiers:
        return []
    matcher = Matcher(identifiers)  # once: scan_text would build one per page
    leaks: list[Leak] = []
    for path in sorted(root.rglob("*.html")):
        content = " ".join(_ARTICLE.findall(path.read_text("utf-8", "replace")))
        found = {id(i): i for i in matcher.contains(shown(content), markup_variants)}
        leaks.extend(Leak(path.relative_to(root).as_posix(), i) for i in found.values())
    return leaks
