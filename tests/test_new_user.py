"""What a new user met following the README with a study of their own (helper newuser9):
each test is a place where the site or the tool said something untrue or stopped a first study
for no reason."""

from __future__ import annotations

import html
import re
from pathlib import Path

from build_site.check import check_study
from build_site.newstudy import write_new_study
from build_site.pipeline import build


def _text(page: Path) -> str:
    """The visible text of a built page, tags dropped and white space collapsed."""
    raw = re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8"))
    return " ".join(html.unescape(raw).split())


def _set_min_cell(study: Path, size: int) -> None:
    path = study / "study.yml"
    text = path.read_text(encoding="utf-8")
    assert "min_cell_size: 2" in text
    path.write_text(text.replace("min_cell_size: 2", f"min_cell_size: {size}"), encoding="utf-8")


def test_methods_page_claims_suppression_only_when_counts_are_suppressed(
        tiny: Path, tmp_path: Path) -> None:
    # `build-site new` writes min_cell_size: 1, which hides nothing (the demographics page says
    # so); the methods page said "small counts in tables are suppressed" all the same.
    build(tiny, tmp_path / "two")
    assert "small counts in tables are suppressed" in _text(tmp_path / "two/methods/index.html")
    _set_min_cell(tiny, 1)
    build(tiny, tmp_path / "one")
    methods = _text(tmp_path / "one/methods/index.html")
    assert "suppressed" not in methods
    assert "every count in tables is shown exactly" in methods


def test_the_new_studys_about_page_quotes_no_one(tmp_path: Path) -> None:
    # A first study with a patient who refused quotation, whose words hold "about", was refused
    # at the About page that `build-site new` wrote: its quoted section title "About" was read
    # as her words (docs/about.md:4, a quotation presented as the words of a participant who
    # did not consent to be quoted). The template now quotes nothing.
    study = tmp_path / "my-study"
    write_new_study(study)
    dyad = study / "dyads" / "C1-P1.md"
    text = dyad.read_text(encoding="utf-8")
    text = text.replace("patient: {quote: true,", "patient: {quote: false,")
    text = text.replace("nobody had done that before.",
                        "nobody had asked me about it before, not once.")
    dyad.write_text(text, encoding="utf-8")
    report = check_study(study)
    assert report.prepared.text.consent == []
    assert not report.refused


def test_a_listed_name_in_a_code_definition_is_replaced(tiny: Path, tmp_path: Path) -> None:
    # The guide says code definitions are replaced like every other text; they were published
    # as written (Codebook.codes shares its name with an excerpt's kept ``codes``), so a listed
    # place in a definition refused the build at the leak gate, naming only output files,
    # while `check` called the study ready.
    path = tiny / "codebook.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("definition: A small kind act.",
                                 "definition: A small kind act, as Margery described it."),
                    encoding="utf-8")
    assert not check_study(tiny).refused
    build(tiny, tmp_path / "site")
    codebook = _text(tmp_path / "site" / "data" / "codebook.html")
    assert "A small kind act, as Ada described it." in codebook
    assert "Margery" not in codebook


def test_the_studys_labels_title_the_home_table_and_the_clinicians_words(
        tiny: Path, tmp_path: Path) -> None:
    # A study of pharmacists (labels.clinician: Pharmacist) still read "Clinicians" in the home
    # page's "At a glance" table and "In the clinician's words" on each pharmacist's page.
    path = tiny / "study.yml"
    path.write_text(path.read_text(encoding="utf-8") + (
        "labels: {clinician: Pharmacist, clinicians: Pharmacists, dyad: Pair, dyads: Pairs,\n"
        "         patient: Customer, patients: Customers}\n"), encoding="utf-8")
    build(tiny, tmp_path / "site")
    home = _text(tmp_path / "site" / "index.html")
    assert "Pharmacists 2" in home and "Customers (pairs) " in home
    assert "Clinicians" not in home and "Patients" not in home
    clinician = _text(tmp_path / "site" / "clinicians" / "C1.html")
    assert "In the pharmacist's words" in clinician
    assert "clinician's words" not in clinician
    components = "".join(_text(p) for p in (tmp_path / "site" / "model").rglob("*.html"))
    assert "From the pharmacist's interview" in components  # a component's evidence
    assert "clinician's interview" not in components
