"""Load: read a study folder from disk into raw documents with source positions.

This is the only stage (with ``publish``) that reads the study folder. It decodes text (UTF-8
with or without a byte-order mark, UTF-16 with a byte-order mark), splits Markdown front matter
from the body, parses YAML safely with line numbers, and refuses files that are too large or
that lead outside the study folder through a symlink.
"""

from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from build_site.errors import Problem, StudyError
from build_site.forked_map import map_forked
from build_site.naturalorder import natural_key
from build_site.yamlsource import YamlProblem, load_yaml

MAX_FILE_BYTES = 5 * 1024 * 1024
REQUIRED_FILES = ("study.yml", "model.yml", "codebook.yml")
# Below this many case files, one process reads them: the pool costs more than it saves (a
# file of a synthetic dyad takes about 1 ms to read and parse).
POOL_MIN_FILES = 600
# Files per task.
CHUNK = 32


@dataclass
class RawDocument:
    """One file of the study: parsed YAML data (front matter for Markdown) and Markdown body.

    ``path`` is relative to the study folder (POSIX); ``body_line`` is the 1-based line where
    the body starts.
    """

    path: str
    data: Any
    body: str = ""
    body_line: int = 1


@dataclass
class RawStudy:
    """Everything read from a study folder, before validation."""

    root: Path
    study: RawDocument
    model: RawDocument
    codebook: RawDocument
    clinicians: list[RawDocument] = field(default_factory=list)
    dyads: list[RawDocument] = field(default_factory=list)
    identifiers: RawDocument | None = None
    reviewed: RawDocument | None = None
    history: RawDocument | None = None
    history_models: dict[str, RawDocument] = field(default_factory=dict)
    transcripts: dict[str, str] = field(default_factory=dict)


def decode_text(raw: bytes, rel: str) -> str:
    """Decode file bytes to NFC text with LF line endings.

    Accepts UTF-8 (with or without BOM) and UTF-16 with a BOM.

    Raises:
        StudyError: for any other encoding (e.g. Windows-1252 from Word), naming the first bad
            line and how to convert the file.
    """
    if raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise StudyError([Problem(rel, 0, "file is UTF-32", "save it as UTF-8")])
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError:
            raise StudyError([Problem(rel, 0, "file starts as UTF-16 but is damaged",
                                      "save it again as UTF-8")]) from None
    elif b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise StudyError([Problem(rel, line, "file holds NUL bytes (UTF-16 or UTF-32 without a "
                                  "byte-order mark, or not text)", "save it as UTF-8")])
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise StudyError(
                [
                    Problem(
                        rel,
                        line,
                        f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
                        "save the file as UTF-8 (Word: Save As > Plain Text > Unicode "
                        "(UTF-8); or run: iconv -f WINDOWS-1252 -t UTF-8)",
                    )
                ]
            ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def _read(root: Path, path: Path) -> str:
    rel = path.relative_to(root).as_posix()
    if not path.resolve().is_relative_to(root.resolve()):
        raise StudyError(
            [Problem(rel, 0, "leads outside the study folder through a symlink",
                     "copy the file into the study folder instead")]
        )
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise StudyError(
            [
                Problem(
                    rel,
                    0,
                    f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}",
                    "split it into smaller files",
                )
            ]
        )
    if size == 0:
        raise StudyError([Problem(rel, 0, "file is empty", "add its content or remove it")])
    return decode_text(path.read_bytes(), rel)


def _parse_yaml(text: str, rel: str, line_offset: int = 0) -> Any:
    """``text`` parsed (:func:`load_yaml`), its lines counted from ``line_offset`` + 1.

    Raises:
        StudyError: the YAML cannot be read (file ``rel``, the line in the file).
    """
    try:
        # Empty lines ahead number every node, and every error, as lines of the file.
        return load_yaml("\n" * line_offset + text)
    except YamlProblem as exc:
        raise StudyError([Problem(rel, exc.line, exc.message, exc.hint)]) from None


def read_yaml_file(root: Path, path: Path) -> RawDocument:
    """Read a ``.yml`` file of the study. Raises StudyError on any read or YAML problem."""
    rel = path.relative_to(root).as_posix()
    data = _parse_yaml(_read(root, path), rel)
    if not isinstance(data, dict):
        raise StudyError([Problem(rel, 1, "expected a mapping of fields (key: value)")])
    return RawDocument(rel, data)


def read_markdown_file(root: Path, path: Path) -> RawDocument:
    """Read a Markdown file with YAML front matter between ``---`` lines.

    Raises:
        StudyError: when the front matter is missing, unterminated or invalid YAML.
    """
    rel = path.relative_to(root).as_posix()
    text = _read(root, path)
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        raise StudyError(
            [Problem(rel, 1, "missing front matter", "start the file with a line '---'")]
        )
    try:
        # Only an unindented "---" (or "...") closes the front matter: an indented one belongs
        # to a block scalar (a quoted transcript often contains "---").
        end = next(i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "..."))
    except StopIteration:
        raise StudyError(
            [Problem(rel, 1, "front matter is not closed", "end it with a line '---'")]
        ) from None
    data = _parse_yaml("\n".join(lines[1:end]), rel, line_offset=1)
    if not isinstance(data, dict):
        raise StudyError([Problem(rel, 2, "front matter must be a mapping of fields")])
    body = "\n".join(lines[end + 1 :]).strip("\n")
    return RawDocument(rel, data, body, end + 2)


