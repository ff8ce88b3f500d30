"""Detector rules for identifiers written as running prose rather than as a form would write
them: ages over 89 ("when she turned 93", "ninety-one"), ZIP and postal codes without a state
before them, names after a title in any case or with dashes and particles, institution names
with "of", "for" or "the" inside, and landmarks and nicknames of places.

Each rule yields ``(category, start, end)`` spans; :func:`build_site.deidentify.detectors.detect`
turns them into detections, applies the allow-list and keeps the longest of overlapping ones.
Categories follow HIPAA Safe Harbor (45 CFR 164.514(b)(2)(i)): (C) ages over 89, (B) ZIP codes
(Canadian postal codes are treated alike), (A) names; places below a state and institutions as
in :mod:`build_site.deidentify.detectors`. Rules only: no model, nothing downloaded.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from build_site.deidentify.digit_runs import digit_run
from build_site.deidentify.first_chars import with_first_chars
from build_site.deidentify.required import any_search, required_any

Span = tuple[str, int, int]

# hyphen, non-breaking hyphen, figure dash, en dash, hyphen-minus (last: safe in a [class])
HYPHENS = "\u2010\u2011\u2012\u2013-"
APOSTROPHES = "'\u2019\u02bc\u2018"
NAME_CHARS = rf"[\w{APOSTROPHES}{HYPHENS}]"
CAP = rf"[A-Z]{NAME_CHARS}*"

# --- ages over 89 (Safe Harbor (C)) --------------------------------------------------------
_UNITS = "one|two|three|four|five|six|seven|eight|nine"
_TEENS = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
_AGE = (rf"(?:9\d|1[01]\d|ninety(?:[ {HYPHENS}](?:{_UNITS}))?|"
        rf"(?:a |one )?hundred(?:(?: and)? (?:{_UNITS}|{_TEENS}))?)")
# what follows a number that is not an age ("94 percent", "90 degrees", "95 over 60")
_NOT_AGE_AFTER = (r"(?![\d.,/]\d)(?!\s*(?:%|percent|per|degrees?|°|pounds?|lbs?|kgs?|kilos?|"
                  r"mg|mmol|milligrams?|grams?|ml|over|minutes?|mins?|seconds?|secs?|hours?|"
                  r"days?|weeks?|months?|bpm|beats?|mm|cm|km|miles?|feet|ft|dollars?|bucks|"
                  r"cents?|times|steps|units|calories|people|kids|patients|mph|k\b))")
_SUBJECT = (r"(?:I|he|she|they|you|we|mom|mum|mother|dad|father|grandma|grandmother|grandpa|"
            r"grandfather|gran|granny|nan|nana|nanny|papa|husband|wife|aunt|auntie|uncle|"
            r"brother|sister|son|daughter|patient|neighbou?r|friend)")
_AGE_PATTERNS = [
    re.compile(rf"\b(?:turn(?:ed|s|ing)?|reach(?:ed|es|ing)?|hit|will be|gonna be|going to be|"
               rf"lived to|lived until|made it to|died at|passed away at|passed on at|"
               rf"passed at|at the age of|at age|aged?)\s+{_AGE}\b{_NOT_AGE_AFTER}", re.I),
    re.compile(rf"\b{_SUBJECT}(?:['’]s|['’]m| is| was| am| are| were| will be| would be| be)"
               rf"\s+(?:only |almost |nearly |about |over |just |now |still )?{_AGE}\b"
               rf"{_NOT_AGE_AFTER}", re.I),
    re.compile(rf"\b{_AGE}[ {HYPHENS}]*(?:years?|yrs?)[ {HYPHENS}]*old\b|\b{_AGE}-"
               rf"year-old\b", re.I),
    re.compile(r"\b(?:9\dth|9[123](?:st|nd|rd)|1[01]\d(?:st|nd|rd|th)|ninetieth|"
               rf"ninety[ {HYPHENS}](?:first|second|third|fourth|fifth|sixth|seventh|eighth|"
               r"ninth)|(?:one )?hundredth)\s+birthday\b", re.I),
    re.compile(r"\bin (?:his|her|their|my) (?:early |mid |late )?(?:nineties|hundreds)\b", re.I),
]

# --- ZIP and postal codes (Safe Harbor (B)) --------------------------------------------------
_ZIP = re.compile(r"(?<![\d$€£.,/#-])\b(\d{5})(-\d{4})?\b(?![.,/-]?\d)")
# a five-digit number followed by a unit or a rate is a quantity, not a ZIP code
_QUANTITY_AFTER = re.compile(
    r"\s*(?:%|a |an |per |each|every|steps|dollars|bucks|units|people|miles|km|kilomet|feet|"
    r"ft|calories|words|times|cells|copies|pounds|lbs|kg|mg|ml|years|hours|minutes|seconds|"
    r"visits|patients|cases|sq|square|k\b)", re.I)
_POSTAL_CA = re.compile(  # Canada Post's letters: no D, F, I, O, Q, U; no W or Z first
    r"\b[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z][ \u00a0]?\d[ABCEGHJ-NPRSTV-Z]\d\b")

# --- names after a title (Safe Harbor (A)) ---------------------------------------------------
_TITLES = "dr|mr|mrs|ms|miss|mx|prof|nurse|doctor|doc|rev|father|sister"
_ABBREVIATED = frozenset("dr mr mrs ms mx prof rev".split())
_PARTICLES = "van|von|der|den|de|da|di|du|del|della|la|le|el|al|bin|ibn|ter|ten"
_TITLED = re.compile(
    rf"\b(?P<title>(?i:{_TITLES}))(?:\.[ \t]*|[ \t]+)"
    rf"(?P<name>(?:(?i:{_PARTICLES})[ \t]+){{0,3}}[A-Za-z]{NAME_CHARS}*"
    rf"(?:[ \t]+{CAP})*)")

# --- institutions with "of", "for" or "the" inside -------------------------------------------
_HEADS = ("Church|Cathedral|Chapel|Parish|Temple|Congregation|Sisters|Brothers|Order|Museum|"
          "Institute|School|Academy|College|University|Hospital|Clinic|Cent(?:er|re)|Bank|"
          "Ministry|Society|Association|Mission|Shrine|Basilica|Abbey|Convent|Monastery|Hall|"
          "Legion|Lodge|Club|Library|Foundation|Home|House|Lady")
_NAME_PART = rf"(?:St\.|Ste\.|{CAP})"
_INSTITUTION_OF = re.compile(
    rf"\b(?:{CAP}[ \t]+){{0,3}}(?:{_HEADS})[ \t]+(?:of|for)[ \t]+(?:(?:the|our)[ \t]+)?"
    rf"{_NAME_PART}(?:[ \t]+(?:(?:of|the|and|for)[ \t]+)*{_NAME_PART})*")
# generic subjects: "School of Medicine", "Bank of Canada" name no one place
_GENERIC_AFTER_OF = frozenset(
    "medicine nursing health education science sciences arts engineering law business "
    "emergency commerce music dentistry pharmacy".split())
_FUNCTION_WORDS = frozenset(
    "the a an my our your his her their this that these those in at on to from by of and or "
    "but so then when if it its we he she they i you".split())

# --- landmarks and nicknames of places -------------------------------------------------------
_LANDMARKS = ("tower|bridge|falls|park|lake|river|creek|mountain|mall|arena|stadium|pier|dam|"
              "mill|beach|bay|island|harbou?r|canal|trail|forest|valley|heights|gardens|plaza|"
              "square|fairgrounds|reserve|lighthouse|quarry|mine|pond|woods|hills?|marina|"
              "speedway|raceway|casino|zoo|cemetery|conservation area")
_LANDMARK = re.compile(rf"\b((?:(?:{CAP}|[A-Z]{{2,4}})[ \t]+){{1,3}})(?i:{_LANDMARKS})\b")
_PLACE_PREFIX = re.compile(rf"\b(?:Fort|Port|Mount|Mt\.|Sault|Lake|Cape)[ \t]+{CAP}")
_OLD_LANDMARK = re.compile(
    r"\bthe (?:old|abandoned|former) (?:[a-z]+ )?(?:mill|sawmill|gristmill|quarry|dam|bridge|"
    r"pier|wharf|lighthouse|schoolhouse|cemetery|fairgrounds|rail ?yard|train station|depot|"
    r"water tower|grain elevator|mine|tannery|cannery|foundry|church|arena|rink|post office)\b")
# well-known nicknames of North American cities, written as people say them (case matters)
_NICKNAMES = re.compile(
    r"\bthe (?:Big (?:Apple|Easy|Smoke)|Windy City|Motor City|Forest City|Hammer|Peg|Soo|Six|"
    r"6ix|Rock)\b|\b(?:T-Dot|Chi-Town|Motown|Sin City|Steeltown|Cowtown|Fort McMoney)\b")


def prose_spans(text: str) -> Iterator[Span]:
    """Every span the prose rules flag in ``text``: ``(category, start, end)``, in rule order
    (overlaps are resolved by the caller)."""
    yield from _ages(text)
    yield from _zip_codes(text)
    yield from _titled_names(text)
    yield from _institutions(text)
    yield from _places(text)


_AGE_CUE = re.compile(r"(?<!\d)(?:9\d|1[01]\d)(?!\d)|ninet|hundred", re.I)
# _AGE_CUE's first alternative alone, for a text that holds neither word: then _AGE_CUE finds
# what this finds (the words' alternatives match nowhere), without trying them at every "n" and
# "h". The words' matches lower-cased: "i" matches "I", "İ" and "ı" too (re's case folding;
# "İ" lower-cases to "i" and a combining dot), n, e, t, h, u, d and r only their two cases
# (tests/deidentify/test_required_any.py checks every code point).
_AGE_DIGITS = re.compile(r"(?<!\d)(?:9\d|1[01]\d)(?!\d)")
_AGE_WORDS_LOWERED = ("hundred", "ninet", "ni\u0307net", "n\u0131net")
# The patterns run over whole texts, as searched: behind a look-ahead of the characters their
# matches start with (first_chars.py: the same matches, in less time).
_SEARCHED = {id(p): with_first_chars(p) for p in (
    _AGE_CUE, _AGE_DIGITS, _ZIP, _POSTAL_CA, _TITLED, _INSTITUTION_OF, _LANDMARK, _PLACE_PREFIX,
    _OLD_LANDMARK, _NICKNAMES)}


# A run of digits every ZIP code holds (digit_runs.py); a text without it is not searched for
# one. (Were none read, the empty expression: every text searched.)
_ZIP_RUN = re.compile(rf"\d{{{run}}}" if (run := digit_run(_ZIP)) else "")


# Pieces one of which every match holds (required.py: "Fort", "Port", ... for a place named
# with a prefix; "Motown", "Big Apple", ... for the city nicknames), found with one expression,
# for the case-sensitive place and institution patterns: a text in which it finds none is not
# searched with the pattern (the same matches, without walking every text).
_GATES = {id(p): any_search(pieces) for p in (
    _INSTITUTION_OF, _PLACE_PREFIX, _OLD_LANDMARK, _NICKNAMES)
    if not p.flags & re.IGNORECASE and (pieces := required_any(p)) is not None}


def _searched(pattern: re.Pattern[str]) -> re.Pattern[str]:
    return _SEARCHED.get(id(pattern), pattern)


def _matches(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """The matches of ``pattern`` in ``text``, as searched (:func:`_searched`); none, without
    a search, where the text lacks every piece of the pattern's gate (:data:`_GATES`)."""
    gate = _GATES.get(id(pattern))
    if gate is not None and gate.search(text) is None:
        return iter(())
    return _searched(pattern).finditer(text)


