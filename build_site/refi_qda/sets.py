"""Sets of documents that partition the sources become case attributes (issue 22 item 3).

QDA software groups documents in sets (ATLAS.ti "document groups", NVivo "sets", MAXQDA
"document sets"); a team that records an attribute this way names the sets ``attribute:
value`` (``gender: male``, ``gender: female``; ``::`` and ``=`` are read as the separator too).
When the sets of one attribute put every imported text source in exactly one of them, the
attribute becomes a demographic of each case study (``demographics: {gender: male}``); a case
whose sources disagree gets none. Every other set is listed as dropped in the import report,
with the reason.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from build_site.refi_qda.qde import QdaProject, QdaSet

_ATTRIBUTE = re.compile(r"^\s*(?P<name>[^:=]+?)\s*(?:::|:|=)\s*(?P<value>.+?)\s*$")


@dataclass(frozen=True)
class CaseSources:
    """A case study's id and the GUIDs of its text sources."""

    id: str
    sources: tuple[str, ...]


def _split(qda_set: QdaSet) -> tuple[str, str] | None:
    match = _ATTRIBUTE.match(qda_set.name)
    return (match["name"], match["value"]) if match else None


def set_attributes(project: QdaProject, cases: list[CaseSources]
                   ) -> tuple[dict[str, dict[str, str]], list[str], list[str]]:
    """Read the project's sets as case attributes.

    Args:
        project: the parsed project (its ``sets``).
        cases: each case study with its imported text sources.

    Returns:
        case id -> attribute -> value; what was mapped (for the report); what was dropped
        and why.
    """
    imported = {guid for case in cases for guid in case.sources}
    groups: dict[str, list[tuple[str, QdaSet]]] = defaultdict(list)
    dropped: list[str] = []
    for qda_set in project.sets:
        parsed = _split(qda_set)
        if qda_set.codes or not qda_set.sources:
            dropped.append(f"set '{qda_set.name}': a group of codes (build-site has no "
                           "equivalent)" if qda_set.codes else
                           f"set '{qda_set.name}': no documents")
        elif parsed is None:
            dropped.append(f"set '{qda_set.name}' of {len(qda_set.sources)} document(s): not "
                           "named 'attribute: value', so not read as a case attribute")
        else:
            groups[parsed[0]].append((parsed[1], qda_set))
    values: dict[str, dict[str, str]] = defaultdict(dict)
    mapped: list[str] = []
    for attribute, members in groups.items():
        where: dict[str, list[str]] = defaultdict(list)
        for value, qda_set in members:
            for guid in dict.fromkeys(qda_set.sources):
                if guid in imported:
                    where[guid].append(value)
        twice = [g for g, found in where.items() if len(found) > 1]
        missing = imported - set(where)
        if twice or missing or not imported:
            why = (f"{len(twice)} document(s) in two of them" if twice
                   else f"{len(missing)} imported document(s) in none")
            dropped.append(f"sets '{attribute}: ...' ({len(members)}): they do not partition "
                           f"the documents ({why}), so not read as a case attribute")
            continue
        disagree = []
        for case in cases:
            found = {where[g][0] for g in case.sources}
            if len(found) == 1:
                values[case.id][attribute] = found.pop()
            elif found:
                disagree.append(case.id)
        mapped.append(f"sets '{attribute}: ...' ({len(members)}) partition the documents -> "
                      f"case attribute `{attribute}` in demographics")
        if disagree:
            dropped.append(f"attribute '{attribute}' of {', '.join(disagree)}: the case's "
                           "documents are in different sets")
    return dict(values), mapped, dropped
