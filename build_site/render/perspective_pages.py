"""Perspectives on the site: each dyad page shows its pairings (the patient's account first,
labelled as the team's pairing, with the team's mark and note), and an index lists every
pairing across the study. The marks are never counted. What a build may show is decided in
:mod:`build_site.perspectives` (the selection has already dropped what it may not).

:func:`declare` registers the index on a :class:`~build_site.render.registry.SitePages`, only
when the selected study has a pairing to list.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from build_site.analyse import Quote
from build_site.perspectives import MARK_LABELS, PAIRING_LABEL, episode_accounts, public_hold
from build_site.render.context import RenderContext
from build_site.render.registry import SitePages
from build_site.study import Consent, Dyad, Episode, Study

EPISODES_PATH = "cases/episodes.md"
EPISODES_TITLE = "Shared episodes"


@dataclass(frozen=True)
class EpisodeView:
    """One pairing as a page shows it: the dyad, the episode, and its accounts patient first."""

    dyad: Dyad
    episode: Episode
    accounts: tuple[Quote, ...]
    hold: str = ""  # review copy: why the public site leaves the pairing out

    @property
    def anchor(self) -> str:
        """The pairing's anchor on its dyad page."""
        return f"episode-{self.episode.id}"

    @property
    def mark_label(self) -> str:
        """The team's mark in words."""
        return MARK_LABELS[self.episode.mark]


def dyad_episodes(dyad: Dyad) -> list[EpisodeView]:
    """The pairings of ``dyad`` with their accounts, in the order the team listed them."""
    return [EpisodeView(dyad, ep, tuple(Quote(e, dyad.clinician, dyad.id)
                                        for e in episode_accounts(dyad, ep.id)))
            for ep in dyad.episodes]


def study_episodes(study: Study) -> list[EpisodeView]:
    """Every pairing of ``study`` (as selected), by dyad id then in the team's order."""
    return [v for d in sorted(study.dyads, key=lambda d: d.id) for v in dyad_episodes(d)]


def declare(site: SitePages, ctx: RenderContext) -> None:
    """Declare the index of episodes (in the case-study section) when there is one to list."""
    episodes = study_episodes(ctx.study)
    if episodes:
        site.page(EPISODES_PATH, EPISODES_TITLE, ("Case studies", EPISODES_TITLE),
                  "episodes.md.j2", lambda: {"episodes": episodes})


def dyad_context(ctx: RenderContext, dyad: Dyad) -> dict[str, Any]:
    """What a dyad page needs to show its pairings: ``perspectives`` (the views; in a review
    copy each says why the public site would leave it out) and ``pairing`` (the label)."""
    views = dyad_episodes(dyad)
    if ctx.review:
        clinician = next((c.consent for c in ctx.study.clinicians if c.id == dyad.clinician),
                         Consent())
        opted_in = ctx.study.meta.publication.perspectives
        views = [replace(v, hold=public_hold(
            dyad, clinician, opted_in,
            any(ctx.withheld_reason(q.excerpt.id) for q in v.accounts))) for v in views]
    return {"perspectives": views, "pairing": PAIRING_LABEL}
