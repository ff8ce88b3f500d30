"""Command-line interface: commands and exit codes only; the work is in :mod:`pipeline`.

Exit codes: 0 success; 2 invalid input or usage; 3 refused for privacy; 1 unexpected error
(one line, with a hint to rerun with ``--debug`` for the traceback).
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console

from build_site import __version__
from build_site.errors import EXIT_INTERNAL, EXIT_OK, EXIT_PRIVACY, StudyError, UsageError
from build_site.io.qda_cli import register as register_qda
from build_site.io.synth_cli import register as register_synth
from build_site.pipeline import NO_IDENTIFIERS, load_and_validate
from build_site.pipeline import build as run_build
from build_site.preflight import operational_errors

F = TypeVar("F", bound=Callable[..., Any])
err = Console(stderr=True, highlight=False, soft_wrap=True)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _handle_errors(func: F) -> F:
    @click.option("--debug", "local_debug", is_flag=True,
                  help="Show the traceback of an unexpected error.")
    @wraps(func)
    def wrapper(*args: Any, local_debug: bool = False, **kwargs: Any) -> Any:
        root_debug = click.get_current_context().find_root().params.get("debug", False)
        debug = local_debug or root_debug
        try:
            with operational_errors():  # a full disk: exit 2 with what to do
                return func(*args, **kwargs)
        except StudyError as exc:
            for problem in exc.problems:
                err.print(f"[red]error[/red] {_escape(str(problem))}")
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            err.print("interrupted; the previous output is unchanged")
            sys.exit(130)
        except Exception as exc:
            if debug:
                traceback.print_exc()
            else:
                err.print(f"[red]internal error[/red] {type(exc).__name__}: {_escape(str(exc))}"
                          " - rerun with --debug for the traceback")
            sys.exit(EXIT_INTERNAL)

    return wrapper  # type: ignore[return-value]


def _escape(text: str) -> str:
    return text.replace("[", "\\[")


STUDY = click.argument("study", default="casestudies",
                       type=click.Path(path_type=Path, file_okay=False))


@click.group()
@click.version_option(__version__, prog_name="build-site")
@click.option("--debug", is_flag=True, help="Show tracebacks of unexpected errors.")
def main(debug: bool) -> None:
    """Publish a coded qualitative study as a browsable MkDocs Material site."""


@main.command()
@STUDY
@click.option("--out", type=click.Path(path_type=Path),
              help="Output directory, replaced as a whole when the build succeeds "
                   "[default: site, or site-review with --review].")
@click.option("--config", type=click.Path(path_type=Path, dir_okay=False),
              help="mkdocs.yml to use (default: the study's own, else the one beside it).")
@click.option("--review", is_flag=True, help="Build the team's review copy.")
@click.option("--encrypt", type=click.Path(path_type=Path, dir_okay=False),
              help="With --review: also write the copy as an AES-encrypted zip to this file "
                   "(password from BUILD_SITE_PASSWORD or asked for, never an option).")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@_handle_errors
def build(study: Path, out: Path | None, config: Path | None, review: bool,
          encrypt: Path | None, quiet: bool) -> None:
    """Build the site of STUDY (default: casestudies) into --out."""
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
        console.print(f"[yellow]warning[/yellow] {_escape(warning)}")
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


@main.command()
@STUDY
@click.option("--transcripts", is_flag=True,
              help="List possible identifiers in the private transcripts too.")
@click.option("--risk", is_flag=True,
              help="Report, per participant, the quasi-identifiers the public site shows.")
@_handle_errors
def check(study: Path, transcripts: bool, risk: bool) -> None:
    """Validate STUDY and list possible identifiers the private list missed.

    Exit 0 when all is resolved, 2 on invalid input, 3 when findings are unresolved.
    """
    from build_site.deidentify import deidentify, unreplaced_sources
    from build_site.deidentify.findings import (
        describe,
        find_all,
        transcript_findings,
        unresolved,
    )
    from build_site.pipeline import deidentified_pages, linkage_problems
    from build_site.site import load_site_project

    result = load_and_validate(study)
    project = load_site_project(study, None)  # vets the configuration and hand-written pages
    open_findings = unresolved(find_all(deidentify(result)), result)
    published_as_written = unreplaced_sources(result)
    if published_as_written:
        places = sorted({p for ps in published_as_written.values() for p in ps})
        err.print("[red]refused[/red] a listed identifier appears in text published as written: "
                  + ", ".join(places) + " - rename those ids, labels or names")
        sys.exit(EXIT_PRIVACY)
    advisory = unresolved(transcript_findings(result), result)
    excerpts = sum(len(d.excerpts) for d in result.dyads)
    click.echo(
        f"{study}: valid ({_plural(len(result.clinicians), 'clinician')}, "
        f"{_plural(len(result.dyads), 'dyad')}, {_plural(excerpts, 'dyad excerpt')})."
    )
    if not result.identifiers:
        err.print(f"[yellow]warning[/yellow] {NO_IDENTIFIERS}")
    for tracked in tracked_private_files(study, result.meta.demonstration):
        err.print(f"[yellow]warning[/yellow] {tracked}: private material is tracked by git - "
                  "remove it from version control (git rm --cached) and add private/ to "
                  ".gitignore")
    if risk:
        _print_risk(result)
    if transcripts:
        for finding in advisory:
            err.print(f"[cyan]note[/cyan] {_escape(describe(finding))} (private transcript: "
                      "never published; list the name before quoting around it)")
    elif advisory:
        err.print(f"[cyan]note[/cyan] {_plural(len(advisory), 'possible identifier')} in the "
                  "private transcripts (never published); --transcripts lists them")
    links = linkage_problems(deidentify(result), deidentified_pages(project, result))
    for problem in links:
        err.print(f"[red]linkage[/red] {_escape(str(problem))}")
    for finding in open_findings:
        err.print(f"[red]finding[/red] {_escape(describe(finding))}")
    if links and not open_findings:
        sys.exit(EXIT_PRIVACY)
    if open_findings:
        err.print(f"{_plural(len(open_findings), 'unresolved finding')}: a public build is "
                  "refused until each is listed or marked reviewed.")
        sys.exit(EXIT_PRIVACY)


def tracked_private_files(study: Path, demonstration: bool) -> list[str]:
    """Files under the study's ``private/`` that git tracks (none reported for a
    demonstration study, whose private folder is committed on purpose)."""
    import subprocess

    if demonstration or not (study / "private").is_dir():
        return []
    try:
        done = subprocess.run(["git", "ls-files", "--", "private"], cwd=study,
                              capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return []
    return [line for line in done.stdout.splitlines() if line] if done.returncode == 0 else []


def _print_risk(result: Any) -> None:
    from rich.table import Table

    from build_site.analyse.risk import exposures
    from build_site.deidentify import deidentify
    from build_site.select import select

    table = Table("participant", "file", "shown on the public site", "k", "risk",
                  title="Disclosure risk")
    for e in exposures(select(deidentify(result), "public")):
        shown = "; ".join(f"{k}: {v}" for k, v in e.shown) or "(nothing individual)"
        flag = "UNIQUE" if e.unique else "below minimum cell" if e.at_risk else ""
        table.add_row(e.who, e.file, shown, str(e.k), flag)
    Console(highlight=False).print(table)
    click.echo("k: how many participants the public site shows with the same combination. "
               "UNIQUE (k = 1) means that anyone who knows these facts about a person can "
               "single them out: coarsen or drop a field (publication.dyad_demographics, "
               "age_band_width) or a tagged quasi-identifier. This report advises; it does not "
               "change the exit status.")


@main.command()
@STUDY
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the manifest (Markdown) to this file instead of standard output.")
@_handle_errors
def manifest(study: Path, out: Path | None) -> None:
    """List everything the public build of STUDY would publish, with its fingerprint.

    Record the fingerprint in study.yml (sign_off.manifest) once it is approved.
    """
    from build_site.deidentify import deidentify
    from build_site.manifest import build_manifest, render_text, signed_off
    from build_site.select import select

    public = select(deidentify(load_and_validate(study)), "public")
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


@main.command()
@STUDY
@click.option("--out", default="packets", show_default=True, type=click.Path(path_type=Path),
              help="Folder for the packets (one sub-folder per clinician).")
@_handle_errors
def packets(study: Path, out: Path) -> None:
    """Write member-checking packets for each clinician of STUDY (consent-checked)."""
    from build_site.packets import write_packets
    from build_site.pipeline import build_directory

    written = write_packets(load_and_validate(study), study, out,
                            build_directory(out.resolve()) / "cache" / "diagrams")
    for path in written:
        click.echo(path)


@main.command(name="package")
@STUDY
@click.option("--out", default="supplement.zip", show_default=True,
              type=click.Path(path_type=Path, dir_okay=False), help="The zip to write.")
@click.option("--config", type=click.Path(path_type=Path, dir_okay=False),
              help="mkdocs.yml to use (default: the study's own, else the one beside it).")
@_handle_errors
def package_command(study: Path, out: Path, config: Path | None) -> None:
    """Package the public site of STUDY as a journal supplement (refused until signed off)."""
    from build_site.package import package

    click.echo(package(study, out, config))


@main.command(name="pdf")
@STUDY
@click.option("--out", default="study.pdf", show_default=True,
              type=click.Path(path_type=Path, dir_okay=False), help="The PDF to write.")
@click.option("--config", type=click.Path(path_type=Path, dir_okay=False),
              help="mkdocs.yml to use (default: the study's own, else the one beside it).")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors and the file.")
@_handle_errors
def pdf_command(study: Path, out: Path, config: Path | None, quiet: bool) -> None:
    """Write the public site of STUDY as one PDF for print (refused until signed off)."""
    from build_site.pdf import export_pdf

    console = Console(stderr=True, quiet=quiet, highlight=False, soft_wrap=True)
    with console.status("Writing the PDF…") as status:
        report = export_pdf(study, out, config,
                            progress=lambda stage: status.update(f"PDF: {stage} done"))
    for warning in report.warnings:
        console.print(f"[yellow]warning[/yellow] {_escape(warning)}")
    total = sum(report.timings.values())
    console.print(f"Wrote {report.pages} site pages as {report.pdf_pages} PDF pages "
                  f"({report.size / 1e6:.1f} MB) in {total:.1f} s.")
    click.echo(report.out)
    sys.exit(EXIT_OK)


@main.command()
def schema() -> None:
    """Print the folder holding the JSON Schemas of the study files (for editors)."""
    from build_site.schema import SCHEMA_DIR

    for path in sorted(SCHEMA_DIR.glob("*.schema.json")):
        click.echo(path)


@main.command()
@STUDY
@click.option("--out", type=click.Path(path_type=Path),
              help="Output directory [default: site, or site-review with --review].")
@click.option("--config", type=click.Path(path_type=Path, dir_okay=False),
              help="mkdocs.yml to use (default: the study's own, else the one beside it).")
@click.option("--port", default=8000, show_default=True, help="Port on 127.0.0.1.")
@click.option("--review", is_flag=True, help="Preview the review copy.")
@_handle_errors
def serve(study: Path, out: Path | None, config: Path | None, port: int, review: bool) -> None:
    """Build STUDY, serve it on 127.0.0.1 and rebuild when the study changes."""
    from build_site.serve import serve_forever

    out = out or Path("site-review" if review else "site")
    serve_forever(study, out, config, port, "review" if review else "public", err)


register_qda(main)
register_synth(main)

if __name__ == "__main__":
    main()
