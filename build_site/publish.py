"""Publish: decide where output may go and swap a finished tree in atomically.

A directory cannot be renamed over a non-empty one, so the swap is two renames: the previous
output is moved aside (to ``.<name>.old.tmp``), the new tree moved in, then the old one deleted.
Directories the tool creates carry a marker file; a non-empty directory without it is never
replaced or deleted.

Call :func:`staging_dir` and :func:`publish` with the output's lock held
(:func:`build_site.outlock.guarded_output`), which first runs :func:`recover`: it puts back an
old copy left by a build killed between the two renames, before temporaries of interrupted
runs are cleaned.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from contextlib import suppress
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
            directory that build-site did not create, holds the site of another study folder
            (:func:`other_study`), or its parent cannot be written.
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
    if other := other_study(out, study_dir):
        raise UsageError(
            f"the output directory holds the site of another study ({other}); this build is "
            f"of {study_dir.resolve()}, and would replace it",
            "choose another --out (by default each study's site goes beside it, named after "
            "it), or delete that folder if its site is no longer wanted; nothing was changed",
            out)
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


def study_identity(study_dir: Path, title: str, audience: str) -> dict[str, str]:
    """What an output's marker records about the build that wrote it: the study's title, the
    audience, the study folder's name and a key of its full path (a SHA-256 prefix: the
    marker travels with the site, so the path itself, which may hold a user name, is not
    written)."""
    folder = study_dir.resolve()
    return {"study": title, "audience": audience, "folder": folder.name,
            "folder_key": _folder_key(folder)}


def _folder_key(folder: Path) -> str:
    return hashlib.sha256(str(folder).encode("utf-8", "surrogateescape")).hexdigest()[:16]


def other_study(out: Path, study_dir: Path) -> str | None:
    """The study that wrote ``out`` when it was built from another folder than ``study_dir``
    ("'Title' from folder NAME/"), else None (also when the marker records no folder: a site
    written before folders were recorded)."""
    found = read_marker(out)
    key = found.get("folder_key")
    if key is None or key == _folder_key(study_dir.resolve()):
        return None
    return f"'{found.get('study', '')}' from a folder named {found.get('folder', '')}/"


def old_copy(out: Path) -> Path:
    """Where :func:`publish` keeps the previous output while it swaps the new one in."""
    return out.with_name(f".{out.name}.old.tmp")


def recover(out: Path) -> str | None:
    """Under the lock, first thing: when ``out`` is missing and a marked old copy is beside
    it (a build was killed between moving the old site aside and moving the new one in),
    move the old copy back.

    Returns:
        What was done, for the user, or None when there was nothing to do.

    Raises:
        UsageError: the old copy cannot be moved back (exit 2; it is left where it is).
    """
    old = old_copy(out)
    if out.exists() or out.is_symlink() or not (old / MARKER).is_file():
        return None
    try:
        old.rename(out)
    except OSError as exc:
        raise UsageError(f"cannot restore the previous site from {old.name}: {exc.strerror}",
                         f"move {old} back to {out} by hand", out) from None
    return (f"restored the previous site into {out}: an earlier build was interrupted while "
            "replacing it")


def read_marker(out: Path) -> dict[str, str]:
    """The study identity recorded in ``out``'s marker ({} when absent or unreadable)."""
    try:
        lines = (out / MARKER).read_text(encoding="utf-8").splitlines()[1:]
        found = json.loads(lines[0]) if lines else {}
    except (OSError, ValueError, UnicodeDecodeError):
        return {}
    return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else {}


def _write_marker(folder: Path, identity: dict[str, str] | None = None) -> None:
    extra = json.dumps(identity, sort_keys=True, ensure_ascii=False) + "\n" if identity else ""
    (folder / MARKER).write_text(_MARK_TEXT + extra, encoding="utf-8")


def clean_stale(out: Path) -> None:
    """Remove temporaries of earlier interrupted runs next to ``out`` (marked ones only).

    The old copy of the output is kept while ``out`` is missing: it is the only site left
    (see :func:`recover`)."""
    for stale in out.parent.glob(f".{out.name}.*.tmp"):
        if stale == old_copy(out) and not out.is_dir():
            continue
        if stale.is_dir() and (stale / MARKER).is_file():
            _remove_marked(stale)


def _remove_marked(folder: Path) -> None:
    """Delete a marked folder, the marker last: a deletion cut short leaves a folder still
    marked as the tool's, which the next run cleans."""
    for child in folder.iterdir():
        if child.name == MARKER:
            continue
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    (folder / MARKER).unlink(missing_ok=True)
    folder.rmdir()


def staging_dir(out: Path) -> Path:
    """A new, private (0700), marked temporary folder beside ``out`` on the same file system.

    Cleans temporaries of interrupted runs first: call it with the output's lock held."""
    try:
        clean_stale(out)
        path = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
        _write_marker(path)
    except OSError as exc:
        raise UsageError(f"cannot write beside the output directory: {exc.strerror}",
                         "choose a location you can write to", out) from None
    return path


def discard(staging: Path) -> None:
    """Delete a staging folder (only if it carries the marker)."""
    if staging.is_dir() and (staging / MARKER).is_file():
        _remove_marked(staging)


def _step(name: str) -> None:
    """A named point of :func:`publish` (fault-injection tests replace this)."""


PUBLISH_STEPS = ("mark", "clear", "aside", "swap", "drop", "done")
"""The points of :func:`publish`, in order."""


def publish(staging: Path, out: Path, identity: dict[str, str] | None = None) -> None:
    """Swap the finished tree ``staging`` in as ``out``; the previous output is removed only
    after the new one is in place. Call it with the output's lock held.

    Args:
        staging: the finished, marked tree.
        out: the output directory.
        identity: what the marker records about the source (study title, audience, and the
            study folder, which :func:`check_output` compares).

    Raises:
        UsageError: a rename failed (exit 2); the previous site is then back in place.
    """
    old = old_copy(out)
    try:
        _step("mark")
        _write_marker(staging, identity)
        os.chmod(staging, 0o755)
        _step("clear")
        if old.is_dir() and (old / MARKER).is_file() and out.is_dir():
            _remove_marked(old)  # left by a run cut short after its swap
        _step("aside")
        moved_aside = _move_aside(out, old)
        try:
            _step("swap")
            staging.rename(out)
        except BaseException:  # Ctrl+C too: never leave the output missing
            if moved_aside and not out.exists():
                old.rename(out)  # put the previous site back
            raise
    except OSError as exc:
        raise UsageError(f"cannot replace the output directory: {exc.strerror}",
                         "the previous site was kept; check permissions and free space",
                         out) from None
    _step("drop")
    if moved_aside:
        _drop(old)
    _step("done")


def _drop(old: Path) -> None:
    """Delete the previous output once the new one is in; a failure only leaves a marked
    temporary that the next run cleans."""
    with suppress(OSError):
        _remove_marked(old)


def _move_aside(out: Path, old: Path) -> bool:
    """Move the current output to ``old``; True if there was one to keep (an empty folder
    is simply removed)."""
    if not out.exists():
        return False
    if out.is_dir() and not any(out.iterdir()):
        out.rmdir()
        return False
    out.rename(old)
    return True
