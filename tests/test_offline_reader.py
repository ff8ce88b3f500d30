"""The external-load check reads an HTML page through an lxml parser target
(``offline._PageReader``, no tree): on every page it must find exactly what the tree walk it
replaced found (``tests/offline_reference.py``), in the same order, and fail where that
failed, with the same error; and also what follows ``</html>``, which the tree walk never
visited (``test_a_load_after_the_end_of_the_html_element_is_found``). Compared on every page
of the existing offline tests, on pages generated from hostile fragments, and on the bundled
study's built site; a reader with one rule broken is caught by the same comparison. The
reader's fast path (loads8: ``offline._PLAIN``, texts kept by ``list.append``) is shown sound
name by name, and three mutants of it are caught by the comparison."""

from __future__ import annotations

import ast
import random
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from build_site import offline

from .offline_reference import reference_page_loads

HERE = Path(__file__).parent
Outcome = tuple[str, object]


def _outcome(read: Callable[[str], list[tuple[str, str]]], text: str) -> Outcome:
    try:
        return "loads", read(text)
    except Exception as exc:  # the check fails on the page: the same error either way
        return "error", (type(exc).__name__, str(exc))


def _markup_constants(module: Path) -> Iterator[str]:
    """Every string constant of a test module that holds markup (implicitly joined literals
    are one constant)."""
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and "<" in node.value:
            yield node.value


def _test_pages() -> list[str]:
    """The pages and bodies of the offline tests, each also wrapped as a whole page."""
    pages = []
    for module in ("test_offline.py", "test_gate_fast.py", "test_site_theme.py"):
        for text in _markup_constants(HERE / module):
            pages += [text, f"<html><head></head><body>{text}</body></html>"]
    return pages


# Fragments from which pages are generated: every construct the reader handles apart from
# the tree (text ended by a child, a comment, an end tag; instructions; nested srcdoc; empty
# documents; prefixed and upper-case names; attributes without a value, repeated, unquoted).
_FRAGMENTS = [
    "<script>fetch('https://s1.example/a')</script>", "<SCRIPT>x='//s2.example/b'</SCRIPT>",
    "<script src=local.js>'//s3.example/c'</script>", "<script type=application/json>"
    "'//s4.example/d'</script>", "<svg:script>'//s5.example/e'<b>x</b>'//s6.example/f'"
    "</svg:script>", "<svg:style>@import '//s7.example/g';<!-- c -->@import '//s8.example/h';"
    "</svg:style>", "<style>p{background:url(//s9.example/i)}</style>", "<style></style>",
    "<script></script>'//tail.example/j'", "<style>a{}</style>@import '//tail2.example/k';",
    "<script>" + " " * 300 + "'//s10.example/l'" + "\n" * 200 + "</script>",
    "<style>" + "p{}" * 100 + "@import '//s11.example/m';</style>",
    "<!-- <img src=//c.example/n> -->", "<?xml-stylesheet href=\"//pi.example/o\"?>",
    "<img src=//u1.example/p srcset='a.png 1x, //u2.example/q 2x'>", "<img src alt=x>",
    "<link rel=preload href=//u3.example/r><link rel=canonical href=//u4.example/s>",
    "<link rel href=//u5.example/t>", "<link href=//u6.example/u rel=icon rel=canonical>",
    "<meta http-equiv=Refresh content='0; url=//u7.example/v'>", "<meta http-equiv>",
    "<iframe srcdoc=\"<img src=//d1.example/w><iframe srcdoc='&lt;img src=//d2.example/x&gt;'>"
    "</iframe>\"></iframe>", "<iframe srcdoc='<!-- only a comment -->'></iframe>",
    "<iframe srcdoc='  '></iframe>", "<a data-md-component=source href=https://github.com/o/r>"
    "r</a>", "<a data-md-component=source href='http://[broken'>r</a>",
    "<pre class='mermaid x'>graph</pre>", "<svg:image xlink:href=//u8.example/y />",
    "<IMG SRC=//u9.example/z>", "<td background=//u10.example/0>", "<p style='color:red'>",
    "<div style='background:u\\72l(//u11.example/1)'>", "<object data=//u12.example/2>",
    "<base href=//u13.example/3>", "<input disabled src=//u14.example/4>", "</html>",
    "<p>text &amp; &#x2F;&#x2F;e.example</p>", "<table><tr><td><img src=//u15.example/5>",
    "<noscript><img src=//u16.example/6></noscript>", "<textarea><img src=//t.example/7>",
    "<title><img src=//t.example/8></title>", "<plaintext><img src=//t.example/9>",
    "<svg><use href=//u17.example/a /><image href='https://u18.example/b'/></svg>",
    "<video poster=//u19.example/c><source srcset=//u20.example/d></video>",
    "\x00<img src=//n.example/e>", "<html><body>", "<head>", "<body>", "x", " ", "\n",
]


def _generated_pages(count: int, seed: int = 25) -> list[str]:
    """``count`` pages of 1 to 8 fragments each, in random order (seeded: the same pages
    every run), some without any element at all."""
    chosen = random.Random(seed)
    return ["".join(chosen.choice(_FRAGMENTS) for _ in range(chosen.randint(1, 8)))
            for _ in range(count)] + ["<!-- nothing -->", "<?pi only?>", "<!doctype html>"]


def _differences(pages: list[str]) -> list[str]:
    return [page for page in pages
            if _outcome(offline._html_loads, page) != _outcome(reference_page_loads, page)]


