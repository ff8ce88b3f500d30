"""A piece of text every match of a detector's expression holds, so a text without it is not
searched with that expression at all.

The e-mail detectors read every text with an expression that starts with ``[\\w.+-]+``: no
first character can be tested ahead (:mod:`.first_chars`), so ``re`` tries it at every
position, yet no match can be made where the text lacks "@" (or, for an address spelled out,
"dot"). :func:`required_text` reads such a piece from ``re``'s own parse of the expression
(``re._parser``, as :mod:`.first_chars` does): a run of literal characters that every match
holds, met outside any optional or repeated-from-zero item, alternative or scoped flag it
cannot follow; the piece common to every alternative of an alternation (each alternative's
longest piece, when the shortest of those is inside all the others). Anything not understood
gives None, and the expression is searched in every text as before.

Under IGNORECASE the piece is given lower-cased, and only when each of its characters is one
whose case-insensitive matches all lower-case to it (ASCII letters but i and s, which ``re``
also matches with "ı", "İ" and "ſ", and k, matched with "K"; digits; ASCII punctuation): then
every match holds the piece in ``text.lower()``. ``tests/deidentify/test_required.py`` checks
that alphabet at every code point, that every match of each detector expression with a piece
holds it, that the detections are the same without the pieces, and random expressions.

:func:`required_any` reads a set of pieces one of which every match holds, for expressions
with no common piece: an alternation of fixed texts ("Fort|Port|Mount|Mt\\.|Lake"), or of
alternatives each with a piece of its own (the city nicknames' "Big Apple", ..., "Motown").
The detectors find any of them with one expression (:func:`any_search`) and search a text with
the detector's expression only where it finds one (``tests/deidentify/test_required_any.py``:
every match holds one of its pieces, the same detections with the pieces off).
"""

from __future__ import annotations

import re
import string
from collections.abc import Set as AbstractSet
from typing import Any

# Characters whose case-insensitive matches (under ``re``) all lower-case to the character's
# own lower case (checked at every code point by the tests).
CASELESS_SAFE = frozenset(string.digits + string.punctuation + " ") | frozenset(
    c for c in string.ascii_letters if c.lower() not in "iks")


def required_text(pattern: re.Pattern[str]) -> str | None:
    """A piece of text every match of ``pattern`` holds (lower-cased when the pattern ignores
    case; see the module's docstring), or None when none can be read."""
    try:
        from re import _constants, _parser  # type: ignore[attr-defined]

        pieces = _pieces(_parser.parse(pattern.pattern, pattern.flags), _constants,
                         pattern.flags)
    except Exception:  # any surprise in a private module: search every text
        return None
    if pattern.flags & re.IGNORECASE:
        pieces = [p.lower() for p in pieces if all(ch in CASELESS_SAFE for ch in p)]
    return max(pieces, key=len) if pieces else None




def _pieces(items: Any, c: Any, flags: int) -> list[str]:
    """Literal runs every match of the parsed sequence ``items`` holds, each contiguous."""
    pieces: list[str] = []
    run: list[str] = []

    def end_run() -> None:
        if run:
            pieces.append("".join(run))
            run.clear()

    for op, av in items:
        if op is c.LITERAL:
            run.append(chr(av))
            continue
        end_run()
        if op is c.SUBPATTERN:
            _group, add_flags, del_flags, body = av
            if not (add_flags & ~flags) and not (del_flags & flags):
                pieces += _pieces(body, c, flags)
        elif op is c.BRANCH:
            pieces += _common(av[1], c, flags)
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT) and av[0] >= 1:
            pieces += _pieces(av[2], c, flags)
    end_run()
    return pieces


def _common(branches: Any, c: Any, flags: int) -> list[str]:
    """The piece every alternative holds: each alternative's longest piece, when the shortest
    of those is inside every other; none otherwise."""
    longest = []
    for branch in branches:
        found = _pieces(branch, c, flags)
        if not found:
            return []
        longest.append(max(found, key=len))
    shortest = min(longest, key=len)
    return [shortest] if all(shortest in piece for piece in longest) else []


