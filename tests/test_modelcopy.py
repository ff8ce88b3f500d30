"""``modelcopy.copied`` gives what pydantic's ``model_copy(update=...)`` gives (issue 25): the
same class, values, fields set, extra fields and private attributes, for every model of a
validated study and for models it must leave to ``model_copy``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, PrivateAttr

from build_site.modelcopy import copied
from build_site.pipeline import load_and_validate
from build_site.synth import write_synthetic_study

REPO = Path(__file__).resolve().parents[1]


def _state(model: BaseModel) -> tuple[Any, ...]:
    return (type(model), model.__dict__, model.__pydantic_fields_set__,
            model.__pydantic_extra__, getattr(model, "__pydantic_private__", None))


def _models(value: Any) -> list[BaseModel]:
    if isinstance(value, BaseModel):
        return [value, *(m for name in type(value).model_fields
                         for m in _models(getattr(value, name)))]
    if isinstance(value, (list, tuple)):
        return [m for v in value for m in _models(v)]
    if isinstance(value, dict):
        return [m for v in value.values() for m in _models(v)]
    return []


def test_every_model_of_a_study_is_copied_as_model_copy_copies_it(tmp_path: Path) -> None:
    write_synthetic_study(tmp_path / "s", 6, 2, 4, 3)
    models = [m for path in (REPO / "casestudies", tmp_path / "s")
              for m in _models(load_and_validate(path))]
    assert len({type(m) for m in models}) > 10
    for i, model in enumerate(models):
        names = list(type(model).model_fields)
        update = {name: f"new {i}" for name in names[i % 3::3]}
        for upd in (update, {}):
            mine, theirs = copied(model, upd), model.model_copy(update=upd)
            assert _state(mine) == _state(theirs)
            assert mine.__pydantic_fields_set__ is not model.__pydantic_fields_set__
            assert mine.__dict__ is not model.__dict__
        assert model.__dict__ is not None and all(
            model.__dict__[n] != f"new {i}" for n in update)  # the original is unchanged


class _Extra(BaseModel):
    model_config = ConfigDict(extra="allow")
    a: int = 1


class _Private(BaseModel):
    a: int = 1
    _p: int = PrivateAttr(default=5)


def test_extra_fields_and_private_attributes_are_left_to_model_copy() -> None:
    extra = _Extra(a=2, b=3)  # type: ignore[call-arg]
    for upd in ({"a": 4, "c": 5}, {"b": 6}):
        assert _state(copied(extra, upd)) == _state(extra.model_copy(update=upd))
    private = _Private(a=2)
    private._p = 7
    assert _state(copied(private, {"a": 3})) == _state(private.model_copy(update={"a": 3}))
    assert copied(private, {"a": 3})._p == 7
