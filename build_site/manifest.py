"""The publication manifest: everything a public build would publish, and its fingerprint.

Publishing is an act the principal investigator (and often the ethics board) signs off. The
manifest lists every narrative, every excerpt and every demographic value per participant that
the public build shows, after de-identification and consent selection, with a SHA-256 over the
whole. ``study.yml`` records the sign-off (role, name, date, manifest hash); a public build
whose content no longer matches carries a "not signed off" banner, and ``build-site package``
refuses until the sign-off is renewed.
"""

from __future__ import annotations

import calendar
import hashlib
import json
import os
import time
from dataclasses import dataclass
from typing import Any

from build_site.analyse.evidence import shown_value
from build_site.study import Study


@dataclass(frozen=True)
class Manifest:
    """What a public build publishes: ``entries`` (canonical, ordered) and ``digest``
    (``sha256:`` followed by 64 hex digits)."""

    entries: list[dict[str, Any]]
    digest: str


def build_manifest(public: Study) -> Manifest:
    """The manifest of ``public``, a study already de-identified and selected for "public"."""
    pub = public.meta.publication
    entries: list[dict[str, Any]] = [{
        "kind": "study", "title": public.meta.title, "overview": public.meta.overview,
        "methods": dict(sorted(public.meta.methods.items())),
    }]
    for clinician in public.clinicians:
        tables = _shown(clinician.demographics, pub.age_band_width)
        entries.append({"kind": "clinician", "id": clinician.id,
                        "narrative": clinician.narrative, "demographics_in_tables": tables})
        entries += [{"kind": "excerpt", "id": e.id, "case": clinician.id,
                     "speaker": e.speaker.value, "text": e.text} for e in clinician.excerpts]
    for dyad in public.dyads:
        page_fields = {k: v for k, v in dyad.demographics.items() if k in pub.dyad_demographics}
        entries.append({
            "kind": "dyad", "id": dyad.id, "clinician": dyad.clinician,
            "narrative": dyad.narrative, "summaries": dict(sorted(dyad.summaries.items())),
            "demographics_on_page": _shown(page_fields, pub.age_band_width),
            "demographics_in_tables": _shown(page_fields, pub.age_band_width),  # as the tables
        })
        entries += [{"kind": "excerpt", "id": e.id, "case": dyad.id, "speaker": e.speaker.value,
                     "role": e.role, "text": e.text} for e in dyad.excerpts]
    canonical = json.dumps(entries, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    digest = "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    return Manifest(entries, digest)


def _shown(demographics: dict[str, Any], width: int) -> dict[str, list[str]]:
    return {k: shown_value(k, v, width) for k, v in sorted(demographics.items())}


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


def signed_off(public: Study, manifest: Manifest) -> bool:
    """Whether ``study.yml`` records a sign-off of exactly this manifest."""
    sign_off = public.meta.sign_off
    return sign_off is not None and sign_off.manifest == manifest.digest


def render_text(manifest: Manifest) -> str:
    """The manifest as readable Markdown, for the sign-off meeting."""
    lines = ["# Publication manifest", "", f"Fingerprint: `{manifest.digest}`", ""]
    for entry in manifest.entries:
        kind = entry["kind"]
        if kind == "study":
            lines += [f"## Study: {entry['title']}", "", entry["overview"].strip(), ""]
        elif kind in ("clinician", "dyad"):
            lines += [f"## {kind.capitalize()} {entry['id']}", ""]
            for key in ("demographics_on_page", "demographics_in_tables"):
                if entry.get(key):
                    shown = "; ".join(f"{k}: {', '.join(v)}" for k, v in entry[key].items())
                    lines.append(f"- {key.replace('_', ' ')}: {shown}")
            lines += ["", entry["narrative"].strip(), ""]
        else:
            lines.append(f"> **{entry['id']}** ({entry['speaker']}): {entry['text'].strip()}")
            lines.append("")
    return "\n".join(lines)
