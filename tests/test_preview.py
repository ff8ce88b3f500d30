"""serve's incremental previews (preview.py): only changed pages rebuilt and gated, byte for
byte the full build, and never what the gate would refuse."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import build_site.pipeline as pipeline
import build_site.preview as preview_module
from build_site.errors import PrivacyError
from build_site.outputs.serve import PreviewStatus
from build_site.pipeline import build

from .conftest import tree_hash


class Plans:
    """Keeps every preview plan a build makes, and the trees the gate reads."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.plans: list[Any] = []
        self.gated: list[list[str]] = []
        real_plan, real_gate = pipeline.Plan, pipeline.scan_tree

        def plan(*args: Any, **kwargs: Any) -> Any:
            self.plans.append(real_plan(*args, **kwargs))
            return self.plans[-1]

        def gate(root: Path, *args: Any, **kwargs: Any) -> Any:
            self.gated.append(sorted(p.relative_to(root).as_posix() for p in root.rglob("*")
                                     if p.is_file()))
            return real_gate(root, *args, **kwargs)

        monkeypatch.setattr(pipeline, "Plan", plan)
        monkeypatch.setattr(pipeline, "scan_tree", gate)


def _edit(dyad: Path, old: str, new: str) -> None:
    text = dyad.read_text(encoding="utf-8")
    assert old in text
    dyad.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_edit_is_rebuilt_alone_and_matches_the_full_build(
        tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    preview = tmp_path / "preview"
    build(tiny, preview, incremental=True)
    _edit(tiny / "dyads" / "C1-P1.md", "first met Dr. Alcott",
          "first met Dr. Alcott, on a wet morning,")
    plans = Plans(monkeypatch)
    build(tiny, preview, incremental=True)
    assert plans.plans[-1].used and plans.plans[-1].only == {"dyads/C1-P1.md"}
    page = (preview / "dyads" / "C1-P1.html").read_text(encoding="utf-8")
    assert "on a wet morning" in page
    gated = plans.gated[-1]
    assert "dyads/C1-P1.html" in gated and "search/search_index.js" in gated
    assert "dyads/C1-P2.html" not in gated  # unchanged: it passed the gate before
    full = tmp_path / "full"
    build(tiny, full)  # a cold, full build of the same study
    assert tree_hash(preview) == tree_hash(full)


def test_an_identifier_in_an_edit_is_refused_and_the_preview_kept(
        tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    preview = tmp_path / "preview"
    build(tiny, preview, audience="review", incremental=True)
    before = tree_hash(preview)
    # an HTML entity the masking does not read, but the gate does: only the gate stands in
    # the way
    _edit(tiny / "dyads" / "C1-P1.md", "first met Dr. Alcott",
          "first met Dr. Alcott near Fennick&#32;Falls")
    plans = Plans(monkeypatch)
    with pytest.raises(PrivacyError) as refused:
        build(tiny, preview, audience="review", incremental=True)
    assert plans.plans[-1].used  # the incremental path, gating only what changed
    assert len(plans.gated[-1]) < len(list(preview.rglob("*.html")))
    assert any("listed identifier" in str(p) for p in refused.value.problems)
    assert tree_hash(preview) == before


def test_a_new_page_or_a_changed_preview_builds_in_full(
        tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    preview = tmp_path / "preview"
    build(tiny, preview, incremental=True)
    (tiny / "docs").mkdir()
    (tiny / "docs" / "about.md").write_text("# About\n\nUs.\n", encoding="utf-8")
    plans = Plans(monkeypatch)
    build(tiny, preview, incremental=True)  # the navigation changed
    assert not plans.plans[-1].used
    _edit(tiny / "docs" / "about.md", "Us.", "Us, again.")
    page = preview / "dyads" / "C1-P2.html"
    page.write_text(page.read_text(encoding="utf-8") + "<!-- by hand -->", encoding="utf-8")
    build(tiny, preview, incremental=True)  # the preview is not what was gated
    assert not plans.plans[-1].used
    assert "by hand" not in page.read_text(encoding="utf-8")


def test_a_preview_edited_after_it_was_checked_is_still_gated(
        tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    preview = tmp_path / "preview"
    build(tiny, preview, incremental=True)
    _edit(tiny / "dyads" / "C1-P1.md", "first met Dr. Alcott", "first met Dr. Alcott again")
    real_copy = preview_module.copy_previous

    def edit_then_copy(out: Path, staging: Path) -> None:
        page = out / "dyads" / "C1-P2.html"  # by hand, between the check and the copy
        page.write_text(page.read_text(encoding="utf-8").replace(
            "</body>", "<p>Margery Quill</p></body>"), encoding="utf-8")
        real_copy(out, staging)

    monkeypatch.setattr(preview_module, "copy_previous", edit_then_copy)
    plans = Plans(monkeypatch)
    with pytest.raises(PrivacyError):
        build(tiny, preview, incremental=True)
    assert plans.plans[-1].used and "dyads/C1-P2.html" in plans.gated[-1]


def _watch_once(monkeypatch: pytest.MonkeyPatch, study: Path, out: Path, audience: str,
                edit: Any, status: Any = None) -> str:
    """Run serve's watch loop for one change (``edit``), then stop it; returns what it
    printed."""
    from io import StringIO

    from rich.console import Console

    from build_site.outputs import serve

    steps = iter([edit, lambda: (_ for _ in ()).throw(KeyboardInterrupt())])
    monkeypatch.setattr(serve.time, "sleep", lambda _: next(steps)())
    printed = StringIO()
    serve._watch(study, out, None, audience, Console(file=printed),  # type: ignore[arg-type]
                 status)
    return printed.getvalue()


def test_serve_shows_an_edit_through_an_incremental_rebuild(
        tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "tiny-preview"
    build(tiny, out, incremental=True)  # as serve's first build
    plans = Plans(monkeypatch)
    printed = _watch_once(monkeypatch, tiny, out, "public", lambda: _edit(
        tiny / "dyads" / "C1-P1.md", "first met Dr. Alcott", "first met Dr. Alcott at noon"))
    assert "Rebuilt" in printed
    assert plans.plans[-1].used
    assert "at noon" in (out / "dyads" / "C1-P1.html").read_text(encoding="utf-8")


def test_serve_refuses_an_edit_with_an_identifier_and_keeps_the_preview(
        tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "tiny-preview-review"
    build(tiny, out, audience="review", incremental=True)
    before = tree_hash(out)
    plans = Plans(monkeypatch)
    status = PreviewStatus()
    printed = _watch_once(monkeypatch, tiny, out, "review", lambda: _edit(
        tiny / "dyads" / "C1-P1.md", "first met Dr. Alcott",
        "first met Dr. Alcott near Fennick&#32;Falls"), status)
    assert "listed identifier" in printed and plans.plans[-1].used
    assert tree_hash(out) == before
    assert status.refused_at and "last good build" in printed  # the served pages say so
    _watch_once(monkeypatch, tiny, out, "review", lambda: _edit(
        tiny / "dyads" / "C1-P1.md", "near Fennick&#32;Falls", "near the river"), status)
    assert status.refused_at is None


def test_an_excerpt_edit_copies_the_changed_downloads_alone_and_matches_the_full_build(
        tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # an excerpt's words are in the data downloads too: they are copied and gated on their
    # own, with the pages that quote it, instead of a full build
    preview = tmp_path / "preview"
    build(tiny, preview, incremental=True)
    _edit(tiny / "dyads" / "C1-P1.md", "heard me out", "heard me out twice")
    plans = Plans(monkeypatch)
    build(tiny, preview, incremental=True)
    plan = plans.plans[-1]
    assert plan.used and "dyads/C1-P1.md" in plan.only
    downloads = {rel for rel in plan.only if rel.startswith("data/")}
    assert "data/excerpts.csv" in downloads
    assert "heard me out twice" in (preview / "data" / "excerpts.csv").read_text(
        encoding="utf-8")
    gated = plans.gated[-1]
    assert downloads <= set(gated) and "dyads/C1-P2.html" not in gated
    full = tmp_path / "full"
    build(tiny, full)
    assert tree_hash(preview) == tree_hash(full)


def test_a_changed_stylesheet_builds_in_full(
        tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # every page's indentation removal reads the stylesheets: one changed is a full build
    (tiny / "docs").mkdir()
    (tiny / "docs" / "extra.css").write_text(".a { color: red }\n", encoding="utf-8")
    preview = tmp_path / "preview"
    build(tiny, preview, incremental=True)
    (tiny / "docs" / "extra.css").write_text(".a { white-space: pre }\n", encoding="utf-8")
    plans = Plans(monkeypatch)
    build(tiny, preview, incremental=True)
    assert not plans.plans[-1].used
    full = tmp_path / "full"
    build(tiny, full)
    assert tree_hash(preview) == tree_hash(full)


def test_the_indentation_removal_passes_over_the_pages_not_rebuilt(
        tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    preview = tmp_path / "preview"
    build(tiny, preview, incremental=True)
    _edit(tiny / "dyads" / "C1-P1.md", "first met Dr. Alcott",
          "first met Dr. Alcott, on a wet morning,")
    passed_over: list[frozenset[str]] = []
    real = pipeline.strip_site

    def strip(site: Path, done: Any = ()) -> int:
        passed_over.append(frozenset(done))
        return real(site, done)

    monkeypatch.setattr(pipeline, "strip_site", strip)
    build(tiny, preview, incremental=True)
    assert "dyads/C1-P2.html" in passed_over[-1]  # copied from the previous preview
    assert "dyads/C1-P1.html" not in passed_over[-1]  # rebuilt: its indentation removed
    assert "\n    <" not in (preview / "dyads" / "C1-P1.html").read_text(encoding="utf-8")
    full = tmp_path / "full"
    build(tiny, full)  # a cold build removes it from every page
    assert tree_hash(preview) == tree_hash(full)
