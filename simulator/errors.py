"""The one error tree of Relance.

Every error a user can cause (bad content, bad arguments, a broken store, an
export that cannot be written) is a :class:`SimulatorError`. The CLI catches
that base class in one place, prints ``error.message`` (and ``error.hint``) and
exits with ``error.exit_code``. Anything else reaching the top is a bug.

::

    SimulatorError            exit 1
    ├── UsageError            exit 2   bad command-line arguments or input files
    ├── ContentError          exit 1   a pack has problems (carries the records)
    ├── NotFoundError         exit 2   an id (case, quiz…) that no pack defines
    ├── StoreError            exit 1   the SQLite store cannot be used
    └── ExportError           exit 1   an export or attestation cannot be written
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from simulator.content.problems import Problem

__all__ = [
    "ContentError",
    "ExportError",
    "NotFoundError",
    "SimulatorError",
    "StoreError",
    "UsageError",
]


class SimulatorError(Exception):
    """Base of every error a user can cause; carries a message, a hint and an exit code."""

    exit_code: int = 1

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class UsageError(SimulatorError):
    """The command line or one of its input files is wrong."""

    exit_code = 2


class NotFoundError(SimulatorError):
    """An id asked for on the command line is defined by no loaded pack."""

    exit_code = 2


class ContentError(SimulatorError):
    """A content pack has problems; ``problems`` holds every record found."""

    def __init__(self, message: str, problems: Sequence[Problem] = (), hint: str = "") -> None:
        super().__init__(message, hint)
        self.problems = tuple(problems)


class StoreError(SimulatorError):
    """The user's store (SQLite) is unusable: corrupt, foreign or locked."""


class ExportError(SimulatorError):
    """An export, attestation or LRS transfer failed."""
