"""The gate's readings handed on with their characters (``gate.shown_chars``, issue 25): the
characters passed to the lower-case reading in UTF-8 are all those the readings hold."""

from __future__ import annotations

import base64

from hypothesis import given, settings
from hypothesis import strategies as st

from build_site.deidentify.reading import distinct_non_ascii
from build_site.privacy import gate

_PIECES = ["<p>", "</p>", "Quill", "é", "–", "\u202eabc\u202c", "|", "¹", "style=\"a:\\4d\"",
           "<style>p::after{content:'\\51 \\e9'}</style>", "&eacute;", "&#x2013;", "\\u00e9",
           "%C3%A9", "‹", "<b title=\"‹\">", "王", " ", "\\", "data:text/plain;base64,"
           + base64.b64encode("Zoë «x»".encode()).decode()]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=12).map("".join), st.booleans())
def test_shown_chars_holds_every_character_of_the_readings(text: str, sheet: bool) -> None:
    """Entities, JSON and percent escapes, CSS escapes, data URIs, a right-to-left override,
    glue characters and bracket look-alikes in tags: their readings add characters."""
    read, chars = gate.shown_chars(text, stylesheet=sheet)
    assert read == gate.shown(text, stylesheet=sheet)
    assert distinct_non_ascii(read) <= chars, repr(text)
