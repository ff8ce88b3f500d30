"""Parse a REFI-QDA project (``.qdpx``) or codebook (``.qdc``) into plain dataclasses.

Follows the QDA-XML 1.0 project schema (``Project.xsd``, namespace ``urn:QDA-XML:project:1.0``)
and codebook schema (``urn:QDA-XML:codebook:1.0``) of the Rotterdam Exchange Format Initiative,
but reads leniently, because real exports stray from it. The vendor quirks survived here:

- the XML is ``project.qde``, or ``<project name>.qde`` (ATLAS.ti), at the archive root;
- source paths are ``internal://name`` (standard), ``internal:/name`` (one slash) or a bare
  ``name`` (the ``qualitative-coding`` tool), looked up in ``sources/`` ignoring case
  (``Sources/`` too);
- a source whose plain text is empty but which has a ``.docx`` rich text (NVivo for Mac) is
  read from the ``.docx`` with python-docx;
- code groups that ATLAS.ti flattens into names joined by ``::`` become a hierarchy again;
- an empty ``<Sets/>`` (Taguette; the schema requires at least one ``Set``) is ignored;
- the XML and the source files may start with a UTF-8 byte-order mark, which is not text.

XML is parsed with defusedxml: a DTD that declares entities (entity expansion, "billion
laughs") or refers to external resources is refused. Text positions are kept as the file gives
them (Unicode code points from 0, end exclusive); :mod:`build_site.io.study_import` decides how
CRLF was counted.
"""

from __future__ import annotations

import codecs
import io
import re
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import defusedxml
import defusedxml.ElementTree as DET

from build_site.errors import Problem, StudyError
from build_site.io import safe_zip
from build_site.io.safe_zip import Limits, SafeArchive, check_entry_name

NS_PROJECT = "urn:QDA-XML:project:1.0"
NS_CODEBOOK = "urn:QDA-XML:codebook:1.0"
MAX_CODE_DEPTH = 100
_RGB = re.compile(r"^#(?:[0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})$")
_SCHEME = re.compile(r"^(internal|relative|absolute|file)\s*:/*(.*)$", re.IGNORECASE)
_GROUP_NS = uuid.UUID("0b6f7c1e-5d2a-4e8b-9a61-3c3f1d7e9b20")

Scalar = str | int | float | bool


@dataclass
class QdaCode:
    """A ``<Code>``: ``label`` is its own name (the last part of a ``::`` name); ``parent`` is
    the parent's GUID; ``synthesized`` marks a group rebuilt from ``::`` names."""

    guid: str
    name: str
    label: str
    description: str = ""
    colour: str | None = None
    codable: bool = True
    parent: str | None = None
    note_refs: list[str] = field(default_factory=list)
    synthesized: bool = False


@dataclass
class QdaSelection:
    """A ``<PlainTextSelection>`` with the GUIDs of the codes applied to it."""

    guid: str
    name: str
    start: int
    end: int
    codes: list[str] = field(default_factory=list)
    note_refs: list[str] = field(default_factory=list)
    user: str | None = None


@dataclass
class QdaSource:
    """A source. ``text`` is set for a text source whose text could be read; ``text_from``
    says from where (``PlainTextContent``, an archive entry, or a ``.docx``)."""

    guid: str
    name: str
    kind: str
    plain_path: str = ""
    rich_path: str = ""
    text: str | None = None
    text_from: str = ""
    selections: list[QdaSelection] = field(default_factory=list)
    note_refs: list[str] = field(default_factory=list)
    whole_source_codings: int = 0
    other_selections: int = 0


@dataclass
class QdaCase:
    """A ``<Case>``: the sources and selections it groups and its variable values."""

    guid: str
    name: str
    description: str = ""
    sources: list[str] = field(default_factory=list)
    selections: list[str] = field(default_factory=list)
    variables: dict[str, Scalar] = field(default_factory=dict)


@dataclass
class QdaNote:
    """A ``<Note>`` (a memo) with its text and author's GUID."""

    guid: str
    name: str
    text: str
    user: str | None = None
    path: str = ""


