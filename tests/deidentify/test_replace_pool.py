"""Replacing listed identifiers on both cores (issue 25): the de-identified study is the one
a single process makes; few strings stay in one process; a string the walk did not list is
still replaced; an error is raised from this process."""

from __future__ import annotations

from pathlib import Path

import pytest

import build_site.deidentify.replace_pool as replace_pool
import build_site.forked_map as forked_map
from build_site.deidentify import deidentify
from build_site.deidentify.matching import Matcher
from build_site.deidentify.replace_pool import Replaced, replaced_in_advance
from build_site.pipeline import load_and_validate
from build_site.study import Study
from build_site.synth import default_clinicians, write_synthetic_study

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

needs_two_cores = pytest.mark.skipif(forked_map.workers_for(10**6, 1) < 2,
                                     reason="one core or no fork here: no pool to test")


@pytest.fixture(scope="module")
def study(tmp_path_factory: pytest.TempPathFactory) -> Study:
    """A small synthetic study: names, places and institutions in every kind of text."""
    folder = tmp_path_factory.mktemp("synth") / "study"
    write_synthetic_study(folder, 12, default_clinicians(12), 4, 1)
    return load_and_validate(folder)


@needs_two_cores
def test_the_pool_gives_the_study_one_process_gives(
        study: Study, pools_started: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(replace_pool, "POOL_MIN_STRINGS", 1)
    monkeypatch.setattr(replace_pool, "CHUNK", 3)  # many tasks, finished in any order
    pooled = deidentify(study)
    assert pools_started == [2]
    monkeypatch.setattr(replace_pool, "POOL_MIN_STRINGS", 10**9)
    alone = deidentify(study)
    assert pools_started == [2]
    assert pooled.model_dump() == alone.model_dump()
    assert pooled.dyads[0].narrative != study.dyads[0].narrative  # names were replaced


def test_few_strings_are_replaced_in_this_process(study: Study,
                                                  pools_started: list[int]) -> None:
    matcher = Matcher(study.identifiers)
    name = study.identifiers[0]
    replacer = replaced_in_advance(matcher, ["a", name.text, "a"])
    assert replacer.done == {"a": "a", name.text: name.replacement}  # each string once
    deidentify(study)
    assert pools_started == []


def test_a_string_not_replaced_ahead_is_replaced_when_met(study: Study) -> None:
    matcher = Matcher(study.identifiers)
    name = study.identifiers[0]
    replacer = Replaced(matcher, {"ahead": "looked up"})
    assert replacer.replace("ahead") == "looked up"
    assert replacer.replace(f"Seen by {name.text} today") == (
        f"Seen by {name.replacement} today")


@needs_two_cores
def test_an_error_is_raised_from_this_process(study: Study, pools_started: list[int],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(replace_pool, "POOL_MIN_STRINGS", 1)

    replace = Matcher.replace
    last = study.dyads[-1].narrative  # not among the strings replaced before the fork

    def broken(self: Matcher, text: str) -> str:
        if text == last:
            raise ValueError(f"cannot read {text[:10]!r}")
        return replace(self, text)

    monkeypatch.setattr(Matcher, "replace", broken)
    with pytest.raises(ValueError, match="cannot read"):
        deidentify(study)
    assert pools_started == [2]  # the pool was tried; the error came from this process
