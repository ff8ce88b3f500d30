"""Transcripts as speaker turns: the one reading of a transcript's format.

The format (guide/preparing-your-study.md, "Transcripts and context"): plain text; a turn
begins on a line that starts with one of the speaker labels the dyad declares in
``speakers:`` (``D``, ``P``, ``Interviewer``...) followed by a colon, as in ``D: How old is
he?``; every following line up to the next such line (blank lines included) belongs to that
turn. Lines before the first turn (a heading, a date) belong to no turn and are never shown.
Line endings may be CRLF, LF or CR; line numbers count from 1, as an editor shows them.

Used by the excerpt context (:mod:`build_site.context_spans`) and by the consent checks that
compare published free text with each participant's words (:func:`build_site.privacy.texts.
voices`), so both read a transcript the same way.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from build_site.study import normalise_for_matching


@dataclass(frozen=True)
class Turn:
    """One speaker turn: the declared ``label``, its first and last line (1-based) and its
    words (the label and colon removed, lines joined by newlines, stripped)."""

    label: str
    line: int
    end_line: int
    text: str


def _label_pattern(labels: Collection[str]) -> re.Pattern[str]:
    # Longest first, so "Dr" is not read as "D" followed by "r:".
    alternatives = "|".join(re.escape(label) for label in sorted(labels, key=len, reverse=True))
    return re.compile(rf"^[ \t]*(?P<label>{alternatives})[ \t]*:[ \t]?(?P<rest>.*)$")


def parse_turns(text: str, labels: Collection[str]) -> list[Turn]:
    """The speaker turns of transcript ``text``.

    Args:
        text: the transcript, decoded.
        labels: the speaker labels the dyad declares (case-sensitive); only these start a
            turn, so "Note: ..." or "10:30" inside a turn never splits it.

    Returns:
        The turns in order (empty when ``labels`` is empty or no line starts with one).
    """
    if not labels:
        return []
    pattern = _label_pattern(labels)
    turns: list[Turn] = []
    label, start = "", 0  # the turn being read
    lines: list[str] = []
    numbered = enumerate(text.lstrip("\ufeff").splitlines(), 1)
    for number, line in numbered:
        match = pattern.match(line)
        if match:
            if label:
                turns.append(_turn(label, start, lines))
            label, start, lines = match.group("label"), number, [match.group("rest")]
        elif label:
            lines.append(line)
    if label:
        turns.append(_turn(label, start, lines))
    return turns


def _turn(label: str, start: int, lines: list[str]) -> Turn:
    while len(lines) > 1 and not lines[-1].strip():
        lines = lines[:-1]
    return Turn(label, start, start + len(lines) - 1, "\n".join(lines).strip())


def locate(turns: list[Turn], quotation: str) -> tuple[int, int] | None:
    """The first and last index of the turns ``quotation`` occurs in (compared as the
    loader compares excerpts with transcripts: :func:`normalise_for_matching`), or None when
    it does not occur within the turns' words (a quotation across a label is not found)."""
    needle = normalise_for_matching(quotation)
    if not needle:
        return None
    starts: list[int] = []
    joined = ""
    for turn in turns:
        starts.append(len(joined))
        joined += normalise_for_matching(turn.text) + " "
    at = joined.find(needle)
    if at < 0:
        return None
    first = max(i for i, s in enumerate(starts) if s <= at)
    last = max(i for i, s in enumerate(starts) if s < at + len(needle))
    return first, last


_LABEL_LIKE = re.compile(r"^[ \t]*(?P<label>[A-Za-z][A-Za-z0-9]{0,23})[ \t]*:", re.M)


def undeclared_labels(turn: Turn, labels: Collection[str]) -> list[tuple[int, str]]:
    """Lines inside ``turn`` (after its first) that start with a declared label in another
    letter case (``p:`` where ``P`` is declared): most likely a turn the declared labels miss,
    whose words would be taken for the previous speaker's. Returns (line, label) pairs."""
    folded = {label.casefold() for label in labels}
    found = []
    for match in _LABEL_LIKE.finditer(turn.text):
        label = match.group("label")
        offset = turn.text.count("\n", 0, match.start())
        if offset and label not in labels and label.casefold() in folded:
            found.append((turn.line + offset, label))
    return found
