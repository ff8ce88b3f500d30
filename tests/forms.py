"""A hypothesis strategy: a listed name written as a reader would still read it (fullwidth
and mathematical letters, ligatures, look-alike letters of other scripts, invisible
characters inside, mixed case). Shared by the site gate's and the PDF gate's tests."""

from __future__ import annotations

import unicodedata
from functools import cache

from hypothesis import strategies as st

from build_site.deidentify.reading import prototypes, read_char

# Default_Ignorable_Code_Points of several kinds: format characters (ZWSP, ZWJ, ZWNJ, LRM,
# word joiner, invisible times, BOM, soft hyphen), the combining grapheme joiner, variation
# selectors, a Hangul filler, a Mongolian free variation selector and tag characters.
IGNORABLES = ["\u200b", "\u200c", "\u200d", "\u200e", "\u2060", "\u2062", "\ufeff", "\u00ad",
              "\u034f", "\ufe0f", "\ufe00", "\u3164", "\u180b", "\U000e0041", "\U000e0100"]
LIGATURES = {"ffi": "\ufb03", "ffl": "\ufb04", "ff": "\ufb00", "fi": "\ufb01", "fl": "\ufb02"}
# Mathematical alphanumeric alphabets without holes: bold, sans-serif, sans-serif bold,
# monospace (capital A; small a is 26 further on).
_MATH = [0x1D400, 0x1D5A0, 0x1D5D4, 0x1D670]


@cache
def look_alikes(letter: str) -> tuple[str, ...]:
    """Characters of other scripts that TS #39 reads as ``letter`` (any case)."""
    want = read_char(letter)
    return tuple(sorted(c for c in prototypes() if not c.isascii() and len(c) == 1
                        and c.isalpha() and read_char(c) == want))


def _forms(char: str, rtl: bool) -> list[str]:
    forms = [char, char.upper(), char.lower()]
    if char.isascii() and char.isalpha():
        forms.append(chr(ord(char) - 0x21 + 0xFF01))  # fullwidth
        offset = ord(char) - (ord("A") if char.isupper() else ord("a") - 26)
        forms += [chr(base + offset) for base in _MATH]
        forms += [c for c in look_alikes(char)
                  if rtl or unicodedata.bidirectional(c) not in ("R", "AL")]
    return forms


@st.composite
def disguised(draw: st.DrawFn, name: str, rtl: bool = True) -> str:
    """``name`` with each letter drawn from its forms and invisible characters between;
    ``rtl=False`` leaves out look-alikes from right-to-left scripts (Hebrew, Arabic)."""
    out = []
    i = 0
    while i < len(name):
        ligature = next((k for k in LIGATURES if name.lower().startswith(k, i)), None)
        if ligature and draw(st.booleans()):
            out.append(LIGATURES[ligature])
            i += len(ligature)
        else:
            out.append(draw(st.sampled_from(_forms(name[i], rtl))))
            i += 1
        if draw(st.integers(0, 3)) == 0:
            out.append(draw(st.sampled_from(IGNORABLES)))
    return "".join(out)
