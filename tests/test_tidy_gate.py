"""Tidy and the leak gate in one pass (``build_site/tidy_gate.py``, issue 25, fuse8): the same
files written, the same leaks in the same order, the same refusals, loads and errors as
``strip_site`` then ``scan_tree``, in one process and on workers; the gate reads the bytes
that are published."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

import build_site.pipeline as pipeline
from build_site import offline, tidy_gate
from build_site.errors import PrivacyError
from build_site.html_whitespace import strip_site
from build_site.privacy import gate, gate_files, gate_pool, theme_files
from build_site.study import Identifier
from build_site.synth import write_synthetic_study
from tests.conftest import REPO, tree_hash

from .test_gate_fast import EXTERNAL, GRIFFIN, JOSE, QUILL, _planted_site

# Hostile pages with indentation tidy removes: a name split over an indented line break, in
# a pre block, in an attribute spanning lines, in a page's own style rule, a CRLF page, a
# Latin-1 page, and external loads in indented markup.
HOSTILE = {
    "h/split.html": "<html><body>\n  <p>Margery\n        Quill</p>\n</body></html>",
    "h/pre.html": "<pre>\n    José\n      Núñez</pre>\n    <p>x</p>",
    "h/attr.html": '<div title="Fiona\n      Griffin">\n      <span>y</span></div>',
    "h/style.html": "<style>.k{white-space:pre}</style>\n  <p class=k>\n    Quill</p>\n  <p>z",
    "h/crlf.html": "<p>\r\n    Margery Quill</p>\r\n    <img src='https://e12.example/i.png'>",
    "h/loads.html": '<body>\n    <img\n      src="https://e13.example/a.png">\n  </body>',
}


def _listed() -> list[Identifier]:
    return [*pipeline.load_and_validate(REPO / "casestudies").identifiers, QUILL, JOSE,
            GRIFFIN]


@pytest.fixture(scope="module")
def raw_bundled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled study's site as the engine wrote it, before tidy and the gate, with a leak
    in each kind of file, external loads and the hostile pages above."""
    base = tmp_path_factory.mktemp("tidy-gate")
    raw = base / "engine"
    with pytest.MonkeyPatch.context() as patch:
        def keep(tree: Path, *args: Any, **kwargs: Any) -> list[gate.Leak]:
            shutil.copytree(tree, raw, symlinks=True)
            return []
        patch.setattr(pipeline, "tidy_and_scan", keep)
        pipeline.build(REPO / "casestudies", base / "site")
    site = _planted_site(raw, base / "planted")
    external = {f"ext/{k}": v for k, v in EXTERNAL.items() if k != "b.css"}  # @import: tidy off
    external["ext/b.css"] = "p{background:url(https://e13b.example/p.png)}"
    for rel, text in {**external, **HOSTILE}.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_bytes(text.encode("utf-8"))
    (site / "h" / "latin1.html").write_bytes(b"<p>\n    Margery Quill caf\xe9</p>")
    return site


