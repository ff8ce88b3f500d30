"""The matcher's Aho-Corasick search (``ahocorasick_rs`` over UTF-8 bytes, issue 25): every
occurrence, overlapping ones included, judged by the characters beside it, as a search of the
text itself finds them, in the order of their ends (longest first at one end)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from build_site.deidentify import Matcher
from build_site.deidentify.matching import _collapse, _is_word, char_after, char_before
from build_site.study import Identifier

ANA = Identifier(text="Ana Reyes", replacement="Lucia", kind="person",
                 variants=["Ana", "Reyes", "Ana Reyes-Ng"])
NG = Identifier(text="Ng", replacement="Li", kind="person", variants=["Reyes-Ng"])
HOPE = Identifier(text="Hope", replacement="[daughter]", kind="person", case_sensitive=True)
HAN = Identifier(text="王小明", replacement="Ming", kind="person")
LISTED = [ANA, NG, HOPE, HAN]  # a listed form holds no lone surrogate (the schema)

_PIECES = st.sampled_from(["ana", "reyes", "ana reyes", "-ng", "ng", "hope", " ", "  ", "*",
                           "_", "é", "1", "\ud800", "王", "小明",
                           "王小明", "x", "\U0001d400", "'", "-"])


def _reference(matcher: Matcher, variants: list[str]) -> tuple[list[int], dict[str, int]]:
    """What :meth:`Matcher.scan` finds, by ``str.find`` of every form in the collapsed text:
    entries (by ``id``) in the order found, ends first and longest first at one end."""
    hits = []
    for variant in variants:
        folded = _collapse(variant)
        for index, (_, _, form) in enumerate(matcher._patterns):
            at = folded.find(form)
            while at >= 0:
                end = at + len(form)
                before = folded[at - 1] if at > 0 else " "
                after = folded[end] if end < len(folded) else " "
                if not _is_word(before) and not _is_word(after):
                    hits.append((variants.index(variant), end, -len(form), index))
                at = folded.find(form, at + 1)
    found: dict[int, int] = {}
    unsure: dict[str, int] = {}
    for *_, index in sorted(hits):
        ident, sensitive, form = matcher._patterns[index]
        if sensitive:
            unsure[form] = id(ident)
        else:
            found.setdefault(id(ident), id(ident))
    return list(found), unsure


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(_PIECES, max_size=14).map("".join), min_size=1, max_size=3,
                unique=True))
def test_the_search_finds_every_whole_word_occurrence_as_the_text_itself_does(
        variants: list[str]) -> None:
    matcher = Matcher(LISTED)
    found, unsure = matcher.scan(variants)
    expected_found, expected_unsure = _reference(matcher, variants)
    assert list(found) == expected_found, variants
    assert {form: id(ident) for form, ident in unsure.items()} == expected_unsure, variants


def test_the_characters_beside_a_hit_are_decoded_whole() -> None:
    data = "é王\ud800x".encode("utf-8", "surrogatepass")
    assert char_before(data, 0) == " "
    assert char_before(data, 2) == "é"
    assert char_before(data, 5) == "王"
    assert char_before(data, 8) == "\ud800"
    assert char_after(data, 2) == "王"
    assert char_after(data, 5) == "\ud800"
    assert char_after(data, len(data)) == " "


def test_a_name_beside_a_lone_surrogate_is_found() -> None:
    matcher = Matcher(LISTED)
    assert matcher.contains("x\ud800Ana Reyes\ud800") == [ANA]
    assert matcher.contains("王小明\ud800") == [HAN]
    assert matcher.contains("Ana Reyes-Ng") == [ANA, NG]
    assert matcher.contains("Hope came, hope went") == [HOPE]
    assert matcher.contains("hope went") == []
    assert Matcher([Identifier(text="*", replacement="x", kind="person")]).contains("* a") == []
