"""Site build: assemble the build directory that a site engine (:mod:`build_site.engines`) builds.

The build directory holds a copy of the hand-written pages plus every generated page (written
only when its bytes change, so an unchanged page keeps its timestamp) and the stylesheet. The engine
then builds it into a fresh temporary folder beside the output directory; the publish stage swaps
that folder in. Nothing is ever written into ``docs/`` or the study folder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from build_site import nav_trail, theme_icons
from build_site.errors import Problem, StudyError
from build_site.project_links import linked_files
from build_site.publish import MARKER as OUTPUT_MARKER
from build_site.render.context import Asset, Page
from build_site.render.theme_text import without_html_tooltips
from build_site.site_config_shape import refuse_bad_shapes
from build_site.site_theme import key_line, material_templates, merged_theme
from build_site.theme_scripts import BASE_SCRIPT, PALETTE_SCRIPT, script_assets, write_partials

REQUIRED_EXTENSIONS = ["admonition", "attr_list", "md_in_html", "tables", "toc"]
STYLESHEET = "assets/build-site.css"
SCRIPT = "assets/build-site.js"
# Material's offline plugin loads this shim from unpkg.com unless a copy is named; the site must
# work from disk with no external script, so a vendored copy (iframe-worker 1.0.4, MIT) is used.
IFRAME_WORKER = "assets/javascripts/iframe-worker-shim.js"
DEFAULT_SITE_NAME = "Study site"
# added to every site by assemble() (the theme's two scripts whenever Material's partials
# are as expected: a team's file at either path is refused all the same)
BUILD_FILES = (STYLESHEET, SCRIPT, IFRAME_WORKER, PALETTE_SCRIPT, BASE_SCRIPT)


def default_config() -> Path:
    """The package's default ``mkdocs.yml``."""
    return Path(str(resources.files("build_site") / "defaults" / "mkdocs.yml"))


@dataclass
class SiteProject:
    """The site configuration and hand-written pages that surround a study.

    ``config``: the ``mkdocs.yml`` in force; ``pages``: hand-written files by docs-relative
    path (bytes; Markdown is de-identified like every other text before it is written).
    """

    config: Path
    pages: dict[str, bytes] = field(default_factory=dict)
    docs: Path | None = None
    notes: list[str] = field(default_factory=list)

    def markdown_pages(self) -> list[str]:
        """Docs-relative paths of the hand-written Markdown pages, sorted."""
        return sorted(p for p in self.pages if p.endswith(".md"))

    def source(self, rel: str) -> str:
        """Where the hand-written file at docs-relative ``rel`` is, for messages."""
        return str(self.docs / rel) if self.docs else rel


def find_config(study_dir: Path, explicit: Path | None) -> Path:
    """The ``mkdocs.yml`` to use: ``explicit``, else the study folder's own, else the one beside
    the study folder, else the package default.

    A configuration beside the study folder serves it only when it names it
    (``extra: {study_folder: NAME}``), so a stray mkdocs.yml in a parent folder, or a second
    study placed beside the first, never silently takes over a study's site.

    Raises:
        StudyError: when ``explicit`` does not exist.
    """
    if explicit is not None:
        if not explicit.is_file():
            raise StudyError([Problem(str(explicit), 0, "site configuration not found",
                                      "check the --config path")])
        return explicit
    own = study_dir / "mkdocs.yml"
    if own.is_file():
        return own
    beside = study_dir.parent / "mkdocs.yml"
    if beside.is_file():
        extra = _raw_config(beside).get("extra") or {}
        named = extra.get("study_folder") if isinstance(extra, dict) else None
        if named is not None and Path(str(named)).name == study_dir.resolve().name:
            return beside
    return default_config()


# Python objects MkDocs Material's own documentation tells people to name in mkdocs.yml.
_ALLOWED_PYTHON_NAMES = ("material.", "pymdownx.")


