"""Import of hand-made projects: one per vendor quirk of ``shared/data/refi-qda/README.md``,
plus the mapping rules, notes, cases and ids."""

from __future__ import annotations

import codecs
import io
import re
import unicodedata
from pathlib import Path

import docx
import pytest

from build_site.errors import StudyError
from build_site.pipeline import load_and_validate
from build_site.refi_qda.exchange import ImportOptions, ImportReport, import_qdc, import_qdpx
from build_site.refi_qda.import_plan import line_ending_mode
from build_site.refi_qda.mapping import load_mapping
from build_site.refi_qda.qde import QdaSelection
from build_site.study import Excerpt, Speaker, Study
from tests.refi_qda.qdpx_builder import (
    ACCESS,
    CODES,
    FIXTURES,
    INTERVIEW,
    NO_JUDGEMENT,
    TELLING,
    TRUST,
    USER,
    Sel,
    Src,
    cases,
    code_xml,
    guid,
    project_xml,
    span,
    standard_selections,
    write_qdpx,
)

ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def run(tmp_path: Path, qde: str | bytes, files: dict[str, bytes | str] | None = None,
        qde_name: str = "project.qde", options: ImportOptions | None = None
        ) -> tuple[Path, ImportReport, Study]:
    """Import a hand-made project; return the folder, the report and the validated study."""
    qdpx = write_qdpx(tmp_path / "project.qdpx", qde, files, qde_name)
    to = tmp_path / "study"
    report = import_qdpx(qdpx, to, options)
    return to, report, load_and_validate(to)


def excerpts(study: Study) -> dict[str, Excerpt]:
    return {e.id: e for case in cases(study) for e in case.excerpts}


def by_text(study: Study) -> dict[str, list[str]]:
    return {e.text: e.codes for e in excerpts(study).values()}


def standard_expected(text: str) -> dict[str, list[str]]:
    nl = "\r\n" if "\r\n" in text else "\n"
    return {"She never judged me. Not once": ["no-judgement", "trust"],
            "I was nervous — the café by the clinic was closed": ["access"],
            f"drinking.{nl}I: And now?{nl}P: Now I tell her things": ["telling-first"]}


def test_standard_project_maps_everything(tmp_path: Path) -> None:
    src = Src(1, "Interview one", "internal://interview-1.txt",
              selections=standard_selections(INTERVIEW))
    to, report, study = run(tmp_path, project_xml(CODES, [src]),
                            {"sources/interview-1.txt": INTERVIEW})
    assert by_text(study) == standard_expected(INTERVIEW)
    codes = {c.id: c for c in study.codebook.codes}
    assert codes["no-judgement"].parent == "trust" and codes["trust"].colour == "#FF8800"
    assert codes["no-judgement"].definition == "Expected blame."
    (dyad,) = study.dyads
    assert dyad.id == "Interview-one" and dyad.clinician == "unassigned"
    assert dyad.transcript == "private/transcripts/Interview-one.txt"
    assert (to / dyad.transcript).read_bytes() == INTERVIEW.encode("utf-8")
    assert dyad.status.value == "draft" and not dyad.consent.patient.quote
    assert all(not e.publish and e.speaker is Speaker.patient for e in dyad.excerpts)
    assert [e.id for e in dyad.excerpts] == ["Interview-one-E1", "Interview-one-E2",
                                             "Interview-one-E3"]
    assert [c.id for c in study.model.components] == ["to-be-defined"]
    assert study.meta.title == "Hand-made study (PLACEHOLDER title)"
    assert study.meta.demonstration is False
    assert "PLACEHOLDER" in dyad.narrative
    written = (to / "import-report.md").read_text(encoding="utf-8")
    assert written == report.markdown() and "3 coded selections -> excerpts" in written
    assert "- none" in written.split("## Vendor quirks handled")[1]
    assert (to / ".gitignore").read_text().count("private/") == 1


