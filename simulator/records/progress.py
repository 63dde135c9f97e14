"""A trainee's progress read from the store: mastery per step and objection, trends, score series.

Pure functions over attempts (and follow-up sheets), shared by the results screen and
anything else that reports progress.

* **Mastery** of a step or an objection is a weighted mean of its scores in finished
  calls, the latest weighing most (each earlier call counts :data:`DECAY` times the
  next one): what the trainee does now, without forgetting a one-off.
* A step the call never reached (it ended before) does not count; a skipped step counts 0.
* **Trend** is the latest score minus the mean of up to three before it (None with a
  single call): « ↗ +12 » means the last call did better than the recent ones.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["DECAY", "Mastery", "Point", "mastery", "series"]

DECAY = 0.6
"""Weight of a call relative to the one after it in the mastery mean."""


@dataclass(frozen=True)
class Mastery:
    """How well a trainee handles one step or objection."""

    kind: str
    """``step`` or ``objection``."""
    id: str
    title: str
    mastery: float
    trend: float | None
    count: int
    scores: tuple[float, ...]


@dataclass(frozen=True)
class Point:
    """One scored activity on the progress chart."""

    kind: str
    """``call``, ``quiz``, ``case-study`` or ``sheet`` (a follow-up sheet)."""
    ref: str
    at: str
    """When it was finished (ISO UTC)."""
    score: float


def _weighted(scores: list[float]) -> float:
    weights = [DECAY ** (len(scores) - 1 - i) for i in range(len(scores))]
    return sum(w * s for w, s in zip(weights, scores, strict=True)) / sum(weights)


def _trend(scores: list[float]) -> float | None:
    if len(scores) < 2:
        return None
    before = scores[-4:-1]
    return scores[-1] - sum(before) / len(before)


def _finished_calls(attempts: Iterable[Any]) -> list[Any]:
    calls = [a for a in attempts if a.kind == "call" and a.status == "finished" and a.result]
    return sorted(calls, key=lambda a: (a.finished_at or a.started_at, a.id))


def mastery(attempts: Iterable[Any]) -> list[Mastery]:
    """Mastery and trend per step, then per objection, from the scorecards of finished calls."""
    scores: dict[tuple[str, str], list[float]] = defaultdict(list)
    titles: dict[tuple[str, str], str] = {}
    for attempt in _finished_calls(attempts):
        card = (attempt.result or {}).get("scorecard") or {}
        for step in card.get("steps", []):
            if not step.get("covered", True) and not step.get("skipped", False) and not step.get("attempted", False):
                continue  # not reached (the call ended before): says nothing of the skill
            key = ("step", str(step["id"]))
            scores[key].append(float(step["score"]))
            titles[key] = str(step.get("title", step["id"]))
        for objection in card.get("objections", []):
            key = ("objection", str(objection["id"]))
            scores[key].append(float(objection["score"]))
            titles[key] = str(objection.get("title", objection["id"]))
    ordered = sorted(scores, key=lambda k: (k[0] != "step", list(scores).index(k)))
    return [
        Mastery(kind, key, titles[(kind, key)], _weighted(values), _trend(values), len(values), tuple(values))
        for kind, key in ordered
        for values in [scores[(kind, key)]]
    ]


def series(attempts: Iterable[Any], followups: Mapping[int, Any]) -> list[Point]:
    """Every scored activity in time order: calls, quizzes, case studies and follow-up sheets."""
    points: list[Point] = []
    for attempt in attempts:
        if attempt.status != "finished":
            continue
        if attempt.score is not None and attempt.kind in ("call", "quiz", "case-study"):
            points.append(Point(attempt.kind, attempt.ref, attempt.finished_at or attempt.started_at, float(attempt.score)))
        sheet = followups.get(attempt.id)
        if sheet is not None:
            points.append(Point("sheet", attempt.ref, sheet.saved_at, float(sheet.score)))
    return sorted(points, key=lambda p: p.at)
