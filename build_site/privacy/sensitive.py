"""Sensitive disclosures in published text, listed for review (issue 17 item 6).

Not blocking: a study of care may rightly report that a patient disclosed abuse. But a
disclosure in a published narrative is the kind of detail a participant's family, employer or
clinician could recognise, so the team should see each one and decide. The categories follow
the special categories of health and personal data that ethics boards single out (abuse,
substance use, HIV, psychiatric history, immigration status, criminal history, sexuality); the
word lists are deliberately broad (a missed disclosure costs more than a glance at a false one).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from build_site.deidentify.first_chars import with_first_chars
from build_site.privacy.lowered import Lowered

CATEGORIES: dict[str, tuple[str, ...]] = {
    "abuse": (r"abus(?:e|ed|ive)", r"assault(?:ed)?", r"rape[ds]?", r"molest\w*",
              r"domestic violence", r"battered", r"incest"),
    "substance use": (r"opioids?", r"opiates?", r"addict(?:ion|ed|s)?", r"alcohol\w*",
                      r"heroin", r"cocaine", r"crack", r"meth(?:amphetamine)?", r"overdos\w*",
                      r"substance use", r"rehab", r"(?:drug|alcohol|addiction) rehabilitation",
                      r"drinking problem", r"sobriety",
                      r"methadone", r"needles?"),
    "HIV": (r"HIV", r"AIDS", r"antiretrovirals?", r"viral load", r"PrEP"),
    "psychiatric history": (r"depress(?:ion|ive|ed)", r"bipolar", r"schizo\w*", r"psychos[ie]s",
                            r"psychotic", r"psychiatr\w*", r"suicid\w*", r"self-harm\w*",
                            r"PTSD", r"eating disorder", r"anorexi\w*", r"bulimi\w*",
                            r"mental illness", r"breakdown", r"panic attacks?"),
    "immigration status": (r"undocumented", r"immigration", r"asylum", r"refugees?",
                           r"deport\w*", r"visas?", r"green card", r"no papers"),
    "criminal history": (r"prison", r"jail(?:ed)?", r"incarcerat\w*", r"arrest(?:ed)?",
                         r"convict(?:ed|ion)?", r"parole", r"probation", r"felon(?:y|ies)?",
                         r"criminal record"),
    "sexuality": (r"gay", r"lesbian", r"bisexual", r"transgender", r"queer",
                  r"sexual orientation", r"same-sex", r"came out", r"coming out"),
}
# Acronyms are matched case-sensitively ("aids" is also a verb); words in any case.
_ACRONYMS = {"HIV", "AIDS", "PrEP", "PTSD"}
_NAMES = list(CATEGORIES)


def _alternatives(terms: tuple[str, ...]) -> str:
    return "|".join(f"(?-i:{t})" if t in _ACRONYMS else t for t in terms)


# One pass over the text for every category: a named group per category.
PATTERN = re.compile(
    r"\b(?:" + "|".join(f"(?P<c{i}>{_alternatives(CATEGORIES[name])})"
                        for i, name in enumerate(_NAMES)) + r")\b", re.IGNORECASE)


# As searched: behind a look-ahead of the characters its matches start with (the same
# matches in less time, deidentify/first_chars.py).
_SEARCHED = with_first_chars(PATTERN)
# Whether a text holds any term at all, asked first (most texts hold none): the terms in any
# case lower-cased for an ASCII text (lowered.py), the acronyms as written. A match of
# PATTERN is one term between word boundaries, which one of the two finds at the same place.
_ANY_WORD = Lowered(with_first_chars(re.compile(
    r"\b(?:" + "|".join(t for name in _NAMES for t in CATEGORIES[name] if t not in _ACRONYMS)
    + r")\b", re.IGNORECASE)))
_ANY_ACRONYM = re.compile(r"\b(?:" + "|".join(sorted(_ACRONYMS)) + r")\b")


def disclosures(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, category) of every sensitive term in ``text``; a text where neither a
    term (searched lower-cased when ASCII) nor an acronym occurs is passed over whole."""
    if _ANY_WORD.search(text) is None and _ANY_ACRONYM.search(text) is None:
        return
    for m in _SEARCHED.finditer(text):
        group = m.lastgroup or ""
        yield m.start(), m.end(), _NAMES[int(group[1:])]