@pytest.mark.parametrize(("path", "finding"), [
    ("internal:/interview-1.txt", "'internal:/' with one slash"),
    ("interview-1.txt", "bare path without 'internal://'"),
])
def test_non_standard_source_paths(tmp_path: Path, path: str, finding: str) -> None:
    src = Src(1, "one", path, selections=standard_selections(INTERVIEW))
    _, report, study = run(tmp_path, project_xml(CODES, [src]),
                           {"sources/interview-1.txt": INTERVIEW})
    assert by_text(study) == standard_expected(INTERVIEW)
    assert any(finding in q for q in report.quirks)


def test_project_xml_named_after_the_project(tmp_path: Path) -> None:
    src = Src(1, "one", "internal://interview-1.txt", selections=standard_selections(INTERVIEW))
    _, report, study = run(tmp_path, project_xml(CODES, [src], origin="ATLAS.ti 23.2"),
                           {"sources/interview-1.txt": INTERVIEW}, qde_name="My Study.qde")
    assert by_text(study) == standard_expected(INTERVIEW)
    assert any("'My Study.qde', not 'project.qde'" in q for q in report.quirks)


@pytest.mark.parametrize("folder", ["Sources", "SOURCES"])
def test_sources_folder_in_another_case(tmp_path: Path, folder: str) -> None:
    src = Src(1, "one", "internal://interview-1.txt", selections=standard_selections(INTERVIEW))
    _, report, study = run(tmp_path, project_xml(CODES, [src]),
                           {f"{folder}/interview-1.txt": INTERVIEW})
    assert by_text(study) == standard_expected(INTERVIEW)
    assert any("another case" in q for q in report.quirks)


def test_code_groups_joined_by_colons_become_a_hierarchy(tmp_path: Path) -> None:
    codes = (code_xml(1, "Trust::No judgement") + code_xml(2, "Trust::Telling first")
             + code_xml(3, "Access") + code_xml(4, "Access::Hours::Evening", colour="#00ff00"))
    text = INTERVIEW
    src = Src(1, "one", "internal://a.txt", selections=[
        Sel(*span(text, "She never judged me"), [guid(1)]),
        Sel(*span(text, "the café by the clinic was closed"), [guid(4), guid(3)])])
    _, report, study = run(tmp_path, project_xml(codes, [src]), {"sources/a.txt": text})
    codes_by_id = {c.id: c for c in study.codebook.codes}
    assert codes_by_id["trust"].label == "Trust" and codes_by_id["trust"].parent is None
    assert codes_by_id["no-judgement"].parent == "trust"
    assert codes_by_id["no-judgement"].label == "No judgement"
    assert codes_by_id["telling-first"].parent == "trust"
    # an existing code of the group's name is reused as the parent
    assert codes_by_id["hours"].parent == "access"
    assert codes_by_id["evening"].parent == "hours" and codes_by_id["evening"].colour == "#00ff00"
    ids = [c.id for c in study.codebook.codes]
    assert ids.index("trust") < ids.index("no-judgement")
    assert by_text(study) == {"She never judged me": ["no-judgement"],
                              "the café by the clinic was closed": ["evening", "access"]}
    assert any("'::'" in q and "2 group code(s) added" in q for q in report.quirks)


def test_empty_sets_element_is_ignored(tmp_path: Path) -> None:
    src = Src(1, "one", "internal://a.txt", selections=standard_selections(INTERVIEW))
    _, report, study = run(tmp_path, project_xml(CODES, [src], extra_after_sources="<Sets/>"),
                           {"sources/a.txt": INTERVIEW})
    assert by_text(study) == standard_expected(INTERVIEW)
    assert any("empty <Sets/>" in q for q in report.quirks)


