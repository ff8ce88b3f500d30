"""An encrypted copy of a review site, for sharing by e-mail within the team.

The zip uses WinZip AES-256 encryption (the AE-2 format, through ``pyzipper``), which 7-Zip,
WinZip and macOS's Archive Utility (recent versions) open. The password never comes from the
command line (it would land in shell history and the process list): it is read from the
``BUILD_SITE_PASSWORD`` environment variable or asked for on the terminal.
"""

from __future__ import annotations

import getpass
import os
import zipfile
from pathlib import Path

import pyzipper

from build_site.errors import UsageError

MIN_PASSWORD = 12


def read_password() -> str:
    """The password from ``BUILD_SITE_PASSWORD`` or the terminal (asked twice).

    Raises:
        UsageError: no password, the two entries differ, or it is shorter than 12 characters.
    """
    password = os.environ.get("BUILD_SITE_PASSWORD")
    if password is None:
        try:
            password = getpass.getpass("Password for the encrypted review copy: ")
            if getpass.getpass("Again: ") != password:
                raise UsageError("the passwords differ", "type the same password twice")
        except EOFError:
            raise UsageError("no password given", "set BUILD_SITE_PASSWORD or run in a "
                             "terminal") from None
    if len(password) < MIN_PASSWORD:
        raise UsageError(f"the password is shorter than {MIN_PASSWORD} characters",
                         "choose a longer passphrase")
    return password


def check_target(target: Path, out: Path, study_dir: Path) -> Path:
    """Refuse an encrypted copy written into the output it archives (the archive would hold
    a partial copy of itself, and the next build replaces it) or into the study folder
    (next to, or inside, ``private/``).

    Returns:
        The resolved target.

    Raises:
        UsageError: ``target`` is inside ``out`` or ``study_dir``, is not named ``.zip``, or
            is an existing file that is not a zip (the team's mkdocs.yml, say) (exit 2;
            checked before the build, so nothing was written).
    """
    resolved = target.resolve()
    if resolved.suffix.lower() != ".zip" or (resolved.is_file()
                                             and not zipfile.is_zipfile(resolved)):
        raise UsageError("the encrypted copy must be a .zip file, and would replace only an "
                         "earlier zip", "name a new file, for example --encrypt review-copy.zip",
                         target)
    for folder, what in ((out, "the output directory"), (study_dir, "the study folder")):
        root = folder.resolve()
        if resolved.is_relative_to(root):
            raise UsageError(f"the encrypted copy would be written inside {what} ({root})",
                             "name a file outside the output directory and the study folder, "
                             "for example --encrypt review-copy.zip", target)
    return resolved


def write_encrypted(folder: Path, target: Path, password: str) -> Path:
    """Zip ``folder`` into ``target`` with AES-256 encryption (entries sorted)."""
    tmp = target.with_name(f".{target.name}.tmp")
    with pyzipper.AESZipFile(tmp, "w", compression=pyzipper.ZIP_DEFLATED,
                             encryption=pyzipper.WZ_AES) as archive:
        archive.setpassword(password.encode("utf-8"))
        archive.setencryption(pyzipper.WZ_AES, nbits=256)
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            archive.write(path, path.relative_to(folder).as_posix())
    tmp.replace(target)
    return target
