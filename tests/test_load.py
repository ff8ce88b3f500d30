from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest

import build_site.forked_map as forked_map
import build_site.load as load
from build_site.errors import StudyError
from build_site.load import decode_text, load_study_folder, read_markdown_file
from build_site.synth import default_clinicians, write_synthetic_study


def test_decodes_utf16_with_bom_and_crlf() -> None:
    raw = codecs.BOM_UTF16_LE + "D: Hello\r\nP: Hi\r\n".encode("utf-16-le")
    assert decode_text(raw, "x.txt") == "D: Hello\nP: Hi\n"


def test_utf8_bom_and_decomposed_unicode_are_normalised() -> None:
    raw = codecs.BOM_UTF8 + "Jose\u0301".encode()
    assert decode_text(raw, "x.md") == "Jos\u00e9"


def test_windows_1252_is_refused_with_line_and_fix() -> None:
    raw = "line one\nit\u2019s Word\n".encode("cp1252")
    with pytest.raises(StudyError) as exc:
        decode_text(raw, "dyads/X.md")
    problem = exc.value.problems[0]
    assert (problem.file, problem.line) == ("dyads/X.md", 2)
    assert "UTF-8" in problem.hint


def test_front_matter_lines_are_file_lines(tmp_path: Path) -> None:
    path = tmp_path / "d.md"
    path.write_text("---\nid: A\ncodes:\n  - x\n---\nBody text\n", encoding="utf-8")
    doc = read_markdown_file(tmp_path, path)
    assert doc.data.key_lines["codes"] == 3
    assert doc.body == "Body text"
    assert doc.body_line == 6


def test_missing_front_matter_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "d.md"
    path.write_text("no front matter\n", encoding="utf-8")
    with pytest.raises(StudyError, match="missing front matter"):
        read_markdown_file(tmp_path, path)


def test_missing_folder_and_files(tmp_path: Path) -> None:
    with pytest.raises(StudyError, match="study folder not found"):
        load_study_folder(tmp_path / "nope")
    with pytest.raises(StudyError) as exc:
        load_study_folder(tmp_path)
    assert {p.file for p in exc.value.problems} == {"study.yml", "model.yml", "codebook.yml"}


def test_empty_file_is_an_error(tiny: Path) -> None:
    (tiny / "dyads" / "C2-P1.md").write_text("", encoding="utf-8")
    with pytest.raises(StudyError, match="file is empty"):
        load_study_folder(tiny)


def test_symlink_outside_study_is_refused(tiny: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text((tiny / "dyads" / "C2-P1.md").read_text(), encoding="utf-8")
    target = tiny / "dyads" / "C2-P1.md"
    target.unlink()
    os.symlink(outside, target)
    with pytest.raises(StudyError, match="outside the study folder through a symlink"):
        load_study_folder(tiny)


def test_transcript_outside_study_is_refused(tiny: Path) -> None:
    path = tiny / "dyads" / "C2-P1.md"
    path.write_text(path.read_text().replace("status: draft", "status: draft\ntranscript: ../x"))
    with pytest.raises(StudyError, match="outside the study folder"):
        load_study_folder(tiny)

needs_two_cores = pytest.mark.skipif(forked_map.workers_for(10**6, 1) < 2,
                                     reason="one core or no fork here: no pool to test")


def _lines(value: object) -> object:
    """``value`` with the line numbers the loader attached, for comparing two loads."""
    if isinstance(value, dict):
        return (getattr(value, "line", None), getattr(value, "key_lines", None),
                {k: _lines(v) for k, v in value.items()})
    if isinstance(value, list):
        return (getattr(value, "line", None), getattr(value, "item_lines", None),
                [_lines(v) for v in value])
    return value


@pytest.fixture
def synthetic(tmp_path: Path) -> Path:
    """A synthetic study of 12 dyads (4 clinicians)."""
    folder = tmp_path / "study"
    write_synthetic_study(folder, 12, default_clinicians(12), 4, 1)
    return folder


@needs_two_cores
def test_case_files_read_on_two_cores_are_what_one_process_reads(
        synthetic: Path, pools_started: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(load, "POOL_MIN_FILES", 2)
    monkeypatch.setattr(load, "CHUNK", 3)  # many tasks, finished in any order
    pooled = load_study_folder(synthetic)
    assert pools_started == [2, 2]  # clinicians, then dyads
    monkeypatch.setattr(load, "POOL_MIN_FILES", 10**9)
    alone = load_study_folder(synthetic)
    assert pools_started == [2, 2]
    for kind in ("clinicians", "dyads"):
        got, want = getattr(pooled, kind), getattr(alone, kind)
        assert [(d.path, d.body, d.body_line, _lines(d.data)) for d in got] == [
            (d.path, d.body, d.body_line, _lines(d.data)) for d in want]
    assert len(pooled.dyads) == 12 and pooled.dyads[0].data.key_lines["id"] == 2


@needs_two_cores
def test_broken_case_files_read_on_two_cores_name_their_file_and_line(
        synthetic: Path, pools_started: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    dyads = sorted((synthetic / "dyads").glob("*.md"))
    for path in (dyads[1], dyads[-1]):
        path.write_text(path.read_text(encoding="utf-8").replace("\nid:", "\nid: [", 1),
                        encoding="utf-8")
    monkeypatch.setattr(load, "POOL_MIN_FILES", 2)
    with pytest.raises(StudyError) as pooled:
        load_study_folder(synthetic)
    assert pools_started[-1] == 2
    monkeypatch.setattr(load, "POOL_MIN_FILES", 10**9)
    with pytest.raises(StudyError) as alone:
        load_study_folder(synthetic)
    assert pooled.value.problems == alone.value.problems
    assert [(p.file, p.line) for p in pooled.value.problems] == [
        (f"dyads/{dyads[1].name}", 3), (f"dyads/{dyads[-1].name}", 3)]  # the line after "id: ["
