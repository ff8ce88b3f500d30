"""Read a REFI-QDA archive (``.qdpx``, or a ``.docx`` inside one) without trusting it.

A ``.qdpx`` is a ZIP archive (REFI-QDA Project Exchange, QDA-XML 1.0) holding ``project.qde``
and a ``sources/`` folder. An archive from elsewhere may be hostile, so before anything is read:

- the number of entries is capped (``Limits.max_entries``);
- every entry name is checked: no absolute path, drive letter, ``..`` component, NUL byte or
  duplicate (backslashes count as separators, as some Windows tools write them);
- symbolic links and encrypted entries are refused.

Entries are unpacked into memory only, never onto the disk, and only those the importer needs;
the bytes unpacked are counted as they are read against ``Limits.max_unpacked_bytes`` so a zip
bomb stops at the cap whatever its headers claim. Every refusal is a
:class:`~build_site.errors.StudyError` (exit code 2) naming the archive and the entry.
"""

from __future__ import annotations

import re
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from build_site.errors import Problem, StudyError

_CHUNK = 64 * 1024
_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass(frozen=True)
class Limits:
    """Caps applied to an archive: entries listed, and bytes unpacked in total."""

    max_entries: int = 10_000
    max_unpacked_bytes: int = 256 * 1024 * 1024


DEFAULT_LIMITS = Limits()


def _refuse(label: str, message: str, hint: str = "") -> StudyError:
    return StudyError([Problem(label, 0, message, hint)])


def check_entry_name(name: str) -> str | None:
    """Return why an archive entry name is unsafe, or None when it stays inside the archive."""
    if "\x00" in name:
        return "contains a NUL byte"
    posix = name.replace("\\", "/")
    if posix.startswith("/") or _DRIVE.match(posix):
        return "is an absolute path"
    if ".." in PurePosixPath(posix).parts:
        return "leads out of the archive ('..')"
    return None


class SafeArchive:
    """A checked, read-only view of a ZIP archive whose entries are unpacked into memory.

    Use as a context manager. ``label`` names the archive in error messages (usually its file
    name); ``budget`` (a one-item list of bytes still allowed) is passed on to an archive nested
    in another (a ``.docx`` in a ``.qdpx``) so that both share one cap.
    """

    def __init__(self, source: Path | IO[bytes], label: str, limits: Limits = DEFAULT_LIMITS,
                 budget: list[int] | None = None) -> None:
        """Open and check ``source``.

        Raises:
            StudyError: not a ZIP archive, too many entries, or an unsafe entry (see module).
        """
        self.label = label
        self.limits = limits
        # Bytes still allowed to be unpacked; shared (a one-item list) with nested archives.
        self.budget = budget if budget is not None else [limits.max_unpacked_bytes]
        try:
            self._zip = zipfile.ZipFile(source)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise _refuse(label, f"not a readable ZIP archive ({exc})",
                          "export the project again from your QDA software as REFI-QDA "
                          "(.qdpx)") from None
        try:
            self._entries = self._check()
        except StudyError:
            self._zip.close()
            raise

    def _check(self) -> dict[str, zipfile.ZipInfo]:
        infos = self._zip.infolist()
        if len(infos) > self.limits.max_entries:
            raise _refuse(self.label,
                          f"archive lists {len(infos):,} entries; the limit is "
                          f"{self.limits.max_entries:,}",
                          "this is not a plausible QDA project; check where the file came from")
        entries: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            why = check_entry_name(info.filename)
            if why:
                raise _refuse(self.label, f"refused: entry '{info.filename}' {why}",
                              "a QDA project never needs this; the file may be hostile")
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                raise _refuse(self.label, f"refused: entry '{info.filename}' is a symbolic link",
                              "a QDA project never needs this; the file may be hostile")
            name = info.filename.replace("\\", "/")
            if info.is_dir():
                continue
            if name in entries:
                raise _refuse(self.label, f"refused: entry '{name}' appears twice",
                              "the archive is ambiguous; export it again")
            entries[name] = info
        return entries

    def __enter__(self) -> SafeArchive:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the underlying ZIP file."""
        self._zip.close()

    def names(self) -> list[str]:
        """Every file entry (folders left out), with ``/`` separators, in archive order."""
        return list(self._entries)

    def comments(self) -> list[bytes]:
        """The archive's comment and every entry's comment (folders too), as stored; empty
        comments left out (APPNOTE.TXT 4.3.12 and 4.3.16)."""
        return [c for c in (self._zip.comment, *(i.comment for i in self._zip.infolist()))
                if c]

    def find(self, name: str) -> str | None:
        """The entry called ``name``, matched exactly, else ignoring case (``Sources/`` for
        ``sources/``); None when there is none.

        Raises:
            StudyError: several entries differ from ``name`` only in case.
        """
        name = name.replace("\\", "/").lstrip("/")
        if name in self._entries:
            return name
        folded = [n for n in self._entries if n.casefold() == name.casefold()]
        if len(folded) > 1:
            raise _refuse(self.label, f"entries {', '.join(folded)} differ only in case",
                          "the archive is ambiguous; export it again")
        return folded[0] if folded else None

    def size(self, name: str) -> int:
        """The unpacked size the archive declares for entry ``name``."""
        return self._entries[name].file_size

    def read(self, name: str) -> bytes:
        """Unpack entry ``name`` into memory, counting its bytes against the shared budget.

        Raises:
            StudyError: the budget is exhausted (a zip bomb or an oversized project), the entry
                is encrypted, or its data is corrupt.
        """
        info = self._entries[name]
        if info.flag_bits & 0x1:
            raise _refuse(self.label, f"entry '{name}' is encrypted",
                          "export the project again without a password")
        if info.file_size > self.budget[0]:
            raise self._bomb(name)
        chunks: list[bytes] = []
        try:
            with self._zip.open(info) as stream:
                while True:
                    chunk = stream.read(_CHUNK)
                    if not chunk:
                        break
                    self.budget[0] -= len(chunk)
                    if self.budget[0] < 0:
                        raise self._bomb(name)
                    chunks.append(chunk)
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError,
                ValueError) as exc:
            raise _refuse(self.label, f"entry '{name}' cannot be unpacked ({exc})",
                          "the archive is damaged; export it again") from None
        return b"".join(chunks)

    def _bomb(self, name: str) -> StudyError:
        cap = self.limits.max_unpacked_bytes
        return _refuse(self.label,
                       f"refused: unpacking '{name}' would exceed the limit of {cap:,} bytes "
                       "unpacked (a zip bomb, or a project far larger than any text study)",
                       "check where the file came from; nothing was written")
