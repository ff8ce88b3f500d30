"""The import mapping file: which sources and cases of a QDA project become which clinicians and
dyads (format documented in ``guide/importing.md``).

```yaml
placeholder_clinician: unassigned   # clinician of dyads whose clinician is not given
speaker: patient                    # who speaks the excerpts of a dyad: patient | clinician
line_endings: auto                  # how the project counted CRLF: auto | one | two
sources:                            # by source name, file name or GUID
  interview-03.txt: {dyad: D1-P3, clinician: D1}
  pilot.txt: {skip: true}
cases:                              # by case name or GUID
  Dr Lee: {clinician: D1}           # the clinician's own interview(s)
defaults:                           # every case study (issue 22 item 1)
  status: team-reviewed             # draft | team-reviewed | member-checked | approved
  publish: true                     # every excerpt's publish flag (the import's own: false)
  consent: {quote: true, public_site: true}   # each case's own participant
```

An entry may also set ``status``, ``publish`` and ``consent`` for its case study alone, and
may give only those (the case then stays where the project puts it). The same file is read by
``import-qdpx --mapping`` and, afterwards, by ``apply-mapping`` (:mod:`build_site.refi_qda.apply`),
where a key may also be the id of a dyad or clinician in the study folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from build_site.errors import Problem, StudyError
from build_site.load import decode_text
from build_site.study import Consent, Id, Status
from build_site.yamlsource import YamlProblem, line_at, load_yaml

SpeakerName = Literal["patient", "clinician"]
LineEndings = Literal["auto", "one", "two"]
MAX_MAPPING_BYTES = 1024 * 1024


class CaseSettings(BaseModel):
    """What a mapping sets on a case study besides its place: review status, every excerpt's
    ``publish`` flag, and the consent of the case's own participant (a dyad's patient, or the
    clinician of a clinician's own interview). Unset (None) leaves the file as it is."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    status: Status | None = None
    publish: bool | None = None
    consent: Consent | None = None

    def settings(self) -> CaseSettings:
        """Only the settings (an entry's place dropped)."""
        return CaseSettings(status=self.status, publish=self.publish, consent=self.consent)

    def has_settings(self) -> bool:
        """True when anything is set."""
        return any(v is not None for v in (self.status, self.publish, self.consent))


class MappingEntry(CaseSettings):
    """Where one source or case goes: a dyad (of ``clinician``), a clinician's own interview
    (``clinician`` alone), or nowhere (``skip: true``); and its settings. An entry with
    settings only leaves the case where the project puts it."""

    dyad: Id | None = None
    clinician: Id | None = None
    speaker: SpeakerName | None = None
    skip: bool = False

    @property
    def places(self) -> bool:
        """True when the entry says where the case goes (a dyad, a clinician or skip)."""
        return bool(self.skip or self.dyad or self.clinician)

    @model_validator(mode="after")
    def _one_meaning(self) -> MappingEntry:
        if self.skip and (self.dyad or self.clinician or self.speaker or self.has_settings()):
            raise ValueError("skip: true cannot be combined with other fields")
        if not self.places and not (self.has_settings() or self.speaker):
            raise ValueError("give a dyad, a clinician, skip: true, or a status, publish, "
                             "speaker or consent")
        if self.clinician and not self.dyad and self.speaker == "patient":
            raise ValueError("a clinician's own interview is spoken by the clinician")
        return self


class Mapping(BaseModel):
    """The whole mapping file (every field optional)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    placeholder_clinician: Id = "unassigned"
    speaker: SpeakerName = "patient"
    line_endings: LineEndings | None = None
    sources: dict[str, MappingEntry] = {}
    cases: dict[str, MappingEntry] = {}
    defaults: CaseSettings = CaseSettings()
    file: str = ""
    lines: dict[str, int] = {}

    def line_of(self, section: str, key: str) -> int:
        """The 1-based line of ``section``/``key`` in the file (0 when unknown)."""
        return self.lines.get(f"{section}/{key}", 0)


def load_mapping(path: Path) -> Mapping:
    """Read and check a mapping file (YAML, read safely like every study file).

    Returns:
        The :class:`Mapping`.

    Raises:
        StudyError: the file is missing, too large, not YAML, or has unknown or invalid fields;
            each problem names the line.
    """
    label = path.name
    if not path.is_file():
        raise StudyError([Problem(str(path), 0, "mapping file not found",
                                  "check the path you gave to --mapping")])
    if path.stat().st_size > MAX_MAPPING_BYTES:
        raise StudyError([Problem(label, 0, "mapping file is larger than 1 MB")])
    text = decode_text(path.read_bytes(), label)
    try:
        data = load_yaml(text)
    except YamlProblem as exc:
        raise StudyError([Problem(label, exc.line, exc.message, exc.hint)]) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise StudyError([Problem(label, 1, "expected a mapping of fields (key: value)",
                                  "see guide/importing.md")])
    for forbidden in ("file", "lines"):
        if forbidden in data:
            raise StudyError([Problem(label, line_at(data, (forbidden,)),
                                      f"unknown field '{forbidden}'", "see guide/importing.md")])
    try:
        mapping = Mapping.model_validate(dict(data))
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = tuple(p for p in err["loc"] if p != "__root__")
            where = ".".join(str(p) for p in loc) or "(top level)"
            message = (f"unknown field '{loc[-1]}'" if err["type"] == "extra_forbidden"
                       else f"{where}: {err['msg']}")
            problems.append(Problem(label, line_at(data, loc), message,
                                    "see guide/importing.md for the mapping file"))
        raise StudyError(problems) from None
    lines = {f"{section}/{key}": line_at(data, (section, key))
             for section in ("sources", "cases") for key in mapping.model_dump()[section]}
    return mapping.model_copy(update={"file": label, "lines": lines})
