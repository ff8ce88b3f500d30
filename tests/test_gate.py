from __future__ import annotations

import gzip
import hashlib
import io
import json
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from build_site.deidentify.matching import is_ordinary_word
from build_site.deidentify.reading import reading
from build_site.errors import PrivacyError
from build_site.privacy.gate import scan_tree
from build_site.privacy.theme_files import is_theme_asset
from build_site.study import Identifier

from .forms import disguised

NAME = Identifier(text="Margery Quill", replacement="Ada", kind="person", variants=["Quill"])


def _tree(tmp_path: Path, files: dict[str, bytes]) -> Path:
    for rel, data in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return tmp_path


def test_clean_tree_passes(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"index.html": b"<p>Ada came; a quilted coat.</p>"})
    assert scan_tree(root, [NAME]) == []


def test_leaks_are_found_however_encoded(tmp_path: Path) -> None:
    root = _tree(tmp_path, {
        "a.html": b"<p><em>Margery</em>\n Quill</p>",
        "b.html": b"<p>M&#97;rgery Q&#x75;ill</p>",
        "search/search_index.json": json.dumps({"t": "MARGERY QUILL"}).encode(),
        "search/search_index.js": b'var x = "Marg\\u00e9ry Quill";',
        "sitemap.xml.gz": gzip.compress(b"<loc>https://x/Margery%20Quill.html</loc>"),
        "c.svg": b'<svg><title>Quill</title></svg>',
        "Quill/page.html": b"<p>nothing</p>",
    })
    found = {leak.where for leak in scan_tree(root, [NAME])}
    assert found == {"a.html", "b.html", "search/search_index.json", "search/search_index.js",
                     "sitemap.xml.gz", "c.svg", "Quill"}


def test_only_unchanged_theme_files_are_skipped(tmp_path: Path) -> None:
    from importlib import resources

    theme = Path(str(resources.files("material"))) / "templates" / "assets" / "javascripts"
    original = next(p for p in sorted(theme.glob("bundle.*.min.js")))
    data = original.read_bytes()
    assert is_theme_asset(data)
    # Same size, one byte changed: a file that merely looks like a theme asset is read.
    planted = b"Quill;" + data[6:]
    assert len(planted) == len(data) and not is_theme_asset(planted)
    root = _tree(tmp_path, {"assets/bundle.js": planted, "assets/theme.js": data})
    assert {leak.where for leak in scan_tree(root, [NAME])} == {"assets/bundle.js"}


# Every file read as what it is (issue: the gate read only UTF-8 and treated anything else
# as empty).

def _found(tmp_path: Path, files: dict[str, bytes]) -> set[str]:
    return {leak.where for leak in scan_tree(_tree(tmp_path, files), [NAME])}


def test_latin1_and_utf16_text_files_are_read(tmp_path: Path) -> None:
    note = "Notes: Margery Quill, née Brûlé, came in.\n"
    assert _found(tmp_path, {
        "docs/latin1.txt": note.encode("latin-1"),
        "docs/utf16le.txt": note.encode("utf-16-le"),
        "docs/utf16be.csv": note.encode("utf-16-be"),
        "docs/bom16.md": note.encode("utf-16"),
        "docs/bom32.txt": note.encode("utf-32"),
        "docs/cp1252.html": f"<p>\u201c{note}\u201d</p>".encode("cp1252"),
        "docs/clean.txt": "Ada came, née Brûlé.".encode("latin-1"),
    }) == {"docs/latin1.txt", "docs/utf16le.txt", "docs/utf16be.csv", "docs/bom16.md",
           "docs/bom32.txt", "docs/cp1252.html"}


def _png(**text: str) -> bytes:
    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    for i, (key, value) in enumerate(text.items()):
        if i % 3 == 0:
            info.add_text(key, value)  # tEXt (Latin-1)
        elif i % 3 == 1:
            info.add_itxt(key, value)  # iTXt (UTF-8)
        else:
            info.add_text(key, value, zip=True)  # zTXt
    out = io.BytesIO()
    Image.new("RGB", (2, 2)).save(out, "PNG", pnginfo=info)
    return out.getvalue()


