"""The leak gate's first look for words (``privacy/word_filter.py``, issue 25): a text it
clears names nobody under the canonical reading, and the text between tags joined without
spaces is read only around its hard seams without losing a name split by markup."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from build_site.deidentify import Matcher
from build_site.deidentify.reading import reading
from build_site.privacy import gate
from build_site.privacy.word_filter import WordFilter, filter_words
from build_site.study import Identifier

from .forms import disguised
from .test_gate_fast import _PIECES, BRACKETED, LISTED

PRACTICE = Identifier(text="Brennwick Family Practice", replacement="[a practice]",
                      kind="institution", variants=["Brennwick"])
ORVVIK = Identifier(text="Orvvik Family Practice", replacement="[a practice]",
                    kind="institution")
WARD = Identifier(text="Ward Seven", replacement="a ward", kind="place")
HAN = Identifier(text="王小明", replacement="Ming", kind="person")
LISTS = [LISTED, [*LISTED, BRACKETED], [*LISTED, PRACTICE, ORVVIK, WARD], [*LISTED, HAN]]

_MORE = ["Brennwick", "Bren", "nwick", "Family", "Practice", "Orvvik", "Orv", "vik", "Ward",
         "Seven", "seven", "王", "小明", "\x00", "\n\n\n  \n", "\u00a0", "?", "ü", "<b></b>",
         "<i></i><i></i>", "x" * 40, "-", ".", "'", "Margery Quill"]


def _reference(matcher: Matcher, read: str) -> bool:
    return bool(matcher.contains(read, gate.markup_variants))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.one_of(st.sampled_from(_PIECES + _MORE),
                                   disguised("Quill"), disguised("Orvvik")), max_size=16),
                min_size=1, max_size=5))
def test_a_text_the_words_clear_names_nobody(pages: list[list[str]]) -> None:
    """Over random markup, disguised names and the seams between them: whenever the first
    look clears a text, the full reading finds nobody in it; and the verdict of the fast
    pass, first look included, is the reference's (one reader over several texts, so tags
    read clean are passed over as in a real scan)."""
    for listed in LISTS:
        matcher = Matcher(listed)
        quick = gate._QuickScan(matcher)
        for pieces in pages:
            read = gate.shown("".join(pieces))
            expected = _reference(matcher, read)
            lower = reading(read, lower=True)
            if quick.words.clears(quick._first_look(lower, [])):
                assert not expected, repr(read)
            assert quick.names_any(read) == expected, repr(read)


_LETTERS = st.sampled_from(["b", "r", "e", "n", "w", "i", "c", "k", "brennwick", "bren",
                            "nwick", " ", "\n\n", "-", ".", "", "", "zz"])


@settings(max_examples=500, deadline=None)
@given(st.lists(st.lists(_LETTERS, max_size=6).map("".join), min_size=1, max_size=40))
def test_the_windows_hold_every_word_the_joined_text_holds_across_a_seam(
        gaps: list[str]) -> None:
    """The joined text's windows with the spaced text clear nothing the whole joined text
    would not clear: a word cut by any number of tags (empty gaps between them) is in a
    window with its neighbours."""
    words = WordFilter(["brennwick"])
    spaced = " ".join(gaps)
    if words.clears([spaced, words.glued_windows(gaps)]):
        assert words.clears([spaced, "".join(gaps)]), gaps


def test_a_name_cut_into_letters_by_tags_is_found_far_into_a_page(tmp_path: Path) -> None:
    letters = "".join(f"<b>{c}</b>" + "<i></i>" * 30 for c in "Brennwick")
    page = "<p>" + "filler words here " * 200 + letters + " and more</p>"
    matcher = Matcher([PRACTICE])
    quick = gate._QuickScan(matcher)
    assert not quick.words.clears(quick._first_look(reading(page), []))
    (tmp_path / "a.html").write_text(page, encoding="utf-8")
    assert [leak.where for leak in gate.scan_tree(tmp_path, [PRACTICE])] == ["a.html"]


def test_a_window_reaches_past_many_empty_tags_before_its_seam() -> None:
    """A seam preceded by many NUL marks (empty gaps): the window still holds the word's
    first letters."""
    gaps = ["bren", *[""] * 100, "nwick"]
    words = WordFilter(["brennwick"])
    assert "brennwick" in words.glued_windows(gaps)
    assert not words.clears([words.glued_windows(gaps)])


def test_one_word_of_each_form_is_looked_for_the_least_in_vain() -> None:
    assert filter_words({"brennwick family practice", "brennwick"}) == {"brennwick"}
    assert filter_words({"orvvik family practice"}) == {"orvvik"}
    assert filter_words({"family practice"}) == {"practice"}  # all English: the longest
    assert filter_words({"quill", "margery quill"}) == {"quill"}


def test_an_ordinary_page_is_cleared_without_the_full_pass(
        monkeypatch: pytest.MonkeyPatch) -> None:
    matcher = Matcher([*LISTED, PRACTICE])
    quick = gate._QuickScan(matcher)
    scanned: list[int] = []
    real = matcher.scan

    def counted(variants: object) -> object:
        scanned.append(1)
        return real(variants)  # type: ignore[arg-type]

    monkeypatch.setattr(matcher, "scan", counted)
    page = '<nav><a href="x.html">Home</a></nav><p>The family practice, by <b>Ada</b>.</p>'
    assert not quick.names_any(page)
    assert scanned == []
    assert '<a href="x.html">' in quick.clean_tags  # remembered as before
    assert quick.names_any(page.replace("Ada", "Brenn<i>wick</i>"))
    assert scanned == [1]


def test_seams_are_not_looked_for_in_bytes_when_they_cannot_be_told_apart() -> None:
    """A form of non-ASCII characters, or a text holding NUL itself: the whole joined text."""
    assert WordFilter(["王小明"]).glued_windows(["王", "小明", "x"]) == "王小明x"
    assert WordFilter(["quill"]).glued_windows(["qu\x00", "ill"]) == "qu\x00ill"
    assert WordFilter(["quill"]).glued_windows(["a qu", "ill b"]) == "a quill b"


def test_the_word_filter_leaves_out_svg_text_drawn_as_stored() -> None:
    """An element drawn as its own stored text (one position, no markup, no reference) is
    read between the tags already; a reordered one, or one holding markup or a reference, is
    still drawn."""
    from build_site.privacy.svg_order import drawn_order

    svg = ('<svg><text x="5">Competencies</text><text x="9 0">lA</text>'
           '<text x="1"><tspan x="4">cott</tspan><tspan x="0">Al</tspan></text>'
           '<text x="2">Q&amp;uill</text><text x="3">Mar<b>gery</b></text></svg>')
    assert drawn_order(svg) == [["Competencies"], ["A", "l"], ["Al", "", "cott"], ["Q&uill"],
                                ["Margery"]]
    assert drawn_order(svg, reordered_only=True) == [["A", "l"], ["Al", "", "cott"], ["Q&uill"],
                                                     ["Margery"]]
    words = WordFilter(["competencies"])
    quick = gate._QuickScan(Matcher([Identifier(text="Competencies", replacement="x",
                                                kind="person")]))
    assert not words.clears(quick._first_look(reading(svg), []))  # between the tags


def test_the_article_scan_builds_one_matcher_and_finds_what_one_per_page_finds(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check that a build hiding clinicians names none on a dyad page built a matcher
    for every page (``scan_text``); one for the run finds the same."""
    ids = [Identifier(text=f"C{k}", replacement="the clinician", kind="other",
                      case_sensitive=True) for k in range(1, 40)]
    pages = {"a.html": "<nav>C1 C2</nav><article><p>Seen by C12.</p></article>",
             "b.html": "<article><p>c3, and <b>C</b>4</p></article><article>C39</article>",
             "c.html": "<nav>C5</nav><article>nobody</article>"}
    for name, body in pages.items():
        (tmp_path / name).write_text(body, encoding="utf-8")
    expected = [gate.Leak(name, ident) for name, body in pages.items()
                for ident in gate.scan_text(" ".join(gate._ARTICLE.findall(body)), ids)]
    built: list[int] = []

    class Counted(Matcher):
        def __init__(self, identifiers: list[Identifier]) -> None:
            built.append(1)
            super().__init__(identifiers)

    monkeypatch.setattr(gate, "Matcher", Counted)
    assert gate.scan_articles(tmp_path, ids) == expected
    assert [leak.where for leak in expected] == ["a.html", "b.html", "b.html"]
    assert built == [1]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_PIECES + _MORE), disguised("Quill")), max_size=12))
def test_the_dfa_finds_what_the_default_automaton_finds(
        pieces: list[str]) -> None:
    """The word filter's automaton is a DFA up to MAX_DFA_WORDS words and the library's
    default past them: both report every occurrence of every word, so the same hits and
    the same verdict."""
    from build_site.privacy import word_filter

    data = reading("".join(pieces), lower=True).encode("utf-8", "surrogatepass")
    for listed in LISTS:
        dfa = WordFilter(Matcher(listed).forms)
        assert dfa.automaton is not None
        saved = word_filter.MAX_DFA_WORDS
        word_filter.MAX_DFA_WORDS = 0
        try:
            default = WordFilter(Matcher(listed).forms)
        finally:
            word_filter.MAX_DFA_WORDS = saved
        assert default.automaton is not None
        assert sorted(dfa.automaton.find_matches_as_indexes(data, overlapping=True)) == \
            sorted(default.automaton.find_matches_as_indexes(data, overlapping=True))
        assert dfa.clears([data]) == default.clears([data]) == dfa.clears([data.decode(
            "utf-8", "surrogatepass")])
