"""Study-level aggregates that public pages may give instead of per-case consent marks.

A per-case mark ("excerpts withheld" on one dyad's row) would show a reader, the clinician
among them, which patient restricted what; a count over the whole study does not (issue 17
item 9).
"""

from __future__ import annotations

from build_site.study import Study


def excerpt_count(study: Study) -> int:
    """Every excerpt of ``study``'s clinicians and dyads."""
    return sum(len(c.excerpts) for c in study.clinicians) + sum(len(d.excerpts)
                                                                for d in study.dyads)


def unpublished_total(coded: Study, shown: Study) -> dict[str, int]:
    """``coded_total`` (excerpts the team coded and may see) and ``unpublished`` (those of
    them that ``shown`` leaves out), for a template; both over the whole study."""
    total = excerpt_count(coded)
    return {"coded_total": total, "unpublished": max(total - excerpt_count(shown), 0)}