def test_png_text_chunks_are_read(tmp_path: Path) -> None:
    from PIL import Image

    exif = Image.Exif()
    exif[0x013B] = "Margery Quill"  # Artist
    with_exif = io.BytesIO()
    Image.new("RGB", (2, 2)).save(with_exif, "PNG", exif=exif)
    assert _found(tmp_path, {
        "a.png": _png(Title="Portrait of Margery Quill"),
        "b.png": _png(Software="x", Author="M\u00e1rgery Quill"),
        "c.png": _png(Software="x", Title="y", Comment="zipped: Quill"),
        "d.png": with_exif.getvalue(),
        "clean.png": _png(Software="build-site", Title="Ada", Comment="a quilted coat"),
    }) == {"a.png", "b.png", "c.png", "d.png"}


def _jpeg(comment: bytes = b"", exif: dict[int, object] | None = None,
          user_comment: bytes = b"", xmp: bytes = b"") -> bytes:
    from PIL import Image

    tags = Image.Exif()
    for tag, value in (exif or {}).items():
        tags[tag] = value
    if user_comment:
        tags.get_ifd(0x8769)[0x9286] = user_comment
    out = io.BytesIO()
    options: dict[str, object] = {"exif": tags}
    if comment:
        options["comment"] = comment
    if xmp:
        options["xmp"] = xmp
    Image.new("RGB", (8, 8)).save(out, "JPEG", **options)
    return out.getvalue()


def test_jpeg_comments_exif_and_xmp_are_read(tmp_path: Path) -> None:
    assert _found(tmp_path, {
        "com.jpg": _jpeg(comment=b"shot at Margery Quill's"),
        "latin1-com.jpg": _jpeg(comment="Quill, née".encode("latin-1")),
        "artist.jpg": _jpeg(exif={0x013B: "Margery Quill"}),
        "xp.jpg": _jpeg(exif={0x9C9D: "Margery Quill".encode("utf-16-le") + b"\0\0"}),
        "user.jpg": _jpeg(user_comment=b"UNICODE\0" + "Quill".encode("utf-16-be")),
        "xmp.jpeg": _jpeg(xmp=b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:creator>Margery '
                              b'Quill</dc:creator></x:xmpmeta>'),
        "clean.jpg": _jpeg(comment=b"Ada", exif={0x013B: "Ada"}),
    }) == {"com.jpg", "latin1-com.jpg", "artist.jpg", "xp.jpg", "user.jpg", "xmp.jpeg"}


def _zip(members: dict[str, bytes]) -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def _docx(text: str, author: str = "") -> bytes:
    import docx

    document = docx.Document()
    paragraph = document.add_paragraph()
    for piece in text.split("|"):  # each piece its own run: the name is split in the XML
        paragraph.add_run(piece).bold = True
    document.core_properties.author = author
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_zip_based_documents_are_opened_and_each_member_read(tmp_path: Path) -> None:
    assert _found(tmp_path, {
        "docs/a.docx": _docx("Seen by Mar|gery Qu|ill today"),
        "docs/b.docx": _docx("clean", author="Margery Quill"),
        "docs/c.zip": _zip({"notes/latin1.txt": "Quill né".encode("latin-1")}),
        "docs/d.odt": _zip({"mimetype": b"application/vnd.oasis.opendocument.text",
                            "content.xml": b"<text:p>Margery <text:span>Quill</text:span>"
                                           b"</text:p>"}),
        "docs/e.epub": _zip({"OEBPS/ch1.xhtml": b"<p>Margery Quill</p>"}),
        "docs/f.zip": _zip({"inner.zip": _zip({"x.png": _png(Title="Quill")})}),
        "docs/g.xlsx": _zip({"xl/sharedStrings.xml": "<t>Quill</t>".encode("utf-16")}),
        "docs/h.zip": _zip({"Margery Quill.txt": b"nothing"}),  # a member's name
        "docs/clean.docx": _docx("Ada came, in a quilted coat"),
    }) == {f"docs/{n}" for n in ["a.docx", "b.docx", "c.zip", "d.odt", "e.epub", "f.zip",
                                 "g.xlsx", "h.zip"]}


