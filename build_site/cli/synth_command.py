"""The ``synth`` command: write a deterministic synthetic study folder.

Exit codes follow the CLI's: 0 success, 2 invalid usage (a count out of range, an output
folder that is not empty), through the CLI's one error path.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from build_site.cli.common import handle_errors, plural
from build_site.errors import UsageError


@click.command()
@click.option("--dyads", type=click.IntRange(min=1), default=23, show_default=True,
              help="Number of dyad case studies.")
@click.option("--clinicians", type=click.IntRange(min=1), default=None,
              help="Number of clinicians, at most --dyads [default: dyads x 5/23, as in the "
                   "bundled study].")
@click.option("--excerpts-per-dyad", type=click.IntRange(min=1), default=8, show_default=True,
              help="Coded excerpts in each dyad.")
@click.option("--seed", type=int, default=1, show_default=True,
              help="Random seed; the same options give a byte-identical folder.")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), required=True,
              help="Folder to create (must not exist, or be empty).")
@handle_errors
def synth(dyads: int, clinicians: int | None, excerpts_per_dyad: int, seed: int,
          out: Path) -> None:
    """Write a synthetic study folder (for benchmarks and tests) into --out.

    Every case study is approved with full consent, every name in the text is invented and
    listed in private/identifiers.yml, so the folder builds publicly as it is.
    """
    from build_site.synth import default_clinicians, write_synthetic_study

    count = clinicians if clinicians is not None else default_clinicians(dyads)
    if count > dyads:
        raise UsageError(f"--clinicians ({count}) cannot exceed --dyads ({dyads})",
                         "give at most as many clinicians as dyads")
    try:
        write_synthetic_study(out, dyads, count, excerpts_per_dyad, seed)
    except FileExistsError as exc:
        raise UsageError(str(exc), "choose a new --out", out) from None
    except ValueError as exc:
        raise UsageError(str(exc), "", out) from None
    click.echo(f"Wrote a synthetic study ({plural(dyads, 'dyad')}, "
               f"{plural(count, 'clinician')}, {plural(excerpts_per_dyad, 'excerpt')} per "
               f"dyad, seed {seed}) to {out}.")
    command = sys.argv[0] if Path(sys.argv[0]).name == "build-site" else "build-site"
    click.echo(f"Build it with: {command} build {out} --out {out.with_name(out.name + '-site')}")
