"""Downloadable files generated with the site: CSV and JSON of the matrices and the excerpt
table, the codebook as CSV and as a REFI-QDA codebook (``.qdc``), and ``CITATION.cff``.

CSV cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``,
tab or carriage return) are prefixed with an apostrophe (OWASP's CSV-injection advice).
The ``.qdc`` follows the REFI-QDA Codebook exchange format (namespace
``urn:QDA-XML:codebook:1.0``), with GUIDs derived from code ids so every export is identical.
"""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
import xml.etree.ElementTree as ET
from typing import Any

import yaml

from build_site.analyse import Analysis
from build_site.analyse.matrices import ClinicianRow, MatrixRow
from build_site.consent.archive import LeftOut
from build_site.metadata.demonstration import fictional, fictional_description
from build_site.metadata.people import authors
from build_site.metadata.plaintext import plain_text
from build_site.study import Study

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NAMESPACE = uuid.UUID("6f1c2f4e-3a7b-4c55-9d0e-b5d1a6c0e2f1")
QDC_NS = "urn:QDA-XML:codebook:1.0"


def safe_cell(value: object) -> str:
    """A CSV cell that no spreadsheet will evaluate as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


Mark = tuple[str, str] | None
"""A demonstration study's mark on its downloads (column or key, value:
:data:`build_site.metadata.fictional_downloads.MARK`), or ``None``."""


def to_csv(header: list[str], rows: list[list[Any]], mark: Mark = None) -> bytes:
    """CSV (UTF-8 with BOM, so spreadsheets detect the encoding; CRLF as RFC 4180 says).
    ``mark``: a last column of that name holding that value on every row (written here,
    not by reading the CSV back and writing it again: the same bytes, issue 25)."""
    if mark is not None:
        header = [*header, mark[0]]
        rows = [[*row, mark[1]] for row in rows]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    writer.writerows([[safe_cell(v) for v in row] for row in rows])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_json(data: Any, mark: Mark = None) -> bytes:
    """Stable JSON (sorted keys, UTF-8, trailing newline), one record a line: a list of
    mappings, at the top or as a value of the top mapping, has each mapping on a line of its
    own, written without indentation or spaces after separators; each key of the top mapping
    starts a line. The same data as the indented JSON it replaces (issue 25: a third of the
    matrix and excerpt files was indentation), and a changed record is still one changed line
    in a diff. ``mark``: that key and value on every mapping of a list at the top, or on the
    mapping at the top."""
    if mark is not None:
        key, value = mark
        if isinstance(data, list):
            data = [{**v, key: value} if isinstance(v, dict) else v for v in data]
        elif isinstance(data, dict):
            data = {**data, key: value}
    return (_record_lines(data, top=True) + "\n").encode()


def _record_lines(value: Any, top: bool = False) -> str:
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return "[\n" + ",\n".join(_compact_json(v) for v in value) + "\n]"
    if top and isinstance(value, dict) and value:
        return "{\n" + ",\n".join(_compact_json(k) + ":" + _record_lines(value[k])
                                   for k in sorted(value)) + "\n}"
    return _compact_json(value)


def _compact_json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=False)


def matrix_files(analysis: Analysis, counts: bool, leave_out: LeftOut | None = None,
                 mark: Mark = None) -> dict[str, bytes]:
    """``meta-matrix.csv/json`` and ``clinician-matrix.csv/json``; when the study hides
    clinicians, only the meta-matrix, without clinician and interview-order columns.
    ``leave_out``: the dyads and clinicians whose participants did not agree to be archived
    (:mod:`build_site.consent.archive`): no row of theirs, and the clinician matrix counted
    without them. ``mark``: as :func:`to_csv` and :func:`to_json` write it."""
    matrix = analysis.matrix
    assert matrix is not None
    out = leave_out or LeftOut()
    kept = [r for r in matrix.rows if r.dyad.id not in out.dyads]
    ids = [c.node.id for c in matrix.columns]
    linked = ["clinician", "interview_order"] if matrix.linked else []
    rows = []
    records = []
    for row in kept:
        cells = [row.cells[i] for i in ids]
        values = [c.state if not counts else f"{c.state}:{c.count}" for c in cells]
        link_values = [row.dyad.clinician, row.dyad.interview.order] if matrix.linked else []
        rows.append([row.dyad.id, *link_values, *values])
        records.append({
            "dyad": row.dyad.id, **dict(zip(linked, link_values, strict=True)),
            "cells": {i: {"state": c.state, "summary": c.summary,
                          "excerpts": [q.excerpt.id for q in c.supporting + c.disconfirming],
                          **({"count": c.count} if counts else {})}
                      for i, c in zip(ids, cells, strict=True)},
        })
    meta = {
        "meta-matrix.csv": to_csv(["dyad", *linked, *ids], rows, mark),
        "meta-matrix.json": to_json({"columns": ids, "rows": records}, mark),
    }
    if not matrix.linked:
        return meta
    recounted = [_recount(r.clinician, [k for k in kept if k.dyad.clinician == r.clinician], ids)
                 for r in matrix.clinician_rows if r.clinician not in out.clinicians]
    clinician_rows = [[r.clinician, r.dyads, *(r.cells[i] for i in ids)] for r in recounted]
    return {
        **meta,
        "clinician-matrix.csv": to_csv(["clinician", "dyads", *ids], clinician_rows, mark),
        "clinician-matrix.json": to_json([
            {"clinician": r.clinician, "dyads": r.dyads, "dyads_with_evidence": r.cells}
            for r in recounted], mark),
    }


def _recount(clinician: str, mine: list[MatrixRow], ids: list[str]) -> ClinicianRow:
    """A clinician's row of the clinician matrix counted from the meta-matrix rows ``mine``
    (as :func:`build_site.analyse.matrices.meta_matrix` counts it)."""
    return ClinicianRow(clinician, len(mine), {
        i: sum(r.cells[i].state in ("supporting", "both") for r in mine) for i in ids})


def excerpt_files(rows: list[dict[str, Any]], mark: Mark = None) -> dict[str, bytes]:
    """``excerpts.csv/json`` from the excerpt browser's rows (``mark``: as :func:`to_csv`
    and :func:`to_json` write it)."""
    header = ["id", "dyad", "clinician", "speaker", "codes", "components", "flags", "text"]
    table = [[r["id"], r["dyad"] or "", r["clinician"], r["speaker_label"],
              ";".join(r["codes"]), ";".join(r["components"]), ";".join(r["flags"]), r["text"]]
             for r in rows]
    records = [{k: r[k] for k in ("id", "dyad", "clinician", "speaker", "codes", "components",
                                  "flags", "text")} for r in rows]
    return {"excerpts.csv": to_csv(header, table, mark),
            "excerpts.json": to_json(records, mark)}


def code_guid(code_id: str) -> str:
    """A stable GUID for a code (UUID 5 of its id)."""
    return str(uuid.uuid5(_NAMESPACE, code_id))


def codebook_qdc(study: Study) -> bytes:
    """The codebook as a REFI-QDA ``.qdc`` document (hierarchy, descriptions, colours)."""
    ET.register_namespace("", QDC_NS)
    root = ET.Element(f"{{{QDC_NS}}}CodeBook", {"origin": "build-site"})
    codes_el = ET.SubElement(root, f"{{{QDC_NS}}}Codes")
    children: dict[str | None, list[Any]] = {}
    for code in study.codebook.codes:
        children.setdefault(code.parent, []).append(code)

    def add(parent: ET.Element, code: Any) -> None:
        attrs = {"guid": code_guid(code.id), "name": code.label, "isCodable": "true"}
        if code.colour:
            attrs["color"] = code.colour
        element = ET.SubElement(parent, f"{{{QDC_NS}}}Code", attrs)
        description = code.definition
        if code.targets:
            description = f"{description} [evidences: {', '.join(code.targets)}]".strip()
        if description:
            ET.SubElement(element, f"{{{QDC_NS}}}Description").text = description
        for child in children.get(code.id, []):
            add(element, child)

    for code in children.get(None, []):
        add(codes_el, code)
    ET.indent(root)
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data + b"\n"


def codebook_csv(study: Study, counts: dict[str, int] | None, mark: Mark = None) -> bytes:
    """The codebook as CSV: id, label, parent, component, definition (and frequency);
    ``mark`` as :func:`to_csv` writes it."""
    header = ["id", "label", "parent", "component", "definition"]
    if counts is not None:
        header.append("excerpts")
    rows = []
    for code in study.codebook.codes:
        row: list[Any] = [code.id, code.label, code.parent or "", "; ".join(code.targets),
                          code.definition]
        if counts is not None:
            row.append(counts.get(code.id, 0))
        rows.append(row)
    return to_csv(header, rows, mark)


_CC = re.compile(r"^CC[ -]BY(?:[ -](SA|NC|ND|NC-SA|NC-ND))?[ -](\d\.\d)\b", re.I)


def license_spdx(text: str) -> str | None:
    """The SPDX identifier of a licence written as e.g. ``CC BY 4.0`` (None if unknown)."""
    match = _CC.match(text.strip())
    if match:
        variant = f"-{match.group(1).upper()}" if match.group(1) else ""
        return f"CC-BY{variant}-{match.group(2)}"
    simple = text.strip().split(" ")[0]
    return simple if simple in {"CC0-1.0", "MIT", "Apache-2.0", "ODbL-1.0"} else None


def citation_cff(study: Study) -> bytes:
    """``CITATION.cff`` (Citation File Format 1.2.0) from ``study.yml``: authors with
    affiliation and ORCID iD (URL form, as the format's schema requires), the abstract as
    plain text; a demonstration study's title and abstract say it is fictional, and it has
    no DOI."""
    meta = study.meta
    demo = meta.demonstration
    entries = []
    for author in authors(meta.team or []):
        entry: dict[str, str] = {"family-names": author.family}
        if author.given:
            entry["given-names"] = author.given
        if author.affiliation:
            entry["affiliation"] = author.affiliation
        if author.orcid:
            entry["orcid"] = author.orcid
        entries.append(entry)
    data: dict[str, Any] = {
        "cff-version": "1.2.0",
        "message": "If you use this material, please cite it as below.",
        "type": "dataset",
        "title": fictional(meta.title) if demo else meta.title,
        "authors": entries or [{"name": meta.title}],
    }
    if meta.overview:
        abstract = plain_text(meta.overview)
        data["abstract"] = fictional_description(abstract) if demo else abstract
    if meta.citation and meta.citation.doi and not demo:
        data["doi"] = meta.citation.doi
    if meta.citation and meta.citation.url:
        data["url"] = meta.citation.url
    spdx = license_spdx(meta.license)
    if spdx:
        data["license"] = spdx
    if meta.version:
        data["version"] = meta.version
    if meta.date_released:
        data["date-released"] = meta.date_released
    if meta.keywords:
        data["keywords"] = meta.keywords
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100).encode()
