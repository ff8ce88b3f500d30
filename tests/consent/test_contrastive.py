"""Criticism of clinicians outside the study in free text (issue 17 item 5)."""

from __future__ import annotations

from pathlib import Path

import pytest

from build_site.check import check_study
from build_site.consent.contrastive import contrastive_sentences, find_contrastive, own_names
from build_site.errors import PrivacyError
from build_site.pipeline import build, load_and_validate, prepare

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("text", [
    "The emergency physician told him that people like him never took care of themselves, "
    "and he felt judged.",
    "A surgeon had dismissed her pain as imagined.",
    "Her previous doctor lectured her at every visit.",
    "Years earlier a specialist rarely looked up from his screen.",
    "At the pain clinic the doctor decided from her chart that she wanted pills.",
    "Dr. Pelham, who saw him once, shook his head and sent him home.",
])
def test_criticism_of_an_outside_clinician_is_found(text: str) -> None:
    own = {"Mercer"}
    assert [hit[1] for hit in contrastive_sentences(text, own)] == [" ".join(text.split())]


@pytest.mark.parametrize("text", [
    "Dr. Mercer stopped the examination and sat back down.",
    "She had her valve replaced by a surgeon, whom she praised.",
    "The specialist explained the plan and answered every question.",
    "He was frightened, and she judged that the examination could wait.",
])
def test_praise_or_the_own_clinician_is_not_found(text: str) -> None:
    assert list(contrastive_sentences(text, {"Mercer"})) == []


def test_own_clinician_is_the_name_used_throughout() -> None:
    text = ("Dr. Mercer met her. Mercer listened. Later Mercer called. "
            "Dr. Pelham, by contrast, ignored her.")
    assert own_names(text) == {"Mercer"}
    assert [hit[2] for hit in contrastive_sentences(text)] == ["Dr. Pelham"]


def _plant(tiny: Path) -> None:
    page = tiny / "dyads" / "C1-P1.md"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "Margery Quill first met Dr. Alcott in Fennick Falls.",
        "Margery Quill first met Dr. Alcott in Fennick Falls.\n\n"
        "Before that, an emergency physician had dismissed her as a nuisance."),
        encoding="utf-8")


def test_finding_names_file_and_line(tiny: Path) -> None:
    _plant(tiny)
    found = find_contrastive(prepare(tiny, "review", scan=False).public, tiny)
    lines = (tiny / "dyads" / "C1-P1.md").read_text(encoding="utf-8").splitlines()
    assert [(f.file, f.who) for f in found] == [("dyads/C1-P1.md", "emergency physician")]
    assert "dismissed her" in lines[found[0].line - 1]


def test_summary_finding_names_its_line(tiny: Path) -> None:
    page = tiny / "dyads" / "C1-P1.md"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "memos:",
        "summaries:\n  listening: Unlike the surgeon who ignored her, he listened.\nmemos:"),
        encoding="utf-8")
    found = find_contrastive(prepare(tiny, "review", scan=False).public, tiny)
    lines = page.read_text(encoding="utf-8").splitlines()
    assert len(found) == 1 and lines[found[0].line - 1].strip().startswith("listening:")


def test_allowed_when_study_publishes_contrastive_comments(tiny: Path) -> None:
    _plant(tiny)
    study_yml = tiny / "study.yml"
    study_yml.write_text(study_yml.read_text(encoding="utf-8").replace(
        "contrastive_comments: false", "contrastive_comments: true"), encoding="utf-8")
    assert find_contrastive(prepare(tiny, "review", scan=False).public, tiny) == []


def test_check_refuses_and_public_build_refuses(tiny: Path, tmp_path: Path) -> None:
    _plant(tiny)
    assert check_study(tiny).refused
    out = tmp_path / "site"
    with pytest.raises(PrivacyError) as caught:
        build(tiny, out)
    assert "dyads/C1-P1.md" in str(caught.value.problems[0]) and not out.exists()


def test_bundled_study_has_no_contrastive_statement() -> None:
    """Measured on the bundled study before its narratives were rewritten: the rule flagged 25
    sentences (narratives and summaries), none a false alarm; reading found one miss (the
    criticism in the sentence after the one naming the clinician). After the rewrite: none."""
    study = REPO / "casestudies"
    assert load_and_validate(study).meta.publication.contrastive_comments is False
    assert find_contrastive(prepare(study, "review", scan=False).public, study) == []


def _before_issue_25(text: str, own: set[str]) -> list[tuple[int, str, str, str]]:
    """contrastive_sentences as written before issue 25 looked for the cue first."""
    from build_site.consent import contrastive as c

    found = []
    for offset, sentence in c.sentences(text):
        others = [m.group(0) for m in c._TITLED.finditer(sentence) if m.group(1) not in own]
        role = c._ROLE.search(sentence)
        who = others[0] if others else role.group(0) if role else None
        cue = c._NEGATIVE.search(sentence)
        if who and cue:
            found.append((offset, " ".join(sentence.split()), who, cue.group(0)))
    return found


def test_cue_first_finds_what_the_rule_found_before() -> None:
    study = load_and_validate(REPO / "casestudies")
    texts = [case.narrative for case in [*study.clinicians, *study.dyads] if case.narrative]
    texts += [s for d in study.dyads for s in d.summaries.values()]
    texts.append("Dr. Mercer was kind. Dr. Pelham ignored her. A surgeon dismissed her. "
                 "The specialist explained. Dr. Mercer dismissed nothing, Dr. Hale judged.")
    flagged = 0
    for text in texts:
        for own in ({"Mercer"}, set(), own_names(text)):
            expected = _before_issue_25(text, own)
            assert list(contrastive_sentences(text, own)) == expected
            flagged += len(expected)
    assert flagged >= 3
