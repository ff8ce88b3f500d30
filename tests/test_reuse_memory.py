"""The reuse fingerprint digests the docs folder from the bytes the build just wrote there
(render6): the same digest as reading the folder back, so its meaning (what decides whether the
previous site is reused) is unchanged."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from build_site.pipeline import Purpose, _render_context, declare_pages, prepare
from build_site.render.diagrams import DiagramRenderer
from build_site.reuse import fingerprint
from build_site.site_project import docs_files, write_docs

REPO = Path(__file__).resolve().parents[1]


def _both(config: Path, docs_dir: Path, files: dict[str, bytes]) -> tuple[str | None, ...]:
    settings = {"nav": [{"Home": "index.md"}], "audience": "public"}
    return (fingerprint(config, docs_dir, settings, {"k": "<svg/>"}, []),
            fingerprint(config, docs_dir, settings, {"k": "<svg/>"}, [], files))


@pytest.mark.parametrize("purpose", ["public", "review"])
def test_the_docs_digested_from_memory_equal_the_folder_read_back(purpose: Purpose,
                                                                  tmp_path: Path) -> None:
    prepared = prepare(REPO / "casestudies", purpose)
    ctx = _render_context(prepared, DiagramRenderer(tmp_path / "diagrams"))
    pages, assets = declare_pages(prepared, ctx).render(ctx)
    files = docs_files(pages, assets, prepared.handwritten)
    docs = tmp_path / "docs"
    (docs / "dyads" / "old").mkdir(parents=True)  # a previous build's leftovers
    (docs / "dyads" / "old" / "gone.md").write_text("stale", encoding="utf-8")
    (docs / "stale.md").write_text("stale", encoding="utf-8")
    assert write_docs(docs, files) == len(files)
    read_back, from_memory = _both(prepared.project.config, docs, files)
    assert read_back is not None and from_memory == read_back
    assert len(files) > 50 and any("/" in rel for rel in files)


ODD_NAMES = ["a-b.md", "a/b.md", "a/b/c.md", "a.b/c.md", "a0.md", "a/-.md", "A/x.md",
             "a b/c.md", "ä/x.md", "a/b-c/d.md", "index.md", "z/z/z/z.md"]


def test_paths_sort_as_the_folder_lists_them(tmp_path: Path) -> None:
    """Path order is by parts ("a/b.md" before "a-b.md", though "-" sorts before "/" in a
    string); a file's bytes, a path or a folder changed changes the digest."""
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\n", encoding="utf-8")
    files = {name: name.encode() * 3 for name in ODD_NAMES}
    docs = tmp_path / "docs"
    write_docs(docs, files)
    read_back, from_memory = _both(config, docs, files)
    assert from_memory == read_back is not None
    seen = {read_back}
    for changed in ({**files, "a/b.md": b"other"}, {**files, "a/c.md": b"x"},
                    {k.replace("z/z/", "z/"): v for k, v in files.items()}):
        again = _both(config, docs, changed)[1]
        assert again not in seen
        seen.add(again)


def test_what_the_folder_held_beyond_the_files_is_removed(tmp_path: Path) -> None:
    """After ``write_docs`` the folder holds the files alone: a stale file, an empty folder
    and a symbolic link (to a file or a folder) are removed, so the digest from memory is
    the digest of what MkDocs reads."""
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\n", encoding="utf-8")
    outside = tmp_path / "outside"
    (outside / "inner").mkdir(parents=True)
    (outside / "inner" / "page.md").write_text("# elsewhere\n", encoding="utf-8")
    (outside / "other").mkdir()
    docs = tmp_path / "docs"
    (docs / "empty" / "deeper").mkdir(parents=True)
    (docs / "linked").symlink_to(outside / "inner", target_is_directory=True)
    (docs / "file-link.md").symlink_to(outside / "inner" / "page.md")
    (docs / "index.md").symlink_to(outside / "inner" / "page.md")  # at a wanted path
    (docs / "sub").symlink_to(outside / "other", target_is_directory=True)  # a wanted folder
    files = {"index.md": b"# Home\n", "sub/page.md": b"# Page\n"}
    write_docs(docs, files)
    assert sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*")) == [
        "index.md", "sub", "sub/page.md"]
    assert not any(p.is_symlink() for p in docs.rglob("*"))
    # nothing written through a link; a link's target left alone
    assert (outside / "inner" / "page.md").read_text(encoding="utf-8") == "# elsewhere\n"
    assert not any((outside / "other").iterdir())
    read_back, from_memory = _both(config, docs, files)
    assert from_memory == read_back is not None


