from __future__ import annotations

import json
from pathlib import Path

import yaml

from build_site.schema import SCHEMA_DIR, schema_texts
from build_site.study import Dyad

from .conftest import FIXTURES


def test_shipped_schemas_match_the_models() -> None:
    for name, text in schema_texts().items():
        assert (SCHEMA_DIR / name).read_text(encoding="utf-8") == text, (
            f"{name} is stale: run python -c 'from build_site.schema import write_schemas; "
            "write_schemas()'"
        )


def test_dyad_schema_describes_the_front_matter() -> None:
    schema = json.loads((SCHEMA_DIR / "dyad.schema.json").read_text(encoding="utf-8"))
    assert {"id", "clinician", "excerpts", "consent"} <= set(schema["properties"])
    assert "narrative" not in schema["properties"]
    assert schema["additionalProperties"] is False
    front = (FIXTURES / "tiny" / "dyads" / "C1-P2.md").read_text().split("---")[1]
    assert Dyad.model_validate(yaml.safe_load(front)).id == "C1-P2"


def test_schema_files_are_valid_json(tmp_path: Path) -> None:
    for path in SCHEMA_DIR.glob("*.schema.json"):
        assert json.loads(path.read_text(encoding="utf-8"))["$schema"].endswith("schema")
