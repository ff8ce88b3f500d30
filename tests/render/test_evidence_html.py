"""A component page's evidence built in Python (:mod:`build_site.render.evidence_html`, issue
25) writes the bytes the template's loop wrote (``tests/fixtures/templates/component_loop.md.j2``,
``component.md.j2`` before), for every component page of the bundled and OSCE studies, public
and review, in the plain and the compact form, and with a group of dyads without a clinician."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from jinja2 import ChoiceLoader, FileSystemLoader

from build_site.pipeline import Purpose, _render_context, declare_pages, prepare
from build_site.render.diagrams import DiagramRenderer

REPO = Path(__file__).resolve().parents[2]
TEMPLATES = Path(__file__).resolve().parents[1] / "fixtures" / "templates"


def _variants(context: dict[str, Any]) -> list[dict[str, Any]]:
    """The page's context as it is, in the other form (compact or not), and with its first
    case also under a group without a clinician and as a clinician's own interview."""
    groups = context["groups"]
    variants = [context, {**context, "compact": not context["compact"]}]
    if groups and groups[0]["cases"]:
        case = groups[0]["cases"][0]
        extra = [{"clinician": "", "cases": [case, {**case, "dyad": None}]},
                 {"clinician": groups[0]["clinician"] or "C0", "cases": [{**case, "dyad": ""}]}]
        for compact in (False, True):
            variants.append({**context, "groups": [*groups, *extra], "compact": compact})
    return variants


@pytest.mark.parametrize("purpose", ["public", "review"])
@pytest.mark.parametrize("study_dir", ["casestudies", "examples/osce"])
def test_python_evidence_equals_the_template_loop(study_dir: str, purpose: Purpose,
                                                  tmp_path: Path) -> None:
    prepared = prepare(REPO / study_dir, purpose)
    ctx = _render_context(prepared, DiagramRenderer(tmp_path / "diagrams"))
    env = ctx.env.overlay(loader=ChoiceLoader([FileSystemLoader(TEMPLATES), ctx.env.loader]))
    ctx.__dict__["env"] = env  # the old template beside the new, same finalize
    site = declare_pages(prepared, ctx)
    records = [r for r in site.records if r.generated and r.template == "component.md.j2"]
    assert records
    compared = 0
    for record in records:
        for context in _variants(record.context()):
            args = (record.path, record.title, record.hide)
            new = ctx.render("component.md.j2", *args, **context).markdown
            old = ctx.render("component_loop.md.j2", *args, **context).markdown
            assert new == old, record.path
            compared += 1
    assert compared > 2 * len(records)  # most pages with the extra groups too
    blocks = "".join(ctx._blocks.values())  # the figures and raw headings, lifted
    assert "<figure" in blocks and '<h4 id="dyad-' in blocks and "<h3 id=\"dyads\"" in blocks
    if study_dir == "casestudies":
        assert "bs-flag-heading" in blocks
