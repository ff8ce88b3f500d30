"""The checks of published text after checks3 (issue 25) find what they found before, in the
same order, with the same file and line: ``scan_published_text``, ``find_contrastive`` and
``find_consent_statements`` against their copies as they were (``tests/checks_reference.py``)
on the bundled study and on a synthetic study with findings planted in a narrative and a
summary (withheld words in ASCII and not, a quotation, an exact date, a contrastive comment,
a consent statement); the pieces changed (words without their places, a text passed over
whole when it holds no cue) against the old ones on random texts; and the files read for a
line only once, or only for a finding. ``bench/checks_diff.py`` runs the same comparison on a
230- or 1,000-dyad study."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

import build_site.consent.contrastive as contrastive
import build_site.privacy as privacy
from build_site.consent import choices
from build_site.pipeline import Prepared, _study_lines, prepare
from build_site.privacy.texts import normalised, published_passages, tokens
from build_site.study import Speaker
from build_site.synth import default_clinicians, write_synthetic_study

from . import checks_reference as reference
from .conftest import REPO

PLANTED_SUMMARY = ("Unlike the surgeon who ignored her, he listened. She asked not to be "
                   "recorded. On March 3, 2019 it changed")


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 23-dyad synthetic study: the first dyad's patient may not be quoted, and the second
    dyad's narrative carries her words (ASCII, and with "’" and look-alike letters), her words
    in quotation marks, a contrastive comment, a consent statement and a date; its first
    summary a contrastive comment, a consent statement and a date too."""
    folder = tmp_path_factory.mktemp("synth") / "study"
    write_synthetic_study(folder, 23, default_clinicians(23), 4, 1)
    first, second = sorted((folder / "dyads").glob("*.md"))[:2]
    first.write_text(first.read_text(encoding="utf-8").replace(
        "  patient:\n    quote: true", "  patient:\n    quote: false", 1), encoding="utf-8")
    dyad = next(d for d in prepare(folder, "review", scan=False).deidentified.dyads
                if d.source and d.source.file == f"dyads/{first.name}")
    her = next(e.text for e in dyad.excerpts if e.speaker == Speaker.patient).split()
    said = " ".join(her[:9])
    disguised = said.replace("'", "’").replace("e", "е", 1)  # Cyrillic е
    text = second.read_text(encoding="utf-8")
    text = re.sub(r"(summaries:\n  [\w-]+: )", lambda m: m.group(1) + PLANTED_SUMMARY + " ",
                  text, count=1)
    second.write_text(text.rstrip("\n") + f"\n\nShe told us {said} and more.\nLater: "
                      f"{disguised}. Then \"{' '.join(her[2:5])}\" she said. Years earlier "
                      "a specialist rarely looked up from his screen.\nShe asked not to be "
                      "recorded after that visit. They first met on March 3, 2019.\n",
                      encoding="utf-8")
    return folder


def _checks(module: object, p: Prepared, folder: Path) -> tuple[object, ...]:
    scan, find_c, find_s = ((module.scan_published_text, module.find_contrastive,  # type: ignore[attr-defined]
                             module.find_consent_statements)  # type: ignore[attr-defined]
                            if module is reference else
                            (privacy.scan_published_text, contrastive.find_contrastive,
                             choices.find_consent_statements))
    return (scan(p.study, p.deidentified, p.public, p.handwritten, _study_lines(folder)),
            find_c(p.shown, folder), find_s(p.shown, folder),
            find_c(p.public, folder), find_s(p.public, folder))


