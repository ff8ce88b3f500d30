"""Hiding which clinician each dyad belongs to (publication.hide_clinician)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from build_site.cli import main
from build_site.deidentify import deidentify
from build_site.deidentify.linkage import _Terms
from build_site.errors import PrivacyError, StudyError
from build_site.outputs.packets import packet_quotes
from build_site.pipeline import build, load_and_validate
from build_site.privacy.selection import select
from build_site.privacy.unlink import IdMask, neutral_ids
from build_site.signoff import fingerprint

ORIGINAL_IDS = ["C1-P1", "C1-P2", "C1-P1-E1", "C1-P2-E2"]


def _hide(study: Path, key: str = "team-secret-1") -> Path:
    text = (study / "study.yml").read_text()
    (study / "study.yml").write_text(text + f'  hide_clinician: true\n  case_key: "{key}"\n')
    return study


def _article(page: Path) -> str:
    match = re.search(r"<article\b.*?</article>", page.read_text("utf-8"), re.S)
    assert match, page
    return match.group(0)


@pytest.fixture
def hidden_site(tiny: Path, tmp_path: Path) -> Path:
    out = tmp_path / "site"
    build(_hide(tiny), out)
    return out


def test_no_original_dyad_or_excerpt_id_is_published(hidden_site: Path) -> None:
    for path in hidden_site.rglob("*"):
        assert not any(i in path.name for i in ORIGINAL_IDS), path
        if path.is_file():
            data = path.read_bytes().decode("utf-8", "replace")
            assert not any(i in data for i in ORIGINAL_IDS), path
    names = sorted(p.name for p in (hidden_site / "dyads").iterdir())
    # Numbered over all three dyads of the study; the draft one is not published.
    assert len(names) == 2 and all(re.fullmatch(r"P0[1-3]\.html", n) for n in names)


def test_dyad_pages_name_no_clinician_and_clinician_pages_list_no_dyads(
        hidden_site: Path) -> None:
    for page in (hidden_site / "dyads").glob("*.html"):
        article = _article(page)
        assert not re.search(r"\bC[12]\b", article), page
        assert "clinicians/" not in article
    dyad_text = " ".join(_article(p) for p in (hidden_site / "dyads").glob("*.html"))
    assert "[the clinician] heard me out" in dyad_text  # "Dr. Alcott" -> C1 -> masked
    clinician = _article(hidden_site / "clinicians" / "C1.html")
    assert "dyads/" not in clinician and "Components evidenced in this interview" in clinician
    index = _article(hidden_site / "cases" / "index.html")
    assert "does not show which clinician each patient saw" in index


def test_matrices_and_downloads_carry_no_clinician(hidden_site: Path) -> None:
    data = hidden_site / "data"
    assert not (data / "clinician-matrix.csv").exists()
    header = (data / "meta-matrix.csv").read_text("utf-8-sig").splitlines()[0]
    assert header.split(",")[0] == "dyad" and "clinician" not in header
    assert "interview_order" not in header
    rows = (data / "excerpts.csv").read_text("utf-8-sig").splitlines()[1:]
    for row in rows:
        fields = row.split(",")
        if fields[1]:  # a dyad excerpt
            assert fields[2] == "", row
    matrix = _article(hidden_site / "analysis" / "matrix.html")
    assert "Clinicians by component" not in matrix and "data-clinician" not in matrix
    # Which participant each interview was, and the codes it added, would pair a dyad (its
    # codes are on its page) with the clinician interviewed before it.
    saturation = _article(hidden_site / "analysis" / "saturation.html")
    assert "Participant" not in saturation and "Patient" not in saturation
    assert "relies" not in saturation and "care-made-trust" not in saturation


def test_component_pages_do_not_group_dyads_by_clinician(hidden_site: Path) -> None:
    page = _article(hidden_site / "model" / "listening.html")
    assert 'id="dyads"' in page and 'id="clinician-C1"' in page
    assert page.index('id="dyads"') < page.index('id="clinician-C1"')
    appears = page.split("Where this appears", 1)[1].split("</p>", 1)[0]
    assert "clinician" not in appears.lower() and 'href="../dyads/' in appears


def test_review_build_keeps_the_links(tiny: Path, tmp_path: Path) -> None:
    out = tmp_path / "review"
    build(_hide(tiny), out, audience="review")
    assert (out / "dyads" / "C1-P1.html").exists()
    assert "clinicians/C1.html" in _article(out / "dyads" / "C1-P1.html")


def test_neutral_numbers_are_keyed_stable_and_independent_of_selection(tiny: Path) -> None:
    study = load_and_validate(_hide(tiny))
    many = study.model_copy(update={"dyads": [
        study.dyads[0].model_copy(update={"id": f"C{c}-P{p}", "clinician": f"C{c}"})
        for c in range(1, 6) for p in range(1, 6)]})
    first = neutral_ids(many).dyads
    assert first == neutral_ids(many).dyads
    assert sorted(first.values()) == [f"P{n:02d}" for n in range(1, 26)]
    other_key = many.model_copy(update={"meta": many.meta.model_copy(update={
        "publication": many.meta.publication.model_copy(update={"case_key": "another"})})})
    assert neutral_ids(other_key).dyads != first
    # Numbers do not follow the clinician-based ids: C1's patients are not P01-P05.
    assert sorted(first[f"C1-P{p}"] for p in range(1, 6)) != [f"P0{n}" for n in range(1, 6)]
    public = select(deidentify(study), "public")
    full = neutral_ids(study).dyads
    assert sorted(d.id for d in public.dyads) == sorted(full[i] for i in ("C1-P1", "C1-P2"))


def test_missing_key_is_an_error_naming_the_line(tiny: Path) -> None:
    (tiny / "study.yml").write_text((tiny / "study.yml").read_text() + "  hide_clinician: true\n")
    with pytest.raises(StudyError) as caught:
        load_and_validate(tiny)
    problem = caught.value.problems[0]
    assert problem.file == "study.yml" and problem.line == 7 and "case_key" in problem.hint


def test_colliding_prefix_is_refused(tiny: Path) -> None:
    (tiny / "study.yml").write_text((tiny / "study.yml").read_text() + (
        '  hide_clinician: true\n  case_key: "a-long-key"\n  case_prefix: C\n'))
    study = load_and_validate(tiny)
    with pytest.raises(StudyError, match="case_prefix"):
        neutral_ids(study.model_copy(update={"dyads": study.dyads[:1], "clinicians": [
            study.clinicians[0].model_copy(update={"id": "C01"})]}))


def test_pseudonym_shared_with_clinician_page_refuses_the_build(
        tiny: Path, tmp_path: Path) -> None:
    _hide(tiny)
    clinician = tiny / "clinicians" / "C1.md"
    clinician.write_text(clinician.read_text() + "She has looked after Margery for years.\n")
    out = tmp_path / "site"
    with pytest.raises(PrivacyError) as caught:
        build(tiny, out)
    problem = caught.value.problems[0]
    assert problem.file == "clinicians/C1.md" and "'Ada'" in problem.message
    assert "dyads/C1-P1.md" in problem.message and problem.line > 0
    assert not out.exists()
    result = CliRunner().invoke(main, ["check", str(tiny)])
    assert result.exit_code == 3 and "linkage" in result.output


def test_a_forgotten_path_showing_an_original_id_fails_the_gate(
        tiny: Path, tmp_path: Path) -> None:
    _hide(tiny)
    model = tiny / "model.yml"
    # The model's vocabulary is published as written, outside de-identification.
    text = model.read_text()
    model.write_text(text.replace("label: Listening", "label: Listening (see C1-P2)", 1))
    assert "(see C1-P2)" in model.read_text()
    with pytest.raises(PrivacyError, match="case-study id 'C1-P2'"):
        build(tiny, tmp_path / "site")
    assert not (tmp_path / "site").exists()


def test_a_clinician_id_on_a_dyad_page_fails_the_gate(tiny: Path, tmp_path: Path) -> None:
    _hide(tiny)
    codebook = tiny / "codebook.yml"
    text = codebook.read_text()
    codebook.write_text(re.sub(r"label: (.*)", r"label: \1 (as C2 does)", text, count=1))
    with pytest.raises(PrivacyError, match=r"dyads/P0\d\.html"):
        build(tiny, tmp_path / "site")


def test_manifest_and_build_agree_so_sign_off_works(tiny: Path, tmp_path: Path) -> None:
    digest = fingerprint(_hide(tiny))
    (tiny / "study.yml").write_text((tiny / "study.yml").read_text() + (
        f'sign_off: {{role: PI, by: A. B., date: "2026-12-01", manifest: "{digest}"}}\n'))
    report = build(tiny, tmp_path / "site")
    assert not any("not signed off" in w for w in report.warnings)


def test_packets_keep_the_tie_for_the_clinician_alone(tiny: Path) -> None:
    study = deidentify(load_and_validate(_hide(tiny)))
    quotes = packet_quotes(study, "C1")
    assert {q.dyad for q in quotes["patients"]} == {"C1-P1"}


def test_id_mask_matches_whole_ids_only() -> None:
    mask = IdMask({"D1": "[the clinician]", "D1-P2": "P07"})
    assert mask.replace("D1 saw D1-P2, not D1-P20 or XD1; D1.") == (
        "[the clinician] saw P07, not D1-P20 or XD1; [the clinician].")


def _edit(study: Path, file: str, old: str, new: str) -> None:
    path = study / file
    text = path.read_text()
    assert old in text, (file, old)
    path.write_text(text.replace(old, new, 1))


def _refused(study: Path, tmp_path: Path) -> list[str]:
    with pytest.raises(PrivacyError) as caught:
        build(study, tmp_path / "site")
    assert not (tmp_path / "site").exists()
    return [str(p) for p in caught.value.problems]


def test_a_place_descriptor_only_one_clinician_shares_with_a_dyad_refuses(
        tiny: Path, tmp_path: Path) -> None:
    _hide(tiny)
    _edit(tiny, "clinicians/C1.md", "listens before she speaks.",
          "listens before she speaks, as everyone in Fennick Falls knows.")
    [problem] = _refused(tiny, tmp_path)
    assert problem.startswith("clinicians/C1.md:13:") and "'[small town]'" in problem
    assert "(listed as 'Fennick Falls')" in problem and "dyads/C1-P1.md" in problem


def test_a_name_shared_by_dyads_of_one_clinician_refuses(tiny: Path, tmp_path: Path) -> None:
    _hide(tiny)
    # A name nobody listed (a pseudonym the team wrote in directly).
    (tiny / "private" / "reviewed.yml").write_text("allow: [Quillon]\n")
    _edit(tiny, "dyads/C1-P1.md", "in Fennick Falls.", "in Fennick Falls, with Quillon.")
    _edit(tiny, "dyads/C1-P2.md", "with diabetes.", "with diabetes. Quillon helped.")
    [problem] = _refused(tiny, tmp_path)
    assert "'Quillon'" in problem and "dyads/C1-P1.md, dyads/C1-P2.md" in problem
    assert "share one" in problem
    (tiny / "private" / "reviewed.yml").write_text("allow: [Quillon]\nlinkage_ok: [Quillon]\n")
    build(tiny, tmp_path / "site")  # judged harmless by the team: builds


def test_a_patient_named_on_the_study_pages_refuses(tiny: Path, tmp_path: Path) -> None:
    _hide(tiny)
    _edit(tiny, "study.yml", "A two-clinician fixture", "Margery, a patient of C1, and a fixture")
    [problem] = _refused(tiny, tmp_path)
    assert problem.startswith("study.yml:") and "'Ada'" in problem


def test_ids_in_text_are_masked_in_any_case_and_never_point_to_another_case(
        tiny: Path, tmp_path: Path) -> None:
    _hide(tiny)
    _edit(tiny, "dyads/C1-P1.md", "first met Dr. Alcott",
          "first met c1 (not C2, and unlike c1-p2's doctor) as")
    build(tiny, tmp_path / "site")
    text = " ".join(_article(p) for p in (tmp_path / "site" / "dyads").glob("*.html"))
    assert ("first met [the clinician] (not [another clinician], and unlike [another "
            "patient]&#39;s doctor) as") in text or (
        "first met [the clinician] (not [another clinician], and unlike [another patient]'s "
        "doctor) as") in text


def test_hiding_needs_ids_with_a_digit_and_a_real_key(tiny: Path) -> None:
    _hide(tiny, key="short")
    with pytest.raises(StudyError, match="at least 8 characters"):
        load_and_validate(tiny)
    _edit(tiny, "study.yml", 'case_key: "short"', 'case_key: "long-enough-key"')
    for file, old in (("clinicians/C2.md", "id: C2"), ("dyads/C2-P1.md", "clinician: C2")):
        _edit(tiny, file, old, old.replace("C2", "Jay"))
    with pytest.raises(StudyError) as caught:
        load_and_validate(tiny)
    assert any(p.file == "clinicians/C2.md" and "no digit" in p.message
               for p in caught.value.problems)


def test_excerpt_ids_that_name_no_case_neither_leak_nor_block(tiny: Path, tmp_path: Path) -> None:
    _hide(tiny)
    _edit(tiny, "dyads/C1-P1.md", "id: C1-P1-E1", "id: E1")
    build(tiny, tmp_path / "site")
    assert (tmp_path / "site" / "dyads").is_dir()


def test_neutral_excerpt_numbers_count_every_excerpt_of_the_dyad(hidden_site: Path) -> None:
    # C1-P2's first excerpt is not published (no consent to quote); its second keeps "-E2".
    ids = set(re.findall(r'id="(P0\d-E\d)"', " ".join(
        p.read_text() for p in (hidden_site / "dyads").glob("*.html"))))
    assert len(ids) == 2 and any(i.endswith("-E2") for i in ids)


def test_a_single_clinician_gets_a_warning(tiny: Path, tmp_path: Path) -> None:
    _hide(tiny)
    _edit(tiny, "clinicians/C2.md", "status: approved", "status: draft")
    report = build(tiny, tmp_path / "site")
    assert any("only one clinician" in w for w in report.warnings)


def _publish_c2_p1(study: Path) -> None:
    _edit(study, "dyads/C2-P1.md", "status: draft", "status: approved\n"
          "consent:\n  patient: {quote: true, public_site: true, share_with_clinician: true}")


def test_ids_written_without_hyphens_are_masked(tiny: Path, tmp_path: Path) -> None:
    _hide(tiny)
    _edit(tiny, "dyads/C1-P1.md", "first met Dr. Alcott", "first met (as c1p1, C1_P1) Dr. Alcott")
    build(tiny, tmp_path / "site")
    text = " ".join(_article(p) for p in (tmp_path / "site" / "dyads").glob("*.html"))
    assert "c1p1" not in text.lower() and "c1_p1" not in text.lower()


def test_another_clinicians_page_naming_a_patient_refuses(tiny: Path, tmp_path: Path) -> None:
    _hide(tiny)
    _edit(tiny, "clinicians/C2.md", "The second clinician.",
          "The second clinician, who also knew Margery.")
    [problem] = _refused(tiny, tmp_path)
    assert problem.startswith("clinicians/C2.md:") and "'Ada'" in problem


def test_names_in_any_case_or_markup_and_shared_word_runs_are_found(
        tiny: Path, tmp_path: Path) -> None:
    _hide(tiny)
    terms = _Terms(select(deidentify(load_and_validate(tiny)), "public", keep_links=True))
    assert terms.find("A**da** and ADA's, <b>A</b>da") == {"ada"}
    _edit(tiny, "clinicians/C1.md", "listens before she speaks.",
          "listens before she speaks. She keeps a kettle on the stove for visitors.")
    _edit(tiny, "dyads/C1-P1.md", "in Fennick Falls.",
          "in Fennick Falls; she keeps a kettle on the stove for visitors.")
    [problem] = _refused(tiny, tmp_path)
    assert "the words 'she keeps a kettle on the'" in problem and "dyads/C1-P1.md:29" in problem
    assert problem.startswith("clinicians/C1.md:13:")


def test_study_level_text_naming_what_one_clinicians_dyads_alone_use_refuses(
        tiny: Path, tmp_path: Path) -> None:
    _hide(tiny)
    _edit(tiny, "codebook.yml", "definition: Felt heard.",
          "definition: Felt heard, as Ada put it.")
    [problem] = _refused(tiny, tmp_path)
    assert problem.startswith("model.yml, codebook.yml") and "'Ada'" in problem
    # A name only one clinician's dyads use (a descriptor would be generic: not reported).
    (tiny / "private" / "reviewed.yml").write_text("allow: [Quillon]\n")
    _edit(tiny, "dyads/C1-P1.md", "in Fennick Falls.", "in Fennick Falls, with Quillon.")
    _edit(tiny, "codebook.yml", "as Ada put it", "as Quillon put it")
    [problem] = _refused(tiny, tmp_path)
    assert "'Quillon'" in problem and problem.startswith("model.yml, codebook.yml")


def test_a_term_the_dyads_of_two_clinicians_use_ties_nothing(tiny: Path, tmp_path: Path) -> None:
    _hide(tiny)
    _publish_c2_p1(tiny)
    _edit(tiny, "dyads/C2-P1.md", "A draft case study.", "She grew up in Fennick Falls.")
    _edit(tiny, "clinicians/C1.md", "listens before she speaks.",
          "listens before she speaks, as everyone in Fennick Falls knows.")
    build(tiny, tmp_path / "site")  # "[small town]" is in dyads of C1 and of C2


def test_linkage_ok_covers_possessives(tiny: Path, tmp_path: Path) -> None:
    _hide(tiny)
    (tiny / "private" / "reviewed.yml").write_text("allow: [Quillon]\nlinkage_ok: [Quillon]\n")
    _edit(tiny, "dyads/C1-P1.md", "in Fennick Falls.", "in Fennick Falls, with Quillon's help.")
    _edit(tiny, "dyads/C1-P2.md", "with diabetes.", "with diabetes. QUILLON helped.")
    build(tiny, tmp_path / "site")


def test_third_round_ties_are_found(tiny: Path, tmp_path: Path) -> None:
    _hide(tiny)
    # A descriptor typed into the text (no list entry) on the clinician page and a dyad.
    _edit(tiny, "clinicians/C1.md", "listens before she speaks.",
          "listens before she speaks at [the riverside clinic].")
    _edit(tiny, "dyads/C1-P1.md", "in Fennick Falls.",
          "in Fennick Falls at [the riverside clinic].")
    assert "'[the riverside clinic]'" in _refused(tiny, tmp_path)[0]
    _edit(tiny, "clinicians/C1.md", " at [the riverside clinic]", "")
    _edit(tiny, "dyads/C1-P1.md", " at [the riverside clinic]", "")
    # A place made of English words, in two dyads of one clinician.
    _edit(tiny, "dyads/C1-P1.md", "in Fennick Falls.", "in Fennick Falls, near Cedar Falls.")
    _edit(tiny, "dyads/C1-P2.md", "with diabetes.", "with diabetes, from Cedar Falls.")
    assert "'Cedar Falls'" in _refused(tiny, tmp_path)[0]


def test_the_same_short_quote_on_both_pages_ties_them(tiny: Path, tmp_path: Path) -> None:
    _hide(tiny)
    _edit(tiny, "dyads/C1-P2.md", "text: I drop by when he is in hospital.",
          "text: I let them talk first.")
    [problem] = _refused(tiny, tmp_path)
    assert "'i let them talk first'" in problem and "dyads/C1-P2.md" in problem


def test_abbreviations_and_sentence_initial_words_are_not_names(tiny: Path) -> None:
    terms = _Terms(select(deidentify(load_and_validate(_hide(tiny))), "public", keep_links=True))
    assert terms.find("Insulin was hard. The ICU and the TV, OK. COVID too.") == set()


def test_unlinked_codebook_is_in_label_order(hidden_site: Path) -> None:
    csv = (hidden_site / "data" / "codebook.csv").read_text("utf-8-sig").splitlines()[1:]
    labels = [row.split(",")[1] for row in csv]
    assert labels == sorted(labels, key=str.lower)
