"""``export-qdpx``: valid QDA-XML, selections at the right positions, round trips."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import defusedxml.ElementTree as DET
import pytest
import xmlschema

from build_site.errors import StudyError, UsageError
from build_site.pipeline import load_and_validate
from build_site.refi_qda.exchange import ExportOptions, export_qdpx, import_qdpx
from build_site.refi_qda.write import fold, lf_positions
from build_site.study import Study
from tests.conftest import FIXTURES, REPO
from tests.refi_qda.qdpx_builder import cases
from tests.refi_qda.test_samples import shared

NS = {"q": "urn:QDA-XML:project:1.0"}
STUDIES = {"tiny": FIXTURES / "tiny", "osce": REPO / "examples" / "osce",
           "casestudies": REPO / "casestudies"}


@pytest.fixture(scope="module")
def schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(shared("Project.xsd")))


def selections(qdpx: Path) -> dict[str, tuple[str, list[str]]]:
    """Excerpt id (the selection's name) -> (source text at its positions, code names)."""
    out = {}
    with zipfile.ZipFile(qdpx) as archive:
        root = DET.fromstring(archive.read("project.qde"))
        names = {c.get("guid"): c.get("name") for c in root.iter(f"{{{NS['q']}}}Code")}
        for source in root.iterfind(".//q:TextSource", NS):
            path = source.get("plainTextPath", "").removeprefix("internal://")
            text = archive.read(f"sources/{path}").decode("utf-8")
            for sel in source.iterfind("q:PlainTextSelection", NS):
                start, end = int(sel.get("startPosition", "")), int(sel.get("endPosition", ""))
                codes = [names[r.get("targetGUID")] or "" for r in
                         sel.iterfind("q:Coding/q:CodeRef", NS)]
                out[sel.get("name", "")] = (text[start:end], codes)
    return out


def by_label(study: Study) -> dict[str, tuple[str, list[str]]]:
    labels = {c.id: c.label for c in study.codebook.codes}
    return {e.id: (fold(e.text)[0], [labels[c] for c in e.codes])
            for case in cases(study) for e in case.excerpts}


@pytest.mark.parametrize("name", sorted(STUDIES))
def test_export_is_valid_and_every_selection_quotes_its_excerpt(
        tmp_path: Path, schema: xmlschema.XMLSchema, name: str) -> None:
    study = load_and_validate(STUDIES[name])
    qdpx = tmp_path / f"{name}.qdpx"
    report = export_qdpx(STUDIES[name], qdpx)
    with zipfile.ZipFile(qdpx) as archive:
        schema.validate(archive.read("project.qde").decode("utf-8"))
    found = selections(qdpx)
    expected = by_label(study)
    assert {k: (fold(t)[0], c) for k, (t, c) in found.items()} == expected
    assert report.selections == len(expected) and report.codes == len(study.codebook.codes)
    again = tmp_path / "again.qdpx"
    export_qdpx(STUDIES[name], again)
    assert again.read_bytes() == qdpx.read_bytes()  # deterministic


def test_transcripts_are_sources_and_quotes_are_found_in_them(tmp_path: Path) -> None:
    qdpx = tmp_path / "osce.qdpx"
    report = export_qdpx(STUDIES["osce"], qdpx)
    assert not any("(excerpts)" in w for w in report.warnings)
    assert report.sources == 10  # one per transcript: every excerpt was found verbatim-ish
    assert any("--line-endings lf" in w for w in report.warnings)  # the transcripts use CRLF


def test_line_endings_lf_for_atlas_ti(tmp_path: Path, schema: xmlschema.XMLSchema) -> None:
    qdpx = tmp_path / "osce.qdpx"
    export_qdpx(STUDIES["osce"], qdpx, ExportOptions(line_endings="lf"))
    with zipfile.ZipFile(qdpx) as archive:
        texts = [archive.read(n) for n in archive.namelist() if n.startswith("sources/")]
        schema.validate(archive.read("project.qde").decode("utf-8"))
    assert texts and not any(b"\r" in t for t in texts)
    assert {k: (fold(t)[0], c) for k, (t, c) in selections(qdpx).items()} == by_label(
        load_and_validate(STUDIES["osce"]))


def test_lf_positions() -> None:
    text, moved = lf_positions("a\r\nb\rc")
    assert text == "a\nb\nc" and moved == [0, 1, 1, 2, 3, 4, 5]


def test_round_trip_of_a_written_study_keeps_cases_ids_text_and_codes(tmp_path: Path) -> None:
    for name in ("osce", "tiny"):
        qdpx = tmp_path / f"{name}.qdpx"
        export_qdpx(STUDIES[name], qdpx)
        import_qdpx(qdpx, tmp_path / name)
        first, second = load_and_validate(STUDIES[name]), load_and_validate(tmp_path / name)
        assert by_label(second) == by_label(first)
        assert sorted((d.id, d.clinician) for d in second.dyads) == sorted(
            (d.id, d.clinician) for d in first.dyads)
        assert sorted(c.id for c in second.clinicians) == sorted(c.id for c in first.clinicians)
        memos = sorted(m.text for case in cases(first) for m in case.memos)
        assert sorted(m.text for case in cases(second)
                      for m in case.memos) == memos


def test_withdrawn_participants_are_left_out(tiny: Path, tmp_path: Path) -> None:
    path = tiny / "dyads" / "C1-P2.md"
    text = path.read_text(encoding="utf-8")
    assert "patient: {" in text
    path.write_text(text.replace("patient: {", "patient: {withdrawn: true, ", 1),
                    encoding="utf-8")
    assert load_and_validate(tiny).dyads[1].consent.patient.withdrawn
    qdpx = tmp_path / "out.qdpx"
    report = export_qdpx(tiny, qdpx)
    assert any("'C1-P2' left out" in w for w in report.warnings)
    assert not any(k.startswith("C1-P2") for k in selections(qdpx))


def test_refused_outputs(tiny: Path, tmp_path: Path) -> None:
    for out, message in [(tiny / "study.qdpx", "could publish"),
                         (tiny.parent / "docs" / "x.qdpx", "could publish"),
                         (tmp_path / "x.zip", "must name a .qdpx"),
                         (tmp_path / "missing" / "x.qdpx", "does not exist")]:
        (tiny.parent / "docs").mkdir(exist_ok=True)
        with pytest.raises(UsageError, match=message):
            export_qdpx(tiny, out)
    export_qdpx(tiny, tiny / "private" / "ok.qdpx")  # private/ is never published
    broken = tmp_path / "broken"
    shutil.copytree(tiny, broken)
    (broken / "model.yml").write_text("components: []\n", encoding="utf-8")
    with pytest.raises(StudyError):
        export_qdpx(broken, tmp_path / "x.qdpx")
    assert not (tmp_path / "x.qdpx").exists()