def _ages(text: str) -> Iterator[Span]:
    """Ages over 89; the patterns run only in windows around a number from 90 to 119 or a
    number word (the texts are long and such numbers rare). The number words are looked for
    only in a text whose lower-cased form holds one (:data:`_AGE_WORDS_LOWERED`)."""
    windows: list[list[int]] = []
    lowered = text.lower()
    cues = (_AGE_CUE if any(word in lowered for word in _AGE_WORDS_LOWERED) else _AGE_DIGITS)
    for cue in _searched(cues).finditer(text):
        start, end = max(0, cue.start() - 80), cue.end() + 80
        if windows and start <= windows[-1][1]:
            windows[-1][1] = end
        else:
            windows.append([start, end])
    seen: set[tuple[int, int]] = set()
    for start, end in windows:
        for pattern in _AGE_PATTERNS:
            for m in pattern.finditer(text, start, min(end, len(text))):
                if m.span() not in seen:
                    seen.add(m.span())
                    yield "age-over-89", m.start(), m.end()


def _zip_codes(text: str) -> Iterator[Span]:
    found = _ZIP_RUN.search(text) is not None  # five digits in a row (digit_runs.py)
    for m in _searched(_ZIP).finditer(text) if found else ():
        if m.group(2) is None and (m.group(1).endswith("000")
                                   or _QUANTITY_AFTER.match(text, m.end())):
            continue
        yield "zip-code", m.start(), m.end()
    for m in _searched(_POSTAL_CA).finditer(text):
        yield "zip-code", m.start(), m.end()


