"""Detector patterns for identifiers written in ways the first patterns missed (an adversarial
review of the detectors): a date given by a holiday and a year, a birth year that tells an
age over 89, an age over 89 "years of age", a seven-digit local telephone number, a rural
route address and an e-mail address spelled out in words.

Rules, from HIPAA Safe Harbor (45 CFR 164.514(b)(2)(i)): every element of a date more
specific than the year is removed (C), so "Christmas Day 2019" is a date, while a year alone
("born in 1990") may stay; but ages over 89 and "all elements of dates (including year)
indicative of such age" are removed too (C), so a birth year 90 or more years back is flagged
as ``age-over-89``. An age of 89 or less ("44 years of age") may stay and is not flagged.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

_YEAR = r"(?:1[89]\d\d|20\d\d)"
# Holidays that fall on one day (or its eve), so a holiday and a year is a date.
_HOLIDAY = (r"(?:Christmas|New\s+Year'?s|Thanksgiving|Easter|Halloween|Hallowe'en|"
            r"Independence|Canada|Victoria|Labou?r|Memorial|Veterans'?|Remembrance|Boxing|"
            r"Valentine'?s|St\.?\s+Patrick'?s|Mother'?s|Father'?s|Good\s+Friday|"
            r"Fourth\s+of\s+July|Guy\s+Fawkes|Bonfire)")

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("date", re.compile(
        rf"\b{_HOLIDAY}(?:\s+(?:Day|Eve|Night|Sunday|Monday|Weekend))?,?\s+(?:of\s+)?{_YEAR}\b",
        re.I)),
    ("date", re.compile(rf"\b{_YEAR}(?:'s)?\s+{_HOLIDAY}(?:\s+(?:Day|Eve|Night|Sunday))?\b",
                        re.I)),
    ("age-over-89", re.compile(r"\b(?:9\d|1[0-2]\d)\s+years\s+of\s+age\b", re.I)),
    ("phone", re.compile(r"(?<![\d-])\d{3}[-.\u2011\u2013]\d{4}(?![\d-])")),
    ("street-address", re.compile(
        r"\b(?:(?i:rural\s+route|star\s+route|highway\s+contract\s+route)|R\.?R\.?|HC)"
        r"\s*#?\s*\d+(?:,?\s+(?i:box)\s+\d+)?\b")),
    ("email", re.compile(
        r"\b[\w.+-]+\s*(?:\(at\)|\[at\]|\{at\}|\bat\b)\s*[\w-]+"
        r"(?:\s*(?:\(dot\)|\[dot\]|\{dot\}|\bdot\b)\s*[\w-]+)*"
        r"\s*(?:\(dot\)|\[dot\]|\{dot\}|\bdot\b)\s*(?i:com|org|net|edu|gov|ca|uk|io|info|"
        r"co|us|au|nz|ie|de|fr)\b", re.I)),
]

_BIRTH_YEAR = re.compile(
    rf"\b(?:born|birth\s+year|year\s+of\s+birth|b\.)\s*(?:was\s+|is\s+|:\s*)?(?:in\s+)?"
    rf"(?:the\s+(?:spring|summer|fall|autumn|winter)\s+of\s+)?({_YEAR})\b", re.I)


def birth_years(text: str, today: date | None = None) -> Iterator[tuple[str, int, int]]:
    """Birth years that tell an age over 89 (see the module docstring): ``("age-over-89",
    start, end)`` for each "born in 1931" whose year is 90 or more years before ``today``
    (the date of the run: an age only grows, so a later run flags more, never less)."""
    year = (today or date.today()).year
    for match in _BIRTH_YEAR.finditer(text):
        if year - int(match.group(1)) >= 90:
            yield "age-over-89", match.start(), match.end()
