"""Say "unchanged" before any stage runs when a rebuild would publish what is already there.

:mod:`build_site.reuse` proves a rebuild is a no-op only after load, validate, de-identify,
find, analyse and render have run (13-20 s at 1,000 dyads), because its fingerprint is taken
over what those stages produce. This module fingerprints what they *read* instead, before they
run, and lets a build stop at once when nothing it reads has changed since the build that
wrote and gated the output.

What the source fingerprint covers (every input that can change the output, the warnings or
what the gate refuses):

- every file of the study folder, ``private/`` included (identifiers, reviewed findings,
  consent, transcripts, sign-offs): its path and the SHA-256 of its bytes;
- the site configuration in force and every file it ``INHERIT``\\ s, the hand-written pages
  (``docs_dir``) and the theme ``custom_dir``: every file under them, by path and bytes; and,
  when no ``--config`` is given, the ``mkdocs.yml`` beside the study folder, present or not
  (it decides which configuration is in force, and a warning about it);
- this package's files and every installed distribution's name and version
  (``reuse._environment_digest``: the tool's own code, templates and data; its version string
  alone would miss an edited checkout), the Python version and Graphviz's version;
- the arguments: study folder, output folder, ``--config``, audience (and ``archive``),
  engine;
- the environment variables that reach the output (``SOURCE_DATE_EPOCH``) or could
  (``TZ``, ``LANG``, ``LC_ALL``, ``LC_TIME``);
- today's date: the birth-year detector reads the current year
  (``deidentify/extra_patterns.py``); the whole date is taken, not only the year, so that any
  date-dependent rule added later is covered too (the price: one full build a day).

Files are hashed by their bytes every time, never trusted by size and modification time: a
file edited twice within the file system's timestamp granularity, or copied back with
``cp -p``, keeps its size and time, and hashing the few megabytes of a 1,000-dyad study costs
well under a second. A touched but identical file therefore still counts as a no-op. A symlink
anywhere in these folders, or a configuration that cannot be read, gives no fingerprint (a
full build, whose stages report what is wrong).

The fingerprint is taken at the start of a build, under the output's lock. It is recorded with
the publish record (``published.json``, :func:`build_site.reuse.record_published`) only when
the same fingerprint taken again after the publish is unchanged, and so are the files'
inodes, sizes and change times (``st_ctime``, which any write sets and no tool sets back), so
a file edited while the build read it is never vouched for, even when put back before the
end; and only when :mod:`build_site.reuse` itself could vouch
for the build (no ``!ENV``, only known plugins). Next to it the record keeps what the build
reported (warnings, findings, page and diagram counts, navigation), so a no-op prints what the
full build printed.

A build stops early only when both hold: its source fingerprint equals the recorded one, and
the output is still, file for file and byte for byte, the tree that passed the gate
(:func:`build_site.reuse.already_published`, which catches a hand-edited output). Anything else
is a full build, exactly as before.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

import yaml

from build_site.deidentify.findings import Finding
from build_site.file_hashes import sha256_files, tree_entries
from build_site.reuse import RECORD, _environment_digest, already_published, read_record
from build_site.site_project import (
    _ConfigSafetyLoader,
    _raw_config,
    custom_dir,
    default_config,
    find_config,
)

VERSION = "noop-1"
"""Bumped whenever what the fingerprint covers changes, so older records are never matched."""
ENVIRONMENT = ("SOURCE_DATE_EPOCH", "TZ", "LANG", "LC_ALL", "LC_TIME")
"""Environment variables that reach, or could reach, the output."""


class _Unvouched(Exception):
    """Something the fingerprint cannot vouch for (a symlink, an unreadable file)."""


def _digest_folder(root: Path, digest: Any, state: Any = None) -> None:
    """Feed every path under ``root`` (and each file's SHA-256) to ``digest``, sorted by
    relative path; and, when ``state`` is given, each file's inode, change time and size to
    ``state``, taken before any file's bytes are read. The tree is listed with one
    ``os.scandir`` a folder (:mod:`build_site.file_hashes`, serial9): the same digests as
    walking it with ``os.walk`` and reading each file in turn, for a third less CPU.

    Raises:
        _Unvouched: a symlink, or something neither file nor folder, under ``root``.
        OSError: a file or folder cannot be read (the caller then vouches for nothing).
    """
    if root.is_symlink():
        raise _Unvouched(str(root))
    if not root.exists():
        digest.update(b"absent\0" + str(root).encode() + b"\0")
        return
    if root.is_file():
        digest.update(b"file\0" + str(root).encode() + b"\0")
        _stat(root, state)
        digest.update(hashlib.sha256(root.read_bytes()).digest())
        return
    digest.update(b"folder\0" + str(root).encode() + b"\0")
    entries = sorted(tree_entries(root), key=lambda entry: entry.rel)
    for entry in entries:
        if entry.kind in ("link", "other"):
            raise _Unvouched(entry.path)
    files = [entry.path for entry in entries if entry.kind == "file"]
    for path in files:  # each file's status is taken before its bytes are read
        _stat(Path(path), state)
    digests = iter(sha256_files(files, threaded=False))  # small files: one thread pays
    for entry in entries:
        if entry.kind == "folder":
            digest.update(b"d\0" + entry.rel.encode() + b"\0")
        else:
            digest.update(b"f\0" + entry.rel.encode() + b"\0" + next(digests))


def _stat(path: Path, state: Any) -> None:
    """Feed ``path``'s inode, change time and size to ``state`` (when not None). Any write
    sets the change time to the clock (no tool can set it back), so a file written and put
    back while a build read it differs here though its bytes are the same again."""
    if state is not None:
        info = path.stat()
        state.update(f"{path}\0{info.st_ino}\0{info.st_ctime_ns}\0{info.st_size}\0".encode())


def _config_chain(config: Path) -> list[Path]:
    """``config`` and every file it ``INHERIT``\\ s, in order (resolved paths), read the way
    :func:`build_site.site_project.vet_config` reads them.

    Raises:
        _Unvouched: a file cannot be read or parsed, or reads the environment (``!ENV``).
    """
    chain: list[Path] = []
    current: Path | None = config.resolve()
    while current is not None and current not in chain:
        chain.append(current)
        try:
            text = current.read_text(encoding="utf-8")
            if "!ENV" in text:
                raise _Unvouched(f"{current} reads the environment")
            data = yaml.load(text, Loader=_ConfigSafetyLoader)
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise _Unvouched(str(current)) from exc
        parent = data.get("INHERIT") if isinstance(data, dict) else None
        current = (current.parent / parent).resolve() if isinstance(parent, str) else None
    return chain


def site_inputs(study_dir: Path, explicit: Path | None) -> list[Path]:
    """The files and folders outside the study folder that the site configuration brings in:
    the configuration in force and every file it INHERITs, the hand-written pages' folder,
    the theme ``custom_dir``, and (without ``explicit``) the ``mkdocs.yml`` beside the study.

    Raises:
        _Unvouched: the configuration cannot be read here (the full build reports why).
    """
    try:
        config = find_config(study_dir, explicit)
        roots = _config_chain(config)
        if config == default_config():
            roots.append((study_dir / "docs").resolve())
        else:
            raw = _raw_config(config)
            roots.append((config.parent / str(raw.get("docs_dir", "docs"))).resolve())
            theme = custom_dir(config)
            if theme is not None:
                roots.append(theme)
    except _Unvouched:
        raise
    except Exception as exc:  # a StudyError, a YAML error: the full build reports it
        raise _Unvouched(str(exc)) from exc
    if explicit is None:
        roots.append((study_dir.parent / "mkdocs.yml").resolve())
    return roots


def _today() -> str:
    """Today's date (local, as ``date.today()`` reads it for the birth-year rule)."""
    return datetime.date.today().isoformat()


def source_fingerprint(study_dir: Path, out: Path, explicit: Path | None, purpose: str,
                       engine: str, graphviz: str) -> str | None:
    """The fingerprint of everything a build of ``study_dir`` reads (module docstring).

    Args:
        study_dir: the study folder.
        out: the output folder.
        explicit: the ``--config`` given, or None.
        purpose: the build's purpose ("public", "review", "archive").
        engine: the site engine's name.
        graphviz: Graphviz's version.

    Returns:
        A hex digest, or None when something cannot be vouched for (then build in full): a
        symbolic link or special file, a file that cannot be read, a name that is not UTF-8.
    """
    both = source_state(study_dir, out, explicit, purpose, engine, graphviz)
    return both[0] if both else None


def source_state(study_dir: Path, out: Path, explicit: Path | None, purpose: str,
                 engine: str, graphviz: str) -> tuple[str, str] | None:
    """:func:`source_fingerprint` (same arguments) and a digest of the same files' inodes,
    change times and sizes: equal at a build's start and end only when no file was written
    in between, even if put back (the fingerprint alone would not tell); None as there."""
    digest = hashlib.sha256(VERSION.encode() + b"\0")
    state = hashlib.sha256()
    settings = {
        "study": str(study_dir.resolve()), "out": str(out.resolve()),
        "config": str(explicit.resolve()) if explicit else None, "purpose": purpose,
        "engine": engine, "graphviz": graphviz, "python": sys.version,
        "code": _environment_digest(), "today": _today(),
        "environment": {name: os.environ.get(name) for name in ENVIRONMENT},
    }
    digest.update(json.dumps(settings, sort_keys=True).encode())
    try:
        _digest_folder(study_dir.resolve(), digest, state)
        for root in site_inputs(study_dir, explicit):
            _digest_folder(root, digest, state)
    except (_Unvouched, OSError, UnicodeEncodeError):  # the last: a name not UTF-8 (adv8)
        return None
    return digest.hexdigest(), state.hexdigest()


class EarlyCheck:
    """The source fingerprint of one build, taken when the build starts (under the output's
    lock, before any stage), and what to record with its publish.

    Args:
        study_dir, out, explicit, purpose, engine: the build's arguments (see
            :func:`source_fingerprint`).
        graphviz: Graphviz's version (:func:`build_site.preflight.require_graphviz`).
    """

    def __init__(self, study_dir: Path, out: Path, explicit: Path | None, purpose: str,
                 engine: str, graphviz: str) -> None:
        self._args = (study_dir, out, explicit, purpose, engine, graphviz)
        self._start = source_state(*self._args)
        self.sources = self._start[0] if self._start else None

    def replay(self, work: Path, report: Any) -> bool:
        """Whether the output already holds this very build: then ``report`` (a
        :class:`build_site.pipeline.BuildReport`) is filled with what that build reported
        (nothing rendered, every diagram as cached) and marked ``reused``."""
        seen = recorded_outcome(work, report.out, self.sources)
        if seen is None:
            return False
        report.pages = int(seen["pages"])
        report.diagrams_cached = int(seen["diagrams"])
        report.warnings = [str(w) for w in seen["warnings"]]
        report.nav = list(seen["nav"])
        report.findings = [Finding(**dict(f)) for f in seen["findings"]]
        report.reused = True
        return True

    def record(self, report: Any) -> dict[str, Any]:
        """What to keep with the publish record of the build that ``report`` describes: the
        source fingerprint and the report, when the sources are unchanged since the build
        started (a file written while the build read it, even if put back, is never vouched
        for: :func:`source_state`); else nothing."""
        if self._start is None or source_state(*self._args) != self._start:
            return {}
        return {"sources": self.sources, "outcome": outcome(report)}


def outcome(report: Any) -> dict[str, Any]:
    """What a build reported that a no-op must report again (JSON-serialisable)."""
    return {"pages": report.pages,
            "diagrams": report.diagrams_rendered + report.diagrams_cached,
            "warnings": list(report.warnings), "nav": report.nav,
            "findings": [asdict(f) for f in report.findings]}


def recorded_outcome(work: Path, out: Path, sources: str | None) -> dict[str, Any] | None:
    """What the build recorded for these very ``sources``, when ``out`` is still the tree it
    published and gated; else None (build in full)."""
    if sources is None:
        return None
    record = read_record(work / RECORD)
    if record is None or record.get("sources") != sources:
        return None
    seen = record.get("outcome")
    if not isinstance(seen, dict) or not already_published(work, out, record.get("inputs")):
        return None
    return seen
