"""The commands about the site itself: ``build``, ``serve``, ``check``, ``manifest`` and
``schema``. The work is in :mod:`build_site.pipeline` and :mod:`build_site.check`; these
functions read options, print and pick the exit code."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console

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
from build_site.errors import EXIT_OK, EXIT_PRIVACY, UsageError

if TYPE_CHECKING:
    from build_site.analyse.risk import Exposure


@click.command()
@STUDY
@click.option("--out", type=click.Path(path_type=Path),
              help="Output directory, replaced as a whole when the build succeeds "
                   "[default: site, or site-review with --review].")
@CONFIG
@click.option("--review", is_flag=True, help="Build the team's review copy.")
@click.option("--encrypt", type=click.Path(path_type=Path, dir_okay=False),
              help="With --review: also write the copy as an AES-encrypted zip to this file "
                   "(password from BUILD_SITE_PASSWORD or asked for, never an option).")
@QUIET
@handle_errors
def build(study: Path, out: Path | None, config: Path | None, review: bool,
          encrypt: Path | None, quiet: bool) -> None:
    """Build the site of STUDY (default: casestudies) into --out."""
    from build_site.pipeline import build as run_build

    out = out or Path("site-review" if review else "site")
    password = None
    if encrypt:
        from build_site.encrypt import check_target, read_password

        if not review:
            raise UsageError("--encrypt is for review copies", "add --review")
        check_target(encrypt, out, study)
        password = read_password()
    console = Console(stderr=True, quiet=quiet, highlight=False, soft_wrap=True)
    with console.status("Building…") as status:
        report = run_build(study, out, config, "review" if review else "public",
                           progress=lambda stage: status.update(f"Building: {stage} done"))
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
        from build_site.encrypt import write_encrypted

        console.print(f"Encrypted copy: {write_encrypted(report.out, encrypt, password)}")
    sys.exit(EXIT_OK)


@click.command()
@STUDY
@click.option("--transcripts", is_flag=True,
              help="List possible identifiers in the private transcripts too.")
@click.option("--risk", is_flag=True,
              help="Report, per participant, the quasi-identifiers the public site shows.")
@handle_errors
def check(study: Path, transcripts: bool, risk: bool) -> None:
    """Validate STUDY and list possible identifiers the private list missed.

    Exit 0 when all is resolved, 2 on invalid input, 3 when a public build would be refused
    for privacy. Every problem is reported in one run.
    """
    from build_site.check import check_study
    from build_site.deidentify.findings import describe

    report = check_study(study, risk=risk)
    result = report.prepared.study
    if report.published_as_written:
        err.print("[red]refused[/red] a listed identifier appears in text published as written: "
                  + ", ".join(report.published_as_written) + " - rename those ids, labels or "
                  "names")
    excerpts = sum(len(d.excerpts) for d in result.dyads)
    click.echo(
        f"{study}: valid ({plural(len(result.clinicians), 'clinician')}, "
        f"{plural(len(result.dyads), 'dyad')}, {plural(excerpts, 'dyad excerpt')})."
    )
    for warning in report.warnings:
        warn(err, warning)
    for tracked in report.tracked_private:
        warn(err, f"{tracked}: private material is tracked by git - remove it from version "
             "control (git rm --cached) and add private/ to .gitignore")
    if report.exposures is not None:
        _print_risk(report.exposures)
    if transcripts:
        for finding in report.transcript_notes:
            err.print(f"[cyan]note[/cyan] {escape(describe(finding))} (private transcript: "
                      "never published; list the name before quoting around it)")
    elif report.transcript_notes:
        err.print(f"[cyan]note[/cyan] {plural(len(report.transcript_notes), 'possible identifier')}"
                  " in the private transcripts (never published); --transcripts lists them")
    for problem in report.linkages:
        err.print(f"[red]linkage[/red] {escape(str(problem))}")
    for problem in contrastive_problems(report.contrastive):
        err.print(f"[red]contrastive[/red] {escape(str(problem))}")
    for problem in consent_statement_problems(report.consent_statements):
        err.print(f"[red]consent[/red] {escape(str(problem))}")
    for finding in report.findings:
        err.print(f"[red]finding[/red] {escape(describe(finding))}")
    if report.findings:
        err.print(f"{plural(len(report.findings), 'unresolved finding')}: a public build is "
                  "refused until each is listed or marked reviewed.")
    if report.refused:
        sys.exit(EXIT_PRIVACY)


def _print_risk(exposures: list[Exposure]) -> None:
    from rich.table import Table

    table = Table("participant", "file", "shown on the public site", "k", "risk",
                  title="Disclosure risk")
    for e in exposures:
        shown = "; ".join(f"{k}: {v}" for k, v in e.shown) or "(nothing individual)"
        flag = "UNIQUE" if e.unique else "below minimum cell" if e.at_risk else ""
        table.add_row(e.who, e.file, shown, str(e.k), flag)
    Console(highlight=False).print(table)
    click.echo("k: how many participants the public site shows with the same combination. "
               "UNIQUE (k = 1) means that anyone who knows these facts about a person can "
               "single them out: coarsen or drop a field (publication.dyad_demographics, "
               "age_band_width) or a tagged quasi-identifier. This report advises; it does not "
               "change the exit status.")


@click.command()
@STUDY
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the manifest (Markdown) to this file instead of standard output.")
@handle_errors
def manifest(study: Path, out: Path | None) -> None:
    """List everything the public build of STUDY would publish, with its fingerprint.

    Record the fingerprint in study.yml (sign_off.manifest) once it is approved.
    """
    from build_site.manifest import build_manifest, render_text, signed_off
    from build_site.pipeline import prepare

    public = prepare(study, "public", scan=False).shown
    result = build_manifest(public)
    text = render_text(result)
    if out:
        out.write_text(text, encoding="utf-8")
    else:
        click.echo(text)
    state = "matches the sign-off in study.yml" if signed_off(public, result) else (
        "is NOT signed off: add to study.yml\n  sign_off: {role: ..., by: ..., date: ..., "
        f"manifest: \"{result.digest}\"}}")
    err.print(f"fingerprint {result.digest} {state}")


@click.command()
def schema() -> None:
    """Print the folder holding the JSON Schemas of the study files (for editors)."""
    from build_site.schema import SCHEMA_DIR

    for path in sorted(SCHEMA_DIR.glob("*.schema.json")):
        click.echo(path)


@click.command()
@STUDY
@click.option("--out", type=click.Path(path_type=Path),
              help="Output directory [default: site, or site-review with --review].")
@CONFIG
@click.option("--port", default=8000, show_default=True, help="Port on 127.0.0.1.")
@click.option("--review", is_flag=True, help="Preview the review copy.")
@handle_errors
def serve(study: Path, out: Path | None, config: Path | None, port: int, review: bool) -> None:
    """Build STUDY, serve it on 127.0.0.1 and rebuild when the study changes."""
    from build_site.serve import serve_forever

    out = out or Path("site-review" if review else "site")
    serve_forever(study, out, config, port, "review" if review else "public", err)


COMMANDS = [build, check, manifest, schema, serve]
