"""Member-checking packets: one per participating clinician, a self-contained HTML document
that opens from disk and prints cleanly.

Patients were interviewed apart from their clinicians, so a packet holds:

- the model (diagram and definitions) and the feedback questions from ``study.yml``;
- the clinician's own interview excerpts (their own words, always theirs to see);
- excerpts from patients (and others present) in the clinician's own dyads only where that
  speaker consented to share with the clinician (``share_with_clinician``), whatever the
  excerpt's publication status;
- illustrations from other clinicians' dyads only where they are cleared for the public site.
- the team's pairings of the patient's and the clinician's accounts of one episode in the
  clinician's own dyads, only where the patient agreed to share with him
  (:func:`packet_episodes`, the rule in :mod:`build_site.perspectives`).

The team's own text in a packet (a pairing's note, the model's definitions, the questions)
carrying words its clinician may not see (another person present who did not agree to share
with him) refuses the packets, as a public build refuses it
(:mod:`build_site.privacy.packet_text`).

Nothing unpublished from another clinician's dyads ever appears. Packets are de-identified and
pass the leak gate before they are written.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from build_site.analyse import Quote, analyse
from build_site.errors import PrivacyError, Problem
from build_site.outlock import guarded_output
from build_site.perspectives import shared_dyad
from build_site.preflight import require_graphviz
from build_site.privacy.gate import scan_tree
from build_site.privacy.packet_text import note_passages, packet_problems, shared_passages
from build_site.privacy.selection import select, speaker_consent
from build_site.publish import discard, publish, staging_dir
from build_site.render.diagrams import DiagramLinks, DiagramRenderer, clean_svg, model_dot
from build_site.render.html import inline_text
from build_site.render.perspective_pages import EpisodeView, dyad_episodes
from build_site.study import Dyad, Kind, Speaker, Study, in_sentence

if TYPE_CHECKING:
    from build_site.pipeline import Prepared

# Asked when study.yml sets no ``feedback_questions``: about the model and the participant's
# own words, in terms any study can use (the study's own questions replace them all).
DEFAULT_QUESTIONS = [
    "Does this model fit your experience? Where does it not?",
    "What is missing from it?",
    "Do the excerpts from your own interview say what you meant?",
]


def packet_quotes(study: Study, clinician_id: str) -> dict[str, list[Quote]]:
    """The excerpts one clinician's packet may show, by section: ``own``, ``patients`` and
    ``others`` (``study`` is the whole, de-identified study)."""
    review = select(study, "review")
    public_ids = {e.id for d in select(study, "public", keep_links=True).dyads
                  for e in d.excerpts}
    consent = {c.id: c.consent for c in review.clinicians}
    own: list[Quote] = []
    patients: list[Quote] = []
    others: list[Quote] = []
    for clinician in review.clinicians:
        if clinician.id == clinician_id:
            own += [Quote(e, clinician.id, None) for e in clinician.excerpts]
    for dyad in review.dyads:
        for excerpt in dyad.excerpts:
            quote = Quote(excerpt, dyad.clinician, dyad.id)
            if dyad.clinician == clinician_id:
                if excerpt.speaker is Speaker.clinician:
                    own.append(quote)
                elif speaker_consent(dyad, excerpt, consent[dyad.clinician]).share_with_clinician:
                    patients.append(quote)
            elif excerpt.id in public_ids and excerpt.speaker is not Speaker.clinician:
                others.append(quote)
    return {"own": own, "patients": patients, "others": others}


def packet_dyads(study: Study, clinician_id: str) -> list[Dyad]:
    """One clinician's dyads with only the pairings his packet may show: those of dyads whose
    patient agreed to share with him (``study`` is the whole, de-identified study)."""
    review = select(study, "review")
    consent = {c.id: c.consent for c in review.clinicians}
    return [shared_dyad(dyad, consent[dyad.clinician], Speaker.clinician)
            for dyad in review.dyads if dyad.clinician == clinician_id]


def packet_episodes(study: Study, clinician_id: str) -> list[EpisodeView]:
    """The pairings one clinician's packet may show (:func:`packet_dyads`)."""
    return [view for dyad in packet_dyads(study, clinician_id)
            for view in dyad_episodes(dyad)]


