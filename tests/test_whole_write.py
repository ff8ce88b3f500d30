"""Tidy's workers write each page whole through one scratch file per process exchanged with
the page (gate10, :mod:`build_site.whole_write`): the same bytes, counts and modes as the
code before (``tests/html_whitespace_reference.py``, the module at 3b12a81, which wrote a
temporary file per page), no new file per page, and the page as it was when the write fails."""

from __future__ import annotations

import errno
import os
import shutil
import stat
from pathlib import Path

import pytest

import build_site.pipeline as pipeline
import build_site.whole_write as whole_write
import tests.html_whitespace_reference as reference
from build_site.html_whitespace import site_pages, site_rules, strip_page

EXTRA = {  # pages an engine may copy from a team's docs folder, as they are
    "h/crlf.html": b"<ul>\r\n    <li>a</li>\r\n\r\n    <li>b</li>\r\n</ul>\r\n",
    "h/cr.html": b"<ul>\r    <li>a</li>\r</ul>",
    "h/bom.html": b"\xef\xbb\xbf<ul>\n    <li>caf\xc3\xa9</li>\n  </ul>",
    "h/latin1.html": b"<ul>\n    <li>caf\xe9</li>\n</ul>",
    "h/readonly.html": b"<ul>\n        <li>read only</li>\n</ul>",
    "h/group.html": b"<ul>\n        <li>group</li>\n</ul>",
}
MODES = {"h/readonly.html": 0o444, "h/group.html": 0o640}


@pytest.fixture(scope="module")
def raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled study's pages as the engine wrote them, and the pages of ``EXTRA``."""
    base = tmp_path_factory.mktemp("whole-write")
    kept = base / "raw"
    with pytest.MonkeyPatch.context() as patch:
        def keep(site: Path, *args: object, **kwargs: object) -> list[object]:
            shutil.copytree(site, kept, symlinks=True)
            return []
        patch.setattr(pipeline, "tidy_and_scan", keep)
        pipeline.build(Path(__file__).parent.parent / "casestudies", base / "site")
    for rel, data in EXTRA.items():
        (kept / rel).parent.mkdir(parents=True, exist_ok=True)
        (kept / rel).write_bytes(data)
        os.chmod(kept / rel, MODES.get(rel, 0o644))
    return kept


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    """This process's scratch files and the exchange's state as in a new process."""
    monkeypatch.setattr(whole_write, "_scratch_file", {})
    monkeypatch.setattr(whole_write, "_exchange_works", [])


def _strip_all(site: Path, strip: object, scratch: Path) -> list[tuple[str, bytes, int, int]]:
    """Each page's (path, bytes returned, bytes removed, mode after), stripped by ``strip``
    (a ``strip_page``) with a scratch folder, as a worker strips it."""
    rules = site_rules(site)
    scratch.mkdir()
    out = []
    for path in site_pages(site):
        data, removed = strip(path, path.read_bytes(), rules, scratch)  # type: ignore[operator]
        assert path.read_bytes() == data
        out.append((path.relative_to(site).as_posix(), data, removed,
                    stat.S_IMODE(path.stat().st_mode)))
    return out


def _both(raw: Path, tmp_path: Path) -> tuple[list[tuple[str, bytes, int, int]],
                                                list[tuple[str, bytes, int, int]]]:
    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(raw, old)
    shutil.copytree(raw, new)
    before = _strip_all(old, reference.strip_page, tmp_path / "old-scratch")
    after = _strip_all(new, strip_page, new / ".tidy-scratch")
    return before, after


@pytest.mark.usefixtures("fresh")
def test_pages_are_written_as_the_code_before_wrote_them(raw: Path, tmp_path: Path) -> None:
    before, after = _both(raw, tmp_path)
    assert after == before
    assert len(after) > 20
    assert sum(1 for _, _, removed, _ in after if removed) > 20
    modes = {rel: mode for rel, _, _, mode in after}
    assert modes["h/readonly.html"] == 0o444 and modes["h/group.html"] == 0o640
    removed = {rel: n for rel, _, n, _ in after}
    assert removed["h/crlf.html"] == 9  # as read (CRLF as LF): 4 + 4 spaces, an empty line
    assert removed["h/latin1.html"] == 0  # not UTF-8: left as it is


def test_without_the_exchange_pages_are_written_as_before(
        raw: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh: None) -> None:
    monkeypatch.setattr(whole_write, "_call", [None])  # a system with no renameat2
    before, after = _both(raw, tmp_path)
    assert after == before
    assert whole_write._exchange_works == [False]
    assert list((tmp_path / "new" / ".tidy-scratch").iterdir()) == []  # each renamed


@pytest.mark.usefixtures("fresh")
def test_no_new_file_is_made_per_page(raw: Path, tmp_path: Path) -> None:
    """Fails with a temporary file per page: every page would hold a new inode and the
    scratch folder none."""
    site = tmp_path / "site"
    shutil.copytree(raw, site)
    pages = site_pages(site)
    inodes = {page.stat().st_ino for page in pages}
    _strip_all(site, strip_page, site / ".tidy-scratch")
    left = list((site / ".tidy-scratch").iterdir())
    assert len(left) == 1  # one scratch file for the process
    after = {page.stat().st_ino for page in pages} | {left[0].stat().st_ino}
    assert len(after - inodes) == 1  # the scratch file's first inode, and no other


