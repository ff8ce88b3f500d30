"""The manifest's walk over the published study (issue 25, own5): each field's default read
once per model and field, a list of strings taken as the JSON round trip gives it; the
manifest the same item for item."""

from __future__ import annotations

import itertools
import json
from enum import StrEnum
from pathlib import Path

import pytest
from pydantic import BaseModel, Field

import build_site.published as published
import build_site.study as study_module
from build_site.published import _default, _set


def _models() -> list[type[BaseModel]]:
    return [m for m in vars(study_module).values()
            if isinstance(m, type) and issubclass(m, BaseModel) and m is not BaseModel]


def test_every_fields_default_is_pydantics() -> None:
    checked = 0
    for model in _models():
        for name, info in model.model_fields.items():
            for _ in range(2):  # the first call fills the cache, the second reads it
                assert _default(model, name, info) == info.get_default(
                    call_default_factory=True), (model, name)
            checked += 1
    assert checked > 100


def test_a_default_made_by_another_factory_is_asked_each_time() -> None:
    counter = itertools.count()

    class Counted(BaseModel):
        n: int = Field(default_factory=lambda: next(counter))
        tags: list[str] = Field(default_factory=list)

    info = Counted.model_fields["n"]
    assert [_default(Counted, "n", info) for _ in range(3)] == [0, 1, 2]
    assert _default(Counted, "tags", Counted.model_fields["tags"]) == []
    assert (Counted, "tags") in published._DEFAULTS and (Counted, "n") not in published._DEFAULTS


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


def test_the_manifest_is_the_same_with_pydantics_defaults(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from build_site.manifest import build_manifest
    from build_site.pipeline import prepare
    from build_site.synth import default_clinicians, write_synthetic_study

    write_synthetic_study(tmp_path / "s", 12, default_clinicians(12), 3, 25)
    prepared = prepare(tmp_path / "s", "public")
    fast = build_manifest(prepared)
    monkeypatch.setattr(published, "_default",
                        lambda model, name, info: info.get_default(call_default_factory=True))
    slow = build_manifest(prepared)
    assert fast.as_json() == slow.as_json() and fast.digest == slow.digest
    assert len(fast.items) > 100