def test_utf8_byte_order_marks_are_not_text(tmp_path: Path) -> None:
    src = Src(1, "one", "internal://a.txt", selections=standard_selections(INTERVIEW))
    qde = codecs.BOM_UTF8 + project_xml(CODES, [src]).encode("utf-8")
    to, report, study = run(tmp_path, qde,
                            {"sources/a.txt": codecs.BOM_UTF8 + INTERVIEW.encode("utf-8")})
    assert by_text(study) == standard_expected(INTERVIEW)
    assert (to / "private/transcripts/one.txt").read_bytes() == INTERVIEW.encode("utf-8")
    assert any("byte-order mark" in q and "project.qde" in q for q in report.quirks)
    assert any("byte-order mark" in q and "source 'one'" in q for q in report.quirks)


CRLF = INTERVIEW.replace("\n", "\r\n")


def one_count(phrase: str) -> tuple[int, int]:
    """Positions of ``phrase`` as ATLAS.ti gives them for the CRLF text: CRLF counts one, so
    they are the positions in the LF text."""
    return span(INTERVIEW, phrase.replace("\r\n", "\n"))


@pytest.mark.parametrize(("origin", "positions", "option", "mode"), [
    ("ATLAS.ti 23.2.1", "one", None, "one"),       # ATLAS.ti: CRLF is one character
    ("MAXQDA 2022", "two", None, "two"),           # the standard: CRLF is two code points
    ("QualCoder 3.5", "one", None, "one"),         # unknown tool: detected from boundaries
    ("QualCoder 3.5", "two", None, "two"),
    ("SomeTool", "one", "one", "one"),             # told by the option
])
def test_crlf_counted_as_one_or_two(tmp_path: Path, origin: str, positions: str,
                                    option: str | None, mode: str) -> None:
    expected = standard_expected(CRLF)
    selections = [Sel(*(one_count(p) if positions == "one" else span(CRLF, p)), [guid(4)])
                  for p in expected]
    src = Src(1, "one", "internal://a.txt", selections=selections)
    to, report, study = run(tmp_path, project_xml(CODES, [src], origin=origin),
                            {"sources/a.txt": CRLF},
                            options=ImportOptions(line_endings=option))  # type: ignore[arg-type]
    # text is the source as stored, CRLF included, before any line-ending change
    assert set(by_text(study)) == set(expected)
    assert any("\r\n" in t for t in by_text(study))
    assert (to / "private/transcripts/one.txt").read_bytes() == CRLF.encode("utf-8")
    notes = report.guessed + report.mapped
    assert any(f"counting CRLF as {mode} character" in n for n in notes)


def test_line_ending_mode_without_crlf_is_silent() -> None:
    assert line_ending_mode("a\nb", [QdaSelection("g", "", 0, 1)], "ATLAS.ti", None) == (
        "two", "")


def test_text_only_in_docx_is_read_with_python_docx(tmp_path: Path) -> None:
    document = docx.Document()
    for line in INTERVIEW.rstrip("\n").split("\n"):
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    text = INTERVIEW.rstrip("\n")
    src = Src(1, "nvivo", "internal://x.txt", rich="internal://x.docx",
              selections=[Sel(*span(text, "She never judged me"), [NO_JUDGEMENT])])
    _, report, study = run(tmp_path, project_xml(CODES, [src], origin="NVivo for Mac 15"),
                           {"sources/x.txt": "\n", "sources/x.docx": buffer.getvalue(),
                            "sources/.root": ""})
    assert by_text(study) == {"She never judged me": ["no-judgement"]}
    assert any("text read from the .docx" in q for q in report.quirks)


def test_plain_text_content_inline_and_non_text_sources(tmp_path: Path) -> None:
    src = Src(1, "inline", content=INTERVIEW, selections=standard_selections(INTERVIEW))
    pdf = f'<PDFSource guid="{guid(77)}" name="scan" path="relative://scan.pdf"/>'
    qde = project_xml(CODES, [src]).replace("</Sources>", pdf + "</Sources>")
    _, report, study = run(tmp_path, qde)
    assert by_text(study) == standard_expected(INTERVIEW)
    assert any("PDFSource 'scan' with 0 selection(s) and 0 coding(s)" in s
               for s in report.dropped)


