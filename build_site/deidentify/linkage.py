"""The linkage checker: what would still tie dyads to their clinicians on a site that hides
the tie (``publication.hide_clinician``; :mod:`build_site.privacy.unlink` rewrites what it can).

:func:`linkages` reports a term (a pseudonym, a bracketed descriptor, a capitalised name) that
ties a dyad to its clinician's case study, groups several dyads of one clinician, or names a
patient on the study's own pages. The masks :mod:`build_site.privacy.unlink` writes in place of case
ids are defined here, since they are words the checker must not count as terms.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator

from pydantic import BaseModel

from build_site.errors import Problem
from build_site.study import Clinician, Dyad, Identifier, IdentifierKind, Study

THE_CLINICIAN = "[the clinician]"
ANOTHER_CLINICIAN = "[another clinician]"
ANOTHER_PATIENT = "[another patient]"
A_PATIENT = "[a patient]"
_MASKS = {THE_CLINICIAN, ANOTHER_CLINICIAN, ANOTHER_PATIENT, A_PATIENT}

_TOKEN = re.compile(r"[^\W\d_][^\W_]*(?:['\u2019-][^\W\d_]+)*")
_BRACKETED = re.compile(r"\[[^\[\]\n]{2,60}\]")
_MARKUP = re.compile(r"<[^<>]*>|[*`_]")
_POSSESSIVE = re.compile(r"['\u2019]s?$")
_CAPITALISED_RUN = re.compile(r"\b[A-Z][a-z]+(?:[ -][A-Z][a-z]+)+\b")


def _sentence_start(text: str, position: int) -> bool:
    """Whether the word at ``position`` opens a sentence (or a line, or a quotation)."""
    before = text[:position].rstrip(" \t\"'\u201c\u2018(")
    return not before or before[-1] in ".!?:\n"

SHINGLE = 6  # words in a row that, shared by two pages, tie them
# Transcription conventions in brackets: not descriptors of anyone.
_ANNOTATIONS = frozenset({
    "[laughs]", "[laughter]", "[laughing]", "[pause]", "[long pause]", "[inaudible]",
    "[unclear]", "[crosstalk]", "[crying]", "[cries]", "[sighs]", "[coughs]", "[sic]",
    "[overlapping]", "[silence]", "[redacted]",
})


def linkages(study: Study, pages: dict[str, str] | None = None) -> list[Problem]:
    """What would tie dyads to clinicians on a site that hides the tie.

    Terms are the identifier list's replacements (pseudonyms and bracketed descriptors),
    bracketed descriptors written in the text, and capitalised words that are neither English
    words nor the study's vocabulary, matched in any case, through markup and possessives. A
    term's *owner* is the clinician whose dyads alone use it. Reported:

    1. a clinician case study that uses a term its own dyads alone use, or a patient's
       pseudonym, or shares a run of :data:`SHINGLE` words with one of its dyads that no other
       clinician's cases contain;
    2. a term in two or more dyads, all of one clinician (bracketed descriptors only when they
       stand for a place or an institution, or were written into the text directly);
    3. study-level text (``study.yml``, the model, the codebook, the model history, hand-written
       pages) that names a patient's pseudonym or a term one clinician's dyads alone use.

    Terms listed under ``linkage_ok`` in ``private/reviewed.yml`` are not reported.

    Args:
        study: the public selection, de-identified and still linked (``keep_links``).
        pages: hand-written pages (path -> de-identified text).

    Returns:
        The problems, each at the file and line where the term is written; none when the study
        does not hide clinicians or shows fewer than two.
    """
    if not study.meta.publication.hide_clinician or len(study.clinicians) < 2:
        return []
    terms = _Terms(study)
    index = _Index(study, terms)
    problems = [p for c in study.clinicians for p in _clinician_links(c, study, terms, index)]
    problems += _groupings(study, terms, index)
    texts = {"study.yml": " ".join(_strings(study.meta)),
             "model.yml, codebook.yml, model-history/": " ".join(
                 [*_strings(study.model), *_strings(study.codebook),
                  *(s for v in study.history for s in _strings(v))]),
             **(pages or {})}
    for file, text in texts.items():
        named = sorted(t for t in terms.find(text) if index.dyads_with[t] and (
            terms.pseudonym(t) or (index.owner(t) and not t.startswith("["))))
        if named:
            problems.append(Problem(
                file, 0, f"{terms.describe(named)} also appear(s) on dyad pages: written here, "
                "beside what this text says about clinicians, it can tie patients to them",
                "refer to participants and places by neutral descriptors in study-level text, "
                "or list the term under linkage_ok in private/reviewed.yml"))
    return problems


class _Terms:
    """The terms of a study that can tie cases together, and how to find them in text. A term
    is kept as a folded, lower-case key; :meth:`describe` shows it as written."""

    def __init__(self, study: Study) -> None:
        from build_site.deidentify import Matcher
        from build_site.deidentify.detectors import first_names
        from build_site.deidentify.lexicon import is_english

        self.is_english = is_english
        ids = {case.id.lower() for case in study_cases(study)}
        self.listed: dict[str, list[Identifier]] = defaultdict(list)
        self.shown: dict[str, str] = {}
        for ident in study.identifiers:
            if ident.replacement.lower() not in ids and ident.replacement not in _MASKS:
                self.listed[self.key(ident.replacement)].append(ident)
                self.shown[self.key(ident.replacement)] = ident.replacement
        self.matcher = Matcher(Identifier(text=self.shown[k], replacement="-") for k in self.listed)
        self.ok = {self.key(t) for t in study.reviewed.linkage_ok}
        self.first_names = first_names()
        self.ids = ids
        # Words written capitalised mid-sentence somewhere are names at a sentence start too
        # ("Quillon helped."); other capitalised words there are not ("Insulin was...").
        self.proper: set[str] = set()
        texts = [t for case in study_cases(study) for t in _texts(case)]
        texts += _strings(study.meta)
        for text in texts:
            plain = html.unescape(_MARKUP.sub("", text))
            for match in _TOKEN.finditer(plain):
                token = match.group(0)
                if token[0].isupper() and not _sentence_start(plain, match.start()):
                    self.proper.add(self.key(token))

    @staticmethod
    def key(term: str) -> str:
        """The folded, lower-case form terms are compared in."""
        from build_site.deidentify.matching import fold

        return fold(_POSSESSIVE.sub("", " ".join(term.split()))).lower()

    def find(self, text: str) -> set[str]:
        """The terms (keys) in one text."""
        plain = html.unescape(_MARKUP.sub("", text))
        found = {self.key(i.text) for i in self.matcher.contains(plain)}
        for bracketed in _BRACKETED.findall(plain):
            key = self.key(bracketed)
            if key not in _ANNOTATIONS:
                self.shown.setdefault(key, bracketed)
                found.add(key)
        for match in _TOKEN.finditer(plain):
            token = match.group(0)
            key = self.key(token)
            if not token[0].isupper() or len(key) < 2 or key in self.ids or (
                    token.isupper() and len(token) <= 5):  # OK, TV, ICU, COVID
                continue
            named = key in self.proper or not _sentence_start(plain, match.start())
            if named and (key in self.first_names or not self.is_english(key)):
                self.shown.setdefault(key, _POSSESSIVE.sub("", token))
                found.add(key)
        for match in _CAPITALISED_RUN.finditer(plain):  # "Cedar Falls", "Mill Creek"
            if not _sentence_start(plain, match.start()):
                key = self.key(match.group(0))
                self.shown.setdefault(key, match.group(0))
                found.add(key)
        return found - self.ok

    def pseudonym(self, key: str) -> bool:
        """A person's replacement that is not a bracketed descriptor."""
        return not key.startswith("[") and any(
            i.kind is IdentifierKind.person for i in self.listed.get(key, []))

    def groups(self, key: str) -> bool:
        """Whether a term shared by dyads says they share a clinician: names do, and
        descriptors of places and institutions (``[small town]``) or typed into the text;
        a listed ``[her husband]`` does not."""
        if not key.startswith("[") or key not in self.listed:
            return True
        kinds = {i.kind for i in self.listed[key]}
        return bool(kinds & {IdentifierKind.place, IdentifierKind.institution})

    def describe(self, keys: list[str]) -> str:
        """``'Ruth' (listed as 'Tammy Brekke'), 'Elmquist'`` for the terminal (never the site)."""
        parts = []
        for key in keys:
            listed = self.listed.get(key, [])
            more = f" and {len(listed) - 1} more" if len(listed) > 1 else ""
            parts.append(f"'{self.shown.get(key, key)}'"
                         + (f" (listed as '{listed[0].text}'{more})" if listed else ""))
        return ("terms " if len(parts) > 1 else "term ") + ", ".join(parts)


