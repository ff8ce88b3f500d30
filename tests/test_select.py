from __future__ import annotations

from pathlib import Path

from build_site.pipeline import load_and_validate
from build_site.privacy.selection import select, select_with_report


def _excerpt_ids(study) -> set[str]:  # type: ignore[no-untyped-def]
    return {e.id for case in [*study.clinicians, *study.dyads] for e in case.excerpts}


def test_public_build_keeps_only_consented_approved_material(tiny: Path) -> None:
    public = select(load_and_validate(tiny), "public")
    assert [d.id for d in public.dyads] == ["C1-P1", "C1-P2"]  # C2-P1 is a draft
    ids = _excerpt_ids(public)
    assert "C1-P1-E2" not in ids  # the spouse did not consent
    assert "C1-P1-E3" not in ids  # contrastive comment, not allowed by study.yml
    assert "C1-P2-E1" not in ids  # patient agreed to take part, not to be quoted
    assert {"C1-P1-E1", "C1-P2-E2", "C1-E1"} <= ids  # clinician words about C1-P2 are kept
    assert all(not d.memos and not d.comments for d in public.dyads)


def test_review_build_keeps_everything_but_withdrawn(tiny: Path) -> None:
    path = tiny / "dyads" / "C1-P2.md"
    text = path.read_text().replace("{quote: false, public_site: true, archive: true}",
                                    "{withdrawn: true}")
    path.write_text(text)
    review = select(load_and_validate(tiny), "review")
    assert [d.id for d in review.dyads] == ["C1-P1", "C2-P1"]
    assert "C1-P1-E3" in _excerpt_ids(review)
    assert review.dyads[0].memos


def test_missing_consent_publishes_nothing_and_is_reported(tiny: Path) -> None:
    path = tiny / "dyads" / "C1-P1.md"
    text = path.read_text()
    start, end = text.index("consent:"), text.index("memos:")
    path.write_text(text[:start] + text[end:])
    public, withheld = select_with_report(load_and_validate(tiny), "public")
    assert "C1-P1" not in [d.id for d in public.dyads]
    assert any(w.file == "dyads/C1-P1.md" and "public website" in w.reason for w in withheld)


def test_every_excerpt_left_out_of_the_public_site_says_why(tiny: Path) -> None:
    from build_site.privacy.selection import withheld_excerpts

    assert withheld_excerpts(load_and_validate(tiny)) == {
        "C1-P1-E2": "the spouse did not agree to be quoted",
        "C1-P1-E3": "contrastive comment (study.yml does not publish them)",
        "C1-P2-E1": "the patient did not agree to be quoted",
        "C2-P1-E1": "no consent given or recorded for the patient",
    }


def test_review_copy_flags_and_public_build_reports_consent_holds(tiny: Path,
                                                                   tmp_path: Path) -> None:
    from build_site.pipeline import build

    report = build(tiny, tmp_path / "public")
    [held] = [w for w in report.warnings if "for want of consent" in w]
    assert "the spouse did not agree to be quoted: 1" in held and "contrastive" not in held
    build(tiny, tmp_path / "review", audience="review")
    page = (tmp_path / "review" / "dyads" / "C1-P1.html").read_text(encoding="utf-8")
    assert "Not for publication: the spouse did not agree to be quoted" in page
