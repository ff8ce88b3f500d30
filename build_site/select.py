"""Stage 4, select: keep only what the audience may see.

A *public* build keeps approved case studies of participants who have not withdrawn and agreed
to appear on a public website, and within them only the excerpts that the team decided to
publish and whose speaker agreed to be quoted publicly. Contrastive comments (about clinicians
outside the study, who never consented) are kept only where ``study.yml`` allows them. Memos
and reviewer comments never reach a public build.

A *review* build keeps every case study and excerpt, except those of withdrawn participants,
who disappear from every kind of build.
"""

from __future__ import annotations

from build_site.study import Audience, Consent, Dyad, Excerpt, Speaker, Status, Study


def speaker_consent(dyad: Dyad | None, excerpt: Excerpt, clinician_consent: Consent) -> Consent:
    """The consent record that governs ``excerpt``: the patient's, the clinician's, or that of
    the other person present (a missing record counts as no consent)."""
    if excerpt.speaker is Speaker.clinician or dyad is None:
        return clinician_consent
    if excerpt.speaker is Speaker.patient:
        return dyad.consent.patient
    return dyad.consent.others.get(excerpt.role or "", Consent(quote=False, public_site=False))


def _excerpt_public(study: Study, excerpt: Excerpt, consent: Consent) -> bool:
    if not (excerpt.publish and consent.allows_public_quote()):
        return False
    return study.meta.publication.contrastive_comments or not excerpt.contrast


def select(study: Study, audience: Audience) -> Study:
    """Return the part of ``study`` that ``audience`` ("public" or "review") may see."""
    clinician_consent = {c.id: c.consent for c in study.clinicians}
    public = audience == "public"
    clinicians = []
    for clinician in study.clinicians:
        if clinician.consent.withdrawn or (public and clinician.status is not Status.approved):
            continue
        excerpts = [
            e for e in clinician.excerpts
            if not public or _excerpt_public(study, e, clinician.consent)
        ]
        update: dict[str, object] = {"excerpts": excerpts}
        if public:
            update |= {"memos": [], "comments": []}
        clinicians.append(clinician.model_copy(update=update))
    kept_clinicians = {c.id for c in clinicians}
    dyads = []
    for dyad in study.dyads:
        patient = dyad.consent.patient
        if patient.withdrawn or dyad.clinician not in kept_clinicians:
            continue
        if public and (dyad.status is not Status.approved or not patient.public_site):
            continue
        cc = clinician_consent[dyad.clinician]
        excerpts = [
            e for e in dyad.excerpts
            if not speaker_consent(dyad, e, cc).withdrawn
            and (not public or _excerpt_public(study, e, speaker_consent(dyad, e, cc)))
        ]
        update = {"excerpts": excerpts}
        if public:
            update |= {"memos": [], "comments": []}
        dyads.append(dyad.model_copy(update=update))
    return study.model_copy(update={"clinicians": clinicians, "dyads": dyads})
