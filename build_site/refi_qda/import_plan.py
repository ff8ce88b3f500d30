"""Plan an import: which sources and cases of a REFI-QDA project become which dyads and
clinicians, and how each source counts CRLF in its positions.

Sources and cases are placed by the mapping file (:mod:`build_site.refi_qda.mapping`) first, then by
the project's ``<Case>`` elements (a case exported by build-site carries the variables
``build-site role`` and ``build-site clinician`` and keeps its id), and every remaining text
source becomes a dyad of its own.

CRLF: QDA-XML 1.0 positions count Unicode code points, so CRLF is two; ATLAS.ti counts it as
one. Unless told (``line_endings``), a project from ATLAS.ti is read as one, and any other as
whichever reading puts more selection boundaries between words rather than inside one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from build_site.errors import Problem, StudyError
from build_site.refi_qda.consent_sheet import ConsentSheet
from build_site.refi_qda.mapping import LineEndings, Mapping, MappingEntry, SpeakerName
from build_site.refi_qda.qde import QdaCase, QdaProject, QdaSelection, QdaSource
from build_site.refi_qda.study_files import slug

ROLE_VARIABLE = "build-site role"
CLINICIAN_VARIABLE = "build-site clinician"


@dataclass
class ImportOptions:
    """Choices for an import: how CRLF was counted (None: auto), who speaks dyad excerpts
    (None: the mapping's, else patient), the mapping file and the consent sheet."""

    line_endings: LineEndings | None = None
    speaker: SpeakerName | None = None
    mapping: Mapping | None = None
    consent: ConsentSheet | None = None


@dataclass
class ImportReport:
    """What an import did, for ``import-report.md`` and the terminal."""

    source_file: str
    mapped: list[str] = field(default_factory=list)
    guessed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    placeholders: list[str] = field(default_factory=list)
    quirks: list[str] = field(default_factory=list)
    excerpts: int = 0
    command: str = "import-qdpx"
    dropped: list[str] = field(default_factory=list)

    def markdown(self) -> str:
        """The report as Markdown."""
        parts = [f"# Import report\n\nImported from `{self.source_file}` by "
                 f"`build-site {self.command}`. This file and `private/` name the original "
                 "sources: keep them out of any public repository.\n"]
        for title, items in (("Mapped", self.mapped), ("Guessed: check these", self.guessed),
                             ("Skipped", self.skipped),
                             ("Dropped: in the project, with no place in a study",
                              self.dropped),
                             ("Placeholders for the team to replace", self.placeholders),
                             ("Vendor quirks handled", self.quirks)):
            parts.append(f"## {title}\n")
            parts.append("".join(f"- {item}\n" for item in items) if items else "- none\n")
        return "\n".join(parts)


@dataclass
class PlannedCase:
    """A planned case study: a dyad or a clinician, and the sources that make it up."""

    id: str
    kind: Literal["dyad", "clinician"]
    explicit: bool
    clinician: str | None = None
    speaker: SpeakerName = "patient"
    sources: list[QdaSource] = field(default_factory=list)
    cases: list[QdaCase] = field(default_factory=list)
    how: str = ""
    numbered: int = 0


def norm_guid(value: str) -> str:
    """A GUID in one form for comparing: lower case, without braces or spaces."""
    return value.strip().strip("{}").lower()


def _source_keys(source: QdaSource) -> set[str]:
    keys = {source.name, norm_guid(source.guid)}
    if source.plain_path:
        base = source.plain_path.replace("\\", "/").rsplit("/", 1)[-1]
        keys |= {base, base.rsplit(".", 1)[0]}
    return {k for k in keys if k}


def source_label(source: QdaSource) -> str:
    """A source's name for people: its name, else its file name without extension, else its
    GUID (the qualitative-coding tool writes sources without names)."""
    if source.name:
        return source.name
    if source.plain_path:
        return source.plain_path.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return source.guid


class Planner:
    """Decides which case study each source belongs to (mapping, cases, else one per source)."""

    def __init__(self, project: QdaProject, options: ImportOptions,
                 report: ImportReport) -> None:
        self.project = project
        self.mapping = options.mapping or Mapping()
        self.report = report
        self.default_speaker: SpeakerName = options.speaker or self.mapping.speaker
        self.cases: dict[tuple[str, str], PlannedCase] = {}
        self.owner: dict[str, PlannedCase] = {}
        self.skipped: set[str] = set()
        self.text_sources = [s for s in project.sources if s.kind == "TextSource"]

    def _target(self, entry: MappingEntry, how: str, explicit: bool = True,
                unique: str = "") -> PlannedCase | None:
        """The case study ``entry`` points to, created on first use. Explicit ids (from the
        mapping or a build-site export) gather every source given them; a derived id
        (``unique`` set) is one case study of its own, made unique later."""
        if entry.skip:
            return None
        kind: Literal["dyad", "clinician"] = "dyad" if entry.dyad else "clinician"
        case_id = entry.dyad or entry.clinician or ""
        key = (kind, case_id if explicit else f"\x00{unique}")
        case = self.cases.get(key)
        if case is None:
            speaker = "clinician" if kind == "clinician" else entry.speaker or self.default_speaker
            case = PlannedCase(case_id, kind, explicit, entry.clinician if entry.dyad else None,
                               speaker, how=how)
            self.cases[key] = case
        elif entry.dyad and entry.clinician and case.clinician not in (None, entry.clinician):
            raise StudyError([Problem(self.mapping.file or self.project.label, 0,
                                      f"dyad '{case_id}' is given two clinicians "
                                      f"('{case.clinician}' and '{entry.clinician}')",
                                      "give each dyad one clinician")])
        elif entry.dyad and entry.clinician:
            case.clinician = entry.clinician
        return case

    def _add(self, case: PlannedCase | None, source: QdaSource, how: str) -> None:
        if source.guid in self.owner or source.guid in self.skipped:
            earlier = self.owner.get(source.guid)
            where = f"'{earlier.id}'" if earlier else "skipped"
            self.report.skipped.append(f"source '{source_label(source)}' is also in {how}; "
                                       f"kept where it was first placed ({where})")
            return
        if case is None:
            self.skipped.add(source.guid)
            self.report.skipped.append(f"source '{source_label(source)}': {how} says skip")
            return
        self.owner[source.guid] = case
        case.sources.append(source)

    def _from_mapping(self) -> None:
        problems = []
        for key, entry in self.mapping.sources.items():
            found = [s for s in self.text_sources if key in _source_keys(s) or
                     norm_guid(key) == norm_guid(s.guid)]
            if not found:
                known = ", ".join(sorted(source_label(s) for s in self.text_sources)[:20])
                problems.append(Problem(self.mapping.file, self.mapping.line_of("sources", key),
                                        f"no text source called '{key}'",
                                        f"the project's text sources: {known or 'none'}"))
                continue
            if not entry.places:
                continue  # settings only: applied once the case is placed
            for source in found:
                self._add(self._target(entry, f"the mapping file (source '{key}')"), source,
                          "the mapping file")
        for key in self.mapping.cases:
            if not any(key in (c.name, norm_guid(c.guid)) or norm_guid(key) == norm_guid(c.guid)
                       for c in self.project.cases):
                known = ", ".join(sorted(c.name or c.guid for c in self.project.cases)[:20])
                problems.append(Problem(self.mapping.file, self.mapping.line_of("cases", key),
                                        f"no case called '{key}'",
                                        f"the project's cases: {known or 'none'}"))
        if problems:
            raise StudyError(problems)

    def _case_entry(self, qda_case: QdaCase) -> tuple[MappingEntry, str, bool]:
        for key, entry in self.mapping.cases.items():
            if entry.places and (key in (qda_case.name, norm_guid(qda_case.guid))
                                 or norm_guid(key) == norm_guid(qda_case.guid)):
                return entry, f"the mapping file (case '{key}')", True
        role = qda_case.variables.get(ROLE_VARIABLE)
        given = qda_case.variables.get(CLINICIAN_VARIABLE)
        name = qda_case.name or qda_case.guid
        if role == "clinician" and slug(name) == name:
            return MappingEntry(clinician=name), f"case '{name}' (role variable)", True
        if role == "dyad" and slug(name) == name:
            clinician = str(given) if isinstance(given, str) and slug(given) == given else None
            return (MappingEntry(dyad=name, clinician=clinician),
                    f"case '{name}' (role variable)", True)
        return (MappingEntry(dyad=slug(name) or f"case-{slug(norm_guid(qda_case.guid))[:8]}"),
                f"case '{name}'", False)

    def _from_cases(self) -> None:
        selection_source = {sel.guid: s.guid for s in self.text_sources for sel in s.selections}
        by_guid = {s.guid: s for s in self.text_sources}
        for qda_case in self.project.cases:
            entry, how, explicit = self._case_entry(qda_case)
            guids = list(dict.fromkeys(
                [*qda_case.sources, *(selection_source.get(g, "") for g in qda_case.selections)]))
            sources = [by_guid[g] for g in guids if g in by_guid]
            if not sources and not (entry.skip or explicit):
                self.report.skipped.append(f"case '{qda_case.name or qda_case.guid}': refers "
                                           "to no text source")
                continue
            if qda_case.selections and not qda_case.sources:
                self.report.guessed.append(f"case '{qda_case.name}' lists selections, not "
                                           "sources: all coded selections of those sources "
                                           "were imported into it")
            target = self._target(entry, how, explicit, qda_case.guid)
            if target is not None:
                target.cases.append(qda_case)
            for source in sources:
                self._add(target, source, how)

    def plan(self) -> list[PlannedCase]:
        """Return the case studies, dyads and clinicians in a stable order."""
        self._from_mapping()
        self._from_cases()
        for source in self.text_sources:
            if source.guid not in self.owner and source.guid not in self.skipped:
                label = source_label(source)
                wanted = slug(label) or f"source-{slug(norm_guid(source.guid))[:8]}"
                case = PlannedCase(wanted, "dyad", False, None, self.default_speaker,
                                   how=f"source '{label}'")
                self.cases[("dyad", f"\x00{source.guid}")] = case
                self._add(case, source, f"source '{label}'")
        for source in self.project.sources:
            if source.kind != "TextSource":
                self.report.dropped.append(
                    f"{source.kind} '{source_label(source)}' with {source.other_selections} "
                    f"selection(s) and {source.other_codings} coding(s): only text sources "
                    "are imported")
        planned = list(self.cases.values())
        if not any(c.kind == "dyad" for c in planned):
            planned.append(PlannedCase("placeholder-dyad", "dyad", False, None,
                                       self.default_speaker,
                                       how="placeholder (the project has no text source)"))
            self.report.placeholders.append("`dyads/placeholder-dyad.md`: the project has no "
                                            "text source, and a study needs a dyad; delete it "
                                            "once you add real dyads")
        clinicians = {c.id for c in planned if c.kind == "clinician"}
        for case in list(planned):
            if case.kind == "dyad" and case.clinician and case.clinician not in clinicians:
                clinicians.add(case.clinician)
                planned.append(PlannedCase(case.clinician, "clinician", True, speaker="clinician",
                                           how=f"the clinician named for dyad '{case.id}'"))
        return planned


def _fit(text: str, selections: list[QdaSelection], positions: list[int] | None) -> int:
    """How well selections fit ``text`` when read with ``positions`` (None: as they are): a
    point per boundary that falls between words rather than inside one, minus a heavy penalty
    for a boundary between CR and LF or past the end."""
    score = 0
    limit = len(positions) - 1 if positions is not None else len(text)
    for sel in selections:
        if not 0 <= sel.start < sel.end <= limit:
            score -= 100
            continue
        for point in (sel.start, sel.end):
            at = positions[point] if positions is not None else point
            before = text[at - 1] if at > 0 else " "
            after = text[at] if at < len(text) else " "
            if before == "\r" and after == "\n":
                score -= 10
            elif not (before.isalnum() and after.isalnum()):
                score += 1
    return score


def line_ending_mode(text: str, selections: list[QdaSelection], origin: str,
                     option: str | None) -> tuple[Literal["one", "two"], str]:
    """How a source's positions count CRLF: "two" (QDA-XML: code points) or "one" (ATLAS.ti).

    ``option`` "one" or "two" decides; otherwise a project from ATLAS.ti is read as "one", and
    any other as whichever reading puts more selection boundaries between words (ties: "two").

    Returns the mode and why ('' when the text has no CRLF, so the question does not arise).
    """
    if "\r\n" not in text:
        return "two", ""
    if option in ("one", "two"):
        return ("one" if option == "one" else "two"), "as the line_endings option says"
    if "atlas" in origin.lower():
        return "one", f"the project comes from {origin}, which counts CRLF as one character"
    two = _fit(text, selections, None)
    one = _fit(text, selections, raw_positions(text))
    if one > two:
        return "one", (f"selection boundaries fit the text better that way (score {one} "
                       f"against {two}); pass --line-endings two if that is wrong")
    return "two", ("the standard count (every code point, so CRLF is two)"
                   + (f"; selections fit it at least as well (score {two} against {one})"
                      if selections else ""))


def raw_positions(text: str) -> list[int]:
    """For positions that count CRLF as one character: index ``k`` -> index in ``text``."""
    n = len(text)
    return [i for i in range(n + 1) if not (0 < i < n and text[i - 1] == "\r" and text[i] == "\n")]
