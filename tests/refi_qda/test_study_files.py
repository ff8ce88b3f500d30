"""Ids and YAML written by the importer read back exactly through the study loader."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from build_site.load import decode_text
from build_site.refi_qda.study_files import ID_PATTERN, IdRegistry, dump_yaml, slug
from build_site.yamlsource import load_yaml

TEXT = st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=80)


@given(TEXT)
def test_text_reads_back_through_the_loader(text: str) -> None:
    written = dump_yaml({"excerpts": [{"id": "a", "text": text}]}, "a comment\nover two lines")
    loaded = load_yaml(decode_text(written.encode("utf-8"), "x.yml"))
    assert loaded["excerpts"][0]["text"] == unicodedata.normalize("NFC", text)


def test_carriage_returns_survive_line_ending_normalisation() -> None:
    written = dump_yaml({"text": "a\r\nb \r\n"})
    assert "\r" not in written
    assert load_yaml(decode_text(written.encode(), "x.yml"))["text"] == "a\r\nb \r\n"


@given(st.text(max_size=100))
def test_ids_are_valid_and_unique(name: str) -> None:
    registry = IdRegistry()
    first = registry.claim(slug(name), "fallback")
    second = registry.claim(slug(name), "fallback")
    assert ID_PATTERN.match(first) and ID_PATTERN.match(second) and first != second
    assert len(first) <= 80 and len(second) <= 80


def test_slug() -> None:
    assert slug("Café au lait!", lower=True) == "cafe-au-lait"
    assert slug("  D1-P1 ") == "D1-P1"
    assert slug("信任") == ""
    assert slug("x" * 100) == "x" * 60
