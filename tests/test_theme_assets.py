"""Issue 25: Material's source maps and the search languages no page loads are left out of the
site (build_site/theme_assets.py); what the search worker loads stays."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from build_site import theme_assets
from build_site.pipeline import build
from build_site.theme_assets import LUNR, drop_unused, unused, worker_loads


def test_an_english_site_has_no_source_map_and_no_search_language_and_still_searches(
        tiny: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    build(tiny, site)
    assert not list(site.rglob("*.map"))
    assert not (site / LUNR).exists()
    # what the pages load is all there: the bundle, the worker, the index, the styles
    worker = next((site / "assets/javascripts/workers").glob("search.*.min.js"))
    assert "importScripts" in worker.read_text("utf-8")
    assert (site / "search" / "search_index.js").is_file()
    assert list((site / "assets/stylesheets").glob("main.*.min.css"))


def test_the_worker_loads_per_language() -> None:
    assert worker_loads(["en"]) == set()
    assert worker_loads(["de"]) == {"min/lunr.de.min.js", "min/lunr.stemmer.support.min.js"}
    assert worker_loads(["en", "ja"]) == {
        "tinyseg.js", "min/lunr.ja.min.js", "min/lunr.multi.min.js",
        "min/lunr.stemmer.support.min.js"}
    assert worker_loads(["th"]) >= {"wordcut.js", "min/lunr.th.min.js"}


def _site(tmp_path: Path, langs: str) -> Path:
    """A site folder holding Material's assets and a search index of ``langs``."""
    site = tmp_path / "site"
    shutil.copytree(theme_assets.theme_assets(), site / "assets")
    (site / "search").mkdir()
    (site / "search" / "search_index.js").write_text(
        'var __index = {"config":{"lang":' + langs + ',"separator":"x"},"docs":[]}', "utf-8")
    return site


def test_a_german_and_english_site_keeps_what_its_worker_loads(tmp_path: Path) -> None:
    site = _site(tmp_path, '["en","de"]')
    drop_unused(site)
    lunr = site / LUNR
    kept = {p.relative_to(lunr).as_posix() for p in lunr.rglob("*") if p.is_file()}
    assert kept == {"min/lunr.de.min.js", "min/lunr.multi.min.js",
                    "min/lunr.stemmer.support.min.js"}
    assert not list(site.rglob("*.map"))


def test_a_team_file_of_the_same_name_stays(tmp_path: Path) -> None:
    site = _site(tmp_path, '["en"]')
    own = site / LUNR / "wordcut.js"
    own.write_text("// the team's own", "utf-8")
    drop_unused(site)
    assert own.read_text("utf-8") == "// the team's own"
    assert not (site / LUNR / "tinyseg.js").exists()


@pytest.mark.parametrize("change", ["worker", "index"])
def test_languages_stay_when_the_worker_or_the_index_is_not_as_known(
        tmp_path: Path, change: str) -> None:
    site = _site(tmp_path, '["en"]')
    if change == "worker":
        for worker in (site / "assets/javascripts/workers").glob("search.*.min.js"):
            worker.write_text(worker.read_text("utf-8").replace('case"ja"', 'case "ja"'),
                              "utf-8")
    else:
        (site / "search" / "search_index.js").write_text("var __index = {}", "utf-8")
    lunr_files = sorted(p for p in (site / LUNR).rglob("*") if p.is_file())
    assert not any(p in lunr_files for p in unused(site))
    drop_unused(site)
    assert sorted(p for p in (site / LUNR).rglob("*") if p.is_file()) == lunr_files
    assert not list(site.rglob("*.map"))


def test_a_file_the_teams_configuration_loads_stays(tiny: Path, tmp_path: Path) -> None:
    # a team page loading Material's own copy of a search language file (extra_javascript)
    (tiny / "mkdocs.yml").write_text(
        "site_name: Tiny\nextra_javascript:\n  - assets/javascripts/lunr/tinyseg.js\n"
        "  - path: ./assets/javascripts/lunr/min/lunr.de.min.js\n", encoding="utf-8")
    site = tmp_path / "site"
    build(tiny, site)
    theme = theme_assets.theme_assets() / "javascripts" / "lunr"
    for rel in ("tinyseg.js", "min/lunr.de.min.js"):
        assert (site / LUNR / rel).read_bytes() == (theme / rel).read_bytes()
    assert not (site / LUNR / "wordcut.js").exists()  # what nothing loads still goes
