"""Perspectives: the team's pairing of the patient's and the clinician's accounts of one episode
(issue 21, item 2).

A dyad lists its episodes (``episodes``: an id, the team's mark and a note); its excerpts name
one in ``episode``. The mark (converging, complementary, diverging, one account only) is the
team's reading of one pairing; the tool never counts marks. The patient's account comes first.

Who may see a pairing (each reader sees their own words; the other side's only by consent):

- the review copy: every pairing whose accounts it shows;
- the public site: only when the team opts in (``publication.perspectives``), the patient
  agreed to share with her clinician (``share_with_clinician``), the clinician agreed to share
  with his patient (``share_with_patient``) and every account of the pairing is itself
  published. Showing two accounts side by side tells each party what the other said, and the
  mark tells it even of an account left out, so anything less drops the pairing (its
  excerpts stay, unpaired, as consent allows them);
- a member-checking packet (:func:`shared_dyad`): a clinician sees a pairing of his own
  dyad only when the patient agreed to share with him, and a patient would see one only when
  her clinician agreed to share with her.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from typing import Any, TypeVar

from build_site.study import (
    Clinician,
    Consent,
    Dyad,
    Episode,
    EpisodeMark,
    Excerpt,
    SourceRef,
    Speaker,
    Study,
)
from build_site.yamlsource import line_at

Add = Callable[[str, tuple[Any, ...], str, str], None]

PAIRING_LABEL = "the team's pairing"
MARK_LABELS = {
    EpisodeMark.converging: "converging",
    EpisodeMark.complementary: "complementary",
    EpisodeMark.diverging: "diverging",
    EpisodeMark.one_account_only: "one account only",
}
_SIDES = (Speaker.patient, Speaker.clinician)


def _order(excerpt: Excerpt) -> int:
    return _SIDES.index(excerpt.speaker) if excerpt.speaker in _SIDES else len(_SIDES)


def episode_accounts(dyad: Dyad, episode_id: str) -> list[Excerpt]:
    """The excerpts of ``dyad`` that belong to ``episode_id``, the patient's first (each
    side in file order)."""
    return sorted((e for e in dyad.excerpts if e.episode == episode_id), key=_order)


def paired_ids(dyad: Dyad) -> set[str]:
    """Ids of the excerpts of ``dyad`` shown inside a pairing."""
    declared = {ep.id for ep in dyad.episodes}
    return {e.id for e in dyad.excerpts if e.episode in declared}


# --- who may see a pairing -------------------------------------------------------------------

def both_consent(dyad: Dyad, clinician: Consent) -> bool:
    """Whether the patient of ``dyad`` agreed to share with her clinician and the clinician
    (``clinician``: his consent record) with his patient."""
    return dyad.consent.patient.share_with_clinician and clinician.share_with_patient


def public_hold(dyad: Dyad, clinician: Consent, opted_in: bool,
                accounts_withheld: bool) -> str:
    """Every reason a pairing of ``dyad`` stays off the public site, for the review copy,
    joined by "; " ("" when it would be published): the team's opt-in (``opted_in``), the two
    consents (``clinician``: the clinician's record), an account not published
    (``accounts_withheld``)."""
    reasons = [
        "" if opted_in else "the study does not publish pairings (publication.perspectives)",
        "" if dyad.consent.patient.share_with_clinician
        else "the patient did not agree to share with the clinician",
        "" if clinician.share_with_patient
        else "the clinician did not agree to share with the patient",
        "an account is not for publication" if accounts_withheld else "",
    ]
    return "; ".join(r for r in reasons if r)


def keep_episodes(dyad: Dyad, original: Dyad, allowed: bool) -> Dyad:
    """``dyad`` (a selection of ``original``) with only the pairings it may show.

    A pairing stays when ``allowed`` and every account ``original`` gives it is still in
    ``dyad``; otherwise the pairing goes and its excerpts stay unpaired.
    """
    kept_ids = {e.id for e in dyad.excerpts}
    episodes = [ep for ep in dyad.episodes if allowed and all(
        e.id in kept_ids for e in episode_accounts(original, ep.id))]
    names = {ep.id for ep in episodes}
    if episodes == dyad.episodes and all(e.episode in names or e.episode is None
                                         for e in dyad.excerpts):
        return dyad
    excerpts = [e if e.episode in names else e.model_copy(update={"episode": None})
                for e in dyad.excerpts]
    return dyad.model_copy(update={"episodes": episodes, "excerpts": excerpts})


def select_episodes(dyad: Dyad, original: Dyad, clinician: Consent, public: bool,
                    opted_in: bool) -> Dyad:
    """The pairings a build shows: all complete ones in a review copy; in a public build only
    with the team's opt-in (``opted_in``) and both consents (:func:`both_consent`)."""
    allowed = not public or (opted_in and both_consent(original, clinician))
    return keep_episodes(dyad, original, allowed)


def shared_dyad(dyad: Dyad, clinician: Consent, reader: Speaker) -> Dyad:
    """``dyad`` with only the pairings its own ``reader`` (the clinician or the patient) may
    see in a member-checking packet: those of a dyad whose other party agreed to share with them
    (the patient's ``share_with_clinician`` for the clinician, the clinician's
    ``share_with_patient`` for the patient). ``dyad`` is the review selection."""
    if reader is Speaker.clinician:
        allowed = dyad.consent.patient.share_with_clinician
    elif reader is Speaker.patient:
        allowed = clinician.share_with_patient
    else:
        allowed = False
    return keep_episodes(dyad, dyad, allowed)


def neutral_episodes(dyad: Dyad) -> Dyad:
    """``dyad`` with its episodes renamed ``1``, ``2``... in the team's order
    (a study that hides which clinician each patient saw: the team's own episode ids may name
    a clinician or a case; :mod:`build_site.privacy.unlink`)."""
    names = {ep.id: str(n) for n, ep in enumerate(dyad.episodes, 1)}
    if not names:
        return dyad
    episodes = [ep.model_copy(update={"id": names[ep.id]}) for ep in dyad.episodes]
    excerpts = [e.model_copy(update={"episode": names.get(e.episode or "")}) for e in dyad.excerpts]
    return dyad.model_copy(update={"episodes": episodes, "excerpts": excerpts})


# --- validation ------------------------------------------------------------------------------

C = TypeVar("C", Clinician, Dyad)


def with_episode_sources(case: C, path: str, data: Any) -> C:
    """``case`` with each episode's file and line (``path``, the parsed document ``data``);
    a clinician file has none."""
    if not isinstance(case, Dyad) or not case.episodes:
        return case
    episodes = [ep.model_copy(update={"source": SourceRef(
        file=path, line=line_at(data, ("episodes", i)))}) for i, ep in enumerate(case.episodes)]
    return case.model_copy(update={"episodes": episodes})


def episode_problems(study: Study, add: Add) -> None:
    """Check every episode key and pairing; ``add(file, path, message, hint)`` per problem.

    Rules: an episode key is used only in a dyad file and names an episode listed in that
    dyad's ``episodes``; episode ids are unique within a dyad; only the patient and the
    clinician give accounts; a listed episode has accounts; ``one-account-only`` has one side,
    any other mark both; ``diverging`` carries a note saying how the accounts diverge.
    """
    for clinician in study.clinicians:
        file = clinician.source.file if clinician.source else f"{clinician.id}.md"
        for j, excerpt in enumerate(clinician.excerpts):
            if excerpt.episode is not None:
                add(file, ("excerpts", j, "episode"),
                    f"excerpt '{excerpt.id}': an episode pairs the accounts of one dyad",
                    "move the excerpt into the dyad's file (speaker: clinician) or remove "
                    "'episode'")
    for dyad in study.dyads:
        _dyad_problems(dyad, add)


def _dyad_problems(dyad: Dyad, add: Add) -> None:
    file = dyad.source.file if dyad.source else f"{dyad.id}.md"
    listed: dict[str, int] = {}
    for i, ep in enumerate(dyad.episodes):
        if ep.id in listed:
            add(file, ("episodes", i, "id"), f"episode '{ep.id}' is listed twice",
                "give each episode of the dyad its own id")
        listed.setdefault(ep.id, i)
    for j, excerpt in enumerate(dyad.excerpts):
        if excerpt.episode is None:
            continue
        if excerpt.episode not in listed:
            close = difflib.get_close_matches(excerpt.episode, list(listed), n=1, cutoff=0.6)
            add(file, ("excerpts", j, "episode"),
                f"excerpt '{excerpt.id}': unknown episode '{excerpt.episode}'"
                + (f" (did you mean '{close[0]}'?)" if close else ""),
                "list it under 'episodes:' in this file with the team's mark")
        if excerpt.speaker not in _SIDES:
            add(file, ("excerpts", j, "episode"),
                f"excerpt '{excerpt.id}': only the patient's and the clinician's accounts "
                "are paired", "remove 'episode' from this excerpt")
    for i in listed.values():
        _pairing_problems(dyad, dyad.episodes[i], i, file, add)


def _pairing_problems(dyad: Dyad, ep: Episode, i: int, file: str, add: Add) -> None:
    sides = {e.speaker for e in episode_accounts(dyad, ep.id) if e.speaker in _SIDES}
    at = ("episodes", i)
    if not sides:
        add(file, (*at, "id"), f"episode '{ep.id}' has no account",
            "name it in 'episode:' on the patient's and the clinician's excerpts, or remove it")
    elif ep.mark is EpisodeMark.one_account_only and len(sides) > 1:
        add(file, (*at, "mark"), f"episode '{ep.id}' is marked one-account-only but both the "
            "patient and the clinician give an account",
            "mark it converging, complementary or diverging")
    elif ep.mark is not EpisodeMark.one_account_only and len(sides) == 1:
        only = next(iter(sides)).value
        add(file, (*at, "mark"), f"episode '{ep.id}' is marked {ep.mark.value} but only the "
            f"{only} gives an account", "pair the other account with it, or mark it "
            "one-account-only")
    if ep.mark is EpisodeMark.diverging and not ep.note.strip():
        add(file, (*at, "mark"), f"episode '{ep.id}' is marked diverging without a note",
            "add 'note:' saying how the two accounts diverge")
