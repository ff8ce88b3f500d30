"""Issue 22 item 1: a mapping sets roles, consent, status and publish flags, at import or
afterwards (``apply-mapping``); consent from a CSV sheet, validated with file:line errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from build_site.cli import main
from build_site.errors import EXIT_INVALID, StudyError
from build_site.pipeline import load_and_validate
from build_site.refi_qda.consent_sheet import load_consent_sheet, parse_consent_sheet
from build_site.refi_qda.exchange import ImportOptions, apply_mapping, import_qdpx
from build_site.refi_qda.mapping import load_mapping
from build_site.study import Speaker
from tests.refi_qda.qdpx_builder import (
    CODES,
    INTERVIEW,
    Src,
    project_xml,
    standard_selections,
    write_qdpx,
)

HEADER = "case,participant,quote,public_site,archive,share_with_clinician,withdrawn\n"


def _qdpx(tmp_path: Path) -> Path:
    sources = [Src(1, "Interview one", "internal://interview-1.txt",
                   selections=standard_selections(INTERVIEW)),
               Src(2, "Interview two", "internal://interview-2.txt",
                   selections=standard_selections(INTERVIEW))]
    return write_qdpx(tmp_path / "p.qdpx", project_xml(CODES, sources),
                      {"sources/interview-1.txt": INTERVIEW,
                       "sources/interview-2.txt": INTERVIEW})


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_mapping_at_import_sets_status_publish_consent_and_speaker(tmp_path: Path) -> None:
    mapping = _write(tmp_path / "m.yml", """
defaults: {status: team-reviewed, publish: true}
sources:
  interview-1.txt: {dyad: D1-P1, clinician: D1, status: approved,
                    consent: {quote: true, public_site: true}}
  Interview two: {speaker: clinician, publish: false}
