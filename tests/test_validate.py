from __future__ import annotations

from pathlib import Path

import pytest

from build_site.errors import StudyError
from build_site.pipeline import load_and_validate
from build_site.study import normalise_for_matching


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _problems(study: Path) -> list[str]:
    with pytest.raises(StudyError) as exc:
        load_and_validate(study)
    return [str(p) for p in exc.value.problems]


def test_tiny_study_is_valid(tiny: Path) -> None:
    study = load_and_validate(tiny)
    assert [d.id for d in study.dyads] == ["C1-P1", "C1-P2", "C2-P1"]
    assert study.dyads[0].excerpts[0].source is not None
    assert study.dyads[0].excerpts[0].source.line == 14


def test_unknown_code_names_file_line_and_suggestion(tiny: Path) -> None:
    _edit(tiny / "dyads" / "C1-P2.md", "codes: [long-haul]", "codes: [long-hual]")
    problems = _problems(tiny)
    assert problems == [
        "dyads/C1-P2.md:12: unknown code 'long-hual' (did you mean 'long-haul'?) - "
        "use a code id from codebook.yml"
    ]


def test_duplicate_ids_across_files(tiny: Path) -> None:
    _edit(tiny / "dyads" / "C1-P2.md", "id: C1-P2-E1", "id: C1-P1-E1")
    problems = _problems(tiny)
    assert any("duplicate id 'C1-P1-E1'" in p and p.startswith("dyads/C1-P2.md:") for p in problems)


def test_unknown_clinician_and_component(tiny: Path) -> None:
    _edit(tiny / "dyads" / "C2-P1.md", "clinician: C2", "clinician: C9")
    _edit(tiny / "codebook.yml", "component: trust", "component: trusst")
    problems = _problems(tiny)
    assert any(p.startswith("dyads/C2-P1.md:3: unknown clinician 'C9'") for p in problems)
    assert any("codebook.yml:16: code 'relies': unknown component 'trusst'" in p
               and "did you mean 'trust'" in p for p in problems)


def test_missing_field_and_wrong_type(tiny: Path) -> None:
    _edit(tiny / "dyads" / "C2-P1.md", "    speaker: patient\n", "")
    _edit(tiny / "dyads" / "C1-P2.md", "interview: {order: 3}", "interview: {order: three}")
    problems = _problems(tiny)
    assert any(p.startswith("dyads/C2-P1.md:8: missing required field 'excerpts.0.speaker'")
               for p in problems)
    assert any(p.startswith("dyads/C1-P2.md:6: interview.order:") for p in problems)


def test_unknown_field_is_reported(tiny: Path) -> None:
    _edit(tiny / "dyads" / "C2-P1.md", "status: draft", "status: draft\ncodse: []")
    assert any("unknown field 'codse'" in p for p in _problems(tiny))


def test_relation_to_unknown_component(tiny: Path) -> None:
    _edit(tiny / "model.yml", "to: trust\n", "to: trusting\n")
    assert any("relation 'caring-builds-trust': unknown component 'trusting'" in p
               for p in _problems(tiny))


def test_consent_for_someone_not_present_is_a_typo(tiny: Path) -> None:
    _edit(tiny / "dyads" / "C1-P1.md", "    spouse: {quote: false", "    sposue: {quote: false")
    assert any("consent recorded for 'sposue', who is not listed" in p for p in _problems(tiny))


def test_file_name_must_match_id(tiny: Path) -> None:
    (tiny / "dyads" / "C2-P1.md").rename(tiny / "dyads" / "other.md")
    assert any("does not match the file name 'other.md'" in p for p in _problems(tiny))


def test_excerpt_must_occur_in_transcript(tiny: Path) -> None:
    transcripts = tiny / "private" / "transcripts"
    transcripts.mkdir()
    (transcripts / "t.txt").write_bytes(
        "D: Let me\r\nlisten.\r\nP: DRAFT-WORDS I never saw the same   one twice.\r\n"
        .encode("utf-16")
    )
    path = tiny / "dyads" / "C2-P1.md"
    _edit(path, "status: draft", "status: draft\ntranscript: private/transcripts/t.txt")
    load_and_validate(tiny)  # matches across CRLF, UTF-16 and extra spaces
    _edit(path, "saw the same one", "saw the very same one")
    assert any("does not occur in transcript" in p for p in _problems(tiny))


def test_normalise_for_matching_folds_space_and_quotes() -> None:
    assert normalise_for_matching("it\u2019s\r\n  fine ") == "it's fine"


def test_a_form_listed_twice_with_different_replacements_is_refused(tiny: Path) -> None:
    ids = tiny / "private" / "identifiers.yml"
    ids.write_text(ids.read_text() + (
        "  - text: Margery Voss\n    replacement: Bea\n    kind: person\n"
        "    variants: [MARGERY]\n"))
    with pytest.raises(StudyError) as caught:
        load_and_validate(tiny)
    [problem] = caught.value.problems
    assert problem.file == "private/identifiers.yml" and problem.line == 17
    assert "'MARGERY' is also listed by the entry for 'Margery Quill' (line 6)" in problem.message
    assert "'Ada'" in problem.hint


def test_the_same_form_with_the_same_replacement_is_accepted(tiny: Path) -> None:
    ids = tiny / "private" / "identifiers.yml"
    ids.write_text(ids.read_text() + "  - text: Margery\n    replacement: Ada\n")
    assert load_and_validate(tiny).identifiers[-1].replacement == "Ada"


def test_exemplar_flag_is_read_and_must_be_true_or_false(tiny: Path) -> None:
    """Issue 19 item 3: ``exemplar: true`` marks the team's exemplar excerpts."""
    path = tiny / "dyads" / "C1-P2.md"
    _edit(path, "    codes: [long-haul]\n", "    codes: [long-haul]\n    exemplar: true\n")
    excerpts = {e.id: e for d in load_and_validate(tiny).dyads for e in d.excerpts}
    assert excerpts["C1-P2-E1"].exemplar and not excerpts["C1-P2-E2"].exemplar
    _edit(path, "exemplar: true", "exemplar: often")
    problems = _problems(tiny)
    assert any(p.startswith("dyads/C1-P2.md:13: excerpts.0.exemplar:") and "true or false" in p
               for p in problems)


def test_component_list_names_the_wrong_item_line(tiny: Path) -> None:
    _edit(tiny / "codebook.yml", "    component: listening\n",
          "    component:\n      - listening\n      - trusst\n")
    problems = _problems(tiny)
    assert any(p.startswith("codebook.yml:7: code 'heard': unknown component 'trusst'")
               and "did you mean 'trust'" in p for p in problems), problems


def test_component_list_may_not_be_empty_or_repeat(tiny: Path) -> None:
    _edit(tiny / "codebook.yml", "    component: listening\n", "    component: []\n")
    _edit(tiny / "codebook.yml", "    component: small-acts\n",
          "    component: [small-acts, small-acts]\n")
    problems = _problems(tiny)
    assert any(p.startswith("codebook.yml:5:") and "empty list" in p for p in problems), problems
    assert any(p.startswith("codebook.yml:9:") and "named twice: small-acts" in p
               for p in problems), problems
