"""The REFI-QDA commands: ``import-qdpx``, ``import-qdc`` and ``export-qdpx``.

Exit codes as everywhere in the CLI: 0 success; 2 invalid input or usage (including a refused
hostile file, with nothing written); 1 an unexpected error (rerun with ``--debug``).
"""

from __future__ import annotations

from pathlib import Path

import click

from build_site.cli.common import STUDY, err, handle_errors, warn
from build_site.refi_qda.exchange import (
    ExportOptions,
    ImportOptions,
    ImportReport,
    export_qdpx,
    import_qdc,
    import_qdpx,
)
from build_site.refi_qda.mapping import load_mapping


def _print_import(report: ImportReport, to: Path) -> None:
    click.echo(report.markdown())
    click.echo(f"Imported {report.excerpts} excerpts into {to} (report: {to / 'import-report.md'}"
               f"). Next: build-site check {to}; build-site build {to} --review")


@click.command("import-qdpx")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--to", "to", required=True, type=click.Path(path_type=Path),
              help="The new study folder (must not exist, or be empty).")
@click.option("--mapping", type=click.Path(path_type=Path, dir_okay=False),
              help="YAML file mapping sources and cases to clinicians and dyads "
                   "(see guide/importing.md).")
@click.option("--line-endings", type=click.Choice(["auto", "one", "two"]),
              help="How the project counted CRLF in positions: one (ATLAS.ti) or two "
                   "(the standard) [default: auto].")
@click.option("--speaker", type=click.Choice(["patient", "clinician"]),
              help="Who speaks dyad excerpts [default: patient, or the mapping's].")
@handle_errors
def import_qdpx_command(file: Path, to: Path, mapping: Path | None,
                        line_endings: str | None, speaker: str | None) -> None:
    """Import the REFI-QDA project FILE (.qdpx) as a new study folder --to."""
    options = ImportOptions(
        line_endings=line_endings,  # type: ignore[arg-type]  # click.Choice checked it
        speaker=speaker,  # type: ignore[arg-type]
        mapping=load_mapping(mapping) if mapping else None)
    _print_import(import_qdpx(file, to, options), to)


@click.command("import-qdc")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--to", "to", required=True, type=click.Path(path_type=Path),
              help="The new study folder (must not exist, or be empty).")
@handle_errors
def import_qdc_command(file: Path, to: Path) -> None:
    """Import the REFI-QDA code book FILE (.qdc) as a new study folder --to."""
    _print_import(import_qdc(file, to), to)


@click.command("export-qdpx")
@STUDY
@click.option("--out", required=True, type=click.Path(path_type=Path),
              help="The .qdpx file to write (replaced if it exists).")
@click.option("--line-endings", type=click.Choice(["keep", "lf"]), default="keep",
              show_default=True,
              help="lf: write sources with LF only, so ATLAS.ti positions agree.")
@handle_errors
def export_qdpx_command(study: Path, out: Path, line_endings: str) -> None:
    """Export STUDY (default: the folder holding study.yml) as a REFI-QDA project --out (.qdpx)."""
    report = export_qdpx(study, out, ExportOptions(
        line_endings="lf" if line_endings == "lf" else "keep"))
    for warning in report.warnings:
        warn(err, warning)
    click.echo(report.summary())
    click.echo("It holds raw transcripts and unpublished excerpts: keep it private.")


COMMANDS = [import_qdpx_command, import_qdc_command, export_qdpx_command]
