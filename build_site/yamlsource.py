"""Safe YAML loading that remembers where every value came from.

PyYAML's ``SafeLoader`` refuses tags that construct Python objects (``!!python/...``). On top of
it this loader: records the 1-based line of every mapping key and sequence item, refuses
duplicate keys (YAML 1.2 forbids them; PyYAML silently keeps the last), bounds alias use so
that an alias-expansion ("billion laughs") document cannot exhaust memory downstream, bounds
nesting (:data:`MAX_DEPTH`, the same on both paths below), and reports a value its tag
cannot read (``!!int abc``) with its line rather than the constructor's exception.

Documents are read with libyaml (``CSafeLoader``, whose nodes carry line numbers as well) when
it is available; a document it cannot read cleanly, or one that uses aliases, is read again by
the pure-Python loader, so limits and error messages are those of PyYAML either way. A
libyaml document is turned into values by :func:`_build` (the same values, lines and types as
PyYAML's construction, which it hands anything unusual), and is looked at for shared nodes only
when it holds a "*", the only way to write an alias.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

MAX_ALIASES = 50
MAX_DEPTH = 100
"""Levels of nesting a document may hold (the top value is level 1): deeper, a
:class:`YamlProblem` on both paths. Before (adv6) the limit was Python's stack, reached at
different depths by the pure-Python composer, libyaml with PyYAML's construction and
:func:`_build`, so a document of 150 to 600 levels was read or refused by where it was read."""


class LineDict(dict[str, Any]):
    """A mapping from YAML that knows its own line and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]


class LineList(list[Any]):
    """A sequence from YAML that knows its own line and the line of each item (1-based)."""

    line: int = 0
    item_lines: list[int]


