"""Issue 23 item 3: article-shaped content. The results by component with validated exemplar
excerpts, each round's interview guide, the abstract, the methods in an article's order,
Tables S1 and S2 and the data availability statement."""

from __future__ import annotations

import html
import re
from collections import Counter
from pathlib import Path

import pytest

from build_site.analyse.evidence import Table
from build_site.analyse.suppress import HIDDEN
from build_site.errors import StudyError
from build_site.pipeline import build, load_and_validate, prepare
from build_site.render.article_text import availability, supplement_table

RESULTS = """results:
  - component: caring
    text: Patients told of care that went beyond the visit.
    excerpt_ids:
      - C1-P1-E1
      - C2-P1-E1
  - component: trust
    text: Trust followed care.
    excerpt_ids:
      - C1-P1-E1
      - C1-E1
"""
ROUNDS = """interview_guide_rounds:
  - round: 1
    from_interview: 1
    guide: "1. Tell me about your doctor."
  - round: 2
    from_interview: 3
    changes: A question on ruptures was added.
    guide: "1. Tell me about your doctor.\\n2. Has anything gone wrong?"
"""
ABSTRACT = "abstract: |\n  **Background.** A tiny study of care.\n"


def _append(study: Path, text: str) -> None:
    path = study / "study.yml"
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _line(study: Path, text: str, after: int = 0) -> int:
    lines = (study / "study.yml").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if i > after and text in line)


def _problems(study: Path) -> list[tuple[int, str]]:
    with pytest.raises(StudyError) as caught:
        load_and_validate(study)
    return [(p.line, p.message) for p in caught.value.problems if p.file == "study.yml"]


def _article(site: Path, page: str) -> str:
    text = (site / page).read_text(encoding="utf-8")
    return text[text.index("<article"):text.index("</article>")]


@pytest.fixture(scope="module")
def article_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[str]]:
    """The tiny study with results, guide rounds and an abstract, built once: (study, site,
    build warnings)."""
    import shutil
    root = tmp_path_factory.mktemp("article")
    study = root / "tiny"
    shutil.copytree(Path(__file__).parent / "fixtures" / "tiny", study)
    _append(study, RESULTS + ROUNDS + ABSTRACT)
    report = build(study, root / "site")
    return study, report.out, report.warnings


def test_results_quote_published_exemplars_and_name_the_line_of_a_withheld_one(
        article_site: tuple[Path, Path, list[str]]) -> None:
    study, site, warnings = article_site
    page = _article(site, "results.html")
    caring, trust = page.index('id="caring"'), page.index('id="trust"')
    assert caring < page.index('id="C1-P1-E1"') < trust
    assert 'id="C2-P1-E1"' not in page and "C2-P1-E1" not in page  # a draft case's words
    # quoted once (no two elements share an id), linked the second time
    assert page.count('id="C1-P1-E1"') == 1 and 'href="#C1-P1-E1"' in page[trust:]
    assert 'id="C1-E1"' in page[trust:]
    line = _line(study, "- C2-P1-E1")
    assert any(w.startswith(f"study.yml:{line}: results: excerpt 'C2-P1-E1'") for w in warnings)


def test_results_page_is_in_the_navigation_after_the_model(
        article_site: tuple[Path, Path, list[str]]) -> None:
    home = (article_site[1] / "index.html").read_text(encoding="utf-8")
    tabs = re.findall(r'class="md-tabs__link"[^>]*>\s*([^<]+?)\s*<', home)
    assert tabs.index("Results") == tabs.index("Model") + 1


def test_unknown_exemplar_and_component_are_refused_with_their_line(tiny: Path) -> None:
    _append(tiny, RESULTS.replace("C1-E1", "C1-E9").replace("component: trust",
                                                             "component: trusting"))
    problems = _problems(tiny)
    assert (_line(tiny, "- C1-E9"), "results: unknown excerpt 'C1-E9'") in problems
    assert (_line(tiny, "component: trusting"),
            "results: unknown component 'trusting'") in problems


def test_guide_rounds_each_shown_with_the_interviews_they_served(
        article_site: tuple[Path, Path, list[str]]) -> None:
    page = html.unescape(_article(article_site[1], "methods/interview-guide.html"))
    first, second = page.index("Round 1"), page.index("Round 2")
    assert "Used for interviews 1 to 2." in page[first:second]
    assert "<p>Used from interview 3 on.</p>" in page[second:]  # a paragraph of its own
    assert "A question on ruptures was added." in page[second:]
    assert "Has anything gone wrong?" in page[second:] and "gone wrong" not in page[:second]


def test_guide_rounds_out_of_order_are_refused(tiny: Path) -> None:
    _append(tiny, ROUNDS.replace("from_interview: 3", "from_interview: 1"))
    problems = _problems(tiny)
    line = _line(tiny, "from_interview: 1", _line(tiny, "round: 2"))
    assert any(p == line and "round '2' starts at interview 1" in m for p, m in problems)


def test_abstract_opens_the_home_page(article_site: tuple[Path, Path, list[str]]) -> None:
    page = _article(article_site[1], "index.html")
    assert 'id="abstract"' in page
    assert page.index("<strong>Background.</strong>") < page.index("A two-clinician fixture")


