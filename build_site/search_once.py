"""Material's search index stored once instead of twice (issue 25: output size).

Material 9.8 with its offline plugin writes the index twice: ``search/search_index.json``
(the search plugin) and ``search/search_index.js`` (the offline plugin: the same JSON after
``var __index = ``). Its bundle reads the script when the site is opened from disk
(``file:``, where a page may not fetch a file) and fetches the JSON everywhere else
(``function ks(){return location.protocol==="file:"?_t(search_index.js)...:ze(search_index.json)}``
in ``bundle.*.min.js``). A script loads over HTTP as well as from disk, so the bundle is made
to take the script's path always, and the JSON goes: at 1,000 dyads 9.4 MB of the site.

Only when the bundle holds that test exactly once: with another Material (another bundle)
nothing changes and both files stay. Both stay too when a script of the site other than the
bundle (a team's ``extra_javascript``), or a script in the home or 404 page (a theme
override's, which every page carries), names ``search_index.json``: it would fetch a file
that is gone. ``tests/browser/test_search_once.py`` finds an excerpt
by a quote from disk and over HTTP; :func:`read_index` reads whichever file a site has.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SEARCH_JSON = Path("search") / "search_index.json"
SEARCH_SCRIPT = Path("search") / "search_index.js"
SCRIPT_PREFIX = "var __index = "
"""What Material's offline plugin writes before the JSON (``plugins/offline/plugin.py``)."""
_TEST = 'location.protocol==="file:"?'
_LOADS_SCRIPT = '_t(`${new URL("search/search_index.js",'
_PATCHED = "!0?" + _LOADS_SCRIPT


def _bundles(site: Path) -> list[Path]:
    return sorted((site / "assets" / "javascripts").glob("bundle.*.min.js"))


def _read_elsewhere(site: Path, bundle: Path) -> bool:
    """Whether a script of ``site`` other than Material's ``bundle`` (and the search folder's),
    or the home or 404 page, names the JSON index (see the module's docstring)."""
    name = SEARCH_JSON.name.encode()
    scripts = [p for pattern in ("*.js", "*.mjs") for p in site.rglob(pattern)
               if p != bundle and p.parent != site / SEARCH_JSON.parent]
    pages = [site / "index.html", site / "404.html"]
    return any(path.is_file() and name in path.read_bytes() for path in [*scripts, *pages])


def _restore(bundle: Path) -> None:
    """Undo the change :func:`keep_one_index` made to ``bundle``, if it made one."""
    code = bundle.read_text(encoding="utf-8")
    if code.count(_PATCHED) == 1:
        bundle.write_text(code.replace(_PATCHED, _TEST + _LOADS_SCRIPT), encoding="utf-8")


def keep_one_index(site: Path) -> int:
    """Drop ``search_index.json`` from a Material site whose search reads the script.

    Args:
        site: the folder MkDocs wrote (Material's theme, offline plugin on).

    Returns:
        The bytes saved; 0 when the site lacks either file, its bundle is not the one
        this knows, or another script reads the JSON (then nothing is changed).
    """
    index, script = site / SEARCH_JSON, site / SEARCH_SCRIPT
    bundles = _bundles(site)
    if not (index.is_file() and script.is_file()) or len(bundles) != 1:
        return 0
    if _read_elsewhere(site, bundles[0]):
        _restore(bundles[0])  # as a full build leaves it (serve copies the previous site)
        return 0
    code = bundles[0].read_text(encoding="utf-8")
    if code.count(_TEST + _LOADS_SCRIPT) == 1:
        bundles[0].write_text(code.replace(_TEST + _LOADS_SCRIPT, _PATCHED), encoding="utf-8")
    elif code.count(_PATCHED) != 1:  # already changed by an earlier build of this folder
        return 0
    saved = index.stat().st_size
    index.unlink()
    return saved


def read_index(site: Path) -> Any:
    """The parsed search index of a built MkDocs site: its ``search_index.json``, or when
    :func:`keep_one_index` dropped that, the JSON inside ``search_index.js``.

    Raises:
        OSError: neither file can be read.
        ValueError: the file is not the index (bad JSON, or a script not shaped as
            Material's offline plugin writes it).
    """
    if (site / SEARCH_JSON).is_file():
        return json.loads((site / SEARCH_JSON).read_text(encoding="utf-8"))
    text = (site / SEARCH_SCRIPT).read_text(encoding="utf-8")
    if not text.startswith(SCRIPT_PREFIX):
        raise ValueError(f"{SEARCH_SCRIPT} does not start with {SCRIPT_PREFIX!r}")
    return json.loads(text[len(SCRIPT_PREFIX):])
