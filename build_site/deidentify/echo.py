"""Replacements that repeat the words before them ("her husband her husband").

Only the listed name is replaced (guide/preparing-your-study.md, private/identifiers.yml), so a
descriptive replacement written after a description of the same person doubles it: "cared for
her husband Sean" with ``Sean -> her husband`` publishes "cared for her husband her husband".
Nothing leaks; the sentence reads wrong on every page that shows it. ``check`` warns, with the
file and line, so the team can drop the words before the name in the case file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from build_site.study import Clinician, Dyad, Identifier, Study

_WORD = re.compile(r"[^\W\d_]+")  # letters: "Karin's" is Karin, then s


def echo_warnings(study: Study) -> list[str]:
    """One warning per listed name, in a narrative or excerpt as written, whose replacement
    ends with the word written just before the name (or before a comma: an apposition), or
    whose bracketed replacement's words follow it after a comma ("Yvette Carmody, a nurse at
    the centre" with ``[a nurse]``).

    Args:
        study: the validated study, not yet de-identified (names as written).

    Returns:
        ``FILE:LINE: ...`` warnings in file and line order (nothing is refused).
    """
    starts = _forms_by_first_word(study.identifiers)
    lasts = _last_words(starts)
    inners = _inners(study.identifiers)
    found: set[tuple[str, int, str]] = set()
    for file, line, text in _texts(study):
        found |= {(file, line + offset, f"'{before}{name}' is published as '{before}"
                   f"{replacement}': the replacement repeats the word before the name - drop "
                   "that word from the case file (the replacement says it), or choose a "
                   "replacement that reads in this sentence")
                  for before, name, offset, replacement in _echoes(text, starts, lasts)}
        found |= {(file, line + offset, f"'{name}, {said}' is published as '{replacement}, "
                   f"{said}': the replacement says what the words after the name say - drop "
                   "those words from the case file, or choose a replacement that reads in "
                   "this sentence")
                  for name, said, offset, replacement in _echoes_after(text, inners)}
    return [f"{file}:{line}: {message}" for file, line, message in sorted(found)]


Inners = tuple[re.Pattern[str], dict[str, list[tuple[str, Identifier]]]]


def _inners(entries: list[Identifier]) -> Inners:
    """A pattern finding a comma, white space and the words inside a bracketed replacement
    ("[a nurse]": "a nurse"); and, by those words case folded, the forms replaced by it."""
    by_inner: dict[str, list[tuple[str, Identifier]]] = {}
    for entry in entries:
        text = entry.replacement.strip()
        inner = text[1:-1].strip() if text.startswith("[") and text.endswith("]") else ""
        if _WORD.search(inner):
            by_inner.setdefault(inner.casefold(), []).extend(
                (form, entry) for form in entry.forms())
    words = sorted(by_inner, key=lambda w: (-len(w), w))
    alternatives = "|".join(re.escape(w) for w in words) or "(?!)"
    return re.compile(rf",\s+({alternatives})\b", re.IGNORECASE), by_inner


def _echoes_after(text: str, inners: Inners) -> Iterator[tuple[str, str, int, str]]:
    """(the name as written, the words after it, line offset, replacement) for each listed
    form followed by a comma and the words its bracketed replacement holds: "Yvette Carmody,
    a nurse at the centre" with ``[a nurse]`` is published "[a nurse], a nurse at the
    centre"."""
    pattern, by_inner = inners
    for match in pattern.finditer(text):
        said = match.group(1)
        for form, entry in by_inner.get(said.casefold(), []):
            start = match.start() - len(form)
            if start >= 0 and _written_as(text, start, form, entry):
                yield text[start:match.start()], said, text[:start].count("\n"), \
                    entry.replacement
                break


Form = tuple[str, Identifier]  # a form as listed, and its entry
Starts = dict[tuple[str, str], list[Form]]


def _forms_by_first_word(entries: list[Identifier]) -> Starts:
    """Every form of every entry whose replacement ends in a word, keyed by the form's first
    word and the replacement's last word (both case folded), longest form first."""
    starts: Starts = {}
    for entry in entries:
        last = _WORD.findall(entry.replacement)[-1:]
        for form in entry.forms() if last else []:
            first = _WORD.match(form)
            if first:
                key = (first.group().casefold(), last[0].casefold())
                starts.setdefault(key, []).append((form, entry))
    for forms in starts.values():
        forms.sort(key=lambda f: -len(f[0]))
    return starts


def _echoes(text: str, starts: Starts, lasts: Lasts) -> Iterator[tuple[str, str, int, str]]:
    """(the word before and what separates it from the name, the name as written, line
    offset, replacement) for each listed form in ``text`` whose preceding word is the last
    word of its replacement, next to it or in apposition ("his mother, Roberta, arrived"
    published as "his mother, [his mother], arrived"). ``lasts`` finds a replacement's last
    word followed by an optional comma, white space and a word (one scan in C, on the text in
    lower case when that keeps every position); a form is compared only there."""
    lowered = text.lower()
    same_length = len(lowered) == len(text)
    pattern = lasts.lower if same_length else lasts.any_case
    for pair in pattern.finditer(lowered if same_length else text):
        before = text[pair.start(1):pair.start(2)]  # the word and the space (and comma)
        start = pair.start(2)
        word = text[start:pair.end(2)]
        last = text[pair.start(1):pair.end(1)]
        for form, entry in starts.get((word.casefold(), last.casefold()), []):
            end = start + len(form)
            if _written_as(text, start, form, entry) \
                    and ("," not in before or _closes_apposition(text, end)):
                yield before, text[start:end], text[:start].count("\n"), entry.replacement
                break


def _written_as(text: str, start: int, form: str, entry: Identifier) -> bool:
    """Whether ``form`` is written at ``start`` in ``text`` as a whole word (case as the
    entry says: exact when ``case_sensitive``, else case folded)."""
    end = start + len(form)
    written = text[start:end]
    same = written == form if entry.case_sensitive else written.casefold() == form.casefold()
    return same and not any(0 <= i < len(text) and (text[i].isalnum() or text[i] == "_")
                            for i in (start - 1, end))


def _closes_apposition(text: str, end: int) -> bool:
    """Whether the name ending at ``end`` closes an apposition ("his mother, Edna, came";
    "...his mother, Edna."): punctuation or the end of the text follows, not "'s" ("her
    husband, Bertram's brother" names someone else)."""
    return end == len(text) or text[end] in ",.;:!?)\n"


@dataclass(frozen=True)
class Lasts:
    """A replacement's last word, maybe a comma, white space, then a word (groups 1 and 2):
    ``lower`` for text in lower case, ``any_case`` for text as written."""

    lower: re.Pattern[str]
    any_case: re.Pattern[str]


def _last_words(starts: Starts) -> Lasts:
    """The :class:`Lasts` patterns of every replacement's last word in ``starts``."""
    lasts = sorted({last for _, last in starts}, key=lambda w: (-len(w), w))
    alternatives = "|".join(map(re.escape, lasts)) or "(?!)"
    source = rf"\b({alternatives}),?\s+([^\W\d_]+)"
    return Lasts(re.compile(source), re.compile(source, re.IGNORECASE))


def _texts(study: Study) -> Iterator[tuple[str, int, str]]:
    """(file, first line, text) of every narrative and excerpt of the study's cases."""
    cases: list[Clinician | Dyad] = [*study.clinicians, *study.dyads]
    for case in cases:
        source = case.source
        if source is None:
            continue
        yield source.file, source.body_line, case.narrative
        for excerpt in case.excerpts:
            yield source.file, excerpt.source.line if excerpt.source else 0, excerpt.text