class _Index:
    """Which cases use which terms and word runs."""

    def __init__(self, study: Study, terms: _Terms) -> None:
        self.clinician_of = {d.id: d.clinician for d in study.dyads}
        self.of_case = {case.id: {t for text in _texts(case) for t in terms.find(text)}
                        for case in study_cases(study)}
        self.dyads_with: dict[str, set[str]] = defaultdict(set)
        for dyad in study.dyads:
            for term in self.of_case[dyad.id]:
                self.dyads_with[term].add(dyad.id)
        self.shingles = {case.id: _shingles(_texts(case)) for case in study_cases(study)}
        self.quotes = {case.id: {" ".join(re.findall(r"\w+", e.text.lower())): e.text
                                 for e in case.excerpts} for case in study_cases(study)}
        self.shingle_cases: dict[tuple[str, ...], set[str]] = defaultdict(set)
        for case_id, found in self.shingles.items():
            for shingle in found:
                self.shingle_cases[shingle].add(case_id)

    def owner(self, term: str) -> str | None:
        """The clinician whose dyads alone use ``term``, if there is one."""
        owners = {self.clinician_of[d] for d in self.dyads_with.get(term, set())}
        return owners.pop() if len(owners) == 1 else None

    def shingle_owner(self, shingle: tuple[str, ...]) -> str | None:
        """The clinician whose own case and dyads alone contain ``shingle``."""
        owners = {self.clinician_of.get(c, c) for c in self.shingle_cases[shingle]}
        return owners.pop() if len(owners) == 1 else None


