"""A cheaper first look for the leak gate: whether a text may name a listed entry at all.

The gate's fast pass (:class:`build_site.privacy.gate._QuickScan`) searches several readings
of each text (its tags, the text between tags joined with spaces and without, SVG text in
drawn order), each with separators collapsed (:meth:`~build_site.deidentify.Matcher.scan`:
runs of white space, ``*`` and ``_`` become one space). :class:`WordFilter` first searches the
same readings for *words* only, without collapsing them and, for the text joined without
spaces, only around the places where it differs. A text it clears names nobody; a text it
does not clear is read by the fast pass as before, which gives the verdict. So it may raise a
false alarm (costing one more reading), never miss a leak. Why:

**Words.** Each listed form (canonical lower-case reading, separators collapsed) is cut at
its spaces; a one-word form is kept whole and a form of several words gives its longest word
(:func:`filter_words`). If a form occurs as a whole word (neighbours not letters, digits or
``_``) in a collapsed text, each of its words occurs in the text as it was, uncollapsed, with
no letter or digit on either side: collapsing changes only separator runs, none of which is
inside a word, and each side of the word is a space (a separator run before collapsing), or
the form's own neighbour, which is the same character in both. So the filter looks for its
words in the uncollapsed texts, a hit counting when neither neighbour is a letter or digit
(``_`` counts as none: more hits, never fewer).

**The text between tags joined without spaces.** (A name split by markup, "Mar<b>gery</b>",
is whole there.) It is the text joined with a space at every tag ("seam") but for those
spaces. A word occurring there with no seam inside it occurs in the spaced text too, its
neighbours the same characters or a space. One with a seam inside it has the characters on
both sides of that seam, which are then characters of a word (``alphabet``). So only
the joined text around such *hard seams* can hold a word the spaced text does not: a word
has at most ``L`` characters (the longest word), no separator inside, and one character or
more on each side of the seam, so it and its neighbours lie within ``L + 1`` characters of
the joined text on either side (:meth:`WordFilter.glued_windows`). Cutting a window can only
make a false alarm (a word cut short at the window's edge looks whole).

Seams are found in C: the gaps joined by NUL, encoded as ASCII (a non-ASCII character becomes
one ``?``, so offsets are kept), each byte mapped by one table to ``a`` (a character of a
word), NUL, or ``-``; then one bytes expression. That needs the words' characters to be ASCII
other than ``?``, and no NUL in the text; otherwise the whole joined text is read.

**Without splitting the text at its tags** (:meth:`WordFilter.seam_windows`, what the gate uses:
the split costs more than the search). The text as it is holds each tag with the same characters
inside it and a bracket beside it, and the text between tags with a bracket where the spaced
text has a space: a bracket, like a space, is no letter or digit. So when no word holds ``<`` or
``>``, a word found as a whole word in the tags or in the spaced text is found as one in the
text as it is, which the filter reads instead of both. The hard seams are found in the text as
it is: a character of a word, one tag or more with nothing between them, a character of a word
(``_HARD_SEAM`` over the text's UTF-8 mapped as above, each byte of a character outside ASCII to
``-``, ``<`` and ``>`` kept); a tag is what ``_TAG`` finds, ``<`` with no bracket before the
next ``>``, which can be told from the ``<`` alone. The window around a seam is a stretch of the
text whose edges are not inside a tag, with its tags removed: the text between tags there,
joined. Seams close together share one window from ``L + 1`` bytes before the first to ``L + 1``
after the last: it holds the text between them whole, so each seam has at least as much on each
side. The windows are cut from the UTF-8 at edges of characters: ``L + 1`` bytes on a side hold
the part of a word there, at most ``L - 1`` ASCII characters, and the character beside it.

Words are searched in the UTF-8 bytes of a text (``ahocorasick_rs``, a DFA up to
:data:`MAX_DFA_WORDS` words; a word of valid characters starts and ends at a character's edge),
and the neighbours of a hit decoded.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import ahocorasick_rs

from build_site.deidentify.matching import char_after, char_before

_SEAM = re.compile(rb"a(\x00+)(?=a)")
_MARK = "\x00"
# a character of a word, tags with nothing between them, a character of a word (bytes mapped
# by WordFilter.seam_table); the literal "a<" first lets the expression skip ahead in C
_HARD_SEAM = re.compile(rb"a<[^<>]*>(?:<[^<>]*>)*(?=a)")
SEAMS_APART = 1024
"""Seams at most this many characters apart share one window (it holds all between them):
searching those characters costs less than finding another window's edges."""
_TAG_BYTES = re.compile(rb"<[^<>]*>")
_BRACKET_BYTES = re.compile(rb"[<>]")
MAX_DFA_WORDS = 20_000
"""Up to this many words the automaton is a DFA: a table look-up per byte, 2.7 times as
fast over a site as the library's default (a contiguous NFA) with 1,253 words; it takes more
memory (47 MB for 20,000 random words of 3 to 20 letters, 181 MB for 100,000), so a longer
list keeps the default. The matches are the same (every occurrence of every word)."""


