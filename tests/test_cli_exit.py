"""How the command-line process ends (build_site/cli/__init__.py)."""

from __future__ import annotations

import os
import subprocess
import sys

from .conftest import REPO


def test_what_a_command_built_is_frozen_before_python_finalizes() -> None:
    # Python's last collections would walk every object a build left (0.12 s of the bundled
    # study's 2.5 s); a handler registered before the CLI's runs after it (last in, first
    # out), when the objects are frozen already, and what it prints still reaches stdout.
    code = ("import atexit, gc\n"
            "atexit.register(lambda: print('frozen', gc.get_freeze_count() > 0))\n"
            "import build_site.cli\n")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, env=env)
    assert done.stdout.strip() == "frozen True"