def packet_consent_problems(prepared: Prepared) -> list[Problem]:
    """Every text of the team a packet would show (a pairing's note, a definition, a feedback
    question) that carries words its clinician may not see
    (:mod:`build_site.privacy.packet_text`), with file and line."""
    study = prepared.deidentified
    shared = shared_passages(prepared.study_dir, prepared.study, study)
    return packet_problems(prepared.study, study, {
        c.id: [*note_passages(packet_dyads(study, c.id)), *shared]
        for c in prepared.coded.clinicians})


def _render(study: Study, clinician_id: str, diagrams: DiagramRenderer) -> str:
    env = Environment(loader=PackageLoader("build_site.render", "templates"), autoescape=True,
                      undefined=StrictUndefined)
    analysis = analyse(select(study, "public", keep_links=True))
    quotes = packet_quotes(study, clinician_id)
    labels = {c.id: c.label for c in study.codebook.codes}
    by_component: dict[str, list[Quote]] = {}
    for quote in quotes["others"]:
        for code in quote.excerpt.codes:
            for target in analysis.code_targets.get(code, ()):
                if (target in analysis.nodes and len(by_component.setdefault(target, [])) < 2
                        and quote not in by_component[target]):
                    by_component[target].append(quote)
    others = [(analysis.nodes[t].label, qs) for t, qs in by_component.items()]
    kinds = []
    for kind in Kind:
        nodes = []
        for node in (n for n in analysis.nodes.values() if n.kind is kind and n.is_component):
            stack = [(node, 0)]
            while stack:
                current, depth = stack.pop(0)
                nodes.append((current, depth))
                stack[0:0] = [(analysis.nodes[c], depth + 1) for c in current.children]
        if nodes:
            kinds.append((kind, study.meta.labels.kinds.of(kind), nodes))
    dot = model_dot(analysis, DiagramLinks(lambda i: "", lambda i: ""), None, "packet")
    clinician = next(c for c in study.clinicians if c.id == clinician_id)
    return env.get_template("packet.html.j2").render(
        clinician=clinician, meta=study.meta,
        questions=study.meta.feedback_questions or DEFAULT_QUESTIONS,
        diagram=Markup(clean_svg(diagrams.svg(dot), "Diagram of the model")), kinds=kinds,
        own=quotes["own"], patients=quotes["patients"], others=others, text=inline_text,
        episodes=packet_episodes(study, clinician_id),
        labels=lambda codes: ", ".join(labels.get(c, c) for c in codes), say=in_sentence,
    )


def write_packets(prepared: Prepared, out: Path, cache: Path) -> list[Path]:
    """Write one packet folder per participating clinician into ``out`` (swapped in whole).

    Args:
        prepared: the study prepared for packets (:func:`build_site.pipeline.prepare`).
        out: the output folder (one sub-folder per clinician).
        cache: the diagram cache folder.

    Raises:
        StudyError: a refused output location (exit 2); PrivacyError: a pairing note carries
        words its reader may not see (:func:`packet_consent_problems`) or the leak gate found
        a listed identifier (exit 3, nothing written).
    """
    require_graphviz()
    refused = packet_consent_problems(prepared)
    if refused:
        raise PrivacyError(refused)
    with guarded_output(out, prepared.study_dir) as resolved:
        return _write_packets(prepared, resolved, cache)


def _write_packets(prepared: Prepared, out: Path, cache: Path) -> list[Path]:
    study = prepared.deidentified
    diagrams = DiagramRenderer(cache)
    staging = staging_dir(out)
    try:
        written = []
        for clinician in prepared.coded.clinicians:
            folder = staging / clinician.id
            folder.mkdir()
            (folder / "index.html").write_text(_render(study, clinician.id, diagrams),
                                               encoding="utf-8")
            written.append(out / clinician.id / "index.html")
        leaks = scan_tree(staging, prepared.study.identifiers,
                          prepared.study.reviewed.file_digests())
        if leaks:
            raise PrivacyError([Problem(f"{out.name}/{leak.where}", 0,
                                        f"listed identifier ({leak.identifier.kind.value}) found",
                                        "nothing was written") for leak in leaks])
        publish(staging, out)
        return written
    finally:
        discard(staging)
