from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from build_site.analyse import analyse
from build_site.pipeline import load_and_validate
from build_site.render.downloads import (
    QDC_NS,
    citation_cff,
    codebook_qdc,
    license_spdx,
    matrix_files,
    safe_cell,
    to_csv,
    to_json,
)


def test_spreadsheet_formulas_are_neutralised() -> None:
    assert safe_cell("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")"
    assert safe_cell("-1") == "'-1" and safe_cell("@SUM") == "'@SUM"
    assert safe_cell("plain") == "plain"
    assert to_csv(["a"], [["+cmd"]]).decode("utf-8-sig") == "a\r\n'+cmd\r\n"


def test_qdc_holds_every_code_with_hierarchy(tiny: Path) -> None:
    path = tiny / "codebook.yml"
    path.write_text(path.read_text() + "  - id: child\n    label: Child\n    parent: heard\n")
    study = load_and_validate(tiny)
    root = ET.fromstring(codebook_qdc(study))
    names = [c.get("name") for c in root.iter(f"{{{QDC_NS}}}Code")]
    assert sorted(names) == sorted(c.label for c in study.codebook.codes)
    heard = next(c for c in root.iter(f"{{{QDC_NS}}}Code") if c.get("name") == "Heard")
    assert [c.get("name") for c in heard.findall(f"{{{QDC_NS}}}Code")] == ["Child"]
    assert codebook_qdc(study) == codebook_qdc(study)  # stable GUIDs


def test_citation_cff_is_valid_yaml_with_spdx_licence(tiny: Path) -> None:
    path = tiny / "study.yml"
    real = path.read_text().replace("demonstration: true", "demonstration: false")
    path.write_text(real + "license: CC BY 4.0\nteam:\n  - name: Ana M. Pérez\n")
    cff = yaml.safe_load(citation_cff(load_and_validate(tiny)))
    assert cff["cff-version"] == "1.2.0" and cff["title"] == "Tiny study"
    assert cff["license"] == "CC-BY-4.0"
    assert cff["authors"] == [{"family-names": "Pérez", "given-names": "Ana M."}]
    assert license_spdx("CC BY-NC-SA 4.0") == "CC-BY-NC-SA-4.0"
    assert license_spdx("All rights reserved") is None


def test_json_downloads_hold_the_same_data_one_record_a_line(tiny: Path) -> None:
    # Issue 25 (output size): the indented JSON was a third indentation at 1,000 dyads.
    analysis = analyse(load_and_validate(tiny))
    files = matrix_files(analysis, counts=False)
    for name in ("meta-matrix.json", "clinician-matrix.json"):
        text = files[name].decode()
        data = json.loads(text)
        assert text == to_json(data).decode()
        assert len(text) < 0.75 * len(json.dumps(data, indent=2, sort_keys=True,
                                                 ensure_ascii=False))
    matrix = json.loads(files["meta-matrix.json"])
    lines = files["meta-matrix.json"].decode().splitlines()
    rows = [json.loads(line.rstrip(",")) for line in lines if line.startswith('{"')]
    assert rows == matrix["rows"] and len(rows) > 1  # each row a line of its own
    assert lines[0] == "{" and lines[1].startswith('"columns":') and lines[-1] == "}"
    records = [{"id": "E1", "text": "Naïve \"quoted\"\nline"}, {"id": "E2", "text": ""}]
    assert to_json(records).decode() == (
        '[\n{"id":"E1","text":"Naïve \\"quoted\\"\\nline"},\n{"id":"E2","text":""}\n]\n')
    assert json.loads(to_json(records)) == records


@pytest.mark.parametrize("study_dir", ["casestudies", "examples/osce"])
def test_files_marked_as_written_equal_them_marked_after(study_dir: str, tmp_path: Path) -> None:
    # issue 25: a demonstration study's downloads are marked while written, not read back
    from build_site.metadata.fictional_downloads import MARK, mark_downloads
    from build_site.pipeline import _render_context, prepare
    from build_site.render.analysis_pages import excerpt_rows
    from build_site.render.diagrams import DiagramRenderer
    from build_site.render.downloads import codebook_csv, excerpt_files

    prepared = prepare(Path(__file__).resolve().parents[2] / study_dir, "public")
    ctx = _render_context(prepared, DiagramRenderer(tmp_path / "diagrams"))
    rows = excerpt_rows(ctx, "data/downloads.md")
    odd = {**rows[0], "dyad": None, "clinician": "=cmd", "speaker_label": '"q", x',
           "text": "line\r\nnext \"q\" ,; -1\rlast\n", "codes": ["+a", "b"], "flags": []}
    rows = [*rows, odd]
    for counts in (True, False):
        plain = {**matrix_files(ctx.analysis, counts), **excerpt_files(rows),
                 "codebook.csv": codebook_csv(ctx.study, ctx.code_counts() if counts else None)}
        marked = {**matrix_files(ctx.analysis, counts, mark=MARK),
                  **excerpt_files(rows, mark=MARK),
                  "codebook.csv": codebook_csv(ctx.study, ctx.code_counts() if counts else None,
                                               mark=MARK)}
        assert marked == mark_downloads(plain)
        assert marked != plain and set(marked) == set(plain)
