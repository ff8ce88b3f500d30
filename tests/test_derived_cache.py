"""The user's cache of data derived from installed packages (build_site/derived_cache.py)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from build_site import derived_cache
from build_site.derived_cache import cached


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path / "build-site" / "derived"


def _count(calls: list[int], value: list[str]):  # type: ignore[no-untyped-def]
    def derive() -> list[str]:
        calls.append(1)
        return value
    return derive


def test_a_matching_entry_is_read_instead_of_derived(cache_home: Path) -> None:
    calls: list[int] = []
    first = cached("names", ["v1"], _count(calls, ["a", "b"]), list, list)
    second = cached("names", ["v1"], _count(calls, ["other"]), list, list)
    assert first == second == ["a", "b"]
    assert calls == [1]
    assert oct((cache_home).stat().st_mode & 0o777) == "0o700"


def test_a_stale_entry_is_not_used(cache_home: Path) -> None:
    calls: list[int] = []
    cached("names", ["package=1.0", "code=aaa"], _count(calls, ["old"]), list, list)
    new = cached("names", ["package=1.1", "code=aaa"], _count(calls, ["new"]), list, list)
    newer = cached("names", ["package=1.1", "code=bbb"], _count(calls, ["newer"]), list, list)
    assert (new, newer, calls) == (["new"], ["newer"], [1, 1, 1])


@pytest.mark.parametrize("damage", ["cut", "garbled", "wrong-shape"])
def test_a_corrupt_entry_is_derived_again_and_rewritten(cache_home: Path, damage: str) -> None:
    calls: list[int] = []
    cached("sizes", ["k"], _count(calls, ["x"]), list, list)
    path = cache_home / "sizes.json"
    text = path.read_text()
    path.write_text({"cut": text[: len(text) // 2], "garbled": "\x00\xff{",
                     "wrong-shape": json.dumps({"key": json.loads(text)["key"],
                                                "value": 5})}[damage])

    def load(data: object) -> list[str]:
        if not isinstance(data, list):
            raise TypeError("not a list")
        return data

    assert cached("sizes", ["k"], _count(calls, ["x"]), list, load) == ["x"]
    assert calls == [1, 1]
    assert json.loads(path.read_text())["value"] == ["x"]


def test_a_folder_others_may_write_is_no_cache(cache_home: Path) -> None:
    cache_home.mkdir(parents=True, mode=0o700)
    os.chmod(cache_home, 0o777)
    calls: list[int] = []
    for _ in range(2):
        cached("names", ["k"], _count(calls, ["a"]), list, list)
    assert calls == [1, 1]
    assert not list(cache_home.iterdir())


def test_the_code_digest_follows_the_deriving_modules_source() -> None:
    assert derived_cache.code_digest("build_site.privacy.gate") != derived_cache.code_digest(
        "build_site.html_whitespace")


def test_the_cached_theme_listing_is_the_listing(cache_home: Path) -> None:
    from build_site.privacy import theme_files

    fresh = theme_files._theme_files_by_size.__wrapped__()  # type: ignore[attr-defined]
    read = theme_files._theme_files_by_size.__wrapped__()  # type: ignore[attr-defined]
    assert (cache_home / "theme-files.json").is_file()
    assert read == fresh and read
    assert all(os.path.getsize(p) == size for size, paths in list(read.items())[:50]
               for p in paths)


def test_a_stale_listing_exempts_no_file_that_is_gone(monkeypatch: pytest.MonkeyPatch,
                                                      tmp_path: Path) -> None:
    from build_site.privacy import theme_files

    kept = tmp_path / "kept.svg"
    kept.write_bytes(b"<svg/>")
    monkeypatch.setattr(theme_files, "_theme_files_by_size",
                        lambda: {6: (str(tmp_path / "gone.svg"), str(kept))})
    theme_files._theme_digests.cache_clear()
    try:
        assert theme_files.is_theme_asset(b"<svg/>")
        kept.write_bytes(b"<svg >")  # same size, other bytes: the digest is of what is there
        theme_files._theme_digests.cache_clear()
        assert not theme_files.is_theme_asset(b"<svg/>")
    finally:
        theme_files._theme_digests.cache_clear()


def test_cached_first_names_are_gender_guessers(cache_home: Path) -> None:
    from build_site.deidentify import detectors

    fresh = detectors.first_names.__wrapped__()
    entry = cache_home / "first-names.json"
    entry.write_text(entry.read_text()[:1000])  # cut short
    again = detectors.first_names.__wrapped__()
    assert fresh == again == detectors._folded_names(detectors._gender_guesser_data())
    assert detectors.first_names.__wrapped__() == fresh


def test_a_teams_stylesheet_leaves_nothing_in_the_users_cache(cache_home: Path) -> None:
    from build_site import html_whitespace

    html_whitespace._sheet_rules.cache_clear()
    _tags, classes, _ids, usable = html_whitespace._sheet_rules(
        ".study-secret-class { white-space: pre }")
    assert classes == {"study-secret-class"} and usable
    assert not any("keep-rules" in p.name for p in cache_home.glob("*"))


def test_a_theme_stylesheets_rules_are_kept_and_read_back(cache_home: Path) -> None:
    from build_site import html_whitespace
    from build_site.privacy import theme_files

    sheets = [p for paths in theme_files._theme_files_by_size().values() for p in paths
              if p.endswith(".css") and "/material/" in p and "main." in p]
    css = Path(sheets[0]).read_text(encoding="utf-8")
    html_whitespace._sheet_rules.cache_clear()
    fresh = html_whitespace._sheet_rules(css)
    html_whitespace._sheet_rules.cache_clear()
    assert list(cache_home.glob("keep-rules-*.json"))
    assert html_whitespace._sheet_rules(css) == fresh == html_whitespace._parse_sheet_rules(css)
    html_whitespace._sheet_rules.cache_clear()


def test_the_environment_digest_names_every_distribution_and_version_as_before() -> None:
    import hashlib
    from importlib import metadata

    from build_site import reuse

    expected = hashlib.sha256()
    reuse._digest_tree(Path(reuse.__file__).parent, expected, skip="__pycache__")
    versions = sorted(f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions())
    expected.update("\n".join(versions).encode())
    assert reuse._environment_digest.__wrapped__() == expected.hexdigest()


@pytest.mark.parametrize("text", [
    "Metadata-Version: 2.1\nName: plain\nVersion: 1.0\n\nName: not-a-header\n",
    "Metadata-Version: 2.1\nname: lower-case\nVERSION: 2.0rc1\nSummary: folded\n  over lines\n",
    "Metadata-Version: 2.1\nSummary: Name: inside a value\nName: second\nVersion: 3\n"
    "Name: third\n\nVersion: 4\n",
    "Metadata-Version: 2.1\r\nName: crlf\r\nVersion: 5.0\r\n\r\nbody\r\n",
    "Metadata-Version: 2.1\nName:   spaced   \nVersion:\t6\n",
    "Metadata-Version: 2.1\nSummary: no name or version\n",
])
def test_name_and_version_read_from_the_headers_as_the_email_parser_reads_them(
        tmp_path: Path, text: str) -> None:
    from importlib import metadata

    from build_site import reuse

    info = tmp_path / "x-1.dist-info"
    info.mkdir()
    (info / "METADATA").write_bytes(text.encode())
    dist = metadata.PathDistribution(info)
    assert reuse._name_version(dist) == f"{dist.metadata['Name']}=={dist.metadata['Version']}"
