"""Search stand-ins with fewer tags (render/search_reduce.py): Material's indexer reads the
same sections from the stand-in as from the fragment, in every context a page gives it, and
whole sites build to the same bytes (search index included) with and without them."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from material.plugins.search.plugin import Parser

import build_site.render.fragments as fragments
import build_site.render.search_reduce as search_reduce
from build_site.pipeline import build
from build_site.render.search_reduce import reduce_for_search
from build_site.synth import write_synthetic_study

from ..conftest import REPO, tree_hash

HOME = ('<figure class="bs-excerpt speaker-clinician" data-excerpt="D1-P1-E1">\n'
        '<h3 class="bs-excerpt-title" id="D1-P1-E1">Excerpt D1-P1-E1 · Clinician</h3>\n'
        "<blockquote><p>We agreed on one change &amp; one only.\nIt&#39;s on the fridge."
        "</p></blockquote>\n<figcaption><a class=\"bs-cite\" href=\"#D1-P1-E1\">D1-P1-E1</a>"
        ' · <span class="bs-speaker">Clinician</span><br><span class="bs-chips">'
        '<a class="bs-chip" href="x.html" title="t">Asked</a> <a class="bs-chip" href="y.html">'
        "Did not give up</a></span></figcaption>\n</figure>")
COPY = ('<figure class="bs-excerpt speaker-patient" id="D1-P1-E6" data-search-exclude="true">\n'
        "<blockquote><p>D1 remembered my daughter&#39;s name.</p></blockquote>\n"
        '<figcaption><a class="bs-cite" href="../dyads/D1-P1.html#D1-P1-E6">D1-P1-E6</a> · '
        '<span class="bs-speaker">Patient</span><br><span class="bs-chips"><a class="bs-chip" '
        'href="a.html">Spoke up</a></span></figcaption>\n'
        '<details class="bs-context" data-search-exclude="true"><summary>In context</summary>'
        "<ul><li>x</li></ul></details>\n</figure>")

# Where a fragment can sit on a page: before and after it.
CONTEXTS = [
    ('<h1 id="t">Title</h1>\n', "\n"),
    ('<h1 id="t">Title</h1>\n<h2 id="s">Section</h2>\n<p>Before</p>\n', "\n\n<p>After</p>"),
    ('<h1 id="t">Title</h1>\ntext  ', "  text<h2 id=\"n\">Next</h2>more"),
    ('<h1 id="t">T</h1>\n<div class="w">\n', "\n</div>\nafter &amp; more"),
    ('<h1 id="t">T</h1><ul><li>item ', " tail</li></ul>\n"),
    ('<h1 id="t">T</h1>\n<h3 id="e" data-search-exclude="true">Hidden</h3>\n', "\nrest"),
    ('<p>preface</p>\n', "\n<h2 id=\"b\">B</h2>\n<p>b</p>"),
    ("", ""),
]


def _sections(html: str) -> list[tuple[str | None, str, str, bool]] | str:
    """The sections Material's parser reads in ``html``, or the error it raises."""
    parser = Parser()
    try:
        parser.feed(html)
        parser.close()
    except ValueError as exc:  # a kept tag closed in another section than it opened
        return repr(exc)
    return [(s.id, "".join(s.title), "".join(s.text), s.is_excluded()) for s in parser.data]


def _same_everywhere(fragment: str, cheap: str) -> None:
    marked = f"<!--bs-search:{'0' * 64}-->{cheap}<!--/bs-search-->"
    for before, after in CONTEXTS:
        for twice in (False, True):  # a fragment next to itself, as excerpts are
            body, stand = (fragment, marked) if not twice else (fragment + "\n\n" + fragment,
                                                                 marked + "\n\n" + marked)
            assert _sections(before + stand + after) == _sections(before + body + after), (
                before, fragment, cheap)


def test_an_excerpt_at_home_reads_the_same_with_fewer_than_half_the_tags() -> None:
    cheap = reduce_for_search(HOME)
    assert cheap is not None
    assert cheap.count("<") * 2 < HOME.count("<")
    assert '<h3 class="bs-excerpt-title" id="D1-P1-E1">' in cheap and "<p>" in cheap
    _same_everywhere(HOME, cheap)


