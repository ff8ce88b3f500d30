"""libyaml's composer resolves each node's tag through :func:`yamlsource._resolve`, a shorter
form of PyYAML's ``BaseResolver.resolve`` with the loader's own resolvers (issue 25): the two
give the same tag for every kind, text and plain/quoted flag."""

from __future__ import annotations

import random

import pytest
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from build_site import yamlsource
from build_site.yamlsource import _Loader, _resolve

_WORDS = ["", "true", "false", "True", "null", "Null", "~", "0", "-0", "012", "12", "-12",
          "1.5", "-0.5", "1.", ".5", "1e3", "<<", "<", "=", "yes", "no", "on", "off", "n",
          "t", "f", "-", "--", "- 1", "0x1F", "1:30", "2026-11-29", "text", "nul", "truex",
          "12a", "١٢", "１２", "\u00a0", " 1", "1 ", "nan", ".inf", "tru\u0435"]


def _texts() -> list[str]:
    rng = random.Random(25)
    alphabet = "tfnu rlaesx0123456789-.<=~+_:eE\u0131İ"
    return _WORDS + ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 7)))
                     for _ in range(5000)]


@pytest.mark.parametrize("implicit", [(True, False), (False, True), (False, False),
                                      (True, True)])
def test_scalar_tags_are_pyyamls(implicit: tuple[bool, bool]) -> None:
    loader = _Loader("")
    for text in _texts():
        assert _resolve(None, ScalarNode, text, implicit) == loader.resolve(
            ScalarNode, text, implicit), text


@pytest.mark.parametrize("kind", [MappingNode, SequenceNode])
@pytest.mark.parametrize("implicit", [True, False])
def test_collection_tags_are_pyyamls(kind: type, implicit: bool) -> None:
    assert _resolve(None, kind, None, implicit) == _Loader("").resolve(kind, None, implicit)


def test_the_fast_loader_uses_it_and_no_path_resolvers() -> None:
    fast = yamlsource._FastLoader
    assert fast.resolve is _resolve
    assert not fast.yaml_path_resolvers and None not in fast.yaml_implicit_resolvers
    assert yamlsource.load_yaml("a: [true, '1', 2, -0.5, null, <<x, x]\nb: ''\n") == {
        "a": [True, "1", 2, -0.5, None, "<<x", "x"], "b": ""}


@pytest.mark.parametrize("written", [
    "true", "false", "True", "!!bool yes", "!!bool true", "!!bool off", "null", "", "~",
    "!!null x", "!!null", "0", "-0", "12", "-12", "012", "!!int 012", "!!int 0x1F",
    "!!int 1_000", "!!int -0", "1.5", "!!float 1", "9" * 50, "'true'", "'12'"])
def test_tagged_scalars_are_read_as_pyyamls_constructors_read_them(written: str) -> None:
    text = f"a: {written}\nb:\n  - {written}\n"
    done, fast = yamlsource._fast_load(text)
    slow = _Loader(text).get_single_data()
    assert done and fast == slow and [type(v) for v in fast.values()] == [
        type(v) for v in slow.values()]
    assert type(fast["a"]) is type(slow["a"]) and type(fast["b"][0]) is type(slow["b"][0])
