"""Issue 17 item 3: a patient who did not agree to share her interview with her clinician is
protected from that insider (planted cases in the tiny study, and the bundled study)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from build_site.check import check_study
from build_site.cli import main
from build_site.consent.archive import for_archive
from build_site.errors import PrivacyError, StudyError
from build_site.insider import SUMMARY_REASON, clinician_page_problems, insider_statements
from build_site.pipeline import build, load_and_validate, prepare
from build_site.privacy.selection import select, withheld_excerpts

REPO = Path(__file__).resolve().parents[1]
SUMMARY = ("insider_decision:\n  decision: analytic summary only\n"
           "  analytic_summary: ANALYTIC-SUMMARY of the case for the cross-case analysis.\n"
           "  reviewed_by: A. Reviewer\n  reviewed_on: '2026-11-01'\n")
RECONSENT = ("insider_decision:\n  decision: re-consent\n  consented_on: '2026-10-01'\n"
             "  form_version: v2\n  reviewed_by: A. Reviewer\n  reviewed_on: '2026-10-02'\n")


def _edit(study: Path, rel: str, old: str, new: str) -> None:
    path = study / rel
    text = path.read_text()
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1))


def _protect(study: Path, decision: str | None = None) -> None:
    """C1-P2's patient does not share with her clinician (as in the fixture); her file
    records ``decision`` in place of the fixture's re-consent, or none."""
    path = study / "dyads" / "C1-P2.md"
    text = path.read_text()
    start = text.index("insider_decision:")
    path.write_text(text[:start] + (decision or "") + text[text.index("---", start):])


def test_public_build_without_a_decision_is_refused_at_the_consent_line(
        tiny: Path, tmp_path: Path) -> None:
    _protect(tiny)
    out = tmp_path / "site"
    with pytest.raises(PrivacyError) as caught:
        build(tiny, out)
    problem = next(p for p in caught.value.problems if p.file == "dyads/C1-P2.md")
    assert problem.line == 8  # the line of share_with_clinician: false
    assert "insider_decision" in problem.hint
    assert not out.exists()
    assert check_study(tiny).refused


def test_no_decision_publishes_nothing_of_hers_anywhere(tiny: Path) -> None:
    """Until the build refuses, every public consumer (manifest, package) sees nothing."""
    _protect(tiny)
    dyad = next(d for d in select(load_and_validate(tiny), "public").dyads if d.id == "C1-P2")
    assert dyad.excerpts == [] and dyad.narrative == "" and dyad.summaries == {}


def test_analytic_summary_only_keeps_only_the_summary(tiny: Path) -> None:
    _protect(tiny, SUMMARY)
    study = load_and_validate(tiny)
    public = next(d for d in select(study, "public").dyads if d.id == "C1-P2")
    assert public.excerpts == []  # the clinician's words about her (C1-P2-E2) too
    assert public.narrative.startswith("ANALYTIC-SUMMARY")
    assert withheld_excerpts(study)["C1-P2-E2"] == SUMMARY_REASON
    review = next(d for d in select(study, "review").dyads if d.id == "C1-P2")
    assert [e.id for e in review.excerpts] == ["C1-P2-E1", "C1-P2-E2"]
    assert check_study(tiny).insider == []


def test_analytic_summary_only_page_shows_no_excerpt(tiny: Path, tmp_path: Path) -> None:
    _protect(tiny, SUMMARY)
    build(tiny, tmp_path / "site")
    page = (tmp_path / "site" / "dyads" / "C1-P2.html").read_text()
    assert "Analytic summary" in page and "ANALYTIC-SUMMARY" in page
    assert "I drop by when he is in hospital" not in page
    assert "A patient with diabetes" not in page
    clinician = (tmp_path / "site" / "clinicians" / "C1.html").read_text()
    assert "I drop by when he is in hospital" not in clinician


def test_re_consent_publishes_as_before(tiny: Path) -> None:
    _protect(tiny, RECONSENT)
    public = next(d for d in select(load_and_validate(tiny), "public").dyads if d.id == "C1-P2")
    assert [e.id for e in public.excerpts] == ["C1-P2-E2"]
    assert check_study(tiny).insider == []


