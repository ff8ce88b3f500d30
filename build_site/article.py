"""Article-shaped content the team writes in ``study.yml`` (issue 23 item 3): the results by
component with their exemplar excerpts, and each round's interview guide; the checks of their
references.

Rules: a result names a component or element of the model, at most once; each of its
``excerpt_ids`` names an excerpt of the study (an unknown id is refused, exit 2, with the line
of ``study.yml``); an exemplar that a build does not publish (consent, status, the team's own
``publish: false``) is left out of that build's results page and named in its warnings, with
the line. Guide rounds have distinct names, and their ``from_interview`` numbers, where
given, rise from round to round.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from build_site.load import RawDocument
from build_site.study import Study, component_ids
from build_site.yamlsource import line_at

Add = Callable[[str, tuple[Any, ...], str, str], None]


def excerpt_ids(study: Study) -> set[str]:
    """Every excerpt id of ``study``'s clinicians and dyads."""
    return ({e.id for c in study.clinicians for e in c.excerpts}
            | {e.id for d in study.dyads for e in d.excerpts})


def results_problems(study: Study, add: Add) -> None:
    """Check ``study.yml``'s ``results``; ``add(file, path, message, hint)`` once per problem
    (see the module's rules)."""
    known_components = component_ids(study.model)
    known_excerpts = excerpt_ids(study)
    seen: set[str] = set()
    for i, result in enumerate(study.meta.results):
        at = ("results", i)
        if result.component not in known_components:
            add("study.yml", (*at, "component"),
                f"results: unknown component '{result.component}'",
                "name a component or element id of model.yml")
        elif result.component in seen:
            add("study.yml", (*at, "component"),
                f"results: component '{result.component}' has two entries",
                "write one results entry per component")
        seen.add(result.component)
        for k, excerpt_id in enumerate(result.excerpt_ids):
            if excerpt_id not in known_excerpts:
                add("study.yml", (*at, "excerpt_ids", k),
                    f"results: unknown excerpt '{excerpt_id}'",
                    "name an excerpt id from a case study's excerpts")


def guide_round_problems(study: Study, add: Add) -> None:
    """Check ``study.yml``'s ``interview_guide_rounds``: distinct round names; each
    ``from_interview`` later than the one before it."""
    names: set[str] = set()
    last = 0
    for i, entry in enumerate(study.meta.interview_guide_rounds):
        name = str(entry.round)
        if name in names:
            add("study.yml", ("interview_guide_rounds", i, "round"),
                f"interview_guide_rounds: round '{name}' is listed twice",
                "give each round its own name or number")
        names.add(name)
        if entry.from_interview is not None:
            if entry.from_interview <= last:
                add("study.yml", ("interview_guide_rounds", i, "from_interview"),
                    f"interview_guide_rounds: round '{name}' starts at interview "
                    f"{entry.from_interview}, not after the round before it (from {last})",
                    "list rounds in the order they were used, each from a later interview")
            last = entry.from_interview


def article_problems(study: Study, add: Add) -> None:
    """Every check of this module, for the validator."""
    results_problems(study, add)
    guide_round_problems(study, add)


def unpublished_exemplars(doc: RawDocument, study: Study, shown: Study) -> list[str]:
    """Warnings naming each exemplar of ``study`` (the study as written) that ``shown`` (what
    one build shows, its exemplars under the ids it shows them by) leaves out, with the line
    of ``doc`` (the raw ``study.yml``).

    Returns:
        One line per omitted exemplar: ``study.yml:LINE: results: excerpt 'ID' of
        'COMPONENT' is not published in this build; left out of the results page``.
    """
    shown_ids = excerpt_ids(shown)
    warnings = []
    for i, (result, as_shown) in enumerate(zip(study.meta.results, shown.meta.results,
                                               strict=True)):
        for k, (excerpt_id, shown_id) in enumerate(zip(result.excerpt_ids,
                                                       as_shown.excerpt_ids, strict=True)):
            if shown_id not in shown_ids:
                line = line_at(doc.data, ("results", i, "excerpt_ids", k))
                warnings.append(
                    f"{doc.path}:{line}: results: excerpt '{excerpt_id}' of "
                    f"'{result.component}' is not published in this build (consent, status "
                    "or publish: false); left out of the results page")
    return warnings
