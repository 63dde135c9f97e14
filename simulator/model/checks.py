"""The protocol of pack checks: what a check returns, and the registry engines add theirs to.

It lives in the model layer so that engine modules (quiz formulas…) register
checks without importing the content loader, and the loader runs them without
the engines importing it back: no import circle between content and engines.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from simulator.model.pack import Pack

__all__ = ["Located", "PackCheck", "register_check", "registered_checks"]

PathT = tuple[str | int, ...]


class Located:
    """A problem found by a check, before its line is looked up."""

    __slots__ = ("code", "hint", "message", "object_id", "path", "severity")

    def __init__(
        self,
        object_id: str,
        path: PathT,
        code: str,
        message: str,
        hint: str = "",
        severity: str = "error",
    ) -> None:
        self.object_id = object_id
        self.path = path
        self.code = code
        self.message = message
        self.hint = hint
        self.severity = severity


PackCheck = Callable[[Pack], Iterable[Located]]
"""A check over a whole pack; engines register theirs (quiz formulas…)."""

_CHECKS: list[PackCheck] = []


def register_check(check: PackCheck) -> PackCheck:
    """Add a pack check (used as a decorator by engine modules)."""
    if check not in _CHECKS:
        _CHECKS.append(check)
    return check


def registered_checks() -> tuple[PackCheck, ...]:
    """The checks engines have registered, in registration order."""
    return tuple(_CHECKS)
