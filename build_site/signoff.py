"""Recorded sign-offs: the snapshots in the study's ``signed-off/`` folder and ``study.yml``.

``build-site manifest --record --by NAME --role ROLE`` is the one request on which the tool
writes into a study folder: a snapshot of the manifest (``signed-off/DATE-HASH.json``: the
fingerprint, who signed it, in what role and when, and every published item, which is public
content by definition) and the ``sign_off`` block of ``study.yml``, replaced in place so the
file's comments and layout are kept. Co-signers who share the study folder see the same history;
a second signer of the same content is added to the same snapshot.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from build_site.errors import UsageError
from build_site.manifest import Manifest, build_manifest
from build_site.pipeline import prepare
from build_site.published import Item
from build_site.yamlsource import YamlProblem, load_yaml

FOLDER = "signed-off"
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Recorded:
    """What ``--record`` wrote: the ``snapshot`` file, and whether ``study.yml`` was updated
    (``study_updated``; when False, ``paste`` is the block to paste into it by hand)."""

    snapshot: Path
    study_updated: bool
    paste: str


def fingerprint(study_dir: Path, config: Path | None = None) -> str:
    """The fingerprint ``build-site manifest`` prints for the study in ``study_dir``.

    Raises:
        StudyError: invalid study or site configuration (exit 2).
    """
    return build_manifest(prepare(study_dir, "public", config, scan=False)).digest


def snapshot_for(study_dir: Path, digest: str) -> Manifest | None:
    """The manifest recorded in ``study_dir/signed-off/`` with fingerprint ``digest``, or None
    when none was recorded (a sign-off written into study.yml by hand)."""
    for path in sorted((study_dir / FOLDER).glob(f"*-{_short(digest)}.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("digest") == digest:
            return Manifest([Item.from_json(i) for i in data["items"]], digest)
    return None


def record(study_dir: Path, manifest: Manifest, by: str, role: str, date: str) -> Recorded:
    """Record the sign-off of ``manifest`` by ``by`` in ``role`` on ``date`` (YYYY-MM-DD).

    Returns:
        What was written (:class:`Recorded`).

    Raises:
        UsageError: an empty name or role, or a date not written YYYY-MM-DD (exit 2).
    """
    if not by.strip() or not role.strip():
        raise UsageError("a sign-off needs a name and a role", "give --by NAME --role ROLE")
    if not DATE.match(date):
        raise UsageError(f"the date '{date}' is not written YYYY-MM-DD", "e.g. --date 2026-12-06")
    snapshot = _write_snapshot(study_dir, manifest, {"by": by, "role": role, "date": date})
    block = sign_off_block(by, role, date, manifest.digest)
    updated = replace_sign_off(study_dir / "study.yml", block)
    return Recorded(snapshot, updated, block)


def _short(digest: str) -> str:
    return digest.removeprefix("sha256:")[:12]


def _write_snapshot(study_dir: Path, manifest: Manifest, signer: dict[str, str]) -> Path:
    folder = study_dir / FOLDER
    folder.mkdir(exist_ok=True)
    existing = sorted(folder.glob(f"*-{_short(manifest.digest)}.json"))
    path = existing[0] if existing else folder / f"{signer['date']}-{_short(manifest.digest)}.json"
    data: dict[str, Any] = {"digest": manifest.digest, "signatures": [],
                            "items": manifest.as_json()}
    if existing:
        data = json.loads(path.read_text(encoding="utf-8"))
    if signer not in data["signatures"]:
        data["signatures"].append(signer)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                   encoding="utf-8")
    tmp.replace(path)
    return path


def sign_off_block(by: str, role: str, date: str, digest: str) -> str:
    """The ``sign_off`` block of ``study.yml``: each value plain where the study's YAML reads
    it back as the same text, else double-quoted; the fingerprint always quoted."""
    return (f"sign_off:\n  role: {_scalar(role)}\n  by: {_scalar(by)}\n"
            f"  date: {_scalar(date)}\n  manifest: {json.dumps(digest)}\n")


def _scalar(text: str) -> str:
    try:
        plain = load_yaml(f"k: {text}\n") == {"k": text} and "\n" not in text
    except YamlProblem:
        plain = False
    return text if plain else json.dumps(text, ensure_ascii=False)  # JSON: a YAML scalar


def replace_sign_off(study_yml: Path, block: str) -> bool:
    """Put ``block`` in place of ``study_yml``'s top-level ``sign_off`` (or after its last
    line), leaving every other byte as it was.

    Returns:
        False, writing nothing, when the file is not plain UTF-8 YAML with a block mapping at
        the top (then the caller prints the block to paste).
    """
    try:
        raw = study_yml.read_bytes()
        text = raw.decode("utf-8")
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return False
    if not isinstance(root, yaml.MappingNode) or root.flow_style:
        return False
    newline = "\r\n" if "\r\n" in text else "\n"
    block = block.replace("\n", newline)
    for key, value in root.value:
        if key.value == "sign_off" and key.start_mark.column == 0:
            start = key.start_mark.index
            end = _kept_after(text, start, _line_end(text, value.end_mark.index))
            comment = re.match(r"sign_off:([ \t]+#[^\r\n]*)", text[start:])
            first, rest = block.split(newline, 1)
            if comment and value.start_mark.line > key.start_mark.line:
                first += comment.group(1)  # the comment on the key's own line stays
            updated = text[:start] + first + newline + rest + text[end:]
            break
    else:
        updated = text + ("" if not text or text.endswith("\n") else newline) + block
    try:
        check, wanted = load_yaml(updated), load_yaml(block)
    except YamlProblem:
        return False
    if not isinstance(check, dict) or check.get("sign_off") != wanted["sign_off"]:
        return False
    tmp = study_yml.with_name(study_yml.name + ".tmp")
    tmp.write_bytes(updated.encode("utf-8"))
    tmp.replace(study_yml)
    return True


def _kept_after(text: str, start: int, end: int) -> int:
    """``end`` moved back over blank and comment lines at the end of ``text[start:end]``: they
    belong to what follows the block and stay."""
    lines = text[start:end].splitlines(keepends=True)
    while len(lines) > 1 and (not lines[-1].strip() or lines[-1].lstrip().startswith("#")):
        end -= len(lines.pop())
    return end


def _line_end(text: str, index: int) -> int:
    """The index just after the line holding ``index - 1`` (the block's last character), so the
    replaced block takes its trailing comment and line break with it."""
    if index > 0 and text[index - 1] == "\n":
        return index
    newline = text.find("\n", index)
    return len(text) if newline < 0 else newline + 1
