"""Reporting standards for qualitative research, item by item, and where a site reports them.

Item wording is our own paraphrase. Sources:
COREQ: Tong A, Sainsbury P, Craig J. Consolidated criteria for reporting qualitative research
(COREQ): a 32-item checklist for interviews and focus groups. Int J Qual Health Care.
2007;19(6):349-357. SRQR: O'Brien BC, Harris IB, Beckman TJ, Reed DA, Cook DA. Standards for
reporting qualitative research: a synthesis of recommendations. Acad Med. 2014;89(9):1245-1251.

For each item, the team's confirmed entry (``study.yml`` ``reporting``: a status, where, who
and when) wins; a bare location is the team's but unconfirmed. Otherwise the tool may suggest
the site page that holds the facts, for the review build only, as a suggestion to confirm; it
never suggests COREQ items 30 to 32, which are a reviewer's judgement of the findings
(issue 19 item 4). A checklist is a reporting guide, not a quality score: nothing here counts.
"""

from __future__ import annotations

from dataclasses import dataclass

from build_site.study import ChecklistEntry, Study

# A reviewer's judgement of the findings, never a location the tool can point to.
NEVER_SUGGESTED = frozenset({"30", "31", "32"})
STATUS_WORDS = {"reported": "Reported", "reported-as-not-done": "Reported as not done",
                "not-applicable": "Not applicable", "not-reported": "Not reported"}

COREQ_CITATION = (
    "Tong A, Sainsbury P, Craig J. Consolidated criteria for reporting qualitative research "
    "(COREQ): a 32-item checklist for interviews and focus groups. Int J Qual Health Care. "
    "2007;19(6):349-357."
)
SRQR_CITATION = (
    "O'Brien BC, Harris IB, Beckman TJ, Reed DA, Cook DA. Standards for reporting qualitative "
    "research: a synthesis of recommendations. Acad Med. 2014;89(9):1245-1251."
)

# (item, domain, title, what a reader looks for, sources in order of preference)
# A source is "methods:<key>", "interviewer:<field>", or a fixed site location "page#anchor"
# guarded by a condition name after "?" (team, guide, steps, member_checking, others).
_COREQ: list[tuple[str, str, str, str, list[str]]] = [
    ("1", "Research team and reflexivity", "Interviewer or facilitator",
     "Which author or authors conducted the interviews.", ["interviewer:name"]),
    ("2", "Research team and reflexivity", "Credentials",
     "The interviewer's qualifications (e.g. PhD, MD).", ["interviewer:credentials"]),
    ("3", "Research team and reflexivity", "Occupation",
     "What the interviewer did for a living at the time of the study.",
     ["interviewer:occupation"]),
    ("4", "Research team and reflexivity", "Gender", "The interviewer's gender.",
     ["interviewer:gender"]),
    ("5", "Research team and reflexivity", "Experience and training",
     "What experience or training in interviewing the researcher had.",
     ["interviewer:experience"]),
    ("6", "Research team and reflexivity", "Relationship established",
     "Whether a relationship existed with participants before the study began.",
     ["interviewer:relationship"]),
    ("7", "Research team and reflexivity", "Participant knowledge of the interviewer",
     "What participants knew about the researcher, such as personal goals or reasons.",
     ["interviewer:participant_knowledge"]),
    ("8", "Research team and reflexivity", "Interviewer characteristics",
     "Characteristics reported about the interviewer, such as bias, assumptions or interests.",
     ["interviewer:characteristics", "methods:reflexivity"]),
    ("9", "Study design", "Methodological orientation and theory",
     "The orientation behind the study, e.g. grounded theory or content analysis.",
     ["methods:approach"]),
    ("10", "Study design", "Sampling", "How participants were selected.", ["methods:sampling"]),
    ("11", "Study design", "Method of approach",
     "How participants were approached (face to face, telephone, mail, e-mail).",
     ["methods:recruitment"]),
    ("12", "Study design", "Sample size", "How many took part.",
     ["methods/index.md#sample?always"]),
    ("13", "Study design", "Non-participation",
     "How many refused or dropped out, and why.", ["methods:non_participation"]),
    ("14", "Study design", "Setting of data collection",
     "Where the data were collected (home, clinic, workplace).", ["methods:setting"]),
    ("15", "Study design", "Presence of non-participants",
     "Whether anyone else was present besides participants and researchers.",
     ["methods/index.md#interviews?always"]),
    ("16", "Study design", "Description of sample",
     "Important characteristics of the sample, such as demographics.",
     ["data/demographics.md?always"]),
    ("17", "Study design", "Interview guide",
     "Whether questions or prompts were provided by the authors and pilot tested.",
     ["methods/interview-guide.md?guide"]),
    ("18", "Study design", "Repeat interviews", "Whether interviews were repeated, and how often.",
     ["methods:repeat_interviews"]),
    ("19", "Study design", "Audio or visual recording",
     "Whether the research used audio or visual recording to collect the data.",
     ["methods:recording", "methods:interviews"]),
    ("20", "Study design", "Field notes",
     "Whether field notes were made during or after the interviews.",
     ["methods:field_notes", "methods:reflexivity"]),
    ("21", "Study design", "Duration", "How long the interviews lasted.",
     ["methods/index.md#interviews?durations"]),
    ("22", "Study design", "Data saturation", "Whether data saturation was discussed.",
     ["analysis/saturation.md?always"]),
    ("23", "Study design", "Transcripts returned",
     "Whether transcripts were returned to participants for comment or correction.",
     ["methods:transcripts_returned"]),
    ("24", "Analysis and findings", "Number of data coders", "How many people coded the data.",
     ["methods:coders", "methods/index.md#team?team"]),
    ("25", "Analysis and findings", "Description of the coding tree",
     "Whether the authors described the coding tree.", ["data/codebook.md?always"]),
    ("26", "Analysis and findings", "Derivation of themes",
     "Whether themes were identified in advance or derived from the data.",
     ["methods/index.md#analysis?steps", "methods:analysis"]),
    ("27", "Analysis and findings", "Software", "What software, if any, managed the data.",
     ["methods:software"]),
    ("28", "Analysis and findings", "Participant checking",
     "Whether participants gave feedback on the findings.",
     ["methods/index.md#member-checking?member_checking"]),
    ("29", "Analysis and findings", "Quotations presented",
     "Whether quotations illustrate the themes, each identified (e.g. by participant number).",
     ["analysis/excerpts.md?always"]),
    ("30", "Analysis and findings", "Data and findings consistent",
     "Whether the data presented agree with the findings.", ["analysis/matrix.md?always"]),
    ("31", "Analysis and findings", "Clarity of major themes",
     "Whether the major themes are clearly presented.", ["model/index.md?always"]),
    ("32", "Analysis and findings", "Clarity of minor themes",
     "Whether diverse cases or minor themes are described.",
     ["model/index.md#disconfirming?always"]),
]

