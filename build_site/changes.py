"""The change report: what changed in the published content since the sign-off, item by item.

Two manifests (:mod:`build_site.manifest`) are compared by item key: an item only in the new one
was added, only in the old one removed, in both with different fields changed (each field with
its text before and after). ``build-site manifest --changes`` prints it.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from typing import Any

from build_site.manifest import Manifest
from build_site.published import Item


@dataclass(frozen=True)
class FieldChange:
    """One field of an item: ``path``, its value ``before`` and ``after`` (None: absent)."""

    path: str
    before: Any
    after: Any


@dataclass(frozen=True)
class Change:
    """One item that was ``added``, ``removed`` or ``changed``, with its fields."""

    status: str
    item: Item
    fields: list[FieldChange] = field(default_factory=list)


def compare(before: Manifest, after: Manifest) -> list[Change]:
    """Every item added, removed or changed from ``before`` to ``after``, in ``after``'s order
    (removed items where they stood in ``before``, after the others)."""
    old = {item.key: item for item in before.items}
    new = {item.key: item for item in after.items}
    changes = []
    for item in after.items:
        previous = old.get(item.key)
        if previous is None:
            changes.append(Change("added", item, [FieldChange(p, None, v)
                                                  for p, v in item.fields.items()]))
        elif previous.fields != item.fields:
            paths = [*item.fields, *(p for p in previous.fields if p not in item.fields)]
            changes.append(Change("changed", item, [
                FieldChange(p, previous.fields.get(p), item.fields.get(p)) for p in paths
                if previous.fields.get(p) != item.fields.get(p)]))
    changes += [Change("removed", item, [FieldChange(p, v, None) for p, v in item.fields.items()])
                for item in before.items if item.key not in new]
    return changes


def reordered(before: Manifest, after: Manifest) -> bool:
    """Whether the items both manifests hold stand in a different order."""
    both = {i.key for i in before.items} & {i.key for i in after.items}
    return ([i.key for i in before.items if i.key in both]
            != [i.key for i in after.items if i.key in both])


def render_changes(changes: list[Change], moved: bool = False) -> str:
    """The change report as plain text: one block per item, ``+`` for text added and ``-`` for
    text removed; multi-line text as a line diff."""
    lines: list[str] = []
    for change in changes:
        lines.append(f"{change.status}: {change.item.label}")
        for one in change.fields:
            lines += _field_report(one)
        lines.append("")
    if moved:
        lines.append("changed: the order of items (what comes first on the site)")
    return "\n".join(lines).rstrip() + "\n" if lines else ""


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _field_report(one: FieldChange) -> list[str]:
    before, after = _text(one.before), _text(one.after)
    head = f"  {one.path}:"
    if "\n" in (before or "").strip() or "\n" in (after or "").strip():
        diff = difflib.unified_diff((before or "").splitlines(), (after or "").splitlines(),
                                    "before", "after", lineterm="", n=1)
        return [head, *(f"    {line}" for line in list(diff)[2:])]
    out = [head]
    if before is not None:
        out.append(f"    - {before}")
    if after is not None:
        out.append(f"    + {after}")
    return out