@pytest.mark.parametrize(("old", "new", "message", "line"), [
    ("reviewed_by: A. Reviewer", "reviewed_by: ''", "reviewed_by", 22),
    ("reviewed_on: '2026-10-02'", "reviewed_on: last week", "is not a date", 23),
    ("  form_version: v2\n", "", "re-consent without form_version", 18),
    ("decision: re-consent", "decision: maybe", "decision", 19),
])
def test_a_decision_is_validated_with_its_line(tiny: Path, old: str, new: str, message: str,
                                                line: int) -> None:
    _protect(tiny, RECONSENT)
    _edit(tiny, "dyads/C1-P2.md", old, new)
    with pytest.raises(StudyError) as caught:
        load_and_validate(tiny)
    problem = next(p for p in caught.value.problems if message in p.message)
    assert problem.file == "dyads/C1-P2.md"
    assert problem.line == line


def test_an_analytic_summary_may_not_quote(tiny: Path) -> None:
    _protect(tiny, SUMMARY.replace("ANALYTIC-SUMMARY of", 'She said "never again" of'))
    with pytest.raises(StudyError) as caught:
        load_and_validate(tiny)
    assert any("quotation marks" in p.message and p.line == 20
               for p in caught.value.problems)


@pytest.mark.parametrize("planted", [
    "Her patient C1-P2 is discussed here.",            # her case id
    "She recalls Ottoline and the long winter.",      # a name only her case file holds
    "He spoke of pickled herring and harbour fog every morning.",  # a run of her words
    "He spoke of pickl&#101;d herring and harbour f&#111;g every morning.",  # entities
    "He spoke of picklеd herring and harbour fоg every morning.",  # Cyrillic е and о
    "He spoke of pick*led* herring and har_bour_ fog every morning.",  # markup in words
    "She recalls Оttoline and the long winter.",  # a look-alike capital
])
def test_her_content_on_the_clinician_page_refuses(tiny: Path, planted: str) -> None:
    _protect(tiny, SUMMARY)
    _edit(tiny, "dyads/C1-P2.md", "A patient with diabetes.",
          "A patient with diabetes. Ottoline spoke of pickled herring and "
          "harbour fog every morning.")
    _edit(tiny, "clinicians/C1.md", "Dr. Wren Alcott listens before she speaks.",
          f"Dr. Wren Alcott listens before she speaks.\n\n{planted}")
    problems = check_study(tiny).insider
    assert [(p.file, p.line) for p in problems] == [("clinicians/C1.md", 15)]
    assert "C1-P2" in problems[0].message


def test_the_clinician_page_without_her_content_passes(tiny: Path) -> None:
    _protect(tiny, SUMMARY)
    _edit(tiny, "clinicians/C1.md", "Dr. Wren Alcott listens before she speaks.",
          "Dr. Wren Alcott listens before she speaks, and her patients notice.")
    assert check_study(tiny).insider == []


def test_insider_lists_statements_per_clinician_and_person_present(tiny: Path) -> None:
    _protect(tiny, SUMMARY)
    statements = insider_statements(prepare(tiny, "review", scan=False).public)
    rows = {(s.reader, s.dyad, s.what) for s in statements}
    assert ("clinician C1", "C1-P1", "excerpt C1-P1-E1") in rows
    assert ("spouse in C1-P1", "C1-P1", "excerpt C1-P1-E1") in rows
    assert ("clinician C1", "C1-P2", "analytic summary") in rows
    assert not any(s.dyad == "C1-P2" and s.what.startswith("excerpt") for s in statements)
    protected = next(s for s in statements if s.dyad == "C1-P2")
    assert "analytic summary only, reviewed by A. Reviewer on 2026-11-01" in protected.consent


def test_insider_lists_the_clinician_page_naming_a_patient(tiny: Path) -> None:
    _edit(tiny, "clinicians/C1.md", "Dr. Wren Alcott listens before she speaks.",
          "Dr. Wren Alcott listens before she speaks.\n\nMargery told her about the farm.")
    statements = insider_statements(prepare(tiny, "review", scan=False).public)
    rows = {(s.reader, s.dyad, s.what, s.where) for s in statements}
    assert ("clinician C1", "C1-P1", "clinician page, naming Ada", "clinicians/C1.md:15") in rows
    assert ("spouse in C1-P1", "C1-P1", "clinician page, naming Ada",
            "clinicians/C1.md:15") in rows


