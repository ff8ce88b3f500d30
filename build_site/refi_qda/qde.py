"""Parse the XML of a REFI-QDA project (``project.qde``) or codebook (``.qdc``) into plain
dataclasses.

Follows the QDA-XML 1.0 project schema (``Project.xsd``, namespace ``urn:QDA-XML:project:1.0``)
and codebook schema (``urn:QDA-XML:codebook:1.0``) of the Rotterdam Exchange Format Initiative,
but reads leniently, because real exports stray from it: code groups that ATLAS.ti flattens into
names joined by ``::`` become a hierarchy again; an empty ``<Sets/>`` (Taguette; the schema
requires at least one ``Set``) is ignored; a UTF-8 byte-order mark before the XML is accepted.

XML is parsed with defusedxml: a DTD that declares entities (entity expansion, "billion
laughs") or refers to external resources is refused. Text positions are kept as the file gives
them (Unicode code points from 0, end exclusive); :mod:`build_site.refi_qda.import_plan` decides how
CRLF was counted. Source texts live in the archive: see :mod:`build_site.refi_qda.read`.
"""

from __future__ import annotations

import codecs
import re
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

import defusedxml
import defusedxml.ElementTree as DET

from build_site.errors import Problem, StudyError

NS_PROJECT = "urn:QDA-XML:project:1.0"
NS_CODEBOOK = "urn:QDA-XML:codebook:1.0"
MAX_CODE_DEPTH = 100
_RGB = re.compile(r"^#(?:[0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})$")
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
    coders: list[str | None] = field(default_factory=list)


@dataclass
class QdaSet:
    """A ``<Set>``: a named group of sources and codes (``MemberSource``, ``MemberCode``)."""

    guid: str
    name: str
    sources: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)


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
    other_codings: int = 0


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
    """Everything the importer uses from a project or codebook file: the seam for import
    formats (a reader in :mod:`build_site.refi_qda.readers` returns one; the rest of an import
    reads nothing else).

    ``findings`` lists the quirks met and how they were handled; ``skipped`` what could not be
    used; ``dropped`` what the project holds that a study has no place for (networks, links).
    All go into the import report.
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
    dropped: list[str] = field(default_factory=list)
    sets: list[QdaSet] = field(default_factory=list)


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
        coders: list[str | None] = []
        notes = _refs(sel, "NoteRef")
        for coding in _kids(sel, "Coding"):
            ref = _kid(coding, "CodeRef")
            target = (ref.get("targetGUID") or "").strip() if ref is not None else ""
            if target and target not in codes:
                codes.append(target)
                coders.append(coding.get("creatingUser") or sel.get("creatingUser"))
            notes += _refs(coding, "NoteRef")
        source.selections.append(QdaSelection(guid, name, start, end, codes, notes,
                                              sel.get("creatingUser"), coders))


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
            source.other_codings = sum(
                1 for child in element.iter() if _local(child.tag) == "Coding")
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
    for element in members:
        project.sets.append(QdaSet(
            (element.get("guid") or "").strip(), (element.get("name") or "").strip(),
            [r.get("targetGUID", "").strip() for r in _kids(element, "MemberSource")],
            [r.get("targetGUID", "").strip() for r in _kids(element, "MemberCode")]))


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
            what = "networks (graphs)" if name == "Graphs" else "links between items"
            project.dropped.append(f"{len(element)} {what}: build-site has no equivalent")
    return project
