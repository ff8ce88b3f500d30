"""What every site engine takes: one :class:`SiteJob`, and the :class:`Engine` protocol.

A leaf module: the engines import it, and the package (:mod:`build_site.engines`) picks one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from build_site.render.fragments import extension_entry, write_fragments

EngineName = Literal["mkdocs", "zensical"]
ENGINES: tuple[EngineName, ...] = ("mkdocs", "zensical")
FRAGMENTS_FILE = "fragments.json"  # in the build directory, beside docs/


@dataclass(frozen=True)
class SiteJob:
    """One site build: the ``mkdocs.yml`` in force (``config``), the assembled ``docs_dir``
    (its parent is the build directory, where engines keep their own files), the folder to
    write (``site_dir``), the navigation, the study's title as site name, the banner
    (:class:`build_site.site_project.Notice` or None), the date of the sitemap (``epoch``) and the
    fragments swapped in after Markdown (HTML by marker key). ``only``: for an incremental
    preview (:mod:`build_site.preview`), ``site_dir`` already holds the previous site and only
    these docs-relative Markdown pages are rebuilt (engines that cannot raise
    ``preview.Fallback``)."""

    config: Path
    docs_dir: Path
    site_dir: Path
    nav: list[Any]
    site_name: str
    notice: Any = None
    epoch: int | None = None
    fragments: Mapping[str, str] = field(default_factory=dict)
    only: frozenset[str] | None = None  # a preview: rebuild only these pages in site_dir

    @property
    def work(self) -> Path:
        """The build directory (never the study folder nor the user's working folder)."""
        return self.docs_dir.parent

    def fragments_extension(self) -> dict[str, dict[str, str]]:
        """Write the fragments to the build directory; returns the ``markdown_extensions``
        entry that swaps them in."""
        return extension_entry(write_fragments(self.work / FRAGMENTS_FILE, self.fragments))


class Engine(Protocol):
    """Builds an assembled site into a folder."""

    name: str

    def build(self, job: SiteJob) -> None:
        """Write the site of ``job`` into ``job.site_dir``.

        Raises:
            StudyError: the engine refused the configuration or the pages (its messages).
            UsageError: the engine is not installed.
        """
