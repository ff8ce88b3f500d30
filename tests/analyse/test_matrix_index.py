"""The meta-matrix's cells read from an index of quotes by dyad (issue 25) hold what the scan
over every dyad's quotes found, in the same order."""

from __future__ import annotations

from pathlib import Path

import pytest

from build_site.analyse import Analysis, analyse
from build_site.analyse.evidence import descendants
from build_site.analyse.matrices import Cell, cell_for, columns, quotes_by_dyad
from build_site.naturalorder import natural_key
from build_site.pipeline import load_and_validate
from build_site.privacy.selection import select
from build_site.study import Dyad, Study
from build_site.synth import write_synthetic_study

REPO = Path(__file__).resolve().parents[2]


def _scanned_cell(analysis: Analysis, dyad: Dyad, node_id: str) -> Cell:
    """cell_for as written before issue 25: every quote of each target, filtered by dyad."""
    cell = Cell(summary=dyad.summaries.get(node_id, ""))
    seen: set[str] = set()
    for target in [node_id, *descendants(analysis, node_id)]:
        evidence = analysis.evidence.get(target)
        if evidence is None:
            continue
        for bucket, quotes in ((cell.supporting, evidence.supporting),
                               (cell.disconfirming, evidence.disconfirming)):
            for quote in quotes:
                if quote.dyad == dyad.id and quote.excerpt.id not in seen:
                    seen.add(quote.excerpt.id)
                    bucket.append(quote)
    for bucket in (cell.supporting, cell.disconfirming):
        bucket.sort(key=lambda q: natural_key(q.excerpt.id))
    return cell


def _studies(tmp: Path) -> list[Study]:
    synthetic = tmp / "synth"
    write_synthetic_study(synthetic, 12, 3, 6, 4)
    return [select(load_and_validate(path), audience)
            for path in (REPO / "casestudies", REPO / "examples" / "osce", synthetic)
            for audience in ("public", "review")]


def test_indexed_cells_equal_scanned_cells(tmp_path: Path) -> None:
    compared = filled = 0
    studies = _studies(tmp_path)
    for study in studies:
        analysis = analyse(study)
        index = quotes_by_dyad(analysis)
        for dyad in study.dyads:
            for col in columns(analysis):
                scanned = _scanned_cell(analysis, dyad, col.node.id)
                assert cell_for(analysis, dyad, col.node.id, index) == scanned
                assert cell_for(analysis, dyad, col.node.id) == scanned
                compared += 1
                filled += bool(scanned.supporting or scanned.disconfirming)
        assert analysis.matrix is not None
        rows = {r.dyad.id: r for r in analysis.matrix.rows}
        for dyad_id, row in rows.items():
            dyad = next(d for d in study.dyads if d.id == dyad_id)
            assert row.cells == {c: _scanned_cell(analysis, dyad, c) for c in row.cells}
    assert compared > 500 and filled > 100
    assert any(_has_disconfirming(s) for s in studies)


def _has_disconfirming(study: Study) -> bool:
    return any(e.disconfirming for d in study.dyads for e in d.excerpts)


@pytest.mark.parametrize("audience", ["public", "review"])
def test_clinician_rows_hold_each_clinicians_dyads(audience: str) -> None:
    study = select(load_and_validate(REPO / "casestudies"), audience)  # type: ignore[arg-type]
    matrix = analyse(study).matrix
    assert matrix is not None and matrix.clinician_rows
    for row in matrix.clinician_rows:
        mine = [r for r in matrix.rows if r.dyad.clinician == row.clinician]
        assert row.dyads == len(mine)
        for node_id, ids in row.cell_dyads.items():
            assert ids == [r.dyad.id for r in mine
                           if r.cells[node_id].state in ("supporting", "both")]