class YamlProblem(Exception):
    """A YAML document could not be read. ``line`` is 1-based within the parsed text."""

    def __init__(self, line: int, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.line = line
        self.message = message
        self.hint = hint


class _Loader(yaml.SafeLoader):
    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._aliases = 0
        self._depth = 0

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                event = self.peek_event()  # type: ignore[no-untyped-call]
                raise YamlProblem(
                    event.start_mark.line + 1,
                    f"more than {MAX_ALIASES} YAML aliases (*name)",
                    "write the values out; aliases are limited to keep loading safe",
                )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                event = self.peek_event()  # type: ignore[no-untyped-call]
                raise YamlProblem(event.start_mark.line + 1,
                                  f"YAML nested more than {MAX_DEPTH} levels deep",
                                  "flatten the structure")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _construct_mapping(loader: _Loader, node: MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) or isinstance(key, bool):
            raise YamlProblem(key_node.start_mark.line + 1, f"unsupported mapping key {key!r}")
        key = str(key)
        if key in result:
            raise YamlProblem(
                key_node.start_mark.line + 1,
                f"duplicate key '{key}' (first on line {result.key_lines[key]})",
                "remove or rename one of them",
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _Loader, node: SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


# Scalars are read as written. PyYAML resolves YAML 1.1: "1:30" is 90 (base 60), "012345"
# the octal 5349, "0x1F" 31, "NO", "off" and "y" booleans, "2026-11-29" a date, and even
# YAML 1.2's core schema reads "012345" as 12345. Here only these plain (unquoted) scalars are
# special, a stricter subset of YAML 1.2's JSON schema (section 10.2): ``true`` and ``false``,
# ``null`` (and an empty value), and decimal numbers: an optional minus, digits with no leading
# zero, an optional decimal part; no base prefix, no "+", "_", ":" or exponent (``-12``,
# ``0.5``; ``1e3`` stays text, as it always was here). Everything else is a string, so
# free-form fields (demographics) keep exactly what was typed; typed fields still accept
# "yes"/"no" through the models' own conversion.
_DIGITS = list("-0123456789")
_Loader.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in (
    ("bool", r"(?:true|false)", ["t", "f"]),
    ("null", r"(?:null|)", ["n", ""]),
    ("int", r"-?(?:0|[1-9][0-9]*)", _DIGITS),
    ("float", r"-?(?:0|[1-9][0-9]*)\.[0-9]+", _DIGITS),
    ("merge", r"<<", ["<"]),  # structure, not a value: "<<: *base" merges a mapping
):
    _Loader.add_implicit_resolver(f"tag:yaml.org,2002:{_tag}", re.compile(f"^{_pattern}$"),
                                  _first)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def _value_problems(construct: Any) -> Any:
    """``construct`` (a scalar tag's constructor), raising :class:`YamlProblem` with the
    scalar's line for a value it cannot read (``!!int abc``, ``!!bool maybe``, ``!!timestamp
    2020-13-45``, an empty ``!!int`` or ``!!float``, an integer of more than 4,300 digits,
    which Python's ``int`` refuses) instead of its ``ValueError``, ``KeyError`` or
    ``IndexError``, which carried no line and ended the run as an internal error (exit 1).
    A scalar has no children, so this adds no frame per level of nesting."""

    def checked(loader: Any, node: Node) -> Any:
        try:
            return construct(loader, node)
        except (ValueError, KeyError, IndexError, TypeError, OverflowError) as exc:
            raise YamlProblem(
                node.start_mark.line + 1,
                f"invalid YAML value {str(node.value)[:40]!r} for tag {node.tag}: {exc}"[:200],
                "write the value without the '!!' tag, or as the tag expects",
            ) from None

    return checked


for _scalar in ("null", "bool", "int", "float", "binary", "timestamp"):
    _Loader.add_constructor(f"tag:yaml.org,2002:{_scalar}",
                            _value_problems(_Loader.yaml_constructors[f"tag:yaml.org,2002:{_scalar}"]))

_CLoader: type[Any] | None = getattr(yaml, "CSafeLoader", None)
if _CLoader is not None:
    class _FastLoader(_CLoader):  # type: ignore[misc,valid-type]
        """libyaml's parser and composer (marks carry lines too), the same resolvers and
        constructors as :class:`_Loader`."""

    _FastLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers
    _FastLoader.yaml_constructors = _Loader.yaml_constructors

# The characters PyYAML's reader refuses; libyaml's checks differ, so such text goes the
# pure-Python way and gets its message.
_NON_PRINTABLE = re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD"
                            "\U00010000-\U0010ffff]")


_TAG = "tag:yaml.org,2002:"
_STR, _MAP, _SEQ = _TAG + "str", _TAG + "map", _TAG + "seq"
# What PyYAML's ``BaseResolver.resolve`` does with these resolvers, called by libyaml's
# composer for each of the 230,000 nodes of a 1,000-dyad study (about a tenth of loading):
# no resolver is keyed by None (a wildcard) and no path resolver is added, so a plain scalar
# is tried against the resolvers of its first character ("" for an empty one) and anything
# else takes its kind's default tag; ``descend_resolver`` and ``ascend_resolver`` do nothing
# without path resolvers. tests/test_yaml_resolve.py compares it with PyYAML's own.
assert None not in _Loader.yaml_implicit_resolvers and not _Loader.yaml_path_resolvers
_RESOLVERS: dict[str, list[tuple[str, re.Pattern[str]]]] = _Loader.yaml_implicit_resolvers


def _resolve(_loader: Any, kind: type[Node], value: Any, implicit: Any) -> str:
    """The tag PyYAML's resolver gives a node of ``kind`` (``value`` its text for a scalar;
    ``implicit``, for a scalar, whether it was written plain and whether quoted, untagged)."""
    if kind is ScalarNode:
        if implicit[0]:
            for tag, pattern in _RESOLVERS.get(value[:1], ()):
                if pattern.match(value):
                    return tag
        return _STR
    return _SEQ if kind is SequenceNode else _MAP


def _no_path(*_args: Any) -> None:
    """``descend_resolver`` and ``ascend_resolver`` with no path resolver: nothing to do."""


if _CLoader is not None:
    _FastLoader.resolve = _resolve
    _FastLoader.descend_resolver = _no_path
    _FastLoader.ascend_resolver = _no_path
_SCALARS = {_TAG + "null": "construct_yaml_null", _TAG + "bool": "construct_yaml_bool",
            _TAG + "int": "construct_yaml_int", _TAG + "float": "construct_yaml_float"}
_KEY_TAGS = (_STR, _TAG + "int", _TAG + "float")
_BOOL, _NULL, _INT = _TAG + "bool", _TAG + "null", _TAG + "int"
_BOOLS = {"true": True, "false": False}
_PLAIN_INT = re.compile(r"-?(?:0|[1-9][0-9]*)\Z")


class _Unusual(Exception):
    """A node :func:`_build` leaves to PyYAML's own construction."""


class _TooDeep(Exception):
    """A node deeper than :data:`MAX_DEPTH`: the pure-Python path refuses the document."""


def _build(loader: Any, node: Node, depth: int = 1) -> Any:
    """The value of a composed document with no shared node, as ``loader.construct_document``
    gives it (:func:`_construct_mapping`, :func:`_construct_sequence`, PyYAML's own
    constructors for null, bool, int and float, a string's text as written), built without
    PyYAML's generic machinery (about half of the time of reading a document).

    Raises:
        _Unusual: the document holds anything else: another tag, a merge ("<<") or value
            ("=") key, a key that is not a string or number, a duplicate key, a mapping or
            sequence under a scalar's tag; the caller then constructs it the usual way, which
            gives the same value or the same error as before.
        _TooDeep: a node deeper than :data:`MAX_DEPTH` (``depth`` counts from 1, as the
            pure-Python composer counts); the caller reads the document that way, which
            refuses it with the line.
    """
    tag = node.tag
    if depth > MAX_DEPTH:
        raise _TooDeep
    if isinstance(node, MappingNode):
        if tag != _MAP:
            raise _Unusual
        result = LineDict()
        result.line = node.start_mark.line + 1
        key_lines: dict[str, int] = {}
        result.key_lines = key_lines
        # A string below is its text, read here rather than by a call (half the nodes).
        inline = depth < MAX_DEPTH
        for key_node, value_node in node.value:
            if inline and key_node.tag == _STR and type(key_node) is ScalarNode:
                key = key_node.value
            elif key_node.tag not in _KEY_TAGS or isinstance(key_node, (MappingNode,
                                                                        SequenceNode)):
                raise _Unusual  # "<<" and "=" (flatten_mapping), booleans, nulls, structures
            else:
                key = str(_build(loader, key_node, depth + 1))
            if key in result:
                raise _Unusual  # refused by _construct_mapping, with both lines
            if inline and value_node.tag == _STR and type(value_node) is ScalarNode:
                result[key] = value_node.value
            else:
                result[key] = _build(loader, value_node, depth + 1)
            key_lines[key] = key_node.start_mark.line + 1
        return result
    if isinstance(node, SequenceNode):
        if tag != _SEQ:
            raise _Unusual
        inline = depth < MAX_DEPTH
        items = LineList([child.value
                          if inline and child.tag == _STR and type(child) is ScalarNode
                          else _build(loader, child, depth + 1) for child in node.value])
        items.line = node.start_mark.line + 1
        items.item_lines = [child.start_mark.line + 1 for child in node.value]
        return items
    if tag == _STR:
        return node.value
    value = node.value
    # What PyYAML's constructors give the plain scalars the resolvers above tag (a tagged
    # "!!bool yes" or "!!int 012" is left to them).
    if tag == _BOOL and value in _BOOLS:
        return _BOOLS[value]
    if tag == _NULL:
        return None
    if tag == _INT and _PLAIN_INT.match(value):
        return int(value)
    method = _SCALARS.get(tag)
    if method is None:
        raise _Unusual
    return getattr(loader, method)(node)


def _shares_nodes(root: Node) -> bool:
    """Whether a composed document reuses a node (an alias), without expanding it."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            return True
        seen.add(id(node))
        if isinstance(node, MappingNode):
            stack.extend(part for pair in node.value for part in pair)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
    return False


def _fast_load(text: str) -> tuple[bool, Any]:
    """(True, data) when libyaml reads ``text`` cleanly with no alias and no error; else
    (False, None), and the caller reads it the pure-Python way, which enforces the alias limit
    and words every error as before."""
    if _CLoader is None or _NON_PRINTABLE.search(text):
        return False, None
    loader = _FastLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return True, None
        # An alias is written "*name": without a "*" no node can be shared (most documents).
        if "*" in text and _shares_nodes(node):
            return False, None
        try:
            return True, _build(loader, node)
        except _TooDeep:
            return False, None
        except Exception:  # _Unusual, or any error: PyYAML's construction gives its own
            return True, loader.construct_document(node)
    except (yaml.YAMLError, YamlProblem, RecursionError):
        return False, None
    finally:
        loader.dispose()


def load_yaml(text: str) -> Any:
    """Parse one YAML document safely, keeping line numbers.

    Args:
        text: the YAML source (already decoded).

    Returns:
        ``LineDict``/``LineList``/scalars; ``None`` for an empty document.

    Raises:
        YamlProblem: on syntax errors (tabs, unclosed quotes), duplicate keys, unsafe tags,
            a value its tag cannot read (``!!int abc``), more than :data:`MAX_DEPTH` levels
            of nesting or too many aliases, with the 1-based line.
    """
    done, data = _fast_load(text)
    if done:
        return data
    try:
        loader = _Loader(text)
    except yaml.YAMLError as exc:
        raise YamlProblem(0, f"unreadable YAML: {exc}",
                          "remove control characters such as NUL or form feed") from None
    try:
        return loader.get_single_data()
    except YamlProblem:
        raise
    except yaml.constructor.ConstructorError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 0
        raise YamlProblem(
            line,
            f"YAML tag not allowed: {exc.problem}",
            "remove the '!!' tag; only plain YAML values are accepted",
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        problem = exc.problem or "invalid YAML"
        hint = "check indentation and quotes"
        if "'\\t'" in problem or "tab" in problem.lower():
            hint = "YAML does not allow tab characters for indentation; use spaces"
        raise YamlProblem(line, f"invalid YAML: {problem}", hint) from None
    except yaml.reader.ReaderError as exc:
        line = exc.position and text.count("\n", 0, exc.position) + 1
        raise YamlProblem(line or 0, f"invalid character in YAML: {exc.reason}",
                          "remove control characters such as NUL or form feed") from None
    except yaml.YAMLError as exc:
        raise YamlProblem(0, f"invalid YAML: {exc}", "check indentation and quotes") from None
    except RecursionError:
        raise YamlProblem(0, "YAML nested too deeply", "flatten the structure") from None
    finally:
        loader.dispose()


def line_at(data: Any, path: tuple[Any, ...]) -> int:
    """Return the best-known 1-based line of the value at ``path`` inside ``data`` (0 if none).

    ``path`` is a pydantic-style location: mapping keys and sequence indexes.
    """
    line = getattr(data, "line", 0)
    node = data
    for step in path:
        if isinstance(node, LineDict) and isinstance(step, str) and step in node:
            line = node.key_lines.get(step, line)
            node = node[step]
        elif isinstance(node, LineList) and isinstance(step, int) and 0 <= step < len(node):
            line = node.item_lines[step]
            node = node[step]
        else:
            break
    return line
