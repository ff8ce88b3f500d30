"""Every published text is read by the detectors, with its file and line (issue 15, item 1):
the team's hand-written pages, every free-text field of study.yml, model.yml and codebook.yml;
listed names are replaced in model and codebook prose too, labels stay the study's vocabulary."""

from __future__ import annotations

from pathlib import Path

import pytest

from build_site.errors import PrivacyError
from build_site.load import load_study_folder
from build_site.pipeline import build, prepare

PHONE = "(312) 555-0148"


def _append(path: Path, text: str) -> int:
    """Append ``text`` to ``path``; returns the 1-based line where it starts."""
    before = path.read_text(encoding="utf-8")
    path.write_text(before + text, encoding="utf-8")
    return before.count("\n") + 1


def _found(study: Path) -> dict[tuple[str, str], int]:
    return {(f.file, f.text): f.line for f in prepare(study, "public").findings}


def test_a_handwritten_page_is_read_by_the_detectors(tiny: Path) -> None:
    page = tiny / "docs" / "thanks.md"
    page.parent.mkdir()
    page.write_text("# Thanks\n\nCall Dr. Halvorsen on (312) 555-0148 at 742 Evergreen "
                    "Terrace.\n\nSee [MkDocs](https://www.mkdocs.org/).\n", encoding="utf-8")
    found = _found(tiny)
    assert found[("docs/thanks.md", PHONE)] == 3
    assert ("docs/thanks.md", "Dr. Halvorsen") in found
    assert any(text.startswith("742 Evergreen") for _, text in found)
    # The team's links are theirs to publish: no finding for a web address on its own page.
    assert not [key for key in found if "mkdocs.org" in key[1]]


@pytest.mark.parametrize("field", [
    "interviewer:\n  name: Ann Reyes\n  experience: Trained at Mercy Hospital by Dr. Halvorsen.\n",
    "analysis_steps:\n  - title: Coding\n    description: Dr. Halvorsen coded with us.\n",
    "saturation:\n  after_interview: 2\n  statement: Dr. Halvorsen judged it.\n",
    "keywords: [primary care, Dr. Halvorsen]\n",
    "feedback_questions: [Did Dr. Halvorsen listen?]\n",
])
def test_every_free_text_field_of_study_yml_is_read_with_its_line(tiny: Path,
                                                                   field: str) -> None:
    line = _append(tiny / "study.yml", field)
    found = _found(tiny)
    lines = [n for (file, text), n in found.items()
             if file == "study.yml" and "Halvorsen" in text]
    assert lines and all(n >= line for n in lines), found


def test_model_and_codebook_prose_is_read_but_labels_are_vocabulary(tiny: Path) -> None:
    model = tiny / "model.yml"
    model.write_text(model.read_text(encoding="utf-8").replace(
        "definition: Showing care.", "definition: Showing care, as Dr. Halvorsen did."),
        encoding="utf-8")
    codebook = tiny / "codebook.yml"
    codebook.write_text(codebook.read_text(encoding="utf-8").replace(
        "definition: Felt heard.", f"definition: Felt heard; call {PHONE}."), encoding="utf-8")
    found = _found(tiny)
    model_line = next(n for (file, text), n in found.items()
                      if file == "model.yml" and "Halvorsen" in text)
    assert "Dr. Halvorsen" in (model.read_text(encoding="utf-8").splitlines()[model_line - 1])
    assert ("codebook.yml", PHONE) in found
    assert not [key for key in found if key[1] in {"Listening", "Caring", "Small acts", "Trust"}]


def test_listed_names_are_replaced_in_model_and_codebook_prose(tiny: Path,
                                                               tmp_path: Path) -> None:
    model = tiny / "model.yml"
    model.write_text(model.read_text(encoding="utf-8").replace(
        "definition: Little things.", "definition: Little things, like Margery's tea."),
        encoding="utf-8")
    prepared = prepare(tiny, "public")
    element = prepared.deidentified.model.components[1].elements[0]
    assert element.definition == "Little things, like Ada's tea."
    assert element.label == "Small acts"
    build(tiny, tmp_path / "site")
    page = (tmp_path / "site" / "model" / "small-acts.html").read_text(encoding="utf-8")
    assert "Ada" in page and "Margery" not in page


def test_authors_of_the_studys_own_references_are_allowed(tiny: Path) -> None:
    _append(tiny / "study.yml", "citation:\n  text: Halvorsen K, Brekke T. A tiny study. "
                                "J Fixtures. 2024.\nmethods:\n  design: As Halvorsen and "
                                "Brekke describe.\n")
    assert not [key for key in _found(tiny) if "Halvorsen" in key[1] or "Brekke" in key[1]]


def test_a_public_build_is_refused_for_a_finding_on_a_handwritten_page(
        tiny: Path, tmp_path: Path) -> None:
    page = tiny / "docs" / "notes.md"
    page.parent.mkdir()
    page.write_text(f"# Notes\n\nReach us on {PHONE}.\n", encoding="utf-8")
    with pytest.raises(PrivacyError) as caught:
        build(tiny, tmp_path / "site")
    assert "docs/notes.md:3" in str(caught.value)
    assert not (tmp_path / "site").exists()


