"""Issue 19 items 1 and 5: relations as grounded-theory claims (validation, status, check's
warning, de-identification, hidden clinicians) in the tiny study and the bundled one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from build_site.check import check_study
from build_site.errors import StudyError
from build_site.pipeline import build, load_and_validate
from build_site.relation_claims import ASSERTED, ESTABLISHED, TENTATIVE, status
from build_site.study import Relation

REPO = Path(__file__).resolve().parents[1]
CARING = "  - id: caring-builds-trust\n    from: caring\n    to: trust\n    kind: produces\n"
LISTENING = ("  - id: listening-helps-caring\n    from: {kind: competency}\n"
             "    to: {kind: process}\n    kind: facilitates\n")


def _claim(study: Path, relation: str, fields: str) -> None:
    path = study / "model.yml"
    text = path.read_text()
    assert relation in text
    path.write_text(text.replace(relation, relation + fields, 1))


def _cases(*cases: tuple[str, list[str]], key: str = "illustrative_cases") -> str:
    lines = [f"    {key}:"]
    for case, excerpts in cases:
        lines += [f"      - case: {case}", "        account: The sequence as the team read it.",
                  f"        excerpt_ids: [{', '.join(excerpts)}]"]
    return "\n".join(lines) + "\n"


def _problems(study: Path) -> list[tuple[int, str]]:
    with pytest.raises(StudyError) as caught:
        load_and_validate(study)
    return [(p.line, p.message) for p in caught.value.problems if p.file == "model.yml"]


def _line(study: Path, text: str) -> int:
    lines = (study / "model.yml").read_text().splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)


def test_unknown_case_and_excerpt_ids_are_named_with_their_line(tiny: Path) -> None:
    _claim(tiny, CARING, _cases(("C1-P9", []), ("C1-P2", ["C1-P2-E9"])))
    problems = _problems(tiny)
    assert (_line(tiny, "case: C1-P9"),
            "relation 'caring-builds-trust': unknown case 'C1-P9'") in problems
    assert (_line(tiny, "excerpt_ids: [C1-P2-E9]"),
            "relation 'caring-builds-trust': case 'C1-P2' has no excerpt 'C1-P2-E9'") in problems


def test_a_competency_to_process_relation_rests_on_clinicians(tiny: Path) -> None:
    _claim(tiny, LISTENING, _cases(("C1", ["C1-E1"]), ("C1-P1", ["C1-P1-E1"])))
    problems = _problems(tiny)
    assert [m for _, m in problems] == [
        "relation 'listening-helps-caring' joins competencies to processes; 'C1-P1' is not a "
        "clinician"]


def test_one_illustrative_case_and_an_unknown_version_are_refused(tiny: Path) -> None:
    _claim(tiny, CARING, '    since: "9"\n' + _cases(("C1-P2", ["C1-P2-E2"])))
    messages = [m for _, m in _problems(tiny)]
    assert "relation 'caring-builds-trust': one illustrative case" in messages
    assert any("unknown model version '9'" in m for m in messages)


def test_status_is_established_only_when_something_is_shown() -> None:
    bare = Relation.model_validate({"id": "r", "from": "a", "to": "b", "kind": "produces"})
    cased = Relation.model_validate({
        "id": "r", "from": "a", "to": "b", "kind": "produces",
        "negative_cases": [{"case": "X", "account": "a", "consequence": "model-revised"}]})
    tentative = bare.model_copy(update={"tentative": True})
    assert status(bare, 0) == ASSERTED == "asserted; evidence not shown"
    assert status(bare, 1) == ESTABLISHED
    assert status(cased, 0) == ESTABLISHED
    assert status(tentative, 0) == TENTATIVE


def test_check_warns_when_an_established_relation_cites_no_case(tiny: Path) -> None:
    warned = [w for w in check_study(tiny).warnings if "cites no case" in w]
    assert {re.search(r"'([^']+)'", w).group(1) for w in warned} == {  # type: ignore[union-attr]
        "listening-helps-caring", "caring-builds-trust"}
    _claim(tiny, CARING, _cases(("C1-P1", ["C1-P1-E2"]), ("C1-P2", ["C1-P2-E2"])))
    warned = [w for w in check_study(tiny).warnings if "cites no case" in w]
    assert len(warned) == 1 and "listening-helps-caring" in warned[0]


def test_the_uncited_warning_names_the_relation_line(tiny: Path) -> None:
    """newuser10: the warning named model.yml but not the line of the relation."""
    warned = [w for w in check_study(tiny).warnings if "cites no case" in w]
    assert sorted(w.split(": relation")[0] for w in warned) == ["model.yml:22", "model.yml:26"]


def test_relation_prose_is_deidentified(tiny: Path, tmp_path: Path) -> None:
    fields = ("    memo: Wren Alcott pressed the point at the retreat.\n"
              + _cases(("C1-P1", ["C1-P1-E2"]), ("C1-P2", ["C1-P2-E2"])))
    _claim(tiny, CARING, fields.replace("The sequence as the team read it.",
                                        "Margery came back after Dr. Alcott phoned."))
    build(tiny, tmp_path / "site")
    page = (tmp_path / "site" / "model" / "relations.html").read_text("utf-8")
    assert "Ada came back after C1 phoned." in page
    assert "C1 pressed the point at the retreat." in page
    assert "Alcott" not in page and "Margery" not in page


def _section(page: str, rel_id: str) -> str:
    match = re.search(rf'<h2 id="{rel_id}".*?(?=<h2 |</article>)', page, re.S)
    assert match, rel_id
    return match.group(0)


def test_public_pages_show_what_each_relation_rests_on(tiny: Path, tmp_path: Path) -> None:
    _claim(tiny, LISTENING, _cases(("C1", ["C1-E1"]), ("C2", [])))
    build(tiny, tmp_path / "site")
    page = (tmp_path / "site" / "model" / "relations.html").read_text("utf-8")
    listening = _section(page, "listening-helps-caring")
    assert 'href="../clinicians/C1.html"' in listening
    assert 'href="../clinicians/C1.html#C1-E1"' in listening
    assert "Status:</strong> established" in listening
    # A relation with no case but an excerpt coded to it shows the excerpt.
    assert "Status:</strong> established" in _section(page, "caring-builds-trust")
    overview = (tmp_path / "site" / "model" / "index.html").read_text("utf-8")
    assert overview.count("asserted; evidence not shown") == 0


def test_a_relation_with_nothing_shown_is_asserted_never_established(
        tiny: Path, tmp_path: Path) -> None:
    build(tiny, tmp_path / "site")
    page = (tmp_path / "site" / "model" / "relations.html").read_text("utf-8")
    listening = _section(page, "listening-helps-caring")
    assert "Status:</strong> asserted; evidence not shown" in listening
    assert "established" not in listening
    overview = (tmp_path / "site" / "model" / "index.html").read_text("utf-8")
    row = re.search(r"<tr>(?:(?!</tr>).)*#listening-helps-caring.*?</tr>", overview, re.S)
    assert row and "asserted; evidence not shown" in row.group(0)
    assert "established" not in row.group(0)
    # The diagram's text alternative and the arrow itself.
    assert re.search(r"listening-helps-caring\">facilitate</a> [^<]*"
                     r"\(asserted; evidence not shown\)", overview)
    edge = re.search(r'<g id="model-rel-listening-helps-caring" class="([^"]+)"', overview)
    assert edge and "asserted" in edge.group(1)


def test_hidden_clinicians_keep_no_original_dyad_id_in_relations(
        tiny: Path, tmp_path: Path) -> None:
    text = (tiny / "study.yml").read_text()
    (tiny / "study.yml").write_text(text + '  hide_clinician: true\n  case_key: "team-secret-1"\n')
    _claim(tiny, CARING, _cases(("C1-P1", ["C1-P1-E2"]), ("C1", ["C1-E1", "C1-P2-E2"])))
    build(tiny, tmp_path / "site")
    section = _section((tmp_path / "site" / "model" / "relations.html").read_text("utf-8"),
                       "caring-builds-trust")
    assert "C1-P1" not in section and "C1-P2" not in section
    assert re.search(r'href="\.\./dyads/P0\d\.html#P0\d-E2"', section)
    assert 'href="../clinicians/C1.html#C1-E1"' in section


def test_every_bundled_relation_links_the_cases_it_rests_on(bundled_site: Path) -> None:
    page = (bundled_site / "model" / "relations.html").read_text("utf-8")
    ids = re.findall(r'<h2 id="([a-z-]+)"', page)
    assert len(ids) == 7
    for rel_id in ids:
        section = _section(page, rel_id)
        assert re.search(r'href="\.\./(dyads|clinicians)/[^"]+\.html"', section), rel_id
        assert "asserted; evidence not shown" not in section
    competencies = _section(page, "competencies-facilitate-processes")
    assert "../dyads/" not in competencies.split("Negative and deviant")[0]
    # (the bundled study's other warnings: five replacements that repeat the word before
    # them, "her son [her son]", tests/deidentify/test_echo.py)
    assert [w for w in check_study(REPO / "casestudies").warnings if "relation" in w] == []


FORBIDDEN = re.compile(r"supported in|\d+ of \d+|\d\s*%|percent|strength|associat|correlat|"
                       r"no evidence|cases to read", re.I)


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


def test_the_public_relations_page_never_counts_or_speaks_of_strength(
        bundled_site: Path) -> None:
    page = _text((bundled_site / "model" / "relations.html").read_text("utf-8"))
    article = page[page.index("Relations"):]
    assert not FORBIDDEN.search(article), FORBIDDEN.search(article)


def test_review_build_lists_cases_to_read_under_the_sentence(tiny: Path, tmp_path: Path) -> None:
    build(tiny, tmp_path / "review", audience="review")
    page = (tmp_path / "review" / "model" / "relations.html").read_text("utf-8")
    section = _section(page, "caring-builds-trust")
    sentence = ("Coding was selective; a missing code does not mean the phenomenon was absent. "
                "These lists are for reading, not counting.")
    assert sentence in section
    listed = section[section.index(sentence):]
    assert re.search(r"Dyads with both ends coded: <a href=\"\.\./dyads/C1-P[12]\.html\"", listed)
    # Competencies to processes: clinicians are the cases to read.
    assert "Clinicians with both ends coded" in _section(page, "listening-helps-caring")
    build(tiny, tmp_path / "public")
    public = (tmp_path / "public" / "model" / "relations.html").read_text("utf-8")
    assert "for reading, not counting" not in public and "ends coded" not in public


def test_a_kind_to_kind_relation_links_its_member_relations(bundled_site: Path) -> None:
    section = _section((bundled_site / "model" / "relations.html").read_text("utf-8"),
                       "processes-produce-outcomes")
    assert re.search(r'Member relations:</strong> <a href="#valuing-builds-being-known">'
                     r'Valuing produces Being known</a>; <a href="#abiding-builds-trust">', section)


def test_public_model_pages_list_dyads_not_counts(bundled_site: Path) -> None:
    """Issue 19 item 3: where a component appears is a list of linked dyads, not a count."""
    for page in ("model/index.html", "model/valuing.html"):
        html = (bundled_site / page).read_text("utf-8")
        assert "Dyads with evidence" not in html
        assert "Where this appears (dyads)" in html.replace("&#40;", "(").replace("&#41;", ")")
        assert 'href="../dyads/' in html, page
