"""Case pages that tell a reader one person's consent choice (issue 17 item 5)."""

from __future__ import annotations

from pathlib import Path

import pytest

from build_site.check import check_study
from build_site.consent.choices import find_consent_statements
from build_site.errors import PrivacyError
from build_site.pipeline import build, prepare

REPO = Path(__file__).resolve().parents[2]


def _narrate(tiny: Path, sentence: str) -> None:
    page = tiny / "dyads" / "C1-P1.md"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "Margery Quill first met Dr. Alcott in Fennick Falls.",
        f"Margery Quill first met Dr. Alcott in Fennick Falls.\n\n{sentence}"), encoding="utf-8")


@pytest.mark.parametrize("sentence", [
    "Her husband agreed to take part but not to be quoted.",
    "A fourth patient did not consent to her interview being published.",
    "His words are not reproduced here.",
    "Her excerpts are withheld at her request.",
    # newuser10: passed check before
    "Kieran asked us not to use his own words.",
    "One of the carers she supported later left the study.",
    "She was happy for her interview to be kept in the archive.",
    "He did not want his words quoted.",
    "His sister withdrew from the study in May.",
])
def test_consent_choice_on_a_case_page_is_found(tiny: Path, sentence: str) -> None:
    _narrate(tiny, sentence)
    found = find_consent_statements(prepare(tiny, "review", scan=False).public, tiny)
    lines = (tiny / "dyads" / "C1-P1.md").read_text(encoding="utf-8").splitlines()
    assert [f.file for f in found] == ["dyads/C1-P1.md"]
    assert lines[found[0].line - 1] == sentence


def test_ordinary_narrative_is_not_found(tiny: Path) -> None:
    _narrate(tiny, "A long-withheld disclosure met a steady response. She agreed to try it. "
             "He left the study room smiling; she was happy for her son to be there.")
    assert find_consent_statements(prepare(tiny, "review", scan=False).public, tiny) == []


def test_check_and_public_build_refuse(tiny: Path, tmp_path: Path) -> None:
    _narrate(tiny, "Her husband agreed to take part but not to be quoted.")
    assert check_study(tiny).refused
    with pytest.raises(PrivacyError):
        build(tiny, tmp_path / "site")
    assert not (tmp_path / "site").exists()


def test_bundled_study_states_no_ones_consent_choice() -> None:
    """Measured before the rewrite: two sentences flagged (the D2 clinician page on a patient,
    a dyad page on a spouse), both real; none after."""
    study = REPO / "casestudies"
    assert find_consent_statements(prepare(study, "review", scan=False).public, study) == []
