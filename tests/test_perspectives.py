"""Perspectives (issue 21 item 2): the team's pairing of the patient's and the clinician's
accounts of one episode, who may see it (review, public, packets, both consents, the team's
opt-in), its validation, the dyad page (patient first) and the index of episodes."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from build_site.deidentify import deidentify
from build_site.errors import StudyError
from build_site.outputs.packets import packet_episodes
from build_site.perspectives import shared_dyad
from build_site.pipeline import build, load_and_validate, prepare
from build_site.privacy.selection import select
from build_site.published import study_items
from build_site.study import Speaker, Study

PAIRED = ("C1-P1-E1", "C1-P1-E9")  # the patient's account, the clinician's account


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _pair(tiny: Path, mark: str = "diverging",
          note: str = "She remembers being heard; he remembers hurrying.") -> None:
    """Pair the patient's C1-P1-E1 with a new clinician's account C1-P1-E9 (listed *before*
    the patient's, so patient-first order is the tool's doing)."""
    dyad = tiny / "dyads" / "C1-P1.md"
    _edit(dyad, "excerpts:\n  - id: C1-P1-E1\n    speaker: patient\n",
          f"episodes:\n  - id: first-visit\n    mark: {mark}\n    note: {note}\n"
          "excerpts:\n"
          "  - id: C1-P1-E9\n    speaker: clinician\n    episode: first-visit\n"
          "    codes: [heard]\n    text: CLINICIAN-SIDE I was running late that day.\n"
          "  - id: C1-P1-E1\n    speaker: patient\n    episode: first-visit\n")


def _consent(tiny: Path, patient: bool, clinician: bool, opt_in: bool = True) -> None:
    _edit(tiny / "dyads" / "C1-P1.md", "share_with_clinician: true",
          f"share_with_clinician: {str(patient).lower()}")
    _edit(tiny / "clinicians" / "C1.md", "consent: {quote: true, public_site: true, archive: true}",
          "consent: {quote: true, public_site: true, archive: true, "
          f"share_with_patient: {str(clinician).lower()}}}")
    if opt_in:
        _edit(tiny / "study.yml", "publication:\n", "publication:\n  perspectives: true\n")


def _episodes(study: Study, dyad_id: str = "C1-P1") -> list[str]:
    dyad = next(d for d in study.dyads if d.id == dyad_id)
    return [ep.id for ep in dyad.episodes]


def _episode_keys(study: Study) -> set[str]:
    return {e.id for d in study.dyads for e in d.excerpts if e.episode}


CONSENTS = [(True, True), (True, False), (False, True), (False, False)]


@pytest.mark.parametrize(("patient", "clinician"), CONSENTS)
def test_review_copy_shows_every_pairing_whatever_the_consents(
        tiny: Path, patient: bool, clinician: bool) -> None:
    _pair(tiny)
    _consent(tiny, patient, clinician)
    review = select(load_and_validate(tiny), "review")
    assert _episodes(review) == ["first-visit"]
    assert _episode_keys(review) == set(PAIRED)


@pytest.mark.parametrize(("patient", "clinician"), CONSENTS)
def test_public_site_shows_a_pairing_only_when_both_consent(
        tiny: Path, patient: bool, clinician: bool) -> None:
    _pair(tiny)
    _consent(tiny, patient, clinician)
    public = select(load_and_validate(tiny), "public")
    both = patient and clinician
    assert _episodes(public) == (["first-visit"] if both else [])
    assert _episode_keys(public) == (set(PAIRED) if both else set())
    # the accounts themselves stay, unpaired, as each speaker's own consent allows (a patient
    # who shares nothing with her clinician gets the analytic summary only: build_site.insider)
    shown = {e.id for d in public.dyads for e in d.excerpts}
    assert (set(PAIRED) <= shown) is patient and (set(PAIRED) & shown == set()) is not patient


def test_public_site_needs_the_teams_opt_in_as_well(tiny: Path) -> None:
    _pair(tiny)
    _consent(tiny, True, True, opt_in=False)
    public = select(load_and_validate(tiny), "public")
    assert _episodes(public) == [] and _episode_keys(public) == set()


def test_a_pairing_with_an_account_withheld_is_not_published(tiny: Path) -> None:
    _pair(tiny)
    _consent(tiny, True, True)
    _edit(tiny / "dyads" / "C1-P1.md", "text: CLINICIAN-SIDE",
          "publish: false\n    text: CLINICIAN-SIDE")
    public = select(load_and_validate(tiny), "public")
    assert _episodes(public) == [] and _episode_keys(public) == set()
    assert "C1-P1-E1" in {e.id for d in public.dyads for e in d.excerpts}


@pytest.mark.parametrize(("patient", "clinician"), CONSENTS)
def test_packets_show_each_side_the_other_only_by_the_others_consent(
        tiny: Path, patient: bool, clinician: bool) -> None:
    _pair(tiny)
    _consent(tiny, patient, clinician)
    study = deidentify(load_and_validate(tiny))
    views = packet_episodes(study, "C1")
    assert [v.episode.id for v in views] == (["first-visit"] if patient else [])
    if views:
        assert [q.excerpt.id for q in views[0].accounts] == list(PAIRED)
    assert packet_episodes(study, "C2") == []  # never another clinician's dyads
    review = select(study, "review")
    dyad = next(d for d in review.dyads if d.id == "C1-P1")
    c1 = next(c for c in review.clinicians if c.id == "C1").consent
    assert bool(shared_dyad(dyad, c1, Speaker.patient).episodes) is clinician
    assert bool(shared_dyad(dyad, c1, Speaker.clinician).episodes) is patient


def test_written_packet_carries_the_pairing_only_with_the_patients_consent(
        tiny: Path, tmp_path: Path) -> None:
    from build_site.outputs.packets import write_packets

    _pair(tiny)
    _consent(tiny, False, True)
    write_packets(prepare(tiny, "packets", scan=False), tmp_path / "no", tmp_path / "cache")
    page = (tmp_path / "no" / "C1" / "index.html").read_text(encoding="utf-8")
    assert "first-visit" not in page and "he remembers hurrying" not in page


def test_packet_refuses_a_note_carrying_words_its_clinician_may_not_see(
        tiny: Path, tmp_path: Path) -> None:
    """The spouse (quote: false, no share_with_clinician) is quoted in the team's note: the
    public build refuses it, and the packet used to show it to the clinician (exit 0)."""
    from build_site.errors import EXIT_PRIVACY, PrivacyError
    from build_site.outputs.packets import write_packets

    _pair(tiny, note="Her husband told us SPOUSE-WORDS she phoned us at home.")
    _consent(tiny, True, True)
    out = tmp_path / "packets"
    with pytest.raises(PrivacyError) as refused:
        write_packets(prepare(tiny, "packets", scan=False), out, tmp_path / "cache")
    (problem,) = refused.value.problems
    assert refused.value.exit_code == EXIT_PRIVACY
    assert problem.file == "dyads/C1-P1.md" and 12 <= problem.line <= 14  # the episode
    assert "C1-P1/spouse" in problem.message and "SPOUSE-WORDS" in problem.message
    assert "clinician C1," in problem.message
    assert "private/reviewed.yml" in problem.hint
    assert not out.exists()
    # the public build's finding is the same one, under the same key
    (public,) = prepare(tiny, "public").text.consent
    assert f"hash: {public.key}," in problem.hint and public.file == problem.file
    # The spouse agreeing to share with the clinician lets the clinician read them
    _edit(tiny / "dyads" / "C1-P1.md", "spouse: {quote: false, public_site: false}",
          "spouse: {quote: false, public_site: false, share_with_clinician: true}")
    write_packets(prepare(tiny, "packets", scan=False), out, tmp_path / "cache")
    assert "SPOUSE-WORDS she phoned" in (out / "C1" / "index.html").read_text(encoding="utf-8")


def test_packets_refuse_a_model_definition_carrying_words_no_clinician_may_see(
        tiny: Path, tmp_path: Path) -> None:
    """Every packet shows the model's definitions: the spouse's words in one refuse them all,
    as they refuse the public build, with the definition's file and line."""
    from build_site.errors import PrivacyError
    from build_site.outputs.packets import write_packets

    _edit(tiny / "model.yml", "definition: Showing care.",
          "definition: Showing care, as in SPOUSE-WORDS she phoned us at home.")
    with pytest.raises(PrivacyError) as refused:
        write_packets(prepare(tiny, "packets", scan=False), tmp_path / "p", tmp_path / "cache")
    (problem,) = refused.value.problems
    assert (problem.file, problem.line) == ("model.yml", 9)
    assert "(C1-P1/spouse)" in problem.message and "clinician C1, C2," in problem.message
    assert not (tmp_path / "p").exists()
    # a resolution the team recorded (not-a-match) closes it, as for the public build
    key = problem.hint.split("hash: ")[1].split(",")[0]
    (tiny / "private" / "reviewed.yml").write_text(
        f"consent:\n  - {{file: model.yml, hash: {key}, resolution: not-a-match, by: JS}}\n",
        encoding="utf-8")
    write_packets(prepare(tiny, "packets", scan=False), tmp_path / "p", tmp_path / "cache")
    assert (tmp_path / "p" / "C2" / "index.html").is_file()