@dataclass
class QdaProject:
    """Everything the importer uses from a project or codebook file.

    ``findings`` lists the quirks met and how they were handled; ``skipped`` what could not be
    used. Both go into the import report.
    """

    name: str
    origin: str = ""
    label: str = ""
    users: dict[str, str] = field(default_factory=dict)
    codes: list[QdaCode] = field(default_factory=list)
    sources: list[QdaSource] = field(default_factory=list)
    cases: list[QdaCase] = field(default_factory=list)
    notes: dict[str, QdaNote] = field(default_factory=dict)
    project_note_refs: list[str] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _kids(element: ET.Element, name: str) -> list[ET.Element]:
    return [child for child in element if _local(child.tag) == name]


def _kid(element: ET.Element, name: str) -> ET.Element | None:
    found = _kids(element, name)
    return found[0] if found else None


def _text(element: ET.Element | None) -> str:
    return "".join(element.itertext()) if element is not None else ""


def _refs(element: ET.Element, name: str) -> list[str]:
    return [r.get("targetGUID", "") for r in _kids(element, name) if r.get("targetGUID")]


def parse_xml(data: bytes, label: str) -> ET.Element:
    """Parse untrusted XML bytes with defusedxml and return the root element.

    A UTF-8 byte-order mark is accepted. Raises:
        StudyError: the XML declares entities or refers to external resources (refused as a
            possible entity-expansion attack), or is not well-formed.
    """
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        root: ET.Element = DET.fromstring(data, forbid_dtd=False, forbid_entities=True,
                                          forbid_external=True)
    except defusedxml.DefusedXmlException as exc:
        raise StudyError([Problem(label, 0,
                                  f"refused: the XML declares entities or external references "
                                  f"({type(exc).__name__}), a known attack (entity expansion)",
                                  "QDA-XML never needs a DTD; check where the file came from")]
                         ) from None
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else 0
        raise StudyError([Problem(label, line, f"not well-formed XML ({exc})",
                                  "export the project again from your QDA software")]) from None
    return root


def _positive(element: ET.Element, name: str) -> int | None:
    try:
        value = int((element.get(name) or "").strip())
    except ValueError:
        return None
    return value if value >= 0 else None


def _codes(project: QdaProject, codes_el: ET.Element | None) -> None:
    if codes_el is None:
        return
    stack: list[tuple[ET.Element, str | None, int]] = [
        (el, None, 1) for el in reversed(_kids(codes_el, "Code"))]
    while stack:
        element, parent, depth = stack.pop()
        if depth > MAX_CODE_DEPTH:
            raise StudyError([Problem(project.label, 0,
                                      f"codes nested deeper than {MAX_CODE_DEPTH} levels",
                                      "this is not a plausible code book; check the file")])
        guid = (element.get("guid") or "").strip()
        name = (element.get("name") or "").strip()
        if not guid:
            project.skipped.append(f"code '{name}' without a GUID (and its sub-codes)")
            continue
        colour = (element.get("color") or "").strip() or None
        if colour and not _RGB.match(colour):
            project.skipped.append(f"colour '{colour}' of code '{name}' (not #RRGGBB)")
            colour = None
        project.codes.append(QdaCode(
            guid=guid, name=name, label=name, description=_text(_kid(element, "Description")),
            colour=colour, codable=(element.get("isCodable") or "true").strip() != "false",
            parent=parent, note_refs=_refs(element, "NoteRef")))
        stack.extend((el, guid, depth + 1) for el in reversed(_kids(element, "Code")))
    _regroup(project)


def _regroup(project: QdaProject) -> None:
    """Rebuild the hierarchy that ATLAS.ti flattens into ``Group::Code`` names."""
    if not any("::" in c.name for c in project.codes):
        return
    ordered: list[QdaCode] = []
    by_parent_name: dict[tuple[str | None, str], QdaCode] = {
        (c.parent, c.name): c for c in project.codes if "::" not in c.name}
    made = 0
    for code in project.codes:
        if "::" not in code.name:
            ordered.append(code)
            continue
        parts = [p.strip() for p in code.name.split("::") if p.strip()]
        parent = code.parent
        for part in parts[:-1]:
            group = by_parent_name.get((parent, part))
            if group is None:
                guid = str(uuid.uuid5(_GROUP_NS, f"{parent}/{part}"))
                group = QdaCode(guid=guid, name=part, label=part, parent=parent, codable=False,
                                synthesized=True)
                by_parent_name[(parent, part)] = group
                ordered.append(group)
                made += 1
            parent = group.guid
        code.parent = parent
        code.label = parts[-1] if parts else code.name
        ordered.append(code)
    project.codes = ordered
    project.findings.append(
        f"code names joined by '::' (ATLAS.ti code groups) were split into a hierarchy; "
        f"{made} group code(s) added")


