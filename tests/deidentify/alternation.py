"""The Matcher's hits as first written, for tests that compare the faster search with it."""

from __future__ import annotations

import re

from build_site.deidentify import Matcher
from build_site.deidentify.matching import _canonical, _pattern
from build_site.deidentify.reading import original_span, reading_with_map


def alternation_hits(matcher: Matcher, text: str, *, present_only: bool = False
                     ) -> list[tuple[int, int, str]]:
    """(start, end, identifier text) of every match of one alternation of ``matcher``'s forms
    per kind over ``text`` (case-sensitive forms in any case, then kept only where written with
    a capital), unsorted and overlapping; ``present_only``: of the forms of the entries
    ``contains`` finds in ``text`` only."""
    present = {id(i) for i in matcher._contains(text, None)} if present_only else None
    hits = []
    for sensitive in (False, True):
        forms = [f for (s, f), i in matcher._by_form.items()
                 if s == sensitive and (present is None or id(i) in present)]
        pattern = _pattern(forms, re.IGNORECASE if sensitive else 0)
        if pattern is None:
            continue
        read, offsets = reading_with_map(text, lower=not sensitive)
        for m in pattern.finditer(read):
            if sensitive and m.group(0).islower():
                continue
            ident = matcher._by_form.get((sensitive, _canonical(m.group(0), True)))
            if ident is not None:
                hits.append((*original_span(offsets, m.start(), m.end()), ident.text))
    return hits
