"""Where a command finds its study, and where its output goes when the team names none.

A command given no STUDY uses the folder holding ``study.yml``: the current folder, else the
nearest parent that holds one (as git finds its repository). Outputs the team does not name go
*beside* the study folder, never into it, named after it (:func:`default_output`): the public
site of ``my-study/`` is ``my-study-site/``, so two studies in one parent folder never share a
default output, and building from inside a study needs no argument.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from build_site.errors import UsageError

STUDY_FILE = "study.yml"

OutputKind = Literal["site", "review", "preview", "preview-review", "packets", "supplement",
                     "pdf"]

_SUFFIXES: dict[OutputKind, str] = {
    "site": "-site",
    "review": "-site-review",
    # serve's working copies: a preview never overwrites the site a build published
    "preview": "-preview",
    "preview-review": "-preview-review",
    "packets": "-packets",
    "supplement": "-supplement.zip",
    "pdf": ".pdf",
}


def find_study(given: Path | None, cwd: Path | None = None) -> Path:
    """The study folder a command works on.

    Args:
        given: the STUDY argument, or None when the command was given none.
        cwd: where to start looking (default: the current folder).

    Returns:
        ``given`` when there is one; else the current folder or its nearest parent holding
        ``study.yml``.

    Raises:
        UsageError: no STUDY given and no ``study.yml`` here or above (exit 2); the message
            says how to start a study and names the study folders directly below, if any.
    """
    if given is not None:
        return given
    here = (cwd or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / STUDY_FILE).is_file():
            return folder
    below = sorted(p.parent.name for p in here.glob(f"*/{STUDY_FILE}"))
    hint = ("start one with: build-site new DIR (a small study that builds at once), or name a "
            "study folder as the first argument")
    if below:
        hint += f"; study folders here: {', '.join(below)} (e.g. build-site build {below[0]})"
    else:
        hint += ("; the example study is casestudies/ in a clone of the build-site "
                 "repository")
    raise UsageError(f"no {STUDY_FILE} in this folder or any folder above it", hint, here)


def default_output(study: Path, kind: OutputKind) -> Path:
    """Where output ``kind`` of ``study`` goes when the team names none: beside the study
    folder, named after it (``<study>-site``, ``<study>-site-review``, ``<study>-packets``,
    ``<study>-supplement.zip``, ``<study>.pdf``; ``serve`` previews into ``<study>-preview``
    or ``<study>-preview-review``, so a preview never replaces a built site)."""
    folder = study.resolve()
    return folder.parent / f"{folder.name}{_SUFFIXES[kind]}"