""")
    sheet = _write(tmp_path / "c.csv", HEADER + "D1,clinician,yes,yes,no,no,no\n"
                                                "Interview two,carer,yes,no,no,no,no\n")
    to = tmp_path / "study"
    report = import_qdpx(_qdpx(tmp_path), to, ImportOptions(
        mapping=load_mapping(mapping), consent=load_consent_sheet(sheet)))
    study = load_and_validate(to)
    dyads = {d.id: d for d in study.dyads}
    one, two = dyads["D1-P1"], dyads["Interview-two"]
    assert one.status.value == "approved" and one.consent.patient.allows_public_quote()
    assert all(e.publish for e in one.excerpts)
    assert two.status.value == "team-reviewed" and not two.consent.patient.quote
    assert not any(e.publish for e in two.excerpts)
    assert {e.speaker for e in two.excerpts} == {Speaker.clinician}
    assert two.consent.others["carer"].quote and "carer" in two.interview.others_present
    (d1,) = [c for c in study.clinicians if c.id == "D1"]
    assert d1.consent.public_site and d1.status.value == "team-reviewed"
    assert any("mapping and consent sheet" in line for line in report.mapped)


def test_apply_mapping_afterwards_rewrites_only_what_changes(tmp_path: Path) -> None:
    to = tmp_path / "study"
    import_qdpx(_qdpx(tmp_path), to)
    before = {p: p.read_bytes() for p in to.rglob("*") if p.is_file()}
    body = (to / "dyads/Interview-one.md").read_text(encoding="utf-8").rpartition("---\n")[2]
    mapping = _write(tmp_path / "m.yml", "sources:\n  interview-1.txt: {dyad: Interview-one, "
                                         "clinician: D7, status: member-checked}\n")
    report = apply_mapping(to, load_mapping(mapping), None)
    assert report.created == ["clinicians/D7.md"]
    assert [line.split(":")[0] for line in report.changed] == ["dyads/Interview-one.md"]
    after = {p: p.read_bytes() for p in to.rglob("*") if p.is_file()}
    changed = {p.relative_to(to).as_posix() for p in after if after[p] != before.get(p)}
    assert changed == {"dyads/Interview-one.md", "clinicians/D7.md"}
    text = (to / "dyads/Interview-one.md").read_text(encoding="utf-8")
    assert text.endswith("---\n" + body)  # the narrative is kept byte for byte
    study = load_and_validate(to)
    dyads = {d.id: d for d in study.dyads}
    assert dyads["Interview-one"].clinician == "D7"
    assert dyads["Interview-one"].status.value == "member-checked"
    assert dyads["Interview-two"].clinician == "unassigned"  # still named: the stand-in stays
    assert {c.id for c in study.clinicians} == {"D7", "unassigned"}


def test_apply_mapping_refuses_a_rename_and_changes_nothing(tmp_path: Path) -> None:
    to = tmp_path / "study"
    import_qdpx(_qdpx(tmp_path), to)
    before = {p: p.read_bytes() for p in to.rglob("*") if p.is_file()}
    mapping = _write(tmp_path / "m.yml", "defaults: {status: approved}\nsources:\n"
                                         "  interview-1.txt: {dyad: D9-P1}\n")
    with pytest.raises(StudyError) as refused:
        apply_mapping(to, load_mapping(mapping), None)
    (problem,) = refused.value.problems
    assert (problem.file, problem.line) == ("m.yml", 3)
    assert "import again" in problem.hint
    assert {p: p.read_bytes() for p in to.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize(("rows", "line", "message"), [
    ("D1,patient,yes,maybe,no,no,no\n", 2, "public_site: 'maybe' is not yes or no"),
    ("D1,patient,yes,yes,no,no,no\nD1,patient,no,no,no,no,no\n", 3, "already on line 2"),
    (",patient,yes,yes,no,no,no\n", 2, "case is empty"),
    # one cell too many or too few: read by position, withdrawn would be lost or taken as no
    ("D1,patient,yes,yes,,yes,no,yes\n", 2, "8 cells where the first row names 7 columns"),
    ("D1,patient,no,no,no,no,no\nD2,patient,yes,yes,yes,yes\n", 3,
     "6 cells where the first row names 7 columns"),
])
def test_consent_sheet_errors_name_file_and_line(rows: str, line: int, message: str) -> None:
    with pytest.raises(StudyError) as refused:
        parse_consent_sheet(HEADER + rows, "consent.csv")
    (problem,) = refused.value.problems
    assert (problem.file, problem.line) == ("consent.csv", line)
    assert message in problem.message


def test_consent_sheet_needs_every_column_and_ignores_others() -> None:
    with pytest.raises(StudyError) as refused:
        parse_consent_sheet("case;participant;quote;public-site\nD1;;yes;yes\n", "c.csv")
    assert "public_site" in refused.value.problems[0].message
    assert refused.value.problems[0].line == 1
    sheet = parse_consent_sheet("\ufeffName;" + HEADER.replace(",", ";")
                                + "Jane Doe;D1;;Yes;TRUE;;1;n\n", "c.csv")
    (row,) = sheet.rows
    assert (row.case, row.participant, row.line) == ("D1", "", 2)
    assert row.consent.quote and row.consent.public_site and row.consent.share_with_clinician
    assert not row.consent.archive and not row.consent.withdrawn
    assert "Jane" not in repr(sheet)  # other columns are never kept


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_consent_sheet_in_utf16_with_a_byte_order_mark_is_read(tmp_path: Path,
                                                               encoding: str) -> None:
    bom = "" if encoding == "utf-16" else "\ufeff"
    sheet = tmp_path / "c.csv"
    sheet.write_bytes((bom + HEADER + "D1,patient,yes,no,no,no,yes\r\n").encode(encoding))
    (row,) = load_consent_sheet(sheet).rows
    assert row.case == "D1" and row.consent.quote and row.consent.withdrawn


def test_consent_sheet_marked_utf16_but_not_is_an_encoding_error(tmp_path: Path) -> None:
    """A UTF-16 byte-order mark before UTF-8 bytes read as garbled text and was reported as
    'missing column(s)', sending the coordinator to look for a misspelt header."""
    sheet = tmp_path / "c.csv"
    sheet.write_bytes(b"\xff\xfe" + (HEADER + "D1,patient,yes,no,no,no,yes\n").encode())
    with pytest.raises(StudyError) as refused:
        load_consent_sheet(sheet)
    (problem,) = refused.value.problems
    assert (problem.file, problem.line) == ("c.csv", 1)
    assert "UTF-16" in problem.message and "UTF-8" in problem.hint
    assert "missing column" not in problem.message


def test_apply_mapping_command_exit_2_with_file_and_line(tmp_path: Path) -> None:
    to = tmp_path / "study"
    import_qdpx(_qdpx(tmp_path), to)
    sheet = _write(tmp_path / "c.csv", HEADER + "Interview-one,patient,yes,yes,no,no,no\n"
                                                "nobody,patient,yes,yes,no,no,no\n"
                                                "Interview-one,clinician,yes,yes,no,no,no\n")
    result = CliRunner().invoke(main, ["apply-mapping", str(to), "--consent", str(sheet)])
    assert result.exit_code == EXIT_INVALID, result.output
    assert "c.csv:3: no case study, source or case called 'nobody'" in result.output
    assert "c.csv:4: 'Interview-one' is a dyad" in result.output
    assert not load_and_validate(to).dyads[0].consent.patient.quote
    result = CliRunner().invoke(main, ["apply-mapping", str(to)])
    assert result.exit_code == EXIT_INVALID and "--mapping, --consent" in result.output


def test_consent_sheet_naming_one_person_twice_is_refused(tmp_path: Path) -> None:
    """A case named by its id and by its source name, or an empty participant and 'Patient',
    is the same person: the last row used to win (a withdrawal overridden by a later yes)."""
    to = tmp_path / "study"
    import_qdpx(_qdpx(tmp_path), to)
    sheet = _write(tmp_path / "c.csv", HEADER + "Interview-one,patient,no,no,no,no,yes\n"
                                                "Interview one,patient,yes,yes,yes,yes,no\n"
                                                "Interview-two,,no,no,no,no,yes\n"
                                                "interview-2.txt,Patient,yes,yes,yes,yes,no\n")
    result = CliRunner().invoke(main, ["apply-mapping", str(to), "--consent", str(sheet)])
    assert result.exit_code == EXIT_INVALID, result.output
    assert "c.csv:3: 'Interview one' (patient) is case 'Interview-one', whose patient is " \
           "already on line 2" in result.output
    assert "c.csv:5: 'interview-2.txt' (patient) is case 'Interview-two', whose patient is " \
           "already on line 4" in result.output
    assert not any(d.consent.patient.quote for d in load_and_validate(to).dyads)


def test_apply_mapping_reads_front_matter_as_the_study_loader_does(tmp_path: Path) -> None:
    """YAML 1.1 would read 'yes' as true and an octal-looking 0o17 as 15: the rewrite must
    keep each value as the study loader reads it."""
    to = tmp_path / "study"
    import_qdpx(_qdpx(tmp_path), to)
    dyad = to / "dyads/Interview-one.md"
    dyad.write_text(dyad.read_text(encoding="utf-8").replace(
        "status: draft\n", "status: draft\ndemographics: {smoker: yes, code: 0o17}\n", 1),
        encoding="utf-8")
    before = load_and_validate(to).dyads[0].demographics
    mapping = _write(tmp_path / "m.yml", "sources:\n  Interview one: {status: approved}\n")
    apply_mapping(to, load_mapping(mapping), None)
    (after,) = [d for d in load_and_validate(to).dyads if d.id == "Interview-one"]
    assert after.status.value == "approved"
    assert after.demographics == before == {"smoker": "yes", "code": "0o17"}
