"""De-identify: replace every listed identifier in every string a reader can see.

Takes a validated ``Study`` and returns a copy in which narratives, excerpts, demographics,
memos, comments and study metadata carry pseudonyms and bracketed descriptors instead of the
identifiers listed in ``private/identifiers.yml``. Ids, code references and other
machine-readable fields are left alone (they are checked by the leak gate like everything else).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel

from build_site.deidentify.matching import Hit, Matcher
from build_site.deidentify.replace_pool import replaced_in_advance
from build_site.errors import Problem
from build_site.study import Clinician, Component, Dyad, Element, Study

__all__ = ["Hit", "Matcher", "Replacer", "collisions", "deidentify", "scrub"]

# Fields that are references or vocabulary, not prose a participant or analyst wrote.
_KEEP = frozenset(
    {"id", "clinician", "codes", "transcript", "role", "others_present", "source", "speaker",
     "status", "component", "parent", "from_", "to", "kind", "team",
     # a relation's chosen cases, their excerpts, its declared basis and model version
     "case", "excerpt_ids", "basis", "consequence", "since",
     # a codebook change in the model history: its kind and the code ids it names
     "change", "into",
     # an excerpt's episode key (the id of a pairing in its dyad's episodes) and its mark
     "episode", "mark"}
)
# In the model, the codebook and the model history, labels (and versions, files, dates, colours)
# are the study's vocabulary, published as written; their prose (definitions, descriptions,
# reasons) is replaced like any other text a reader sees.
_VOCABULARY = _KEEP | {"label", "version", "file", "date", "on", "colour"}
# A model-history entry's ``date`` is free text and its ``version`` a label the team wrote,
# both published on the history page (:mod:`build_site.deidentify.fields` reads them as prose).
_HISTORY_ENTRY = _VOCABULARY - {"date", "version"}


T = TypeVar("T")


class Replacer(Protocol):
    """Anything that rewrites a shown string (a :class:`Matcher`, an id mask)."""

    def replace(self, text: str) -> str:
        """``text`` rewritten."""
        ...


def scrub(value: T, replacer: Replacer) -> T:
    """``value`` (a string, list, dict or pydantic model, nested) with ``replacer`` applied to
    every string a reader can see; ids, references and vocabulary fields are left alone."""
    return _scrub(value, replacer)  # type: ignore[no-any-return]


def _scrub(value: Any, matcher: Replacer, keep: frozenset[str] = _KEEP) -> Any:
    if isinstance(value, str):
        return matcher.replace(value)
    if isinstance(value, list):
        return [_scrub(v, matcher, keep) for v in value]
    if isinstance(value, dict):
        return {k: _scrub(v, matcher, keep) for k, v in value.items()}
    if isinstance(value, BaseModel):
        update = {
            name: _scrub(getattr(value, name), matcher, keep)
            for name in type(value).model_fields
            if name not in keep
        }
        return value.model_copy(update=update)
    return value


def vocabulary_texts(study: Study) -> dict[str, str]:
    """The text a build publishes as written, by where it is: the model's and codebook's ids,
    labels and relation kinds, the team's names."""
    model = study.model
    items: list[Component | Element] = list(model.components)
    words: list[str] = []
    while items:
        item = items.pop()
        words += [item.id, item.label]
        items.extend(item.elements)
    words += [w for r in model.relations for w in (r.id, r.kind)]
    return {
        "model.yml (ids, labels, relation kinds)": "\n".join(words),
        "codebook.yml (ids, labels)": "\n".join(
            w for c in study.codebook.codes for w in (c.id, c.label)),
        "study.yml (team)": "\n".join(p.name for p in study.meta.team),
    }


def unreplaced_sources(study: Study) -> dict[int, list[str]]:
    """Where listed identifiers sit in text that is published as written (the model's and
    codebook's labels, team names, ids and roles), by ``id()`` of the identifier entry: the
    likely source of a leak the gate finds."""
    matcher = Matcher(study.identifiers)
    found: dict[int, list[str]] = {}
    for place, text in _as_written(study).items():
        for ident in matcher.contains(text):
            found.setdefault(id(ident), []).append(place)
    return found


