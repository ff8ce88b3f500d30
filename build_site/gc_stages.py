"""Fewer full passes of Python's cyclic garbage collector over what a build keeps (issue 25).

A build keeps what each stage makes (the documents read, the study, the de-identified study,
the analysis, the pages) until it ends, and every full pass of the collector walks every object
alive: millions at 1,000 dyads, about a fifth of the CPU of the stages before MkDocs in one
process (17.0 against 13.8 CPU s, ``guide/performance.md``, "Own stages (own3)"). So at the
end of each stage everything alive is moved to the permanent generation (:func:`gc.freeze`),
which the collector's passes leave alone, and when the build ends it is moved back
(:func:`gc.unfreeze`), so a process that goes on (``serve``) collects a build's cycles
afterwards. Nothing a build writes depends on it: an object freed by its reference count is
freed as before, and only garbage in reference cycles made before a stage ended waits for the
end of the build. (The forked pools freeze and unfreeze the same way around their fork,
:mod:`build_site.forked_map`; an unfreeze there only gives the collector those objects back
until the next stage ends.)
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
def settled() -> Iterator[None]:
    """A build, after which (returned or raised) nothing it settled stays out of the
    collector's reach."""
    try:
        yield
    finally:
        gc.unfreeze()
