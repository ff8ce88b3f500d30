"""The MkDocs stage on two cores (engines/mkdocs_split.py): the very bytes of one process,
MkDocs' warnings and errors from either half, and one process wherever a split is not safe."""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

import build_site.engines.mkdocs_split as split
import build_site.forked as forked
from build_site.engines.mkdocs_dirty import (
    join_search_indexes,
    read_search_index,
    write_search_index,
)
from build_site.errors import StudyError
from build_site.pipeline import build
from build_site.synth import write_synthetic_study

from .conftest import REPO, tree_hash


class Splits:
    """Counts the builds that really ran in two processes."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, min_pages: int) -> None:
        self.count = 0
        real = split._put_together

        def put_together(*args: Any) -> None:
            self.count += 1
            real(*args)

        monkeypatch.setattr(split, "_put_together", put_together)
        monkeypatch.setattr(split, "MIN_PAGES", min_pages)


@pytest.fixture(autouse=True)
def busy_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    """No core free, whatever the load: the thresholds these tests set decide alone (the
    free-core rule has tests of its own below)."""
    monkeypatch.setattr(split, "core_free", lambda: False)


def _both(study: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
          audience: str = "public") -> tuple[Path, Path, Splits]:
    """The site of ``study`` built in one process and in two (below any threshold)."""
    one, two = tmp_path / f"one-{audience}", tmp_path / f"two-{audience}"
    monkeypatch.setattr(split, "MIN_PAGES", 10**9)
    build(study, one, audience=audience)  # type: ignore[arg-type]
    splits = Splits(monkeypatch, 0)
    build(study, two, audience=audience)  # type: ignore[arg-type]
    return one, two, splits


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes()
            for p in site.rglob("*") if p.is_file()}


def _same(one: Path, two: Path) -> None:
    a, b = _files(one), _files(two)
    assert sorted(a) == sorted(b)
    assert [rel for rel in a if a[rel] != b[rel]] == []


@pytest.mark.parametrize("audience", ["public", "review"])
def test_the_bundled_study_in_two_processes_is_byte_for_byte_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, audience: str) -> None:
    one, two, splits = _both(REPO / "casestudies", tmp_path, monkeypatch, audience)
    assert splits.count == 1
    _same(one, two)
    assert not list(two.rglob(split.HALF_DIR))


def test_a_ranged_navigation_trail_in_two_processes_is_byte_for_byte_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The navigation trail (nav_trail.py, a theme override) is each page's own: split, the
    same bytes."""
    from build_site.render import case_ranges

    monkeypatch.setattr(case_ranges, "MAX_FLAT_GROUPS", 5)
    monkeypatch.setattr(case_ranges, "RANGE_SIZE", 5)
    study = tmp_path / "synth"
    write_synthetic_study(study, dyads=40, clinicians=12, excerpts_per_dyad=1, seed=3)
    one, two, splits = _both(study, tmp_path, monkeypatch)
    assert splits.count == 1
    _same(one, two)
    dyad = (two / "dyads" / "D7-P1.html").read_text("utf-8")
    nav = dyad[dyad.index('class="md-nav md-nav--primary'):dyad.index("<article")]
    assert 'href="../cases/clinicians-D6-to-D10.html"' in nav
    assert "clinicians-D1-to-D5.html" not in nav and "../clinicians/D8.html" not in nav


def test_a_synthetic_study_over_the_threshold_splits_by_default_to_the_same_bytes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    study = tmp_path / "synth"
    write_synthetic_study(study, dyads=100, clinicians=22, excerpts_per_dyad=2, seed=3)
    one = tmp_path / "one"
    monkeypatch.setattr(split, "MIN_PAGES", 10**9)
    build(study, one)
    monkeypatch.undo()
    splits = Splits(monkeypatch, split.MIN_PAGES)  # the shipped threshold
    two = tmp_path / "two"
    build(study, two)
    assert splits.count == 1
    _same(one, two)


