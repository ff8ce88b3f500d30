"""A demonstration study (``demonstration: true`` in ``study.yml``) never passes for real.

Its metadata carries no DOI, no ORCID iD but ORCID's documented test iD, and addresses only in
the domains reserved for examples (RFC 2606 section 3 and RFC 6761: ``example.com``,
``example.net``, ``example.org`` and anything under ``.example``, ``.test``, ``.invalid``,
``.localhost``). :func:`demonstration_problems` refuses anything else with its file and line;
:func:`fictional` marks titles and descriptions, and :data:`NOTICE` is the banner on every
page. A published reference the design follows (``based_on``) is real and stays as written.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from build_site.errors import Problem
from build_site.metadata.orcid import TEST_ORCID, bare
from build_site.study import StudyMeta
from build_site.yamlsource import line_at

RESERVED_DOMAINS = ("example.com", "example.net", "example.org")
RESERVED_TLDS = ("example", "test", "invalid", "localhost")
FICTIONAL = "fictional demonstration data"
# Worded for every kind of demonstration: invented cases, or real recordings of simulated
# consultations (the patients are roles); either way no finding is about real patients.
NOTICE = ("Fictional demonstration study: not research about real patients; do not cite it "
          "as such.")


def reserved_domain(url: str) -> bool:
    """Whether ``url``'s host is a domain reserved for examples (RFC 2606, RFC 6761)."""
    host = (urlsplit(url.strip()).hostname or "").lower().rstrip(".")
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