def test_selections_that_cannot_be_excerpts_are_reported(tmp_path: Path) -> None:
    src = Src(1, "one", "internal://a.txt", selections=[
        Sel(*span(INTERVIEW, "She never judged me"), [NO_JUDGEMENT]),
        Sel(5, 10_000, [NO_JUDGEMENT]),                          # past the end
        Sel(*span(INTERVIEW, "Not once"), [guid(999)]),          # unknown code only
        Sel(*span(INTERVIEW, "the drinking"), []),                # no code
        Sel(*span(INTERVIEW, "Now I tell her"), [guid(998), TELLING])])
    _, report, study = run(tmp_path, project_xml(CODES, [src]), {"sources/a.txt": INTERVIEW})
    assert by_text(study) == {"She never judged me": ["no-judgement"],
                              "Now I tell her": ["telling-first"]}
    skipped = "\n".join(report.skipped)
    assert "outside the text" in skipped and "2 selection(s) of 'one' without a code" in skipped
    assert guid(999) in skipped and guid(998) in skipped


def test_notes_become_memos_or_private_notes(tmp_path: Path) -> None:
    notes = ("<Notes>"
             f'<Note guid="{guid(801)}" name="On the source" creatingUser="{guid(0)}">'
             "<PlainTextContent>Recorded in the car park.</PlainTextContent></Note>"
             f'<Note guid="{guid(802)}" name="sel"><PlainTextContent>Key moment.'
             "</PlainTextContent></Note>"
             f'<Note guid="{guid(803)}" name="code"><PlainTextContent>Merge with access?'
             "</PlainTextContent></Note>"
             f'<Note guid="{guid(804)}" name="file" plainTextPath="internal://n.txt"/>'
             "</Notes>")
    src = Src(1, "one", "internal://a.txt", note=guid(801), selections=[
        Sel(*span(INTERVIEW, "She never judged me"), [NO_JUDGEMENT], note=guid(802))])
    codes = code_xml(2, "No judgement", note=guid(803))
    qde = project_xml(codes, [src], extra_after_sources=notes).replace(
        "</Project>", f'<NoteRef targetGUID="{guid(804)}"/></Project>').replace(
        f'<User guid="{USER}"', f'<User guid="{guid(0)}" name="JS"/><User guid="{USER}"')
    to, _, study = run(tmp_path, qde, {"sources/a.txt": INTERVIEW,
                                            "sources/n.txt": "A note kept in a file."})
    (dyad,) = study.dyads
    assert [(m.author, m.text) for m in dyad.memos] == [
        ("JS", "Recorded in the car park."), ("", "On excerpt one-E1: Key moment.")]
    private = (to / "private/notes.md").read_text(encoding="utf-8")
    assert "Merge with access?" in private and "A note kept in a file." in private


def test_cases_become_dyads_with_demographics(tmp_path: Path) -> None:
    cases_xml = ("<Variables>"
                 f'<Variable guid="{guid(601)}" name="age" typeOfVariable="Integer"/>'
                 f'<Variable guid="{guid(602)}" name="gender" typeOfVariable="Text"/></Variables>'
                 "<Cases>"
                 f'<Case guid="{guid(701)}" name="Patient A">'
                 f'<VariableValue><VariableRef targetGUID="{guid(601)}"/>'
                 "<IntegerValue>47</IntegerValue></VariableValue>"
                 f'<VariableValue><VariableRef targetGUID="{guid(602)}"/>'
                 "<TextValue>woman</TextValue></VariableValue>"
                 f'<SourceRef targetGUID="{guid(101)}"/></Case>'
                 f'<Case guid="{guid(702)}" name="Patient A"><SourceRef targetGUID="{guid(102)}"/>'
                 "</Case></Cases>")
    sources = [Src(1, "first", "internal://a.txt", selections=standard_selections(INTERVIEW)),
               Src(2, "second", "internal://a.txt"), Src(3, "third", "internal://a.txt")]
    _, _, study = run(tmp_path, project_xml(CODES, sources, extra_before_sources=cases_xml),
                      {"sources/a.txt": INTERVIEW})
    dyads = {d.id: d for d in study.dyads}
    # two cases of the same name stay two dyads; a source in no case gets its own
    assert sorted(dyads) == ["Patient-A", "Patient-A-2", "third"]
    assert dyads["Patient-A"].demographics == {"age": 47, "gender": "woman"}
    assert len(dyads["Patient-A"].excerpts) == 3


