"""Commands without arguments: the study is the folder holding study.yml, outputs go beside
it, and two studies never silently share an output (issue 20, item 3)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from build_site.cli import main
from build_site.errors import UsageError
from build_site.locate import default_output, find_study
from build_site.pipeline import build
from build_site.publish import read_marker


def test_the_study_is_found_here_and_above(tiny: Path) -> None:
    assert find_study(None, tiny) == tiny.resolve()
    assert find_study(None, tiny / "dyads") == tiny.resolve()
    assert find_study(Path("elsewhere"), tiny) == Path("elsewhere")


def test_no_study_found_says_how_to_start_one(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as refused:
        find_study(None, tmp_path)
    message = str(refused.value)
    assert "no study.yml in this folder" in message
    assert "build-site new DIR" in message and "casestudies/" in message


def test_no_study_found_names_the_study_folders_below(tiny: Path) -> None:
    with pytest.raises(UsageError) as refused:
        find_study(None, tiny.parent)
    assert "study folders here: tiny (e.g. build-site build tiny)" in str(refused.value)


def test_the_cli_without_a_study_exits_2_with_the_way_to_start(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 2
    assert "build-site new DIR" in result.output and "Traceback" not in result.output


def test_outputs_go_beside_the_study_named_after_it(tiny: Path) -> None:
    assert default_output(tiny, "site") == tiny.parent / "tiny-site"
    assert default_output(tiny, "review") == tiny.parent / "tiny-site-review"
    assert default_output(tiny / ".", "pdf") == tiny.parent / "tiny.pdf"
    assert default_output(tiny, "supplement") == tiny.parent / "tiny-supplement.zip"
    # serve previews beside the built site, never into it (a new user packaged a signed-off
    # study while its site folder still held the unsigned preview)
    assert default_output(tiny, "preview") == tiny.parent / "tiny-preview"
    assert default_output(tiny, "preview-review") == tiny.parent / "tiny-preview-review"


def test_build_and_check_from_inside_a_study_need_no_argument(
        tiny: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tiny)
    checked = CliRunner().invoke(main, ["check"])
    assert checked.exit_code == 0, checked.output
    built = CliRunner().invoke(main, ["build", "--review"])
    assert built.exit_code == 0, built.output
    assert (tiny.parent / "tiny-site-review" / "index.html").is_file()
    assert not (tiny / "site-review").exists()


def test_a_second_study_cannot_replace_the_first_ones_site(tiny: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    shutil.copytree(tiny, other)
    out = tmp_path / "shared-site"
    build(tiny, out, audience="review")
    before = (out / "index.html").read_bytes()
    result = CliRunner().invoke(main, ["build", str(other), "--review", "--out", str(out)])
    assert result.exit_code == 2
    assert "holds the site of another study ('Tiny study' from a folder named tiny/)" in (
        result.output.replace("\n", ""))
    assert str(other.resolve()) in result.output.replace("\n", "")
    assert (out / "index.html").read_bytes() == before
    assert read_marker(out)["folder"] == "tiny"


def test_the_marker_keeps_no_full_path(tiny: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(tiny, out, audience="review")
    assert str(tmp_path) not in (out / ".build-site").read_text()
