"""Wide matrices for paper (issue 23 item 2): split by columns, case columns repeated, and set
at 7 pt or more in the bundled study's PDF."""

from __future__ import annotations

import lxml.html

from build_site.outputs.print_tables import (
    COLUMNS_PER_PART,
    COLUMNS_PER_PART_PLAIN,
    split_table,
    split_wide_tables,
)

HEAD = '<th scope="col" class="bs-case">Dyad</th><th scope="col" class="bs-case">Clinician</th>'


def _matrix(columns: int) -> str:
    head = HEAD + "".join(f'<th scope="col">C{i}</th>' for i in range(columns))
    group = f'<tr class="bs-group-head"><th scope="rowgroup" colspan="{columns + 2}">D1</th></tr>'
    row = ('<tr><th scope="row">D1-P1</th><td>D1</td>'
           + "".join(f'<td>v{i}<span class="bs-summary">s</span></td>'
                     for i in range(columns)) + "</tr>")
    return (f'<div><div class="bs-scroll"><table class="bs-matrix" id="m"><caption>Dyads by '
            f'components</caption><thead><tr>{head}</tr></thead><tbody>{group}{row}</tbody>'
            "</table></div></div>")


def test_a_wide_matrix_is_split_with_the_case_columns_in_every_part() -> None:
    article = lxml.html.fromstring(_matrix(22))
    split_wide_tables(article)
    tables = article.xpath("//table")
    assert len(tables) == 4  # 22 columns: 6 + 6 + 6 + 4, none over COLUMNS_PER_PART
    seen: list[str] = []
    for number, table in enumerate(tables, start=1):
        header = [th.text_content() for th in table.xpath("./thead/tr/th")]
        assert header[:2] == ["Dyad", "Clinician"]
        assert 0 < len(header) - 2 <= COLUMNS_PER_PART
        seen += header[2:]
        cells = [c.text_content() for c in table.xpath("./tbody/tr[not(@class)]/*")]
        assert cells[:2] == ["D1-P1", "D1"]
        assert cells[2:] == [f"v{h[1:]}s" for h in header[2:]]
        group = table.xpath("./tbody/tr[@class='bs-group-head']/th")[0]
        assert group.get("colspan") == str(len(header))
        assert f"part {number} of 4" in table.find("caption").text_content()
    assert seen == [f"C{i}" for i in range(22)]  # every column once, in order
    assert [t.get("id") for t in tables] == ["m", None, None, None]  # ids stay unique


def test_a_matrix_that_fits_is_left_alone() -> None:
    table = lxml.html.fromstring(_matrix(COLUMNS_PER_PART)).xpath("//table")[0]
    assert split_table(table) == [table]


def test_a_matrix_without_summaries_takes_more_columns_per_part() -> None:
    html = _matrix(22).replace('<span class="bs-summary">s</span>', "")
    table = lxml.html.fromstring(html).xpath("//table")[0]
    parts = split_table(table)
    assert len(parts) == 2
    assert all(len(p.xpath("./thead/tr/th")) - 2 <= COLUMNS_PER_PART_PLAIN for p in parts)
