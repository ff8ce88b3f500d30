"""Indentation removed from built HTML only where no browser shows it (issue 25)."""

from __future__ import annotations

from pathlib import Path

import pytest

from build_site.html_whitespace import keep_rules, site_rules, strip_indentation, strip_site
from build_site.pipeline import build

MATERIAL = ".md-typeset code,.md-typeset kbd,.md-typeset pre{white-space:pre-wrap}" \
           ".md-search__suggest{position:absolute;white-space:pre;opacity:0}"


def test_indentation_after_newlines_goes_and_newlines_stay() -> None:
    html = "<ul>\n    <li>a</li>\n\t\t<li>b\n      c</li>\n</ul>\n"
    assert strip_indentation(html) == "<ul>\n<li>a</li>\n<li>b\nc</li>\n</ul>\n"


def test_empty_lines_go_where_white_space_collapses_and_stay_where_it_does_not() -> None:
    html = ("<ul>\n\n\n  <li>a</li>\n  \n\t\n<li>b\n\n  c</li>\n\n</ul>\n\n"
            "<pre>x\n\n  y</pre>\n\n<p title=\"t\n\n  u\">v</p>\n\n<textarea>\n\n</textarea>")
    assert strip_indentation(html) == (
        "<ul>\n<li>a</li>\n<li>b\nc</li>\n</ul>\n"
        "<pre>x\n\n  y</pre>\n<p title=\"t\n\n  u\">v</p>\n<textarea>\n\n</textarea>")


def test_inline_text_and_spaces_inside_a_line_are_kept() -> None:
    html = "<p>two  spaces <b>bold</b> <i>x</i>\n   y</p>"
    assert strip_indentation(html) == "<p>two  spaces <b>bold</b> <i>x</i>\ny</p>"


def test_pre_textarea_script_style_title_kept_byte_for_byte() -> None:
    kept = ["<pre>\n    indented\n\t  code\n</pre>",
            "<PRE class=\"x\">\n  upper\n</PRE>",
            "<textarea name=t>\n   typed\n</textarea>",
            "<script>\n  if (a < b) { x = '<pre>'; }\n  </script>",
            "<style>\n  p { color: red }\n</style>",
            "<title>\n  A title\n</title>",
            "<svg><text x=\"1\">\n   label\n</text></svg>"]
    for block in kept:
        html = f"<div>\n  {block}\n  <p>after</p>\n</div>"
        assert strip_indentation(html) == f"<div>\n{block}\n<p>after</p>\n</div>", block


def test_nested_pre_elements_are_kept_to_their_own_end() -> None:
    html = "<pre>\n  a<pre>\n  b</pre>\n  c</pre>\n  <p>d</p>"
    assert strip_indentation(html) == "<pre>\n  a<pre>\n  b</pre>\n  c</pre>\n<p>d</p>"


def test_a_pre_wrap_element_of_the_sites_css_is_kept() -> None:
    rules = keep_rules([MATERIAL, "/* team */ .poem, #verse { white-space: pre-line }"])
    html = ("<div>\n  <div class=\"md-typeset\">\n    <code>\n  x  y\n    </code>\n"
            "    <span class=\"a poem\">\n   line one\n   <span>in</span>\n   two</span>\n"
            "    <div id=\"verse\">\n  v\n</div>\n"
            "    <p style=\"white-space: pre-wrap\">\n  styled\n</p>\n  </div>\n</div>")
    want = ("<div>\n<div class=\"md-typeset\">\n<code>\n  x  y\n    </code>\n"
            "<span class=\"a poem\">\n   line one\n   <span>in</span>\n   two</span>\n"
            "<div id=\"verse\">\n  v\n</div>\n"
            "<p style=\"white-space: pre-wrap\">\n  styled\n</p>\n</div>\n</div>")
    assert strip_indentation(html, rules) == want


def test_material_rules_are_found() -> None:
    rules = keep_rules([MATERIAL])
    assert {"code", "kbd", "pre"} <= rules.tags
    assert rules.classes == {"md-search__suggest"}
    assert rules.usable


def test_attribute_values_spanning_lines_are_kept() -> None:
    html = ("<div>\n  <a\n     href=\"x\" title=\"one\n     two\"\n     data-x='a\n  b'>t</a>"
            "\n</div>")
    want = "<div>\n<a\nhref=\"x\" title=\"one\n     two\"\ndata-x='a\n  b'>t</a>\n</div>"
    assert strip_indentation(html) == want


