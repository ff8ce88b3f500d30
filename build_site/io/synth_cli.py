"""The ``synth`` command: write a deterministic synthetic study folder.

Registered on the main command group by :func:`register`, so ``build_site.cli`` needs one line
and this module never imports it (no import cycle). Exit codes follow the CLI's: 0 success, 2
invalid usage (a count out of range, an output folder that is not empty).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click


def register(group: click.Group) -> None:
    """Add the ``synth`` command to ``group`` (the ``build-site`` command group).

    Args:
        group: the click group to extend.

    Returns:
        None.
    """
    group.add_command(synth)


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
def synth(dyads: int, clinicians: int | None, excerpts_per_dyad: int, seed: int,
          out: Path) -> None:
    """Write a synthetic study folder (for benchmarks and tests) into --out.

    Every case study is approved with full consent, every name in the text is invented and
    listed in private/identifiers.yml, so the folder builds publicly as it is.
    """
    from build_site.io.synth import write_synthetic_study

    count = clinicians if clinicians is not None else default_clinicians(dyads)
    if count > dyads:
        raise click.BadParameter(f"at most --dyads ({dyads})", param_hint="--clinicians")
    try:
        write_synthetic_study(out, dyads, count, excerpts_per_dyad, seed)
    except FileExistsError as exc:
        raise click.UsageError(f"{exc}; choose a new --out") from None
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"Wrote a synthetic study ({_plural(dyads, 'dyad')}, "
               f"{_plural(count, 'clinician')}, {_plural(excerpts_per_dyad, 'excerpt')} per "
               f"dyad, seed {seed}) to {out}.")
    command = sys.argv[0] if Path(sys.argv[0]).name == "build-site" else "build-site"
    click.echo(f"Build it with: {command} build {out} --out {out.with_name(out.name + '-site')}")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def default_clinicians(dyads: int) -> int:
    """The bundled study's ratio of clinicians to dyads (5 to 23), at least 1.

    Args:
        dyads: number of dyads.

    Returns:
        The number of clinicians.
    """
    return max(1, min(dyads, round(dyads * 5 / 23)))