def filter_words(forms: Iterable[str]) -> set[str]:
    """The words :class:`WordFilter` looks for (``forms``: canonical lower-case readings,
    single spaces): each one-word form, and one word of each form of several words. Any word
    of a form finds it; the one chosen is looked for the least in vain: a word that is a
    one-word form already ("brennwick" of "brennwick family practice"), else the longest
    word that is not ordinary English (:func:`~build_site.deidentify.lexicon.is_english`),
    else the longest."""
    from build_site.deidentify.lexicon import is_english

    forms = [form for form in forms if form.strip()]
    words = {form for form in forms if " " not in form}
    for form in forms:
        parts = [part for part in form.split(" ") if part]
        if len(parts) > 1 and not words.intersection(parts):
            words.add(max(parts, key=lambda part: (not is_english(part), len(part))))
    return words


class WordFilter:
    """Whether texts may hold a listed form (module docstring).

    Args:
        forms: the listed forms (:attr:`build_site.deidentify.Matcher.forms`).
    """

    def __init__(self, forms: Iterable[str]) -> None:
        words = filter_words(forms)
        self.longest = max(map(len, words), default=0)
        self.automaton: ahocorasick_rs.BytesAhoCorasick | None = None
        if words:
            self.automaton = ahocorasick_rs.BytesAhoCorasick(
                [word.encode("utf-8", "surrogatepass") for word in sorted(words)],
                implementation=ahocorasick_rs.Implementation.DFA
                if len(words) <= MAX_DFA_WORDS else None)
        alphabet = set("".join(words))
        self.table: bytes | None = None  # None: seams are not found in bytes
        self.seam_table: bytes | None = None  # None: not in the text as it is either
        if all(c.isascii() and c not in "?\x00" for c in alphabet):
            table = bytearray(b"-" * 256)
            table[0] = 0
            for char in alphabet:
                table[ord(char)] = ord("a")
            self.table = bytes(table)
            if not alphabet & set("<>"):
                table[0] = ord("-")
                table[ord("<")], table[ord(">")] = ord("<"), ord(">")
                self.seam_table = bytes(table)

    def clears(self, texts: Iterable[str | bytes]) -> bool:
        """Whether no text of ``texts`` (a text, or its UTF-8 with surrogates passed through)
        holds a word with no letter or digit beside it (so no collapsed reading of them holds
        a listed form)."""
        if self.automaton is None:
            return True
        for text in texts:
            data = text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")
            for _, start, end in self.automaton.find_matches_as_indexes(data, overlapping=True):
                if not char_before(data, start).isalnum() and not char_after(
                        data, end).isalnum():
                    return False
        return True

    def seam_windows(self, read: str | bytes) -> str | bytes:
        """What the filter needs of the text between the tags of ``read`` joined without
        spaces, found in ``read`` as it is: the text between tags around each hard seam, one
        window a line (module docstring); seams close together (:data:`SEAMS_APART` bytes)
        share a window, which holds the text between them too. ``read`` is a text or its
        UTF-8 (surrogates passed through); the windows are returned as the same.

        Found in the UTF-8 bytes: each byte of a character outside ASCII maps to ``-`` as
        the character would (no word holds one), tags are what ``_TAG`` finds in the text
        (brackets are ASCII, and no byte of a longer character is), and each window's edges
        are edges of characters (continuation bytes belong to the character before them):
        ``L + 1`` bytes or more of text between tags on each side of a seam hold the part
        of a word of ``L`` ASCII characters that lies there.

        Raises:
            ValueError: the seams cannot be found in bytes (``seam_table`` is None).
        """
        if self.seam_table is None:
            raise ValueError("the words hold a character that is not plain ASCII, or a bracket")
        if isinstance(read, str):
            return self._windows(read.encode("utf-8", "surrogatepass"), self.seam_table).decode(
                "utf-8", "surrogatepass")
        return self._windows(read, self.seam_table)

    def _windows(self, read: bytes, table: bytes) -> bytes:
        """:meth:`seam_windows` of UTF-8 ``read``, its bytes mapped by ``table``."""
        marks = read.translate(table)
        spans: list[list[int]] = []  # the first seam's start and the last one's end
        for seam in _HARD_SEAM.finditer(marks):
            start, end = seam.start() + 1, seam.end()
            if spans and start - spans[-1][1] <= SEAMS_APART:  # one window for both
                spans[-1][1] = end
            else:
                spans.append([start, end])
        return b"\n".join(_TAG_BYTES.sub(b"", read[self._edge_before(read, start):
                                                   self._edge_after(read, end)])
                          for start, end in spans)

    def _edge_before(self, data: bytes, seam: int) -> int:
        """The start of a window that ends at ``seam``: an edge of a character, not inside a
        tag, with ``L + 1`` bytes of text between tags or more before ``seam``, or the
        text's start."""
        need = self.longest + 1
        width = 4 * need
        while True:
            edge = _outside_tag(data, _char_start(data, max(0, seam - width)), before=True)
            if edge == 0 or len(_TAG_BYTES.sub(b"", data[edge:seam])) >= need:
                return edge
            width *= 2

    def _edge_after(self, data: bytes, seam: int) -> int:
        """The end of a window that starts at ``seam``, as :meth:`_edge_before`."""
        need = self.longest + 1
        width = 4 * need
        while True:
            edge = _outside_tag(data, _char_start(data, min(len(data), seam + width)),
                                before=False)
            if edge == len(data) or len(_TAG_BYTES.sub(b"", data[seam:edge])) >= need:
                return edge
            width *= 2

    def glued_windows(self, gaps: list[str]) -> str:
        """What the filter needs of ``"".join(gaps)`` (the text between tags, ``gaps``,
        joined without spaces): the text around each hard seam, one window a line, or all
        of it when seams cannot be found in bytes (module docstring)."""
        joined = _MARK.join(gaps)
        if self.table is None or joined.count(_MARK) != len(gaps) - 1:
            return "".join(gaps)
        marks = joined.encode("ascii", "replace").translate(self.table)
        spans: list[list[int]] = []
        for seam in _SEAM.finditer(marks):
            start, end = seam.start(1), seam.end(1)
            if spans and start < spans[-1][1]:  # within the last window: extend it
                spans[-1][1] = self._reach(joined, end, 1)
            else:
                spans.append([self._reach(joined, start, -1), self._reach(joined, end, 1)])
        return "\n".join(joined[a:b].replace(_MARK, "") for a, b in spans)

    def _reach(self, joined: str, seam: int, way: int) -> int:
        """The edge of a window on one side of a seam (``way`` -1: before ``seam``, 1: from
        ``seam`` on): ``L + 1`` characters of the joined text (NUL marks not counted), or the
        text's own edge."""
        need = width = self.longest + 1
        while True:
            if way < 0:
                edge = max(0, seam - width)
                if edge == 0 or width - joined.count(_MARK, edge, seam) >= need:
                    return edge
            else:
                edge = min(len(joined), seam + width)
                if edge == len(joined) or width - joined.count(_MARK, seam, edge) >= need:
                    return edge
            width *= 2


def _char_start(data: bytes, pos: int) -> int:
    """``pos``, or when it falls inside a character of UTF-8 ``data`` (on a continuation
    byte), that character's first byte."""
    while 0 < pos < len(data) and 0x80 <= data[pos] < 0xC0:
        pos -= 1
    return pos


def _outside_tag(data: bytes, pos: int, before: bool) -> int:
    """``pos``, or when it falls inside a tag of ``data`` (as ``_TAG`` finds them: a ``<``
    whose next bracket is ``>``), that tag's start (``before``) or end."""
    opening = data.rfind(b"<", 0, pos)
    if opening < 0 or data.find(b">", opening, pos) >= 0:
        return pos  # no "<" before, or the last one is closed before pos (or is no tag)
    following = _BRACKET_BYTES.search(data, pos)
    if following is None or following.group() == b"<":
        return pos  # that "<" is no tag: text between tags
    return opening if before else following.end()
