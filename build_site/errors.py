"""Errors and exit codes shared by every stage.

Exit codes (the whole CLI keeps to these): 0 success; 2 invalid input or usage; 3 refused for
privacy (identifier findings, a leak found by the gate, missing consent); 1 unexpected internal
error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_INVALID = 2
EXIT_PRIVACY = 3


@dataclass(frozen=True)
class Problem:
    """One problem in the input: where it is, what is wrong and how to fix it.

    ``file`` is relative to the study folder (POSIX separators); ``line`` is 1-based, or 0 when
    unknown.
    """

    file: str
    line: int
    message: str
    hint: str = ""

    def __str__(self) -> str:
        """``FILE:LINE: message - hint``; without a line ``FILE: ...``; a problem of no file
        (a missing engine) is the message alone, not ``: message``."""
        where = f"{self.file}:{self.line}" if self.line else self.file
        text = f"{where}: {self.message}" if where else self.message
        return f"{text} - {self.hint}" if self.hint else text


@dataclass
class StudyError(Exception):
    """Raised when the study folder is invalid; carries every problem found (exit code 2)."""

    problems: list[Problem] = field(default_factory=list)
    exit_code: int = EXIT_INVALID

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class PrivacyError(StudyError):
    """Raised when publishing would break a privacy promise (exit code 3)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems, exit_code=EXIT_PRIVACY)


class UsageError(StudyError):
    """Raised for a refused command-line request, e.g. a dangerous output path (exit code 2)."""

    def __init__(self, message: str, hint: str = "", path: Path | str = "") -> None:
        super().__init__([Problem(str(path), 0, message, hint)], exit_code=EXIT_INVALID)