class _ConfigSafetyLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without running anything, to vet it before MkDocs (whose loader
    can construct arbitrary Python objects) ever sees it."""


def _refuse_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
    raise yaml.constructor.ConstructorError(
        None, None, f"the tag '{node.tag}' would run code", node.start_mark)


def _python_name(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> str:
    if not suffix.startswith(_ALLOWED_PYTHON_NAMES):
        _refuse_tag(loader, suffix, node)
    return suffix


_ConfigSafetyLoader.add_constructor("!ENV", lambda loader, node: None)
_ConfigSafetyLoader.add_constructor("!relative", lambda loader, node: None)
_ConfigSafetyLoader.add_multi_constructor("tag:yaml.org,2002:python/name:", _python_name)
_ConfigSafetyLoader.add_multi_constructor("tag:yaml.org,2002:python/", _refuse_tag)
_ConfigSafetyLoader.add_multi_constructor("!", _refuse_tag)


def vet_config(config: Path, seen: frozenset[Path] = frozenset()) -> None:
    """Refuse a site configuration that could run code or publish files from elsewhere.

    Refused: YAML tags that construct Python objects (except naming ``material.`` and
    ``pymdownx.`` objects, as Material's documentation does), ``hooks`` (Python files MkDocs
    would run), a ``docs_dir`` or ``custom_dir`` outside the configuration's folder or inside a
    ``private/`` folder, Markdown extensions that copy other files into pages
    (:data:`FILE_INCLUDING_EXTENSIONS`); the same for every file it INHERITs.

    Raises:
        StudyError: naming the file and, where known, the line.
    """
    if config in seen:
        return
    try:
        data = yaml.load(config.read_text(encoding="utf-8"), Loader=_ConfigSafetyLoader)
    except yaml.constructor.ConstructorError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 0
        raise StudyError([Problem(str(config), line, f"refused: {exc.problem}",
                                  "remove the tag; build-site never runs code from mkdocs.yml")]
                         ) from None
    except yaml.MarkedYAMLError as exc:  # a syntax error: its line, not a refusal
        line = exc.problem_mark.line + 1 if exc.problem_mark else 0
        raise StudyError([Problem(str(config), line, f"not valid YAML: {exc.problem}",
                                  "fix the YAML at that line (indent with spaces, quote a "
                                  "value holding ': ')")]) from None
    except (yaml.YAMLError, UnicodeDecodeError, OSError) as exc:
        raise StudyError([Problem(str(config), 0, f"cannot read site configuration: {exc}",
                                  "fix mkdocs.yml")]) from None
    if not isinstance(data, dict):
        return
    problems = []
    if data.get("hooks"):
        problems.append(Problem(str(config), key_line(config, "hooks"),
                                "refused: 'hooks' would run Python files",
                                "remove hooks; build-site never runs code from mkdocs.yml"))
    for name in _extension_names(data.get("markdown_extensions")):
        if name in FILE_INCLUDING_EXTENSIONS:
            problems.append(Problem(
                str(config), key_line(config, "markdown_extensions"),
                f"refused: the Markdown extension '{name}' puts files from "
                "outside the docs folder into pages (a transcript under private/ among them), "
                "unseen by the sign-off",
                "remove it and write the text into the page itself"))
    theme: dict[str, Any] = data["theme"] if isinstance(data.get("theme"), dict) else {}
    for keys, value in ((("docs_dir",), data.get("docs_dir")),
                        (("theme", "custom_dir"), theme.get("custom_dir"))):
        key = keys[-1]
        if isinstance(value, str) and _outside(config.parent, value):
            problems.append(Problem(str(config), key_line(config, *keys),
                                    f"refused: {key} '{value}' is outside the "
                                    "configuration's folder or inside a private/ folder",
                                    f"keep {key} next to mkdocs.yml"))
    if problems:
        raise StudyError(problems)
    if isinstance(data.get("INHERIT"), str):
        vet_config((config.parent / data["INHERIT"]).resolve(), seen | {config})


# Markdown extensions that copy other files' text into a page at build time.
FILE_INCLUDING_EXTENSIONS = frozenset({"pymdownx.snippets", "markdown_include.include",
                                       "mdx_include", "markdown_include"})


def _extension_names(extensions: Any) -> list[str]:
    """The names in an ``markdown_extensions`` list (strings, or one-key mappings)."""
    if not isinstance(extensions, list):
        return []
    names = []
    for entry in extensions:
        if isinstance(entry, str):
            names.append(entry)
        elif isinstance(entry, dict):
            names += [str(key) for key in entry]
    return names


def _outside(base: Path, value: str) -> bool:
    target = (base / value).resolve()
    return not target.is_relative_to(base.resolve()) or "private" in target.relative_to(
        base.resolve()).parts


def _raw_config(config: Path) -> dict[str, Any]:
    from mkdocs.utils.yaml import yaml_load

    vet_config(config)
    try:
        with config.open("rb") as handle:
            data = yaml_load(handle)
    except Exception as exc:  # mkdocs raises several kinds for bad YAML or INHERIT
        raise StudyError([Problem(str(config), 0, f"cannot read site configuration: {exc}",
                                  "fix the YAML in mkdocs.yml")]) from None
    return data if isinstance(data, dict) else {}


def resolved_config(config: Path) -> dict[str, Any]:
    """The site configuration in ``config`` as MkDocs reads it (``INHERIT`` resolved), vetted.

    Raises:
        StudyError: the configuration is refused (:func:`vet_config`) or unreadable.
    """
    return _raw_config(config)


def custom_dir(config: Path) -> Path | None:
    """The team's theme overrides (``theme.custom_dir``, relative to ``config``), or None."""
    if config == default_config():
        return None
    theme = _raw_config(config).get("theme")
    own = theme.get("custom_dir") if isinstance(theme, dict) else None
    return (config.parent / str(own)).resolve() if own else None