def test_no_abstract_no_heading(tiny: Path, tmp_path: Path) -> None:
    page = _article(build(tiny, tmp_path / "site").out, "index.html")
    assert 'id="abstract"' not in page


def test_supplement_table_is_a_papers_table_one() -> None:
    table = Table("Patients", 20, [("Age", "40-59", "12"), ("Age", "60-79", "8"),
                                   ("Gender", "man", HIDDEN), ("Gender", "woman", HIDDEN),
                                   ("Conditions", "not broken down (a group is smaller than 3)",
                                    HIDDEN)])
    shaped = supplement_table("S2", "Patients", "patients", table)
    assert [(r.label, r.value, r.shown) for r in shaped.rows] == [
        ("Age", "", ""), ("Age", "40-59", "12 (60)"), ("Age", "60-79", "8 (40)"),
        ("Gender", "", ""), ("Gender", "man", HIDDEN), ("Gender", "woman", HIDDEN),
        ("Conditions", "not broken down (a group is smaller than 3)", "")]
    assert (shaped.number, shaped.anchor, shaped.n, shaped.multi) == ("S2", "table-s2", 20, False)
    assert shaped.percentages
    hidden = Table("Clinicians", 5, [("Age", "not broken down (a group is smaller than 3)",
                                      HIDDEN)])
    assert not supplement_table("S1", "Clinicians", "clinicians", hidden).percentages
    many = Table("Patients", 4, [("Conditions", "asthma", "3"), ("Conditions", "gout", "3")])
    assert supplement_table("S2", "Patients", "patients", many).multi


def test_data_availability_counts_consent_and_says_why_transcripts_are_not_shared(
        tiny: Path, tmp_path: Path) -> None:
    prepared = prepare(tiny, scan=False)
    facts = availability(prepared.coded, prepared.shown)
    # C1, C2 (clinicians), three patients, C1-P1's spouse; only the spouse and C1-P2's
    # patient (quote: false) and C2-P1's patient (no consent recorded) may not be quoted
    consents = Counter((c.allows_public_quote(), c.archive) for c in [
        *(c.consent for c in prepared.coded.clinicians),
        *(d.consent.patient for d in prepared.coded.dyads),
        *(o for d in prepared.coded.dyads for o in d.consent.others.values())])
    assert facts.participants == sum(consents.values())
    assert facts.quoted == sum(n for (quote, _), n in consents.items() if quote)
    assert facts.quoted < facts.participants
    page = html.unescape(_article(build(tiny, tmp_path / "site").out, "methods/index.html"))
    assert f"Of the {facts.participants} participants in the study, {facts.quoted} agreed" in page
    assert "full interview transcripts and recordings are not shared" in page


def test_methods_follow_an_articles_order(bundled_site: Path) -> None:
    page = _article(bundled_site, "methods/index.html")
    sections = [html.unescape(re.sub(r"<[^>]+>", "", h)).strip(" ¶")
                for h in re.findall(r"<h2[^>]*>(.*?)</h2>", page, re.S)]
    assert sections == ["Design", "Setting and sampling", "Data collection", "Analysis",
                        "Rigour and reflexivity", "Ethics", "Other information"]
    for anchor in ("approach", "sample", "interviews", "data-processing", "analysis",
                   "member-checking", "saturation", "ethics", "data-availability"):
        assert f'id="{anchor}"' in page


def test_bundled_home_and_introduction_do_not_advertise_the_tool(bundled_site: Path) -> None:
    for page in ("index.html", "introduction.html"):
        text = _article(bundled_site, page)
        assert "build-site" not in text and "generator" not in text.lower(), page
        head = (bundled_site / page).read_text(encoding="utf-8").split("</head>")[0]
        assert "build-site" not in re.sub(r'(href|src)="[^"]*"', "", head), page


def test_hidden_clinicians_results_quote_exemplars_by_their_neutral_ids(
        tiny: Path, tmp_path: Path) -> None:
    _append(tiny, '  hide_clinician: true\n  case_key: "a-team-secret"\n' + RESULTS)
    report = build(tiny, tmp_path / "site")
    page = _article(report.out, "results.html")
    assert "C1-P1" not in page and re.search(r'<figure [^>]*id="P0[1-3]-E1"', page)
    assert 'id="C1-E1"' in page  # a clinician's own words keep their id
    assert not any("'C1-P1-E1'" in w for w in report.warnings)
    assert any("results: excerpt 'C2-P1-E1'" in w for w in report.warnings)  # a draft case


def test_data_availability_takes_the_teams_own_transcripts_sentence(
        tiny: Path, tmp_path: Path) -> None:
    _append(tiny, "data_availability:\n  transcripts: The transcripts are on figshare.\n"
                  "  deposit: Zenodo, doi:10.5281/zenodo.1\n")
    page = html.unescape(_article(build(tiny, tmp_path / "site").out, "methods/index.html"))
    assert "The transcripts are on figshare." in page
    assert "The supplement is deposited at Zenodo, doi:10.5281/zenodo.1." in page
    assert "not shared" not in page and "do not provide for sharing" not in page