def test_check_insider_prints_the_table(tiny: Path) -> None:
    _protect(tiny, SUMMARY)
    result = CliRunner().invoke(main, ["check", str(tiny), "--risk", "--insider"],
                                env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert re.search(r"spouse in C1-P1 +│ C1-P1 +│ excerpt C1-P1-E1", result.output)


def test_bundled_study_honours_d2_p4(bundled_site: Path) -> None:
    report = check_study(REPO / "casestudies")
    assert report.insider == []
    dyad = (bundled_site / "dyads" / "D2-P4.html").read_text()
    clinician = (bundled_site / "clinicians" / "D2.html").read_text()
    # A property of her case file, not of one wording: no run of her words (excerpts, hers or
    # her physician's, narrative, component summaries) reaches either page.
    case = next(d for d in load_and_validate(REPO / "casestudies").dyads if d.id == "D2-P4")
    texts = [e.text for e in case.excerpts] + [case.narrative, *case.summaries.values()]
    runs = {" ".join(words[i:i + 5]) for t in texts
            for words in [re.findall(r"[a-z']+", t.lower())] for i in range(len(words) - 4)}
    shown = {page: " ".join(re.findall(r"[a-z']+", re.sub(r"<[^>]+>", " ", html).lower()))
             for page, html in (("dyad", dyad), ("clinician", clinician))}
    summary = " ".join(re.findall(r"[a-z']+", case.insider_decision.analytic_summary.lower()))
    leaked = sorted(r for r in runs if r not in summary
                    and any(r in text for text in shown.values()))
    assert len(runs) > 200 and leaked == [], leaked
    assert "did not consent" not in dyad and "did not consent" not in clinician
    assert "Analytic summary" in dyad


# A case left out for its participant's consent is told on no page of the site, its
# clinician's included (newuser10: a withdrawn carer's pseudonym and story on the social
# worker's page reached the public site, the supplement and the PDF).
ADA_ON_C1 = "Ada, whose husband farmed, spoke about her at length."


@pytest.mark.parametrize(("old", "new", "why"), [
    ("share_with_clinician: true}", "share_with_clinician: true, withdrawn: true}",
     "the participant withdrew"),
    ("{quote: true, public_site: true, archive: true, share_with_clinician: true}",
     "{quote: true, public_site: false, archive: true, share_with_clinician: true}",
     "did not agree to a public site"),
])
def test_a_left_out_case_on_the_clinician_page_refuses(tiny: Path, tmp_path: Path, old: str,
                                                        new: str, why: str) -> None:
    _edit(tiny, "dyads/C1-P1.md", old, new)
    _edit(tiny, "clinicians/C1.md", "Dr. Wren Alcott listens before she speaks.",
          f"Dr. Wren Alcott listens before she speaks.\n\n{ADA_ON_C1}")
    problems = check_study(tiny).insider
    assert [(p.file, p.line) for p in problems] == [("clinicians/C1.md", 15)]
    assert "C1-P1" in problems[0].message and "'Ada'" in problems[0].message
    assert why in problems[0].message
    out = tmp_path / "site"
    with pytest.raises(PrivacyError):
        build(tiny, out)
    assert not out.exists()


def test_a_left_out_case_not_on_the_clinician_page_passes(tiny: Path) -> None:
    _edit(tiny, "dyads/C1-P1.md", "share_with_clinician: true}",
          "share_with_clinician: true, withdrawn: true}")
    assert check_study(tiny).insider == []


def test_an_unarchived_case_on_the_clinician_page_refuses_a_deposit(tiny: Path) -> None:
    """The supplement's selection (consent.archive) leaves the case out: its clinician's page
    there may not tell it either; the live site may (it shows the case)."""
    _edit(tiny, "dyads/C1-P1.md", "archive: true, share_with_clinician: true}",
          "archive: false, share_with_clinician: true}")
    _edit(tiny, "clinicians/C1.md", "Dr. Wren Alcott listens before she speaks.",
          f"Dr. Wren Alcott listens before she speaks.\n\n{ADA_ON_C1}")
    prepared = prepare(tiny, "public", scan=False)
    assert clinician_page_problems(prepared.deidentified, prepared.public) == []
    deposit = for_archive(prepared.public)
    problems = clinician_page_problems(prepared.deidentified, deposit)
    assert [(p.file, p.line) for p in problems] == [("clinicians/C1.md", 15)]
    assert "did not agree to be archived" in problems[0].message
