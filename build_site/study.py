"""The typed study: pydantic models of every file in a study folder, and the ``Study`` aggregate.

These models are the input contract documented in ``guide/preparing-your-study.md``; the JSON
Schema shipped in ``build_site/schema/`` is generated from them. Unknown fields are refused so a
misspelt field name is reported instead of silently ignored.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable, Iterator
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from build_site.metadata.addresses import (
    DOI_PATTERN,
    WEB_PATTERN,
    doi_problem,
    web_address_problem,
)
from build_site.metadata.orcid import PATTERN as ORCID_PATTERN
from build_site.metadata.orcid import orcid_problem

Id = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=80)]
Scalar = str | int | float | bool
DemographicValue = Scalar | list[Scalar] | None


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# The most turns a team may show on either side of an excerpt: context, never the transcript.
MAX_CONTEXT_TURNS = 10


class Kind(StrEnum):
    """The three kinds of model component."""

    competency = "competency"
    process = "process"
    outcome = "outcome"


# The neutral default titles of the three kinds; a study names its own (``labels.kinds`` in
# study.yml, :class:`KindTitles`), and pages take them from there.
KIND_TITLES = {
    Kind.competency: "Competencies",
    Kind.process: "Processes",
    Kind.outcome: "Outcomes",
}


class Status(StrEnum):
    """Review status of a case study, in order of progress."""

    draft = "draft"
    team_reviewed = "team-reviewed"
    member_checked = "member-checked"
    approved = "approved"


class Element(_Model):
    """An element of a component (nested to any depth)."""

    id: Id
    label: str = Field(min_length=1)
    definition: str = ""
    elements: list[Element] = []


class Component(_Model):
    """A model component: a clinician competency, a relational process or a relational outcome."""

    id: Id
    kind: Kind
    label: str = Field(min_length=1)
    definition: str = ""
    elements: list[Element] = []


class KindRef(_Model):
    """A relation end that stands for every component of one kind."""

    kind: Kind


class Basis(StrEnum):
    """What a relation rests on, as the team declares it (issue 19: grounded-theory claims)."""

    PARTICIPANTS_WORDS = "participants-words"
    WITHIN_CASE_SEQUENCE = "within-case-sequence"
    CROSS_CASE_COMPARISON = "cross-case-comparison"
    MEMBER_CHECKING = "member-checking"
    PRIOR_LITERATURE = "prior-literature"


class Consequence(StrEnum):
    """What a negative or deviant case did to the model."""

    BOUNDARY_CONDITION = "boundary-condition-added"
    MODEL_REVISED = "model-revised"
    UNEXPLAINED = "left-unexplained"


class Conditions(_Model):
    """When a relation holds and when it does not, in the team's words."""

    holds_when: str = ""
    not_when: str = ""


class RelationCase(_Model):
    """A case the team chose for a relation: a dyad or a clinician id, a short within-case
    account, and the excerpts (ids) on each side of the arrow."""

    case: Id
    account: str = Field(min_length=1)
    excerpt_ids: list[Id] = []


class NegativeCase(RelationCase):
    """A negative or deviant case and its consequence for the model."""

    consequence: Consequence


class Relation(_Model):
    """A claimed relation between model components (or whole kinds), e.g. 'facilitates',
    with what it rests on (all optional): conditions, the declared basis, two to five
    illustrative cases, negative cases, the model version where it entered or changed, and
    the team's memo."""

    id: Id
    from_: Id | KindRef = Field(alias="from")
    to: Id | KindRef
    kind: str = Field(min_length=1)
    description: str = ""
    tentative: bool = False
    conditions: Conditions = Conditions()
    basis: list[Basis] = []
    illustrative_cases: list[RelationCase] = Field(default=[], max_length=5)
    negative_cases: list[NegativeCase] = []
    since: Annotated[str, StringConstraints(pattern=r"^$|^[A-Za-z0-9][A-Za-z0-9_.-]*$",
                                            max_length=40)] = ""
    memo: str = ""


class Model(_Model):
    """``model.yml``: the study's conceptual model."""

    version: str = ""
    components: list[Component] = Field(min_length=1)
    relations: list[Relation] = []


