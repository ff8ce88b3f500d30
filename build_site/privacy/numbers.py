"""Numbers that identify (issue 17 item 2).

- ``exact-age``: an exact age in free text ("aged 44", "a 44-year-old", "she was thirty-eight",
  "Age: 47"), with or without age bands elsewhere: bands protect only if no sentence undoes them.
- ``exact-date``: a date more specific than a year ("3 March 2019", "March 3", "March 2019",
  "2019-03-03", "3/3/2019"). HIPAA Safe Harbor (45 CFR 164.514(b)(2)(i)(C)) removes every
  element of a date except the year.
- ``age-computable`` (for review, not blocking): an age, even an approximate one ("in her late
  thirties"), in the same passage as a duration in years ("over six years", "six years later"),
  from which a reader can work out an age.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from build_site.deidentify.first_chars import with_first_chars
from build_site.privacy.lowered import Lowered

UNITS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
         "fifteen sixteen seventeen eighteen nineteen").split()
TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_NUMBER_WORD = (rf"(?:(?:{'|'.join(TENS)})(?:[- ](?:{'|'.join(UNITS[1:10])}))?"
                rf"|{'|'.join(UNITS[10:])}|{'|'.join(UNITS[1:10])}|a hundred(?: and \w+)?)")
NUMBER = rf"(?:\d{{1,3}}|{_NUMBER_WORD})"
MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|"
          "December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec")
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]|20)\d\d"

EXACT_AGE = re.compile(
    rf"\b(?:aged?\s*:?\s*{NUMBER}\b(?!\s*(?:percent|%|minutes|hours|days|weeks|months))"
    rf"|{NUMBER}[- ]years?[- ]old\b"
    rf"|(?:he|she|they|i|who)\s+(?:was|is|were|turned|had turned|is now|was then)\s+"
    rf"(?:only\s+|just\s+)?(?!one\b|two\b|three\b|four\b|five\b|six\b|seven\b|eight\b|nine\b"
    rf"|ten\b|eleven\b|twelve\b|\d\b|1[0-2]\b){NUMBER}\b"
    rf"(?!\s*(?:of|percent|%|minutes|hours|days|weeks|months|years|times|visits|pounds|kilos"
    rf"|kg|lb|[a-z]+s\b)))",
    re.IGNORECASE)
EXACT_DATE = re.compile(
    rf"\b(?:(?:{MONTHS})\.?\s+{_DAY}\b(?!\s*(?:years|minutes|hours|days|weeks|months|percent))"
    rf"|{_DAY}\s+(?:of\s+)?(?:{MONTHS})\b"
    rf"|(?:{MONTHS})\.?,?\s+{_YEAR}\b"
    rf"|{_YEAR}-[01]\d(?:-[0-3]\d)?\b"
    rf"|\d{{1,2}}[/.]\d{{1,2}}[/.](?:\d{{4}}|\d{{2}})\b)")
_DECADES = "|".join(t[:-1] + "ies" for t in TENS)
APPROX_AGE = re.compile(
    rf"\b(?:in (?:his|her|their|my) (?:early |mid-?|late )?(?:{_DECADES}|\d0s)"
    rf"|(?:{'|'.join(TENS)})-something)\b", re.IGNORECASE)
DURATION = re.compile(rf"\b{NUMBER}\s+years?\b(?!\s*old)", re.IGNORECASE)


# As searched: behind a look-ahead of the characters their matches start with (the same
# matches in less time, deidentify/first_chars.py).
_EXACT_AGE, _EXACT_DATE, _APPROX_AGE, _DURATION = map(
    with_first_chars, (EXACT_AGE, EXACT_DATE, APPROX_AGE, DURATION))
# The case-insensitive ones searched in an ASCII text as case-sensitive expressions over the
# text lower-cased (the same matches: lowered.py).
_AGES, _APPROX_AGES, _DURATIONS = map(Lowered, (_EXACT_AGE, _APPROX_AGE, _DURATION))


def number_hits(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, rule) of every exact age and exact date in ``text``, and one
    ``age-computable`` hit (on the age) when the text also gives a duration in years."""
    ages = _AGES.spans(text)
    for start, end in ages:
        yield start, end, "exact-age"
    for m in _EXACT_DATE.finditer(text):
        if not _is_may_modal(text, m):
            yield m.start(), m.end(), "exact-date"
    approximate = _APPROX_AGES.spans(text)
    every_age = sorted([*ages, *approximate])
    if every_age and _DURATIONS.search(text) is not None:
        yield every_age[0][0], every_age[0][1], "age-computable"


def _is_may_modal(text: str, match: re.Match[str]) -> bool:
    """'may 4' in 'may 4 weeks...' is not a date: a lower-case "may" followed by a number."""
    return match.group().startswith("may ") and not text[match.start()].isupper()
