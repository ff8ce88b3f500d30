"""The canonical reading (build_site.deidentify.reading)."""

from __future__ import annotations

import sys
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from build_site.deidentify.reading import (
    detector_reading,
    distinct_non_ascii,
    is_ignorable,
    original_span,
    prototypes,
    read_char,
    reading,
    reading_utf8,
    reading_with_map,
)

# Every assigned code point outside the private-use areas.
_PLANES = [c for c in range(sys.maxunicode + 1)
           if unicodedata.category(chr(c)) not in ("Cn", "Co", "Cs")]


def test_reading_a_reading_changes_nothing_and_lower_case_is_stable() -> None:
    # reading() lower-cases and applies the ASCII map after the per-character table: that is
    # only the same reading when every read character is its own lower case and reading again.
    for code in _PLANES:
        for lower in (True, False):
            read = read_char(chr(code), lower)
            assert reading(read, lower) == read, (hex(code), lower)
            if lower:
                assert read.lower() == read, hex(code)


def test_default_ignorables_beyond_format_characters() -> None:
    for char in "\u034f\ufe00\u3164\uffa0\u115f\U000e0020\U000e01ef\u180b\u00ad\u2060":
        assert is_ignorable(char) and read_char(char) == "", hex(ord(char))
    for char in "a \u00a0\n\t":
        assert not is_ignorable(char)


def test_the_skeleton_comes_from_the_unicode_data() -> None:
    table = prototypes()
    assert table["\u0430"] == "a"  # CYRILLIC SMALL LETTER A
    assert table["\u0399"] == "I"  # GREEK CAPITAL LETTER IOTA (prototype "l", a capital)
    assert "m" not in table and "1" not in table and "I" not in table
    assert len(table) > 6000


text_strategy = st.text(st.one_of(
    st.characters(codec="utf-8"), st.sampled_from("\ufb01\u00bd\u200d\u034fAa \uff21")))


@settings(max_examples=200, deadline=None)
@given(text_strategy, st.booleans())
def test_the_offset_map_points_back_into_the_text(text: str, lower: bool) -> None:
    read, offsets = reading_with_map(text, lower)
    assert read == reading(text, lower)
    if offsets is None:
        assert len(read) == len(text)
        return
    assert len(offsets) == len(read) and offsets == sorted(offsets)
    for i, where in enumerate(offsets):  # each read character comes from its original one
        assert read[i] in reading(text[where], lower)
    start, end = original_span(offsets, 0, len(read)) if read else (0, 0)
    assert reading(text[start:end], lower) == read


@settings(max_examples=100, deadline=None)
@given(text_strategy)
def test_detectors_read_nfkc_without_ignorables_keeping_case(text: str) -> None:
    read, offsets = detector_reading(text)
    assert not any(is_ignorable(c) for c in read)
    if offsets is not None:
        assert len(offsets) == len(read)
    assert detector_reading("Mr. \uff31u\u200bill") == ("Mr. Quill", [0, 1, 2, 3, 4, 5, 7, 8, 9])


def test_the_utf8_reading_equals_the_reading_encoded_for_every_code_point() -> None:
    """reading_utf8 lower-cases in bytes: the same bytes as the text's reading encoded, for
    every code point (unassigned, private-use and lone surrogates included), beside capital
    ASCII letters, a capital sigma and the ASCII map's "|" and "`"."""
    every = "".join(map(chr, range(0x80, 0x110000)))
    for start in range(0, len(every), 499):
        text = "A|Z`" + every[start:start + 23] + " \u03a3Q " + every[start:start + 3]
        assert reading_utf8(text) == reading(text).encode("utf-8", "surrogatepass"), \
            hex(start + 0x80)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.one_of(
    st.characters(codec=None), st.sampled_from("AZazΣσİıＡ𝐀Ⅻ|`<>\u200b\u0301\ud800ß")),
    max_size=120))
def test_the_utf8_reading_equals_the_reading_encoded(text: str) -> None:
    """Over random text, many distinct characters (past the 64 replaced one by one) and
    readings that hold a character itself replaced (both fall back to translating runs)."""
    assert reading_utf8(text) == reading(text).encode("utf-8", "surrogatepass")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("aZ Σ|`İÅé–›ＡⅫ\u200b\ud800ſ"), max_size=60),
       st.sets(st.sampled_from("ΣİÅé–›ＡⅫ\u200bſ\U0001d400ｂß"), max_size=8))
def test_the_utf8_reading_given_more_characters_than_the_text_holds(
        text: str, extra: set[str]) -> None:
    """The characters the caller passes may be more than the text holds (the gate passes
    those of all of a text's readings): the same bytes."""
    chars = distinct_non_ascii(text) | extra
    assert reading_utf8(text, chars) == reading(text).encode("utf-8", "surrogatepass")
    # given its UTF-8 as well (the gate's shown_utf8), which it then does not encode again
    encoded = text.encode("utf-8", "surrogatepass")
    assert reading_utf8(text, chars, encoded) == reading(text).encode("utf-8", "surrogatepass")
