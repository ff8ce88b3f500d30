"""The indentation removal of branch tidy9 (issue 25: one stretch for a kept element without a
newline, the kept names' scan looked ahead by first letter) against the removal as it was
before it (``tests/html_whitespace_reference.py``, a copy of ``build_site/html_whitespace.py``
at 3b12a81): the same text on every page of an engine's real output and on hostile pages."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import build_site.pipeline as pipeline
import tests.html_whitespace_reference as reference
from build_site.html_whitespace import (
    KeepRules,
    keep_rules,
    page_text,
    site_pages,
    site_rules,
    strip_indentation,
)
from build_site.synth import write_synthetic_study

CSS = [".md-typeset code,.md-typeset kbd,.md-typeset pre{white-space:pre-wrap}"
       ".md-search__suggest{white-space:pre}.poem{white-space:pre-line}#verse{white-space:pre}"]

HOSTILE = [
    "<div>\n  <p>a</p>\n\n\n    <p>b</p>\n</div>\n",
    "<pre>\n  a\n    b</pre>\n  <p>c</p>",
    "<textarea>\n  x\n</textarea>\n  <p>y</p>",
    "<script>\n  var a = '<pre>';\n  </script>\n  <p>z</p>\n<script>x</script>\n  <i>q</i>",
    "<style>\n  .a { color: red }\n</style>\n  <p>s</p>",
    "<style>.v { white-space: pre }</style>\n  <div class=\"v\">\n    kept\n</div>\n  <p>x</p>",
    "<div style=\"white-space: pre\">\n  kept\n</div>\n  <div style=\"color: red\">\n  x</div>",
    "<div>\r\n  <p>crlf</p>\r\n</div>\r\n",
    "<!-- <pre> -->\n  <p>a</p>\n  <!--\n    <pre>\n  -->\n  <p>b</p>",
    "<svg>\n  <text x=\"1\">a</text>\n  <text>\n    two\n  </text>\n  <![CDATA[\n  <pre>\n"
    "  ]]>\n  <text>b</text><g>\n    </g></svg>",
    "<svg><text>a</text>\n  <text>b\n  c</text>\n  <tspan>d</tspan>\n</svg>",
    "<title>a</title>\n  <title>b\n  c</title>\n  <p>d</p>",
    "<title><pre></title>\n  x</pre>\n  <p>y</p>",
    "<title>t <script></title>\n  <p>x</p>\n  </script>\n  <p>y</p>",
    "<p title=\"a\n    b\">\n  c</p>\n  <text>d</text>\n  <pre>\n  e</pre>",
    "<p title='a <text>\n  b'>\n  c</p>\n  <text>d</text>\n  <p>e</p>",
    "<p title=\"<text>\">\n  x</p>\n  <text>y</text>\n  <z>\n  </z>",
    "<\u017fcript>\n  a\n</\u017fcript>\n  <\u212abd>\n  b</\u212abd>\n  <SCRIPT>\n  c</SCRIPT>",
    "<kbd>x</kbd>\n  <kbd>\n  y</kbd>\n  <code class=\"poem\">z</code>\n  <span id=\"verse\">\n"
    "  v</span>\n  <p>w</p>",
    "<pre/>\n  <p>x</p>\n  <br>\n  <text/>\n  <p>y</p>",
    "<pre>\n  <pre>\n  a</pre>\n  b</pre>\n  <pre>unclosed\n  x",
    "<text>unclosed\n  <p>x</p>",
    "<text>no newline <p>x</p>",
    "<div>\n\t\t<p>tabs</p>\n \t \n</div>\n  ",
    "<a href=\"x\"\n    class=\"b\">\n  c</a>\n  <text>d</text>",
    "plain\n  text\n  <code>a</code>\n  <code>b</code>\n  end\n",
    "<style>* { white-space: pre }</style>\n  <p>x</p>",
]


@pytest.mark.parametrize("html", HOSTILE)
@pytest.mark.parametrize("css", [[], CSS])
def test_hostile_pages_give_the_reference_text(html: str, css: list[str]) -> None:
    rules = keep_rules(css) if css else None
    old_rules = reference.keep_rules(css) if css else None
    for text in (html, html.replace("\r\n", "\n")):
        assert strip_indentation(text, rules) == reference.strip_indentation(text, old_rules)


def test_the_hostile_pages_reach_both_paths() -> None:
    """Some hostile pages keep a newline-free element in its stretch, some hold a multi-line
    attribute value (the stretch by stretch path), so both ways are compared."""
    assert any(reference._MULTILINE_VALUE.search(h) for h in HOSTILE)
    assert any("<text>" in h and not reference._MULTILINE_VALUE.search(h) for h in HOSTILE)
    changed = [h for h in HOSTILE if strip_indentation(h, keep_rules(CSS)) != h]
    assert len(changed) > 20


def _raw_site(study: Path, base: Path) -> Path:
    raw = base / "raw"
    with pytest.MonkeyPatch.context() as patch:
        def keep(site: Path, *args: object, **kwargs: object) -> list[object]:
            shutil.copytree(site, raw, symlinks=True)
            return []
        patch.setattr(pipeline, "tidy_and_scan", keep)
        pipeline.build(study, base / "site")
    return raw


def _same_on_every_page(raw: Path) -> int:
    rules, old_rules = site_rules(raw), reference.site_rules(raw)
    assert rules.usable and (rules.tags, rules.classes, rules.ids) == (
        old_rules.tags, old_rules.classes, old_rules.ids)
    pages = 0
    for path in site_pages(raw):
        text = page_text(path.read_bytes())
        if text is None:
            continue
        assert strip_indentation(text, rules) == reference.strip_indentation(text, old_rules), \
            path
        pages += 1
    return pages


def test_a_synthetic_study_s_raw_pages_give_the_reference_text(tmp_path: Path) -> None:
    write_synthetic_study(tmp_path / "study", dyads=6, clinicians=2, excerpts_per_dyad=8,
                          seed=3)
    assert _same_on_every_page(_raw_site(tmp_path / "study", tmp_path)) > 20


def test_the_bundled_study_s_raw_pages_give_the_reference_text(tmp_path: Path) -> None:
    study = tmp_path / "study"
    shutil.copytree(Path(__file__).parent.parent / "casestudies", study)
    assert _same_on_every_page(_raw_site(study, tmp_path)) > 20


def test_the_kept_names_scan_finds_what_the_alternation_found() -> None:
    rules = KeepRules(tags={"pre", "code", "kbd", "x-y"})
    names, _ = rules.patterns()
    old, _ = reference.KeepRules(tags={"pre", "code", "kbd", "x-y"}).patterns()
    page = "".join(HOSTILE) + "<X-Y>\n<Code >\n<KBD/>\n<\u212aBD>\n<pres>\n<\u017fTYLE>"
    assert [m.start() for m in names.finditer(page)] == [m.start() for m in old.finditer(page)]