SHOWN_SETTINGS = ("site_name", "site_description", "site_author", "copyright")


def site_texts(config: Path) -> str:
    """The text of the site configuration that every page shows (site name, description,
    author, copyright; ``INHERIT`` resolved), one setting a line, for the detectors; "" for
    the package default, which holds none of the study's."""
    if config == default_config():
        return ""
    raw = _raw_config(config)
    return "\n".join(str(raw[key]) for key in SHOWN_SETTINGS if isinstance(raw.get(key), str))


def refuse_nav(config: Path) -> None:
    """Refuse a ``nav`` in the site configuration (``INHERIT`` resolved): build-site makes the
    navigation from the pages it declares, so a team's ``nav`` would be silently ignored.

    Raises:
        StudyError: naming the file and the line of ``nav`` (exit 2), with how to place a
            hand-written page instead (:mod:`build_site.render.handwritten`).
    """
    if config == default_config() or "nav" not in _raw_config(config):
        return
    line = 0
    for number, text in enumerate(config.read_text(encoding="utf-8").splitlines(), 1):
        if text.startswith("nav:"):
            line = number
            break
    raise StudyError([Problem(
        str(config), line, "'nav' is not used: build-site makes the navigation from the "
        "pages it generates and the hand-written pages in docs/",
        "remove nav; to place a hand-written page, give it front matter naming a top-level "
        "section ('---', 'section: Methods', '---' at its top); pages without one are listed "
        "under About")])


def load_site_project(study_dir: Path, explicit: Path | None) -> SiteProject:
    """Read the site configuration in force and its hand-written pages (``docs_dir``).

    With the package default configuration, the study folder's own ``docs/`` holds them.
    Whether a hand-written page takes a generated page's path is decided where the pages are
    declared (:func:`build_site.render.pages.declare_site`).

    Raises:
        StudyError: unreadable configuration, a ``nav`` in it (:func:`refuse_nav`), a
            setting of the wrong type (:mod:`build_site.site_config_shape`), a file that leads
            outside the docs folder, a link in the theme overrides that leads out of them or a
            hard link to a file under ``private/`` (:mod:`build_site.project_links`), or a
            Markdown page that is not UTF-8.
    """
    config = find_config(study_dir, explicit)
    refuse_nav(config)
    refuse_bad_shapes(config, _raw_config(config))  # site_config_shape.py
    project = SiteProject(config)
    beside = study_dir.parent / "mkdocs.yml"
    if explicit is None and config == default_config() and beside.is_file():
        name = study_dir.resolve().name
        project.notes.append(
            f"{beside} is not used for {name}/ (it does not name it), so neither are its site "
            f"name, theme or hand-written pages: add 'extra: {{study_folder: {name}}}' to it, "
            "or pass --config")
    if config == default_config():
        docs = (study_dir / "docs").resolve()
    else:
        raw = _raw_config(config)
        docs = (config.parent / str(raw.get("docs_dir", "docs"))).resolve()
    problems = linked_files(study_dir / "private", custom_dir(config), docs)
    if not docs.is_dir():
        if problems:
            raise StudyError(problems)
        return project
    project.docs = docs
    for path in sorted(docs.rglob("*")):
        if path.name == OUTPUT_MARKER:  # the mark of a folder build-site wrote
            problems.append(Problem(
                str(path.parent), 0, "holds a site build-site wrote (a review copy, say): it "
                "would be published with the hand-written pages",
                "build into a folder outside the docs folder and delete this one"))
            continue
        if not path.is_file() or path.name.startswith("."):
            continue
        rel = path.relative_to(docs).as_posix()
        if not path.resolve().is_relative_to(docs):
            problems.append(Problem(str(path), 0, "leads outside the docs folder through a "
                                    "symlink", "copy the file in instead"))
            continue
        if rel.endswith(".md"):
            try:
                path.read_bytes().decode("utf-8")
            except UnicodeDecodeError:
                problems.append(Problem(str(path), 0, "not valid UTF-8", "save it as UTF-8"))
                continue
        project.pages[rel] = path.read_bytes()
    if problems:
        raise StudyError(problems)
    return project


