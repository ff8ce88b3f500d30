"""Apply a mapping file and a consent sheet to the case studies of a study folder (issue 22
item 1): at import (``import-qdpx --mapping --consent``) on the files in memory, or afterwards
(``build-site apply-mapping``) on the folder.

What is set, in this order (a later one wins):

1. the mapping's ``defaults`` (every dyad and clinician);
2. each mapping entry's ``status``, ``publish``, ``consent`` and ``speaker``, and a dyad's
   ``clinician`` (a clinician file is created, with a placeholder narrative and the defaults,
   when it does not exist yet);
3. each row of the consent sheet (:mod:`build_site.refi_qda.consent_sheet`).

A key of the mapping or a row's ``case`` names a case study by its id, or by a source or case
name of the QDA project (``private/qdpx-import.yml`` remembers which case study each became).
Only the files whose values change are rewritten: their front matter is written again (leading
``#`` comments kept, other comments inside the front matter lost), their body is kept byte for
byte. A stand-in clinician (:data:`~build_site.placeholders.CLINICIAN_MARK`) that no dyad names
any more and that holds no excerpt is deleted. ``skip: true`` acts only at import.
"""

from __future__ import annotations

import copy
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from build_site.errors import Problem, StudyError
from build_site.load import decode_text
from build_site.placeholders import CLINICIAN_MARK
from build_site.refi_qda.consent_sheet import ConsentSheet
from build_site.refi_qda.mapping import CaseSettings, Mapping, MappingEntry
from build_site.refi_qda.study_files import dump_yaml
from build_site.yamlsource import YamlProblem, load_yaml

SIDECAR = "private/qdpx-import.yml"
_CASE_FILE = re.compile(r"^(dyads|clinicians)/[^/]+\.md$")
NEW_CLINICIAN = ("> **PLACEHOLDER narrative** written by apply-mapping for a clinician the "
                 "mapping names. Replace this paragraph with the narrative.")


@dataclass
class ApplyReport:
    """What applying changed: one line per file rewritten, created or deleted."""

    changed: list[str] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """Every change, for the terminal or the import report."""
        return ([f"`{c}`" for c in self.changed] + [f"created `{c}`" for c in self.created]
                + [f"deleted `{c}`" for c in self.deleted])


@dataclass
class _Case:
    rel: str
    kind: str
    head: str
    data: dict[str, Any]
    body: str
    before: dict[str, Any]
    notes: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return str(self.data.get("id", ""))


def _split(rel: str, raw: bytes) -> _Case:
    """A case file's leading comments, front matter and body.

    Raises:
        StudyError: no front matter, or front matter that is not a YAML mapping.
    """
    text = decode_text(raw, rel)
    end = (text + "\n").find("\n---\n", 3)
    if not text.startswith("---\n") or end < 0:
        raise StudyError([Problem(rel, 1, "no front matter between --- lines",
                                  "see guide/preparing-your-study.md")])
    block, body = text[4:end + 1], text[end + 5:]
    lines = block.splitlines(keepends=True)
    n = next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))
    try:
        data = _plain(load_yaml(block))
    except YamlProblem as exc:
        raise StudyError([Problem(rel, exc.line + 1 if exc.line else 0,
                                  f"front matter: {exc.message}", exc.hint)]) from None
    if not isinstance(data, dict):
        raise StudyError([Problem(rel, 2, "front matter is not a mapping of fields")])
    return _Case(rel, rel.split("/", 1)[0], "".join(lines[:n]), data, body,
                 copy.deepcopy(data))


