"""Every free-text field the team wrote in ``study.yml``, ``model.yml``, ``codebook.yml`` and the
model history, with the line it is on, for the detectors.

Read from the parsed YAML as written rather than from a hand-kept list of fields, so a field
added to a schema is scanned without anyone remembering to. Left out: references and settings
(ids, labels and relation kinds, which are the study's vocabulary; dates, versions, licences,
web addresses; the publication settings and the sign-off; but the model history's ``date`` and
``version``, which the team writes as free text and a label) and the study's own references
(``citation``, ``based_on``) and ``team``, whose names are allowed vocabulary
(:func:`build_site.deidentify.findings.vocabulary`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from build_site.deidentify.matching import Matcher
from build_site.load import RawDocument, RawStudy
from build_site.yamlsource import line_at

# Keys whose values are never prose, at any depth.
_NOT_PROSE = frozenset({
    "id", "label", "kind", "from", "to", "component", "parent", "colour", "color", "version",
    "file", "date", "date_released", "license", "url", "doi", "orcid", "demonstration",
    # who confirmed a reporting-checklist item (initials) and when
    "by", "on",
    # a codebook change in the model history: its kind and the code ids it becomes (its
    # ``codes`` are read like any text: the key also holds the whole codebook)
    "change", "into",
})
# In ``model-history/history.yml`` a version's ``date`` is free text ("after the second
# retreat") and its ``version`` a label the team wrote, both published on the history page:
# read there as prose (its memos' ``on`` stays a date). Elsewhere these keys hold dates and
# version numbers (sign_off.date, date_released, a model file's version).
_HISTORY_NOT_PROSE = _NOT_PROSE - {"date", "version"}
# Top-level keys of study.yml that are settings or allowed vocabulary, not prose.
_STUDY_SETTINGS = frozenset({"publication", "sign_off", "citation", "based_on", "team",
                             "article", "publisher"})


def _walk(node: Any, path: tuple[Any, ...], not_prose: frozenset[str]
          ) -> Iterator[tuple[tuple[Any, ...], str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key not in not_prose:
                yield from _walk(value, (*path, key), not_prose)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, (*path, index), not_prose)
    elif isinstance(node, str) and node.strip():
        yield path, node


def prose(doc: RawDocument, settings: frozenset[str] = frozenset(),
          not_prose: frozenset[str] = _NOT_PROSE) -> Iterator[tuple[int, str]]:
    """The free-text strings of one YAML document as (1-based line, text), in file order.

    Args:
        doc: the parsed document.
        settings: top-level keys to leave out as well.
        not_prose: keys whose values are never prose, at any depth.
    """
    data = doc.data if isinstance(doc.data, dict) else {}
    for key, value in data.items():
        if key in settings or key in not_prose:
            continue
        for path, text in _walk(value, (key,), not_prose):
            yield line_at(doc.data, path), text


def study_prose(raw: RawStudy) -> Iterator[tuple[str, int, str]]:
    """Every free-text field of the study's YAML files as (file, line, text)."""
    none = frozenset[str]()
    docs: list[tuple[RawDocument, frozenset[str], frozenset[str]]] = [
        (raw.study, _STUDY_SETTINGS, _NOT_PROSE), (raw.model, none, _NOT_PROSE),
        (raw.codebook, none, _NOT_PROSE)]
    if raw.history is not None:
        docs.append((raw.history, none, _HISTORY_NOT_PROSE))
    docs += [(doc, none, _NOT_PROSE) for _, doc in sorted(raw.history_models.items())]
    for doc, settings, not_prose in docs:
        for line, text in prose(doc, settings, not_prose):
            yield doc.path, line, text
    yield from _team_prose(raw.study)


def _team_prose(doc: RawDocument) -> Iterator[tuple[str, int, str]]:
    """What the team wrote about its members (role, background): their names and
    affiliations are the study's own vocabulary, the rest is prose like any other."""
    team = doc.data.get("team") if isinstance(doc.data, dict) else None
    for index, person in enumerate(team if isinstance(team, list) else []):
        if not isinstance(person, dict):
            continue
        for key in ("role", "background"):
            if isinstance(person.get(key), str) and person[key].strip():
                yield doc.path, line_at(doc.data, ("team", index, key)), person[key]


def replaced_prose(raw: RawStudy, matcher: Matcher) -> list[tuple[str, int, str]]:
    """:func:`study_prose` with listed identifiers replaced as a build replaces them: the
    published prose of the study's YAML files, for the detectors and the consent checks."""
    return [(file, line, matcher.replace(text)) for file, line, text in study_prose(raw)]
