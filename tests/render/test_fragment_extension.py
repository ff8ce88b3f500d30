"""The fragment swap as a Python-Markdown extension (it runs under MkDocs and Zensical)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import markdown

from build_site.render.fragments import extension_entry, write_fragments


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
