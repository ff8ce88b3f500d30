"""An excerpt's figure as pages show it, built as a string (issue 25).

This was the ``excerpt`` macro of ``_macros.j2``, the template work every component, case,
results and relations page repeats (7,235 figures at 230 dyads, a third of the render stage's
Jinja time). It writes the same bytes: every value a template printed goes through the
environment's ``finalize`` (:func:`~build_site.render.context.markdown_safe`) and autoescape,
here :func:`_out`; ``tests/render/test_excerpt_html.py`` compares it with the macro for every
excerpt of the bundled and OSCE studies, public and review.

Search: at its home (its case's page, where ``excerpt_url`` points) an excerpt is its own
search entry (a heading carrying its anchor starts a section under both engines' indexers);
every copy elsewhere is left out of the index, so a quote search lands on the excerpt itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from markupsafe import Markup, escape

from build_site.analyse import Quote
from build_site.study import ContextTurn, in_sentence

WITHHELD_TURN = "no consent to be quoted in public"


def _out(value: Any, finalize: Callable[[Any], Any]) -> str:
    """What ``{{ value }}`` prints in the package's templates: finalized, then escaped.

    ``escape`` keeps a ``Markup`` as it is and changes a string without ``&<>'"`` in
    nothing: those two (ids, and text the finalize made safe) skip its call and the copy it
    makes (called about 475,000 times at 1,000 dyads). A plain string is printed once per
    ``finalize`` and kept (:func:`_printed`: ids, labels and words recur on every row and
    page)."""
    if type(value) is str:
        return _printed(value, finalize)
    return _shown(value, finalize)


@lru_cache(maxsize=1 << 16)
def _printed(value: str, finalize: Callable[[Any], Any]) -> str:
    """:func:`_out` of a plain string (``finalize`` is a pure function: the environment's
    :func:`~build_site.render.context.markdown_safe`, or ``str``)."""
    return _shown(value, finalize)


def _shown(value: Any, finalize: Callable[[Any], Any]) -> str:
    shown = finalize(value)
    if type(shown) is Markup:
        return str(shown)
    if type(shown) is str and not ("&" in shown or "<" in shown or ">" in shown
                                   or "'" in shown or '"' in shown):
        return shown
    return str(escape(shown))


@dataclass(frozen=True)
class _Pieces:
    """What :meth:`ExcerptWriter.figure` prints of an excerpt on every page alike, kept by
    the excerpt object's ``id`` (``excerpt`` holds it, so the id is not reused while kept, and
    another object with that id, or an equal excerpt that is another object, is made anew)."""

    excerpt: Any
    eid: str
    classes: str
    speaker: str
    body: str
    flags: str


@dataclass(frozen=True)
class ExcerptWriter:
    """The page-bound helpers an excerpt figure needs (those :meth:`RenderContext.render`
    gives every template) and the environment's ``finalize``; ``words``, an excerpt's words
    as a figure prints them by the text, may be shared by every page of a site that gives
    the same ``text`` and ``finalize`` (an excerpt is shown on about four pages); so may
    ``pieces``, what a figure prints alike on every page (:meth:`figure`), by every page of a
    site that gives the same ``speaker_label``, ``withheld``, ``review`` and ``finalize``."""

    excerpt_url: Callable[[Quote], Markup]
    url: Callable[[str], Markup]
    speaker_label: Callable[[Quote], str]
    text: Callable[[str], Markup]
    code_chips: Callable[[list[str], bool], Markup]
    withheld: Callable[[Quote], str]
    review: bool
    dyad_label: str
    clinician_label: str
    finalize: Callable[[Any], Any]
    words: dict[str, str] = field(default_factory=dict)
    pieces: dict[int, _Pieces] = field(default_factory=dict)
    patient_label: str = "Patient"  # who speaks a context turn: the study's labels

    def figure(self, q: Quote, show_case: bool = True, heading_level: int = 0,
               compact: bool = False) -> Markup:
        """The excerpt's ``<figure>``; ``show_case`` adds links to its dyad and clinician;
        ``compact`` leaves out the chip naming this very page and the chips' tooltips (a large
        study's component pages, :mod:`build_site.render.large_pages`). ``heading_level`` is
        accepted, as the macro accepted it, and unused.

        What does not depend on the page (:meth:`_pieces`) is made once per excerpt object
        and kept in ``pieces``; the links and chips are the page's."""
        out = self.finalize
        e = q.excerpt
        kept = self.pieces.get(id(e))
        if kept is None or kept.excerpt is not e:
            kept = self.pieces[id(e)] = self._pieces(q)
        eid, speaker = kept.eid, kept.speaker
        link = self.excerpt_url(q)
        if link.startswith("#"):  # its home: its own search entry
            parts = [f'<figure class="{kept.classes}" data-excerpt="{eid}">\n'
                     f'<h3 class="bs-excerpt-title" id="{eid}">Excerpt {eid} · {speaker}</h3>\n']
        else:
            parts = [f'<figure class="{kept.classes}" id="{eid}" data-search-exclude="true">\n']
        parts.append(kept.body)
        parts.append(f'<figcaption><a class="bs-cite" href="{_out(link, out)}" '
                     f'title="Link to this excerpt">{eid}</a> · '
                     f'<span class="bs-speaker">{speaker}</span>')
        if show_case:
            parts.append(" · ")
            if q.dyad:
                parts.append(f'<a href="{_out(self.url("dyads/" + str(q.dyad) + ".md"), out)}">'
                             f"{_out(in_sentence(self.dyad_label), out)} {_out(q.dyad, out)}"
                             "</a>")
                if q.clinician:
                    parts.append(", ")
            if q.clinician:
                parts.append(
                    f'<a href="{_out(self.url("clinicians/" + str(q.clinician) + ".md"), out)}">'
                    f"{_out(in_sentence(self.clinician_label), out)} {_out(q.clinician, out)}"
                    "</a>")
        chips = _out(self.code_chips(e.codes, compact), out)
        parts.append(f'{kept.flags}<br><span class="bs-chips">{chips}</span></figcaption>\n'
                     "</figure>")
        return Markup("".join(parts))

    def _pieces(self, q: Quote) -> _Pieces:
        """The parts of ``q``'s figure that are the same on every page: its id, classes and
        speaker as printed, its words and context turns, and its flags."""
        out = self.finalize
        e = q.excerpt
        classes = (f"bs-excerpt speaker-{_out(e.speaker.value, out)}"
                   + (" disconfirming" if e.disconfirming else "")
                   + (" exemplar" if e.exemplar else "")
                   + (" contrast" if e.contrast else ""))
        words = self.words.get(e.text)
        if words is None:
            words = self.words[e.text] = _out(self.text(e.text), out)
        body = f"<blockquote><p>{words}</p></blockquote>\n"
        if e.context_turns:
            body += self._context(e.context_turns) + "\n"
        flags = []
        if e.exemplar:
            flags.append(' · <span class="bs-flag">Exemplar</span>')
        if e.disconfirming:
            flags.append(' · <span class="bs-flag">Disconfirming</span>')
        if e.contrast:
            flags.append(' · <span class="bs-flag">Contrastive comment</span>')
        if self.review and self.withheld(q):
            flags.append(' · <span class="bs-flag">Not for publication: '
                         f"{_out(self.withheld(q), out)}</span>")
        return _Pieces(e, _out(e.id, out), classes, _out(self.speaker_label(q), out), body,
                       "".join(flags))

    def _context(self, turns: list[ContextTurn]) -> str:
        """Issue 21.1: the turns of the transcript the team chose to show around an excerpt,
        collapsed, numbered by their line in the transcript; kept out of the search index
        (the excerpt is the entry). One line, inside the excerpt's figure."""
        out = self.finalize
        items = []
        for t in turns:
            if t.position == "excerpt":
                words = "<em>the excerpt above</em>"
            elif t.withheld and not t.text:
                words = "<em>[words not published]</em>"
            else:
                words = _out(self.text(t.text), out)
                if t.withheld:
                    words += f' <span class="bs-flag">Not for publication: {WITHHELD_TURN}</span>'
            items.append(f'<li value="{_out(t.line, out)}" class="bs-turn-{_out(t.position, out)}">'
                         f'<span class="bs-turn-speaker">{_out(self._turn_speaker(t), out)}:'
                         f"</span> {words}</li>")
        return ('<details class="bs-context" data-search-exclude="true"><summary>In context: '
                'the transcript around this excerpt</summary><ol class="bs-turns">'
                + "".join(items)
                + '</ol><p class="bs-context-note">Numbers are lines of the transcript.</p>'
                "</details>")


    def _turn_speaker(self, turn: ContextTurn) -> str:
        """Who speaks a context turn, as the study labels them ("Carer" for the patient of a
        study whose ``labels.patient`` says so); an interviewer or another person present by
        their role."""
        return {"patient": self.patient_label, "clinician": self.clinician_label}.get(
            turn.speaker, turn.speaker.capitalize())

def dyad_links(ids: Iterable[Any], url: Callable[[str], Markup],
               finalize: Callable[[Any], Any]) -> Markup:
    """Links to the dyads ``ids`` from a page (``url``: its helper), ", " between them, or
    "none on this site": what the ``dyad_links`` macro of ``_macros.j2`` printed (each value
    through ``finalize`` and the escape, :func:`_out`; ``'dyads/' ~ d ~ '.md'`` as ``~``
    joins a plain id). 4,566 calls at 1,000 dyads (the clinician matrix, the model's index,
    the component pages); ``tests/render/test_excerpt_html.py`` compares it with the macro."""
    links = [f'<a href="{_out(url("dyads/" + str(d) + ".md"), finalize)}">{_out(d, finalize)}</a>'
             for d in ids]
    return Markup(", ".join(links) if links else "none on this site")

