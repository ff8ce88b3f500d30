"""One build per output at a time (issue 16, item 3): parallel builds of two different
studies into one output never leave a mixed tree, and a later build never keeps a mix."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from build_site.errors import UsageError
from build_site.outlock import lock_path, output_lock
from build_site.pipeline import build
from build_site.publish import MARKER, read_marker
from tests.conftest import FIXTURES, tree_hash

ROUNDS = 6
_BUILD = ("import sys; from pathlib import Path; from build_site.pipeline import build; "
          "build(Path(sys.argv[1]), Path(sys.argv[2]))")


def _two_studies(root: Path) -> dict[str, Path]:
    first = root / "first"
    shutil.copytree(FIXTURES / "tiny", first)
    second = root / "second"
    shutil.copytree(FIXTURES / "tiny", second)
    study = second / "study.yml"
    study.write_text(study.read_text().replace("Tiny study", "Other tiny study")
                     .replace("A two-clinician", "A second two-clinician"))
    return {"Tiny study": first, "Other tiny study": second}


def _spawn(study: Path, out: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.Popen([sys.executable, "-c", _BUILD, str(study), str(out)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_parallel_builds_of_two_studies_never_mix(tmp_path: Path) -> None:
    studies = _two_studies(tmp_path)
    expected = {}
    for title, study in studies.items():
        single = tmp_path / "single" / study.name / "site"
        build(study, single)
        expected[title] = tree_hash(single)
    assert len(set(expected.values())) == 2
    out = tmp_path / "shared" / "site"
    for round_ in range(ROUNDS):
        order = list(studies.values()) if round_ % 2 else list(studies.values())[::-1]
        procs = [_spawn(study, out) for study in order]
        built = 0
        for proc in procs:
            _, stderr = proc.communicate(timeout=300)
            # The output remembers the study that wrote it: the other study's build, once
            # it has the lock, is refused rather than replacing that site.
            assert proc.returncode == 0 or b"holds the site of another study" in stderr, (
                stderr.decode())
            built += proc.returncode == 0
        assert built >= 1, f"round {round_}: neither build published"
        last = read_marker(out).get("study", "")
        assert last in expected, f"round {round_}: marker names no study: {last!r}"
        assert tree_hash(out) == expected[last], f"round {round_}: mixed tree"
    report = build(studies[last], out)
    assert tree_hash(out) == expected[last], f"reused={report.reused}"
    assert not lock_path(out).exists()


def test_a_second_build_waits_then_refuses_with_a_message(tiny: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    out = tmp_path / "site"
    build(tiny, out)
    before = tree_hash(out)
    said: list[str] = []
    monkeypatch.setattr("build_site.outlock.LOCK_WAIT_SECONDS", 0.3)
    with output_lock(out.resolve()):
        with pytest.raises(UsageError) as refused:
            output_lock(out.resolve(), said.append).__enter__()
        with pytest.raises(UsageError):
            build(tiny, out)
    assert f"(pid {os.getpid()}) is still writing this output" in str(refused.value)
    assert "--out" in str(refused.value)
    assert said and "waiting up to" in said[0]
    assert tree_hash(out) == before


def test_the_marker_names_the_study_and_audience(tiny: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(tiny, out, audience="review")
    marker = read_marker(out)
    assert {k: marker[k] for k in ("audience", "study", "folder")} == {
        "audience": "review", "study": "Tiny study", "folder": "tiny"}
    assert (out / MARKER).read_text().startswith("This folder was written by build-site")
