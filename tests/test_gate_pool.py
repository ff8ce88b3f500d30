"""The leak gate read by several processes (``privacy/gate_pool.py``) gives the leaks, their
order, the refusals, the errors and the external loads of one process (issue 25)."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from build_site import offline
from build_site.errors import PrivacyError
from build_site.privacy import gate, gate_pool, theme_files
from build_site.study import Identifier

from .test_gate_fast import EXTERNAL, GRIFFIN, JOSE, QUILL, _planted_site


@pytest.fixture
def many_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every tree read by workers, cut into runs of about 20 kB (the bundled site: ~300)."""
    monkeypatch.setattr(gate_pool, "MIN_POOL_BYTES", 0)
    monkeypatch.setattr(gate_pool, "CHUNK_BYTES", 20_000)
    if gate_pool.usable_cores() < 2:
        monkeypatch.setattr(gate_pool, "usable_cores", lambda: 2)


def _listed() -> list[Identifier]:
    from build_site.pipeline import load_and_validate

    from .conftest import REPO

    return [*load_and_validate(REPO / "casestudies").identifiers, QUILL, JOSE, GRIFFIN]


@pytest.fixture(scope="module")
def planted(bundled_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled site with a leak in each kind of file (HTML, JS, JSON, SVG, CSS, the XML
    sitemap, CSV, PNG, JPEG, PDF, zip, gzip, a folder name) and external loads."""
    site = _planted_site(bundled_site, tmp_path_factory.mktemp("pool") / "site")
    sitemap = site / "sitemap.xml"
    sitemap.write_text(sitemap.read_text("utf-8").replace(
        "</urlset>", "<url><loc>https://x/Fiona%20Griffin.html</loc></url></urlset>"), "utf-8")
    for rel, text in EXTERNAL.items():
        (site / "ext" / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / "ext" / rel).write_text(text, encoding="utf-8")
    return site


def _one_process(site: Path, listed: list[Identifier]) -> tuple[list[gate.Leak],
                                                                 offline.LoadCollector]:
    collected = offline.LoadCollector()
    saved = gate_pool.MIN_POOL_BYTES
    gate_pool.MIN_POOL_BYTES = 1 << 62
    try:
        return gate.scan_tree(site, listed, also=collected), collected
    finally:
        gate_pool.MIN_POOL_BYTES = saved


def test_the_pooled_scan_equals_the_one_process_scan_on_a_planted_site(
        planted: Path, many_runs: None) -> None:
    listed = _listed()
    alone, alone_loads = _one_process(planted, listed)
    collected = offline.LoadCollector()
    pooled = gate.scan_tree(planted, listed, also=collected)
    assert pooled == alone  # same leaks, same order
    assert collected.loads() == alone_loads.loads()
    assert {f"e{i}.example" for i in (1, 2, 12, 14)} <= {ld.host for ld in collected.loads()}
    assert {"dyads/planted-text.html", "planted.svg", "assets/planted.css", "planted.json",
            "assets/planted.js", "planted.xml", "sitemap.xml", "planted.png",
            "sitemap-planted.xml.gz"} <= {leak.where for leak in pooled}


@pytest.mark.parametrize("parent_reads", [True, False])
def test_workers_alone_read_every_file_as_one_process_does(
        planted: Path, many_runs: None, parent_reads: bool,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gate_pool, "PARENT_READS", parent_reads)
    listed = _listed()
    paths = sorted(planted.rglob("*"))
    scanner = gate.FileScanner(listed)
    collected = offline.LoadCollector()
    pooled = gate_pool.scan_pooled(planted, paths, scanner, collected, force=True)
    assert pooled is not None  # the workers read it: no fall-back to one process
    alone = offline.LoadCollector()
    assert pooled == [gate.FileScanner(listed).scan(planted, p, alone) for p in paths]
    assert collected.found == alone.found and collected.error is None


def test_an_unreadable_file_is_refused_with_the_same_problems(
        planted: Path, tmp_path: Path, many_runs: None) -> None:
    site = tmp_path / "site"
    shutil.copytree(planted, site)
    (site / "dyads" / "blob.bin").write_bytes(b"\x00\x01\x02binary\xff" * 100)
    listed = _listed()
    with pytest.raises(PrivacyError) as pooled:
        gate.scan_tree(site, listed)
    monkey = gate_pool.MIN_POOL_BYTES
    gate_pool.MIN_POOL_BYTES = 1 << 62
    try:
        with pytest.raises(PrivacyError) as alone:
            gate.scan_tree(site, listed)
    finally:
        gate_pool.MIN_POOL_BYTES = monkey
    assert pooled.value.problems == alone.value.problems
    assert pooled.value.problems[0].file == "dyads/blob.bin"
    assert pooled.value.exit_code == alone.value.exit_code == 3


def test_a_file_that_cannot_be_read_raises_as_in_one_process(
        planted: Path, many_runs: None, monkeypatch: pytest.MonkeyPatch) -> None:
    target = planted / "dyads" / "planted-text.html"
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self == target:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)  # the forked workers inherit it
    with pytest.raises(PermissionError) as raised:
        gate.scan_tree(planted, _listed())
    assert raised.value.filename == str(target)


def test_an_error_reading_loads_is_kept_where_one_process_keeps_it(
        planted: Path, many_runs: None, monkeypatch: pytest.MonkeyPatch) -> None:
    real = offline._file_loads

    def broken(page: str, data: bytes, decoded: list[str] | None = None) -> Iterator[
            tuple[str, str]]:
        if page == "ext/b.css":
            raise ValueError(f"cannot parse {page}")
        return real(page, data, decoded)

    monkeypatch.setattr(offline, "_file_loads", broken)
    listed = _listed()
    alone_leaks, alone = _one_process(planted, listed)
    collected = offline.LoadCollector()
    assert gate.scan_tree(planted, listed, also=collected) == alone_leaks
    assert collected.found == alone.found  # the loads before the error, none after it
    assert any(ld.page == "ext/a.html" for ld in collected.found)
    assert not any(ld.page == "ext/c.svg" for ld in collected.found)
    with pytest.raises(ValueError, match=r"cannot parse ext/b\.css"):
        collected.loads()


def test_one_process_reads_a_small_tree_or_when_it_cannot_fork_safely(
        bundled_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = sorted(bundled_site.rglob("*"))
    scanner = gate.FileScanner([QUILL])
    total = sum(p.stat().st_size for p in paths if p.is_file())
    assert total < gate_pool.MIN_POOL_BYTES  # the bundled study: one process
    assert gate_pool.scan_pooled(bundled_site, paths, scanner, None) is None
    monkeypatch.setattr(gate_pool, "MIN_POOL_BYTES", 0)
    monkeypatch.setattr(gate_pool, "usable_cores", lambda: 2)
    assert gate_pool.pool_pays(total, offline.LoadCollector())

    def visit(rel: str, data: bytes, decoded: list[str] | None) -> None:
        """A visitor that cannot be split over processes."""

    assert not gate_pool.pool_pays(total, visit)
    assert gate_pool.scan_pooled(bundled_site, paths, scanner, visit) is None
    monkeypatch.setattr(gate_pool, "usable_cores", lambda: 1)
    assert not gate_pool.pool_pays(total, None)
    monkeypatch.setattr(gate_pool, "usable_cores", lambda: 2)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()  # a fork would copy one thread of two
    try:
        assert not gate_pool.pool_pays(total, None)
    finally:
        stop.set()
        other.join()


def test_a_worker_that_dies_leaves_the_tree_to_one_process(
        planted: Path, many_runs: None, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    monkeypatch.setattr(gate_pool, "PARENT_READS", False)  # the file is read by a worker

    parent = os.getpid()
    real = gate.FileScanner.scan

    def scan(self: gate.FileScanner, root: Path, path: Path, also: object) -> object:
        if os.getpid() != parent and path.name == "planted.svg":
            os._exit(1)  # a worker killed mid-run
        return real(self, root, path, also)  # type: ignore[arg-type]

    listed = _listed()
    alone, _ = _one_process(planted, listed)
    monkeypatch.setattr(gate.FileScanner, "scan", scan)
    assert gate.scan_tree(planted, listed) == alone


def test_the_runs_cover_every_file_in_order() -> None:
    sizes = [5, 0, 30, 1, 1, 1, 50, 0]
    runs = gate_pool.chunks(sizes, 10)
    assert [i for a, b in runs for i in range(a, b)] == list(range(len(sizes)))
    assert all(b > a for a, b in runs)
    assert gate_pool.chunks([], 10) == []


def test_the_workers_inherit_the_theme_files_made_here(planted: Path) -> None:
    """The theme's file list (0.04 CPU s from the user's cache, 0.3 made again) and the
    digests of the sizes the tree holds are made once before the fork, not in each worker."""
    theme_files._theme_files_by_size.cache_clear()
    theme_files._theme_digests.cache_clear()
    paths = sorted(planted.rglob("*"))
    assert gate_pool.scan_pooled(planted, paths, gate.FileScanner(_listed()), None,
                                 force=True) is not None
    assert theme_files._theme_files_by_size.cache_info().currsize == 1
    sizes = {p.stat().st_size for p in paths if p.is_file()}
    assert theme_files._theme_digests.cache_info().currsize == len(
        sizes & theme_files._theme_files_by_size().keys()) > 0


def test_the_runs_are_handed_out_largest_first() -> None:
    """A large file late in path order (the search index) is read first, not last while
    the other worker waits; runs of equal size keep path order."""
    sizes = [4, 4, 4, 4, 3, 3, 90, 2]
    runs = gate_pool.chunks(sizes, 8)  # (0, 2), (2, 4), (4, 7), (7, 8)
    assert gate_pool.largest_first(sizes, runs) == [2, 0, 1, 3]
    assert sorted(gate_pool.largest_first(sizes, runs)) == list(range(len(runs)))


def test_a_quiet_build_runs_no_other_thread_at_the_gate(
        tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``build --quiet`` shows no spinner, so no thread keeps the gate from forking."""
    from click.testing import CliRunner

    from build_site.cli import main

    threads: list[int] = []
    real = gate_pool.pool_pays

    def pays(total: int, also: object) -> bool:
        threads.append(threading.active_count())
        return real(total, also)  # type: ignore[arg-type]

    monkeypatch.setattr(gate_pool, "pool_pays", pays)
    result = CliRunner().invoke(main, ["build", str(tiny), "--out", str(tmp_path / "s"),
                                       "--quiet"])
    assert result.exit_code == 0, result.output
    assert threads == [1]