def _plain(value: Any) -> Any:
    """The study loader's values (read as it reads them: ``yes`` stays a string) as plain
    dicts and lists, which the YAML writer takes."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _join(case: _Case) -> bytes:
    text = "---\n" + case.head + dump_yaml(case.data) + "---\n" + case.body
    return text.encode("utf-8")


class _Resolver:
    """Names a case study by its id, or a source or case name of the imported project."""

    def __init__(self, cases: dict[str, _Case], sidecar: dict[str, Any]) -> None:
        self.ids = cases  # the live table: clinicians a mapping creates are found too
        self.names: dict[str, str] = {}
        for section, fields in (("cases", ("name", "guid")),
                                ("sources", ("name", "guid", "file")),
                                ("textless", ("name", "guid", "file"))):
            for entry in sidecar.get(section) or []:
                if not isinstance(entry, dict) or entry.get("case") not in self.ids:
                    continue
                for key in fields:
                    value = str(entry.get(key) or "")
                    for form in {value, value.strip("{}").lower(), value.rsplit(".", 1)[0]}:
                        if form:
                            self.names.setdefault(form, str(entry["case"]))

    def __call__(self, key: str) -> str | None:
        if key in self.ids:
            return key
        return self.names.get(key) or self.names.get(key.strip("{}").lower())

    def known(self) -> str:
        return ", ".join(sorted(self.ids)[:20]) or "none"


def _set(case: _Case, settings: CaseSettings, speaker: str | None = None) -> None:
    if settings.status is not None:
        case.data["status"] = settings.status.value
    if settings.publish is not None:
        for excerpt in case.data.get("excerpts") or []:
            if isinstance(excerpt, dict):
                excerpt["publish"] = settings.publish
    if settings.consent is not None:
        record = settings.consent.model_dump()
        if case.kind == "dyads":
            consent = case.data.setdefault("consent", {})
            consent["patient"] = record
        else:
            case.data["consent"] = record
    if speaker is not None and case.kind == "dyads":
        for excerpt in case.data.get("excerpts") or []:
            if isinstance(excerpt, dict):
                excerpt["speaker"] = speaker


class _Applier:
    """The case files of a study, changed in memory by a mapping and a consent sheet; the
    problems found on the way are gathered and raised together by :meth:`result`."""

    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = files
        self.cases = {c.id: c for c in (_split(rel, raw) for rel, raw in sorted(files.items())
                                         if _CASE_FILE.match(rel))}
        sidecar: dict[str, Any] = {}
        if SIDECAR in files:
            try:
                data = load_yaml(decode_text(files[SIDECAR], SIDECAR))
            except YamlProblem:
                data = None
            sidecar = dict(data) if isinstance(data, dict) else {}
        self.resolve = _Resolver(self.cases, sidecar)
        self.problems: list[Problem] = []
        self.report = ApplyReport()
        self.defaults = CaseSettings()

    def _place(self, case: _Case, entry: MappingEntry, where: Problem) -> None:
        """Give a dyad the clinician ``entry`` names; a move to another id or kind is a
        problem at ``where`` (the mapping's file and line)."""
        is_dyad = case.kind == "dyads"
        if entry.dyad and (entry.dyad != case.id or not is_dyad):
            self.problems.append(Problem(where.file, where.line, f"'{case.id}' is already "
                                 f"imported as {case.rel}; it cannot become dyad "
                                 f"'{entry.dyad}' afterwards",
                                 "import again with this mapping (import-qdpx --mapping)"))
            return
        if entry.clinician and not entry.dyad and is_dyad:
            self.problems.append(Problem(where.file, where.line, f"'{case.id}' is a dyad; it "
                                 "cannot become a clinician's own interview afterwards",
                                 "import again with this mapping (import-qdpx --mapping)"))
            return
        if entry.dyad and entry.clinician and case.data.get("clinician") != entry.clinician:
            case.data["clinician"] = entry.clinician
            self._ensure_clinician(entry.clinician, where)

    def _ensure_clinician(self, clinician: str, where: Problem) -> None:
        """Create ``clinicians/ID.md`` (placeholder narrative, the defaults) when missing."""
        existing = self.cases.get(clinician)
        if existing is not None:
            if existing.kind != "clinicians":
                self.problems.append(Problem(where.file, where.line,
                                     f"'{clinician}' is a dyad, not a clinician",
                                     "ids are unique across the study"))
            return
        rel = f"clinicians/{clinician}.md"
        data: dict[str, Any] = {"id": clinician, "status": "draft"}
        new = _Case(rel, "clinicians", "# Created by build-site apply-mapping.\n", data,
                    NEW_CLINICIAN + "\n", {})
        _set(new, self.defaults)
        self.cases[clinician] = new
        self.report.created.append(rel)

    def mapping(self, mapping: Mapping) -> None:
        """Apply the defaults, then each entry of ``sources`` and ``cases``."""
        self.defaults = mapping.defaults
        if mapping.defaults.has_settings():
            for case in self.cases.values():
                _set(case, mapping.defaults)
        for section, entries in (("sources", mapping.sources), ("cases", mapping.cases)):
            for key, entry in entries.items():
                where = Problem(mapping.file, mapping.line_of(section, key), "")
                if entry.skip:
                    continue
                case_id = self._case_id(key, where.file, where.line)
                if case_id is None:
                    continue
                case = self.cases[case_id]
                self._place(case, entry, where)
                _set(case, entry.settings(), entry.speaker)

    def _case_id(self, name: str, file: str, line: int) -> str | None:
        """The id of the case study ``name`` names (its id, source or case name), else None
        with a problem at ``file``:``line`` listing the study's case studies."""
        case_id = self.resolve(name)
        if case_id is None:
            self.problems.append(Problem(file, line, f"no case study, source or case called "
                                         f"'{name}' in the study",
                                         f"the study's case studies: {self.resolve.known()}"))
        return case_id

    def sheet(self, sheet: ConsentSheet) -> None:
        """Record each row's consent where its participant belongs; two rows that resolve to
        the same case and participant (a case named by its id and by its source name, or an
        empty participant and ``patient``) are a problem naming both lines."""
        seen: dict[tuple[str, str], int] = {}
        for row in sheet.rows:
            case_id = self._case_id(row.case, sheet.file, row.line)
            if case_id is None:
                continue
            case = self.cases[case_id]
            record = row.consent.model_dump()
            who = row.participant or ("patient" if case.kind == "dyads" else "clinician")
            first = seen.setdefault((case_id, who), row.line)
            if first != row.line:
                self.problems.append(Problem(sheet.file, row.line, f"'{row.case}' ({who}) is "
                                     f"case '{case_id}', whose {who} is already on line "
                                     f"{first}", "keep one row per participant"))
                continue
            if case.kind == "clinicians":
                if who != "clinician":
                    self.problems.append(Problem(sheet.file, row.line, f"'{row.case}' is a "
                                         f"clinician; participant '{who}' has no place there",
                                         "write clinician (or leave it empty)"))
                    continue
                case.data["consent"] = record
            elif who == "clinician":
                self.problems.append(Problem(sheet.file, row.line, f"'{row.case}' is a dyad: "
                                     "a clinician's consent goes in the row of the clinician's "
                                     f"own id ('{case.data.get('clinician')}')",
                                     "give the clinician's id in the case column"))
            elif who == "patient":
                case.data.setdefault("consent", {})["patient"] = record
            else:
                case.data.setdefault("consent", {}).setdefault("others", {})[who] = record
                interview = case.data.setdefault("interview", {})
                present = interview.setdefault("others_present", [])
                if who not in present:
                    present.append(who)

    def _drop_stand_ins(self) -> None:
        """Delete stand-in clinicians that no dyad names and that hold no excerpt."""
        named = {c.data.get("clinician") for c in self.cases.values() if c.kind == "dyads"}
        for case_id, case in list(self.cases.items()):
            if (case.kind == "clinicians" and CLINICIAN_MARK in case.body
                    and case_id not in named and not case.data.get("excerpts")):
                del self.cases[case_id]
                self.report.deleted.append(case.rel)

    def result(self) -> dict[str, bytes | None]:
        """The files to write (bytes) or delete (None).

        Raises:
            StudyError: every problem met while applying.
        """
        if self.problems:
            raise StudyError(self.problems)
        self._drop_stand_ins()
        out: dict[str, bytes | None] = {rel: None for rel in self.report.deleted}
        for case in self.cases.values():
            if case.data != case.before:
                out[case.rel] = _join(case)
                if case.rel not in self.report.created:
                    self.report.changed.append(f"{case.rel}: {_what(case)}")
        return out


def _what(case: _Case) -> str:
    keys = [k for k in ("clinician", "status", "consent", "interview")
            if case.data.get(k) != case.before.get(k)]
    if case.data.get("excerpts") != case.before.get("excerpts"):
        keys.append("excerpts (publish, speaker)")
    return ", ".join(keys)


def apply_to_files(files: dict[str, bytes], mapping: Mapping | None,
                   sheet: ConsentSheet | None) -> tuple[dict[str, bytes | None], ApplyReport]:
    """Apply ``mapping`` and ``sheet`` to the case-study files among ``files``.

    Args:
        files: relative POSIX path -> bytes: the case studies (``dyads/*.md``,
            ``clinicians/*.md``) and, when there, ``private/qdpx-import.yml``.
        mapping: the mapping file (None: none).
        sheet: the consent sheet (None: none).

    Returns:
        The files to write (new bytes) or delete (None), and the report.

    Raises:
        StudyError: a key or row names no case study, asks to move a case already imported,
            or puts a participant where the case has none; a case file is unreadable
            (exit code 2, every problem with file and line).
    """
    applier = _Applier(files)
    if mapping is not None:
        applier.mapping(mapping)
    if sheet is not None:
        applier.sheet(sheet)
    return applier.result(), applier.report


def _read_folder(study: Path) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for folder in ("dyads", "clinicians"):
        for path in sorted((study / folder).glob("*.md")):
            files[f"{folder}/{path.name}"] = path.read_bytes()
    if (study / SIDECAR).is_file():
        files[SIDECAR] = (study / SIDECAR).read_bytes()
    return files


def apply_to_folder(study: Path, mapping: Mapping | None, sheet: ConsentSheet | None,
                    check: Callable[[Path], None]) -> ApplyReport:
    """Apply ``mapping`` and ``sheet`` to the study folder ``study``, all or nothing.

    The changes are first made in a private copy of the folder, which ``check`` validates;
    only then is each changed file replaced (atomically, one by one) in ``study``.

    Returns:
        The :class:`ApplyReport`.

    Raises:
        StudyError: as :func:`apply_to_files`, or whatever ``check`` raises; nothing is
            changed in ``study``.
    """
    if not (study / "study.yml").is_file():
        raise StudyError([Problem(str(study), 0, "not a study folder (no study.yml)",
                                  "give the folder import-qdpx made")])
    changes, report = apply_to_files(_read_folder(study), mapping, sheet)
    if not changes:
        return report
    work = Path(tempfile.mkdtemp(prefix=f".{study.name}.", suffix=".apply.tmp",
                                 dir=study.absolute().parent))
    try:
        copy_dir = work / study.name
        shutil.copytree(study, copy_dir, symlinks=True)
        _write(copy_dir, changes)
        check(copy_dir)
        _write(study, changes)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return report


def _write(root: Path, changes: dict[str, bytes | None]) -> None:
    for rel, data in sorted(changes.items()):
        path = root / rel
        if data is None:
            path.unlink(missing_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
