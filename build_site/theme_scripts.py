"""Material's two inline scripts as files instead of a copy in every page (issue 25: output).

Every page Material writes carries two small inline scripts, each a static partial:

- ``partials/javascripts/base.html`` in the head (0.33 KB): ``__md_scope`` (the site's root,
  under which ``localStorage`` keys are kept) and the helpers ``__md_get``/``__md_set``;
- ``partials/javascripts/palette.html`` in the header (0.7 KB): applies the palette a reader
  chose (light or dark) before the page is painted.

The build's theme folder (``site_project._theme_overrides``) holds copies of both partials
whose ``<script>`` loads the same code from a file (:data:`BASE_SCRIPT`,
:data:`PALETTE_SCRIPT`) at the same place. A script without ``async`` or ``defer`` still
stops the parser until it has run, so each runs where and when the inline copy ran (the
palette before the rest of the page is parsed), from disk (``file:``) as over HTTP. The code
is the installed Material's, taken at build time (:func:`theme_script`); the root in the base
script is computed from the script's own address (``new URL("..",
document.currentScript.src)``: the file sits in ``assets/``) instead of the page's relative
``base_url``, which names the same folder. When a partial is not exactly one inline script
(another Material), or the team's theme folder has its own copy, nothing changes for it; a
team's ``extra.scope`` keeps the inline base script. Zensical's palette partial is Material's
file and Zensical reads the same theme folder; its base partial differs from Material's, so
the Zensical engine drops this base override from its copy of the folder (:func:`is_ours`).
"""

from __future__ import annotations

import re
from pathlib import Path

from build_site.site_theme import material_templates

PALETTE_SCRIPT = "assets/build-site-palette.js"
BASE_SCRIPT = "assets/build-site-base.js"
PALETTE = "partials/javascripts/palette.html"
BASE = "partials/javascripts/base.html"
_SCRIPT = re.compile(
    r"\A(?:\{#-.*?-#\}\s*)?<script>(?P<code>(?:(?!</script>|<script).)*)</script>\s*\Z", re.S)
_PAGE_SCOPE = 'new URL("{{ config.extra.scope | d(base_url) }}",location)'
_FILE_SCOPE = 'new URL("..",document.currentScript.src)'


def _loader(path: str) -> str:
    return "<script src=\"{{ '" + path + "' | url }}\"></script>"


def theme_script(partial: str, templates: Path | None = None) -> str | None:
    """The code of ``partial`` in ``templates`` (Material's templates folder by default), or
    None when the partial is not exactly one inline ``<script>``."""
    try:
        text = ((templates or material_templates()) / partial).read_text(encoding="utf-8")
    except OSError:
        return None
    found = _SCRIPT.match(text)
    return found.group("code") if found else None


def theme_palette_script(templates: Path | None = None) -> str | None:
    """The code of the palette partial (see :func:`theme_script`)."""
    return theme_script(PALETTE, templates)


def base_file_code(templates: Path | None = None) -> str | None:
    """The base partial's code as :data:`BASE_SCRIPT` holds it: its root from the file's own
    address; None when the partial is not one script naming the page's root once."""
    code = theme_script(BASE, templates)
    if code is None or code.count(_PAGE_SCOPE) != 1:
        return None
    return code.replace(_PAGE_SCOPE, _FILE_SCOPE)


def _base_partial(code: str) -> str:
    # "is defined", not truth: Material's d(base_url) replaces only a missing key, so a
    # scope of "" (the page's own address) or null is Material's inline script as well
    return ("{% if config.extra.scope is defined %}<script>" + code + "</script>{% else %}"
            + _loader(BASE_SCRIPT) + "{% endif %}\n")


def write_partials(folder: Path) -> bool:
    """Write the partials that load :data:`PALETTE_SCRIPT` and :data:`BASE_SCRIPT` into the
    theme folder ``folder``, each unless it holds its own or Material's is not as expected.

    Returns:
        Whether any partial was written.
    """
    written = False
    wanted = {}
    if theme_palette_script() is not None:
        wanted[PALETTE] = _loader(PALETTE_SCRIPT) + "\n"
    base = theme_script(BASE)
    if base is not None and base_file_code() is not None:
        wanted[BASE] = _base_partial(base)
    for rel, text in wanted.items():
        target = folder / rel
        if target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written = True
    return written


def is_ours(folder: Path) -> bool:
    """Whether ``folder``'s base partial is the one :func:`write_partials` writes."""
    target = folder / BASE
    base = theme_script(BASE)
    return (base is not None and target.is_file()
            and target.read_text(encoding="utf-8") == _base_partial(base))


def script_assets() -> dict[str, bytes]:
    """The script files for the build's ``docs/``: ``{path: code}`` of the palette and base
    scripts (each left out when Material's partial is not as expected)."""
    out: dict[str, bytes] = {}
    palette = theme_palette_script()
    if palette is not None:
        out[PALETTE_SCRIPT] = palette.encode("utf-8")
    base = base_file_code()
    if base is not None:
        out[BASE_SCRIPT] = base.encode("utf-8")
    return out
