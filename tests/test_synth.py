"""The synthetic study generator: deterministic, valid, buildable, and de-identifiable."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from build_site import synth
from build_site.cli import main
from build_site.deidentify import Matcher
from build_site.pipeline import BuildReport, build, load_and_validate
from build_site.study import Clinician, Dyad, Identifier, Status, Study, component_ids
from build_site.synth import default_clinicians, write_synthetic_study

DYADS, CLINICIANS, EXCERPTS = 5, 2, 4


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "study"
    write_synthetic_study(out, DYADS, CLINICIANS, EXCERPTS, seed=7)
    return out


@pytest.fixture(scope="module")
def study(folder: Path) -> Study:
    return load_and_validate(folder)


@pytest.fixture(scope="module")
def built(folder: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildReport]:
    out = tmp_path_factory.mktemp("synth-site") / "site"
    return out, build(folder, out)


def test_same_seed_gives_byte_identical_folder(folder: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    write_synthetic_study(again, DYADS, CLINICIANS, EXCERPTS, seed=7)
    assert _files(again) == _files(folder)
    other = tmp_path / "other"
    write_synthetic_study(other, DYADS, CLINICIANS, EXCERPTS, seed=8)
    assert _files(other).keys() == _files(folder).keys()
    assert _files(other)["dyads/D1-P1.md"] != _files(folder)["dyads/D1-P1.md"]


def test_folder_is_valid_with_the_requested_shape(study: Study) -> None:
    assert len(study.dyads) == DYADS
    assert len(study.clinicians) == CLINICIANS
    assert sorted(d.id for d in study.dyads) == ["D1-P1", "D1-P2", "D1-P3", "D2-P1", "D2-P2"]
    assert all(len(d.excerpts) == EXCERPTS for d in study.dyads)
    cases: list[Clinician | Dyad] = [*study.clinicians, *study.dyads]
    orders = sorted(c.interview.order or 0 for c in cases)
    assert orders == list(range(1, DYADS + CLINICIANS + 1))


def test_everything_is_approved_with_every_consent_given(study: Study) -> None:
    assert study.meta.sign_off is not None  # the public content is signed off (see below)
    for clinician in study.clinicians:
        assert clinician.status is Status.approved
        assert clinician.consent.quote and clinician.consent.public_site
    for dyad in study.dyads:
        assert dyad.status is Status.approved
        patient = dyad.consent.patient
        assert patient.quote and patient.public_site and patient.archive
        assert patient.share_with_clinician
        assert set(dyad.consent.others) == set(dyad.interview.others_present)
        assert all(c.allows_public_quote() for c in dyad.consent.others.values())


def test_text_lengths_are_realistic(study: Study) -> None:
    for dyad in study.dyads:
        assert 290 <= len(dyad.narrative.split()) <= 520, dyad.id
        for excerpt in dyad.excerpts:
            sentences = re.findall(r"(?<!Dr|Ms|Mr)[.?!](?:\s|$)", excerpt.text)
            assert 1 <= len(sentences) <= 4, excerpt.text
    for clinician in study.clinicians:
        assert 300 <= len(clinician.narrative.split()) <= 560, clinician.id


def test_codes_spread_over_the_whole_model(tmp_path: Path) -> None:
    # 5 dyads x 4 excerpts is too few to reach every code; 12 x 8 is plenty.
    write_synthetic_study(tmp_path / "s", 12, 3, 8, seed=1)
    study = load_and_validate(tmp_path / "s")
    targets = {c.id: c.component for c in study.codebook.codes}
    cases: list[Clinician | Dyad] = [*study.clinicians, *study.dyads]
    used = {targets[code] for case in cases for e in case.excerpts for code in e.codes}
    assert component_ids(study.model) <= used
    assert {r.id for r in study.model.relations if isinstance(r.from_, str)} <= used


def _raw_text(folder: Path) -> str:
    paths = sorted([*(folder / "clinicians").glob("*.md"), *(folder / "dyads").glob("*.md")])
    return "\n".join(p.read_text(encoding="utf-8") for p in paths)


def test_every_listed_identifier_occurs_in_the_raw_text(folder: Path, study: Study) -> None:
    raw = _raw_text(folder)
    kinds = {i.kind.value for i in study.identifiers}
    assert {"person", "place", "institution"} <= kinds
    # Every clinician and patient is named (2 + 5 people), plus shared places.
    assert len(study.identifiers) >= DYADS + CLINICIANS + 2
    for ident in study.identifiers:
        assert Matcher([ident]).contains(raw), ident.text
        assert ident.text in raw or any(v in raw for v in ident.variants), ident.text


def test_no_unlisted_proper_name_in_the_text(study: Study) -> None:
    listed = {word.rstrip(".") for i in study.identifiers for form in i.forms()
              for word in form.split()}
    allowed = {"I", "I'm", "I'd", "I've", "HIV", "Dr", "Ms", "Mr"}
    texts = [d.narrative for d in study.dyads] + [c.narrative for c in study.clinicians]
    cases: list[Clinician | Dyad] = [*study.clinicians, *study.dyads]
    texts += [e.text for case in cases for e in case.excerpts]
    texts += [s for d in study.dyads for s in d.summaries.values()]
    unlisted = set()
    for text in texts:
        for match in re.finditer(r"\b[A-Z][\w'-]*", text):
            before = text[: match.start()].rstrip(" ")
            if not before or before[-1] in ".?!:#\"\n":
                continue  # starts a sentence, a paragraph or a heading
            word = re.sub(r"'s$", "", match.group(0))
            if word not in listed and word not in allowed:
                unlisted.add(word)
    assert unlisted == set()


def test_invented_names_never_collide_with_the_vocabulary() -> None:
    banks = [v for k, v in vars(synth).items()
             if k.startswith("_") and k.isupper() and isinstance(v, (list, tuple, str))]
    text = yaml.safe_dump([banks, synth.MODEL, synth.CODEBOOK])
    vocabulary = {w.lower() for w in re.findall(r"[A-Za-z']+", text)}
    names = {p + s for p in synth._PREFIXES for s in synth._SUFFIXES}
    names |= {p + m + s for p in synth._PREFIXES for m in synth._MIDDLES for s in synth._SUFFIXES}
    assert len(names) >= synth.MAX_PEOPLE + 40  # every surname and place distinct
    assert {n.lower() for n in names} & vocabulary == set()
    firsts = {n.lower() for n in [*synth._WOMEN, *synth._MEN, *synth._CLINICIAN_WOMEN,
                                  *synth._CLINICIAN_MEN]}
    assert firsts.isdisjoint({n.lower() for n in [*synth._PSEUDONYMS_WOMEN,
                                                   *synth._PSEUDONYMS_MEN]})


def test_small_study_builds_publicly_without_warnings(
        built: tuple[Path, BuildReport], study: Study) -> None:
    out, report = built
    assert report.warnings == []  # among others: no "not signed off", no case withheld
    assert getattr(report, "findings", []) == []
    assert sorted(p.stem for p in (out / "dyads").glob("*.html")) == sorted(
        d.id for d in study.dyads)
    assert (out / "about.html").is_file()
    # Every published excerpt reached its dyad page (contrastive comments are not published).
    page = (out / "dyads" / "D1-P1.html").read_text(encoding="utf-8")
    dyad = next(d for d in study.dyads if d.id == "D1-P1")
    shown = [e for e in dyad.excerpts if e.publish and not e.contrast]
    assert shown and all(f'id="{e.id}"' in page for e in shown)


def test_listed_identifiers_are_absent_from_the_built_site(
        built: tuple[Path, BuildReport], study: Study, folder: Path) -> None:
    out, _ = built
    forms = sorted({f.lower() for i in study.identifiers for f in i.forms()})
    site = "\n".join(p.read_bytes().decode("utf-8", "replace").lower()
                     for p in sorted(out.rglob("*")) if p.is_file() and p.suffix != ".gz")
    anywhere = re.compile(r"\b(?:" + "|".join(re.escape(f) for f in forms) + r")\b")
    assert len(set(anywhere.findall(_raw_text(folder).lower()))) > DYADS  # the probe works
    assert sorted(set(anywhere.findall(site))) == []
    # ...and their replacements are there instead.
    replacements = {i.replacement for i in study.identifiers if i.kind.value == "person"}
    assert any(r in site for r in (x.lower() for x in replacements))


def test_refuses_bad_arguments_and_a_non_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        write_synthetic_study(tmp_path / "a", 2, 3, 1, seed=1)
    with pytest.raises(ValueError):
        write_synthetic_study(tmp_path / "b", 0, 1, 1, seed=1)
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "keep.txt").write_text("mine")
    with pytest.raises(FileExistsError):
        write_synthetic_study(tmp_path / "c", 2, 1, 1, seed=1)
    assert (tmp_path / "c" / "keep.txt").read_text() == "mine"


def test_synth_command(tmp_path: Path) -> None:
    group = main
    runner = CliRunner()
    args = ["synth", "--dyads", "3", "--clinicians", "1", "--excerpts-per-dyad", "2",
            "--seed", "4", "--out"]
    result = runner.invoke(group, [*args, str(tmp_path / "s")])
    assert result.exit_code == 0, result.output
    assert "3 dyads, 1 clinician, 2 excerpts" in result.output
    assert len(load_and_validate(tmp_path / "s").dyads) == 3
    again = runner.invoke(group, [*args, str(tmp_path / "s")])
    assert again.exit_code == 2 and "not an empty folder" in again.output
    too_many = runner.invoke(group, ["synth", "--dyads", "2", "--clinicians", "3", "--out",
                                     str(tmp_path / "t")])
    assert too_many.exit_code == 2 and not (tmp_path / "t").exists()
    assert default_clinicians(23) == 5 and default_clinicians(1000) == 217
    assert default_clinicians(1) == 1


def test_identifier_file_matches_the_schema(folder: Path) -> None:
    data = yaml.safe_load((folder / "private" / "identifiers.yml").read_text(encoding="utf-8"))
    entries = [Identifier.model_validate(e) for e in data["identifiers"]]
    assert len({e.text for e in entries}) == len(entries)
