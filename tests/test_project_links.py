"""A site project's files that are really files under ``private/`` are refused before any
build (adv7): a symbolic link in the theme overrides (``custom_dir``) leading out of them, and
a hard link, in the overrides or the hand-written pages, to a file under ``private/``.

Before, MkDocs and the build directory's copy of the overrides read through such a link, and
a private transcript's words were published as a theme asset (the leak gate stops only the
listed identifiers)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from build_site.errors import StudyError
from build_site.pipeline import build

WORDS = "Harriet Vosburgh said the ward was cold."  # no listed identifier: the gate passes it


def _project(tiny: Path) -> Path:
    """A site project beside ``tiny`` with theme overrides; returns the overrides folder."""
    (tiny.parent / "mkdocs.yml").write_text(
        "site_name: Tiny\ntheme:\n  name: material\n  custom_dir: overrides\n"
        f"extra: {{study_folder: {tiny.name}}}\n", encoding="utf-8")
    (tiny / "private" / "notes.txt").write_text(WORDS + "\n", encoding="utf-8")
    overrides = tiny.parent / "overrides"
    (overrides / "assets").mkdir(parents=True)
    return overrides


def _refused(tiny: Path, out: Path, where: Path, message: str) -> None:
    with pytest.raises(StudyError) as exc:
        build(tiny, out)
    assert exc.value.exit_code == 2
    assert [(p.file, message in p.message) for p in exc.value.problems] == [(str(where), True)]
    assert not out.exists()


def test_a_link_in_the_theme_overrides_to_a_private_file_is_refused(
        tiny: Path, tmp_path: Path) -> None:
    overrides = _project(tiny)
    link = overrides / "assets" / "notes.txt"
    link.symlink_to(tiny / "private" / "notes.txt")
    _refused(tiny, tmp_path / "site", link, "leads outside the theme overrides folder")


def test_a_linked_folder_in_the_theme_overrides_is_refused(tiny: Path, tmp_path: Path) -> None:
    overrides = _project(tiny)
    link = overrides / "private-copy"
    link.symlink_to(tiny / "private", target_is_directory=True)
    _refused(tiny, tmp_path / "site", link, "leads outside the theme overrides folder")


def test_a_hard_link_to_a_private_file_is_refused_in_overrides_and_pages(
        tiny: Path, tmp_path: Path) -> None:
    overrides = _project(tiny)
    twin = overrides / "assets" / "notes.txt"
    os.link(tiny / "private" / "notes.txt", twin)
    _refused(tiny, tmp_path / "site", twin, "a file under private/ under another name")
    twin.unlink()
    (tiny.parent / "docs").mkdir()
    page_twin = tiny.parent / "docs" / "notes.txt"
    os.link(tiny / "private" / "notes.txt", page_twin)
    _refused(tiny, tmp_path / "site", page_twin, "a file under private/ under another name")


def test_a_link_inside_the_overrides_and_a_copied_private_file_still_build(
        tiny: Path, tmp_path: Path) -> None:
    """Allowed: a link to a file inside the overrides; a file with the same words as a
    private one but its own (a copy is the team's deliberate choice, and the gate reads it)."""
    overrides = _project(tiny)
    (overrides / "assets" / "logo.svg").write_text("<svg/>\n", encoding="utf-8")
    (overrides / "assets" / "same-logo.svg").symlink_to(overrides / "assets" / "logo.svg")
    (overrides / "assets" / "copy.txt").write_text("Team notes.\n", encoding="utf-8")
    out = tmp_path / "site"
    build(tiny, out)
    assert (out / "assets" / "same-logo.svg").read_text(encoding="utf-8") == "<svg/>\n"
    assert not any(WORDS in p.read_text(encoding="utf-8", errors="replace")
                   for p in out.rglob("*") if p.is_file())


@pytest.mark.parametrize("key", ["docs_dir", "custom_dir"])
def test_a_folder_holding_the_private_folder_is_refused(tiny: Path, key: str) -> None:
    """``docs_dir: tiny`` (the study folder) made every file of ``private/`` a hand-written
    file of the site (adv7: ``private/notes.txt`` among the pages to publish, only the gate's
    listed names in its way); a ``custom_dir`` there, theme files MkDocs copies."""
    from build_site.site_project import load_site_project

    _project(tiny)
    theme = f"  custom_dir: {tiny.name}\n" if key == "custom_dir" else ""
    docs = f"docs_dir: {tiny.name}\n" if key == "docs_dir" else ""
    (tiny.parent / "mkdocs.yml").write_text(
        f"site_name: Tiny\n{docs}theme:\n  name: material\n{theme}"
        f"extra: {{study_folder: {tiny.name}}}\n", encoding="utf-8")
    with pytest.raises(StudyError) as exc:
        load_site_project(tiny, None)
    [problem] = exc.value.problems
    assert problem.file == str(tiny.resolve()) and "holds the study's private/" in problem.message


@pytest.mark.parametrize("linked", ["folder", "file"])
def test_a_hard_link_to_a_file_private_through_a_link_is_refused(
        tiny: Path, tmp_path: Path, linked: str) -> None:
    """``private/`` holding a symbolic link to a folder (or file) kept elsewhere makes those
    files private too: a hard link to one in the overrides was published (the check walked
    ``private/`` without entering links)."""
    overrides = _project(tiny)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    secret = elsewhere / "transcript.txt"
    secret.write_text(WORDS + "\n", encoding="utf-8")
    if linked == "folder":
        (tiny / "private" / "more").symlink_to(elsewhere, target_is_directory=True)
        (elsewhere / "loop").symlink_to(tiny / "private", target_is_directory=True)
    else:
        (tiny / "private" / "transcript.txt").symlink_to(secret)
    twin = overrides / "assets" / "transcript.txt"
    os.link(secret, twin)
    _refused(tiny, tmp_path / "site", twin, "a file under private/ under another name")
