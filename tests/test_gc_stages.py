"""What a build keeps is left out of the cyclic collector's passes stage by stage, and given
back when the build ends (issue 25, own3: build_site/gc_stages.py)."""

from __future__ import annotations

import gc
import shutil
from pathlib import Path

import pytest

import build_site.gc_stages as gc_stages
from build_site.errors import StudyError
from build_site.pipeline import build

from .conftest import REPO


def test_each_stage_leaves_what_is_alive_frozen_and_the_build_gives_it_back(
        tmp_path: Path) -> None:
    frozen: dict[str, int] = {}
    report = build(REPO / "casestudies", tmp_path / "site",
                   progress=lambda name: frozen.setdefault(name, gc.get_freeze_count()))
    assert not report.reused
    assert {"load", "validate", "de-identify", "analyse", "render"} <= set(frozen)
    assert all(count > 10_000 for count in frozen.values()), frozen
    assert gc.get_freeze_count() == 0  # serve's next collections reach this build's cycles


def test_a_build_that_fails_gives_everything_back(tmp_path: Path) -> None:
    study = tmp_path / "study"
    shutil.copytree(REPO / "casestudies", study)
    dyad = study / "dyads" / "D1-P1.md"
    dyad.write_text(dyad.read_text(encoding="utf-8").replace("clinician: D1", "clinician: D99",
                                                              1), encoding="utf-8")
    stages: list[str] = []
    with pytest.raises(StudyError, match="D99"):
        build(study, tmp_path / "site", progress=stages.append)
    assert stages == ["load"]  # validation failed after a stage had settled
    assert gc.get_freeze_count() == 0


def test_the_site_is_the_one_built_without_settling(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    build(REPO / "casestudies", tmp_path / "settled")
    monkeypatch.setattr(gc_stages, "settle", lambda: None)
    monkeypatch.setattr("build_site.timing.settle", lambda: None)
    build(REPO / "casestudies", tmp_path / "plain")
    settled = sorted(p.relative_to(tmp_path / "settled")
                     for p in (tmp_path / "settled").rglob("*") if p.is_file())
    plain = sorted(p.relative_to(tmp_path / "plain")
                   for p in (tmp_path / "plain").rglob("*") if p.is_file())
    assert settled == plain and len(settled) > 50
    for rel in settled:
        if rel.name != ".build-site":  # names its output folder's path
            assert (tmp_path / "settled" / rel).read_bytes() == \
                (tmp_path / "plain" / rel).read_bytes(), rel