class _DeathSignalScanner:
    """Reports, as each file's kind, the signal its process gets when its parent ends."""

    identifiers: tuple[Identifier, ...] = ()

    def scan(self, root: Path, path: Path, also: object) -> tuple[list[Identifier], object]:
        import ctypes
        import os

        from build_site.privacy.gate_files import Unreadable

        value = ctypes.c_int(0)
        ctypes.CDLL(None).prctl(2, ctypes.byref(value), 0, 0, 0)  # PR_GET_PDEATHSIG
        return [], Unreadable(path.name, f"{os.getpid()}:{value.value}", "")


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="Linux only")
def test_a_worker_ends_with_the_build_process(tmp_path: Path, many_runs: None,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gate_pool, "PARENT_READS", False)  # every file read by a worker
    # A build killed during the gate (kill -9, the out-of-memory killer) left its workers
    # waiting for tasks for ever, holding the output's lock (outlock.py: flock, inherited)
    import os
    import signal

    for name in ("a.html", "b.html"):
        (tmp_path / name).write_text("x" * 30_000, encoding="utf-8")
    paths = sorted(tmp_path.iterdir())
    results = gate_pool.scan_pooled(tmp_path, paths, _DeathSignalScanner(),  # type: ignore[arg-type]
                                    None, force=True)
    assert results is not None
    kinds = [bad.kind.split(":") for _, bad in results if bad is not None]
    assert len(kinds) == 2 and all(pid != str(os.getpid()) for pid, _ in kinds)
    assert all(sig == str(int(signal.SIGKILL)) for _, sig in kinds)


