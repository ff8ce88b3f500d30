"""Skip MkDocs and the leak gate when a rebuild would publish exactly what is already there.

After every successful publish the build directory records ``published.json``: a fingerprint
of everything the MkDocs build and the gate read, and the SHA-256 of every file in the
published output. A later build skips MkDocs, the gate and the swap only when both hold:

1. its fingerprint is the recorded one. The fingerprint covers the assembled docs folder
   (every path and byte; a build digests the bytes it has just written there, the digest
   reading the folder back gives), the swapped-in diagrams and lifted HTML blocks (a block's
   SHA-256 taken from its key, which is that digest), the navigation, site name, banner and
   ``SOURCE_DATE_EPOCH``, the site configuration as MkDocs reads it (``INHERIT`` merged) and
   the theme ``custom_dir`` (a full build when it holds a symbolic link, which MkDocs reads
   through), the listed identifiers the gate searches for, the audience, the code of this
   package and the name and version of every installed distribution (MkDocs,
   Material, Markdown, Graphviz's Python binding...) and Graphviz itself (in the diagrams'
   cache keys). Builds are byte-reproducible, so equal inputs give an equal tree;
2. the output directory is, file for file and byte for byte, the tree recorded when it passed
   the gate (no file added, removed, changed or replaced by a symlink).

Then the output is a tree that already passed the gate with the same identifier list, and
there is nothing to swap in. Anything this cannot vouch for (a configuration that reads the
environment with ``!ENV``, plugins other than Material's search and offline, an unreadable
or missing record) means a full build.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Collection, Mapping
from email.parser import HeaderParser
from functools import cache
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import Any

from build_site.file_hashes import sha256_files, tree_entries
from build_site.site_project import _raw_config, default_config
from build_site.study import Identifier

RECORD = "published.json"
_SAFE_PLUGINS = frozenset({"search", "offline", "material/search", "material/offline"})


def _digest_tree(root: Path, digest: Any, skip: str = "") -> None:
    for path in sorted(root.rglob("*")):
        if skip and skip in path.parts:
            continue
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        if path.is_file():
            digest.update(hashlib.sha256(path.read_bytes()).digest())


def _holds_link(root: Path) -> bool:
    """Whether anything under ``root`` is a symbolic link (:func:`_digest_tree` does not walk
    into a linked folder, which MkDocs and the build directory's copy of the theme overrides
    read through: an edit there would leave the fingerprint as it was)."""
    return any(path.is_symlink() for path in root.rglob("*"))


def _digest_files(files: Mapping[str, bytes], digest: Any) -> None:
    """What :func:`_digest_tree` adds for a folder that holds exactly ``files`` (bytes by
    relative path) and the folders around them: every path, files and folders, in the order
    ``sorted`` gives their ``Path`` objects (by their parts), each file's SHA-256 after its
    path. It spares reading back the docs folder just written (:func:`fingerprint`)."""
    paths = {PurePosixPath(rel): data for rel, data in files.items()}
    entries: dict[tuple[str, ...], bytes | None] = {}
    for path, data in paths.items():
        entries[path.parts] = data
        for up in range(1, len(path.parts)):
            entries.setdefault(path.parts[:up], None)
    for parts in sorted(entries):
        digest.update("/".join(parts).encode() + b"\0")
        held = entries[parts]
        if held is not None:
            digest.update(hashlib.sha256(held).digest())


@cache
def _environment_digest() -> str:
    """This package's files (compiled bytecode aside) and every installed distribution's
    name and version."""
    digest = hashlib.sha256()
    _digest_tree(Path(__file__).parent, digest, skip="__pycache__")
    versions = sorted(_name_version(d) for d in metadata.distributions())
    digest.update("\n".join(versions).encode())
    return digest.hexdigest()


def _name_version(dist: metadata.Distribution) -> str:
    """``Name==Version`` of an installed distribution, from the header lines of its
    ``METADATA`` (or ``PKG-INFO``) alone: ``dist.metadata`` runs the e-mail parser over the
    whole file, long description included (0.03 of a cold build's 0.04 s here); the same
    parser over the lines before the first empty one reads the same headers."""
    text = dist.read_text("METADATA") or dist.read_text("PKG-INFO")
    meta = dist.metadata if text is None else HeaderParser().parsestr(
        text.partition("\n\n")[0])
    return f"{meta['Name']}=={meta['Version']}"


def _plugin_names(raw: Mapping[str, Any]) -> set[str]:
    plugins = raw.get("plugins") or []
    items = plugins.keys() if isinstance(plugins, dict) else plugins
    return {str(p if isinstance(p, str) else next(iter(p))) for p in items}


def fingerprint(config: Path, docs_dir: Path, settings: Mapping[str, Any],
                fragments: Mapping[str, str], identifiers: list[Identifier],
                docs: Mapping[str, bytes] | None = None,
                lifted: Collection[str] = ()) -> str | None:
    """The fingerprint of a MkDocs build and gate (see the module docstring).

    Args:
        config: the ``mkdocs.yml`` in force.
        docs_dir: the assembled docs folder.
        docs: what ``docs_dir`` holds, when the caller has just made it hold exactly that
            (:func:`build_site.site_project.write_docs`): digested from memory, the same
            digest as reading the folder back.
        settings: the other arguments of the MkDocs build (navigation, site name, banner,
            epoch, audience), JSON-serialisable.
        fragments: the diagrams and lifted HTML blocks swapped in, by marker key.
        identifiers: the listed identifiers the gate searches for.
        lifted: the keys of ``fragments`` that are lifted blocks, each the hex SHA-256 of its
            fragment's UTF-8 bytes (:func:`build_site.render.fragments.lift_blocks` keys them
            so): the key stands for that digest, not hashed again; the same value as
            hashing. Diagrams are keyed by what they are drawn from, so they are hashed.

    Returns:
        A hex digest, or None when this build cannot be vouched for and must run in full
        (the configuration reads the environment, names another plugin, or its theme
        ``custom_dir`` holds a symbolic link).
    """
    texts = [config.read_text(encoding="utf-8"), default_config().read_text(encoding="utf-8")]
    if any("!ENV" in text for text in texts):
        return None
    raw = _raw_config(config)
    if not _plugin_names(raw) <= _SAFE_PLUGINS:
        return None
    digest = hashlib.sha256(_environment_digest().encode())
    try:
        digest.update(json.dumps([raw, _raw_config(default_config()), settings],
                                 sort_keys=True).encode())
    except (TypeError, ValueError):
        return None  # a Python object in the configuration: not comparable
    theme = raw.get("theme") if isinstance(raw.get("theme"), dict) else {}
    if isinstance(theme, dict) and theme.get("custom_dir"):
        overrides = config.parent / str(theme["custom_dir"])
        if _holds_link(overrides):  # MkDocs reads through it; the digest below would not
            return None
        _digest_tree(overrides, digest)
    if docs is None:
        _digest_tree(docs_dir, digest)
    else:
        _digest_files(docs, digest)
    _digest_fragments(fragments, lifted, digest)
    for ident in identifiers:
        digest.update(ident.model_dump_json().encode() + b"\0")
    return digest.hexdigest()


def _digest_fragments(fragments: Mapping[str, str], lifted: Collection[str],
                      digest: Any) -> None:
    """Add each fragment's key and the SHA-256 of its UTF-8 bytes to ``digest``, in key order;
    for a key in ``lifted`` the key itself is that digest (see :func:`fingerprint`)."""
    for key in sorted(fragments):
        own = bytes.fromhex(key) if key in lifted else hashlib.sha256(
            fragments[key].encode()).digest()
        digest.update(key.encode() + own)


def _manifest(out: Path) -> dict[str, str] | None:
    """SHA-256 of every file under ``out`` by relative path ("" for folders), in the order of
    ``sorted(out.rglob("*"))``, or None when ``out`` holds a symlink or something else that is
    neither file nor folder. The tree is listed with one ``os.scandir`` a folder and the files
    hashed on two threads (:mod:`build_site.file_hashes`, serial9): the same value as reading
    each path of ``rglob`` in turn.

    None too when a listed file is gone or no longer a file when it is read (another program
    changed the output meanwhile): reading each path in turn found it neither file nor
    folder then, and nothing is vouched for.

    Raises:
        OSError: a file before the first symlink (in that order) cannot be read, or a folder
            cannot be listed, as reading them in turn raised it.
    """
    entries = tree_entries(out)
    bad = next((i for i, entry in enumerate(entries) if entry.kind in ("link", "other")),
               len(entries))
    listed = entries[:bad]
    try:
        digests = iter(sha256_files([entry.path for entry in listed if entry.kind == "file"]))
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None  # gone or replaced since it was listed: nothing vouched for (adv8)
    if bad < len(entries):
        return None
    return {entry.rel: next(digests).hex() if entry.kind == "file" else ""
            for entry in listed}


def record_published(work: Path, out: Path, inputs: str | None,
                     extra: Mapping[str, Any] | None = None) -> None:
    """After a publish: record ``inputs`` and what ``out`` now holds, with ``extra`` (the
    source fingerprint and report of :mod:`build_site.noop`), or forget the record when
    ``inputs`` is None."""
    record = work / RECORD
    manifest = _manifest(out) if inputs else None
    if manifest is None or inputs is None:
        record.unlink(missing_ok=True)
        return
    write_record(record, {**(extra or {}), "out": str(out), "inputs": inputs,
                          "files": manifest})


def write_record(target: Path, data: Mapping[str, Any]) -> None:
    """Write ``data`` as JSON to ``target`` atomically (a temporary file beside it, then
    renamed), so an interrupted build never leaves half a record that a later one trusts."""
    tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data), encoding="utf-8")
    tmp.replace(target)


def read_record(source: Path) -> dict[str, Any] | None:
    """The record :func:`write_record` wrote to ``source``; None when there is none or it
    cannot be read as a JSON object (a build then trusts nothing of it)."""
    try:
        record = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def already_published(work: Path, out: Path, inputs: str | None) -> bool:
    """Whether ``out`` is byte for byte the tree recorded for these very ``inputs``."""
    if inputs is None or out.is_symlink() or not out.is_dir():
        return False
    record = read_record(work / RECORD)
    if record is None or record.get("inputs") != inputs or record.get("out") != str(out):
        return False
    return _manifest(out) == record.get("files")
