"""The REFI-QDA commands: ``import-qdpx``, ``import-qdc``, ``apply-mapping`` and
``export-qdpx``.

Exit codes as everywhere in the CLI: 0 success; 2 invalid input or usage (including a refused
hostile file, with nothing written); 1 an unexpected error (rerun with ``--debug``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from build_site.cli.common import STUDY, err, handle_errors, warn
from build_site.errors import UsageError

if TYPE_CHECKING:
    from build_site.refi_qda.exchange import ImportReport

# build_site.refi_qda is imported by the commands that use it: every other command (a build
# first) starts without it.

CONSENT = click.option(
    "--consent", type=click.Path(path_type=Path, dir_okay=False),
    help="Consent sheet (CSV, one row per participant; see guide/importing.md).")


def _print_import(report: ImportReport, to: Path) -> None:
    click.echo(report.markdown())
    click.echo(f"Imported {report.excerpts} excerpts into {to} (report: {to / 'import-report.md'}"
               f"). Next: build-site check {to}; build-site build {to} --review; "
               f"build-site apply-mapping {to} --mapping FILE --consent FILE")


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
@CONSENT
@handle_errors
def import_qdpx_command(file: Path, to: Path, mapping: Path | None,
                        line_endings: str | None, speaker: str | None,
                        consent: Path | None) -> None:
    """Import the REFI-QDA project FILE (.qdpx) as a new study folder --to."""
    from build_site.refi_qda.consent_sheet import load_consent_sheet
    from build_site.refi_qda.exchange import ImportOptions, import_qdpx
    from build_site.refi_qda.mapping import load_mapping

    options = ImportOptions(
        line_endings=line_endings,  # type: ignore[arg-type]  # click.Choice checked it
        speaker=speaker,  # type: ignore[arg-type]
        mapping=load_mapping(mapping) if mapping else None,
        consent=load_consent_sheet(consent) if consent else None)
    _print_import(import_qdpx(file, to, options), to)


@click.command("apply-mapping")
@click.argument("study", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option("--mapping", type=click.Path(path_type=Path, dir_okay=False),
              help="YAML mapping file: clinicians, speakers, status, publish and consent "
                   "(see guide/importing.md).")
@CONSENT
@handle_errors
def apply_mapping_command(study: Path, mapping: Path | None, consent: Path | None) -> None:
    """Set roles, consent, status and publish flags of an imported STUDY from a mapping file
    and a consent sheet, rewriting only the case files that change."""
    from build_site.refi_qda.consent_sheet import load_consent_sheet
    from build_site.refi_qda.exchange import apply_mapping
    from build_site.refi_qda.mapping import load_mapping

    if mapping is None and consent is None:
        raise UsageError("give --mapping, --consent or both", "see guide/importing.md")
    report = apply_mapping(study, load_mapping(mapping) if mapping else None,
                           load_consent_sheet(consent) if consent else None)
    for line in report.lines():
        click.echo(f"- {line}")
    click.echo(f"{len(report.lines())} file(s) changed in {study}. Next: build-site check "
               f"{study}")


@click.command("import-qdc")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--to", "to", required=True, type=click.Path(path_type=Path),
              help="The new study folder (must not exist, or be empty).")
@handle_errors
def import_qdc_command(file: Path, to: Path) -> None:
    """Import the REFI-QDA code book FILE (.qdc) as a new study folder --to."""
    from build_site.refi_qda.exchange import import_qdc

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
    from build_site.refi_qda.exchange import ExportOptions, export_qdpx

    report = export_qdpx(study, out, ExportOptions(
        line_endings="lf" if line_endings == "lf" else "keep"))
    for warning in report.warnings:
        warn(err, warning)
    click.echo(report.summary())
    click.echo("It holds raw transcripts and unpublished excerpts: keep it private.")


COMMANDS = [import_qdpx_command, import_qdc_command, apply_mapping_command,
            export_qdpx_command]
