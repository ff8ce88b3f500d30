"""A study whose every free-text field in study.yml, model.yml and codebook.yml holds markup
that would run if printed as HTML (shared by the fast and the browser XSS tests).

Which fields are free text is read from the JSON schemas: every string with no ``pattern``,
``enum`` or ``format`` (ids, colours and references are patterns, so they keep their values).
Each field gets its own marker (``zq`` and a number) followed by the same hostile tail, so a
test can find the field on a page and compare what a reader sees with what was typed.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from .conftest import FIXTURES

# The handlers set window.__xss: a test reads it after every page.
TAIL = ('<img src=x onerror=window.__xss=1> "><svg onload=window.__xss=2> '
        "[go](javascript:window.__xss=3) javascript:window.__xss=4 "
        "Smith & Jones's \"care\" &amp; a<b")
# Fields whose value is Markdown the team writes (rendered and sanitised, so the visible text
# is the rendered Markdown, not the typed characters): study.yml overview, interview_guide,
# methods.*, member_checking.description, saturation.statement (on the methods page).
MARKDOWN_FIELDS = ("overview", "interview_guide", "methods.", "member_checking.description",
                   "saturation.statement", "abstract", "results.text")
# Free-text fields that must keep a valid value for the study to be accepted at all.
KEEP = {
    "publication.case_key",  # a secret, never published
    "publication.dyad_demographics",  # field names, not prose
    "date_released",  # validated as a date
    "sign_off.date",
}


@dataclass
class Hostile:
    """The study folder and, per marker, the field path and the full typed value."""

    folder: Path
    typed: dict[str, str] = field(default_factory=dict)  # marker -> value
    paths: dict[str, str] = field(default_factory=dict)  # marker -> "file: dotted.path"

    def is_markdown(self, marker: str) -> bool:
        """Whether the field of ``marker`` is Markdown (see MARKDOWN_FIELDS)."""
        file, _, path = self.paths[marker].partition(": ")
        return file == "study.yml" and path.startswith(MARKDOWN_FIELDS)


def _schema(name: str) -> dict[str, Any]:
    text = (resources.files("build_site") / "schema" / f"{name}.schema.json").read_text("utf-8")
    return dict(json.loads(text))


def _resolve(node: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in node:
        return _resolve(root["$defs"][node["$ref"].rsplit("/", 1)[1]], root)
    for option in node.get("anyOf", []):
        option = _resolve(option, root)
        if option.get("type") in ("object", "array") or (
                option.get("type") == "string" and "pattern" not in option):
            return option
    return node


def _free_text(node: dict[str, Any]) -> bool:
    return node.get("type") == "string" and not {"pattern", "enum", "format"} & set(node)


class _Filler:
    def __init__(self, hostile: Hostile) -> None:
        self.hostile = hostile

    def fill(self, file: str, value: Any, node: dict[str, Any], root: dict[str, Any],
             path: str) -> Any:
        node = _resolve(node, root)
        if path.strip(".") in KEEP:
            return value
        if isinstance(value, dict):
            props = node.get("properties", {})
            extra = node.get("additionalProperties")
            return {k: self.fill(file, v, props.get(k, extra if isinstance(extra, dict) else {}),
                                 root, f"{path}{k}.") for k, v in value.items()}
        if isinstance(value, list):
            return [self.fill(file, v, node.get("items", {}), root, path) for v in value]
        if isinstance(value, str) and _free_text(node):
            marker = f"zq{len(self.hostile.typed) + 1:02d}"
            self.hostile.typed[marker] = f"{marker} {TAIL}"
            self.hostile.paths[marker] = f"{file}: {path.strip('.')}"
            return self.hostile.typed[marker]
        return value


# Every field of study.yml that the schema has, with a placeholder where it is free text.
STUDY: dict[str, Any] = {
    # not a demonstration: one refuses DOIs and addresses outside the example domains
    "title": "t", "subtitle": "t", "demonstration": False, "overview": "t", "publisher": "t",
    "team": [{"name": "t", "role": "t", "background": "t", "affiliation": "t",
              "orcid": "0000-0002-1825-0097"}],
    # url and doi are checked (http(s) only, DOI syntax), so they are not free text
    "article": {"text": "t", "doi": "10.1234/t", "url": "https://example.org/t"},
    "citation": {"text": "t", "doi": "10.1234/t", "url": "https://example.org/t"},
    "based_on": {"text": "t", "url": "https://example.org/t", "doi": "10.1234/t"},
    "license": "t", "version": "t", "date_released": "2026-01-02", "keywords": ["t", "t"],
    "methods": {"approach": "t", "sampling": "t", "interviews": "t", "analysis": "t",
                "data_processing": "t", "setting": "t", "ethics": "t"},
    "interviewer": {k: "t" for k in ("name", "credentials", "occupation", "gender",
                                     "experience", "relationship", "participant_knowledge",
                                     "characteristics")},
    "analysis_steps": [{"title": "t", "when": "t", "description": "t"}],
    "member_checking": {"description": "t", "feedback": [{"participant": "t", "summary": "t"}]},
    "saturation": {"after_interview": 2, "statement": "t"},
    "interview_guide": "t",
    "feedback_questions": ["t"],
    "labels": {"kinds": {"competency": "t", "process": "t", "outcome": "t"},
               **{k: "t" for k in ("clinician", "clinicians", "dyad", "dyads", "patient",
                                   "patients")}},
    "abstract": "t", "demonstration_note": "t",
    "interview_guide_rounds": [{"round": "t", "from_interview": 1, "changes": "t", "guide": "t"}],
    "results": [{"component": "caring", "text": "t", "excerpt_ids": ["C1-P1-E1"]}],
    "data_availability": {"deposit": "t", "requests": "t", "transcripts": "t"},
    "reporting": {"coreq": {"1": "t"}, "srqr": {"S1": "t"}},
    "sign_off": {"by": "t", "role": "t", "date": "2026-01-02",
                 "manifest": "sha256:" + "0" * 64},
    "publication": {"contrastive_comments": False, "min_cell_size": 2, "counts": True},
}


# A relation's claim fields (issue 19), on a process-to-outcome relation (dyads may show it).
_CLAIM: dict[str, Any] = {
    "conditions": {"holds_when": "t", "not_when": "t"}, "basis": ["participants-words"],
    "illustrative_cases": [{"case": "C1-P1", "account": "t", "excerpt_ids": ["C1-P1-E2"]},
                           {"case": "C1-P2", "account": "t"}],
    "negative_cases": [{"case": "C1-P1", "account": "t", "consequence": "left-unexplained"}],
    "memo": "t",
}


def hostile_study(target: Path) -> Hostile:
    """Copy the tiny fixture study to ``target`` with every free-text field of study.yml,
    model.yml and codebook.yml replaced by a marker and :data:`TAIL`."""
    shutil.copytree(FIXTURES / "tiny", target)
    hostile = Hostile(target)
    filler = _Filler(hostile)
    for name, data in (("study", STUDY), ("model", None), ("codebook", None)):
        file = target / f"{name}.yml"
        if data is None:
            data = yaml.safe_load(file.read_text("utf-8"))
        if name == "model":
            data["version"] = "t"
            for relation in data["relations"]:
                relation["description"] = "t"
                if relation["id"] == "caring-builds-trust":  # a claim in every field
                    relation.update(_CLAIM)
        schema = _schema(name)
        filled = filler.fill(f"{name}.yml", data, schema, schema, "")
        file.write_text(yaml.safe_dump(filled, sort_keys=False, allow_unicode=True), "utf-8")
    # The surnames of the tail are the team's to publish, as a reviewer would decide.
    (target / "private" / "reviewed.yml").write_text("allow: [Smith, Jones]\n", "utf-8")
    return hostile


def free_text_paths(name: str) -> set[str]:
    """Dotted paths of every free-text field the schema of ``name`` declares (list items and
    open mappings as ``*``)."""
    schema = _schema(name)
    found: set[str] = set()

    def walk(node: dict[str, Any], path: str, depth: int) -> None:
        node = _resolve(node, schema)
        if depth > 6:
            return
        if _free_text(node):
            found.add(path.strip("."))
        for key, child in node.get("properties", {}).items():
            walk(child, f"{path}{key}.", depth + 1)
        if isinstance(node.get("additionalProperties"), dict):
            walk(node["additionalProperties"], f"{path}*.", depth + 1)
        if isinstance(node.get("items"), dict):
            walk(node["items"], path, depth + 1)

    walk(schema, "", 0)
    return found