def test_published_pairing_is_in_the_sign_off_items(tiny: Path) -> None:
    _pair(tiny)
    _consent(tiny, True, True)
    items = study_items(prepare(tiny, "public", scan=False).shown)
    episode = [i for i in items if i.kind == "episode"]
    assert [i.name for i in episode] == ["first-visit"]
    assert episode[0].fields["note"].startswith("She remembers")
    excerpt = next(i for i in items if i.kind == "excerpt" and i.name == "C1-P1-E9")
    assert excerpt.fields["episode"] == "first-visit"


def test_no_pairing_leaves_the_sign_off_items_as_they_were(tiny: Path) -> None:
    before = study_items(prepare(tiny, "public", scan=False).shown)
    _pair(tiny)
    _consent(tiny, True, True, opt_in=False)
    _edit(tiny / "dyads" / "C1-P1.md", "  - id: C1-P1-E9", "  - id: C1-P1-E0")
    after = study_items(prepare(tiny, "public", scan=False).shown)
    assert not [i for i in after if i.kind == "episode" or "episode" in i.fields]
    assert {i.key for i in after} - {i.key for i in before} == {
        "study.dyads[C1-P1].excerpts[C1-P1-E0]"}


def test_the_note_is_de_identified_and_read_by_the_detectors(tiny: Path) -> None:
    from build_site.deidentify.findings import shown_texts

    _pair(tiny, note="Margery remembers Bertram there; Dr. Okonkwo-Bright does not.")
    _consent(tiny, True, True)
    prepared = prepare(tiny, "public", scan=False)
    dyad = next(d for d in prepared.shown.dyads if d.id == "C1-P1")
    assert dyad.episodes[0].note.startswith("Ada remembers [her husband] there")
    texts = [t for t in shown_texts(prepared.deidentified) if "Okonkwo" in t.text]
    assert texts and texts[0].file == "dyads/C1-P1.md" and texts[0].line == 14


