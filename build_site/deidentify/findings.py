"""Findings: what the detectors flag in every string a reader can see, with file and line, and
whether the team has resolved it.

A finding is resolved by adding the text to ``private/identifiers.yml`` (then it is replaced
and no longer found) or by an entry in ``private/reviewed.yml`` keyed by file and a hash of the
matched text (:func:`finding_key`), so edits elsewhere in the file do not reopen it. Findings
are cached by a hash of the scanned text, so an unchanged string is not scanned again.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from build_site.deidentify.detect_pool import detect_batch
from build_site.deidentify.detectors import Detection, detect
from build_site.deidentify.matching import Matcher
from build_site.forked_map import Steps, run_steps
from build_site.study import Clinician, Component, Dyad, Element, Study

DETECTOR_VERSION = "2"  # bump when a rule changes: cached detections are then rescanned
SUGGESTIONS = {
    "name": "[name]", "place": "[place]", "institution": "[institution]", "date": "[date]",
    "age-over-89": "[90 or older]", "phone": "[phone number]", "email": "[e-mail address]",
    "url": "[web address]", "ip-address": "[IP address]", "record-number": "[record number]",
    "street-address": "[street address]", "zip-code": "[ZIP code]",
}


# Web addresses on the team's own pages are links the team chose to publish (its institution,
# the tools, the literature), not a participant's; in participants' text they stay findings.
TEAM_PAGE_LINKS = frozenset({"url"})


@dataclass(frozen=True)
class Finding:
    """A possible identifier: where (file relative to the study, 1-based line), what kind,
    the matched text (for the local terminal only, never written into a site), a suggested
    replacement, and the key that ``private/reviewed.yml`` uses to resolve it."""

    file: str
    line: int
    category: str
    text: str
    suggestion: str
    key: str

    def location(self) -> str:
        """``file:line`` (or just the file when the line is unknown)."""
        return f"{self.file}:{self.line}" if self.line else self.file


def finding_key(file: str, text: str) -> str:
    """The review key of a finding: 16 hex digits of SHA-256 over the file and the matched
    text with white space collapsed and case folded."""
    norm = re.sub(r"\s+", " ", text).strip().casefold()
    return hashlib.sha256(f"{file}\0{norm}".encode()).hexdigest()[:16]


@dataclass(frozen=True)
class _Text:
    file: str
    line: int
    text: str
    team_page: bool = False  # one of the team's hand-written pages


def _case_texts(case: Clinician | Dyad) -> Iterator[_Text]:
    source = case.source
    file = source.file if source else case.id
    body = source.body_line if source else 0
    if case.narrative:
        yield _Text(file, body, case.narrative)
    for excerpt in case.excerpts:
        line = excerpt.source.line if excerpt.source else 0
        yield _Text(file, line, excerpt.text)
        for turn in excerpt.context_turns:  # the transcript shown around it (issue 21.1)
            if turn.text:
                yield _Text(file, line, turn.text)
    for key, value in case.demographics.items():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str):
                yield _Text(file, 0, f"{key}: {item}")
    for note in [*case.memos, *case.comments]:
        yield _Text(file, 0, note.text)
    if isinstance(case, Dyad):
        for summary in case.summaries.values():
            yield _Text(file, 0, summary)
        for episode in case.episodes:  # the team's note on a pairing (perspectives)
            if episode.note:
                yield _Text(file, episode.source.line if episode.source else 0, episode.note)


def shown_texts(study: Study, pages: dict[str, str] | None = None,
                prose: Iterable[tuple[str, int, str]] | None = None) -> Iterator[_Text]:
    """Every string of a (de-identified) study that a reader of some build may see, with its
    file and line; ``pages`` adds hand-written pages (path -> Markdown).

    With ``prose`` (:func:`build_site.deidentify.fields.replaced_prose`: every free-text field
    of ``study.yml``, ``model.yml``, ``codebook.yml`` and the model history as (file, line,
    text), listed identifiers replaced), those are read; without it, only the main fields of
    ``study.yml``, at line 0.
    """
    if prose is not None:
        yield from (_Text(file, line, text) for file, line, text in prose)
    else:
        yield from _meta_texts(study)
    cases: list[Clinician | Dyad] = [*study.clinicians, *study.dyads]
    for case in cases:
        yield from _case_texts(case)
    for path, text in sorted((pages or {}).items()):
        yield _Text(path, 1, text, team_page=True)


def _meta_texts(study: Study) -> Iterator[_Text]:
    meta = study.meta
    for value in [meta.title, meta.subtitle, meta.overview, meta.interview_guide,
                  *meta.methods.values()]:
        if value:
            yield _Text("study.yml", 0, value)
    if meta.member_checking:
        yield _Text("study.yml", 0, meta.member_checking.description)
        for feedback in meta.member_checking.feedback:
            yield _Text("study.yml", 0, feedback.summary)


# Qualitative analysis programs, never taken for a person's or a place's name.
RESEARCH_SOFTWARE = ["ATLAS.ti", "NVivo", "MAXQDA", "QualCoder", "Taguette", "Dedoose", "Quirkos",
                     "Transana", "REFI-QDA"]


def vocabulary(study: Study) -> list[str]:
    """Words never flagged: the model's and codebook's labels, the pseudonyms and descriptors
    that replace identifiers, the study's ids, the team and its references, analysis software
    (:data:`RESEARCH_SOFTWARE` and ``methods.software``), and the allow-list in
    ``private/reviewed.yml``."""
    words = [c.label for c in study.codebook.codes]
    stack: list[Component | Element] = list(study.model.components)
    while stack:
        item = stack.pop()
        words.append(item.label)
        stack.extend(item.elements)
    words += [i.replacement for i in study.identifiers]
    words += [c.id for c in study.clinicians] + [d.id for d in study.dyads]
    words += [p.name for p in study.meta.team]
    if study.meta.interviewer and study.meta.interviewer.name:
        words.append(study.meta.interviewer.name)
    # The study's own references: their authors are named on the site by design.
    words += [r.text for r in (study.meta.citation, study.meta.based_on) if r]
    words += study.reviewed.allow
    # Analysis software is named by design (COREQ item 27): the products, and the study's own
    # statement of what it used (an import writes e.g. "Coded in NVivo for Mac 15.").
    words += RESEARCH_SOFTWARE
    software = study.meta.methods.get("software")
    if isinstance(software, str) and software.strip():
        words.append(software.strip().rstrip("."))
    return words


# What a detection depends on besides the text and the allow-list: the detectors' code and
# data (this folder, data/places.txt), the libraries they read (their versions), Python's
# Unicode tables and the year (a birth year tells an age over 89 by it: extra_patterns).
_DETECTOR_DISTRIBUTIONS = ("phonenumberslite", "phonenumbers", "gender-guesser",
                           "english-words", "confusables", "ahocorasick-rs")
CACHE_FILE = "detections.json"


@lru_cache(maxsize=1)
def _detector_digest() -> str:
    """A digest of everything detections depend on besides their text and allow-list (see
    ``_DETECTOR_DISTRIBUTIONS``), so a cached detection is used only by the code that made it."""
    digest = hashlib.sha256(f"{DETECTOR_VERSION}\0{unicodedata.unidata_version}".encode())
    here = Path(__file__).parent
    for path in [*sorted(here.glob("*.py")), here.parent / "data" / "places.txt"]:
        digest.update(path.name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    for name in _DETECTOR_DISTRIBUTIONS:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{name}=={version}\0".encode())
    return digest.hexdigest()


class FindingCache:
    """Detections by a hash of (the detectors' code and data, the year, allow-list, text),
    kept in memory and, when ``folder`` is given, on disk in one file (private to the user:
    it holds matched text), read at the first look-up and written by :meth:`save`.

    One file, not one per text: a cold build of 230 dyads wrote 1,708 files, which cost
    more processor time than scanning a third of them. The file keeps the entries the last
    run used, so it never grows past one study's texts; one that cannot be read is ignored
    (everything is scanned again).
    """

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.memory: dict[str, list[Detection]] = {}
        self.stored: dict[str, object] | None = None
        self.scanned = 0
        self.hits = 0

    def key(self, text: str, allow_key: str) -> str:
        """The cache key of ``text`` scanned with the allow-list digested as ``allow_key``."""
        return hashlib.sha256(f"{_detector_digest()}\0{date.today().year}\0{allow_key}\0"
                              f"{text}".encode()).hexdigest()

    def detections(self, text: str, allowed: list[str], allow_key: str) -> list[Detection]:
        """Detections in ``text`` (from the cache when the same text was scanned before)."""
        key = self.key(text, allow_key)
        if key in self.memory:
            self.hits += 1
            return self.memory[key]
        found = _detections(self._stored().get(key))
        if found is not None:
            self.hits += 1
        else:
            self.scanned += 1
            found = detect(text, allowed)
        self.memory[key] = found
        return found

    def prefetch_steps(self, texts: Iterable[str], allowed: list[str], allow_key: str
                       ) -> Steps[None]:
        """Scan, all at once, those of ``texts`` that neither memory nor the file holds, so
        the :meth:`detections` that follow find every one in memory; counted as
        :meth:`detections` would count them. A step function (:mod:`build_site.forked_map`):
        one batch, the texts to scan (:func:`~.detect_pool.detect_batch`: both cores for many
        texts), when there is one."""
        missing: dict[str, str] = {}
        for text in texts:
            key = self.key(text, allow_key)
            if key in self.memory or key in missing:
                continue
            found = _detections(self._stored().get(key))
            if found is None:
                missing[key] = text
            else:
                self.memory[key] = found
        if not missing:
            return
        detected = yield detect_batch(list(missing.values()), allowed)
        for key, found in zip(missing, detected, strict=True):
            self.memory[key] = found
        self.scanned += len(missing)
        self.hits -= len(missing)  # the first look-up of each of these was a scan, not a hit

    def _stored(self) -> dict[str, object]:
        if self.stored is None:
            self.stored = {}
            path = self.folder / CACHE_FILE if self.folder else None
            try:
                data = json.loads(path.read_text(encoding="utf-8")) if path else {}
            except (OSError, UnicodeDecodeError, ValueError):
                data = {}
            if isinstance(data, dict):
                self.stored = data
        return self.stored

    def save(self) -> None:
        """Write the entries this run used to the folder (nothing without one, or when every
        text came from the file and nothing else was in it)."""
        if self.folder is None or (self.scanned == 0 and self.stored is not None
                                   and set(self.stored) == set(self.memory)):
            return
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = self.folder / CACHE_FILE
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        entries = {k: [d.__dict__ for d in v] for k, v in sorted(self.memory.items())}
        tmp.write_text(json.dumps(entries), encoding="utf-8")
        tmp.replace(path)


def _detections(stored: object) -> list[Detection] | None:
    """The detections an entry of the cache file holds, or None when it holds none that
    can be read (then the text is scanned again)."""
    if not isinstance(stored, list):
        return None
    try:
        return [Detection(**d) for d in stored]
    except TypeError:
        return None


def find_all(study: Study, pages: dict[str, str] | None = None,
             cache: FindingCache | None = None,
             prose: Iterable[tuple[str, int, str]] | None = None) -> list[Finding]:
    """Every finding in the de-identified ``study`` (and hand-written ``pages``; with
    ``prose``, every free-text field of the study's YAML files, see :func:`shown_texts`),
    resolved ones included, in file order."""
    return run_steps(find_all_steps(study, pages, cache, prose))


def find_all_steps(study: Study, pages: dict[str, str] | None = None,
                   cache: FindingCache | None = None,
                   prose: Iterable[tuple[str, int, str]] | None = None
                   ) -> Steps[list[Finding]]:
    """:func:`find_all` as a step function, to share a pool with other checks
    (:func:`~build_site.forked_map.run_together`)."""
    cache = cache or FindingCache(None)
    allowed = vocabulary(study)
    allow_key = hashlib.sha256("\0".join(sorted(allowed)).encode()).hexdigest()
    findings: list[Finding] = []
    items = list(shown_texts(study, pages, prose))
    yield from cache.prefetch_steps((item.text for item in items), allowed, allow_key)
    for item in items:
        for d in cache.detections(item.text, allowed, allow_key):
            if item.team_page and d.category in TEAM_PAGE_LINKS:
                continue
            line = item.line + item.text.count("\n", 0, d.start) if item.line else 0
            findings.append(Finding(item.file, line, d.category, d.text,
                                    SUGGESTIONS.get(d.category, "[redacted]"),
                                    finding_key(item.file, d.text)))
    cache.save()
    return findings


def transcript_findings(study: Study, cache: FindingCache | None = None) -> list[Finding]:
    """Advisory findings in the private transcripts, after listed identifiers are replaced.

    Transcripts are never published; these show names to list before quoting around them.
    """
    cache = cache or FindingCache(None)
    matcher = Matcher(study.identifiers)
    allowed = vocabulary(study)
    allow_key = hashlib.sha256("\0".join(sorted(allowed)).encode()).hexdigest()
    findings = []
    for path, text in sorted(study.transcripts.items()):
        replaced = matcher.replace(text)
        for d in cache.detections(replaced, allowed, allow_key):
            line = replaced.count("\n", 0, d.start) + 1
            findings.append(Finding(path, line, d.category, d.text,
                                    SUGGESTIONS.get(d.category, "[redacted]"),
                                    finding_key(path, d.text)))
    cache.save()
    return findings


def describe(finding: Finding) -> str:
    """A one-line report of a finding for the local terminal (it shows the matched text)."""
    return (f"{finding.location()}: possible {finding.category} '{finding.text}' - list it in "
            f"private/identifiers.yml (e.g. replacement {finding.suggestion}) or mark it "
            f"reviewed in private/reviewed.yml (file: {finding.file}, hash: {finding.key})")


def unresolved(findings: Iterable[Finding], study: Study) -> list[Finding]:
    """The findings not marked reviewed in ``private/reviewed.yml`` (one per file and key)."""
    done = {(r.file, r.hash) for r in study.reviewed.reviewed}
    seen: set[tuple[str, str]] = set()
    out = []
    for finding in findings:
        ident = (finding.file, finding.key)
        if ident in done or ident in seen:
            continue
        seen.add(ident)
        out.append(finding)
    return out
