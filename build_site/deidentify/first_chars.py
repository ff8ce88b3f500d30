"""A detector's expression with the characters its matches can start with tested first.

Most detector expressions start with ``\\b`` and an alternation (month names, record words), and
``re`` then tries the whole expression at every position of a text: it looks ahead for a
literal or a set of first characters only when the expression starts with one. The same
expression behind a look-ahead of every character a match can start with (``(?=[adfjmnos])``
before the month names) finds exactly the same matches, spans and groups (a look-ahead consumes
nothing and only refuses positions where no match can start), in about half the time at 1,000
dyads (issue 25).

The first characters are read from ``re``'s own parse of the expression (``re._parser``, not a
public interface): anything this reader does not know (a scoped flag other than those of
:data:`_SCOPED_FLAGS`, a first item that may match nothing, a category other than ``\\d``, a
negated set, any character) gives no look-ahead, and the expression is used as it is. Where a
first character is read inside a scoped ``(?i:...)`` that the whole expression lacks (a title
before a name, "my name is"), the whole set is tested case-insensitively (``(?i:[...])``): that
takes every character the literal takes there, and more elsewhere, which a look-ahead allows.
Used by the detectors (:mod:`.detectors`, :mod:`.prose`) and the checks of published text
(:mod:`build_site.privacy.numbers`, :mod:`build_site.privacy.sensitive`,
:mod:`build_site.consent.contrastive`). ``tests/deidentify/test_first_chars.py`` checks that
each of those expressions gives the same matches both ways, that random expressions do, and
that the set takes every code point a first literal matches under the expression's flags.
"""

from __future__ import annotations

import re
from typing import Any


def with_first_chars(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """``pattern`` behind a look-ahead of the characters its matches can start with, or
    ``pattern`` itself when those cannot be read (see the module's docstring)."""
    head = first_char_set(pattern)
    if head is None:
        return pattern
    try:
        return re.compile(f"(?={head})" + pattern.pattern, pattern.flags)
    except re.error:  # e.g. global flags that must open the expression
        return pattern


def first_char_set(pattern: re.Pattern[str]) -> str | None:
    """A character set (``[...]``) holding every character a match of ``pattern`` can start
    with, under its flags, or that set made case-insensitive (``(?i:[...])``) when one of
    those characters is matched under a scoped ``(?i:`` the expression lacks as a whole; None
    when it cannot be read."""
    try:
        from re import _constants, _parser  # type: ignore[attr-defined]

        reader = _Reader(_constants, pattern.flags)
        found = _first(_parser.parse(pattern.pattern, pattern.flags), reader)
    except Exception:  # any surprise in a private module: no look-ahead
        return None
    if not found:
        return None
    members = "[" + "".join(sorted(found)) + "]"
    return f"(?i:{members})" if reader.any_case else members


# Scoped flags a first character may be read under: IGNORECASE (the set is then tested
# case-insensitively), and those that change no literal, set or ``\d`` (MULTILINE and DOTALL
# change ``^``, ``$`` and ``.``, which this reader passes over or refuses; VERBOSE is read by
# the parser; ASCII only narrows what ``\d`` and case-insensitive letters take).
_SCOPED_FLAGS = re.IGNORECASE | re.MULTILINE | re.DOTALL | re.VERBOSE | re.ASCII


class _Reader:
    """``re``'s constants (``c.LITERAL``...), the flags of the whole expression, and whether a
    first character was read under a scoped IGNORECASE the whole expression lacks
    (``any_case``)."""

    def __init__(self, constants: Any, flags: int) -> None:
        self.constants = constants
        self.flags = flags
        self.any_case = False

    def __getattr__(self, name: str) -> Any:
        return getattr(self.constants, name)


def _char(code: int) -> str:
    return f"\\U{code:08x}"


def _first(items: Any, c: Any) -> set[str] | None:
    """The set members of the first characters of a sequence of parsed items: zero-width items
    (``\\b``, ``^``, look-arounds) are passed over, and an item that may be left out
    (``x?``, ``(?:...){0,3}``) adds its own first characters to those of what follows; None
    when the whole sequence may match empty or an item is not understood."""
    members: set[str] = set()
    for op, av in items:
        if op is c.AT or op is c.ASSERT or op is c.ASSERT_NOT:
            continue
        if op in _repeats(c) and av[0] == 0:
            optional = _first(av[2], c)
            if optional is None:
                return None
            members |= optional
            continue
        found = _first_of(op, av, c)
        return None if found is None else members | found
    return None


def _repeats(c: Any) -> tuple[Any, ...]:
    return (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", c.MAX_REPEAT))


def _first_of(op: Any, av: Any, c: Any) -> set[str] | None:
    if op is c.LITERAL:
        return {_char(av)}
    if op is c.IN:
        members: set[str] = set()
        for kind, value in av:
            if kind is c.LITERAL:
                members.add(_char(value))
            elif kind is c.RANGE:
                members.add(f"{_char(value[0])}-{_char(value[1])}")
            elif kind is c.CATEGORY and value is c.CATEGORY_DIGIT:
                members.add("\\d")
            else:  # a negated set, another category
                return None
        return members
    if op is c.SUBPATTERN:
        _group, add_flags, _del_flags, body = av
        # A flag the whole expression lacks: IGNORECASE in "(?i:...)" makes the set be tested
        # case-insensitively (it would take fewer characters under the expression's flags);
        # any other that could change what a first item takes gives no look-ahead. One taken
        # away ("(?-i:") only makes the set take more, which a look-ahead allows.
        added = add_flags & ~c.flags
        if added & ~_SCOPED_FLAGS:
            return None
        found = _first(body, c)
        if found is not None and added & re.IGNORECASE:
            c.any_case = True
        return found
    if op is c.BRANCH:
        union: set[str] = set()
        for branch in av[1]:
            found = _first(branch, c)
            if found is None:
                return None
            union |= found
        return union
    if op in _repeats(c):
        low, _high, body = av
        return _first(body, c) if low >= 1 else None
    if op is getattr(c, "ATOMIC_GROUP", None):
        return _first(av, c)
    return None
