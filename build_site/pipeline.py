"""The one place that knows the order of the stages.

:func:`prepare` runs the stages every command shares (load, validate, de-identify, select,
find, analyse) and returns one :class:`Prepared` value; :func:`build` is ``prepare`` followed by
render, the site engine (MkDocs), the leak gate and publish. ``check``, ``manifest``,
``package``, ``pdf`` and ``packets`` start from ``prepare`` too, so what they judge is what a
build would publish. Everything is gathered and checked before anything is written to the
output directory; on any failure the previous output stays exactly as it was.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from build_site.analyse import Analysis, analyse
from build_site.analyse.risk import exposures
from build_site.article import unpublished_exemplars
from build_site.build_folder import own_build_folder
from build_site.consent.archive import for_archive
from build_site.consent.choices import (
    ConsentStatement,
    consent_statement_steps,
    refuse_consent_statements,
)
from build_site.consent.contrastive import Contrastive, contrastive_steps, refuse_contrastive
from build_site.deidentify import Matcher, deidentify, unreplaced_sources
from build_site.deidentify.fields import replaced_prose
from build_site.deidentify.findings import Finding, FindingCache, find_all_steps, unresolved
from build_site.deidentify.linkage import THE_CLINICIAN, linkages
from build_site.engines import EngineName, SiteJob, run_engine
from build_site.errors import PrivacyError, Problem
from build_site.forked_map import alone, run_together, value_of
from build_site.gc_stages import pause_collector, resume_collector, settled
from build_site.html_whitespace import strip_site
from build_site.insider import refusals
from build_site.load import load_study_folder
from build_site.manifest import build_manifest, signed_off, source_date_epoch
from build_site.metadata.banner import with_metadata
from build_site.noop import EarlyCheck
from build_site.notfound import fix_not_found
from build_site.offline import load_collector, refuse_external_loads
from build_site.outlock import guarded_output
from build_site.placeholders import find_placeholders, refuse_placeholders
from build_site.preflight import require_graphviz
from build_site.preview import Plan
from build_site.privacy import TextReport, consent_problems, published_text_steps
from build_site.privacy.gate import Leak, scan_articles, scan_tree
from build_site.privacy.selection import (
    TEAM_CHOICES,
    Withheld,
    select,
    select_with_report,
    withheld_excerpts,
)
from build_site.privacy.unlink import gate_identifiers, neutral_ids
from build_site.publish import MARKER, check_output, discard, publish, staging_dir, study_identity
from build_site.render.context import RenderContext
from build_site.render.diagrams import DiagramRenderer
from build_site.render.handwritten import page_sections, page_title
from build_site.render.methods_pages import unreported
from build_site.render.pages import SitePages, declare_site
from build_site.reuse import already_published, fingerprint, record_published
from build_site.site_project import (
    BUILD_FILES,
    Notice,
    SiteProject,
    docs_files,
    load_site_project,
    site_texts,
    write_docs,
)
from build_site.study import Audience, Identifier, IdentifierKind, Study
from build_site.tidy_gate import tidy_and_scan
from build_site.timing import StageClock
from build_site.validate import validate

Progress = Callable[[str], None]
# Who a prepared study is for: the public site, the team's review copy, or the member-checking
# packets (every case a clinician could be shown; each packet then keeps what its clinician's
# patients agreed to share, see packets.packet_quotes).
# "archive": the public selection without the material of participants who did not agree to be
# archived (the supplement zip; see consent.archive).
Purpose = Literal["public", "review", "packets", "archive"]
WITHHELD_CASE = "[a case not published]"
NO_IDENTIFIERS = ("private/identifiers.yml is missing or empty: no name will be replaced on the "
                  "site; list every identifying name there (see guide/preparing-your-study.md)")


def no_identifiers(study_dir: Path) -> str:
    """:data:`NO_IDENTIFIERS`, naming a file in ``private/`` whose name is close to
    ``identifiers.yml`` (``identifier.yml``, ``Identifiers.yaml``): the list the team meant,
    which is not read under another name."""
    folder = study_dir / "private"
    names = sorted(p.name for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []
    near = difflib.get_close_matches("identifiers.yml",
                                     [n for n in names if n != "identifiers.yml"], n=1,
                                     cutoff=0.8)
    return NO_IDENTIFIERS + (f" (private/{near[0]} is not read: rename it identifiers.yml if it "
                             "is the list)" if near else "")


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


@dataclass(frozen=True)
class Refusals:
    """What refuses a public build of what it shows, found while the study is prepared (each
    empty for another purpose): contrastive comments about clinicians outside the study
    (:mod:`build_site.consent.contrastive`), case pages stating a consent choice
    (:mod:`build_site.consent.choices`), insiders (:func:`build_site.insider.refusals`)."""

    contrastive: list[Contrastive] = field(default_factory=list)
    statements: list[ConsentStatement] = field(default_factory=list)
    insider: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class Prepared:
    """A study made ready for one purpose: every stage before rendering, done once.

    Attributes:
        study_dir: the study folder.
        purpose: "public", "review" or "packets".
        study: the validated study as written (its identifier list is what the leak gate
            searches for).
        deidentified: every case, listed identifiers replaced.
        shown: what this purpose shows (the public selection; every case the team may see).
        public: the public selection, whatever the purpose (for the disclosure-risk report
            and the manifest).
        coded: every case the team coded and may see (the review selection).
        withheld: the case studies left out of ``shown``, and why.
        held_back: excerpt id -> why a public build leaves it out (consent, the team's
            choice).
        findings: possible identifiers the list missed and no review resolved, in what this
            purpose would publish (a public build is refused while there are any).
        linkages: for a study that hides clinicians, what would still tie dyads to them.
        analysis: the analysis of ``shown``.
        project: the site configuration and the hand-written pages as the team wrote them.
        handwritten: the hand-written pages, listed identifiers replaced in the Markdown ones.
        warnings: what the team should know (no identifier list, cases left out, quotes held
            back for consent).
        text: what the free text a public build publishes gives away (:mod:`build_site.
            privacy`): consent findings (a public build is refused while any is unresolved),
            computable ages and sensitive disclosures for review.
        refused: what refuses a public build besides findings and ``text`` (:class:`Refusals`;
            empty for a review or packets purpose, and when the study was not scanned).
    """

    study_dir: Path
    purpose: Purpose
    study: Study
    deidentified: Study
    shown: Study
    public: Study
    coded: Study
    withheld: list[Withheld]
    held_back: dict[str, str]
    findings: list[Finding]
    linkages: list[Problem]
    analysis: Analysis
    project: SiteProject
    handwritten: dict[str, bytes]
    warnings: list[str]
    text: TextReport = field(default_factory=TextReport)
    refused: Refusals = field(default_factory=Refusals)

    @property
    def audience(self) -> Audience:
        """The selection rule of :mod:`build_site.privacy.selection` this purpose follows."""
        return "public" if self.purpose in ("public", "archive") else "review"


def load_and_validate(study_dir: Path) -> Study:
    """Read and validate a study folder.

    Raises:
        StudyError: any problem in the folder (exit code 2).
    """
    return validate(load_study_folder(study_dir))


def build_directory(out: Path) -> Path:
    """The persistent build directory for output ``out``: ``.<name>.build`` beside it (a
    build removes every symbolic link there, in it and in its ``cache``, and makes its own
    files and folders in their place: it writes and removes files in them, which must not
    happen wherever a link leads, :mod:`build_site.build_folder`)."""
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


def prepare(study_dir: Path, purpose: Purpose = "public", config: Path | None = None,
            cache: Path | None = None, clock: Progress = lambda _: None, scan: bool = True
            ) -> Prepared:
    """Load, validate, de-identify, select, find and analyse the study in ``study_dir``.

    Args:
        study_dir: the study folder.
        purpose: "public", "review" or "packets" (see :class:`Prepared`).
        config: an explicit ``mkdocs.yml`` (else the study's own, the one beside it, or the
            package default).
        cache: a folder for the detectors' cache (a build's), or None.
        clock: called with each stage's name as it ends ("load", "validate", "de-identify",
            "analyse"), for timings.
        scan: run the detectors; False leaves ``findings`` empty, for callers that only need
            what is published (the manifest's fingerprint), never for one that publishes.

    Returns:
        The :class:`Prepared` study. Nothing is refused here: findings and linkages are
        returned for the caller to refuse, report or show.

    Raises:
        StudyError: the study folder or the site configuration is invalid (exit 2).
    """
    raw = load_study_folder(study_dir)
    project = load_site_project(study_dir, config)
    clock("load")
    study = validate(raw)
    clock("validate")
    deidentified = deidentify(study)
    handwritten = deidentified_pages(project, study)
    public = select(deidentified, "public")
    audience: Audience = "public" if purpose in ("public", "archive") else "review"
    # Findings count only in what this purpose would publish: its cases, every free-text
    # field of the study's YAML files and the hand-written pages.
    scanned = public if audience == "public" else deidentified
    # The prose of the study's YAML files, read once for the detectors and the consent checks.
    prose = replaced_prose(raw, Matcher(study.identifiers)) if scan else []
    shown, withheld = select_with_report(deidentified, audience)
    shown = for_archive(shown) if purpose == "archive" else shown
    # Every check of the text, on one pool (forked_map.run_together): the detectors, the
    # consent checks of published text and, for a public build, what refuses it.
    refuse = audience == "public"
    found, text, contrastive, statements, insider = run_together(
        find_all_steps(scanned, _page_texts(project, handwritten),
                       FindingCache(cache) if cache else None, prose),
        published_text_steps(study, deidentified, public, handwritten,
                             _study_lines(study_dir), prose),
        contrastive_steps(shown, study_dir) if refuse else value_of([]),
        consent_statement_steps(shown, study_dir) if refuse else value_of([]),
        alone(lambda: refusals(study_dir, deidentified, shown)) if refuse else value_of([]),
    ) if scan else ([], TextReport(), [], [], [])
    findings = unresolved(found, study)
    clock("de-identify")
    held_back = withheld_excerpts(deidentified)
    coded = select(deidentified, "review")
    analysis = analyse(shown, coded=coded, counts=shown.meta.publication.counts)
    clock("analyse")
    return Prepared(
        study_dir=study_dir, purpose=purpose, study=study, deidentified=deidentified,
        shown=shown, public=public, coded=coded, withheld=withheld, held_back=held_back,
        findings=findings, linkages=linkage_problems(deidentified, handwritten),
        analysis=analysis, project=project, handwritten=handwritten,
        warnings=[*project.notes, *_warnings(study, study_dir, purpose, withheld, held_back),
                  *unpublished_exemplars(raw.study, study, shown)],
        text=text, refused=Refusals(contrastive, statements, insider))


def _study_lines(study_dir: Path) -> Callable[[str], list[str]]:
    """The lines of a study file as written (none when it cannot be read)."""
    def lines(rel: str) -> list[str]:
        try:
            return (study_dir / rel).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            return []
    return lines


def _warnings(study: Study, study_dir: Path, purpose: Purpose, withheld: list[Withheld],
              held_back: dict[str, str]) -> list[str]:
    warnings = [] if study.identifiers else [no_identifiers(study_dir)]
    warnings += [f"{w.file}: not in this build ({w.reason})" for w in withheld]
    for_consent = {k: v for k, v in held_back.items() if v not in TEAM_CHOICES}
    if purpose == "public" and for_consent:  # the team's own choices need no reminder
        warnings.append(_held_back_summary(for_consent))
    return warnings


def refuse_findings(prepared: Prepared) -> None:
    """Refuse a public build while possible identifiers are unresolved.

    Raises:
        PrivacyError: one problem per finding, with the file, line and what to do (exit 3).
    """
    if prepared.findings:
        raise PrivacyError([
            Problem(f.file, f.line, f"possible {f.category} '{f.text}' not resolved",
                    f"list it in private/identifiers.yml or mark it reviewed in "
                    f"private/reviewed.yml (hash: {f.key}); nothing was written")
            for f in prepared.findings
        ])


def build(study_dir: Path, out: Path, config: Path | None = None,
          audience: Audience = "public", progress: Progress = lambda _: None,
          archive: bool = False, engine: EngineName = "mkdocs", incremental: bool = False
          ) -> BuildReport:
    """:func:`_build`, once Graphviz is known to run, with the output's lock held and an
    old copy left by an interrupted build restored first (:func:`outlock.guarded_output`).

    Raises:
        UsageError: Graphviz is missing, or another build held the output too long (exit 2);
        and everything :func:`_build` raises.
    """
    graphviz = require_graphviz()
    with guarded_output(out, study_dir), settled():  # gc_stages.py: see StageClock below
        return _build(study_dir, out, config, audience, progress, archive, engine, graphviz,
                      incremental)


def _build(study_dir: Path, out: Path, config: Path | None = None,
           audience: Audience = "public", progress: Progress = lambda _: None,
          archive: bool = False, engine: EngineName = "mkdocs", graphviz: str = "",
           incremental: bool = False) -> BuildReport:
    """Build the site of the study in ``study_dir`` into ``out``.

    Args:
        study_dir: the study folder.
        out: the output directory (created or replaced as a whole).
        config: an explicit ``mkdocs.yml``; by default the study's own, else the one beside
            it, else the package default.
        audience: "public" (approved, consented material only) or "review".
        archive: a public build for deposit: without the material of participants who did not
            agree to be archived (:mod:`build_site.consent.archive`).
        progress: called with a short description as each stage finishes.
        engine: the site engine (:mod:`build_site.engines`).
        graphviz: Graphviz's version (part of the source fingerprint, :mod:`build_site.noop`).
        incremental: a preview (``serve``): rebuild only the pages that changed and gate only
            the files that changed, when :mod:`build_site.preview` can vouch for it.

    Returns:
        A ``BuildReport``; ``reused`` when the output already held this very build.

    Raises:
        StudyError: invalid input or output location (exit 2); PrivacyError: unresolved
        findings, a tie between dyads and clinicians the study hides, or the leak gate found a
        listed identifier in the output (exit 3). In every case ``out`` is untouched.
    """
    report = BuildReport(out)
    stage = StageClock(report.timings, progress, settling=True)
    pause_collector()  # until the site engine's stage (gc_stages.py); build() turns it back on
    out = check_output(out, study_dir)
    report.out = out
    work = build_directory(out)
    own_build_folder(work)  # ours alone: nothing written through a link (build_folder.py)
    (work / MARKER).touch()
    purpose: Purpose = "archive" if archive and audience == "public" else audience
    early = EarlyCheck(study_dir, out, config, purpose, engine, graphviz)  # noop.py
    if early.replay(work, report):
        stage("fingerprint")
        return report
    prepared = prepare(study_dir, purpose, config, work / "cache" / "findings", stage)
    report.findings = prepared.findings
    report.warnings += prepared.warnings
    if audience == "public":
        refuse_placeholders(prepared.shown, prepared.study, study_dir)
        refuse_findings(prepared)
        if prepared.text.consent:
            raise PrivacyError(consent_problems(prepared.text))
        refused = prepared.refused  # found in prepare(), refused here in this order
        refuse_contrastive(refused.contrastive)
        refuse_consent_statements(refused.statements)
        if prepared.linkages:
            raise PrivacyError(prepared.linkages)
        if refused.insider:
            raise PrivacyError(refused.insider)
        report.warnings += _unlinked_warning(prepared)
    shown = prepared.shown
    ctx = _render_context(prepared, DiagramRenderer(work / "cache" / "diagrams"))
    site = declare_pages(prepared, ctx)
    pages, assets = site.render(ctx)
    report.warnings += unreported(ctx)
    report.nav = site.nav()
    report.pages = len(pages) + len(prepared.project.markdown_pages())
    fragments = ctx.diagram_fragments()
    report.diagrams_rendered = ctx.diagrams.rendered
    report.diagrams_cached = ctx.diagrams.cached
    stage("render")
    notice = with_metadata(_notice(prepared, report), shown, audience)
    docs = docs_files(pages, assets, prepared.handwritten)
    report.files_written = write_docs(work / "docs", docs)
    settings = {"nav": report.nav, "site_name": shown.meta.title, "audience": audience,
                "notice": notice and [notice.text, notice.noindex, notice.head],
                "epoch": source_date_epoch(shown),
                "reviewed_files": sorted(prepared.study.reviewed.file_digests())}  # gate input
    if engine != "mkdocs":
        settings["engine"] = engine
    inputs = fingerprint(prepared.project.config, work / "docs", settings, fragments,
                         prepared.study.identifiers, docs,  # digested from memory
                         ctx.lifted)  # lifted blocks: their keys are their digests
    report.reused = already_published(work, out, inputs)  # reuse.py: the gate passed it
    stage("fingerprint")
    if report.reused:
        if early.sources:  # remembered, so the next no-op stops before prepare()
            record_published(work, out, inputs, early.record(report))
        return report
    study = prepared.study
    gate_ids = [*study.identifiers, *_unlinked_ids(study, shown), *_withheld_ids(prepared)]
    resume_collector()  # the site engine makes garbage in cycles
    staging = staging_dir(out)
    try:
        job = SiteJob(prepared.project.config, work / "docs", staging, report.nav,
                      shown.meta.title, notice, source_date_epoch(shown), fragments)
        plan = Plan(work, out, job, settings, gate_ids, _hidden_clinicians(shown)) if (
            incremental and engine == "mkdocs") else None  # preview.py: serve's rebuilds
        if plan:
            plan.run(lambda j: run_engine(engine, j))
        else:
            run_engine(engine, job)
        fix_not_found(staging)
        stage("mkdocs")
        if plan:  # a full build strips indentation no browser shows in the gate's pass
            strip_site(staging, plan.unchanged())
            stage("tidy")
        loads = load_collector(prepared.project)  # offline.py: read in the gate's pass
        with plan.checked_tree() if plan else nullcontext(staging) as tree:
            leaks = (scan_tree if plan else tidy_and_scan)(  # tidy_gate.py
                tree, gate_ids, study.reviewed.file_digests(), also=loads)
            leaks += _clinicians_on_dyad_pages(tree, shown)
            stage("gate" if plan else "tidy+gate")
            if leaks:
                raise PrivacyError(_leak_problems(out, leaks, study))
            refuse_external_loads(tree, prepared.project, study_dir, loads)  # offline.py
        publish(staging, out, study_identity(study_dir, shown.meta.title, audience))
        record_published(work, out, inputs, early.record(report))
        if plan:
            plan.record()
        stage("publish")
    finally:
        discard(staging)
    return report


def _render_context(prepared: Prepared, diagrams: DiagramRenderer) -> RenderContext:
    """The render context of a prepared build (a review copy carries what only the team
    sees: findings, why excerpts are held back, disclosure risk)."""
    review_data = None
    if prepared.audience == "review":
        review_data = {"findings": prepared.findings, "withheld": prepared.held_back,
                       "exposures": exposures(prepared.public), "text": prepared.text,
                       "placeholders": find_placeholders(prepared.study, prepared.study_dir)}
    return RenderContext(prepared.shown, prepared.analysis, prepared.audience, diagrams,
                         coded=prepared.coded, withdrawn=_withdrawn(prepared.study),
                         review_data=review_data)


def declare_pages(prepared: Prepared, ctx: RenderContext | None = None) -> SitePages:
    """Every page of the prepared site, declared (not rendered), with the team's own files.

    Args:
        prepared: the prepared study.
        ctx: the render context; by default one that renders nothing (enough to declare, as
            ``check`` does).

    Raises:
        StudyError: two pages at one path, or a hand-written file at a generated path or in a
            folder of generated pages (exit 2).
    """
    if ctx is None:
        ctx = RenderContext(prepared.shown, prepared.analysis, prepared.audience,
                            DiagramRenderer(Path("unused")))
    project = prepared.project
    handwritten = [(path, _title(path, data) if path.endswith(".md") else path,
                    project.source(path)) for path, data in sorted(prepared.handwritten.items())]
    return declare_site(ctx, handwritten, BUILD_FILES,
                        page_sections(prepared.handwritten, project.source))


def _unlinked_warning(prepared: Prepared) -> list[str]:
    if not prepared.study.meta.publication.hide_clinician:
        return []
    if len(select(prepared.deidentified, "public", keep_links=True).clinicians) < 2:
        return ["publication.hide_clinician: only one clinician is shown, so every dyad is "
                "visibly theirs; hiding the tie protects nothing"]
    return []


def _leak_problems(out: Path, leaks: list[Leak], study: Study) -> list[Problem]:
    sources = unreplaced_sources(study)
    listed = {id(i) for i in study.identifiers}
    problems = []
    for leak in leaks:
        ident = leak.identifier
        if ident.replacement == WITHHELD_CASE:
            problems.append(Problem(
                f"{out.name}/{leak.where}", 0,
                f"the id of case study '{ident.text}', which this public build leaves out, "
                "is named in the output",
                "a withheld case must not be identifiable: take its id out of the text that "
                "names it (another case's narrative, study.yml, a hand-written page)"))
            continue
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
    clinicians (:func:`build_site.deidentify.linkage.linkages`).

    Args:
        public: the de-identified study (all of it; the public selection is made here).
        handwritten: the de-identified hand-written pages (docs-relative path -> bytes).
    """
    if not public.meta.publication.hide_clinician:
        return []
    return linkages(select(public, "public", keep_links=True), _markdown_pages(handwritten))


def _page_texts(project: SiteProject, handwritten: dict[str, bytes]) -> dict[str, str]:
    """The de-identified hand-written Markdown pages for the detectors, named by their docs
    folder (``docs/about.md``) so that a review of a finding holds on every machine, and the
    site configuration's text that every page shows (``mkdocs.yml``: site name, description,
    author, copyright)."""
    folder = project.docs.name if project.docs else "docs"
    texts = {f"{folder}/{path}": data.decode("utf-8", "replace")
             for path, data in handwritten.items() if path.endswith(".md")}
    shown = site_texts(project.config)
    if shown:
        texts[project.config.name] = shown
    return texts


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


def _withheld_ids(prepared: Prepared) -> list[Identifier]:
    """For a public build: the ids of the case studies it leaves out (draft, no public
    consent, withdrawn), which no published byte may name: a withheld case stays
    unidentifiable (its id, and its excerpts' ids, which begin with it)."""
    if prepared.audience != "public" or not prepared.shown.clinician_links:
        return []  # (a study that hides clinicians gates every original id already)
    shown = {c.id for c in prepared.shown.clinicians} | {d.id for d in prepared.shown.dyads}
    every = [c.id for c in prepared.deidentified.clinicians]
    every += [d.id for d in prepared.deidentified.dyads]
    return [Identifier(text=case, replacement=WITHHELD_CASE, kind=IdentifierKind.other,
                       case_sensitive=True) for case in every if case not in shown]


def _hidden_clinicians(shown: Study) -> list[str]:
    """The clinician ids no dyad page may name (a study that hides clinicians), else none."""
    return [] if shown.clinician_links else [c.id for c in shown.clinicians]


def _clinicians_on_dyad_pages(staging: Path, shown: Study) -> list[Leak]:
    """For a build that hides clinicians: any clinician id on a dyad page."""
    if shown.clinician_links or not (staging / "dyads").is_dir():
        return []
    ids = [Identifier(text=c.id, replacement=THE_CLINICIAN, kind=IdentifierKind.other,
                      case_sensitive=True) for c in shown.clinicians]
    return [Leak(f"dyads/{leak.where}", leak.identifier)
            for leak in scan_articles(staging / "dyads", ids)]


def _notice(prepared: Prepared, report: BuildReport) -> Notice | None:
    if prepared.audience == "review":
        return Notice("Review copy for the analysis team: not for publication or citation.",
                      noindex=True)
    shown = prepared.shown
    manifest = build_manifest(prepared)
    if shown.meta.sign_off is None:
        report.warnings.append(
            f"not signed off: study.yml has no sign_off yet; run build-site manifest, review "
            f"what it lists, and record the sign-off of its fingerprint ({manifest.digest}) "
            "with build-site manifest --record --by NAME --role ROLE")
        return Notice("Not signed off: this content has not been approved for publication.")
    if not signed_off(shown, manifest):
        report.warnings.append(
            f"not signed off: this content ({manifest.digest}) differs from the sign-off in "
            "study.yml; build-site manifest --changes lists what changed; review it and record "
            "the new sign-off (build-site manifest --record --by NAME --role ROLE)")
        return Notice("Not signed off: this content has not been approved for publication.")
    return None


def _withdrawn(study: Study) -> int:
    return sum(c.consent.withdrawn for c in study.clinicians) + sum(
        d.consent.patient.withdrawn for d in study.dyads)


def _title(path: str, data: bytes) -> str:
    return page_title(data.decode("utf-8", "replace"), path)
