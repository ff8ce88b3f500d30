"""Links in the build directory (``.NAME.build``) other than the folders adv7 and
281993a replace (adv8): a build writes nothing through any of them."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.mark.parametrize("linked", ["cache/theme", "cache", "cache/findings",
                                    "cache/diagrams"])
def test_a_linked_template_cache_folder_is_replaced(tiny: Path, tmp_path: Path,
                                                    linked: str) -> None:
    """``cache/theme`` (Jinja's compiled templates), ``cache`` itself or the detectors' or
    diagrams' cache a link to a team's folder: the build replaces it with a folder of its
    own, writes nothing into the link's target and loads no compiled code from it."""
    from build_site.pipeline import build, build_directory

    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "keep.txt").write_text("ours\n", encoding="utf-8")
    folder = build_directory(tmp_path / "site") / linked
    folder.parent.mkdir(parents=True)
    folder.symlink_to(victim, target_is_directory=True)
    build(tiny, tmp_path / "site")
    assert [p.name for p in victim.iterdir()] == ["keep.txt"]
    assert folder.is_dir() and not folder.is_symlink()


@pytest.mark.parametrize("linked", ["fragments.json", ".build-site"])
def test_a_linked_file_in_the_build_directory_is_replaced(tiny: Path, tmp_path: Path,
                                                          linked: str) -> None:
    """A file the build writes in its build directory (the diagrams' fragments, the
    marker) a link to a team's file (here one of the study's own): the build writes a file
    of its own in its place and leaves the link's target as it was."""
    import os

    from build_site.pipeline import build, build_directory

    victim = tiny / "study.yml" if (tiny / "study.yml").exists() else next(tiny.glob("*.yml"))
    before = victim.read_bytes()
    os.utime(victim, (1_000_000_000, 1_000_000_000))
    target = build_directory(tmp_path / "site") / linked
    target.parent.mkdir(parents=True)
    target.symlink_to(victim)
    build(tiny, tmp_path / "site")
    assert victim.read_bytes() == before
    assert victim.stat().st_mtime == 1_000_000_000
    assert not target.is_symlink()


def test_a_linked_zensical_configuration_is_replaced(tiny: Path, tmp_path: Path) -> None:
    """Zensical's configuration (``zensical.yml`` in the build directory) a link to a
    study file: the build writes its own file, not the study's."""
    pytest.importorskip("zensical")
    from build_site.pipeline import build, build_directory

    victim = next(tiny.glob("*.yml"))
    before = victim.read_bytes()
    target = build_directory(tmp_path / "site") / "zensical.yml"
    target.parent.mkdir(parents=True)
    target.symlink_to(victim)
    build(tiny, tmp_path / "site", engine="zensical")
    assert victim.read_bytes() == before
    assert not target.is_symlink()


def test_packets_replace_a_linked_diagram_cache(tiny: Path, tmp_path: Path) -> None:
    """``build-site packets`` draws its diagrams into the build directory's cache too: a
    link there to a team's folder is replaced, nothing written through it (adv8)."""
    from click.testing import CliRunner

    from build_site.cli import main
    from build_site.pipeline import build_directory

    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "keep.txt").write_text("ours\n", encoding="utf-8")
    out = tmp_path / "packets"
    folder = build_directory(out) / "cache" / "diagrams"
    folder.parent.mkdir(parents=True)
    folder.symlink_to(victim, target_is_directory=True)
    result = CliRunner().invoke(main, ["packets", str(tiny), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert [p.name for p in victim.iterdir()] == ["keep.txt"]
    assert folder.is_dir() and not folder.is_symlink()