IsoDate = Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$"),
                    AfterValidator(lambda v: datetime.date.fromisoformat(v).isoformat())]


class Memo(_Model):
    """A dated analytic memo (a theoretical sampling memo, a note after a negative case): the
    reasoning that motivated a model version, published with it as the audit trail."""

    on: IsoDate
    title: str = Field(min_length=1)
    text: str = Field(min_length=1)


# How the codebook changed: a code added, merged into another, split into several, renamed, or
# retired.
CodebookChangeKind = Literal["added", "merged", "split", "renamed", "retired"]


# How many codes each kind of change takes (``codes``: before; ``into``: after), as
# (minimum, maximum or None) pairs.
_CHANGE_SHAPES: dict[str, tuple[tuple[int, int | None], tuple[int, int | None]]] = {
    "added": ((0, 0), (1, None)),
    "merged": ((2, None), (1, 1)),
    "split": ((1, 1), (2, None)),
    "renamed": ((1, 1), (1, 1)),
    "retired": ((1, None), (0, 0)),
}


class CodebookChange(_Model):
    """One change to the codebook made with a model version: ``codes`` as they were,
    ``into`` as they became (ids), and the team's note on why."""

    change: CodebookChangeKind
    codes: list[Id] = []
    into: list[Id] = []
    note: str = ""

    @model_validator(mode="after")
    def _shape(self) -> CodebookChange:
        for name, found, (low, high) in zip(("codes", "into"), (self.codes, self.into),
                                            _CHANGE_SHAPES[self.change], strict=True):
            if len(found) < low or (high is not None and len(found) > high):
                wanted = (f"exactly {low}" if low == high else
                          f"at least {low}" if high is None else f"{low} to {high}")
                raise ValueError(f"a '{self.change}' change names {wanted} code(s) in "
                                 f"'{name}', not {len(found)}")
        return self


class VersionEntry(_Model):
    """One entry of ``model-history/history.yml``: a model version, when and why; optionally
    the day it was settled (``on``), the dated memos that motivated it and the codebook
    changes made with it."""

    version: str = Field(min_length=1)
    date: str = ""
    on: IsoDate | None = None
    file: str = Field(min_length=1)
    reason: str = ""
    renamed: dict[str, str] = {}
    memos: list[Memo] = []
    codebook: list[CodebookChange] = []


class History(_Model):
    """``model-history/history.yml``: versions oldest first; the last is the current model."""

    versions: list[VersionEntry] = Field(min_length=1)


class ModelVersion(_Model):
    """A model version with its validated model."""

    entry: VersionEntry
    model: Model


class Code(_Model):
    """A codebook entry; ``component`` names the component, element or relation it evidences,
    or a list of them when the code does analytic work for several (a code spanning
    components: an excerpt coded with it evidences each)."""

    id: Id
    label: str = Field(min_length=1)
    definition: str = ""
    parent: Id | None = None
    component: Id | list[Id] | None = None
    colour: str | None = Field(default=None, pattern=r"^#(?:[0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})$")

    @field_validator("component")
    @classmethod
    def _distinct_targets(cls, value: str | list[str] | None) -> str | list[str] | None:
        if isinstance(value, list):
            if not value:
                raise ValueError("an empty list: name at least one component, or leave it out")
            repeated = sorted({v for v in value if value.count(v) > 1})
            if repeated:
                raise ValueError(f"named twice: {', '.join(repeated)}")
        return value

    @property
    def targets(self) -> tuple[str, ...]:
        """What the code evidences, in the codebook's order (empty when nothing)."""
        if self.component is None:
            return ()
        return (self.component,) if isinstance(self.component, str) else tuple(self.component)


class Codebook(_Model):
    """``codebook.yml``."""

    codes: list[Code] = Field(min_length=1)


def _valid_orcid(value: str) -> str:
    """An ORCID iD whose check digit is right (:mod:`build_site.metadata.orcid`), or ""."""
    problem = orcid_problem(value) if value else None
    if problem:
        raise ValueError(problem)
    return value


