"""Issue 25 (lean3): Material's base script as a file only where Material's partial would
have computed the same storage scope. A team's ``extra.scope`` keeps the inline script as
Material renders it, whatever its value: Material's ``d(base_url)`` replaces only a missing
key, so an empty scope is the page's own address there, not the site's root."""

from __future__ import annotations

from pathlib import Path

import pytest

from build_site.pipeline import build
from build_site.theme_scripts import BASE_SCRIPT


@pytest.mark.parametrize(("scope", "inline"), [
    ('"/"', '__md_scope=new URL("/",location)'),
    ('""', '__md_scope=new URL("",location)'),
])
def test_a_team_scope_keeps_materials_inline_base_script(tiny: Path, tmp_path: Path,
                                                         scope: str, inline: str) -> None:
    (tiny / "mkdocs.yml").write_text(f"site_name: Tiny\nextra:\n  scope: {scope}\n",
                                     encoding="utf-8")
    site = tmp_path / "site"
    build(tiny, site)
    for page in (site / "index.html", next((site / "dyads").glob("*.html"))):
        html = page.read_text("utf-8")
        assert inline in html and BASE_SCRIPT not in html, page


def test_without_a_scope_the_base_script_is_a_file(tiny: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    build(tiny, site)
    html = (site / "index.html").read_text("utf-8")
    assert "__md_scope=" not in html and BASE_SCRIPT in html
    assert (site / BASE_SCRIPT).is_file()