def test_the_bundled_study_splits_at_the_shipped_thresholds_when_a_core_is_free(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # 71 pages: under MIN_PAGES, over MIN_PAGES_CORE_FREE
    one = tmp_path / "one"
    build(REPO / "casestudies", one)  # busy: one process
    splits = Splits(monkeypatch, split.MIN_PAGES)  # the shipped threshold
    assert splits.count == 0
    monkeypatch.setattr(split, "core_free", lambda: True)
    two = tmp_path / "two"
    build(REPO / "casestudies", two)
    assert splits.count == 1
    _same(one, two)


def test_between_the_thresholds_a_free_core_decides(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = SimpleNamespace(validation=SimpleNamespace(links=SimpleNamespace(anchors=0)),
                             plugins={"material/search": None})
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(3):
        (docs / f"p{i}.md").write_text(f"# P{i}\n", encoding="utf-8")
    nav = [{f"P{i}": f"p{i}.md"} for i in range(3)]
    monkeypatch.setattr(split, "MIN_PAGES", 4)
    monkeypatch.setattr(split, "MIN_PAGES_CORE_FREE", 3)
    free = [False]
    monkeypatch.setattr(split, "core_free", lambda: free[0])
    assert not split.can_split(config, docs, nav)
    free[0] = True
    assert split.can_split(config, docs, nav)
    monkeypatch.setattr(split, "MIN_PAGES_CORE_FREE", 4)  # too few pages even so
    assert not split.can_split(config, docs, nav)
    monkeypatch.setattr(split, "MIN_PAGES", 3)  # enough pages for a busy machine
    free[0] = False
    assert split.can_split(config, docs, nav)


@pytest.mark.parametrize(("load", "cores", "free"), [
    (0.7, 2, True), (1.0, 2, True), (1.9, 2, True), (2.0, 2, False), (6.5, 2, False),
    (0.1, 1, False), (3.9, 4, True), (4.0, 4, False)])
def test_a_core_is_free_when_the_load_average_leaves_one_idle(
        monkeypatch: pytest.MonkeyPatch, load: float, cores: int, free: bool) -> None:
    monkeypatch.undo()  # the real rule
    monkeypatch.setattr(os, "getloadavg", lambda: (load, 0.0, 0.0))
    monkeypatch.setattr(forked, "usable_cores", lambda: cores)
    assert split.core_free() is free


def test_no_load_average_means_no_core_known_free(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.undo()

    def unreadable() -> tuple[float, float, float]:
        raise OSError("no load average")

    monkeypatch.setattr(os, "getloadavg", unreadable)
    assert split.core_free() is False
    monkeypatch.delattr(os, "getloadavg")
    assert split.core_free() is False


def test_front_matter_of_the_other_half_shows_in_the_navigation(
        tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Material shows a page's meta icon in the navigation of the pages of its section; the
    # process that does not render the page must still read it.
    (tiny / "docs" / "aa").mkdir(parents=True)
    (tiny / "docs" / "aa" / "notes.md").write_text(
        "---\nicon: material/pencil\n---\n# Field notes\n\nHow we kept notes.\n",
        encoding="utf-8")
    _break_a_late_page(tiny, "Nothing broken here.")
    _child_builds(monkeypatch, {"zz/late.md"})
    one, two, splits = _both(tiny, tmp_path, monkeypatch)
    assert splits.count == 1
    _same(one, two)
    late = (two / "zz" / "late.html").read_text(encoding="utf-8")
    assert "<svg" in late.split('href="../aa/notes.html"', 1)[1].split("Field notes", 1)[0]


def test_pages_are_dealt_out_alternately_and_the_search_index_joined_in_page_order(
        tmp_path: Path) -> None:
    first, second = split._halves()
    order = ["index.html", "a.html", "b.html", "c.html", "d.html"]
    assert first(order) == {"index.html", "b.html", "d.html"}
    assert second(order) == {"a.html", "c.html"}
    config = {"lang": ["en"], "separator": " ", "pipeline": [], "fields": {}}

    def index(site: Path, docs: list[dict[str, str]]) -> None:
        (site / "search").mkdir(parents=True)
        write_search_index(site, config, docs)

    def entry(location: str) -> dict[str, str]:
        return {"location": location, "title": location, "text": ""}

    index(tmp_path / "one", [entry("index.html"), entry("b.html"), entry("b.html#x"),
                             entry("d.html")])
    index(tmp_path / "two", [entry("a.html"), entry("a.html#y"), entry("c.html")])
    join_search_indexes(tmp_path / "one", tmp_path / "two", order)
    joined = read_search_index(tmp_path / "one")
    assert [e["location"] for e in joined["docs"]] == [
        "index.html", "a.html", "a.html#y", "b.html", "b.html#x", "c.html", "d.html"]
    index(tmp_path / "three", [entry("b.html")])  # a page indexed by both: not joined
    with pytest.raises(split.Fallback):
        join_search_indexes(tmp_path / "one", tmp_path / "three", order)


def _child_builds(monkeypatch: pytest.MonkeyPatch, pages: set[str]) -> None:
    """Make the child build just ``pages`` (docs-relative) and this process every other page."""
    monkeypatch.setattr(split, "_halves", lambda: ((lambda order: set(order) - pages),
                                                   (lambda order: set(order) & pages)))


def _break_a_late_page(study: Path, body: str = "See [the notes](missing-notes.md).") -> str:
    """A hand-written page (``zz/late.html``), by default with a broken link: strict mode
    stops on it. Returns the page's docs-relative path."""
    page = study / "docs" / "zz" / "late.md"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(f"# Late notes\n\n{body}\n", encoding="utf-8")
    return "zz/late.md"


def test_a_warning_in_the_second_half_fails_the_build_as_one_process_does(
        tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _break_a_late_page(tiny)
    _child_builds(monkeypatch, {"zz/late.md"})
    monkeypatch.setattr(split, "MIN_PAGES", 10**9)
    with pytest.raises(StudyError) as single:
        build(tiny, tmp_path / "one")
    out = tmp_path / "two"
    splits = Splits(monkeypatch, 0)
    forks = []
    real_fork = os.fork
    monkeypatch.setattr(os, "fork", lambda: forks.append(1) or real_fork())
    with pytest.raises(StudyError) as double:
        build(tiny, out)
    assert forks and splits.count == 0
    assert [str(p) for p in double.value.problems] == [str(p) for p in single.value.problems]
    assert any("missing-notes.md" in str(p) for p in double.value.problems)
    assert double.value.exit_code == single.value.exit_code


def test_a_failing_half_keeps_the_previous_site(
        tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    Splits(monkeypatch, 0)
    build(tiny, out)
    before = tree_hash(out)
    _break_a_late_page(tiny)
    _child_builds(monkeypatch, {"zz/late.md"})
    with pytest.raises(StudyError):
        build(tiny, out)
    assert tree_hash(out) == before


def _explode_on(monkeypatch: pytest.MonkeyPatch, *pages: str) -> None:
    """Make the build raise a RuntimeError while it reads any of ``pages``."""
    from build_site.render.fragments import DiagramFragments

    real = DiagramFragments.on_page_markdown

    def explode(self: Any, markdown: str, /, *, page: Any, **kwargs: Any) -> str:
        if page.file.src_uri in pages:
            raise RuntimeError(f"cannot read {page.file.src_uri}")
        return real(self, markdown, page=page, **kwargs)

    monkeypatch.setattr(DiagramFragments, "on_page_markdown", explode)


def test_an_error_raised_in_the_child_is_raised_as_in_one_process(
        tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    late = _break_a_late_page(tiny, "Nothing broken here.")
    _child_builds(monkeypatch, {"zz/late.md"})
    _explode_on(monkeypatch, late)
    monkeypatch.setattr(split, "MIN_PAGES", 10**9)
    with pytest.raises(RuntimeError) as single:
        build(tiny, tmp_path / "one")
    Splits(monkeypatch, 0)
    forks = []
    real_fork = os.fork
    monkeypatch.setattr(os, "fork", lambda: forks.append(1) or real_fork())
    with pytest.raises(RuntimeError) as double:
        build(tiny, tmp_path / "two")
    assert forks
    assert str(double.value) == str(single.value) == f"cannot read {late}"


def test_halves_that_do_not_fit_are_built_again_in_one_process(
        tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(split, "MIN_PAGES", 10**9)
    build(tiny, tmp_path / "one")
    monkeypatch.setattr(split, "MIN_PAGES", 0)

    def misfit(site: Path, half: Path, theirs: set[str], order: list[str]) -> None:
        (site / "404.html").write_text("not what one process writes", encoding="utf-8")
        raise split.Fallback("404.html differs between the two halves")

    monkeypatch.setattr(split, "_put_together", misfit)
    build(tiny, tmp_path / "two")
    _same(tmp_path / "one", tmp_path / "two")


def test_one_process_when_fork_fails_or_is_missing_or_threads_run(
        tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(split, "MIN_PAGES", 10**9)
    build(tiny, tmp_path / "one")
    splits = Splits(monkeypatch, 0)

    def no_fork() -> int:
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    build(tiny, tmp_path / "no-fork")
    _same(tmp_path / "one", tmp_path / "no-fork")
    monkeypatch.delattr(os, "fork")
    build(tiny, tmp_path / "no-fork-at-all")
    _same(tmp_path / "one", tmp_path / "no-fork-at-all")
    assert splits.count == 0


def test_no_split_with_threads_one_core_warned_anchors_untitled_or_few_pages(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def config(anchors: int) -> Any:
        return SimpleNamespace(validation=SimpleNamespace(links=SimpleNamespace(anchors=anchors)),
                               plugins={"material/search": None, "material/offline": None})

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text("# A\n", encoding="utf-8")
    nav = [{"Home": "a.md"}, {"Section": [{"A": "a.md"}]}]
    monkeypatch.setattr(split, "MIN_PAGES", 1)
    assert split.can_split(config(logging.INFO), docs, nav)
    assert not split.can_split(config(logging.INFO), docs, ["a.md"])
    assert not split.can_split(config(logging.INFO), docs, [{"Section": ["a.md"]}])
    assert not split.can_split(config(logging.WARNING), docs, nav)
    monkeypatch.setattr(split, "MIN_PAGES", 2)
    assert not split.can_split(config(logging.INFO), docs, nav)
    monkeypatch.setattr(split, "MIN_PAGES", 1)
    monkeypatch.setattr(split, "usable_cores", lambda: 1)
    assert not split.can_split(config(logging.INFO), docs, nav)
    monkeypatch.setattr(split, "usable_cores", lambda: 2)
    stop = threading.Event()
    worker = threading.Thread(target=stop.wait)
    worker.start()
    try:
        assert not split.can_split(config(logging.INFO), docs, nav)
    finally:
        stop.set()
        worker.join()
    refresh = threading.Thread(target=stop.wait, daemon=True)  # like rich's progress refresh
    stop.clear()
    refresh.start()
    try:
        assert split.can_split(config(logging.INFO), docs, nav)
    finally:
        stop.set()
        refresh.join()


def test_a_child_that_dies_without_a_result_means_one_process(
        tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(split, "MIN_PAGES", 10**9)
    build(tiny, tmp_path / "one")
    splits = Splits(monkeypatch, 0)
    monkeypatch.setattr(split, "_child", lambda *args: os._exit(9))  # killed, say
    build(tiny, tmp_path / "two")
    assert splits.count == 0
    _same(tmp_path / "one", tmp_path / "two")


def _single_and_double(study: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                       expected: type[BaseException]) -> tuple[Any, Any]:
    """The failure of a build of ``study`` in one process and in two (a child forked)."""
    saved = split.MIN_PAGES
    monkeypatch.setattr(split, "MIN_PAGES", 10**9)
    with pytest.raises(expected) as single:
        build(study, tmp_path / "one")
    monkeypatch.setattr(split, "MIN_PAGES", 0)
    forks = []
    real_fork = os.fork
    monkeypatch.setattr(os, "fork", lambda: forks.append(1) or real_fork())
    with pytest.raises(expected) as double:
        build(study, tmp_path / "two")
    monkeypatch.setattr(split, "MIN_PAGES", saved)
    assert forks
    return single, double


def test_warnings_of_both_halves_are_listed_in_the_order_of_one_process(
        tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a page of the child built before a page of this process: one process warns about the
    # early page first; the researcher reads the list top-down
    early = tiny / "docs" / "aa" / "early.md"
    early.parent.mkdir(parents=True)
    early.write_text("# Early notes\n\nSee [the memo](missing-memo.md).\n", encoding="utf-8")
    _break_a_late_page(tiny)
    _child_builds(monkeypatch, {"aa/early.md"})
    single, double = _single_and_double(tiny, tmp_path, monkeypatch, StudyError)
    problems = [str(p) for p in single.value.problems]
    assert len(problems) == 2 and "missing-memo.md" in problems[0]
    assert [str(p) for p in double.value.problems] == problems


def test_an_error_in_the_child_keeps_the_file_and_line_that_raised_it(
        tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the pickled exception of the child has no traceback: the crash report would name
    # mkdocs_split.py, not the plugin that raised
    import traceback

    late = _break_a_late_page(tiny, "Nothing broken here.")
    _child_builds(monkeypatch, {"zz/late.md"})
    _explode_on(monkeypatch, late)
    single, double = _single_and_double(tiny, tmp_path, monkeypatch, RuntimeError)
    where = traceback.extract_tb(single.value.__traceback__)[-1]
    assert where.name == "explode"
    assert traceback.extract_tb(double.value.__traceback__)[-1][:3] == where[:3]


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="Linux only")
def test_the_child_ends_with_the_build_process(
        tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # killed mid-build, the build's process left the child rendering its half, holding the
    # output's lock (outlock.py: flock, inherited) until it was done
    import ctypes
    import signal

    seen = tmp_path / "death-signal"

    def own_stdio() -> None:
        value = ctypes.c_int(0)
        ctypes.CDLL(None).prctl(2, ctypes.byref(value), 0, 0, 0)  # PR_GET_PDEATHSIG
        seen.write_text(f"{os.getpid()} {value.value}", encoding="utf-8")

    monkeypatch.setattr(split, "_own_stdio", own_stdio)
    splits = Splits(monkeypatch, 0)
    build(tiny, tmp_path / "two")
    assert splits.count == 1
    pid, signal_number = seen.read_text(encoding="utf-8").split()
    assert int(pid) != os.getpid() and int(signal_number) == signal.SIGKILL


def _tagged_pages(study: Path) -> None:
    """Hand-written pages tagged in each half, and Material's tags listing."""
    for name, title in (("interviews", "Interviews"), ("coding", "Coding")):
        page = study / "docs" / "approach" / f"{name}.md"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(f"---\ntags:\n  - method\n---\n# {title}\n\nHow we worked.\n",
                        encoding="utf-8")
    (study / "docs" / "tags.md").write_text("# Tags\n\n<!-- material/tags -->\n",
                                            encoding="utf-8")


def test_materials_tags_plugin_lists_the_pages_of_both_halves(
        tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # each process's tags plugin sees only the pages it renders: the listing page showed
    # only its own half's pages, and no file both wrote told the halves apart
    (tiny / "mkdocs.yml").write_text(
        "site_name: Tiny study\nplugins:\n  - search\n  - offline\n  - tags:\n"
        "      export: false\n", encoding="utf-8")
    _tagged_pages(tiny)
    one, two, _splits = _both(tiny, tmp_path, monkeypatch)
    _same(one, two)
    listing = (two / "tags.html").read_text(encoding="utf-8")
    assert "Interviews" in listing and "Coding" in listing


def test_materials_blog_plugin_is_not_split(
        tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the blog plugin's folder of generated pages (a temporary folder made when the plugin
    # is loaded) is shared by both processes, and each removes it at shutdown: the build
    # crashed (FileNotFoundError) or read views the other process was rewriting
    (tiny / "mkdocs.yml").write_text(
        "site_name: Tiny study\nplugins:\n  - search\n  - offline\n  - blog\n",
        encoding="utf-8")
    posts = tiny / "docs" / "blog" / "posts"
    posts.mkdir(parents=True)
    (tiny / "docs" / "blog" / "index.md").write_text("# Blog\n", encoding="utf-8")
    for i in (1, 2, 3):
        (posts / f"post{i}.md").write_text(
            f"---\ndate: 2024-01-0{i}\ncategories:\n  - Fieldwork\n---\n# Post number {i}\n\n"
            f"Opening paragraph {i}.\n\n<!-- more -->\n\nMore text {i}.\n", encoding="utf-8")
    keys = {1: "da6e596eea34676a", 2: "312dfb4288350650", 3: "7a2121eec4ac880b"}  # dates
    reviewed = ["allow: [Blog, Fieldwork, Opening, Post]", "reviewed:"]
    reviewed += [f"  - {{file: docs/blog/posts/post{i}.md, hash: {key}, category: date, "
                 "by: JS, why: the post's date}" for i, key in keys.items()]
    reviewed.append("consent:")
    reviewed += [f"  - {{file: docs/blog/posts/post{i}.md, hash: {key}, "
                 "resolution: not-a-match, by: JS}" for i, key in keys.items()]
    (tiny / "private" / "reviewed.yml").write_text("\n".join(reviewed) + "\n", encoding="utf-8")
    forks = []
    real_fork = os.fork
    monkeypatch.setattr(os, "fork", lambda: forks.append(1) or real_fork())
    one, two, _splits = _both(tiny, tmp_path, monkeypatch)
    _same(one, two)
    assert forks == []


def test_a_plugin_not_known_to_split_means_one_process(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text("# A\n", encoding="utf-8")
    nav = [{"Home": "a.md"}]
    monkeypatch.setattr(split, "MIN_PAGES", 1)
    monkeypatch.setattr(split, "usable_cores", lambda: 2)
    links = SimpleNamespace(links=SimpleNamespace(anchors=logging.INFO))
    ours = {name: None for name in split.SPLIT_SAFE_PLUGINS}
    assert split.can_split(SimpleNamespace(validation=links, plugins=ours), docs, nav)
    for other in ("material/tags", "material/blog", "material/meta", "autorefs"):
        config = SimpleNamespace(validation=links, plugins={**ours, other: None})
        assert not split.can_split(config, docs, nav)


def test_errors_in_both_halves_raise_the_one_one_process_meets_first(
        tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # this process raised its own page's error even when the child's page, built first in
    # one process, raised another: the report named a different page
    early = tiny / "docs" / "aa" / "early.md"
    early.parent.mkdir(parents=True)
    early.write_text("# Early notes\n\nNothing broken here.\n", encoding="utf-8")
    late = _break_a_late_page(tiny, "Nothing broken here.")
    _child_builds(monkeypatch, {"aa/early.md"})
    _explode_on(monkeypatch, "aa/early.md", late)
    single, double = _single_and_double(tiny, tmp_path, monkeypatch, RuntimeError)
    assert str(single.value) == "cannot read aa/early.md"
    assert str(double.value) == str(single.value)
