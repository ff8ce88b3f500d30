"""``context.tidy`` written on each line's first character gives what the rules written one by
one gave (the function as it was before render6), on every page of two studies before it is
tidied and on generated texts."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from build_site.pipeline import Purpose, _render_context, declare_pages, prepare
from build_site.render import context
from build_site.render.diagrams import DiagramRenderer

REPO = Path(__file__).resolve().parents[2]


def rules_tidy(text: str) -> str:
    """``tidy`` as it was: each rule spelled out on the whole previous line."""
    out: list[str] = []
    for line in (raw.rstrip() for raw in text.splitlines()):
        previous = out[-1] if out else ""
        if not line and not previous:
            continue
        ends_table = previous.startswith("|") and line and not line.startswith("|")
        starts_block = line.startswith(("#", "|")) and previous and not previous.startswith("|")
        if ends_table or (starts_block and not previous.startswith("#")):
            out.append("")
        out.append(line)
    return "\n".join(out).strip() + "\n"


PIECES = ["", " ", "\t", "#", "# h", "## x", "|", "| a | b |", "|---|", "text", " indented",
          "  | not a table", "<div>", "x  ", "#|", "|#", "\u2028", "\x0c", "\x1c", "\x85",
          "\r", "\r\n", "\u00a0", " #", "a|b", "\u3000x"]


def test_tidy_equals_the_rules_on_generated_texts() -> None:
    rng = random.Random(6)
    for _ in range(20_000):
        lines = [rng.choice(PIECES) + rng.choice(PIECES) for _ in range(rng.randrange(12))]
        text = rng.choice(["\n", "\r\n", "\n\n"]).join(lines) + rng.choice(["", "\n", " \n"])
        assert context.tidy(text) == rules_tidy(text), repr(text)


@pytest.mark.parametrize("purpose", ["public", "review"])
@pytest.mark.parametrize("study_dir", ["casestudies", "examples/osce"])
def test_tidy_equals_the_rules_on_every_page(study_dir: str, purpose: Purpose, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    tidy = context.tidy

    def both(text: str) -> Any:
        seen.append(text)
        new = tidy(text)
        assert new == rules_tidy(text)
        return new

    monkeypatch.setattr(context, "tidy", both)
    prepared = prepare(REPO / study_dir, purpose)
    ctx = _render_context(prepared, DiagramRenderer(tmp_path / "diagrams"))
    declare_pages(prepared, ctx).render(ctx)
    assert len(seen) > 20 and any("\n|" in text for text in seen)