# --- validation ---------------------------------------------------------------------------

def _problems(study: Path) -> list[str]:
    with pytest.raises(StudyError) as exc:
        load_and_validate(study)
    return [str(p) for p in exc.value.problems]


def test_diverging_needs_a_note_with_file_and_line(tiny: Path) -> None:
    _pair(tiny, note="''")
    assert _problems(tiny) == [
        "dyads/C1-P1.md:15: episode 'first-visit' is marked diverging without a note - "
        "add 'note:' saying how the two accounts diverge"]


def test_unknown_episode_key_names_the_line_and_a_suggestion(tiny: Path) -> None:
    _pair(tiny)
    _edit(tiny / "dyads" / "C1-P1.md", "    episode: first-visit\n    codes: [heard]",
          "    episode: first-vist\n    codes: [heard]")
    problems = _problems(tiny)
    assert ("dyads/C1-P1.md:20: excerpt 'C1-P1-E9': unknown episode 'first-vist' (did you "
            "mean 'first-visit'?) - list it under 'episodes:' in this file with the team's "
            "mark") in problems
    # the pairing then has only the patient's account, yet is not marked so
    assert any("dyads/C1-P1.md:15: episode 'first-visit' is marked diverging but only the "
               "patient gives an account" in p for p in problems)


def test_one_account_only_with_both_accounts_is_refused(tiny: Path) -> None:
    _pair(tiny, mark="one-account-only")
    assert _problems(tiny) == [
        "dyads/C1-P1.md:15: episode 'first-visit' is marked one-account-only but both the "
        "patient and the clinician give an account - mark it converging, complementary or "
        "diverging"]


