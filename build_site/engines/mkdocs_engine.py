"""The MkDocs engine: MkDocs 1.6 with Material, run in this process.

What only MkDocs needs stays here: the plugins the build adds itself (never named in
``mkdocs.yml``): :class:`build_site.render.fragments.DiagramFragments` (search stand-ins that
keep Material's indexer from parsing every SVG, and the theme's bytecode cache) and
:class:`build_site.render.theme_text.ThemeText` (theme text escaped as
``markupsafe.Markup``); Material's search index kept once (:mod:`build_site.search_once`);
the banner Material prints about MkDocs 2; MkDocs' log turned into
errors (strict mode).
"""

from __future__ import annotations

import logging
import os

from build_site import preview, search_once
from build_site.engines.job import SiteJob
from build_site.errors import Problem, StudyError
from build_site.render.fragments import PLUGIN_NAME, DiagramFragments
from build_site.render.theme_text import PLUGIN_NAME as THEME_TEXT
from build_site.render.theme_text import ThemeText, for_theme
from build_site.site_project import config_overrides
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
        escaped (:func:`for_theme`).

        Raises:
            StudyError: MkDocs reported a warning (strict mode) or failed; its messages are
                listed.
        """
        from mkdocs.commands.build import build
        from mkdocs.config import load_config
        from mkdocs.exceptions import MkDocsException

        os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
        overrides = for_theme(config_overrides(job.config, job.docs_dir, job.site_dir, job.nav,
                                               job.site_name, job.notice))
        overrides["markdown_extensions"] = [*overrides["markdown_extensions"],
                                            job.fragments_extension()]
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
            cfg = load_config(config_file=str(job.config), **overrides)
            cfg.plugins[PLUGIN_NAME] = DiagramFragments(job.fragments,
                                                        job.work / "cache" / "theme")
            cfg.plugins[THEME_TEXT] = ThemeText()
            only = preview.OnlyThesePages(set(job.only)) if job.only is not None else None
            previous_index = preview.read_search_index(job.site_dir) if only else None
            if only:
                cfg.plugins[preview.PLUGIN_NAME] = only
            cfg.plugins.on_startup(command="build", dirty=False)
            try:
                with preview.quiet_dirty():
                    build(cfg, dirty=only is not None)
            finally:
                cfg.plugins.on_shutdown()
            if only:
                preview.merge_search_index(previous_index, job.site_dir, only.urls)
            search_once.keep_one_index(job.site_dir)
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
