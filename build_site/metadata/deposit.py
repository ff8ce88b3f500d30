"""Deposit metadata from ``study.yml``: Zenodo's ``.zenodo.json`` (the fields of Zenodo's
deposit API, developers.zenodo.org "Deposit metadata") and DataCite Metadata Schema 4.4
properties as JSON (schema.datacite.org/meta/kernel-4.4).

Creators carry their affiliation and their ORCID iD in URL form; descriptions are plain text
(the team writes Markdown); DataCite's publisher is the one ``study.yml`` names (``publisher``,
else the first affiliation, else the team itself: never this tool); the article's DOI, when
given, is related as ``IsSupplementTo``. A demonstration study's title and description say it
is fictional, and it gets no DOI.
"""

from __future__ import annotations

from typing import Any

from build_site.metadata.demonstration import fictional, fictional_description
from build_site.metadata.people import Author, authors
from build_site.metadata.plaintext import plain_text
from build_site.metadata.webmeta import release_date
from build_site.render.downloads import license_spdx
from build_site.study import Study, StudyMeta


def title(meta: StudyMeta) -> str:
    """The title deposits carry (marked fictional for a demonstration)."""
    return fictional(meta.title) if meta.demonstration else meta.title


def description(meta: StudyMeta) -> str:
    """The overview as plain text (marked fictional for a demonstration)."""
    text = plain_text(meta.overview) or meta.title
    return fictional_description(text) if meta.demonstration else text


def publisher(meta: StudyMeta) -> str:
    """``publisher`` from ``study.yml``, else the first affiliation, else the first author."""
    firsts = [p.affiliation for p in meta.team if p.affiliation]
    return meta.publisher or (firsts[0] if firsts else "") or (
        meta.team[0].name if meta.team else meta.title)


def doi(meta: StudyMeta) -> str | None:
    """The study's DOI, never for a demonstration."""
    return None if meta.demonstration or not meta.citation else meta.citation.doi


def article_doi(meta: StudyMeta) -> str | None:
    """The DOI of the article this site supplements, never for a demonstration."""
    return None if meta.demonstration or not meta.article else meta.article.doi


def zenodo_metadata(study: Study) -> dict[str, Any]:
    """Zenodo deposit metadata (``.zenodo.json``) from ``study.yml``."""
    meta = study.meta
    data: dict[str, Any] = {
        "title": title(meta),
        "upload_type": "dataset",
        "description": description(meta),
        "creators": [_zenodo_creator(a) for a in authors(meta.team)] or [{"name": meta.title}],
        "access_right": "open",
    }
    spdx = license_spdx(meta.license)
    if spdx:
        data["license"] = spdx.lower()
    if meta.keywords:
        data["keywords"] = meta.keywords
    if meta.version:
        data["version"] = meta.version
    if release_date(study):
        data["publication_date"] = release_date(study)
    if doi(meta):
        data["doi"] = doi(meta)
    related = []
    if article_doi(meta):
        related.append({"relation": "isSupplementTo", "identifier": article_doi(meta),
                        "scheme": "doi"})
    if meta.based_on:
        related.append({"relation": "isDerivedFrom",
                        "identifier": meta.based_on.url or meta.based_on.text})
    if related:
        data["related_identifiers"] = related
    if meta.demonstration:
        data["notes"] = "Fictional demonstration data; not research data about real people."
    return data


def _zenodo_creator(author: Author) -> dict[str, str]:
    out = {"name": author.family_first}
    if author.affiliation:
        out["affiliation"] = author.affiliation
    if author.orcid:
        out["orcid"] = author.orcid.rsplit("/", 1)[1]  # Zenodo takes the bare iD
    return out


def datacite_metadata(study: Study) -> dict[str, Any]:
    """DataCite Metadata Schema 4.4 mandatory and recommended properties, as JSON."""
    meta = study.meta
    year = release_date(study)[:4] or "1980"
    data: dict[str, Any] = {
        "types": {"resourceTypeGeneral": "Dataset", "resourceType": "Qualitative study site"},
        "creators": [_datacite_creator(a) for a in authors(meta.team)]
        or [{"name": meta.title}],
        "titles": [{"title": title(meta)}],
        "publisher": publisher(meta),
        "publicationYear": year,
        "descriptions": [{"description": description(meta), "descriptionType": "Abstract"}],
        "subjects": [{"subject": k} for k in meta.keywords],
        "schemaVersion": "http://datacite.org/schema/kernel-4",
    }
    if doi(meta):
        data["identifiers"] = [{"identifier": doi(meta), "identifierType": "DOI"}]
    if article_doi(meta):
        data["relatedIdentifiers"] = [{"relatedIdentifier": article_doi(meta),
                                       "relatedIdentifierType": "DOI",
                                       "relationType": "IsSupplementTo"}]
    spdx = license_spdx(meta.license)
    if spdx:
        data["rightsList"] = [{"rights": meta.license, "rightsIdentifier": spdx,
                               "rightsIdentifierScheme": "SPDX"}]
    if meta.version:
        data["version"] = meta.version
    return data


def _datacite_creator(author: Author) -> dict[str, Any]:
    out: dict[str, Any] = {"name": author.family_first, "nameType": "Personal",
                           "familyName": author.family}
    if author.given:
        out["givenName"] = author.given
    if author.orcid:
        out["nameIdentifiers"] = [{"nameIdentifier": author.orcid,
                                   "nameIdentifierScheme": "ORCID",
                                   "schemeUri": "https://orcid.org"}]
    if author.affiliation:
        out["affiliation"] = [{"name": author.affiliation}]
    return out
