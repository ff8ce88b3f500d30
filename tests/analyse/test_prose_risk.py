"""Issue 17 item 7: the disclosure-risk report reads quasi-identifiers in prose (planted
texts), beside the structured k."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from build_site.analyse.prose_risk import case_facts
from build_site.analyse.risk import exposures
from build_site.cli import main
from build_site.pipeline import build, prepare
from build_site.study import Clinician, SourceRef

REPO = Path(__file__).resolve().parents[2]


def _kinds(text: str) -> list[tuple[str, str]]:
    case = Clinician(id="X1", narrative=text, source=SourceRef(file="clinicians/X1.md",
                                                                 body_line=10))
    return [(f.kind, f.text) for f in case_facts(case)]


@pytest.mark.parametrize(("text", "expected"), [
    ("She has practised family medicine for twenty-seven years.",
     ("years", "practised family medicine for twenty-seven years")),
    ("After 31 years in practice he retired.", ("years", "31 years in practice")),
    ("He has practised there since 1994.", ("years", "practised there since 1994")),
    ("Elmquist, a farm town of about three thousand people.",
     ("population", "town of about three thousand")),
    ("Nearly 4,000 residents depend on the clinic.", ("population", "4,000 residents")),
    ("She is the town's only doctor.", ("unique role", "the town's only doctor")),
    ("He became medical director in the spring.", ("unique role", "medical director")),
    ("She was the first woman in the county to open a practice.",
     ("unique role", "first woman in the county")),
    ("He was sent to St. Aldric's Hospital that morning.",
     ("named place", "St. Aldric's Hospital")),
    ("They met by the Harbour Bridge.", ("named place", "Harbour Bridge")),
])
def test_each_kind_is_read(text: str, expected: tuple[str, str]) -> None:
    assert _kinds(text) == [expected]


@pytest.mark.parametrize("text", [
    "She has practised family medicine for more than twenty years.",  # a band, not a count
    "He talked about being the only man in the oncology waiting room.",
    "She waited three years before telling anyone.",
    "They met at the practice on a Tuesday.",
])
def test_ordinary_sentences_are_not_flagged(text: str) -> None:
    assert _kinds(text) == []


def test_facts_carry_their_line() -> None:
    case = Clinician(id="X1", narrative="Intro.\n\nShe is the town's only doctor.",
                     source=SourceRef(file="clinicians/X1.md", body_line=10))
    assert [f.where for f in case_facts(case)] == ["clinicians/X1.md:12"]


def _plant(tiny: Path) -> None:
    path = tiny / "clinicians" / "C1.md"
    path.write_text(path.read_text().replace(
        "Dr. Wren Alcott listens before she speaks.",
        "Dr. Wren Alcott has practised for twenty-three years in a town of 4,000 people."))


def test_exposures_carry_the_prose_beside_k(tiny: Path) -> None:
    _plant(tiny)
    rows = {e.who: e for e in exposures(prepare(tiny, "review", scan=False).public)}
    clinician = rows["clinician C1"]
    assert clinician.shown == ()  # nothing structured: k alone would say nothing individual
    assert [f.kind for f in clinician.prose] == ["years", "population"]
    assert rows["clinician C2"].prose == ()


def test_a_pseudonym_is_not_a_named_place(tiny: Path) -> None:
    path = tiny / "private" / "identifiers.yml"
    path.write_text(path.read_text() + "  - text: Gorse Lane Clinic\n"
                    "    replacement: Kestrel Community Hospital\n    kind: institution\n")
    _edit = tiny / "clinicians" / "C1.md"
    _edit.write_text(_edit.read_text().replace("listens before she speaks.",
                                               "works at Gorse Lane Clinic."))
    rows = {e.who: e for e in exposures(prepare(tiny, "review", scan=False).public)}
    assert rows["clinician C1"].prose == ()


def test_check_risk_prints_the_prose(tiny: Path) -> None:
    _plant(tiny)
    result = CliRunner().invoke(main, ["check", str(tiny), "--risk"], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert re.search(r"clinician C1 .*years: 'practised for twenty-three years'", result.output)


def test_dashboard_shows_the_prose(tiny: Path, tmp_path: Path) -> None:
    _plant(tiny)
    build(tiny, tmp_path / "review", audience="review")
    page = (tmp_path / "review" / "review" / "dashboard.html").read_text()
    assert "population: town of 4,000" in page


def test_bundled_clinicians_carry_no_count_of_years_or_town_size() -> None:
    rows = exposures(prepare(REPO / "casestudies", "review", scan=False).public)
    assert [(e.who, f.kind) for e in rows if e.who.startswith("clinician") for f in e.prose] == []
