"""The two real REFI-QDA exports in ``../shared/data/refi-qda`` import, build and round-trip.

They are AGPL-licensed data: read from ``../shared`` beside the repository, never copied in.
These tests fail, not skip, when the files are missing.
"""

from __future__ import annotations

import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import defusedxml.ElementTree as DET
import pytest
import xmlschema

from build_site.pipeline import build, load_and_validate
from build_site.refi_qda.exchange import export_qdpx, import_qdpx
from build_site.study import Study
from tests.refi_qda.qdpx_builder import cases

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "refi-qda"
NS = {"q": "urn:QDA-XML:project:1.0"}
DEMO = "qualitative-coding-demo.qdpx"
NVIVO = "nvivo-mac15-project.qdpx"


def shared(name: str) -> Path:
    path = SHARED / name
    assert path.is_file(), (f"{path} is missing: the REFI-QDA samples are read from ../shared "
                            "beside the repository (never copied into it)")
    return path


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Both samples imported once for the module."""
    root = tmp_path_factory.mktemp("samples")
    return {name: (import_qdpx(shared(name), root / name), root / name)[1]
            for name in (DEMO, NVIVO)}


def every_coded_selection(qdpx: Path) -> Counter[tuple[str, tuple[str, ...]]]:
    """Read the raw archive without the importer: for every coded selection, the source text
    at [startPosition, endPosition) and the names of its codes."""
    with zipfile.ZipFile(qdpx) as archive:
        root = DET.fromstring(archive.read("project.qde"))
        names = {c.get("guid"): c.get("name") for c in root.iter(f"{{{NS['q']}}}Code")}
        found: Counter[tuple[str, tuple[str, ...]]] = Counter()
        for source in root.iterfind(".//q:TextSource", NS):
            text = archive.read(f"sources/{source.get('plainTextPath')}").decode("utf-8")
            for sel in source.iterfind("q:PlainTextSelection", NS):
                codes = tuple(sorted({names[ref.get("targetGUID")] or "" for ref in
                                      sel.iterfind("q:Coding/q:CodeRef", NS)}))
                if codes:
                    start, end = int(sel.get("startPosition", "")), int(sel.get("endPosition", ""))
                    found[(text[start:end], codes)] += 1
    return found


def imported_excerpts(study: Study) -> Counter[tuple[str, tuple[str, ...]]]:
    labels = {c.id: c.label for c in study.codebook.codes}
    return Counter((e.text, tuple(sorted({labels[c] for c in e.codes})))
                   for case in cases(study) for e in case.excerpts)


def test_every_coded_selection_becomes_an_excerpt_with_its_exact_text(
        imported: dict[str, Path]) -> None:
    expected = every_coded_selection(shared(DEMO))
    assert sum(expected.values()) == 158
    study = load_and_validate(imported[DEMO])
    assert imported_excerpts(study) == expected
    assert all(not e.publish for d in study.dyads for e in d.excerpts)
    assert sum(len(code_ids) for code_ids in
               (e.codes for d in study.dyads for e in d.excerpts)) == 205


def test_demo_sample_maps_sources_and_codes(imported: dict[str, Path]) -> None:
    study = load_and_validate(imported[DEMO])
    assert sorted(d.id for d in study.dyads) == ["admin-1", "board_2017"]
    assert {d.transcript for d in study.dyads} == {"private/transcripts/admin-1.txt",
                                                   "private/transcripts/board_2017.txt"}
    assert len(study.codebook.codes) == 262
    report = (imported[DEMO] / "import-report.md").read_text(encoding="utf-8")
    assert "bare path without 'internal://'" in report
    with zipfile.ZipFile(shared(DEMO)) as archive:
        original = archive.read("sources/board_2017.txt")
    assert (imported[DEMO] / "private/transcripts/board_2017.txt").read_bytes() == original


def test_nvivo_sample_reads_the_docx_and_keeps_every_code(imported: dict[str, Path]) -> None:
    study = load_and_validate(imported[NVIVO])
    assert len(study.dyads) == 2 and all(not d.excerpts for d in study.dyads)
    codes = study.codebook.codes
    assert len(codes) == 262 and len({c.id for c in codes}) == 262
    assert [c.label for c in codes].count("programming") == 2
    report = (imported[NVIVO] / "import-report.md").read_text(encoding="utf-8")
    assert "text read from the .docx" in report and "no text" in report


@pytest.mark.parametrize("name", [DEMO, NVIVO])
def test_sample_builds_a_review_site(imported: dict[str, Path], tmp_path: Path,
                                     name: str) -> None:
    out = tmp_path / "site"
    report = build(imported[name], out, audience="review")
    assert (out / "index.html").is_file() and report.pages > 5
    for dyad in load_and_validate(imported[name]).dyads:
        assert (out / "dyads" / f"{dyad.id}.html").is_file()
    if name == DEMO:
        page = (out / "dyads" / "board_2017.html").read_text(encoding="utf-8")
        assert "joyful, purposeful learning" in page


def _excerpt_table(study: Study) -> dict[str, tuple[str, list[str]]]:
    return {e.id: (e.text, e.codes) for case in cases(study)
            for e in case.excerpts}


def _codebook(study: Study) -> list[tuple[Any, ...]]:
    return [(c.id, c.label, c.parent, c.colour, c.definition) for c in study.codebook.codes]


@pytest.mark.parametrize("name", [DEMO, NVIVO])
def test_round_trip_import_export_import(imported: dict[str, Path], tmp_path: Path,
                                         name: str) -> None:
    qdpx = tmp_path / "export.qdpx"
    export_qdpx(imported[name], qdpx)
    schema = xmlschema.XMLSchema(str(shared("Project.xsd")))
    with zipfile.ZipFile(qdpx) as archive:
        schema.validate(archive.read("project.qde").decode("utf-8"))
        exported_guids = {c.get("guid") for c in DET.fromstring(
            archive.read("project.qde")).iter(f"{{{NS['q']}}}Code")}
    with zipfile.ZipFile(shared(name)) as archive:
        original_guids = {c.get("guid") for c in DET.fromstring(
            archive.read("project.qde")).iter(f"{{{NS['q']}}}Code")}
    assert exported_guids == original_guids  # the codes keep their identities
    import_qdpx(qdpx, tmp_path / "again")
    first, second = load_and_validate(imported[name]), load_and_validate(tmp_path / "again")
    assert _excerpt_table(second) == _excerpt_table(first)
    assert _codebook(second) == _codebook(first)
    assert [(d.id, d.clinician) for d in second.dyads] == [(d.id, d.clinician)
                                                            for d in first.dyads]
