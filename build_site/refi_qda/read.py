"""Read a REFI-QDA project archive (``.qdpx``) or codebook file (``.qdc``): find the project
XML, parse it (:mod:`build_site.refi_qda.qde`) and read the text of every source and note.

The vendor quirks survived here (see ``shared/data/refi-qda/README.md``):

- the XML is ``project.qde``, or ``<project name>.qde`` (ATLAS.ti), at the archive root;
- source paths are ``internal://name`` (standard), ``internal:/name`` (one slash) or a bare
  ``name`` (the ``qualitative-coding`` tool), looked up in ``sources/`` ignoring case
  (``Sources/`` too); ``relative://`` and ``absolute://`` files are outside the archive and
  never read;
- a source whose plain text is empty but which has a ``.docx`` rich text (NVivo for Mac) is
  read from the ``.docx`` with python-docx;
- a source file may start with a UTF-8 byte-order mark, which is not text: positions count
  from after it.

The archive is read through :class:`~build_site.refi_qda.safe_zip.SafeArchive` (caps, safe paths).
"""

from __future__ import annotations

import codecs
import io
import re
from pathlib import Path

from build_site.errors import Problem, StudyError
from build_site.refi_qda import safe_zip
from build_site.refi_qda.qde import QdaProject, parse_project, parse_xml
from build_site.refi_qda.safe_zip import Limits, SafeArchive, check_entry_name

_SCHEME = re.compile(r"^(internal|relative|absolute|file)\s*:/*(.*)$", re.IGNORECASE)


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


def locate(archive: SafeArchive, ref: str) -> tuple[str | None, list[str], str]:
    """Find the archive entry a source or note path names.

    Returns:
        The entry (None when not found), the quirks met on the way (for the report), and why
        it was not found ('' when it was).
    """
    candidates, note = archive_candidates(ref)
    quirks = [note] if note else []
    if not candidates:
        return None, [], note or "no path"
    for candidate in candidates:
        entry = archive.find(candidate)
        if entry is not None:
            if entry != candidate:
                quirks.append(f"folder or file name in another case ('{entry}')")
            return entry, quirks, ""
    return None, quirks, f"'{ref}' is not in the archive"


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
        label = source.name or source.guid
        quirks: list[str] = []
        missing: list[str] = []
        if source.text is None and source.plain_path:
            entry, met, why = locate(archive, source.plain_path)
            quirks += met
            if entry is not None:
                text, encoding = decode_source(archive.read(entry))
                source.text, source.text_from = text, entry
                quirks += [encoding] if encoding else []
            else:
                missing.append(why)
        if (source.text is None or not source.text.strip()) and source.rich_path.lower().endswith(
                ".docx"):
            entry, met, why = locate(archive, source.rich_path)
            quirks += met
            if entry is not None:
                source.text, source.text_from = docx_text(archive, entry), entry
                quirks.append("plain text empty: text read from the .docx"
                              + (f" ({len(source.selections)} selections placed on that text: "
                                 "check them)" if source.selections else ""))
            else:
                missing.append(why)
        project.findings += [f"source '{label}': {q}" for q in dict.fromkeys(quirks)]
        if not (source.text or "").strip():
            project.skipped += [f"source '{label}': {why}" for why in missing]
    for note in project.notes.values():
        if not note.text and note.path:
            entry, _, why = locate(archive, note.path)
            if entry is not None:
                note.text = decode_source(archive.read(entry))[0]
            else:
                project.skipped.append(f"note '{note.name or note.guid}': {why}")


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
