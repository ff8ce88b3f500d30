"""The offline check reads pages and stylesheets as a browser would: the loads an adversary
hid from it (CSS escapes, image-set(), <base>, legacy attributes, srcdoc, inline SVG, UTF-16
files), and what its refusal names."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from build_site.cli import main
from build_site.offline import external_loads


def _loads(site: Path) -> set[tuple[str, str]]:
    return {(load.page, load.url) for load in external_loads(site)}


def _page(site: Path, body: str, name: str = "page.html") -> None:
    (site / name).write_text(f"<html><head></head><body>{body}</body></html>",
                             encoding="utf-8")


def test_css_escapes_are_decoded_in_stylesheets_and_style_attributes(tmp_path: Path) -> None:
    (tmp_path / "extra.css").write_text(
        "body{background:url(\\68ttps://evil1.example/a.png)}", encoding="utf-8")
    _page(tmp_path, '<div style="background:u\\72l(https://evil21.example/a.png)">x</div>')
    assert _loads(tmp_path) == {("extra.css", "https://evil1.example/a.png"),
                                ("page.html", "https://evil21.example/a.png")}


def test_strings_in_image_set_import_and_src_are_loads_but_comments_are_not(
        tmp_path: Path) -> None:
    (tmp_path / "a.css").write_text(
        'h1{background-image:image-set("https://evil2.example/a.png" 1x)}\n'
        "@import '//evil3.example/b.css';\n"
        '@font-face{font-family:x;src:"https://evil4.example/f.woff2"}\n'
        '/* image-set("https://comment.example/x.png" 1x) */\n'
        'p::before{content:"https://not-a-load.example/"}', encoding="utf-8")
    _page(tmp_path, "<div style=\"background-image: image-set('https://evil5.example/b.png' "
                    "1x)\">x</div>")
    assert _loads(tmp_path) == {("a.css", "https://evil2.example/a.png"),
                                ("a.css", "//evil3.example/b.css"),
                                ("a.css", "https://evil4.example/f.woff2"),
                                ("page.html", "https://evil5.example/b.png")}


def test_an_external_base_is_a_load(tmp_path: Path) -> None:
    _page(tmp_path, '<base href="https://evil5.example/"><script src="bundle.js"></script>')
    assert _loads(tmp_path) == {("page.html", "https://evil5.example/")}


def test_legacy_load_attributes_are_loads(tmp_path: Path) -> None:
    _page(tmp_path, '<table background=https://evil6.example/t.png><tr>'
                    '<td background="//evil7.example/c.png">c</td></tr></table>'
                    '<img src="a.png" lowsrc="https://evil8.example/l.png" '
                    'dynsrc="https://evil9.example/d.avi">'
                    '<video poster="https://evil10.example/p.png"></video>'
                    '<object data="https://evil11.example/o.swf"></object>'
                    '<link rel="preload" as="image" href="local.png" '
                    'imagesrcset="local.png 1x, https://evil12.example/i.png 2x">'
                    '<img src="a.png" longdesc="https://example.org/description.html">')
    assert {url for _, url in _loads(tmp_path)} == {
        "https://evil6.example/t.png", "//evil7.example/c.png", "https://evil8.example/l.png",
        "https://evil9.example/d.avi", "https://evil10.example/p.png",
        "https://evil11.example/o.swf", "https://evil12.example/i.png"}


def test_an_iframe_srcdoc_is_read_as_a_page_of_its_own(tmp_path: Path) -> None:
    _page(tmp_path, '<iframe srcdoc="&lt;img src=https://evil7.example/a.png&gt;'
                    '&lt;iframe srcdoc=&quot;&amp;lt;base href=//evil8.example/&amp;gt;'
                    '&quot;&gt;&lt;/iframe&gt;"></iframe>')
    assert _loads(tmp_path) == {("page.html", "https://evil7.example/a.png"),
                                ("page.html", "//evil8.example/")}


def test_inline_svg_references_in_a_page_are_loads(tmp_path: Path) -> None:
    _page(tmp_path, '<svg width="10" height="10">'
                    '<image xlink:href="https://evil13.example/x.png"/>'
                    '<use href="https://evil14.example/s.svg#a"/>'
                    '<filter id="f"><feImage xlink:href="//evil15.example/f.png"/></filter>'
                    '<script xlink:href="https://evil16.example/s.js"></script>'
                    '<linearGradient id="g" href="https://evil17.example/g.svg#g"/>'
                    '<use href="#local"/></svg>')
    assert {url for _, url in _loads(tmp_path)} == {
        "https://evil13.example/x.png", "https://evil14.example/s.svg#a",
        "//evil15.example/f.png", "https://evil16.example/s.js",
        "https://evil17.example/g.svg#g"}


def test_utf16_pages_and_stylesheets_are_read_as_a_browser_reads_them(
        tmp_path: Path) -> None:
    (tmp_path / "map.html").write_bytes(
        '<!doctype html><html><head><meta charset=utf-16></head><body>'
        '<img src="https://evil30.example/m.png"></body></html>'.encode("utf-16"))
    (tmp_path / "style2.css").write_bytes(
        "body{background:url(https://evil31.example/a.png)}".encode("utf-16"))
    assert _loads(tmp_path) == {("map.html", "https://evil30.example/m.png"),
                                ("style2.css", "https://evil31.example/a.png")}


def test_a_study_without_mkdocs_yml_is_told_its_source_page_and_where_to_opt_in(
        tiny: Path, tmp_path: Path) -> None:
    docs = tiny / "docs"
    docs.mkdir()
    (docs / "about.md").write_text(
        "# About\n\nWelcome.\n\n<div style=\"background:u\\72l(https://evil21.example/a.png)\">"
        "x</div>\n", encoding="utf-8")
    assert not (tiny / "mkdocs.yml").exists()
    out = tmp_path / "site"
    result = CliRunner().invoke(main, ["build", str(tiny), "--out", str(out)])
    text = result.output.replace("\n", "")
    assert result.exit_code == 2, result.output
    assert "docs/about.md:5: loads https://evil21.example/a.png from another host (CSS in a " \
           "style attribute; built as about.html)" in text
    assert f"create {tiny / 'mkdocs.yml'} (beside study.yml) holding extra: " \
           "{allow_external_resources: [evil21.example]}" in text
    assert "defaults" not in text and not out.exists()


def test_a_refresh_and_an_svg_stylesheet_instruction_are_loads(tmp_path: Path) -> None:
    """Left open by the first hardening: a page that sends the reader elsewhere unasked, and an
    SVG whose processing instruction loads a stylesheet from another host."""
    _page(tmp_path, '<meta http-equiv="Refresh" content="0; URL=https://evil7.example/x">')
    (tmp_path / "figure.svg").write_text(
        '<?xml version="1.0"?>\n<?xml-stylesheet type="text/css" '
        'href="https://evil8.example/s.css"?>\n'
        '<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>',
        encoding="utf-8")
    (tmp_path / "local.svg").write_text(
        '<?xml-stylesheet href="style.css"?><svg xmlns="http://www.w3.org/2000/svg"/>',
        encoding="utf-8")
    assert _loads(tmp_path) == {("page.html", "https://evil7.example/x"),
                                ("figure.svg", "https://evil8.example/s.css")}


def test_an_element_with_a_prefix_is_read_as_the_element_it_names(tmp_path: Path) -> None:
    # The HTML parser keeps "svg:image" as the element's whole name; lxml's QName refused it,
    # so the check crashed (an internal error) instead of reading or refusing the page.
    _page(tmp_path, '<svg:image href="https://evil18.example/a.png"></svg:image>'
                    '<svg:svg><svg:image xlink:href="https://evil19.example/b.png"/></svg:svg>'
                    '<x:p>text</x:p>')
    assert {url for _, url in _loads(tmp_path)} == {
        "https://evil18.example/a.png", "https://evil19.example/b.png"}


def test_pages_are_parsed_into_lxml_htmls_tree_with_repeated_ids(tmp_path: Path) -> None:
    # The check's parser keeps no table of ids (a third of its parse on Material's pages):
    # the tree it read must still be lxml.html's, element for element, where ids repeat
    # (libxml2 reports each repeat) and the markup is broken; the parser target that reads
    # pages now (no tree) uses the same parser and finds what that tree held.
    import lxml.html
    from lxml import etree

    from build_site.offline import _html_loads

    from .offline_reference import _html_document, reference_page_loads

    body = ('<p id="a">one<p id="a">two<svg id="a"><image id="a" href="//evil20.example/i.png"/>'
            '</svg><table><td id=b>x<td id=b style="background:url(//evil21.example/b.png)">'
            '</table><img id=a src="https://evil22.example/c.png">')
    text = f"<html><head><title id=a>t</title></head><body>{body}</body></html>"
    ours = etree.tostring(_html_document(text))
    assert ours == etree.tostring(lxml.html.document_fromstring(text))
    assert _html_loads(text) == reference_page_loads(text)
    _page(tmp_path, body)
    assert {url for _, url in _loads(tmp_path)} == {
        "//evil20.example/i.png", "//evil21.example/b.png", "https://evil22.example/c.png"}


def test_a_handwritten_page_closing_html_cannot_hide_a_load_after_it(
        tiny: Path, tmp_path: Path) -> None:
    # Raw HTML closing </html> in a Markdown page: libxml2 puts what follows in a second
    # <html> beside the root, which the check's tree walk never read (a44b96f published
    # this site); a browser shows it in the body and fetches the image.
    docs = tiny / "docs"
    docs.mkdir()
    (docs / "about.md").write_text(
        "# About\n\nWelcome.\n\n</body></html>\n\n"
        '<img src="https://after3.example/pixel.png" alt="">\n', encoding="utf-8")
    out = tmp_path / "site"
    result = CliRunner().invoke(main, ["build", str(tiny), "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert "loads https://after3.example/pixel.png from another host" in \
        result.output.replace("\n", "")
    assert not out.exists()


@pytest.mark.parametrize("tag", [
    '<body background="https://merged1.example/p.png">',
    '<BODY style="background-image:url(https://merged1.example/p.png)">',
    '<html style="background:url(https://merged1.example/p.png)">'])
def test_a_second_html_or_body_tag_cannot_hide_a_load_in_its_attributes(
        tiny: Path, tmp_path: Path, tag: str) -> None:
    # adv5: libxml2 drops a misplaced <body> or <html> start tag with its attributes (the tree
    # walk and the parser target alike); a browser adds them to the page's own body or html
    # element (WHATWG HTML, "in body") and fetches the image. Main published this, exit 0.
    docs = tiny / "docs"
    docs.mkdir()
    (docs / "about.md").write_text(f"# About\n\nWelcome.\n\n{tag}\n", encoding="utf-8")
    out = tmp_path / "site"
    result = CliRunner().invoke(main, ["build", str(tiny), "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert "loads https://merged1.example/p.png from another host" in \
        result.output.replace("\n", "")
    assert not out.exists()


def test_a_second_body_tag_without_a_load_changes_nothing(tmp_path: Path) -> None:
    _page(tmp_path, '<p>x</p><body class="late"><html lang="de"><img src="local.png">'
                    '<!-- <body background="https://comment.example/a.png"> -->'
                    '<script>s = "<body background=https://script.example/b.png>"</script>')
    _page(tmp_path, '<p>x</p><body background="https://merged2.example/a.png">', "two.html")
    assert _loads(tmp_path) == {("two.html", "https://merged2.example/a.png")}


def test_urls_a_browser_cleans_and_an_html_image_element_are_loads(tmp_path: Path) -> None:
    # adv5: a browser removes leading C0 controls and every tab and newline from a URL
    # (WHATWG URL) and reads an HTML <image> as <img>; the check read these as local, exit 0.
    _page(tmp_path, '<img src="&#1;//c0.example/a.png"><img src="/&#9;/tab.example/b.png">'
                    '<img src="/\n/nl.example/c.png"><image src="https://image.example/d.png">'
                    '<img src="local.png"><img src="/ /not-a-host.example/e.png">')
    assert {url.strip("\x01") for _, url in _loads(tmp_path)} == {
        "//c0.example/a.png", "/\t/tab.example/b.png", "/\n/nl.example/c.png",
        "https://image.example/d.png"}
    assert {load.host for load in external_loads(tmp_path)} == {
        "c0.example", "tab.example", "nl.example", "image.example"}


@pytest.mark.parametrize("holder", ["svg><style", "svg><title", "math><style", "svg><textarea",
                                    "svg><g><xmp"])
def test_markup_inside_svg_or_mathml_text_is_read_as_a_browser_reads_it(
        tmp_path: Path, holder: str) -> None:
    # adv5: inside SVG and MathML a browser parses the content of <style>, <title>,
    # <textarea>... as markup, and an <img> there leaves the SVG and loads; libxml2 keeps it
    # as text of the element, and the check found nothing (exit 0).
    outer, inner = holder.split("><", 1)
    _page(tmp_path, f'<{outer}><{inner}><img src="https://foreign.example/a.png"></{inner}>'
                    f"</{outer}>")
    _page(tmp_path, f'<{inner}><img src="https://html-text.example/b.png"></{inner}>',
          "html.html")  # in HTML these stay text: no load, as in a browser
    assert _loads(tmp_path) == {("page.html", "https://foreign.example/a.png")}
