"""Issue 22 item 3: identical spans merge into one excerpt, sets that partition the documents
become case attributes, and the report states what was dropped."""

from __future__ import annotations

from pathlib import Path

from build_site.pipeline import load_and_validate
from build_site.refi_qda.exchange import export_qdpx, import_qdpx
from tests.refi_qda.qdpx_builder import (
    ACCESS,
    CODES,
    INTERVIEW,
    NO_JUDGEMENT,
    TRUST,
    Sel,
    Src,
    guid,
    project_xml,
    span,
    write_qdpx,
)

JUDGED = span(INTERVIEW, "She never judged me. Not once")
NOTE = guid(801)


def _one_selection_per_code(tmp_path: Path) -> Path:
    """As NVivo writes it: the same passage once per code, the note on the second."""
    src = Src(1, "Interview one", "internal://interview-1.txt", selections=[
        Sel(*JUDGED, [TRUST]), Sel(*JUDGED, [NO_JUDGEMENT], note=NOTE),
        Sel(*span(INTERVIEW, "I was nervous"), [ACCESS])])
    notes = (f'<Notes><Note guid="{NOTE}" name="n"><PlainTextContent>Said twice.'
             "</PlainTextContent></Note></Notes>")
    return write_qdpx(tmp_path / "nvivo.qdpx", project_xml(CODES, [src],
                                                           extra_after_sources=notes),
                      {"sources/interview-1.txt": INTERVIEW})


def test_identical_spans_merge_into_one_excerpt_with_all_codes(tmp_path: Path) -> None:
    report = import_qdpx(_one_selection_per_code(tmp_path), tmp_path / "study")
    (dyad,) = load_and_validate(tmp_path / "study").dyads
    assert [(e.text, e.codes) for e in dyad.excerpts] == [
        ("I was nervous", ["access"]),
        ("She never judged me. Not once", ["trust", "no-judgement"])]
    assert any(m.text == "On excerpt Interview-one-E2: Said twice." for m in dyad.memos)
    assert any("1 selection(s) with the same span" in line for line in report.mapped)
    export_qdpx(tmp_path / "study", tmp_path / "again.qdpx")
    import_qdpx(tmp_path / "again.qdpx", tmp_path / "again")
    (again,) = load_and_validate(tmp_path / "again").dyads
    assert [(e.id, e.codes) for e in again.excerpts] == [(e.id, e.codes) for e in dyad.excerpts]


def _with_sets(tmp_path: Path, sets: str, extra: str = "") -> Path:
    sources = [Src(1, "one", "internal://one.txt", selections=[Sel(*JUDGED, [TRUST])]),
               Src(2, "two", "internal://two.txt", selections=[Sel(*JUDGED, [ACCESS])])]
    return write_qdpx(tmp_path / "sets.qdpx", project_xml(
        CODES, sources, extra_after_sources=f"<Sets>{sets}</Sets>{extra}"),
        {"sources/one.txt": INTERVIEW, "sources/two.txt": INTERVIEW})


def _set(n: int, name: str, sources: list[int], codes: list[str] | None = None) -> str:
    members = "".join(f'<MemberSource targetGUID="{guid(100 + s)}"/>' for s in sources)
    members += "".join(f'<MemberCode targetGUID="{c}"/>' for c in codes or [])
    return f'<Set guid="{guid(700 + n)}" name="{name}">{members}</Set>'


def test_sets_that_partition_the_documents_become_case_attributes(tmp_path: Path) -> None:
    sets = (_set(1, "gender: male", [1]) + _set(2, "gender: female", [2])
            + _set(3, "Site::north", [1, 2]) + _set(4, "age: young", [1])
            + _set(5, "Favourites", [], [TRUST]) + _set(6, "pilot", [2]))
    report = import_qdpx(_with_sets(tmp_path, sets), tmp_path / "study")
    dyads = {d.id: d.demographics for d in load_and_validate(tmp_path / "study").dyads}
    assert dyads == {"one": {"gender": "male", "Site": "north"},
                     "two": {"gender": "female", "Site": "north"}}
    dropped = "\n".join(report.dropped)
    assert "sets 'age: ...' (1): they do not partition the documents (1 imported " \
           "document(s) in none)" in dropped
    assert "set 'Favourites': a group of codes" in dropped
    assert "set 'pilot' of 1 document(s): not named 'attribute: value'" in dropped


def test_report_states_what_was_dropped(tmp_path: Path) -> None:
    picture = (f'<PictureSource guid="{guid(150)}" name="photo" path="internal://p.png">'
               f'<PictureSelection guid="{guid(151)}" firstX="0" firstY="0" secondX="1" '
               f'secondY="1"><Coding guid="{guid(152)}"><CodeRef targetGUID="{TRUST}"/>'
               "</Coding></PictureSelection></PictureSource>")
    graphs = f'<Graphs><Graph guid="{guid(160)}" name="map"/></Graphs>'
    qde = project_xml(CODES, [Src(1, "one", "internal://one.txt",
                                  selections=[Sel(*JUDGED, [TRUST, ACCESS])])],
                      extra_after_sources=graphs).replace("</Sources>", picture + "</Sources>")
    qdpx = write_qdpx(tmp_path / "p.qdpx", qde, {"sources/one.txt": INTERVIEW})
    report = import_qdpx(qdpx, tmp_path / "study")
    assert report.dropped == [
        "1 networks (graphs): build-site has no equivalent",
        "PictureSource 'photo' with 1 selection(s) and 1 coding(s): only text sources are "
        "imported",
        "the coder of each coding (2 codings: RB (2)): an excerpt has no coder"]
    text = (tmp_path / "study" / "import-report.md").read_text(encoding="utf-8")
    assert "## Dropped: in the project, with no place in a study" in text
    assert "RB (2)" in text
