from __future__ import annotations

from pathlib import Path

import pytest

from build_site.yamlsource import (
    MAX_ALIASES,
    LineDict,
    LineList,
    YamlProblem,
    _fast_load,
    _Loader,
    line_at,
    load_yaml,
)


def test_lines_of_keys_and_items_are_recorded() -> None:
    data = load_yaml("a: 1\nb:\n  - x\n  - y: 2\n    z: 3\n")
    assert line_at(data, ("a",)) == 1
    assert line_at(data, ("b", 1)) == 4
    assert line_at(data, ("b", 1, "z")) == 5
    assert line_at(data, ("b", 7)) == 2  # unknown index: deepest known line


def test_duplicate_key_is_refused_with_both_lines() -> None:
    with pytest.raises(YamlProblem) as exc:
        load_yaml("id: a\nlabel: x\nid: b\n")
    assert exc.value.line == 3
    assert "duplicate key 'id'" in exc.value.message
    assert "line 1" in exc.value.message


def test_python_tags_are_refused() -> None:
    with pytest.raises(YamlProblem) as exc:
        load_yaml("x: !!python/object/apply:os.system ['echo hi']\n")
    assert "tag not allowed" in exc.value.message


def test_alias_bomb_is_refused() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, MAX_ALIASES + 5):
        lines.append(f"a{i}: &a{i} [*a, *a]")
    with pytest.raises(YamlProblem) as exc:
        load_yaml("\n".join(lines).replace("*a,", "*a,", 1))
    assert "aliases" in exc.value.message


def test_tab_indentation_names_line_and_fix() -> None:
    with pytest.raises(YamlProblem) as exc:
        load_yaml("a:\n\tb: 1\n")
    assert exc.value.line == 2
    assert "tab" in exc.value.hint.lower()


def test_unclosed_quote_is_reported() -> None:
    with pytest.raises(YamlProblem) as exc:
        load_yaml('a: "open\nb: 2\n')
    assert exc.value.line >= 1
    assert "invalid YAML" in exc.value.message


def _shape(value: object) -> object:
    if isinstance(value, LineDict):
        return ("map", value.line, value.key_lines, {k: _shape(v) for k, v in value.items()})
    if isinstance(value, LineList):
        return ("seq", value.line, value.item_lines, [_shape(v) for v in value])
    return (type(value).__name__, value)


def test_libyaml_and_pure_python_loaders_agree_on_values_and_lines() -> None:
    text = ("id: D1-P1\ndate: 2026-11-29\nage: 47\nok: yes\nnested:\n  - a: 1\n    b: [x, y]\n"
            "  - 'quoted: text'\n  - |\n    block\n    text\n  - ~\nlast: 1.5\n")
    done, fast = _fast_load(text)
    assert done
    loader = _Loader(text)
    try:
        slow = loader.get_single_data()
    finally:
        loader.dispose()
    assert _shape(fast) == _shape(slow)
    assert fast["date"] == "2026-11-29"  # dates stay text on both paths


def test_aliases_and_errors_go_the_pure_python_way() -> None:
    assert _fast_load("a: &x 1\nb: *x\n") == (False, None)
    assert _fast_load("a:\n\tb: 1\n") == (False, None)
    assert _fast_load("a: 1\nb: \x0c\n") == (False, None)
    assert load_yaml("a: &x 1\nb: *x\n") == {"a": 1, "b": 1}


# Scalars read as written (issue 16, item 8): only true, false, null and JSON-style numbers
# are special; everything else stays the text that was typed.
@pytest.mark.parametrize(("written", "read"), [
    ("1:30", "1:30"),  # YAML 1.1: 90 (base 60)
    ("012345", "012345"),  # YAML 1.1: octal 5349; YAML 1.2 core: 12345
    ("0x1F", "0x1F"),  # hexadecimal 31
    ("0o17", "0o17"),  # YAML 1.2 octal
    ("NO", "NO"),  # a country code, not False
    ("off", "off"),
    ("y", "y"),
    ("yes", "yes"),
    ("True", "True"),
    ("~", "~"),
    ("1_000", "1_000"),
    ("+1", "+1"),
    (".inf", ".inf"),
    ("2026-11-29", "2026-11-29"),
    ("true", True),
    ("false", False),
    ("null", None),
    ("", None),
    ("0", 0),
    ("-12", -12),
    ("93", 93),
    ("0.5", 0.5),
    ("1e3", "1e3"),
    ("-1.25", -1.25),
    ("00.5", "00.5"),
])
def test_scalars_are_read_as_written(written: str, read: object) -> None:
    loaded = load_yaml(f"v: {written}\n")["v"]
    assert loaded == read and type(loaded) is type(read)
    assert load_yaml(f"- {written}\n") == [read]
    if written:
        assert load_yaml(f"v: '{written}'\n")["v"] == written  # quoted: always text


def test_both_loaders_read_scalars_alike() -> None:
    text = "a: 1:30\nb: 012345\nc: NO\nd: off\ne: y\nf: 12\ng: true\n"
    done, fast = _fast_load(text)
    assert done or fast is None
    slow = _Loader(text).get_single_data()
    assert slow == {"a": "1:30", "b": "012345", "c": "NO", "d": "off", "e": "y", "f": 12,
                    "g": True}
    if done:
        assert fast == slow


