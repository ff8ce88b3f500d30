"""What text each output file holds, read as what the file is, for the leak gate.

A file's kind is told by its first bytes (PNG, JPEG, PDF, ZIP, gzip), else by its name:

- text (HTML, SVG, XML, JSON, JavaScript, CSS, CSV, Markdown...): a byte-order mark, else
  UTF-8, else UTF-16 told by where its NUL bytes fall, else the encoding that
  charset-normalizer detects (read also as Windows-1252, in case the guess is wrong);
- PNG: every text chunk (tEXt, zTXt, iTXt, XMP) and the EXIF block, read with Pillow;
- JPEG: comments, EXIF, XMP, IPTC and any other application segment that is plainly text,
  read with Pillow;
- PDF: each page's text, the bookmarks and the document information, read with PDFium
  (pypdfium2), and its XMP metadata;
- ZIP and the documents made of one (docx, xlsx, pptx, odt, epub...): opened with the
  project's safe ZIP reader (:mod:`build_site.refi_qda.safe_zip`); each member's name is read and
  the member itself read the same way; the archive's comment and the members' comments are
  read as text;
- gzip: unpacked (capped) and read as the file inside.

Binary data inside these (thumbnails, maker notes, compressed streams) is not read as letters:
random bytes would sooner or later spell a short name. An image holding bytes outside its
known metadata (after its end, a private PNG chunk, a JPEG application segment that is not
text) is refused (:mod:`build_site.privacy.image_structure`). What is not read: text drawn in an
image's pixels. A file of any other name is read only
when it is plainly text (UTF-8 or UTF-16, no control characters); anything else raises
:class:`Unreadable`: the gate refuses it.
"""

from __future__ import annotations

import codecs
import gzip
import hashlib
import io
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from build_site.privacy.image_structure import jpeg_unread, png_unread

MAX_GZIP_BYTES = 200 * 1024 * 1024
MAX_DEPTH = 3  # archives inside archives
TEXT_SUFFIXES = frozenset(
    ".html .htm .xhtml .xml .svg .js .mjs .css .json .jsonld .map .txt .md .markdown .csv "
    ".tsv .cff .qdc .qde .yml .yaml .bib .ris .tex .rels .opf .ncx .rdf .ttl .webmanifest "
    ".ics .vcf .srt .vtt .log .ini .toml .py .r .sql .rtf".split())
