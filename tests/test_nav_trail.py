"""Issue 25 (lean4): the ranged navigation trail as a theme override of each engine's own
``partials/nav-item.html`` instead of a MkDocs plugin. The trail's rules on rendered pages are
tested in tests/render/test_case_ranges.py (both engines); here, that the override is the
installed partial with the three changes only, that a study without ranges is rendered byte for
byte as by the theme's own partial, and that a team's own partial is left alone."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from build_site import nav_trail
from build_site.pipeline import build
from build_site.site_theme import material_templates


def _zensical_templates() -> Path:
    from importlib import resources

    pytest.importorskip("zensical")
    return Path(str(resources.files("zensical") / "templates"))


def _undone(text: str) -> str:
    """``text`` with the trail's three changes taken out again."""
    start = text.index("{% set trail = namespace(")
    end = text.index("{% endif %}", text.index("{% set trail.trim =")) + len("{% endif %}")
    return (text[:start] + text[end:]).replace(
        "render(nav_item, path, level, parent, inside)", "render(nav_item, path, level, parent)"
    ).replace(" if not (trail.trim and item.children and not item.active) %}", " %}").replace(
        "level + 1, nav_item, trail.inside) }}", "level + 1, nav_item) }}")


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_the_override_is_the_installed_partial_with_the_trail_added(engine: str) -> None:
    templates = material_templates() if engine == "mkdocs" else _zensical_templates()
    original = (templates / nav_trail.PARTIAL).read_text("utf-8")
    text = nav_trail.trail_partial(templates)
    assert text is not None and text != original
    assert text.count("trail.inside") >= 3 and "cases/clinicians-\"" in text
    assert _undone(text) == original


def test_a_partial_not_as_expected_gets_no_override(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    (templates / "partials").mkdir(parents=True)
    text = (material_templates() / nav_trail.PARTIAL).read_text("utf-8")
    (templates / nav_trail.PARTIAL).write_text(text.replace("loop.index", "loop.index0"), "utf-8")
    assert nav_trail.trail_partial(templates) is None
    assert nav_trail.trail_partial(tmp_path / "none") is None
    assert not nav_trail.write_partial(tmp_path / "theme", templates)
    assert not (tmp_path / "theme").exists()


def test_a_team_partial_is_kept(tmp_path: Path) -> None:
    own = tmp_path / "theme" / nav_trail.PARTIAL
    own.parent.mkdir(parents=True)
    own.write_text("{# the team's #}", "utf-8")
    assert not nav_trail.write_partial(tmp_path / "theme", material_templates())
    assert own.read_text("utf-8") == "{# the team's #}"
    assert not nav_trail.is_ours(tmp_path / "theme", material_templates())


def _files(site: Path) -> dict[str, bytes]:
    """Every file of ``site`` but the build's record (``.build-site``), by path."""
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file() and not p.relative_to(site).as_posix().startswith(".build-site")}


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_without_ranges_the_pages_are_the_themes_own(tiny: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    engine: str) -> None:
    """The tiny study (two clinicians, no ranges) with the override and with the theme's own
    partial: the same files, byte for byte."""
    if engine == "zensical":
        _zensical_templates()
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    build(tiny, tmp_path / "ours", engine=engine)  # type: ignore[arg-type]
    monkeypatch.setattr(nav_trail, "trail_partial", lambda templates: None)
    build(tiny, tmp_path / "theirs", engine=engine)  # type: ignore[arg-type]
    ours, theirs = _files(tmp_path / "ours"), _files(tmp_path / "theirs")
    assert sorted(ours) == sorted(theirs)
    assert [rel for rel in ours if ours[rel] != theirs[rel]] == []
    assert 'id="__nav_' in (tmp_path / "ours" / "dyads" / "C1-P1.html").read_text("utf-8")


def test_the_zensical_theme_folder_holds_zensicals_partial_with_the_trail(
        tmp_path: Path) -> None:
    from build_site.engines.zensical_engine import theme_folder

    templates = _zensical_templates()
    own = tmp_path / "overrides"
    assert nav_trail.write_partial(own, material_templates())
    folder = theme_folder(tmp_path / "work", own)
    assert (folder / nav_trail.PARTIAL).read_text("utf-8") == nav_trail.trail_partial(templates)
    shutil.rmtree(folder)
    (own / nav_trail.PARTIAL).write_text("{# the team's #}", "utf-8")
    folder = theme_folder(tmp_path / "work", own)
    assert (folder / nav_trail.PARTIAL).read_text("utf-8") == "{# the team's #}"
