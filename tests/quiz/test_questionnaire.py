"""Self-assessment: ratings 1–5, before/after, progress per objective."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import msgspec
import pytest

from simulator.errors import UsageError
from simulator.model.questionnaire import Questionnaire
from simulator.quiz.questionnaire import (
    QuestionnaireError,
    compare,
    level_label,
    objective_levels,
    rate,
)

Q = msgspec.convert(
    {
        "kind": "questionnaire",
        "id": "auto",
        "title": "Auto-évaluation",
        "items": [
            {"id": "dso-calcul", "objective": "obj-dso", "text": "Je sais calculer un DSO"},
            {"id": "dso-lire", "objective": "obj-dso", "text": "Je sais interpréter un DSO"},
            {
                "id": "penalites",
                "objective": "obj-penalites",
                "text": "Je sais calculer des pénalités",
            },
        ],
    },
    Questionnaire,
)


def test_ratings_are_recorded_in_item_order() -> None:
    answers = rate(
        Q, {"penalites": 3, "dso-lire": "2", "dso-calcul": 1}, phase="before", free_text="  Rien  "
    )
    assert answers.ratings == (("dso-calcul", 1), ("dso-lire", 2), ("penalites", 3))
    assert answers.free_text == "Rien" and answers.phase == "before"


@pytest.mark.parametrize("bad", [0, 6, -1, 4.5, 3.0, True, None, "trois", "", [3]])
def test_ratings_outside_1_to_5_are_refused(bad: Any) -> None:
    with pytest.raises(QuestionnaireError) as info:
        rate(Q, {"dso-calcul": bad, "dso-lire": 3, "penalites": 3}, phase="before")
    assert "dso-calcul" in info.value.message and "1 à 5" in info.value.hint
    assert isinstance(info.value, UsageError)


def test_unknown_and_missing_items_are_refused() -> None:
    with pytest.raises(QuestionnaireError) as info:
        rate(Q, {"dso-calcl": 3, "dso-lire": 3, "penalites": 3}, phase="before")
    assert "`dso-calcul`" in info.value.hint
    with pytest.raises(QuestionnaireError, match="sans note"):
        rate(Q, {"dso-lire": 3}, phase="before")
    with pytest.raises(QuestionnaireError, match="phase"):
        rate(Q, {"dso-calcul": 3, "dso-lire": 3, "penalites": 3}, phase="pendant")  # type: ignore[arg-type]
    with pytest.raises(QuestionnaireError, match="trop long"):
        rate(
            Q, {"dso-calcul": 3, "dso-lire": 3, "penalites": 3}, phase="after", free_text="x" * 4001
        )


def test_objective_levels_and_labels() -> None:
    answers = rate(Q, {"dso-calcul": 2, "dso-lire": 3, "penalites": 5}, phase="before")
    levels = objective_levels(Q, answers)
    assert [(lv.objective, lv.mean, lv.items, lv.label) for lv in levels] == [
        ("obj-dso", Decimal("2.50"), 2, "Partiellement maîtrisé"),  # 2.5 rounds half up to 3
        ("obj-penalites", Decimal("5.00"), 1, "Parfaitement maîtrisé"),
    ]


@pytest.mark.parametrize(
    ("mean", "label"),
    [
        ("1", "Pas du tout maîtrisé"),
        ("1.49", "Pas du tout maîtrisé"),
        ("1.5", "Peu maîtrisé"),
        ("4.5", "Parfaitement maîtrisé"),
    ],
)
def test_level_label(mean: str, label: str) -> None:
    assert level_label(Q, Decimal(mean)) == label


# (before ratings, after ratings, expected (objective, before, after, delta))
COMPARE_CASES = [
    (
        {"dso-calcul": 1, "dso-lire": 2, "penalites": 3},
        {"dso-calcul": 4, "dso-lire": 5, "penalites": 3},
        [("obj-dso", "1.50", "4.50", "3.00"), ("obj-penalites", "3.00", "3.00", "0.00")],
    ),
    (
        {"dso-calcul": 5, "dso-lire": 5, "penalites": 4},
        {"dso-calcul": 4, "dso-lire": 3, "penalites": 5},
        [("obj-dso", "5.00", "3.50", "-1.50"), ("obj-penalites", "4.00", "5.00", "1.00")],
    ),
]


@pytest.mark.parametrize(("before", "after", "expected"), COMPARE_CASES)
def test_compare_gives_progress_per_objective(
    before: dict[str, int], after: dict[str, int], expected: list[tuple[str, str, str, str]]
) -> None:
    progress = compare(Q, rate(Q, before, phase="before"), rate(Q, after, phase="after"))
    assert [(p.objective, p.before, p.after, p.delta) for p in progress] == [
        (o, Decimal(b), Decimal(a), Decimal(d)) for o, b, a, d in expected
    ]
    assert all(p.before_label in Q.scale and p.after_label in Q.scale for p in progress)
    assert progress[0].to_dict()["delta"] == float(expected[0][3])


def test_compare_needs_before_then_after() -> None:
    before = rate(Q, {"dso-calcul": 1, "dso-lire": 1, "penalites": 1}, phase="before")
    with pytest.raises(QuestionnaireError):
        compare(Q, before, before)


def test_delta_is_computed_on_exact_means() -> None:
    three = msgspec.convert(
        {
            "kind": "questionnaire",
            "id": "t",
            "title": "T",
            "items": [{"id": f"i{n}", "objective": "o", "text": "?"} for n in range(3)],
        },
        Questionnaire,
    )
    before = rate(three, {"i0": 1, "i1": 2, "i2": 2}, phase="before")  # 1,67
    after = rate(three, {"i0": 4, "i1": 4, "i2": 5}, phase="after")  # 4,33
    (progress,) = compare(three, before, after)
    assert (progress.before, progress.after, progress.delta) == (
        Decimal("1.67"),
        Decimal("4.33"),
        Decimal("2.67"),
    )


def test_a_bad_rating_is_reported_before_missing_items() -> None:
    with pytest.raises(QuestionnaireError, match="n'est pas une note valide"):
        rate(Q, {"penalites": 9}, phase="before")
