"""Operational failures are not bugs (issue 16, item 6): a full disk and a missing Graphviz
exit 2 with what to do; Graphviz is checked before any work."""

from __future__ import annotations

import errno
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from build_site.cli import main
from build_site.pipeline import build
from build_site.render.diagrams import graphviz_version
from tests.conftest import tree_hash


@pytest.fixture
def no_graphviz(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    empty = tmp_path / "empty-path"
    empty.mkdir()
    graphviz_version.cache_clear()
    monkeypatch.setenv("PATH", str(empty))
    yield
    graphviz_version.cache_clear()


def test_missing_graphviz_is_reported_before_any_work(tiny: Path, tmp_path: Path,
                                                      no_graphviz: None) -> None:
    out = tmp_path / "site"
    result = CliRunner().invoke(main, ["build", str(tiny), "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert "Graphviz is not installed" in result.output
    assert "apt-get install graphviz" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty-path", "tiny"]


def test_missing_graphviz_stops_packets_too(tiny: Path, tmp_path: Path,
                                            no_graphviz: None) -> None:
    result = CliRunner().invoke(main, ["packets", str(tiny), "--out", str(tmp_path / "p")])
    assert result.exit_code == 2 and "Graphviz is not installed" in result.output


def test_a_full_disk_exits_2_and_keeps_the_site(tiny: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    build(tiny, out)
    before = tree_hash(out)

    def full(*_: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "x.md"))

    monkeypatch.setattr("build_site.pipeline.write_docs", full)
    study = tiny / "study.yml"
    study.write_text(study.read_text().replace("fixture", "changed fixture"))
    result = CliRunner().invoke(main, ["build", str(tiny), "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert "the disk is full" in result.output and "free some space" in result.output
    assert "internal error" not in result.output
    assert tree_hash(out) == before
