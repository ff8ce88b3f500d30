"""Stage 4, select: keep only what the audience may see.

A *public* build keeps approved case studies of participants who have not withdrawn and agreed
to appear on a public website, and within them only the excerpts that the team decided to
publish and whose speaker agreed to be quoted publicly. Contrastive comments (about clinicians
outside the study, who never consented) are kept only where ``study.yml`` allows them. Memos
and reviewer comments never reach a public build.

A *review* build keeps every case study and excerpt, except those of withdrawn participants,
who disappear from every kind of build. Consent not recorded is consent not given.

When ``study.yml`` sets ``publication.hide_clinician``, the public selection is also unlinked
(:mod:`build_site.unlink`): the public may not see which clinician each dyad belongs to.
"""

from __future__ import annotations

from dataclasses import dataclass

from build_site.study import Audience, Consent, Dyad, Excerpt, SourceRef, Speaker, Status, Study
from build_site.unlink import neutral_ids, unlink


def speaker_consent(dyad: Dyad | None, excerpt: Excerpt, clinician_consent: Consent) -> Consent:
    """The consent record that governs ``excerpt``: the patient's, the clinician's, or that of
    the other person present (a missing record counts as no consent)."""
    if excerpt.speaker is Speaker.clinician or dyad is None:
        return clinician_consent
    if excerpt.speaker is Speaker.patient:
        return dyad.consent.patient
    return dyad.consent.others.get(excerpt.role or "", Consent())


def _excerpt_public(study: Study, excerpt: Excerpt, consent: Consent) -> bool:
    if not (excerpt.publish and consent.allows_public_quote()):
        return False
    return study.meta.publication.contrastive_comments or not excerpt.contrast


@dataclass(frozen=True)
class Withheld:
    """A case study left out of a build, and why (for the build's report)."""

    file: str
    reason: str


def _case_reason(status: Status, consent: Consent, public: bool) -> str | None:
    if consent.withdrawn:
        return "the participant withdrew"
    if public and status is not Status.approved:
        return f"status is {status.value}, not approved"
    if public and not consent.public_site:
        return "no consent to appear on a public website"
    return None


def select(study: Study, audience: Audience, keep_links: bool = False) -> Study:
    """Return the part of ``study`` that ``audience`` ("public" or "review") may see.

    ``keep_links``: keep dyads tied to their clinicians even when the study hides them in
    public (member-checking packets, which go to each clinician privately, need the tie).

    Raises:
        StudyError: hiding clinicians would give a neutral id that is already taken.
    """
    return select_with_report(study, audience, keep_links)[0]


def select_with_report(study: Study, audience: Audience, keep_links: bool = False
                       ) -> tuple[Study, list[Withheld]]:
    """Like :func:`select`, and also list the case studies withheld and why.

    A clinician withheld takes their dyads along (the dyads are part of the clinician's case
    and link to it).
    """
    public = audience == "public"
    withheld: list[Withheld] = []
    clinicians = []
    for clinician in study.clinicians:
        reason = _case_reason(clinician.status, clinician.consent, public)
        if reason:
            withheld.append(Withheld(_file(clinician.source, clinician.id), reason))
            continue
        excerpts = [
            e for e in clinician.excerpts
            if not public or _excerpt_public(study, e, clinician.consent)
        ]
        update: dict[str, object] = {"excerpts": excerpts}
        if public:
            update |= {"memos": [], "comments": []}
        clinicians.append(clinician.model_copy(update=update))
    kept = {c.id: c.consent for c in clinicians}
    dyads = []
    for dyad in study.dyads:
        reason = _case_reason(dyad.status, dyad.consent.patient, public)
        if dyad.clinician not in kept:
            reason = reason or f"clinician {dyad.clinician} is withheld"
        if reason:
            withheld.append(Withheld(_file(dyad.source, dyad.id), reason))
            continue
        cc = kept[dyad.clinician]
        excerpts = [
            e for e in dyad.excerpts
            if not speaker_consent(dyad, e, cc).withdrawn
            and (not public or _excerpt_public(study, e, speaker_consent(dyad, e, cc)))
        ]
        update = {"excerpts": excerpts}
        if public:
            update |= {"memos": [], "comments": []}
        dyads.append(dyad.model_copy(update=update))
    shown = study.model_copy(update={"clinicians": clinicians, "dyads": dyads})
    if public and study.meta.publication.hide_clinician and not keep_links:
        shown = unlink(shown, neutral_ids(study))
    return shown, withheld


def _file(source: SourceRef | None, fallback: str) -> str:
    return source.file if source else fallback