def test_mapping_keys_keep_leading_zeros() -> None:
    assert list(load_yaml("012: a\n12: b\n")) == ["012", "12"]


def test_study_demographics_keep_strings_and_typed_flags_still_read_yes(tiny: Path) -> None:
    from build_site.pipeline import load_and_validate

    dyad = tiny / "dyads" / "C1-P1.md"
    dyad.write_text(dyad.read_text()
                    .replace("demographics: {age: 93,", "demographics: {age: 93, postcode: "
                             "012345, country: NO, visit: 1:30, smoker: off, code: 0x1F,")
                    .replace("patient: {quote: true,", "patient: {quote: yes,"))
    study = load_and_validate(tiny)
    found = next(d for d in study.dyads if d.id == "C1-P1")
    assert found.demographics["postcode"] == "012345"
    assert found.demographics["country"] == "NO"
    assert found.demographics["visit"] == "1:30"
    assert found.demographics["smoker"] == "off"
    assert found.demographics["code"] == "0x1F"
    assert found.demographics["age"] == 93
    assert found.consent.patient.quote is True


# The libyaml path builds values itself (_build); PyYAML's construction is the reference.
_DOCUMENTS = [
    "a: 1\nb: [x, 'y', \"z\"]\nc: {d: true, e: null, f: -0.5}\n",
    "v: !!str 5\nw: !!int '12'\nx: !!bool yes\ny: !!float '1'\nz: !!null x\n",
    "v: !!int 0x1F\nw: !!int 012\nx: !!float 1_0.5\ny: !!bool off\n",
    "1: a\n'1': b\n",  # a duplicate once read: refused with both lines
    "1: a\n1.5: b\n-0: c\n0.0: d\n",
    "true: a\n",  # a boolean key: refused
    "~: a\n",
    "? [a, b]\n: c\n",
    "? {a: 1}\n: c\n",
    "a: &x {b: 1}\nc:\n  <<: *x\n  d: 2\n",
    "a: {<<: {b: 1}, c: 2}\n",
    "a: !!set {x, y}\n",
    "a: !!omap [x: 1, y: 2]\n",
    "a: !!binary aGVsbG8=\n",
    "a: !!timestamp 2026-11-29\n",
    "a: !!map {b: 1}\nc: !!seq [d]\n",
    "a: !!map x\n",
    "a: !!seq x\n",
    "a: !!str [x]\n",
    "a: !!float x\n",
    "a: !!bool maybe\n",
    "a: !custom 1\n",
    "!!str a: !!int 1\n",
    "= : a\n",
    "!!value = : a\n",
    "a: '*'\nb: \"x*y\"\nc: 2*3\n",
    "- a\n- - b\n  - c: [d, {e: f}]\n- ''\n- \n",
    "[]\n",
    "{}\n",
    "plain text\n",
    "",
    "# only a comment\n",
    "a: |\n  block *\n  text\nb: >\n  folded\n",
    "a:\n  b:\n    c:\n      - 1\n      - 2.5\n      - false\n",
]


def _read_both(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object]:
    import build_site.yamlsource as ys

    def read() -> object:
        try:
            return _shape(load_yaml(text))
        except YamlProblem as exc:
            return ("problem", exc.line, exc.message, exc.hint)
        except Exception as exc:  # compared, whatever it is
            return ("error", type(exc).__name__, str(exc))

    fast = read()
    with monkeypatch.context() as m:
        m.setattr(ys, "_CLoader", None)  # the pure-Python loader alone
        slow = read()
    return fast, slow


def _random_documents(count: int) -> list[str]:
    import random

    import yaml

    rng = random.Random(25)
    scalars = ["1", "012", "-0", "0.5", "1e3", "true", "false", "yes", "NO", "null", "~", "",
               "*", "a*b", "1:30", "0x1F", "x: y", "- z", "'q'", "#c", "é ſ K", "  sp ", "\n",
               "long text that wraps " * 5, "2026-11-29"]

    def value(depth: int) -> object:
        kind = rng.random()
        if depth > 3 or kind < 0.5:
            pick = rng.choice(scalars)
            return rng.choice([pick, int(rng.random() * 100), rng.random(), True, None])
        if kind < 0.75:
            return [value(depth + 1) for _ in range(rng.randint(0, 4))]
        return {rng.choice([rng.choice(scalars), str(rng.randint(0, 9)), rng.randint(0, 9)]):
                value(depth + 1) for _ in range(rng.randint(0, 4))}

    return [yaml.safe_dump({"k": value(0), "m": value(1)}, allow_unicode=rng.random() < 0.5,
                           default_flow_style=rng.choice([None, False, True]))
            for _ in range(count)]


