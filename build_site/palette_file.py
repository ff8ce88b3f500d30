"""Material's palette script as one file instead of a copy in every page (issue 25: output).

Material's header carries, on every page, the 0.7 KB script that applies the palette a reader
chose (light or dark, kept in ``localStorage``) before the page is painted: its partial
``partials/javascripts/palette.html`` is a static ``<script>``. The build's theme folder
(``site_project._theme_overrides``) holds a copy of that partial whose ``<script>`` loads the
same code from :data:`PALETTE_SCRIPT` instead, at the same place: a script without ``async``
or ``defer`` still stops the parser until it has run, so the palette is applied before the
rest of the page is parsed, as before, and it loads from disk (``file:``) as over HTTP. The
code is taken at build time from the installed theme's partial
(:func:`theme_palette_script`), so a reader gets exactly the theme's code; when the partial is
not a single script, or the team's theme folder has its own copy of the partial, nothing
changes. Zensical's partial is the same file, and Zensical reads the same theme folder.
"""

from __future__ import annotations

import re
from pathlib import Path

PALETTE_SCRIPT = "assets/build-site-palette.js"
PARTIAL = "partials/javascripts/palette.html"
_SCRIPT = re.compile(r"\A(?:\{#-.*?-#\}\s*)?<script>(?P<code>[^<]*)</script>\s*\Z", re.S)
_LOADER = "<script src=\"{{ '" + PALETTE_SCRIPT + "' | url }}\"></script>\n"


def theme_palette_script(templates: Path | None = None) -> str | None:
    """The code of the palette partial of ``templates`` (Material's templates folder by
    default), or None when the partial is not exactly one inline ``<script>``."""
    if templates is None:
        from importlib import resources

        templates = Path(str(resources.files("material"))) / "templates"
    try:
        text = (templates / PARTIAL).read_text(encoding="utf-8")
    except OSError:
        return None
    found = _SCRIPT.match(text)
    return found.group("code") if found else None


def write_partial(folder: Path) -> bool:
    """Write the palette partial that loads :data:`PALETTE_SCRIPT` into the theme folder
    ``folder``, unless it holds its own or the theme's partial is not one script.

    Returns:
        Whether the partial was written.
    """
    target = folder / PARTIAL
    if target.exists() or theme_palette_script() is None:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(_LOADER, encoding="utf-8")
    return True


def palette_asset() -> dict[str, bytes]:
    """``{PALETTE_SCRIPT: code}`` for the build's ``docs/`` (empty when the theme's partial
    is not one script)."""
    code = theme_palette_script()
    return {} if code is None else {PALETTE_SCRIPT: code.encode("utf-8")}
