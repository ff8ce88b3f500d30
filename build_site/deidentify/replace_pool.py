"""Replacing listed identifiers in many strings, on two cores when there are many.

:func:`replaced_in_advance` gives a :class:`~build_site.deidentify.Replacer` that answers
exactly as the :class:`~build_site.deidentify.matching.Matcher` it wraps: the replacement of a
string is a pure function of the string and the identifier list, so the strings a study shows
are replaced ahead, on the forked pool of :func:`build_site.forked_map.map_forked` when there
are at least :data:`POOL_MIN_STRINGS` of them, and looked up afterwards. A string not replaced
ahead (one the walk that listed them did not reach) is replaced when asked, so the result never
depends on that walk being complete (``tests/deidentify/test_replace_pool.py`` compares both
ways on a whole study).
"""

from __future__ import annotations

from collections.abc import Iterable

from build_site.deidentify.matching import Matcher
from build_site.forked_map import map_forked

# Below this many distinct strings, one process: the pool costs more than it saves. (A
# synthetic study of 230 dyads shows about 1,900 distinct strings, of 1,000 about 7,500; the
# bundled study about 650.)
POOL_MIN_STRINGS = 4000
# Strings per task: most are short, so a task holds many.
CHUNK = 256


class Replaced:
    """A replacer that looks up strings replaced ahead and replaces any other when asked.

    Args:
        matcher: the study's matcher.
        done: string -> its replacement, each made by ``matcher``.
    """

    def __init__(self, matcher: Matcher, done: dict[str, str]) -> None:
        self.matcher = matcher
        self.done = done

    def replace(self, text: str) -> str:
        """``text`` with every listed identifier replaced (:meth:`Matcher.replace`)."""
        replaced = self.done.get(text)
        return self.matcher.replace(text) if replaced is None else replaced


def replaced_in_advance(matcher: Matcher, strings: Iterable[str]) -> Replaced:
    """A replacer for ``strings`` (any order, repeats allowed) that answers as ``matcher``.

    Returns:
        A :class:`Replaced` holding the replacement of each distinct string (a study repeats
        many: 7,500 distinct of 19,000 at 1,000 synthetic dyads), made on two processes when
        there are at least :data:`POOL_MIN_STRINGS`.

    Raises:
        Whatever :meth:`Matcher.replace` raises for one of the strings, from this process.
    """
    distinct = list(dict.fromkeys(strings))
    return Replaced(matcher, dict(zip(distinct, map_forked(matcher.replace, distinct,
                                                            POOL_MIN_STRINGS, CHUNK),
                                      strict=True)))
