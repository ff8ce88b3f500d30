"""Consent findings are not waivable like identifier findings (issue 17 item 4): a public build
is refused (exit 3) until each is rewritten or closed by one of two recorded resolutions, and
those resolutions are part of the sign-off fingerprint."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from build_site.cli import main
from build_site.errors import PrivacyError, StudyError
from build_site.manifest import build_manifest, render_text
from build_site.pipeline import build, prepare
from tests.privacy.conftest import narrate, prepared, withheld_study

QUOTED = "He called the clinic “a proper place” and meant it."


def _resolve(study: Path, entry: str) -> None:
    (study / "private" / "reviewed.yml").write_text(entry, encoding="utf-8")


def _finding_key(study: Path) -> str:
    [finding] = prepared(study).text.consent
    return finding.key


def test_a_public_build_is_refused_with_file_line_and_what_to_do(tiny: Path,
                                                                 tmp_path: Path) -> None:
    narrate(withheld_study(tiny), "C1-P2", QUOTED)
    with pytest.raises(PrivacyError) as refused:
        build(tiny, tmp_path / "site")
    [problem] = refused.value.problems
    assert problem.file == "dyads/C1-P2.md" and problem.line > 0
    assert "private/reviewed.yml" in problem.hint and "not-a-match" in problem.hint
    assert not (tmp_path / "site").exists()


def test_check_and_build_exit_3_and_print_the_consent_finding(tiny: Path,
                                                               tmp_path: Path) -> None:
    narrate(withheld_study(tiny), "C1-P2", QUOTED)
    result = CliRunner().invoke(main, ["check", str(tiny)])
    assert result.exit_code == 3
    assert "consent dyads/C1-P2.md" in result.output
    result = CliRunner().invoke(main, ["build", str(tiny), "--out", str(tmp_path / "site")])
    assert result.exit_code == 3 and "dyads/C1-P2.md" in result.output


def test_an_identifier_style_waiver_does_not_close_a_consent_finding(tiny: Path) -> None:
    narrate(withheld_study(tiny), "C1-P2", QUOTED)
    key = _finding_key(tiny)
    _resolve(tiny, f"reviewed:\n  - {{file: dyads/C1-P2.md, hash: {key}, by: JS, "
                   "why: judged safe}\n")
    assert len(prepared(tiny).text.consent) == 1


def test_not_a_match_by_a_named_reviewer_closes_it(tiny: Path, tmp_path: Path) -> None:
    narrate(withheld_study(tiny), "C1-P2", QUOTED)
    key = _finding_key(tiny)
    _resolve(tiny, f"consent:\n  - {{file: dyads/C1-P2.md, hash: {key}, "
                   "resolution: not-a-match, by: JS}\n")
    text = prepared(tiny).text
    assert text.consent == [] and [f.key for f in text.resolved] == [key]
    build(tiny, tmp_path / "site")  # not refused


def test_re_consent_needs_its_date_and_form_version(tiny: Path) -> None:
    narrate(withheld_study(tiny), "C1-P2", QUOTED)
    key = _finding_key(tiny)
    _resolve(tiny, f"consent:\n  - {{file: dyads/C1-P2.md, hash: {key}, "
                   "resolution: re-consent, by: JS}\n")
    with pytest.raises(StudyError) as invalid:
        prepared(tiny)
    assert "form_version" in str(invalid.value)
    _resolve(tiny, f"consent:\n  - {{file: dyads/C1-P2.md, hash: {key}, resolution: re-consent,"
                   " by: JS, date: '2026-10-01', form_version: v3}\n")
    assert prepared(tiny).text.consent == []


def test_no_third_kind_of_resolution_is_accepted(tiny: Path) -> None:
    _resolve(tiny, "consent:\n  - {file: dyads/C1-P2.md, hash: 0123456789abcdef, "
                   "resolution: judged-safe, by: JS}\n")
    with pytest.raises(StudyError):
        prepared(tiny)


def test_resolutions_are_covered_by_the_sign_off_fingerprint(tiny: Path) -> None:
    before = build_manifest(prepare(tiny, "public", scan=False)).digest
    _resolve(tiny, "consent:\n  - {file: dyads/C1-P2.md, hash: 0123456789abcdef, "
                   "resolution: not-a-match, by: JS}\n")
    after = build_manifest(prepare(tiny, "public", scan=False)).digest
    _resolve(tiny, "consent:\n  - {file: dyads/C1-P2.md, hash: 0123456789abcdef, "
                   "resolution: re-consent, by: DC, date: 2026-10-01, form_version: '2'}\n")
    last = build_manifest(prepare(tiny, "public", scan=False))
    assert len({before, after, last.digest}) == 3
    # The manifest (whose snapshot is public) holds a digest of them, never whose consent
    # was renewed or by whom.
    text = render_text(last)
    assert "recorded decisions" in text
    assert "re-consent" not in text and "C1-P2.md, hash" not in text and "DC" not in text


def test_the_dashboard_lists_unresolved_consent_findings_without_their_text(
        tiny: Path, tmp_path: Path) -> None:
    narrate(withheld_study(tiny), "C1-P2", QUOTED)
    build(tiny, tmp_path / "site", audience="review")
    page = (tmp_path / "site" / "review" / "dashboard.html").read_text(encoding="utf-8")
    section = page.split('id="consent-in-published-free-text"')[1].split("<h2")[0]
    assert "dyads/C1-P2.md" in section and "a proper place" not in section


def test_check_does_not_say_nothing_was_written(tiny: Path, tmp_path: Path) -> None:
    """check writes nothing whatever it finds, so it does not end a finding with the build's
    "nothing was written" (found by a new user, who read it as something check might have
    written); the build's refusal still says it."""
    narrate(withheld_study(tiny), "C1-P2", QUOTED)
    checked = CliRunner().invoke(main, ["check", str(tiny)])
    assert checked.exit_code == 3 and "consent dyads/C1-P2.md" in checked.output
    assert "nothing was written" not in checked.output
    built = CliRunner().invoke(main, ["build", str(tiny), "--out", str(tmp_path / "site")])
    assert built.exit_code == 3 and "nothing was written" in built.output
