"""Sensitive disclosures (issue 17 item 6) are listed for review in check and on the review
dashboard, and never block."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from build_site.cli import main
from build_site.pipeline import build
from build_site.privacy.sensitive import disclosures
from tests.privacy.conftest import narrate


@pytest.mark.parametrize("text, category", [
    ("the abuse she suffered as a child", "abuse"),
    ("he was using heroin then", "substance use"),
    ("living with HIV for a decade", "HIV"),
    ("after her psychiatric admission", "psychiatric history"),
    ("he was undocumented at the time", "immigration status"),
    ("two years in prison", "criminal history"),
    ("he came out to his doctor first", "sexuality"),
])
def test_each_category_is_recognised(text: str, category: str) -> None:
    assert category in {c for _, _, c in disclosures(text)}


def test_ordinary_words_are_not_disclosures() -> None:
    assert list(disclosures("Her hearing aids helped; cardiac rehabilitation went well.")) == []


def test_check_lists_a_disclosure_without_refusing(tiny: Path) -> None:
    narrate(tiny, "C1-P1", "Her years of heroin use were behind her when she met C1.")
    result = CliRunner().invoke(main, ["check", str(tiny)])
    assert result.exit_code == 0, result.output
    assert "sensitive dyads/C1-P1.md" in result.output and "substance use" in result.output


def test_the_review_dashboard_lists_it_by_category_and_place_only(tiny: Path,
                                                                  tmp_path: Path) -> None:
    narrate(tiny, "C1-P1", "Her years of heroin use were behind her when she met C1.")
    build(tiny, tmp_path / "site", audience="review")
    page = (tmp_path / "site" / "review" / "dashboard.html").read_text(encoding="utf-8")
    section = page.split('id="for-review-sensitive-disclosures-and-computable-ages"')[1]
    section = section.split("<h2")[0]
    assert "substance use" in section and "dyads/C1-P1.md" in section
    assert "heroin" not in page
