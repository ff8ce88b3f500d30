"""What the home page's ``<head>`` tells machines: schema.org ``Dataset`` JSON-LD and the
``citation_*`` tags Google Scholar reads (Highwire Press tags, "Inclusion guidelines for
webmasters", scholar.google.com/intl/en/scholar/inclusion.html).

JSON-LD inside a ``<script>`` element ends at the first ``</script``, whatever JSON says, so
``<``, ``>`` and ``&`` are written as ``\\u003c``, ``\\u003e`` and ``\\u0026`` (the escaping
the HTML standard's "restrictions for contents of script elements" leaves to the author).
A demonstration study gets no ``citation_*`` tags (a scholar index must not list fictional data)
and its JSON-LD says "fictional" in name and description.
"""

from __future__ import annotations

import html
import json
from typing import Any

from build_site.metadata.demonstration import fictional, fictional_description
from build_site.metadata.people import authors
from build_site.metadata.plaintext import plain_text
from build_site.render.downloads import license_spdx
from build_site.study import Study


def release_date(study: Study) -> str:
    """The date of release (``date_released``, else the sign-off's date), or ""."""
    meta = study.meta
    return meta.date_released or (meta.sign_off.date if meta.sign_off else "")


def dataset_jsonld(study: Study) -> dict[str, Any]:
    """A schema.org ``Dataset`` describing the study (name, description, creators with ORCID
    and affiliation, keywords, licence, version, publisher, dates, DOI, the article it
    supplements and the study it follows)."""
    meta = study.meta
    demo = meta.demonstration
    description = plain_text(meta.overview) or meta.title
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": fictional(meta.title) if demo else meta.title,
        "description": fictional_description(description) if demo else description,
        "creator": [_person(a) for a in authors(meta.team)],
    }
    if meta.keywords:
        data["keywords"] = meta.keywords
    spdx = license_spdx(meta.license)
    if spdx:
        data["license"] = f"https://spdx.org/licenses/{spdx}.html"
    if meta.version:
        data["version"] = meta.version
    if release_date(study):
        data["datePublished"] = release_date(study)
    if meta.publisher:
        data["publisher"] = {"@type": "Organization", "name": meta.publisher}
    if meta.citation and meta.citation.doi and not demo:
        data["identifier"] = f"https://doi.org/{meta.citation.doi}"
    if meta.citation and meta.citation.url:
        data["url"] = meta.citation.url
    if meta.article and meta.article.doi and not demo:
        data["isPartOf"] = {"@type": "ScholarlyArticle",
                            "@id": f"https://doi.org/{meta.article.doi}"}
    if meta.based_on:
        data["isBasedOn"] = {"@type": "CreativeWork", "name": plain_text(meta.based_on.text),
                             **({"url": meta.based_on.url} if meta.based_on.url else {})}
    if demo:
        data["isAccessibleForFree"] = True
        data["creativeWorkStatus"] = "fictional demonstration data"
    return data


def _person(author: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"@type": "Person", "name": author.name,
                           "familyName": author.family}
    if author.given:
        out["givenName"] = author.given
    if author.orcid:
        out["@id"] = author.orcid
        out["identifier"] = author.orcid
    if author.affiliation:
        out["affiliation"] = {"@type": "Organization", "name": author.affiliation}
    return out


def script_json(data: Any) -> str:
    """``data`` as JSON safe inside a ``<script>`` element (no ``<``, ``>`` or ``&``)."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def citation_tags(study: Study) -> list[tuple[str, str]]:
    """The ``citation_*`` (name, content) pairs of a real study; none for a demonstration."""
    meta = study.meta
    if meta.demonstration:
        return []
    tags = [("citation_title", meta.title)]
    for author in authors(meta.team):
        tags.append(("citation_author", author.family_first))
        if author.affiliation:
            tags.append(("citation_author_institution", author.affiliation))
        if author.orcid:
            tags.append(("citation_author_orcid", author.orcid))
    if release_date(study):
        tags.append(("citation_publication_date", release_date(study).replace("-", "/")))
    if meta.publisher:
        tags.append(("citation_publisher", meta.publisher))
    if meta.citation and meta.citation.doi:
        tags.append(("citation_doi", meta.citation.doi))
    if meta.keywords:
        tags.append(("citation_keywords", "; ".join(meta.keywords)))
    if meta.overview:
        tags.append(("citation_abstract", plain_text(meta.overview)))
    return tags


def home_head(study: Study) -> str:
    """The HTML the home page adds to its ``<head>``: the JSON-LD script, then the
    ``citation_*`` meta tags (attribute values HTML-escaped)."""
    parts = ['<script type="application/ld+json">' + script_json(dataset_jsonld(study))
             + "</script>"]
    parts += [f'<meta name="{name}" content="{html.escape(value, quote=True)}">'
              for name, value in citation_tags(study)]
    return "\n".join(parts)