@pytest.mark.parametrize("which", ["bundled", "planted"])
@pytest.mark.parametrize("purpose", ["public", "review"])
def test_each_check_finds_what_it_found_before(which: str, purpose: str, planted: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(privacy, "POOL_MIN_PASSAGES", 10**9)
    monkeypatch.setattr(contrastive, "POOL_MIN_TEXTS", 10**9)
    folder = REPO / "casestudies" if which == "bundled" else planted
    p = prepare(folder, purpose)  # type: ignore[arg-type]
    new, old = _checks(privacy, p, folder), _checks(reference, p, folder)
    assert new == old
    report, found_c, found_s = new[0], new[1], new[2]
    assert isinstance(report, privacy.TextReport)
    if which == "planted":  # the planted findings are among them, with their lines
        rules = {(f.file, f.rule) for f in report.consent}
        second = sorted(f"dyads/{f.name}" for f in (folder / "dyads").glob("*.md"))[1]
        assert {(second, r) for r in ("withheld-words", "quoted-withheld", "exact-date")
                } <= rules
        assert isinstance(found_c, list) and isinstance(found_s, list)
        assert len({f.line for f in found_c if f.file == second}) == 2
        assert len({f.line for f in found_s if f.file == second}) == 2
    else:
        assert report.consent or report.resolved or report.sensitive


_PIECES = ["word", "Word", "WORD", "didn't", "Didn’t", "rock'n'roll", "a''b", "'quoted'",
           "İstanbul", "straße", "ſtill", "Kelvin", "ǅemal", "x²", "_under_", "42", "’tis",
           " ", "  ", "\n", ".", ", ", "!", "?", "\"", "”", "’", ")", "\0", "-", "Dr.", "Mr. ",
           "dismissed", "the surgeon", "Dr. Falkner", "rarely looked", "consented",
           "asked not to be", "not quoted", "DISMISSED", "Judged", "brusquely", "coldly"]


def _random_texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(_PIECES) + rng.choice(["", " ", " ", ". ", "\n"])
                    for _ in range(rng.randint(0, 40))) for _ in range(count)]


def test_words_without_places_are_those_of_tokens() -> None:
    for text in _random_texts(3000, 1):
        assert normalised(text) == [w for w, _, _ in tokens(text)], text


def test_a_text_passed_over_whole_holds_no_sentence_with_a_cue() -> None:
    for text in _random_texts(3000, 2):
        for own in (None, set(), {"Falkner"}):
            assert (list(contrastive.contrastive_sentences(text, own))
                    == list(reference.contrastive_sentences(text, own))), text
        assert choices._choices(text) == reference._choices(text), text


def test_a_file_is_read_for_a_summary_line_only_when_the_summary_holds_a_finding(
        planted: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = prepare(planted, "review", scan=False)
    read: list[Path] = []
    original = contrastive._file_lines

    def counted(path: Path) -> list[str]:
        read.append(path)
        return original(path)

    monkeypatch.setattr(contrastive, "_file_lines", counted)
    found = contrastive.find_contrastive(p.public, planted)
    statements = choices.find_consent_statements(p.public, planted)
    second = sorted((planted / "dyads").glob("*.md"))[1]
    assert read == [second, second]  # once per check, for the planted summary's line
    lines = second.read_text(encoding="utf-8").splitlines()
    for item in (*found, *statements):
        assert item.file == f"dyads/{second.name}"
    summary_lines = {f.line for f in (*found, *statements)
                     if lines[f.line - 1].lstrip().startswith(PLANTED_SUMMARY.split()[0])
                     or PLANTED_SUMMARY[:20] in lines[f.line - 1]}
    assert summary_lines  # the summary's findings name the summary's own line


def test_a_dyad_file_is_read_once_for_its_summaries_lines(planted: Path) -> None:
    p = prepare(planted, "public", scan=False)
    asked: list[str] = []
    lines = _study_lines(planted)

    def counted(rel: str) -> list[str]:
        asked.append(rel)
        return lines(rel)

    passages = list(published_passages(p.public, p.handwritten, counted))
    assert sorted(asked) == sorted({d.source.file for d in p.public.dyads
                                    if d.summaries and d.source})
    assert passages == list(reference.published_passages(p.public, p.handwritten, lines))