def _write_if_changed(path: Path, data: bytes) -> bool:
    if path.is_file() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return True


def assemble(docs_dir: Path, pages: list[Page], assets: list[Asset],
             handwritten: dict[str, bytes]) -> int:
    """Write the generated and hand-written pages, generated files, the stylesheet and the
    script into ``docs_dir`` (:func:`docs_files`, then :func:`write_docs`).

    Returns:
        The number of files written.
    """
    return write_docs(docs_dir, docs_files(pages, assets, handwritten))


def docs_files(pages: list[Page], assets: list[Asset],
               handwritten: dict[str, bytes]) -> dict[str, bytes]:
    """Every file of the docs folder by its relative path: the hand-written files, the
    generated pages and files, the stylesheet and the scripts (a later one wins a path)."""
    wanted: dict[str, bytes] = dict(handwritten)
    for page in pages:
        wanted[page.path] = page.markdown.encode("utf-8")
    for asset in assets:
        wanted[asset.path] = asset.data
    defaults = resources.files("build_site") / "defaults"
    wanted[STYLESHEET] = (defaults / "build-site.css").read_bytes()
    wanted[SCRIPT] = (defaults / "build-site.js").read_bytes()
    wanted[IFRAME_WORKER] = (defaults / "vendor" / "iframe-worker-shim.js").read_bytes()
    wanted.update(script_assets())
    return wanted


def write_docs(docs_dir: Path, wanted: dict[str, bytes]) -> int:
    """Make ``docs_dir`` hold exactly ``wanted`` (bytes by relative path): a symbolic link in
    it, or ``docs_dir`` itself when it is one, is removed first (the build directory's docs are
    ours alone: nothing is written, removed or read through a link, which could lead into the
    study folder), unchanged files are left alone, files not wanted
    are removed, and so are the folders left empty; so the folder then holds ``wanted`` and the
    folders around it, nothing else (what :func:`build_site.reuse.fingerprint` digests from
    ``wanted`` itself).

    Returns:
        The number of files written.
    """
    if docs_dir.is_symlink():  # rglob and the writes below would go through it
        docs_dir.unlink()
    present = sorted(docs_dir.rglob("*"), reverse=True) if docs_dir.is_dir() else []
    for path in present:
        if path.is_symlink():
            path.unlink()
    written = sum(_write_if_changed(docs_dir / rel, data) for rel, data in wanted.items())
    for path in present:  # children before their folder
        rel = path.relative_to(docs_dir).as_posix()
        if path.is_file() and rel not in wanted:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return written


def _name(extension: Any) -> str:
    return str(extension if isinstance(extension, str) else next(iter(extension)))


def _merged_extensions(raw: dict[str, Any], defaults: dict[str, Any]) -> list[Any]:
    current = list(raw.get("markdown_extensions") or [])
    names = {_name(e) for e in current}
    wanted = [*defaults.get("markdown_extensions", []), *REQUIRED_EXTENSIONS]
    for extension in wanted:
        if _name(extension) not in names:
            current.append(extension)
            names.add(_name(extension))
    return current


@dataclass(frozen=True)
class Notice:
    """A banner on every page (``text``, plain text) and whether search engines are asked
    not to index the site (``noindex``: review copies)."""

    text: str
    noindex: bool = False
    head: str = ""  # HTML the home page adds to its <head> (build_site.metadata.webmeta)


TEAM_MAIN = "build-site-team-main.html"  # the team's own main.html, which ours extends
HEAD_KEY = "build_site_home_head"  # config.extra key of Notice.head


