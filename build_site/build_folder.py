"""The build directory (``.NAME.build`` beside the output) is the build's alone (adv7, adv8).

A build writes, replaces and removes files in it: the detectors', diagrams' and templates'
caches (``cache/findings``, ``cache/diagrams``, ``cache/theme``), the diagrams' fragments
(``fragments.json``), the marker, Zensical's configuration and folders, the records. Any of
them a symbolic link would have those writes go wherever the link leads (a team's folder,
the study folder itself: ``fragments.json`` linked to a study file had it overwritten with
the diagrams' JSON). So before a build writes anything there, every symbolic link at the
top of the build directory and of its ``cache`` is removed (the build then makes a file or
folder of its own in its place); deeper caches are written to a temporary file and renamed,
which replaces a link rather than writing through it.
"""

from __future__ import annotations

import os
from pathlib import Path

CACHE = "cache"


def own_build_folder(work: Path) -> None:
    """Make ``work`` a folder of this user's (0700 when made) with no symbolic link in it or
    in its ``cache`` folder: a link at ``work`` itself, or in either folder, is removed (never
    what it leads to).

    Raises:
        OSError: ``work`` cannot be made, or a link in it removed.
    """
    if work.is_symlink():
        work.unlink()
    work.mkdir(parents=True, exist_ok=True, mode=0o700)
    for folder in (work, work / CACHE):  # work/cache, when a link, goes in the first pass
        if folder.is_symlink() or not folder.is_dir():
            continue
        with os.scandir(folder) as entries:
            links = [entry.path for entry in entries if entry.is_symlink()]
        for link in links:
            os.unlink(link)
