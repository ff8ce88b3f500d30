"""A demonstration study (``demonstration: true`` in ``study.yml``) never passes for real.

Its metadata carries no DOI, no ORCID iD but ORCID's documented test iD, and addresses only in
the domains reserved for examples (RFC 2606 section 3 and RFC 6761: ``example.com``,
``example.net``, ``example.org`` and anything under ``.example``, ``.test``, ``.invalid``,
``.localhost``), the host read as a browser reads it (:mod:`build_site.metadata.addresses`).
DOIs and iDs are looked for inside the text as well as in the ``doi`` and ``orcid`` fields, in
every field that says who made the study and how to cite it (:func:`_identity_fields`: those
the home and cite pages, ``CITATION.cff``, ``citation.bib``/``.ris`` and the deposit files
carry as the study's own identity). :func:`demonstration_problems` refuses anything else with
its file and line; :func:`fictional` marks titles and descriptions, and :data:`NOTICE` is the
banner on every page. A published reference the design follows (``based_on``) is real and
stays as written, and so may prose that cites a real source (the overview, methods and data
availability of a demonstration made from openly licensed real transcripts name them).
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

from build_site.errors import Problem
from build_site.metadata.addresses import web_address_problem, web_host
from build_site.metadata.orcid import TEST_ORCID, bare, check_digit
from build_site.study import StudyMeta
from build_site.yamlsource import line_at

RESERVED_DOMAINS = ("example.com", "example.net", "example.org")
RESERVED_TLDS = ("example", "test", "invalid", "localhost")
# A DOI in running text: "10.", a registrant code of 4 to 9 digits (Crossref's advice for
# matching DOIs in text; every registered prefix has at least 4), "/", a suffix.
_DOI_IN_TEXT = re.compile(r"(?<![\d.])10\.\d{4,9}(?:\.\d+)*/\S+")
# An ORCID iD in running text: four groups of four, hyphenated, spaced or run together.
_ORCID_IN_TEXT = re.compile(r"(?<![\dA-Za-z])(\d{4})([- ]?)(\d{4})\2(\d{4})\2(\d{3}[\dXx])"
                            r"(?![\dA-Za-z])")
FICTIONAL = "fictional demonstration data"
# Worded for every kind of demonstration: invented cases, or real recordings of simulated
# consultations (the patients are roles); either way no finding is about real patients.
NOTICE = ("Fictional demonstration study: not research about real patients; do not cite it "
          "as such.")


def reserved_domain(url: str) -> bool:
    """Whether ``url`` is an ``http(s)`` address whose host, as a browser reads it, is a
    domain reserved for examples (RFC 2606, RFC 6761); False for any address
    :func:`~build_site.metadata.addresses.web_address_problem` refuses (a backslash or a
    ``name@`` would send the browser elsewhere)."""
    if web_address_problem(url):
        return False
    host = web_host(url)
    return (host in RESERVED_DOMAINS or host.endswith(tuple(f".{d}" for d in RESERVED_DOMAINS))
            or host.rsplit(".", 1)[-1] in RESERVED_TLDS)


def fictional(text: str) -> str:
    """``text`` (a title) marked as fictional."""
    return f"{text} ({FICTIONAL})"


def fictional_description(text: str) -> str:
    """``text`` (a description) opened by a sentence saying the data are fictional."""
    opening = ("Fictional demonstration data, made to show how such a study is published: "
               "not research data about real patients.")
    return f"{opening}\n\n{text}".strip()


def demonstration_problems(meta: StudyMeta, path: str, data: Any) -> list[Problem]:
    """What a demonstration study may not carry: a DOI, a real ORCID iD, an address outside
    the reserved example domains (its own citation and article; ``based_on`` is exempt).

    Args:
        meta: the typed ``study.yml``; path, data: its file and raw data (for lines).

    Returns:
        One problem per offending value, with its line; none when ``meta`` is not a
        demonstration.
    """
    if not meta.demonstration:
        return []
    problems = []
    for i, person in enumerate(meta.team):
        if person.orcid and bare(person.orcid) != TEST_ORCID:
            problems.append(Problem(
                path, line_at(data, ("team", i, "orcid")),
                f"team: {person.name}'s ORCID iD {person.orcid} is a real person's iD, and this "
                "is a demonstration study (fictional data)",
                f"use ORCID's documented test iD {TEST_ORCID}, or leave orcid out"))
    problems += [Problem(path, line_at(data, where), message, hint)
                 for where, value in _identity_fields(meta)
                 for message, hint in _identifiers_in(".".join(map(str, where)), value)]
    for key in ("citation", "article"):
        ref = getattr(meta, key)
        if ref is None:
            continue
        if ref.doi:
            problems.append(Problem(
                path, line_at(data, (key, "doi")),
                f"{key}.doi: a demonstration study (fictional data) has no DOI",
                "remove the DOI, or set demonstration: false if the data are real"))
        if ref.url and not reserved_domain(ref.url):
            problems.append(Problem(
                path, line_at(data, (key, "url")),
                f"{key}.url: {ref.url} is a real address, and this is a demonstration study",
                "use a domain reserved for examples (example.org, example.com, or a name "
                "ending in .example or .test)"))
    return problems



def _identity_fields(meta: StudyMeta) -> Iterator[tuple[tuple[Any, ...], str]]:
    """(path in ``study.yml``, value) of every field that names the study, its makers or how
    to cite it: title, subtitle, publisher, license, version, keywords, each team member's
    name, role, background and affiliation, and the text and address of ``citation`` and
    ``article`` (the ``doi`` and ``orcid`` fields have checks of their own)."""
    for key in ("title", "subtitle", "publisher", "license", "version"):
        yield (key,), getattr(meta, key)
    for i, word in enumerate(meta.keywords):
        yield ("keywords", i), word
    for i, person in enumerate(meta.team):
        for key in ("name", "role", "background", "affiliation"):
            yield ("team", i, key), getattr(person, key)
    for key in ("citation", "article"):
        ref = getattr(meta, key)
        if ref is not None:
            yield (key, "text"), ref.text
            if ref.url:
                yield (key, "url"), ref.url


def _as_read(text: str) -> str:
    """``text`` as a reader sees it: percent-escapes and HTML character references decoded,
    Markdown backslash escapes and invisible format characters (zero-width space...)
    removed, compatibility forms (full-width digits) and every kind of dash made plain."""
    text = html.unescape(unquote(text))
    text = "".join(c for c in unicodedata.normalize("NFKC", text)
                   if unicodedata.category(c) != "Cf")
    text = "".join("-" if unicodedata.category(c) == "Pd" else c for c in text)
    return re.sub(r"\\(?=[^\w\s])", "", text)


def _identifiers_in(where: str, value: str) -> Iterator[tuple[str, str]]:
    """(message, hint) for each DOI and each ORCID iD but the test iD inside ``value``.

    An iD run together or spaced counts only when its check digit is right (a 16-digit
    number is otherwise too common); a hyphenated one always counts.
    """
    text = _as_read(value)
    for match in _DOI_IN_TEXT.finditer(text):
        yield (f"{where}: '{match.group(0)}' is a DOI, and this is a demonstration study "
               "(fictional data): it would pass for a real publication",
               "remove it; a real work the design follows goes in based_on")
    for match in _ORCID_IN_TEXT.finditer(text):
        digits = "".join(match.group(1, 3, 4, 5)).upper()
        orcid = "-".join((digits[:4], digits[4:8], digits[8:12], digits[12:]))
        counts = match.group(2) == "-" or check_digit(digits[:15]) == digits[15]
        if orcid != TEST_ORCID and counts:
            yield (f"{where}: '{match.group(0)}' is an ORCID iD, and this is a demonstration "
                   "study (fictional data): it would name a real person",
                   f"remove it; a demonstration's team may use ORCID's test iD {TEST_ORCID}")
