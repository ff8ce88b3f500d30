"""The privacy checks of published text on both cores (issue 25, branch checks2): the consent
and disclosure checks (``scan_published_text``), the contrastive-comment and consent-statement
refusals give the same findings, in the same order, as one process, a finding only a worker
sees among them; and :func:`~build_site.forked_map.map_forked` itself."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import build_site.consent.contrastive as contrastive
import build_site.forked_map as forked_map
import build_site.privacy as privacy
from build_site.consent.choices import find_consent_statements, refuse_consent_statements
from build_site.consent.contrastive import find_contrastive, refuse_contrastive
from build_site.errors import PrivacyError
from build_site.forked_map import map_forked
from build_site.pipeline import Prepared, _study_lines, prepare
from build_site.synth import default_clinicians, write_synthetic_study

PLANTED = ("Years earlier a specialist rarely looked up from his screen. "
           "She asked not to be recorded after that visit. They first met on March 3, 2019.")


@pytest.fixture
def pools(pools_started: list[int], monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the pools started, with no size threshold."""
    monkeypatch.setattr(privacy, "POOL_MIN_PASSAGES", 2)
    monkeypatch.setattr(contrastive, "POOL_MIN_TEXTS", 2)
    return pools_started


needs_two_cores = pytest.mark.skipif(forked_map.workers_for(10**6, 1) < 2,
                                     reason="one core or no fork here: no pool to test")


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Prepared, int]:
    """A synthetic study whose last dyad's narrative ends with a contrastive sentence, a
    consent statement and an exact date (a worker's, not the first text this process does),
    prepared for a public build; and the planted paragraph's line."""
    folder = tmp_path_factory.mktemp("synth") / "study"
    write_synthetic_study(folder, 12, default_clinicians(12), 4, 1)
    last = sorted((folder / "dyads").glob("*.md"))[-1]
    text = last.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + PLANTED + "\n"
    last.write_text(text, encoding="utf-8")
    return folder, prepare(folder, "public"), text.count("\n")


def _alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(privacy, "POOL_MIN_PASSAGES", 10**9)
    monkeypatch.setattr(contrastive, "POOL_MIN_TEXTS", 10**9)


@needs_two_cores
def test_the_published_text_checks_give_what_one_process_gives(
        planted: tuple[Path, Prepared, int], pools: list[int],
        monkeypatch: pytest.MonkeyPatch) -> None:
    folder, p, line = planted
    args = (p.study, p.deidentified, p.public, p.handwritten, _study_lines(folder))
    pooled = (privacy.scan_published_text(*args), find_contrastive(p.shown, folder),
              find_consent_statements(p.shown, folder))
    assert pools == [2, 2, 2]
    _alone(monkeypatch)
    alone = (privacy.scan_published_text(*args), find_contrastive(p.shown, folder),
             find_consent_statements(p.shown, folder))
    assert pools == [2, 2, 2]
    assert pooled == alone
    report, contrastives, statements = pooled
    last = sorted((folder / "dyads").glob("*.md"))[-1].relative_to(folder).as_posix()
    assert [(f.file, f.line, f.rule) for f in report.consent if f.file == last] == [
        (last, line, "exact-date")]
    assert [(c.file, c.line) for c in contrastives] == [(last, line)]
    assert [(s.file, s.line, s.cue) for s in statements] == [(last, line, "asked not to be")]


@needs_two_cores
def test_a_refusal_only_a_worker_sees_names_file_and_line_and_exits_3(
        planted: tuple[Path, Prepared, int], pools: list[int]) -> None:
    folder, p, line = planted
    last = sorted((folder / "dyads").glob("*.md"))[-1].relative_to(folder).as_posix()
    for refuse in (lambda: refuse_contrastive(find_contrastive(p.shown, folder)),
                   lambda: refuse_consent_statements(find_consent_statements(p.shown, folder))):
        with pytest.raises(PrivacyError) as raised:
            refuse()
        assert raised.value.exit_code == 3
        assert [(q.file, q.line) for q in raised.value.problems] == [(last, line)]
    assert pools == [2, 2]
    consent = privacy.consent_problems(privacy.scan_published_text(
        p.study, p.deidentified, p.public, p.handwritten, _study_lines(folder)))
    assert (last, line) in [(q.file, q.line) for q in consent] and pools == [2, 2, 2]


def test_few_texts_are_checked_in_this_process(
        planted: tuple[Path, Prepared, int], pools: list[int],
        monkeypatch: pytest.MonkeyPatch) -> None:
    folder, p, _ = planted
    _alone(monkeypatch)
    assert find_contrastive(p.shown, folder) and find_consent_statements(p.shown, folder)
    assert pools == []


@needs_two_cores
def test_a_job_error_is_raised_from_this_process(pools: list[int]) -> None:
    def job(item: int) -> int:
        if item == 37:
            raise ValueError(f"bad item, in process {os.getpid()}")
        return item * 2

    with pytest.raises(ValueError, match=f"bad item, in process {os.getpid()}$") as raised:
        map_forked(job, list(range(100)), 2, chunk=7)
    assert pools == [2]  # the pool ran, failed, and the items were done again here
    assert raised.traceback[-1].name == "job"


@needs_two_cores
def test_a_result_a_worker_cannot_send_back_is_made_here(pools: list[int]) -> None:
    parent = os.getpid()
    results = map_forked(lambda item: (item, lambda: os.getpid() == parent),
                         list(range(50)), 2, chunk=5)
    assert [item for item, _ in results] == list(range(50))
    assert all(made_here() for _, made_here in results) and pools == [2]


@needs_two_cores
def test_many_chunks_come_back_in_order(pools: list[int]) -> None:
    items = [f"text {i}" for i in range(301)]
    assert map_forked(str.upper, items, 2, chunk=3) == [i.upper() for i in items]
    assert pools == [2]
