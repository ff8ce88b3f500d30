"""One spelling per category in the demographics (issue 23 item 7: condition names normalised).

Teams write the same condition or characteristic in different ways ("Diabetes", "diabetes ",
"diabetes."); counted as written, each spelling becomes a row of its own in Table S2, and a
small cell split in two can fall under the small-cell threshold. So a value is shown with its
white space collapsed and one trailing full stop dropped, and values that differ only in
letter case are counted together, shown in the spelling most cases use (the alphabetically
first on a tie). Letter case is not changed otherwise: "Parkinson disease" and "HIV infection"
are the team's spellings.
"""

from __future__ import annotations

import re
from collections import Counter

_SPACE = re.compile(r"\s+")


def normalise_category(text: str) -> str:
    """``text`` (one categorical value, e.g. a condition) with white space collapsed and
    trimmed and one trailing full stop removed."""
    value = _SPACE.sub(" ", text).strip()
    if value.endswith(".") and not value.endswith(".."):
        value = value[:-1].rstrip()
    return value


def merge_case_variants(counts: Counter[str]) -> Counter[str]:
    """``counts`` (spelling -> cases) with spellings that differ only in letter case added
    together under the spelling with the most cases (alphabetically first on a tie)."""
    groups: dict[str, list[tuple[int, str]]] = {}
    for value, count in counts.items():
        groups.setdefault(value.casefold(), []).append((count, value))
    merged: Counter[str] = Counter()
    for spellings in groups.values():
        shown = min(spellings, key=lambda s: (-s[0], s[1]))[1]
        merged[shown] = sum(c for c, _ in spellings)
    return merged