def test_mapping_file_places_sources_and_cases(tmp_path: Path) -> None:
    lee = "Dr Lee: I try never to judge.\n"
    sources = [Src(1, "Interview one", "internal://interview-1.txt",
                   selections=standard_selections(INTERVIEW)),
               Src(2, "Interview two", "internal://interview-2.txt",
                   selections=[Sel(*span(INTERVIEW, "Now I tell her"), [TELLING])]),
               Src(3, "Lee", "internal://lee.txt",
                   selections=[Sel(*span(lee, "I try never to judge"), [NO_JUDGEMENT])]),
               Src(4, "Pilot interview", "internal://pilot.txt",
                   selections=[Sel(0, 4, [ACCESS])])]
    pilot = (f'<Cases><Case guid="{guid(701)}" name="Pilot">'
             f'<SourceRef targetGUID="{guid(104)}"/></Case></Cases>')
    mapping = load_mapping(FIXTURES / "mapping.yml")
    to, report, study = run(
        tmp_path, project_xml(CODES, sources, extra_before_sources=pilot),
        {"sources/interview-1.txt": INTERVIEW, "sources/interview-2.txt": INTERVIEW,
         "sources/lee.txt": lee, "sources/pilot.txt": "Pilot text\n"},
        options=ImportOptions(mapping=mapping))
    assert [d.id for d in study.dyads] == ["D1-P1"] and [c.id for c in study.clinicians] == ["D1"]
    dyad, clinician = study.dyads[0], study.clinicians[0]
    assert dyad.clinician == "D1" and len(dyad.excerpts) == 4
    assert [e.id for e in dyad.excerpts] == [f"D1-P1-E{i}" for i in range(1, 5)]
    transcript = (to / "private/transcripts/D1-P1.txt").read_text(encoding="utf-8")
    assert transcript == INTERVIEW + "\n\n" + INTERVIEW
    assert [(e.speaker, e.text) for e in clinician.excerpts] == [
        (Speaker.clinician, "I try never to judge")]
    assert not (to / "clinicians/nobody-yet.md").exists()
    assert any("Pilot interview" in s and "skip" in s for s in report.skipped)


def test_mapping_file_errors_name_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text("sources:\n  nowhere.txt: {dyad: D1-P1}\n  x: {dyad: D1-P2, skip: true}\n"
                   "speaker: nurse\n", encoding="utf-8")
    with pytest.raises(StudyError) as info:
        load_mapping(bad)
    text = str(info.value)
    assert "bad.yml:3" in text and "skip: true cannot be combined" in text
    assert "bad.yml:4" in text and "speaker" in text
    bad.write_text("sources:\n  nowhere.txt: {dyad: D1-P1}\n", encoding="utf-8")
    src = Src(1, "one", "internal://a.txt")
    qdpx = write_qdpx(tmp_path / "p.qdpx", project_xml(CODES, [src]),
                      {"sources/a.txt": INTERVIEW})
    with pytest.raises(StudyError) as info:
        import_qdpx(qdpx, tmp_path / "study", ImportOptions(mapping=load_mapping(bad)))
    assert "bad.yml:2: no text source called 'nowhere.txt'" in str(info.value)
    assert "one" in str(info.value) and not (tmp_path / "study").exists()


