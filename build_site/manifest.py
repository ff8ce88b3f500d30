"""The publication manifest: everything a public build would publish, and its fingerprint.

Publishing is an act the principal investigator (and often the ethics board) signs off. The
manifest lists everything the public build publishes, item by item (:mod:`build_site.published`:
every published string and flag of the study after de-identification and consent selection,
the site configuration, the hand-written files and theme overrides), with a SHA-256 over the
whole. ``study.yml`` records the sign-off (role, name, date, manifest hash); a public build
whose content no longer matches carries a "not signed off" banner, and ``build-site package``
refuses until the sign-off is renewed (``build-site manifest --changes`` says what changed).
"""

from __future__ import annotations

import calendar
import hashlib
import json
import os
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from build_site.published import Item, site_items, study_items
from build_site.study import Study

if TYPE_CHECKING:
    from build_site.pipeline import Prepared


@dataclass(frozen=True)
class Manifest:
    """What a public build publishes: ``items`` (:mod:`build_site.published`, in order) and
    ``digest`` (``sha256:`` followed by 64 hex digits, over their canonical JSON)."""

    items: list[Item]
    digest: str

    def as_json(self) -> list[dict[str, Any]]:
        """The items as JSON objects (what the digest is computed over)."""
        return [item.as_json() for item in self.items]


def manifest_of(items: list[Item]) -> Manifest:
    """The manifest of ``items``, with its fingerprint."""
    canonical = json.dumps([i.as_json() for i in items], sort_keys=True, ensure_ascii=False,
                           separators=(",", ":"))
    return Manifest(items, "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest())


def build_manifest(prepared: Prepared) -> Manifest:
    """The manifest of what the public build of ``prepared`` publishes: every published
    string and flag of its public selection, the site configuration in force, the
    hand-written files and the theme overrides (:mod:`build_site.published`).

    Raises:
        StudyError: the site configuration cannot be read.
    """
    return manifest_of([*study_items(prepared.public),
                        *site_items(prepared.project, prepared.handwritten),
                        *_consent_decisions(prepared.study, prepared.public)])


def _consent_decisions(study: Study, public: Study) -> list[Item]:
    """The team's consent decisions: closed consent findings (``private/reviewed.yml``,
    ``consent:``) and the decisions for patients who did not agree to share with their
    clinician (``insider_decision``), as one item holding only a SHA-256 of them: signed off
    like everything published, while the snapshot, which is public, never says whose consent
    was renewed (a consent choice is never shown). The analytic summaries such a decision
    publishes are items of their own. A study without any keeps its fingerprint."""
    decisions: list[dict[str, Any]] = [
        {"dyad": d.id, **d.insider_decision.model_dump()}
        for d in study.dyads if d.insider_decision]
    resolutions = [r.model_dump() for r in study.reviewed.consent]
    if not decisions and not resolutions:
        return []
    canonical = json.dumps([sorted(resolutions, key=lambda r: (r["file"], r["hash"])),
                            decisions], sort_keys=True, ensure_ascii=False,
                           separators=(",", ":"))
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    items = [Item("recorded decisions", "private", "recorded-decisions",
                  fields={"sha256": digest})]
    items += [Item("analytic summary", d.id, f"dyads/{d.id}#analytic_summary",
                   fields={"text": d.insider_decision.analytic_summary})
              for d in public.dyads
              if d.insider_decision and d.insider_decision.decision == "analytic summary only"]
    return items


def source_date_epoch(study: Study) -> int:
    """The time stamped into generated files (sitemap dates, zip entries), in seconds since
    1970: ``SOURCE_DATE_EPOCH`` when set (reproducible-builds.org), else the sign-off date,
    else the release date, else 1980-01-01 (the earliest a zip entry can carry). Never the
    clock, so two builds of the same input are byte-identical."""
    if os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        return int(os.environ["SOURCE_DATE_EPOCH"])
    meta = study.meta
    for date in (meta.sign_off.date if meta.sign_off else "", meta.date_released):
        try:
            return calendar.timegm(time.strptime(date[:10], "%Y-%m-%d"))
        except ValueError:
            continue
    return 315532800


def signed_off(study: Study, manifest: Manifest) -> bool:
    """Whether ``study``'s ``study.yml`` records a sign-off of exactly this manifest."""
    sign_off = study.meta.sign_off
    return sign_off is not None and sign_off.manifest == manifest.digest


def render_text(manifest: Manifest) -> str:
    """The manifest as readable Markdown, for the sign-off meeting: every item with every
    published field."""
    lines = ["# Publication manifest", "", f"Fingerprint: `{manifest.digest}`", ""]
    for item in manifest.items:
        lines += [f"## {item.label}", ""]
        for path, value in item.fields.items():
            lines += _field_lines(path, value)
        lines.append("")
    return "\n".join(lines)


def _field_lines(path: str, value: Any) -> list[str]:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    if "\n" not in text.strip():
        return [f"- {path}: {text.strip()}"]
    return [f"- {path}:", "", *(f"    {line}" for line in text.strip().splitlines()), ""]
