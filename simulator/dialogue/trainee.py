"""Who the trainee plays in a call, and starting a call as that person.

A case may name the caller the trainee plays (``creditor.caller``); when it names
none, the trainee calls under their own name. Screens, drills and replays start
calls through :func:`start_as` / :func:`play_as` so that the trainee's name reaches
the engine in one place.
"""

from __future__ import annotations

from collections.abc import Sequence

from simulator.dialogue.engine import CallState, Event, Resolver, advance, start
from simulator.model import Case

__all__ = ["caller_name", "play_as", "start_as"]


def caller_name(case: Case, trainee: str = "") -> str:
    """The name the trainee introduces themself with in ``case``.

    The case's caller when it names one; otherwise the trainee's own name.
    """
    return (case.creditor.caller or "").strip() or trainee.strip()


def start_as(case: Case, seed: int, resolver: Resolver, trainee: str = "") -> tuple[CallState, list[Event]]:
    """Open ``case`` played by ``trainee`` (their full name; empty in headless scripts)."""
    return start(case, seed, resolver, trainee)


def play_as(
    case: Case,
    seed: int,
    resolver: Resolver,
    replies: Sequence[str],
    trainee: str = "",
    times: Sequence[float | None] | None = None,
) -> CallState:
    """The state after ``replies`` (stops early if the call ends)."""
    state, _events = start_as(case, seed, resolver, trainee)
    for index, reply in enumerate(replies):
        if state.ended:
            break
        at = times[index] if times is not None and index < len(times) else None
        state, _events = advance(state, reply, at)
    return state