def required_any(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Pieces of text one of which every match of ``pattern`` holds (lower-cased when the
    pattern ignores case, under the rule of :func:`required_text`), or None when none can be
    read.

    Where :func:`required_text` needs one piece common to every alternative, this takes an
    alternation whose alternatives are each a fixed text ("Fort|Port|Mount|Mt\\.|Lake"), or
    each hold a piece of their own: the city nicknames' ``the (?:Big Apple|Windy City|...)|
    (?:Motown|T-Dot|...)`` give "Big Apple", ..., "Motown", "T-Dot". Of the sets read, the one
    kept is the one whose pieces all start with a character other than a lower-case letter or
    a space (a capital, a digit, punctuation: rare, so a search for them is fast and seldom
    succeeds), then whose shortest piece is longest (up to four characters), then the one with
    fewest pieces. A set holding the empty text is never kept.
    """
    try:
        from re import _constants, _parser  # type: ignore[attr-defined]

        sets = _choices(_parser.parse(pattern.pattern, pattern.flags), _constants,
                        pattern.flags)
    except Exception:  # any surprise in a private module: search every text
        return None
    if pattern.flags & re.IGNORECASE:
        sets = [frozenset(p.lower() for p in s) for s in sets
                if all(ch in CASELESS_SAFE for p in s for ch in p)]
    sets = [s for s in sets if s and "" not in s]
    return max(sets, key=_rank) if sets else None


def any_search(pieces: frozenset[str]) -> re.Pattern[str]:
    """An expression that finds any of ``pieces`` (literally; longest first, sorted, so the
    same pieces give the same expression)."""
    return re.compile("|".join(re.escape(p) for p in sorted(pieces, key=lambda p: (-len(p), p))))


def _rank(pieces: AbstractSet[str]) -> tuple[bool, int, int]:
    rare = all(not (p[0].islower() or p[0].isspace()) for p in pieces)
    return rare, min(4, min(map(len, pieces))), -len(pieces)


_MAX_FORMS = 64  # fixed texts an alternation may stand for, at most


def _exact(items: Any, c: Any, flags: int) -> set[str] | None:
    """Every text the parsed sequence ``items`` matches, when it matches only a few fixed
    texts (literals, alternations of them, groups without flags); None otherwise."""
    forms = {""}
    for op, av in items:
        if op is c.LITERAL:
            found: set[str] | None = {chr(av)}
        elif op is c.BRANCH:
            found = set()
            for branch in av[1]:
                each = _exact(branch, c, flags)
                if each is None:
                    return None
                found |= each
        elif op is c.SUBPATTERN:
            _group, add_flags, del_flags, body = av
            found = (_exact(body, c, flags)
                     if not (add_flags & ~flags) and not (del_flags & flags) else None)
        else:
            return None
        if found is None or len(forms) * len(found) > _MAX_FORMS:
            return None
        forms = {a + b for a in forms for b in found}
    return forms


def _choices(items: Any, c: Any, flags: int) -> list[frozenset[str]]:
    """Sets of pieces, one piece of each set held by every match of the parsed sequence
    ``items``: each literal run; each alternation (its fixed texts, or one set of each
    alternative, joined); what a group without flags or a repeat from one holds."""
    sets: list[frozenset[str]] = []
    run: list[str] = []

    def end_run() -> None:
        if run:
            sets.append(frozenset({"".join(run)}))
            run.clear()

    for op, av in items:
        if op is c.LITERAL:
            run.append(chr(av))
            continue
        end_run()
        if op is c.SUBPATTERN:
            _group, add_flags, del_flags, body = av
            if not (add_flags & ~flags) and not (del_flags & flags):
                sets += _choices(body, c, flags)
        elif op is c.BRANCH:
            whole = _exact([(op, av)], c, flags)
            if whole is not None:
                sets.append(frozenset(whole))
                continue
            joined: set[str] = set()
            for branch in av[1]:
                found = [s for s in _choices(branch, c, flags) if "" not in s]
                if not found:
                    joined = set()
                    break
                joined |= max(found, key=_rank)
            if joined:
                sets.append(frozenset(joined))
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT) and av[0] >= 1:
            sets += _choices(av[2], c, flags)
    end_run()
    return sets
