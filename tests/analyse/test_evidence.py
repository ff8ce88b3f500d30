from __future__ import annotations

from pathlib import Path

from build_site.analyse import age_band, analyse, suppressed
from build_site.pipeline import load_and_validate
from build_site.privacy.selection import select


def test_age_bands_follow_safe_harbor() -> None:
    assert age_band(47, 10) == "40-49"
    assert age_band(89, 10) == "80-89"
    assert age_band(90, 10) == "90 or older"
    assert age_band(104, 5) == "90 or older"


def test_small_cells_are_suppressed() -> None:
    assert suppressed(1, 3) == "<3"
    assert suppressed(0, 3) == "0"
    assert suppressed(3, 3) == "3"


def test_evidence_and_evidenced_components(tiny: Path) -> None:
    analysis = analyse(select(load_and_validate(tiny), "review"))
    kindness = analysis.evidence["small-acts"]
    assert {q.excerpt.id for q in kindness.supporting} == {"C1-P1-E2", "C1-P2-E2"}
    assert [q.excerpt.id for q in analysis.evidence["staying"].disconfirming] == ["C2-P1-E1"]
    assert analysis.evidence["caring-builds-trust"].supporting[0].dyad == "C1-P2"
    # an element's evidence marks its component as evidenced too; disconfirming does not count
    assert {"small-acts", "caring", "caring-builds-trust"} <= analysis.dyad_evidenced["C1-P2"]
    assert "staying" not in analysis.dyad_evidenced["C2-P1"]
    assert analysis.nodes["small-acts"].parent == "caring"


def test_demographics_tables_band_and_suppress(tiny: Path) -> None:
    analysis = analyse(select(load_and_validate(tiny), "review"))
    rows = {(label, value): count for label, value, count in analysis.patient_table.rows}
    # three ages in three bands, each below min_cell_size 2: the field is not broken down
    assert rows[("Age", "not broken down (a group is smaller than 2)")] == "hidden"
    assert not any(label == "Age" and "90" in value for label, value in rows)
    assert rows[("Conditions", "diabetes")] == "2"


def test_wide_bands_absorb_the_oldest_ages() -> None:
    assert age_band(91, 20) == "80 or older"
    assert age_band(79, 20) == "60-79"
    assert age_band(87, 5) == "85-89"


def test_risk_report_flags_unique_combinations(tiny: Path) -> None:
    from build_site.analyse.risk import exposures

    path = tiny / "dyads" / "C1-P2.md"
    path.write_text(path.read_text().replace("status: approved",
                                             "status: approved\nquasi_identifiers: {job: baker}"))
    found = {e.who: e for e in exposures(select(load_and_validate(tiny), "public"))}
    p1, p2 = found["patient in C1-P1"], found["patient in C1-P2"]
    assert p1.shown == (("age", "90 or older"), ("conditions", "diabetes"), ("gender", "woman"))
    assert p1.unique and p1.k == 1
    assert ("job", "baker") in p2.shown and p2.unique


def test_a_code_spanning_components_evidences_each(tiny: Path) -> None:
    """A codebook ``component`` list (issue 24 item 3): an excerpt coded with the code is
    evidence for every component named, and marks each as evidenced for its dyad."""
    codebook = tiny / "codebook.yml"
    text = codebook.read_text("utf-8")
    codebook.write_text(text.replace("    component: listening\n",
                                     "    component: [listening, trust]\n", 1), "utf-8")
    analysis = analyse(select(load_and_validate(tiny), "review"))
    assert analysis.code_targets["heard"] == ("listening", "trust")
    heard = {q.excerpt.id for q in analysis.evidence["listening"].supporting}
    trusted = {q.excerpt.id for q in analysis.evidence["trust"].supporting}
    assert "C1-P1-E1" in heard and "C1-P1-E1" in trusted
    # the excerpt is listed once under trust even though it holds two codes that reach it
    assert [q.excerpt.id for q in analysis.evidence["trust"].supporting].count("C1-P1-E1") == 1
    assert {"listening", "trust"} <= analysis.dyad_evidenced["C1-P1"]