def _clinician_links(clinician: Clinician, study: Study, terms: _Terms,
                     index: _Index) -> Iterator[Problem]:
    ties: dict[str, list[str]] = defaultdict(list)
    for term in sorted(index.of_case[clinician.id]):
        for dyad_id in sorted(index.dyads_with.get(term, set())):
            if terms.pseudonym(term) or (index.owner(term) == clinician.id
                                          and index.clinician_of[dyad_id] == clinician.id):
                ties[dyad_id].append(term)
    shared_runs: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    accepted = [tuple(re.findall(r"\w+", t.lower())) for t in study.reviewed.linkage_ok]
    for shingle in _in_order(_texts(clinician)):
        if index.shingle_owner(shingle) == clinician.id and not any(
                _within(shingle, ok) for ok in accepted):
            for case_id in index.shingle_cases[shingle] - {clinician.id}:
                shared_runs[case_id].append(shingle)
    dyads = {d.id: d for d in study.dyads}
    for dyad in study.dyads:
        if dyad.clinician == clinician.id:  # one quote on both pages, however short
            for quote in sorted(index.quotes[clinician.id].keys() & index.quotes[dyad.id].keys()):
                shared_runs[dyad.id].append(tuple(quote.split()))
    for dyad_id in sorted(set(ties) | set(shared_runs)):
        dyad = dyads[dyad_id]
        what = []
        if ties[dyad_id]:
            what.append(terms.describe(ties[dyad_id]))
        if shared_runs[dyad_id]:
            what.append(f"the words '{' '.join(shared_runs[dyad_id][0])}'")
        first = terms.shown.get(ties[dyad_id][0], ties[dyad_id][0]) if ties[dyad_id] else ""
        run = " ".join(shared_runs[dyad_id][0]) if shared_runs[dyad_id] else ""
        where = _phrase(first or run)
        yield Problem(
            _file(clinician), _line(clinician, where),
            f"{' and '.join(what)} in this clinician case study also appear(s) in "
            f"{_file(dyad)}:{_line(dyad, where)}, which would tie that dyad to clinician "
            f"{clinician.id} on a site that hides clinicians",
            "write a neutral descriptor (or other words) in one of the two, or list the term "
            "under linkage_ok in private/reviewed.yml if it ties nothing to anyone")


