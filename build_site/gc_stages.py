"""Fewer full passes of Python's cyclic garbage collector over what a build keeps (issue 25).

A build keeps what each stage makes (the documents read, the study, the de-identified study,
the analysis, the pages) until it ends, and every full pass of the collector walks every object
alive: millions at 1,000 dyads, about a fifth of the CPU of the stages before MkDocs in one
process (17.0 against 13.8 CPU s, ``guide/performance.md``, "Own stages (own3)"). So at the
end of each stage everything alive is moved to the permanent generation (:func:`gc.freeze`),
which the collector's passes leave alone, and when the build ends it is moved back
(:func:`gc.unfreeze`), so a process that goes on (``serve``) collects a build's cycles
afterwards: at the latest when its next build starts (:func:`settled`). Nothing a build
writes depends on it: an object freed by its reference count is freed as before, and only
garbage in reference cycles made before a stage ended waits for the end of the build. The
forked pools (:mod:`build_site.forked_map`) and MkDocs' second process
(:mod:`build_site.engines.mkdocs_split`) freeze before they fork, so that the children's
collections leave the parent's objects (shared, copy on write) alone: :func:`frozen_for_fork`.
Inside a build they leave what they froze frozen: unfreezing would give the collector back
everything every stage settled, and its next full pass would walk the whole build (five
such passes in a 1,000-dyad build, about 0.1 to 0.3 s each, issue 25).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


def settle() -> None:
    """At the end of a stage: what is alive now is left alone by the collector until
    :func:`settled` ends."""
    gc.freeze()


@contextmanager
def frozen_for_fork() -> Iterator[None]:
    """Around a fork: what is alive is frozen (:func:`gc.freeze`), and after the block it is
    unfrozen only when nothing was frozen before, that is outside a build (:func:`settled`
    unfreezes everything when the build ends)."""
    before = freeze_for_fork()
    try:
        yield
    finally:
        thaw_after_fork(before)


def freeze_for_fork() -> int:
    """:func:`gc.freeze` before a fork; returns how many objects were frozen before, for
    :func:`thaw_after_fork`."""
    before = gc.get_freeze_count()
    gc.freeze()
    return before


def thaw_after_fork(before: int) -> None:
    """In the parent after a fork: :func:`gc.unfreeze` only when nothing was frozen before
    :func:`freeze_for_fork` (``before`` 0: outside a build)."""
    if before == 0:
        gc.unfreeze()


# Whether pause_collector() turned the collector off (a worker forked meanwhile turns it on).
_paused = False


def pause_collector() -> None:
    """Turn the cyclic collector off until :func:`resume_collector` (or the end of
    :func:`settled`): for the stages before the site engine, whose passes find almost nothing.

    At 1,000 dyads the collector's passes in this process from load to the fingerprint
    found 177 objects in cycles while taking about 0.3-0.5 CPU s (young passes included); the
    stages keep what they make until the build ends anyway, so nothing waits longer to be
    freed but those few cycles. (adv8: the render stage makes about 100 objects in cycles
    a page, Jinja's macros and contexts: 32,355 at 230 dyads, kept until the build ends;
    peak memory is MkDocs' and moved 474.6 -> 480.5 MB at 1,000 dyads.) The site engine's
    stage (MkDocs makes about 270,000 objects in cycles at 1,000 dyads) runs with it on
    again. Pool workers turn it back on (:func:`resume_collector`), as they ran before."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume_collector() -> None:
    """Turn the collector back on when :func:`pause_collector` turned it off (in this
    process, or in the process a pool worker was forked from)."""
    global _paused
    if _paused:
        _paused = False
        gc.enable()


# Whether a build has ended in this process (serve rebuilds in one process).
_ended = False


@contextmanager
def settled() -> Iterator[None]:
    """A build, after which (returned or raised) nothing it settled stays out of the
    collector's reach, and a collector it paused is on again.

    A build after another in the same process (``serve``) first collects (:func:`gc.collect`)
    what the one before left: its garbage in cycles, unfrozen when it ended, would otherwise
    be frozen again by this build's first stage, the collector paused and the process idle
    between builds, and never freed (11 MB more for each rebuild of the bundled study, adv8).
    A single build (the command line) never pays for it."""
    global _ended
    if _ended:
        gc.collect()
    try:
        yield
    finally:
        resume_collector()
        gc.unfreeze()
        _ended = True