_SRQR: list[tuple[str, str, str, str, list[str]]] = [
    ("S1", "Title and abstract", "Title",
     "A concise description of the study's nature and topic, naming it as qualitative.",
     ["index.md?always"]),
    ("S2", "Title and abstract", "Abstract",
     "A summary of the key elements of the study.", ["index.md?overview"]),
    ("S3", "Introduction", "Problem formulation",
     "The problem studied, its significance and what is already known.",
     ["methods:problem"]),
    ("S4", "Introduction", "Purpose or research question",
     "The purpose of the study and its objectives or questions.", ["methods:question"]),
    ("S5", "Methods", "Qualitative approach and research paradigm",
     "The approach (e.g. grounded theory) and, as relevant, the paradigm, with the reasons.",
     ["methods:approach"]),
    ("S6", "Methods", "Researcher characteristics and reflexivity",
     "The researchers' characteristics that may influence the research, and how handled.",
     ["methods:reflexivity", "methods/index.md#team?team"]),
    ("S7", "Methods", "Context", "The setting and the salient contextual factors.",
     ["methods:setting"]),
    ("S8", "Methods", "Sampling strategy",
     "How and why participants were chosen, and when sampling stopped.", ["methods:sampling"]),
    ("S9", "Methods", "Ethical issues pertaining to human subjects",
     "Ethics approval, consent, and confidentiality.", ["methods:ethics"]),
    ("S10", "Methods", "Data collection methods",
     "The kinds of data collected, the procedures, and any changes during the study.",
     ["methods:interviews", "methods/index.md#interviews?always"]),
    ("S11", "Methods", "Data collection instruments and technologies",
     "The instruments (e.g. interview guide) and devices used.",
     ["methods/interview-guide.md?guide"]),
    ("S12", "Methods", "Units of study",
     "The number and characteristics of participants and other units.",
     ["data/demographics.md?always"]),
    ("S13", "Methods", "Data processing",
     "How data were handled: transcription, data management, de-identification.",
     ["methods/index.md#data-processing?always"]),
    ("S14", "Methods", "Data analysis",
     "How themes and inferences were developed, by whom, and the approach used.",
     ["methods/index.md#analysis?steps", "methods:analysis"]),
    ("S15", "Methods", "Techniques to enhance trustworthiness",
     "Techniques such as member checking, audit trail or triangulation.",
     ["methods/index.md#member-checking?member_checking"]),
    ("S16", "Results", "Synthesis and interpretation",
     "The main findings, with a theory or model where one was developed.",
     ["model/index.md?always"]),
    ("S17", "Results", "Links to empirical data",
     "Evidence such as quotations that substantiate the findings.",
     ["analysis/matrix.md?always"]),
    ("S18", "Discussion", "Integration with prior work, implications and contribution",
     "How the findings relate to earlier work, their transferability and contribution.",
     ["methods:prior_work"]),
    ("S19", "Discussion", "Limitations", "The trustworthiness and limits of the findings.",
     ["methods:limitations"]),
    ("S20", "Other", "Conflicts of interest",
     "Sources of influence or conflict and how they were managed.", ["methods:conflicts"]),
    ("S21", "Other", "Funding", "Sources of funding and the funders' role.", ["methods:funding"]),
]


