"""Validate: turn raw documents into a typed ``Study`` or report every problem.

Field-level checks come from the pydantic models in :mod:`build_site.study`; this module adds
the cross-file rules: ids unique across the study, references that resolve (clinicians, codes,
components, relations, parents), consent records for everyone who spoke, and excerpts that
really occur in their transcript. Every problem names its file and line.
"""

from __future__ import annotations

import difflib
import math
import secrets
from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from build_site.article import article_problems
from build_site.checklists import checklist_problems
from build_site.context_spans import attach_context
from build_site.errors import Problem, StudyError
from build_site.insider import decision_problems
from build_site.load import RawDocument, RawStudy
from build_site.metadata.demonstration import demonstration_problems
from build_site.perspectives import episode_problems, with_episode_sources
from build_site.relation_claims import relation_problems
from build_site.render.paths import RESERVED_COMPONENT_IDS
from build_site.study import (
    Clinician,
    Codebook,
    Component,
    Dyad,
    Element,
    Excerpt,
    History,
    IdentifierList,
    KindRef,
    Model,
    ModelVersion,
    ReviewedList,
    SourceRef,
    Speaker,
    Study,
    StudyMeta,
    component_ids,
    normalise_for_matching,
    walk_elements,
)
from build_site.trail import trail_problems
from build_site.yamlsource import line_at

M = TypeVar("M", bound=BaseModel)

_HINTS = {
    "literal_error": "use one of the values listed",
    "enum": "use one of the values listed",
    "string_pattern_mismatch": "ids use letters, digits, '-', '_' and '.', starting with a "
                               "letter or digit",
    "too_short": "add at least one",
    "string_too_short": "write some text",
    "int_parsing": "write a whole number",
    "int_type": "write a whole number",
    "greater_than_equal": "use a larger number",
    "bool_parsing": "write true or false",
    "bool_type": "write true or false",
    "list_type": "write a list, e.g. [a, b], or one '- item' per line",
    "string_type": "write text (quote it if it looks like a number or a date)",
    "dict_type": "write 'key: value' lines",
    "model_type": "write 'key: value' lines",
    "model_attributes_type": "write 'key: value' lines",
}


def _typed(doc: RawDocument, model: type[M], problems: list[Problem]) -> M | None:
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(err["loc"])
            where = ".".join(str(p) for p in loc) or "(top level)"
            # A model's own check (ORCID, web address, DOI) says what to do; pydantic's
            # "Value error, " prefix says nothing to the team.
            message = err["msg"].removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                message = f"unknown field '{loc[-1]}'"
                hint = "check the spelling; see guide/preparing-your-study.md for the fields"
            elif err["type"] == "missing":
                message = f"missing required field '{where}'"
                hint = "add it"
            else:
                message = f"{where}: {message}"
                hint = _HINTS.get(err["type"], "see guide/preparing-your-study.md")
            problems.append(Problem(doc.path, line_at(doc.data, loc), message, hint))
        return None


def _with_sources(excerpts: list[Excerpt], doc: RawDocument) -> list[Excerpt]:
    return [
        e.model_copy(
            update={"source": SourceRef(file=doc.path, line=line_at(doc.data, ("excerpts", i)))}
        )
        for i, e in enumerate(excerpts)
    ]


C = TypeVar("C", Clinician, Dyad)


def _case_study(doc: RawDocument, model: type[C], problems: list[Problem]) -> C | None:
    item = _typed(doc, model, problems)
    if item is None:
        return None
    stem = PurePosixPath(doc.path).stem
    item_id = item.id
    if stem != item_id:
        problems.append(
            Problem(doc.path, line_at(doc.data, ("id",)),
                    f"id '{item_id}' does not match the file name '{stem}.md'",
                    f"rename the file to {item_id}.md or change the id")
        )
    item = with_episode_sources(item, doc.path, doc.data)
    return item.model_copy(
        update={
            "narrative": doc.body,
            "source": SourceRef(file=doc.path, line=1, body_line=doc.body_line),
            "excerpts": _with_sources(item.excerpts, doc),
        }
    )