class _Pending:
    """A future that a worker has not started (``cancel`` succeeds) or has (fails)."""

    def __init__(self, started: bool) -> None:
        self.started = started
        self.cancelled = False

    def cancel(self) -> bool:
        self.cancelled = not self.started
        return self.cancelled


def test_this_process_takes_only_runs_no_worker_started(monkeypatch: pytest.MonkeyPatch
                                                        ) -> None:
    """This process reads runs from the smallest back while the pool has not handed them
    out, and stops at the first a worker holds: no run is read twice or left unread."""
    read: list[int] = []
    monkeypatch.setattr(gate_pool, "_run", lambda index: read.append(index) or ([], None))
    order = [3, 0, 1, 4, 2]  # largest first
    futures = {index: _Pending(started=index in (3, 0)) for index in order}
    taken = gate_pool._take_from_end(order, futures)  # type: ignore[arg-type]
    assert read == [2, 4, 1] and sorted(taken) == [1, 2, 4]
    assert [i for i in order if futures[i].cancelled] == [1, 4, 2]
    assert not futures[3].cancelled and not futures[0].cancelled
    assert gate_pool._take_from_end([5], {5: _Pending(started=True)}) == {}  # type: ignore[dict-item]
    read.clear()  # it stops at the first run a worker holds, whatever is before it
    futures = {index: _Pending(started=index == 1) for index in order}
    assert sorted(gate_pool._take_from_end(order, futures)) == [2, 4]  # type: ignore[arg-type]
    assert read == [2, 4] and not futures[0].cancelled and not futures[3].cancelled


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="Linux only")
def test_this_process_and_one_worker_read_the_runs_once_each(
        tmp_path: Path, many_runs: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """With this process reading, two cores fork one worker: each file is read once, by
    this process or by that worker, and the results keep path order."""
    import os

    monkeypatch.setattr(gate_pool, "usable_cores", lambda: 2)
    monkeypatch.setattr(gate_pool, "PARENT_READS", True)  # off by default: see its docstring
    for k in range(12):
        (tmp_path / f"{k:02}.html").write_text("x" * 30_000, encoding="utf-8")
    paths = sorted(tmp_path.iterdir())
    results = gate_pool.scan_pooled(tmp_path, paths, _DeathSignalScanner(),  # type: ignore[arg-type]
                                    None, force=True)
    assert results is not None
    assert [bad.where for _, bad in results if bad is not None] == [p.name for p in paths]
    readers = {bad.kind.split(":")[0] for _, bad in results if bad is not None}
    assert len(readers - {str(os.getpid())}) <= 1  # one worker at most besides this one
