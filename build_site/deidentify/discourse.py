"""Names read across a whole text, not word by word: "one sense per discourse".

A capitalised word that opens a sentence is not flagged on its own (every sentence opens with
one), and a surname that is also an English word ("Mercer", "Clement") is not flagged on its
own either. But a name found once in a text is that name everywhere in it: "Okafor moves
quickly" is the Okafor of "Dr. Okafor" two lines up, and "Mercer" after "Tobias Mercer" is him.
So a first name followed by a capitalised word takes that word as its surname, and the words
of a name found reliably are flagged wherever else they occur in the same text.

Spans are ``(start, end)`` offsets; the caller supplies the word tests (no import cycle).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

from build_site.deidentify.prose import APOSTROPHES, CAP, HYPHENS

Span = tuple[int, int]
_NEXT_CAPITALISED = re.compile(rf"[ \t]+({CAP})")
_TITLES = frozenset("dr mr mrs ms miss mx prof nurse doctor rev father sister".split())
_PARTICLES = frozenset("van von der den de da di du del della la le el al bin ibn ter ten".split())


def with_surnames(text: str, spans: Iterable[Span], stop: Callable[[str], bool]) -> list[Span]:
    """Each name span extended over up to two capitalised words that follow it on the same
    line ("Tobias" -> "Tobias Mercer"), unless ``stop`` says a word is not a name (a month,
    "I", a word in capitals)."""
    extended = []
    for start, end in spans:
        for _ in range(2):
            m = _NEXT_CAPITALISED.match(text, end)
            if not m or stop(m.group(1)) or m.group(1).isupper():
                break
            end = m.end()
        extended.append((start, end))
    return extended


def repeats(text: str, names: Iterable[Span], english: Callable[[str], bool],
            any_case: Callable[[str], bool], stop: Callable[[str], bool]) -> Iterator[Span]:
    """Other occurrences, in ``text``, of the words of reliable names among ``names``.

    A name is reliable when it holds two capitalised words, follows a title, or (word by word)
    is not an English word; only such words are looked for, capitalised ("Mercer", not
    "mercer"), or in any case when ``any_case`` says so (a first name: "dave")."""
    seen: set[str] = set()
    for start, end in names:
        words = [_base(w) for w in text[start:end].split()]
        titled = bool(words) and words[0].lower().rstrip(".") in _TITLES
        names_only = [w for w in words if len(w) > 1 and w.lower().rstrip(".") not in _TITLES
                      and w.lower() not in _PARTICLES and not stop(w)]
        capitalised = [w for w in names_only if w[0].isupper()]
        for word in names_only:
            plain = not english(word.lower())
            if word in seen or not (plain or titled or len(capitalised) >= 2):
                continue
            seen.add(word)
            lower = any_case(word)
            pattern = re.compile(rf"(?<![\w{APOSTROPHES}{HYPHENS}]){re.escape(word)}(?![\w])",
                                 re.I if lower else 0)
            for m in pattern.finditer(text):
                if lower or m.group(0)[0].isupper():
                    yield m.start(), m.end()


def _base(word: str) -> str:
    word = word.strip(".,;:!?\"“”()[]")
    for suffix in ("'s", "’s"):
        if word.endswith(suffix):
            word = word[: -len(suffix)]
    return word.strip(APOSTROPHES + HYPHENS)
