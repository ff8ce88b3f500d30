"""``archive: false``: what is deposited leaves the participant's material out.

A participant may agree to appear on the live site (``public_site``) but not to be archived
(``archive``). The live site, which the team can take down or correct, may then show what they
agreed to publish; everything that is copied, kept or deposited leaves their material out: the
downloads (CSV/JSON, which readers keep), the supplement zip of ``build-site package`` (which a
repository keeps permanently) and its deposit metadata. Their material is: a patient's whole
dyad (case page, summaries, coded rows, their words and the clinician's words about them); a
clinician's case and their dyads (every dyad holds the clinician's words); the excerpts of
another person present. Source: the consent record's definition of ``archive`` ("may be
deposited", :class:`build_site.study.Consent`) and issue 17 item 5.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from build_site.privacy.selection import speaker_consent
from build_site.study import Consent, Study


@dataclass(frozen=True)
class LeftOut:
    """Ids of the material an archive leaves out."""

    clinicians: frozenset[str] = field(default_factory=frozenset)
    dyads: frozenset[str] = field(default_factory=frozenset)
    excerpts: frozenset[str] = field(default_factory=frozenset)

    def __bool__(self) -> bool:
        return bool(self.clinicians or self.dyads or self.excerpts)


def left_out(study: Study) -> LeftOut:
    """What of ``study`` (a selection) may be shown live but not archived."""
    clinicians = {c.id for c in study.clinicians if not c.consent.archive}
    consents = {c.id: c.consent for c in study.clinicians}
    dyads = {d.id for d in study.dyads
             if d.clinician in clinicians or not d.consent.patient.archive}
    excerpts = {e.id for c in study.clinicians if c.id in clinicians for e in c.excerpts}
    for dyad in study.dyads:
        for excerpt in dyad.excerpts:
            consent = speaker_consent(dyad, excerpt, consents.get(dyad.clinician, Consent()))
            if dyad.id in dyads or not consent.archive:
                excerpts.add(excerpt.id)
    return LeftOut(frozenset(clinicians), frozenset(dyads), frozenset(excerpts))


def for_archive(study: Study) -> Study:
    """``study`` (a selection) without the material of participants who did not agree to be
    archived (see :func:`left_out`)."""
    out = left_out(study)
    if not out:
        return study
    clinicians = [c for c in study.clinicians if c.id not in out.clinicians]
    dyads = [d.model_copy(update={"excerpts": [e for e in d.excerpts
                                               if e.id not in out.excerpts]})
             for d in study.dyads if d.id not in out.dyads]
    return study.model_copy(update={"clinicians": clinicians, "dyads": dyads})