def _suggest(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


class _Checker:
    """Cross-file checks over the typed documents."""

    def __init__(self, study: Study, raw: RawStudy) -> None:
        self.study = study
        self.raw = raw
        self.problems: list[Problem] = []
        self.docs = {d.path: d for d in [*raw.dyads, *raw.clinicians]}

    def add(self, file: str, path: tuple[Any, ...], message: str, hint: str = "") -> None:
        doc = self.docs.get(file) or {
            "model.yml": self.raw.model, "codebook.yml": self.raw.codebook,
            "study.yml": self.raw.study,
        }.get(file)
        line = line_at(doc.data, path) if doc else 0
        self.problems.append(Problem(file, line, message, hint))

    def run(self) -> list[Problem]:
        self._unique_ids()
        self._model_references()
        self._codebook_references()
        self._case_study_references()
        self._ages()
        decision_problems(self.study, self.add)
        relation_problems(self.study, self.add)
        episode_problems(self.study, self.add)
        checklist_problems(self.study, self.add)
        self.problems.extend(trail_problems(self.study, self.raw.history))
        article_problems(self.study, self.add)
        return self.problems

    def _unique_ids(self) -> None:
        seen: dict[str, str] = {}

        def claim(item_id: str, file: str, path: tuple[Any, ...]) -> None:
            if item_id in seen:
                self.add(file, path, f"duplicate id '{item_id}' (already used in {seen[item_id]})",
                         "ids must be unique across the whole study")
            else:
                seen[item_id] = file

        for i, comp in enumerate(self.study.model.components):
            claim(comp.id, "model.yml", ("components", i, "id"))
            for element in walk_elements(comp.elements):
                claim(element.id, "model.yml", ("components", i))
        for item_id in component_ids(self.study.model) & RESERVED_COMPONENT_IDS:
            self.add("model.yml", ("components",),
                     f"component or element id '{item_id}' is reserved for a generated page",
                     "choose another id (" + ", ".join(sorted(RESERVED_COMPONENT_IDS))
                     + " are taken by generated pages)")
        for i, rel in enumerate(self.study.model.relations):
            claim(rel.id, "model.yml", ("relations", i, "id"))
        for i, code in enumerate(self.study.codebook.codes):
            claim(code.id, "codebook.yml", ("codes", i, "id"))
        cases: list[Clinician | Dyad] = [*self.study.clinicians, *self.study.dyads]
        for case in cases:
            assert case.source is not None
            claim(case.id, case.source.file, ("id",))
            for j, excerpt in enumerate(case.excerpts):
                claim(excerpt.id, case.source.file, ("excerpts", j, "id"))

    def _model_references(self) -> None:
        components = {c.id for c in self.study.model.components}
        for i, rel in enumerate(self.study.model.relations):
            for end_name, end in (("from", rel.from_), ("to", rel.to)):
                if isinstance(end, KindRef):
                    continue
                if end not in components:
                    self.add("model.yml", ("relations", i, end_name),
                             f"relation '{rel.id}': unknown component '{end}'"
                             f"{_suggest(end, components)}",
                             "relations join top-level components or whole kinds")

    def _codebook_references(self) -> None:
        targets = component_ids(self.study.model) | {r.id for r in self.study.model.relations}
        codes = {c.id for c in self.study.codebook.codes}
        parents = {c.id: c.parent for c in self.study.codebook.codes}
        for i, code in enumerate(self.study.codebook.codes):
            for j, target in enumerate(code.targets):
                if target in targets:
                    continue
                where = ("codes", i, "component") + ((j,) if isinstance(code.component, list)
                                                      else ())
                self.add("codebook.yml", where,
                         f"code '{code.id}': unknown component '{target}'"
                         f"{_suggest(target, targets)}",
                         "use a component, element or relation id from model.yml")
            if code.parent and code.parent not in codes:
                self.add("codebook.yml", ("codes", i, "parent"),
                         f"code '{code.id}': unknown parent '{code.parent}'"
                         f"{_suggest(code.parent, codes)}")
            seen = {code.id}
            node = code.parent
            while node and node in parents:
                if node in seen:
                    self.add("codebook.yml", ("codes", i, "parent"),
                             f"code '{code.id}': parent chain loops back to '{node}'")
                    break
                seen.add(node)
                node = parents[node]

    def _ages(self) -> None:
        cases: list[Clinician | Dyad] = [*self.study.clinicians, *self.study.dyads]
        for case in cases:
            for key, value in case.demographics.items():
                values = value if isinstance(value, list) else [value]
                if any(isinstance(v, float) and not math.isfinite(v) for v in values):
                    assert case.source is not None
                    self.add(case.source.file, ("demographics", key),
                             f"demographics.{key} is not a finite number",
                             "write a number or text")
            age = case.demographics.get("age")
            if age is None or (isinstance(age, int) and not isinstance(age, bool)):
                continue
            assert case.source is not None
            self.add(case.source.file, ("demographics", "age"),
                     f"demographics.age must be a whole number of years (got {age!r})",
                     "write e.g. 'age: 67' without quotes; the site shows ages in bands")

    def _case_study_references(self) -> None:
        codes = {c.id for c in self.study.codebook.codes}
        clinicians = {c.id for c in self.study.clinicians}
        known = component_ids(self.study.model)
        for dyad in self.study.dyads:
            assert dyad.source is not None
            file = dyad.source.file
            if dyad.clinician not in clinicians:
                hint = _suggest(dyad.clinician, clinicians)
                self.add(file, ("clinician",), f"unknown clinician '{dyad.clinician}'{hint}",
                         "add clinicians/<ID>.md or fix the id")
            for role in dyad.consent.others:
                if role not in dyad.interview.others_present:
                    self.add(file, ("consent", "others", role),
                             f"consent recorded for '{role}', who is not listed in "
                             "interview.others_present",
                             "list them there or fix the spelling (without a matching consent "
                             "record their words are never published)")
            self._excerpts(file, dyad.excerpts, codes, dyad)
            for key in dyad.summaries:
                if key not in known:
                    self.add(file, ("summaries", key),
                             f"summary for unknown component '{key}'{_suggest(key, known)}",
                             "key summaries by component or element id")
        for clinician in self.study.clinicians:
            assert clinician.source is not None
            self._excerpts(clinician.source.file, clinician.excerpts, codes, None)

    def _excerpts(self, file: str, excerpts: list[Excerpt], codes: set[str],
                  dyad: Dyad | None) -> None:
        transcript = self.raw.transcripts.get(dyad.transcript) if dyad and dyad.transcript else None
        haystack = normalise_for_matching(transcript) if transcript is not None else None
        for j, excerpt in enumerate(excerpts):
            for k, code in enumerate(excerpt.codes):
                if code not in codes:
                    self.add(file, ("excerpts", j, "codes", k),
                             f"unknown code '{code}'{_suggest(code, codes)}",
                             "use a code id from codebook.yml")
            if excerpt.role and excerpt.speaker is not Speaker.other:
                self.add(file, ("excerpts", j, "role"),
                         f"excerpt '{excerpt.id}': a role is only for speaker 'other'",
                         "remove the role, or set speaker: other")
            if dyad is None and excerpt.speaker is not Speaker.clinician:
                self.add(file, ("excerpts", j, "speaker"),
                         "excerpts in a clinician file must have speaker: clinician")
            if excerpt.speaker is Speaker.other:
                others = dyad.interview.others_present if dyad else []
                if not excerpt.role or excerpt.role not in others:
                    got = f"'{excerpt.role}' is not listed" if excerpt.role else "no role given"
                    self.add(file, ("excerpts", j, "role" if excerpt.role else "speaker"),
                             f"excerpt '{excerpt.id}': speaker 'other' needs a role from "
                             f"interview.others_present ({got})",
                             "add e.g. 'role: spouse' and list 'spouse' in others_present")
            if haystack is not None and normalise_for_matching(excerpt.text) not in haystack:
                self.add(file, ("excerpts", j, "text"),
                         f"excerpt '{excerpt.id}' does not occur in transcript "
                         f"'{dyad.transcript if dyad else ''}'",
                         "quote the transcript verbatim (line breaks and spacing may differ)")


def _identifier_problems(study: Study, doc: RawDocument) -> list[Problem]:
    """A replacement that itself contains a listed identifier would publish it, and a form
    listed by two entries with different replacements would make the same person appear
    under two names depending on which entry matched first: both refused."""
    from build_site.deidentify.matching import Matcher, fold

    problems = []
    matcher = Matcher(study.identifiers)
    owner: dict[str, int] = {}
    for i, ident in enumerate(study.identifiers):
        if matcher.find(ident.replacement):
            problems.append(Problem(doc.path, line_at(doc.data, ("identifiers", i, "replacement")),
                                    f"replacement '{ident.replacement}' contains a listed "
                                    "identifier", "choose a pseudonym that is not on the list"))
        for form in ident.forms():
            first = owner.setdefault(fold(" ".join(form.split())), i)
            other = study.identifiers[first]
            if first != i and other.replacement != ident.replacement:
                problems.append(Problem(
                    doc.path, line_at(doc.data, ("identifiers", i)),
                    f"'{form}' is also listed by the entry for '{other.text}' (line "
                    f"{line_at(doc.data, ('identifiers', first))}) with another replacement",
                    f"keep it in one entry only, or give both the same replacement "
                    f"('{other.replacement}')"))
    return problems




def validate(raw: RawStudy) -> Study:
    """Validate a raw study into a typed ``Study``.

    Raises:
        StudyError: listing every problem found (file, line, message, hint); exit code 2.
    """
    problems: list[Problem] = []
    meta = _typed(raw.study, StudyMeta, problems)
    model = _typed(raw.model, Model, problems)
    codebook = _typed(raw.codebook, Codebook, problems)
    clinicians = [_case_study(d, Clinician, problems) for d in raw.clinicians]
    dyads = [_case_study(d, Dyad, problems) for d in raw.dyads]
    identifiers = _typed(raw.identifiers, IdentifierList, problems) if raw.identifiers else None
    reviewed = _typed(raw.reviewed, ReviewedList, problems) if raw.reviewed else None
    history = _history(raw, problems)
    if not raw.dyads:
        problems.append(Problem("dyads/", 0, "no dyad case studies found",
                                "add dyads/<ID>.md files"))
    if meta is not None and meta.publication.hide_clinician:
        problems += _hiding_problems(meta, raw)
    if meta is not None:
        problems += demonstration_problems(meta, raw.study.path, raw.study.data)
    if problems or meta is None or model is None or codebook is None:
        raise StudyError(problems)
    study = Study(
        meta=meta,
        model=model,
        codebook=codebook,
        clinicians=[c for c in clinicians if c is not None],
        dyads=[d for d in dyads if d is not None],
        identifiers=identifiers.identifiers if identifiers else [],
        reviewed=reviewed or ReviewedList(),
        history=history,
        transcripts=raw.transcripts,
    )
    problems.extend(_Checker(study, raw).run())
    study, context_problems = attach_context(study, raw)  # issue 21.1: excerpts in context
    problems.extend(context_problems)
    if raw.identifiers is not None:
        problems.extend(_identifier_problems(study, raw.identifiers))
    if problems:
        raise StudyError(problems)
    return study


def _hiding_problems(meta: StudyMeta, raw: RawStudy) -> list[Problem]:
    """``publication.hide_clinician`` needs a real key, and case ids that text cannot contain
    by accident: ids are masked in any letter case, so a clinician called ``I`` or ``A``
    would rewrite every sentence."""
    problems = []
    key = meta.publication.case_key.strip()
    if len(key) < 8:
        problems.append(Problem(
            raw.study.path, line_at(raw.study.data, ("publication", "hide_clinician")),
            "publication.hide_clinician needs publication.case_key, a secret of at least 8 "
            "characters that shuffles the neutral case numbers",
            f'add e.g. case_key: "{secrets.token_hex(12)}" under publication (keep it out of '
            "anything you publish; changing it renumbers the public cases)"))
    for doc in [*raw.clinicians, *raw.dyads]:
        case_id = doc.data.get("id") if isinstance(doc.data, dict) else None
        if isinstance(case_id, str) and not any(c.isdigit() for c in case_id):
            problems.append(Problem(
                doc.path, line_at(doc.data, ("id",)),
                f"id '{case_id}' has no digit: with publication.hide_clinician, ids are masked "
                "wherever they are written, and a word-like id would mask ordinary words",
                "use ids such as D1 and D1-P2"))
    return problems


def _history(raw: RawStudy, problems: list[Problem]) -> list[ModelVersion]:
    if raw.history is None:
        return []
    history = _typed(raw.history, History, problems)
    if history is None:
        return []
    versions = []
    for entry in history.versions:
        doc = raw.history_models.get(entry.file)
        model = _typed(doc, Model, problems) if doc else None
        if model is not None:
            versions.append(ModelVersion(entry=entry, model=model))
    if history.versions and history.versions[-1].file != "model.yml":
        problems.append(Problem(raw.history.path, line_at(raw.history.data, ("versions",)),
                                "the last version must be the current model (file: model.yml)",
                                "add the current model as the last entry"))
    return versions


def find_component(model: Model, component_id: str) -> Component | Element | None:
    """Return the component or element with ``component_id``, or None."""
    for comp in model.components:
        if comp.id == component_id:
            return comp
        for element in walk_elements(comp.elements):
            if element.id == component_id:
                return element
    return None
