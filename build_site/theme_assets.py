"""Material's files no page of the site loads, left out of it (issue 25: output size).

MkDocs copies every file of Material's ``assets/`` folder into each site, 2.2 MB whatever
the study's size, of which the pages load only part:

- the source maps (``*.map``, 1.3 MB): a browser fetches one only when its developer tools
  are open, to show Material's unminified source; no reader needs them. The
  ``sourceMappingURL`` comment at the end of the bundle stays (:mod:`build_site.search_once`
  reads the bundle's original name from it), so a developer's tools report the map missing;
- the search languages (``assets/javascripts/lunr/``, 0.9 MB, of which ``wordcut.js`` 0.7
  MB): Material's search worker loads, for each language of the search index's ``lang``,
  ``tinyseg.js`` (``ja``), ``wordcut.js`` (``hi``, ``th``), ``min/lunr.<lang>.min.js``
  (every language but ``en``), then ``min/lunr.multi.min.js`` for more than one language and
  ``min/lunr.stemmer.support.min.js`` when it loads any (the code :data:`_WORKER_LOADS`
  quotes, from ``search.a7633da7.min.js`` of Material 9.8.1). An English site loads none.

Only files Material ships, byte for byte as it ships them, go (a team's own file of the same
name stays, and so does one the team's configuration loads on every page: ``extra_javascript``
or ``extra_css``), and the search languages only when the site's worker holds that exact code
(another Material: they all stay). MkDocs only (the engine calls :func:`drop_unused` after
every build, serve's included).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from build_site.site_theme import material_templates

ASSETS = "assets"
LUNR = "assets/javascripts/lunr"
_WORKER_LOADS = (
    'for(let n of t.lang){switch(n){case"ja":r.push(`${e}/tinyseg.js`);break;case"hi":'
    'case"th":r.push(`${e}/wordcut.js`);break}n!=="en"&&r.push(`${e}/min/lunr.${n}.min.js`)}'
    't.lang.length>1&&r.push(`${e}/min/lunr.multi.min.js`),r.length&&(yield importScripts('
    '`${e}/min/lunr.stemmer.support.min.js`,...r))')
_LANG = re.compile(r'"config":\s*\{"lang":\s*(\[[^\]]*\])')
_INDEXES = ("search/search_index.js", "search/search_index.json")


def theme_assets() -> Path:
    """The ``assets`` folder of the installed Material theme."""
    return material_templates() / ASSETS


def search_languages(site: Path) -> list[str] | None:
    """The ``lang`` of ``site``'s search index (read from the start of the file), or None
    when the site has no index or its start does not hold the configuration."""
    import json

    for rel in _INDEXES:
        path = site / rel
        if path.is_file():
            with path.open(encoding="utf-8") as handle:
                head = handle.read(4096)
            found = _LANG.search(head)
            if found:
                langs = json.loads(found.group(1))
                if isinstance(langs, list) and all(isinstance(x, str) for x in langs):
                    return langs
            return None
    return None


def worker_loads(langs: list[str]) -> set[str]:
    """The files of ``assets/javascripts/lunr/`` Material's search worker loads for ``langs``
    (paths relative to that folder; see the module's docstring)."""
    wanted: list[str] = []
    for lang in langs:
        if lang == "ja":
            wanted.append("tinyseg.js")
        elif lang in ("hi", "th"):
            wanted.append("wordcut.js")
        if lang != "en":
            wanted.append(f"min/lunr.{lang}.min.js")
    if len(langs) > 1:
        wanted.append("min/lunr.multi.min.js")
    if wanted:
        wanted.append("min/lunr.stemmer.support.min.js")
    return set(wanted)


def _worker_known(site: Path) -> bool:
    workers = (site / ASSETS / "javascripts" / "workers").glob("search.*.min.js")
    return any(_WORKER_LOADS in p.read_text(encoding="utf-8") for p in workers)


def named_in_config(config: Mapping[str, Any]) -> frozenset[str]:
    """The site-relative paths every page loads by the site configuration ``config``
    (``extra_javascript`` and ``extra_css``: strings, or MkDocs' ``{path: ...}`` entries),
    without a leading ``./``; addresses of other hosts left out."""
    named: set[str] = set()
    for key in ("extra_javascript", "extra_css"):
        for entry in config.get(key) or []:
            path = entry.get("path") if isinstance(entry, Mapping) else entry
            if isinstance(path, str) and "://" not in path and not path.startswith("//"):
                named.add(path.removeprefix("./").lstrip("/"))
    return frozenset(named)


def unused(site: Path, theme: Path | None = None, keep: Iterable[str] = ()) -> list[Path]:
    """The files of ``site`` (a Material site MkDocs wrote) no page loads: Material's source
    maps, and the search languages its worker does not load, but those at a site-relative
    path of ``keep`` (what the team's configuration loads, :func:`named_in_config`). Each is
    byte for byte the file of ``theme`` (Material's ``assets``, by default the installed
    one)."""
    theme = theme or theme_assets()
    kept = frozenset(keep)
    out: list[Path] = []
    for shipped in sorted(theme.rglob("*.map")):
        out.append(site / ASSETS / shipped.relative_to(theme))
    langs = search_languages(site)
    if langs is not None and _worker_known(site):
        loaded = worker_loads(langs)
        lunr = theme / "javascripts" / "lunr"
        for shipped in sorted(lunr.rglob("*")):
            rel = shipped.relative_to(lunr).as_posix()
            if shipped.is_file() and rel not in loaded:
                out.append(site / LUNR / rel)
    return [p for p in out if p.relative_to(site).as_posix() not in kept and p.is_file()
            and p.read_bytes() == (theme / p.relative_to(site / ASSETS)).read_bytes()]


def drop_unused(site: Path, keep: Iterable[str] = ()) -> int:
    """Delete :func:`unused` files from ``site`` (but those at a path of ``keep``) and the
    folders they leave empty.

    Returns:
        The number of bytes removed.
    """
    removed = 0
    for path in unused(site, keep=keep):
        removed += path.stat().st_size
        path.unlink()
    lunr = site / LUNR
    if lunr.is_dir():
        for folder in sorted((p for p in lunr.rglob("*") if p.is_dir()), reverse=True):
            if not any(folder.iterdir()):
                folder.rmdir()
        if not any(lunr.iterdir()):
            lunr.rmdir()
    return removed
