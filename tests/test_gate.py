from __future__ import annotations

import gzip
import json
from pathlib import Path

from build_site.gate import is_theme_asset, scan_tree
from build_site.study import Identifier

NAME = Identifier(text="Margery Quill", replacement="Ada", kind="person", variants=["Quill"])


def _tree(tmp_path: Path, files: dict[str, bytes]) -> Path:
    for rel, data in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return tmp_path


def test_clean_tree_passes(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"index.html": b"<p>Ada came; a quilted coat.</p>"})
    assert scan_tree(root, [NAME]) == []


def test_leaks_are_found_however_encoded(tmp_path: Path) -> None:
    root = _tree(tmp_path, {
        "a.html": b"<p><em>Margery</em>\n Quill</p>",
        "b.html": b"<p>M&#97;rgery Q&#x75;ill</p>",
        "search/search_index.json": json.dumps({"t": "MARGERY QUILL"}).encode(),
        "search/search_index.js": b'var x = "Marg\\u00e9ry Quill";',
        "sitemap.xml.gz": gzip.compress(b"<loc>https://x/Margery%20Quill.html</loc>"),
        "c.svg": b'<svg><title>Quill</title></svg>',
        "Quill/page.html": b"<p>nothing</p>",
    })
    found = {leak.where for leak in scan_tree(root, [NAME])}
    assert found == {"a.html", "b.html", "search/search_index.json", "search/search_index.js",
                     "sitemap.xml.gz", "c.svg", "Quill"}


def test_only_unchanged_theme_files_are_skipped(tmp_path: Path) -> None:
    from importlib import resources

    theme = Path(str(resources.files("material"))) / "templates" / "assets" / "javascripts"
    original = next(p for p in sorted(theme.glob("bundle.*.min.js")))
    data = original.read_bytes()
    assert is_theme_asset(data)
    # Same size, one byte changed: a file that merely looks like a theme asset is read.
    planted = b"Quill;" + data[6:]
    assert len(planted) == len(data) and not is_theme_asset(planted)
    root = _tree(tmp_path, {"assets/bundle.js": planted, "assets/theme.js": data})
    assert {leak.where for leak in scan_tree(root, [NAME])} == {"assets/bundle.js"}