def test_pdf_files_are_read(tmp_path: Path) -> None:
    from .tiny_pdf import tiny_pdf

    assert _found(tmp_path, {
        "text.pdf": tiny_pdf("Seen by Margery Quill"),
        "title.pdf": tiny_pdf("clean", title="Margery Quill"),
        "xmp.pdf": tiny_pdf("clean", xmp='<x:xmpmeta xmlns:x="adobe:ns:meta/">Quill'
                                         "</x:xmpmeta>"),
        "clean.pdf": tiny_pdf("Ada came", title="Ada"),
    }) == {"text.pdf", "title.pdf", "xmp.pdf"}


def test_files_of_other_kinds_are_refused_unless_reviewed_by_hash(tmp_path: Path) -> None:
    font = b"wOF2\x00\x01\x00\x00" + bytes(range(256)) * 4
    gif = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"
    inside = _zip({"word/document.xml": b"<w:t>Ada</w:t>", "word/media/image1.emf": font})
    root = _tree(tmp_path, {"docs/font.woff2": font, "docs/pic.gif": gif,
                            "docs/report.docx": inside, "docs/notes.bin": b"\x00\x01\xff",
                            "index.html": b"<p>Margery Quill</p>"})
    with pytest.raises(PrivacyError) as exc:
        scan_tree(root, [NAME])
    assert exc.value.exit_code == 3
    refused = {p.file: p for p in exc.value.problems}
    assert set(refused) == {"docs/font.woff2", "docs/pic.gif", "docs/notes.bin",
                            "docs/report.docx!word/media/image1.emf", "index.html"}
    digest = hashlib.sha256(gif).hexdigest()
    assert "a .gif file" in refused["docs/pic.gif"].message
    assert f"sha256: {digest}" in refused["docs/pic.gif"].hint
    assert "convert it" in refused["docs/pic.gif"].hint
    assert "strip its metadata" in refused["docs/pic.gif"].hint
    # Recorded as reviewed (the font by its own hash, the picture inside the document by its
    # own hash too): the other files are read as before and the leak is reported.
    reviewed = [hashlib.sha256(d).hexdigest() for d in (font, gif, b"\x00\x01\xff")]
    assert {leak.where for leak in scan_tree(root, [NAME], reviewed)} == {"index.html"}


def test_text_of_any_name_is_read_and_a_hostile_archive_is_refused(tmp_path: Path) -> None:
    import zipfile

    evil = io.BytesIO()
    with zipfile.ZipFile(evil, "w") as archive:
        archive.writestr("../escape.txt", b"x")
    root = _tree(tmp_path, {"CNAME": b"Margery Quill\n", "notes.weird": b"Quill\n",
                            "evil.zip": evil.getvalue()})
    with pytest.raises(PrivacyError) as exc:
        scan_tree(root, [NAME])
    problems = {p.file: p.message for p in exc.value.problems}
    assert "leads out of the archive" in problems["evil.zip"]
    # Plain text under any name is read: the leaks are listed with the refusal.
    assert problems["CNAME"] == problems["notes.weird"] == "listed identifier found in the output"


def test_a_build_refuses_a_latin1_note_in_docs(tiny: Path, tmp_path: Path) -> None:
    from build_site.pipeline import build

    (tiny / "docs").mkdir()
    (tiny / "docs" / "notes.txt").write_bytes("Met Margery Quill, née Brûlé.".encode("latin-1"))
    out = tmp_path / "site"
    with pytest.raises(PrivacyError) as exc:
        build(tiny, out)
    assert exc.value.exit_code == 3
    assert [p.file for p in exc.value.problems] == ["site/notes.txt"]
    assert not out.exists()