class Person(_Model):
    """A member of the research team."""

    name: str
    role: str = ""
    background: str = ""
    affiliation: str = ""
    orcid: Annotated[str, AfterValidator(_valid_orcid)] = Field(
        default="", json_schema_extra={"pattern": ORCID_PATTERN})


def _check(problem_of: Callable[[str], str | None]) -> Callable[[str], str]:
    """A pydantic after-validator raising ``problem_of(value)`` as a ValueError if any."""
    def check(value: str) -> str:
        problem = problem_of(value)
        if problem:
            raise ValueError(problem)
        return value
    return check


# http(s) only, read as a browser reads it; a bare DOI (build_site.metadata.addresses).
WebAddress = Annotated[str, AfterValidator(_check(web_address_problem)),
                       Field(json_schema_extra={"pattern": WEB_PATTERN})]
Doi = Annotated[str, AfterValidator(_check(doi_problem)),
                Field(json_schema_extra={"pattern": DOI_PATTERN})]


class Reference(_Model):
    """A citation: free text plus optional web address (http or https) and DOI."""

    text: str
    url: WebAddress | None = None
    doi: Doi | None = None


class Publication(_Model):
    """What the public site may show (``study.yml`` ``publication``).

    ``counts``: show excerpt counts in matrices and the codebook in the public build (the
    review build always shows them). Open coding tags telling excerpts, not every occurrence,
    so counts are not evidence strength; they are off by default.

    ``hide_clinician``: the public build does not show which clinician each dyad belongs to
    (clinicians in a study of named exemplars are few and findable). Dyads then carry neutral
    ids (``case_prefix`` and a number) in an order shuffled by ``case_key``, a secret the team
    keeps with the study folder; see :mod:`build_site.privacy.unlink`.
    """

    contrastive_comments: bool = False
    counts: bool = False
    dyad_demographics: list[str] = ["age", "gender", "conditions"]
    min_cell_size: int = Field(default=3, ge=1)
    age_band_width: int = Field(default=10, ge=1, le=50)
    hide_clinician: bool = False
    case_key: str = ""
    case_prefix: Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z_-]{0,19}$")] = "P"
    # The team's opt-in to publish the pairings of two accounts of one episode (issue 21
    # item 2); both participants must consent as well (build_site.perspectives).
    perspectives: bool = False


class Interviewer(_Model):
    """Who conducted the interviews (COREQ items 1-8)."""

    name: str = ""
    credentials: str = ""
    occupation: str = ""
    gender: str = ""
    experience: str = ""
    relationship: str = ""
    participant_knowledge: str = ""
    characteristics: str = ""


class AnalysisStep(_Model):
    """One step of the analysis, shown as a timeline on the methods page."""

    title: str = Field(min_length=1)
    when: str = ""
    description: str = ""


class Feedback(_Model):
    """Feedback from one participant during member checking."""

    participant: str = Field(min_length=1)
    summary: str = Field(min_length=1)


class MemberChecking(_Model):
    """How the findings were returned to participants, and what they said."""

    description: str = ""
    feedback: list[Feedback] = []


class Saturation(_Model):
    """The team's own judgement of saturation (the chart only describes the coding)."""

    after_interview: int | None = Field(default=None, ge=1)
    statement: str = ""


class ItemStatus(StrEnum):
    """A reporting-standard item's status as the team confirms it (issue 19 item 4)."""

    REPORTED = "reported"
    NOT_DONE = "reported-as-not-done"
    NOT_APPLICABLE = "not-applicable"
    NOT_REPORTED = "not-reported"


class ChecklistEntry(_Model):
    """One item the team confirmed: its status; where it is reported (a site page such as
    ``methods/index.md#setting`` or free text) and/or the quoted sentence; the reason an item
    does not apply; and who confirmed it (initials) and when (YYYY-MM-DD)."""

    status: ItemStatus
    where: str = ""
    quote: str = ""
    reason: str = ""
    by: str = Field(min_length=1)
    on: str = Field(min_length=1)


class Reporting(_Model):
    """The team's reporting checklists: item number -> a confirmed :class:`ChecklistEntry`,
    or (older form) a bare location, which is shown as the team's but not confirmed.

    COREQ items are ``"1"`` .. ``"32"``; SRQR items ``"S1"`` .. ``"S21"``.
    """

    coreq: dict[str, str | ChecklistEntry] = {}
    srqr: dict[str, str | ChecklistEntry] = {}


