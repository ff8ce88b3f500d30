"""Hostile exchange files fail cleanly: exit code 2, a clear message, nothing written."""

from __future__ import annotations

import io
import stat
import struct
import zipfile
from collections.abc import Sequence
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from build_site.cli import main
from build_site.errors import StudyError
from build_site.refi_qda import safe_zip
from build_site.refi_qda.read import read_qdpx
from build_site.refi_qda.safe_zip import Limits
from tests.refi_qda.qdpx_builder import CODES, INTERVIEW, Src, code_xml, project_xml, write_qdpx

MB = 1024 * 1024
PROJECT = project_xml(CODES, [Src(1, "one", "internal://a.txt")])


@pytest.fixture
def cli() -> click.Group:
    return main


def refused(cli: click.Group, qdpx: Path, *fragments: str) -> Result:
    """Import ``qdpx`` and check it is refused with exit code 2, the message holds every
    fragment, and nothing at all was written beside it."""
    before = sorted(p.name for p in qdpx.parent.iterdir())
    to = qdpx.parent / "study"
    result = CliRunner().invoke(cli, ["import-qdpx", str(qdpx), "--to", str(to)])
    assert result.exit_code == 2, result.output
    for fragment in fragments:
        assert fragment in result.output, result.output
    assert "Traceback" not in result.output
    assert not to.exists()
    assert sorted(p.name for p in qdpx.parent.iterdir()) == before
    return result


