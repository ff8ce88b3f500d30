"""The tool installed as a user installs it: a wheel built from this checkout, put into a fresh
virtual environment (not the project's `.venv`) with the runtime lock, then `build-site new`
and a build from inside the new study folder with no arguments (issue 20).

Slow (a wheel build and an environment of ~660 MB; seconds when uv's cache is warm), and it
needs the package index, as `make test` does for its own bootstrap.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(args: list[str | Path], cwd: Path, env: dict[str, str] | None = None) -> str:
    """Run a command, failing the test with its output when it exits non-zero."""
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=900
    )
    if done.returncode != 0:
        pytest.fail(f"{args} exited {done.returncode}\n{done.stdout}\n{done.stderr}")
    return done.stdout + done.stderr


def _wheel(out: Path) -> Path:
    """Build the project's wheel from this checkout (pip's isolated build, the setuptools that
    pyproject.toml names) and return its path."""
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", out, ROOT], ROOT)
    wheels = list(out.glob("build_site-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


@pytest.mark.slow
def test_wheel_installs_into_a_fresh_environment_and_builds_a_new_study(tmp_path: Path) -> None:
    wheel = _wheel(tmp_path / "dist")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    # What the tool needs at run time travels in the wheel; the repository's own studies and
    # tests do not.
    assert "build_site/defaults/mkdocs.yml" in names
    assert "build_site/data/places.txt" in names
    assert any(n.startswith("build_site/render/templates/") for n in names)
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names), names
    assert not any(n.startswith(("tests/", "casestudies/")) for n in names)
    metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
    with zipfile.ZipFile(wheel) as archive:
        meta = archive.read(metadata).decode()
    assert "License-Expression: MIT" in meta
    assert "Requires-Dist: mkdocs<2,>=1.6.1" in meta

    env_dir = tmp_path / "env"
    try:
        venv.create(env_dir, with_pip=True)
        python = env_dir / "bin" / "python"
        uv = Path(sys.executable).parent / "uv"
        assert uv.exists(), "uv comes with the development lock (requirements-dev.lock)"
        # The runtime lock, exact and hash-checked, then the tool itself without resolving.
        _run([uv, "pip", "install", "--quiet", "--python", python, "-r",
              ROOT / "requirements.lock"], tmp_path)
        _run([python, "-m", "pip", "install", "--quiet", "--no-deps", wheel], tmp_path)
        _run([python, "-m", "pip", "check"], tmp_path)
        tool = env_dir / "bin" / "build-site"
        assert tool.exists()

        # A user's environment: only the new environment on PATH, no repository in sight.
        user_env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV",
                                                                              "PYTHON"))}
        user_env["PATH"] = f"{env_dir / 'bin'}{os.pathsep}/usr/bin:/bin"
        home = tmp_path / "home"
        home.mkdir()
        _run([tool, "new", home / "my-study"], home, user_env)
        assert (home / "my-study" / "study.yml").exists()
        before = set(home.iterdir())
        _run([tool, "build"], home / "my-study", user_env)
        made = [p for p in set(home.iterdir()) - before if (p / "index.html").exists()]
        # The default output is outside the study folder, and it is a site.
        assert len(made) == 1, sorted(home.iterdir())
        assert not (home / "my-study" / "site").exists()
        assert "<html" in (made[0] / "index.html").read_text(encoding="utf-8")
    finally:
        shutil.rmtree(env_dir, ignore_errors=True)
