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
that is gone. The changed bundle gets a name of its own (Material names its bundle by its
content, ``bundle.<digest>.min.js``, so that a browser never reuses a copy it cached under
that name: a reader of a site built before, whose browser kept the bundle that fetches the
JSON, would otherwise find search broken), and every page points at it (:func:`point_pages`).
The change keeps the bundle's length, so Material's source map (named at the bundle's end)
still fits it, and that name gives the bundle its name back when it is restored.
``tests/browser/test_search_once.py`` finds an excerpt
by a quote from disk and over HTTP; :func:`read_index` reads whichever file a site has.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

SEARCH_JSON = Path("search") / "search_index.json"
SEARCH_SCRIPT = Path("search") / "search_index.js"
SCRIPT_PREFIX = "var __index = "
"""What Material's offline plugin writes before the JSON (``plugins/offline/plugin.py``)."""
_TEST = 'location.protocol==="file:"?'
_LOADS_SCRIPT = '_t(`${new URL("search/search_index.js",'
_PATCHED = "!0" + " " * (len(_TEST) - 3) + "?" + _LOADS_SCRIPT  # as long: the map still fits
# A page's script element that loads Material's bundle (``base.html``, block ``scripts``).
_SOURCE_MAP = re.compile(r"//# sourceMappingURL=(bundle\.[0-9a-f]+\.min\.js)\.map\s*$")
_BUNDLE_SRC = re.compile(rb'(<script src="[^"<>]*assets/javascripts/)bundle\.[0-9a-f]+\.min\.js"')


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


def _restore(site: Path, bundle: Path) -> None:
    """Undo the change :func:`keep_one_index` made to ``bundle``, if it made one: Material's
    code under Material's name (its source map's, ``bundle.<digest>.min.js.map``), which
    every page loads again."""
    code = bundle.read_text(encoding="utf-8")
    if code.count(_PATCHED) != 1:
        return
    code = code.replace(_PATCHED, _TEST + _LOADS_SCRIPT)
    named = _SOURCE_MAP.search(code)
    original = bundle.with_name(named.group(1)) if named else bundle
    original.write_text(code, encoding="utf-8")
    if original != bundle:
        bundle.unlink()
    point_pages(site, original.name)


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
    bundle = bundles[0]
    if _read_elsewhere(site, bundle):
        _restore(site, bundle)  # as a full build leaves it (serve copies the previous site)
        return 0
    code = bundle.read_text(encoding="utf-8")
    if code.count(_TEST + _LOADS_SCRIPT) == 1:
        code = code.replace(_TEST + _LOADS_SCRIPT, _PATCHED)
        digest = hashlib.sha256(code.encode("utf-8")).hexdigest()[:8]
        renamed = bundle.with_name(f"bundle.{digest}.min.js")
        renamed.write_text(code, encoding="utf-8")
        if renamed != bundle:
            bundle.unlink()
        bundle = renamed
    elif code.count(_PATCHED) != 1:  # else changed by an earlier build of this folder (serve)
        return 0
    point_pages(site, bundle.name)
    saved = index.stat().st_size
    index.unlink()
    return saved


def point_pages(site: Path, name: str) -> int:
    """Make every HTML page of ``site`` load Material's bundle by ``name`` (the pages MkDocs
    wrote name the bundle Material ships).

    Returns:
        The number of pages changed.
    """
    new = rb"\g<1>" + name.encode("ascii") + b'"'
    changed = 0
    for page in site.rglob("*.html"):
        data = page.read_bytes()
        if b"javascripts/bundle." not in data:
            continue
        text = _BUNDLE_SRC.sub(new, data)
        if text != data:
            page.write_bytes(text)
            changed += 1
    return changed


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