@pytest.mark.parametrize("text", _DOCUMENTS)
def test_libyaml_path_reads_every_document_as_pyyaml_does(
        text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, slow = _read_both(text, monkeypatch)
    assert fast == slow


def test_libyaml_path_reads_random_documents_as_pyyaml_does(
        monkeypatch: pytest.MonkeyPatch) -> None:
    for text in _random_documents(400):
        fast, slow = _read_both(text, monkeypatch)
        assert fast == slow, text


def test_libyaml_path_reads_a_synthetic_studys_files_as_pyyaml_does(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from build_site.synth import default_clinicians, write_synthetic_study

    write_synthetic_study(tmp_path / "s", 12, default_clinicians(12), 3, 25)
    bundled = Path(__file__).parents[1] / "casestudies"
    files = [*sorted((tmp_path / "s").rglob("*")), *sorted(bundled.rglob("*"))]
    texts = [p.read_text(encoding="utf-8").split("\n---\n")[0].removeprefix("---\n")
             for p in files if p.suffix in (".md", ".yml") and "docs" not in p.parts]
    texts = [t for t in texts if t.strip()]
    mappings = 0
    for text in texts:
        fast, slow = _read_both(text, monkeypatch)
        assert fast == slow, text[:80]
        mappings += isinstance(fast, tuple) and fast[0] == "map"
    assert mappings > 40


def test_a_plain_document_is_built_without_pyyamls_construction(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import build_site.yamlsource as ys

    def refuse(*_args: object) -> object:
        raise AssertionError("not expected on this document")

    monkeypatch.setattr(ys._FastLoader, "construct_document", refuse)
    monkeypatch.setattr(ys, "_shares_nodes", refuse)  # no "*": no alias to look for
    data = load_yaml("id: D1\nage: 93\nok: true\nx: null\nr: 0.5\nl:\n  - a\n  - {b: c}\n")
    assert _shape(data) == _shape(_Loader(
        "id: D1\nage: 93\nok: true\nx: null\nr: 0.5\nl:\n  - a\n  - {b: c}\n").get_single_data())


@pytest.mark.parametrize("text, line", [
    ("a: !!bool maybe\n", 1),
    ("x: 1\nage: !!int abc\n", 2),
    ("x: 1\ny:\n  - 2\n  - !!float lots\n", 4),
    ("!!int abc: 1\n", 1),
    ("when: !!timestamp 2020-13-45\n", 1),
    ("age: " + "1" * 5000 + "\n", 1),
    ("x: 1\nage: !!int\n", 2),  # empty: IndexError
    ("r: !!float\n", 1),  # more digits than Python's int() reads (4,300)
])
def test_a_value_its_tag_cannot_read_is_a_yaml_problem_with_its_line(text: str,
                                                                     line: int) -> None:
    """adv6: the constructors' ValueError and KeyError used to escape load_yaml (no line; the
    CLI's internal error, exit 1) on both the libyaml and the pure-Python path."""
    with pytest.raises(YamlProblem) as caught:
        load_yaml(text)
    assert caught.value.line == line
    assert "invalid YAML value" in caught.value.message


def test_a_bad_tagged_value_in_a_study_file_exits_2_naming_file_and_line(
        tmp_path: Path) -> None:
    import shutil

    from click.testing import CliRunner

    from build_site.cli import main

    study = tmp_path / "study"
    shutil.copytree(Path(__file__).parents[1] / "casestudies", study)
    dyad = study / "dyads" / "D1-P1.md"
    lines = dyad.read_text(encoding="utf-8").split("\n")
    at = next(i for i, text in enumerate(lines) if text.startswith("  age: "))
    lines[at] = "  age: !!int abc"
    dyad.write_text("\n".join(lines), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(study)])
    assert result.exit_code == 2, result.output
    assert f"dyads/D1-P1.md:{at + 1}:" in result.output


@pytest.mark.parametrize("depth", [50, 99, 100, 101, 102, 150, 300, 450, 600, 700, 3000])
@pytest.mark.parametrize("flow", [False, True])
@pytest.mark.parametrize("last", ["1", "x"])  # own6: a string is read without a call
def test_deep_nesting_is_read_or_refused_alike_on_both_paths(
        depth: int, flow: bool, last: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """adv6: _build, one frame a level, read a 600-level document that PyYAML's construction
    (the pure-Python path, and the libyaml path before own5) refused as nested too deeply;
    and the depth at which each path gave up was Python's stack's. Now MAX_DEPTH levels on
    both, refused with the line of the first node too deep."""
    from build_site.yamlsource import MAX_DEPTH

    if flow:  # the top mapping is level 1, each "[" one more
        text = "a: " + "[" * (depth - 1) + "]" * (depth - 1) + "\n"
        if last == "x":  # the scalar x at level depth
            text = "a: " + "[" * (depth - 2) + "x" + "]" * (depth - 2) + "\n"
    else:
        # the top mapping, a's, k1's ... k(depth-3)'s, then the scalar 1 at level depth
        text = "a:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, depth - 2))
        text += "  " * (depth - 2) + f"v: {last}\n"
    fast, slow = _read_both(text, monkeypatch)
    assert fast == slow
    if depth <= MAX_DEPTH:
        assert fast[0] == "map"
    else:
        assert fast[0] == "problem" and fast[1] >= 1
        assert f"more than {MAX_DEPTH} levels" in str(fast[2])
