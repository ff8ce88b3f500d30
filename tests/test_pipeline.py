"""Full builds of the bundled study, the OSCE example and the tiny fixture."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from build_site.analyse import model_nodes
from build_site.errors import PrivacyError, StudyError
from build_site.pipeline import build, load_and_validate, prepare

from .conftest import REPO, broken_links, tree_hash


def test_bundled_site_has_every_page(bundled_site: Path) -> None:
    study = load_and_validate(REPO / "casestudies")
    assert len(list((bundled_site / "dyads").glob("*.html"))) == 23
    assert len(list((bundled_site / "clinicians").glob("*.html"))) == 5
    for node_id in model_nodes(study):
        assert (bundled_site / "model" / f"{node_id}.html").is_file(), node_id
    for page in ("index.html", "model/index.html", "model/relations.html", "cases/index.html",
                 "data/demographics.html", "data/codebook.html", "introduction.html"):
        assert (bundled_site / page).is_file(), page


def test_no_text_on_the_bundled_site_is_escaped_twice(bundled_site: Path) -> None:
    # A doubly escaped reference shows as "&#39;" on the page instead of an apostrophe.
    for page in bundled_site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"&(?:amp;|&#35;)#?\w+;", text), page
    matrix = (bundled_site / "analysis" / "matrix.html").read_text(encoding="utf-8")
    assert "patient&#39;s" in matrix or "patient's" in matrix

def test_bundled_site_has_no_broken_link(bundled_site: Path) -> None:
    assert broken_links(bundled_site) == []


NODE = re.compile(r'<g id="[^"]+" class="(node|cluster)[^"]*">\s*'
                  r'(?:<g id="a_[^"]+">)?(<a href="([^"]+)")?')


def test_every_diagram_node_links_to_an_existing_page(bundled_site: Path) -> None:
    checked = 0
    for page in bundled_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for match in NODE.finditer(html):
            kind, _, href = match.groups()
            if kind == "cluster" and not href:
                continue  # the three kind groups are frames, not links
            assert href, f"{page}: a diagram node without a link"
            target = href.split("#")[0]
            assert not target or (page.parent / target).resolve().is_file(), (page, href)
            checked += 1
    assert checked > 23 * 15


def test_excerpts_have_stable_anchors_and_chips_link_to_components(bundled_site: Path) -> None:
    html = (bundled_site / "dyads" / "D1-P1.html").read_text(encoding="utf-8")
    assert 'id="D1-P1-E1"' in html
    assert re.search(r'class="bs-chip" href="\.\./model/[a-z-]+\.html"', html)


def test_public_site_respects_consent(bundled_site: Path) -> None:
    study = load_and_validate(REPO / "casestudies")
    everything = "\n".join(
        p.read_text(encoding="utf-8", errors="replace") for p in bundled_site.rglob("*")
        if p.is_file() and p.suffix in {".html", ".json", ".js", ".xml"}
    )
    d2p4 = next(d for d in study.dyads if d.id == "D2-P4")
    assert not d2p4.consent.patient.quote
    for excerpt in d2p4.excerpts:
        if excerpt.speaker.value == "patient":
            assert f'id="{excerpt.id}"' not in everything
    for case in study.dyads:
        for excerpt in case.excerpts:
            if excerpt.contrast:
                assert f'id="{excerpt.id}"' not in everything, excerpt.id
        for memo in case.memos:
            assert memo.text[:60] not in everything


def test_text_search_index_and_diagrams_carry_replacements(bundled_site: Path) -> None:
    entries = yaml.safe_load((REPO / "casestudies/private/identifiers.yml").read_text())
    first = entries["identifiers"][0]
    index = (bundled_site / "search" / "search_index.js").read_text(encoding="utf-8")
    page = (bundled_site / "dyads" / "D1-P1.html").read_text(encoding="utf-8")
    assert first["replacement"] in page and first["replacement"] in index
    for form in [first["text"], *first["variants"]]:
        assert form not in page and form not in index
    assert "<svg" in page and "Halvorsen" not in page


def test_osce_example_builds(osce_site: Path) -> None:
    assert len(list((osce_site / "dyads").glob("*.html"))) >= 8
    assert broken_links(osce_site) == []
    assert "Fareez" in (osce_site / "index.html").read_text(encoding="utf-8")


def test_unknown_code_exits_2_and_keeps_previous_site(tiny: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(tiny, out)
    before = tree_hash(out)
    path = tiny / "dyads" / "C1-P2.md"
    path.write_text(path.read_text().replace("codes: [long-haul]", "codes: [long-hual]"))
    with pytest.raises(StudyError) as exc:
        build(tiny, out)
    assert exc.value.exit_code == 2
    assert str(exc.value.problems[0]).startswith("dyads/C1-P2.md:12: unknown code 'long-hual'")
    assert tree_hash(out) == before


def test_listed_identifier_reaching_the_output_is_caught(tiny: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(tiny, out)
    before = tree_hash(out)
    # Team names are published as written, so a listed name there must stop the build.
    study = tiny / "study.yml"
    study.write_text(study.read_text() + "team:\n  - name: Margery Quill\n")
    with pytest.raises(PrivacyError) as exc:
        build(tiny, out)
    assert exc.value.exit_code == 3
    assert any("replaced by 'Ada'" in str(p) for p in exc.value.problems)
    assert any("published as written: study.yml (team)" in str(p) for p in exc.value.problems)
    assert not any("Margery" in str(p) for p in exc.value.problems)  # the site path only
    assert tree_hash(out) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".site.")) == [
        ".site.build"]


def test_hostile_text_is_inert(tiny: Path, tmp_path: Path) -> None:
    path = tiny / "dyads" / "C1-P1.md"
    text = path.read_text()
    text = text.replace("text: Dr. Alcott heard me out, and Bertram Quill came with me.",
                        "text: '<script>alert(1)</script> {{ 7*7 }} Dr. Alcott heard me out'")
    text += '\n<img src=x onerror="alert(2)"> [link](javascript:alert(3))\n\n```\nunclosed\n'
    path.write_text(text)
    out = tmp_path / "site"
    build(tiny, out)
    html = (out / "dyads" / "C1-P1.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
    assert "onerror" not in html and "javascript:" not in html
    assert "{{ 7*7 }}" in html


def test_review_build_shows_drafts_and_memos(tiny: Path, tmp_path: Path) -> None:
    out = tmp_path / "review"
    build(tiny, out, audience="review")
    assert (out / "dyads" / "C2-P1.html").is_file()
    assert "MEMO-SECRET-ONE" in (out / "dyads" / "C1-P1.html").read_text(encoding="utf-8")
    public = tmp_path / "public"
    build(tiny, public)
    assert not (public / "dyads" / "C2-P1.html").exists()
    for path in public.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".json", ".js"}:
            content = path.read_text(encoding="utf-8")
            for secret in ("MEMO-SECRET-ONE", "SPOUSE-WORDS", "CONTRAST-WORDS", "NOQUOTE-WORDS",
                           "DRAFT-WORDS"):
                assert secret not in content, (path, secret)


def test_a_configuration_beside_the_study_that_does_not_name_it_is_reported(
        tiny: Path, tmp_path: Path) -> None:
    (tiny.parent / "mkdocs.yml").write_text("site_name: Other study\n", encoding="utf-8")
    prepared = prepare(tiny, "review", scan=False)
    [note] = [w for w in prepared.warnings if "is not used" in w]
    assert "extra: {study_folder: tiny}" in note
    (tiny.parent / "mkdocs.yml").write_text("site_name: Ours\nextra: {study_folder: tiny}\n",
                                            encoding="utf-8")
    assert not [w for w in prepare(tiny, "review", scan=False).warnings if "is not used" in w]


def test_a_misnamed_identifier_list_is_named_in_the_warning(tiny: Path) -> None:
    """A list saved as private/identifier.yml is not read: the warning that no name will be
    replaced says which file the team probably meant (found by a new user, whose list was
    silently ignored under that name)."""
    private = tiny / "private"
    listed = private / "identifiers.yml"
    listed.rename(private / "identifier.yml")
    [warning] = [w for w in prepare(tiny, "review").warnings if "identifiers.yml" in w]
    assert "missing or empty" in warning and "private/identifier.yml is not read" in warning
    (private / "identifier.yml").rename(private / "notes.yml")
    [plain] = [w for w in prepare(tiny, "review").warnings if "identifiers.yml" in w]
    assert "is not read" not in plain
