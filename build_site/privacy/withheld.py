"""Withheld words stay withheld (issue 17 item 1).

Two rules over published free text:

- ``withheld-words``: a run of :data:`RUN` words, at least :data:`CONTENT` of them content
  words, that also occurs in the words of a participant whose consent does not let them be
  quoted in public. Runs are compared after :func:`~build_site.privacy.texts.words`
  normalisation (NFKC, case, punctuation, apostrophes) and on de-identified text on both sides.
  The run length and content-word minimum were tuned on the bundled study (see
  ``tests/privacy/test_withheld.py`` and the guide): shorter runs match stock phrases of other
  participants, longer ones miss a clause lifted whole.
- ``quoted-withheld``: a span in quotation marks that presents itself as the words of such a
  participant, even if it matches nothing: a quotation matching a participant's words is
  theirs; one matching no one is attributed to the passage's first subject (the patient of a
  dyad narrative, the clinician of a clinician narrative).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from build_site.privacy.texts import Passage, Voice, clean, normalised, tokens

RUN = 5
CONTENT = 3
# Function words (and their apostrophe-less contractions): everything else is a content word.
STOPWORDS = frozenset("""
a about above after again against all am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further
had has have having he her here hers herself him himself his how i if in into is it its itself
just me more most my myself no nor not now of off on once only or other our ours ourselves out
over own same she should so some such than that the their theirs them themselves then there
these they this those through to too under until up very was we were what when where which
while who whom why will with would you your yours yourself yourselves yet also one like
really well oh um uh yeah okay ok know mean sort kind get got go going gonna said says say
didnt dont doesnt isnt wasnt werent wont wouldnt couldnt shouldnt cant im ive id ill youre
youve youd hes shes its were theyre theyve thats theres whats lets hed shed theyd wed weve
""".split())
QUOTED = re.compile(
    r"“([^“”]{1,400})”|\"([^\"\n]{1,400})\"|(?<!\w)‘([^‘’\n]{1,400})’(?!\w)"
    r"|«\s?([^«»]{1,400}?)\s?»|„([^„“”]{1,400})[“”]|‹\s?([^‹›\n]{1,400}?)\s?›"
    r"|「([^「」]{1,400})」|『([^『』]{1,400})』")


@dataclass(frozen=True)
class Hit:
    """A span of a passage's cleaned text: where it starts and ends, the participant whose
    words it carries, and the rule."""

    start: int
    end: int
    who: str
    rule: str


def content_words(gram: tuple[str, ...]) -> int:
    """How many words of ``gram`` are content words (not in :data:`STOPWORDS`)."""
    return sum(w not in STOPWORDS for w in gram)


def grams(texts: Sequence[tuple[str, ...]], run: int = RUN,
          content: int = CONTENT) -> set[tuple[str, ...]]:
    """Every run of ``run`` words in ``texts`` with at least ``content`` content words."""
    return {g for t in texts for i in range(len(t) - run + 1)
            if content_words(g := t[i:i + run]) >= content}


def gram_index(sources: dict[str, set[tuple[str, ...]]]) -> dict[tuple[str, ...], list[str]]:
    """Run -> the participants whose words contain it, from participant -> runs
    (:func:`grams`), so a passage is read once whatever the number of participants."""
    index: dict[tuple[str, ...], list[str]] = {}
    for who, known in sorted(sources.items()):
        for gram in known:
            index.setdefault(gram, []).append(who)
    return index


def withheld_runs(text: str, index: dict[tuple[str, ...], list[str]],
                  run: int = RUN) -> Iterator[Hit]:
    """Spans of cleaned ``text`` made of runs found in ``index`` (:func:`gram_index`);
    overlapping runs of one participant merge into one span.

    The text's runs are looked up as ``zip`` makes them, from its words alone
    (:func:`~build_site.privacy.texts.normalised`); the words' places are read
    (:func:`~build_site.privacy.texts.tokens`, the same words) only for a text that holds a
    run, which most do not (issue 25, checks3)."""
    norm = normalised(text)
    # The shortest tail ends the runs: len(norm) - run + 1 of them, as a slice per start.
    found = [i for i, gram in enumerate(zip(*(norm[k:] for k in range(run)), strict=False))
             if gram in index]
    if not found:
        return
    words = tokens(text)
    covered: dict[str, list[bool]] = {}
    for i in found:
        for who in index[tuple(norm[i:i + run])]:
            covered.setdefault(who, [False] * len(words))[i:i + run] = [True] * run
    for who, marks in sorted(covered.items()):
        yield from (Hit(words[a][1], words[b][2], who, "withheld-words")
                    for a, b in _stretches(marks))


def _stretches(covered: list[bool]) -> Iterator[tuple[int, int]]:
    start = None
    for i, on in enumerate([*covered, False]):
        if on and start is None:
            start = i
        elif not on and start is not None:
            yield start, i - 1
            start = None


def quoted_spans(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, inner text) of each span in quotation marks in cleaned ``text``."""
    for m in QUOTED.finditer(text):
        group = m.lastindex or 0
        yield m.start(group), m.end(group), m.group(group)


def attributed(inner: str, passage: Passage, voices: dict[str, Voice]) -> str | None:
    """Whose words quoted ``inner`` presents itself as: the passage's subjects whose words
    contain it (a participant who may not be quoted first), else any participant's, else the
    passage's first subject; None for a passage about no one."""
    seq = tuple(normalised(inner))
    if not seq:
        return None
    holders = [w for w in passage.about if w in voices and _contains(voices[w], seq)]
    if not holders:  # the words of someone the passage is not about
        holders = [w for w, v in voices.items() if w not in passage.about and _contains(v, seq)]
    holders.sort(key=lambda w: voices[w].quotable)  # stable: a withheld voice wins a tie
    if holders:
        return holders[0]
    return passage.about[0] if passage.about else None


def _contains(voice: Voice, seq: tuple[str, ...]) -> bool:
    return f" {' '.join(seq)} " in voice.joined


def withheld_hits(passage: Passage, voices: dict[str, Voice],
                  index: dict[tuple[str, ...], list[str]],
                  cleaned: str | None = None) -> list[Hit]:
    """Both rules over one passage.

    Args:
        passage: published free text.
        voices: every participant's words (participant -> :class:`Voice`).
        index: the runs of the participants who may not be quoted (:func:`gram_index`).
        cleaned: ``clean(passage.text)`` when the caller has it already (else made here).

    Returns:
        The hits, in the order of the text.
    """
    text = clean(passage.text) if cleaned is None else cleaned
    hits = list(withheld_runs(text, index))
    for start, end, inner in quoted_spans(text):
        who = attributed(inner, passage, voices)
        voice = voices.get(who) if who else None
        withheld = voice is not None and not voice.quotable
        if withheld and who is not None and not any(h.start <= start and end <= h.end
                                                    for h in hits):
            hits.append(Hit(start, end, who, "quoted-withheld"))
    return sorted(hits, key=lambda h: (h.start, h.rule))
