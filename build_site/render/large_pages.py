"""Aggregate pages of a large study kept to a size a reader's browser can open (issue 25).

A component page lists every excerpt coded to the component and its elements, grouped under a
heading per clinician and per case. At 1,000 dyads that is up to 1,373 headings, which the
table of contents renders twice on the page, and a caption per excerpt naming the case its
heading already names: 3.7 MB for the largest page. Above the navigation's own threshold
(:data:`~build_site.render.case_ranges.MAX_FLAT_GROUPS` clinician groups, or
:data:`MAX_CASES` cases) a component page is *compact*:

- its evidence headings stay headings (for screen readers, with the same anchors for links)
  but leave the table of contents, and each links to its clinician's or case's page;
- an excerpt's caption then does not repeat the case, and its code chips leave out the chip
  naming the page itself and the code definitions as tooltips (each chip still links to its
  code's page).

Every excerpt's words, its link to its home and its speaker stay: the page's promise is every
excerpt of the component. A study at or below the threshold (the bundled study: 5 clinicians;
230 dyads: 50) is unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from build_site.render.case_ranges import MAX_FLAT_GROUPS, RANGE_SIZE

MAX_CASES = MAX_FLAT_GROUPS * RANGE_SIZE
"""Cases on one component page above which it is compact whatever its clinician groups (a
study that hides clinicians puts every dyad in one group)."""


def compact_evidence(groups: Sequence[dict[str, Any]]) -> bool:
    """Whether a component page's evidence ``groups`` (``model_pages._groups``: a
    ``"cases"`` list each) are many enough for the compact form: more than
    :data:`MAX_FLAT_GROUPS` groups or more than :data:`MAX_CASES` cases."""
    return (len(groups) > MAX_FLAT_GROUPS
            or sum(len(group["cases"]) for group in groups) > MAX_CASES)
