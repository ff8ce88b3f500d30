"""Search that finds an excerpt (issue 21 item 3), read from the built index of both engines.

Each published excerpt is one entry of the search index, located at its anchor on its case's
page; its copies on other pages (component pages, the excerpt table) and the excerpt table's
filter controls are left out of the index, so a quote search lands on the excerpt itself.
"""

from __future__ import annotations

import json
import shutil
from typing import Any

import pytest

from build_site.pipeline import build
from build_site.search_once import read_index

from .conftest import FIXTURES

# Where each engine writes its index, and the key of its entry list.
INDEX = {"mkdocs": ("search/search_index.js", "docs"), "zensical": ("search.json", "items")}
QUOTE = "heard me out"  # from excerpt C1-P1-E1 of the tiny study


@pytest.fixture(scope="module", params=["mkdocs", "zensical"])
def entries(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
            ) -> list[dict[str, Any]]:
    """The search entries of the tiny study's public site built with each engine."""
    engine = request.param
    work = tmp_path_factory.mktemp(f"search-{engine}")
    study = work / "tiny"
    shutil.copytree(FIXTURES / "tiny", study)
    build(study, work / "site", engine=engine)
    path, key = INDEX[engine]
    data = read_index(work / "site") if engine == "mkdocs" else json.loads(
        (work / "site" / path).read_text(encoding="utf-8"))
    return list(data[key])


def test_each_excerpt_is_an_entry_at_its_anchor(entries: list[dict[str, Any]]) -> None:
    by_location = {e["location"]: e for e in entries}
    entry = by_location["dyads/C1-P1.html#C1-P1-E1"]
    assert QUOTE in entry["text"]
    assert "C1-P1-E1" in entry["title"]
    assert "clinicians/C1.html#C1-E1" in by_location


def test_a_quote_search_finds_only_the_excerpt(entries: list[dict[str, Any]]) -> None:
    hits = [e["location"] for e in entries if QUOTE in e["text"]]
    assert hits == ["dyads/C1-P1.html#C1-P1-E1"]


def test_filter_controls_are_not_indexed(entries: list[dict[str, Any]]) -> None:
    table = [e for e in entries if e["location"].startswith("analysis/excerpts.html")]
    assert table, "the excerpts page keeps its own entry"
    for entry in table:
        assert "allC1-P1" not in entry["text"].replace(" ", "")
        assert "Dyad all" not in entry["text"]
        assert "C1-P1-E1" not in entry["text"]
    matrix = [e for e in entries if e["location"].startswith("analysis/matrix.html")]
    assert matrix and not any("Order rows by" in e["text"] or "choose" in e["text"]
                              for e in matrix)


def test_groups_of_copies_are_not_entries(entries: list[dict[str, Any]]) -> None:
    """A component page groups copies of excerpts under a heading per case: with the copies
    out of the index those headings would be empty entries, so they are left out too."""
    copies = [e["location"] for e in entries
              if e["location"].startswith("model/") and "#dyad-" in e["location"]]
    assert copies == []
