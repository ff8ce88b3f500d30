"""Long case-study sections gathered into ranges, each with an index page (issue 25).

Material renders the navigation into every page; with ``navigation.prune`` a page keeps the
whole branch it sits in and one link per collapsed sibling. A "Case studies" section with one
group per clinician therefore puts a link to every clinician on every case page: 217 links at
1,000 dyads, half the site's bytes. Above :data:`MAX_FLAT_GROUPS` clinician groups the groups
are gathered into ranges of :data:`RANGE_SIZE` clinicians, in the study's order; each range is
a navigation section whose first entry is an index page listing its clinicians and their
dyads, a line each. A case page then carries the range links, its own range's clinicians and
its own clinician's pages; with the build's theme override, under both engines, only its
trail (:mod:`build_site.nav_trail`: the overview lists the ranges, a range's index its
clinicians). A section of at most
:data:`MAX_FLAT_GROUPS` groups (the bundled study: 5; 230 dyads: 50) keeps its flat
navigation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from build_site.study import Clinician

MAX_FLAT_GROUPS = 50
"""Clinician groups a "Case studies" section shows side by side before they are ranged."""
RANGE_SIZE = 20
"""Clinicians per range (the last range takes what is left)."""
RANGE_INDEX_PREFIX = "cases/clinicians-"
"""Where every range's index page starts (``cases/clinicians-C1-to-C20.md``)."""


@dataclass(frozen=True)
class ClinicianRange:
    """One range: its navigation title, the path of its index page and its clinicians."""

    title: str
    path: str
    clinicians: tuple[Clinician, ...]


def clinician_ranges(clinicians: Sequence[Clinician], plural: str) -> list[ClinicianRange]:
    """The ranges of ``clinicians`` (in their order), or ``[]`` when there are at most
    :data:`MAX_FLAT_GROUPS` of them and the section stays flat.

    Args:
        clinicians: the clinicians whose groups the section shows, in navigation order.
        plural: the study's label for clinicians ("Clinicians"), the start of each title.

    Returns:
        Consecutive ranges of :data:`RANGE_SIZE` clinicians, titled "Clinicians C1–C20"
        (one clinician: "Clinicians C217"), their index pages at
        ``cases/clinicians-C1-to-C20.md``.
    """
    if len(clinicians) <= MAX_FLAT_GROUPS:
        return []
    ranges = []
    for start in range(0, len(clinicians), RANGE_SIZE):
        chunk = tuple(clinicians[start:start + RANGE_SIZE])
        first, last = chunk[0].id, chunk[-1].id
        span = first if first == last else f"{first}\u2013{last}"
        slug = first if first == last else f"{first}-to-{last}"
        ranges.append(ClinicianRange(f"{plural} {span}", f"{RANGE_INDEX_PREFIX}{slug}.md", chunk))
    return ranges


def is_range_index(path: str) -> bool:
    """Whether ``path`` (a page's path in the build's ``docs/``) is a range's index page."""
    return path.startswith(RANGE_INDEX_PREFIX) and path.endswith(".md")