class SignOff(_Model):
    """A recorded approval to publish: who, in what role, when, and the manifest fingerprint
    (``build-site manifest`` prints it)."""

    role: str = Field(min_length=1)
    by: str = Field(min_length=1)
    date: str = Field(min_length=1)
    manifest: str = Field(pattern=r"^sha256:[0-9a-f]{64}$")


Label = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]


class KindTitles(_Model):
    """``labels.kinds``: how the study titles the model's three kinds of component (headings,
    navigation, diagram groups, packets). Titles only: the kinds themselves stay."""

    competency: Label = KIND_TITLES[Kind.competency]
    process: Label = KIND_TITLES[Kind.process]
    outcome: Label = KIND_TITLES[Kind.outcome]

    def of(self, kind: Kind) -> str:
        """The title of ``kind``."""
        title: str = getattr(self, kind.value)
        return title


class Labels(_Model):
    """``labels`` in study.yml: the words the site uses for the model's kinds and the case
    studies, so that a study of, say, teachers and pupils does not read "Clinician" and
    "Patient". Shown as text (escaped) like every other string of the study.

    ``clinician`` and ``dyad`` (singular) come before a case id ("Clinician D1", "Dyad
    D1-P1"); ``clinicians``, ``dyads`` and ``patients`` title lists and tables of them;
    ``patient`` and ``clinician`` name who speaks an excerpt.
    """

    kinds: KindTitles = KindTitles()
    clinician: Label = "Clinician"
    clinicians: Label = "Clinicians"
    dyad: Label = "Dyad"
    dyads: Label = "Dyads"
    patient: Label = "Patient"
    patients: Label = "Patients"


def in_sentence(label: str) -> str:
    """``label`` as written inside a sentence: a leading capital lowered when the word goes on
    in lower case ("Dyad" -> "dyad"; "OSCE station" and "iPad" stay as written)."""
    if len(label) > 1 and label[0].isupper() and label[1].islower():
        return label[0].lower() + label[1:]
    return label


class GuideRound(_Model):
    """One round's version of the interview guide (``study.yml`` ``interview_guide_rounds``).

    ``round``: its name ("1", "Round 2"); ``from_interview``: the interview order
    (``interview.order``) of the first interview that used it; ``changes``: what changed from
    the round before and why; ``guide``: the questions (Markdown).
    """

    round: str | int
    from_interview: int | None = Field(default=None, ge=1)
    changes: str = ""
    guide: str = Field(min_length=1)


class ComponentResult(_Model):
    """The team's results text for one model component (``study.yml`` ``results``), with the
    excerpts it names as exemplars (``excerpt_ids``, shown beneath the text in that order)."""

    component: Id
    text: str = Field(min_length=1)
    excerpt_ids: list[Id] = []


class DataAvailability(_Model):
    """What the team adds to the generated data availability statement: ``deposit``, where
    the supplement is archived (a repository and identifier); ``requests``, how material
    that is not shared may be asked for (and by whom it is decided); ``transcripts``, the
    team's own sentence on the full transcripts, in place of the generated reason they are not
    shared (for a study whose transcripts are published elsewhere)."""

    deposit: str = ""
    requests: str = ""
    transcripts: str = ""


class StudyMeta(_Model):
    """``study.yml``: title, team, citation, methods facts and publication settings."""

    title: str = Field(min_length=1)
    subtitle: str = ""
    demonstration: bool = False
    overview: str = ""
    team: list[Person] = []
    citation: Reference | None = None
    based_on: Reference | None = None
    article: Reference | None = None  # the article this site supplements (IsSupplementTo)
    publisher: str = ""  # who publishes the data (DataCite's publisher), e.g. the university
    license: str = ""
    version: str = ""
    date_released: str = ""
    keywords: list[str] = []
    methods: dict[str, str] = {}
    interviewer: Interviewer | None = None
    analysis_steps: list[AnalysisStep] = []
    interview_guide: str = ""
    member_checking: MemberChecking | None = None
    saturation: Saturation | None = None
    reporting: Reporting = Reporting()
    publication: Publication = Publication()
    sign_off: SignOff | None = None
    feedback_questions: list[str] = []
    labels: Labels = Labels()


    abstract: str = ""
    demonstration_note: str = ""
    interview_guide_rounds: list[GuideRound] = []
    results: list[ComponentResult] = []
    data_availability: DataAvailability = DataAvailability()


