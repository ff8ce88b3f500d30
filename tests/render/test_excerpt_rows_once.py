"""The excerpt rows (browser and downloads) are made once per site in one process, each page
still getting its own links (render6)."""

from __future__ import annotations

from pathlib import Path

import pytest

from build_site.pipeline import _render_context, declare_pages, prepare
from build_site.render import analysis_pages, render_pool
from build_site.render.diagrams import DiagramRenderer

REPO = Path(__file__).resolve().parents[2]


def test_the_rows_are_made_once_and_linked_from_each_page(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render_pool, "POOL_MIN_PAGES", 10**9)  # one process
    monkeypatch.setattr(render_pool, "POOL_MIN_PAGES_CORE_FREE", 10**9)
    made: list[int] = []
    quotes = analysis_pages._quotes

    def counted(r: object) -> object:
        made.append(1)
        return quotes(r)  # type: ignore[arg-type]

    monkeypatch.setattr(analysis_pages, "_quotes", counted)
    prepared = prepare(REPO / "casestudies", "review")
    ctx = _render_context(prepared, DiagramRenderer(tmp_path / "diagrams"))
    declare_pages(prepared, ctx).render(ctx)  # the browser and the downloads
    assert len(made) == 1
    browser = analysis_pages.excerpt_rows(ctx, "analysis/excerpts.md")
    downloads = analysis_pages.excerpt_rows(ctx, "data/downloads.md")
    assert len(made) == 1 and browser and len(browser) == len(downloads)
    for a, b in zip(browser, downloads, strict=True):
        target = f"dyads/{a['dyad']}" if a["dyad"] else f"clinicians/{a['clinician']}"
        assert a["url"] == f"../{target}.html#{a['id']}" == b["url"]
        assert {**a, "url": ""} == {**b, "url": ""} and list(a) == list(b)
        assert list(a)[-1] == "url"
    assert any("not for publication" in row["flags"] for row in browser)
