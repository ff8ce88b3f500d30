"""``build-site new``: a small, valid study folder that builds at once (as ``mkdocs new``).

The files are package data (``defaults/new-study/``): one clinician and one dyad with a few
coded excerpts, consent recorded and status approved, a small model and codebook, an
identifier list under ``private/``, a site configuration, a hand-written About page and a
``.gitignore`` that keeps ``private/`` out of version control. Nothing is signed off: the
sign-off is recorded only when the team asks for it (``build-site manifest --record``), so the
new site carries the "Not signed off" banner and its About page says how to record one.
"""

from __future__ import annotations

import errno
import os
import shlex
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from build_site.errors import UsageError

TEMPLATE = ("defaults", "new-study")
# Package data leaves dot-files out of some builds, so these ship under another name.
RENAMED = {"gitignore": ".gitignore"}
PRIVATE = "private"


def template_files() -> dict[str, bytes]:
    """The new study's files by folder-relative POSIX path (``.gitignore`` renamed)."""
    root = resources.files("build_site").joinpath(*TEMPLATE)
    files: dict[str, bytes] = {}

    def walk(node: Traversable, prefix: str) -> None:
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            rel = f"{prefix}{RENAMED.get(child.name, child.name)}"
            if child.is_dir():
                walk(child, rel + "/")
            elif not child.name.startswith(".") and child.name != "__init__.py":
                files[rel] = child.read_bytes()

    walk(root, "")
    return files


def write_new_study(target: Path) -> list[Path]:
    """Write the example study folder into ``target`` (created; may exist when empty).

    ``private/`` is made readable by its owner only (0700), like the build's own folders.

    Returns:
        The files written, in path order.

    Raises:
        UsageError: ``target`` is a file or a folder that is not empty, a symbolic link to
            a missing place (or under one), inside a study folder, or cannot be created
            (exit 2; nothing is written).
    """
    _refuse_dangling_link(target)
    if target.exists() and not target.is_dir():
        raise UsageError("a file is in the way of the new study folder",
                         "name a new or empty folder", target)
    _refuse_inside_a_study(target)
    if target.is_dir() and any(target.iterdir()):
        raise UsageError("the folder is not empty: build-site new writes only into a new or "
                         "empty folder, so nothing of yours is overwritten",
                         "name a new folder, e.g. build-site new my-study (nothing was "
                         "written)", target)
    files = template_files()
    written = []
    try:
        target.mkdir(parents=True, exist_ok=True)
        (target / PRIVATE).mkdir(mode=0o700, exist_ok=True)
        os.chmod(target / PRIVATE, 0o700)
        for rel, data in files.items():
            path = target / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            written.append(path)
    except OSError as exc:
        raise UsageError(f"cannot write the new study: {exc.strerror}",
                         "choose a location you can write to", target) from None
    return written


def _refuse_dangling_link(target: Path) -> None:
    """Refuse ``target`` when it, or a folder above it, is a symbolic link to a place that
    does not exist: creating the folder would fail with a bare "File exists".

    Raises:
        UsageError: naming the link and where it points (exit 2).
    """
    for path in (target, *target.parents):
        if path.is_symlink() and not path.exists():
            raise UsageError(
                f"{'it' if path == target else path} is a symbolic link to "
                f"{os.readlink(path)}, {_where_it_ends(path)}: "
                "build-site new does not follow it to make a folder there",
                "name another folder, or remove the link (rm on the link removes only the "
                "link) or make the folder it points to", target)


def _refuse_inside_a_study(target: Path) -> None:
    """Refuse a new study inside a study folder (one that holds ``study.yml``, found from
    ``target``'s real location up to the root): the new study's private files and its
    default site (``<folder>-site`` beside it) would land inside the other study, whose
    folder the tool writes only what its team asks for into.

    Raises:
        UsageError: naming the study folder found (exit 2).
    """
    real = target.resolve()
    for folder in real.parents:
        if (folder / "study.yml").is_file():
            raise UsageError(
                f"it is inside the study folder {folder} (it holds study.yml): a new study "
                "there, its private/ folder and its site (built beside it) would all land "
                "inside that study",
                "make the new study outside it, e.g. build-site new "
                f"{shlex.quote(str(folder.parent / real.name))} (nothing was written)", target)


def _where_it_ends(link: Path) -> str:
    """Why the symbolic link ``link`` leads nowhere: a loop of links, or a missing place."""
    try:
        link.resolve(strict=True)
    except RuntimeError:  # Python 3.11 and 3.12 report a loop so
        return "which loops back to itself through links"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "which loops back to itself through links"
    return "which does not exist"
