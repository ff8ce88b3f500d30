"""Whether an image holds bytes the leak gate does not read (for
:mod:`build_site.privacy.gate_files`).

The gate reads an image through its known metadata (text chunks, EXIF, XMP, IPTC, comments).
Bytes elsewhere can hold text a reader finds with ``strings``: data after a PNG's ``IEND``
chunk or a JPEG's end-of-image marker, a private (non-standard) PNG chunk, or a JPEG
application segment of a kind the gate does not know. Rather than read such bytes as letters
(random bytes would sooner or later spell a short name, and compressed bytes hide a name), the
gate refuses the image: :func:`png_unread` and :func:`jpeg_unread` say what was not read.
"""

from __future__ import annotations

import struct
from collections.abc import Callable

# PNG chunks registered by the PNG specification (third edition, W3C 2025, section 4.3 and
# 11) and its extensions (APNG's acTL/fcTL/fdAT, PNG extensions 1.6.0: oFFs, pCAL, sCAL,
# sTER, gIFg, gIFx, dSIG). Text chunks and eXIf are read by the gate; the others hold
# numbers, colours or pixels.
PNG_CHUNKS = frozenset(
    b"IHDR PLTE IDAT IEND tRNS cHRM gAMA iCCP sBIT sRGB cICP mDCv cLLI tEXt zTXt iTXt bKGD "
    b"hIST pHYs sPLT eXIf tIME acTL fcTL fdAT oFFs pCAL sCAL sTER gIFg gIFx dSIG".split())
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_unread(data: bytes) -> str | None:
    """What in the PNG ``data`` the gate does not read, or None: a chunk of a type the PNG
    specification does not register, or bytes after ``IEND``. A damaged chunk list is left to
    Pillow (None)."""
    at = len(_PNG_SIGNATURE)
    while at + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        if kind not in PNG_CHUNKS:
            return f"a private PNG chunk {kind.decode('latin-1')!r}"
        at += 12 + length
        if kind == b"IEND":
            return _trailing(data[at:])
    return None


# JPEG application segments the gate reads or that hold no text: JFIF and JFXX (APP0), EXIF
# and XMP (APP1), ICC profiles (APP2, binary), MPF (APP2, picture offsets), Photoshop IRB
# with IPTC (APP13), Adobe colour transform (APP14). Comments (COM) are read; other segments
# are read only when they are plainly text (see ``jpeg_texts``).
JPEG_KNOWN_APP = (b"JFIF\x00", b"JFXX\x00", b"Exif\x00", b"http://ns.adobe.com/",
                  b"ICC_PROFILE\x00", b"MPF\x00", b"Photoshop 3.0\x00", b"Adobe")
_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})  # TEM, RSTn: no length


def _trailing(rest: bytes) -> str | None:
    """Bytes after an image's end, unless they are padding (NUL bytes or white space, which
    spell nothing: some writers pad, e.g. the thumbnail python-docx ships)."""
    if rest.strip(b"\x00 \t\r\n"):
        return f"{len(rest)} bytes after the end of the image"
    return None


def jpeg_segments(data: bytes) -> tuple[list[tuple[int, bytes]], int | None]:
    """The marker segments of a JPEG (marker byte, payload) up to its end-of-image marker,
    and the offset just after that marker (None when the file ends first or is damaged).
    Entropy-coded data after a start-of-scan is skipped to the next marker that is not a
    stuffed byte (FF 00) or a restart marker (ITU-T T.81, B.1.1.5, B.1.1.2)."""
    segments: list[tuple[int, bytes]] = []
    at = 2
    while at + 2 <= len(data):
        if data[at] != 0xFF:
            return segments, None
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if marker == 0xD9:
            return segments, at + 2
        if marker in _STANDALONE:
            at += 2
            continue
        if at + 4 > len(data):
            return segments, None
        length = struct.unpack(">H", data[at + 2:at + 4])[0]
        segments.append((marker, data[at + 4:at + 2 + length]))
        at += 2 + length
        if marker == 0xDA:
            at = _after_scan(data, at)
    return segments, None


def _after_scan(data: bytes, at: int) -> int:
    while True:
        at = data.find(b"\xff", at)
        if at < 0 or at + 1 >= len(data):
            return len(data)
        following = data[at + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7 or following == 0xFF:
            at += 1 if following == 0xFF else 2
            continue
        return at


def jpeg_unread(data: bytes, plain: Callable[[bytes], str | None]) -> str | None:
    """What in the JPEG ``data`` the gate does not read, or None: bytes after the
    end-of-image marker (or no such marker), or an application segment (APP0 to APP15) of a
    kind not in :data:`JPEG_KNOWN_APP` whose payload ``plain`` does not read as text."""
    segments, end = jpeg_segments(data)
    for marker, payload in segments:
        if 0xE0 <= marker <= 0xEF and not payload.startswith(JPEG_KNOWN_APP) \
                and plain(payload) is None:
            return f"an APP{marker - 0xE0} segment that is not text"
    if end is None:
        return "no end-of-image marker"
    return _trailing(data[end:])
