"""Checks that share one pool (:func:`~build_site.forked_map.run_together`, issue 25): the
same values as each run alone, one pool for all of them, a lone item run by a worker, the
first error raised here; and a public build's checks before render forked once."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

import build_site.consent.contrastive as contrastive
import build_site.deidentify.detect_pool as detect_pool
import build_site.forked_map as forked_map
import build_site.privacy as privacy
from build_site.consent.choices import find_consent_statements
from build_site.consent.contrastive import find_contrastive
from build_site.deidentify.findings import find_all, unresolved
from build_site.errors import PrivacyError
from build_site.forked_map import Batch, Steps, alone, run_steps, run_together, value_of
from build_site.insider import refusals
from build_site.pipeline import _page_texts, _study_lines, build, prepare
from build_site.synth import default_clinicians, write_synthetic_study

needs_two_cores = pytest.mark.skipif(forked_map.workers_for(10**6, 1) < 2,
                                     reason="one core or no fork here: no pool to test")


def _squares(count: int, minimum: int, chunk: int = 7) -> Steps[int]:
    """Two rounds: the squares of ``range(count)``, then each doubled; their sum."""
    squares = yield Batch(lambda i: i * i, list(range(count)), minimum, chunk)
    doubled = yield Batch(lambda i: 2 * i, squares, minimum, chunk)
    return sum(doubled)


def _pids(count: int, minimum: int) -> Steps[set[int]]:
    pids = yield Batch(lambda _: os.getpid(), list(range(count)), minimum, 3)
    return set(pids)


@needs_two_cores
def test_checks_run_together_give_what_each_gives_alone_on_one_pool(
        pools_started: list[int]) -> None:
    values = run_together(_squares(200, 50), _squares(9, 10**9, 2), value_of("none"),
                          alone(lambda: "lone"))
    assert values == [2 * sum(i * i for i in range(200)), 2 * sum(i * i for i in range(9)),
                      "none", "lone"]
    assert pools_started == [2, 2]  # one pool per round, not one per check and round
    assert [run_steps(_squares(200, 50)), run_steps(_squares(9, 10**9, 2))] == values[:2]
    assert pools_started == [2, 2, 2, 2]  # alone: the large check pooled, the small one not


@needs_two_cores
def test_a_lone_item_and_a_small_batch_are_done_by_the_workers_beside_a_large_one(
        pools_started: list[int]) -> None:
    here = os.getpid()
    lone, small, large = run_together(alone(os.getpid), _pids(6, 10**9), _pids(300, 50))
    assert lone != here and pools_started == [2]
    assert small - {here} and len(large - {here}) == 2  # both workers took chunks
    assert here in small and here in large  # each batch's first item: before the fork


def test_no_pool_when_no_batch_would_start_one_alone(pools_started: list[int]) -> None:
    here = os.getpid()
    assert run_together(alone(os.getpid), _pids(6, 10**9), _pids(40, 50)) == [
        here, {here}, {here}]
    assert pools_started == []


@needs_two_cores
def test_the_first_check_error_is_raised_here_as_in_order(
        pools_started: list[int]) -> None:
    def failing(message: str, bad: int) -> Steps[list[int]]:
        def job(item: int) -> int:
            if item == bad:
                raise ValueError(f"{message} in process {os.getpid()}")
            return item
        return (yield Batch(job, list(range(200)), 50, 9))

    with pytest.raises(ValueError, match=f"^first in process {os.getpid()}$"):
        run_together(_squares(300, 50), failing("first", 150), failing("second", 3))
    assert pools_started == [2]  # the pool ran, failed, and the batches were done here


def test_a_step_function_that_raises_before_its_batch_stops_the_round() -> None:
    def broken() -> Steps[int]:
        raise KeyError("read before the batch")
        yield Batch(abs, [1], 1)  # never reached: makes this a generator

    with pytest.raises(KeyError, match="read before the batch"):
        run_together(_squares(5, 10**9), broken())


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic public study whose last dyad's narrative ends with a contrastive sentence
    and a consent statement (found by a worker, not the first text this process reads)."""
    folder = tmp_path_factory.mktemp("synth") / "study"
    write_synthetic_study(folder, 12, default_clinicians(12), 4, 1)
    last = sorted((folder / "dyads").glob("*.md"))[-1]
    last.write_text(last.read_text(encoding="utf-8").rstrip("\n") + "\n\nYears earlier a "
                    "specialist rarely looked up from his screen. She asked not to be recorded "
                    "after that visit.\n", encoding="utf-8")
    return folder


def _every_check_pooled(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(privacy, "POOL_MIN_PASSAGES", 2)
    monkeypatch.setattr(contrastive, "POOL_MIN_TEXTS", 2)
    monkeypatch.setattr(detect_pool, "POOL_MIN_TEXTS", 2)


@needs_two_cores
def test_a_public_build_prepares_its_checks_on_one_pool_with_the_same_results(
        planted: Path, pools_started: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    _every_check_pooled(monkeypatch)
    monkeypatch.setattr(forked_map, "map_forked", _no_map_forked)  # load, replace: alone
    import build_site.deidentify.replace_pool as replace_pool
    import build_site.load as load
    monkeypatch.setattr(replace_pool, "map_forked", _no_map_forked)
    monkeypatch.setattr(load, "map_forked", _no_map_forked)
    prepared = prepare(planted, "public")
    assert pools_started == [2]  # detectors, published text and the three refusals: one
    monkeypatch.undo()
    p = prepare(planted, "public")  # every check alone, as they ran before
    assert prepared.findings == unresolved(
        find_all(p.public, _page_texts(p.project, p.handwritten), None,
                 _prose(p)), p.study)
    assert prepared.text == privacy.scan_published_text(
        p.study, p.deidentified, p.public, p.handwritten, _study_lines(planted), _prose(p))
    assert prepared.refused.contrastive == find_contrastive(p.shown, planted) != []
    assert prepared.refused.statements == find_consent_statements(p.shown, planted) != []
    assert prepared.refused.insider == refusals(planted, p.deidentified, p.public)


def _no_map_forked(job: Any, items: Any, *args: Any, **kwargs: Any) -> list[Any]:
    return [job(item) for item in items]


def _prose(p: Any) -> list[tuple[str, int, str]]:
    from build_site.deidentify import Matcher
    from build_site.deidentify.fields import replaced_prose
    from build_site.load import load_study_folder

    return replaced_prose(load_study_folder(p.study_dir), Matcher(p.study.identifiers))


def test_a_review_build_prepares_no_refusal(planted: Path) -> None:
    refused = prepare(planted, "review").refused
    assert (refused.contrastive, refused.statements, refused.insider) == ([], [], [])
    assert prepare(planted, "public").refused.contrastive


def test_a_public_build_still_refuses_in_the_order_it_did(planted: Path,
                                                          tmp_path: Path) -> None:
    out = tmp_path / "site"
    with pytest.raises(PrivacyError) as raised:
        build(planted, out)
    assert "criticism of a clinician outside the study" in raised.value.problems[0].message
    assert not out.exists()
