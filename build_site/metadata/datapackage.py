"""A Frictionless Data Package (``data/datapackage.json``) describing the CSV downloads, so
tools such as frictionless-py, R's ``frictionless`` or Open Knowledge's validators read them
with their types (Tabular Data Package, datapackage.org "Data Package" v1 with the
``tabular-data-package`` profile).

Each CSV is one resource: its name, path, UTF-8 encoding (the files open with a byte order
mark, which the readers skip), and a Table Schema whose field types are read from the values
(``integer`` when every non-empty value is a whole number, else ``string``). A demonstration
study's title and description say the data are fictional.
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

from build_site.metadata.deposit import description, title
from build_site.metadata.people import authors
from build_site.render.downloads import license_spdx
from build_site.study import Study

DATAPACKAGE = "datapackage.json"
_INTEGER = re.compile(r"^-?\d+$")


def table_schema(data: bytes) -> dict[str, Any]:
    """A Table Schema for one CSV download (its header and the types of its values)."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    fields = []
    for i, name in enumerate(header):
        values = [row[i] for row in body if i < len(row) and row[i] != ""]
        kind = "integer" if values and all(_INTEGER.match(v) for v in values) else "string"
        fields.append({"name": name, "type": kind})
    return {"fields": fields, "missingValues": [""]}


def datapackage(study: Study, files: dict[str, bytes]) -> dict[str, Any]:
    """The data package of the CSV files among ``files`` (name -> bytes, in ``data/``)."""
    meta = study.meta
    package: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": re.sub(r"[^a-z0-9._-]+", "-", meta.title.lower()).strip("-") or "study",
        "title": title(meta),
        "description": description(meta),
        "resources": [{
            "name": name.removesuffix(".csv").lower(),
            "path": name,
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": table_schema(data),
        } for name, data in sorted(files.items()) if name.endswith(".csv")],
    }
    if meta.team:
        package["contributors"] = [{"title": a.name, "role": "author",
                                    **({"path": a.orcid} if a.orcid else {}),
                                    **({"organization": a.affiliation} if a.affiliation else {})}
                                   for a in authors(meta.team)]
    spdx = license_spdx(meta.license)
    if spdx:
        package["licenses"] = [{"name": spdx, "path": f"https://spdx.org/licenses/{spdx}.html"}]
    if meta.keywords:
        package["keywords"] = meta.keywords
    if meta.version:
        package["version"] = meta.version
    return package


def datapackage_json(study: Study, files: dict[str, bytes]) -> bytes:
    """:func:`datapackage` as stable, pretty JSON."""
    return (json.dumps(datapackage(study, files), indent=2, sort_keys=True, ensure_ascii=False)
            + "\n").encode()
