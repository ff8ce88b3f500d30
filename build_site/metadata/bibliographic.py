"""The study as a reference manager imports it: BibTeX (a ``@misc`` entry, as BibTeX's
standard styles know no dataset type) and RIS (type ``DATA``; the tags of the RIS
specification, Research Information Systems 2011 / Clarivate "RIS format").

A demonstration study's title and note say it is fictional, and it has no DOI.
"""

from __future__ import annotations

import re

from build_site.metadata.deposit import doi, publisher, title
from build_site.metadata.people import authors
from build_site.metadata.webmeta import release_date
from build_site.study import Study

_BIB_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%",
                "$": r"\$", "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}",
                "^": r"\textasciicircum{}"}
_LINE = re.compile(r"\s+")
FICTIONAL_NOTE = "Fictional demonstration data"


def bib_escape(text: str) -> str:
    """``text`` with BibTeX's special characters escaped, on one line."""
    return "".join(_BIB_SPECIAL.get(c, c) for c in _LINE.sub(" ", text).strip())


def cite_key(study: Study) -> str:
    """``FamilyYear`` of the first author (ASCII letters only), e.g. ``Sorensen2026``."""
    people = authors(study.meta.team)
    family = re.sub(r"[^A-Za-z]", "", people[0].family if people else study.meta.title)
    return f"{family or 'study'}{release_date(study)[:4]}"


def bibtex(study: Study) -> str:
    """The study as one BibTeX ``@misc`` entry."""
    meta = study.meta
    fields = [("title", "{" + bib_escape(title(meta)) + "}")]
    people = authors(meta.team)
    if people:
        fields.append(("author", " and ".join(bib_escape(a.family_first) for a in people)))
    if release_date(study):
        fields.append(("year", release_date(study)[:4]))
    fields.append(("publisher", bib_escape(publisher(meta))))
    if meta.version:
        fields.append(("version", bib_escape(meta.version)))
    if doi(meta):
        fields.append(("doi", bib_escape(str(doi(meta)))))
    if meta.citation and meta.citation.url:
        fields.append(("url", bib_escape(meta.citation.url)))
    if meta.keywords:
        fields.append(("keywords", bib_escape(", ".join(meta.keywords))))
    fields.append(("note", ("Dataset. " + FICTIONAL_NOTE) if meta.demonstration else "Dataset"))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{cite_key(study)},\n{body}\n}}\n"


def ris(study: Study) -> str:
    """The study as one RIS record (CRLF line ends, as the format asks)."""
    meta = study.meta
    lines = [("TY", "DATA"), ("TI", title(meta))]
    lines += [("AU", a.family_first) for a in authors(meta.team)]
    if release_date(study):
        lines.append(("PY", release_date(study)[:4]))
        lines.append(("DA", release_date(study).replace("-", "/")))
    lines.append(("PB", publisher(meta)))
    if meta.version:
        lines.append(("ET", meta.version))
    if doi(meta):
        lines.append(("DO", str(doi(meta))))
    if meta.citation and meta.citation.url:
        lines.append(("UR", meta.citation.url))
    lines += [("KW", k) for k in meta.keywords]
    if meta.demonstration:
        lines.append(("N1", FICTIONAL_NOTE))
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {_LINE.sub(' ', value).strip()}\r\n" for tag, value in lines)
