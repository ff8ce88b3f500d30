"""Shared fixtures: tiny study folders copied to a temporary place, and built sites."""

from __future__ import annotations

import hashlib
import html
import re
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from build_site.pipeline import build

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """A writable copy of the tiny fixture study."""
    target = tmp_path / "tiny"
    shutil.copytree(FIXTURES / "tiny", target)
    return target


@pytest.fixture(scope="session")
def bundled_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled study built once for the session (public build)."""
    out = tmp_path_factory.mktemp("bundled") / "site"
    build(REPO / "casestudies", out)
    return out


@pytest.fixture(scope="session")
def osce_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The examples/osce study built once for the session."""
    out = tmp_path_factory.mktemp("osce") / "site"
    build(REPO / "examples" / "osce", out)
    return out


def tree_hash(root: Path) -> str:
    """SHA-256 over every path and file content under ``root`` (to prove a tree unchanged)."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        digest.update(path.relative_to(root).as_posix().encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


HREF = re.compile(r'(?:href|xlink:href)="([^"]*)"')


def broken_links(site: Path) -> list[str]:
    """Every internal link in ``site``'s HTML whose target file or anchor does not exist."""
    ids: dict[Path, set[str]] = {}

    def anchors(path: Path) -> set[str]:
        if path not in ids:
            ids[path] = set(re.findall(r'\bid="([^"]+)"', path.read_text(encoding="utf-8")))
        return ids[path]

    broken = []
    for page in site.rglob("*.html"):
        if page.name == "404.html":
            continue  # served for any missing URL, so MkDocs links it from the site root
        for raw in HREF.findall(page.read_text(encoding="utf-8")):
            href = html.unescape(raw)  # character references decoded, as a browser does
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or href.startswith(("mailto:", "data:")):
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(site)} -> {href}")
            elif parts.fragment and target.suffix == ".html" and parts.fragment not in anchors(
                target
            ):
                broken.append(f"{page.relative_to(site)} -> {href} (no such anchor)")
    return broken


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the browser tests last, in their own order. Their session fixtures (the local web
    server's thread, Playwright's) live until the session ends, and the stages that fork
    worker processes (the detectors, the published-text checks, MkDocs, the gate) stay in one
    process while any other thread runs: a test that shows a pool at work needs a process
    without threads, as the build command is."""
    items.sort(key=lambda item: Path(str(item.path)).parent.name == "browser")


@pytest.fixture
def pools_started(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The worker counts of the process pools :mod:`build_site.forked_map` starts in a test."""
    from concurrent.futures import ProcessPoolExecutor

    import build_site.forked_map as forked_map

    started: list[int] = []

    class Counted(ProcessPoolExecutor):
        def __init__(self, workers: int, **kwargs: Any) -> None:
            started.append(workers)
            super().__init__(workers, **kwargs)

    monkeypatch.setattr(forked_map, "ProcessPoolExecutor", Counted)
    return started
