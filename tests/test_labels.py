"""Nothing of the bundled study in the tool (issue 22 item 5): neutral member-checking
questions, and the study's own words for the model's kinds and its case studies
(``labels`` in study.yml), shown as text wherever they appear."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from build_site.outputs.packets import write_packets
from build_site.pipeline import build, prepare
from build_site.study import in_sentence

LABELS = """labels:
  kinds:
    competency: "Skills & <b>crafts</b>"
    process: Ways of working
    outcome: What changed
  clinician: Teacher
  clinicians: Teachers
  dyad: Pair
  dyads: Pairs
  patient: Pupil
  patients: Pupils
"""


def _packet_text(study: Path, out: Path) -> str:
    write_packets(prepare(study, "packets", scan=False), out / "packets", out / "cache")
    html = (out / "packets" / "C1" / "index.html").read_text(encoding="utf-8")
    return re.sub(r"\s+", " ", html)


def test_default_member_checking_questions_name_no_study_topic(tiny: Path,
                                                                tmp_path: Path) -> None:
    text = _packet_text(tiny, tmp_path)
    assert "Does this model fit your experience? Where does it not?" in text
    assert not re.search(r"\bheal|relationship", text, re.I)


def test_feedback_questions_replace_the_defaults(tiny: Path, tmp_path: Path) -> None:
    study_yml = tiny / "study.yml"
    study_yml.write_text(study_yml.read_text(encoding="utf-8")
                         + "feedback_questions:\n  - Is the <i>model</i> yours?\n",
                         encoding="utf-8")
    text = _packet_text(tiny, tmp_path)
    assert "Is the &lt;i&gt;model&lt;/i&gt; yours?" in text
    assert "What is missing from it?" not in text


def test_packets_use_the_study_labels(tiny: Path, tmp_path: Path) -> None:
    (tiny / "study.yml").write_text((tiny / "study.yml").read_text(encoding="utf-8") + LABELS,
                                    encoding="utf-8")
    text = _packet_text(tiny, tmp_path)
    assert "Member checking for teacher C1" in text and "Your pupils' words" in text
    assert "Skills &amp; &lt;b&gt;crafts&lt;/b&gt;" in text and "<b>crafts" not in text
    assert "clinician C1" not in text


@pytest.fixture(scope="module")
def labelled_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import shutil

    from tests.conftest import FIXTURES

    root = tmp_path_factory.mktemp("labels")
    study = root / "tiny"
    shutil.copytree(FIXTURES / "tiny", study)
    (study / "study.yml").write_text((study / "study.yml").read_text(encoding="utf-8")
                                     + LABELS + RESULTS, encoding="utf-8")
    return build(study, root / "site").out


RESULTS = """results:
  - component: caring
    text: Small acts carried the relationship.
    excerpt_ids: [C1-P2-E2]
"""


def test_results_title_components_by_the_study_kinds(labelled_site: Path) -> None:
    """The results page named a component's kind by the neutral default ("Processes")."""
    results = _read(labelled_site, "results.html")
    assert "Ways of working · " in results and ">Processes<" not in results


def _read(site: Path, page: str) -> str:
    return (site / page).read_text(encoding="utf-8")


def test_study_labels_title_cases_and_kinds_as_text(labelled_site: Path) -> None:
    clinician = _read(labelled_site, "clinicians/C1.html")
    assert '<h1 id="teacher-c1">Teacher C1' in clinician
    assert "Pair C1-P1" in clinician  # the navigation
    dyad = _read(labelled_site, "dyads/C1-P1.html")
    assert '<h1 id="pair-c1-p1">Pair C1-P1' in dyad
    model = _read(labelled_site, "model/index.html")
    assert "Skills &amp; &lt;b&gt;crafts&lt;/b&gt;" in model  # heading, navigation, diagram
    assert "Ways of working" in model and "What changed" in model
    component = _read(labelled_site, "model/listening.html")
    assert re.search(r'bs-speaker">Pupil</span> · <a [^>]*>pair C1-P1</a>, '
                     r'<a [^>]*>teacher C1</a>', component)
    excerpts = _read(labelled_site, "analysis/excerpts.html")
    assert '<th scope="col">Pair</th><th scope="col">Teacher</th>' in excerpts
    assert "<td>pupil</td>" in excerpts
    demographics = _read(labelled_site, "data/demographics.html")
    assert "Teachers (n = 2)" in demographics
    for page in labelled_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "<b>crafts" not in html, page
        assert not re.search(r"Clinician competencies|Relational (processes|outcomes)"
                             r"|>Dyad C1|>Clinician C1", html), page


