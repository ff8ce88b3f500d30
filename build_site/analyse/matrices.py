"""Cross-case displays: the meta-matrix (dyads by components and elements, after Miles and
Huberman) and the clinician-by-component matrix, as in the Framework Method's charting step.

A cell holds the analysts' summary for that dyad and component where the study folder has one
(``summaries`` in the dyad's front matter), and always the exact excerpts behind it: those of
the dyad coded to the component or any of its elements, contrastive comments excluded.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from build_site.analyse.evidence import Analysis, Node, Quote, descendants
from build_site.naturalorder import natural_key
from build_site.study import Dyad, Study


@dataclass
class Cell:
    """One dyad-by-component cell."""

    supporting: list[Quote] = field(default_factory=list)
    disconfirming: list[Quote] = field(default_factory=list)
    summary: str = ""

    @property
    def state(self) -> str:
        """``both``, ``supporting``, ``disconfirming`` or ``empty``."""
        if self.supporting and self.disconfirming:
            return "both"
        if self.supporting:
            return "supporting"
        return "disconfirming" if self.disconfirming else "empty"

    @property
    def count(self) -> int:
        """Number of excerpts behind the cell."""
        return len(self.supporting) + len(self.disconfirming)


@dataclass
class MatrixRow:
    """A dyad's row: its cells by component or element id."""

    dyad: Dyad
    cells: dict[str, Cell]


@dataclass
class Column:
    """A matrix column: a component or element with its depth (0 for a component)."""

    node: Node
    depth: int


@dataclass
class ClinicianRow:
    """A clinician's row: per component, the number of their dyads with evidence
    (``cells``) and those dyads' ids (``cell_dyads``, what public pages list)."""

    clinician: str
    dyads: int
    cells: dict[str, int]
    cell_dyads: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class MetaMatrix:
    """The meta-matrix and the clinician-by-component matrix beside it."""

    columns: list[Column]
    rows: list[MatrixRow]
    clinician_rows: list[ClinicianRow]
    linked: bool = True


def columns(analysis: Analysis) -> list[Column]:
    """Every component and element in model order, each followed by its elements."""
    out: list[Column] = []

    def walk(node: Node, depth: int) -> None:
        out.append(Column(node, depth))
        for child in node.children:
            walk(analysis.nodes[child], depth + 1)

    for node in analysis.nodes.values():
        if node.is_component:
            walk(node, 0)
    return out


# target -> dyad -> (supporting, disconfirming) quotes, each in the evidence's own order
QuoteIndex = dict[str, dict[str, tuple[list[Quote], list[Quote]]]]


def quotes_by_dyad(analysis: Analysis) -> QuoteIndex:
    """The evidence of every component, element and relation split by dyad, in one pass over
    the quotes: a cell then reads its dyad's quotes instead of scanning every dyad's (that was
    dyads x dyads x components at 1,000 dyads)."""
    index: QuoteIndex = {}
    for target, evidence in analysis.evidence.items():
        by_dyad = index.setdefault(target, {})
        for position, quotes in enumerate((evidence.supporting, evidence.disconfirming)):
            for quote in quotes:
                if quote.dyad is not None:
                    by_dyad.setdefault(quote.dyad, ([], []))[position].append(quote)
    return index


def cell_for(analysis: Analysis, dyad: Dyad, node_id: str,
             index: QuoteIndex | None = None) -> Cell:
    """The quotes of ``dyad`` coded to ``node_id`` or any of its elements (each excerpt once).
    ``index``: :func:`quotes_by_dyad` of ``analysis``, when the caller made it already."""
    index = quotes_by_dyad(analysis) if index is None else index
    cell = Cell(summary=dyad.summaries.get(node_id, ""))
    found = [index.get(target, {}).get(dyad.id)
             for target in [node_id, *descendants(analysis, node_id)]]
    _fill(cell, [pair for pair in found if pair is not None])
    return cell


def _rows(analysis: Analysis, cols: list[Column], ordered: list[Dyad]) -> list[MatrixRow]:
    """Each dyad's row, every cell what :func:`cell_for` gives (the same quotes, order and
    summary), read from the index turned round (dyad -> target -> quotes) with each column's
    targets listed once: at 1,000 dyads and 21 columns most of the 21,000 cells are empty, and
    :func:`cell_for` walked the model and two dictionaries for each (issue 25)."""
    by_dyad: dict[str, dict[str, tuple[list[Quote], list[Quote]]]] = {}
    for target, dyads in quotes_by_dyad(analysis).items():
        for dyad_id, pair in dyads.items():
            by_dyad.setdefault(dyad_id, {})[target] = pair
    targets = [(c.node.id, [c.node.id, *descendants(analysis, c.node.id)]) for c in cols]
    rows: list[MatrixRow] = []
    for dyad in ordered:
        mine = by_dyad.get(dyad.id, {})
        cells: dict[str, Cell] = {}
        for node_id, node_targets in targets:
            cell = Cell(summary=dyad.summaries.get(node_id, ""))
            found = [mine[t] for t in node_targets if t in mine]
            if found:
                _fill(cell, found)
            cells[node_id] = cell
        rows.append(MatrixRow(dyad, cells))
    return rows


def _fill(cell: Cell, found: list[tuple[list[Quote], list[Quote]]]) -> None:
    """Put into ``cell`` the quotes of ``found`` (supporting, disconfirming pairs, in target
    order), each excerpt once, each bucket in natural order of excerpt id: as :func:`cell_for`."""
    if len(found) == 1 and len(found[0][0]) + len(found[0][1]) == 1:  # most filled cells
        cell.supporting.extend(found[0][0])
        cell.disconfirming.extend(found[0][1])
        return
    seen: set[str] = set()
    for pair in found:
        for bucket, quotes in zip((cell.supporting, cell.disconfirming), pair, strict=True):
            for quote in quotes:
                if quote.excerpt.id not in seen:
                    seen.add(quote.excerpt.id)
                    bucket.append(quote)
    for bucket in (cell.supporting, cell.disconfirming):
        if len(bucket) > 1:
            bucket.sort(key=lambda q: natural_key(q.excerpt.id))


def meta_matrix(study: Study, analysis: Analysis) -> MetaMatrix:
    """Build both matrices from an analysed study (rows in clinician, then dyad order).

    When the study hides clinicians (``clinician_links`` False) the rows are in dyad id order
    and there is no clinician matrix: it would say how many dyads each clinician has.
    """
    cols = columns(analysis)
    ordered = [d for c in study.clinicians for d in analysis.dyads_by_clinician.get(c.id, [])]
    if not study.clinician_links:
        ordered = sorted(study.dyads, key=lambda d: natural_key(d.id))
    rows = _rows(analysis, cols, ordered)
    clinician_rows: list[ClinicianRow] = []
    if not study.clinician_links:
        return MetaMatrix(cols, rows, clinician_rows, linked=False)
    rows_of: dict[str, list[MatrixRow]] = {}
    for row in rows:
        rows_of.setdefault(row.dyad.clinician, []).append(row)
    for clinician in study.clinicians:
        mine = rows_of.get(clinician.id, [])
        found = {c.node.id: [r.dyad.id for r in mine
                             if r.cells[c.node.id].state in ("supporting", "both")]
                 for c in cols}
        clinician_rows.append(ClinicianRow(
            clinician.id, len(mine), {i: len(ids) for i, ids in found.items()}, found))
    return MetaMatrix(cols, rows, clinician_rows)