@dataclass(frozen=True)
class Item:
    """One checklist item and where it is reported.

    ``status`` is a confirmed status (``reported``, ``reported-as-not-done``,
    ``not-applicable``, ``not-reported``), ``team`` (a bare location from study.yml, not
    confirmed), ``suggested`` (a site page that holds the facts: review build only),
    ``judgement`` (COREQ 30 to 32 unconfirmed: the reader's judgement), or ``missing``.
    ``page``/``anchor`` point into the site when known; ``location`` is free text; ``quote``
    the team's quoted sentence; ``reason`` why an item does not apply;
    ``by``/``on`` who confirmed it and when.
    """

    id: str
    domain: str
    title: str
    question: str
    status: str
    page: str = ""
    anchor: str = ""
    location: str = ""
    quote: str = ""
    reason: str = ""
    by: str = ""
    on: str = ""

    @property
    def confirmed(self) -> bool:
        """Whether the team confirmed this item (initials and a date)."""
        return bool(self.by)


# Methods entries the methods page places in a section of its own.
PLACED = {"approach": "approach", "sampling": "sample", "interviews": "interviews",
          "analysis": "analysis", "data_processing": "data-processing"}


def methods_anchor(key: str) -> str:
    """The anchor of a ``methods`` entry on the methods page."""
    return PLACED.get(key, key.replace("_", "-"))


def _condition(study: Study, name: str) -> bool:
    meta = study.meta
    return {
        "always": True,
        "overview": bool(meta.overview),
        "team": bool(meta.team),
        "guide": bool(meta.interview_guide),
        "steps": bool(meta.analysis_steps),
        "member_checking": meta.member_checking is not None,
        "durations": any(d.interview.duration_minutes for d in study.dyads),
    }.get(name, False)


def _suggest(study: Study, sources: list[str]) -> tuple[str, str] | None:
    for source in sources:
        if source.startswith("methods:"):
            key = source.split(":", 1)[1]
            if study.meta.methods.get(key):
                return "methods/index.md", methods_anchor(key)
        elif source.startswith("interviewer:"):
            field = source.split(":", 1)[1]
            if study.meta.interviewer and getattr(study.meta.interviewer, field):
                return "methods/index.md", "interviewer"
        else:
            location, _, condition = source.partition("?")
            if _condition(study, condition or "always"):
                page, _, anchor = location.partition("#")
                return page, anchor
    return None


def _where(where: str) -> dict[str, str]:
    page, _, anchor = where.strip().partition("#")
    if page.endswith(".md"):
        return {"page": page, "anchor": anchor}
    return {"location": where.strip()} if where.strip() else {}


def _confirmed(head: tuple[str, str, str, str], entry: ChecklistEntry) -> Item:
    return Item(*head, status=entry.status.value, quote=entry.quote.strip(),
                reason=entry.reason.strip(), by=entry.by, on=entry.on, **_where(entry.where))


def _items(study: Study, table: list[tuple[str, str, str, str, list[str]]],
           team: dict[str, str | ChecklistEntry]) -> list[Item]:
    items = []
    for item_id, domain, title, question, sources in table:
        entry = team.get(item_id, "")
        if isinstance(entry, ChecklistEntry):
            items.append(_confirmed((item_id, domain, title, question), entry))
            continue
        given = entry.strip()
        if item_id in NEVER_SUGGESTED and not given:
            items.append(Item(item_id, domain, title, question, "judgement"))
            continue
        if given:
            page, _, anchor = given.partition("#")
            if page.endswith(".md"):
                items.append(Item(item_id, domain, title, question, "team", page, anchor))
            else:
                items.append(Item(item_id, domain, title, question, "team", location=given))
            continue
        found = _suggest(study, sources)
        if found:
            items.append(Item(item_id, domain, title, question, "suggested", *found))
        else:
            items.append(Item(item_id, domain, title, question, "missing"))
    return items


def coreq_items(study: Study) -> list[Item]:
    """The 32 COREQ items with where this study reports each."""
    return _items(study, _COREQ, study.meta.reporting.coreq)


def srqr_items(study: Study) -> list[Item]:
    """The 21 SRQR items with where this study reports each."""
    return _items(study, _SRQR, study.meta.reporting.srqr)


def known_item_ids() -> tuple[set[str], set[str]]:
    """The valid COREQ and SRQR item ids (for validating ``study.yml``)."""
    return {i[0] for i in _COREQ}, {i[0] for i in _SRQR}
