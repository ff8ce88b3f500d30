"""What a public build publishes, item by item: the content the sign-off fingerprint covers.

The items are derived, not listed by hand. :func:`study_items` walks every field of the
prepared public study (its pydantic models), so a field added to the study's schema is covered
without anyone remembering it. Every model inside a list (a component, an element, a code, a
case study, an excerpt, a team member, an analysis step...) is an item of its own; every other
value is a field of the item that holds it, by dotted path. What is never published is left
out (:data:`NEVER_PUBLISHED`), and so is every field still at its default (so a later version
of the tool that adds an optional field does not void a sign-off). Demographics are taken as
the site shows them (ages in bands), never as written.

:func:`site_items` adds the site around the study: the configuration in force (``mkdocs.yml``
with ``INHERIT`` resolved), every hand-written file of the docs folder (Markdown pages after
de-identification, as published) and every file of the team's theme overrides (``custom_dir``).
Content, not rendered bytes: how the tool renders it is not part of the sign-off.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from enum import Enum
from functools import cache
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from build_site.analyse.evidence import shown_value
from build_site.site_project import SiteProject, custom_dir, default_config, resolved_config
from build_site.study import Clinician, Dyad, Publication, SourceRef, Study, StudyMeta

# (model, field) never published, and why:
NEVER_PUBLISHED: frozenset[tuple[type[BaseModel], str]] = frozenset({
    (Clinician, "memos"), (Dyad, "memos"),  # the team's internal notes
    (Clinician, "comments"), (Dyad, "comments"),  # reviewers' comments
    (Clinician, "quasi_identifiers"), (Dyad, "quasi_identifiers"),  # the review's risk report
    # Consent and review status decide what is published (their effect is in the items) and
    # are never shown themselves: a participant's choices stay out of the public snapshot.
    (Clinician, "consent"), (Dyad, "consent"), (Clinician, "status"), (Dyad, "status"),
    # The team's decision for a patient who did not agree to share with her clinician: its
    # published text (the analytic summary) is an item of its own, the rest a digest
    # (manifest._consent_decisions).
    (Dyad, "insider_decision"),
    (Dyad, "transcript"), (Study, "transcripts"),  # private transcripts
    (Dyad, "speakers"),  # the transcript's speaker labels (its turns shown are items)
    (Study, "identifiers"), (Study, "reviewed"),  # private/identifiers.yml, private/reviewed.yml
    (Study, "deidentified"),  # a processing state, not content
    (StudyMeta, "sign_off"),  # the sign-off itself (its date must not feed its own hash)
    (Publication, "case_key"),  # a secret; its effect (the neutral ids) is in the items
})
DEMOGRAPHICS = "demographics"  # published as shown (shown_value), never as written

Leaf = str | int | float | bool | None | list[Any]


@dataclass(frozen=True)
class Item:
    """One published thing: ``kind`` ("component", "excerpt", "page"...), ``name`` (its id,
    path or position), ``within`` (the label of the item that holds it, "" at the top),
    ``key`` (unique: its path in the study or site) and ``fields`` (dotted path -> value)."""

    kind: str
    name: str
    key: str
    within: str = ""
    fields: dict[str, Leaf] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """How a report names the item, e.g. ``excerpt E3 of dyad C1-P1``."""
        own = f"{self.kind} {self.name}".strip()
        return f"{own} of {self.within}" if self.within else own

    def as_json(self) -> dict[str, Any]:
        """The item as a JSON object (the manifest's canonical form)."""
        return {"kind": self.kind, "name": self.name, "key": self.key, "within": self.within,
                "fields": self.fields}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Item:
        """The item written by :meth:`as_json`."""
        return cls(str(data["kind"]), str(data["name"]), str(data["key"]),
                   str(data.get("within", "")), dict(data.get("fields", {})))


def study_items(shown: Study) -> list[Item]:
    """Every published item of ``shown`` (the public selection, de-identified), in order.

    A dyad's demographics count only in the fields the study publishes
    (``publication.dyad_demographics``): the others are shown nowhere, tables included.
    """
    pub = shown.meta.publication
    width = pub.age_band_width
    shown = shown.model_copy(update={"dyads": [
        d.model_copy(update={"demographics": {
            k: v for k, v in d.demographics.items() if k in pub.dyad_demographics}})
        for d in shown.dyads]})
    root = Item("study", "", "study")
    items = [root]
    _walk(shown, "", root, items, width)
    return items


@cache
def _kind(model: type[BaseModel]) -> str:
    """The item kind of a model class: its name in words, lower case ("case study")."""
    return re.sub(r"(?<!^)(?=[A-Z])", " ", model.__name__).lower()


def _walk(model: BaseModel, prefix: str, owner: Item, items: list[Item], width: int) -> None:
    """Add ``model``'s published fields to ``owner`` (under ``prefix``) and its listed models
    to ``items``."""
    for name, label, default, info in _fields(type(model)):
        value = getattr(model, name)
        if info is not None:  # a default made afresh by its factory: asked each time
            default = info.get_default(call_default_factory=True)
        if value == default or isinstance(value, SourceRef):
            continue  # unset, or a source position (file and line: never published)
        path = prefix + label
        if type(value) is str:  # most fields: what _set below does with it
            owner.fields[path] = value
        elif name == DEMOGRAPHICS and isinstance(value, dict):
            for key, raw in sorted(value.items()):
                owner.fields[f"{path}.{key}"] = shown_value(key, raw, width)
        elif isinstance(value, BaseModel):
            _walk(value, path + ".", owner, items, width)
        elif isinstance(value, list) and value and all(isinstance(v, BaseModel) for v in value):
            for position, child in enumerate(value, 1):
                _add_item(child, position, f"{owner.key}.{path}", owner, items, width)
        else:
            _set(owner.fields, path, value)


# What _walk reads of each model class, worked out once per class (at 1,000 dyads it walks
# 10,000 models): pydantic's ``get_default`` copies the default at every call (117,000 calls),
# so a default is kept, only compared and never changed; a field whose default is made by a
# factory other than an empty container's is asked each time.
_PURE_FACTORIES: tuple[Any, ...] = (list, dict, set, frozenset, tuple)
Field = tuple[str, str, Any, FieldInfo | None]


@cache
def _fields(model: type[BaseModel]) -> tuple[Field, ...]:
    """The published fields of ``model``, in declaration order, each as (name, name in the
    manifest: its alias or name, default, None or the ``FieldInfo`` to ask for the default
    at each use); the fields of :data:`NEVER_PUBLISHED` are left out."""
    fields: list[Field] = []
    for name, info in model.model_fields.items():
        if (model, name) in NEVER_PUBLISHED:
            continue
        if info.default_factory is None or info.default_factory in _PURE_FACTORIES:
            fields.append((name, info.alias or name,
                           info.get_default(call_default_factory=True), None))
        else:
            fields.append((name, info.alias or name, None, info))
    return tuple(fields)


def _add_item(model: BaseModel, position: int, base: str, owner: Item, items: list[Item],
              width: int) -> None:
    ident = getattr(model, "id", None)
    name = str(ident) if isinstance(ident, str) else str(position)
    within = "" if owner.key == "study" else owner.label
    item = Item(_kind(type(model)), name, f"{base}[{name}]", within)
    items.append(item)
    _walk(model, "", item, items, width)


def _set(fields: dict[str, Leaf], path: str, value: Any) -> None:
    """Store ``value`` at ``path``, flattening mappings into dotted paths."""
    if isinstance(value, dict):
        for key, inner in sorted(value.items(), key=lambda kv: str(kv[0])):
            _set(fields, f"{path}.{key}" if path else str(key), inner)
    elif isinstance(value, BaseModel):
        _set(fields, path, value.model_dump(mode="json", by_alias=True, exclude_defaults=True))
    elif isinstance(value, list) and all(type(v) is str for v in value):
        fields[path] = list(value)  # what the JSON round trip below gives, without it
    elif isinstance(value, list):
        fields[path] = json.loads(json.dumps(value, default=_plain, sort_keys=True))
    elif isinstance(value, (str, int, float, bool)) and not isinstance(value, Enum):
        fields[path] = value
    else:
        fields[path] = _plain(value)


def _plain(value: Any) -> Any:
    """A JSON value for what YAML or pydantic may hold (enums, models, Python names)."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    if isinstance(value, Enum):
        return value.value
    if callable(value):  # a Python name in mkdocs.yml, e.g. an emoji function
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', value)}"
    return None if value is None else str(value)


def site_items(project: SiteProject, handwritten: dict[str, bytes]) -> list[Item]:
    """The site configuration in force, the hand-written files (``handwritten``: de-identified,
    by docs-relative path) and the theme overrides of ``project``, as items."""
    config = Item("configuration", "mkdocs.yml", "config")
    if project.config == default_config():
        config.fields["source"] = "build-site's defaults"
    else:
        _set(config.fields, "", {k: v for k, v in resolved_config(project.config).items()
                                 if k != "INHERIT"})
    items = [config]
    for rel, data in sorted(handwritten.items()):
        kind = "page" if rel.endswith(".md") else "file"
        items.append(Item(kind, rel, f"docs/{rel}", fields=_file_fields(data)))
    theme = custom_dir(project.config)
    if theme is not None and theme.is_dir():
        for path in sorted(p for p in theme.rglob("*") if p.is_file()):
            rel = path.relative_to(theme).as_posix()
            items.append(Item("theme file", rel, f"theme/{rel}",
                              fields=_file_fields(path.read_bytes())))
    return items


def _file_fields(data: bytes) -> dict[str, Leaf]:
    """A file's text when it is UTF-8 (so a change report can show it), else its SHA-256."""
    try:
        return {"text": data.decode("utf-8")}
    except UnicodeDecodeError:
        return {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}