def _selections(project: QdaProject, source: QdaSource, element: ET.Element) -> None:
    for sel in _kids(element, "PlainTextSelection"):
        guid = (sel.get("guid") or "").strip()
        start, end = _positive(sel, "startPosition"), _positive(sel, "endPosition")
        name = sel.get("name") or ""
        if not guid or start is None or end is None:
            project.skipped.append(f"selection {guid or name or '?'} in source '{source.name}': "
                                   "missing GUID or invalid positions")
            continue
        codes: list[str] = []
        notes = _refs(sel, "NoteRef")
        for coding in _kids(sel, "Coding"):
            ref = _kid(coding, "CodeRef")
            target = (ref.get("targetGUID") or "").strip() if ref is not None else ""
            if target and target not in codes:
                codes.append(target)
            notes += _refs(coding, "NoteRef")
        source.selections.append(QdaSelection(guid, name, start, end, codes, notes,
                                              sel.get("creatingUser")))


def _sources(project: QdaProject, sources_el: ET.Element | None) -> None:
    if sources_el is None:
        return
    for element in sources_el:
        kind = _local(element.tag)
        guid = (element.get("guid") or "").strip()
        name = (element.get("name") or "").strip()
        if not guid:
            project.skipped.append(f"{kind} '{name}' without a GUID")
            continue
        source = QdaSource(guid=guid, name=name, kind=kind,
                           plain_path=(element.get("plainTextPath") or "").strip(),
                           rich_path=(element.get("richTextPath") or "").strip(),
                           note_refs=_refs(element, "NoteRef"),
                           whole_source_codings=len(_kids(element, "Coding")))
        if kind == "TextSource":
            content = _kid(element, "PlainTextContent")
            if content is not None:
                source.text, source.text_from = _text(content), "PlainTextContent"
            _selections(project, source, element)
        else:
            source.other_selections = sum(
                1 for child in element.iter() if _local(child.tag).endswith("Selection"))
        project.sources.append(source)


def _variable_value(element: ET.Element) -> Scalar | None:
    for child in element:
        tag, text = _local(child.tag), _text(child).strip()
        if tag == "TextValue":
            return text
        if tag == "BooleanValue":
            return text in ("true", "1")
        if tag == "IntegerValue":
            try:
                return int(text)
            except ValueError:
                return text
        if tag == "FloatValue":
            try:
                return float(text)
            except ValueError:
                return text
        if tag in ("DateValue", "DateTimeValue"):
            return text
    return None


def _cases(project: QdaProject, root: ET.Element) -> None:
    variables = {(v.get("guid") or "").strip(): (v.get("name") or "").strip()
                 for v in _kids(_kid(root, "Variables") or ET.Element("x"), "Variable")}
    for element in _kids(_kid(root, "Cases") or ET.Element("x"), "Case"):
        guid = (element.get("guid") or "").strip()
        if not guid:
            project.skipped.append(f"case '{element.get('name') or '?'}' without a GUID")
            continue
        case = QdaCase(guid=guid, name=(element.get("name") or "").strip(),
                       description=_text(_kid(element, "Description")),
                       sources=_refs(element, "SourceRef"),
                       selections=_refs(element, "SelectionRef"))
        for value in _kids(element, "VariableValue"):
            ref = _kid(value, "VariableRef")
            var_name = variables.get((ref.get("targetGUID") or "").strip(), "") \
                if ref is not None else ""
            parsed = _variable_value(value)
            if var_name and parsed is not None:
                case.variables[var_name] = parsed
        project.cases.append(case)


def _notes(project: QdaProject, root: ET.Element) -> None:
    for element in _kids(_kid(root, "Notes") or ET.Element("x"), "Note"):
        guid = (element.get("guid") or "").strip()
        if guid:
            project.notes[guid] = QdaNote(
                guid, (element.get("name") or "").strip(),
                _text(_kid(element, "PlainTextContent")), element.get("creatingUser"),
                (element.get("plainTextPath") or "").strip())


def _sets(project: QdaProject, root: ET.Element) -> None:
    sets = _kid(root, "Sets")
    if sets is None:
        return
    members = _kids(sets, "Set")
    if not members:
        project.findings.append("an empty <Sets/> (written by Taguette; not allowed by the "
                                "schema) was ignored")
    else:
        project.skipped.append(f"{len(members)} set(s) (groups of codes or sources): "
                               "build-site has no equivalent")


