"""The tree listing and threaded hashing of :mod:`build_site.file_hashes` (serial9) give the
values of the code before it: ``reuse._manifest`` and ``noop._digest_folder`` as they were at
2647f89 (copied below as references) on hostile trees and the bundled study."""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path
from typing import Any

import pytest

from build_site import file_hashes, noop
from build_site.file_hashes import sha256_files, tree_entries
from build_site.reuse import _manifest

STUDY = Path(__file__).resolve().parent.parent / "casestudies"


def reference_manifest(out: Path) -> dict[str, str] | None:
    """``reuse._manifest`` at 2647f89."""
    files: dict[str, str] = {}
    for path in sorted(out.rglob("*")):
        rel = path.relative_to(out).as_posix()
        if path.is_symlink():
            return None
        if path.is_dir():
            files[rel] = ""
        elif path.is_file():
            files[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            return None
    return files


def reference_digest_folder(root: Path, digest: Any, state: Any = None) -> None:
    """``noop._digest_folder``'s walk of a folder at 2647f89."""
    digest.update(b"folder\0" + str(root).encode() + b"\0")
    entries: list[tuple[str, Path]] = []
    for folder, dirs, files in os.walk(root):
        base = Path(folder)
        entries += [(os.path.relpath(base / name, root), base / name) for name in dirs + files]
    for rel, path in sorted(entries):
        if path.is_symlink():
            raise noop._Unvouched(str(path))
        if path.is_dir():
            digest.update(b"d\0" + rel.encode() + b"\0")
        elif path.is_file():
            noop._stat(path, state)
            digest.update(b"f\0" + rel.encode() + b"\0" + hashlib.sha256(
                path.read_bytes()).digest())
        else:
            raise noop._Unvouched(str(path))


def _tree(root: Path) -> Path:
    """Nested folders, an empty one, dot files, names whose order differs by part and by
    string (``a/b`` sorts before ``a-b`` by part, after it by string), files from empty to
    200 KB, and more files than it takes to hash on two threads."""
    for rel in ["a/b", "a-b", "a.b/c", "a/b-c/d", ".hidden", "a/.dot", "Z", "z", "é"]:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(rel.encode() * 50)
    (root / "empty").mkdir()
    (root / "a" / "zero").write_bytes(b"")
    for i in range(file_hashes.THREADED_MIN + 7):
        (root / "pages" / f"p{i % 3}").mkdir(parents=True, exist_ok=True)
        (root / "pages" / f"p{i % 3}" / f"{i}.html").write_bytes(bytes([i % 256]) * (i * 3001))
    return root


def test_the_listing_is_rglob_sorted(tmp_path: Path) -> None:
    tree = _tree(tmp_path / "t")
    assert [e.rel for e in tree_entries(tree)] == [
        p.relative_to(tree).as_posix() for p in sorted(tree.rglob("*"))]


def test_manifest_equals_the_reference_in_value_and_order(tmp_path: Path) -> None:
    tree = _tree(tmp_path / "t")
    assert len([e for e in tree_entries(tree) if e.kind == "file"]) > file_hashes.THREADED_MIN
    got, want = _manifest(tree), reference_manifest(tree)
    assert got == want and want is not None
    assert list(got) == list(want)


def test_manifest_of_a_built_site_equals_the_reference(tmp_path: Path) -> None:
    from build_site.pipeline import build
    out = tmp_path / "site"
    build(STUDY, out)
    got = _manifest(out)
    assert got is not None and len(got) > file_hashes.THREADED_MIN
    assert got == reference_manifest(out) and list(got) == list(reference_manifest(out) or {})


@pytest.mark.parametrize("odd", ["link", "dirlink", "fifo"])
def test_a_link_or_special_file_gives_none_as_before(tmp_path: Path, odd: str) -> None:
    tree = _tree(tmp_path / "t")
    where = tree / "pages" / "p1" / "odd"
    if odd == "link":
        where.symlink_to(tree / "a" / "b")
    elif odd == "dirlink":
        where.symlink_to(tree / "a")
    else:
        os.mkfifo(where)
    assert reference_manifest(tree) is None
    assert _manifest(tree) is None


def test_a_missing_or_file_root_gives_what_it_gave(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x")
    for root in (tmp_path / "missing", tmp_path / "f"):
        assert _manifest(root) == reference_manifest(root) == {}


def test_threaded_digests_are_each_files_in_order(tmp_path: Path) -> None:
    tree = _tree(tmp_path / "t")
    files = [e.path for e in tree_entries(tree) if e.kind == "file"]
    want = [hashlib.sha256(Path(f).read_bytes()).digest() for f in files]
    assert sha256_files(files) == want
    assert sha256_files(files, threaded=False) == want


def test_the_first_unreadable_file_in_order_is_the_error(tmp_path: Path) -> None:
    tree = _tree(tmp_path / "t")
    files = [e.path for e in tree_entries(tree) if e.kind == "file"]
    # one missing file for each thread (even and odd places), the later one first listed
    files[-2:] = [str(tmp_path / "gone-late-0"), str(tmp_path / "gone-late-1")]
    files[5] = str(tmp_path / "gone-first")
    with pytest.raises(FileNotFoundError) as raised:
        sha256_files(files)
    assert raised.value.filename == str(tmp_path / "gone-first")


def test_an_interrupt_stops_the_other_thread(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    tree = _tree(tmp_path / "t")
    files = [e.path for e in tree_entries(tree) if e.kind == "file"]
    read: list[str] = []
    real = file_hashes._sha256
    stops: list[threading.Event] = []
    real_event = threading.Event

    def event() -> threading.Event:
        stops.append(real_event())
        return stops[-1]

    def interrupted(path: str | Path) -> bytes:
        if threading.current_thread() is threading.main_thread():
            raise KeyboardInterrupt  # on this thread's first file
        # adv8: the helper waits until the interrupt has set the stop (else, on a loaded
        # machine, it could read its whole half first and the count below was a race)
        assert stops[0].wait(10)
        read.append(str(path))
        return real(path)

    monkeypatch.setattr(file_hashes, "_sha256", interrupted)
    monkeypatch.setattr(file_hashes.threading, "Event", event)
    before = threading.active_count()
    with pytest.raises(KeyboardInterrupt):
        sha256_files(files)
    assert threading.active_count() == before  # the helper thread has ended
    assert len(read) <= 1  # none, or the one it was reading when the interrupt came


@pytest.mark.parametrize("which", ["tree", "study"])
def test_the_source_digest_equals_the_reference(tmp_path: Path, which: str) -> None:
    root = _tree(tmp_path / "t") if which == "tree" else STUDY.resolve()
    got = [hashlib.sha256(), hashlib.sha256()]
    want = [hashlib.sha256(), hashlib.sha256()]
    noop._digest_folder(root, *got)
    reference_digest_folder(root, *want)
    assert [d.hexdigest() for d in got] == [d.hexdigest() for d in want]


def test_the_source_digest_refuses_a_link_as_before(tmp_path: Path) -> None:
    tree = _tree(tmp_path / "t")
    (tree / "a" / "link").symlink_to(tree / "z")
    for walk in (noop._digest_folder, reference_digest_folder):
        with pytest.raises(noop._Unvouched):
            walk(tree, hashlib.sha256(), hashlib.sha256())


@pytest.mark.parametrize("change", ["removed", "made a folder"])
def test_a_file_gone_between_listing_and_hashing_gives_none_as_before(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: str) -> None:
    """adv8: the output listed first and hashed after widens the window in which a file can
    go (another program, a sync tool). Reading each path of ``rglob`` in turn found it
    neither file nor folder (None: nothing vouched for, the record forgotten; a folder now
    gives None too, vouching for less); the listing's digest raised FileNotFoundError or
    IsADirectoryError, an internal error after the site was published."""
    import build_site.reuse as reuse

    out = tmp_path / "out"
    (out / "sub").mkdir(parents=True)
    for name in ("a.html", "sub/b.html"):
        (out / name).write_text(name, encoding="utf-8")

    def changing(paths: Any, threaded: bool = True) -> list[bytes]:
        (out / "sub" / "b.html").unlink()
        if change == "made a folder":
            (out / "sub" / "b.html").mkdir()
        return sha256_files(paths, threaded)

    monkeypatch.setattr(reuse, "sha256_files", changing)
    assert _manifest(out) is None
