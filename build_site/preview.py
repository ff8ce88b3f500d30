"""Incremental rebuilds for ``build-site serve``: only the pages whose Markdown changed go
through MkDocs, and the leak gate reads only the files that changed.

A full build renders and gates every page (about 2 s for the bundled study); an edit to one
dyad changes one or a few pages. After every preview build that passed the gate, the build
directory keeps ``preview.json``: a key of everything but the pages (see :func:`site_key`),
a digest of each page (its Markdown and the fragments swapped into it, :func:`page_digests`)
and the SHA-256 of every file of the output as published. The next preview build is
incremental only when all of these hold, else it is a full build:

- the output is still, byte for byte, the recorded tree (so it is a tree that passed the
  gate);
- the key is the same: configuration (``INHERIT`` merged), theme ``custom_dir``, the tool's
  code and every installed distribution's version (:func:`build_site.reuse.fingerprint`), the
  navigation, site name, banner, sitemap date, audience, engine, every identifier the gate
  searches for, the reviewed files' digests, the clinicians a dyad page must not name, every
  stylesheet (and anything MkDocs could read as a template) of the docs folder and the list
  of all its files. Then every page that did not change renders to the very bytes it had:
  MkDocs' output for a page depends on its own Markdown, the navigation and the
  configuration, which are the same; and every other file of the docs folder (a download, an
  image: :func:`copied_alone`) reaches only its own copy, so a changed one is copied again;
- Material's search index can be put together
  (:func:`build_site.engines.mkdocs_dirty.merge_search_index`): every changed
  page's entries replace its entries in the previous index, in the same place.

Then the previous output is copied into a staging folder, MkDocs rebuilds only the changed
pages there and copies the changed downloads (a dirty build where only those count as
modified), the search index is merged, and the leak gate, the clinician check and the
external-load check read every file whose bytes differ from the published tree (the rebuilt
pages and downloads, the search index, the 404 page and the sitemap): each of them judges
each file on its own, and every other file already passed them with the same identifiers. A
refusal leaves the previous preview as it was.
``tests/test_preview.py`` checks that an incremental preview is byte for byte the full build.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from build_site.engines.mkdocs_dirty import Fallback
from build_site.errors import StudyError
from build_site.publish import MARKER as MARKER_FILE
from build_site.render.fragments import MARKER
from build_site.reuse import _manifest, fingerprint, read_record, write_record
from build_site.study import Identifier

if TYPE_CHECKING:
    from build_site.engines.job import SiteJob

STATE = "preview.json"

# Stylesheets (read for every page's indentation removal), Markdown under any suffix MkDocs
# reads as a page, and what MkDocs could render as a template (``extra_templates``).
_NOT_ALONE = (".css", ".md", ".markdown", ".mdown", ".mkdn", ".mkd", ".html", ".htm", ".xml")


def copied_alone(rel: str) -> bool:
    """Whether a file of the docs folder (docs-relative path) that is not Markdown reaches
    no output file but its own copy, so that a change to its bytes is rebuilt by copying it
    alone: every file but a stylesheet (``.css`` in any case), which the indentation removal
    reads for every page (:func:`build_site.html_whitespace.site_rules`), Markdown and what
    could be a template (:data:`_NOT_ALONE`). Pages that show
    something of such a file (a download's size) say it in their Markdown, which is
    compared page by page."""
    return not rel.lower().endswith(_NOT_ALONE)


def page_digests(docs_dir: Path, fragments: Mapping[str, str]) -> dict[str, str]:
    """SHA-256 of each Markdown page under ``docs_dir`` with the fragments its markers name,
    and of each file copied alone (:func:`copied_alone`: the downloads, the team's images),
    by docs-relative path."""
    digests = {}
    for path in sorted(docs_dir.rglob("*")):
        rel = path.relative_to(docs_dir).as_posix()
        if not path.is_file() or not (rel.endswith(".md") or copied_alone(rel)):
            continue
        data = path.read_bytes()
        digest = hashlib.sha256(data)
        if rel.endswith(".md"):
            for key in MARKER.findall(data.decode("utf-8", "replace")):
                digest.update(b"\0" + fragments.get(key, "").encode())
        digests[rel] = digest.hexdigest()
    return digests


def site_key(config: Path, docs_dir: Path, settings: Mapping[str, Any],
             gate_ids: list[Identifier], clinicians: list[str]) -> str | None:
    """The key of everything a preview depends on but its pages (module docstring), or None
    when :func:`build_site.reuse.fingerprint` cannot vouch for the configuration."""
    with tempfile.TemporaryDirectory() as empty:
        base = fingerprint(config, Path(empty), {**settings, "clinicians": clinicians}, {},
                           gate_ids)
    if base is None:
        return None
    digest = hashlib.sha256(base.encode())
    for path in sorted(docs_dir.rglob("*")):
        rel = path.relative_to(docs_dir).as_posix()
        digest.update(rel.encode() + b"\0")
        if path.is_file() and not rel.endswith(".md") and not copied_alone(rel):
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def changed_pages(work: Path, out: Path, key: str | None,
                  pages: Mapping[str, str]) -> tuple[set[str], dict[str, str]] | None:
    """The Markdown pages to rebuild and the recorded files of the previous preview (path ->
    SHA-256), when the previous preview in ``out`` can be reused (module docstring), else
    None (a full build)."""
    if key is None:
        return None
    state = read_record(work / STATE)
    if (state is None or state.get("key") != key
            or state.get("out") != str(out) or set(state.get("pages", {})) != set(pages)):
        return None
    files = state.get("files")
    if not isinstance(files, dict) or _manifest(out) != files:
        return None
    return {rel for rel, digest in pages.items() if state["pages"][rel] != digest}, files


def record(work: Path, out: Path, key: str | None, pages: Mapping[str, str]) -> None:
    """After a preview build passed the gate and was published: remember it (or forget it
    when ``key`` is None)."""
    target = work / STATE
    files = _manifest(out) if key else None
    if key is None or files is None:
        target.unlink(missing_ok=True)
        return
    write_record(target, {"key": key, "out": str(out), "pages": dict(pages), "files": files})


def forget(work: Path) -> None:
    """Drop the preview record (before anything can change the output)."""
    (work / STATE).unlink(missing_ok=True)


def copy_previous(out: Path, staging: Path) -> None:
    """Copy the published tree ``out`` into the (marked, otherwise empty) ``staging``."""
    for entry in out.iterdir():
        if entry.name.startswith("."):
            continue  # the output's marker: the staging folder has its own
        if entry.is_dir():
            shutil.copytree(entry, staging / entry.name)
        else:
            shutil.copy2(entry, staging / entry.name)


def changed_files(published: Mapping[str, str], staging: Path) -> list[str]:
    """The files of ``staging`` whose bytes differ from the recorded ``published`` tree (path
    -> SHA-256, "" for folders), or that it lacks. Compared with the record, not with the
    output as it is now, so nothing copied from it goes unchecked.

    Raises:
        Fallback: a recorded file is missing from ``staging``, or something in it is neither
            file nor folder.
    """
    after = _manifest(staging)
    if after is None or set(published) - set(after) - {MARKER_FILE}:
        raise Fallback("files removed")
    return sorted(rel for rel, digest in after.items()
                  if digest and published.get(rel) != digest and not rel.startswith("."))


@contextmanager
def subset(staging: Path, files: list[str]) -> Iterator[Path]:
    """A temporary tree holding (hard links to) just ``files`` of ``staging``, at the same
    relative paths, for the checks that read each file on its own."""
    with tempfile.TemporaryDirectory(dir=staging.parent, prefix=".subset-") as folder:
        root = Path(folder)
        for rel in files:
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(staging / rel, target)
        yield root


def _has_digest(path: Path, digest: str) -> bool:
    """Whether ``path`` is a file (not a symlink) whose SHA-256 is ``digest``."""
    try:
        return (not path.is_symlink()
                and hashlib.sha256(path.read_bytes()).hexdigest() == digest)
    except OSError:
        return False


class Plan:
    """One preview build: incremental when :func:`changed_pages` allows, else in full.

    Args:
        work: the build directory; out: the output folder (its previous preview).
        job: the site job of this build (``site_dir``: the staging folder).
        settings: the settings of :func:`build_site.reuse.fingerprint` (navigation, ...).
        gate_ids: every identifier the gate searches for; clinicians: the clinician ids a
            dyad page must not name (for a study that hides clinicians).
    """

    def __init__(self, work: Path, out: Path, job: SiteJob, settings: Mapping[str, Any],
                 gate_ids: list[Identifier], clinicians: list[str]) -> None:
        self.work, self.out, self.job = work, out, job
        self.pages = page_digests(job.docs_dir, job.fragments)
        self.key = site_key(job.config, job.docs_dir, settings, gate_ids, clinicians)
        previous = changed_pages(work, out, self.key, self.pages)
        self.only: set[str] | None = previous[0] if previous else None
        self.published: dict[str, str] = previous[1] if previous else {}
        self.used = False

    def run(self, build: Callable[[SiteJob], None]) -> None:
        """Build the site into the job's ``site_dir`` with ``build`` (the MkDocs engine):
        only the changed pages over a copy of the previous preview, else in full (MkDocs
        then empties the folder first)."""
        if self.only is not None:
            try:
                copy_previous(self.out, self.job.site_dir)
                build(replace(self.job, only=frozenset(self.only)))
                self.used = True
                return
            except (Fallback, StudyError):
                pass  # a refusal is the full build's to make, with every page read
        build(self.job)

    def unchanged(self) -> frozenset[str]:
        """After an incremental build: the files of the staging folder that are byte for byte
        those of the published preview (copied from it and not rebuilt; they passed the
        indentation removal then); else none."""
        if not self.used:
            return frozenset()
        site = self.job.site_dir
        return frozenset(rel for rel, digest in self.published.items()
                         if rel.endswith(".html") and digest and _has_digest(site / rel, digest))

    @contextmanager
    def checked_tree(self) -> Iterator[Path]:
        """The tree the gate and the other output checks read: after an incremental build,
        only the files that differ from the published preview; else the whole site."""
        site = self.job.site_dir
        files = None
        if self.used:
            try:
                files = changed_files(self.published, site)
            except Fallback:
                files = None
        if files is None:
            yield site
            return
        with subset(site, files) as tree:
            yield tree

    def record(self) -> None:
        """After the publish: remember this preview for the next one."""
        record(self.work, self.out, self.key, self.pages)
