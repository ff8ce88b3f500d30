"""Placeholders: text an importer invented for the team to replace (issue 22 item 2).

``build-site import-qdpx`` and ``import-qdc`` write the word ``PLACEHOLDER`` (upper case, a
whole word) into everything they invent: the study's title and overview, the model's
component, every case study's narrative and the clinician that stands in for the dyads whose
clinician the project does not say (its narrative starts ``PLACEHOLDER clinician``). The
marker sits in the text itself, so replacing the text removes it; comments in the YAML are
not read.

:func:`find_placeholders` lists every marker still in a validated study, with its file and
line; ``check`` prints them all, the review copy shows them on its dashboard, and a public
build is refused (exit 2) while any is in what it would publish (:func:`refuse_placeholders`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from build_site.errors import Problem, StudyError
from build_site.study import Clinician, Dyad, Study

MARK = "PLACEHOLDER"
"""The word the importer writes into every text it invents."""
CLINICIAN_MARK = "PLACEHOLDER clinician"
"""How the narrative of a stand-in clinician (for dyads without a known clinician) starts."""
_MARK = re.compile(r"\bPLACEHOLDER\b")
_CLINICIAN = re.compile(r"\bPLACEHOLDER clinician\b")


@dataclass(frozen=True)
class Placeholder:
    """One placeholder still in the study: where (file relative to the study folder, 1-based
    line, 0 when unknown), what it is, and what to do."""

    file: str
    line: int
    what: str
    fix: str

    def problem(self) -> Problem:
        """The placeholder as a :class:`~build_site.errors.Problem` for printing."""
        return Problem(self.file, self.line, self.what, self.fix)


def has_mark(text: str) -> bool:
    """True when ``text`` carries the placeholder marker."""
    return MARK in text and bool(_MARK.search(text))  # the plain test first: it is fast


def _strings(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every string in a dumped model, with a dotted path (``components.0.label``)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for n, item in enumerate(value):
            yield from _strings(item, f"{path}.{n}" if path else str(n))


def _lines(study_dir: Path | None, rel: str) -> list[str]:
    """The lines of ``rel`` in the study folder (none when unknown or unreadable)."""
    if study_dir is None:
        return []
    try:
        return (study_dir / rel).read_text(encoding="utf-8").splitlines()
    except OSError:
        return []


def _line(study_dir: Path | None, rel: str, start: int = 1) -> int:
    """The first line at or after ``start`` of ``rel`` that carries the marker (0: unknown)."""
    lines = _lines(study_dir, rel)
    for n, line in enumerate(lines[start - 1:], start):
        if _MARK.search(line) and not line.lstrip().startswith("#"):
            return n
    return 0


def _key_line(study_dir: Path | None, rel: str, key: str) -> int:
    """The line of the first ``key:`` in ``rel`` (0: unknown)."""
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*:")
    return next((n for n, line in enumerate(_lines(study_dir, rel), 1) if pattern.match(line)),
                0)


def _in_file(study_dir: Path | None, rel: str, dumped: dict[str, Any], what: str,
             fix: str) -> list[Placeholder]:
    found = [path for path, text in _strings(dumped) if has_mark(text)]
    if not found:
        return []
    return [Placeholder(rel, _line(study_dir, rel), f"{what} ({', '.join(found)})", fix)]


def placeholder_clinicians(study: Study) -> set[str]:
    """Ids of the stand-in clinicians (narrative starting ``PLACEHOLDER clinician``)."""
    return {c.id for c in study.clinicians
            if CLINICIAN_MARK in c.narrative and _CLINICIAN.search(c.narrative)}


def _case(study_dir: Path | None, case: Clinician | Dyad, stand_ins: set[str]
          ) -> list[Placeholder]:
    kind = "clinicians" if isinstance(case, Clinician) else "dyads"
    rel = case.source.file if case.source else f"{kind}/{case.id}.md"
    body = case.source.body_line if case.source else 1
    found: list[Placeholder] = []
    if has_mark(case.narrative):
        what = ("a stand-in clinician for dyads whose clinician is not known"
                if case.id in stand_ins else "the narrative")
        fix = ("give each dyad its clinician (apply-mapping, see guide/importing.md), then "
               "delete this file" if case.id in stand_ins
               else "write the case study's narrative in place of the placeholder paragraph")
        found.append(Placeholder(rel, _line(study_dir, rel, max(body, 1)), what, fix))
    if isinstance(case, Dyad) and case.clinician in stand_ins:
        found.append(Placeholder(rel, _key_line(study_dir, rel, "clinician"),
                                 f"the dyad's clinician '{case.clinician}' is a stand-in",
                                 "assign the dyad its clinician (a mapping file's "
                                 "'clinician:', see guide/importing.md)"))
    return found


def find_placeholders(study: Study, study_dir: Path | None = None,
                      stand_ins: set[str] | None = None) -> list[Placeholder]:
    """Every placeholder still in ``study``, in file order.

    Args:
        study: a validated study (or the part of it an audience sees).
        study_dir: the study folder, to give lines (None: lines are 0).
        stand_ins: the ids of stand-in clinicians (None: those of ``study``; give the whole
            study's when ``study`` is one audience's part of it, which may leave them out).

    Returns:
        The :class:`Placeholder` items: text carrying the marker in ``study.yml``,
        ``model.yml`` and ``codebook.yml``, placeholder narratives, stand-in clinicians and
        the dyads assigned to them.
    """
    found = _in_file(study_dir, "study.yml", study.meta.model_dump(mode="json"),
                     "study.yml text written by the importer",
                     "write the study's own title and overview")
    found += _in_file(study_dir, "model.yml", study.model.model_dump(mode="json"),
                      "the model is the importer's placeholder",
                      "write the study's components in model.yml and link codes to them "
                      "with 'component:' in codebook.yml")
    found += _in_file(study_dir, "codebook.yml", study.codebook.model_dump(mode="json"),
                      "a placeholder code", "replace it with the study's codes")
    stand_ins = placeholder_clinicians(study) if stand_ins is None else stand_ins
    cases: list[Clinician | Dyad] = [*study.clinicians, *study.dyads]
    for case in cases:
        found += _case(study_dir, case, stand_ins)
    return found


def refuse_placeholders(shown: Study, study: Study, study_dir: Path) -> None:
    """Refuse a public build while anything it would publish is a placeholder.

    Args:
        shown: what the public build shows.
        study: the whole study (for its stand-in clinicians).
        study_dir: the study folder (for lines).

    Raises:
        StudyError: one problem per placeholder, saying what to replace (exit code 2).
    """
    found = find_placeholders(shown, study_dir, placeholder_clinicians(study))
    if found:
        raise StudyError([Problem(p.file, p.line,
                                  f"a public site would publish a placeholder: {p.what}",
                                  f"{p.fix} (build-site check lists every placeholder; "
                                  "build-site build STUDY --review shows them)")
                          for p in found])