def test_case_and_model_headings_use_the_study_labels(labelled_site: Path) -> None:
    """newuser10: with ``dyad: Family`` the dyad page still said "Components evidenced in this
    dyad", and the model pages "Where this appears (dyads)" (the guide: headings and table
    columns use the labels)."""
    dyad = _read(labelled_site, "dyads/C1-P1.html")
    assert ">Components evidenced in this pair<" in dyad
    clinician = _read(labelled_site, "clinicians/C1.html")
    assert ">Components evidenced across these pairs<" in clinician
    model = _read(labelled_site, "model/index.html")
    assert re.search(r"Where this appears (\(|&#40;)pairs(\)|&#41;)", model)
    component = _read(labelled_site, "model/listening.html")
    assert "Where this appears: pairs <a" in component
    matrix = _read(labelled_site, "analysis/matrix.html")
    assert "<caption>Pairs by model components and elements</caption>" in matrix
    assert 'aria-label="Meta-matrix: pairs by model components"' in matrix
    for page in (dyad, clinician, model, component, matrix):
        assert not re.search(r"this dyad|these dyads|(\(|&#40;)dyads|: dyads <a|>Dyads by", page)


def test_the_sample_sentence_and_cases_overview_use_the_study_labels(labelled_site: Path
                                                                     ) -> None:
    """newuser10: a study of carers and families read "7 patients (7 clinician-patient
    dyads)" on its methods page."""
    methods = re.sub(r"<[^>]+>", "", _read(labelled_site, "methods/index.html"))
    assert re.search(r"\d teachers? and \d pupils? \(\d teacher-pupil pairs?\)", methods)
    cases = re.sub(r"<[^>]+>", "", _read(labelled_site, "cases/index.html"))
    assert ("One case study per teacher, drawing their pupils together, and one per "
            "teacher-pupil pair.") in cases
    assert "clinician-patient" not in methods + cases


def test_without_labels_the_kinds_have_neutral_titles(tiny: Path, tmp_path: Path) -> None:
    model = _read(build(tiny, tmp_path / "site").out, "model/index.html")
    assert re.search(r">Competencies<", model) and re.search(r">Outcomes<", model)
    assert "Clinician competencies" not in model and "Relational" not in model


@pytest.mark.parametrize(("label", "expected"), [
    ("Dyad", "dyad"), ("OSCE station", "OSCE station"), ("iPad", "iPad"), ("X", "X"),
    ("Ways of working", "ways of working")])
def test_in_sentence(label: str, expected: str) -> None:
    assert in_sentence(label) == expected


def test_the_transcript_turns_around_an_excerpt_name_speakers_by_the_labels(
        tmp_path: Path) -> None:
    """newuser10: a carers' study showed "Patient:" in the turns shown around an excerpt."""
    import shutil

    from .conftest import REPO

    study = tmp_path / "study"
    shutil.copytree(REPO / "casestudies", study)
    meta = study / "study.yml"
    meta.write_text(meta.read_text(encoding="utf-8").replace(
        "labels:                   #", "labels:\n  patient: Carer\n  clinician: Nurse\n #", 1),
        encoding="utf-8")
    build(study, tmp_path / "site")
    speakers = set(re.findall(r'bs-turn-speaker">(\w+):', "".join(
        p.read_text(encoding="utf-8") for p in (tmp_path / "site").rglob("*.html"))))
    assert "Carer" in speakers and "Patient" not in speakers and "Clinician" not in speakers
