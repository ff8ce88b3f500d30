"""Turn a parsed REFI-QDA project (:class:`~build_site.refi_qda.qde.QdaProject`) into the files
of a new study folder, in memory; :mod:`build_site.refi_qda.exchange` writes and checks them.

What goes where (``guide/importing.md`` has the user's view):

- the code book -> ``codebook.yml`` (``parent`` for the hierarchy, ``colour``, ``definition``);
- sources and cases -> dyads and clinicians, by the mapping file, else by the project's cases,
  else one dyad per text source; dyads without a known clinician get a placeholder clinician;
- each coded ``PlainTextSelection`` -> an excerpt whose text is the source text at
  ``[startPosition, endPosition)`` in Unicode code points of the text as stored (QDA-XML 1.0),
  before any line-ending change; it starts unpublished (``publish: false``), since consent is
  not part of an exchange file and consent not recorded is consent not given;
- source text -> ``private/transcripts/<case id>.txt`` (several sources of one case are joined
  by a blank line), named by the dyad's ``transcript``;
- notes on sources and selections -> the case's memos; other notes -> ``private/notes.md``;
- ``model.yml``, ``study.yml`` and the narratives -> clear placeholders;
- ``private/qdpx-import.yml`` keeps the GUIDs and positions, so ``export-qdpx`` can give the
  project back its identities; ``import-report.md`` says what was mapped, guessed or skipped.

Which sources make which case study, and how CRLF is counted, is planned in
:mod:`build_site.refi_qda.import_plan`.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import replace
from typing import Any

from build_site.errors import Problem, StudyError
from build_site.load import MAX_FILE_BYTES
from build_site.refi_qda.apply import apply_to_files
from build_site.refi_qda.import_plan import (
    CLINICIAN_VARIABLE,
    ROLE_VARIABLE,
    ImportOptions,
    ImportReport,
    PlannedCase,
    Planner,
    line_ending_mode,
    norm_guid,
    raw_positions,
    source_label,
)
from build_site.refi_qda.mapping import Mapping
from build_site.refi_qda.qde import QdaCase, QdaProject, QdaSelection, QdaSource, Scalar
from build_site.refi_qda.sets import CaseSources, set_attributes
from build_site.refi_qda.study_files import (
    ID_PATTERN,
    MAX_ID,
    IdRegistry,
    dump_yaml,
    markdown_file,
    slug,
)
from build_site.study import normalise_for_matching

PLACEHOLDER_COMPONENT = "to-be-defined"
STAND_IN_HOW = "a stand-in clinician"
SIDECAR = "private/qdpx-import.yml"
SEPARATOR = "\n\n"
PLACEHOLDER = ("> **PLACEHOLDER narrative** written by the importer. This case study is the "
               "team's to write: replace this paragraph with the narrative.")
STAND_IN = ("> **PLACEHOLDER clinician** written by the importer for the dyads whose clinician "
            "the project does not say. Give each dyad its clinician (a mapping file, see "
            "guide/importing.md), then delete this file.")


def _memo(author: str, text: str) -> dict[str, str]:
    return {"author": author, "text": text} if author else {"text": text}


def _demographics(qda_case: QdaCase, report: ImportReport) -> dict[str, Scalar]:
    out: dict[str, Scalar] = {}
    for name, value in qda_case.variables.items():
        if name in (ROLE_VARIABLE, CLINICIAN_VARIABLE):
            continue
        if name.lower() == "age":
            try:
                value = int(float(value)) if not isinstance(value, bool) else value
            except ValueError:
                report.skipped.append(f"case '{qda_case.name}': age '{value}' is not a number")
                continue
        out[name] = value
    return out


def _merge_spans(usable: list[tuple[QdaSelection, list[str]]]
                 ) -> tuple[list[tuple[QdaSelection, list[str]]], dict[str, list[str]]]:
    """Merge selections of one source with the same span into the first of them, with the
    codes of all (NVivo writes one selection per code applied to a passage); their notes
    join the first's.

    Returns:
        The merged selections in order, and first selection's GUID -> the merged GUIDs.
    """
    first: dict[tuple[int, int], tuple[QdaSelection, list[str]]] = {}
    extra: dict[str, list[str]] = {}
    for sel, codes in usable:
        kept = first.get((sel.start, sel.end))
        if kept is None:
            first[(sel.start, sel.end)] = (replace(sel, note_refs=list(sel.note_refs)),
                                           list(codes))
            continue
        kept[1].extend(c for c in codes if c not in kept[1])
        kept[0].note_refs.extend(sel.note_refs)
        extra.setdefault(kept[0].guid, []).append(sel.guid)
    return list(first.values()), extra


class Importer:
    """Builds the files of the study folder from a planned project. Use :func:`build_files`."""

    def __init__(self, project: QdaProject, options: ImportOptions, report: ImportReport) -> None:
        self.project = project
        self.options = options
        self.mapping = options.mapping or Mapping()
        self.report = report
        self.ids = IdRegistry()
        self.files: dict[str, bytes] = {}
        self.code_ids: dict[str, str] = {}
        self.loose_notes: list[str] = []
        self.attributes: dict[str, dict[str, str]] = {}
        self.merged = 0
        self.used_notes: set[str] = set()
        self.sidecar: dict[str, Any] = {"project": project.name, "origin": project.origin,
                                        "codes": {}, "sources": [], "excerpts": {},
                                        "cases": [], "textless": []}

    def _put(self, rel: str, text: str) -> None:
        self.files[rel] = text.encode("utf-8")

    def _claim_cases(self, planned: list[PlannedCase]) -> None:
        self.ids.claim_exact(PLACEHOLDER_COMPONENT)
        kinds: dict[str, str] = {}
        for case in planned:
            if case.explicit:
                if kinds.get(case.id, case.kind) != case.kind or not self.ids.claim_exact(case.id):
                    raise StudyError([Problem(self.mapping.file or self.project.label, 0,
                                              f"id '{case.id}' is used twice (dyad, clinician "
                                              "or the placeholder component)",
                                              "ids must be unique across the study")])
                kinds[case.id] = case.kind
        for case in planned:
            if not case.explicit:
                case.id = self.ids.claim(case.id, "case")
        if any(c.kind == "dyad" and not c.clinician for c in planned):
            wanted = self.mapping.placeholder_clinician
            existing = [c for c in planned if c.kind == "clinician" and c.id == wanted]
            if not existing:
                wanted = self.ids.claim(wanted, "unassigned")
                planned.append(PlannedCase(wanted, "clinician", True, speaker="clinician",
                                           how=STAND_IN_HOW))
                self.report.placeholders.append(
                    f"`clinicians/{wanted}.md`: a stand-in clinician for the dyads whose "
                    "clinician the project does not say; assign each dyad its clinician (a "
                    "mapping file at import or with build-site apply-mapping, see "
                    "guide/importing.md), which deletes it")
            for case in planned:
                if case.kind == "dyad" and not case.clinician:
                    case.clinician = wanted

    def _codebook(self) -> None:
        codes = []
        for code in self.project.codes:
            label = code.label or code.name or "(unnamed code)"
            parent = self.code_ids.get(code.parent or "")
            wanted = slug(label, lower=True)
            if not wanted or wanted in self.ids:
                wanted = f"{parent}.{wanted}" if parent and wanted else wanted
            code_id = self.ids.claim(wanted, f"code-{slug(norm_guid(code.guid))[:8]}")
            self.code_ids[code.guid] = code_id
            self.sidecar["codes"][code_id] = code.guid
            entry: dict[str, Any] = {"id": code_id, "label": label}
            if code.description.strip():
                entry["definition"] = code.description.strip()
            if parent:
                entry["parent"] = parent
            if code.colour:
                entry["colour"] = code.colour
            codes.append(entry)
            for ref in code.note_refs:
                self._loose_note(ref, f"code '{label}'")
        if not codes:
            codes.append({"id": self.ids.claim("uncoded", "uncoded"), "label": "Uncoded",
                          "definition": "PLACEHOLDER: the project has no codes."})
            self.report.placeholders.append("`codebook.yml`: the project has no codes; a "
                                            "placeholder code 'uncoded' keeps the study valid")
        groups = sum(c.synthesized for c in self.project.codes)
        top = sum(1 for c in self.project.codes if c.parent is None)
        colours = sum(1 for c in self.project.codes if c.colour)
        described = sum(1 for c in self.project.codes if c.description.strip())
        not_codable = sum(1 for c in self.project.codes if not c.codable and not c.synthesized)
        self.report.mapped.append(
            f"{len(self.project.codes)} codes -> `codebook.yml` ({top} at the top level, "
            f"{colours} with a colour, {described} with a description"
            + (f", {groups} groups rebuilt from '::' names" if groups else "") + ")")
        if not_codable:
            self.report.guessed.append(f"{not_codable} codes marked not codable (folders) were "
                                       "kept as ordinary codes")
        renamed = [f"'{c['label']}' -> `{c['id']}`" for c in codes
                   if c["id"] != slug(c["label"], lower=True)]
        if renamed:
            self.report.guessed.append(f"{len(renamed)} code ids differ from their names (names "
                                       "repeated or not usable as ids): "
                                       + ", ".join(renamed[:15])
                                       + (" ..." if len(renamed) > 15 else ""))
        self._put("codebook.yml", dump_yaml(
            {"codes": codes}, f"Imported from {self.report.source_file} by build-site "
            f"{self.report.command}.\nLink codes to model components with 'component:' once "
            "model.yml is written."))

    def _note_text(self, ref: str) -> tuple[str, str] | None:
        note = self.project.notes.get(ref)
        if note is None or not (note.text.strip() or note.name):
            return None
        self.used_notes.add(ref)
        return self.project.users.get(note.user or "", ""), note.text.strip() or note.name

    def _loose_note(self, ref: str, where: str) -> None:
        found = self._note_text(ref)
        if found:
            author, text = found
            self.loose_notes.append(f"## Note on {where}" + (f" by {author}" if author else "")
                                    + f"\n\n{text}\n")

    def _case_files(self, case: PlannedCase) -> None:
        report = self.report
        parts: list[str] = []
        excerpts: list[dict[str, Any]] = []
        memos: list[dict[str, str]] = []
        demographics: dict[str, Scalar] = dict(self.attributes.get(case.id, {}))
        for qda_case in case.cases:
            self.sidecar["cases"].append({"guid": qda_case.guid, "name": qda_case.name,
                                          "case": case.id})
            demographics |= _demographics(qda_case, report)
            if qda_case.description.strip():
                memos.append({"text": f"Case description from the project: "
                                      f"{qda_case.description.strip()}"})
        offset = 0
        for source in case.sources:
            label = source_label(source)
            for ref in source.note_refs:
                found = self._note_text(ref)
                if found:
                    memos.append(_memo(*found))
            text = source.text or ""
            if source.whole_source_codings:
                report.dropped.append(f"source '{label}': {source.whole_source_codings} codings "
                                      "of the whole source (not a quotation)")
            if not text.strip():
                self.sidecar["textless"].append({
                    "guid": source.guid, "name": source.name, "case": case.id,
                    "file": source.plain_path.replace("\\", "/").rsplit("/", 1)[-1]})
                report.skipped.append(f"source '{label}': no text" + (
                    f" ({len(source.selections)} selections dropped)" if source.selections
                    else " (nothing to quote)"))
                continue
            if parts:
                offset += len(SEPARATOR)
            mode, why = line_ending_mode(text, source.selections, self.project.origin,
                                         self.options.line_endings or self.mapping.line_endings)
            if why:
                told = why.startswith("as the")
                (report.mapped if told else report.guessed).append(
                    f"source '{label}' has CRLF line endings: positions read counting CRLF as "
                    f"{mode} character{'s' if mode == 'two' else ''} ({why})")
            positions = raw_positions(text) if mode == "one" else None
            excerpts += self._excerpts(case, source, text, positions, memos)
            self.sidecar["sources"].append({
                "guid": source.guid, "name": source.name, "case": case.id,
                "file": source.plain_path.replace("\\", "/").rsplit("/", 1)[-1],
                "transcript": f"private/transcripts/{case.id}.txt", "start": offset,
                "end": offset + len(text)})
            parts.append(text)
            offset += len(text)
        front: dict[str, Any] = {"id": case.id}
        if case.kind == "dyad":
            front["clinician"] = case.clinician
        front["status"] = "draft"
        transcript = SEPARATOR.join(parts)
        if parts:
            self._put(f"private/transcripts/{case.id}.txt", transcript)
            if case.kind == "dyad" and self._transcript_ok(case, transcript, excerpts):
                front["transcript"] = f"private/transcripts/{case.id}.txt"
        if demographics:
            front["demographics"] = demographics
        if memos:
            front["memos"] = memos
        if excerpts:
            front["excerpts"] = excerpts
        folder = "dyads" if case.kind == "dyad" else "clinicians"
        names = ", ".join(f"'{source_label(s)}'" for s in case.sources) or "none"
        comment = (f"Imported by build-site {self.report.command}: {case.how} (sources: {names}).\n"
                   "Consent not recorded is consent not given; excerpts start with "
                   "publish: false unless a mapping says otherwise.")
        body = STAND_IN if case.how == STAND_IN_HOW else PLACEHOLDER
        self._put(f"{folder}/{case.id}.md", markdown_file(front, body, comment))
        self.report.mapped.append(
            f"{case.how} -> `{folder}/{case.id}.md` ({len(excerpts)} excerpts"
            + (f", {len(case.sources)} sources" if len(case.sources) > 1 else "")
            + (f", clinician `{case.clinician}`" if case.kind == "dyad" else "") + ")")
        if case.kind == "dyad" and excerpts and not (case.explicit and self.mapping.file):
            self.report.guessed.append(f"`{case.id}`: excerpts attributed to the "
                                       f"{case.speaker} (speaker)")
        self.report.excerpts += len(excerpts)

    def _transcript_ok(self, case: PlannedCase, transcript: str,
                       excerpts: list[dict[str, Any]]) -> bool:
        if len(transcript.encode("utf-8")) > MAX_FILE_BYTES:
            self.report.skipped.append(f"`{case.id}`: transcript larger than the study loader's "
                                       f"{MAX_FILE_BYTES:,}-byte limit; written but not named "
                                       "in the dyad, so excerpts are not checked against it")
            return False
        haystack = normalise_for_matching(unicodedata.normalize("NFC", transcript))
        for excerpt in excerpts:
            needle = normalise_for_matching(unicodedata.normalize("NFC", excerpt["text"]))
            if needle not in haystack:
                self.report.skipped.append(
                    f"`{case.id}`: excerpt `{excerpt['id']}` does not match its transcript "
                    "after Unicode normalisation (a selection boundary splits a character); "
                    "the transcript is not named in the dyad")
                return False
        return True

    def _excerpts(self, case: PlannedCase, source: QdaSource, text: str,
                  positions: list[int] | None,
                  memos: list[dict[str, str]]) -> list[dict[str, Any]]:
        label = source_label(source)
        limit = len(positions) - 1 if positions is not None else len(text)
        uncoded = 0
        usable: list[tuple[QdaSelection, list[str]]] = []
        for sel in sorted(source.selections, key=lambda s: (s.start, s.end, s.guid)):
            if not 0 <= sel.start < sel.end <= limit:
                self.report.skipped.append(f"selection {sel.guid} of '{label}': positions "
                                           f"{sel.start}-{sel.end} are outside the text "
                                           f"({limit} characters)")
                continue
            unknown = [g for g in sel.codes if g not in self.code_ids]
            if unknown:
                self.report.skipped.append(f"selection {sel.guid} of '{label}': codes not in "
                                           f"the code book ({', '.join(unknown)})")
            codes = list(dict.fromkeys(self.code_ids[g] for g in sel.codes if g in self.code_ids))
            if not codes:
                uncoded += 1
                continue
            usable.append((sel, codes))
        usable, extra = _merge_spans(usable)
        # A selection named like an excerpt of this case (as export-qdpx names them) keeps
        # that id, so a round trip keeps the study's ids; the others are numbered.
        named = [bool(ID_PATTERN.match(sel.name) and len(sel.name) <= MAX_ID
                      and sel.name.startswith(f"{case.id}-") and self.ids.claim_exact(sel.name))
                 for sel, _ in usable]
        out: list[dict[str, Any]] = []
        for (sel, codes), keep_name in zip(usable, named, strict=True):
            start, end = (positions[sel.start], positions[sel.end]) if positions else (
                sel.start, sel.end)
            if keep_name:
                excerpt_id = sel.name
            else:
                case.numbered += 1
                while f"{case.id}-E{case.numbered}" in self.ids:
                    case.numbered += 1
                excerpt_id = self.ids.claim(f"{case.id}-E{case.numbered}", f"{case.id}-E")
            quote = text[start:end]
            excerpt: dict[str, Any] = {"id": excerpt_id, "speaker": case.speaker, "codes": codes,
                                       "text": quote, "publish": False}
            out.append(excerpt)
            self.sidecar["excerpts"][excerpt_id] = {"source": source.guid, "selection": sel.guid,
                                                    "start": start, "end": end}
            if extra.get(sel.guid):
                self.sidecar["excerpts"][excerpt_id]["merged"] = extra[sel.guid]
                self.merged += len(extra[sel.guid])
            if not quote.strip():
                self.report.guessed.append(f"excerpt `{excerpt_id}` is only white space")
            for ref in sel.note_refs:
                found = self._note_text(ref)
                if found:
                    memos.append(_memo(found[0], f"On excerpt {excerpt_id}: {found[1]}"))
        if uncoded:
            self.report.skipped.append(f"{uncoded} selection(s) of '{label}' without a code "
                                       "(an excerpt needs one)")
        return out

    def _coders(self, planned: list[PlannedCase]) -> None:
        """Report the coder of each imported coding, which a study has no place for."""
        counts: Counter[str] = Counter()
        for case in planned:
            for source in case.sources:
                if not (source.text or "").strip():
                    continue
                for sel in source.selections:
                    for guid in sel.coders:
                        counts[self.project.users.get(guid or "", "") or
                               ("a user not in <Users>" if guid else "no coder named")] += 1
        if counts:
            who = ", ".join(f"{name} ({n})" for name, n in counts.most_common())
            self.report.dropped.append(f"the coder of each coding ({sum(counts.values())} "
                                       f"codings: {who}): an excerpt has no coder")

    def run(self, planned: list[PlannedCase]) -> None:
        """Fill ``self.files`` with every file of the study folder."""
        self._claim_cases(planned)
        self.attributes, mapped, dropped = set_attributes(self.project, [
            CaseSources(c.id, tuple(s.guid for s in c.sources if (s.text or "").strip()))
            for c in planned])
        self.report.mapped += mapped
        self.report.dropped += dropped
        self._codebook()
        for case in planned:
            self._case_files(case)
        if self.merged:
            self.report.mapped.append(
                f"{self.merged} selection(s) with the same span as another of their source "
                "merged into it: one excerpt with all their codes")
        self._coders(planned)
        for ref in self.project.project_note_refs:
            self._loose_note(ref, "the project")
        for guid in self.project.notes:
            if guid not in self.used_notes:
                self._loose_note(guid, "nothing in particular")
        if self.loose_notes:
            self._put("private/notes.md", "# Notes from the QDA project\n\nNotes on codes and "
                      "on the project as a whole (build-site has no place for them; never "
                      "published).\n\n" + "\n".join(self.loose_notes))
            self.report.mapped.append(f"{len(self.loose_notes)} notes on codes or the project "
                                      "-> `private/notes.md`")
        self._fixed_files()

    def _fixed_files(self) -> None:
        project = self.project
        title = project.name or self.report.source_file.rsplit(".", 1)[0]
        study: dict[str, Any] = {
            "title": f"{title} (PLACEHOLDER title)", "demonstration": False,
            "overview": "PLACEHOLDER overview written by the importer: describe the study "
                        "here (question, setting, participants)."}
        if project.origin:
            study["methods"] = {"software": f"Coded in {project.origin}."}
        self._put("study.yml", dump_yaml(study, f"Imported by build-site {self.report.command}. "
                                                "Add the team, citation, licence and methods; "
                                                "see guide/preparing-your-study.md."))
        self._put("model.yml", dump_yaml(
            {"components": [{"id": PLACEHOLDER_COMPONENT, "kind": "process",
                             "label": "To be defined (PLACEHOLDER)",
                             "definition": "PLACEHOLDER written by the importer: the model is "
                                           "the team's to define. Replace this component with "
                                           "the study's competencies, processes and outcomes, "
                                           "then link codes to them in codebook.yml."}]},
            f"PLACEHOLDER written by build-site {self.report.command}: the conceptual model is "
            "not part "
            "of a QDA project."))
        self._put("private/identifiers.yml", dump_yaml(
            {"identifiers": []}, "List every identifying name in the transcripts and excerpts "
                                 "with its replacement before building a public site;\nsee "
                                 "guide/preparing-your-study.md."))
        self._put("private/qdpx-import.yml", dump_yaml(
            self.sidecar, f"Written by build-site {self.report.command}; read by export-qdpx "
                          "to give the project back its GUIDs and positions.\nPrivate: it names "
                          "the original sources. Delete it to export as if the study were new."))
        self._put(".gitignore", f"# Written by build-site {self.report.command}: real "
                                "participants' data\nprivate/\nimport-report.md\n")
        self.report.placeholders += [
            "each text the importer invents carries the word PLACEHOLDER: `build-site check` "
            "lists those left, and a public build is refused while it would publish one",
            "`model.yml`: one placeholder component `to-be-defined`; the model is the team's to "
            "define (codes are not linked to components yet)",
            "`study.yml`: title from the project; overview, team, citation and methods to write",
            "every case study's narrative (the Markdown body) is a placeholder",
            "consent: not recorded for anyone (not given), every excerpt `publish: false`, "
            "status `draft`: a public build shows no case until the team records consent "
            "(a consent sheet and a mapping file: build-site apply-mapping)",
            "`private/identifiers.yml` is empty: list identifying names before a public build",
            "ids of cases come from source and case names and are published as written: "
            "rename any that identify a participant (or use a mapping file)",
        ]


def build_files(project: QdaProject, options: ImportOptions, source_file: str,
                command: str = "import-qdpx") -> tuple[dict[str, bytes], ImportReport]:
    """Plan and write, in memory, the files of the study folder for ``project``.

    Args:
        project: the parsed project or code book.
        options: line endings, speaker and mapping.
        source_file: the input file's name, for the report.
        command: the command that imports (``import-qdpx`` or ``import-qdc``), named in the
            report and the files' comments.

    Returns:
        The files (relative POSIX path -> bytes, ``import-report.md`` included) and the report.

    Raises:
        StudyError: the mapping names sources or cases the project lacks, or gives
            conflicting ids; the consent sheet names a case the import does not make.
    """
    report = ImportReport(source_file, quirks=list(project.findings), command=command)
    report.skipped += project.skipped
    report.dropped += project.dropped
    planned = Planner(project, options, report).plan()
    importer = Importer(project, options, report)
    importer.run(planned)
    report.mapped.insert(0, f"{report.excerpts} coded selections -> excerpts "
                            "(publish: false)")
    if options.mapping is not None or options.consent is not None:
        changes, applied = apply_to_files(importer.files, options.mapping, options.consent)
        for rel, data in changes.items():
            if data is None:
                importer.files.pop(rel, None)
                report.placeholders = [p for p in report.placeholders if rel not in p]
            else:
                importer.files[rel] = data
        report.mapped += [f"mapping and consent sheet: {line}" for line in applied.lines()]
    importer.files["import-report.md"] = report.markdown().encode("utf-8")
    return importer.files, report
