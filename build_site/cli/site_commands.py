"""The commands about the site itself: ``build``, ``serve``, ``check``, ``manifest`` and
``schema``. The work is in :mod:`build_site.pipeline` and :mod:`build_site.check`; these
functions read options, print and pick the exit code."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.live import Live
from rich.spinner import Spinner

from build_site.cli.common import (
    CONFIG,
    QUIET,
    STUDY,
    err,
    escape,
    handle_errors,
    plural,
    warn,
)
from build_site.consent.choices import consent_statement_problems
from build_site.consent.contrastive import contrastive_problems
from build_site.errors import EXIT_INVALID, EXIT_OK, EXIT_PRIVACY, Problem, UsageError
from build_site.locate import default_output

if TYPE_CHECKING:
    from build_site.analyse.risk import Exposure
    from build_site.check import CheckReport
    from build_site.engines import EngineName
    from build_site.insider import Statement
    from build_site.manifest import Manifest
    from build_site.privacy import TextReport


@click.command()
@STUDY
@click.option("--out", type=click.Path(path_type=Path),
              help="Output directory, replaced as a whole when the build succeeds "
                   "[default: beside the study folder, STUDY-site, or STUDY-site-review with "
                   "--review].")
@CONFIG
@click.option("--review", is_flag=True, help="Build the team's review copy.")
@click.option("--encrypt", type=click.Path(path_type=Path, dir_okay=False),
              help="With --review: also write the copy as an AES-encrypted zip to this file "
                   "(password from BUILD_SITE_PASSWORD or asked for, never an option).")
@click.option("--engine", type=click.Choice(["mkdocs", "zensical"]), default="mkdocs",
              show_default=True,
              help="Site engine: zensical tries Material's successor (Material ends 2027-05-05).")
@QUIET
@handle_errors
def build(study: Path, out: Path | None, config: Path | None, review: bool,
          encrypt: Path | None, engine: EngineName, quiet: bool) -> None:
    """Build the site of STUDY into --out.

    STUDY defaults to the folder holding study.yml (this one or the nearest above); the site
    goes beside it (my-study/ -> my-study-site/) unless --out names a folder.
    """
    from build_site.pipeline import build as run_build

    out = out or default_output(study, "review" if review else "site")
    password = None
    if encrypt:
        from build_site.outputs.encrypt import check_target, read_password

        if not review:
            raise UsageError("--encrypt is for review copies", "add --review")
        check_target(encrypt, out, study)
        password = read_password()
    console = Console(stderr=True, quiet=quiet, highlight=False, soft_wrap=True)
    spinner = Spinner("dots", "Building…", style="status.spinner")
    # Redrawn as each stage ends, not by rich's refresh thread: with no other thread running,
    # the stages may fork processes (deidentify/detect_pool.py, engines/mkdocs_split.py,
    # privacy/gate_pool.py).
    with Live(spinner, console=console, auto_refresh=False, transient=True) as live:
        def progress(stage: str) -> None:
            spinner.update(text=f"Building: {stage} done")
            live.refresh()

        report = run_build(study, out, config, "review" if review else "public",
                           progress=progress, engine=engine)
    for warning in report.warnings:
        warn(console, warning)
    total = sum(report.timings.values())
    console.print(
        f"Built {report.pages} pages into {report.out} in {total:.1f} s "
        f"(diagrams: {report.diagrams_rendered} rendered, {report.diagrams_cached} cached)."
    )
    if report.reused:
        console.print("Nothing changed since the last build: the published site, already "
                      "checked by the leak gate, was kept as it is.")
    console.print(f"Open {report.out / 'index.html'} in a browser.")
    if encrypt and password:
        from build_site.outputs.encrypt import write_encrypted

        console.print(f"Encrypted copy: {write_encrypted(report.out, encrypt, password)}")
    sys.exit(EXIT_OK)


@click.command()
@STUDY
@click.option("--transcripts", is_flag=True,
              help="List possible identifiers in the private transcripts too.")
@click.option("--risk", is_flag=True,
              help="Report, per participant, the quasi-identifiers the public site shows.")
@click.option("--insider", is_flag=True,
              help="List, per clinician and per other person present, every public statement "
                   "from a patient's side, with that patient's consent.")
@handle_errors
def check(study: Path, transcripts: bool, risk: bool, insider: bool) -> None:
    """Validate STUDY and list possible identifiers the private list missed.

    Exit 0 when all is resolved, 2 on invalid input, 3 when a public build would be refused
    for privacy. Every problem is reported in one run once the study's files read (a wrong
    value or a missing field in a file stops the run first, with every such error at once).
    """
    from build_site.check import check_study
    from build_site.deidentify.findings import describe

    report = check_study(study, risk=risk, insider=insider)
    result = report.prepared.study
    for problem in report.published_as_written:
        err.print(f"[red]refused[/red] {escape(_as_checked(problem))}")
    excerpts = sum(len(d.excerpts) for d in result.dyads)
    click.echo(
        f"{study}: read and validated ({plural(len(result.clinicians), 'clinician')}, "
        f"{plural(len(result.dyads), 'dyad')}, {plural(excerpts, 'dyad excerpt')})."
    )
    for warning in report.warnings:
        warn(err, warning)
    for tracked in report.tracked_private:
        warn(err, f"{tracked}: private material is tracked by git - remove it from version "
             "control (git rm --cached) and add private/ to .gitignore")
    if report.exposures is not None:
        _print_risk(report.exposures)
    if report.statements is not None:
        _print_statements(report.statements)
    for problem in report.insider:
        err.print(f"[red]insider[/red] {escape(_as_checked(problem))}")
    if transcripts:
        for finding in report.transcript_notes:
            err.print(f"[cyan]note[/cyan] {escape(describe(finding))} (private transcript: "
                      "never published; list the name before quoting around it)")
    elif report.transcript_notes:
        err.print(f"[cyan]note[/cyan] {plural(len(report.transcript_notes), 'possible identifier')}"
                  " in the private transcripts (never published); --transcripts lists them")
    for problem in report.linkages:
        err.print(f"[red]linkage[/red] {escape(_as_checked(problem))}")
    for problem in contrastive_problems(report.contrastive):
        err.print(f"[red]contrastive[/red] {escape(_as_checked(problem))}")
    for problem in consent_statement_problems(report.consent_statements):
        err.print(f"[red]consent[/red] {escape(_as_checked(problem))}")
    for finding in report.findings:
        err.print(f"[red]finding[/red] {escape(describe(finding))}")
    if report.findings:
        err.print(f"{plural(len(report.findings), 'unresolved finding')}: a public build is "
                  "refused until each is listed or marked reviewed.")
    _print_text(report.prepared.text)
    _print_placeholders(report)
    # The verdict last, where it is read: "validated" above is not "ready to publish".
    if report.refused:
        err.print("Not ready for a public build: it would be refused for privacy or consent "
                  "(above).")
        sys.exit(EXIT_PRIVACY)
    if report.blocking:
        err.print("Not ready for a public build: placeholders remain (above).")
        sys.exit(EXIT_INVALID)
    # Honest about its reach: the leak gate and the external-load check read the finished
    # site, which check does not build.
    click.echo("Ready for a public build: nothing above stops it (the build still checks the "
               "finished site for listed identifiers and loads from other hosts; the sign-off: "
               "`build-site manifest --changes`).")


def _as_checked(problem: Problem) -> str:
    """``problem`` as ``check`` prints it: without the build's "nothing was written", as check
    writes nothing whatever it finds."""
    return str(replace(problem, hint=problem.hint.removesuffix("; nothing was written")))


def _print_placeholders(report: CheckReport) -> None:
    """List every placeholder, and say how many a public build would refuse."""
    for item in report.placeholders:
        err.print(f"[yellow]placeholder[/yellow] {escape(str(item.problem()))}")
    if report.blocking:
        err.print(f"{plural(len(report.blocking), 'placeholder')} in what a public site would "
                  "publish: a public build is refused (exit 2) until each is replaced.")


def _print_text(text: TextReport) -> None:
    """Consent findings in published free text (refused), then what to review (not)."""
    from build_site.privacy import FOR_REVIEW, consent_problems

    for problem in consent_problems(text):
        err.print(f"[red]consent[/red] {escape(_as_checked(problem))}")
    if text.consent:
        err.print(f"{plural(len(text.consent), 'consent finding')}: a public build is refused "
                  "until each is rewritten or resolved (not-a-match or re-consent).")
    for f in text.review:
        err.print(f"[cyan]review[/cyan] {f.location()}: {FOR_REVIEW[f.rule]}: "
                  f"'{escape(f.text)}' (not blocking)")
    for f in text.sensitive:
        err.print(f"[cyan]sensitive[/cyan] {f.location()}: {f.rule} ('{escape(f.text)}'): "
                  "a sensitive disclosure in published text; check the participant agreed "
                  "to it (not blocking)")


def _print_risk(exposures: list[Exposure]) -> None:
    from rich.table import Table

    table = Table("participant", "file", "shown on the public site", "k", "risk",
                  "in the prose (k does not count these)", title="Disclosure risk")
    for e in exposures:
        shown = "; ".join(f"{k}: {v}" for k, v in e.shown) or "(nothing individual)"
        flag = "UNIQUE" if e.unique else "below minimum cell" if e.at_risk else ""
        prose = "; ".join(f"{f.kind}: '{f.text}' ({f.where})" for f in e.prose)
        table.add_row(e.who, e.file, shown, str(e.k), flag, prose)
    Console(highlight=False).print(table)
    click.echo("k: how many participants the public site shows with the same combination. "
               "UNIQUE (k = 1) means that anyone who knows these facts about a person can "
               "single them out: coarsen or drop a field (publication.dyad_demographics, "
               "age_band_width) or a tagged quasi-identifier. This report advises; it does not "
               "change the exit status. The prose column lists details read in the published "
               "text (years in practice, population figures, unique roles, named places): they "
               "identify whatever k says, and the tool cannot read paraphrase.")


def _print_statements(statements: list[Statement]) -> None:
    from rich.table import Table

    table = Table("reader", "dyad", "statement", "where", "patient's consent",
                  title="What people close to a case can read from the patient's side")
    for s in statements:
        table.add_row(s.reader, s.dyad, s.what, s.where, s.consent)
    Console(highlight=False).print(table)


@click.command()
@STUDY
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the manifest (Markdown) to this file instead of standard output.")
@CONFIG
@click.option("--changes", is_flag=True,
              help="List what changed since the sign-off, item by item, instead.")
@click.option("--record", is_flag=True,
              help="Record the sign-off of this content: a snapshot in STUDY/signed-off/ and "
                   "the sign_off block of study.yml (needs --by and --role).")
@click.option("--by", default="", help="With --record: who signs off.")
@click.option("--role", default="", help="With --record: in what role.")
@click.option("--date", default="", help="With --record: the date, YYYY-MM-DD [default: today].")
@handle_errors
def manifest(study: Path, out: Path | None, config: Path | None, changes: bool, record: bool,
             by: str, role: str, date: str) -> None:
    """List everything the public build of STUDY would publish, with its fingerprint.

    Review it, then record the sign-off with --record --by NAME --role ROLE; --changes lists
    what changed since the last sign-off.
    """
    from build_site.manifest import build_manifest, render_text, signed_off
    from build_site.pipeline import prepare

    prepared = prepare(study, "public", config, scan=False)
    public = prepared.shown
    result = build_manifest(prepared)
    if changes:
        _print_changes(study, public.meta.sign_off.manifest if public.meta.sign_off else None,
                       result)
        return
    text = render_text(result)
    if out:
        out.write_text(text, encoding="utf-8")
    elif not record:
        click.echo(text)
    if record:
        _record(study, result, by, role, date)
        return
    state = "matches the sign-off in study.yml" if signed_off(public, result) else (
        "is NOT signed off: review it, then run build-site manifest --record --by NAME "
        "--role ROLE (build-site manifest --changes lists what changed since the last one)")
    err.print(f"fingerprint {result.digest} {escape(state)}")


def _print_changes(study: Path, signed: str | None, current: Manifest) -> None:
    """Print what changed from the snapshot of the sign-off ``signed`` (a fingerprint, or None
    when study.yml records none) to ``current`` (:mod:`build_site.changes`)."""
    from build_site.changes import compare, render_changes, reordered
    from build_site.signoff import snapshot_for

    if signed is None:
        err.print("study.yml records no sign-off yet: everything is new; build-site manifest "
                  "lists it all")
        return
    if signed == current.digest:
        err.print(f"no change since the sign-off ({signed})")
        return
    before = snapshot_for(study, signed)
    if before is None:
        err.print(f"the signed-off manifest ({signed}) was not recorded in "
                  f"{study / 'signed-off'}, so what changed cannot be listed; review the whole "
                  "manifest (build-site manifest) and record it with --record")
        return
    click.echo(render_changes(compare(before, current), reordered(before, current)), nl=False)
    err.print(f"changed since the sign-off: {signed} -> {current.digest}")


def _record(study: Path, result: Manifest, by: str, role: str, date: str) -> None:
    """Record the sign-off of ``result`` (:func:`build_site.signoff.record`); print the block
    to paste when study.yml cannot be updated in place.

    Raises:
        UsageError: no name or role, or a malformed date (exit 2).
    """
    import datetime

    from build_site.signoff import record

    date = date or datetime.datetime.now(datetime.UTC).date().isoformat()
    done = record(study, result, by, role, date)
    err.print(f"recorded the sign-off of {result.digest} in {done.snapshot}")
    if done.study_updated:
        err.print(f"study.yml: sign_off now records it ({study / 'study.yml'})")
    else:
        err.print("study.yml could not be updated in place (not plain UTF-8 YAML with a block "
                  "mapping at the top); paste this as its sign_off, replacing any there:")
        click.echo(done.paste, nl=False)


@click.command()
def schema() -> None:
    """Print the folder holding the JSON Schemas of the study files (for editors)."""
    from build_site.schema import SCHEMA_DIR

    for path in sorted(SCHEMA_DIR.glob("*.schema.json")):
        click.echo(path)


@click.command()
@STUDY
@click.option("--out", type=click.Path(path_type=Path),
              help="Output directory [default: beside the study folder, STUDY-preview, or "
                   "STUDY-preview-review with --review: never the built site].")
@CONFIG
@click.option("--port", default=8000, show_default=True, help="Port on 127.0.0.1.")
@click.option("--review", is_flag=True, help="Preview the review copy.")
@handle_errors
def serve(study: Path, out: Path | None, config: Path | None, port: int, review: bool) -> None:
    """Build STUDY, serve it on 127.0.0.1 and rebuild when the study changes."""
    from build_site.outputs.serve import serve_forever

    out = out or default_output(study, "preview-review" if review else "preview")
    serve_forever(study, out, config, port, "review" if review else "public", err)


COMMANDS = [build, check, manifest, schema, serve]
