"""Material's search index kept once only where the bundle is known to read the script
(issue 25: output size); the browser test shows search working from disk and over HTTP."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from build_site.search_once import SEARCH_JSON, SEARCH_SCRIPT, keep_one_index, read_index

KNOWN = ('function ks(){return location.protocol==="file:"?_t(`${new URL("search/search_index'
         '.js",Or.base)}`).pipe(m(()=>__index),Z(1)):ze(new URL("search/search_index.json",'
         'Or.base))}\n//# sourceMappingURL=bundle.abc.min.js.map\n')
INDEX = {"config": {"lang": ["en"]}, "docs": [{"location": "a.html", "text": "t", "title": "A"}]}


def _site(tmp_path: Path, bundle: str) -> Path:
    site = tmp_path / "site"
    (site / "search").mkdir(parents=True)
    (site / "assets" / "javascripts").mkdir(parents=True)
    (site / "assets" / "javascripts" / "bundle.abc.min.js").write_text(bundle)
    data = json.dumps(INDEX)
    (site / SEARCH_JSON).write_text(data)
    (site / SEARCH_SCRIPT).write_text(f"var __index = {data}")
    return site


def _bundle(site: Path) -> Path:
    [bundle] = (site / "assets" / "javascripts").glob("bundle.*.min.js")
    return bundle


def test_the_known_bundle_reads_the_script_always_and_the_json_goes(tmp_path: Path) -> None:
    site = _site(tmp_path, KNOWN)
    assert keep_one_index(site) == len(json.dumps(INDEX))
    bundle = _bundle(site)
    code = bundle.read_text()
    assert 'return !0                         ?_t(`${new URL("search/search_index.js"' in code
    assert len(code) == len(KNOWN)  # Material's source map still fits it
    assert not (site / SEARCH_JSON).exists() and read_index(site) == INDEX
    # a dirty rebuild over it: the search plugin wrote the JSON again
    (site / SEARCH_JSON).write_text(json.dumps(INDEX))
    assert keep_one_index(site) > 0 and not (site / SEARCH_JSON).exists()
    assert _bundle(site) == bundle and bundle.read_text() == code


def test_the_changed_bundle_has_a_name_of_its_own_and_every_page_loads_it(
        tmp_path: Path) -> None:
    """A browser that cached Material's bundle (which fetches the JSON) under its name must
    never reuse it for the changed one: the name follows the content, as Material's does."""
    site = _site(tmp_path, KNOWN)
    page = '<p>bundle.abc.min.js</p><script src="{}assets/javascripts/bundle.abc.min.js"></script>'
    (site / "index.html").write_text(page.format(""))
    (site / "model").mkdir()
    (site / "model" / "a.html").write_text(page.format("../"))
    keep_one_index(site)
    name = _bundle(site).name
    assert name != "bundle.abc.min.js"
    assert (site / "index.html").read_text() == page.format("").replace(
        'javascripts/bundle.abc.min.js"', f'javascripts/{name}"')
    assert f'src="../assets/javascripts/{name}"' in (site / "model" / "a.html").read_text()
    assert "<p>bundle.abc.min.js</p>" in (site / "index.html").read_text()  # words stay
    # serve: a page rebuilt over the changed site names Material's bundle again
    (site / "model" / "a.html").write_text(page.format("../"))
    (site / SEARCH_JSON).write_text(json.dumps(INDEX))
    keep_one_index(site)
    assert f'src="../assets/javascripts/{name}"' in (site / "model" / "a.html").read_text()


@pytest.mark.parametrize("bundle", [KNOWN.replace('"file:"', '"file:"&&x'), KNOWN + KNOWN, ""])
def test_another_bundle_keeps_both_files(tmp_path: Path, bundle: str) -> None:
    site = _site(tmp_path, bundle)
    assert keep_one_index(site) == 0
    assert (site / SEARCH_JSON).is_file() and (site / SEARCH_SCRIPT).is_file()
    assert (site / "assets" / "javascripts" / "bundle.abc.min.js").read_text() == bundle


def test_a_script_not_shaped_as_materials_is_refused(tmp_path: Path) -> None:
    site = _site(tmp_path, KNOWN)
    (site / SEARCH_JSON).unlink()
    (site / SEARCH_SCRIPT).write_text("window.x = 1")
    with pytest.raises(ValueError):
        read_index(site)


@pytest.mark.parametrize("where", ["js/team.js", "index.html", "404.html"])
def test_a_team_script_that_reads_the_json_keeps_it(tmp_path: Path, where: str) -> None:
    # a team's extra_javascript, or a theme override's inline script in every page, that
    # fetches the index itself would get a 404 once the JSON goes
    site = _site(tmp_path, KNOWN)
    (site / where).parent.mkdir(parents=True, exist_ok=True)
    (site / where).write_text('fetch(base + "search/search_index.json").then(list)')
    assert keep_one_index(site) == 0
    assert (site / SEARCH_JSON).is_file()
    assert _bundle(site).name == "bundle.abc.min.js" and _bundle(site).read_text() == KNOWN


def test_materials_own_files_naming_the_json_do_not_keep_it(tmp_path: Path) -> None:
    site = _site(tmp_path, KNOWN)
    (site / "assets" / "javascripts" / "bundle.abc.min.js.map").write_text(
        '{"sourcesContent": ["search/search_index.json"]}')
    (site / "index.html").write_text("<p>no fetch here</p>")
    assert keep_one_index(site) > 0


def test_a_script_that_starts_reading_the_json_gets_materials_bundle_back(
        tmp_path: Path) -> None:
    # serve's incremental preview copies the previous site (its bundle changed, the JSON
    # gone) and copies a changed team script alone: the result must be the full build's
    site = _site(tmp_path, KNOWN)
    page = '<script src="assets/javascripts/bundle.abc.min.js"></script>'
    (site / "about.html").write_text(page)
    assert keep_one_index(site) > 0
    assert (site / "about.html").read_text() != page
    (site / "js").mkdir()
    (site / "js" / "team.js").write_text('fetch("search/search_index.json")')
    (site / SEARCH_JSON).write_text(json.dumps(INDEX))  # the dirty build writes it again
    assert keep_one_index(site) == 0
    assert (site / SEARCH_JSON).is_file()
    assert _bundle(site).name == "bundle.abc.min.js" and _bundle(site).read_text() == KNOWN
    assert (site / "about.html").read_text() == page
