"""Hand-written pages where the team wants them (issue 22 item 7): a page's front matter names
its top-level section; a ``nav`` in the site configuration, which the build would ignore, is
refused with a message that says how to place pages instead."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from build_site.errors import StudyError
from build_site.pipeline import build, declare_pages, prepare


def _write(study: Path, name: str, text: str) -> None:
    docs = study / "docs"
    docs.mkdir(exist_ok=True)
    (docs / name).write_text(text, encoding="utf-8")


def _section(nav: list[dict[str, Any]], title: str) -> list[dict[str, Any]]:
    found = [item[title] for item in nav if title in item]
    assert len(found) == 1 and isinstance(found[0], list), (title, nav)
    return found[0]


def _top(nav: list[dict[str, Any]]) -> list[str]:
    return [next(iter(item)) for item in nav]


def test_a_page_takes_the_section_its_front_matter_names(tiny: Path) -> None:
    _write(tiny, "ethics.md", "---\nsection: Methods\n---\n# Ethics approval\n\nGranted.\n")
    _write(tiny, "reading.md", "---\nsection: Further reading\n---\n# Books\n\nSome.\n")
    _write(tiny, "about.md", "# About this site\n\nA fixture.\n")
    nav = declare_pages(prepare(tiny, "public", scan=False)).nav()
    assert _section(nav, "Methods")[-1] == {"Ethics approval": "ethics.md"}
    assert _section(nav, "Further reading") == [{"Books": "reading.md"}]
    assert _section(nav, "About") == [{"About this site": "about.md"}]
    top = _top(nav)
    assert top.count("Methods") == 1
    assert top.index("Data") < top.index("About") < top.index("Further reading")


def test_a_section_that_is_not_a_title_is_refused_with_its_line(tiny: Path) -> None:
    _write(tiny, "ethics.md", "---\ntitle: Ethics\nsection: [Methods, Data]\n---\n# Ethics\n")
    with pytest.raises(StudyError) as caught:
        declare_pages(prepare(tiny, "public", scan=False))
    [problem] = caught.value.problems
    assert problem.file.endswith("ethics.md") and problem.line == 3
    assert "section" in problem.message and "section: Methods" in problem.hint


def test_a_section_that_names_a_page_is_refused(tiny: Path) -> None:
    _write(tiny, "news.md", "---\nsection: Home\n---\n# News\n")
    with pytest.raises(StudyError, match="names a page, not a section"):
        declare_pages(prepare(tiny, "public", scan=False))


def test_nav_in_the_site_configuration_is_refused_saying_how(tiny: Path) -> None:
    (tiny / "mkdocs.yml").write_text("site_name: Tiny\nnav:\n  - Home: index.md\n",
                                     encoding="utf-8")
    with pytest.raises(StudyError) as caught:
        prepare(tiny, "public", scan=False)
    [problem] = caught.value.problems
    assert problem.file.endswith("mkdocs.yml") and problem.line == 2
    assert "'nav' is not used" in problem.message
    assert "section: Methods" in problem.hint and "About" in problem.hint


def test_the_built_site_lists_the_page_in_its_section(tiny: Path, tmp_path: Path) -> None:
    _write(tiny, "ethics.md", "---\nsection: Methods\n---\n# Ethics approval\n\nGranted.\n")
    site = build(tiny, tmp_path / "site").out
    page = (site / "ethics.html").read_text(encoding="utf-8")
    assert "Granted." in page
    # Material marks the tab of the section that holds the current page: Methods, not About.
    tabs = re.findall(r'md-tabs__item md-tabs__item--active">\s*<a [^>]*>\s*([^<]+?)\s*</a>',
                      page)
    assert tabs == ["Methods"]


def test_a_comment_is_never_a_pages_title_in_the_navigation(tiny: Path) -> None:
    """A front-matter comment or a shell comment in a code block above the heading was taken
    as the title every page's navigation shows (the first line starting with '# ')."""
    _write(tiny, "notes.md", "---\n# draft: ask the PI about Dr Alcott\nsection: Methods\n---\n"
           "```sh\n# private: path to raw audio\n```\n\n# Field notes\n\nText.\n")
    _write(tiny, "titled.md", "---\ntitle: Ethics approval\n---\n# Board letter\n\nText.\n")
    _write(tiny, "setext.md", "~~~~\n# not this\n~~~\nstill code\n~~~~\n"
           "Reading list\n============\n\nBooks.\n")
    _write(tiny, "untitled_page.md", "    # indented code, not a heading\n\nNo heading.\n")
    nav = declare_pages(prepare(tiny, "public", scan=False)).nav()
    assert _section(nav, "Methods")[-1] == {"Field notes": "notes.md"}
    about = _section(nav, "About")
    assert {"Ethics approval": "titled.md"} in about
    assert {"Reading list": "setext.md"} in about
    assert {"Untitled page": "untitled_page.md"} in about
    assert "Alcott" not in str(nav) and "private" not in str(nav)