def test_a_build_refuses_a_font_until_it_is_recorded_as_reviewed(tiny: Path,
                                                                 tmp_path: Path) -> None:
    from build_site.pipeline import build

    font = b"wOF2\x00\x01\x00\x00" + bytes(range(256)) * 4
    (tiny / "docs").mkdir()
    (tiny / "docs" / "font.woff2").write_bytes(font)
    out = tmp_path / "site"
    with pytest.raises(PrivacyError) as exc:
        build(tiny, out)
    [problem] = exc.value.problems
    assert problem.file == "font.woff2" and "cannot read" in problem.message
    digest = hashlib.sha256(font).hexdigest()
    (tiny / "private" / "reviewed.yml").write_text(
        f"files:\n  - sha256: {digest}\n    file: docs/font.woff2\n    by: JS\n"
        "    why: The theme's font, from its foundry; no text in it.\n")
    build(tiny, out)
    assert (out / "font.woff2").read_bytes() == font


def test_a_reviewed_file_needs_a_full_sha256(tiny: Path, tmp_path: Path) -> None:
    from build_site.errors import StudyError
    from build_site.pipeline import build

    (tiny / "private" / "reviewed.yml").write_text(
        "files:\n  - sha256: c484da738c79b829\n    by: JS\n    why: checked\n")
    with pytest.raises(StudyError) as exc:
        build(tiny, tmp_path / "site")
    assert exc.value.exit_code == 2
    assert any(p.file == "private/reviewed.yml" and p.line == 2 for p in exc.value.problems)


LISTED = [NAME, Identifier(text="Fiona Griffin", replacement="Rosa", kind="person"),
          Identifier(text="José Núñez", replacement="Mateo", kind="person"),
          Identifier(text="Hope", replacement="[daughter]", kind="person",
                     case_sensitive=True)]


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_a_disguised_listed_name_is_refused_or_replaced_without_trace(
        data: st.DataObject) -> None:
    import tempfile

    from build_site.deidentify import Matcher

    ident = data.draw(st.sampled_from(LISTED[:3]))
    form = data.draw(st.sampled_from(ident.forms()))
    written = data.draw(disguised(form))
    if is_ordinary_word(form):  # "Quill": only as a name ("Quill", "qUILL"), not "quill"
        assume(not reading(written, lower=False).islower())
    text = f"<p>Seen by {written} today.</p>"
    # The gate refuses the text as written...
    with tempfile.TemporaryDirectory() as folder:
        root = _tree(Path(folder), {"page.html": text.encode()})
        assert [leak.identifier for leak in scan_tree(root, LISTED)] == [ident], repr(text)
    # ...and replacement leaves no trace of it under the canonical reading.
    replaced = Matcher(LISTED).replace(text)
    assert Matcher(LISTED).contains(replaced) == [], repr(replaced)
    assert replaced.startswith("<p>Seen by ") and replaced.endswith(" today.</p>")


ALCOTT = Identifier(text="Wren Alcott", replacement="C1", kind="person", variants=["Alcott"])


@pytest.mark.parametrize("shown", [
    "She met \u202ettoclA\u202c in town.",          # stored backwards, shown forwards
    "She met \u202ettoclA in town.",                 # override running to the end of the line
    "She met ᴀʟᴄᴏᴛᴛ in town.",                        # small capitals
    "She met 🅰🅻🅲🅾🆃🆃 in town.",                      # negative squared letters
    "She met 🅐🅛🅒🅞🅣🅣 in town.",                      # negative circled letters
    "She met 🇦🇱🇨🇴🇹🇹 in town.",                      # regional indicator letters
])
def test_forms_a_reader_reads_as_the_name_are_refused(tmp_path: Path, shown: str) -> None:
    from build_site.privacy.gate import scan_text

    assert scan_text(shown, [ALCOTT]) == [ALCOTT]
    (tmp_path / "page.html").write_text(f"<p>{shown}</p>", encoding="utf-8")
    assert [leak.identifier for leak in scan_tree(tmp_path, [ALCOTT])] == [ALCOTT]


def test_an_override_elsewhere_reads_as_written(tmp_path: Path) -> None:
    from build_site.privacy.gate import scan_text, visual_order

    assert visual_order("abc \u202edef\u202c ghi") == "abc fed\u202c ghi"
    assert scan_text("She met \u202eAlcott\u202c in town.", [ALCOTT]) == [ALCOTT]  # both ways
    assert scan_text("Small acts, ʀᴇᴀʟʟʏ.", [ALCOTT]) == []


