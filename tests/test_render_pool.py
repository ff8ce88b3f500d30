"""The render stage on both cores (issue 25, branch rpool): pages and files rendered in forked
workers give the bytes one process gives, a page's error is raised from this process with its
file, line and exit code, and small sites, or a process running another thread, stay in one
process."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import build_site.forked_map as forked_map
import build_site.render.case_pages as case_pages
import build_site.render.render_pool as render_pool
from build_site.cli import main
from build_site.engines.job import FRAGMENTS_FILE
from build_site.errors import Problem, StudyError
from build_site.pipeline import _render_context, build, build_directory, declare_pages, prepare
from build_site.render.data_pages import _download_files, download_names
from build_site.render.diagrams import DiagramRenderer
from build_site.synth import write_synthetic_study

needs_two_cores = pytest.mark.skipif(forked_map.workers_for(10**6, 1) < 2,
                                     reason="one core or no fork here: no pool to test")


@pytest.fixture(scope="module")
def study(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic study of 24 dyads (about 70 pages, excerpts and diagrams on most)."""
    folder = tmp_path_factory.mktemp("synth") / "study"
    write_synthetic_study(folder, 24, 5, 3, 7)
    return folder


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes()
            for p in site.rglob("*") if p.is_file()}


def _built(study: Path, out: Path, audience: str, minimum: int,
           monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """The files of ``study``'s site built with the pool's threshold at ``minimum``, and the
    fragments swapped in after Markdown (as ``fragments.json``)."""
    monkeypatch.setattr(render_pool, "POOL_MIN_PAGES", minimum)
    build(study, out, audience=audience)  # type: ignore[arg-type]
    files = _files(out)
    files[FRAGMENTS_FILE] = (build_directory(out) / FRAGMENTS_FILE).read_bytes()
    return files


@needs_two_cores
@pytest.mark.parametrize("audience", ["public", "review"])
def test_pages_rendered_by_two_workers_give_the_bytes_of_one_process(
        study: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        pools_started: list[int], audience: str) -> None:
    alone = _built(study, tmp_path / "one", audience, 10**9, monkeypatch)
    assert pools_started == []
    pooled = _built(study, tmp_path / "two", audience, 2, monkeypatch)
    assert pools_started == [2]
    assert sorted(pooled) == sorted(alone)
    # .build-site names the output folder's path, the same here (both in tmp_path)
    assert [name for name in alone if alone[name] != pooled[name]] == []
    assert len(alone) > 60 and b"<!--bs-" not in b"".join(
        v for k, v in alone.items() if k.endswith(".html"))


def _break_last_dyad(monkeypatch: pytest.MonkeyPatch, study: Path, raised: Path) -> str:
    """Make the last dyad's page fail as a bad input would (a StudyError naming its file and
    a line); each process that raises it appends its id to ``raised``. Returns the file."""
    last = sorted((study / "dyads").glob("*.md"))[-1]
    name = f"dyads/{last.name}"
    real = case_pages._dyad

    def dyad(ctx: Any, case: Any) -> dict[str, Any]:
        if f"dyads/{case.id}.md" == name:
            with raised.open("a") as f:
                f.write(f"{os.getpid()}\n")
            raise StudyError([Problem(name, 7, "cannot show this dyad", "fix line 7")])
        return real(ctx, case)

    monkeypatch.setattr(case_pages, "_dyad", dyad)
    return name


@needs_two_cores
def test_an_error_raised_in_a_worker_is_raised_here_with_its_file_line_and_exit_code(
        study: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        pools_started: list[int]) -> None:
    out = tmp_path / "site"
    raised = tmp_path / "raised"
    name = _break_last_dyad(monkeypatch, study, raised)
    monkeypatch.setattr(render_pool, "POOL_MIN_PAGES", 2)
    result = CliRunner().invoke(main, ["build", str(study), "--out", str(out)])
    assert pools_started == [2]
    assert result.exit_code == 2, result.output
    assert f"{name}:7" in result.output and "cannot show this dyad" in result.output
    assert "Traceback" not in result.output
    pids = raised.read_text().split()
    assert pids[-1] == str(os.getpid())  # raised again here, after a worker raised it
    assert any(pid != str(os.getpid()) for pid in pids[:-1])
    assert not out.exists()


def test_few_pages_or_another_thread_keep_one_process(
        study: Path, monkeypatch: pytest.MonkeyPatch, pools_started: list[int]) -> None:
    prepared = prepare(study, "public")

    def rendered(tmp: str) -> Any:
        ctx = _render_context(prepared, DiagramRenderer(Path(tmp)))
        pages, assets = declare_pages(prepared, ctx).render(ctx)
        return pages, assets, list(ctx._blocks.items()), list(ctx.diagrams._wanted)

    alone = rendered("/nonexistent/unused")
    assert len(alone[0]) < render_pool.POOL_MIN_PAGES and pools_started == []
    monkeypatch.setattr(render_pool, "POOL_MIN_PAGES", 2)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        beside_thread = rendered("/nonexistent/unused")
    finally:
        stop.set()
        other.join()
    assert pools_started == []
    assert beside_thread == alone


def test_the_downloads_page_names_the_files_that_are_made(
        study: Path, tiny: Path) -> None:
    text = (tiny / "study.yml").read_text()
    (tiny / "study.yml").write_text(text + '  hide_clinician: true\n  case_key: "team-secret-1"\n')
    for folder, linked in ((study, True), (tiny, False)):
        ctx = _render_context(prepare(folder, "public"), DiagramRenderer(Path("unused")))
        assert download_names(ctx) == set(_download_files(ctx)())
        assert ("clinician-matrix.json" in download_names(ctx)) is linked


def test_the_work_order_is_every_piece_once_files_early_and_case_pages_last() -> None:
    class Record:
        def __init__(self, template: str) -> None:
            self.template = template

    pages = [Record(t) for t in ("home", "dyad", "matrix", "dyad", "component", "component",
                                 "dyad", "excerpts")]
    order = render_pool._order(pages, 2)
    assert sorted(order) == list(range(len(pages) + 2))
    assert order[:3] == [0, 8, 9]  # the first page (before the fork), then the files
    assert [pages[i].template for i in order[3:]] == [
        "matrix", "excerpts", "component", "component", "dyad", "dyad", "dyad"]


@needs_two_cores
def test_a_site_between_the_thresholds_takes_two_workers_only_when_a_core_is_free(
        study: Path, monkeypatch: pytest.MonkeyPatch, pools_started: list[int]) -> None:
    prepared = prepare(study, "public")

    def rendered() -> Any:
        ctx = _render_context(prepared, DiagramRenderer(Path("/nonexistent/unused")))
        pages, assets = declare_pages(prepared, ctx).render(ctx)
        return pages, assets, list(ctx._blocks.items()), list(ctx.diagrams._wanted)

    free = [False]
    monkeypatch.setattr(render_pool, "core_free", lambda: free[0])
    monkeypatch.setattr(render_pool, "POOL_MIN_PAGES_CORE_FREE", 2)
    busy = rendered()
    assert len(busy[0]) < render_pool.POOL_MIN_PAGES and pools_started == []
    free[0] = True
    assert rendered() == busy
    assert pools_started == [2]


def test_the_load_is_read_only_for_a_site_between_the_thresholds(
        monkeypatch: pytest.MonkeyPatch) -> None:
    read: list[bool] = []

    def core_free() -> bool:
        read.append(True)
        return True

    monkeypatch.setattr(render_pool, "core_free", core_free)
    low, high = render_pool.POOL_MIN_PAGES_CORE_FREE, render_pool.POOL_MIN_PAGES
    assert low < high
    assert [render_pool.pool_minimum(n) for n in (low - 1, high, 10 * high)] == [high] * 3
    assert read == []
    assert render_pool.pool_minimum(low) == render_pool.pool_minimum(high - 1) == low
    assert len(read) == 2
    monkeypatch.setattr(render_pool, "core_free", lambda: False)
    assert render_pool.pool_minimum(low) == high