class Consent(_Model):
    """One participant's consent, as recorded by the team.

    ``quote``: may be quoted verbatim; ``public_site``: may appear on a public website;
    ``archive``: may be deposited; ``share_with_clinician``: their interview may be shown to
    their own clinician in member checking; ``share_with_patient`` (a clinician's): their
    account may be shown beside, or to, their own patient's; ``withdrawn``: left the study.

    Anything not recorded is not given: every permission defaults to false, so a missing
    consent record publishes nothing of that person.
    """

    quote: bool = False
    public_site: bool = False
    archive: bool = False
    share_with_clinician: bool = False
    share_with_patient: bool = False
    withdrawn: bool = False

    def allows_public_quote(self) -> bool:
        """True when this person's words may appear on the public site."""
        return self.quote and self.public_site and not self.withdrawn


class DyadConsent(_Model):
    """Consent of the patient and of each other person present (by role)."""

    patient: Consent = Consent()
    others: dict[str, Consent] = {}


class Note(_Model):
    """An internal memo or reviewer comment; never published."""

    author: str = ""
    text: str
    resolved: bool = False


class Interview(_Model):
    """Facts about one interview."""

    order: int | None = Field(default=None, ge=1)
    duration_minutes: int | None = Field(default=None, ge=1)
    others_present: list[str] = []


class SourceRef(_Model):
    """Where a value came from: a file relative to the study folder, a 1-based line, and for
    a Markdown file the line where its body starts."""

    file: str
    line: int = 0
    body_line: int = 0


class Speaker(StrEnum):
    """Who spoke an excerpt."""

    patient = "patient"
    clinician = "clinician"
    other = "other"


class ContextSpan(_Model):
    """The turns of the transcript shown around an excerpt (issue 21 item 1): ``before`` turns
    before the turn it starts in (1: the prompt it answers), ``after`` turns after the one it
    ends in. ``context: true`` in an excerpt means ``{before: 1, after: 0}``."""

    before: int = Field(default=1, ge=0, le=MAX_CONTEXT_TURNS)
    after: int = Field(default=0, ge=0, le=MAX_CONTEXT_TURNS)


class ContextTurn(_Model):
    """One turn of a transcript shown with an excerpt: filled in by the build from the
    dyad's transcript (never written by the team). ``speaker``: ``patient``, ``clinician``,
    ``interviewer`` or a role of ``interview.others_present``; ``line``: the turn's first line
    in the transcript; ``position``: ``before`` or ``after`` the excerpt, or ``excerpt`` (the
    excerpt's own turn, its words shown above; no text); ``withheld``: the speaker's consent
    keeps the words off this build (a public build then carries no text)."""

    speaker: str
    line: int
    position: Literal["before", "excerpt", "after"]
    text: str = ""
    withheld: bool = False


class Excerpt(_Model):
    """A coded quotation.

    ``context``: the team asks for the turns around it in the dyad's transcript (opt-in;
    ``true`` is the turn before it); ``context_turns``: those turns, filled in by the build
    (:mod:`build_site.transcripts`)."""

    id: Id
    speaker: Speaker
    role: str | None = None
    codes: list[Id] = Field(min_length=1)
    text: str = Field(min_length=1)
    contrast: bool = False
    disconfirming: bool = False
    # The team's choice of an excerpt that shows a component best: shown first and marked
    # on the component pages (issue 19 item 3). Published (and signed off) like the other flags.
    exemplar: bool = False
    publish: bool = True
    # The team's pairing of this account with another of the same episode: an id from the
    # dyad's ``episodes`` (issue 21 item 2, build_site.perspectives).
    episode: Id | None = None
    context: ContextSpan | None = None
    context_turns: list[ContextTurn] = []
    source: SourceRef | None = Field(default=None, exclude=True)

    @field_validator("context", mode="before")
    @classmethod
    def _context_true(cls, value: object) -> object:
        """``context: true`` is the default span, ``false`` none."""
        if value is True:
            return {}
        return None if value is False else value


