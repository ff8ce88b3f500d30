"""Rebuilds: what a no-op skips, and what makes a build run in full again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import build_site.pipeline as pipeline
from build_site.pipeline import build
from build_site.reuse import fingerprint

from .conftest import tree_hash


class Calls:
    """Counts calls of the MkDocs build and the gate (and still runs them)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.mkdocs = 0
        self.gate = 0
        real_mkdocs = pipeline.run_engine

        def mkdocs(*args: Any, **kwargs: Any) -> None:
            self.mkdocs += 1
            real_mkdocs(*args, **kwargs)

        def counted(real: Any) -> Any:
            def gate(*args: Any, **kwargs: Any) -> Any:
                self.gate += 1
                return real(*args, **kwargs)
            return gate

        monkeypatch.setattr(pipeline, "run_engine", mkdocs)
        # the gate: alone in a preview, with tidy in its pass in a full build (tidy_gate.py)
        monkeypatch.setattr(pipeline, "scan_tree", counted(pipeline.scan_tree))
        monkeypatch.setattr(pipeline, "tidy_and_scan", counted(pipeline.tidy_and_scan))


def test_noop_rebuild_draws_nothing_and_skips_mkdocs_and_gate(
        tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    first = build(tiny, out)
    assert not first.reused and first.diagrams_rendered > 0
    before = tree_hash(out)
    calls = Calls(monkeypatch)
    again = build(tiny, out)
    assert again.reused
    assert (again.diagrams_rendered, again.files_written) == (0, 0)
    assert (calls.mkdocs, calls.gate) == (0, 0)
    assert tree_hash(out) == before


def test_changed_output_is_rebuilt_and_checked(tiny: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    build(tiny, out)
    before = tree_hash(out)
    calls = Calls(monkeypatch)
    page = out / "dyads" / "C1-P1.html"
    page.write_bytes(page.read_bytes().replace(b"</body>", b"<p>Margery Quill</p></body>"))
    assert not build(tiny, out).reused
    assert (calls.mkdocs, calls.gate) == (1, 1)
    assert tree_hash(out) == before
    (out / "extra.html").write_text("<p>added</p>", encoding="utf-8")
    assert not build(tiny, out).reused
    (out / "index.html").unlink()
    (out / "index.html").symlink_to(out / "404.html")
    assert not build(tiny, out).reused
    assert tree_hash(out) == before and (calls.mkdocs, calls.gate) == (3, 3)


def test_a_new_identifier_reruns_the_gate_even_when_pages_are_unchanged(
        tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    build(tiny, out)
    listed = tiny / "private" / "identifiers.yml"
    listed.write_text(listed.read_text() + "  - text: Oriel Penhallow\n"
                      "    replacement: '[a colleague]'\n    kind: person\n")
    calls = Calls(monkeypatch)
    report = build(tiny, out)
    assert not report.reused and (calls.mkdocs, calls.gate) == (1, 1)


def test_editing_one_dyad_draws_no_diagram(tiny: Path, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    build(tiny, out)
    before = (out / "dyads" / "C1-P2.html").read_text(encoding="utf-8")
    dyad = tiny / "dyads" / "C1-P2.md"
    dyad.write_text(dyad.read_text().replace("codes: [kindness, care-made-trust]",
                                             "codes: [heard, kindness, care-made-trust]"))
    report = build(tiny, out)
    assert not report.reused
    assert report.diagrams_rendered == 0  # its diagram shares the cached layout
    after = (out / "dyads" / "C1-P2.html").read_text(encoding="utf-8")
    assert after != before
    assert 'id="d-C1-P2-listening" class="node kind-competency evidenced"' in after


def test_configuration_reading_the_environment_is_never_vouched_for(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: !ENV [SITE_NAME, 'x']\n", encoding="utf-8")
    docs = tmp_path / "docs"
    docs.mkdir()
    assert fingerprint(config, docs, {}, {}, []) is None
    config.write_text("site_name: x\nplugins: [search, blog]\n", encoding="utf-8")
    assert fingerprint(config, docs, {}, {}, []) is None
    config.write_text("site_name: x\nplugins: [search]\n", encoding="utf-8")
    first = fingerprint(config, docs, {}, {}, [])
    assert first is not None
    (docs / "page.md").write_text("# Page\n", encoding="utf-8")
    assert fingerprint(config, docs, {}, {}, []) not in (None, first)



def test_theme_overrides_holding_a_link_are_never_vouched_for(tmp_path: Path) -> None:
    """A symbolic link in the team's ``custom_dir``: MkDocs and the build directory's copy of
    the overrides read through it, the digest's walk does not enter a linked folder, so an
    edit there left the fingerprint as it was and the previous site was reused (adv7). A
    build refuses a link that leads out of the overrides (``tests/test_project_links.py``);
    the fingerprint vouches for none."""
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\ntheme:\n  name: material\n  custom_dir: overrides\n",
                      encoding="utf-8")
    docs = tmp_path / "docs"
    docs.mkdir()
    shared = tmp_path / "shared-partials"
    shared.mkdir()
    (shared / "copyright.html").write_text("<p>First words</p>\n", encoding="utf-8")
    (tmp_path / "overrides").mkdir()
    assert fingerprint(config, docs, {}, {}, []) is not None
    (tmp_path / "overrides" / "partials").symlink_to(shared, target_is_directory=True)
    assert fingerprint(config, docs, {}, {}, []) is None
