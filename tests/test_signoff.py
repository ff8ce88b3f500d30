"""The sign-off: a fingerprint of everything published, the change report, recorded snapshots
(issue 16, items 1 and 2)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from build_site.cli import main
from build_site.pipeline import build

DIGEST = re.compile(r"fingerprint (sha256:[0-9a-f]{64})")


def _manifest(study: Path, *args: str) -> Result:
    result = CliRunner().invoke(main, ["manifest", str(study), *args])
    assert result.exit_code == 0, result.output
    return result


def _digest(study: Path) -> str:
    found = DIGEST.search(_manifest(study).stderr)
    assert found, "manifest printed no fingerprint"
    return found.group(1)


def _sign(study: Path, digest: str, date: str = "2026-11-29") -> None:
    path = study / "study.yml"
    path.write_text(path.read_text(encoding="utf-8") + f'sign_off: {{role: PI, by: AB, '
                    f'date: "{date}", manifest: "{digest}"}}\n', encoding="utf-8")


def _with_site(study: Path) -> Path:
    """``study`` with its own mkdocs.yml and a hand-written page."""
    (study / "mkdocs.yml").write_text("site_name: Tiny\ncopyright: Tiny team 2026\n",
                                      encoding="utf-8")
    (study / "docs").mkdir()
    (study / "docs" / "about.md").write_text("# About\n\nWritten by the team.\n",
                                             encoding="utf-8")
    return study


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


EDITS: dict[str, Callable[[Path], None]] = {
    "component definition": lambda s: _edit(s / "model.yml", "Hearing the patient out.",
                                            "Hearing the patient out, unhurried."),
    "code definition": lambda s: _edit(s / "codebook.yml", "Felt heard.", "Felt listened to."),
    "hand-written page": lambda s: _edit(s / "docs" / "about.md", "Written by the team.",
                                         "Written by the whole team."),
    "copyright in mkdocs.yml": lambda s: _edit(s / "mkdocs.yml", "Tiny team 2026",
                                               "Another team 2026"),
    "excerpt codes": lambda s: _edit(s / "dyads" / "C1-P1.md", "codes: [heard, relies]",
                                     "codes: [heard]"),
    "excerpt flag": lambda s: _edit(s / "dyads" / "C1-P1.md", "codes: [heard, relies]",
                                    "codes: [heard, relies]\n    disconfirming: true"),
    "team": lambda s: _append(s / "study.yml", "team: [{name: A. Person, role: Analyst}]\n"),
    "interviewer": lambda s: _append(s / "study.yml", "interviewer: {name: I. Asker}\n"),
    "analysis steps": lambda s: _append(s / "study.yml",
                                        "analysis_steps: [{title: Open coding}]\n"),
    "reporting": lambda s: _append(s / "study.yml", "reporting: {coreq: {'1': Manuscript}}\n"),
    "citation": lambda s: _append(s / "study.yml", "citation: {text: Tiny et al. 2026}\n"),
}


@pytest.mark.parametrize("what", sorted(EDITS))
def test_every_published_input_changes_the_fingerprint(tiny: Path, what: str) -> None:
    study = _with_site(tiny)
    before = _digest(study)
    _sign(study, before)
    assert "matches the sign-off" in _manifest(study).stderr
    EDITS[what](study)
    assert _digest(study) != before, f"editing the {what} left the fingerprint as it was"
    assert "NOT signed off" in _manifest(study).stderr


def test_theme_override_file_changes_the_fingerprint(tiny: Path) -> None:
    study = _with_site(tiny)
    _append(study / "mkdocs.yml", "theme: {name: material, custom_dir: overrides}\n")
    (study / "overrides").mkdir()
    (study / "overrides" / "extra.css").write_text("a { color: red }\n", encoding="utf-8")
    before = _digest(study)
    (study / "overrides" / "extra.css").write_text("a { color: blue }\n", encoding="utf-8")
    assert _digest(study) != before


def test_the_sign_off_date_does_not_feed_its_own_hash(tiny: Path) -> None:
    digest = _digest(tiny)
    _sign(tiny, digest, "2026-11-29")
    assert _digest(tiny) == digest
    _edit(tiny / "study.yml", "2026-11-29", "2027-03-01")
    assert _digest(tiny) == digest
    assert "matches the sign-off" in _manifest(tiny).stderr


def test_never_published_text_is_not_in_the_manifest(tiny: Path) -> None:
    _edit(tiny / "study.yml", "min_cell_size: 2", "min_cell_size: 2\n  case_key: KEY-SECRET")
    text = _manifest(tiny).stdout
    for secret in ("MEMO-SECRET-ONE", "Margery Quill", "Alcott", "KEY-SECRET", "C1-P1.md"):
        assert secret not in text, secret
    assert "Ada first met C1 in [small town]." in text  # the narrative, as published
    assert '- demographics.age: ["90 or older"]' in text  # ages as shown, in bands
    assert not re.search(r"\b93\b", text)  # the age as written (digests aside)


def _notice_html(study: Path, out: Path, review: bool = False) -> str:
    build(study, out, audience="review" if review else "public")
    return (out / "index.html").read_text(encoding="utf-8")


def test_custom_main_html_keeps_the_banner_and_noindex(tiny: Path, tmp_path: Path) -> None:
    (tiny / "mkdocs.yml").write_text(
        "site_name: Tiny\ntheme: {name: material, custom_dir: overrides}\n", encoding="utf-8")
    (tiny / "overrides").mkdir()
    (tiny / "overrides" / "main.html").write_text(
        '{% extends "base.html" %}\n{% block extrahead %}<meta name="team-own" '
        'content="kept">{% endblock %}\n', encoding="utf-8")
    public = _notice_html(tiny, tmp_path / "site")
    assert "Not signed off" in public and 'name="team-own"' in public
    review = _notice_html(tiny, tmp_path / "review", review=True)
    assert 'content="noindex,nofollow"' in review and 'name="team-own"' in review
    assert "Review copy for the analysis team" in review


def test_record_writes_snapshot_and_study_yml_keeping_its_comments(tiny: Path,
                                                                  tmp_path: Path) -> None:
    _append(tiny / "study.yml", "# a comment the team wrote\nlicense: CC BY 4.0  # theirs\n")
    original = (tiny / "study.yml").read_text(encoding="utf-8")
    digest = _digest(tiny)
    _manifest(tiny, "--record", "--by", "A. Author", "--role", "PI", "--date", "2026-12-06")
    text = (tiny / "study.yml").read_text(encoding="utf-8")
    assert text.startswith(original)  # every byte the team wrote is kept
    assert f'manifest: "{digest}"' in text and "by: A. Author\n" in text
    snapshots = list((tiny / "signed-off").glob("*.json"))
    assert [p.name for p in snapshots] == [f"2026-12-06-{digest[7:19]}.json"]
    data = json.loads(snapshots[0].read_text(encoding="utf-8"))
    assert data["digest"] == digest
    assert data["signatures"] == [{"by": "A. Author", "role": "PI", "date": "2026-12-06"}]
    assert "matches the sign-off" in _manifest(tiny).stderr
    # a co-signer of the same content joins the same snapshot
    _manifest(tiny, "--record", "--by", "B. Other", "--role", "Ethics", "--date", "2026-12-07")
    data = json.loads(snapshots[0].read_text(encoding="utf-8"))
    assert [s["by"] for s in data["signatures"]] == ["A. Author", "B. Other"]
    assert "Not signed off" not in _notice_html(tiny, tmp_path / "site")


def test_change_report_names_each_change(tiny: Path) -> None:
    study = _with_site(tiny)
    _manifest(study, "--record", "--by", "A. Author", "--role", "PI", "--date", "2026-12-06")
    assert "no change since the sign-off" in _manifest(study, "--changes").stderr
    for what in ("component definition", "code definition", "hand-written page",
                 "copyright in mkdocs.yml", "excerpt codes", "team"):
        EDITS[what](study)
    _edit(study / "dyads" / "C1-P1.md", "excerpts:", "excerpts:\n  - id: C1-P1-NEW\n"
          "    speaker: patient\n    codes: [heard]\n    text: A NEW QUOTE.")
    report = _manifest(study, "--changes").stdout
    expected = [
        "changed: component listening", "- Hearing the patient out.",
        "+ Hearing the patient out, unhurried.",
        "changed: code heard", "- Felt heard.", "+ Felt listened to.",
        "changed: page about.md", "-Written by the team.", "+Written by the whole team.",
        "changed: configuration mkdocs.yml", "copyright:", "+ Another team 2026",
        "changed: excerpt C1-P1-E1 of dyad C1-P1", '- ["heard", "relies"]', '+ ["heard"]',
        "added: person 1", "+ A. Person",
        "added: excerpt C1-P1-NEW of dyad C1-P1", "+ A NEW QUOTE.",
    ]
    for line in expected:
        assert line in report, f"{line!r} missing from:\n{report}"


def test_refusal_and_warning_name_the_change_report(tiny: Path, tmp_path: Path) -> None:
    digest = _digest(tiny)
    _sign(tiny, digest)
    EDITS["code definition"](tiny)
    result = CliRunner().invoke(main, ["package", str(tiny), "--out", str(tmp_path / "s.zip")])
    assert result.exit_code == 3 and "build-site manifest --changes" in result.output
    report = build(tiny, tmp_path / "site")
    assert any("build-site manifest --changes" in w for w in report.warnings)


def test_changes_without_a_recorded_snapshot_says_so(tiny: Path) -> None:
    _sign(tiny, _digest(tiny))
    EDITS["code definition"](tiny)
    assert "was not recorded" in _manifest(tiny, "--changes").stderr


@pytest.mark.parametrize("name", ["no", "O'Brien: PI", "#1 signer", "012345", " padded", "1:30"])
def test_recorded_names_read_back_as_written(tmp_path: Path, name: str) -> None:
    from build_site.signoff import replace_sign_off, sign_off_block
    from build_site.yamlsource import load_yaml

    path = tmp_path / "study.yml"
    path.write_text("title: T  # kept\nsign_off: {role: x, by: y, date: z, manifest: w}\n",
                    encoding="utf-8")
    assert replace_sign_off(path, sign_off_block(name, name, "2026-12-06", "sha256:" + "0" * 64))
    data = load_yaml(path.read_text(encoding="utf-8"))
    assert data["sign_off"]["by"] == name and data["sign_off"]["role"] == name
    assert path.read_text(encoding="utf-8").startswith("title: T  # kept\n")


def test_a_reordering_alone_is_reported() -> None:
    from build_site.changes import compare, render_changes, reordered
    from build_site.manifest import manifest_of
    from build_site.published import Item

    a, b = Item("code", "a", "codes[a]", fields={"label": "A"}), Item("code", "b", "codes[b]")
    before, after = manifest_of([a, b]), manifest_of([b, a])
    assert before.digest != after.digest and compare(before, after) == []
    assert reordered(before, after)
    assert "the order of items" in render_changes([], moved=True)


def test_the_configuration_in_force_counts_inherited_and_explicit(tiny: Path) -> None:
    (tiny / "base.yml").write_text("copyright: Base 2026\n", encoding="utf-8")
    (tiny / "mkdocs.yml").write_text("INHERIT: base.yml\nsite_name: Tiny\n", encoding="utf-8")
    before = _digest(tiny)
    _edit(tiny / "base.yml", "Base 2026", "Changed 2026")
    assert _digest(tiny) != before  # INHERIT resolved
    (tiny / "other.yml").write_text("site_name: Other\n", encoding="utf-8")
    explicit = DIGEST.search(_manifest(tiny, "--config", str(tiny / "other.yml")).stderr)
    assert explicit and explicit.group(1) not in (before, _digest(tiny))


def test_consent_choices_stay_out_of_the_public_snapshot(tiny: Path) -> None:
    text = _manifest(tiny).stdout
    assert "share_with_clinician" not in text and "consent" not in text
    assert "status" not in text and "insider" not in text  # C1-P2's recorded re-consent