def test_an_excluded_copy_is_its_two_tags() -> None:
    cheap = reduce_for_search(COPY)
    assert cheap == ('<figure class="bs-excerpt speaker-patient" id="D1-P1-E6" '
                     'data-search-exclude="true"></figure>')
    _same_everywhere(COPY, cheap)


@pytest.mark.parametrize("fragment", [
    "<div><pre>a  b</pre></div>",  # pre keeps white space
    "<div><script>x</script></div>",
    '<div data-search-exclude="true"><div>nested</div></div>',  # the inner end frees the root
    '<div data-search-exclude="true"><h3 id="x">Heading</h3></div>',  # headings still count
    "<div><h3>no id</h3><span>x</span></div>",  # its text may go to another section
    '<div><h3 id="a"><h4 id="b">x</h4></h3></div>',
    '<div><h2 id="a">T<a class="headerlink" href="#a">¶</a></h2></div>',
    '<div><span class="linenodiv">1</span></div>',
    '<div><p data-search-exclude="true">x</p></div>',
    "<div><span>a < b</span></div>",  # not a tag the rules read
    "<div><span>x</div></span>",  # unbalanced
    "<div><!-- c --><span>x</span></div>",
    "<p>x</p>",  # nothing saved
    "text <span>x</span>",  # not a tag at each end
])
def test_what_the_rules_do_not_cover_is_read_as_it_is(fragment: str) -> None:
    assert reduce_for_search(fragment) is None


TAGS = ["div", "figure", "blockquote", "figcaption", "a", "span", "em", "table", "tr", "td",
        "p", "ul", "li", "code", "sub", "details", "summary"]
TEXTS = ["x", "word", " ", "\n", "  ", "\n\n", "a b", "y\n", "&amp;", "&nbsp;", "&lt;b&gt;",
         "&#10;", "&amp", " z ", "\t"]


PLAIN = ["div", "a", "span", "em", "table", "tr", "td", "g", "text", "details", "summary"]


def _random_fragment(rng: random.Random, depth: int = 0, ids: list[int] | None = None,
                     tags: list[str] = TAGS) -> str:
    """Text, void tags, headings (with ``tags`` = TAGS) and elements of ``tags``, nested."""
    ids = ids if ids is not None else [0]
    parts: list[str] = []
    for _ in range(rng.randint(0, 4)):
        roll = rng.random()
        if roll < 0.4:
            parts.append(rng.choice(TEXTS))
        elif roll < 0.5:
            parts.append(rng.choice(["<br>", "<img src=\"i.png\">", "<br/>", "<circle r=\"1\"/>"]))
        elif roll < 0.6 and depth < 3 and tags is TAGS:
            ids[0] += 1
            inner = "".join(rng.choice([*TEXTS, "<code>c</code>", "<em>e</em>"])
                            for _ in range(rng.randint(0, 3)))
            level = rng.choice("2345")
            parts.append(f'<h{level} id="h{ids[0]}" class="c">{inner}</h{level}>')
        elif depth < 4:
            tag = rng.choice(tags)
            parts.append(f'<{tag} class="k{rng.randint(0, 9)}">'
                         f"{_random_fragment(rng, depth + 1, ids, tags)}</{tag}>")
    return "".join(parts)


def test_random_fragments_read_the_same_in_every_context() -> None:
    """Fragments drawn at random from the tags, white space and entities pages hold,
    headings among them, some with an excluded root, some with no tag the indexer keeps
    (the tag-free stand-in, its runs compacted): wherever there is a stand-in, the parser's
    sections are the fragment's, in every context."""
    rng = random.Random(25)
    reduced = 0
    for _ in range(1000):
        root = rng.choice(["div", "figure", "section"])
        exclude = ' data-search-exclude="true"' if rng.random() < 0.25 else ""
        tags = PLAIN if rng.random() < 0.3 else TAGS  # no kept tag: the tag-free stand-in
        fragment = f'<{root} class="r"{exclude}>{_random_fragment(rng, tags=tags)}</{root}>'
        cheap = fragments.search_stand_in(fragment)
        if cheap is not None:
            reduced += 1
            _same_everywhere(fragment, cheap)
    assert reduced > 500


