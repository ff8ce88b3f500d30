"""A reader's paths through the site: the home page, the model diagram, search, code chips and
the menu on a phone."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from .conftest import PHONE, OpenPage
from .support import heading, page_types, shoot

SECTIONS = {  # top-level section -> the pages its menu entry may lead to
    "Home": r"index\.html",
    "Model": r"model/[^/]+\.html",
    "Case studies": r"(cases|clinicians|dyads)/[^/]+\.html",
    "Analysis": r"analysis/[^/]+\.html",
    "Methods": r"methods/[^/]+\.html",
    "Data": r"data/[^/]+\.html",
    "About": r"(?!index\.html)[^/]+\.html",  # the study's hand-written pages
}


def test_home_page_loads(open_page: OpenPage) -> None:
    page = open_page("index.html")  # the fixture fails the test on any script error
    expect(page).to_have_title(re.compile("Healing relationships"))
    title = heading("Healing relationships in primary care")
    expect(page.locator("article h1")).to_have_text(title)
    expect(page.locator(".bs-diagram svg")).to_be_visible()
    expect(page.locator(".md-tabs")).to_be_visible()


def test_clicking_a_diagram_node_opens_its_component(open_page: OpenPage, site_url: str) -> None:
    page = open_page("index.html")
    node = page.locator(".bs-diagram g.node a").first
    label = str(node.locator("text").text_content())
    href = node.get_attribute("href")
    assert href and href.startswith("model/")
    node.click()
    page.wait_for_url(site_url + href)
    expect(page.locator("article h1")).to_have_text(heading(label))

    # A component drawn as a group: its label is the link.
    page.go_back()
    group = page.locator(".bs-diagram g.cluster.group a").first
    label = str(group.locator("text").text_content())
    href = group.get_attribute("href")
    group.locator("text").click()
    page.wait_for_url(site_url + str(href))
    expect(page.locator("article h1")).to_have_text(heading(label))


def test_diagram_links_work_from_the_keyboard(open_page: OpenPage, site_url: str) -> None:
    page = open_page("index.html")
    node = page.locator(".bs-diagram g.node a").first
    href = node.get_attribute("href")
    node.focus()
    assert node.evaluate("a => document.activeElement === a"), "diagram links take no focus"
    page.keyboard.press("Enter")
    page.wait_for_url(site_url + str(href))


def _search(page: Page, query: str) -> None:
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(query, delay=15)
    expect(page.locator(".md-search-result__item").first).to_be_visible()


def test_search_finds_a_component(open_page: OpenPage, bundled_site: Path) -> None:
    component = page_types(bundled_site)["component"]
    page = open_page(component)
    name = page.locator("article h1").inner_text().rstrip("¶ ")
    page.goto(page.url.replace(component, "index.html"))
    _search(page, name)
    links = page.locator(f'.md-search-result__link[href*="{component}"]')
    expect(links.first).to_be_attached()
    expect(page.locator(".md-search-result__item").first).to_contain_text(name)


def test_search_finds_a_word_from_an_excerpt(open_page: OpenPage, bundled_site: Path) -> None:
    page = open_page(page_types(bundled_site)["dyad"])
    text = page.locator(".bs-excerpt blockquote").first.inner_text()
    word = max(re.findall(r"[A-Za-z]{5,}", text), key=len)
    _search(page, word)
    marked = page.locator(".md-search-result__item mark", has_text=re.compile(word, re.I))
    expect(marked.first).to_be_visible()


def test_code_chips_on_a_dyad_page_lead_to_the_component(
    open_page: OpenPage, site_url: str, bundled_site: Path
) -> None:
    dyad_page = page_types(bundled_site)["dyad"]
    dyad = Path(dyad_page).stem
    page = open_page(dyad_page)
    chip = page.locator('.bs-excerpt:not(.contrast) a.bs-chip[href^="../model/"]'
                        ':not([href*="relations.html"])').first
    href = str(chip.get_attribute("href"))
    chip.click()
    page.wait_for_url(site_url + href.removeprefix("../"))
    expect(page.locator(".bs-breadcrumb")).to_be_visible()  # a component page
    expect(page.locator(f'[id="dyad-{dyad}"]')).to_be_attached()  # with this dyad's evidence


def test_every_section_is_reachable_from_the_menu_on_a_phone(
    open_page: OpenPage, site_url: str
) -> None:
    page = open_page("index.html", viewport=PHONE)
    expect(page.locator(".md-tabs")).to_be_hidden()  # the tabs give way to the menu
    for section, target in SECTIONS.items():
        page.goto(site_url + "index.html", wait_until="domcontentloaded")  # the menu is CSS
        page.locator('label.md-header__button[for="__drawer"]').click()
        menu = page.locator("nav.md-nav--primary")
        # A link to the section's first page, or on the current page a label opening a panel.
        entry = menu.locator(":scope > ul > li > :is(a, label).md-nav__link",
                             has_text=section).locator("visible=true").first
        expect(entry).to_be_in_viewport()
        if section == "Home":
            shoot(page, "phone-menu", full_page=False)
        entry.click()
        page.wait_for_url(re.compile(re.escape(site_url) + target + "(#.*)?$"),
                          wait_until="domcontentloaded")
        expect(page.locator("article h1").first).to_be_visible()