def parse_project(root: ET.Element, label: str) -> QdaProject:
    """Turn a parsed ``<Project>`` (``project.qde``) or ``<CodeBook>`` (``.qdc``) root into a
    :class:`QdaProject` (texts in files are not read here; see :func:`read_qdpx`).

    Raises:
        StudyError: the root is neither element.
    """
    kind = _local(root.tag)
    if kind not in ("Project", "CodeBook"):
        raise StudyError([Problem(label, 0, f"root element is <{kind}>, not <Project> or "
                                             "<CodeBook>", "this is not a REFI-QDA file")])
    project = QdaProject(name=(root.get("name") or "").strip(), origin=root.get("origin") or "",
                         label=label)
    if kind == "CodeBook":
        _codes(project, _kid(root, "Codes"))
        _sets(project, root)
        return project
    project.users = {(u.get("guid") or "").strip(): (u.get("name") or u.get("id") or "").strip()
                     for u in _kids(_kid(root, "Users") or ET.Element("x"), "User")}
    codebook = _kid(root, "CodeBook")
    _codes(project, _kid(codebook, "Codes") if codebook is not None else None)
    _cases(project, root)
    _sources(project, _kid(root, "Sources"))
    _notes(project, root)
    project.project_note_refs = _refs(root, "NoteRef")
    _sets(project, root)
    for name in ("Links", "Graphs"):
        element = _kid(root, name)
        if element is not None and len(element):
            project.skipped.append(f"{len(element)} {name.lower()}: build-site has no "
                                   "equivalent")
    return project


