"""Compiled templates shared between studies (build_site.render.template_cache): package
templates go to the user's folder, a study's own stay in its build directory, and a cache
made from other source or other settings is never used."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from jinja2 import Environment, FileSystemLoader

from build_site.render.template_cache import (
    PackageTemplateCache,
    environment_signature,
    package_roots,
    shared_folder,
)


def _env(loader_dirs: list[Path], cache: PackageTemplateCache, **options: object) -> Environment:
    return Environment(loader=FileSystemLoader([str(d) for d in loader_dirs]),
                       bytecode_cache=cache, auto_reload=False, **options)  # type: ignore[arg-type]


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path, Path, Path]:
    package, study = tmp_path / "package", tmp_path / "study"
    package.mkdir()
    study.mkdir()
    (package / "page.html").write_text("package {{ x }}\n", encoding="utf-8")
    (study / "main.html").write_text("study {{ x }}\n", encoding="utf-8")
    return package, study, tmp_path / "local", tmp_path / "shared"


def test_package_templates_are_shared_and_study_templates_stay_local(folders) -> None:
    package, study, local, shared = folders
    env = _env([study, package], PackageTemplateCache(local, (package,), shared))
    assert env.get_template("page.html").render(x=1) == "package 1"
    assert env.get_template("main.html").render(x=2) == "study 2"
    assert len(list(shared.rglob("*.cache"))) == 1
    assert len(list(local.rglob("*.cache"))) == 1
    # a second build (a new environment, a new build directory) reads the shared code
    again = _env([study, package], PackageTemplateCache(local.parent / "local2", (package,),
                                                        shared))
    assert again.get_template("page.html").render(x=3) == "package 3"
    assert not list((local.parent / "local2").rglob("*.cache"))


def test_a_changed_template_is_compiled_again(folders) -> None:
    package, _study, local, shared = folders
    _env([package], PackageTemplateCache(local, (package,), shared)).get_template(
        "page.html").render(x=1)
    (package / "page.html").write_text("edited {{ x }}\n", encoding="utf-8")
    env = _env([package], PackageTemplateCache(local, (package,), shared))
    assert env.get_template("page.html").render(x=1) == "edited 1"


def test_other_settings_never_read_each_others_code(folders) -> None:
    package, _study, local, shared = folders
    (package / "block.html").write_text("{% if x %}\n  yes\n{% endif %}\n", encoding="utf-8")
    plain = _env([package], PackageTemplateCache(local, (package,), shared))
    trimmed = _env([package], PackageTemplateCache(local, (package,), shared),
                   trim_blocks=True, lstrip_blocks=True)
    assert environment_signature(plain) != environment_signature(trimmed)
    assert plain.get_template("block.html").render(x=1) == "\n  yes\n"
    assert trimmed.get_template("block.html").render(x=1) == "  yes\n"
    # and again, each from its own cached code
    assert _env([package], PackageTemplateCache(local, (package,), shared), trim_blocks=True,
                lstrip_blocks=True).get_template("block.html").render(x=1) == "  yes\n"
    assert len(list(shared.iterdir())) == 2


def test_a_foreign_extension_shares_nothing(folders) -> None:
    package, _study, local, shared = folders
    env = _env([package], PackageTemplateCache(local, (package,), shared),
               extensions=["tests.render.test_template_cache.Foreign"])
    assert environment_signature(env) is None
    assert env.get_template("page.html").render(x=1) == "package 1"
    assert not list(shared.rglob("*.cache"))


def test_an_unwritable_shared_folder_is_no_cache(folders) -> None:
    package, _study, local, shared = folders
    shared.write_text("not a folder", encoding="utf-8")
    env = _env([package], PackageTemplateCache(local, (package,), shared))
    assert env.get_template("page.html").render(x=1) == "package 1"


def test_the_shared_folder_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert shared_folder() == tmp_path / "build-site" / "templates"
    monkeypatch.setenv("XDG_CACHE_HOME", "")
    assert shared_folder() == Path.home() / ".cache" / "build-site" / "templates"


def test_package_roots_are_this_package_and_material() -> None:
    roots = package_roots()
    assert (roots[0] / "home.md.j2").is_file() or any(roots[0].glob("*.j2"))
    assert any((root / "base.html").is_file() for root in roots[1:])
    assert os.sep + "material" + os.sep in str(roots[1]) + os.sep


from jinja2.ext import Extension  # noqa: E402


class Foreign(Extension):
    """An extension from outside Jinja."""


def test_a_finalize_that_takes_the_context_is_another_signature(folders) -> None:
    # the same function, by name and code, once marked to take the context: Jinja's
    # generated code calls it otherwise
    from jinja2 import pass_context

    package, _study, local, shared = folders

    def make() -> Any:
        def finalize(*args: object) -> object:
            return args[-1]
        return finalize

    signatures = {environment_signature(_env([package], PackageTemplateCache(
        local, (package,), shared), finalize=f)) for f in (make(), pass_context(make()))}
    assert len(signatures) == 2
