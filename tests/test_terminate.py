"""A build stopped by SIGTERM (``kill``, ``timeout``, a CI runner, systemd) cleans up as
Ctrl-C does: exit 143, the previous site as it was, no staging folder left beside it.

Before, Python's default action for SIGTERM ended the process at once: no ``finally`` ran, so
the staging folder (``.NAME.*.tmp``, pages the leak gate had not yet cleared) stayed beside
the output until the next build there (lead, 2026-12-07: a leftover noticed in issue 25's
adversary work)."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from build_site.forked import Terminated, terminate_as_interrupt, worker_start

REPO = Path(__file__).resolve().parents[1]


def _digest(tree: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in tree.rglob("*") if p.is_file()):
        h.update(str(path.relative_to(tree)).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def _build(study: Path, out: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen([sys.executable, "-m", "build_site", "build", str(study),
                             "--out", str(out), "--quiet"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _staging(out: Path) -> list[Path]:
    return [p for p in out.parent.glob(f".{out.name}.*.tmp")]


def test_sigterm_during_a_build_leaves_the_previous_site_and_no_staging(
        tmp_path: Path) -> None:
    study, out = tmp_path / "study", tmp_path / "site"
    shutil.copytree(REPO / "casestudies", study)
    first = _build(study, out)
    assert first.wait(timeout=300) == 0, first.stderr.read() if first.stderr else ""
    before = _digest(out)
    config = study / "study.yml"  # the title changed: the next build is not a no-op
    config.write_text(config.read_text(encoding="utf-8").replace(
        "title: ", "title: Draft ", 1), encoding="utf-8")
    second = _build(study, out)
    deadline = time.monotonic() + 120
    while not _staging(out) and second.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    assert _staging(out), "the build made no staging folder to stop it in"
    second.send_signal(signal.SIGTERM)
    _, err = second.communicate(timeout=120)
    assert second.returncode == 143, err.decode()
    assert b"stopped" in err
    assert _staging(out) == []
    assert _digest(out) == before


def test_sigterm_inside_the_block_is_raised_as_an_interrupt_and_the_handler_restored(
        ) -> None:
    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(Terminated) as caught, terminate_as_interrupt():
        signal.raise_signal(signal.SIGTERM)
        for _ in range(1000):  # bytecodes after the signal: Python runs its handler here
            pass
    assert isinstance(caught.value, KeyboardInterrupt)  # every Ctrl-C clean-up path runs
    assert signal.getsignal(signal.SIGTERM) == before


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork here")
def test_a_forked_worker_takes_sigterm_as_the_system_does() -> None:
    read_end, write_end = os.pipe()
    with terminate_as_interrupt():
        pid = os.fork()
        if pid == 0:  # the child
            code = 1
            try:
                worker_start(os.getppid())
                if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
                    os.write(write_end, b"default")
                code = 0
            finally:
                os._exit(code)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        said = pipe.read()
    os.waitpid(pid, 0)
    assert said == b"default"
