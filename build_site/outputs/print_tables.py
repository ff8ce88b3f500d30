"""Wide matrices for paper: split by columns into parts that each fit a landscape page at a
legible size, the case column(s) repeated in every part.

On screen the meta-matrix scrolls (sticky header row and case column); paper cannot scroll,
and shrinking every column onto one page set the cells at 5.5 to 6 pt (issue 23). So the print
document (``outputs/pdf.py``) gets the table as several tables, each with the case columns and
at most :data:`COLUMNS_PER_PART` component columns, so the stylesheet (``print.css``) can set
them at 7.5 pt with the summaries at 7 pt. Each part is captioned with the columns it holds.
"""

from __future__ import annotations

import copy
import math

from lxml.html import HtmlElement

COLUMNS_PER_PART = 7
"""Component columns per part of a matrix with summaries: a landscape A4 text width (273 mm)
less the case columns leaves about 34 mm per column, room for a summary at 7 pt."""
COLUMNS_PER_PART_PLAIN = 12
"""Component columns per part of a matrix without summaries (marks, counts or case ids)."""
_CLASS = 'contains(concat(" ", normalize-space(@class), " "), " {} ")'


def _case_columns(table: HtmlElement) -> int:
    """How many leading columns name the case (``th.bs-case`` in the header row)."""
    header = table.xpath("./thead/tr[1]/th")
    count = 0
    for th in header:
        if "bs-case" not in (th.get("class") or "").split():
            break
        count += 1
    return max(count, 1)


def _parts(columns: int, most: int) -> list[range]:
    """Column ranges of nearly equal size, none larger than ``most``."""
    count = math.ceil(columns / most)
    size = math.ceil(columns / count)
    return [range(start, min(start + size, columns)) for start in range(0, columns, size)]


def _keep(row: HtmlElement, cases: int, part: range) -> None:
    """Drop from ``row`` the cells outside the case columns and ``part``; a row of one
    spanning cell (a clinician's heading) keeps it, spanning the part's columns."""
    cells = list(row)
    if len(cells) == 1 and cells[0].get("colspan"):
        cells[0].set("colspan", str(cases + len(part)))
        return
    for index, cell in enumerate(cells):
        if index >= cases and (index - cases) not in part:
            row.remove(cell)


def split_table(table: HtmlElement) -> list[HtmlElement]:
    """The parts of one matrix (``[table]`` itself when it fits one part): at most
    :data:`COLUMNS_PER_PART` component columns each when cells hold summaries, else at most
    :data:`COLUMNS_PER_PART_PLAIN`.

    Returns:
        Copies of ``table``, each with the case columns and one run of component columns,
        captioned "(part i of n: columns a-b of c)" after the table's own caption.
    """
    cases = _case_columns(table)
    header = table.xpath("./thead/tr[1]/th")
    columns = len(header) - cases
    most = (COLUMNS_PER_PART if table.xpath(".//*[" + _CLASS.format("bs-summary") + "]")
            else COLUMNS_PER_PART_PLAIN)
    if columns <= most:
        return [table]
    ranges = _parts(columns, most)
    parts = []
    for number, part in enumerate(ranges, start=1):
        piece = copy.deepcopy(table)
        if number > 1:
            piece.attrib.pop("id", None)  # ids stay unique in the print document
        for row in piece.xpath("./thead/tr | ./tbody/tr | ./tr"):
            _keep(row, cases, part)
        caption = piece.find("caption")
        if caption is not None:
            caption.text = (f"{caption.text_content().strip()} (part {number} of {len(ranges)}:"
                            f" columns {part.start + 1}–{part.stop} of {columns})")
            for child in list(caption):
                caption.remove(child)
        piece.set("class", (piece.get("class", "") + " bs-part").strip())
        parts.append(piece)
    return parts


def split_wide_tables(article: HtmlElement) -> None:
    """Replace every matrix (``table.bs-matrix``) in ``article`` by its parts, in place."""
    for table in article.xpath(".//table[" + _CLASS.format("bs-matrix") + "]"):
        parts = split_table(table)
        if len(parts) == 1:
            continue
        parent = table.getparent()
        at = parent.index(table)
        parent.remove(table)
        for offset, piece in enumerate(parts):
            parent.insert(at + offset, piece)
