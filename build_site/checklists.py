"""Validate the reporting checklists the team confirmed in ``study.yml`` (issue 19 item 4).

Each COREQ or SRQR item the team confirms carries a status, who confirmed it (initials) and
when (YYYY-MM-DD); a reported item says where or quotes the sentence; an item that does not
apply gives the reason. There is no bulk confirmation: every item is its own entry.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from build_site.study import ChecklistEntry, ItemStatus, Study

Add = Callable[[str, tuple[Any, ...], str, str], None]
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def checklist_problems(study: Study, add: Add) -> None:
    """Check ``study.yml``'s ``reporting``; ``add(file, path, message, hint)`` per problem.

    Rules: item ids are COREQ ``1``..``32`` or SRQR ``S1``..``S21``; ``on`` is a date;
    ``reported`` gives ``where`` or ``quote``; ``reported-as-not-done`` gives ``where`` or
    ``quote`` (not doing it is reported somewhere); ``not-applicable`` gives ``reason``.
    """
    # Imported here: the analyse package imports validate, which imports this module.
    from build_site.analyse.standards import known_item_ids

    coreq, srqr = known_item_ids()
    reporting = study.meta.reporting
    for name, known, entries in (("coreq", coreq, reporting.coreq),
                                 ("srqr", srqr, reporting.srqr)):
        for item_id, entry in entries.items():
            at = ("reporting", name, item_id)
            if item_id not in known:
                add("study.yml", at, f"reporting.{name}: unknown item '{item_id}'",
                    "COREQ items are \"1\" to \"32\", SRQR items \"S1\" to \"S21\"")
            elif isinstance(entry, ChecklistEntry):
                _entry_problems(f"reporting.{name}.{item_id}", entry, at, add)


def _entry_problems(label: str, entry: ChecklistEntry, at: tuple[Any, ...], add: Add) -> None:
    if not _DATE.match(entry.on):
        add("study.yml", (*at, "on"), f"{label}: '{entry.on}' is not a date",
            "write the date of confirmation as YYYY-MM-DD")
    shown = entry.where.strip() or entry.quote.strip()
    if entry.status in (ItemStatus.REPORTED, ItemStatus.NOT_DONE) and not shown:
        add("study.yml", at, f"{label}: {entry.status.value} but neither where nor quote",
            "give where (a site page such as methods/index.md#setting, or 'Manuscript, p. 4') "
            "or quote the sentence that reports it")
    if entry.status is ItemStatus.NOT_APPLICABLE and not entry.reason.strip():
        add("study.yml", at, f"{label}: not applicable without a reason",
            "say why the item does not apply to this study")