def _markdown_files(root: Path, folder: str) -> list[Path]:
    directory = root / folder
    if not directory.is_dir():
        return []
    files = sorted((p for p in directory.iterdir() if p.name.endswith(".md") and p.is_file()),
                   key=lambda p: natural_key(p.name))
    odd = sorted(p.name for p in directory.iterdir()
                 if p.suffix.lower() in (".md", ".markdown") and not p.name.endswith(".md"))
    broken = sorted(p.name for p in directory.iterdir() if p.is_symlink() and not p.exists())
    if odd or broken:
        raise StudyError(
            [Problem(f"{folder}/{n}", 0, "not read: case studies must end in '.md'",
                     "rename the file") for n in odd]
            + [Problem(f"{folder}/{n}", 0, "broken symlink", "remove it or fix its target")
               for n in broken])
    return files


def _read_case_files(root: Path, paths: list[Path]) -> list[RawDocument | list[Problem]]:
    """Each of ``paths`` read (:func:`read_markdown_file`), or the problems that stopped it,
    in order. Each file is read alone, so on both cores when there are many
    (:mod:`build_site.forked_map`); the result does not depend on it."""
    def read(path: Path) -> RawDocument | list[Problem]:
        try:
            return read_markdown_file(root, path)
        except StudyError as exc:
            return exc.problems

    return map_forked(read, paths, POOL_MIN_FILES, CHUNK)


def load_study_folder(root: Path) -> RawStudy:
    """Read every file of a study folder.

    Args:
        root: the study folder.

    Returns:
        A ``RawStudy``, including the transcripts that dyads name.

    Raises:
        StudyError: the folder or a required file is missing, or any file cannot be read; all
            problems found are reported together.
    """
    if not root.is_dir():
        raise StudyError(
            [Problem(str(root), 0, "study folder not found", "check the path you gave")]
        )
    missing = [name for name in REQUIRED_FILES if not (root / name).is_file()]
    if missing:
        raise StudyError(
            [
                Problem(name, 0, "required file is missing", "see guide/preparing-your-study.md")
                for name in missing
            ]
        )
    problems: list[Problem] = []
    docs: dict[str, Any] = {}
    for name in REQUIRED_FILES:
        try:
            docs[name] = read_yaml_file(root, root / name)
        except StudyError as exc:
            problems.extend(exc.problems)
    collections: dict[str, list[RawDocument]] = {"clinicians": [], "dyads": []}
    for folder, bucket in collections.items():
        for read in _read_case_files(root, _markdown_files(root, folder)):
            if isinstance(read, RawDocument):
                bucket.append(read)
            else:
                problems.extend(read)
    private: dict[str, RawDocument | None] = {}
    for name in ("identifiers", "reviewed"):
        path = root / "private" / f"{name}.yml"
        private[name] = None
        if path.is_file():
            try:
                private[name] = read_yaml_file(root, path)
            except StudyError as exc:
                problems.extend(exc.problems)
    if problems:
        raise StudyError(problems)
    history, history_models = _load_history(root)
    named = [
        (doc.data["transcript"], doc.path, doc.data.key_lines.get("transcript", 0))
        for doc in collections["dyads"]
        if isinstance(doc.data.get("transcript"), str)
    ]
    return RawStudy(
        root=root,
        study=docs["study.yml"],
        model=docs["model.yml"],
        codebook=docs["codebook.yml"],
        clinicians=collections["clinicians"],
        dyads=collections["dyads"],
        identifiers=private["identifiers"],
        reviewed=private["reviewed"],
        history=history,
        history_models=history_models,
        transcripts=load_transcripts(root, named),
    )


def _load_history(root: Path) -> tuple[RawDocument | None, dict[str, RawDocument]]:
    """``model-history/history.yml`` and the model files it names (inside the study)."""
    path = root / "model-history" / "history.yml"
    if not path.is_file():
        return None, {}
    history = read_yaml_file(root, path)
    models: dict[str, RawDocument] = {}
    problems = []
    versions = history.data.get("versions")
    for i, entry in enumerate(versions if isinstance(versions, list) else []):
        rel = entry.get("file") if isinstance(entry, dict) else None
        if not isinstance(rel, str) or rel in models:
            continue
        target = (root / rel).resolve()
        line = versions.item_lines[i] if hasattr(versions, "item_lines") else 0
        if not target.is_relative_to(root.resolve()) or not target.is_file():
            problems.append(Problem(history.path, line, f"model file '{rel}' not found in the "
                                    "study folder", "give a path such as model-history/v1.yml"))
            continue
        models[rel] = read_yaml_file(root, root / rel)
    if problems:
        raise StudyError(problems)
    return history, models


def load_transcripts(root: Path, relpaths: list[tuple[str, str, int]]) -> dict[str, str]:
    """Read the transcripts that dyads name.

    Args:
        root: the study folder.
        relpaths: ``(transcript path, naming file, line)`` triples; paths are relative to the
            study folder and must stay inside it.

    Returns:
        Decoded transcript text by path.

    Raises:
        StudyError: a path leaves the folder or a file is missing or unreadable.
    """
    out: dict[str, str] = {}
    problems: list[Problem] = []
    resolved_root = root.resolve()
    for rel, owner, line in relpaths:
        if "\x00" in rel or not rel.strip():
            problems.append(Problem(owner, line, "transcript path is empty or not valid",
                                    "give a path such as private/transcripts/X.txt"))
            continue
        path = (root / rel).resolve()
        if not path.is_relative_to(resolved_root):
            problems.append(
                Problem(owner, line, f"transcript '{rel}' is outside the study folder",
                        "keep transcripts under private/transcripts/")
            )
            continue
        if not path.is_file():
            problems.append(Problem(owner, line, f"transcript '{rel}' not found"))
            continue
        try:
            out[rel] = _read(root, root / rel)
        except StudyError as exc:
            problems.extend(exc.problems)
    if problems:
        raise StudyError(problems)
    return out
