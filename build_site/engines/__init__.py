"""Site engines: what turns an assembled build directory into a finished site folder.

The pipeline assembles the pages (:func:`build_site.site_project.assemble`) and hands one
:class:`SiteJob` to an :class:`Engine`; everything the engines share (the configuration
overrides of :func:`build_site.site_project.config_overrides`, the fragment swap as a
Python-Markdown extension, :mod:`build_site.render.fragments`) lives outside them. Two
engines read the same ``mkdocs.yml``: MkDocs with Material (:mod:`.mkdocs_engine`, the
default) and Zensical (:mod:`.zensical_engine`), Material's successor, since Material reaches
end of life on 2027-05-05.
"""

from __future__ import annotations

from build_site.engines.job import ENGINES, FRAGMENTS_FILE, Engine, EngineName, SiteJob
from build_site.errors import UsageError

__all__ = ["ENGINES", "FRAGMENTS_FILE", "Engine", "EngineName", "SiteJob", "engine",
           "run_engine"]


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