def archive(path: Path, entries: Sequence[tuple[zipfile.ZipInfo | str, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            zf.writestr(name, data)
    return path


def test_zip_bomb_stops_at_the_cap(cli: click.Group, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(safe_zip, "DEFAULT_LIMITS", Limits(max_unpacked_bytes=1 * MB))
    qdpx = archive(tmp_path / "bomb.qdpx", [("project.qde", PROJECT.encode()),
                                            ("sources/a.txt", b"a" * (5 * MB))])
    assert qdpx.stat().st_size < 50_000
    refused(cli, qdpx, "bomb.qdpx", "exceed the limit of 1,048,576 bytes", "zip bomb")


def test_zip_bomb_whose_header_lies_about_its_size(tmp_path: Path) -> None:
    qdpx = archive(tmp_path / "liar.qdpx", [("project.qde", PROJECT.encode()),
                                            ("sources/a.txt", b"a" * (5 * MB))])
    data = bytearray(qdpx.read_bytes())
    for signature, offset in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):
        at = data.rfind(signature)  # the last entry is sources/a.txt
        data[at + offset:at + offset + 4] = struct.pack("<I", 10)
    qdpx.write_bytes(bytes(data))
    with pytest.raises(StudyError) as info:
        read_qdpx(qdpx, Limits(max_unpacked_bytes=1 * MB))
    assert "liar.qdpx" in str(info.value) and "sources/a.txt" in str(info.value)


def test_bomb_in_a_docx_counts_against_the_same_cap(cli: click.Group, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(safe_zip, "DEFAULT_LIMITS", Limits(max_unpacked_bytes=1 * MB))
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b" " * (3 * MB))
    src = Src(1, "one", "internal://a.txt", rich="internal://a.docx")
    qdpx = archive(tmp_path / "docx.qdpx", [
        ("project.qde", project_xml(CODES, [src]).encode()), ("sources/a.txt", b"\n"),
        ("sources/a.docx", inner.getvalue())])
    refused(cli, qdpx, "a.docx", "exceed the limit")


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE Project [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&lol3;"/>
"""

EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE Project [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&secret;"/>
"""


@pytest.mark.parametrize("xml", [BILLION_LAUGHS, EXTERNAL], ids=["expansion", "external"])
def test_xml_entities_are_refused(cli: click.Group, tmp_path: Path, xml: str) -> None:
    qdpx = write_qdpx(tmp_path / "entities.qdpx", xml)
    refused(cli, qdpx, "entities.qdpx:project.qde", "refused", "entity expansion")


@pytest.mark.parametrize(("name", "why"), [
    ("../evil.txt", "leads out of the archive"),
    ("sources/../../evil.txt", "leads out of the archive"),
    ("..\\evil.txt", "leads out of the archive"),
    ("/etc/passwd", "is an absolute path"),
    ("C:/Windows/evil.txt", "is an absolute path"),
])
def test_paths_leaving_the_archive_are_refused(cli: click.Group, tmp_path: Path, name: str,
                                               why: str) -> None:
    info = zipfile.ZipInfo("placeholder")
    info.filename = name  # set after construction: ZipInfo would tidy the name otherwise
    qdpx = archive(tmp_path / "escape.qdpx", [("project.qde", PROJECT.encode()),
                                              (info, b"gotcha")])
    with zipfile.ZipFile(qdpx) as zf:
        assert name in zf.namelist()
    refused(cli, qdpx, f"entry '{name}' {why}")


def test_too_many_entries(cli: click.Group, tmp_path: Path,
                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(safe_zip, "DEFAULT_LIMITS", Limits(max_entries=20))
    qdpx = archive(tmp_path / "many.qdpx", [("project.qde", PROJECT.encode())] + [
        (f"sources/{i}.txt", b"x") for i in range(25)])
    refused(cli, qdpx, "26 entries; the limit is 20")


def test_symbolic_link_duplicate_and_encrypted_entries(cli: click.Group, tmp_path: Path) -> None:
    link = zipfile.ZipInfo("sources/a.txt")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    qdpx = archive(tmp_path / "link.qdpx", [("project.qde", PROJECT.encode()),
                                            (link, b"/etc/passwd")])
    refused(cli, qdpx, "is a symbolic link")
    qdpx.unlink()
    with pytest.warns(UserWarning, match="Duplicate name"):
        archive(qdpx, [("project.qde", PROJECT.encode()), ("sources/a.txt", b"1"),
                       ("sources/a.txt", b"2")])
    refused(cli, qdpx, "'sources/a.txt' appears twice")
    qdpx.unlink()
    archive(qdpx, [("project.qde", PROJECT.encode())])
    data = bytearray(qdpx.read_bytes())
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature) + offset
        data[at] |= 0x1  # the "encrypted" bit of the general purpose flags
    qdpx.write_bytes(bytes(data))
    refused(cli, qdpx, "is encrypted")


def test_codes_nested_absurdly_deep(cli: click.Group, tmp_path: Path) -> None:
    codes = ""
    for n in range(2000, 1800, -1):
        codes = code_xml(n, f"c{n}", codes)
    qdpx = write_qdpx(tmp_path / "deep.qdpx", project_xml(codes, []))
    refused(cli, qdpx, "nested deeper than 100 levels")


@pytest.mark.parametrize(("data", "message"), [
    (b"not a zip at all", "not a readable ZIP archive"),
    (b"", "not a readable ZIP archive"),
])
def test_not_an_archive(cli: click.Group, tmp_path: Path, data: bytes, message: str) -> None:
    qdpx = tmp_path / "broken.qdpx"
    qdpx.write_bytes(data)
    refused(cli, qdpx, message)


def test_archive_without_project_or_with_bad_xml(cli: click.Group, tmp_path: Path) -> None:
    qdpx = archive(tmp_path / "empty.qdpx", [("sources/a.txt", INTERVIEW.encode())])
    refused(cli, qdpx, "no project.qde in the archive")
    qdpx.unlink()
    write_qdpx(qdpx, "<Project name='x'><Sources></Project>")
    refused(cli, qdpx, "not well-formed XML")
    qdpx.unlink()
    write_qdpx(qdpx, "<Html/>")
    refused(cli, qdpx, "root element is <Html>")


def test_existing_target_is_refused_and_left_alone(cli: click.Group, tmp_path: Path) -> None:
    qdpx = write_qdpx(tmp_path / "ok.qdpx", PROJECT, {"sources/a.txt": INTERVIEW})
    to = tmp_path / "study"
    to.mkdir()
    (to / "keep.txt").write_text("mine")
    result = CliRunner().invoke(cli, ["import-qdpx", str(qdpx), "--to", str(to)])
    assert result.exit_code == 2 and "exists and is not empty" in result.output
    assert [p.name for p in to.iterdir()] == ["keep.txt"]
    (to / "keep.txt").unlink()
    result = CliRunner().invoke(cli, ["import-qdpx", str(qdpx), "--to", str(to)])
    assert result.exit_code == 0, result.output  # an empty folder is fine
    file_target = tmp_path / "file"
    file_target.write_text("x")
    result = CliRunner().invoke(cli, ["import-qdpx", str(qdpx), "--to", str(file_target)])
    assert result.exit_code == 2 and "names a file" in result.output