def test_prose_fields_skip_settings_and_references(tiny: Path) -> None:
    from build_site.deidentify.fields import study_prose

    _append(tiny / "study.yml", "license: CC BY 4.0\ndate_released: 2026-01-02\n"
                                "team:\n  - {name: Kari Halvorsen, role: PI}\n")
    texts = [text for _, _, text in study_prose(load_study_folder(tiny))]
    assert "Tiny study" in texts and "Willingness to rely on the clinician." in texts
    assert not {"CC BY 4.0", "2026-01-02", "Kari Halvorsen", "listening", "Listening"} & set(texts)


def test_check_reports_a_collision_with_its_form_entry_and_fix_and_everything_else(
        tiny: Path) -> None:
    from click.testing import CliRunner

    from build_site.cli import main

    _append(tiny / "private" / "identifiers.yml",
            "  - text: Trust Nakamura\n    replacement: Ida\n    kind: person\n"
            "    variants: [Trust]\n")
    _append(tiny / "dyads" / "C1-P2.md", f"\nShe gave us {PHONE} to call.\n")
    result = CliRunner().invoke(main, ["check", str(tiny)])
    assert result.exit_code == 3, result.output
    out = " ".join(result.output.split())
    assert "'Trust', a form of entry 5 ('Trust Nakamura', replaced by 'Ida')" in out
    assert "model.yml (ids, labels, relation kinds)" in out and "case_sensitive: true" in out
    assert PHONE in out  # the finding is reported in the same run


def test_team_prose_and_the_site_settings_every_page_shows_are_read(tiny: Path) -> None:
    line = _append(tiny / "study.yml", "team:\n  - name: Kari Halvorsen\n    role: PI\n"
                                       f"    background: Reach her on {PHONE}.\n")
    (tiny / "mkdocs.yml").write_text("site_name: Tiny\ncopyright: Call (312) 867-5309\n",
                                     encoding="utf-8")
    found = _found(tiny)
    assert found[("study.yml", PHONE)] == line + 3
    assert ("mkdocs.yml", "(312) 867-5309") in found
    assert not [key for key in found if "Halvorsen" in key[1]]  # a team name is vocabulary


def test_analysis_software_is_not_taken_for_a_name(tiny: Path) -> None:
    """An import writes the program's own name ("Coded in NVivo for Mac 15."); a new user had
    to sign a review for 'NVivo' and 'Mac' as possible names."""
    study = tiny / "study.yml"
    study.write_text(study.read_text(encoding="utf-8").replace(
        "overview: A two-clinician fixture for the tests.",
        "overview: A two-clinician fixture, coded in NVivo and checked in MAXQDA.\n"
        "methods:\n  software: Coded in NVivo for Mac 15."), encoding="utf-8")
    found = _found(tiny)
    assert not [key for key in found if key[1] in {"NVivo", "MAXQDA", "Mac"}], found


def _history(tiny: Path, first: tuple[str, str], second: tuple[str, str]) -> None:
    """Give ``tiny`` a model history of two versions, each (version, date)."""
    import shutil

    folder = tiny / "model-history"
    folder.mkdir()
    shutil.copy(tiny / "model.yml", folder / "v1.yml")
    (folder / "history.yml").write_text(
        "versions:\n"
        f"  - version: \"{first[0]}\"\n    date: \"{first[1]}\"\n    on: 2025-03-10\n"
        "    file: model-history/v1.yml\n    reason: First model.\n"
        f"  - version: \"{second[0]}\"\n    date: \"{second[1]}\"\n"
        "    file: model.yml\n    reason: Second model.\n"
        "    memos:\n      - on: 2025-05-20\n        title: A memo\n        text: Why.\n",
        encoding="utf-8")


def test_history_date_and_version_are_read_as_prose(tiny: Path) -> None:
    """A version's date is free text and its version a label: both are published on the
    history page, and were read by neither the detectors nor the consent checks."""
    _history(tiny, ("1", "after the spouse said SPOUSE-WORDS she phoned us at home"),
             ("2, Dr. Halvorsen's round", "after the second round"))
    prepared = prepare(tiny, "public")
    consent = [(f.file, f.line, f.who) for f in prepared.text.consent]
    assert ("model-history/history.yml", 3, "C1-P1/spouse") in consent
    found = {(f.file, f.text): f.line for f in prepared.findings}
    assert found.get(("model-history/history.yml", "Dr. Halvorsen")) == 7, found
    # the memo's and the version's ``on`` stay dates: no exact-date finding for them
    assert not [f for f in prepared.text.consent if "2025" in f.text]


def test_listed_names_in_history_date_and_version_are_replaced(tiny: Path,
                                                               tmp_path: Path) -> None:
    _history(tiny, ("1", "after the first round"),
             ("2, Margery's", "after Margery's interview"))
    version = prepare(tiny, "public").deidentified.history[1].entry
    assert (version.version, version.date) == ("2, Ada's", "after Ada's interview")
    build(tiny, tmp_path / "site")
    page = (tmp_path / "site" / "model" / "history.html").read_text(encoding="utf-8")
    assert "after Ada&#39;s interview" in page or "after Ada's interview" in page
    assert "Margery" not in page