@pytest.mark.usefixtures("fresh")
def test_the_page_is_as_it_was_when_the_write_fails(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page, scratch = tmp_path / "p.html", tmp_path / "scratch"
    page.write_bytes(b"old bytes, longer than the new ones")
    scratch.mkdir()
    whole_write.replace_whole(page, b"first", scratch)  # the scratch file now holds old bytes

    def fails(handle: int, length: int) -> None:
        raise OSError(errno.ENOSPC, "no space left on device")

    monkeypatch.setattr(whole_write.os, "ftruncate", fails)
    with pytest.raises(OSError):
        whole_write.replace_whole(page, b"new", scratch)
    assert page.read_bytes() == b"first"


@pytest.mark.usefixtures("fresh")
def test_an_exchange_that_fails_is_a_rename(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                             ) -> None:
    """Any error of the exchange (EXDEV from an overlay file system, say): renamed as before,
    which raises its own error if it fails too."""
    page, scratch = tmp_path / "p.html", tmp_path / "scratch"
    page.write_bytes(b"old")
    os.chmod(page, 0o640)
    scratch.mkdir()
    monkeypatch.setattr(whole_write, "exchange", lambda a, b: False)
    whole_write.replace_whole(page, b"new", scratch)
    assert page.read_bytes() == b"new" and stat.S_IMODE(page.stat().st_mode) == 0o640
    assert list(scratch.iterdir()) == []


@pytest.mark.usefixtures("fresh")
def test_a_missing_page_raises_and_nothing_is_written(tmp_path: Path) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    with pytest.raises(FileNotFoundError):
        whole_write.replace_whole(tmp_path / "gone.html", b"new", scratch)
    assert not (tmp_path / "gone.html").exists()


@pytest.mark.usefixtures("fresh")
def test_processes_sharing_a_scratch_folder_each_use_their_own_file(tmp_path: Path) -> None:
    """A forked worker inherits this process's scratch file: it must make its own."""
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    pages = [tmp_path / f"p{k}.html" for k in range(40)]
    for page in pages:
        page.write_bytes(b"x" * 5000)
    whole_write.replace_whole(pages[0], b"parent", scratch)  # this process's file, first
    children = []
    for k in range(2):
        pid = os.fork()
        if pid == 0:
            try:
                for page in pages[1 + k::2]:
                    whole_write.replace_whole(page, page.name.encode() * 3, scratch)
            finally:
                os._exit(0)
        children.append(pid)
    for pid in children:
        assert os.waitpid(pid, 0)[1] == 0
    assert pages[0].read_bytes() == b"parent"
    for page in pages[1:]:
        assert page.read_bytes() == page.name.encode() * 3
    assert len(list(scratch.iterdir())) == 3


def test_a_scratch_folder_that_cannot_be_removed_is_never_left_in_the_site(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The workers' scratch files hold pages as the engine wrote them, which the gate never
    read: when the folder cannot be removed the pass raises (the build publishes nothing)."""
    import build_site.tidy_gate as tidy_gate
    from build_site.privacy import gate_pool
    from build_site.synth import write_synthetic_study

    write_synthetic_study(tmp_path / "study", dyads=3, clinicians=2, excerpts_per_dyad=4,
                          seed=2)
    raw = tmp_path / "raw"
    with monkeypatch.context() as patch:
        def keep(site: Path, *args: object, **kwargs: object) -> list[object]:
            shutil.copytree(site, raw, symlinks=True)
            return []
        patch.setattr(pipeline, "tidy_and_scan", keep)
        pipeline.build(tmp_path / "study", tmp_path / "site")
    monkeypatch.setattr(gate_pool, "MIN_POOL_BYTES", 0)
    if gate_pool.usable_cores() < 2:
        monkeypatch.setattr(gate_pool, "usable_cores", lambda: 2)
    real = shutil.rmtree

    def stuck(path: Path, ignore_errors: bool = False) -> None:
        if Path(path).name.startswith(".tidy-"):
            if ignore_errors:
                return
            raise PermissionError(13, "Permission denied", str(path))
        real(path, ignore_errors=ignore_errors)

    monkeypatch.setattr(tidy_gate.shutil, "rmtree", stuck)
    with pytest.raises(PermissionError):
        tidy_gate.tidy_and_scan(raw, [])


@pytest.mark.usefixtures("fresh")
def test_a_page_with_another_name_leaves_that_name_its_bytes(tmp_path: Path) -> None:
    """Exchanged, a hard-linked page's old inode would become the scratch file, and the next
    page's bytes would be written into the other name."""
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    page, other, next_page = tmp_path / "a.html", tmp_path / "copy.html", tmp_path / "b.html"
    page.write_bytes(b"page a as the engine wrote it")
    os.link(page, other)
    next_page.write_bytes(b"page b")
    whole_write.replace_whole(page, b"a stripped", scratch)
    whole_write.replace_whole(next_page, b"b stripped", scratch)
    assert page.read_bytes() == b"a stripped"
    assert next_page.read_bytes() == b"b stripped"
    assert other.read_bytes() == b"page a as the engine wrote it"