def _groupings(study: Study, terms: _Terms, index: _Index) -> list[Problem]:
    dyads = {d.id: d for d in study.dyads}
    problems = []
    for term, users in sorted(index.dyads_with.items()):
        if len(users) > 1 and index.owner(term) and terms.groups(term):
            first = dyads[min(users)]
            problems.append(Problem(
                _file(first), _line(first, terms.shown.get(term, "")),
                f"{terms.describe([term])} appears in "
                f"{', '.join(_file(dyads[d]) for d in sorted(users))}, all dyads of clinician "
                f"{first.clinician}: on a site that hides clinicians it shows that these "
                "patients share one",
                "write a neutral descriptor in all but one of them, or list the term under "
                "linkage_ok in private/reviewed.yml if it ties nothing to anyone"))
    return problems


def _in_order(texts: Iterable[str]) -> Iterator[tuple[str, ...]]:
    for text in texts:
        words = re.findall(r"\w+", html.unescape(_MARKUP.sub(" ", text)).lower())
        for i in range(len(words) - SHINGLE + 1):
            yield tuple(words[i:i + SHINGLE])


def _within(run: tuple[str, ...], words: tuple[str, ...]) -> bool:
    return any(words[i:i + len(run)] == run for i in range(len(words) - len(run) + 1))


def _shingles(texts: Iterable[str]) -> set[tuple[str, ...]]:
    return set(_in_order(texts))


def _phrase(words: str) -> re.Pattern[str]:
    """A pattern for ``words`` in the source text: any case, any punctuation between."""
    return re.compile(r"\W+".join(map(re.escape, words.split())), re.IGNORECASE)


def _labels(node: BaseModel) -> Iterator[str]:
    yield str(getattr(node, "label", ""))
    for child in getattr(node, "elements", []):
        yield from _labels(child)


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            if name not in ("sign_off", "id"):
                yield from _strings(getattr(value, name))
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def study_cases(study: Study) -> list[Clinician | Dyad]:
    """The clinicians, then the dyads, of ``study``."""
    return [*study.clinicians, *study.dyads]


def _texts(case: Clinician | Dyad) -> list[str]:
    texts = [case.narrative, *(e.text for e in case.excerpts),
             *(t.text for e in case.excerpts for t in e.context_turns),  # issue 21.1
             *(e.role for e in case.excerpts if e.role)]
    if isinstance(case, Dyad):
        texts += [*case.summaries.values(), *case.interview.others_present]
        for value in case.demographics.values():
            texts += [str(v) for v in (value if isinstance(value, list) else [value])]
    return texts


def _file(case: Clinician | Dyad) -> str:
    return case.source.file if case.source else case.id


def _line(case: Clinician | Dyad, term: str | re.Pattern[str]) -> int:
    source = case.source
    if source is None:
        return 0
    pattern = term if isinstance(term, re.Pattern) else _phrase(term) if term else None
    found = pattern.search(case.narrative) if pattern else None
    if found and source.body_line:
        return source.body_line + case.narrative[:found.start()].count("\n")
    excerpt = next((e for e in case.excerpts if pattern and pattern.search(e.text)), None)
    if excerpt is not None and excerpt.source is not None:
        return excerpt.source.line
    return source.line
