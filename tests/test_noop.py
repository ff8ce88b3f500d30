"""No-op rebuilds stop before any stage (noop.py): what counts as unchanged, and every kind of
change that must still build in full."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import build_site.noop as noop
import build_site.pipeline as pipeline
from build_site.cli import main
from build_site.errors import StudyError
from build_site.pipeline import build

from .conftest import tree_hash


class Prepares:
    """Counts calls of ``prepare`` (the first stage a no-op skips), and still runs it."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch,
                 before: Callable[[], None] = lambda: None) -> None:
        self.calls = 0
        real = pipeline.prepare

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            before()
            return real(*args, **kwargs)

        monkeypatch.setattr(pipeline, "prepare", counted)


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_a_noop_stops_before_prepare_and_reports_what_the_build_did(
        tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    first = build(tiny, out)
    assert not first.reused and any("not signed off" in w for w in first.warnings)
    before = tree_hash(out)
    prepares = Prepares(monkeypatch)
    again = build(tiny, out)
    assert prepares.calls == 0 and again.reused
    assert again.warnings == first.warnings
    assert (again.pages, again.nav) == (first.pages, first.nav)
    assert again.diagrams_cached == first.diagrams_rendered + first.diagrams_cached
    assert tree_hash(out) == before


def test_the_cli_prints_the_warnings_again_on_a_noop(tiny: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    runner = CliRunner()
    cold = runner.invoke(main, ["build", str(tiny), "--out", str(out)])
    assert cold.exit_code == 0, cold.output
    again = runner.invoke(main, ["build", str(tiny), "--out", str(out)])
    assert again.exit_code == 0, again.output
    assert "Nothing changed since the last build" in again.output
    assert "not signed off" in cold.output and "not signed off" in again.output
    assert "Nothing changed" not in cold.output


def test_a_touched_but_identical_file_is_still_a_noop(
        tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    build(tiny, out)
    dyad = tiny / "dyads" / "C1-P1.md"
    stat = dyad.stat()
    os.utime(dyad, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    dyad.write_bytes(dyad.read_bytes())
    prepares = Prepares(monkeypatch)
    assert build(tiny, out).reused and prepares.calls == 0


def _identifier(study: Path) -> None:
    _append(study / "private" / "identifiers.yml",
            "  - text: Oriel Penhallow\n    replacement: '[a colleague]'\n    kind: person\n")


def _dyad_same_size_same_time(study: Path) -> None:
    # the same size and modification time: only the bytes tell the edit apart
    dyad = study / "dyads" / "C1-P1.md"
    stat = dyad.stat()
    data = dyad.read_bytes()
    dyad.write_bytes(data.replace(b"first met", b"first saw"))
    os.utime(dyad, ns=(stat.st_atime_ns, stat.st_mtime_ns))


CHANGES: dict[str, Callable[[Path], None]] = {
    "dyad file": lambda s: _append(s / "dyads" / "C1-P1.md", "\nShe came back in spring.\n"),
    "dyad file, same size and time": _dyad_same_size_same_time,
    "private/identifiers.yml": _identifier,
    "private/reviewed.yml": lambda s: (s / "private" / "reviewed.yml").write_text(
        "reviewed: []\n", encoding="utf-8"),
    "consent": lambda s: (s / "dyads" / "C1-P1.md").write_text(
        (s / "dyads" / "C1-P1.md").read_text(encoding="utf-8").replace(
            "quote: true, public_site: true", "quote: true, public_site: false", 1),
        encoding="utf-8"),
    "a study mkdocs.yml": lambda s: (s / "mkdocs.yml").write_text(
        "site_name: Another name\n", encoding="utf-8"),
    "a hand-written page": lambda s: (s / "docs").mkdir() or (s / "docs" / "about.md").write_text(
        "# About\n\nWho we are.\n", encoding="utf-8"),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_each_change_to_what_a_build_reads_builds_in_full(
        change: str, tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    build(tiny, out)
    CHANGES[change](tiny)
    prepares = Prepares(monkeypatch)
    with contextlib.suppress(StudyError):  # (a change may be refused: after prepare())
        build(tiny, out)
    assert prepares.calls == 1


def test_the_configuration_and_pages_beside_the_study_are_read(
        tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    build(tiny, out)
    beside = tmp_path / "mkdocs.yml"
    beside.write_text("site_name: Beside\nextra: {study_folder: tiny}\n", encoding="utf-8")
    prepares = Prepares(monkeypatch)
    assert not build(tiny, out).reused and prepares.calls == 1
    assert build(tiny, out).reused and prepares.calls == 1
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "about.md").write_text("# About\n\nUs.\n", encoding="utf-8")
    build(tiny, out)
    assert prepares.calls == 2 and (out / "about.html").is_file()
    _append(tmp_path / "docs" / "about.md", "More.\n")
    build(tiny, out)
    assert prepares.calls == 3
    base = tmp_path / "base.yml"
    base.write_text("site_description: one\n", encoding="utf-8")
    beside.write_text("INHERIT: base.yml\nsite_name: Beside\nextra: {study_folder: tiny}\n",
                      encoding="utf-8")
    build(tiny, out)
    assert build(tiny, out).reused and prepares.calls == 4
    base.write_text("site_description: two\n", encoding="utf-8")  # only the inherited file
    assert not build(tiny, out).reused and prepares.calls == 5


def test_the_tool_arguments_date_and_environment_are_part_of_it(
        tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    build(tiny, out)
    prepares = Prepares(monkeypatch)
    monkeypatch.setattr(noop, "_environment_digest", lambda: "edited code")
    build(tiny, out)  # a stale record of other code is not used
    assert prepares.calls == 1
    assert build(tiny, out).reused and prepares.calls == 1
    build(tiny, out, archive=True)
    assert prepares.calls == 2
    monkeypatch.setattr(noop, "_today", lambda: "2099-01-01")
    build(tiny, out, archive=True)
    assert prepares.calls == 3
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    build(tiny, out, archive=True)
    assert prepares.calls == 4
    assert build(tiny, out, archive=True).reused and prepares.calls == 4


def test_an_output_edited_by_hand_is_built_and_gated_again(
        tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    build(tiny, out)
    before = tree_hash(out)
    page = out / "dyads" / "C1-P1.html"
    page.write_bytes(page.read_bytes().replace(b"</body>", b"<p>Margery Quill</p></body>"))
    gates: list[int] = []
    real = pipeline.tidy_and_scan  # a full build's gate (tidy in its pass)
    monkeypatch.setattr(pipeline, "tidy_and_scan",
                        lambda *a, **k: gates.append(1) or real(*a, **k))
    assert not build(tiny, out).reused and gates == [1]
    assert tree_hash(out) == before


def test_a_file_edited_while_the_build_read_it_is_not_vouched_for(
        tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    dyad = tiny / "dyads" / "C1-P1.md"
    original = dyad.read_text(encoding="utf-8")
    edited = original + "\nAN-EDIT-MID-BUILD\n"
    # the fingerprint is taken over the original; the stages then read the edit
    prepares = Prepares(monkeypatch, before=lambda: dyad.write_text(edited, encoding="utf-8"))
    build(tiny, out)
    assert "AN-EDIT-MID-BUILD" in (out / "dyads" / "C1-P1.html").read_text(encoding="utf-8")
    monkeypatch.undo()
    dyad.write_text(original, encoding="utf-8")  # back to what was fingerprinted
    prepares = Prepares(monkeypatch)
    build(tiny, out)
    assert prepares.calls == 1
    assert "AN-EDIT-MID-BUILD" not in (out / "dyads" / "C1-P1.html").read_text(encoding="utf-8")


def test_a_symlink_in_the_study_is_never_vouched_for(
        tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    (tmp_path / "elsewhere.txt").write_text("notes\n", encoding="utf-8")
    (tiny / "notes.txt").symlink_to(tmp_path / "elsewhere.txt")
    build(tiny, out)
    prepares = Prepares(monkeypatch)
    build(tiny, out)
    assert prepares.calls == 1


def test_an_input_edited_and_put_back_during_a_build_is_not_vouched_for(
        tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the fingerprints taken at the start and at the end agree, but the stages read the edit
    # (a checkout of another branch and back, a sync tool): the next build must read again
    out = tmp_path / "site"
    dyad = tiny / "dyads" / "C1-P1.md"
    original = dyad.read_text(encoding="utf-8")
    real = pipeline.prepare

    def edited_while_read(*args: Any, **kwargs: Any) -> Any:
        dyad.write_text(original + "\nAN-EDIT-PUT-BACK\n", encoding="utf-8")
        try:
            return real(*args, **kwargs)
        finally:
            dyad.write_text(original, encoding="utf-8")

    monkeypatch.setattr(pipeline, "prepare", edited_while_read)
    build(tiny, out)
    assert "AN-EDIT-PUT-BACK" in (out / "dyads" / "C1-P1.html").read_text(encoding="utf-8")
    monkeypatch.undo()
    prepares = Prepares(monkeypatch)
    build(tiny, out)
    assert prepares.calls == 1
    assert "AN-EDIT-PUT-BACK" not in (out / "dyads" / "C1-P1.html").read_text(encoding="utf-8")
