"""Command-line interface: commands, their options and exit codes only; the work is in
:mod:`build_site.pipeline` and the modules it calls.

Exit codes: 0 success; 2 invalid input or usage; 3 refused for privacy; 1 unexpected error
(one line, with a hint to rerun with ``--debug`` for the traceback). Every command goes through
the one error path of :func:`build_site.cli.common.handle_errors`.
"""

from __future__ import annotations

import atexit
import gc

import click

from build_site import __version__
from build_site.cli import new_command, output_commands, qda_commands, site_commands, synth_command


@click.group()
@click.version_option(__version__, prog_name="build-site")
@click.option("--debug", is_flag=True, help="Show tracebacks of unexpected errors.")
def main(debug: bool) -> None:
    """Publish a coded qualitative study as a browsable MkDocs Material site.

    \b
    Start a study with: build-site new DIR
    STUDY, where a command takes one, defaults to the folder holding study.yml
    (this one or the nearest above). Outputs go beside the study folder, named
    after it (my-study-site/, my-study-site-review/, my-study.pdf, ...), unless
    --out names another place.
    """


for _command in [*site_commands.COMMANDS, *output_commands.COMMANDS, *qda_commands.COMMANDS,
                 synth_command.synth, new_command.new]:
    main.add_command(_command)

# What a command built is garbage once it ends, yet Python's finalization would walk all of
# it in its last collections (0.12 s after a build of the bundled study): frozen first (the
# handlers registered before this one, logging's flush among them, still run after it).
atexit.register(gc.freeze)

__all__ = ["main"]
