"""The gate's JSON unescaping (``gate._json_unescape``, issue 25): the simple escapes are
replaced only when they can match, with the same text as replacing each in turn."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from build_site.privacy import gate


def _every_replace(text: str) -> str:
    """The unescaping as written before: every simple escape replaced in turn."""
    if "\\" not in text:
        return text
    def pair(m: re.Match[str]) -> str:
        high = int(m.group(1), 16)
        if m.group(2):
            low = int(m.group(2), 16)
            if 0xD800 <= high < 0xDC00 and 0xDC00 <= low < 0xE000:
                return chr(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
            return chr(high) + chr(low)
        return chr(high)

    text = gate._JSON_ESCAPE.sub(pair, text)
    for escaped, plain in gate._SIMPLE_ESCAPES.items():
        text = text.replace(escaped, plain)
    return text


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(["\\", "n", "t", '"', "/", "u", "0", "0041", "005c", "d83d",
                                 "\\ude00", "\\u", "x", "é", "\n"]), max_size=24).map("".join))
@example("\\\\n")  # the escaped backslash, then "n"
@example("\\u005cn")  # a \u escape that writes a backslash before "n"
@example('\\\\\\"\\/\\\\/')
def test_json_unescape_equals_replacing_every_escape_in_turn(text: str) -> None:
    assert gate._json_unescape(text) == _every_replace(text), repr(text)


def test_escapes_a_unicode_escape_writes_are_read() -> None:
    assert gate._json_unescape("caf\\u00e9 \\u00b7 x") == "café · x"
    assert gate._json_unescape('\\u005cn \\"') == '\n "'
