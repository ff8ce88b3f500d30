"""The saturation series: new codes per interview, in interview order.

Each interview (a clinician's, a patient's) carries an ``order``. A dyad's patient and other
speakers' excerpts belong to the patient interview; clinician-spoken excerpts in a dyad file
and in the clinician's own file belong to the clinician interview. The series describes the
coding only: the team's judgement of theoretical saturation is what the methods report.
"""

from __future__ import annotations

from dataclasses import dataclass

from build_site.study import Speaker, Study


@dataclass(frozen=True)
class Interview:
    """One point of the series: interview ``order``, a label, the codes first applied there."""

    order: int
    label: str
    new_codes: tuple[str, ...]
    cumulative: int


@dataclass(frozen=True)
class SaturationSeries:
    """The series and what it says: ``last_new`` is the order of the last interview that
    brought a new code (None when nothing was coded); ``unordered`` lists interviews without
    an order, left out of the series."""

    points: tuple[Interview, ...]
    last_new: int | None
    unordered: tuple[str, ...]


def saturation_series(study: Study, named: bool = True) -> SaturationSeries:
    """Compute the series from every excerpt of ``study`` (pass the study the team coded).

    ``named``: label each point with its participant ("Patient D1-P2"); when False (clinicians
    hidden in public, see :mod:`build_site.unlink`) only with the kind of interview, since the
    order of interviews would otherwise group patients by clinician.
    """
    codes_by_interview: dict[str, set[str]] = {}
    order: dict[str, int | None] = {}
    for clinician in study.clinicians:
        key = f"Clinician {clinician.id}"
        order[key] = clinician.interview.order
        codes_by_interview[key] = {c for e in clinician.excerpts for c in e.codes}
    for dyad in study.dyads:
        key = f"Patient {dyad.id}"
        order[key] = dyad.interview.order
        codes = codes_by_interview.setdefault(key, set())
        clinician_codes = codes_by_interview.setdefault(f"Clinician {dyad.clinician}", set())
        for excerpt in dyad.excerpts:
            target = clinician_codes if excerpt.speaker is Speaker.clinician else codes
            target.update(excerpt.codes)
    ordered = sorted((o, k) for k, o in order.items() if o is not None)
    seen: set[str] = set()
    points = []
    last_new = None
    for number, key in ordered:
        new = tuple(sorted(codes_by_interview.get(key, set()) - seen))
        seen.update(new)
        if new:
            last_new = number
        points.append(Interview(number, key if named else key.split(" ")[0], new, len(seen)))
    unordered = tuple(sorted(k if named else k.split(" ")[0]
                             for k, o in order.items() if o is None))
    return SaturationSeries(tuple(points), last_new, unordered)
