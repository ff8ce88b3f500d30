"""The analytic trail in the model history: dated memos and codebook changes, checked against
each other and against the codebook.

A grounded-theory audit trail shows that the analysis drove the model (Charmaz, *Constructing
Grounded Theory*, memo-writing and theoretical sampling; Lincoln and Guba's audit trail): a
memo that motivated a change is dated before it, and the codebook's changes (codes added,
merged, split, renamed, retired) account for the codebook as it now is. A trail that says
otherwise is refused rather than published, with file and line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from build_site.errors import Problem
from build_site.load import RawDocument
from build_site.study import Study, VersionEntry
from build_site.yamlsource import line_at

_REMOVES = frozenset({"merged", "split", "renamed", "retired"})


class _Add(Protocol):
    """The problem-adding callback (a path under ``versions``)."""

    def __call__(self, path: tuple[object, ...], message: str, hint: str = "") -> None: ...


@dataclass
class _Codes:
    """Where each code entered and left the codebook: version index and change index."""

    added: dict[str, tuple[int, int]] = field(default_factory=dict)
    removed: dict[str, tuple[int, int]] = field(default_factory=dict)


def trail_problems(study: Study, history: RawDocument | None) -> list[Problem]:
    """Problems of the model history's trail, each with the line of ``history.yml``:

    - a memo dated after the version it is filed under (it cannot have motivated it);
    - versions whose ``on`` dates go backwards;
    - a code added (or made by a merge, split or rename) that is not in ``codebook.yml`` and
      that no later change removes, or brought in again while present (a merge into a code
      already there is fine);
    - a code merged, split, renamed or retired that is still in ``codebook.yml`` (and was not
      added again later).

    Args:
        study: the validated study (its history entries and codebook).
        history: the parsed ``model-history/history.yml``, for lines (None: no history).
    """
    if history is None or not study.history:
        return []
    problems: list[Problem] = []

    def add(path: tuple[object, ...], message: str, hint: str = "") -> None:
        problems.append(Problem(history.path, line_at(history.data, ("versions", *path)),
                                message, hint))

    entries = [v.entry for v in study.history]
    _dates(entries, add)
    codes = _Codes()
    for i, entry in enumerate(entries):
        for j, change in enumerate(entry.codebook):
            if change.change in _REMOVES:
                for code in change.codes:
                    codes.removed[code] = (i, j)
                    codes.added.pop(code, None)
            for code in change.into:
                # a merge may fold codes into one the codebook already has; nothing else
                # brings in a code that is already there
                if code in codes.added and change.change != "merged":
                    add((i, "codebook", j, "into"),
                        f"code '{code}' is added again in version {entry.version} while the "
                        "trail already has it", "remove the repeated change")
                codes.added[code] = (i, j)
                codes.removed.pop(code, None)
    current = {c.id for c in study.codebook.codes}
    for code, (i, j) in sorted(codes.added.items()):
        if code not in current:
            add((i, "codebook", j, "into"),
                f"code '{code}', which version {entries[i].version} brings in, is not in "
                "codebook.yml and no later change removes it",
                "add it to codebook.yml, or record the later merge, rename or retirement")
    for code, (i, j) in sorted(codes.removed.items()):
        if code in current:
            add((i, "codebook", j, "codes"),
                f"code '{code}' leaves the codebook in version {entries[i].version} "
                f"({entries[i].codebook[j].change}) but is still in codebook.yml",
                "remove it from codebook.yml, or correct the change")
    return problems


def _dates(entries: list[VersionEntry], add: _Add) -> None:
    """Memos dated after their version, and version dates going backwards."""
    previous: tuple[str, str] | None = None
    for i, entry in enumerate(entries):
        for j, memo in enumerate(entry.memos):
            if entry.on and memo.on > entry.on:
                add((i, "memos", j, "on"),
                    f"memo '{memo.title}' is dated {memo.on}, after version {entry.version} "
                    f"({entry.on}) that it is filed under: a memo that motivated a change "
                    "comes before it", "file it under the version it led to, or fix the date")
        if entry.on:
            if previous and entry.on < previous[1]:
                add((i, "on"), f"version {entry.version} is dated {entry.on}, before version "
                    f"{previous[0]} ({previous[1]})", "versions are listed oldest first")
            previous = (entry.version, entry.on)
