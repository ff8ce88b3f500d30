"""Matching listed identifiers in text, robust to the forms real documents take.

One rule serves both replacement (before rendering) and the leak gate (after building), so the
two can never disagree. Text is compared in its canonical reading
(:mod:`build_site.deidentify.reading`: compatibility forms, invisible characters, diacritics
and look-alike letters read as a person reads them). A listed form matches:

- in any letter case (unless the entry is ``case_sensitive``, or a name that is also an
  ordinary word such as Hope or Grace: then only where written with a capital, "Hope", "HOPE"
  or "hoPe", never as the ordinary word "hope");
- written with fullwidth, mathematical or ligature letters, look-alike letters of another
  script (Cyrillic "а"), invisible characters inside it, with or without diacritics;
- with any run of white space, or Markdown emphasis marks, between its words (a name broken
  across a line, ``*Ana* Reyes``);
- with straight or curly apostrophes, and followed by a possessive;
- as whole words only (``Ann`` does not match inside ``Annual``).

Replacement splices into the original text through the reading's offset map: everything
outside a replaced span is published exactly as written.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

import ahocorasick_rs

from build_site.deidentify.reading import (
    glue_as_space,
    original_span,
    reading,
    reading_with_map,
)
from build_site.study import Identifier

_SEPARATOR = r"[\s*_]+"
_APOSTROPHES = "'\u2019\u02bc"


def _fold_char(char: str, lower: bool) -> str:
    base = unicodedata.normalize("NFD", char)[0] if len(char) == 1 else char
    if base in _APOSTROPHES:
        base = "'"
    if lower:
        low = base.lower()
        base = low if len(low) == 1 else base
    return base


class _FoldTable(dict[int, str]):
    """``str.translate`` table that folds each character the first time it is met."""

    def __init__(self, lower: bool) -> None:
        super().__init__()
        self.lower = lower

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold_char(chr(code), self.lower)
        return folded


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_TABLES = {True: _FoldTable(lower=True), False: _FoldTable(lower=False)}


def fold(text: str, lower: bool = True) -> str:
    """Fold ``text`` character by character: diacritics removed, apostrophes unified, and
    lower-cased when ``lower``. The result has exactly the length of the NFC form of ``text``.

    ASCII text is already NFC and has nothing to fold but letter case, so it takes a fast path.
    """
    if text.isascii():
        return text.lower() if lower else text
    text = unicodedata.normalize("NFC", text)
    table = _TABLES[lower]
    # Mostly-ASCII text (a page with a few curly quotes) would pay a table look-up per
    # character in translate(): only the non-ASCII runs are translated. Every folded
    # non-ASCII character is its own lower case (a test checks each code point), so the
    # ASCII letters can then be lower-cased in one pass without changing any other.
    folded = _NON_ASCII.sub(lambda run: run.group(0).translate(table), text)
    return folded.lower() if lower else folded


def is_ordinary_word(form: str) -> bool:
    """Whether a listed form is also an ordinary English word (Hope, Grace, Will, May).

    Such a form is matched only as written (capitalised) or in capitals, so the model's
    vocabulary ("hope") survives and "Hope", "HOPE" are still replaced. The same rule binds the
    leak gate. Multi-word forms are never ordinary words.
    """
    if " " in form.strip() or not form[:1].isupper():
        return False
    from build_site.deidentify.lexicon import is_english

    return is_english(fold(form))


def _collapse(text: str) -> str:
    """``text`` with every run of separators (white space, ``*``, ``_``) as one space, and
    none at either end: ``re.sub(_SEPARATOR, " ", text).strip(" ")``, several times faster
    (``str.split`` and ``\\s`` agree on what white space is)."""
    return " ".join(text.replace("*", " ").replace("_", " ").split())


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def char_before(data: bytes, start: int) -> str:
    """The character of UTF-8 ``data`` (lone surrogates passed through) that ends at byte
    ``start``, an edge of a character; a space at the start. A hit of an Aho-Corasick search
    in bytes is judged by its neighbours (a pattern of whole characters starts and ends at
    an edge of a character: a continuation byte never starts one)."""
    first = start - 1
    while first > 0 and 0x80 <= data[first] < 0xC0:  # continuation bytes
        first -= 1
    return data[first:start].decode("utf-8", "surrogatepass") if first >= 0 else " "


def char_after(data: bytes, end: int) -> str:
    """The character of UTF-8 ``data`` that starts at byte ``end``; a space at the end."""
    last = end + 1
    while last < len(data) and 0x80 <= data[last] < 0xC0:
        last += 1
    return data[end:last].decode("utf-8", "surrogatepass") if end < len(data) else " "


@lru_cache(maxsize=65536)
def _canonical(form: str, lower: bool) -> str:
    """``form`` read as the matcher compares it (:func:`.reading.reading`, separators as one
    space). Kept per process for the build: a study names the same few thousand identifiers
    in many places (44,000 matches of 4,000 forms at 1,000 dyads), and the result depends on
    nothing but the arguments."""
    return _SEPARATOR_RUN.sub(" ", reading(form, lower)).strip()


_SEPARATOR_RUN = re.compile(_SEPARATOR)


def _pattern(forms: Iterable[str], flags: int = 0) -> re.Pattern[str] | None:
    parts = []
    for form in sorted(set(forms), key=lambda f: (-len(f), f)):
        words = form.split(" ")
        parts.append(_SEPARATOR.join(re.escape(w) for w in words if w))
    if not parts:
        return None
    return _compiled(r"(?<![\w])(?:" + "|".join(parts) + r")(?![\w])", flags)


@lru_cache(maxsize=4096)
def _compiled(source: str, flags: int) -> re.Pattern[str]:
    """``re.compile(source, flags)``, kept for every :class:`Matcher` of the build (``re``'s
    own cache holds 512). A compiled pattern depends on nothing but its source and flags."""
    return re.compile(source, flags)


@lru_cache(maxsize=16384)
def _form_pattern(form: str, flags: int) -> re.Pattern[str]:
    """The expression of one form (a canonical reading: words joined by single spaces) as
    :func:`_pattern` writes it in its alternation, without the look-behind in front: the
    word before is checked by :func:`_search`, so that ``re`` can look for the form's first
    letters as a literal (a look-behind in front keeps it trying every position). Kept for
    every :class:`Matcher` of the build, as :func:`_compiled`."""
    body = _SEPARATOR.join(re.escape(w) for w in form.split(" ") if w)
    return re.compile(body + r"(?![\w])", flags)


def _search(pattern: re.Pattern[str], text: str, pos: int) -> re.Match[str] | None:
    """The first match of ``pattern`` (a :func:`_form_pattern`) in ``text`` from ``pos`` on
    that does not follow a word character: what ``(?<![\\w])`` in front of it would find
    (``re``'s ``\\w`` is :func:`_is_word`, a test checks every code point)."""
    while (m := pattern.search(text, pos)) is not None:
        start = m.start()
        if start == 0 or not _is_word(text[start - 1]):
            return m
        pos = start + 1
    return None


def _ordered(forms: Iterable[str], flags: int) -> list[re.Pattern[str]]:
    """The expressions of ``forms`` in :func:`_pattern`'s order of alternatives (longest
    first, then alphabetical)."""
    return [_form_pattern(form, flags) for form in sorted(set(forms), key=lambda f: (-len(f), f))]


def _leftmost(text: str, patterns: list[re.Pattern[str]]) -> list[re.Match[str]]:
    """The matches ``_pattern(forms).finditer(text)`` gives, where ``patterns`` are
    ``_ordered(forms)``: from the start, the leftmost match of any form, the first form in
    order where several start at one place, then on from its end.

    That is what ``re`` does with the alternation, which tries the alternatives in order at
    each position. A form matches at a given position in one way only (a run of separators
    is followed by a letter that is none), so its next match is its own search from there.
    Compiling one alternation per set of entries present (about 3,000 at 1,000 dyads, each
    used by a few texts) cost more than the matching; each form is compiled once instead.
    """
    following = [_search(p, text, 0) for p in patterns]
    found: list[re.Match[str]] = []
    pos = 0
    while True:
        best: re.Match[str] | None = None
        for i, m in enumerate(following):
            if m is not None and m.start() < pos:  # overlapped by the last match: look on
                m = following[i] = _search(patterns[i], text, pos)
            if m is not None and (best is None or m.start() < best.start()):
                best = m
        if best is None:
            return found
        found.append(best)
        pos = best.end()


def _as_a_name(match: str) -> bool:
    """Whether an occurrence of a case-sensitive form is written as a name: any capital in
    it ("Hope", "HOPE", "hoPe"), not all in lower case as the ordinary word is."""
    return not match.islower()


@dataclass(frozen=True)
class Hit:
    """One match: ``start``/``end`` are offsets into the text as given (invisible characters
    inside the name included); ``identifier`` the entry."""

    start: int
    end: int
    identifier: Identifier


class Matcher:
    """Finds and replaces every form of every listed identifier.

    Args:
        identifiers: the study's private identifier list.
    """

    def __init__(self, identifiers: Iterable[Identifier]) -> None:
        self.identifiers = list(identifiers)
        # Every form in its lower-case reading; "sensitive" forms (ordinary words, or entries
        # marked case_sensitive) match only where written with a capital (_as_a_name).
        self._by_form: dict[tuple[bool, str], Identifier] = {}
        for ident in self.identifiers:
            for form in ident.forms():
                sensitive = ident.case_sensitive or is_ordinary_word(form)
                self._by_form.setdefault((sensitive, _canonical(form, True)), ident)
        # Each entry's own forms (those _by_form gives it), for the patterns of a few entries
        # without reading the whole list (that was entries x texts).
        self._forms_of: dict[int, list[tuple[bool, str]]] = {}
        for key, ident in self._by_form.items():
            self._forms_of.setdefault(id(ident), []).append(key)
        self._subsets: dict[frozenset[int], tuple[list[re.Pattern[str]],
                                                  list[re.Pattern[str]]]] = {}
        # One pattern per form: (its entry, whether it is case-sensitive, the form).
        patterns: dict[str, tuple[Identifier, bool, str]] = {}
        for (sensitive, form), ident in self._by_form.items():
            # A form listed both ways is matched in any case, for the entry that is; an empty
            # form (separators alone) matches nowhere.
            if not form or (sensitive and form in patterns):
                continue
            patterns[form] = (ident, sensitive, form)
        self._patterns = list(patterns.values())
        self._automaton: ahocorasick_rs.BytesAhoCorasick | None = None
        if patterns:  # in UTF-8 (lone surrogates passed through, as a text may hold them)
            self._automaton = ahocorasick_rs.BytesAhoCorasick(
                [form.encode("utf-8", "surrogatepass") for form in patterns])
        self._sensitive_patterns: dict[str, re.Pattern[str] | None] = {}
        # Whether a listed form, in its canonical reading, holds "<" or ">" (the leak gate
        # then reads markup as it is; see privacy/gate.py, _folded_variants).
        self.forms_hold_brackets = any("<" in f or ">" in f for _, f in self._by_form)
        # Every form in its lower-case reading, separators collapsed (the leak gate's seams).
        self.forms = frozenset(f for _, f in self._by_form)

    def contains(self, text: str,
                 variants: Callable[[str], Iterable[str]] | None = None) -> list[Identifier]:
        """The identifiers that occur anywhere in ``text`` (same rule as :meth:`find`).

        Faster than :meth:`find` for large texts (one Aho-Corasick pass over the lower-case
        reading); positions are not reported because separators are collapsed first. A
        case-sensitive form found there is then looked for in the reading that keeps case,
        written as a name. ``variants``, when given, turns a reading of ``text`` into several
        texts to search (the leak gate's markup removed), so the text is read once. A
        character that is no letter but reads as one is read both ways, as in :meth:`find`.
        """
        found = self._contains(text, variants)
        spaced = glue_as_space(text)
        if spaced != text:
            seen = {id(i) for i in found}
            found += [i for i in self._contains(spaced, variants) if id(i) not in seen]
        return found

    def _contains(self, text: str, variants: Callable[[str], Iterable[str]] | None
                  ) -> list[Identifier]:
        """:meth:`contains` for ``text`` read one way (see :meth:`find`)."""
        if self._automaton is None:
            return []

        def search(read: str) -> Iterable[str]:
            return variants(read) if variants else (read,)

        found, unsure = self.scan(search(reading(text, lower=True)))
        return self.settle(text, found, unsure, search)

    def scan(self, folded_variants: Iterable[str]
             ) -> tuple[dict[int, Identifier], dict[str, Identifier]]:
        """The first step of :meth:`contains`: one Aho-Corasick pass over each text of
        ``folded_variants`` (lower-case readings) with separators collapsed.

        Returns:
            The entries found (by ``id``), and the case-sensitive forms found as whole words
            (form -> entry), which :meth:`settle` looks for written as a name.
        """
        found: dict[int, Identifier] = {}
        unsure: dict[str, Identifier] = {}
        if self._automaton is None:
            return found, unsure
        for variant in folded_variants:
            folded = _collapse(variant).encode("utf-8", "surrogatepass")
            for index, start, end in self._automaton.find_matches_as_indexes(
                    folded, overlapping=True):
                ident, sensitive, form = self._patterns[index]
                if not _is_word(char_before(folded, start)) and not _is_word(
                        char_after(folded, end)):
                    if sensitive:
                        unsure[form] = ident
                    else:
                        found[id(ident)] = ident
        return found, unsure

    def settle(self, text: str, found: dict[int, Identifier], unsure: dict[str, Identifier],
               search: Callable[[str], Iterable[str]]) -> list[Identifier]:
        """The second step of :meth:`contains`: ``found`` (updated) with the entries of the
        ``unsure`` forms not found yet that occur written as a name in a text of
        ``search(reading(text, lower=False))``."""
        unsure = {f: i for f, i in unsure.items() if id(i) not in found}
        if unsure:
            kept = list(search(reading(text, lower=False)))
            for form, ident in unsure.items():
                pattern = self._sensitive_pattern(form)
                if pattern and any(_as_a_name(m.group(0)) for variant in kept
                                   for m in pattern.finditer(variant)):
                    found[id(ident)] = ident
        return list(found.values())

    def _sensitive_pattern(self, form: str) -> re.Pattern[str] | None:
        if form not in self._sensitive_patterns:
            self._sensitive_patterns[form] = _pattern([form], re.IGNORECASE)
        return self._sensitive_patterns[form]

    def _patterns_for(self, present: list[Identifier]
                      ) -> tuple[list[re.Pattern[str]], list[re.Pattern[str]]]:
        """The (case-insensitive, case-sensitive) expressions of the forms of ``present``
        only, in :func:`_leftmost`'s order (:func:`_ordered`)."""
        key = frozenset(id(i) for i in present)
        if key not in self._subsets:
            if len(self._subsets) > 4096:
                self._subsets.clear()
            forms = [form for i in key for form in self._forms_of.get(i, [])]
            self._subsets[key] = (_ordered((f for s, f in forms if not s), 0),
                                  _ordered((f for s, f in forms if s), re.IGNORECASE))
        return self._subsets[key]

    def find(self, text: str) -> list[Hit]:
        """Return every non-overlapping hit in ``text``, in order (longest form wins); offsets
        are into ``text`` as given (see :meth:`replace`).

        The regular expressions of every form cost time per character in proportion to the
        list, so :meth:`contains` (one Aho-Corasick pass) first names the identifiers present,
        and only their forms are matched. That is exact: a form the expressions match is
        always one ``contains`` reports (separators it collapses are a superset of theirs),
        and forms that match nowhere cannot change which form matches first anywhere.

        A character that is no letter but reads as one ("|", "—", "¹") is read both ways
        (:func:`~build_site.deidentify.reading.glue_as_space`): as the letter, so "A|cott"
        is the name Alcott, and as a space, so "Alcott—she" holds it as a whole word.
        """
        spaced = glue_as_space(text)
        hits = self._hits(text)
        if spaced != text:
            hits += self._hits(spaced)  # the same length: its offsets are ``text``'s
        hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
        kept: list[Hit] = []
        for hit in hits:
            if not kept or hit.start >= kept[-1].end:
                kept.append(hit)
        return kept

    def _hits(self, text: str) -> list[Hit]:
        """Every hit of every form in ``text``, overlapping ones included (see :meth:`find`)."""
        present = self._contains(text, None)
        if not present:
            return []
        insensitive, sensitive_patterns = self._patterns_for(present)
        hits: list[Hit] = []
        for sensitive, patterns in ((False, insensitive), (True, sensitive_patterns)):
            if not patterns:
                continue
            read, offsets = reading_with_map(text, lower=not sensitive)
            for m in _leftmost(read, patterns):
                if sensitive and not _as_a_name(m.group(0)):
                    continue
                key = (sensitive, _canonical(m.group(0), True))
                ident = self._by_form.get(key)
                if ident is not None:
                    hits.append(Hit(*original_span(offsets, m.start(), m.end()), ident))
        return hits

    def replace(self, text: str) -> str:
        """Return ``text`` with every hit replaced by its entry's replacement; every character
        outside a hit is kept as written."""
        out: list[str] = []
        pos = 0
        for hit in self.find(text):
            out.append(text[pos : hit.start])
            out.append(hit.identifier.replacement)
            pos = hit.end
        out.append(text[pos:])
        return "".join(out)
