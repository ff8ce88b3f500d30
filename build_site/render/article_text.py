"""Article-shaped text generated for the site (issue 23 item 3): the demonstration note, the
supplement tables S1 and S2, the data availability statement, the methods page's sections in
an article's order and each round's interview guide.

Every number here is a study-level aggregate (:mod:`build_site.consent.aggregates`): no per-case
consent mark appears, and table cells follow the small-cell rule of
:func:`build_site.analyse.suppress.protect` (already applied to the demographics tables).
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from build_site.analyse.evidence import Table
from build_site.analyse.suppress import HIDDEN
from build_site.consent.aggregates import excerpt_count
from build_site.consent.archive import left_out
from build_site.render.html import narrative_html
from build_site.study import Consent, Study, StudyMeta

# Said when the team gives no demonstration_note: nothing about who or what is invented, which
# only the team knows (a study may use real transcripts of simulated encounters).
DEFAULT_DEMONSTRATION = "This is a demonstration study: what it reports are not research findings."


def demonstration_note(meta: StudyMeta) -> str:
    """The home page's note on a demonstration study: the team's ``demonstration_note`` on one
    line, else :data:`DEFAULT_DEMONSTRATION`."""
    return " ".join(meta.demonstration_note.split()) or DEFAULT_DEMONSTRATION


@dataclass(frozen=True)
class SupplementRow:
    """One row of a supplement table: a characteristic's heading (``value`` empty) or one of
    its values with ``n (%)``."""

    label: str
    value: str = ""
    shown: str = ""


@dataclass(frozen=True)
class SupplementTable:
    """A supplement table in a paper's Table 1 shape: number, caption, n, rows, footnote."""

    number: str
    anchor: str
    caption: str
    unit: str
    n: int
    rows: list[SupplementRow]
    multi: bool = False

    @property
    def percentages(self) -> bool:
        """Whether any row shows a percentage (a count not hidden)."""
        return any("(" in row.shown for row in self.rows)


def _n_percent(count: str, n: int) -> str:
    """``count`` of ``n`` as ``3 (60)``, or the hidden word as it stands. Percentages are
    rounded half up to whole numbers (a paper's Table 1 convention)."""
    if not count.isdigit() or n == 0:
        return count
    return f"{count} ({int(100 * int(count) / n + 0.5)})"


def supplement_table(number: str, caption: str, unit: str, table: Table) -> SupplementTable:
    """``table`` (a suppressed demographics table) as a supplement table: a heading row per
    characteristic, then each value with n (%). A characteristic not broken down keeps its
    one explanatory row. ``unit`` names what ``table.n`` counts ("patients"); ``multi`` is
    set when a characteristic's shown counts add to more than n (a list of conditions)."""
    rows: list[SupplementRow] = []
    last = ""
    totals: dict[str, int] = {}
    for label, value, count in table.rows:
        if count == HIDDEN and value.startswith("not broken down"):
            rows.append(SupplementRow(label, value, ""))
            last = label
            continue
        if label != last:
            rows.append(SupplementRow(label))
            last = label
        rows.append(SupplementRow(label, value, _n_percent(count, table.n)))
        totals[label] = totals.get(label, 0) + (int(count) if count.isdigit() else 0)
    return SupplementTable(number, f"table-{number.lower()}", caption, unit, table.n, rows,
                           any(total > table.n for total in totals.values()))


@dataclass(frozen=True)
class Availability:
    """The facts of the data availability statement, all study-level counts."""

    participants: int
    quoted: int
    archived: int
    excerpts_shown: int
    excerpts_archived: int
    cases_not_archived: int
    licence: str
    deposit: str
    requests: str
    transcripts: str


def _consents(study: Study) -> list[Consent]:
    """Every participant's consent record in ``study``: clinicians, patients and the others
    present whose consent the team recorded."""
    records = [c.consent for c in study.clinicians]
    for dyad in study.dyads:
        records.append(dyad.consent.patient)
        records.extend(dyad.consent.others.values())
    return [c for c in records if not c.withdrawn]


def availability(coded: Study, shown: Study) -> Availability:
    """The data availability facts.

    Args:
        coded: every case the team coded and may see (its consent records are counted).
        shown: what this build publishes (its excerpts are counted).
    """
    consents = _consents(coded)
    out = left_out(shown)
    meta = shown.meta
    return Availability(
        participants=len(consents),
        quoted=sum(c.allows_public_quote() for c in consents),
        archived=sum(c.archive for c in consents),
        excerpts_shown=excerpt_count(shown),
        excerpts_archived=excerpt_count(shown) - len(out.excerpts),
        cases_not_archived=len(out.clinicians) + len(out.dyads),
        licence=meta.license,
        deposit=" ".join(meta.data_availability.deposit.split()),
        requests=" ".join(meta.data_availability.requests.split()),
        transcripts=" ".join(meta.data_availability.transcripts.split()),
    )


