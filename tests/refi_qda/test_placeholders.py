"""Issue 22 item 2: what the importer invents is marked; ``check`` lists it, the review copy
shows it, a public build refuses it (exit 2, saying what to replace)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from build_site.cli import main
from build_site.errors import EXIT_INVALID, StudyError
from build_site.pipeline import build, load_and_validate
from build_site.placeholders import find_placeholders
from build_site.refi_qda.exchange import import_qdc, import_qdpx
from tests.refi_qda.qdpx_builder import (
    CODES,
    FIXTURES,
    INTERVIEW,
    Src,
    project_xml,
    standard_selections,
    write_qdpx,
)

MODEL = ("# PLACEHOLDER in a comment is not read\ncomponents:\n  - id: trust-building\n"
         "    kind: process\n    label: Trust building\n")


@pytest.fixture
def imported(tmp_path: Path) -> Path:
    qdpx = write_qdpx(tmp_path / "p.qdpx", project_xml(CODES, [Src(
        1, "Interview one", "internal://interview-1.txt",
        selections=standard_selections(INTERVIEW))]), {"sources/interview-1.txt": INTERVIEW})
    import_qdpx(qdpx, tmp_path / "study")
    return tmp_path / "study"


def _line(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if needle in line)


def test_every_invented_thing_is_found_with_its_line(imported: Path) -> None:
    found = {(p.file, p.line): p.what for p in find_placeholders(load_and_validate(imported),
                                                                   imported)}
    dyad = imported / "dyads/Interview-one.md"
    assert found == {
        ("study.yml", _line(imported / "study.yml", "title:")):
            "study.yml text written by the importer (title, overview)",
        ("model.yml", _line(imported / "model.yml", "label:")):
            "the model is the importer's placeholder (components.0.label, "
            "components.0.definition)",
        ("clinicians/unassigned.md", _line(imported / "clinicians/unassigned.md",
                                           "PLACEHOLDER clinician")):
            "a stand-in clinician for dyads whose clinician is not known",
        ("dyads/Interview-one.md", _line(dyad, "PLACEHOLDER narrative")): "the narrative",
        ("dyads/Interview-one.md", _line(dyad, "clinician: unassigned")):
            "the dyad's clinician 'unassigned' is a stand-in",
    }


def test_public_build_refuses_the_placeholder_model_and_says_what_to_replace(
        imported: Path, tmp_path: Path) -> None:
    with pytest.raises(StudyError) as refused:
        build(imported, tmp_path / "site")
    assert refused.value.exit_code == EXIT_INVALID
    by_file = {p.file: p for p in refused.value.problems}
    assert set(by_file) == {"study.yml", "model.yml"}  # no case is public yet: no consent
    assert "write the study's components in model.yml" in by_file["model.yml"].hint
    assert not (tmp_path / "site").exists()
    (imported / "model.yml").write_text(MODEL, encoding="utf-8")
    with pytest.raises(StudyError) as refused:
        build(imported, tmp_path / "site")
    assert {p.file for p in refused.value.problems} == {"study.yml"}


def test_review_copy_and_check_show_every_placeholder(imported: Path, tmp_path: Path) -> None:
    out = tmp_path / "review"
    build(imported, out, audience="review")
    dashboard = (out / "review" / "dashboard.html").read_text(encoding="utf-8")
    section = dashboard.split('id="placeholders"', 1)[1]
    for where in ("study.yml", "model.yml", "clinicians/unassigned.md",
                  "dyads/Interview-one.md"):
        assert where in section
    assert "PLACEHOLDER" in (out / "index.html").read_text(encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(imported)])
    lines = [line for line in result.output.splitlines() if line.startswith("placeholder ")]
    assert len(lines) == 5 and any(line.startswith("placeholder model.yml:") for line in lines)
    assert "a public build is refused (exit 2)" in result.output
    # check refuses what a build refuses, and says so last (a new user read "valid" as ready)
    assert result.exit_code == 2, result.output
    assert "Not ready for a public build: placeholders remain" in result.output
    assert "Ready for a public build" not in result.output.replace("Not ready", "")


def test_a_replaced_model_is_no_placeholder(imported: Path) -> None:
    (imported / "model.yml").write_text(MODEL, encoding="utf-8")
    found = find_placeholders(load_and_validate(imported), imported)
    assert "model.yml" not in {p.file for p in found}


def test_import_qdc_names_itself(tmp_path: Path) -> None:
    report = import_qdc(FIXTURES / "codebook.qdc", tmp_path / "study")
    text = (tmp_path / "study" / "import-report.md").read_text(encoding="utf-8")
    assert report.command == "import-qdc" and "`build-site import-qdc`" in text
    assert "import-qdpx" not in text
    assert "import-qdpx" not in (tmp_path / "study" / "study.yml").read_text(encoding="utf-8")
    found = find_placeholders(load_and_validate(tmp_path / "study"), tmp_path / "study")
    assert "dyads/placeholder-dyad.md" in {p.file for p in found}
