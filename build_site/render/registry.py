"""Pages declare themselves: one record per page, the navigation and the reserved paths derived.

A page module declares each page where it is made (:meth:`SitePages.page`): its path, title,
place in the navigation, template, and a function giving the template's context. The
navigation (:class:`Nav`, after mkdocs-gen-files' ``Nav``), the titles other pages cite, the
paths a hand-written page may not take, and the check that no two pages share a path all come
from these records, so adding a page is one declaration and one template. Pages are declared
first and rendered afterwards (Lektor's declare-then-build), so a page can name another's
title before either is rendered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from build_site.errors import Problem, StudyError
from build_site.render.context import Asset, Page, RenderContext
from build_site.render.render_pool import render_site

NavItem = dict[str, Any]
Context = Callable[[], Mapping[str, Any]]


@dataclass(frozen=True)
class PageRecord:
    """One declared page.

    ``path`` is docs-relative (``dyads/D1-P1.md``); ``nav`` its place in the navigation as
    section titles ending with the entry's own title (``("Analysis", "Meta-matrix")``), or
    ``None`` for a page reached only by links; ``template`` and ``context`` render it; ``hide``
    names Material sidebars left out. ``source`` says who declared it, for error messages.
    """

    path: str
    title: str
    nav: tuple[str, ...] | None
    template: str
    context: Context
    hide: tuple[str, ...] = ()
    source: str = "build-site"

    @property
    def generated(self) -> bool:
        """Whether build-site renders the page (else it is the team's own, written as is)."""
        return bool(self.template)


class Nav:
    """MkDocs' nested ``nav`` list, built from entries as pages are declared.

    ``nav["Model", "Relations"] = "model/relations.md"`` adds an entry under the section
    "Model". Sections keep the order in which they first appear, entries the order in which
    they are added; two entries with one title are both kept (a section is only ever reused
    when the title names a section).
    """

    def __init__(self) -> None:
        self._root: list[NavItem] = []

    def __setitem__(self, trail: tuple[str, ...], path: str) -> None:
        *sections, title = trail
        items = self._root
        for section in sections:
            items = self._section(items, section)
        items.append({title: path})

    @staticmethod
    def _section(items: list[NavItem], title: str) -> list[NavItem]:
        for item in reversed(items):
            if title in item and isinstance(item[title], list):
                return item[title]  # type: ignore[no-any-return]
        children: list[NavItem] = []
        items.append({title: children})
        return children

    def build(self) -> list[NavItem]:
        """The navigation as MkDocs takes it (``[{title: path or [...]}, ...]``)."""
        return self._root


class SitePages:
    """Every page and generated file of one site, declared before any is rendered."""

    def __init__(self) -> None:
        self.records: list[PageRecord] = []
        self._by_path: dict[str, PageRecord] = {}
        self._files: list[tuple[tuple[str, ...], Callable[[], list[Asset]]]] = []

    def page(self, path: str, title: str, nav: tuple[str, ...] | None, template: str,
             context: Context, hide: tuple[str, ...] = (), source: str = "build-site"
             ) -> None:
        """Declare a page (see :class:`PageRecord`).

        Raises:
            StudyError: another page was already declared at ``path`` (exit 2), naming both.
        """
        record = PageRecord(path, title, nav, template, context, hide, source)
        other = self._by_path.get(path)
        if other is not None:
            own = other if not other.generated else record
            raise StudyError([Problem(
                own.source if not own.generated else "model.yml", 0,
                f"two pages at '{path}': '{other.title}' ({_who(other)}) and '{title}' "
                f"({_who(record)})",
                "rename or move the hand-written page" if not (other.generated and
                                                                record.generated)
                else "choose other ids so that each page has its own path")])
        self.records.append(record)
        self._by_path[path] = record

    def handwritten(self, path: str, title: str, nav: tuple[str, ...] | None, source: str
                    ) -> None:
        """Declare one of the team's own pages (``source``: its file), which is written as it
        is: it takes its place in the navigation, and no generated page may take its path.

        Raises:
            StudyError: a page was already declared at ``path`` (exit 2).
        """
        self.page(path, title, nav, "", dict, source=source)

    def files(self, make: Callable[[], list[Asset]], paths: tuple[str, ...] = ()) -> None:
        """Declare generated files (downloads, citation), made when the site is rendered;
        ``paths`` names those known before (for the collision check)."""
        self._files.append((paths, make))

    def title(self, path: str) -> str:
        """The title of the declared page at ``path`` (``path`` itself when none is)."""
        record = self._by_path.get(path)
        return record.title if record else path

    def nav(self) -> list[NavItem]:
        """The navigation, from the declared pages in declaration order."""
        nav = Nav()
        for record in self.records:
            if record.nav is not None:
                nav[record.nav] = record.path
        return nav.build()

    def refuse_handwritten_collisions(self, build_files: Iterable[str] = ()) -> None:
        """Refuse hand-written files at the path of a generated file (``build_files``, the
        declared ones) or inside a folder of generated pages, where a page declared later
        (a new component, a new case) would silently take their place.

        Raises:
            StudyError: one problem per such file, naming it and the folder or file (exit 2).
        """
        generated = [r.path for r in self.records if r.generated]
        taken = {*build_files, *(p for paths, _ in self._files for p in paths)}
        folders = sorted({p.split("/", 1)[0] + "/" for p in generated if "/" in p})
        problems = []
        for record in self.records:
            if record.generated:
                continue
            if record.path in taken:
                problems.append(Problem(record.source, 0, f"'{record.path}' is a file "
                                        "build-site generates", "rename the hand-written file"))
            elif record.path.startswith(tuple(folders)):
                folder = record.path.split("/", 1)[0]
                problems.append(Problem(record.source, 0, f"'{record.path}' is in the folder "
                                        f"'{folder}/', which holds pages build-site generates",
                                        "move the hand-written page to another folder"))
        if problems:
            raise StudyError(problems)

    def render(self, ctx: RenderContext) -> tuple[list[Page], list[Asset]]:
        """Render every generated page and make every declared file (on both cores when
        there are many: :mod:`build_site.render.render_pool`)."""
        return render_site(ctx, [r for r in self.records if r.generated],
                           [make for _, make in self._files],
                           lambda r: ctx.render(r.template, r.path, r.title, r.hide,
                                                **r.context()))


def _who(record: PageRecord) -> str:
    return "generated" if record.generated else record.source
