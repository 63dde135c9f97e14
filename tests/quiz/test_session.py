"""Seeded draws and quiz sessions: determinism, retries, exam mode, time limit, result."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import msgspec
import pytest

from simulator.content.library import load_library
from simulator.errors import NotFoundError
from simulator.model.quiz import QuizBank, Variable
from simulator.quiz.draw import (
    digest,
    draw_value,
    stable_sample,
    stable_shuffle,
    value_count,
    variable_values,
)
from simulator.quiz.session import answer, draw_questions, finish, max_tries, start_quiz

FIXTURE_PACK = Path(__file__).parent / "fixtures" / "pack"


@pytest.fixture(scope="module")
def bank() -> QuizBank:
    return load_library([FIXTURE_PACK], use_cache=False).quiz("quiz-types")


def make_bank(**extra: Any) -> QuizBank:
    data: dict[str, Any] = {
        "kind": "quiz",
        "id": "mini",
        "title": "Mini",
        "module": "m",
        "questions": [
            {"type": "truefalse", "id": f"tf{i}", "text": f"Énoncé {i}", "answer": i % 2 == 0}
            for i in range(10)
        ],
    }
    data.update(extra)
    return msgspec.convert(data, QuizBank)


# ---------------------------------------------------------------- draws


def test_digest_and_shuffle_are_pinned() -> None:
    """Golden values: if these change, every recorded session would replay differently."""
    assert digest(42, "quiz", "x") % 1000 == 206
    assert stable_shuffle(list(range(10)), 42, "quiz") == [7, 6, 9, 8, 5, 2, 0, 1, 3, 4]
    assert stable_sample(list("abcdefghij"), 4, 42, "quiz") == ["a", "b", "c", "i"]


def test_golden_draw_of_the_fixture_quiz(bank: QuizBank) -> None:
    ids = [p.id for p in draw_questions(bank, 1)]
    assert ids == [
        "q-ordre",
        "q-penalites",
        "q-dso",
        "q-vrai-faux",
        "q-multiple",
        "q-paires",
        "q-texte",
        "q-single",
    ]


@pytest.mark.parametrize("seed", [0, 1, 2, 7, 123456789])
def test_same_seed_same_draw_and_order(bank: QuizBank, seed: int) -> None:
    first, second = draw_questions(bank, seed), draw_questions(bank, seed)
    assert first == second
    assert [p.options for p in first] == [p.options for p in second]


def test_different_seeds_usually_differ(bank: QuizBank) -> None:
    orders = {tuple(p.id for p in draw_questions(bank, seed)) for seed in range(12)}
    choices = {draw_questions(bank, seed)[0].options for seed in range(12)}
    assert len(orders) >= 10
    assert len(choices) >= 2


def test_draw_n_of_the_pool_keeps_bank_order_without_shuffle() -> None:
    bank = make_bank(draw=4, shuffle=False)
    draws = {}
    for seed in range(15):
        ids = [p.id for p in draw_questions(bank, seed)]
        assert len(ids) == 4 and ids == sorted(ids, key=lambda i: int(i[2:]))
        draws[seed] = tuple(ids)
    assert len(set(draws.values())) > 5
    assert [p.id for p in draw_questions(bank, 3)] == list(draws[3])


def test_choice_shuffle_only_when_asked() -> None:
    choices = [{"text": t, "correct": t == "A"} for t in "ABCDE"]
    q = {"type": "single", "id": "s", "text": "?", "choices": choices, "shuffle": False}
    bank = make_bank(questions=[q])
    assert all(draw_questions(bank, s)[0].options == tuple("ABCDE") for s in range(10))
    bank = make_bank(questions=[{**q, "shuffle": True}])
    assert len({draw_questions(bank, s)[0].options for s in range(10)}) > 3


def test_adding_a_question_does_not_reshuffle_the_others() -> None:
    choices = [{"text": t, "correct": t == "A"} for t in "ABCDE"]
    q = {"type": "single", "id": "s", "text": "?", "choices": choices}
    small = make_bank(questions=[q])
    big = make_bank(questions=[q, {"type": "truefalse", "id": "new", "text": "?", "answer": True}])
    for seed in range(5):
        by_id = {p.id: p for p in draw_questions(big, seed)}
        assert by_id["s"].options == draw_questions(small, seed)[0].options


@pytest.mark.parametrize(
    ("spec", "values"),
    [
        ({"values": [3, 1.5]}, ["3", "1.5"]),
        ({"min": 0.1, "max": 0.5, "step": 0.1}, ["0.1", "0.2", "0.3", "0.4", "0.5"]),
        ({"min": 1000, "max": 3000, "step": 1000}, ["1000", "2000", "3000"]),
        ({"min": 1, "max": 3}, ["1", "2", "3"]),  # no step: 1
        ({"min": 1, "max": 2.5, "step": 1}, ["1", "2"]),  # max not on the grid
        ({"min": 5, "max": 5}, ["5"]),
    ],
)
def test_variable_values_are_exact_decimals(spec: dict[str, Any], values: list[str]) -> None:
    variable = msgspec.convert({"name": "x", **spec}, Variable)
    assert [str(v) for v in variable_values(variable)] == values
    assert value_count(variable) == len(values)
    drawn = {draw_value(variable, s, "t") for s in range(40)}
    assert drawn <= {Decimal(v) for v in values}
    assert len(drawn) == len(values)  # every value reachable


# ---------------------------------------------------------------- training mode, retries


def test_max_tries_follows_the_penalty() -> None:
    assert max_tries(1 / 3) == 3
    assert max_tries(0.3) == 3
    assert max_tries(0.5) == 2
    assert max_tries(1) == 1
    assert max_tries(0.25) == 4
    assert max_tries(0) == 5
    assert max_tries(0.01) == 5


def test_retries_lower_the_credit_by_the_penalty() -> None:
    bank = make_bank(shuffle=False)
    state = start_quiz(bank, 0)
    state, r1 = answer(state, "tf0", "faux", 1)
    assert (r1.status, r1.score, r1.tries_left) == ("wrong", 0.0, 2)
    assert "réessayer" in r1.message and r1.expected == ""
    state, r2 = answer(state, "tf0", "vrai", 2)
    assert r2.status == "correct"
    assert r2.score == pytest.approx(2 / 3, abs=1e-4)
    assert r2.tries_left == 0 and r2.expected == "Vrai"
    state, r3 = answer(state, "tf0", "vrai", 3)
    assert r3.status == "refused" and "déjà corrigée" in r3.message

    state, _ = answer(state, "tf1", "vrai", 4)
    state, _ = answer(state, "tf1", "vrai", 5)
    state, r = answer(state, "tf1", "faux", 6)  # third try: 1/3 of the points
    assert r.score == pytest.approx(1 / 3, abs=1e-4) and r.tries_left == 0
    state, r = answer(state, "tf1", "faux", 7)
    assert r.status == "refused"

    result = finish(state)
    by_id = {o.id: o for o in result.outcomes}
    assert by_id["tf0"].score == pytest.approx(0.6667) and by_id["tf0"].tries == 2
    assert by_id["tf1"].score == pytest.approx(0.3333) and by_id["tf1"].correct
    assert by_id["tf2"].status == "unanswered" and by_id["tf2"].score == 0


def test_penalty_one_means_no_retry_and_partial_credit_is_reduced() -> None:
    bank = make_bank(penalty=1)
    state = start_quiz(bank, 0)
    state, r = answer(state, "tf0", "faux", 0)
    assert r.tries_left == 0 and r.expected == "Vrai"
    multi = {
        "type": "multiple",
        "id": "m",
        "text": "?",
        "shuffle": False,
        "choices": [
            {"text": "A", "fraction": 0.5},
            {"text": "B", "fraction": 0.5},
            {"text": "C", "fraction": -1},
        ],
    }
    bank = make_bank(questions=[multi], penalty=0.25)
    state = start_quiz(bank, 0)
    state, r = answer(state, "m", ["A"], 0)
    assert r.status == "partial" and r.score == 0.5 and r.tries_left == 3
    state, r = answer(state, "m", ["A", "C"], 0)
    assert r.status == "wrong" and r.score == 0.5  # the best try is kept
    state, r = answer(state, "m", ["A", "B"], 0)
    assert r.status == "correct" and r.score == 0.5  # 1 − 2 × 0.25
    assert finish(state).raw == 0.5


def test_invalid_input_is_not_a_try() -> None:
    bank = msgspec.convert(
        {
            "kind": "quiz",
            "id": "n",
            "title": "N",
            "module": "m",
            "questions": [
                {"type": "numeric", "id": "dso", "text": "DSO ?", "answer": 73, "unit": "jours"}
            ],
        },
        QuizBank,
    )
    state = start_quiz(bank, 0)
    new, r = answer(state, "dso", "73 €", 0)
    assert r.status == "invalid" and "jours" in r.message
    assert new is state and r.tries_left == 3
    new, r = answer(new, "dso", "73", 0)
    assert r.status == "correct" and r.score == 1.0


def test_states_are_immutable() -> None:
    bank = make_bank()
    state = start_quiz(bank, 0)
    after, _ = answer(state, "tf0", "vrai", 0)
    assert state.attempts[state.index("tf0")] == ()
    assert after.attempts[after.index("tf0")] != ()
    with pytest.raises(AttributeError):
        state.seed = 3  # type: ignore[misc]


def test_unknown_question_id_suggests() -> None:
    state = start_quiz(make_bank(), 0)
    with pytest.raises(NotFoundError) as info:
        answer(state, "tf9x", "vrai", 0)
    assert "`tf9`" in info.value.hint


@pytest.mark.parametrize("now", [-1, float("nan"), float("inf"), "3", True])
def test_clock_must_be_a_finite_non_negative_number(now: Any) -> None:
    with pytest.raises(ValueError):
        answer(start_quiz(make_bank(), 0), "tf0", "vrai", now)


# ---------------------------------------------------------------- exam mode


def test_exam_mode_reveals_nothing_and_last_answer_counts() -> None:
    bank = make_bank(mode="exam", feedback="Bravo")
    state = start_quiz(bank, 0)
    state, r = answer(state, "tf0", "faux", 0)
    assert r.status == "recorded" and r.score is None and r.feedback == () and r.expected == ""
    state, r = answer(state, "tf0", "vrai", 1)  # changing an answer: no penalty
    assert r.status == "recorded"
    state, _ = answer(state, "tf1", "vrai", 2)
    result = finish(state)
    by_id = {o.id: o for o in result.outcomes}
    assert by_id["tf0"].score == 1.0 and by_id["tf0"].response == "vrai"
    assert by_id["tf1"].status == "wrong" and by_id["tf1"].expected == "Faux"
    assert result.mode == "exam" and result.feedback == "Bravo"


def test_mode_can_be_overridden() -> None:
    assert start_quiz(make_bank(mode="exam"), 0, mode="training").mode == "training"


# ---------------------------------------------------------------- time limit


def test_time_limit_boundary_is_inclusive_and_late_answers_are_recorded() -> None:
    bank = make_bank(time_limit=1, shuffle=False, mode="exam")
    state = start_quiz(bank, 0)
    state, r = answer(state, "tf0", "vrai", 60)  # exactly at the limit: on time
    assert r.status == "recorded"
    state, r = answer(state, "tf0", "faux", 60.5)  # late: refused, recorded
    assert r.status == "late" and "hors délai" in r.message
    assert state.expired and len(state.late) == 1 and state.late[0].response == "faux"
    state, r = answer(state, "tf2", "vrai", 61)
    assert r.status == "late"
    result = finish(state)
    by_id = {o.id: o for o in result.outcomes}
    assert by_id["tf0"].score == 1.0 and by_id["tf0"].late  # the on-time answer stands
    assert by_id["tf2"].status == "unanswered" and by_id["tf2"].late
    assert result.expired and result.late_answers == 2


def test_no_time_limit_means_any_time() -> None:
    state = start_quiz(make_bank(), 0)
    _, r = answer(state, "tf0", "vrai", 10**9)
    assert r.status == "correct"


# ---------------------------------------------------------------- result


@pytest.mark.parametrize(("right", "passed"), [(6, True), (5, False), (10, True), (0, False)])
def test_pass_mark(right: int, passed: bool) -> None:
    bank = make_bank(pass_mark=60, mode="exam")
    state = start_quiz(bank, 0)
    for i in range(10):
        truth = i % 2 == 0
        state, _ = answer(state, f"tf{i}", truth if i < right else not truth, 0)
    result = finish(state)
    assert result.raw == right and result.max_score == 10
    assert result.percent == right * 10
    assert result.passed is passed


def test_points_weight_the_total() -> None:
    questions = [
        {"type": "truefalse", "id": "a", "text": "?", "answer": True, "points": 3},
        {"type": "truefalse", "id": "b", "text": "?", "answer": True},
    ]
    state = start_quiz(make_bank(questions=questions), 0)
    state, _ = answer(state, "a", True, 0)
    result = finish(state)
    assert (result.raw, result.max_score, result.percent, result.passed) == (3.0, 4.0, 75.0, True)


def test_result_dict_is_json_ready(bank: QuizBank) -> None:
    import json

    state = start_quiz(bank, 5)
    state, _ = answer(state, "q-dso", "73 jours", 0)
    data = finish(state).to_dict()
    assert list(data["questions"]) == [p.id for p in state.questions]
    entry = data["questions"]["q-dso"]
    assert (
        entry["correct"] is True and entry["score"] == 1.0 and entry["expected"] == "73\u00a0jours"
    )
    assert set(data["totals"]) == {"raw", "max", "percent"}
    json.dumps(data)


def _right_answer(prepared: Any) -> Any:
    q = prepared.question
    kind = prepared.kind
    if kind == "single":
        return next(c.text for c in q.choices if c.correct)
    if kind == "multiple":
        return [c.text for c in q.choices if c.fraction > 0]
    if kind == "truefalse":
        return q.answer
    if kind in ("numeric", "calculated"):
        return prepared.answer_text()  # what the correction shows is always accepted back
    if kind == "ordering":
        return list(q.items)
    if kind == "matching":
        return {p.left: p.right for p in q.pairs}
    return q.answers[0]


def test_right_answers_get_full_marks_in_fixture_and_bundled_quizzes(bank: QuizBank) -> None:
    banks = [bank, *load_library(use_cache=False).all("quiz")]
    for quiz in banks:
        for seed in range(5):
            state = start_quiz(quiz, seed, mode="exam")
            for prepared in state.questions:
                state, result = answer(state, prepared.id, _right_answer(prepared), 0)
                assert result.status == "recorded", (quiz.id, seed, prepared.id, result.message)
            outcome = finish(state)
            assert outcome.percent == 100.0 and outcome.passed, (quiz.id, seed)


def test_the_explanation_waits_for_the_last_try() -> None:
    bank = make_bank(shuffle=False)
    questions = [msgspec.structs.replace(q, feedback="Vrai : l'explication donne la réponse.") for q in bank.questions]
    state = start_quiz(msgspec.structs.replace(bank, questions=tuple(questions)), 0)
    state, first = answer(state, "tf0", "faux", 1)
    assert first.tries_left == 2 and first.feedback == ()  # a retry is offered: nothing gives the answer away
    state, second = answer(state, "tf0", "faux", 2)
    state, last = answer(state, "tf0", "faux", 3)
    assert second.feedback == () and last.tries_left == 0
    assert last.feedback == ("Vrai : l'explication donne la réponse.",) and last.expected == "Vrai"
