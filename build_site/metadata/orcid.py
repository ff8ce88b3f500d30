"""ORCID iDs: the ISO 7064 MOD 11-2 check digit and the URL form.

The rule is ORCID's own ("Structure of the ORCID Identifier", support.orcid.org): 16
characters in four groups of four, the last a check digit (0-9 or X) computed with ISO/IEC
7064:2003 MOD 11-2 over the first 15 digits. ORCID documents ``0000-0002-1825-0097`` (the
fictional Josiah Carberry) as the iD to use in examples and tests.
"""

from __future__ import annotations

import re

TEST_ORCID = "0000-0002-1825-0097"
ORCID_URL = "https://orcid.org/"
_FORM = re.compile(r"^(?:https?://orcid\.org/)?(\d{4}-\d{4}-\d{4}-\d{3}[\dX])$")
PATTERN = r"^(?:https?://orcid\.org/)?\d{4}-\d{4}-\d{4}-\d{3}[\dX]$"


def check_digit(digits: str) -> str:
    """The ISO 7064 MOD 11-2 check character of ``digits`` (the first 15 digits of an iD).

    Returns:
        ``"0"``-``"9"`` or ``"X"`` (for 10).
    """
    total = 0
    for digit in digits:
        total = (total + int(digit)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def orcid_problem(value: str) -> str | None:
    """What is wrong with ``value`` as an ORCID iD (bare or as an orcid.org URL), or None.

    Returns:
        None for a valid iD; otherwise a sentence saying what to fix.
    """
    match = _FORM.match(value.strip())
    if not match:
        return (f"'{value}' is not an ORCID iD: write it as 0000-0002-1825-0097 or "
                "https://orcid.org/0000-0002-1825-0097")
    bare = match.group(1).replace("-", "")
    expected = check_digit(bare[:15])
    if bare[15] != expected:
        return (f"'{value}' is not a valid ORCID iD: its check digit is {bare[15]}, the ISO 7064 "
                f"MOD 11-2 checksum of the first 15 digits gives {expected} (a typing mistake?)")
    return None


def bare(value: str) -> str:
    """The 16-character iD of a valid ``value`` (bare or URL form)."""
    match = _FORM.match(value.strip())
    return match.group(1) if match else value.strip()


def orcid_url(value: str) -> str:
    """The URL form ORCID asks to be displayed and exchanged (``https://orcid.org/...``)."""
    return ORCID_URL + bare(value)
