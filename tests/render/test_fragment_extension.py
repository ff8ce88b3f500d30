"""The fragment swap as a Python-Markdown extension (it runs under MkDocs and Zensical)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import markdown
import pytest

from build_site.render.fragments import extension_entry, write_fragments

REPO = Path(__file__).resolve().parents[2]


def _key(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def test_markers_are_swapped_after_markdown_from_the_named_file(tmp_path: Path) -> None:
    svg = "<svg><text>*not emphasis*</text></svg>"
    key = _key(svg)
    entry = extension_entry(write_fragments(tmp_path / "fragments.json", {key: svg}))
    source = f"# Title\n\n<!--bs-diagram:{key}-->\n\n    <!--bs-diagram:{key}-->\n"
    html = markdown.markdown(source, extensions=list(entry), extension_configs=entry)
    assert svg in html  # the raw block, untouched by Markdown
    assert f"&lt;!--bs-diagram:{key}--&gt;" in html  # a marker quoted in code stays text
    assert html.count("<svg>") == 1


def test_blocks_behind_the_look_ahead_are_those_the_alternatives_find(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The look-ahead of "<" before the block alternatives only skips positions where none can
    # start: every page of both studies, public and review, and hand-made edges give the same
    # matches, spans and groups as the alternatives alone.
    import re

    from build_site.pipeline import _render_context, declare_pages, prepare
    from build_site.render import context, fragments
    from build_site.render.diagrams import DiagramRenderer

    alone = re.compile(fragments.BLOCK_ALTERNATIVES, re.M)
    texts = ['<div class="bs-chart" markdown="0">\n<svg a>\n<g/>\n</svg>\n</div>',
             ' <figure class="bs-excerpt">\n</figure>\nx<p class="bs-a">b</p>\n<p id="x">y</p>',
             '<dl class="bs-facts">\n<dt>a</dt>\n</dl>\n<h3 id="a">b</h3><h4 id="c">d</h4>',
             "<<figure class=\"bs-excerpt x\" a>\n<p>\n</figure>\n<p id=\"a\" markdown=\"1\">b</p>"]
    real = context.lift_blocks

    def spy(markdown: str, blocks: dict[str, str]) -> str:
        texts.append(markdown)
        return real(markdown, blocks)

    monkeypatch.setattr(context, "lift_blocks", spy)
    for purpose in ("public", "review"):
        for study_dir in ("casestudies", "examples/osce"):
            prepared = prepare(REPO / study_dir, purpose, scan=False)  # type: ignore[arg-type]
            ctx = _render_context(prepared, DiagramRenderer(tmp_path / study_dir))
            declare_pages(prepared, ctx).render(ctx)
    found = 0
    for text in texts:
        want = [(m.span(), m.groups()) for m in alone.finditer(text)]
        assert [(m.span(), m.groups()) for m in fragments._BLOCKS.finditer(text)] == want
        found += len(want)
    assert len(texts) > 200 and found > 1000