@pytest.fixture(scope="module")
def raw_synth(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic study's site as the engine wrote it, with the study's identifiers."""
    base = tmp_path_factory.mktemp("tidy-gate-synth")
    write_synthetic_study(base / "study", dyads=6, clinicians=2, excerpts_per_dyad=8, seed=3)
    raw = base / "engine"
    with pytest.MonkeyPatch.context() as patch:
        def keep(tree: Path, *args: Any, **kwargs: Any) -> list[gate.Leak]:
            shutil.copytree(tree, raw, symlinks=True)
            return []
        patch.setattr(pipeline, "tidy_and_scan", keep)
        pipeline.build(base / "study", base / "site")
    return raw


Outcome = tuple[str, list[tuple[str, str]], list[str], list[offline.ExternalLoad], str]


def _outcome(site: Path, leaks: list[gate.Leak] | None, problems: list[str],
             loads: offline.LoadCollector) -> Outcome:
    found = [(leak.where, leak.identifier.text) for leak in leaks or []]
    error = repr(loads.error) if loads.error else ""
    return tree_hash(site), found, problems, loads.found, error


def _run(raw: Path, into: Path, listed: list[Identifier], fused: bool, pooled: bool,
         monkeypatch: pytest.MonkeyPatch) -> Outcome:
    shutil.copytree(raw, into, symlinks=True)
    with monkeypatch.context() as patch:
        patch.setattr(gate_pool, "MIN_POOL_BYTES", 0 if pooled else 1 << 62)
        patch.setattr(gate_pool, "CHUNK_BYTES", 50_000)
        if pooled and gate_pool.usable_cores() < 2:
            patch.setattr(gate_pool, "usable_cores", lambda: 2)
        loads = offline.LoadCollector()
        leaks, problems = None, []
        try:
            if fused:
                leaks = tidy_gate.tidy_and_scan(into, listed, also=loads)
            else:
                strip_site(into)
                leaks = gate.scan_tree(into, listed, also=loads)
        except PrivacyError as exc:
            problems = [str(p) for p in exc.problems]
    assert not list(into.glob(".tidy-*"))
    return _outcome(into, leaks, problems, loads)


def _all_three(raw: Path, tmp_path: Path, listed: list[Identifier],
               monkeypatch: pytest.MonkeyPatch) -> Outcome:
    """The two passes, and the fused pass in one process and on workers: all the same."""
    two = _run(raw, tmp_path / "two", listed, False, False, monkeypatch)
    one = _run(raw, tmp_path / "one", listed, True, False, monkeypatch)
    pooled = _run(raw, tmp_path / "pooled", listed, True, True, monkeypatch)
    assert one == two
    assert pooled == two
    return two


def test_the_bundled_site_with_hostile_pages_reads_as_in_two_passes(
        raw_bundled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site_hash, found, problems, loads, error = _all_three(raw_bundled, tmp_path, _listed(),
                                                          monkeypatch)
    assert site_hash != tree_hash(raw_bundled)  # tidy did strip pages
    assert {"h/split.html", "h/pre.html", "h/attr.html", "h/style.html", "h/crlf.html",
            "h/latin1.html"} <= {where for where, _ in found}
    assert {"e12.example", "e13.example"} <= {load.host for load in loads}
    assert problems == [] and error == ""
    crlf = (tmp_path / "one" / "h" / "crlf.html").read_bytes()
    assert crlf == HOSTILE["h/crlf.html"].replace("\r\n    ", "\n").encode()


def test_a_site_whose_stylesheet_turns_tidy_off_reads_as_in_two_passes(
        raw_bundled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(raw_bundled, raw)
    (raw / "ext" / "b.css").write_text(EXTERNAL["b.css"], encoding="utf-8")
    site_hash, found, _, loads, _ = _all_three(raw, tmp_path, _listed(), monkeypatch)
    assert site_hash == tree_hash(raw)  # nothing stripped
    assert "h/split.html" in {where for where, _ in found}
    assert "e12.example" in {load.host for load in loads}


def test_a_synthetic_site_reads_as_in_two_passes(
        raw_synth: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    study = raw_synth.parent / "study"
    listed = pipeline.load_and_validate(study).identifiers
    site_hash, found, problems, _, _ = _all_three(raw_synth, tmp_path, listed, monkeypatch)
    assert site_hash != tree_hash(raw_synth) and found == [] and problems == []


def test_a_file_the_gate_cannot_read_is_refused_as_in_two_passes(
        raw_bundled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(raw_bundled, raw)
    (raw / "h" / "binary.html").write_bytes(b"\x00\x01\x02 Quill \xff\xfe\x00")
    (raw / "blob.bin").write_bytes(b"\x00\x9f\x92\x96 Quill")
    _, _, problems, _, _ = _all_three(raw, tmp_path, _listed(), monkeypatch)
    assert any(p.startswith("blob.bin") or "blob.bin" in p for p in problems)
    assert any("h/binary.html" in p for p in problems)


class _Recorder:
    """A splittable visitor keeping the bytes each file was read as, and its text."""

    def __init__(self) -> None:
        self.read: dict[str, bytes] = {}
        self.decoded: dict[str, list[str] | None] = {}

    def __call__(self, rel: str, data: bytes, decoded: list[str] | None) -> None:
        self.read[rel] = data
        self.decoded[rel] = decoded

    def part(self) -> _Recorder:
        return _Recorder()

    def join(self, parts: Any) -> None:
        for part in parts:
            self.read.update(part.read)
            self.decoded.update(part.decoded)


@pytest.mark.parametrize("pooled", [False, True])
def test_the_gate_reads_the_bytes_it_publishes(
        raw_bundled: Path, tmp_path: Path, pooled: bool, monkeypatch: pytest.MonkeyPatch
        ) -> None:
    site = tmp_path / "site"
    shutil.copytree(raw_bundled, site)
    monkeypatch.setattr(gate_pool, "MIN_POOL_BYTES", 0 if pooled else 1 << 62)
    if pooled and gate_pool.usable_cores() < 2:
        monkeypatch.setattr(gate_pool, "usable_cores", lambda: 2)
    recorder = _Recorder()
    assert tidy_gate.tidy_and_scan(site, _listed(), also=recorder)  # the planted leaks
    files = {p.relative_to(site).as_posix(): p.read_bytes()
             for p in site.rglob("*") if p.is_file()}
    assert recorder.read == files
    assert files["h/split.html"] != (raw_bundled / "h" / "split.html").read_bytes()


@pytest.mark.parametrize("pooled", [False, True])
def test_the_gate_reads_the_text_of_the_bytes_it_publishes(
        raw_bundled: Path, tmp_path: Path, pooled: bool, monkeypatch: pytest.MonkeyPatch
        ) -> None:
    """gate10: a page tidy rewrote is handed to the gate with the text it wrote, not decoded
    again; that text is what ``decode_text`` reads in the published bytes (a byte-order mark
    dropped, CRLF read as written)."""
    site = tmp_path / "site"
    shutil.copytree(raw_bundled, site)
    (site / "h" / "bom.html").write_bytes(
        b"\xef\xbb\xbf<ul>\n      <li>Margery Quill caf\xc3\xa9</li>\n  </ul>")
    monkeypatch.setattr(gate_pool, "MIN_POOL_BYTES", 0 if pooled else 1 << 62)
    if pooled and gate_pool.usable_cores() < 2:
        monkeypatch.setattr(gate_pool, "usable_cores", lambda: 2)
    recorder = _Recorder()
    leaks = tidy_gate.tidy_and_scan(site, _listed(), also=recorder)
    assert "h/bom.html" in {leak.where for leak in leaks}
    checked = 0
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        rel, data = path.relative_to(site).as_posix(), path.read_bytes()
        read = not theme_files.is_theme_asset(data) and gate_files.kind_of(rel, data) == "text"
        assert recorder.decoded[rel] == (gate_files.decode_text(data) if read else None), rel
        checked += read and rel.endswith(".html")
    assert checked > 20
    assert recorder.decoded["h/bom.html"] == [
        "<ul>\n<li>Margery Quill caf\u00e9</li>\n</ul>"]



def test_a_page_that_cannot_be_read_raises_as_tidy_does(
        raw_synth: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    errors = []
    real = Path.read_bytes
    for fused in (False, True):
        site = tmp_path / f"site-{fused}"
        shutil.copytree(raw_synth, site)
        victim = sorted(site.rglob("*.html"))[-1]

        def read_bytes(self: Path, victim: Path = victim) -> bytes:
            if self == victim:
                raise PermissionError(13, "Permission denied", str(self))
            return real(self)

        with monkeypatch.context() as patch:
            patch.setattr(Path, "read_bytes", read_bytes)
            with pytest.raises(PermissionError) as raised:
                if fused:
                    tidy_gate.tidy_and_scan(site, [], also=offline.LoadCollector())
                else:
                    strip_site(site)
        errors.append((Path(raised.value.filename).relative_to(site), tree_hash(site)))
        assert raised.value.filename == str(victim)
    assert errors[0] == errors[1]  # the same page named, the same pages stripped before it


def test_a_folder_named_as_a_page_raises_as_tidy_does(
        raw_synth: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(raw_synth, site)
    folder = site / "zz-folder.html"
    folder.mkdir()
    with pytest.raises(IsADirectoryError) as raised:
        tidy_gate.tidy_and_scan(site, [], also=offline.LoadCollector())
    assert raised.value.filename == str(folder)


def test_a_symlink_or_a_hard_link_takes_the_two_passes(
        raw_synth: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    passes: list[Path] = []
    real = tidy_gate._two_passes

    def counted(site: Path, *args: Any) -> list[gate.Leak]:
        passes.append(site)
        return real(site, *args)

    monkeypatch.setattr(tidy_gate, "_two_passes", counted)
    plain = tmp_path / "plain"
    shutil.copytree(raw_synth, plain)
    tidy_gate.tidy_and_scan(plain, [], also=offline.LoadCollector())
    assert passes == []
    for kind in ("symlink", "hardlink"):
        site = tmp_path / kind
        shutil.copytree(raw_synth, site)
        page = sorted(site.rglob("*.html"))[-1]
        link = site / "aa.txt"
        (link.symlink_to if kind == "symlink" else link.hardlink_to)(page)
        tidy_gate.tidy_and_scan(site, [], also=offline.LoadCollector())
        assert passes[-1] == site
        assert link.read_bytes() == page.read_bytes()


def test_a_worker_that_dies_leaves_the_result_of_one_process(
        raw_bundled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    alone = _run(raw_bundled, tmp_path / "alone", _listed(), True, False, monkeypatch)
    parent = os.getpid()
    real = tidy_gate.PageTidy.__call__
    victim = sorted(raw_bundled.rglob("*.html"))[-1].name

    def dies_in_a_worker(self: tidy_gate.PageTidy, path: Path, data: bytes
                         ) -> tuple[bytes, list[str] | None]:
        if os.getpid() != parent and path.name == victim:
            os._exit(9)  # as if killed
        return real(self, path, data)

    monkeypatch.setattr(tidy_gate.PageTidy, "__call__", dies_in_a_worker)
    assert _run(raw_bundled, tmp_path / "pooled", _listed(), True, True, monkeypatch) == alone


def test_a_full_build_times_tidy_and_the_gate_as_one_stage(tiny: Path, tmp_path: Path) -> None:
    report = pipeline.build(tiny, tmp_path / "site")
    assert "tidy+gate" in report.timings
    assert not {"tidy", "gate"} & set(report.timings)
    preview = pipeline.build(tiny, tmp_path / "preview", incremental=True)
    assert {"tidy", "gate"} <= set(preview.timings)


def test_a_fused_pass_counts_tidy_in_the_own_stages_but_the_gate(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_main", REPO / "bench" / "bench.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "bench_main", bench)  # dataclasses look it up
    spec.loader.exec_module(bench)
    run = bench.Run(cold={"timings": {"render": 1.0, "mkdocs": 5.0, "tidy+gate": 2.0},
                          "stage_cpu": {"render": 1.0, "mkdocs": 9.0, "tidy+gate": 4.0},
                          "tidy_cpu_in_gate": 1.0})
    assert bench._own_stages(run) == 3.0
    assert bench._own_stages(run, gate=False) == 1.5  # render, and a quarter of the pass
    assert bench._own_stages(run, "cold", "stage_cpu", gate=False) == 2.0
    two = bench.Run(cold={"timings": {"render": 1.0, "mkdocs": 5.0, "tidy": 0.4, "gate": 1.6}})
    assert bench._own_stages(two, gate=False) == 1.4


def test_the_fused_pass_reports_the_time_tidy_took_in_it(
        raw_synth: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(raw_synth, site)
    tidy_gate.tidy_and_scan(site, [], also=offline.LoadCollector())
    assert tidy_gate.last_tidy_cpu is not None and tidy_gate.last_tidy_cpu > 0
