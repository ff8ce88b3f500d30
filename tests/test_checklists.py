"""Issue 19 item 4: checklists the team confirmed, item by item, with initials and a date;
no score headline; the tool's suggestions only in the review build."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from build_site.errors import StudyError
from build_site.pipeline import build, load_and_validate
from build_site.signoff import fingerprint

REPO = Path(__file__).resolve().parents[1]


def _report(study: Path, block: str) -> None:
    path = study / "study.yml"
    path.write_text(path.read_text() + block)


def _problems(study: Path) -> list[tuple[int, str]]:
    with pytest.raises(StudyError) as caught:
        load_and_validate(study)
    return [(p.line, p.message) for p in caught.value.problems if p.file == "study.yml"]


def test_bad_entries_are_named_with_their_line(tiny: Path) -> None:
    _report(tiny, "reporting:\n  coreq:\n"
                  "    '40': {status: reported, where: Manuscript, by: AB, on: '2026-12-01'}\n"
                  "    '1': {status: reported, by: AB, on: '2026-12-01'}\n"
                  "    '2': {status: not-applicable, by: AB, on: yesterday}\n")
    lines = (tiny / "study.yml").read_text().splitlines()
    at = {key: next(i for i, line in enumerate(lines, 1) if line.startswith(f"    '{key}'"))
          for key in ("40", "1", "2")}
    problems = _problems(tiny)
    assert (at["40"], "reporting.coreq: unknown item '40'") in problems
    assert (at["1"], "reporting.coreq.1: reported but neither where nor quote") in problems
    assert (at["2"], "reporting.coreq.2: not applicable without a reason") in problems
    assert (at["2"], "reporting.coreq.2: 'yesterday' is not a date") in problems


def test_a_confirmation_needs_initials_and_a_date(tiny: Path) -> None:
    _report(tiny, "reporting:\n  coreq:\n    '1': {status: reported, where: Manuscript}\n")
    messages = " ".join(m for _, m in _problems(tiny))
    assert "by" in messages and "on" in messages


def test_each_confirmation_is_inside_the_sign_off(tiny: Path) -> None:
    entry = "    '1': {status: reported, where: Manuscript, by: AB, on: '2026-12-01'}\n"
    _report(tiny, "reporting:\n  coreq:\n" + entry)
    before = fingerprint(tiny)
    path = tiny / "study.yml"
    path.write_text(path.read_text().replace("by: AB", "by: CD"))
    assert fingerprint(tiny) != before


def _table_text(page: Path) -> str:
    return re.sub(r"<[^>]+>", " ", page.read_text("utf-8"))


def test_public_checklists_show_no_score_and_no_suggestion(tiny: Path, tmp_path: Path) -> None:
    _report(tiny, "methods:\n  sampling: Purposive.\n  analysis: Coded, then compared.\n"
                  "reporting:\n  coreq:\n"
                  "    '23': {status: reported-as-not-done, quote: Transcripts were not"
                  " returned., by: AB, on: '2026-12-01'}\n")
    build(tiny, tmp_path / "public")
    build(tiny, tmp_path / "review", audience="review")
    for name in ("coreq", "srqr"):
        public = _table_text(tmp_path / "public" / "methods" / f"{name}.html")
        assert not re.search(r"\d+ of \d+ items|items are reported", public)
        assert "uggest" not in public
    coreq = (tmp_path / "public" / "methods" / "coreq.html").read_text("utf-8")
    row23 = re.search(r"<td>23</td>.*?</tr>", coreq, re.S)
    assert row23 and "Reported as not done" in row23.group(0)
    assert "Transcripts were not returned." in row23.group(0)
    assert "(confirmed AB, 2026-12-01)" in row23.group(0)
    row10 = re.search(r"<td>10</td>.*?</tr>", (tmp_path / "public" / "methods" / "coreq.html")
                      .read_text("utf-8"), re.S)
    assert row10 and "Not confirmed by the team" in row10.group(0)
    review = (tmp_path / "review" / "methods" / "coreq.html").read_text("utf-8")
    row10 = re.search(r"<td>10</td>.*?</tr>", review, re.S)
    assert row10 and "Suggested, to confirm" in row10.group(0)
    for item in ("30", "31", "32"):
        row = re.search(rf"<td>{item}</td>.*?</tr>", review, re.S)
        assert row and "Suggested" not in row.group(0)


def test_the_bundled_checklists_are_confirmed_item_by_item() -> None:
    study = load_and_validate(REPO / "casestudies")
    coreq, srqr = study.meta.reporting.coreq, study.meta.reporting.srqr
    assert set(coreq) == {str(n) for n in range(1, 30)}
    assert set(srqr) == {f"S{n}" for n in range(1, 22)}
    assert all(not isinstance(e, str) and e.by and e.on for e in [*coreq.values(),
                                                                   *srqr.values()])
    # The supplement has no title page of its own; its abstract is on the home page.
    assert srqr["S1"].status == "not-reported"  # type: ignore[union-attr]
    assert (srqr["S2"].status, srqr["S2"].where) == (  # type: ignore[union-attr]
        "reported", "index.md#abstract")
