"""Helpers for the free-text privacy tests: plant text into a copy of the tiny study.

In the tiny study, patient C1-P2 recorded ``quote: false`` (:func:`withheld_study` gives her
excerpt the words :data:`HER_WORDS`), C1-P1's spouse too ("SPOUSE-WORDS she phoned us at
home."); C1-P1 and clinician C1 may be quoted.
"""

from __future__ import annotations

from pathlib import Path

from build_site.pipeline import Prepared, prepare

HER_WORDS = "Twenty years with the same doctor, and she still remembers my daughter's name."


def withheld_study(tiny: Path) -> Path:
    """The tiny study with C1-P2's (``quote: false``) excerpt reading :data:`HER_WORDS`."""
    path = tiny / "dyads" / "C1-P2.md"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "NOQUOTE-WORDS twenty years with the same doctor.", HER_WORDS), encoding="utf-8")
    return tiny


def narrate(study: Path, case: str, text: str) -> None:
    """Replace the narrative of ``dyads/CASE.md`` (or ``clinicians/CASE.md``) with ``text``."""
    path = study / ("clinicians" if "-" not in case else "dyads") / f"{case}.md"
    head, _, _ = path.read_text(encoding="utf-8").rpartition("---\n")
    path.write_text(f"{head}---\n{text}\n", encoding="utf-8")


def prepared(study: Path) -> Prepared:
    """The study prepared as ``check`` prepares it."""
    return prepare(study, "review")


def rules(study: Path) -> list[tuple[str, str, str]]:
    """(file, rule, participant) of every unresolved consent finding."""
    return [(f.file, f.rule, f.who) for f in prepared(study).text.consent]