# The methods page in an article's order (issue 23 item 3). Each section lists its blocks: a
# ``methods`` key of study.yml, or a block the page computes ("@sample", "@interviews"...).
# Anchors stay those of the earlier page, which the reporting checklists point to.
METHODS_ORDER: list[tuple[str, str, list[str]]] = [
    ("Design", "section-design", ["problem", "question", "approach", "data_source"]),
    ("Setting and sampling", "section-setting-and-sampling",
     ["setting", "@sample", "recruitment", "non_participation", "participants"]),
    ("Data collection", "section-data-collection",
     ["@interviewer", "@interviews", "recording", "field_notes", "repeat_interviews",
      "transcripts_returned", "@data_processing"]),
    ("Analysis", "section-analysis",
     ["@analysis", "coding", "coders", "software", "@saturation"]),
    ("Rigour and reflexivity", "section-rigour-and-reflexivity",
     ["@team", "reflexivity", "@member_checking", "limitations"]),
    ("Ethics", "section-ethics", ["ethics", "@data_availability"]),
    ("Other information", "section-other", ["prior_work", "conflicts", "funding"]),
]
METHODS_TITLES = {
    "problem": "Problem", "question": "Research question", "data_source": "Data source",
    "non_participation": "Non-participation", "field_notes": "Field notes",
    "repeat_interviews": "Repeat interviews", "transcripts_returned": "Transcripts returned",
    "prior_work": "Prior work", "coders": "Coders", "ethics": "Approval and consent",
}


@dataclass(frozen=True)
class MethodsBlock:
    """One block of the methods page: ``kind`` "text" (a ``methods`` entry: ``title``,
    ``anchor``, ``value``) or the name of a computed block ("sample", "interviews"...)."""

    kind: str
    title: str = ""
    anchor: str = ""
    value: str = ""


def methods_sections(meta: StudyMeta, anchor_of: dict[str, str]
                     ) -> list[tuple[str, str, list[MethodsBlock]]]:
    """The methods page's sections in :data:`METHODS_ORDER`, each with the blocks this study
    has; a section with none is left out. ``methods`` keys the order does not name (a team's
    own) go last, under "Other information".

    Args:
        meta: the study's ``study.yml``.
        anchor_of: ``methods`` key -> its anchor on the page
            (:func:`build_site.analyse.standards.methods_anchor`).
    """
    present = {
        "@sample": True, "@interviews": True, "@data_processing": True,
        "@data_availability": True,
        "@interviewer": meta.interviewer is not None,
        "@analysis": bool(meta.analysis_steps or meta.methods.get("analysis")),
        "@saturation": meta.saturation is not None,
        "@team": bool(meta.team),
        "@member_checking": meta.member_checking is not None,
    }
    placed = {key for _, _, keys in METHODS_ORDER for key in keys}
    placed |= {"sampling", "interviews", "analysis", "data_processing"}  # inside computed blocks
    sections = []
    for title, anchor, keys in METHODS_ORDER:
        extra = ([k for k in meta.methods if k not in placed]
                 if anchor == "section-other" else [])
        blocks = []
        for key in [*keys, *extra]:
            if key.startswith("@"):
                if present[key]:
                    blocks.append(MethodsBlock(key[1:]))
            elif meta.methods.get(key):
                blocks.append(MethodsBlock(
                    "text", METHODS_TITLES.get(key, key.replace("_", " ").capitalize()),
                    anchor_of.get(key, key.replace("_", "-")), meta.methods[key]))
        if blocks:
            sections.append((title, anchor, blocks))
    return sections


@dataclass(frozen=True)
class RoundView:
    """One round of the interview guide as its page shows it: name, the interviews it was
    used for (``first``, ``last``: interview orders, 0 when not recorded), the changes and the
    guide as sanitised HTML."""

    name: str
    first: int
    last: int
    changes: Markup
    guide: Markup


def guide_rounds(meta: StudyMeta) -> list[RoundView]:
    """Each round of ``meta.interview_guide_rounds`` in order; a round used until the next
    one starts (``last`` is the next round's ``from_interview`` minus one, 0 for the last)."""
    rounds = meta.interview_guide_rounds
    views = []
    for i, entry in enumerate(rounds):
        following = rounds[i + 1].from_interview if i + 1 < len(rounds) else None
        views.append(RoundView(
            str(entry.round), entry.from_interview or 0,
            following - 1 if following and entry.from_interview else 0,
            narrative_html(entry.changes), narrative_html(entry.guide)))
    return views
