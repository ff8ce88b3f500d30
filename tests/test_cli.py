from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from build_site.cli import main


def test_check_reports_valid_study(tiny: Path) -> None:
    result = CliRunner().invoke(main, ["check", str(tiny)])
    assert result.exit_code == 0
    assert "validated (2 clinicians, 3 dyads" in result.output
    assert result.output.rstrip().endswith(
        "Ready for a public build: nothing above stops it (the build still checks the finished "
        "site for listed identifiers and loads from other hosts; the sign-off: "
        "`build-site manifest --changes`).")


def test_invalid_study_exits_2_without_traceback(tiny: Path) -> None:
    path = tiny / "codebook.yml"
    path.write_text(path.read_text() + "  - id: heard\n    label: Again\n")
    result = CliRunner().invoke(main, ["check", str(tiny)])
    assert result.exit_code == 2
    assert "codebook.yml:" in result.output and "duplicate id 'heard'" in result.output
    assert "Traceback" not in result.output


def test_output_inside_study_is_refused(tiny: Path) -> None:
    result = CliRunner().invoke(main, ["build", str(tiny), "--out", str(tiny / "site")])
    assert result.exit_code == 2
    assert "inside the study folder" in result.output
    assert not (tiny / "site").exists()


def test_build_succeeds_and_reports(tiny: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = CliRunner().invoke(main, ["build", str(tiny), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Built" in result.output and (out / "index.html").is_file()


def test_a_problem_of_no_file_prints_without_a_stray_colon(tiny: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    """newuser10: without Zensical, 'build --engine zensical' printed 'error : the Zensical
    engine is not installed'."""
    monkeypatch.setitem(sys.modules, "zensical", None)  # the import fails as if not installed
    result = CliRunner().invoke(main, ["build", str(tiny), "--engine", "zensical",
                                       "--out", str(tmp_path / "site")],
                                env={"COLUMNS": "200"})
    assert result.exit_code == 2
    assert "error the Zensical engine is not installed - pip install" in result.output
    assert "error :" not in result.output
