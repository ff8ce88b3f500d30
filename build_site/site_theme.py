"""A team's ``theme:`` merged into build-site's default theme, key by key, and the lines of
site configuration keys for messages.

MkDocs replaces a whole top-level setting when a configuration sets it, so a ``theme:`` block
holding only a palette colour would drop the default theme's tabs, its dark scheme and toggle,
and ``font: false`` (Material then links Google Fonts on every page). Here, instead
(:func:`merged_theme`):

- mappings merge recursively, the team's value winning key by key;
- a palette given as a mapping of colours (``primary``, ``accent``; no ``scheme``) is merged
  into *each* default scheme, so dark mode and its toggle stay; a palette mapping that names
  a ``scheme``, or a list of schemes, is the team's whole palette and replaces the default;
- ``features`` is the union of the default features and the team's, in that order; features
  listed under ``remove_features`` (a build-site key, not passed to MkDocs) are taken out;
- a key left empty keeps the default; a block without ``name`` takes the default's
  (``material``); a block naming another theme is the team's own and is used as written.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import yaml

from build_site.errors import Problem, StudyError

REMOVE_FEATURES = "remove_features"
MATERIAL = "material"
_SCHEME_KEYS = ("scheme", "media")


def material_templates() -> Path:
    """The ``templates`` folder of the installed Material theme (its partials and
    ``assets``)."""
    from importlib import resources

    return Path(str(resources.files(MATERIAL))) / "templates"


def merged_theme(default: dict[str, Any], team: Any, config: Path) -> dict[str, Any]:
    """The theme in force: ``team`` (the ``theme`` value of ``config``, None when absent)
    merged into ``default`` as the module docstring says.

    Raises:
        StudyError: ``theme``, its ``palette``, ``features`` or ``remove_features`` has a
            shape MkDocs Material does not take, naming ``config`` and the line.
    """
    if team is None:
        return copy.deepcopy(default)
    if isinstance(team, str):
        team = {"name": team}
    if not isinstance(team, dict):
        raise StudyError([_problem(config, ("theme",), "'theme' must be a mapping of settings "
                                   "(or a theme name)", "write theme: followed by indented "
                                   "keys such as palette: or features:")])
    if team.get("name") not in (None, MATERIAL):
        return dict(team)  # another theme: Material's defaults mean nothing to it
    merged = _merge(default, {k: v for k, v in team.items()
                              if k not in ("palette", "features", REMOVE_FEATURES)})
    if team.get("palette") is not None:
        merged["palette"] = _palette(default.get("palette"), team["palette"], config)
    merged["features"] = _features(default.get("features"), team, config)
    return merged


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """``over`` merged into a copy of ``base``: mappings recursively, anything else replaced;
    a key left empty (``font:``, null) keeps the default (an empty ``font`` would otherwise
    turn Material's web fonts back on)."""
    out = copy.deepcopy(base)
    for key, value in over.items():
        if value is None:
            continue
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _palette(default: Any, team: Any, config: Path) -> Any:
    if isinstance(team, list) or (isinstance(team, dict)
                                  and any(k in team for k in _SCHEME_KEYS)):
        return copy.deepcopy(team)  # the team's own schemes
    if not isinstance(team, dict):
        raise StudyError([_problem(config, ("theme", "palette"),
                                   "'palette' must be a mapping of colours or a list of schemes",
                                   "e.g. palette: {primary: indigo, accent: amber}")])
    schemes = default if isinstance(default, list) else [default] if default else [{}]
    return [_merge(s, team) if isinstance(s, dict) else s for s in schemes]


def _features(default: Any, team: dict[str, Any], config: Path) -> list[Any]:
    features = list(default or [])
    for key in ("features", REMOVE_FEATURES):
        if not isinstance(team.get(key) or [], list):
            raise StudyError([_problem(config, ("theme", key), f"'{key}' must be a list",
                                       f"write {key}: [navigation.tabs, ...]")])
    for feature in team.get("features") or []:
        if feature not in features:
            features.append(feature)
    removed = set(map(str, team.get(REMOVE_FEATURES) or []))
    return [f for f in features if str(f) not in removed]


def _problem(config: Path, keys: tuple[str, ...], message: str, hint: str) -> Problem:
    return Problem(str(config), key_line(config, *keys), message, hint)


def key_line(config: Path, *keys: str) -> int:
    """The 1-based line of the nested key ``keys`` (``"theme", "palette"``) in the YAML file
    ``config``; the line of the deepest key found, or 0 when none is found or the file cannot
    be read. Reads node positions only (``yaml.compose``): nothing is constructed."""
    try:
        node = yaml.compose(config.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (yaml.YAMLError, OSError, UnicodeDecodeError):
        return 0
    line = 0
    for key in keys:
        if not isinstance(node, yaml.MappingNode):
            break
        found = next(((k, v) for k, v in node.value
                      if isinstance(k, yaml.ScalarNode) and k.value == key), None)
        if found is None:
            break
        line = found[0].start_mark.line + 1
        node = found[1]
    return line


_CONFIG_VALUE = re.compile(r"Config value '([^']+)'")


def config_value_line(config: Path, message: str) -> int:
    """The line in ``config`` of the setting a MkDocs message names (``Config value
    'theme': ...``; a dotted name is followed into nested keys), or 0."""
    found = _CONFIG_VALUE.search(message)
    return key_line(config, *found.group(1).split(".")) if found else 0
