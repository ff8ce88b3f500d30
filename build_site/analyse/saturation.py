"""The saturation series: new codes per interview, in interview order.

Each interview (a clinician's, a patient's) carries an ``order``. A dyad's patient and other
speakers' excerpts belong to the patient interview; clinician-spoken excerpts in a dyad file
and in the clinician's own file belong to the clinician interview. The series describes the
coding only: the team's judgement of theoretical saturation is what the methods report.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from build_site.study import Speaker, Study


@dataclass(frozen=True)
class Interview:
    """One point of the series: interview ``order``, a label, the codes first applied there
    (``new_codes``; empty for an interview not published, whose ``added`` still counts them)."""

    order: int
    label: str
    new_codes: tuple[str, ...]
    cumulative: int
    added: int


NOT_PUBLISHED = "Not published"


def interview_keys(study: Study) -> set[str]:
    """The interviews of ``study`` as the series names them ("Clinician C1", "Patient C1-P1")."""
    return ({f"Clinician {c.id}" for c in study.clinicians}
            | {f"Patient {d.id}" for d in study.dyads})


@dataclass(frozen=True)
class SaturationSeries:
    """The series and what it says: ``last_new`` is the order of the last interview that
    brought a new code (None when nothing was coded); ``unordered`` lists interviews without
    an order, left out of the series."""

    points: tuple[Interview, ...]
    last_new: int | None
    unordered: tuple[str, ...]


def saturation_series(study: Study, named: bool = True,
                      published: Collection[str] | None = None) -> SaturationSeries:
    """Compute the series from every excerpt of ``study`` (pass the study the team coded).

    ``named``: label each point with its participant ("Patient D1-P2"); when False (clinicians
    hidden in public, see :mod:`build_site.privacy.unlink`) only with the kind of interview,
    since the order of interviews would otherwise group patients by clinician.
    ``published``: the interviews (:func:`interview_keys`) the site shows, when not all: any
    other is labelled "Not published" and its new codes only counted, so the series keeps
    every interview (the coding it describes) without naming a withheld case or what it
    added (issue 15).
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
    def shown(key: str) -> bool:
        return published is None or key in published

    words = {"Clinician": study.meta.labels.clinician, "Patient": study.meta.labels.patient}

    def label(key: str) -> str:
        if not shown(key):
            return NOT_PUBLISHED
        kind, case = key.split(" ", 1)  # the key names the kind; the study's word shows it
        return f"{words[kind]} {case}" if named else words[kind]

    for number, key in ordered:
        new = tuple(sorted(codes_by_interview.get(key, set()) - seen))
        seen.update(new)
        if new:
            last_new = number
        points.append(Interview(number, label(key), new if shown(key) else (), len(seen),
                                len(new)))
    unordered = tuple(sorted(label(k) for k, o in order.items() if o is None))
    return SaturationSeries(tuple(points), last_new, unordered)
