"""Study text that MkDocs hands to the theme is text, never markup.

MkDocs renders Material's templates with Jinja autoescaping off, so the theme prints the site
name, navigation titles and page titles as raw HTML (header, ``<title>``, navigation, the
logo's ``aria-label``, the footer, the search index); it escapes them only in a few attributes
(``title="{{ config.site_name | e }}"``). A study title or a component label holding
``<img src=x onerror=...>`` or a double quote would run or break out on every page.

The values are therefore escaped once, before MkDocs sees them, and handed over as
``markupsafe.Markup`` (text already escaped for HTML): printed raw they show as typed, and
Jinja's ``| e`` leaves them alone, so nothing is escaped twice. Material's own page titles
(front matter ``title:``) are HTML to the theme, so the build writes them escaped
(:func:`front_matter_title`) and the plugin marks every one as Markup. The one filter that
turns HTML back into text, ``striptags`` (Material's ``<title>`` and table-of-contents
labels), would undo the escaping (``&lt;/title&gt;`` becomes ``</title>``): the plugin makes
it return escaped text.

Material's ``content.tooltips`` feature turns every ``title`` attribute back into HTML in the
browser; the build turns it off (:func:`without_html_tooltips`), whatever ``mkdocs.yml`` says.

Escaping at the source rather than overriding Material's partials also covers what partials do
not print: Material's search shows index titles as HTML, and the index is built from the same
values. The team's own ``mkdocs.yml`` (its ``site_name``) and hand-written pages are trusted
input and may hold HTML on purpose (guide/preparing-your-study.md); titles the build derives
from them for the navigation are text like every other navigation title.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment
from jinja2.filters import do_striptags
from markupsafe import Markup, escape
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.pages import Page

PLUGIN_NAME = "build-site-theme-text"
# Material's "improved tooltips" put every ``title`` attribute into the page as HTML
# (``innerHTML``), in the header (the site name) and in the content (code definitions on the
# chips): text a reader should only see would run. The browser's own tooltips show it as text.
HTML_TOOLTIPS = "content.tooltips"


def without_html_tooltips(theme: Any) -> dict[str, Any] | None:
    """The theme mapping of ``mkdocs.yml`` without Material's ``content.tooltips`` feature
    (see :data:`HTML_TOOLTIPS`), or None when it does not name the feature."""
    if not isinstance(theme, dict) or HTML_TOOLTIPS not in (theme.get("features") or []):
        return None
    return {**theme, "features": [f for f in theme["features"] if f != HTML_TOOLTIPS]}


def front_matter_title(title: str) -> str:
    """``title`` as the theme takes a page title from front matter: HTML, so escaped."""
    return str(escape(title))


def escaped_nav(nav: list[Any]) -> list[Any]:
    """MkDocs' ``nav`` (``[{title: "page.md" or [...]}, "page.md", ...]``) with every title
    escaped as :class:`Markup`; paths unchanged."""
    out: list[Any] = []
    for item in nav:
        if isinstance(item, dict):
            out.append({escape(str(title)): escaped_nav(value) if isinstance(value, list)
                        else value for title, value in item.items()})
        else:
            out.append(item)
    return out


def for_theme(overrides: dict[str, Any]) -> dict[str, Any]:
    """Build settings (:func:`build_site.site_project.config_overrides`) as MkDocs' theme must get
    them: the navigation titles, and the site name when it is the study's title (a
    ``site_name`` of the team's ``mkdocs.yml`` is not among the overrides and stays as
    written), escaped as :class:`Markup`."""
    out = dict(overrides)
    if "site_name" in out:
        out["site_name"] = escape(str(out["site_name"]))
    if "nav" in out:
        out["nav"] = escaped_nav(out["nav"])
    return out


def striptags_as_text(value: Any) -> Markup:
    """Jinja's ``striptags`` (tags removed, character references decoded), escaped again so
    the text it returns is printed as text."""
    return escape(do_striptags(value))


class ThemeText(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
    """The MkDocs plugin, added to every build by :func:`build_site.site_project.mkdocs_build`: page
    titles from front matter marked as HTML, and a ``striptags`` that returns text."""

    def on_env(self, env: Environment, /, **kwargs: Any) -> Environment:
        """MkDocs event: the theme's Jinja environment, with the safe ``striptags``."""
        env.filters["striptags"] = striptags_as_text
        return env

    @event_priority(100)
    def on_page_markdown(self, markdown: str, /, *, page: Page, **kwargs: Any) -> str:
        """MkDocs event: after front matter is read; marks its ``title`` (HTML to the theme)
        as :class:`Markup`, so the theme's ``| e`` does not escape it a second time."""
        title = page.meta.get("title")
        if isinstance(title, str) and not isinstance(title, Markup):
            page.meta["title"] = Markup(title)
        return markdown
