"""The shape of the site configuration's settings that build-site itself reads, checked before
they are used.

MkDocs checks its settings only after build-site has merged its own into them, so a setting of
the wrong type would otherwise crash the build (``extra: 3``: "'int' object is not a mapping")
or be misread (``extra_css: notalist.css`` iterated letter by letter: one stylesheet link per
character). The shapes follow MkDocs' configuration reference (``extra`` a mapping,
``extra_css`` a list of paths, ``extra_javascript`` a list of paths or of mappings with a
``path``, ``markdown_extensions`` a list of names or one-key mappings, ``plugins`` a list or a
mapping) and Material's (``theme.palette`` a mapping or a list of mappings).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from build_site.errors import Problem, StudyError
from build_site.site_theme import key_line


def refuse_bad_shapes(config: Path, raw: dict[str, Any]) -> None:
    """Refuse settings of ``raw`` (the configuration in ``config``, ``INHERIT`` resolved) whose
    type build-site or MkDocs cannot take.

    Raises:
        StudyError: one problem per bad setting, naming ``config`` and the line of the setting
            (of the list item, for a bad item), and the shape to write (exit 2).
    """
    problems = [*_mapping(config, raw, ("extra",), "extra: {allow_external_resources: "
                                                    "[fonts.gstatic.com]}"),
                *_list_of(config, raw, ("extra_css",), _is_path, "a path",
                          "extra_css: [extra.css]"),
                *_list_of(config, raw, ("extra_javascript",), _is_script, "a path",
                          "extra_javascript: [extra.js]"),
                *_list_of(config, raw, ("markdown_extensions",), _is_extension,
                          "an extension name", "markdown_extensions: [footnotes]")]
    if raw.get("plugins") is not None and not isinstance(raw["plugins"], list | dict):
        problems.append(_problem(config, ("plugins",), "'plugins' must be a list",
                                 "plugins: [search, offline]"))
    extra = raw.get("extra")
    if isinstance(extra, dict):
        problems += _list_of(config, extra, ("extra", "polyfills"), _is_path, "a path",
                             "polyfills: [assets/polyfill.js]")
        problems += _opt_in(config, extra)
    theme = raw.get("theme")
    if isinstance(theme, dict) and isinstance(theme.get("palette"), list):
        problems += _list_of(config, theme, ("theme", "palette"),
                             lambda item: isinstance(item, dict), "a mapping (one scheme)",
                             "palette: [{scheme: default}, {scheme: slate}]")
    if problems:
        raise StudyError(problems)


def _mapping(config: Path, raw: dict[str, Any], keys: tuple[str, ...],
             example: str) -> list[Problem]:
    value = raw.get(keys[-1])
    if value is None or isinstance(value, dict):
        return []
    return [_problem(config, keys, f"'{keys[-1]}' must be a mapping of settings, not "
                                   f"{_shown(value)}", f"write it as e.g. {example}")]


def _list_of(config: Path, raw: dict[str, Any], keys: tuple[str, ...], fits: Callable[[Any], bool],
             what: str, example: str) -> list[Problem]:
    """A problem when ``raw[keys[-1]]`` is set but not a list, or for each item that does not
    ``fits``."""
    value = raw.get(keys[-1])
    if value is None:
        return []
    if not isinstance(value, list):
        return [_problem(config, keys, f"'{keys[-1]}' must be a list, not {_shown(value)}",
                         f"write it as a list, e.g. {example}")]
    return [Problem(str(config), item_line(config, keys, index) or key_line(config, *keys),
                    f"item {index + 1} of '{keys[-1]}' must be {what}, not {_shown(item)}",
                    f"e.g. {example}")
            for index, item in enumerate(value) if not fits(item)]


def _opt_in(config: Path, extra: dict[str, Any]) -> list[Problem]:
    value = extra.get("allow_external_resources")
    keys = ("extra", "allow_external_resources")
    if value is None or isinstance(value, bool):
        return []
    return _list_of(config, extra, keys, _is_path,
                    "a host name", "allow_external_resources: [fonts.gstatic.com]")


def _is_path(item: Any) -> bool:
    return isinstance(item, str) and bool(item.strip())


def _is_script(item: Any) -> bool:
    return _is_path(item) or (isinstance(item, dict) and _is_path(item.get("path")))


def _is_extension(item: Any) -> bool:
    return _is_path(item) or (isinstance(item, dict) and len(item) == 1)


def _shown(value: Any) -> str:
    kind = {str: "a text", int: "a number", float: "a number", bool: "true/false",
            list: "a list", dict: "a mapping"}.get(type(value), type(value).__name__)
    return f"{kind} ({value!r})" if not isinstance(value, list | dict) else kind


def _problem(config: Path, keys: tuple[str, ...], message: str, hint: str) -> Problem:
    return Problem(str(config), key_line(config, *keys), message, hint)


def item_line(config: Path, keys: tuple[str, ...], index: int) -> int:
    """The 1-based line of item ``index`` of the list at the nested key ``keys`` of the YAML
    file ``config``, or 0 when there is none (the list comes from an ``INHERIT``ed file, or
    the file cannot be read). Reads node positions only (``yaml.compose``)."""
    try:
        node = yaml.compose(config.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (yaml.YAMLError, OSError, UnicodeDecodeError):
        return 0
    for key in keys:
        if not isinstance(node, yaml.MappingNode):
            return 0
        node = next((v for k, v in node.value
                     if isinstance(k, yaml.ScalarNode) and k.value == key), None)
    if isinstance(node, yaml.SequenceNode) and index < len(node.value):
        return int(node.value[index].start_mark.line) + 1
    return 0
