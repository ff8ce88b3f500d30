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
"""

from __future__ import annotations

import re
import string
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
