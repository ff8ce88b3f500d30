"""JSON Schemas of the study-folder files, generated from the pydantic models in
:mod:`build_site.study` so editors can validate while the team types.

``write_schemas(folder)`` regenerates them; the shipped copies in this folder are checked
against the models by the tests.
"""

from __future__ import annotations

import json
from pathlib import Path

from build_site.study import FILE_MODELS

SCHEMA_DIR = Path(__file__).parent


# Filled in by the loader (the Markdown body, the file and line) or the build (an excerpt's
# context turns, from the transcript), not written by the team.
_DERIVED = ("narrative", "source", "context_turns")


def _strip_derived(node: object) -> None:
    if isinstance(node, dict):
        props = node.get("properties")
        if isinstance(props, dict):
            for name in _DERIVED:
                props.pop(name, None)
        for value in node.values():
            _strip_derived(value)
    elif isinstance(node, list):
        for value in node:
            _strip_derived(value)


def schema_texts() -> dict[str, str]:
    """File name -> JSON Schema text (sorted keys, 2-space indent, trailing newline)."""
    out = {}
    for name, model in FILE_MODELS.items():
        schema = model.model_json_schema(by_alias=True)
        _strip_derived(schema)
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = f"https://build-site.invalid/schema/{name}.schema.json"
        out[f"{name}.schema.json"] = json.dumps(schema, indent=2, sort_keys=True) + "\n"
    return out


def write_schemas(folder: Path = SCHEMA_DIR) -> list[Path]:
    """Write every schema into ``folder``; returns the paths written."""
    paths = []
    for name, text in schema_texts().items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths
