"""The import readers are registered by file suffix."""

from __future__ import annotations

import pytest

from build_site.refi_qda.read import read_qdc, read_qdpx
from build_site.refi_qda.readers import READERS, reader_for


def test_each_refi_qda_suffix_has_its_reader() -> None:
    assert {".qdpx": read_qdpx, ".qdc": read_qdc} == READERS


def test_suffix_case_is_ignored() -> None:
    assert reader_for(".QDPX") is read_qdpx
    assert reader_for(".Qdc") is read_qdc


def test_an_unknown_suffix_has_no_reader() -> None:
    with pytest.raises(KeyError):
        reader_for(".nvp")
