from __future__ import annotations

from pathlib import Path

from build_site.analyse import analyse
from build_site.pipeline import load_and_validate
from build_site.privacy.selection import select


def _matrix(tiny: Path, audience: str = "review"):  # type: ignore[no-untyped-def]
    study = select(load_and_validate(tiny), audience)  # type: ignore[arg-type]
    return analyse(study).matrix


def test_columns_are_components_then_their_elements(tiny: Path) -> None:
    matrix = _matrix(tiny)
    assert [(c.node.id, c.depth) for c in matrix.columns] == [
        ("listening", 0), ("caring", 0), ("small-acts", 1), ("staying", 1), ("trust", 0)]


def test_cells_hold_exact_excerpts_and_states(tiny: Path) -> None:
    rows = {r.dyad.id: r for r in _matrix(tiny).rows}
    caring = rows["C1-P2"].cells["caring"]  # via its elements staying and small-acts
    assert [q.excerpt.id for q in caring.supporting] == ["C1-P2-E1", "C1-P2-E2"]
    assert caring.state == "supporting"
    assert rows["C2-P1"].cells["staying"].state == "disconfirming"
    assert rows["C1-P1"].cells["trust"].count == 1
    assert rows["C1-P1"].cells["staying"].state == "empty"
    # the contrastive comment C1-P1-E3 is coded to no component and counts nowhere
    assert all("C1-P1-E3" not in [q.excerpt.id for q in c.supporting]
               for c in rows["C1-P1"].cells.values())


def test_summaries_fill_cells(tiny: Path) -> None:
    path = tiny / "dyads" / "C1-P1.md"
    text = path.read_text().replace("memos:", "summaries:\n  trust: Relied on her.\nmemos:", 1)
    path.write_text(text)
    rows = {r.dyad.id: r for r in _matrix(tiny).rows}
    assert rows["C1-P1"].cells["trust"].summary == "Relied on her."


def test_clinician_matrix_counts_dyads_not_excerpts(tiny: Path) -> None:
    clinicians = {r.clinician: r for r in _matrix(tiny).clinician_rows}
    assert clinicians["C1"].dyads == 2
    assert clinicians["C1"].cells["caring"] == 2  # C1-P1 (spouse, kindness) and C1-P2
    assert clinicians["C2"].cells["staying"] == 0  # disconfirming only


def test_clinician_matrix_names_the_dyads_behind_each_count(tiny: Path) -> None:
    """Issue 19 item 3: public pages list these dyads instead of the count."""
    clinicians = {r.clinician: r for r in _matrix(tiny).clinician_rows}
    assert clinicians["C1"].cell_dyads["caring"] == ["C1-P1", "C1-P2"]
    assert clinicians["C2"].cell_dyads["staying"] == []  # disconfirming only
