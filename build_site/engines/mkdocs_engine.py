"""The MkDocs engine: MkDocs 1.6 with Material, run in this process.

What only MkDocs needs stays here: the plugins the build adds itself (never named in
``mkdocs.yml``): :class:`build_site.render.fragments.DiagramFragments` (search stand-ins that
keep Material's indexer from parsing every SVG, and the theme's bytecode cache) and
:class:`build_site.render.theme_text.ThemeText` (theme text escaped as
``markupsafe.Markup``); Material's search index kept once
(:mod:`build_site.search_once`); Material's files no page loads left out
(:mod:`build_site.theme_assets`); the banner Material prints about MkDocs 2; MkDocs' log turned into
errors (strict mode).
"""

from __future__ import annotations

import logging
import os
from typing import Any

import build_site.engines.mkdocs_dirty as mkdocs_dirty
import build_site.engines.mkdocs_split as mkdocs_split
from build_site import search_once, theme_assets
from build_site.engines.job import SiteJob
from build_site.engines.mkdocs_dirty import (
    Fallback,
    OnlyThesePages,
    merge_search_index,
    read_search_index,
)
from build_site.errors import Problem, StudyError
from build_site.render.fragments import PLUGIN_NAME, DiagramFragments
from build_site.render.theme_text import PLUGIN_NAME as THEME_TEXT
from build_site.render.theme_text import ThemeText, for_theme
from build_site.site_project import config_overrides, resolved_config
from build_site.site_theme import config_value_line


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


class MkDocsEngine:
    """Runs MkDocs (strict) on the build directory."""

    name = "mkdocs"

    def build(self, job: SiteJob) -> None:
        """Run MkDocs (strict) on ``job.docs_dir`` with ``job.config``, writing into
        ``job.site_dir``.

        The configuration is the one in ``job.config`` with :func:`config_overrides` set on
        top, the fragment extension among the Markdown extensions and the theme's text
        escaped (:func:`for_theme`). A large site is built on two cores
        (:mod:`build_site.engines.mkdocs_split`), to the same bytes.

        Raises:
            StudyError: MkDocs reported a warning (strict mode) or failed; its messages are
                listed.
        """
        from mkdocs.exceptions import MkDocsException

        os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
        previous_epoch = os.environ.get("SOURCE_DATE_EPOCH")
        if job.epoch is not None:
            os.environ["SOURCE_DATE_EPOCH"] = str(job.epoch)  # MkDocs dates the sitemap with it
        handler = _Collect()
        logger = logging.getLogger("mkdocs")
        logger.addHandler(handler)
        previous = logger.level
        logger.setLevel(logging.WARNING)
        logger.propagate = False
        try:
            _build(job, handler.messages)
            search_once.keep_one_index(job.site_dir)
            theme_assets.drop_unused(job.site_dir, theme_assets.named_in_config(
                resolved_config(job.config)))
        except (MkDocsException, SystemExit) as exc:
            messages = handler.messages or [str(exc)]
            raise StudyError([Problem(str(job.config), config_value_line(job.config, m),
                                      f"MkDocs: {m}") for m in messages]) from None
        finally:
            logger.removeHandler(handler)
            logger.setLevel(previous)
            logger.propagate = True
            if previous_epoch is None:
                os.environ.pop("SOURCE_DATE_EPOCH", None)
            else:
                os.environ["SOURCE_DATE_EPOCH"] = previous_epoch


def _configure(job: SiteJob) -> Any:
    """A freshly loaded MkDocs configuration for ``job``, with the plugins the build adds.

    Raises:
        MkDocsException: MkDocs refused the configuration.
    """
    from mkdocs.config import load_config

    overrides = for_theme(config_overrides(job.config, job.docs_dir, job.site_dir, job.nav,
                                           job.site_name, job.notice))
    overrides["markdown_extensions"] = [*overrides["markdown_extensions"],
                                        job.fragments_extension()]
    cfg = load_config(config_file=str(job.config), **overrides)
    cfg.plugins[PLUGIN_NAME] = DiagramFragments(job.fragments, job.work / "cache" / "theme")
    cfg.plugins[THEME_TEXT] = ThemeText()
    return cfg


def _build(job: SiteJob, messages: list[str]) -> None:
    """Build ``job``: only its ``only`` pages over the previous site (serve), else in two
    processes where :func:`mkdocs_split.can_split` allows, else in one. ``messages``
    collects MkDocs' warnings.

    Raises:
        MkDocsException, SystemExit: MkDocs refused the build.
    """
    cfg = _configure(job)
    if job.only is not None:
        only = OnlyThesePages(set(job.only))
        previous_index = read_search_index(job.site_dir)
        mkdocs_dirty.run(cfg, only)
        merge_search_index(previous_index, job.site_dir, only.urls)
        return
    if mkdocs_split.can_split(cfg, job.docs_dir, job.nav):
        try:
            mkdocs_split.build_in_two(cfg, messages)
            return
        except Fallback:
            del messages[:]
            cfg = _configure(job)  # a fresh configuration for every build
    mkdocs_dirty.run(cfg)