def _without_reduction(monkeypatch: pytest.MonkeyPatch) -> None:
    """The stand-ins as before this module: the tag-free one alone, not compacted."""
    monkeypatch.setattr(fragments, "search_stand_in", fragments.stand_in)


@pytest.mark.parametrize("audience", ["public", "review"])
def test_the_bundled_study_builds_to_the_same_bytes(tmp_path: Path, audience: str,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    _whole_site_same(REPO / "casestudies", tmp_path, monkeypatch, audience)


def test_a_synthetic_study_builds_to_the_same_bytes(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    study = tmp_path / "synth"
    write_synthetic_study(study, dyads=30, clinicians=7, excerpts_per_dyad=8, seed=1)
    _whole_site_same(study, tmp_path, monkeypatch, "public")


def _whole_site_same(study: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                     audience: str) -> None:
    used: list[str] = []
    real = reduce_for_search

    def counting(html: str) -> str | None:
        cheap = real(html)
        if cheap is not None:
            used.append(cheap)
        return cheap

    monkeypatch.setattr(fragments, "reduce_for_search", counting)
    new, old = tmp_path / f"new-{audience}", tmp_path / f"old-{audience}"
    build(study, new, audience=audience)  # type: ignore[arg-type]
    assert any("data-search-exclude" in c for c in used) and any("<h3" in c for c in used)
    with monkeypatch.context() as m:
        _without_reduction(m)
        build(study, old, audience=audience)  # type: ignore[arg-type]
    index = Path("search") / "search_index.js"
    assert (new / index).read_bytes() == (old / index).read_bytes()
    assert tree_hash(new) == tree_hash(old)


ONE_LINE = re.compile(r"^<(?:h[1-6]|p) ", re.M)


@pytest.mark.parametrize("which", ["compact synthetic", "bundled"])
def test_one_line_blocks_lifted_build_to_the_same_bytes(tmp_path: Path, which: str,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A compact component page's raw evidence headings and the templates' one-line
    paragraphs, lifted out of the Markdown as blocks, come out byte for byte as Markdown
    passed them through (the whole site: pages, search index)."""
    import build_site.render.large_pages as large_pages

    if which == "bundled":
        study = REPO / "casestudies"
    else:
        monkeypatch.setattr(large_pages, "MAX_FLAT_GROUPS", 0)  # every component page compact
        study = tmp_path / "synth"
        write_synthetic_study(study, dyads=12, clinicians=4, excerpts_per_dyad=4, seed=2)
    lifted: list[str] = []
    real = fragments.lift_blocks

    def spy(markdown: str, blocks: dict[str, str]) -> str:
        out = real(markdown, blocks)
        lifted.extend(b for b in blocks.values() if ONE_LINE.match(b))
        return out

    monkeypatch.setattr(fragments, "lift_blocks", spy)
    import build_site.render.context as context

    monkeypatch.setattr(context, "lift_blocks", spy)
    new, old = tmp_path / "new", tmp_path / "old"
    build(study, new)
    assert any(b.startswith("<p ") for b in lifted)
    assert which == "bundled" or any(b.startswith("<h4 ") for b in lifted)
    before = re.compile(fragments.BLOCK_ALTERNATIVES.rsplit("|^<(?P<line>", 1)[0], re.M)
    monkeypatch.setattr(fragments, "_BLOCKS", before)
    lifted.clear()
    build(study, old)
    assert not lifted
    assert tree_hash(new) == tree_hash(old)


def test_the_installed_material_indexer_is_one_the_rules_were_read_from() -> None:
    # Fails after a Material upgrade that changed its search Parser: read the rules in
    # search_reduce's docstring against the new parser, then add its digest.
    assert search_reduce.indexer_known()


def test_an_unknown_indexer_gets_the_fragment_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    diagram = '<svg><g><title>Listening</title><text x="1">Listening</text></g></svg>'
    assert fragments.search_stand_in(diagram) is not None
    monkeypatch.setattr(search_reduce, "KNOWN_INDEXERS", frozenset())
    search_reduce.indexer_known.cache_clear()
    try:
        assert fragments.search_stand_in(diagram) is None
    finally:
        search_reduce.indexer_known.cache_clear()
