"""Pages declare themselves: the navigation and the collision checks come from the records."""

from __future__ import annotations

from pathlib import Path

import pytest

from build_site.errors import StudyError
from build_site.pipeline import build
from build_site.render.registry import Nav, SitePages
from tests.conftest import tree_hash


def test_nav_nests_sections_in_first_seen_order_and_keeps_every_entry() -> None:
    nav = Nav()
    nav["Home",] = "index.md"
    nav["Model", "Overview"] = "model/index.md"
    nav["Model", "Competencies", "Trust", "Overview"] = "model/trust.md"
    nav["Model", "Competencies", "Trust", "Honesty"] = "model/honesty.md"
    nav["Data", "Codebook"] = "data/codebook.md"
    nav["Model", "Relations"] = "model/relations.md"
    nav["Data", "Codebook"] = "data/other.md"  # an entry of the same title is a second entry
    assert nav.build() == [
        {"Home": "index.md"},
        {"Model": [{"Overview": "model/index.md"},
                   {"Competencies": [{"Trust": [{"Overview": "model/trust.md"},
                                                {"Honesty": "model/honesty.md"}]}]},
                   {"Relations": "model/relations.md"}]},
        {"Data": [{"Codebook": "data/codebook.md"}, {"Codebook": "data/other.md"}]},
    ]


def test_two_pages_at_one_path_are_refused_naming_both() -> None:
    site = SitePages()
    site.page("model/index.md", "The model", ("Model", "Overview"), "model_index.md.j2", dict)
    with pytest.raises(StudyError) as caught:
        site.page("model/index.md", "Index", ("Model", "Index"), "component.md.j2", dict)
    message = str(caught.value)
    assert "The model" in message and "Index" in message and "model/index.md" in message


def test_a_declared_page_takes_its_place_in_the_navigation() -> None:
    site = SitePages()
    site.page("analysis/matrix.md", "Meta-matrix", ("Analysis", "Meta-matrix"), "m.j2", dict)
    site.page("analysis/timeline.md", "Timeline", ("Analysis", "Timeline"), "t.j2", dict)
    site.page("analysis/hidden.md", "Hidden", None, "h.j2", dict)
    assert site.nav() == [{"Analysis": [{"Meta-matrix": "analysis/matrix.md"},
                                        {"Timeline": "analysis/timeline.md"}]}]
    assert site.title("analysis/timeline.md") == "Timeline"
    assert site.title("nowhere.md") == "nowhere.md"


def _handwritten(study: Path, rel: str, text: str = "# Notes\n\nOur own page.\n") -> None:
    path = study / "docs" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize(("rel", "says"), [
    ("data/cite.md", "two pages at 'data/cite.md'"),
    ("index.md", "two pages at 'index.md'"),
    ("dyads/notes.md", "in the folder 'dyads/'"),
    ("CITATION.cff", "'CITATION.cff' is a file build-site generates"),
    ("assets/build-site.css", "'assets/build-site.css' is a file build-site generates"),
    # Material's palette and base scripts as files (theme_scripts): a team's file there would
    # be replaced by ours without a word
    ("assets/build-site-palette.js",
     "'assets/build-site-palette.js' is a file build-site generates"),
    ("assets/build-site-base.js", "'assets/build-site-base.js' is a file build-site generates"),
])
def test_a_handwritten_page_at_a_generated_path_is_refused(tiny: Path, tmp_path: Path,
                                                           rel: str, says: str) -> None:
    out = tmp_path / "site"
    build(tiny, out)
    before = tree_hash(out)
    _handwritten(tiny, rel)
    with pytest.raises(StudyError) as caught:
        build(tiny, out)
    assert caught.value.exit_code == 2
    message = str(caught.value)
    assert says in message and str(tiny / "docs" / rel) in message
    assert tree_hash(out) == before  # the previous site stays as it was


def test_handwritten_pages_are_listed_under_about(tiny: Path, tmp_path: Path) -> None:
    _handwritten(tiny, "team/acknowledgements.md", "# Acknowledgements\n\nThanks.\n")
    report = build(tiny, tmp_path / "site")
    assert report.nav[-1] == {"About": [{"Acknowledgements": "team/acknowledgements.md"}]}
    assert (tmp_path / "site" / "team" / "acknowledgements.html").is_file()


def test_check_refuses_what_build_refuses(tiny: Path) -> None:
    from click.testing import CliRunner

    from build_site.cli import main

    _handwritten(tiny, "data/notes.md")
    result = CliRunner().invoke(main, ["check", str(tiny)])
    assert result.exit_code == 2, result.output
    assert "in the folder 'data/'" in result.output
