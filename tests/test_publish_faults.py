"""Publishing never mixes or loses a site (issue 16, item 4): a fault or a kill at every step
of :func:`build_site.publish.publish` leaves the old site or the new one, and the next build,
even a refused one, leaves a site."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from build_site.errors import StudyError, UsageError
from build_site.outlock import guarded_output
from build_site.pipeline import build
from build_site.publish import MARKER, PUBLISH_STEPS, old_copy, publish, staging_dir

OLD = {"index.html": b"old", "pages/a.html": b"old a", "pages/b.html": b"old b"}
NEW = {"index.html": b"new", "pages/a.html": b"new a", "pages/c.html": b"new c"}
_KILL_AT = """
import os, signal, sys
from pathlib import Path
import build_site.publish as p
from build_site.outlock import output_lock
step = sys.argv[3]
p._step = lambda name: os.kill(os.getpid(), signal.SIGKILL) if name == step else None
with output_lock(Path(sys.argv[2])):
    p.publish(Path(sys.argv[1]), Path(sys.argv[2]))
"""


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.name != MARKER}


def _staged(out: Path, files: dict[str, bytes]) -> Path:
    staging = staging_dir(out)
    for name, data in files.items():
        (staging / name).parent.mkdir(parents=True, exist_ok=True)
        (staging / name).write_bytes(data)
    return staging


def _old_site(tmp_path: Path) -> Path:
    out = tmp_path / "site"
    publish(_staged(out, OLD), out)
    return out


@pytest.mark.parametrize("step", PUBLISH_STEPS)
def test_a_fault_at_any_step_leaves_old_or_new(tmp_path: Path, step: str,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    out = _old_site(tmp_path)
    staging = _staged(out, NEW)

    def fault(name: str) -> None:
        if name == step:
            raise OSError(5, "injected fault")

    monkeypatch.setattr("build_site.publish._step", fault)
    with pytest.raises((OSError, UsageError)) as raised:
        publish(staging, out)
    if step in {"drop", "done"}:  # after the swap: the new site is in
        assert _tree(out) == NEW
    else:
        assert isinstance(raised.value, UsageError)
        assert "previous site was kept" in str(raised.value)
        assert _tree(out) == OLD


@pytest.mark.parametrize("step", PUBLISH_STEPS)
def test_a_kill_at_any_step_leaves_old_or_new_after_recovery(tmp_path: Path,
                                                             step: str) -> None:
    out = _old_site(tmp_path)
    staging = _staged(out, NEW)
    done = subprocess.run([sys.executable, "-c", _KILL_AT, str(staging), str(out), step],
                          capture_output=True, check=False, timeout=60)
    assert done.returncode == -9, done.stderr.decode()
    said: list[str] = []
    with guarded_output(out, tmp_path / "study", said.append):
        assert _tree(out) in (OLD, NEW)
    assert bool(said) == (step == "swap")  # killed with the old site aside: restored, and said
    assert _tree(out) == (OLD if step in {"mark", "clear", "aside", "swap"} else NEW)


def test_a_refused_build_after_a_crash_leaves_the_old_site(tiny: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]
                                                           ) -> None:
    out = tmp_path / "site"
    build(tiny, out)
    before = _tree(out)
    out.rename(old_copy(out))  # a build killed between moving the old site aside and the swap
    study = tiny / "study.yml"
    study.write_text(study.read_text().replace("fixture", "changed fixture"))

    def refused(*_: object) -> None:
        raise StudyError([])

    monkeypatch.setattr("build_site.pipeline.run_engine", refused)
    with pytest.raises(StudyError):
        build(tiny, out)
    assert _tree(out) == before
    assert not old_copy(out).exists()
    assert "restored the previous site" in capsys.readouterr().err


def test_an_old_copy_cut_short_while_deleted_is_still_cleaned(tmp_path: Path) -> None:
    out = _old_site(tmp_path)
    left = old_copy(out)
    left.mkdir()
    (left / MARKER).write_text("x")
    (left / "pages").mkdir()
    (left / "pages" / "a.html").write_text("half deleted")
    publish(_staged(out, NEW), out)
    assert _tree(out) == NEW
    assert sorted(os.listdir(tmp_path)) == ["site"]
