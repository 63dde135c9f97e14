"""Start a call from any point, for playtesting: a step, an objection, persona variables.

Pure like the engine: :func:`position` takes the opening state and returns the
state at the asked point, as if the steps before had been done (covered, the
contact identified, objections due earlier set aside) — or with the asked
objection on the table, said by the debtor.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from simulator.dialogue.engine import CallState, Event, _raise
from simulator.errors import UsageError

__all__ = ["VARIABLES", "parse_sets", "position"]

VARIABLES = {
    "patience": int,
    "cooperation": int,
    "irritation": int,
    "concessions": int,
    "identity_confirmed": bool,
    "connected": bool,
}
"""Persona variables a trainer may set (``--set patience=1``)."""


def parse_sets(items: list[str]) -> dict[str, int | bool]:
    """``["patience=1", "connected=oui"]`` → values, with clear errors."""
    values: dict[str, int | bool] = {}
    for item in items:
        name, sep, raw = item.partition("=")
        name = name.strip()
        if not sep or name not in VARIABLES:
            from simulator.content.problems import did_you_mean

            raise UsageError(
                f"--set {item!r} : variable inconnue",
                did_you_mean(name, list(VARIABLES)) or "variables : " + ", ".join(VARIABLES),
            )
        raw = raw.strip().lower()
        if VARIABLES[name] is bool:
            if raw not in ("1", "0", "true", "false", "oui", "non", "yes", "no"):
                raise UsageError(f"--set {name} : oui ou non attendu, pas {raw!r}")
            values[name] = raw in ("1", "true", "oui", "yes")
        else:
            try:
                number = int(raw)
            except ValueError:
                raise UsageError(f"--set {name} : nombre entier attendu, pas {raw!r}") from None
            if not 0 <= number <= 20:
                raise UsageError(f"--set {name} : entre 0 et 20")
            values[name] = number
    return values


def position(
    state: CallState, start_at: str | None = None, sets: Mapping[str, int | bool] | None = None
) -> tuple[CallState, list[Event]]:
    """The call at ``start_at`` (a step or an objection id), with ``sets`` applied."""
    events: list[Event] = []
    setup = state.setup
    steps = setup.method.steps
    if start_at:
        step_ids = [s.id for s in steps]
        objection_ids = [entry[0] for entry in setup.schedule]
        if start_at in step_ids:
            index = step_ids.index(start_at)
            target_objection = None
        elif start_at in objection_ids:
            target_objection = objection_ids.index(start_at)
            at_step = setup.schedule[target_objection][1]
            index = step_ids.index(at_step) + 1 if at_step in step_ids else len(steps) // 2
        else:
            from simulator.content.problems import did_you_mean

            raise UsageError(
                f"`{start_at}` n'est ni une étape de la méthode ni une objection de ce dossier",
                did_you_mean(start_at, step_ids + objection_ids)
                or "étapes : " + ", ".join(step_ids) + " ; objections : " + (", ".join(objection_ids) or "aucune"),
            )
        before = {s.id for s in steps[:index]}
        queue = tuple(
            i for i in state.queue if setup.schedule[i][1] not in before and i != target_objection
        )
        state = replace(
            state,
            step_index=index,
            covered=tuple(s.id for s in steps[:index]),
            connected=True,
            identity_confirmed=any(s.role == "identify" for s in steps[:index]) or state.identity_confirmed,
            queue=queue,
        )
        if target_objection is not None:
            state = replace(state, queue=(*state.queue, target_objection))
            state = _raise(state, target_objection, events, None)
    if sets:
        state = replace(state, **dict(sets))
    return state, events
