"""The tidy stage on two processes (issue 25, branch tidy2): :func:`strip_site` from
:data:`POOL_MIN_PAGES` pages gives byte for byte the site one process gives, on an engine's
real output (a synthetic study's pages as MkDocs wrote them, before tidy); a worker that
dies or a page that cannot be read leaves what one process leaves or raises."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import build_site.forked_map as forked_map
import build_site.html_whitespace as html_whitespace
import build_site.pipeline as pipeline
from build_site.html_whitespace import site_rules, strip_indentation, strip_site
from build_site.synth import write_synthetic_study
from tests.conftest import tree_hash

needs_two_cores = pytest.mark.skipif(forked_map.workers_for(10**6, 1) < 2,
                                     reason="one core or no fork here: no pool to test")


@pytest.fixture(scope="module")
def raw_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic study's site as MkDocs wrote it, before tidy (copied aside by a
    stand-in for the build's ``tidy_and_scan``), pages with inline scripts, ``pre`` blocks,
    diagrams and Material's navigation."""
    base = tmp_path_factory.mktemp("tidy-pool")
    write_synthetic_study(base / "study", dyads=4, clinicians=2, excerpts_per_dyad=8, seed=1)
    raw = base / "raw"
    with pytest.MonkeyPatch.context() as patch:
        def keep(site: Path, *args: object, **kwargs: object) -> list[object]:
            shutil.copytree(site, raw, symlinks=True)
            return []
        patch.setattr(pipeline, "tidy_and_scan", keep)
        pipeline.build(base / "study", base / "site")
    assert len(list(raw.rglob("*.html"))) > 20
    return raw


def _stripped(raw: Path, into: Path, minimum: int, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(raw, into, symlinks=True)
    monkeypatch.setattr(html_whitespace, "POOL_MIN_PAGES", minimum)
    strip_site(into)
    return into


@needs_two_cores
def test_two_processes_write_the_bytes_one_process_writes(
        raw_site: Path, tmp_path: Path, pools_started: list[int],
        monkeypatch: pytest.MonkeyPatch) -> None:
    alone = _stripped(raw_site, tmp_path / "alone", 10**9, monkeypatch)
    assert pools_started == []
    pooled = _stripped(raw_site, tmp_path / "pooled", 2, monkeypatch)
    assert pools_started == [2]
    assert tree_hash(pooled) == tree_hash(alone) != tree_hash(raw_site)
    assert not list(pooled.glob(".tidy-*"))  # the workers' scratch folder is gone
    page = next(pooled.rglob("*.html"))
    assert page.stat().st_mode == (raw_site / page.relative_to(pooled)).stat().st_mode


def test_few_pages_are_stripped_in_this_process(
        raw_site: Path, tmp_path: Path, pools_started: list[int],
        monkeypatch: pytest.MonkeyPatch) -> None:
    pages = len(list(raw_site.rglob("*.html")))
    _stripped(raw_site, tmp_path / "site", pages + 1, monkeypatch)
    assert pools_started == []


def test_a_stripped_page_is_left_as_it_is(raw_site: Path) -> None:
    # The pool's fallback strips again pages a worker already wrote.
    rules = site_rules(raw_site)
    for page in sorted(raw_site.rglob("*.html")):
        once = strip_indentation(page.read_text(encoding="utf-8"), rules)
        assert strip_indentation(once, rules) == once, page


@needs_two_cores
def test_a_worker_that_dies_leaves_the_site_one_process_writes(
        raw_site: Path, tmp_path: Path, pools_started: list[int],
        monkeypatch: pytest.MonkeyPatch) -> None:
    alone = _stripped(raw_site, tmp_path / "alone", 10**9, monkeypatch)
    parent = os.getpid()
    real = html_whitespace._strip_file
    victim = sorted(raw_site.rglob("*.html"))[-1].name

    def dies_in_a_worker(path: Path, rules: object, scratch: Path | None) -> int:
        if os.getpid() != parent and path.name == victim:
            os._exit(9)  # as if killed
        return real(path, rules, scratch)  # type: ignore[arg-type]

    monkeypatch.setattr(html_whitespace, "_strip_file", dies_in_a_worker)
    pooled = _stripped(raw_site, tmp_path / "pooled", 2, monkeypatch)
    assert pools_started == [2]
    assert tree_hash(pooled) == tree_hash(alone)


@pytest.mark.parametrize("minimum", [2, 10**9])
def test_a_page_that_is_not_utf8_is_left_as_it_is(
        raw_site: Path, tmp_path: Path, minimum: int, monkeypatch: pytest.MonkeyPatch) -> None:
    # A team's hand-written HTML in Latin-1 made the build an internal error (exit 1, no
    # file named); the gate reads such a page in its own encoding, so tidy leaves it.
    site = tmp_path / "site"
    shutil.copytree(raw_site, site, symlinks=True)
    bad = sorted(site.rglob("*.html"))[-1]
    bad.write_bytes(b"<p>\n  caf\xe9</p>")
    other = sorted(site.rglob("*.html"))[0]
    monkeypatch.setattr(html_whitespace, "POOL_MIN_PAGES", minimum)
    strip_site(site)
    assert bad.read_bytes() == b"<p>\n  caf\xe9</p>"
    assert other.read_bytes() != (raw_site / other.relative_to(site)).read_bytes()


@needs_two_cores
def test_a_page_that_cannot_be_read_raises_from_this_process_naming_it(
        raw_site: Path, tmp_path: Path, pools_started: list[int],
        monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    shutil.copytree(raw_site, site, symlinks=True)
    folder = site / "zz-folder.html"  # listed as a page, read as a file: IsADirectoryError
    folder.mkdir()
    monkeypatch.setattr(html_whitespace, "POOL_MIN_PAGES", 2)
    with pytest.raises(IsADirectoryError) as raised:
        strip_site(site)
    assert pools_started == [2]
    assert raised.value.filename == str(folder)
    assert not list(site.glob(".tidy-*"))


def test_a_build_with_a_latin1_hand_written_page_publishes_it_unchanged(
        tiny: Path, tmp_path: Path) -> None:
    (tiny / "docs").mkdir(exist_ok=True)
    page = b"<html><body>\n  <p>caf\xe9</p></body></html>"
    (tiny / "docs" / "legacy.html").write_bytes(page)
    pipeline.build(tiny, tmp_path / "site")
    assert (tmp_path / "site" / "legacy.html").read_bytes() == page
