"""The REFI-QDA commands, run through the build-site command group."""

from __future__ import annotations

import zipfile
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from build_site.cli import main
from build_site.pipeline import load_and_validate
from tests.refi_qda.qdpx_builder import CODES, FIXTURES, INTERVIEW, Src, project_xml, write_qdpx
from tests.refi_qda.qdpx_builder import standard_selections as selections


@pytest.fixture
def cli() -> click.Group:
    return main


def test_commands_are_registered(cli: click.Group) -> None:
    assert {"export-qdpx", "import-qdc", "import-qdpx"} <= set(cli.commands)
    help_text = CliRunner().invoke(cli, ["import-qdpx", "--help"]).output
    assert "--mapping" in help_text and "--line-endings" in help_text and "--debug" in help_text


def test_import_export_commands(cli: click.Group, tmp_path: Path) -> None:
    crlf = INTERVIEW.replace("\n", "\r\n")
    qdpx = write_qdpx(tmp_path / "p.qdpx", project_xml(
        CODES, [Src(1, "one", "internal://a.txt", selections=selections(crlf))],
        origin="SomeTool"), {"sources/a.txt": crlf})
    to = tmp_path / "study"
    result = CliRunner().invoke(cli, ["import-qdpx", str(qdpx), "--to", str(to),
                                      "--line-endings", "two", "--speaker", "clinician"])
    assert result.exit_code == 0, result.output
    assert "# Import report" in result.output and "Imported 3 excerpts" in result.output
    assert "as the line_endings option says" in result.output
    study = load_and_validate(to)
    assert {e.speaker.value for e in study.dyads[0].excerpts} == {"clinician"}
    out = tmp_path / "out.qdpx"
    result = CliRunner().invoke(cli, ["export-qdpx", str(to), "--out", str(out),
                                      "--line-endings", "lf"])
    assert result.exit_code == 0, result.output
    assert "3 selections" in result.output and "keep it private" in result.output
    with zipfile.ZipFile(out) as archive:
        assert "project.qde" in archive.namelist()


def test_import_qdc_command(cli: click.Group, tmp_path: Path) -> None:
    to = tmp_path / "study"
    result = CliRunner().invoke(cli, ["import-qdc", str(FIXTURES / "codebook.qdc"), "--to",
                                      str(to)])
    assert result.exit_code == 0, result.output
    assert len(load_and_validate(to).codebook.codes) == 5


def test_bad_mapping_exits_2(cli: click.Group, tmp_path: Path) -> None:
    mapping = tmp_path / "m.yml"
    mapping.write_text("sources:\n  x: {colour: red}\n", encoding="utf-8")
    qdpx = write_qdpx(tmp_path / "p.qdpx", project_xml(CODES, []))
    result = CliRunner().invoke(cli, ["import-qdpx", str(qdpx), "--to", str(tmp_path / "s"),
                                      "--mapping", str(mapping)])
    assert result.exit_code == 2
    assert "m.yml:2: unknown field 'colour'" in result.output
    assert not (tmp_path / "s").exists()


def test_missing_inputs_exit_2(cli: click.Group, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["import-qdpx", str(tmp_path / "nope.qdpx"), "--to",
                                      str(tmp_path / "s")])
    assert result.exit_code == 2 and "file not found" in result.output
    result = CliRunner().invoke(cli, ["export-qdpx", str(tmp_path / "nostudy"), "--out",
                                      str(tmp_path / "x.qdpx")])
    assert result.exit_code == 2 and "study folder not found" in result.output


def test_import_with_consent_sheet_and_apply_mapping_commands(cli: click.Group,
                                                              tmp_path: Path) -> None:
    qdpx = write_qdpx(tmp_path / "p.qdpx", project_xml(
        CODES, [Src(1, "one", "internal://a.txt", selections=selections(INTERVIEW))]),
        {"sources/a.txt": INTERVIEW})
    sheet = tmp_path / "consent.csv"
    sheet.write_text("case,participant,quote,public_site,archive,share_with_clinician,"
                     "withdrawn\none,,yes,yes,no,no,no\n", encoding="utf-8")
    to = tmp_path / "study"
    result = CliRunner().invoke(cli, ["import-qdpx", str(qdpx), "--to", str(to),
                                      "--consent", str(sheet)])
    assert result.exit_code == 0, result.output
    assert "build-site apply-mapping" in result.output
    assert load_and_validate(to).dyads[0].consent.patient.allows_public_quote()
    mapping = tmp_path / "m.yml"
    mapping.write_text("cases:\n  one: {dyad: one, clinician: D1, status: approved}\n",
                       encoding="utf-8")
    result = CliRunner().invoke(cli, ["apply-mapping", str(to), "--mapping", str(mapping)])
    assert result.exit_code == 0, result.output
    assert "created `clinicians/D1.md`" in result.output
    assert "deleted `clinicians/unassigned.md`" in result.output
    (dyad,) = load_and_validate(to).dyads
    assert (dyad.clinician, dyad.status.value) == ("D1", "approved")
