"""The successor engine: the bundled study's assembled site project builds with Zensical.

Material reaches end of life in 2027 and names Zensical, which reads ``mkdocs.yml``, as its
successor. Zensical runs no MkDocs plugins, so what ours does after Markdown (swapping the
diagrams and lifted blocks in for their markers) is done here on the Markdown first, as the
benchmark's baseline does; and Zensical 0.0.40 panics on an absolute ``docs_dir`` ("invariant:
Id(Format(Path(RootDir)))"), so the project is written with relative folders. Both are named
in the assertions below should they stop holding.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

import build_site.pipeline as pipeline
from build_site.render.fragments import swap_in
from build_site.site import config_overrides

from .conftest import REPO


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("zensical")
    captured: dict[str, Any] = {}
    original = pipeline.mkdocs_build

    def capture(config: Path, docs: Path, site: Path, nav: list[Any], name: str,
                notice: Any = None, epoch: Any = None, fragments: Any = None) -> None:
        captured.update(config=config, docs=docs, nav=nav, name=name, notice=notice,
                        fragments=fragments or {})
        original(config, docs, site, nav, name, notice, epoch, fragments)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pipeline, "mkdocs_build", capture)
        pipeline.build(REPO / "casestudies", work / "mkdocs-site")
    docs = work / "docs"
    for path in captured["docs"].rglob("*"):
        target = docs / path.relative_to(captured["docs"])
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        elif path.suffix == ".md":  # what our MkDocs plugin does after Markdown, done before
            target.write_text(swap_in(path.read_text("utf-8"), captured["fragments"]), "utf-8")
        else:
            shutil.copyfile(path, target)
    config = yaml.safe_load(Path(captured["config"]).read_text("utf-8")) or {}
    config.update(config_overrides(captured["config"], Path("docs"), Path("site"),
                                   captured["nav"], captured["name"], captured["notice"]))
    config["docs_dir"], config["site_dir"] = "docs", "site"  # relative: see the docstring
    (work / "zensical.yml").write_text(yaml.safe_dump(config, sort_keys=False), "utf-8")
    done = subprocess.run([sys.executable, "-m", "zensical", "build", "-f", "zensical.yml"],
                          cwd=work, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "NO_COLOR": "1"}, check=False)
    assert done.returncode == 0, f"Zensical failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
    return work / "site"


def _text(page: Path) -> str:
    return page.read_text(encoding="utf-8")


@pytest.mark.parametrize("page, title", [
    ("index.html", "Healing relationships in primary care"),
    ("model/index.html", "The model"),
    ("model/valuing.html", "Valuing"),
    ("dyads/D1-P2.html", "Dyad D1-P2"),
])
def test_zensical_builds_the_main_page_types(zensical_site: Path, page: str, title: str) -> None:
    html = _text(zensical_site / page)
    assert re.search(rf"<h1[^>]*>\s*{re.escape(title)}", html), page


def test_zensical_keeps_the_diagrams_and_their_links(zensical_site: Path) -> None:
    home = _text(zensical_site / "index.html")
    assert "<svg" in home and 'xlink:href="model/valuing.html"' in home
    dyad = _text(zensical_site / "dyads" / "D1-P2.html")
    assert 'class="bs-excerpt' in dyad and "<svg" in dyad


def test_zensical_output_carries_no_listed_identifier(zensical_site: Path) -> None:
    from build_site.gate import scan_tree
    from build_site.pipeline import load_and_validate

    assert scan_tree(zensical_site, load_and_validate(REPO / "casestudies").identifiers) == []
