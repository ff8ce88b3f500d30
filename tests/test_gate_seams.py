"""The leak gate's first look without splitting a text at its tags (``privacy/word_filter.py``,
``WordFilter.seam_windows``; issue 25): the text as it is stands for its tags and the text
between tags spaced, the hard seams are found in it, and words are searched in UTF-8 bytes
with the same whole-word rule as in the text."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from build_site.deidentify import Matcher
from build_site.deidentify.reading import reading
from build_site.privacy import gate, word_filter
from build_site.privacy.word_filter import WordFilter

from .test_gate_fast import LISTED
from .test_gate_words import HAN, PRACTICE

_PIECES = st.sampled_from(["b", "r", "e", "n", "w", "i", "c", "k", "brennwick", "bren",
                           "nwick", " ", "\n", "-", "é", "<b>", "</b>", "<i class='n'>",
                           "<a title=\"brennwick\">", "<", ">", "<<", "<x", "x>", "", "zz",
                           "\x00", "?", "ü"])


def _str_clears(words: list[str], texts: list[str]) -> bool:
    """The filter's rule read in the text itself: no word with no letter or digit beside."""
    for text in texts:
        for word in words:
            at = text.find(word)
            while at >= 0:
                end = at + len(word)
                if not (at > 0 and text[at - 1].isalnum()) and not (
                        end < len(text) and text[end].isalnum()):
                    return False
                at = text.find(word, at + 1)
    return True


@settings(max_examples=500, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_the_text_as_it_is_and_its_seams_clear_only_what_its_split_would_clear(
        read: str) -> None:
    """Whatever the markup (tags, a "<" that opens none, a stray ">", empty tags between
    letters): what the text as it is and its seam windows clear, its tags, the text between
    tags spaced and the whole joined text clear too."""
    words = WordFilter(["brennwick"])
    parts = gate._TAG_SPLIT.split(read)
    gaps, tags = parts[0::2], parts[1::2]
    for apart in (0, 3, word_filter.SEAMS_APART):  # a window per seam, or shared
        with _seams_apart(apart):
            if words.clears([read, words.seam_windows(read)]):
                assert words.clears([" ".join(tags), " ".join(gaps), "".join(gaps)]), read


@contextmanager
def _seams_apart(apart: int) -> Iterator[None]:
    kept = word_filter.SEAMS_APART
    word_filter.SEAMS_APART = apart
    try:
        yield
    finally:
        word_filter.SEAMS_APART = kept


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["quill", "qu", "ill", "é", "ß", "1", "_", " ", "\ud800",
                                 "\U0001d400", "—", "x", "Ⅳ", "٣", "<", "ü"]),
                max_size=12).map("".join))
def test_a_word_in_bytes_is_judged_by_the_characters_beside_it(text: str) -> None:
    """Hits found in UTF-8 bytes, neighbours decoded (several bytes, a lone surrogate):
    the same verdict as the rule read in the text."""
    assert WordFilter(["quill"]).clears([text]) == _str_clears(["quill"], [text]), repr(text)


def test_the_characters_beside_a_word_are_read_whole() -> None:
    words = WordFilter(["quill"])
    assert words.clears(["équill", "quillé", "𝐀quill", "٣quill"])  # letters and digits
    assert not words.clears(["\ud800quill"])  # a lone surrogate is no letter
    assert not words.clears(["—quill—"])


def test_a_name_cut_by_tags_is_in_a_window_of_the_text_as_it_is() -> None:
    words = WordFilter(["brennwick"])
    read = "<p>" + "filler " * 50 + "bren" + "<i></i>" * 100 + "nwick</p>"
    assert "brennwick" in words.seam_windows(read)
    assert not words.clears([words.seam_windows(read)])
    with _seams_apart(0):  # a window of its own
        window = words.seam_windows(read)
        assert window.endswith("filler brennwick")
        assert window in "".join(gate._TAG_SPLIT.split(read)[0::2])
    # a window's edge is never inside a tag: no part of a tag is read as text
    read = '<a title="x">bren</a><i></i>nwick<b class="' + "y" * 60 + '">zz</b> and more'
    assert words.seam_windows(read) == "brennwickzz and more"


def test_seams_need_words_of_plain_ascii_without_brackets() -> None:
    with pytest.raises(ValueError):
        WordFilter(["王小明"]).seam_windows("王<b></b>小明")
    assert WordFilter(["a<b"]).seam_table is None
    matcher = Matcher([HAN])  # the first look splits the text as before
    quick = gate._QuickScan(matcher)
    assert not quick.words.clears(quick._first_look(reading("<p>王<b></b>小明</p>")))
    assert quick.names_any("<p>王<b></b>小明</p>")


def test_the_tags_of_a_cleared_text_are_remembered_when_asked_for() -> None:
    quick = gate._QuickScan(Matcher(LISTED))
    assert not quick.names_any('<a title="Margery" href="x">Ada</a>')
    assert quick._pending  # not split yet
    assert '<a title="margery" href="x">' in quick.clean_tags
    assert not quick._pending


def test_texts_kept_for_their_tags_are_bounded_and_dropping_them_changes_no_verdict(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gate, "MAX_PENDING_CHARS", 30)
    quick = gate._QuickScan(Matcher(LISTED))
    assert not quick.names_any('<a title="Margery" href="x">Ada</a>')
    assert not quick.names_any("<b>" + "y" * 40 + "</b>")
    assert len(quick._pending) == 1  # the first text dropped
    assert '<a title="margery" href="x">' not in quick.clean_tags
    assert quick.names_any('<a title="Margery" href="x">Quill</a>')  # read again, found


def test_a_site_with_a_name_split_by_markup_fails_the_gate(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text("<p>" + "words " * 3000 + "Brenn<span class='x'>"
                                     "</span><b>wick</b> here</p>", encoding="utf-8")
    (tmp_path / "b.html").write_text("<p>Brenn wick</p>", encoding="utf-8")
    assert [leak.where for leak in gate.scan_tree(tmp_path, [PRACTICE])] == ["a.html"]


@given(st.lists(st.sampled_from(["", "a", "ab", "b", "a\n"]), max_size=6))
def test_readings_are_kept_once_in_order(texts: list[str]) -> None:
    assert gate._distinct(texts) == list(dict.fromkeys(texts))


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", "ab", "é", "王", "\U0001d400", "\ud800", "<b>",
                                 "</b>", "<i title='王'>", " ", "<", ">", "x"]),
                max_size=40).map("".join))
@example("é" * 20 + "a<b></b>b" + "王" * 9)  # both edges 12 bytes out: inside a character
@example("\U0001d400" * 9 + "a<b></b>b" + "\ud800" * 9)
def test_windows_in_bytes_end_at_edges_of_characters(read: str) -> None:
    """Windows are cut from the UTF-8 (short words: their edges fall beside two-, three- and
    four-byte characters and lone surrogates): each is whole characters, the same as the
    windows cut from the text, and clears only what the whole joined text clears."""
    words = WordFilter(["ab"])
    data = read.encode("utf-8", "surrogatepass")
    for apart in (0, 2, word_filter.SEAMS_APART):
        with _seams_apart(apart):
            windows = words.seam_windows(data)
            assert isinstance(windows, bytes)
            assert windows.decode("utf-8", "surrogatepass") == words.seam_windows(read)
            gaps = gate._TAG_SPLIT.split(read)[0::2]
            if words.clears([data, windows]):
                assert words.clears(["".join(gaps), " ".join(gaps)]), read
            for window in windows.split(b"\n"):
                assert window.decode("utf-8", "surrogatepass") in "".join(gaps) + "\n", read
