"""Natural order for case and excerpt ids: ``O2`` before ``O10``, ``D1-P9`` before ``D1-P10``.

Sorting ids as plain strings puts ``O10`` between ``O1`` and ``O2`` (issue 23 item 7). The key
splits an id into runs of ASCII digits and the text between them and compares the digit runs
as numbers, the text case-folded; the id itself breaks ties, so ``O01`` and ``O1`` keep a
stable order. This is the "natural sort" of Dave Koelle's Alphanum algorithm.
"""

from __future__ import annotations

import re
from functools import lru_cache

_DIGITS = re.compile(r"([0-9]+)")

NaturalKey = tuple[tuple[str | int, ...], str]


@lru_cache(maxsize=1 << 16)
def natural_key(text: str) -> NaturalKey:
    """The sort key of ``text`` in natural order, kept per string (the render stage sorts the
    same ids again and again: 99,000 calls at 1,000 dyads; the key is an immutable tuple).

    Args:
        text: an id (or any string).

    Returns:
        A key whose text parts (even places) are case-folded strings and whose digit runs
        (odd places) are integers, so keys of any two strings compare without a type error;
        then ``text`` itself.
    """
    parts = _DIGITS.split(text)
    return tuple(int(p) if i % 2 else p.casefold() for i, p in enumerate(parts)), text
