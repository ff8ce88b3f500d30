"""The PDF is tagged (issue 23 item 4): WeasyPrint's PDF/UA-1 variant, read back with pypdf
and checked with ``pdfua`` (the machine-checkable subset of PDF/UA-1). What the checker cannot
judge (reading order as meant, the quality of alternative text) is not claimed."""

from __future__ import annotations

import io
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from build_site.outputs.pdf import export_pdf
from build_site.signoff import fingerprint

from .conftest import FIXTURES


@pytest.fixture(scope="module")
def tiny_pdf_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The signed-off tiny fixture (a demonstration study) as a PDF."""
    study = tmp_path_factory.mktemp("a11y") / "tiny"
    shutil.copytree(FIXTURES / "tiny", study)
    path = study / "study.yml"
    path.write_text(path.read_text() + "license: CC BY 4.0\n")
    path.write_text(path.read_text() + "sign_off: {role: PI, by: AB, date: 2026-11-29, "
                    f'manifest: "{fingerprint(study)}"}}\n')
    return export_pdf(study, study.parent / "tiny.pdf").out


def _roles(node: Any, seen: Counter[str], alts: list[str]) -> None:
    node = node.get_object()
    if isinstance(node, list):
        for child in node:
            _roles(child, seen, alts)
        return
    if not hasattr(node, "get"):
        return
    if "/S" in node:
        seen[str(node["/S"])] += 1
        if node["/S"] == "/Figure":
            alts.append(str(node.get("/Alt", "")))
    if "/K" in node:
        _roles(node["/K"], seen, alts)


def test_the_pdf_is_tagged_with_title_language_and_structure(tiny_pdf_file: Path) -> None:
    reader = PdfReader(tiny_pdf_file)
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]) is True
    assert root["/Lang"] == "en"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"]) is True
    assert reader.metadata is not None
    assert reader.metadata.title == "Tiny study (fictional demonstration data)"
    seen: Counter[str] = Counter()
    alts: list[str] = []
    _roles(root["/StructTreeRoot"], seen, alts)
    assert seen["/H1"] >= 5 and seen["/P"] >= 20 and seen["/Table"] >= 3, seen
    assert seen["/TH"] >= 3 and seen["/TD"] >= 10 and seen["/Link"] >= 5, seen
    assert alts and all(alts), alts  # every figure has alternative text
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert "pdfuaid:part" in xmp


def test_pdfua_checker_finds_no_error(tiny_pdf_file: Path) -> None:
    pdfua = pytest.importorskip("pdfua")
    report = pdfua.validate(str(tiny_pdf_file))
    errors = sorted({f"{f.rule_id}: {f.message}" for o in report.outcomes for f in o.findings
                     if f.severity >= pdfua.Severity.ERROR})
    assert errors == []


def test_the_running_header_says_fictional(tiny_pdf_file: Path) -> None:
    pages = PdfReader(io.BytesIO(tiny_pdf_file.read_bytes())).pages
    later = [" ".join(p.extract_text().split()) for p in pages[2:]]
    assert later and all("(fictional demonstration data)" in text for text in later)
