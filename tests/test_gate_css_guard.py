"""The leak gate reads CSS escapes in markup only where ``_CSS_IN_MARKUP`` finds CSS: the
guard that passes over a text without "style" (a search index) misses none it finds."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from build_site.privacy import gate


def _unguarded(text: str) -> str | None:
    """``gate._css_reading(text, False)`` without the guard (the code before it)."""
    if "\\" not in text:
        return None
    parts = [p for m in gate._CSS_IN_MARKUP.finditer(text) for p in m.groups()
             if p and "\\" in p]
    return "\n".join(gate.css_unescape(p) for p in parts) if parts else None


@pytest.mark.parametrize("text", [
    '<p style="content:\'\\4d argery\'">x</p>',
    '<p STYLE = "content:\\51 uill">x</p>',
    '<p \u017ftyle="content:\\51 uill">x</p>',  # re.I reads the long s as "s"
    '<p \u017fTYLE="content:\\51 uill">x</p>',
    "<StYlE>p::after{content:'\\51 uill'}</sTyLe>",
    '{"t": "no css here \\u0051uill"}',
    '<p data-x="\\51 uill">no style attribute</p>',
    '<p \u00e9 StYle="content:\\51 uill">\u2013 \ud800</p>',  # not ASCII: read in UTF-8
    '{"t": "\u2013 sty le \\u0051uill \u00e9"}',
])
def test_the_guard_keeps_every_css_reading(text: str) -> None:
    assert gate._css_reading(text, False) == _unguarded(text)


def test_the_long_s_spelling_is_read() -> None:
    assert gate._css_reading('<p \u017ftyle="content:\\51 uill">', False) == "content:Quill"


def test_only_the_long_s_matches_a_letter_of_style_beside_ascii_letters() -> None:
    """What the guard (``gate._may_hold_style``) relies on: under ``re.I`` no character but
    ASCII letters and "ſ" matches a letter of "style"."""
    import re
    import sys

    letter = re.compile("s|t|y|l|e", re.I).fullmatch  # each letter as _CSS_IN_MARKUP has it
    matched = {chr(code) for code in range(sys.maxunicode + 1) if letter(chr(code))}
    assert matched == set("styleSTYLE\u017f")


PIECES = [*"styleSTYLE", "\u017f", "\u212a", "\u00e9", "\u2013", "\ud800", *"<>=\"' \\5a1:p",
          "style", "<style>", "</style>"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
def test_the_guard_equals_the_unguarded_reading_on_random_text(text: str) -> None:
    assert gate._css_reading(text, False) == _unguarded(text)
