"""Select: keep only what the audience may see.

A *public* build keeps approved case studies of participants who have not withdrawn and agreed
to appear on a public website, and within them only the excerpts that the team decided to
publish and whose speaker agreed to be quoted publicly. Contrastive comments (about clinicians
outside the study, who never consented) are kept only where ``study.yml`` allows them. Memos
and reviewer comments never reach a public build.

A *review* build keeps every case study and excerpt, except those of withdrawn participants,
who disappear from every kind of build. Consent not recorded is consent not given.

When ``study.yml`` sets ``publication.hide_clinician``, the public selection is also unlinked
(:mod:`build_site.privacy.unlink`): the public may not see which clinician each dyad belongs to.
"""

from __future__ import annotations

from dataclasses import dataclass

from build_site.context_spans import consented_turns
from build_site.insider import SUMMARY_REASON, public_update, summary_only
from build_site.perspectives import select_episodes
from build_site.privacy.unlink import neutral_ids, unlink
from build_site.study import Audience, Consent, Dyad, Excerpt, SourceRef, Speaker, Status, Study


def speaker_consent(dyad: Dyad | None, excerpt: Excerpt, clinician_consent: Consent) -> Consent:
    """The consent record that governs ``excerpt``: the patient's, the clinician's, or that of
    the other person present (a missing record counts as no consent)."""
    if excerpt.speaker is Speaker.clinician or dyad is None:
        return clinician_consent
    if excerpt.speaker is Speaker.patient:
        return dyad.consent.patient
    return dyad.consent.others.get(excerpt.role or "", Consent())


PUBLISH_FALSE = "marked publish: false"
CONTRASTIVE = "contrastive comment (study.yml does not publish them)"
TEAM_CHOICES = frozenset({PUBLISH_FALSE, CONTRASTIVE})  # every other reason is consent


def withheld_excerpts(study: Study) -> dict[str, str]:
    """Why each excerpt of ``study`` that a public build leaves out is left out: excerpt id ->
    a reason for the team ("no consent recorded for the spouse", "marked publish: false").
    Only the excerpt's own reasons: a case left out as a whole is reported by
    :func:`select_with_report`."""
    clinicians = {c.id: c.consent for c in study.clinicians}
    reasons: dict[str, str] = {}
    for clinician in study.clinicians:
        for excerpt in clinician.excerpts:
            reason = _excerpt_reason(study, excerpt, clinician.consent, "the clinician", True)
            if reason:
                reasons[excerpt.id] = reason
    for dyad in study.dyads:
        for excerpt in dyad.excerpts:
            consent = speaker_consent(dyad, excerpt, clinicians.get(dyad.clinician, Consent()))
            who, recorded = _speaker(dyad, excerpt)
            reason = _excerpt_reason(study, excerpt, consent, who, recorded)
            reason = reason or (SUMMARY_REASON if summary_only(dyad) else None)
            if reason:
                reasons[excerpt.id] = reason
    return reasons


def _speaker(dyad: Dyad, excerpt: Excerpt) -> tuple[str, bool]:
    """Who spoke ``excerpt``, and whether a consent record exists for them."""
    if excerpt.speaker is Speaker.clinician:
        return "the clinician", True
    if excerpt.speaker is Speaker.patient:  # an empty record and a missing one look the same
        return "the patient", dyad.consent.patient != Consent()
    role = excerpt.role or "other"
    return f"the {role}", role in dyad.consent.others


def _excerpt_reason(study: Study, excerpt: Excerpt, consent: Consent, who: str,
                    recorded: bool) -> str | None:
    if not excerpt.publish:
        return PUBLISH_FALSE
    if excerpt.contrast and not study.meta.publication.contrastive_comments:
        return CONTRASTIVE
    if not recorded:
        return f"no consent given or recorded for {who}"
    if consent.withdrawn:
        return f"{who} withdrew"
    if not consent.quote:
        return f"{who} did not agree to be quoted"
    if not consent.public_site:
        return f"{who} did not agree to a public website"
    return None


def _excerpt_public(study: Study, excerpt: Excerpt, consent: Consent) -> bool:
    """One rule for what is published and for why not (:func:`withheld_excerpts`)."""
    return _excerpt_reason(study, excerpt, consent, "", True) is None


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
            consented_turns(dyad, e, cc, public) for e in dyad.excerpts
            if not speaker_consent(dyad, e, cc).withdrawn
            and (not public or _excerpt_public(study, e, speaker_consent(dyad, e, cc)))
        ]
        update = {"excerpts": excerpts}
        if public:
            update |= {"memos": [], "comments": []} | public_update(dyad)
        dyads.append(select_episodes(dyad.model_copy(update=update), dyad, cc, public,
                                     study.meta.publication.perspectives))
    shown = study.model_copy(update={"clinicians": clinicians, "dyads": dyads})
    if public and study.meta.publication.hide_clinician and not keep_links:
        shown = unlink(shown, neutral_ids(study))
    return shown, withheld


def _file(source: SourceRef | None, fallback: str) -> str:
    return source.file if source else fallback
