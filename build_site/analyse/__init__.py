"""Analyse: derive the views the pages show from a de-identified, selected study.

Pure functions from a ``Study`` to an ``Analysis``: the model's structure, the evidence behind
every component, element and relation (:mod:`.evidence`), the meta-matrix and the
clinician-by-component matrix (:mod:`.matrices`), the saturation series (:mod:`.saturation`)
and demographics tables.
"""

from __future__ import annotations

from build_site.analyse.evidence import (
    Analysis,
    Evidence,
    Node,
    Quote,
    Table,
    age_band,
    ancestors,
    core_analysis,
    demographics_table,
    descendants,
    evidence_dyads_with_elements,
    evidence_with_elements,
    model_nodes,
    relation_end_ids,
    shown_value,
    suppressed,
)
from build_site.analyse.matrices import MetaMatrix, meta_matrix
from build_site.analyse.saturation import SaturationSeries, interview_keys, saturation_series
from build_site.study import Study

__all__ = [
    "Analysis", "Evidence", "MetaMatrix", "Node", "Quote", "SaturationSeries", "Table",
    "age_band", "analyse", "ancestors", "core_analysis", "demographics_table", "descendants",
    "evidence_dyads_with_elements", "evidence_with_elements", "model_nodes",
    "relation_end_ids", "shown_value", "suppressed",
]


def analyse(study: Study, coded: Study | None = None, counts: bool = False) -> Analysis:
    """Derive every view of ``study`` (de-identified and selected for its audience).

    Args:
        study: what the site shows.
        coded: everything the team coded (all non-withdrawn participants), for the saturation
            series, which describes the coding rather than what is published (interviews
            ``study`` leaves out are counted there but not named); defaults to ``study``.
        counts: whether pages show excerpt counts.
    """
    analysis = core_analysis(study)
    analysis.counts = counts
    analysis.matrix = meta_matrix(study, analysis)
    # Withheld cases are counted but not named; unlinked labels name no one anyway.
    published = interview_keys(study) if coded is not None and study.clinician_links else None
    analysis.saturation = saturation_series(coded or study, named=study.clinician_links,
                                            published=published)
    return analysis