def test_one_account_only_with_one_account_is_valid(tiny: Path) -> None:
    _pair(tiny, mark="one-account-only")
    _edit(tiny / "dyads" / "C1-P1.md", "    episode: first-visit\n    codes: [heard]",
          "    codes: [heard]")
    assert _episodes(load_and_validate(tiny)) == ["first-visit"]


def test_other_speakers_clinician_files_duplicates_and_empty_pairings_are_refused(
        tiny: Path) -> None:
    _pair(tiny)
    dyad = tiny / "dyads" / "C1-P1.md"
    _edit(dyad, "    role: spouse\n", "    role: spouse\n    episode: first-visit\n")
    _edit(dyad, "excerpts:\n", "  - {id: first-visit, mark: converging}\n"
          "  - {id: unused, mark: converging}\nexcerpts:\n")
    _edit(tiny / "clinicians" / "C1.md", "    speaker: clinician\n",
          "    speaker: clinician\n    episode: first-visit\n")
    problems = _problems(tiny)
    assert ("clinicians/C1.md:10: excerpt 'C1-E1': an episode pairs the accounts of one dyad "
            "- move the excerpt into the dyad's file (speaker: clinician) or remove "
            "'episode'") in problems
    assert any(p.startswith("dyads/C1-P1.md:17: episode 'first-visit' is listed twice")
               for p in problems)
    assert any(p.startswith("dyads/C1-P1.md:18: episode 'unused' has no account")
               for p in problems)
    assert any("excerpt 'C1-P1-E2': only the patient's and the clinician's accounts" in p
               for p in problems)


def test_an_unknown_mark_is_refused(tiny: Path) -> None:
    _pair(tiny, mark="agreeing")
    problems = _problems(tiny)
    assert len(problems) == 1 and problems[0].startswith("dyads/C1-P1.md:")
    assert "episodes.0.mark" in problems[0] and "use one of the values listed" in problems[0]


# --- pages ----------------------------------------------------------------------------------

