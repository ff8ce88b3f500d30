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


def _cache_files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.cache"))


@pytest.mark.parametrize("keep", [0, 12, 30, 60])
def test_a_truncated_cache_file_is_compiled_again(folders, keep: int) -> None:
    # a build killed mid-write by another tool, a full disk, a copy of a home folder: the
    # shared file is cut short; Jinja's own reading then raises (pickle's EOFError) and the
    # build would stop on a cache
    package, _study, local, shared = folders
    _env([package], PackageTemplateCache(local, (package,), shared)).get_template(
        "page.html").render(x=1)
    (cached,) = _cache_files(shared)
    cached.write_bytes(cached.read_bytes()[:keep])
    env = _env([package], PackageTemplateCache(tmp_local := local.parent / "l2", (package,),
                                               shared))
    assert env.get_template("page.html").render(x=2) == "package 2"
    assert tmp_local.is_dir()


def test_a_corrupted_local_cache_file_is_compiled_again(folders) -> None:
    package, study, local, shared = folders
    _env([study], PackageTemplateCache(local, (package,), shared)).get_template(
        "main.html").render(x=1)
    (cached,) = _cache_files(local)
    from jinja2.bccache import bc_magic

    cached.write_bytes(bc_magic + b"\x80\x02garbage")
    env = _env([study], PackageTemplateCache(local, (package,), shared))
    assert env.get_template("main.html").render(x=2) == "study 2"


def _plant(shared: Path, package: Path) -> None:
    """Replace the shared compiled code of page.html by another template's code, under
    page.html's own key and checksum: what anyone who can write the folder can do."""
    (cached,) = _cache_files(shared)
    other = Environment(loader=FileSystemLoader(str(package)))
    code = compile(other.compile("planted {{ x }}", raw=True), "page.html", "exec")
    import marshal
    import pickle

    from jinja2.bccache import bc_magic

    data = cached.read_bytes()
    checksum = pickle.loads(data[len(bc_magic):])
    cached.write_bytes(bc_magic + pickle.dumps(checksum, 2) + marshal.dumps(code))


@pytest.mark.parametrize("writable", ["folder", "base"])
def test_a_shared_folder_others_can_write_is_not_read(folders, writable: str) -> None:
    # compiled code (and the pickled checksum before it) is run as it is read: a folder
    # another user can write hands them every build of every study
    package, _study, local, shared = folders
    _env([package], PackageTemplateCache(local, (package,), shared)).get_template(
        "page.html").render(x=1)
    _plant(shared, package)
    assert _env([package], PackageTemplateCache(local, (package,), shared)).get_template(
        "page.html").render(x=1) == "planted 1"  # the planted code is what a reader runs
    (folder,) = [p for p in shared.iterdir() if p.is_dir()]
    (folder if writable == "folder" else shared).chmod(0o777)
    env = _env([package], PackageTemplateCache(local.parent / "l3", (package,), shared))
    assert env.get_template("page.html").render(x=1) == "package 1"


def test_a_shared_folder_of_another_owner_is_not_read(folders, monkeypatch) -> None:
    package, _study, local, shared = folders
    _env([package], PackageTemplateCache(local, (package,), shared)).get_template(
        "page.html").render(x=1)
    _plant(shared, package)
    monkeypatch.setattr(os, "geteuid", lambda: os.stat(shared).st_uid + 1)
    env = _env([package], PackageTemplateCache(local.parent / "l4", (package,), shared))
    assert env.get_template("page.html").render(x=1) == "package 1"


@pytest.mark.parametrize("setting", ["newstyle", "trimmed"])
def test_i18n_settings_that_change_the_compiled_code_are_another_signature(
        folders, setting: str) -> None:
    # Jinja's i18n extension compiles {% trans %} by environment.newstyle_gettext and the
    # ext.i18n.trimmed policy: code compiled under one setting, read under the other, failed
    # (KeyError) or kept the white space the other trims
    package, _study, local, shared = folders
    (package / "t.html").write_text(
        "{% trans n=2 %}{{ n }} of 3{% endtrans %}|{% trans %}  spaced\n  words {% endtrans %}",
        encoding="utf-8")

    def env(changed: bool) -> Environment:
        made = _env([package], PackageTemplateCache(local, (package,), shared),
                    extensions=["jinja2.ext.i18n"])
        made.install_null_translations(newstyle=changed and setting == "newstyle")  # type: ignore[attr-defined]
        made.policies["ext.i18n.trimmed"] = changed and setting == "trimmed"
        return made

    fresh = Environment(loader=FileSystemLoader(str(package)), extensions=["jinja2.ext.i18n"])
    fresh.install_null_translations(newstyle=setting == "newstyle")  # type: ignore[attr-defined]
    fresh.policies["ext.i18n.trimmed"] = setting == "trimmed"
    env(False).get_template("t.html").render()  # compiled and shared under the plain setting
    assert env(True).get_template("t.html").render() == fresh.get_template("t.html").render()


def test_a_relative_xdg_cache_home_is_ignored(monkeypatch: pytest.MonkeyPatch,
                                              tmp_path: Path) -> None:
    # the XDG Base Directory spec: a relative path is invalid and is to be ignored; taken as
    # given it put the cache under whatever folder the build ran in (a study folder)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", "cache")
    assert shared_folder() == Path.home() / ".cache" / "build-site" / "templates"
