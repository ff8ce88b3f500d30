"""A case-insensitive expression searched in an ASCII text as a case-sensitive one over the
text lower-cased (issue 25, checks3).

``re`` matches a literal under ``re.IGNORECASE`` by folding both sides, character by
character, at every position it tries; a case-sensitive expression over ``text.lower()`` does
one comparison. For an ASCII text and an expression whose every literal, set member and range
is free of upper-case letters (nothing else in it depends on case: ``\\b``, ``\\w``, ``\\d``,
``\\s`` and their negations, look-arounds and repeats hold the same in both readings of ASCII),
each item of the expression matches a character of the text under ``re.I`` exactly when it
matches the lower-cased character without it, so ``re`` goes through the same steps and finds
the same matches at the same places (``lower()`` changes no length in ASCII). The matched text
is taken from the text as written. Anything else (a text outside ASCII, an expression with an
upper-case literal, a scoped flag, a flag other than ``re.I``, an item this reader does not
know) is searched as it is. The expression is read from ``re``'s own parse (``re._parser``, as
:mod:`build_site.deidentify.first_chars` reads it). ``tests/privacy/test_lowered.py`` checks
both readings on random ASCII texts for each expression given here and for random ones.
"""

from __future__ import annotations

import re
from typing import Any

_UPPER = range(ord("A"), ord("Z") + 1)


class Lowered:
    """``pattern`` (compiled with ``re.I``), searched as its case-sensitive twin over the
    lower-cased text when the text is ASCII and the twin can be made
    (:func:`lowered_twin`)."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.twin = lowered_twin(pattern)

    def search(self, text: str) -> str | None:
        """The text of ``pattern``'s first match in ``text`` as written, or None."""
        if self.twin is not None and text.isascii():
            found = self.twin.search(text.lower())
            return text[found.start():found.end()] if found else None
        match = self.pattern.search(text)
        return match.group(0) if match else None

    def spans(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of every match ``pattern.finditer(text)`` gives, in order."""
        if self.twin is not None and text.isascii():
            return [m.span() for m in self.twin.finditer(text.lower())]
        return [m.span() for m in self.pattern.finditer(text)]


def lowered_twin(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """``pattern`` without ``re.I``, when it matches an ASCII text's lower-cased reading
    exactly as ``pattern`` matches the text (see the module's docstring); else None."""
    if not pattern.flags & re.IGNORECASE or pattern.flags & ~(re.IGNORECASE | re.UNICODE):
        return None
    if not pattern.pattern.isascii():
        return None
    try:
        from re import _constants, _parser  # type: ignore[attr-defined]

        free = _case_free(_parser.parse(pattern.pattern, pattern.flags), _constants)
    except Exception:  # any surprise in a private module: no twin
        return None
    return re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE) if free else None


def _case_free(items: Any, c: Any) -> bool:
    """Whether no item of the parsed ``items`` depends on case beyond what lower-casing an
    ASCII text accounts for."""
    for op, av in items:
        if op in (c.LITERAL, c.NOT_LITERAL):
            ok = av < 128 and av not in _UPPER
        elif op is c.IN:
            ok = all(_member_free(member, value, c) for member, value in av)
        elif op in (c.ANY, c.AT, c.GROUPREF):
            ok = True
        elif op is c.BRANCH:
            ok = all(_case_free(branch, c) for branch in av[1])
        elif op is c.SUBPATTERN:
            _, add_flags, del_flags, inner = av
            ok = not add_flags and not del_flags and _case_free(inner, c)
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)):
            ok = _case_free(av[2], c)
        elif op in (c.ASSERT, c.ASSERT_NOT):
            ok = _case_free(av[1], c)
        elif op is getattr(c, "ATOMIC_GROUP", None):
            ok = _case_free(av, c)
        else:
            ok = False
        if not ok:
            return False
    return True


def _member_free(member: Any, value: Any, c: Any) -> bool:
    """Whether one member of a character set is free of case (see :func:`_case_free`)."""
    if member is c.LITERAL:
        return bool(value < 128 and value not in _UPPER)
    if member is c.RANGE:
        low, high = value
        return bool(high < 128 and (high < _UPPER.start or low >= _UPPER.stop))
    return member in (c.NEGATE, c.CATEGORY)
