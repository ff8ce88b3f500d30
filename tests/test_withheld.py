"""A case the public build withholds (a draft, a patient without public consent) is named
nowhere in it: not on a page, a chart, a table, a download or in the search index. No id, no
interview order tied to it, no code it added, no attribute. The sample counts stay.
"""

from __future__ import annotations

import gzip
import re
import shutil
from pathlib import Path

import pytest

from build_site.pipeline import build

from .conftest import FIXTURES

# Strings only the withheld cases carry (ids, demographics, words, narrative).
DRAFT = ["C2-P1", "DRAFT-WORDS", "A draft case study"]
NO_CONSENT = ["C1-P7", "porphyria-kx", "QUIETVISIT-WORDS", "NARRATIVE-SEVEN"]
NO_CONSENT_DYAD = """---
id: C1-P7
clinician: C1
status: approved
demographics: {age: 71, gender: man, conditions: [porphyria-kx]}
interview: {order: 5}
consent:
  patient: {quote: true, public_site: false}
excerpts:
  - id: C1-P7-E1
    speaker: patient
    codes: [quiet-visits, heard]
    text: QUIETVISIT-WORDS she came by on Sundays.
---
NARRATIVE-SEVEN.
"""


def _build(work: Path, hide_clinician: bool = False) -> Path:
    """The tiny study (whose C2-P1 is a draft) with C1-P7, a patient without public consent,
    built for the public into ``work/site``."""
    study = work / "study"
    shutil.copytree(FIXTURES / "tiny", study)
    (study / "dyads" / "C1-P7.md").write_text(NO_CONSENT_DYAD, "utf-8")
    codebook = study / "codebook.yml"
    codebook.write_text(codebook.read_text("utf-8") + "\n  - id: quiet-visits\n"
                        "    label: Quiet visits\n    component: staying\n", "utf-8")
    if hide_clinician:
        meta = study / "study.yml"
        meta.write_text(meta.read_text("utf-8") + "  hide_clinician: true\n"
                        '  case_key: "a-test-key-0123456789"\n', "utf-8")
    build(study, work / "site")
    return work / "site"


@pytest.fixture(scope="module")
def withheld_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("withheld"))


def _files(site: Path) -> dict[str, str]:
    """Every output file as text (gzip files opened)."""
    out = {}
    for path in sorted(site.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            if path.suffix == ".gz":
                data = gzip.decompress(data)
            out[path.relative_to(site).as_posix()] = data.decode("utf-8", "replace")
    return out


def test_no_output_file_names_a_withheld_case(withheld_site: Path) -> None:
    found = [f"{name}: {needle}" for name, text in _files(withheld_site).items()
             for needle in DRAFT + NO_CONSENT if needle in text]
    assert not found, "\n".join(found)


def test_nor_when_clinicians_are_hidden(tmp_path: Path) -> None:
    site = _build(tmp_path, hide_clinician=True)
    found = [f"{name}: {needle}" for name, text in _files(site).items()
             for needle in DRAFT + NO_CONSENT if needle in text]
    assert not found, "\n".join(found)


def _article(site: Path, page: str) -> str:
    html = (site / page).read_text("utf-8")
    return html[html.index("<article"):html.index("</article>")]


def test_saturation_keeps_the_count_but_not_what_a_withheld_interview_added(
        withheld_site: Path) -> None:
    page = _article(withheld_site, "analysis/saturation.html")
    rows = re.findall(r"<tr>\s*<td>(\d+)</td>\s*<td>([^<]*)</td>\s*<td>([^<]*)</td>", page)
    by_order = {int(order): (label.strip(), codes.strip()) for order, label, codes in rows}
    assert sorted(by_order) == [1, 2, 3, 4, 5]  # every coded interview still counts
    assert by_order[1] == ("Clinician C1", "3: care-made-trust, heard, kindness")
    # the withheld interviews: no name, no code, only how many codes were new
    assert by_order[4] == ("Not published", "0")
    assert by_order[5] == ("Not published", "1")
    assert "quiet-visits" not in page


def test_the_methods_page_still_counts_the_withheld(withheld_site: Path) -> None:
    page = _article(withheld_site, "methods/index.html")
    assert re.search(r"\b2\b[^.]*not (?:published|shown)", page), page[:3000]


@pytest.mark.parametrize("where", ["docs/notes.md", "study.yml"])
def test_text_naming_a_withheld_case_is_refused(tmp_path: Path, where: str) -> None:
    from build_site.errors import PrivacyError

    study = tmp_path / "study"
    shutil.copytree(FIXTURES / "tiny", study)
    path = study / where
    path.parent.mkdir(exist_ok=True)
    text = path.read_text("utf-8") if path.exists() else "# Notes\n"
    if where == "study.yml":
        path.write_text(text.replace("overview: A two-clinician fixture for the tests.",
                                     "overview: See case C2-P1 for the hardest story."), "utf-8")
    else:
        path.write_text(text + "\nHer patient C2-P1 taught her most.\n", "utf-8")
    with pytest.raises(PrivacyError) as caught:
        build(study, tmp_path / "site")
    assert "'C2-P1', which this public build leaves out" in str(caught.value)
    assert not (tmp_path / "site").exists()
