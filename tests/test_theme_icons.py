"""Issue 25 (lean4): the logo and the search icon drawn once a page and used by the second place
that shows each (``<use href>``), where it is safe; Material's own copies otherwise. Pixels:
the screenshots of guide/performance.md, "lean4" (identical before and after)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from build_site import theme_icons
from build_site.pipeline import build
from build_site.site_theme import material_templates

LIBRARY = (material_templates() / ".icons/material/library.svg").read_text("utf-8")
MAGNIFY = (material_templates() / ".icons/material/magnify.svg").read_text("utf-8")


def _path_data(svg: str) -> str:
    found = re.search(r'<path d="([^"]+)"', svg)
    assert found is not None
    return found[1]


def test_each_icon_is_drawn_once_and_used_once(tiny: Path, tmp_path: Path) -> None:
    build(tiny, tmp_path / "site")
    for rel in ("index.html", "dyads/C1-P1.html", "404.html"):
        html = (tmp_path / "site" / rel).read_text("utf-8")
        for data, ident in ((_path_data(LIBRARY), theme_icons.LOGO_ID),
                            (_path_data(MAGNIFY), theme_icons.SEARCH_ID)):
            assert html.count(f'd="{data}"') == 1, rel
            assert html.count(f'<path id="{ident}" d="{data}"/>') == 1, rel
            assert html.count(f'<use href="#{ident}"/>') == 1, rel
            # the drawn copy comes first: the header, before the drawer and the search field
            assert html.index(f'id="{ident}"') < html.index(f'href="#{ident}"'), rel
        assert html.count('class="md-header__button md-logo"') == 1
        assert html.count('class="md-nav__button md-logo"') == 1


def test_the_partials_are_materials_with_the_icons_written_in() -> None:
    texts = theme_icons.partials({})
    assert sorted(texts) == sorted(theme_icons.PARTIALS)
    for rel, text in texts.items():
        original = (material_templates() / rel).read_text("utf-8")
        # take the icons out again: the rest of each partial is Material's
        text = re.sub(r'\{% if config\.theme\.logo %\}(\{% include "partials/logo\.html" %\})'
                      r"\{% else %\}<svg[^{]*</svg>\{% endif %\}", r"\1", text)
        text = re.sub(r"<svg[^{]*</svg>", '{% include ".icons/" ~ icon ~ ".svg" %}', text)
        assert text == original, rel


@pytest.mark.parametrize("theme", [
    {"logo": "images/logo.png"},
    {"name": "readthedocs"},
    {"icon": {"logo": "material/no-such-icon"}},
    {"icon": {"search": "../../etc/passwd"}},
])
def test_a_theme_the_partials_do_not_fit_gets_none(theme: dict[str, object]) -> None:
    assert theme_icons.partials(theme) == {}


def test_a_configured_icon_is_the_one_drawn() -> None:
    texts = theme_icons.partials({"icon": {"logo": "material/home"}})
    home = (material_templates() / ".icons/material/home.svg").read_text("utf-8")
    assert f'<path id="{theme_icons.LOGO_ID}" d="{_path_data(home)}"/>' in texts[
        theme_icons.HEADER]


@pytest.mark.parametrize("own", ["main.html", "partials/header.html", "partials/logo.html",
                                 ".icons/custom/x.svg", "landing.html", "blog/post.html",
                                 "partials/page.html"])
def test_a_team_theme_folder_with_its_own_layout_keeps_materials_copies(
        tmp_path: Path, own: str) -> None:
    team = tmp_path / "team"
    (team / own).parent.mkdir(parents=True, exist_ok=True)
    (team / own).write_text('{# the team\'s #}{% extends "main.html" %}', "utf-8")
    assert not theme_icons.write_partials(tmp_path / "folder", {}, team)
    assert not (tmp_path / "folder").exists()
    assert theme_icons.write_partials(tmp_path / "folder", {}, None)


def test_a_team_partial_that_extends_nothing_keeps_the_icons_drawn_once(tmp_path: Path) -> None:
    (tmp_path / "team" / "partials").mkdir(parents=True)
    (tmp_path / "team" / "partials" / "footer.html").write_text("<footer>ours</footer>", "utf-8")
    assert theme_icons.write_partials(tmp_path / "folder", {}, tmp_path / "team")


def test_zensical_keeps_its_own_partials(tmp_path: Path) -> None:
    pytest.importorskip("zensical")
    from build_site.engines.zensical_engine import theme_folder

    own = tmp_path / "overrides"
    assert theme_icons.write_partials(own, {}, None)
    folder = theme_folder(tmp_path / "work", own, {})
    assert not (folder / theme_icons.SEARCH).exists()
    for rel in (theme_icons.HEADER, theme_icons.NAV):  # Zensical's, the site name patched
        text = (folder / rel).read_text("utf-8")
        assert theme_icons.LOGO_ID not in text and 'title="{{ config.site_name }}"' in text


def test_a_page_template_without_the_header_keeps_materials_copies(
        tiny: Path, tmp_path: Path) -> None:
    # adv5: a team's page template that empties the header block (a landing page) left the
    # drawer's <use href="#__logo_icon"> pointing at nothing: the logo was blank there.
    (tiny / "mkdocs.yml").write_text(
        "site_name: Tiny\ntheme: {name: material, custom_dir: overrides}\n", "utf-8")
    (tiny / "overrides").mkdir()
    (tiny / "overrides" / "landing.html").write_text(
        '{% extends "main.html" %}\n{% block header %}{% endblock %}\n', "utf-8")
    (tiny / "docs").mkdir()
    (tiny / "docs" / "welcome.md").write_text(
        "---\ntemplate: landing.html\n---\n# Welcome\n\nA landing page.\n", "utf-8")
    build(tiny, tmp_path / "site")
    welcome = (tmp_path / "site" / "welcome.html").read_text("utf-8")
    assert "md-header" not in welcome and 'class="md-nav__button md-logo"' in welcome
    for page in sorted((tmp_path / "site").rglob("*.html")):
        html = page.read_text("utf-8")
        for ident in re.findall(r'<use href="#([^"]+)"', html):
            assert f'id="{ident}"' in html, (page.name, ident)
    assert f'<path d="{_path_data(LIBRARY)}"/>' in welcome  # the drawer draws its own