# Bytes an image holds outside its known metadata are refused (adversarial review: a name
# after IEND or EOI, in a private PNG chunk or a Latin-1 JPEG APP segment passed with exit 0).

def _png_chunk(kind: bytes, body: bytes) -> bytes:
    import struct
    import zlib

    return struct.pack(">I", len(body)) + kind + body + struct.pack(
        ">I", zlib.crc32(kind + body))


def _with_app_segment(jpeg: bytes, marker: int, payload: bytes) -> bytes:
    import struct

    return jpeg[:2] + bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload \
        + jpeg[2:]


def test_images_with_bytes_outside_their_metadata_are_refused(tmp_path: Path) -> None:
    png, jpeg = _png(Software="x"), _jpeg(comment=b"Ada")
    private = png[:33] + _png_chunk(b"prVt", b"Margery Quill") + png[33:]
    root = _tree(tmp_path, {
        "after-iend.png": png + b"Margery Quill",
        "private.png": private,
        "after-eoi.jpg": jpeg + b"Margery Quill",
        "latin1-app.jpg": _with_app_segment(jpeg, 0xE9, "Quill né\xff".encode("latin-1")),
        "clean.png": png, "clean.jpg": jpeg,
        "text-app.jpg": _with_app_segment(jpeg, 0xE9, b"Ada"),
    })
    with pytest.raises(PrivacyError) as exc:
        scan_tree(root, [NAME])
    assert exc.value.exit_code == 3
    refused = {p.file: p.message for p in exc.value.problems}
    assert set(refused) == {"after-iend.png", "private.png", "after-eoi.jpg",
                            "latin1-app.jpg"}
    assert "13 bytes after the end of the image" in refused["after-iend.png"]
    assert "private PNG chunk 'prVt'" in refused["private.png"]
    assert "APP9 segment" in refused["latin1-app.jpg"]


def test_zip_archive_and_member_comments_are_read(tmp_path: Path) -> None:
    import zipfile

    def commented(archive_comment: bytes, member_comment: bytes) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            info = zipfile.ZipInfo("word/document.xml")
            info.comment = member_comment
            archive.writestr(info, b"<w:t>Ada</w:t>")
            archive.comment = archive_comment
        return out.getvalue()

    assert _found(tmp_path, {
        "docs/archive.docx": commented(b"by Margery Quill", b""),
        "docs/member.zip": commented(b"", "Quill né".encode("latin-1")),
        "docs/clean.docx": commented(b"Ada", b"a quilted coat"),
    }) == {"docs/archive.docx", "docs/member.zip"}


def test_pdf_annotations_form_fields_and_attachments_are_read(tmp_path: Path) -> None:
    import pypdfium2

    from .tiny_pdf import tiny_pdf

    def attached(name: str, data: bytes) -> bytes:
        document = pypdfium2.PdfDocument(tiny_pdf("clean"))
        document.new_attachment(name).set_data(data)
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()

    rect = "/Rect [0 0 10 10]"
    assert _found(tmp_path, {
        "note.pdf": tiny_pdf("clean", annots=f"<< /Type /Annot /Subtype /Text {rect} "
                                             "/Contents (Seen by Margery Quill) >>"),
        "field.pdf": tiny_pdf("clean", annots=f"<< /Type /Annot /Subtype /Widget {rect} "
                                              "/FT /Tx /T (patient) /V (Quill) >>"),
        "link.pdf": tiny_pdf("clean", annots=f"<< /Type /Annot /Subtype /Link {rect} /A << "
                                             "/S /URI /URI (https://x/Margery-Quill) >> >>"),
        "attached.pdf": attached("notes.txt", "Quill né".encode("latin-1")),
        "attached-name.pdf": attached("Margery Quill.txt", b"Ada"),
        "clean.pdf": tiny_pdf("clean", annots=f"<< /Type /Annot /Subtype /Text {rect} "
                                              "/Contents (Ada) >>"),
    }) == {"note.pdf", "field.pdf", "link.pdf", "attached.pdf", "attached-name.pdf"}


