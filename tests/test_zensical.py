"""The successor engine: ``build --engine zensical`` builds the bundled study.

Material reaches end of life on 2027-05-05 and names Zensical, which reads ``mkdocs.yml``, as
its successor. The Zensical engine (:mod:`build_site.engines.zensical_engine`) gets the same
assembled build directory as MkDocs; the diagrams and excerpt blocks are swapped in by the
Python-Markdown extension both engines run, and the same leak gate reads the output.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from build_site.pipeline import build

from .conftest import REPO


@pytest.fixture(scope="module")
def zensical_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A review copy (banner, noindex) of the bundled study, built with Zensical from a
    working folder of its own; returns (site, working folder)."""
    work = tmp_path_factory.mktemp("zensical")
    cwd = work / "cwd"
    cwd.mkdir()
    before = os.getcwd()
    os.chdir(cwd)
    try:
        build(REPO / "casestudies", work / "site", audience="review", engine="zensical")
    finally:
        os.chdir(before)
    return work / "site", cwd


def _text(page: Path) -> str:
    return page.read_text(encoding="utf-8")


@pytest.mark.parametrize("page, title", [
    ("index.html", "Healing relationships in primary care"),
    ("model/index.html", "The model"),
    ("model/valuing.html", "Valuing"),
    ("dyads/D1-P2.html", "Dyad D1-P2"),
])
def test_zensical_builds_the_main_page_types(zensical_build: tuple[Path, Path], page: str,
                                             title: str) -> None:
    html = _text(zensical_build[0] / page)
    assert re.search(rf"<h1[^>]*>\s*{re.escape(title)}", html), page
    assert 'name="generator" content="zensical' in html


def test_zensical_keeps_the_diagrams_and_excerpts(zensical_build: tuple[Path, Path]) -> None:
    site = zensical_build[0]
    home = _text(site / "index.html")
    assert "<svg" in home and '<a href="model/valuing.html"' in home
    dyad = _text(site / "dyads" / "D1-P2.html")
    assert 'class="bs-excerpt' in dyad and "<svg" in dyad
    assert not re.search(r"<!--bs-(?:diagram|block):", dyad + home)


def test_zensical_keeps_the_banner_and_noindex(zensical_build: tuple[Path, Path]) -> None:
    home = _text(zensical_build[0] / "index.html")
    assert 'class="bs-notice">Review copy' in home
    assert '<meta name="robots" content="noindex,nofollow">' in home


def test_zensical_writes_nothing_outside_the_build_directory(
        zensical_build: tuple[Path, Path]) -> None:
    site, cwd = zensical_build
    assert list(cwd.iterdir()) == []
    assert (site.parent / f".{site.name}.build" / ".cache").is_dir()
    assert not (REPO / "casestudies" / ".cache").exists()


def test_zensical_output_carries_no_listed_identifier(zensical_build: tuple[Path, Path]) -> None:
    from build_site.pipeline import load_and_validate
    from build_site.privacy.gate import scan_tree

    site = zensical_build[0]
    assert scan_tree(site, load_and_validate(REPO / "casestudies").identifiers) == []


def test_the_gate_knows_zensicals_theme_files(zensical_build: tuple[Path, Path]) -> None:
    from build_site.privacy.theme_files import is_theme_asset

    bundle = next((zensical_build[0] / "assets" / "javascripts").glob("bundle.*.js"))
    assert is_theme_asset(bundle.read_bytes())
