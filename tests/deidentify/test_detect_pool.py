"""The detectors on both cores (issue 25, branch pool): the same detections, in the same order,
as one process; one process for few texts, with another thread running, or when the pool
fails; a detector's error raised from this process as without a pool."""

from __future__ import annotations

import os
import threading
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import build_site.deidentify.detect_pool as detect_pool
import build_site.forked_map as forked_map
from build_site.deidentify import deidentify
from build_site.deidentify.detect_pool import detect_many
from build_site.deidentify.detectors import detect
from build_site.deidentify.findings import FindingCache, find_all, vocabulary
from build_site.pipeline import load_and_validate
from build_site.privacy.selection import select
from build_site.study import Study
from build_site.synth import default_clinicians, write_synthetic_study

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture(scope="module")
def texts(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The narratives and excerpts of a small synthetic study: names, places, institutions."""
    folder = tmp_path_factory.mktemp("synth") / "study"
    write_synthetic_study(folder, 12, default_clinicians(12), 4, 1)
    study = load_and_validate(folder)
    out = [d.narrative for d in study.dyads]
    out += [e.text for d in study.dyads for e in d.excerpts]
    out += ["Dr. Quill met her at 42 Maple Street on March 3, 2019; call 312-555-0148.", ""]
    return out


@pytest.fixture
def pools(pools_started: list[int], monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the pools started (by the worker count asked for), with no size threshold."""
    monkeypatch.setattr(detect_pool, "POOL_MIN_TEXTS", 2)
    monkeypatch.setattr(detect_pool, "CHUNK", 3)  # many tasks, finished in any order
    return pools_started


needs_two_cores = pytest.mark.skipif(forked_map.workers_for(10**6, 1) < 2,
                                     reason="one core or no fork here: no pool to test")


@needs_two_cores
def test_the_pool_gives_what_one_process_gives(texts: list[str], pools: list[int]) -> None:
    allowed = ["Maple", "hope"]
    alone = [detect(text, allowed) for text in texts]
    assert any(alone) and len(texts) > 40
    assert detect_many(texts, allowed) == alone
    assert pools == [2]


def test_few_texts_are_scanned_in_this_process(texts: list[str], pools: list[int],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(detect_pool, "POOL_MIN_TEXTS", len(texts) + 1)
    assert detect_many(texts, []) == [detect(text, []) for text in texts]
    assert pools == []


def test_no_fork_while_another_thread_runs(texts: list[str], pools: list[int]) -> None:
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert detect_many(texts, []) == [detect(text, []) for text in texts]
    finally:
        stop.set()
        other.join()
    assert pools == []


@needs_two_cores
def test_a_detector_error_is_raised_from_this_process(
        texts: list[str], pools: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    def failing(text: str, allowed: list[str], **_: object) -> list[Any]:
        if "Maple Street" in text:
            raise ValueError(f"bad text, in process {os.getpid()}")
        return detect(text, allowed)

    monkeypatch.setattr(detect_pool, "detect", failing)
    with pytest.raises(ValueError, match=f"bad text, in process {os.getpid()}$") as raised:
        detect_many(texts, [])
    assert pools == [2]  # the pool ran, failed, and the list was scanned again here
    assert raised.traceback[-1].name == "failing"


@needs_two_cores
def test_a_worker_that_dies_falls_back_to_this_process(
        texts: list[str], pools: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    parent = os.getpid()

    def dying(text: str, allowed: list[str], **_: object) -> list[Any]:
        if os.getpid() != parent:
            os._exit(1)
        return detect(text, allowed)

    monkeypatch.setattr(detect_pool, "detect", dying)
    assert detect_many(texts, []) == [detect(text, []) for text in texts]
    assert pools == [2]


@needs_two_cores
def test_findings_and_cache_counts_are_the_same_with_the_pool(
        pools: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    study: Study = select(deidentify(load_and_validate(FIXTURES / "tiny")), "public")
    with_pool = FindingCache(None)
    found = find_all(study, None, with_pool)
    assert pools == [2]
    monkeypatch.setattr(detect_pool, "POOL_MIN_TEXTS", 10**9)
    alone = FindingCache(None)
    assert find_all(study, None, alone) == found
    assert (with_pool.scanned, with_pool.hits) == (alone.scanned, alone.hits)
    assert pools == [2] and vocabulary(study)


def test_the_build_command_runs_no_other_thread_while_it_builds(
        tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # rich's status spinner redrew itself from a thread, so the detectors never forked.
    import build_site.pipeline as pipeline
    from build_site.cli import main

    threads: list[int] = []

    def build(study: Path, out: Path, *args: Any, progress: Any, **kwargs: Any
              ) -> pipeline.BuildReport:
        threads.append(threading.active_count())
        progress("load")
        threads.append(threading.active_count())
        return pipeline.BuildReport(out)

    monkeypatch.setattr(pipeline, "build", build)
    result = CliRunner().invoke(main, ["build", str(tiny), "--out", str(tmp_path / "site")])
    assert result.exit_code == 0, result.output
    assert threads == [1, 1]


def _death_signal() -> int:
    import ctypes

    value = ctypes.c_int(0)
    ctypes.CDLL(None).prctl(2, ctypes.byref(value), 0, 0, 0)  # PR_GET_PDEATHSIG
    return value.value


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="Linux only")
def test_a_worker_ends_with_the_build_process() -> None:
    # A worker left waiting after the build was killed would hold the output's lock.
    import multiprocessing
    import signal

    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"),
                             initializer=detect_pool._worker_start,
                             initargs=(os.getpid(),)) as pool:
        assert pool.submit(_death_signal).result() == signal.SIGKILL