ZIP_SUFFIXES = frozenset(
    ".zip .docx .docm .dotx .xlsx .xlsm .pptx .odt .ods .odp .odg .epub .qdpx .kmz".split())
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_BOMS = [(codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
         (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be")]


@dataclass(eq=False)
class Unreadable(Exception):
    """A file (or a member of an archive) the gate cannot read: ``where`` names it (archive
    members as ``archive.zip!member``), ``kind`` says what it is, ``digest`` is its SHA-256
    (for ``private/reviewed.yml``)."""

    where: str
    kind: str
    digest: str


def kind_of(name: str, data: bytes) -> str:
    """The kind of a file: ``png``, ``jpeg``, ``pdf``, ``zip``, ``gzip``, ``text`` or
    ``other``, by its first bytes, else by its name's suffix (no suffix: text)."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return "zip"
    if data.startswith(b"\x1f\x8b"):
        return "gzip"
    suffix = PurePosixPath(name).suffix.lower()
    if suffix in TEXT_SUFFIXES or not suffix:
        return "text"
    return "other"


def texts(name: str, data: bytes, reviewed: frozenset[str] = frozenset(),
          depth: int = 0, budget: list[int] | None = None,
          decoded: list[str] | None = None) -> Iterator[str]:
    """Every text a reader can get from the file ``name`` holding ``data``.

    Args:
        name: the file's path (for its suffix and for messages).
        data: its bytes.
        reviewed: SHA-256 digests of files recorded as reviewed: a file of a kind the gate
            cannot read is passed over when its digest is here.
        depth, budget: for archives inside archives (nesting, and bytes left to unpack).
        decoded: ``decode_text(data)`` when the caller has it already (a text file).

    Raises:
        Unreadable: the file, or a member of it, is of a kind the gate cannot read (and not
            reviewed), or is damaged.
    """
    kind = kind_of(name, data)
    try:
        if kind == "text":
            text = decoded if decoded is not None else decode_text(data)
            if text is None:
                raise _unreadable(name, "binary data with a text file's name", data)
            yield from text
        elif kind == "gzip":
            inner = name[:-3] if name.lower().endswith(".gz") else name + ".unpacked"
            yield from texts(inner, _gunzip(name, data), reviewed, depth, budget)
        elif kind == "png":
            _refuse_unread(name, "PNG", png_unread(data), data)
            yield from png_texts(data)
        elif kind == "jpeg":
            _refuse_unread(name, "JPEG", jpeg_unread(data, plain_text), data)
            yield from jpeg_texts(data)
        elif kind == "pdf":
            for piece in pdf_texts(data):
                if isinstance(piece, str):
                    yield piece
                else:
                    yield from _member(name, *piece, reviewed, depth, budget)
        elif kind == "zip":
            yield from zip_texts(name, data, reviewed, depth, budget)
        else:
            plain = plain_text(data)
            if plain is None or _CONTROL.search(plain):
                raise _unreadable(name, f"a {PurePosixPath(name).suffix.lower()} file", data)
            yield plain
    except Unreadable as exc:
        exc.where = exc.where or name
        if exc.digest not in reviewed:
            raise


def _member(container: str, name: str, data: bytes, reviewed: frozenset[str], depth: int,
            budget: list[int] | None) -> Iterator[str]:
    """The texts of a file inside ``container`` (named ``container!name`` when refused).

    Raises:
        Unreadable: nested more than :data:`MAX_DEPTH` deep, or the file cannot be read.
    """
    if depth >= MAX_DEPTH:
        raise _unreadable(container, f"a file nested more than {MAX_DEPTH} deep", data)
    try:
        yield from texts(name, data, reviewed, depth + 1, budget)
    except Unreadable as exc:
        exc.where = f"{container}!{exc.where or name}"
        raise


def _refuse_unread(name: str, kind: str, unread: str | None, data: bytes) -> None:
    if unread:
        raise _unreadable(name, f"a {kind} image holding {unread}, which the gate does not "
                          "read", data)


def _unreadable(name: str, kind: str, data: bytes) -> Unreadable:
    return Unreadable(name, kind, hashlib.sha256(data).hexdigest())


def _gunzip(name: str, data: bytes) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as handle:
            return handle.read(MAX_GZIP_BYTES)
    except (OSError, EOFError, zlib.error) as exc:
        raise _unreadable(name, f"a damaged gzip file ({exc})", data) from None


def decode_text(data: bytes) -> list[str] | None:
    """The readings of a text file's bytes (see the module docstring); ``None`` when it is
    not text (no encoding fits)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return [data[len(bom):].decode(encoding, "replace")]
    try:
        return [data.decode("utf-8")]
    except UnicodeDecodeError:
        pass
    utf16 = _utf16_by_nuls(data)
    if utf16:
        return [data.decode(utf16, "replace")]
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        return None
    return [str(best), data.decode("cp1252", "replace")]


def decode_utf8_text(text: str) -> list[str]:
    """``decode_text(text.encode("utf-8"))`` without encoding and decoding again, for a
    ``text`` with no lone surrogate (one decoded from UTF-8 or made from such): its UTF-8
    starts with a byte-order mark only when it starts with U+FEFF, which that reading drops,
    and no other mark (UTF-8 holds no byte 0xFE or 0xFF); else it is read as UTF-8, whole."""
    return [text[1:]] if text.startswith("\ufeff") else [text]


def _utf16_by_nuls(data: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` when NUL bytes fill one byte of each pair (text in a
    Latin script written as UTF-16 without a byte-order mark), else None."""
    sample = data[:4096]
    if len(sample) < 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.3 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.3 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def plain_text(blob: bytes) -> str | None:
    """A block of bytes as text when it is plainly text (a byte-order mark, UTF-8, or UTF-16
    by its NUL bytes), else None; no encoding is guessed, so binary data is never read as
    letters (random bytes would sooner or later spell a short name)."""
    for bom, encoding in _BOMS:
        if blob.startswith(bom):
            return blob[len(bom):].decode(encoding, "replace")
    try:
        return blob.decode("utf-8")
    except UnicodeDecodeError:
        utf16 = _utf16_by_nuls(blob)
        return blob.decode(utf16, "replace") if utf16 else None


_XP_TAGS = range(0x9C9B, 0x9CA0)  # Windows XPTitle, XPComment, XPAuthor, XPKeywords...
_USER_COMMENT = 0x9286
_SUB_IFDS = (0x8769, 0x8825, 0xA005)  # Exif, GPS, interoperability


def exif_texts(exif: Any) -> Iterator[str]:
    """Every text value of an EXIF block (a Pillow ``Image.Exif``), its sub-directories
    included: ASCII values, the UTF-16 Windows ``XP`` tags and the user comment (with its
    character code, EXIF 2.32 section 4.6.5). Binary values (thumbnails, maker notes) are
    read only when they are plainly text."""
    directories = [exif, *(exif.get_ifd(tag) for tag in _SUB_IFDS)]
    for directory in directories:
        for tag, value in directory.items():
            if isinstance(value, tuple) and all(isinstance(v, int) for v in value):
                value = bytes(v & 0xFF for v in value)
            if isinstance(value, str):
                yield value
            elif isinstance(value, bytes) and tag in _XP_TAGS:
                yield value.decode("utf-16-le", "replace")
            elif isinstance(value, bytes) and tag == _USER_COMMENT:
                code, body = value[:8], value[8:]
                if code.startswith(b"UNICODE"):
                    yield body.decode(_utf16_by_nuls(body) or "utf-16-be", "replace")
                elif code.startswith(b"JIS"):
                    yield body.decode("shift_jis", "replace")
                else:
                    yield body.decode("cp1252", "replace")
            elif isinstance(value, bytes):
                yield plain_text(value) or ""


def png_texts(data: bytes) -> Iterator[str]:
    """The text chunks (tEXt, zTXt, iTXt), XMP and EXIF of a PNG file (Pillow).

    Raises:
        Unreadable: Pillow cannot read it (damaged, or a text chunk past Pillow's limits).
    """
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            chunks = dict(image.text)  # type: ignore[attr-defined]
            info = dict(image.info)
            exif = list(exif_texts(image.getexif()))
    except (OSError, ValueError, SyntaxError, UnidentifiedImageError,
            Image.DecompressionBombError) as exc:
        raise _unreadable("", f"a PNG image Pillow cannot read ({exc})", data) from None
    for key, value in chunks.items():
        yield key
        yield value if isinstance(value, str) else plain_text(value) or ""
    for key, value in info.items():
        if key not in chunks and isinstance(value, str | bytes) and key not in (
                "exif", "icc_profile"):
            yield value if isinstance(value, str) else plain_text(value) or ""
    yield from exif


_XMP = b"http://ns.adobe.com/xap/1.0/\x00"
_XMP_EXTENSION = b"http://ns.adobe.com/xmp/extension/\x00"


def jpeg_texts(data: bytes) -> Iterator[str]:
    """The comments, EXIF, XMP and IPTC of a JPEG file, and any other application segment
    that is plainly text (Pillow).

    Raises:
        Unreadable: Pillow cannot read it.
    """
    from PIL import Image, IptcImagePlugin, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            segments = list(getattr(image, "applist", []))
            exif = list(exif_texts(image.getexif()))
            iptc = IptcImagePlugin.getiptcinfo(image) or {}
    except (OSError, ValueError, SyntaxError, UnidentifiedImageError,
            Image.DecompressionBombError) as exc:
        raise _unreadable("", f"a JPEG image Pillow cannot read ({exc})", data) from None
    yield from exif
    for values in iptc.values():
        for value in values if isinstance(values, list) else [values]:
            yield plain_text(value) or value.decode("cp1252", "replace")
    for marker, payload in segments:
        if marker == "COM":
            yield from decode_text(payload) or []
        elif payload.startswith(_XMP):
            yield payload[len(_XMP):].decode("utf-8", "replace")
        elif payload.startswith(_XMP_EXTENSION):
            yield payload[len(_XMP_EXTENSION) + 40:].decode("utf-8", "replace")
        elif not payload.startswith(b"Exif\x00"):
            yield plain_text(payload) or ""


_XMP_PACKET = re.compile(rb"<x:xmpmeta\b.*?</x:xmpmeta>", re.S)


def pdf_texts(data: bytes) -> Iterator[str | tuple[str, bytes]]:
    """What a PDF holds as text: each page's text, its annotations' text (comments, form
    fields' names and values, link addresses: :func:`annotation_texts`), the bookmarks and
    the document information (PDFium, through pypdfium2), and its XMP metadata packets
    (stored uncompressed, as the PDF standard recommends: ISO 32000-1, 14.3.2). Each embedded
    file (ISO 32000-1, 7.11.4; attached to the document or to an annotation) is yielded as
    ``(name, bytes)`` for the caller to read as a file of its own.

    Raises:
        Unreadable: PDFium cannot open it (damaged, or encrypted).
    """
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as exc:
        raise _unreadable("", f"a PDF that cannot be opened ({exc})", data) from None
    try:
        for index in range(len(document)):
            page = document[index]
            yield page.get_textpage().get_text_range()
            yield from annotation_texts(page)
        yield from (item.get_title() for item in document.get_toc())
        yield from (str(v) for v in document.get_metadata_dict().values())
        for index in range(document.count_attachments()):
            attachment = document.get_attachment(index)
            yield attachment.get_name()
            yield attachment.get_name(), bytes(attachment.get_data())
    finally:
        document.close()
    for packet in _XMP_PACKET.finditer(data):
        yield packet.group(0).decode("utf-8", "replace")


# Annotation keys that hold text (ISO 32000-1, 12.5.2, 12.5.6, 12.7.3): contents, title
# (author), subject, name, rich text, and a form field's name, alternate name, mapping name,
# value and default value.
_ANNOTATION_KEYS = ("Contents", "T", "Subj", "NM", "RC", "TU", "TM", "V", "DV")


def annotation_texts(page: Any) -> Iterator[str | tuple[str, bytes]]:
    """The text of every annotation of a pypdfium2 page (:data:`_ANNOTATION_KEYS`, and a
    link's URI), and a file attached to an annotation as ``(name, bytes)``."""
    import ctypes

    import pypdfium2
    import pypdfium2.raw as pdfium

    for index in range(pdfium.FPDFPage_GetAnnotCount(page.raw)):
        annot = pdfium.FPDFPage_GetAnnot(page.raw, index)
        try:
            for key in _ANNOTATION_KEYS:
                size = pdfium.FPDFAnnot_GetStringValue(annot, key.encode(), None, 0)
                if size > 2:
                    buffer = ctypes.create_string_buffer(size)
                    pdfium.FPDFAnnot_GetStringValue(
                        annot, key.encode(), ctypes.cast(buffer, ctypes.POINTER(
                            pdfium.FPDF_WCHAR)), size)
                    yield buffer.raw[:size - 2].decode("utf-16-le", "replace")
            yield from _link_uri(page, annot)
            attached = pdfium.FPDFAnnot_GetFileAttachment(annot)
            if attached:
                attachment = pypdfium2.PdfAttachment(attached, page.pdf)
                yield attachment.get_name(), bytes(attachment.get_data())
        finally:
            pdfium.FPDFPage_CloseAnnot(annot)


def _link_uri(page: Any, annot: Any) -> Iterator[str]:
    import ctypes

    import pypdfium2.raw as pdfium

    link = pdfium.FPDFAnnot_GetLink(annot)
    action = pdfium.FPDFLink_GetAction(link) if link else None
    if action and pdfium.FPDFAction_GetType(action) == pdfium.PDFACTION_URI:
        size = pdfium.FPDFAction_GetURIPath(page.pdf.raw, action, None, 0)
        buffer = ctypes.create_string_buffer(size)
        pdfium.FPDFAction_GetURIPath(page.pdf.raw, action, buffer, size)
        yield buffer.raw[:size].rstrip(b"\x00").decode("latin-1")


def zip_texts(name: str, data: bytes, reviewed: frozenset[str], depth: int,
              budget: list[int] | None) -> Iterator[str]:
    """Every member's name and texts of a ZIP archive (or a document made of one), and the
    archive's and its members' comments (read as text files are).

    Raises:
        Unreadable: the archive is refused by the safe ZIP reader (hostile, damaged, too
            large), nested too deep, or holds a member the gate cannot read.
    """
    from build_site.errors import StudyError
    from build_site.refi_qda.safe_zip import SafeArchive

    if depth >= MAX_DEPTH:
        raise _unreadable(name, f"an archive nested more than {MAX_DEPTH} deep", data)
    try:
        with SafeArchive(io.BytesIO(data), name, budget=budget) as archive:
            for comment in archive.comments():
                yield from decode_text(comment) or [comment.decode("cp1252", "replace")]
            for member in archive.names():
                yield member
                content = archive.read(member)
                try:
                    yield from texts(member, content, reviewed, depth + 1, archive.budget)
                except Unreadable as exc:
                    exc.where = f"{name}!{exc.where or member}"
                    raise
    except StudyError as exc:
        why = "; ".join(p.message for p in exc.problems)
        raise _unreadable(name, f"an archive the safe ZIP reader refuses ({why})",
                          data) from None
