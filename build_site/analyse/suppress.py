"""Small-cell suppression for one-way tables that publish their total.

With the total published (n = 5 clinicians), a count shown as "<3" beside the field's other
counts is derivable by subtraction ("man <3" beside "woman 3" gives 2). So when a field has a
count below ``min_cell_size`` (primary suppression), the smallest of its other counts is
hidden too (complementary suppression), and every hidden cell shows the same word: a reader
then knows only the hidden cells' total, which is at least ``min_cell_size + 1`` and splits in
more than one way. A two-category field with a small cell is thus hidden whole, and so is a
field whose every count is small (their total would pin each one down). Source: the
complementary-suppression rule of statistical disclosure control (Hundepool et al.,
*Statistical Disclosure Control*, 2012, ch. 7), as issue 17 item 8 asks for it. It is applied
to every field, also multi-valued ones (a list of conditions), where it is conservative.
"""

from __future__ import annotations

from collections import Counter

HIDDEN = "hidden"


def protect(counts: Counter[str], minimum: int) -> dict[str, str]:
    """The shown count of every value of one field: exact, or :data:`HIDDEN`.

    Args:
        counts: value -> number of cases with it (a zero count is not a cell).
        minimum: ``publication.min_cell_size``; 1 hides nothing.

    Returns:
        value -> text, for every value in ``counts``.
    """
    small = {v for v, c in counts.items() if 0 < c < minimum}
    if not small:
        return {v: str(c) for v, c in counts.items()}
    others = sorted((c, v) for v, c in counts.items() if v not in small)
    hidden = small | ({others[0][1]} if others else set())
    return {v: HIDDEN if v in hidden else str(c) for v, c in counts.items()}
