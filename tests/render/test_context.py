"""Template text escaping: participant and team text shows as written."""

from __future__ import annotations

from pathlib import Path

from build_site.render.context import markdown_safe, web_link


def test_quotes_are_escaped_once() -> None:
    assert markdown_safe("it's \"x\" <b> & #1") == (
        "it&#39;s &#34;x&#34; &lt;b&gt; &amp; &#35;1")


def test_web_addresses_become_links_and_nothing_else_does() -> None:
    assert web_link("https://example.org/a_b") == (
        '<a href="https&#58;//example.org/a&#95;b">https&#58;//example.org/a&#95;b</a>')
    assert "<a" not in web_link("javascript:alert(1)")
    assert "<" not in web_link("<script>")


def test_built_pages_show_apostrophes_and_the_source_link(bundled_site: Path) -> None:
    for page in bundled_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "&&#35;" not in html and "&amp;&#35;" not in html, page
    home = (bundled_site / "index.html").read_text(encoding="utf-8")
    assert '<a href="https&#58;//www.ncbi.nlm.nih.gov/pmc/articles/PMC2478496/">' in home
    assert "<https&#58;" not in home
