"""The browser itself: Debian's Chromium must be installed (the other tests fail without it)."""

from __future__ import annotations

import os

from .conftest import CHROMIUM, MISSING


def test_chromium_is_installed() -> None:
    assert CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK), MISSING