def _titled_names(text: str) -> Iterator[Span]:
    """A title, then a surname: the whole surname (dashes, apostrophes, particles included).
    A lower-case surname counts only after an abbreviated title ("dr. whitcombe") and when it
    is not an ordinary word; after a title in capitals only a name in capitals counts."""
    from build_site.deidentify.lexicon import is_english

    for m in _searched(_TITLED).finditer(text):
        title = m.group("title")
        abbreviated = title.lower() in _ABBREVIATED
        if not abbreviated and (title.islower() or text[m.end("title")] == "."):
            continue  # "my sister. So", "the doctor I saw": a word, not a title
        words = [(w.group(0), m.start("name") + w.end())
                 for w in re.finditer(r"\S+", m.group("name"))]
        at = next((i for i, (w, _) in enumerate(words)
                   if w.lower() not in _PARTICLES.split("|")), None)
        if at is None:
            continue
        surname = words[at][0]
        if len(surname) < 2 and not (surname.isupper() and surname != "I"):
            continue  # "Doc Q", "Mr. T" are names; "Doctor I think" is not
        if title.isupper() and len(title) > 1:
            if not surname.isupper():
                continue
            keep = at + 1  # "DR. SMITH ABOUT IT": the name stops at the surname
        elif not surname[0].isupper():
            parts = [p for p in re.split(rf"[{APOSTROPHES}{HYPHENS}]", surname.lower()) if p]
            if not abbreviated or all(is_english(p) for p in parts):
                continue
            keep = at + 1
        else:
            keep = at + 1  # and the capitalised words after it, unless shouted ("Dr. Li SAID")
            while keep < len(words) and not words[keep][0].isupper():
                keep += 1
        yield "name", m.start(), _trim(text, m.start(), words[keep - 1][1])


