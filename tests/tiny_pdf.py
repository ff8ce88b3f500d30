"""Small PDF documents written by hand, for gate tests that need no WeasyPrint layout.

``tiny_pdf(text, title)`` is a one-page PDF whose page shows ``text`` (any Unicode: each
character is one code of a simple font, and a ToUnicode map says which character it is, so
PDF text extraction returns ``text``) and whose document information has ``title``.
"""

from __future__ import annotations


def _utf16_hex(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


def tiny_pdf(text: str, title: str = "", xmp: str = "", annots: str = "") -> bytes:
    """A one-page PDF showing ``text``, titled ``title``, with an XMP packet ``xmp`` (raw
    XML, stored uncompressed) when given, and the page's ``/Annots`` array ``annots`` (PDF
    dictionaries written out) when given. At most 200 distinct characters."""
    chars = sorted(set(text))
    assert len(chars) <= 200
    code = {c: 0x21 + i for i, c in enumerate(chars)}
    shown = "".join(f"{code[c]:02X}" for c in text)
    bfchar = "\n".join(f"<{code[c]:02X}> <{_utf16_hex(c)}>" for c in chars)
    cmap = ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
            "/CMapName /Tiny def /CMapType 2 def\n"
            "1 begincodespacerange <00> <FF> endcodespacerange\n"
            f"{len(chars)} beginbfchar\n{bfchar}\nendbfchar\n"
            "endcmap CMapName currentdict /CMap defineresource pop end end\n")
    content = f"BT /F1 12 Tf 20 700 Td <{shown}> Tj ET\n"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R"
        + (" /Metadata 7 0 R" if xmp else "") + " >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        "/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R"
        + (f" /Annots [{annots}]" if annots else "") + " >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
        f"<< /Length {len(content)} >>\nstream\n{content}endstream",
        f"<< /Length {len(cmap)} >>\nstream\n{cmap}endstream",
    ]
    if xmp:
        packet = xmp.encode("utf-8")
        objects.append(f"<< /Type /Metadata /Subtype /XML /Length {len(packet)} >>\nstream\n"
                       + packet.decode("latin-1") + "\nendstream")
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    info_number = len(objects) + 1
    offsets.append(len(out))
    out += f"{info_number} 0 obj\n<< /Title <FEFF{_utf16_hex(title)}> >>\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {info_number + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode()
    out += (f"trailer\n<< /Size {info_number + 1} /Root 1 0 R /Info {info_number} 0 R >>\n"
            f"startxref\n{xref}\n%%EOF\n").encode()
    return bytes(out)