def _text(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def test_review_page_shows_the_pairing_patient_first_and_the_index(
        tiny: Path, tmp_path: Path) -> None:
    _pair(tiny)
    _consent(tiny, False, False)
    out = tmp_path / "review"
    build(tiny, out, audience="review")
    page = (out / "dyads" / "C1-P1.html").read_text(encoding="utf-8")
    section = page[page.index('id="episode-first-visit"'):]
    assert section.index('id="C1-P1-E1"') < section.index('id="C1-P1-E9"')  # patient first
    assert "The team's pairing" in _text(section)
    assert "diverging" in _text(section[:section.index('id="C1-P1-E1"')])
    assert page.count('id="C1-P1-E9"') == 1  # not repeated among the coded excerpts
    index = (out / "cases" / "episodes.html").read_text(encoding="utf-8")
    assert 'href="../dyads/C1-P1.html#episode-first-visit"' in index
    assert 'href="../dyads/C1-P1.html#C1-P1-E1"' in index
    row = _text(index[index.index("<tbody>"):index.index("</tbody>")])
    assert ("first-visit dyad C1-P1 C1-P1-E1 (patient) C1-P1-E9 (clinician) diverging : She "
            "remembers being heard; he remembers hurrying.") in row
    assert not re.search(r"\b\d+\b", row.replace("C1-P1-E1", "").replace("C1-P1-E9", "")
                         .replace("C1-P1", ""))  # no count of marks anywhere in the row


def test_public_site_without_both_consents_has_no_pairing_and_no_index(
        tiny: Path, tmp_path: Path) -> None:
    _pair(tiny)
    _consent(tiny, True, False)
    out = tmp_path / "public"
    build(tiny, out)
    page = (out / "dyads" / "C1-P1.html").read_text(encoding="utf-8")
    assert "bs-episode" not in page and "he remembers hurrying" not in page
    assert 'id="C1-P1-E9"' in page and 'id="C1-P1-E1"' in page  # the accounts, unpaired
    assert not (out / "cases" / "episodes.html").exists()
    assert "episodes.html" not in (out / "index.html").read_text(encoding="utf-8")


def test_public_site_with_both_consents_and_opt_in_shows_the_pairing(
        tiny: Path, tmp_path: Path) -> None:
    _pair(tiny)
    _consent(tiny, True, True)
    out = tmp_path / "public"
    build(tiny, out)
    page = (out / "dyads" / "C1-P1.html").read_text(encoding="utf-8")
    assert 'id="episode-first-visit"' in page and "he remembers hurrying" in page
    assert (out / "cases" / "episodes.html").exists()


def test_bundled_study_pairs_accounts_in_review_only() -> None:
    casestudies = Path(__file__).resolve().parents[1] / "casestudies"
    study = load_and_validate(casestudies)
    assert sum(len(d.episodes) for d in select(study, "review").dyads) >= 3
    assert not any(d.episodes for d in select(study, "public").dyads)


def test_hiding_clinicians_renames_the_teams_episode_ids(tiny: Path, tmp_path: Path) -> None:
    _pair(tiny)
    _consent(tiny, True, True)
    for path in (tiny / "dyads" / "C1-P1.md",):
        path.write_text(path.read_text().replace("first-visit", "C1-first-visit"))
    _edit(tiny / "study.yml", "publication:\n",
          'publication:\n  hide_clinician: true\n  case_key: "team-secret-1"\n')
    public = select(load_and_validate(tiny), "public")
    dyad = next(d for d in public.dyads if d.episodes)
    assert [ep.id for ep in dyad.episodes] == ["1"]
    assert {e.episode for e in dyad.excerpts if e.episode} == {"1"}
    out = tmp_path / "public"
    build(tiny, out)
    pages = "".join(p.read_text(encoding="utf-8") for p in out.rglob("*.html"))
    assert "C1-first-visit" not in pages and 'id="episode-1"' in pages


def test_a_published_note_is_read_by_the_consent_checks(tiny: Path) -> None:
    from build_site.privacy.texts import published_passages

    _pair(tiny)
    _consent(tiny, True, True)
    shown = prepare(tiny, "public", scan=False).shown
    notes = [p for p in published_passages(shown, {}, lambda _: []) if "hurrying" in p.text]
    assert [(p.file, p.line) for p in notes] == [("dyads/C1-P1.md", 14)]


@pytest.mark.parametrize(("patient", "clinician", "opt_in", "says"), [
    (True, True, False, "the study does not publish pairings"),
    (False, True, True, "the patient did not agree to share with the clinician"),
    (True, False, True, "the clinician did not agree to share with the patient"),
    (True, True, True, ""),
    (False, False, False, "the study does not publish pairings (publication.perspectives); "
     "the patient did not agree to share with the clinician; the clinician did not agree to "
     "share with the patient; an account is not for publication"),  # (insider: summary only)
])
def test_review_copy_says_why_a_pairing_stays_off_the_public_site(
        tiny: Path, tmp_path: Path, patient: bool, clinician: bool, opt_in: bool,
        says: str) -> None:
    _pair(tiny)
    _consent(tiny, patient, clinician, opt_in)
    out = tmp_path / "review"
    build(tiny, out, audience="review")
    page = (out / "dyads" / "C1-P1.html").read_text(encoding="utf-8")
    pairing = _text(page[page.index('class="bs-pairing"'):page.index('class="bs-accounts"')])
    if says:
        assert f"Not for publication: {says}" in pairing
    else:
        assert "Not for publication" not in pairing


def test_a_hostile_note_is_shown_as_text(tiny: Path, tmp_path: Path) -> None:
    _pair(tiny, note="'<script>alert(1)</script> [x](javascript:alert(2)) *bold*'")
    out = tmp_path / "review"
    build(tiny, out, audience="review")
    for page in (out / "dyads" / "C1-P1.html", out / "cases" / "episodes.html"):
        text = page.read_text(encoding="utf-8")
        assert "<script>alert" not in text and 'href="javascript' not in text
        assert "<em>bold</em>" not in text
        shown = html.unescape(re.sub(r"<[^>]+>", "", text))
        assert "<script>alert(1)</script> [x](javascript:alert(2)) *bold*" in shown
