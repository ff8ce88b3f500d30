"""``build-site new DIR``: a small study that builds at once, from inside its folder with no
arguments (issue 20, item 2)."""

from __future__ import annotations

import shlex
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from build_site.cli import main
from build_site.newstudy import TEMPLATE, template_files
from build_site.offline import external_loads
from build_site.publish import read_marker
from tests.conftest import REPO


def test_new_then_a_public_build_from_inside_with_no_arguments(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    study = tmp_path / "my-study"
    made = CliRunner().invoke(main, ["new", str(study)])
    assert made.exit_code == 0, made.output
    assert "Nothing is signed off for you" in made.output
    monkeypatch.chdir(study)
    checked = CliRunner().invoke(main, ["check"])
    assert checked.exit_code == 0, checked.output
    built = CliRunner().invoke(main, ["build"])
    assert built.exit_code == 0, built.output
    site = tmp_path / "my-study-site"
    assert read_marker(site)["folder"] == "my-study"
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "Not signed off" in home and 'class="md-tabs"' in home
    assert 'data-md-color-scheme="slate"' in home  # the example's palette keeps dark mode
    about = (site / "about.html").read_text(encoding="utf-8")
    assert "build-site manifest --record" in about  # the banner, explained on the page
    dyad = (site / "dyads" / "C1-P1.html").read_text(encoding="utf-8")
    assert "Rosa" in dyad and "Esther" not in dyad and "Tolliver" not in dyad
    assert external_loads(site) == []
    assert not (study / "site").exists()


def test_the_new_study_keeps_private_out_of_git(tmp_path: Path) -> None:
    study = tmp_path / "s"
    assert CliRunner().invoke(main, ["new", str(study)]).exit_code == 0
    assert (study / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "private/"
    assert (study / "private" / "identifiers.yml").is_file()
    assert (study / "private").stat().st_mode & 0o077 == 0
    assert "sign_off" not in (study / "study.yml").read_text(encoding="utf-8")


def test_new_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    result = CliRunner().invoke(main, ["new", str(tmp_path)])
    assert result.exit_code == 2
    assert "the folder is not empty" in result.output and "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_new_refuses_a_file(tmp_path: Path) -> None:
    target = tmp_path / "study"
    target.write_text("x", encoding="utf-8")
    result = CliRunner().invoke(main, ["new", str(target)])
    assert result.exit_code == 2 and "a file is in the way" in result.output


def test_new_writes_into_an_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert CliRunner().invoke(main, ["new", str(tmp_path / "empty")]).exit_code == 0
    assert (tmp_path / "empty" / "study.yml").is_file()


def test_the_template_ships_as_package_data() -> None:
    """Every template file matches a package-data pattern of pyproject.toml, as setuptools
    globs them (a file no pattern names is left out of the wheel)."""
    package = REPO / "build_site"
    patterns = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))[
        "tool"]["setuptools"]["package-data"]["build_site"]
    shipped = {p for pattern in patterns for p in package.glob(pattern) if p.is_file()}
    template = package.joinpath(*TEMPLATE)
    files = {p for p in template.rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    assert files and files <= shipped, sorted(map(str, files - shipped))
    assert ".gitignore" in template_files() and "gitignore" not in template_files()


@pytest.mark.parametrize("inside", ["sub", "a/b"])
def test_new_refuses_a_folder_inside_a_study(tmp_path: Path, inside: str) -> None:
    parent = tmp_path / "tiny"
    assert CliRunner().invoke(main, ["new", str(parent)]).exit_code == 0
    before = sorted(p.relative_to(parent) for p in parent.rglob("*"))
    result = CliRunner().invoke(main, ["new", str(parent / inside)])
    assert result.exit_code == 2, result.output
    assert f"it is inside the study folder {parent} (it holds study.yml)" in result.output
    assert "Traceback" not in result.output
    assert sorted(p.relative_to(parent) for p in parent.rglob("*")) == before


def test_the_cd_hint_is_quoted_as_a_shell_reads_it(tmp_path: Path) -> None:
    study = tmp_path / "with space é $HOME;x"
    result = CliRunner().invoke(main, ["new", str(study)])
    assert result.exit_code == 0, result.output
    [line] = [ln for ln in result.output.splitlines() if ln.strip().startswith("cd ")]
    assert shlex.split(line) == ["cd", str(study)]


@pytest.mark.parametrize("below", ["", "sub"])
def test_new_on_a_dangling_link_says_where_it_points(tmp_path: Path, below: str) -> None:
    link = tmp_path / "dangling"
    link.symlink_to(tmp_path / "nonexist")
    result = CliRunner().invoke(main, ["new", str(link / below) if below else str(link)])
    assert result.exit_code == 2, result.output
    said = "it" if not below else str(link)
    assert (f"{said} is a symbolic link to {tmp_path / 'nonexist'}, which does not exist"
            in result.output)
    assert "File exists" not in result.output and not (tmp_path / "nonexist").exists()


def test_new_on_a_loop_of_links_says_it_loops(tmp_path: Path) -> None:
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    result = CliRunner().invoke(main, ["new", str(tmp_path / "a")])
    assert result.exit_code == 2 and "loops back to itself" in result.output, result.output