def _as_written(study: Study) -> dict[str, str]:
    places = vocabulary_texts(study)
    cases: list[Clinician | Dyad] = [*study.clinicians, *study.dyads]
    for case in cases:
        where = case.source.file if case.source else case.id
        words = [case.id, *(e.id for e in case.excerpts), *(e.role or "" for e in case.excerpts)]
        places[f"{where} (ids and roles)"] = "\n".join(words)
    return places


def collisions(study: Study) -> list[Problem]:
    """Each form of a listed identifier found in text published as written (a label, a team
    name, an id or a role), as a problem naming the form, its entry and the fix: such text is
    never replaced, so the name would be published (and the leak gate would refuse the site).

    Returns:
        One problem per form and place, in the order of the identifier list.
    """
    matcher = Matcher(study.identifiers)
    number = {id(ident): n for n, ident in enumerate(study.identifiers, 1)}
    seen: set[tuple[int, str, str]] = set()
    problems = []
    for place, text in _as_written(study).items():
        for hit in matcher.find(text):
            form, ident = text[hit.start:hit.end], hit.identifier
            if (id(ident), form, place) in seen:
                continue
            seen.add((id(ident), form, place))
            problems.append(Problem(
                "private/identifiers.yml", 0,
                f"'{form}', a form of entry {number[id(ident)]} ('{ident.text}', replaced by "
                f"'{ident.replacement}'), is also in {place}, which is published as written",
                "rename it there; or, if the word there is not this person, take that form out "
                "of the entry's variants or set case_sensitive: true on the entry"))
    problems.sort(key=lambda p: p.message)
    return problems


def deidentify(study: Study) -> Study:
    """Return a de-identified copy of ``study`` (``deidentified`` set to True).

    The labels of the model and the codebook are the study's vocabulary and are not changed
    (a listed name among them is refused, see :func:`unreplaced_sources`); their definitions
    and descriptions are replaced like every other text, and so are the model history's
    ``date`` (free text) and ``version`` (a label the team wrote). The identifier list itself is
    carried along for the leak gate.
    """
    matcher = Matcher(study.identifiers)
    replacer = replaced_in_advance(matcher, (
        text for value, keep in _shown_parts(study) for text in _strings(value, keep)))
    return study.model_copy(
        update={
            "meta": _scrub(study.meta, replacer),
            "clinicians": _scrub(study.clinicians, replacer),
            "dyads": _scrub(study.dyads, replacer),
            "model": _scrub(study.model, replacer, _VOCABULARY),
            # Its list is scrubbed by itself: ``codes`` is a kept field name (an excerpt's
            # code ids), and scrubbing the Codebook would leave every definition as written.
            "codebook": study.codebook.model_copy(
                update={"codes": _scrub(study.codebook.codes, replacer, _VOCABULARY)}),
            "history": [version.model_copy(update={
                "entry": _scrub(version.entry, replacer, _HISTORY_ENTRY),
                "model": _scrub(version.model, replacer, _VOCABULARY)})
                for version in study.history],
            "deidentified": True,
        }
    )


def _shown_parts(study: Study) -> Iterator[tuple[Any, frozenset[str]]]:
    """The parts :func:`deidentify` scrubs, each with the fields it leaves alone (the strings
    they hold are replaced ahead; one missed here is replaced when met)."""
    yield from ((study.meta, _KEEP), (study.clinicians, _KEEP), (study.dyads, _KEEP),
                (study.model, _VOCABULARY), (study.codebook.codes, _VOCABULARY))
    for version in study.history:
        yield version.entry, _HISTORY_ENTRY
        yield version.model, _VOCABULARY


def _strings(value: Any, keep: frozenset[str]) -> Iterator[str]:
    """Every string :func:`_scrub` would replace in ``value``, in its order."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item, keep)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item, keep)
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            if name not in keep:
                yield from _strings(getattr(value, name), keep)
