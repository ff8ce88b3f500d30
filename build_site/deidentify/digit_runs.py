"""The run of consecutive digits every match of an expression holds, so a text without such a
run is not searched with it.

Most texts of a study hold no year: at 1,000 synthetic dyads 3 of 6,201 texts hold four digits
in a row, while 4,802 hold a digit, and the expressions of dates with a year, holidays with a
year, ZIP codes, social security and telephone numbers were searched in every text with a
digit. :func:`digit_run` reads from ``re``'s own parse of an expression (``re._parser``, as
:mod:`.first_chars` and :mod:`.required` do) the length of a run of digits every match holds:
a stretch of items that each match digits only (an ASCII digit, a class of digits, ``\\d``),
their shortest lengths added; an alternation of such stretches gives its shortest; anything not
understood gives 0 and the expression is searched in every text as before. Each digit item
matches a subset of what ``\\d`` matches, so a text in which ``\\d{k}`` finds nothing holds no
match (``tests/deidentify/test_digit_runs.py``).
"""

from __future__ import annotations

import re
from typing import Any

_DIGIT = re.compile(r"\d")


def digit_run(pattern: re.Pattern[str]) -> int:
    """The length of a run of consecutive digits (each an ASCII digit, one of a class of
    digits only, or ``\\d``) every match of ``pattern`` holds, read from its parsed expression:
    4 for ``\\b(?:1[89]\\d\\d|20\\d\\d)\\b``, 1 for ``\\d[\\d-]{3,}``, 0 when none can be read
    (the parser is ``re``'s own, not a public interface), so the pattern is then searched in
    every text as before. A text with no such run (``\\d{k}`` finds none) cannot hold a match.
    """
    try:
        from re import _constants, _parser  # type: ignore[attr-defined]

        return _run_needed(_parser.parse(pattern.pattern, pattern.flags), _constants)
    except Exception:  # any surprise in a private module: search as before
        return 0


def _run_needed(items: Any, c: Any) -> int:
    """The run of digits every match of the parsed sequence ``items`` holds (0 if none):
    the longest stretch of items that match digits only, summing their shortest lengths
    (zero-width items, which consume nothing, do not break a stretch), or the run one item
    needs inside it."""
    best = stretch = 0
    for op, av in items:
        pure = _pure_digits(op, av, c)
        if pure is not None:
            stretch += pure
            best = max(best, stretch)
            continue
        stretch = 0
        best = max(best, _item_run(op, av, c))
    return best


def _item_run(op: Any, av: Any, c: Any) -> int:
    """The run of digits every match of one item (not all digits) holds inside it."""
    if op is c.SUBPATTERN:
        return _run_needed(av[-1], c)
    if op is c.ATOMIC_GROUP:
        return _run_needed(av, c)
    if op is c.BRANCH:
        return min(_run_needed(branch, c) for branch in av[1])
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and av[0] >= 1:
        return _run_needed(av[2], c)
    return 0


def _pure_digits(op: Any, av: Any, c: Any) -> int | None:
    """The fewest characters one item matches when it matches digits only (0 for an item
    that consumes nothing: an anchor, ``\\b``, a look-around); None when it may match any
    other character."""
    if op is c.LITERAL:
        return 1 if chr(av) in "0123456789" else None
    if op is c.IN:
        digits = all((o is c.LITERAL and chr(a) in "0123456789")
                     or (o is c.RANGE and ord("0") <= a[0] and a[1] <= ord("9"))
                     or (o is c.CATEGORY and a is c.CATEGORY_DIGIT) for o, a in av)
        return 1 if digits else None
    if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
        return 0
    if op is c.SUBPATTERN:
        return _pure_sequence(av[-1], c)
    if op is c.ATOMIC_GROUP:
        return _pure_sequence(av, c)
    if op is c.BRANCH:
        lengths = [_pure_sequence(branch, c) for branch in av[1]]
        return None if None in lengths else min(n for n in lengths if n is not None)
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        body = _pure_sequence(av[2], c)
        return None if body is None else av[0] * body
    return None


def _pure_sequence(items: Any, c: Any) -> int | None:
    total = 0
    for op, av in items:
        pure = _pure_digits(op, av, c)
        if pure is None:
            return None
        total += pure
    return total


_SEARCH: dict[int, re.Pattern[str]] = {}  # ``\\d{k}`` by k


class Runs:
    """Whether one text holds a run of ``k`` digits, each ``k`` searched once."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.found: dict[int, bool] = {1: _DIGIT.search(text) is not None}

    def holds(self, run: int) -> bool:
        """Whether the text holds ``run`` (at least 1) digits in a row."""
        found = self.found.get(run)
        if found is None:
            search = _SEARCH.get(run)
            if search is None:
                search = _SEARCH[run] = re.compile(rf"\d{{{run}}}")
            found = self.found[run] = self.found[1] and search.search(self.text) is not None
        return found
