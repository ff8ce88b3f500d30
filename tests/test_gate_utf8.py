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


def _shown_in_text(text: str, depth: int = 0, stylesheet: bool = False
                   ) -> tuple[str, set[str]]:
    """``gate.shown_chars`` as it was before it read its tests in the UTF-8 (gate7): every
    test on the decoded text itself."""
    text = gate.decode(text)
    readings = [text]
    chars = distinct_non_ascii(text)
    found = set(chars)
    css = gate._css_reading(text, stylesheet)
    if css is not None:
        readings.append(css)
        found |= distinct_non_ascii(css)
    if depth < 2 and "base64," in text:
        for inner in gate.data_uri_texts(text):
            inner_read, inner_chars = _shown_in_text(inner, depth + 1)
            readings.append(inner_read)
            found |= inner_chars
    if "\u202e" in text:
        readings.append(gate.visual_order(text))
    if chars and gate._look_alike_in_tag(text, chars):
        readings += [gate._TAG.sub("", text), gate._TAG.sub(" ", text)]
    glued = gate.around_glue(text, chars)
    if glued:
        readings.append(glued)
    return "\n".join(dict.fromkeys(readings)), found


_MORE = [*_PIECES, "\ud800", "\U0001f600", "base64,", "ſtyle=\"a:\\4d\"", "<p style=\"x:\\51\">",
         "data:;base64," + base64.b64encode("\u202eqa".encode()).decode(), "\u202e", "\n"]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_MORE), max_size=14).map("".join), st.booleans())
def test_the_utf8_tests_read_as_the_text_tests(text: str, sheet: bool) -> None:
    """``shown_utf8`` finds "base64,", "style" and the override in the text's UTF-8 and its
    characters: the same readings and characters as the tests on the text; the UTF-8 handed
    on is the reading's, and only when the text is the only reading."""
    read, chars, encoded = gate.shown_utf8(text, stylesheet=sheet)
    assert (read, chars) == _shown_in_text(text, stylesheet=sheet), repr(text)
    assert encoded is None or encoded == read.encode("utf-8", "surrogatepass")
    assert (encoded is None) == (read != gate.decode(text))


def test_a_data_uri_and_an_override_are_found_in_the_utf8() -> None:
    inner = base64.b64encode("Qu\u202ellia".encode()).decode()
    read, _, encoded = gate.shown_utf8(f"é<img src=\"data:text/plain;base64,{inner}\">")
    assert "Qu\u202ellia" in read and "Quaill" in read.replace("\u202e", "")
    assert encoded is None  # more than one reading
    read, chars, encoded = gate.shown_utf8("é \u202ellia")
    assert "\u202e" in chars and encoded is None
    assert read.splitlines()[1] == "é " + "llia"[::-1]
