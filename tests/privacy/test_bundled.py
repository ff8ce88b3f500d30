"""The bundled study passes the free-text checks with recorded decisions only (issue 17 item
10): no consent finding, and no waiver of one."""

from __future__ import annotations

from build_site.pipeline import prepare
from tests.conftest import REPO


def test_the_bundled_study_has_no_consent_finding_in_its_published_text() -> None:
    prepared = prepare(REPO / "casestudies", "review")
    assert [(f.location(), f.rule) for f in prepared.text.consent] == []
    assert all(r.resolution in ("not-a-match", "re-consent")
               for r in prepared.study.reviewed.consent)


def test_the_d2_page_does_not_state_a_patient_s_consent_choice() -> None:
    prepared = prepare(REPO / "casestudies", "public", scan=False)
    [d2] = [c for c in prepared.public.clinicians if c.id == "D2"]
    assert "consent" not in d2.narrative.casefold()
