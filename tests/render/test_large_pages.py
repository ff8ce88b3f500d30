"""Issue 25: a large study's component pages keep their evidence headings out of the table
of contents and stop repeating, per excerpt, the case and the page's own chip; every
excerpt's words stay on the page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from build_site.pipeline import build
from build_site.render import large_pages
from build_site.render.case_ranges import MAX_FLAT_GROUPS
from build_site.render.large_pages import MAX_CASES, compact_evidence

QUOTE = re.compile(r"<blockquote><p>(.*?)</p></blockquote>", re.S)


def _groups(n_groups: int, cases_each: int) -> list[dict[str, Any]]:
    return [{"clinician": f"C{i}", "cases": [{}] * cases_each} for i in range(n_groups)]


def test_threshold_is_the_navigations() -> None:
    assert not compact_evidence(_groups(MAX_FLAT_GROUPS, 1))
    assert compact_evidence(_groups(MAX_FLAT_GROUPS + 1, 1))
    assert not compact_evidence(_groups(1, MAX_CASES))
    assert compact_evidence(_groups(1, MAX_CASES + 1))


def _toc(html: str) -> str:
    """Everything before the article: the navigation and the table of contents (which
    Material renders twice, in both sidebars)."""
    return html[:html.index("<article")]


@pytest.fixture
def sites(tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """The tiny study built as it is (2 clinician groups) and with the compact form from
    any group up."""
    build(tiny, tmp_path / "plain")
    monkeypatch.setattr(large_pages, "MAX_FLAT_GROUPS", 0)
    build(tiny, tmp_path / "compact")
    return tmp_path / "plain" / "model", tmp_path / "compact" / "model"


def test_a_compact_component_page(sites: tuple[Path, Path]) -> None:
    plain_dir, compact_dir = sites
    plain = (plain_dir / "caring.html").read_text("utf-8")
    compact = (compact_dir / "caring.html").read_text("utf-8")
    # The small study's page: evidence headings in its table of contents.
    assert 'href="#clinician-C1"' in _toc(plain) and 'href="#dyad-C1-P2"' in _toc(plain)
    # Compact: the headings stay headings with their anchors, out of the contents, and link
    # to their case.
    assert 'href="#clinician-C1"' not in _toc(compact)
    assert 'href="#dyad-C1-P2"' not in _toc(compact)
    assert re.search(r'<h3 id="clinician-C1"(?: data-search-exclude="true")?>Clinician '
                     r'<a href="\.\./clinicians/C1\.html">C1</a></h3>', compact)
    assert re.search(r'<h4 id="dyad-C1-P2"(?: data-search-exclude="true")?>Dyad '
                     r'<a href="\.\./dyads/C1-P2\.html">C1-P2</a></h4>', compact)
    # Every excerpt's words, its citation link and speaker stay, in the same order.
    assert QUOTE.findall(compact) == QUOTE.findall(plain) != []
    cites = re.compile(r'class="bs-cite" href="([^"]+)"')
    assert cites.findall(compact) == cites.findall(plain)
    # The case is named once, by its heading; no chip points at the page itself and the
    # chips carry no tooltip.
    case_link = '<a href="../dyads/C1-P2.html">dyad C1-P2</a>'
    assert case_link in plain and case_link not in compact
    assert 'class="bs-chip" href="' in compact
    assert not re.search(r'class="bs-chip"[^>]*title=', compact)
    assert len(compact) < len(plain)
    own = 'class="bs-chip" href=""'  # "Heard" on the page of listening, which it evidences
    assert own in (plain_dir / "listening.html").read_text("utf-8")
    assert own not in (compact_dir / "listening.html").read_text("utf-8")


def test_other_pages_and_the_small_study_are_unchanged(sites: tuple[Path, Path]) -> None:
    plain_dir, compact_dir = sites
    for page in ("index.html", "relations.html"):
        assert (plain_dir / page).read_bytes() == (compact_dir / page).read_bytes(), page


def test_a_compact_page_counts_the_dyads_instead_of_listing_them(
        sites: tuple[Path, Path]) -> None:
    # At 1,000 dyads "Where this appears" listed some 900 links before the first excerpt,
    # and each element's row in the table as many: the headings below already name each case.
    plain_dir, compact_dir = sites
    plain = (plain_dir / "caring.html").read_text("utf-8")  # a component with elements
    compact = (compact_dir / "caring.html").read_text("utf-8")
    listed = re.search(r"Where this appears[^:]*: dyads (.*?)\.</p>", plain, re.S)
    assert listed and 'href="../dyads/' in listed.group(1)
    shown = len(re.findall(r'href="\.\./dyads/[^"]+"', listed.group(1)))
    counted = re.search(r"Where this appears[^:]*: (\d+) dyads?; the excerpts follow, by "
                        r"case\.", compact)
    assert counted and int(counted.group(1)) == shown
    row = re.compile(r"<tr>\s*<td><a href=\"[^\"]+\">[^<]+</a></td>.*?</tr>", re.S)
    assert any('href="../dyads/' in r for r in row.findall(plain))
    rows = row.findall(compact)
    assert rows and all('href="../dyads/' not in r for r in rows)
    assert re.search(r"<td>\d+ dyads?</td>", compact)
