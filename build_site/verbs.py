"""A relation's verb agreeing with its subject.

A relation is written in ``model.yml`` with its verb in the third person singular, as a
single component does it ("self-confidence facilitates hope"). When the relation starts from a
whole kind ("clinician competencies"), the subject is plural and the sentence needs the plural
verb ("clinician competencies facilitate relational processes"). Only the first word of the
verb phrase changes ("leads to" -> "lead to"); a word that is not a regular third-person form
stays as written.
"""

from __future__ import annotations

from build_site.study import KindRef

_IRREGULAR = {"is": "are", "has": "have", "does": "do", "was": "were"}
_SIBILANT_ES = ("sses", "shes", "ches", "xes", "zes", "oes")


def plural_verb(verb: str) -> str:
    """The plural present form of a third-person singular verb phrase.

    Rule (English regular inflection): ``-ies`` after a consonant becomes ``-y``
    ("clarifies" -> "clarify"), ``-es`` after a sibilant or ``o`` is dropped ("reaches" ->
    "reach", "goes" -> "go"), any other final ``-s`` is dropped ("produces" -> "produce");
    ``is``, ``has``, ``does``, ``was`` are irregular. Words ending in ``ss`` or ``us``, or not
    in ``s``, are returned unchanged.

    Args:
        verb: the verb phrase as written, e.g. ``"facilitates"`` or ``"leads to"``.

    Returns:
        The phrase with its first word in the plural form.
    """
    first, sep, rest = verb.partition(" ")
    lower = first.lower()
    if lower in _IRREGULAR:
        plural = _IRREGULAR[lower]
        plural = plural.capitalize() if first[:1].isupper() else plural
    elif lower.endswith("ies") and len(lower) > 4 and lower[-4] not in "aeiou":
        plural = first[:-3] + "y"
    elif lower.endswith(_SIBILANT_ES):
        plural = first[:-2]
    elif lower.endswith("s") and not lower.endswith(("ss", "us")) and len(lower) > 2:
        plural = first[:-1]
    else:
        plural = first
    return plural + sep + rest


def verb_for(subject: str | KindRef, verb: str) -> str:
    """``verb`` as it reads after ``subject``: plural after a whole kind, as written after a
    single component or element."""
    return plural_verb(verb) if isinstance(subject, KindRef) else verb
