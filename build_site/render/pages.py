"""Render: every page of the site, declared by the page modules and rendered from Jinja2
templates into Markdown, with the model diagrams and raw HTML blocks swapped in later.

:func:`declare_site` is the site's plan: the page modules in navigation order, then the team's
own pages under "About", then the review pages. Adding a page is one declaration in the module
of its section (``model_pages``, ``case_pages``, ``analysis_pages``, ``methods_pages``,
``data_pages``, ``review_pages``) and one template; see ``guide/pipeline.md``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from build_site.errors import Problem, StudyError
from build_site.render import (
    analysis_pages,
    case_pages,
    data_pages,
    methods_pages,
    model_pages,
    perspective_pages,
    results_pages,
    review_pages,
)
from build_site.render.context import Asset, Page, RenderContext
from build_site.render.registry import NavItem, SitePages

ABOUT = "About"
Declare = Callable[[SitePages, RenderContext], None]
SECTIONS: tuple[Declare, ...] = (model_pages.declare, results_pages.declare, case_pages.declare,
                                 perspective_pages.declare, analysis_pages.declare,
                                 methods_pages.declare, data_pages.declare)


def declare_site(ctx: RenderContext, handwritten: Iterable[tuple[str, str, str]] = (),
                 build_files: Iterable[str] = (), sections: Mapping[str, str] | None = None
                 ) -> SitePages:
    """Declare every page of the site.

    Args:
        ctx: the render context (study, analysis, audience).
        handwritten: the team's own files as (docs-relative path, title, source file); the
            Markdown ones are listed under "About" in the navigation.
        build_files: docs-relative paths of files the site engine adds (stylesheet, script).
        sections: docs-relative path -> the top-level section a hand-written page names
            (:func:`build_site.render.handwritten.page_sections`); the others go under About.

    Returns:
        The declared pages, in navigation order.

    Raises:
        StudyError: two pages share a path, a hand-written file sits at a generated path
            or in a folder of generated pages, or a page's section names a top-level page
            ("Home") (exit 2).
    """
    site = SitePages()
    for declare in SECTIONS:
        declare(site, ctx)
    pages = {r.nav[0] for r in site.records if r.nav is not None and len(r.nav) == 1}
    for path, title, source in handwritten:
        section = (sections or {}).get(path, ABOUT)
        if section in pages:
            raise StudyError([Problem(source, 0, f"front matter: 'section: {section}' names a "
                                      "page, not a section of the navigation",
                                      "name a section such as Methods, or a new one")])
        site.handwritten(path, title, (section, title) if path.endswith(".md") else None,
                         source)
    review_pages.declare(site, ctx)
    site.refuse_handwritten_collisions(build_files)
    return site


__all__ = ["Asset", "NavItem", "Page", "RenderContext", "SitePages", "declare_site"]
