"""Review copies, sign-off, member-checking packets, withdrawal and model history."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from build_site.deidentify import deidentify
from build_site.errors import PrivacyError
from build_site.outputs.packets import packet_quotes, write_packets
from build_site.pipeline import build, load_and_validate, prepare
from build_site.privacy.selection import select, speaker_consent
from build_site.signoff import fingerprint
from build_site.study import Speaker

from .conftest import REPO


def _all_text(site: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in site.rglob("*")
                     if p.is_file() and p.suffix in {".html", ".json", ".js", ".csv", ".xml"})


def test_review_copy_has_banner_noindex_dashboard_and_memos(tiny: Path, tmp_path: Path) -> None:
    out = tmp_path / "review"
    build(tiny, out, audience="review")
    home = (out / "index.html").read_text(encoding="utf-8")
    assert "Review copy for the analysis team" in home
    assert '<meta name="robots" content="noindex,nofollow">' in home
    dashboard = (out / "review" / "dashboard.html").read_text(encoding="utf-8")
    assert "draft" in dashboard and "C2-P1" in dashboard
    assert "MEMO-SECRET-ONE" in (out / "dyads" / "C1-P1.html").read_text(encoding="utf-8")
    public = tmp_path / "public"
    study = tiny / "study.yml"  # a demonstration is noindex everywhere (issue 23 item 6)
    study.write_text(study.read_text().replace("demonstration: true", "demonstration: false"))
    build(tiny, public)
    assert not (public / "review").exists()
    assert "noindex" not in (public / "index.html").read_text(encoding="utf-8")


def test_each_memo_and_comment_is_its_own_list_item(tiny: Path, tmp_path: Path) -> None:
    """Two memos ran into one paragraph ("... - Memo (BD): ...") on the review copy."""
    dyad = tiny / "dyads" / "C1-P1.md"
    dyad.write_text(dyad.read_text(encoding="utf-8").replace(
        '  - {author: AB, text: "MEMO-SECRET-ONE about the case"}\n',
        '  - {author: AB, text: "MEMO-SECRET-ONE about the case"}\n'
        '  - {author: CD, text: "MEMO-TWO in reply"}\n'
        'comments:\n  - {author: EF, text: "COMMENT-THREE on both"}\n'), encoding="utf-8")
    out = tmp_path / "review"
    build(tiny, out, audience="review")
    html = (out / "dyads" / "C1-P1.html").read_text(encoding="utf-8")
    items = re.findall(r"<li><strong>(Memo|Comment) \((\w+)\):</strong>", html)
    assert items == [("Memo", "AB"), ("Memo", "CD"), ("Comment", "EF")], items


def test_sign_off_banner_follows_the_manifest(tiny: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(tiny, out)
    assert "Not signed off" in (out / "index.html").read_text(encoding="utf-8")
    digest = fingerprint(tiny)
    study = tiny / "study.yml"
    study.write_text(study.read_text() + "sign_off: {role: PI, by: AB, date: 2026-11-29, "
                     f'manifest: "{digest}"}}\n')
    build(tiny, out)
    assert "Not signed off" not in (out / "index.html").read_text(encoding="utf-8")
    dyad = tiny / "dyads" / "C1-P1.md"
    dyad.write_text(dyad.read_text().replace("first met", "first saw"))
    build(tiny, out)
    assert "Not signed off" in (out / "index.html").read_text(encoding="utf-8")


def test_bundled_study_ships_a_valid_sign_off(bundled_site: Path) -> None:
    assert "Not signed off" not in (bundled_site / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("clinician", ["D1", "D2", "D3", "D4", "D5"])
def test_packets_respect_every_excerpts_consent(clinician: str) -> None:
    study = deidentify(load_and_validate(REPO / "casestudies"))
    public_ids = {e.id for d in select(study, "public").dyads for e in d.excerpts}
    clinician_consent = {c.id: c.consent for c in study.clinicians}
    shown = {q.excerpt.id for qs in packet_quotes(study, clinician).values() for q in qs}
    for dyad in study.dyads:
        for excerpt in dyad.excerpts:
            consent = speaker_consent(dyad, excerpt, clinician_consent[dyad.clinician])
            if dyad.clinician == clinician:
                allowed = excerpt.speaker is Speaker.clinician or consent.share_with_clinician
            else:
                allowed = excerpt.id in public_ids and excerpt.speaker is not Speaker.clinician
            if excerpt.id in shown:
                assert allowed, (clinician, excerpt.id)
            elif dyad.clinician == clinician:
                assert not allowed, (clinician, excerpt.id)  # everything allowed of own dyads


def test_packets_are_written_and_withhold_unshared_patient_words(tmp_path: Path) -> None:
    written = write_packets(prepare(REPO / "casestudies", "packets", scan=False),
                            tmp_path / "packets", tmp_path / "cache")
    assert [p.parent.name for p in written] == ["D1", "D2", "D3", "D4", "D5"]
    d1 = (tmp_path / "packets" / "D1" / "index.html").read_text(encoding="utf-8")
    study = load_and_validate(REPO / "casestudies")
    d1p3 = next(d for d in study.dyads if d.id == "D1-P3")
    assert not d1p3.consent.patient.share_with_clinician
    for excerpt in d1p3.excerpts:
        if excerpt.speaker is Speaker.patient:
            assert f"{excerpt.id} ·" not in d1
    assert "<script" not in d1 and "Does the model fit your experience" in d1


def test_withdrawing_a_participant_removes_them_everywhere(tmp_path: Path) -> None:
    study = tmp_path / "casestudies"
    shutil.copytree(REPO / "casestudies", study)
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    before = tmp_path / "before"
    build(study, before)
    dyad = study / "dyads" / "D3-P2.md"
    text = dyad.read_text(encoding="utf-8")
    dyad.write_text(text.replace("  patient: {quote: true,", "  patient: {withdrawn: true, "
                                 "quote: true,", 1), encoding="utf-8")
    after = tmp_path / "after"
    # Her clinician's case study tells her story (newuser10): refused until the team takes
    # that paragraph out, as a withdrawal asks of them.
    with pytest.raises(PrivacyError) as refused:
        build(study, after)
    assert [(p.file, p.line) for p in refused.value.problems] == [("clinicians/D3.md", 58)]
    assert "D3-P2" in refused.value.problems[0].message
    assert not after.exists()
    clinician = study / "clinicians" / "D3.md"
    lines = clinician.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[57].startswith("The same teacher's case")
    clinician.write_text("".join(lines[:57] + lines[59:]), encoding="utf-8")
    build(study, after)
    everything = _all_text(after)
    assert not (after / "dyads" / "D3-P2.html").exists()
    assert "D3-P2" not in everything
    excerpt_rows = (after / "data" / "excerpts.csv").read_text(encoding="utf-8-sig")
    assert not re.search(r"^D3-P2-E", excerpt_rows, re.M)

    def patients(site: Path) -> int:
        html = (site / "data" / "demographics.html").read_text(encoding="utf-8")
        return int(re.search(r"Patients \(n = (\d+)\)", html).group(1))  # type: ignore[union-attr]

    assert patients(after) == patients(before) - 1
    methods = (after / "methods" / "index.html").read_text(encoding="utf-8")
    assert "1 participant withdrew" in methods


def test_model_history_shows_every_version_with_changes(bundled_site: Path) -> None:
    html = (bundled_site / "model" / "history.html").read_text(encoding="utf-8")
    data = yaml.safe_load((REPO / "casestudies/model-history/history.yml").read_text())
    versions = data["versions"]
    assert len(versions) >= 3
    for entry in versions:
        assert f'id="version-{entry["version"]}"' in html
    assert html.count('class="bs-diagram"') == len(versions)  # one drawing per version
    assert "Mindfulness" in html and "Undivided attention → Full attention" in html
    assert "Using power well → Appreciating power" in html


def test_encrypted_review_copy_needs_the_password(tiny: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import pyzipper
    from click.testing import CliRunner

    from build_site.cli import main

    target = tmp_path / "review.zip"
    monkeypatch.setenv("BUILD_SITE_PASSWORD", "correct horse battery")
    result = CliRunner().invoke(main, ["build", str(tiny), "--review", "--out",
                                       str(tmp_path / "r"), "--encrypt", str(target)])
    assert result.exit_code == 0, result.output
    with pyzipper.AESZipFile(target) as archive:
        assert archive.getinfo("index.html").flag_bits & 0x1  # encrypted entry
        with pytest.raises(RuntimeError):
            archive.read("index.html")  # no password
        archive.setpassword(b"correct horse battery")
        assert b"Review copy" in archive.read("index.html")
    monkeypatch.setenv("BUILD_SITE_PASSWORD", "short")
    result = CliRunner().invoke(main, ["build", str(tiny), "--review", "--out",
                                       str(tmp_path / "r"), "--encrypt", str(tmp_path / "x.zip")])
    assert result.exit_code == 2 and "shorter than 12" in result.output


@pytest.mark.parametrize("where", ["r/copy.zip", "tiny/private/copy.zip", "tiny/copy.zip"])
def test_encrypted_copy_is_refused_inside_the_output_or_the_study(
        tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    from click.testing import CliRunner

    from build_site.cli import main

    target = tmp_path / where
    monkeypatch.setenv("BUILD_SITE_PASSWORD", "correct horse battery")
    result = CliRunner().invoke(main, ["build", str(tiny), "--review", "--out",
                                       str(tmp_path / "r"), "--encrypt", str(target)])
    assert result.exit_code == 2, result.output
    assert "the encrypted copy would be written inside" in result.output
    assert not target.exists() and not (tmp_path / "r").exists()


def test_encrypted_copy_never_replaces_a_file_that_is_not_a_zip(
        tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from build_site.cli import main

    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: Ours\n", encoding="utf-8")
    monkeypatch.setenv("BUILD_SITE_PASSWORD", "correct horse battery")
    for target in (config, tmp_path / "copy.txt"):
        result = CliRunner().invoke(main, ["build", str(tiny), "--review", "--out",
                                           str(tmp_path / "r"), "--encrypt", str(target)])
        assert result.exit_code == 2, result.output
        assert "must be a .zip file" in " ".join(result.output.split())
    assert config.read_text(encoding="utf-8") == "site_name: Ours\n"
