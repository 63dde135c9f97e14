"""Self-assessment questionnaires: ratings 1–5 before and after, progress per objective.

Why per objective: French training providers must show the entry
positioning and the end-of-training assessment against the training
objectives (Qualiopi indicators 8 and 11, assessment.md §0.6).  Each item
rates one objective; an objective's level is the mean of its items.

Rules:

* every item must be rated, with an integer from 1 to 5 (``"4"`` typed as
  text is accepted; ``4.5``, ``0``, ``6``, ``true`` are refused with a French
  :class:`QuestionnaireError`), unknown item ids are refused with a
  suggestion;
* the free text (« ce que je retiens ») is optional, at most 4 000 characters;
* the phase is ``before`` (positioning) or ``after`` (end of training);
* means are rounded to 2 decimals (half up); the change before → after is
  computed on the exact means, then rounded; the label of a mean is the
  scale's label for the mean rounded half up (3.5 → level 4).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from simulator.errors import UsageError
from simulator.model.questionnaire import Questionnaire

__all__ = [
    "FREE_TEXT_MAX",
    "PHASE_LABELS",
    "ObjectiveLevel",
    "ObjectiveProgress",
    "Phase",
    "QuestionnaireAnswers",
    "QuestionnaireError",
    "compare",
    "default_phase",
    "level_label",
    "objective_levels",
    "rate",
]

Phase = Literal["before", "after"]
PHASE_LABELS = {"before": "positionnement (avant)", "after": "évaluation finale (après)"}
FREE_TEXT_MAX = 4000


def default_phase(recorded: Any) -> Phase:
    """The phase to offer when none is chosen: the positioning first, then the final assessment.

    ``recorded`` holds the phases already recorded for this trainee and questionnaire.
    The app proposes it (the trainee may choose the other) and ``relance questionnaire
    --record`` uses it when ``--phase`` is not given, so both record the same phase.
    """
    return "after" if "before" in set(recorded) else "before"


class QuestionnaireError(UsageError):
    """Ratings that cannot be accepted; the French message says which and why."""


@dataclass(frozen=True, slots=True)
class QuestionnaireAnswers:
    """One trainee's ratings of a questionnaire, for one phase."""

    questionnaire_id: str
    phase: Phase
    ratings: tuple[tuple[str, int], ...]
    free_text: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "questionnaire": self.questionnaire_id,
            "phase": self.phase,
            "ratings": dict(self.ratings),
            "free_text": self.free_text,
        }


def _rating(item_id: str, value: object) -> int:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        shown = value if isinstance(value, int | float | str) else type(value).__name__
        raise QuestionnaireError(
            f"énoncé `{item_id}` : « {shown} » n'est pas une note valide",
            "notez chaque énoncé par un nombre entier de 1 à 5",
        )
    return value


def rate(
    questionnaire: Questionnaire,
    ratings: Mapping[str, object],
    *,
    phase: Phase,
    free_text: str = "",
) -> QuestionnaireAnswers:
    """Check and record ``ratings`` (item id → 1..5); raises :class:`QuestionnaireError`."""
    if phase not in PHASE_LABELS:
        raise QuestionnaireError(f"phase `{phase}` inconnue", "choisissez `before` ou `after`")
    ids = [item.id for item in questionnaire.items]
    for key in ratings:
        if key not in ids:
            close = difflib.get_close_matches(str(key), ids, n=1)
            hint = f"vouliez-vous dire `{close[0]}` ?" if close else "énoncés : " + ", ".join(ids)
            raise QuestionnaireError(f"énoncé `{key}` inconnu du questionnaire", hint)
    for key, value in ratings.items():
        _rating(key, value)  # a bad rating is reported before a missing one
    missing = [i for i in ids if i not in ratings]
    if missing:
        raise QuestionnaireError(
            f"énoncé(s) sans note : {', '.join(missing)}", "notez chaque énoncé de 1 à 5"
        )
    if not isinstance(free_text, str):
        raise QuestionnaireError("le texte libre doit être un texte")
    if len(free_text) > FREE_TEXT_MAX:
        raise QuestionnaireError(f"texte libre trop long (maximum {FREE_TEXT_MAX} caractères)")
    return QuestionnaireAnswers(
        questionnaire_id=questionnaire.id,
        phase=phase,
        ratings=tuple((i, _rating(i, ratings[i])) for i in ids),
        free_text=free_text.strip(),
    )


def _half_up(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def level_label(questionnaire: Questionnaire, mean: Decimal) -> str:
    """The scale's label for ``mean`` rounded half up to a level 1–5."""
    level = int(_half_up(mean, 0))
    return questionnaire.scale[min(5, max(1, level)) - 1]


@dataclass(frozen=True, slots=True)
class ObjectiveLevel:
    """The mean rating of one objective's items."""

    objective: str
    mean: Decimal
    items: int
    label: str


def objective_levels(
    questionnaire: Questionnaire, answers: QuestionnaireAnswers
) -> tuple[ObjectiveLevel, ...]:
    """Mean rating per objective, in the order objectives first appear."""
    if answers.questionnaire_id != questionnaire.id:
        raise QuestionnaireError("ces réponses sont celles d'un autre questionnaire")
    levels = []
    for objective, values in _grouped(questionnaire, answers).items():
        mean = _half_up(Decimal(sum(values)) / len(values), 2)
        levels.append(
            ObjectiveLevel(objective, mean, len(values), level_label(questionnaire, mean))
        )
    return tuple(levels)


def _grouped(questionnaire: Questionnaire, answers: QuestionnaireAnswers) -> dict[str, list[int]]:
    """Ratings per objective, objectives in the order they first appear."""
    given = dict(answers.ratings)
    grouped: dict[str, list[int]] = {}
    for item in questionnaire.items:
        grouped.setdefault(item.objective, []).append(given[item.id])
    return grouped


@dataclass(frozen=True, slots=True)
class ObjectiveProgress:
    """Before/after means of one objective and the change."""

    objective: str
    before: Decimal
    after: Decimal
    delta: Decimal
    before_label: str
    after_label: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "objective": self.objective,
            "before": float(self.before),
            "after": float(self.after),
            "delta": float(self.delta),
            "before_label": self.before_label,
            "after_label": self.after_label,
        }


def compare(
    questionnaire: Questionnaire, before: QuestionnaireAnswers, after: QuestionnaireAnswers
) -> tuple[ObjectiveProgress, ...]:
    """Progress per objective between the ``before`` and ``after`` answers."""
    if before.phase != "before" or after.phase != "after":
        raise QuestionnaireError(
            "comparaison impossible : il faut des réponses « avant » puis « après »"
        )
    first = {lv.objective: lv for lv in objective_levels(questionnaire, before)}
    sums_before, sums_after = _grouped(questionnaire, before), _grouped(questionnaire, after)
    progress = []
    for level in objective_levels(questionnaire, after):
        start = first[level.objective]
        # On the exact means, then rounded: 1,67 → 4,33 is +2,67 (8/3), not +2,66.
        change = sum(sums_after[level.objective]) - sum(sums_before[level.objective])
        progress.append(
            ObjectiveProgress(
                objective=level.objective,
                before=start.mean,
                after=level.mean,
                delta=_half_up(Decimal(change) / level.items, 2),
                before_label=start.label,
                after_label=level.label,
            )
        )
    return tuple(progress)
