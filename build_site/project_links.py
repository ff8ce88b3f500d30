"""Files of a site project that are really files elsewhere: refused before anything is read.

MkDocs copies the theme overrides' (``theme.custom_dir``) static files into the site, and the
build copies the overrides folder into its build directory first (``shutil.copytree``): both
read through a symbolic link. So a link in the overrides to a file under the study's
``private/`` folder published that file as a theme asset (adv7: a transcript's words on the
site; the leak gate stops only the listed identifiers in it). The hand-written pages' folder
already refused a symbolic link that leads out of it (``load_site_project``); the overrides
now do too (:func:`linked_files`), and both refuse a hard link to a file under ``private/``,
which no path test sees: it is the same file under another name (the same device and inode).

A ``docs_dir`` or ``custom_dir`` that holds the study's ``private/`` folder (the study folder
itself, say) is refused too: ``vet_config`` refused one inside a ``private/`` folder, not one
around it, and MkDocs publishes every file of both folders.

Nothing under ``private/`` is ever published (``helper-brief.md``, privacy first); a link
inside a folder to a file in the same folder is allowed.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

from build_site.errors import Problem

_HINT = "copy the file in instead (nothing under private/ may be published)"


def linked_files(private: Path, overrides: Path | None, docs: Path) -> list[Problem]:
    """The problems of a site project's files: ``docs`` (the hand-written pages' folder) or
    ``overrides`` (the theme ``custom_dir``, resolved; None when there is none) holding
    ``private`` (the study's ``private/`` folder: a ``docs_dir`` naming the study folder, say),
    a symbolic link under ``overrides`` that leads out of it, and a file under ``overrides``
    or ``docs`` that is a hard link to a file under ``private``. Each names the folder or
    file; empty when there is none."""
    problems: list[Problem] = [
        Problem(str(root), 0, f"{what} holds the study's private/ folder, which would be "
                "published with it", f"point {key} at a folder that holds only the pages "
                "and files to publish")
        for root, what, key in ((docs, "the hand-written pages' folder", "docs_dir"),
                                (overrides, "the theme overrides folder", "custom_dir"))
        if root is not None and private.is_dir()
        and private.resolve().is_relative_to(root.resolve())]
    if problems:  # every file under private/ would be named again below
        return problems
    if overrides is not None and overrides.is_dir():
        base = overrides.resolve()
        problems += [Problem(str(path), 0, "leads outside the theme overrides folder "
                             "(custom_dir) through a symlink", _HINT)
                     for path in _walk(overrides)
                     if path.is_symlink() and not path.resolve().is_relative_to(base)]
    secret = {(info.st_dev, info.st_ino) for info in _file_stats(private)}
    if secret:
        for root in (overrides, docs):
            if root is None or not root.is_dir():
                continue
            problems += [Problem(str(path), 0, "is a file under private/ under another name "
                                 "(a hard link)", _HINT)
                         for path in _walk(root)
                         if not path.is_symlink() and path.is_file()
                         and (path.stat().st_dev, path.stat().st_ino) in secret]
    return problems


def _walk(root: Path) -> Iterator[Path]:
    """Every path under ``root``, folders and files, in sorted order, not entering a
    symbolic link to a folder."""
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted([*dirs, *files]):
            yield Path(folder, name)


def _file_stats(private: Path) -> Iterator[os.stat_result]:
    """The status of every regular file under ``private`` (none when it is missing),
    following symbolic links: a link in ``private/`` to a file or folder elsewhere makes those
    files private too, so a hard link to one of them is refused as well. Each folder is
    entered once (a link back to a folder above does not loop)."""
    if not private.is_dir():
        return
    seen: set[tuple[int, int]] = set()
    for folder, dirs, files in os.walk(private, followlinks=True):
        info = os.stat(folder)
        if (info.st_dev, info.st_ino) in seen:
            dirs[:] = []
            continue
        seen.add((info.st_dev, info.st_ino))
        for name in files:
            try:
                found = os.stat(os.path.join(folder, name))
            except OSError:  # a broken link: no file to guard
                continue
            if stat.S_ISREG(found.st_mode):
                yield found
