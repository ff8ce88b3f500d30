"""The English lexicon the detectors and the matcher share: is a word ordinary English?

GCIDE (the Collaborative International Dictionary of English, through the ``english-words``
package) decides, directly or through a plain inflection. Kept apart from the detectors so that
``matching`` (which needs it for names that are also ordinary words) and ``prose`` can use it
without importing the detectors, which import them.
"""

from __future__ import annotations

from functools import cache


@cache
def _english() -> frozenset[str]:
    from english_words import get_english_words_set  # type: ignore[import-untyped]

    return frozenset(get_english_words_set(["gcide"], lower=True, alpha=True))


def is_english(low: str) -> bool:
    """Whether a lower-case word is in the GCIDE dictionary, directly or as a plain
    inflection (plural, past tense, -ing, -ly)."""
    english = _english()
    if low in english:
        return True
    for suffix, repl in (("s", ""), ("es", ""), ("ed", ""), ("ed", "e"), ("ing", ""),
                         ("ing", "e"), ("ly", ""), ("ies", "y"), ("ied", "y"), ("er", ""),
                         ("ers", ""), ("'s", "")):
        if low.endswith(suffix) and low[: -len(suffix)] + repl in english:
            return True
    return False