class Clinician(_Model):
    """A clinician case study (``clinicians/ID.md``)."""

    id: Id
    status: Status = Status.draft
    demographics: dict[str, DemographicValue] = {}
    interview: Interview = Interview()
    consent: Consent = Consent()
    quasi_identifiers: dict[str, str] = {}
    memos: list[Note] = []
    comments: list[Note] = []
    excerpts: list[Excerpt] = []
    narrative: str = Field(default="", exclude=True)
    source: SourceRef | None = Field(default=None, exclude=True)


class EpisodeMark(StrEnum):
    """The team's mark on a pairing of two accounts of one episode (never tallied)."""

    converging = "converging"
    complementary = "complementary"
    diverging = "diverging"
    one_account_only = "one-account-only"


class Episode(_Model):
    """The team's pairing of the patient's and the clinician's accounts of one episode
    (a dyad's ``episodes``; its excerpts name it in ``episode``): the team's ``mark`` and
    ``note`` (required for ``diverging``). See :mod:`build_site.perspectives`."""

    id: Id
    mark: EpisodeMark
    note: str = ""
    source: SourceRef | None = Field(default=None, exclude=True)


RECONSENT = "re-consent"
SUMMARY_ONLY = "analytic summary only"


class InsiderDecision(_Model):
    """The team's recorded decision for a patient who did not agree to share her interview
    with her clinician (``consent.patient.share_with_clinician: false``), whose clinician
    nominated her and can read the public site (issue 17, item 3).

    ``decision``: ``re-consent`` (she later agreed, on ``consented_on`` with consent form
    ``form_version``: her case is published as her other consent allows) or ``analytic
    summary only`` (her dyad page carries ``analytic_summary``, a text the team wrote as an
    analysis of the case, in place of the narrative, and no excerpt, component summary or
    quotation from either side of the dyad). ``reviewed_by`` names the team member who
    reviewed the decision, ``reviewed_on`` is an ISO date (YYYY-MM-DD).
    """

    decision: Literal["re-consent", "analytic summary only"]
    consented_on: str = ""
    form_version: str = ""
    analytic_summary: str = ""
    reviewed_by: str = Field(min_length=1)
    reviewed_on: str = Field(min_length=1)


class Dyad(_Model):
    """A clinician-patient dyad case study (``dyads/ID.md``).

    ``insider_decision``: see :class:`InsiderDecision`."""

    id: Id
    clinician: Id
    status: Status = Status.draft
    demographics: dict[str, DemographicValue] = {}
    interview: Interview = Interview()
    consent: DyadConsent = DyadConsent()
    transcript: str | None = None
    # Transcript speaker label -> who speaks: patient, clinician, interviewer or a role of
    # interview.others_present (build_site.transcripts).
    speakers: dict[str, str] = {}
    insider_decision: InsiderDecision | None = None
    summaries: dict[str, str] = {}
    quasi_identifiers: dict[str, str] = {}
    memos: list[Note] = []
    comments: list[Note] = []
    excerpts: list[Excerpt] = []
    episodes: list[Episode] = []
    narrative: str = Field(default="", exclude=True)
    source: SourceRef | None = Field(default=None, exclude=True)


class IdentifierKind(StrEnum):
    """Categories of identifier in the private list."""

    person = "person"
    place = "place"
    institution = "institution"
    date = "date"
    other = "other"


class Identifier(_Model):
    """One entry of ``private/identifiers.yml``: identifying text and what replaces it."""

    text: str = Field(min_length=1)
    replacement: str = Field(min_length=1)
    kind: IdentifierKind = IdentifierKind.other
    variants: list[str] = []
    case_sensitive: bool = False

    def forms(self) -> list[str]:
        """Every form to match: the text and its variants, longest first."""
        return sorted({self.text, *self.variants}, key=lambda s: (-len(s), s))


class IdentifierList(_Model):
    """``private/identifiers.yml``."""

    identifiers: list[Identifier] = []