def _theme_overrides(work: Path, config: Path, theme: dict[str, Any], notice: Notice) -> Path:
    """A theme ``custom_dir`` in ``work`` holding the banner (and ``noindex``) on top of the
    study's own overrides, the two scripts as files (:mod:`build_site.theme_scripts`) and, for
    Material, the navigation trail (:mod:`build_site.nav_trail`) and the icons drawn
    once (:mod:`build_site.theme_icons`). A team's own ``main.html`` is kept and extended, not
    replaced: it is renamed :data:`TEAM_MAIN` and ours extends it, so the team's blocks render
    and the notice is added to them (Jinja2 template inheritance, as Material documents for
    overrides). The folder is made anew each build (a symbolic link in its place removed, never
    emptied)."""
    import html
    import shutil

    folder = work / "overrides"
    if folder.is_symlink():  # not ours to empty; rmtree refuses a link (an internal error)
        folder.unlink()
    elif folder.exists():
        shutil.rmtree(folder)
    own = theme.get("custom_dir")
    if own:
        shutil.copytree(config.parent / str(own), folder)
    folder.mkdir(parents=True, exist_ok=True)
    main = folder / "main.html"
    parent = "base.html"
    if main.exists():
        main.replace(folder / TEAM_MAIN)
        parent = TEAM_MAIN
    robots = '<meta name="robots" content="noindex,nofollow">' if notice.noindex else ""
    if notice.head:  # a config value, never template text: the team's words are not Jinja
        # Zensical's is_homepage is false with file URLs: the home page is also index.html
        robots += ('{% if page and (page.is_homepage or page.url in ["", ".", "./", '
                   '"index.html"]) %}{{ config.extra.' + HEAD_KEY + " | safe }}{% endif %}")
    announce = ('{% block announce %}<strong class="bs-notice">' + html.escape(notice.text)
                + "</strong>{% endblock %}\n") if notice.text else ""
    write_partials(folder)
    if theme.get("name") in (None, "material"):  # Material's partials, for Material only
        nav_trail.write_partial(folder, material_templates())
        theme_icons.write_partials(folder, theme, config.parent / str(own) if own else None)
    main.write_text(
        '{% extends "' + parent + '" %}\n'
        "{% block extrahead %}{{ super() }}" + robots + "{% endblock %}\n" + announce,
        encoding="utf-8",
    )
    return folder


def config_overrides(config: Path, docs_dir: Path, site_dir: Path, nav: list[Any],
                     site_name: str, notice: Notice | None = None) -> dict[str, Any]:
    """What a build sets on top of the ``mkdocs.yml`` in ``config``: the folders, the nav,
    file URLs, strict mode, the build-site stylesheet, script and Markdown extensions, the
    theme (the team's keys merged into the default's: :func:`merged_theme`) and the
    package defaults for whatever else the study's configuration leaves out. Engines that read
    ``mkdocs.yml`` (MkDocs, Zensical) get the same site from it.

    Returns:
        Configuration keys to override, as MkDocs' ``load_config`` takes them.
    """
    raw = _raw_config(config)
    defaults = _raw_config(default_config())
    overrides: dict[str, Any] = {
        "docs_dir": str(docs_dir),
        "site_dir": str(site_dir),
        "nav": nav,
        "use_directory_urls": False,
        "strict": True,
        "extra_css": [*(raw.get("extra_css") or []), STYLESHEET],
        "extra_javascript": [*(raw.get("extra_javascript") or []), SCRIPT],
        "markdown_extensions": _merged_extensions(raw, defaults),
        "extra": {**(raw.get("extra") or {}), "polyfills": [
            *((raw.get("extra") or {}).get("polyfills") or []), IFRAME_WORKER]},
    }
    # A study's own mkdocs.yml need not INHERIT: what it leaves out comes from the defaults,
    # and its theme keys are merged into the default theme's (site_theme.py).
    if "plugins" not in raw:
        overrides["plugins"] = defaults["plugins"]
    overrides["theme"] = merged_theme(defaults["theme"], raw.get("theme"), config)
    safe_theme = without_html_tooltips(overrides.get("theme", raw.get("theme")))
    if safe_theme is not None:
        overrides["theme"] = safe_theme
    if notice is not None:
        theme = dict(overrides.get("theme") or raw.get("theme") or {})
        if isinstance(theme, dict):
            theme["custom_dir"] = str(_theme_overrides(docs_dir.parent, config, theme, notice))
            overrides["theme"] = theme
        if notice.head:
            overrides["extra"][HEAD_KEY] = notice.head
    if raw.get("site_name", DEFAULT_SITE_NAME) == DEFAULT_SITE_NAME:
        overrides["site_name"] = site_name
    return overrides
