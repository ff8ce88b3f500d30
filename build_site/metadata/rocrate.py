"""The RO-Crate metadata file (``ro-crate-metadata.json``) of the supplement zip, following
RO-Crate 1.1 (w3id.org/ro/crate/1.1): a flat JSON-LD ``@graph`` with the metadata descriptor
(``conformsTo`` the specification, ``about`` the root), the root data entity ``./`` (a
``Dataset`` with name, description, datePublished, license and ``hasPart``), one data entity
per file at the zip's top level and per download (``File``, relative ``@id``), the site as a
``Dataset`` directory (``site/``), and contextual entities for the team (``Person``, their
ORCID URL as ``@id`` where given), their affiliations, the licence and the article.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from build_site.metadata.deposit import article_doi, description, doi, publisher, title
from build_site.metadata.people import authors
from build_site.metadata.webmeta import release_date
from build_site.render.downloads import license_spdx
from build_site.study import Study

METADATA_FILE = "ro-crate-metadata.json"
CONTEXT = "https://w3id.org/ro/crate/1.1/context"
SPEC = "https://w3id.org/ro/crate/1.1"
_FORMATS = {".csv": "text/csv", ".json": "application/json", ".txt": "text/plain",
            ".cff": "application/x-yaml", ".qdc": "application/xml", ".bib": "application/x-bibtex",
            ".ris": "application/x-research-info-systems"}


def rocrate(study: Study, root: Path) -> dict[str, Any]:
    """The RO-Crate of the folder ``root`` (the supplement as it will be zipped).

    Returns:
        The JSON-LD document (``@context`` and ``@graph``).
    """
    meta = study.meta
    files = sorted(p.relative_to(root).as_posix() for p in root.iterdir() if p.is_file())
    downloads = sorted(p.relative_to(root).as_posix()
                       for p in (root / "site" / "data").glob("*") if p.suffix in (".csv", ".json"))
    parts = [*files, *(["site/"] if (root / "site").is_dir() else []), *downloads]
    people = authors(meta.team)
    graph: list[dict[str, Any]] = [
        {"@id": METADATA_FILE, "@type": "CreativeWork", "conformsTo": {"@id": SPEC},
         "about": {"@id": "./"}},
        _root(study, parts, people),
    ]
    graph += [_file(path) for path in [*files, *downloads]]
    if (root / "site").is_dir():
        graph.append({"@id": "site/", "@type": "Dataset", "name": "The study's website",
                      "description": "Open site/index.html in a web browser; it works from disk."})
    graph += _contextual(study, people)
    return {"@context": CONTEXT, "@graph": graph}


def _root(study: Study, parts: list[str], people: list[Any]) -> dict[str, Any]:
    meta = study.meta
    entity: dict[str, Any] = {
        "@id": "./", "@type": "Dataset", "name": title(meta), "description": description(meta),
        "datePublished": release_date(study) or date(1980, 1, 1).isoformat(),
        "hasPart": [{"@id": p} for p in parts],
        "publisher": {"@id": "#publisher"},
    }
    spdx = license_spdx(meta.license)
    entity["license"] = ({"@id": f"https://spdx.org/licenses/{spdx}"} if spdx
                         else {"@id": "#license"})
    if people:
        entity["author"] = [{"@id": _person_id(a, i)} for i, a in enumerate(people)]
    if meta.keywords:
        entity["keywords"] = ", ".join(meta.keywords)
    if meta.version:
        entity["version"] = meta.version
    if doi(meta):
        entity["identifier"] = f"https://doi.org/{doi(meta)}"
    if article_doi(meta):
        entity["isPartOf"] = {"@id": f"https://doi.org/{article_doi(meta)}"}
    return entity


def _person_id(author: Any, index: int) -> str:
    return str(author.orcid) if author.orcid else f"#author-{index + 1}"


def _file(path: str) -> dict[str, Any]:
    entity: dict[str, Any] = {"@id": path, "@type": "File", "name": path.rsplit("/", 1)[-1]}
    fmt = _FORMATS.get(Path(path).suffix)
    if fmt:
        entity["encodingFormat"] = fmt
    return entity


def _contextual(study: Study, people: list[Any]) -> list[dict[str, Any]]:
    meta = study.meta
    out: list[dict[str, Any]] = [
        {"@id": "#publisher", "@type": "Organization", "name": publisher(meta)}]
    orgs: dict[str, str] = {}
    for i, author in enumerate(people):
        entity: dict[str, Any] = {"@id": _person_id(author, i), "@type": "Person",
                                  "name": author.name, "familyName": author.family}
        if author.given:
            entity["givenName"] = author.given
        if author.affiliation:
            org = orgs.setdefault(author.affiliation, f"#organization-{len(orgs) + 1}")
            entity["affiliation"] = {"@id": org}
        out.append(entity)
    out += [{"@id": org, "@type": "Organization", "name": name} for name, org in orgs.items()]
    spdx = license_spdx(meta.license)
    if spdx:
        out.append({"@id": f"https://spdx.org/licenses/{spdx}", "@type": "CreativeWork",
                    "name": meta.license, "identifier": spdx})
    else:
        out.append({"@id": "#license", "@type": "CreativeWork",
                    "name": meta.license or "No licence stated"})
    if article_doi(meta):
        out.append({"@id": f"https://doi.org/{article_doi(meta)}", "@type": "ScholarlyArticle",
                    "name": meta.article.text if meta.article else ""})
    return out


def rocrate_json(study: Study, root: Path) -> str:
    """:func:`rocrate` as stable, pretty JSON."""
    return json.dumps(rocrate(study, root), indent=2, ensure_ascii=False) + "\n"
