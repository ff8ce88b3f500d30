"""The analytic trail of the model history (issue 24 item 2): dated memos filed under the
version they led to, and codebook changes that account for the codebook as it is."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from build_site.errors import StudyError
from build_site.pipeline import build, load_and_validate

# The tiny study's codebook holds heard, kindness, long-haul, relies, care-made-trust, ...
TRAIL = """\
versions:
  - version: "1"
    on: 2025-03-10
    file: model-history/v1.yml
    reason: First model.
    codebook:
      - change: added
        into: [heard, kindness]
  - version: "2"
    on: 2025-06-02
    file: model.yml
    reason: A negative case changed the model.
    memos:
      - on: 2025-05-20
        title: Sampling for a relationship that nearly ended
        text: The next interviews should look for a patient who almost left the practice.
    codebook:
      - change: merged
        codes: [listened-to, taken-seriously]
        into: [heard]
        note: Coders could not tell them apart.
      - change: retired
        codes: [small-talk]
        note: Never did analytic work.
"""


def _history(tiny: Path, text: str = TRAIL) -> None:
    folder = tiny / "model-history"
    folder.mkdir()
    shutil.copy(tiny / "model.yml", folder / "v1.yml")
    (folder / "history.yml").write_text(text, encoding="utf-8")


def _problems(tiny: Path) -> list[str]:
    with pytest.raises(StudyError) as caught:
        load_and_validate(tiny)
    return [str(p) for p in caught.value.problems]


def test_trail_is_published_on_the_history_page(tiny: Path, tmp_path: Path) -> None:
    _history(tiny)
    html = (build(tiny, tmp_path / "site").out / "model" / "history.html").read_text("utf-8")
    assert "2025-05-20: Sampling for a relationship that nearly ended." in html
    assert "almost left the practice" in html
    assert "Settled on 2025-06-02." in html
    row = html[html.index("<td>merged</td>"):]
    row = row[:row.index("</tr>")]
    # codes gone from the codebook by their ids, current ones by their labels
    assert "listened-to, taken-seriously" in row and "<td>Heard</td>" in row
    assert "Coders could not tell them apart." in row


def test_memo_dated_after_its_version_is_refused(tiny: Path) -> None:
    _history(tiny, TRAIL.replace("on: 2025-05-20", "on: 2025-06-20"))
    problems = _problems(tiny)
    assert any(p.startswith("model-history/history.yml:14:")
               and "dated 2025-06-20, after version 2 (2025-06-02)" in p for p in problems)


def test_versions_dated_backwards_are_refused(tiny: Path) -> None:
    _history(tiny, TRAIL.replace("on: 2025-03-10", "on: 2025-07-10"))
    assert any(p.startswith("model-history/history.yml:10:") and "before version 1" in p
               for p in _problems(tiny))


def test_codebook_changes_must_account_for_the_codebook(tiny: Path) -> None:
    _history(tiny, TRAIL.replace("into: [heard, kindness]", "into: [heard, kindness, ghost]")
             .replace("codes: [small-talk]", "codes: [long-haul]"))
    problems = _problems(tiny)
    assert any(p.startswith("model-history/history.yml:8:") and "code 'ghost'" in p
               and "not in codebook.yml" in p for p in problems), problems
    assert any("code 'long-haul' leaves the codebook in version 2 (retired) but is still in "
               "codebook.yml" in p for p in problems), problems


def test_a_change_names_the_codes_its_kind_needs(tiny: Path) -> None:
    _history(tiny, TRAIL.replace("codes: [listened-to, taken-seriously]", "codes: [heard]"))
    assert any("a 'merged' change names at least 2 code(s) in 'codes', not 1" in p
               for p in _problems(tiny))


def test_dates_must_be_real_iso_dates(tiny: Path) -> None:
    _history(tiny, TRAIL.replace("on: 2025-05-20", "on: 2025-02-30"))
    assert any(p.startswith("model-history/history.yml:14:") for p in _problems(tiny))