def test_css_escapes_and_base64_data_uris_are_decoded(tmp_path: Path) -> None:
    import base64

    def data_uri(kind: str, content: bytes) -> bytes:
        return f"data:{kind};base64,{base64.b64encode(content).decode()}".encode()

    svg = b"<svg><text>Margery Q&#117;ill</text></svg>"
    assert _found(tmp_path, {
        "assets/extra.css": b'.x::after { content: "Margery \\51 uill"; }',
        "style.html": b'<style>p::before{content:"\\4D argery \\000051uill"}</style>',
        "svg.html": b'<img src="' + data_uri("image/svg+xml", svg) + b'">',
        "text.html": b'<a href="' + data_uri("text/plain;charset=utf-8", b"Quill") + b'">x</a>',
        "clean.html": b'<img src="' + data_uri("image/svg+xml", b"<svg>Ada</svg>")
                      + b'"><style>p{content:"\\41 da"}</style>',
    }) == {"assets/extra.css", "style.html", "svg.html", "text.html"}


def test_svg_text_is_read_in_the_order_it_is_drawn(tmp_path: Path) -> None:
    assert _found(tmp_path, {
        "tspans.svg": b'<svg><text y="20"><tspan x="60">ll</tspan><tspan x="0">Q'
                      b'</tspan><tspan x="20">ui</tspan></text></svg>',
        "glyphs.svg": b'<svg><text x="40 0 10 20 30" y="9">lQuil</text></svg>',
        "inline.html": b'<p><svg><text><tspan x="30">ill</tspan><tspan x="1">Qu</tspan>'
                       b'</text></svg></p>',
        "clean.svg": b'<svg><text><tspan x="9">Ada</tspan><tspan x="0">Quilted</tspan>'
                     b'</text></svg>',
    }) == {"tspans.svg", "glyphs.svg", "inline.html"}


@pytest.mark.parametrize("mark", ["\u2039", "\u203a", "\uff1c", "\uff1e", "\ufe64"])
def test_a_name_split_by_a_tag_holding_a_bracket_look_alike_is_found(
        tmp_path: Path, mark: str) -> None:
    # the canonical reading turns "‹" or "＞" into "<" or ">", so the tag between the halves
    # no longer reads as one tag; a browser still shows "Quill"
    (tmp_path / "page.html").write_text(f"<p>Qu<b title=\"{mark}\">ill</b></p>",
                                        encoding="utf-8")
    assert [leak.identifier for leak in scan_tree(tmp_path, [NAME])] == [NAME]


@pytest.mark.parametrize("text", ["Quill|C1", "seen by|Quill", "x|Margery Quill|y",
                                  "<code>Quill|C1</code>", "Quill\u00b9 wrote", "Quill\u2122",
                                  "\u00bdQuill", "Quill\uff5cC1", "Quill\u2223C1",
                                  "Quill\u2014the doctor", "\u2015Quill", "Quill\u00d72"])
def test_a_name_beside_a_character_read_as_a_letter_is_found(tmp_path: Path, text: str) -> None:
    # the reading reads "|" as "l" (a look-alike) and "¹" as "1", which glued them to the
    # name: "quilll", "quill1"
    (tmp_path / "page.html").write_text(f"<p>{text}</p>", encoding="utf-8")
    assert [leak.identifier for leak in scan_tree(tmp_path, [NAME])] == [NAME]


def test_a_pipe_inside_a_name_is_still_read_as_a_letter(tmp_path: Path) -> None:
    (tmp_path / "page.txt").write_text("Qui|l came", encoding="utf-8")
    assert [leak.identifier for leak in scan_tree(tmp_path, [NAME])] == [NAME]


def test_the_text_read_around_a_pipe_cuts_no_word() -> None:
    from build_site.privacy.gate import GLUE_WINDOW, around_glue

    word = "Jo" + "a" * 16 + "nn"
    text = f"{word} {'y' * (GLUE_WINDOW - 11)}|"  # the window starts inside the word
    assert around_glue(text).split()[0] == word
