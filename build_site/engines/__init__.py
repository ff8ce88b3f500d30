"""Site engines: what turns an assembled build directory into a finished site folder.

The pipeline assembles the pages (:func:`build_site.site.assemble`) and hands one
:class:`SiteJob` to an :class:`Engine`; everything the engines share (the configuration
overrides of :func:`build_site.site.config_overrides`, the fragment swap as a Python-Markdown
extension, :mod:`build_site.render.fragments`) lives outside them. Two engines read the same
``mkdocs.yml``: MkDocs with Material (:mod:`.mkdocs_engine`, the default) and Zensical
(:mod:`.zensical_engine`), Material's successor, since Material reaches end of life on
2027-05-05.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from build_site.errors import UsageError
from build_site.render.fragments import extension_entry, write_fragments

EngineName = Literal["mkdocs", "zensical"]
ENGINES: tuple[EngineName, ...] = ("mkdocs", "zensical")
FRAGMENTS_FILE = "fragments.json"  # in the build directory, beside docs/


@dataclass(frozen=True)
class SiteJob:
    """One site build: the ``mkdocs.yml`` in force (``config``), the assembled ``docs_dir``
    (its parent is the build directory, where engines keep their own files), the folder to
    write (``site_dir``), the navigation, the study's title as site name, the banner
    (:class:`build_site.site.Notice` or None), the date of the sitemap (``epoch``) and the
    fragments swapped in after Markdown (HTML by marker key)."""

    config: Path
    docs_dir: Path
    site_dir: Path
    nav: list[Any]
    site_name: str
    notice: Any = None
    epoch: int | None = None
    fragments: Mapping[str, str] = field(default_factory=dict)

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


def engine(name: str) -> Engine:
    """The engine called ``name`` (one of :data:`ENGINES`).

    Raises:
        UsageError: an unknown name.
    """
    if name == "mkdocs":
        from build_site.engines.mkdocs_engine import MkDocsEngine

        return MkDocsEngine()
    if name == "zensical":
        from build_site.engines.zensical_engine import ZensicalEngine

        return ZensicalEngine()
    raise UsageError(f"unknown site engine '{name}': use one of {', '.join(ENGINES)}")


def run_engine(name: str, job: SiteJob) -> None:
    """Build ``job`` with the engine called ``name`` (see :meth:`Engine.build`)."""
    engine(name).build(job)