def test_the_reader_finds_what_the_tree_walk_found_on_the_offline_tests_pages() -> None:
    pages = _test_pages()
    assert len(pages) > 80
    assert _differences(pages) == []
    # the pages do hold loads, and pages the check fails on
    outcomes = [_outcome(offline._html_loads, page) for page in pages]
    assert sum(kind == "loads" and bool(found) for kind, found in outcomes) > 30


def test_the_reader_finds_what_the_tree_walk_found_on_generated_pages() -> None:
    pages = _generated_pages(1500)
    assert _differences(pages) == []
    kinds = {kind for kind, _ in (_outcome(offline._html_loads, page) for page in pages)}
    assert kinds == {"loads", "error"}  # failing pages compared too (empty srcdoc, IPv6)


def test_the_reader_finds_what_the_tree_walk_found_on_a_built_site(bundled_site: Path) -> None:
    pages = [path.read_text(encoding="utf-8") for path in sorted(bundled_site.rglob("*.html"))]
    assert len(pages) > 50
    assert _differences(pages) == []


@pytest.mark.parametrize("broken", ["end", "comment", "empty", "filter"])
def test_a_reader_with_one_rule_broken_is_caught(broken: str,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    # The comparison above is only as good as its pages: each mutant must differ on some.
    reader = offline._PageReader
    if broken == "filter":  # the elements that carry only a style attribute passed over
        monkeypatch.setattr(offline, "_READ_ATTRIBUTES", offline._READ_ATTRIBUTES - {"style"})
    elif broken == "empty":  # a document without an element read as one without loads
        monkeypatch.setattr(reader, "close", lambda self: self.found)
    else:  # an end tag or a comment no longer ends a script's or style's text
        monkeypatch.setattr(reader, broken, lambda self, *args: None)
    assert _differences(_test_pages() + _generated_pages(1500))


def test_a_load_after_the_end_of_the_html_element_is_found(tmp_path: Path) -> None:
    # libxml2 puts what follows </html> in a second <html> beside the root, which the tree
    # walk (root.iter()) never visited: a page, or Markdown raw HTML closing </html>, could
    # load anything from anywhere after it (a browser shows it in the body).
    page = ('<html><body><p>text</p></body></html><img src="https://after.example/a.png">'
            '<script>fetch("https://after2.example/b")</script>')
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    assert reference_page_loads(page, after_root=False) == []  # what a44b96f found
    assert [(load.url, load.what) for load in offline.external_loads(tmp_path)] == [
        ("https://after.example/a.png", "<img src>"),
        ("https://after2.example/b", "a URL in an inline script")]


# loads8: the reader's fast path for elements of ``offline._PLAIN`` (read only when they hold
# one of the attributes _loads_of reads of them) and its texts kept by ``list.append``.
_HOSTILE_VALUES = {
    "style": "background:url(//v1.example/a);@import '//v2.example/b'",
    "srcdoc": "<img src=//v3.example/c>", "http-equiv": "refresh",
    "content": "0; url=//v4.example/d", "data-md-component": "source",
    "href": "https://github.com/o/r", "rel": "preload stylesheet", "type": "text/javascript",
    "class": "mermaid",
}


def _every_attribute() -> dict[str, str]:
    names = {*offline._READ_ATTRIBUTES, *offline._XLINK, *_HOSTILE_VALUES}
    return {name: _HOSTILE_VALUES.get(name, "//v5.example/e") for name in names}


def test_a_plain_element_without_the_attributes_it_is_read_for_yields_nothing() -> None:
    # The fast path's soundness: for each name of _PLAIN, _loads_of yields nothing unless the
    # element holds one of the attributes _PLAIN gives it, whatever the others hold; and the
    # names are ones no other rule of the reader touches.
    every = _every_attribute()
    special = (offline._TEXT_READ | offline._HREF_READ | offline._FOREIGN_ROOTS
               | offline._TEXT_IN_LIBXML2)
    for name, read in offline._PLAIN.items():
        assert offline._local_name(name) == name and name not in special
        others = {attr: value for attr, value in every.items() if attr not in read}
        assert list(offline._loads_of(name, others, None, 0)) == [], name
        assert list(offline._loads_of(name, every, None, 0)), name  # the set is not empty


def test_plain_elements_are_most_of_a_built_page(bundled_site: Path) -> None:
    # What the fast path is for: most elements of a page take it (an assertion about the
    # site's markup, not a timing).
    from collections import Counter
    names: Counter[str] = Counter()

    class Count:
        def start(self, tag: str, attrs: dict[str, str]) -> None:
            names[tag] += 1

        def close(self) -> None:
            return None

    from lxml import etree
    for path in sorted(bundled_site.rglob("*.html")):
        etree.fromstring(path.read_text(encoding="utf-8"),
                         etree.HTMLParser(target=Count(), collect_ids=False))
    plain = sum(count for name, count in names.items() if name in offline._PLAIN)
    assert plain > 0.8 * sum(names.values())


@pytest.mark.parametrize("broken", ["plain style", "plain meta", "texts"])
def test_a_fast_path_with_one_rule_broken_is_caught(broken: str,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    if broken == "plain style":  # a plain element's style attribute no longer read
        monkeypatch.setattr(offline, "_PLAIN", {
            name: read - {"style"} for name, read in offline._PLAIN.items()})
    elif broken == "plain meta":  # a refresh no longer read
        monkeypatch.setattr(offline, "_PLAIN", {
            **offline._PLAIN, "meta": offline._PLAIN["meta"] - {"http-equiv"}})
    else:  # a waiting element's text taken from all the texts kept, not from its start on
        monkeypatch.setattr(offline._PageReader, "_wait", lambda self, tag, attrs, markup:
                            setattr(self, "waiting", (tag, attrs, markup)))
    assert _differences(_test_pages() + _generated_pages(1500))
