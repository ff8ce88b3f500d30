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
])
def test_the_guard_keeps_every_css_reading(text: str) -> None:
    assert gate._css_reading(text, False) == _unguarded(text)


def test_the_long_s_spelling_is_read() -> None:
    assert gate._css_reading('<p \u017ftyle="content:\\51 uill">', False) == "content:Quill"


PIECES = [*"styleSTYLE", "\u017f", "\u212a", *"<>=\"' \\5a1:p", "style", "<style>", "</style>"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
def test_the_guard_equals_the_unguarded_reading_on_random_text(text: str) -> None:
    assert gate._css_reading(text, False) == _unguarded(text)
