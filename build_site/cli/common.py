"""What every command shares: the error path, the console, and the common arguments.

One error path for every command (:func:`handle_errors`): a ``StudyError`` prints each problem
(file, line, what to do) and exits with its code (2 invalid input or usage, 3 refused for
privacy); an interrupt exits 130 saying the previous output is unchanged; anything else is an
internal error (exit 1) in one line, with ``--debug`` for the traceback.
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

from build_site.errors import EXIT_INTERNAL, StudyError
from build_site.forked import Terminated, terminate_as_interrupt
from build_site.locate import find_study
from build_site.preflight import operational_errors

F = TypeVar("F", bound=Callable[..., Any])
err = Console(stderr=True, highlight=False, soft_wrap=True)

# No STUDY: the folder holding study.yml, here or above (handle_errors resolves it, so an
# absent study is reported on the one error path; build_site.locate.find_study).
STUDY = click.argument("study", required=False, default=None,
                       type=click.Path(path_type=Path, file_okay=False))
CONFIG = click.option("--config", type=click.Path(path_type=Path, dir_okay=False),
                      help="mkdocs.yml to use (default: the study's own, else the one beside "
                           "it).")
QUIET = click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")


def plural(n: int, word: str) -> str:
    """``n`` and ``word``, with an ``s`` unless ``n`` is 1."""
    return f"{n} {word}" + ("" if n == 1 else "s")


def escape(text: str) -> str:
    """``text`` with rich's markup brackets escaped, so study text prints as written."""
    return text.replace("[", "\\[")


def warn(console: Console, message: str) -> None:
    """Print a warning."""
    console.print(f"[yellow]warning[/yellow] {escape(message)}")


def handle_errors(func: F) -> F:
    """Give a command the one error path of the CLI and a ``--debug`` option; a ``study``
    argument left out becomes the study folder found from here (:func:`find_study`)."""
    @click.option("--debug", "local_debug", is_flag=True,
                  help="Show the traceback of an unexpected error.")
    @wraps(func)
    def wrapper(*args: Any, local_debug: bool = False, **kwargs: Any) -> Any:
        root_debug = click.get_current_context().find_root().params.get("debug", False)
        debug = local_debug or root_debug
        try:
            if "study" in kwargs and kwargs["study"] is None:
                kwargs["study"] = find_study(None)
            with operational_errors(), terminate_as_interrupt():  # a full disk: exit 2
                return func(*args, **kwargs)
        except StudyError as exc:
            for problem in exc.problems:
                err.print(f"[red]error[/red] {escape(str(problem))}")
            sys.exit(exc.exit_code)
        except Terminated:  # SIGTERM: 128 + 15, as a shell reports a process it ended
            err.print("stopped (SIGTERM); the previous output is unchanged")
            sys.exit(143)
        except KeyboardInterrupt:
            err.print("interrupted; the previous output is unchanged")
            sys.exit(130)
        except Exception as exc:
            if debug:
                traceback.print_exc()
            else:
                err.print(f"[red]internal error[/red] {type(exc).__name__}: {escape(str(exc))}"
                          " - rerun with --debug for the traceback")
            sys.exit(EXIT_INTERNAL)

    return wrapper  # type: ignore[return-value]