def test_ids_are_valid_unique_and_deterministic(tmp_path: Path) -> None:
    codes = (code_xml(1, "Trust", code_xml(2, "programming")) + code_xml(3, "Other",
             code_xml(4, "programming")) + code_xml(5, "信任") + code_xml(6, "Café au lait")
             + code_xml(7, "one") + code_xml(8, "--x--"))
    sources = [Src(1, "one", "internal://a.txt", selections=[
        Sel(*span(INTERVIEW, "She never judged me"), [guid(n) for n in range(1, 9)])]),
        Src(2, "one", "internal://a.txt"), Src(3, "信任", "internal://a.txt")]
    qde = project_xml(codes, sources)
    _, _, study = run(tmp_path, qde, {"sources/a.txt": INTERVIEW})
    ids = [c.id for c in study.codebook.codes] + [d.id for d in study.dyads] + [
        c.id for c in study.clinicians] + list(excerpts(study))
    assert len(ids) == len(set(ids)) and all(ID.match(i) and len(i) <= 80 for i in ids)
    labels = {c.label: c.id for c in study.codebook.codes}
    assert labels["Café au lait"] == "cafe-au-lait" and labels["--x--"] == "x"
    assert labels["信任"].startswith("code-")
    assert [c.id for c in study.codebook.codes][:4] == [
        "trust", "programming", "other", "other.programming"]
    again = tmp_path / "again"
    again.mkdir()
    _, _, second = run(again, qde, {"sources/a.txt": INTERVIEW})
    assert second == study


def test_split_character_keeps_the_study_valid(tmp_path: Path) -> None:
    text = "Ce\u0301line said: re\u0301ussi!\n"          # decomposed, as macOS may write it
    src = Src(1, "nfd", "internal://a.txt", selections=[
        Sel(0, 2, [ACCESS]),                               # "Ce" without its accent
        Sel(*span(text, "said"), [TRUST])])
    _, report, study = run(tmp_path, project_xml(CODES, [src]), {"sources/a.txt": text})
    assert study.dyads[0].transcript is None
    assert any("splits a character" in s for s in report.skipped)
    assert {e.text for e in excerpts(study).values()} == {"Ce", "said"}
    assert unicodedata.is_normalized("NFC", study.dyads[0].excerpts[0].text)


def test_import_qdc_codebook(tmp_path: Path) -> None:
    to = tmp_path / "study"
    report = import_qdc(FIXTURES / "codebook.qdc", to)
    study = load_and_validate(to)
    codes = {c.id: c for c in study.codebook.codes}
    assert codes["no-judgement"].parent == "trust" and codes["no-judgement"].colour == "#ff8800"
    assert codes["no-judgement"].definition == "The patient expected blame and did not meet it."
    assert codes["access"].colour == "#123" and codes["cafe-talk"].colour is None
    assert codes["cafe-talk"].label == "Café talk"
    assert [d.id for d in study.dyads] == ["placeholder-dyad"]
    assert any("byte-order mark" in q for q in report.quirks)
    assert any("'red'" in s for s in report.skipped)
    assert any("empty <Sets/>" in q for q in report.quirks)


def test_files_outside_the_archive_are_never_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text(INTERVIEW, encoding="utf-8")
    sources = [Src(1, "relative", f"relative://{outside.name}"),
               Src(2, "absolute", f"absolute://{outside}"),
               Src(3, "sneaky", "internal://../outside.txt")]
    to, report, study = run(tmp_path, project_xml(CODES, sources))
    assert all(d.transcript is None for d in study.dyads)
    assert not (to / "private" / "transcripts").exists()
    skipped = "\n".join(report.skipped)
    assert "'relative:' path (outside the archive)" in skipped
    assert "'absolute:' path (outside the archive)" in skipped
    assert "source 'sneaky': unsafe path" in skipped
