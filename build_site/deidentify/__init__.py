"""De-identify: replace every listed identifier in every string a reader can see.

Takes a validated ``Study`` and returns a copy in which narratives, excerpts, demographics,
memos, comments and study metadata carry pseudonyms and bracketed descriptors instead of the
identifiers listed in ``private/identifiers.yml``. Ids, code references and other
machine-readable fields are left alone (they are checked by the leak gate like everything else).
"""

from __future__ import annotations

from typing import Any, Protocol, TypeVar

from pydantic import BaseModel

from build_site.deidentify.matching import Hit, Matcher
from build_site.study import Clinician, Dyad, Study

__all__ = ["Hit", "Matcher", "Replacer", "deidentify", "scrub"]

# Fields that are references or vocabulary, not prose a participant or analyst wrote.
_KEEP = frozenset(
    {"id", "clinician", "codes", "transcript", "role", "others_present", "source", "speaker",
     "status", "component", "parent", "from_", "to", "kind", "team"}
)


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


def _scrub(value: Any, matcher: Replacer) -> Any:
    if isinstance(value, str):
        return matcher.replace(value)
    if isinstance(value, list):
        return [_scrub(v, matcher) for v in value]
    if isinstance(value, dict):
        return {k: _scrub(v, matcher) for k, v in value.items()}
    if isinstance(value, BaseModel):
        update = {
            name: _scrub(getattr(value, name), matcher)
            for name in type(value).model_fields
            if name not in _KEEP
        }
        return value.model_copy(update=update)
    return value


def unreplaced_sources(study: Study) -> dict[int, list[str]]:
    """Where listed identifiers sit in text that is published as written (the model, the
    codebook, team names, ids and roles), by ``id()`` of the identifier entry: the likely
    source of a leak the gate finds."""
    matcher = Matcher(study.identifiers)
    places = {
        "model.yml": study.model.model_dump_json(),
        "codebook.yml": study.codebook.model_dump_json(),
        "study.yml (team)": " ".join(p.name for p in study.meta.team),
    }
    cases: list[Clinician | Dyad] = [*study.clinicians, *study.dyads]
    for case in cases:
        where = case.source.file if case.source else case.id
        words = [case.id, *(e.id for e in case.excerpts), *(e.role or "" for e in case.excerpts)]
        places[f"{where} (ids and roles)"] = " ".join(words)
    found: dict[int, list[str]] = {}
    for place, text in places.items():
        for ident in matcher.contains(text):
            found.setdefault(id(ident), []).append(place)
    return found


def deidentify(study: Study) -> Study:
    """Return a de-identified copy of ``study`` (``deidentified`` set to True).

    The model and codebook are the study's vocabulary and are not changed; the identifier list
    itself is carried along for the leak gate.
    """
    matcher = Matcher(study.identifiers)
    return study.model_copy(
        update={
            "meta": _scrub(study.meta, matcher),
            "clinicians": _scrub(study.clinicians, matcher),
            "dyads": _scrub(study.dyads, matcher),
            "deidentified": True,
        }
    )
