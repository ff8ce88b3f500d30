"""The Zensical engine: Material's successor (same team), which reads ``mkdocs.yml``.

Zensical runs no MkDocs plugins: the fragment swap is a Python-Markdown extension both engines
run (:mod:`build_site.render.fragments`); Material's search stand-ins and the theme's bytecode
cache are MkDocs-only and not needed here. Zensical (0.0.73) refuses a ``docs_dir`` or
``site_dir`` outside the folder of its configuration file and writes a ``.cache/`` folder
there, so the configuration is written into the build directory with relative folders and
Zensical runs with the build directory as its working folder: nothing lands in the user's
working folder or the study. The site is built into the build directory, then moved into the
staging folder.

Zensical's templates do not autoescape either, so the study's title as site name and the
navigation titles are written HTML-escaped into its configuration (what
:mod:`build_site.render.theme_text` does for MkDocs with ``markupsafe.Markup``; front-matter
titles are already written escaped). Two of its partials escape the site name once more, in the
logo's ``title`` tooltip: the build's theme folder holds copies without that second escape
(:func:`theme_folder`), so the tooltip reads as typed. Zensical's ``striptags`` (the
``<title>``) keeps the escaped text as it is.
"""

from __future__ import annotations

import html
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from build_site import nav_trail, theme_icons, theme_scripts
from build_site.engines.job import SiteJob
from build_site.errors import Problem, StudyError, UsageError
from build_site.site_project import config_overrides, resolved_config
from build_site.site_theme import material_templates

CONFIG_FILE = "zensical.yml"
THEME = "zensical-theme"  # the build's theme overrides for Zensical, in the build directory
# Partials of Zensical's theme that print ``title="{{ config.site_name | e }}"``.
SITE_NAME_PARTIALS = ("partials/header.html", "partials/nav.html")
_ESCAPED_AGAIN = 'title="{{ config.site_name | e }}"'
SITE = "zensical-site"  # inside the build directory, where Zensical allows it


def _escaped_nav(nav: list[Any]) -> list[Any]:
    out: list[Any] = []
    for item in nav:
        if isinstance(item, dict):
            out.append({html.escape(str(title)): _escaped_nav(value) if isinstance(value, list)
                        else value for title, value in item.items()})
        else:
            out.append(item)
    return out


def zensical_config(job: SiteJob) -> dict[str, Any]:
    """The configuration Zensical gets for ``job``: the ``mkdocs.yml`` in force with the
    build's overrides, folders relative to the build directory, the study's title and the
    navigation titles HTML-escaped, and Material's classic look unless the team chose one."""
    config: dict[str, Any] = dict(resolved_config(job.config))
    config.pop("INHERIT", None)
    overrides = config_overrides(job.config, job.docs_dir, job.work / SITE, job.nav,
                                 job.site_name, job.notice)
    config.update(overrides)
    config["docs_dir"], config["site_dir"] = job.docs_dir.name, SITE
    config["markdown_extensions"] = [*overrides["markdown_extensions"],
                                     job.fragments_extension()]
    config["nav"] = _escaped_nav(job.nav)
    if "site_name" in overrides:
        config["site_name"] = html.escape(str(overrides["site_name"]))
    theme = dict(config.get("theme") or {})
    theme.setdefault("variant", "classic")
    own = None
    if theme.get("custom_dir"):
        own = Path(str(theme["custom_dir"]))
        own = own if own.is_absolute() else job.config.parent / own
    theme["custom_dir"] = theme_folder(job.work, own, theme).name
    config["theme"] = theme
    return config


def theme_folder(work: Path, own: Path | None, theme: dict[str, Any] | None = None) -> Path:
    """``work/zensical-theme``: a copy of the theme overrides in force (``own``, or none) plus
    Zensical's partials that escape the (already escaped) site name a second time, without
    that escape, where ``own`` does not hold its own copy; the navigation trail the build wrote
    from Material's ``nav-item.html`` (:mod:`build_site.nav_trail`) is written again
    from Zensical's own, and the icon partials written from Material's for ``theme`` (the
    theme settings in force; :mod:`build_site.theme_icons`) are left out. Returns the
    folder."""
    from importlib import resources

    folder = work / THEME
    if folder.exists():
        shutil.rmtree(folder)
    if own is not None:
        shutil.copytree(own, folder)
        if theme_scripts.is_ours(folder):  # Material's base script: Zensical's differs
            (folder / theme_scripts.BASE).unlink()
    templates = Path(str(resources.files("zensical") / "templates"))
    if nav_trail.is_ours(folder, material_templates()):  # Material's partial: Zensical's differs
        (folder / nav_trail.PARTIAL).unlink()
        nav_trail.write_partial(folder, templates)
    for rel in theme_icons.PARTIALS:  # Material's partials: Zensical's differ
        if theme_icons.is_ours(folder, rel, theme or {}):
            (folder / rel).unlink()
    for rel in SITE_NAME_PARTIALS:
        target = folder / rel
        if target.exists():
            continue
        text = (templates / rel).read_text("utf-8")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text.replace(_ESCAPED_AGAIN, 'title="{{ config.site_name }}"'),
                          "utf-8")
    return folder


class ZensicalEngine:
    """Runs ``python -m zensical build`` in the build directory."""

    name = "zensical"

    def build(self, job: SiteJob) -> None:
        """Write the site of ``job`` with Zensical into ``job.site_dir``.

        Raises:
            UsageError: Zensical is not installed (``pip install 'build-site[zensical]'``).
            StudyError: Zensical failed; the end of its output is listed.
        """
        try:
            import zensical  # noqa: F401
        except ImportError:
            raise UsageError("the Zensical engine is not installed",
                             "pip install 'build-site[zensical]'") from None
        work = job.work
        target = work / SITE
        if target.exists():
            shutil.rmtree(target)
        (work / CONFIG_FILE).write_text(
            yaml.safe_dump(zensical_config(job), sort_keys=False, allow_unicode=True), "utf-8")
        env = {**os.environ, "NO_COLOR": "1"}
        if job.epoch is not None:
            env["SOURCE_DATE_EPOCH"] = str(job.epoch)
        done = subprocess.run([sys.executable, "-m", "zensical", "build", "-f", CONFIG_FILE],
                              cwd=work, capture_output=True, text=True, env=env, check=False)
        if done.returncode != 0 or not target.is_dir():
            tail = (done.stdout + done.stderr).strip().splitlines()[-8:]
            raise StudyError([Problem(str(job.config), 0, f"Zensical: {line}")
                              for line in tail or [f"exit {done.returncode}"]])
        job.site_dir.mkdir(parents=True, exist_ok=True)
        for child in target.iterdir():
            os.replace(child, job.site_dir / child.name)
        target.rmdir()
