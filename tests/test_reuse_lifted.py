"""The reuse fingerprint takes a lifted block's digest from its key (serial8): lift_blocks
keys every block by the SHA-256 of its bytes, so the fingerprint is the value hashing every
fragment gives; diagrams, keyed by what they are drawn from, are still hashed."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from build_site.pipeline import Purpose, _render_context, declare_pages, prepare
from build_site.render.diagrams import DiagramRenderer
from build_site.reuse import fingerprint
from build_site.site_project import docs_files

REPO = Path(__file__).resolve().parents[1]
SETTINGS = {"nav": [{"Home": "index.md"}], "audience": "public"}


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.mark.parametrize("purpose", ["public", "review"])
def test_the_bundled_study_fingerprint_is_unchanged(purpose: Purpose, tmp_path: Path) -> None:
    prepared = prepare(REPO / "casestudies", purpose)
    ctx = _render_context(prepared, DiagramRenderer(tmp_path / "diagrams"))
    pages, assets = declare_pages(prepared, ctx).render(ctx)
    fragments = ctx.diagram_fragments()
    diagrams = set(fragments) - ctx.lifted
    assert len(ctx.lifted) > 100 and diagrams  # both kinds present
    assert all(_sha(fragments[key]) == key for key in ctx.lifted)
    assert all(_sha(fragments[key]) != key for key in diagrams)
    docs = docs_files(pages, assets, prepared.handwritten)
    config, ids = prepared.project.config, prepared.study.identifiers
    hashed = fingerprint(config, tmp_path, SETTINGS, fragments, ids, docs)
    assert hashed is not None
    assert fingerprint(config, tmp_path, SETTINGS, fragments, ids, docs, ctx.lifted) == hashed


def test_a_diagram_is_hashed_not_taken_from_its_key(tmp_path: Path) -> None:
    """A diagram's key is not its digest: naming it lifted would give another value, so only
    the blocks' keys are taken; a diagram's changed SVG changes the fingerprint."""
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\n", encoding="utf-8")
    block = '<div class="bs-chart" markdown="0">\n<svg width="1"></svg>\n</div>'
    diagram_key = _sha("dot source")
    fragments = {_sha(block): block, diagram_key: "<svg><g/></svg>"}
    lifted = {_sha(block)}
    hashed = fingerprint(config, tmp_path, SETTINGS, fragments, [], {})
    assert fingerprint(config, tmp_path, SETTINGS, fragments, [], {}, lifted) == hashed
    assert fingerprint(config, tmp_path, SETTINGS, fragments, [], {}, set(fragments)) != hashed
    redrawn = {**fragments, diagram_key: "<svg><g id='x'/></svg>"}
    assert fingerprint(config, tmp_path, SETTINGS, redrawn, [], {}, lifted) != hashed


def test_a_diagram_keyed_as_a_block_is_not_lifted(tmp_path: Path) -> None:
    """A diagram whose key equals a lifted block's replaces the block among the fragments and
    leaves the lifted keys, so its SVG is hashed."""
    prepared = prepare(REPO / "casestudies", "public")
    ctx = _render_context(prepared, DiagramRenderer(tmp_path / "diagrams"))
    declare_pages(prepared, ctx).render(ctx)
    svgs = ctx.diagrams.render()
    key = next(iter(svgs))
    ctx._blocks[key] = "<p>a block under a diagram's key</p>"
    fragments = ctx.diagram_fragments()
    assert key not in ctx.lifted and fragments[key].startswith("<svg")
