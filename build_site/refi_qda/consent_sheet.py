"""The consent sheet: a CSV with one row per participant, as a study coordinator keeps it
(issue 22 item 1; columns documented in ``guide/importing.md``).

```text
case,participant,quote,public_site,archive,share_with_clinician,withdrawn
interview-03.txt,patient,yes,yes,no,yes,no
D1-P3,carer,yes,no,no,no,no
D1,clinician,yes,yes,yes,,no
```

- ``case``: the case study: its id in the study folder, or the source or case name of the QDA
  project (as in the mapping file);
- ``participant``: ``patient`` (a dyad's patient; the default when empty in a dyad's row),
  ``clinician`` (a clinician's own consent, in the row of the clinician's id; the default there)
  or the role of another person present in a dyad's interview (``carer``, ``spouse``...);
- ``quote``, ``public_site``, ``archive``, ``share_with_clinician``, ``withdrawn``: ``yes``/``no``
  (also ``true``/``false``, ``y``/``n``, ``1``/``0``, any case). An empty cell is ``no``:
  consent not recorded is consent not given (as :class:`~build_site.study.Consent`).

Every column above must be present (so a misspelt one is an error, not a silent "no"); other
columns (names, dates, notes a coordinator keeps) are ignored and never copied into the study.
Commas, semicolons or tabs separate the cells; every row has one cell per column of the first
row. UTF-8 (a byte-order mark from Excel is accepted) or UTF-16 with a byte-order mark.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from pathlib import Path

from build_site.errors import Problem, StudyError
from build_site.load import decode_text
from build_site.study import Consent

FLAGS = ("quote", "public_site", "archive", "share_with_clinician", "withdrawn")
COLUMNS = ("case", "participant", *FLAGS)
MAX_SHEET_BYTES = 4 * 1024 * 1024
_YES = {"yes", "y", "true", "1", "x"}
_NO = {"no", "n", "false", "0", ""}
HINT = "see 'The consent sheet' in guide/importing.md"


@dataclass(frozen=True)
class ConsentRow:
    """One participant's consent as the sheet records it, with the row's line."""

    case: str
    participant: str
    consent: Consent
    line: int


@dataclass(frozen=True)
class ConsentSheet:
    """Every row of a consent sheet, and the sheet's file name (for errors)."""

    file: str
    rows: list[ConsentRow]


def _flag(value: str, column: str, label: str, line: int, problems: list[Problem]) -> bool:
    text = value.strip().lower()
    if text in _YES:
        return True
    if text not in _NO:
        problems.append(Problem(label, line, f"{column}: '{value.strip()}' is not yes or no",
                                "write yes or no (an empty cell is no)"))
    return False


def _dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    first = text.split("\n", 1)[0]
    try:
        return csv.Sniffer().sniff(first, delimiters=",;\t")
    except csv.Error:
        return csv.excel


def parse_consent_sheet(text: str, label: str) -> ConsentSheet:
    """Read a consent sheet's text.

    Args:
        text: the CSV text (LF line endings).
        label: the file name, for errors.

    Returns:
        The :class:`ConsentSheet`.

    Raises:
        StudyError: a missing column, a row with more or fewer cells than the first row, a
            value that is not yes or no, an empty ``case``, or the same participant twice;
            every problem names the file and line (exit code 2).
    """
    reader = csv.reader(io.StringIO(text), _dialect(text))
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise StudyError([Problem(label, reader.line_num, f"not a readable CSV ({exc})",
                                  HINT)]) from None
    if not rows:
        raise StudyError([Problem(label, 1, "the sheet is empty",
                                  f"its first row names the columns {', '.join(COLUMNS)}")])
    header = [cell.strip().lower() for cell in rows[0]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise StudyError([Problem(label, 1, f"missing column(s): {', '.join(missing)}",
                                  f"the first row names the columns {', '.join(COLUMNS)}; "
                                  f"{HINT}")])
    at = {name: header.index(name) for name in COLUMNS}
    problems: list[Problem] = []
    out: list[ConsentRow] = []
    seen: dict[tuple[str, str], int] = {}
    for line, row in enumerate(rows[1:], 2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(Problem(label, line, f"{len(row)} cells where the first row names "
                                    f"{len(header)} columns",
                                    "give every row one cell per column (an empty cell is "
                                    "no); a comma inside a cell needs quotes"))
            continue
        cells = {name: row[i] for name, i in at.items()}
        case, participant = cells["case"].strip(), cells["participant"].strip().lower()
        if not case:
            problems.append(Problem(label, line, "case is empty",
                                    "give the case id, or the source or case name"))
            continue
        flags = {name: _flag(cells[name], name, label, line, problems) for name in FLAGS}
        key = (case, participant)
        if key in seen:
            problems.append(Problem(label, line, f"'{case}' ({participant or 'default'}) is "
                                    f"already on line {seen[key]}",
                                    "keep one row per participant"))
            continue
        seen[key] = line
        out.append(ConsentRow(case, participant, Consent(**flags), line))
    if problems:
        raise StudyError(problems)
    return ConsentSheet(label, out)


def load_consent_sheet(path: Path) -> ConsentSheet:
    """Read the consent sheet at ``path`` (see :func:`parse_consent_sheet`).

    Raises:
        StudyError: the file is missing, larger than 4 MB, not UTF-8 or UTF-16, marked UTF-16
            but not readable as such, or invalid.
    """
    if not path.is_file():
        raise StudyError([Problem(str(path), 0, "consent sheet not found",
                                  "check the path you gave to --consent")])
    if path.stat().st_size > MAX_SHEET_BYTES:
        raise StudyError([Problem(path.name, 0, "consent sheet is larger than 4 MB")])
    raw = path.read_bytes()
    text = decode_text(raw, path.name)
    _check_utf16(raw, text, path.name)
    return parse_consent_sheet(text, path.name)


def _check_utf16(raw: bytes, text: str, label: str) -> None:
    """Refuse a sheet marked UTF-16 (a byte-order mark) whose first row, read as UTF-16,
    names none of the columns: its bytes are something else behind the mark, and "missing
    column(s)" would send the coordinator looking for a misspelt header.

    Raises:
        StudyError: naming the encoding and how to save the sheet as UTF-8 (exit code 2).
    """
    if not raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return
    first = text.split("\n", 1)[0].lower()
    garbled = any(ord(char) > 0x2FF for char in first)  # e.g. ASCII bytes read as UTF-16
    if garbled and not any(column in first for column in COLUMNS):
        raise StudyError([Problem(label, 1, "the file is marked UTF-16 (it starts with a "
                                  "byte-order mark) but does not read as UTF-16 text",
                                  "save it again as UTF-8 from the program that made it (Excel: "
                                  "Save As > 'CSV UTF-8 (Comma delimited)')")])
