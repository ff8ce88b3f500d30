"""What a build keeps is left out of the cyclic collector's passes stage by stage, and given
back when the build ends (issue 25, own3: build_site/gc_stages.py)."""

from __future__ import annotations

import gc
import shutil
from pathlib import Path

import pytest

import build_site.forked_map as forked_map
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


needs_two_cores = pytest.mark.skipif(forked_map.workers_for(10**6, 1) < 2,
                                     reason="one core or no fork here: no pool to test")


@needs_two_cores
def test_a_pool_inside_a_build_leaves_what_the_stages_settled_frozen(
        pools_started: list[int]) -> None:
    """A pool's fork used to unfreeze everything: every stage's settled objects went back to
    the collector, whose next full pass walked the whole build (0.2-0.6 s at 1,000 dyads)."""
    with gc_stages.settled():
        gc_stages.settle()
        before = gc.get_freeze_count()
        assert forked_map.map_forked(abs, list(range(-50, 50)), 2, chunk=9) == [
            abs(i) for i in range(-50, 50)]
        assert pools_started == [2] and gc.get_freeze_count() >= before > 0
    assert gc.get_freeze_count() == 0


@needs_two_cores
def test_a_pool_outside_a_build_gives_everything_back(pools_started: list[int]) -> None:
    assert gc.get_freeze_count() == 0
    forked_map.map_forked(abs, list(range(100)), 2, chunk=9)
    assert pools_started == [2] and gc.get_freeze_count() == 0


def test_the_mkdocs_split_leaves_a_build_frozen_and_thaws_outside_one(
        tmp_path: Path) -> None:
    """MkDocs' second process is forked the same way (engines/mkdocs_split.py)."""
    frozen: dict[str, int] = {}
    build(REPO / "casestudies", tmp_path / "site",
          progress=lambda name: frozen.setdefault(name, gc.get_freeze_count()))
    assert frozen["mkdocs"] >= frozen["fingerprint"] > 0
    assert gc.get_freeze_count() == 0
    before = gc_stages.freeze_for_fork()
    gc_stages.thaw_after_fork(before)
    assert gc.get_freeze_count() == 0


def test_the_collector_is_off_before_the_site_engine_and_on_after(tmp_path: Path) -> None:
    """The stages before the site engine make almost no garbage in cycles (177 objects at
    1,000 dyads) while the collector's passes took 0.3-0.5 CPU s there: it is paused until
    the engine's stage and on again after the build, failed or not."""
    enabled: dict[str, bool] = {}
    build(REPO / "casestudies", tmp_path / "site",
          progress=lambda name: enabled.setdefault(name, gc.isenabled()))
    assert [n for n, on in enabled.items() if not on] == [
        "load", "validate", "de-identify", "analyse", "render", "fingerprint"]
    assert enabled["mkdocs"] and enabled["tidy+gate"] and gc.isenabled()
    study = tmp_path / "study"
    shutil.copytree(REPO / "casestudies", study)
    dyad = study / "dyads" / "D1-P1.md"
    dyad.write_text(dyad.read_text(encoding="utf-8").replace("clinician: D1", "clinician: D99",
                                                              1), encoding="utf-8")
    with pytest.raises(StudyError):
        build(study, tmp_path / "site")
    assert gc.isenabled()


def test_a_collector_turned_off_by_the_caller_stays_off(tmp_path: Path) -> None:
    gc.disable()
    try:
        build(REPO / "casestudies", tmp_path / "site")
        assert not gc.isenabled()
    finally:
        gc.enable()


@needs_two_cores
def test_pool_workers_collect_while_the_build_is_paused(pools_started: list[int]) -> None:
    with gc_stages.settled():
        gc_stages.pause_collector()
        seen = forked_map.map_forked(lambda _: gc.isenabled(), list(range(40)), 2, chunk=5)
        assert not gc.isenabled()
    assert pools_started == [2] and seen[0] is False and all(seen[1:]) and gc.isenabled()


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_a_builds_garbage_in_cycles_is_collected_before_the_next_build_freezes_it(
        tmp_path: Path) -> None:
    """adv8: ``serve`` rebuilds in one process. A build's garbage in cycles, unfrozen when
    it ended, was frozen again at the next build's first stage (the collector paused, the
    process idle between builds) and so never collected: 11 MB more for each rebuild of the
    bundled study, 361 MB after 24."""
    import weakref

    refs: list[weakref.ref[_Cycle]] = []

    def garbage(name: str) -> None:
        if name == "load":
            refs.append(weakref.ref(_Cycle()))  # garbage at once: only the collector frees it

    study = tmp_path / "study"
    shutil.copytree(REPO / "casestudies", study)
    build(study, tmp_path / "site", progress=garbage)
    assert refs and refs[0]() is not None  # frozen by the build, given back at its end
    dyad = study / "dyads" / "D1-P1.md"
    dyad.write_text(dyad.read_text(encoding="utf-8") + "\nA line.\n", encoding="utf-8")
    seen: dict[str, bool] = {}
    build(study, tmp_path / "site",
          progress=lambda name: seen.setdefault(name, refs[0]() is None))
    assert seen["load"]  # collected before this build's first stage froze it again