def _trim(text: str, start: int, end: int) -> int:
    """``end`` moved back over trailing apostrophes, dashes and a possessive 's."""
    chunk = text[start:end]
    for suffix in ("'s", "’s"):
        if chunk.endswith(suffix):
            chunk = chunk[: -len(suffix)]
    return start + len(chunk.rstrip(APOSTROPHES + HYPHENS))


def _institutions(text: str) -> Iterator[Span]:
    for m in _matches(_INSTITUTION_OF, text):
        words = m.group(0).split()
        start = m.start()
        while (words and words[0].lower() in _FUNCTION_WORDS
               and words[:2] != ["Our", "Lady"]):  # "The Sisters of ...", not "Our Lady of"
            start = text.index(words[1], start + len(words[0])) if len(words) > 1 else m.end()
            words = words[1:]
        after = re.split(r"\b(?:of|for)\b", " ".join(words), maxsplit=1)[-1].split()
        named = [w for w in after if w[0].isupper() and w.lower() not in ("the", "our")]
        if named and all(w.lower().strip(".") in _GENERIC_AFTER_OF for w in named):
            continue
        yield "institution", start, _trim(text, start, m.end())


def _places(text: str) -> Iterator[Span]:
    """Landmarks ("Springbank Park", "CN tower": a name before a landmark word, kept when the
    name is not an ordinary word, is an acronym, or the landmark word is capitalised too),
    places named with a prefix ("Fort Mac"), "the old mill", and nicknames of cities."""
    from build_site.deidentify.lexicon import is_english

    for m in _searched(_LANDMARK).finditer(text):
        lead = list(re.finditer(r"\S+", m.group(1)))
        while lead and lead[0].group(0).lower() in _FUNCTION_WORDS:
            lead = lead[1:]
        if not lead:
            continue
        words = [w.group(0) for w in lead]
        named = any((w.isupper() and 2 <= len(w) <= 4) or not is_english(_possessive(w).lower())
                    for w in words)
        if named or text[m.end(1)].isupper():
            yield "place", m.start(1) + lead[0].start(), m.end()
    for pattern in (_PLACE_PREFIX, _OLD_LANDMARK, _NICKNAMES):
        for m in _matches(pattern, text):
            yield "place", m.start(), m.end()


def _possessive(word: str) -> str:
    """``word`` without a possessive 's ("Sorlie's" -> "Sorlie")."""
    return word[:-2] if word.endswith(("'s", "’s")) else word