def test_a_docs_folder_that_is_a_link_is_replaced_not_written_through(tmp_path: Path) -> None:
    """The docs folder itself a symbolic link (to the study folder, say): ``write_docs``
    removes the link and makes a folder of its own; nothing in the link's target is written,
    removed or emptied (adv7: the study's private/identifiers.yml was deleted and index.md
    written beside it)."""
    study = tmp_path / "study"
    (study / "private").mkdir(parents=True)
    (study / "private" / "identifiers.yml").write_text("- Ada\n", encoding="utf-8")
    (study / "study.yml").write_text("title: x\n", encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    (work / "docs").symlink_to(study, target_is_directory=True)
    files = {"index.md": b"# Home\n"}
    write_docs(work / "docs", files)
    assert sorted(p.relative_to(study).as_posix() for p in study.rglob("*")) == [
        "private", "private/identifiers.yml", "study.yml"]
    assert (study / "private" / "identifiers.yml").read_text(encoding="utf-8") == "- Ada\n"
    assert not (work / "docs").is_symlink()
    assert sorted(p.name for p in (work / "docs").iterdir()) == ["index.md"]


def test_a_build_directory_that_is_a_link_is_replaced_not_written_through(
        tiny: Path, tmp_path: Path) -> None:
    """``.site.build`` a symbolic link (to a team's folder, say): the build makes a folder
    of its own there and leaves the link's target as it was (adv7: its docs/keep.md was
    removed, its overrides/main.html replaced and the build's files written beside them)."""
    from build_site.pipeline import build

    victim = tmp_path / "victim"
    (victim / "docs").mkdir(parents=True)
    (victim / "overrides").mkdir()
    (victim / "docs" / "keep.md").write_text("# Ours\n", encoding="utf-8")
    (victim / "overrides" / "main.html").write_text("ours\n", encoding="utf-8")
    (tmp_path / ".site.build").symlink_to(victim, target_is_directory=True)
    build(tiny, tmp_path / "site")
    assert sorted(p.relative_to(victim).as_posix() for p in victim.rglob("*")) == [
        "docs", "docs/keep.md", "overrides", "overrides/main.html"]
    assert (victim / "overrides" / "main.html").read_text(encoding="utf-8") == "ours\n"
    assert (tmp_path / ".site.build").is_dir() and not (tmp_path / ".site.build").is_symlink()


def test_a_linked_overrides_folder_in_the_build_directory_is_replaced(
        tiny: Path, tmp_path: Path) -> None:
    """The build directory's ``overrides`` a symbolic link: the next build replaces it with a
    folder of its own (adv7: every build stopped with an internal error, rmtree refusing the
    link) and leaves the link's target alone."""
    from build_site.pipeline import build, build_directory

    out = tmp_path / "site"
    build(tiny, out)
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "keep.txt").write_text("ours\n", encoding="utf-8")
    overrides = build_directory(out) / "overrides"
    shutil.rmtree(overrides)
    overrides.symlink_to(victim, target_is_directory=True)
    model = tiny / "model.yml"  # a change: not a no-op
    model.write_text(model.read_text(encoding="utf-8").replace(
        "Hearing the patient out.", "Hearing the patient out fully."), encoding="utf-8")
    build(tiny, out)
    assert [p.name for p in victim.iterdir()] == ["keep.txt"]
    assert overrides.is_dir() and not overrides.is_symlink()
    assert "fully" in (out / "model" / "listening.html").read_text(encoding="utf-8")

