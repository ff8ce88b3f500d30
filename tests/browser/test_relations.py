"""Issue 19: the relations page in both palettes, every relation's section showing the cases
it rests on as links a reader can follow (screenshots kept as artefacts)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import OpenPage
from .support import scheme, shoot


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_every_relation_shows_the_cases_it_rests_on(open_page: OpenPage, dark: bool) -> None:
    page = open_page("model/relations.html", dark=dark)
    assert scheme(page) == ("slate" if dark else "default")
    headings = page.locator("article h2")
    expect(headings).to_have_count(7)
    for number in range(7):
        rel_id = headings.nth(number).get_attribute("id")
        links = page.locator(f"#{rel_id}-cases + ul a")
        expect(links.first).to_be_visible()
        assert all("dyads/" in h or "clinicians/" in h
                   for h in (a.get_attribute("href") or "" for a in links.all())), rel_id
    first = page.locator("#competencies-facilitate-processes-cases + ul a").first
    expect(first).to_have_text("clinician D1")
    shoot(page, f"relations-{'dark' if dark else 'light'}")
    first.click()
    expect(page).to_have_url(re.compile(r"clinicians/D1\.html$"))
