"""Quasi-identifiers in free text: what a narrative tells a reader about who someone is.

The structured k of :mod:`build_site.analyse.risk` counts only demographic fields and tagged
facts; a narrative that says a physician has practised for twenty-three years in a town of
4,000 as its only doctor identifies her whatever k says (issue 17, item 7). This module reads
the published prose of each participant's case (narrative, component summaries, published
excerpts) for four kinds of detail:

- ``years``: a count of years tied to practice or career ("has practised for twenty-three
  years", "in practice for 31 years", "since 1994"; "more than twenty years" is a band and
  passes);
- ``population``: a population figure ("a town of 4,000", "eight thousand people");
- ``unique role``: a role only one person holds ("the only physician in", "the town's sole
  doctor", "medical director", "chief of staff", "the first woman to");
- ``named place``: a named building or landmark ("St. Aldric's Hospital", "the Harbour
  Bridge"), unless it is a pseudonym the identifier list put there.

It reads words, not meaning: a paraphrase ("most of her working life"), a detail a reader
already knows, or a combination of ordinary facts is not found (guide/preparing-your-study.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from build_site.study import Clinician, Dyad, Study

_NUMBER_WORDS = (r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
                 r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|"
                 r"fifty|sixty|seventy|eighty|ninety|hundred)")
_COUNT = rf"(?:\d[\d,.]*|{_NUMBER_WORDS}(?:[- ]{_NUMBER_WORDS})*)"
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("years", re.compile(
        rf"\b(?:practi[cs]ed?|practi[cs]ing|in practice|career|medicine|qualified|licensed)"
        rf"\b[^.;]{{0,60}}?\b{_COUNT}\s+years\b"
        rf"|\b{_COUNT}\s+years\s+(?:in|of)\s+(?:practice|medicine|general practice|family "
        rf"medicine)\b"
        r"|\b(?:practi[cs]ed?|practi[cs]ing|qualified|licensed)\b[^.;]{0,40}?\bsince\s+"
        r"(?:19|20)\d\d\b", re.IGNORECASE)),
    ("population", re.compile(
        rf"\b(?:town|city|village|county|community|island|parish|population)\s+of\s+"
        rf"(?:about\s+|around\s+|some\s+|nearly\s+|under\s+|over\s+)?{_COUNT}"
        rf"(?:\s+(?:thousand|hundred|million))?"
        rf"|\b{_COUNT}(?:\s+(?:thousand|hundred|million))?\s+(?:people|residents|inhabitants|"
        r"souls)\b", re.IGNORECASE)),
    ("unique role", re.compile(
        r"\b(?:the|its|their|his|her)\s+(?:\w+'s\s+)?(?:only|sole|first|last)\s+"
        r"(?:\w+\s+){0,2}?(?:physician|doctor|clinician|GP|nurse|practitioner|surgeon|"
        r"pharmacist|midwife|specialist|internist|pediatrician|paediatrician)\b"
        r"|\b(?:first|only|sole)\s+(?:woman|man|black|female|male)\b[^.;]{0,30}?\b(?:to|in "
        r"(?:the|her|his|this|that)\s+(?:county|town|state|province|region|city|valley))\b"
        r"|\b(?:medical director|chief of staff|chief of medicine|head of (?:the )?department|"
        r"department chair|dean of|president of the)\b", re.IGNORECASE)),
    ("named place", re.compile(
        r"\b(?:(?:St\.|Saint|[A-Z][a-z'\u2019]+)\s+){1,4}(?:Hospital|Centre|Center|Clinic|"
        r"Infirmary|Church|Cathedral|Chapel|School|College|University|Bridge|Mill|Library|Hall|"
        r"Tower|Lighthouse|Station|Market|Plaza|Square|Stadium|Arena|Park)\b")),
)


# "More than twenty years" is a band, not a count to the year.
_APPROXIMATE = re.compile(rf"\b(?:more than|over|nearly|almost|about|around|some|at least|"
                          rf"under|less than)\s+{_COUNT}\s+years\b", re.IGNORECASE)


@dataclass(frozen=True)
class ProseFact:
    """A quasi-identifier read in free text: its kind, the words, and where (file:line)."""

    kind: str
    text: str
    where: str


def prose_facts(study: Study) -> dict[str, list[ProseFact]]:
    """The quasi-identifiers in each participant's published prose.

    Args:
        study: the public selection (de-identified: pseudonyms from the identifier list are
            not reported as named places).

    Returns:
        ``who`` as :func:`build_site.analyse.risk.exposures` names it (``patient in D1-P1``,
        ``clinician D1``) -> facts in reading order (participants with none are left out).
    """
    pseudonyms = {i.replacement for i in study.identifiers}
    out: dict[str, list[ProseFact]] = {}
    cases: list[tuple[str, Clinician | Dyad]] = [
        *((f"clinician {c.id}", c) for c in study.clinicians),
        *((f"patient in {d.id}", d) for d in study.dyads),
    ]
    for who, case in cases:
        facts = [f for f in case_facts(case) if f.text not in pseudonyms]
        if facts:
            out[who] = facts
    return out


def case_facts(case: Clinician | Dyad) -> list[ProseFact]:
    """Every quasi-identifier in one case's narrative, component summaries and excerpts."""
    file = case.source.file if case.source else case.id
    base = case.source.body_line if case.source else 0
    texts = [(f"{file}:{base + n}", line) for n, line in enumerate(case.narrative.splitlines())]
    if isinstance(case, Dyad):
        texts += [(f"{file} (summary {k})", v) for k, v in sorted(case.summaries.items())]
    texts += [(f"{file}:{e.source.line if e.source else 0}", e.text) for e in case.excerpts]
    facts = []
    for kind, pattern in _PATTERNS:
        for where, text in texts:
            facts += [ProseFact(kind, " ".join(m.group(0).split()), where)
                      for m in pattern.finditer(text)
                      if not (kind == "years" and _APPROXIMATE.search(m.group(0)))]
    return facts
