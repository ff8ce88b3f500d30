"""Publish: decide where output may go and swap a finished tree in atomically.

A directory cannot be renamed over a non-empty one, so the swap is two renames: the previous
output is moved aside, the new tree moved in, then the old one deleted. Directories the tool
creates carry a marker file; a non-empty directory without it is never replaced or deleted.
Temporaries left by an interrupted run are cleaned on the next run.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from build_site.errors import UsageError

MARKER = ".build-site"
_MARK_TEXT = "This folder was written by build-site; it may be replaced by the next build.\n"


def refuse_reason(out: Path, study_dir: Path, home: Path | None = None) -> str | None:
    """Why ``out`` may not be used as an output directory, or None when it may.

    Refused: ``/``, the home directory (``home``, default ``Path.home()``) or any of its
    parents, the study folder, a folder inside it, or a parent of it.
    """
    out = out.resolve()
    study = study_dir.resolve()
    home = (home or Path.home()).resolve()
    if out == Path(out.anchor):
        return "the output directory is the file system root"
    if out == home or home.is_relative_to(out):
        return "the output directory is the home directory or one of its parents"
    if out == study or out.is_relative_to(study):
        return "the output directory is inside the study folder"
    if study.is_relative_to(out):
        return "the output directory contains the study folder"
    return None


def check_output(out: Path, study_dir: Path, home: Path | None = None) -> Path:
    """Validate ``out`` before any work is done.

    Returns:
        The resolved output path.

    Raises:
        UsageError: the path is refused (see :func:`refuse_reason`), is a file, is a non-empty
            directory that build-site did not create, or its parent cannot be written.
    """
    if not str(out).strip():
        raise UsageError("no output directory given", "name a folder such as ./site", out)
    reason = refuse_reason(out, study_dir, home)
    if reason:
        raise UsageError(reason, "choose a separate folder such as ./site", out)
    if out.resolve() == Path.cwd().resolve():
        raise UsageError("the output directory is the current directory",
                         "name a folder such as ./site", out)
    out = out.resolve()
    if out.exists() and not out.is_dir():
        raise UsageError("the output path is a file", "choose a folder", out)
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise UsageError(
            "the output directory is not empty and was not created by build-site",
            "choose an empty or new folder (nothing was changed)", out,
        )
    parent = out.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create the folder for the output: {exc.strerror}",
                         "choose a location you can write to", out) from None
    if not parent.is_dir() or not os.access(parent, os.W_OK):
        raise UsageError("cannot write next to the output directory",
                         f"check the permissions of {parent}", out)
    return out


def clean_stale(out: Path) -> None:
    """Remove temporaries of earlier interrupted runs next to ``out`` (marked ones only)."""
    for stale in out.parent.glob(f".{out.name}.*.tmp"):
        if stale.is_dir() and (stale / MARKER).is_file():
            shutil.rmtree(stale)


def staging_dir(out: Path) -> Path:
    """A new, private (0700), marked temporary folder beside ``out`` on the same file system."""
    try:
        clean_stale(out)
        path = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
        (path / MARKER).write_text(_MARK_TEXT, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write beside the output directory: {exc.strerror}",
                         "choose a location you can write to", out) from None
    return path


def discard(staging: Path) -> None:
    """Delete a staging folder (only if it carries the marker)."""
    if staging.is_dir() and (staging / MARKER).is_file():
        shutil.rmtree(staging)


def publish(staging: Path, out: Path) -> None:
    """Swap the finished tree ``staging`` in as ``out``; the previous output is removed only
    after the new one is in place."""
    try:
        (staging / MARKER).write_text(_MARK_TEXT, encoding="utf-8")
        os.chmod(staging, 0o755)
        old = None
        if out.exists():
            old = out.with_name(f".{out.name}.old.tmp")
            if old.exists():
                shutil.rmtree(old)
            out.rename(old)
        try:
            staging.rename(out)
        except OSError:
            if old is not None:
                old.rename(out)  # put the previous site back
            raise
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        raise UsageError(f"cannot replace the output directory: {exc.strerror}",
                         "the previous site was kept; check permissions and free space",
                         out) from None