def test_a_rule_that_names_no_element_turns_the_removal_off() -> None:
    for css in ["* { white-space: pre }", "[data-poem] { white-space: break-spaces }",
                "@import url(other.css); p { color: red }"]:
        rules = keep_rules([css])
        assert not rules.usable, css
        assert strip_indentation("<p>\n  x</p>", rules) == "<p>\n  x</p>"


def test_nowrap_and_normal_do_not_keep_anything() -> None:
    rules = keep_rules([".a { white-space: nowrap } .b { white-space: normal }"])
    assert rules.usable and not rules.classes
    assert strip_indentation("<span class=\"a\">\n  x</span>", rules) == \
        "<span class=\"a\">\nx</span>"


def test_strip_site_rewrites_html_only_and_reads_its_css(tmp_path: Path) -> None:
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "team.css").write_text(".keep { white-space: pre }",
                                                  encoding="utf-8")
    page = "<div>\n  <span class=\"keep\">\n  k</span>\n  <p>é</p>\n</div>\n"
    (tmp_path / "index.html").write_text(page, encoding="utf-8")
    (tmp_path / "data.json").write_text("{\n  \"a\": 1\n}", encoding="utf-8")
    assert "keep" in site_rules(tmp_path).classes
    saved = strip_site(tmp_path)
    assert (tmp_path / "index.html").read_text(encoding="utf-8") == \
        "<div>\n<span class=\"keep\">\n  k</span>\n<p>é</p>\n</div>\n"
    assert saved == 4
    assert (tmp_path / "data.json").read_text(encoding="utf-8") == "{\n  \"a\": 1\n}"


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_a_build_publishes_pages_without_indentation(engine: str, tiny: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Both engines' output goes through the removal before the gate and publish: no page
    of the built site has indentation left to remove, and the ``pre`` blocks keep theirs."""
    if engine == "zensical":
        pytest.importorskip("zensical")
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)  # Zensical writes beside its project, as in test_zensical.py
    site = tmp_path / "site"
    build(tiny, site, engine=engine)
    rules = site_rules(site)
    pages = sorted(site.rglob("*.html"))
    assert pages and rules.usable
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert strip_indentation(text, rules) == text, page
    assert "\n<li" in (site / "index.html").read_text(encoding="utf-8")


POEM = "<div class=\"poem\">\n  line one\n      indented two\n</div>"


@pytest.mark.parametrize("declaration", [
    "white-space-collapse: preserve", "white-space-collapse: preserve-breaks",
    "white-space: preserve nowrap", "white-space: PRE", "white-space: var(--ws)",
    "white-space: pre !important"])
def test_every_value_that_keeps_white_space_keeps_the_element(declaration: str) -> None:
    # CSS Text 4: white-space-collapse, and the white-space shorthand's new values; a value
    # this cannot read (var()) may keep white space too
    rules = keep_rules([f".poem {{ {declaration} }}"])
    assert strip_indentation(f"<main>\n  {POEM}\n</main>", rules) == f"<main>\n{POEM}\n</main>"


def test_a_style_element_in_the_page_keeps_its_elements(tmp_path: Path) -> None:
    # a hand-written page's raw HTML may carry its own stylesheet
    page = f"<style>\n.poem {{ white-space: pre }}\n</style>\n  {POEM}\n  <p>x</p>"
    assert strip_indentation(page) == f"<style>\n.poem {{ white-space: pre }}\n</style>\n" \
        f"{POEM}\n<p>x</p>"
    (tmp_path / "index.html").write_text(page, encoding="utf-8")
    strip_site(tmp_path)
    assert POEM in (tmp_path / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("tag", [
    "<div data-class=\"x\" class=\"poem\">", "<div data-id=\"1\" id=\"verse\">",
    "<div title='class=x' class=\"poem\">", "<div style=white-space:pre>",
    "<div data-style=\"x\" style=\"white-space: pre\">"])
def test_the_class_id_and_style_read_are_the_elements_own(tag: str) -> None:
    rules = keep_rules([".poem, #verse { white-space: pre }"])
    block = f"{tag}\n  a\n    b\n</div>"
    assert strip_indentation(f"<main>\n  {block}\n</main>", rules) == f"<main>\n{block}\n</main>"


def test_an_attribute_value_holding_a_less_than_sign_does_not_hide_its_tag() -> None:
    rules = keep_rules([".poem { white-space: pre }"])
    block = "<div title=\"a < b\" class=\"poem\">\n  a\n    b\n</div>"
    assert strip_indentation(f"<main>\n  {block}\n</main>", rules) == f"<main>\n{block}\n</main>"


def test_an_end_tag_inside_a_comment_does_not_end_a_kept_element() -> None:
    rules = keep_rules([".poem { white-space: pre }"])
    for block in ["<pre>x <!-- </pre> -->\n   y</pre>",
                  "<div class=\"poem\"><!-- </div> -->\n  a\n    b</div>"]:
        html = f"<main>\n  {block}\n  <p>c</p>\n</main>"
        assert strip_indentation(html, rules) == f"<main>\n{block}\n<p>c</p>\n</main>", block


def test_a_stylesheet_named_in_capitals_is_read(tmp_path: Path) -> None:
    (tmp_path / "Team.CSS").write_text(".poem { white-space: pre }", encoding="utf-8")
    assert "poem" in site_rules(tmp_path).classes


@pytest.mark.parametrize("css", [
    ".poem { white-space: pre; .note { color: red } }",
    ".poem { color: red; & .x { color: blue } white-space: pre; }",
    "@media screen { .poem { white-space: pre; b { color: red } } }"])
def test_a_declaration_beside_nested_rules_is_read(css: str) -> None:
    # CSS Nesting: a rule's declarations may stand before or after rules nested in it
    rules = keep_rules([css])
    assert rules.usable and "poem" in rules.classes


def test_stylesheets_are_read_as_css_is_parsed() -> None:
    # tinycss2 reads them: escapes in a property or a value ("white-sp\61 ce: pr\65" is
    # white-space: pre), a brace inside a string, and a declaration inside an @media nested
    # in a rule, which belongs to that rule; the hand-written tokenizer missed all three.
    rules = keep_rules(['a { content: "{"; } .escaped { white-sp\\61 ce: pr\\65 }',
                        ".outer { @media (min-width: 1px) { white-space: pre } }",
                        ".plain { white-space: normal !important }"])
    assert rules.usable
    assert {"escaped", "outer"} <= rules.classes and "plain" not in rules.classes


def test_a_stylesheet_read_again_after_an_edit_is_read_anew() -> None:
    # keep_rules remembers each sheet's rules by its text (serve rebuilds read the same
    # theme sheets again): an edited sheet is parsed again, and a caller's changes to the
    # rules it got never reach the next caller
    first = keep_rules([".poem { white-space: pre }"])
    first.classes.add("tampered")
    assert keep_rules([".poem { white-space: pre }"]).classes == {"poem"}
    assert keep_rules([".poem { white-space: normal }"]).classes == set()
    assert not keep_rules([".poem { white-space: pre }", "@import 'x.css';"]).usable


def test_white_space_is_found_in_every_case_as_the_pattern_finds_it() -> None:
    # _white_space_at finds "white-space" from its "-space" (a literal start, faster to
    # search for): the same starts as the one pattern, in any case, at the page's start,
    # beside near misses.
    import random

    from build_site.html_whitespace import _WHITE_SPACE, _white_space_at

    chosen = random.Random(7)
    pieces = ["white-space", "WHITE-SPACE", "White-Space", "wHiTe-sPaCe", "-space", "white-",
              "whit-space", "wwhite-space", "white--space", "white-spac", "ſpace", " ", "<p>",
              "hite-space", "-SPACE-space"]
    for _ in range(400):
        text = "".join(chosen.choice(pieces) for _ in range(chosen.randint(1, 12)))
        assert list(_white_space_at(text)) == [m.start() for m in _WHITE_SPACE.finditer(text)]
    assert list(_white_space_at("white-space:pre")) == [0]


@pytest.mark.parametrize("opening", ["<style>", "<STYLE>", "<Style media=all>"])
def test_a_style_element_in_any_case_keeps_its_elements(opening: str) -> None:
    # The page's own <style> is looked for without lowering the whole page: any case of its
    # letters is still found (and "<ſtyle>" still is not, as when the page was lowered).
    html = (f"<html>{opening}.x{{white-space:pre}}</style>\n<div class=x>\n  a\n    b</div>"
            "\n  <p>c</p>")
    assert strip_indentation(html) == html.replace("\n  <p>", "\n<p>")
    odd = html.replace(opening[:6], "<ſtyle")
    assert strip_indentation(odd) == odd.replace("\n  a\n    b", "\na\nb").replace(
        "\n  <p>", "\n<p>")
