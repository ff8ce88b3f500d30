"""Web addresses and DOIs a study's metadata may carry, read as a browser and a resolver read them.

A ``url`` is published as a link (``<a href>`` on the home and cite pages) and in
``CITATION.cff``, ``citation.bib`` and ``citation.ris``, so only ``http`` and ``https`` are
allowed, and only in a form where this module and a browser agree on the host. The WHATWG URL
Standard (url.spec.whatwg.org, "URL parsing") reads a backslash as a slash in ``http(s)``
addresses, takes everything before an ``@`` in the authority as user name and password, and
drops tabs and newlines: ``https://doi.org\\@example.org/`` goes to ``doi.org``. Such forms are
refused outright, never interpreted.

A ``doi`` follows the DOI Handbook (section 2.2, "DOI name syntax"): ``10.``, a registrant code
of digits (optionally subdivided by dots), ``/``, and a suffix; written bare, with no spaces,
quotes or angle brackets (a resolver takes them percent-encoded, e.g. ``%3C``).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

DOI_PATTERN = r"^10\.\d+(?:\.\d+)*/[^\s\"'<>\x00-\x1f\x7f]+$"
WEB_PATTERN = r"^[Hh][Tt][Tt][Pp][Ss]?://[^\s\"'<>\\/?#@]+(?:[/?#][^\s\"'<>\\]*)?$"
_DOI = re.compile(DOI_PATTERN)
_SCHEME = re.compile(r"^https?://", re.IGNORECASE)
_BAD = re.compile(r"[\s\x00-\x1f\x7f\"'<>]")


def doi_problem(value: str) -> str | None:
    """What is wrong with ``value`` as a bare DOI (DOI Handbook 2.2), or None.

    Returns:
        None for a DOI such as ``10.1234/abcd``; otherwise a sentence saying what to write.
    """
    if _DOI.match(value):
        return None
    if re.match(r"^(?:doi:|https?://(?:dx\.)?doi\.org/)", value.strip(), re.IGNORECASE):
        return (f"'{value}': write the DOI bare, e.g. 10.1234/abcd, without 'doi:' or "
                "https://doi.org/ (the site adds the link)")
    return (f"'{value}' is not a DOI: a DOI is 10.<digits>/<suffix>, e.g. 10.1234/abcd, with no "
            "spaces, quotes or angle brackets (percent-encode them: %22, %3C, %3E)")


def web_address_problem(value: str) -> str | None:
    """What is wrong with ``value`` as a published web address, or None.

    Refused: any scheme but ``http``/``https`` (``javascript:``, ``data:``, ``file:``...);
    spaces, control characters, quotes and angle brackets; a backslash (a browser reads it as
    a slash); a user name or password before ``@`` (a browser goes to the host after it); no
    host. See the module docstring for the WHATWG rules behind each.

    Returns:
        None for an address such as ``https://example.org/study``; otherwise a sentence
        saying what to write.
    """
    if not _SCHEME.match(value):
        return (f"'{value}' is not a web address: write one starting with https:// (or "
                "http://); other kinds (javascript:, data:, file:...) are never published")
    if "\\" in value:
        return (f"'{value}' has a backslash, which a browser reads as a slash (it would go "
                "elsewhere than the address shows): use forward slashes only")
    if _BAD.search(value):
        return (f"'{value}' has a space, quote, angle bracket or control character: "
                "percent-encode it (%20, %22, %3C, %3E) or remove it")
    authority = _authority(value)
    if "@" in authority:
        return (f"'{value}' has a user name before '@': a browser goes to the host after the "
                "'@', not the one written first; write the address without 'name@'")
    if not web_host(value):
        return f"'{value}' has no host: write it as https://host/path"
    return None


def _authority(value: str) -> str:
    """The part of an ``http(s)`` address between ``//`` and the first ``/``, ``?`` or ``#``."""
    return urlsplit(value).netloc


def web_host(value: str) -> str:
    """The host of an ``http(s)`` address that :func:`web_address_problem` accepts: lower
    case, no port, no trailing dot; "" when there is none (or the address has userinfo)."""
    if "@" in _authority(value) or "\\" in value:
        return ""
    return (urlsplit(value).hostname or "").rstrip(".")
