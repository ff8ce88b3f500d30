"""The commands that write the signed-off study for others: ``package`` (a journal
supplement), ``pdf`` (one document for print) and ``packets`` (member-checking packets)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console

from build_site.cli.common import CONFIG, STUDY, handle_errors, warn
from build_site.errors import EXIT_OK
from build_site.locate import default_output


@click.command()
@STUDY
@click.option("--out", type=click.Path(path_type=Path),
              help="Folder for the packets (one sub-folder per clinician) [default: beside "
                   "the study folder, STUDY-packets].")
@handle_errors
def packets(study: Path, out: Path | None) -> None:
    """Write member-checking packets for each clinician of STUDY (consent-checked)."""
    from build_site.build_folder import own_build_folder
    from build_site.outputs.packets import write_packets
    from build_site.pipeline import build_directory, prepare

    out = out or default_output(study, "packets")
    prepared = prepare(study, "packets", scan=False)
    work = build_directory(out.resolve())
    own_build_folder(work)  # its diagram cache is written: never through a link (adv8)
    written = write_packets(prepared, out, work / "cache" / "diagrams")
    for path in written:
        click.echo(path)


@click.command(name="package")
@STUDY
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False),
              help="The zip to write [default: beside the study folder, "
                   "STUDY-supplement.zip].")
@CONFIG
@handle_errors
def package_command(study: Path, out: Path | None, config: Path | None) -> None:
    """Package the public site of STUDY as a journal supplement (refused until signed off)."""
    from build_site.outputs.package import package

    click.echo(package(study, out or default_output(study, "supplement"), config))


@click.command(name="pdf")
@STUDY
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False),
              help="The PDF to write [default: beside the study folder, STUDY.pdf].")
@CONFIG
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors and the file.")
@handle_errors
def pdf_command(study: Path, out: Path | None, config: Path | None, quiet: bool) -> None:
    """Write the public site of STUDY as one PDF for print (refused until signed off)."""
    from build_site.outputs.pdf import export_pdf

    console = Console(stderr=True, quiet=quiet, highlight=False, soft_wrap=True)
    with console.status("Writing the PDF…") as status:
        report = export_pdf(study, out or default_output(study, "pdf"), config,
                            progress=lambda stage: status.update(f"PDF: {stage} done"))
    for warning in report.warnings:
        warn(console, warning)
    total = sum(report.timings.values())
    console.print(f"Wrote {report.pages} site pages as {report.pdf_pages} PDF pages "
                  f"({report.size / 1e6:.1f} MB) in {total:.1f} s.")
    click.echo(report.out)
    sys.exit(EXIT_OK)


COMMANDS = [packets, package_command, pdf_command]
