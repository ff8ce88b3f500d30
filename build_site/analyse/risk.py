"""Disclosure risk across pages: what the public site shows about each participant.

Protecting each table is not enough: a reader combines pages. For each participant this lists
every quasi-identifier the public build shows about them anywhere (the demographic fields a
dyad page shows, in bands as shown; facts the team tagged in ``quasi_identifiers`` because a
narrative reveals them) and counts how many participants of the same kind share that exact
combination. A combination shared by nobody else (k = 1) singles a person out; one shared by
fewer than ``min_cell_size`` is flagged as at risk (the k-anonymity idea, Sweeney 2002).

Beside k, each participant carries the quasi-identifiers read in their published prose
(:mod:`build_site.analyse.prose_risk`: years in practice, population figures, unique roles,
named places). k counts structured fields only: a detail in prose can identify whatever k says.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from build_site.analyse.evidence import shown_value
from build_site.analyse.prose_risk import ProseFact, prose_facts
from build_site.study import Study


@dataclass(frozen=True)
class Exposure:
    """One participant: ``who`` (e.g. ``patient in D1-P1``), the quasi-identifiers shown
    (field -> value as shown), ``k`` participants sharing them, and whether that is unique or
    below the minimum cell size; ``prose``: quasi-identifiers found in their published free
    text, which k does not count."""

    who: str
    file: str
    shown: tuple[tuple[str, str], ...]
    k: int
    unique: bool
    at_risk: bool
    prose: tuple[ProseFact, ...] = ()


def exposures(study: Study) -> list[Exposure]:
    """Exposures of every patient and clinician in ``study`` (pass the public selection)."""
    pub = study.meta.publication
    rows: list[tuple[str, str, tuple[tuple[str, str], ...]]] = []
    for dyad in study.dyads:
        shown = [
            (key, ", ".join(shown_value(key, value, pub.age_band_width)))
            for key, value in sorted(dyad.demographics.items()) if key in pub.dyad_demographics
        ]
        shown += sorted(dyad.quasi_identifiers.items())
        rows.append((f"patient in {dyad.id}", dyad.source.file if dyad.source else dyad.id,
                     tuple(shown)))
    clinician_rows = []
    for clinician in study.clinicians:
        facts = tuple(sorted(clinician.quasi_identifiers.items()))
        file = clinician.source.file if clinician.source else clinician.id
        clinician_rows.append((f"clinician {clinician.id}", file, facts))
    out: list[Exposure] = []
    prose = prose_facts(study)
    for group in (rows, clinician_rows):
        counts = Counter(shown for _, _, shown in group)
        for who, file, combination in group:
            k = counts[combination]
            out.append(Exposure(who, file, combination, k, bool(combination) and k == 1,
                                bool(combination) and k < pub.min_cell_size,
                                tuple(prose.get(who, ()))))
    return out
