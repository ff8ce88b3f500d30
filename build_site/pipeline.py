"""The one place that knows the order of the stages.

``build()`` reads like the table of contents of a build: load, validate, de-identify, select,
analyse, render, assemble and run MkDocs, leak gate, publish. Everything is gathered and
checked before anything is written to the output directory; on any failure the previous output
stays exactly as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from build_site.analyse import analyse
from build_site.analyse.risk import exposures
from build_site.deidentify import Matcher, deidentify, unreplaced_sources
from build_site.deidentify.findings import Finding, FindingCache, find_all, unresolved
from build_site.errors import PrivacyError, Problem
from build_site.gate import Leak, scan_articles, scan_tree
from build_site.load import load_study_folder
from build_site.manifest import build_manifest, signed_off, source_date_epoch
from build_site.publish import MARKER, check_output, discard, publish, staging_dir
from build_site.render.diagrams import DiagramRenderer
from build_site.render.methods_pages import unreported
from build_site.render.pages import Renderer
from build_site.reuse import already_published, fingerprint, record_published
from build_site.select import TEAM_CHOICES, select, select_with_report, withheld_excerpts
from build_site.site import Notice, SiteProject, assemble, load_site_project, mkdocs_build
from build_site.study import Audience, Identifier, IdentifierKind, Study
from build_site.timing import StageClock
from build_site.unlink import THE_CLINICIAN, gate_identifiers, linkages, neutral_ids
from build_site.validate import validate

Progress = Callable[[str], None]
NO_IDENTIFIERS = ("private/identifiers.yml is missing or empty: no name will be replaced on the "
                  "site; list every identifying name there (see guide/preparing-your-study.md)")


@dataclass
class BuildReport:
    """What a build did: page and diagram counts, seconds per stage, the navigation MkDocs was
    given (``nav``: MkDocs' ``nav`` list of ``{title: page.md or [...]}``), and ``reused``: the
    output already held this very build, so MkDocs, the gate and the swap were skipped."""

    out: Path
    pages: int = 0
    diagrams_rendered: int = 0
    diagrams_cached: int = 0
    files_written: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    nav: list[Any] = field(default_factory=list)
    reused: bool = False


def load_and_validate(study_dir: Path) -> Study:
    """Stages 1-2: read and validate a study folder.

    Raises:
        StudyError: any problem in the folder (exit code 2).
    """
    return validate(load_study_folder(study_dir))


def build_directory(out: Path) -> Path:
    """The persistent build directory for output ``out``: ``.<name>.build`` beside it."""
    return out.parent / f".{out.name}.build"


def deidentified_pages(project: SiteProject, study: Study) -> dict[str, bytes]:
    """The hand-written pages of ``project`` with ``study``'s listed identifiers replaced in
    the Markdown ones (docs-relative path -> bytes)."""
    matcher = Matcher(study.identifiers)
    return {
        path: matcher.replace(data.decode("utf-8")).encode("utf-8") if path.endswith(".md")
        else data
        for path, data in project.pages.items()
    }


def build(study_dir: Path, out: Path, config: Path | None = None,
          audience: Audience = "public", progress: Progress = lambda _: None) -> BuildReport:
    """Build the site of the study in ``study_dir`` into ``out``.

    Args:
        study_dir: the study folder.
        out: the output directory (created or replaced as a whole).
        config: an explicit ``mkdocs.yml``; by default the study's own, else the one beside
            it, else the package default.
        audience: "public" (approved, consented material only) or "review".
        progress: called with a short description as each stage finishes.

    Returns:
        A ``BuildReport``.

    Raises:
        StudyError: invalid input or output location (exit 2); PrivacyError: the leak gate
        found a listed identifier in the output (exit 3). In both cases ``out`` is untouched.
    """
    report = BuildReport(out)
    stage = StageClock(report.timings, progress)

    out = check_output(out, study_dir)
    report.out = out
    raw = load_study_folder(study_dir)
    project = load_site_project(study_dir, config)
    stage("load")
    study = validate(raw)
    stage("validate")
    if not study.identifiers:
        report.warnings.append(NO_IDENTIFIERS)
    public = deidentify(study)
    handwritten = deidentified_pages(project, study)
    work = build_directory(out)
    work.mkdir(parents=True, exist_ok=True, mode=0o700)
    (work / MARKER).touch()
    # Hand-written pages are the team's own prose about the study (citations, credits): listed
    # identifiers are replaced in them and the gate checks them, but detectors do not.
    # A public build is refused only for findings in what it would publish.
    scanned = select(public, "public") if audience == "public" else public
    findings = unresolved(find_all(scanned, None, FindingCache(work / "cache" / "findings")),
                          study)
    report.findings = findings
    if findings and audience == "public":
        raise PrivacyError([
            Problem(f.file, f.line, f"possible {f.category} '{f.text}' not resolved",
                    f"list it in private/identifiers.yml or mark it reviewed in "
                    f"private/reviewed.yml (hash: {f.key}); nothing was written")
            for f in findings
        ])
    stage("de-identify")
    shown, withheld = select_with_report(public, audience)
    if audience == "public":
        _refuse_linkages(public, handwritten, report)
    report.warnings += [f"{w.file}: not in this build ({w.reason})" for w in withheld]
    held_back = withheld_excerpts(public)
    for_consent = {k: v for k, v in held_back.items() if v not in TEAM_CHOICES}
    if audience == "public" and for_consent:  # the team's own choices need no reminder
        report.warnings.append(_held_back_summary(for_consent))
    coded = select(public, "review")
    analysis = analyse(shown, coded=coded, counts=shown.meta.publication.counts)
    stage("analyse")
    diagrams = DiagramRenderer(work / "cache" / "diagrams")
    review_data = None
    if audience == "review":
        review_data = {"findings": findings, "withheld": held_back,
                       "exposures": exposures(select(public, "public"))}
    renderer = Renderer(shown, analysis, audience, diagrams, coded=coded,
                        withdrawn=_withdrawn(study), review_data=review_data)
    pages, assets = renderer.all_pages()
    report.warnings += unreported(renderer)
    extra = [{_title(p, handwritten[p]): p} for p in project.markdown_pages()]
    nav = renderer.nav(extra)
    report.nav = nav
    report.pages = len(pages) + len(extra)
    fragments = renderer.diagram_fragments()
    report.diagrams_rendered, report.diagrams_cached = diagrams.rendered, diagrams.cached
    stage("render")
    notice = _notice(audience, shown, report)
    report.files_written = assemble(work / "docs", pages, assets, handwritten)
    settings = {"nav": nav, "site_name": shown.meta.title, "audience": audience,
                "notice": notice and [notice.text, notice.noindex],
                "epoch": source_date_epoch(shown),
                "reviewed_files": sorted(study.reviewed.file_digests())}  # the gate's input
    inputs = fingerprint(project.config, work / "docs", settings, fragments, study.identifiers)
    report.reused = already_published(work, out, inputs)  # reuse.py: the gate passed it
    stage("fingerprint")
    if report.reused:
        return report
    staging = staging_dir(out)
    try:
        mkdocs_build(project.config, work / "docs", staging, nav, shown.meta.title, notice,
                     source_date_epoch(shown), fragments)
        stage("mkdocs")
        leaks = scan_tree(staging, [*study.identifiers, *_unlinked_ids(study, shown)],
                          study.reviewed.file_digests())
        leaks += _clinicians_on_dyad_pages(staging, shown)
        stage("gate")
        if leaks:
            raise PrivacyError(_leak_problems(out, leaks, study))
        publish(staging, out)
        record_published(work, out, inputs)
        stage("publish")
    finally:
        discard(staging)
    return report


def _leak_problems(out: Path, leaks: list[Leak], study: Study) -> list[Problem]:
    sources = unreplaced_sources(study)
    listed = {id(i) for i in study.identifiers}
    problems = []
    for leak in leaks:
        ident = leak.identifier
        if id(ident) not in listed:
            problems.append(Problem(
                f"{out.name}/{leak.where}", 0,
                f"case-study id '{ident.text}' found in the output, which hides clinicians "
                "(publication.hide_clinician)",
                "it comes from text published as written (model.yml, codebook.yml, team "
                "names, hand-written pages), or is written in a case-study file in a form the "
                "masking does not read (inside a link, an HTML entity or percent-encoding): "
                "rewrite it there"))
            continue
        problems.append(Problem(
            f"{out.name}/{leak.where}", 0,
            f"listed identifier ({ident.kind.value}, replaced by '{ident.replacement}') found "
            "in the output",
            "it comes from text published as written: " + ", ".join(sources[id(ident)])
            if id(ident) in sources else
            "the new site was discarded; the previous one is unchanged"))
    return problems


def linkage_problems(public: Study, handwritten: dict[str, bytes]) -> list[Problem]:
    """For a study that hides clinicians: what in the public build would still tie dyads to
    clinicians (:func:`build_site.unlink.linkages`).

    Args:
        public: the de-identified study (all of it; the public selection is made here).
        handwritten: the de-identified hand-written pages (docs-relative path -> bytes).
    """
    if not public.meta.publication.hide_clinician:
        return []
    return linkages(select(public, "public", keep_links=True), _markdown_pages(handwritten))


def _refuse_linkages(public: Study, handwritten: dict[str, bytes], report: BuildReport) -> None:
    if not public.meta.publication.hide_clinician:
        return
    linked = select(public, "public", keep_links=True)
    if len(linked.clinicians) < 2:
        report.warnings.append("publication.hide_clinician: only one clinician is shown, so "
                               "every dyad is visibly theirs; hiding the tie protects nothing")
    links = linkages(linked, _markdown_pages(handwritten))
    if links:
        raise PrivacyError(links)


def _markdown_pages(handwritten: dict[str, bytes]) -> dict[str, str]:
    return {f"docs/{path}": data.decode("utf-8", "replace")
            for path, data in handwritten.items() if path.endswith(".md")}


def _held_back_summary(held_back: dict[str, str]) -> str:
    counts: dict[str, int] = {}
    for reason in held_back.values():
        counts[reason] = counts.get(reason, 0) + 1
    reasons = "; ".join(f"{reason}: {n}" for reason, n in sorted(counts.items()))
    return (f"{len(held_back)} excerpt{'s' if len(held_back) != 1 else ''} not on the public "
            f"site for want of consent ({reasons}); the review copy marks each one")


def _unlinked_ids(study: Study, shown: Study) -> list[Identifier]:
    """For a build that hides clinicians: the original dyad and excerpt ids, which no
    published byte may carry."""
    return [] if shown.clinician_links else gate_identifiers(study, neutral_ids(study))


def _clinicians_on_dyad_pages(staging: Path, shown: Study) -> list[Leak]:
    """For a build that hides clinicians: any clinician id on a dyad page."""
    if shown.clinician_links or not (staging / "dyads").is_dir():
        return []
    ids = [Identifier(text=c.id, replacement=THE_CLINICIAN, kind=IdentifierKind.other,
                      case_sensitive=True) for c in shown.clinicians]
    return [Leak(f"dyads/{leak.where}", leak.identifier)
            for leak in scan_articles(staging / "dyads", ids)]


def _notice(audience: Audience, shown: Study, report: BuildReport) -> Notice | None:
    if audience == "review":
        return Notice("Review copy for the analysis team: not for publication or citation.",
                      noindex=True)
    manifest = build_manifest(shown)
    if shown.meta.sign_off is None:
        report.warnings.append(
            f"not signed off: study.yml has no sign_off yet; run build-site manifest, review "
            f"what it lists, and record its fingerprint ({manifest.digest})")
        return Notice("Not signed off: this content has not been approved for publication.")
    if not signed_off(shown, manifest):
        report.warnings.append(
            f"not signed off: this content ({manifest.digest}) differs from the sign-off in "
            "study.yml; run build-site manifest, review it, and record the new fingerprint")
        return Notice("Not signed off: this content has not been approved for publication.")
    return None


def _withdrawn(study: Study) -> int:
    return sum(c.consent.withdrawn for c in study.clinicians) + sum(
        d.consent.patient.withdrawn for d in study.dyads)


def _title(path: str, data: bytes) -> str:
    for line in data.decode("utf-8", "replace").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return Path(path).stem.replace("-", " ").replace("_", " ").capitalize()
