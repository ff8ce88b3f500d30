"""The manifest's walk over the published study (issue 25, own5): each field's default read
once per model and field, a list of strings taken as the JSON round trip gives it; the
manifest the same item for item."""

from __future__ import annotations

import itertools
import json
import re
from enum import StrEnum
from pathlib import Path

import pytest
from pydantic import BaseModel, Field

import build_site.published as published
import build_site.study as study_module
from build_site.published import NEVER_PUBLISHED, Item, _fields, _set


def _models() -> list[type[BaseModel]]:
    return [m for m in vars(study_module).values()
            if isinstance(m, type) and issubclass(m, BaseModel) and m is not BaseModel]


def test_every_fields_default_is_pydantics() -> None:
    """Each model's fields as _walk reads them (serial8: worked out once per class): every
    field but the never-published ones, in order, by alias, with pydantic's default."""
    checked = 0
    for model in _models():
        fields = _fields(model)
        assert _fields(model) is fields  # once per class
        assert [name for name, *_ in fields] == [
            name for name in model.model_fields if (model, name) not in NEVER_PUBLISHED]
        for name, label, default, info in fields:
            pydantic = model.model_fields[name]
            assert label == (pydantic.alias or name)
            asked = default if info is None else info.get_default(call_default_factory=True)
            assert asked == pydantic.get_default(call_default_factory=True), (model, name)
            checked += 1
    assert checked > 100


def test_a_default_made_by_another_factory_is_asked_each_time() -> None:
    counter = itertools.count()

    class Counted(BaseModel):
        n: int = Field(default_factory=lambda: next(counter))
        tags: list[str] = Field(default_factory=list)

    (_, _, _, n_info), (_, _, tags_default, tags_info) = _fields(Counted)
    assert n_info is Counted.model_fields["n"] and tags_info is None and tags_default == []
    model = Counted(n=1, tags=["a"])  # the factory is not called for a given n
    walked = []
    for _ in range(2):  # the factory gives 0, then 1: n published, then left out as default
        item = Item("counted", "", "counted")
        published._walk(model, "", item, [], 10)
        walked.append(item.fields)
    assert walked == [{"n": 1, "tags": ["a"]}, {"tags": ["a"]}]


class _Colour(StrEnum):
    red = "red"


@pytest.mark.parametrize("value", [
    [], ["a"], ["é", "ſ", "\u2028", "x\ny", ""], ["a", 1], [_Colour.red], [["a"]], ["a", None]])
def test_a_list_is_stored_as_its_json_round_trip(value: list[object]) -> None:
    fields: dict[str, object] = {}
    _set(fields, "p", value)
    expected = json.loads(json.dumps(value, default=published._plain, sort_keys=True))
    assert fields["p"] == expected
    assert [type(v) for v in fields["p"]] == [type(v) for v in expected]  # type: ignore[union-attr]


def _reference_walk(model: BaseModel, prefix: str, owner: Item, items: list[Item],
                    width: int) -> None:
    """The walk as it read pydantic at every field before serial8 (main at 3b12a81, with
    pydantic's own defaults): what the manifest must stay."""
    for name, info in type(model).model_fields.items():
        if (type(model), name) in NEVER_PUBLISHED:
            continue
        value = getattr(model, name)
        if value == info.get_default(call_default_factory=True) or isinstance(
                value, study_module.SourceRef):
            continue
        path = f"{prefix}{info.alias or name}"
        if name == published.DEMOGRAPHICS and isinstance(value, dict):
            for key, raw in sorted(value.items()):
                owner.fields[f"{path}.{key}"] = published.shown_value(key, raw, width)
        elif isinstance(value, BaseModel):
            _reference_walk(value, path + ".", owner, items, width)
        elif isinstance(value, list) and value and all(isinstance(v, BaseModel) for v in value):
            for position, child in enumerate(value, 1):
                ident = getattr(child, "id", None)
                label = str(ident) if isinstance(ident, str) else str(position)
                kind = re.sub(r"(?<!^)(?=[A-Z])", " ", type(child).__name__).lower()
                item = Item(kind, label, f"{owner.key}.{path}[{label}]",
                            "" if owner.key == "study" else owner.label)
                items.append(item)
                _reference_walk(child, "", item, items, width)
        else:
            _set(owner.fields, path, value)


@pytest.mark.parametrize("study", ["synthetic", "bundled"])
def test_the_manifest_is_the_same_as_the_reference_walks(
        study: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from build_site.manifest import build_manifest, render_text
    from build_site.pipeline import prepare
    from build_site.synth import default_clinicians, write_synthetic_study

    if study == "synthetic":
        write_synthetic_study(tmp_path / "s", 12, default_clinicians(12), 3, 25)
        folder = tmp_path / "s"
    else:
        folder = Path(__file__).resolve().parents[1] / "casestudies"
    prepared = prepare(folder, "public")
    fast = build_manifest(prepared)
    monkeypatch.setattr(published, "_walk", _reference_walk)
    slow = build_manifest(prepared)
    assert fast.as_json() == slow.as_json() and fast.digest == slow.digest
    assert render_text(fast) == render_text(slow)
    assert len(fast.items) > 100
