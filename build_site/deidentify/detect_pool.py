"""The detectors over many texts, on every core when there are many.

:func:`detect_many` gives exactly ``[detect(t, allowed) for t in texts]``: the detectors are
pure functions of a text and the allow-list, each text's detections come back in its place, so
the result does not depend on how the texts were split between processes
(``tests/deidentify/test_detect_pool.py`` compares both ways).

The pool is :func:`build_site.forked_map.map_forked` (a fork of this process: the detectors'
word lists, already loaded by the first text, are shared, not loaded again per worker), used
only with at least :data:`POOL_MIN_TEXTS` texts, more than one core, the ``fork`` start method
and no other thread running. Anything that goes wrong in or with the pool makes the whole list
be scanned again in this process, so an error is raised here, from the code and line that
raised it, as without a pool.
"""

from __future__ import annotations

from build_site.deidentify.detectors import Detection, allowed_words, detect
from build_site.forked import worker_start
from build_site.forked_map import Batch, map_forked

# Below this many texts to scan, one process: starting a worker costs more than it saves.
# (A cold build of 23 dyads scans about 150 texts, of 230 about 1,500, of 1,000 about 6,200.)
POOL_MIN_TEXTS = 400
# Texts per task: large enough that pickling and scheduling cost little, small enough that
# both workers finish together.
CHUNK = 64


def detect_many(texts: list[str], allowed: list[str]) -> list[list[Detection]]:
    """The detections of each of ``texts`` (:func:`~.detectors.detect` with ``allowed``), in
    the order of ``texts``.

    Raises:
        Whatever :func:`~.detectors.detect` raises for one of the texts, from this process.
    """
    batch = detect_batch(texts, allowed)
    return map_forked(batch.job, batch.items, batch.minimum, batch.chunk)


def detect_batch(texts: list[str], allowed: list[str]) -> Batch[str, list[Detection]]:
    """:func:`detect_many` as a :class:`~build_site.forked_map.Batch`, to share a pool with
    other checks (:func:`~build_site.forked_map.run_together`)."""
    # The first text is scanned in this process: it loads the word lists the workers share.
    # The vocabulary's words are read once here, not once per text.
    words = allowed_words(allowed)
    return Batch(lambda text: detect(text, allowed, words=words), texts, POOL_MIN_TEXTS, CHUNK)


_worker_start = worker_start  # the pool's initializer (build_site/forked.py)