def decode_source(data: bytes) -> tuple[str, str]:
    """Decode a source file's bytes; returns the text and a note on the encoding ('' when it
    was plain UTF-8). A UTF-8 byte-order mark is dropped (it is not text, so positions start
    after it); UTF-16 needs its byte-order mark; anything else is read as Windows-1252."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", "replace"), "UTF-8 byte-order mark"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "UTF-16"
    try:
        return data.decode("utf-8"), ""
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace"), "not UTF-8: read as Windows-1252"


def archive_candidates(ref: str) -> tuple[list[str], str]:
    """Archive entries that a ``plainTextPath``/``richTextPath`` may name, and a note on the
    form used ('' for the standard ``internal://``). An empty list: the file is outside the
    archive (``relative://``, ``absolute://``) or its path is unsafe, and is never read."""
    match = _SCHEME.match(ref)
    if match:
        scheme, rest = match.group(1).lower(), match.group(2)
        if scheme != "internal":
            return [], f"'{scheme}:' path (outside the archive)"
        note = "" if ref.split(":", 1)[1].startswith("//") else "'internal:/' with one slash"
    else:
        rest, note = ref, "bare path without 'internal://'"
    if not rest or check_entry_name(rest):
        return [], "unsafe path"
    rest = rest.replace("\\", "/")
    candidates = [f"sources/{rest}", rest]
    return candidates, note


def _entry_text(archive: SafeArchive, ref: str, notes: list[str]) -> tuple[str, str] | None:
    candidates, note = archive_candidates(ref)
    for candidate in candidates:
        entry = archive.find(candidate)
        if entry is not None:
            if note:
                notes.append(note)
            if entry != candidate and entry.casefold() == candidate.casefold():
                notes.append(f"folder or file name in another case ('{entry}')")
            return entry, note
    if note and not candidates:
        notes.append(note)
    return None


def docx_text(archive: SafeArchive, entry: str) -> str:
    """The text of a ``.docx`` entry, paragraph by paragraph (tables cell by cell, tab-joined),
    one line each. The ``.docx`` is itself checked as an archive, within the same byte budget.

    Raises:
        StudyError: the ``.docx`` is hostile (see :class:`SafeArchive`) or unreadable.
    """
    import docx
    from docx.table import Table

    data = archive.read(entry)
    label = f"{archive.label}:{entry}"
    with SafeArchive(io.BytesIO(data), label, archive.limits, archive.budget) as inner:
        for name in inner.names():
            inner.read(name)
    try:
        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                lines.extend("\t".join(cell.text for cell in row.cells) for row in block.rows)
            else:
                lines.append(block.text)
    except Exception as exc:  # python-docx raises many kinds on a damaged file
        raise StudyError([Problem(label, 0, f"cannot read the .docx ({type(exc).__name__})",
                                  "export the project again")]) from None
    return "\n".join(lines)


def _resolve_texts(project: QdaProject, archive: SafeArchive) -> None:
    for source in project.sources:
        if source.kind != "TextSource":
            continue
        notes: list[str] = []
        if source.text is None and source.plain_path:
            found = _entry_text(archive, source.plain_path, notes)
            if found:
                text, encoding = decode_source(archive.read(found[0]))
                source.text, source.text_from = text, found[0]
                if encoding:
                    notes.append(encoding)
        if (source.text is None or not source.text.strip()) and source.rich_path.lower().endswith(
                ".docx"):
            found = _entry_text(archive, source.rich_path, notes)
            if found:
                source.text, source.text_from = docx_text(archive, found[0]), found[0]
                notes.append("plain text empty: text read from the .docx")
        for note in dict.fromkeys(notes):
            project.findings.append(f"source '{source.name or source.guid}': {note}")
    for qda_note in project.notes.values():
        if not qda_note.text and qda_note.path:
            found = _entry_text(archive, qda_note.path, [])
            if found:
                qda_note.text = decode_source(archive.read(found[0]))[0]


def find_project_xml(archive: SafeArchive) -> str:
    """The project XML entry: ``project.qde``, else the only ``*.qde`` at the root (ATLAS.ti
    names it after the project), else the only ``*.qde`` anywhere.

    Raises:
        StudyError: none, or several that cannot be told apart.
    """
    exact = archive.find("project.qde")
    if exact:
        return exact
    names = [n for n in archive.names() if n.lower().endswith(".qde")]
    top = [n for n in names if "/" not in n]
    for group in (top, names):
        if len(group) == 1:
            return group[0]
        if len(group) > 1:
            raise StudyError([Problem(archive.label, 0,
                                      f"several project files ({', '.join(group[:5])})",
                                      "keep one .qde in the archive")])
    raise StudyError([Problem(archive.label, 0, "no project.qde in the archive",
                              "is this a REFI-QDA project (.qdpx)? Export it again from your "
                              "QDA software")])


def read_qdpx(path: Path, limits: Limits | None = None) -> QdaProject:
    """Read a REFI-QDA project archive: the project XML, the text of every text source (from
    ``PlainTextContent``, the plain-text file, or the ``.docx``) and of every note.

    Args:
        path: the ``.qdpx`` file.
        limits: caps on entries and unpacked bytes (default: ``safe_zip.DEFAULT_LIMITS``).

    Returns:
        The parsed :class:`QdaProject`.

    Raises:
        StudyError: the file is missing, not a ZIP, hostile (see :mod:`safe_zip` and
            :func:`parse_xml`), or has no project XML.
    """
    label = path.name
    limits = limits or safe_zip.DEFAULT_LIMITS
    if not path.is_file():
        raise StudyError([Problem(str(path), 0, "file not found", "check the path you gave")])
    with SafeArchive(path, label, limits) as archive:
        qde = find_project_xml(archive)
        data = archive.read(qde)
        project = parse_project(parse_xml(data, f"{label}:{qde}"), label)
        if qde.lower() != "project.qde":
            project.findings.append(f"the project XML is '{qde}', not 'project.qde' "
                                    "(ATLAS.ti names it after the project)")
        if data.startswith(codecs.BOM_UTF8):
            project.findings.append(f"'{qde}' starts with a UTF-8 byte-order mark (ignored)")
        _resolve_texts(project, archive)
    return project


def read_qdc(path: Path, limits: Limits | None = None) -> QdaProject:
    """Read a REFI-QDA codebook (``.qdc``: an XML ``<CodeBook>``).

    Raises:
        StudyError: the file is missing, larger than ``limits.max_unpacked_bytes``, hostile
            XML, or not a code book.
    """
    limits = limits or safe_zip.DEFAULT_LIMITS
    if not path.is_file():
        raise StudyError([Problem(str(path), 0, "file not found", "check the path you gave")])
    if path.stat().st_size > limits.max_unpacked_bytes:
        raise StudyError([Problem(path.name, 0, "file is larger than the limit of "
                                                 f"{limits.max_unpacked_bytes:,} bytes")])
    data = path.read_bytes()
    project = parse_project(parse_xml(data, path.name), path.name)
    if data.startswith(codecs.BOM_UTF8):
        project.findings.append("the file starts with a UTF-8 byte-order mark (ignored)")
    return project
