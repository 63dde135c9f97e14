"""The call scorecard: a score per step and per objection, overall /100, outcome, violations."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from simulator.dialogue.engine import SUCCESS, CallState

__all__ = [
    "FATAL_CAP",
    "NO_OBJECTIVE_CAP",
    "ORDER_PENALTY",
    "UNSUCCESSFUL_CAP",
    "ObjectionResult",
    "Scorecard",
    "StepResult",
    "scorecard",
]

ORDER_PENALTY = 3
"""Points off the overall score per skipped step."""
FATAL_CAP = 20
"""Highest overall score of a call ended by a fatal fault."""
UNSUCCESSFUL_CAP = 39
"""Highest overall score of a call that did not reach its objective's kind of outcome."""
NO_OBJECTIVE_CAP = 69
"""Highest overall score when a commitment was obtained but falls short of the objective."""


@dataclass(frozen=True)
class StepResult:
    id: str
    title: str
    weight: int
    score: int
    covered: bool
    skipped: bool


@dataclass(frozen=True)
class ObjectionResult:
    id: str
    title: str
    weight: int
    score: int


@dataclass(frozen=True)
class Scorecard:
    steps: tuple[StepResult, ...]
    objections: tuple[ObjectionResult, ...]
    overall: int
    outcome: str | None
    objective_met: bool
    violations: tuple[str, ...]
    skipped: tuple[str, ...]
    commitment: dict[str, Any] | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "overall": self.overall,
            "outcome": self.outcome,
            "objective_met": self.objective_met,
            "steps": [s.__dict__ for s in self.steps],
            "objections": [o.__dict__ for o in self.objections],
            "violations": list(self.violations),
            "skipped": list(self.skipped),
            "commitment": self.commitment,
        }


def scorecard(state: CallState) -> Scorecard:
    """Summarise a call (finished or not)."""
    setup = state.setup
    situation = setup.case.situation
    best = dict(state.step_scores)
    handled = dict(state.handled)
    steps: list[StepResult] = []
    if situation in ("voicemail", "absent", "wrong-person"):
        key = "messagerie" if situation == "voicemail" else "tiers"
        title = "Message laissé" if situation == "voicemail" else "Tiers au téléphone"
        steps.append(StepResult(key, title, 1, best.get(key, 0), key in best, False))
    else:
        for step in setup.method.steps:
            covered = step.id in state.covered
            if step.optional and not covered:
                continue
            steps.append(
                StepResult(step.id, step.title, step.weight, best.get(step.id, 0) if covered else 0, covered, step.id in state.skipped)
            )
    objections = tuple(
        ObjectionResult(o.id, o.title, o.weight, handled.get(o.id, 0)) for o in setup.objections if o.id in handled
    )
    total_w = sum(s.weight for s in steps) + sum(o.weight for o in objections)
    earned = sum(s.weight * s.score for s in steps) + sum(o.weight * o.score for o in objections)
    overall = earned / total_w if total_w else 0.0
    overall -= ORDER_PENALTY * len(state.skipped)
    fatal = any(t.score is not None and t.score.fatal for t in state.turns)
    success = state.outcome in SUCCESS.get(situation, ())
    if success and situation in ("voicemail", "absent", "wrong-person"):
        # Leaving a message or getting a callback only counts when it was done
        # properly: a decent score and no fault (no debt detail to a third party).
        success = best.get(steps[0].id, 0) >= 60 and not state.violations
    objective_met = success and (state.commitment.objective_met if state.commitment is not None else True)
    if fatal:
        overall = min(overall, FATAL_CAP)
    if not success:
        overall = min(overall, UNSUCCESSFUL_CAP)
    elif not objective_met:
        overall = min(overall, NO_OBJECTIVE_CAP)
    violations = tuple(dict.fromkeys(state.violations))
    return Scorecard(
        steps=tuple(steps),
        objections=objections,
        overall=int(round(max(0.0, min(100.0, overall)))),
        outcome=state.outcome,
        objective_met=objective_met,
        violations=violations,
        skipped=state.skipped,
        commitment=state.commitment.as_dict() if state.commitment else None,
    )
