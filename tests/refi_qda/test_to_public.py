"""From each real REFI-QDA export to a public site with no placeholder (issue 22, done when):
import, apply a mapping and a consent sheet, write what only the team can (title, model,
narratives), review the detector's findings, build the public site.

The exports are read from ``../shared`` (read-only) and copied into ``tmp_path``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from build_site.errors import EXIT_INVALID, StudyError
from build_site.pipeline import build, load_and_validate, prepare
from build_site.refi_qda.consent_sheet import load_consent_sheet
from build_site.refi_qda.exchange import apply_mapping, import_qdpx
from build_site.refi_qda.mapping import load_mapping
from tests.refi_qda.test_samples import DEMO, NVIVO, shared

MODEL = """components:
  - id: shared-purpose
    kind: process
    label: Shared purpose
    definition: How speakers tie their work to a purpose they share.
"""


def _import_and_map(tmp_path: Path, name: str) -> Path:
    qdpx = tmp_path / name
    shutil.copy(shared(name), qdpx)
    study = tmp_path / "study"
    import_qdpx(qdpx, study)
    dyads = [d.id for d in load_and_validate(study).dyads]
    mapping = tmp_path / "mapping.yml"
    mapping.write_text(yaml.safe_dump({
        "defaults": {"status": "approved", "publish": True},
        "cases": {d: {"dyad": d, "clinician": "C1"} for d in dyads}}), encoding="utf-8")
    sheet = tmp_path / "consent.csv"
    sheet.write_text("case,participant,quote,public_site,archive,share_with_clinician,"
                     "withdrawn,coordinator note\n"
                     + "".join(f"{d},patient,yes,yes,no,yes,no,called back\n" for d in dyads)
                     + "C1,clinician,yes,yes,no,,no,\n", encoding="utf-8")
    apply_mapping(study, load_mapping(mapping), load_consent_sheet(sheet))
    return study


def _write_what_the_team_writes(study: Path) -> None:
    meta = yaml.safe_load((study / "study.yml").read_text(encoding="utf-8"))
    meta |= {"title": "A study of shared purpose", "overview": "Two interviews on schooling."}
    (study / "study.yml").write_text(yaml.safe_dump(meta, sort_keys=False), encoding="utf-8")
    (study / "model.yml").write_text(MODEL, encoding="utf-8")
    for case in [*(study / "dyads").glob("*.md"), *(study / "clinicians").glob("*.md")]:
        head, _, _ = case.read_text(encoding="utf-8").rpartition("---\n")
        case.write_text(f"{head}---\nThe team's narrative of this case.\n", encoding="utf-8")


def _review_findings(study: Path) -> None:
    """Mark every detector finding as reviewed (the real exports name public institutions)."""
    findings = prepare(study, "public").findings
    reviewed = {"reviewed": [{"file": f.file, "hash": f.key, "by": "J. Sorensen",
                              "why": "a public institution"} for f in findings]}
    (study / "private" / "reviewed.yml").write_text(yaml.safe_dump(reviewed), encoding="utf-8")


@pytest.mark.parametrize("name", [DEMO, NVIVO])
def test_real_export_becomes_a_public_site_without_placeholders(tmp_path: Path,
                                                                 name: str) -> None:
    study = _import_and_map(tmp_path, name)
    mapped = load_and_validate(study)
    assert {d.clinician for d in mapped.dyads} == {"C1"}
    assert [c.id for c in mapped.clinicians] == ["C1"]  # the stand-in is gone
    assert all(d.consent.patient.allows_public_quote() for d in mapped.dyads)
    assert all(e.publish for d in mapped.dyads for e in d.excerpts)
    with pytest.raises(StudyError) as refused:
        build(study, tmp_path / "site")
    assert refused.value.exit_code == EXIT_INVALID
    assert "model.yml" in {p.file for p in refused.value.problems}
    assert not (tmp_path / "site").exists()

    _write_what_the_team_writes(study)
    _review_findings(study)
    out = tmp_path / "site"
    build(study, out)
    pages = {p: p.read_text(encoding="utf-8") for p in out.rglob("*.html")}
    assert not [p for p, text in pages.items() if "PLACEHOLDER" in text]
    for dyad in mapped.dyads:
        assert out / "dyads" / f"{dyad.id}.html" in pages
    if name == DEMO:
        assert "joyful, purposeful learning" in pages[out / "dyads" / "board_2017.html"]
