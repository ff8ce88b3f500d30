"""Operational checks and failures, worded for the user: what went wrong and what to do.

A missing Graphviz is found before any work (not after loading and rendering), and a full
disk is reported as such (exit 2) instead of as an internal error.
"""

from __future__ import annotations

import errno
from collections.abc import Iterator
from contextlib import contextmanager

import graphviz

from build_site.errors import UsageError
from build_site.render.diagrams import graphviz_version

GRAPHVIZ_HINT = ("install Graphviz (Debian/Ubuntu: sudo apt-get install graphviz; macOS: "
                 "brew install graphviz; Windows: winget install graphviz) so that 'dot' is "
                 "on the PATH, then run the command again")
_FULL = {errno.ENOSPC, errno.EDQUOT}


def require_graphviz() -> str:
    """Check that Graphviz's ``dot`` runs, before a build does any work.

    Returns:
        Its version, e.g. ``2.43.0``.

    Raises:
        UsageError: ``dot`` is missing or does not run (exit 2; nothing was written).
    """
    try:
        return graphviz_version()
    except graphviz.ExecutableNotFound:
        raise UsageError("Graphviz is not installed ('dot' was not found); the model "
                         "diagrams need it", GRAPHVIZ_HINT) from None
    except (graphviz.CalledProcessError, RuntimeError, OSError) as exc:
        raise UsageError(f"Graphviz's 'dot' does not run: {exc}", GRAPHVIZ_HINT) from None


@contextmanager
def operational_errors() -> Iterator[None]:
    """Turn a full disk or exhausted quota inside the ``with`` body into a ``UsageError``.

    Raises:
        UsageError: an ``OSError`` with ``ENOSPC`` or ``EDQUOT`` was raised (exit 2); other
            errors pass through unchanged.
    """
    try:
        yield
    except OSError as exc:
        if exc.errno not in _FULL:
            raise
        where = exc.filename or ""
        raise UsageError(
            "the disk is full" if exc.errno == errno.ENOSPC else "the disk quota is used up",
            "free some space on that disk (or write to another disk with --out) and run the "
            "command again; an existing site was left as it was", where) from None
