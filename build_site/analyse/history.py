"""Model history: what changed between consecutive model versions (an audit trail of the
analysis, e.g. after each retreat and after member checking).

Components and elements are compared by id: a new id is *added*, a vanished one *removed*,
an id listed in the newer version's ``renamed`` map (old id -> new id) is *renamed*, and a kept
id with a new label is *relabelled*. Relations are compared by id too, and by their ends.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from build_site.study import (
    Component,
    Element,
    KindRef,
    KindTitles,
    Model,
    ModelVersion,
    Relation,
    in_sentence,
    walk_elements,
)
from build_site.verbs import verb_for


@dataclass
class Change:
    """The differences from the previous version (lists of human-readable labels)."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    renamed: list[str] = field(default_factory=list)
    relabelled: list[str] = field(default_factory=list)
    relations_added: list[str] = field(default_factory=list)
    relations_removed: list[str] = field(default_factory=list)

    def empty(self) -> bool:
        """True when nothing changed."""
        return not any(vars(self).values())


def _labels(model: Model) -> dict[str, str]:
    labels: dict[str, str] = {}
    for comp in model.components:
        items: list[Component | Element] = [comp, *walk_elements(comp.elements)]
        labels.update({item.id: item.label for item in items})
    return labels


def _relation_text(rel: Relation, labels: dict[str, str], kinds: KindTitles) -> str:
    def end(e: str | KindRef) -> str:
        if isinstance(e, KindRef):
            return f"all {in_sentence(kinds.of(e.kind))}"
        return labels.get(e, e)

    tentative = " (tentative)" if rel.tentative else ""
    return f"{end(rel.from_)} {verb_for(rel.from_, rel.kind)} {end(rel.to)}{tentative}"


def changes(older: ModelVersion, newer: ModelVersion, kinds: KindTitles | None = None
            ) -> Change:
    """What changed from ``older`` to ``newer``; ``kinds``: the study's titles of the kinds
    of component (``labels.kinds``), which name a relation from or to a whole kind."""
    kinds = kinds or KindTitles()
    old, new = _labels(older.model), _labels(newer.model)
    renamed = {o: n for o, n in newer.entry.renamed.items() if o in old and n in new}
    change = Change()
    change.renamed = [f"{old[o]} → {new[n]}" for o, n in renamed.items()]
    change.added = [new[i] for i in new if i not in old and i not in renamed.values()]
    change.removed = [old[i] for i in old if i not in new and i not in renamed]
    change.relabelled = [f"{old[i]} → {new[i]}" for i in new if i in old and old[i] != new[i]]
    old_rel = {r.id: _relation_text(r, old, kinds) for r in older.model.relations}
    new_rel = {r.id: _relation_text(r, new, kinds) for r in newer.model.relations}
    change.relations_added = [t for i, t in new_rel.items() if i not in old_rel]
    change.relations_removed = [t for i, t in old_rel.items() if i not in new_rel]
    return change