class Review(_Model):
    """A detector finding the team checked and judged safe to publish."""

    file: str = Field(min_length=1)
    hash: str = Field(min_length=8)
    category: str = ""
    by: str = Field(min_length=1)
    why: str = Field(min_length=1)


class ReviewedFile(_Model):
    """A published file of a kind the leak gate cannot read (a font, a GIF, a Word 97
    document...), checked by the team and judged free of identifiers: recorded by the
    SHA-256 of its bytes, so any change to it needs a new review."""

    sha256: str = Field(pattern=r"^[0-9a-fA-F]{64}$")
    file: str = ""
    by: str = Field(min_length=1)
    why: str = Field(min_length=1)


class ConsentResolution(_Model):
    """A consent finding in published free text, closed by a named reviewer (issue 17 item 4).

    Unlike an identifier finding, a consent finding cannot be "judged safe": it is either
    ``not-a-match`` (the flagged words are not the participant's, the number is not an age or
    a date) or ``re-consent`` (the participant agreed again, on ``date``, on consent form
    ``form_version``). Keyed like identifier reviews, by file and a hash of the flagged text.
    """

    file: str = Field(min_length=1)
    hash: str = Field(min_length=8)
    rule: str = ""
    resolution: Literal["not-a-match", "re-consent"]
    by: str = Field(min_length=1)
    date: str = ""
    form_version: str = ""

    @model_validator(mode="after")
    def _re_consent_is_documented(self) -> ConsentResolution:
        if self.resolution == "re-consent" and not (self.date and self.form_version):
            raise ValueError("a re-consent resolution needs the date it was recorded and the "
                             "consent form version (date, form_version)")
        return self


class ReviewedList(_Model):
    """``private/reviewed.yml``: findings judged safe (keyed by file and a hash of the matched
    text, not by line, so edits elsewhere do not reopen them), words never flagged,
    (``linkage_ok``) terms judged not to tie a dyad to its clinician when clinicians are hidden,
    and (``files``) published files the leak gate cannot read, checked by hand."""

    allow: list[str] = []
    reviewed: list[Review] = []
    linkage_ok: list[str] = []
    files: list[ReviewedFile] = []
    consent: list[ConsentResolution] = []

    def file_digests(self) -> frozenset[str]:
        """The SHA-256 digests (lower-case hex) of the files recorded as reviewed."""
        return frozenset(f.sha256.lower() for f in self.files)


class Study(_Model):
    """A whole validated study, as it flows through the pipeline."""

    meta: StudyMeta
    model: Model
    codebook: Codebook
    clinicians: list[Clinician]
    dyads: list[Dyad]
    identifiers: list[Identifier] = []
    reviewed: ReviewedList = ReviewedList()
    history: list[ModelVersion] = []
    transcripts: dict[str, str] = Field(default={}, exclude=True)
    deidentified: bool = False
    clinician_links: bool = True


FILE_MODELS: dict[str, type[BaseModel]] = {
    "study": StudyMeta,
    "model": Model,
    "codebook": Codebook,
    "clinician": Clinician,
    "dyad": Dyad,
    "identifiers": IdentifierList,
    "reviewed": ReviewedList,
    "history": History,
}

Audience = Literal["public", "review"]


def walk_elements(elements: Iterable[Element]) -> Iterator[Element]:
    """Yield elements depth-first, each before its own sub-elements."""
    for element in elements:
        yield element
        yield from walk_elements(element.elements)


_SPACE = re.compile(r"\s+")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def normalise_for_matching(text: str) -> str:
    """Fold line endings, runs of white space and curly quotes so quotations can be compared.

    Returns the text with every white-space run (CRLF, LF, tabs, non-breaking spaces) as one
    space, curly quotes as straight ones, stripped at both ends.
    """
    return _SPACE.sub(" ", text.translate(_QUOTES)).strip()


def component_ids(model: Model) -> set[str]:
    """Ids of every component and element of ``model`` (not relations)."""
    ids: set[str] = set()
    for comp in model.components:
        ids.add(comp.id)
        ids.update(e.id for e in walk_elements(comp.elements))
    return ids
