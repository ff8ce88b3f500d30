"""The logo and the search icon drawn once a page, used twice (issue 25: output at 1,000 dyads).

Material writes two copies of each on every page, for two layouts of which a reader sees one:
the logo in the header (wide screens) and in the navigation drawer's title (narrow), the
search icon on the header's search button (narrow) and in the search field (wide). Each copy
is the icon's whole SVG file (the logo, ``material/library``: 244 bytes; ``material/magnify``:
289), at 1,000 dyads 0.7 MB of the site.

The build's theme folder holds copies of Material's ``partials/header.html``,
``partials/nav.html`` and ``partials/search.html`` (:func:`write_partials`) in which the
header draws each icon as Material does with an ``id`` on its one ``<path>``
(:data:`LOGO_ID`, :data:`SEARCH_ID`), and the drawer's logo and the search field's icon are
``<svg viewBox="..."><use href="#id"/></svg>``: the same shape, filled with the colour the
``<svg>`` inherits there, as the copy was (a ``<path>`` carries no size; Material's rules size
and colour the ``<svg>``). The header (the first of the three in ``base.html``) holds the
drawn paths whenever the other two are rendered (the search field is included by the header,
beside the search button, under the same conditions).

Written only when it is safe to: Material's partials hold each include exactly where expected
(else :func:`partials` gives nothing), the icon is one ``<svg viewBox>`` with one ``<path>``
(Material's own icons are), no ``logo`` image is configured, and the team's theme folder holds
none of these partials, no ``main.html`` and no other template outside ``partials/`` (whose
blocks could leave the header out: a page's ``template: landing.html`` that empties
``{% block header %}``) and no ``.icons``. The icons are read at build time from the
installed Material, the configured ``icon.logo`` and ``icon.search`` (Material's defaults
otherwise). Zensical's partials differ: its engine drops these from its copy of the folder
(:func:`is_ours`), so Zensical draws its icons as before.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from build_site.site_theme import material_templates

HEADER = "partials/header.html"
NAV = "partials/nav.html"
SEARCH = "partials/search.html"
PARTIALS = (HEADER, NAV, SEARCH)
LOGO_ID = "__logo_icon"
SEARCH_ID = "__search_icon"

_LOGO_INCLUDE = '{% include "partials/logo.html" %}'
_SEARCH_INCLUDE = re.compile(
    r'(\{% set icon = config\.theme\.icon\.search or "material/magnify" %\}\s*)'
    r'\{% include "\.icons/" ~ icon ~ "\.svg" %\}')
_ICON = re.compile(r'\A<svg xmlns="http://www\.w3\.org/2000/svg" viewBox="(?P<box>[0-9 .]+)">'
                   r'<path (?P<path>d="[^"<>]*")/></svg>(?P<end>\s*)\Z')
_TEAM_FILES = (*PARTIALS, "partials/logo.html", "main.html", ".icons")


def _icon(name: str) -> re.Match[str] | None:
    """Material's icon ``name`` (``material/library``) split by :data:`_ICON`, or None when
    the file is missing or not one ``<svg viewBox>`` holding one ``<path>``."""
    if ".." in name or name.startswith("/"):
        return None
    try:
        text = (material_templates() / ".icons" / f"{name}.svg").read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return _ICON.match(text)


def _drawn(icon: re.Match[str], ident: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{icon["box"]}">'
            f'<path id="{ident}" {icon["path"]}/></svg>{icon["end"]}')


def _used(icon: re.Match[str], ident: str) -> str:
    # no xmlns: an <svg> in HTML is in the SVG namespace without it
    return f'<svg viewBox="{icon["box"]}"><use href="#{ident}"/></svg>{icon["end"]}'


def partials(theme: dict[str, Any]) -> dict[str, str]:
    """The three partials (``{path: text}``) for the theme settings ``theme`` (the merged
    ``theme`` of the configuration), or ``{}`` when the icons or Material's partials are not as
    the module's docstring requires."""
    icon = theme.get("icon")
    icons: dict[str, Any] = icon if isinstance(icon, dict) else {}
    if theme.get("logo") or theme.get("name") not in (None, "material"):
        return {}
    logo = _icon(str(icons.get("logo") or "material/library"))
    search = _icon(str(icons.get("search") or "material/magnify"))
    if logo is None or search is None:
        return {}
    try:
        texts = {rel: (material_templates() / rel).read_text("utf-8") for rel in PARTIALS}
    except OSError:
        return {}
    header, nav, field = texts[HEADER], texts[NAV], texts[SEARCH]
    if (header.count(_LOGO_INCLUDE) != 1 or nav.count(_LOGO_INCLUDE) != 1
            or len(_SEARCH_INCLUDE.findall(header)) != 1
            or len(_SEARCH_INCLUDE.findall(field)) != 1):
        return {}
    # the icon's own text, not a template: "{" cannot occur in it (_ICON), so it is literal
    return {
        HEADER: _SEARCH_INCLUDE.sub(lambda m: m[1] + _drawn(search, SEARCH_ID), header.replace(
            _LOGO_INCLUDE, "{% if config.theme.logo %}" + _LOGO_INCLUDE + "{% else %}"
            + _drawn(logo, LOGO_ID) + "{% endif %}")),
        NAV: nav.replace(_LOGO_INCLUDE, "{% if config.theme.logo %}" + _LOGO_INCLUDE
                         + "{% else %}" + _used(logo, LOGO_ID) + "{% endif %}"),
        SEARCH: _SEARCH_INCLUDE.sub(lambda m: m[1] + _used(search, SEARCH_ID), field),
    }


def write_partials(folder: Path, theme: dict[str, Any], own: Path | None) -> bool:
    """Write :func:`partials` for ``theme`` into the build's theme folder ``folder``, unless
    the team's theme folder ``own`` holds any of the files the module's docstring names.

    Returns:
        Whether the partials were written.
    """
    if own is not None and (any((own / rel).exists() for rel in _TEAM_FILES)
                            or _page_templates(own)):
        return False
    texts = partials(theme)
    for rel, text in texts.items():
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return bool(texts)


def _page_templates(own: Path) -> list[Path]:
    """The templates of the team's theme folder ``own`` that may be a page's (``template:``,
    ``404.html``...): any outside ``partials/``, and one there that extends another. Each may
    extend ``main.html`` and empty its ``header`` block, leaving the drawer's and the search
    field's ``<use>`` pointing at nothing (adv5: the drawer's logo blank on such a page)."""
    return [path for path in own.rglob("*.html")
            if path.relative_to(own).parts[0] != "partials"
            or "extends" in path.read_text("utf-8", errors="replace")]


def is_ours(folder: Path, rel: str, theme: dict[str, Any]) -> bool:
    """Whether ``folder``'s partial ``rel`` is the one :func:`write_partials` writes for
    ``theme``."""
    target = folder / rel
    text = partials(theme).get(rel)
    return text is not None and target.is_file() and target.read_text("utf-8") == text
