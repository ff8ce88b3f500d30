"""Writing study-folder files for the importer: ids derived from names, YAML that reads back
exactly, Markdown files with front matter, and an atomic folder write.

Ids follow the study's pattern ``^[A-Za-z0-9][A-Za-z0-9_.-]*$`` (at most 80 characters) and
are unique across the whole study, as ``guide/preparing-your-study.md`` requires.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from build_site.errors import UsageError

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
MAX_ID = 80
_NOT_ID = re.compile(r"[^A-Za-z0-9_.-]+")


def slug(name: str, lower: bool = False, max_length: int = 60) -> str:
    """An id-shaped form of ``name``: accents dropped, every run of other characters as ``-``,
    starting with a letter or digit; ``''`` when nothing usable is left (e.g. only CJK)."""
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    text = _NOT_ID.sub("-", ascii_text)
    text = re.sub(r"-{2,}", "-", text).lstrip("-_.")
    text = text[:max_length].rstrip("-_.")
    return text.lower() if lower else text


class IdRegistry:
    """Hands out ids unique across the study (case-sensitive, as the validator compares)."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def __contains__(self, item: str) -> bool:
        return item in self._taken

    def claim(self, wanted: str, fallback: str) -> str:
        """Claim ``wanted`` (or ``fallback`` when ``wanted`` is not a valid id), adding ``-2``,
        ``-3``... until it is free. Returns the id claimed."""
        base = wanted if ID_PATTERN.match(wanted) else fallback
        base = base[:MAX_ID - 4]
        candidate, n = base, 1
        while candidate in self._taken:
            n += 1
            candidate = f"{base}-{n}"
        self._taken.add(candidate)
        return candidate

    def claim_exact(self, wanted: str) -> bool:
        """Claim ``wanted`` as it is; False when it is already taken."""
        if wanted in self._taken:
            return False
        self._taken.add(wanted)
        return True


class _Dumper(yaml.SafeDumper):
    """Safe YAML in the study files' style: list items indented under their key, short lists
    of names inline (``codes: [a, b]``), multi-line text as literal blocks where YAML allows
    it (PyYAML falls back to an escaped double-quoted string otherwise, e.g. for CR)."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


# Characters a YAML reader may take for line breaks or drop: always written as escapes.
_ESCAPE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]")


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # NFC, as the study loader reads every file; done here because escapes bypass the loader's
    # normalisation.
    value = unicodedata.normalize("NFC", value)
    style = '"' if _ESCAPE.search(value) else "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.SequenceNode:
    inline = bool(value) and all(isinstance(v, str) and ID_PATTERN.match(v) for v in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=inline)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(list, _represent_list)


def dump_yaml(data: Any, comment: str = "") -> str:
    """YAML for ``data`` (key order kept), preceded by ``comment`` as ``#`` lines.

    Text is written in Unicode NFC (the form the study loader reads every file in) and reads
    back unchanged through the loader: control characters, a carriage return (``\\r``) and
    Unicode line separators are always written as escapes, so neither the loader's line-ending
    normalisation nor a YAML reader's line folding can alter them.
    """
    body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100,
                     default_flow_style=False)
    head = "".join(f"# {line}".rstrip() + "\n" for line in comment.splitlines())
    return head + body


def markdown_file(front_matter: dict[str, Any], body: str, comment: str = "") -> str:
    """A study Markdown file: YAML front matter between ``---`` lines, then ``body``."""
    return f"---\n{dump_yaml(front_matter, comment)}---\n{body.rstrip()}\n"


def check_target(to: Path) -> None:
    """Refuse an output folder that exists and is not empty, is a file, or whose parent folder
    does not exist.

    Raises:
        UsageError: with the reason (exit code 2).
    """
    if to.exists() and not to.is_dir():
        raise UsageError("--to names a file, not a folder", "give a new folder", to)
    if to.is_dir() and any(to.iterdir()):
        raise UsageError("--to folder exists and is not empty",
                         "give a new folder; nothing was written", to)
    if not to.absolute().parent.is_dir():
        raise UsageError("the parent folder of --to does not exist", "create it first", to)


def write_folder(to: Path, files: dict[str, bytes],
                 check: Callable[[Path], None] | None = None) -> None:
    """Write ``files`` (relative POSIX path -> bytes) as the new folder ``to``, all or nothing.

    The files go into a temporary folder beside ``to``; ``check`` (if given) runs on it; only
    then is it renamed to ``to``. On any failure the temporary folder is removed and ``to`` is
    left as it was.

    Raises:
        UsageError: ``to`` is not a new or empty folder; whatever ``check`` raises.
    """
    check_target(to)
    parent = to.absolute().parent
    work = Path(tempfile.mkdtemp(prefix=f".{to.name}.", suffix=".import.tmp", dir=parent))
    try:
        for rel, data in sorted(files.items()):
            path = work / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        if check is not None:
            check(work)
        check_target(to)
        if to.is_dir():
            to.rmdir()
        os.replace(work, to)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
