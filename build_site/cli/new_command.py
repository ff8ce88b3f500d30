"""``build-site new DIR``: start a study folder (:mod:`build_site.newstudy`)."""

from __future__ import annotations

import shlex
from pathlib import Path

import click

from build_site.cli.common import handle_errors
from build_site.locate import default_output


@click.command()
@click.argument("directory", type=click.Path(path_type=Path))
@handle_errors
def new(directory: Path) -> None:
    """Write a small example study into DIRECTORY (new or empty) that builds at once.

    One clinician and one dyad with coded excerpts, a small model and codebook, an identifier
    list under private/ (kept out of git by .gitignore), a site configuration and an About
    page. Replace the example content with your own, file by file.
    """
    from build_site.newstudy import write_new_study

    written = write_new_study(directory)
    click.echo(f"Wrote a new study into {directory} ({len(written)} files):")
    for path in written:
        click.echo(f"  {path.relative_to(directory).as_posix()}")
    site = default_output(directory, "site")
    click.echo(
        "\nNext, from inside the folder:\n"
        f"  cd {shlex.quote(str(directory))}\n"
        f"  build-site build      # the public site, into {site}\n"
        "  build-site serve      # or preview it while you edit\n"
        "The site carries a 'Not signed off' banner until the team signs off its content: "
        "review what it publishes with 'build-site manifest', then record the sign-off with "
        "'build-site manifest --record --by NAME --role ROLE'. Nothing is signed off for you.")
