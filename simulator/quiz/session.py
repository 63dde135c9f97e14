"""Quiz sessions: draw, answer, retry, time limit, result — as immutable states.

A session is a :class:`QuizState` advanced by
``answer(state, question_id, response, now_s) -> (state, result)``; nothing is
mutated, nothing reads a clock or a global random generator, so replaying the
same seed and answers gives the same result byte for byte.

Rules (documented because trainers and auditors ask):

* **Draw.** ``bank.draw`` questions are kept from the pool with the seed
  (:func:`simulator.quiz.draw.stable_sample`, keyed by question id), then
  shown in a seeded order if ``bank.shuffle``, else in the author's order.
  Choices are shuffled per question (``question.shuffle``).
* **Training mode** (Moodle "interactive with multiple tries"): the trainee
  sees the grade and feedback after each answer.  A response that is not
  fully correct may be retried; **each retry lowers the attainable credit by
  ``bank.penalty``** (default 1/3): credit = max(0, fraction − penalty ×
  retries), so a right answer is worth 1, then 2/3, then 1/3 of the points.
  Tries allowed: ``floor(1 / penalty)`` (3 with the default; 1 when the
  penalty is 1), at most :data:`MAX_TRIES` (also when the penalty is 0).
  The best credit over the tries is kept.  A closed question (right, or no
  tries left) refuses further answers.
* **Exam mode** (Moodle "deferred feedback"): nothing is revealed until
  :func:`finish`; answering a question again replaces the previous answer,
  without penalty (the last answer counts).
* **Invalid input** (unparseable number, wrong unit, unknown choice…) is not
  a try: the state is unchanged and the result carries the French message.
* **Time limit.** ``now_s`` is the number of seconds elapsed since the start,
  measured by the caller.  An answer at ``now_s <= time_limit × 60`` is on
  time (the boundary is inclusive).  Later answers are **refused and
  recorded as late** (:attr:`QuizState.late`, no credit, the previous answers
  stand) and the session is marked expired: every following answer is late
  too.  :func:`finish` still gives the result.
* **Result.** Per question: the response that counts, correct or not, score
  (points × credit), feedback and the expected answer; totals (raw, max,
  percent rounded to 2 decimals); passed when percent ≥ ``bank.pass_mark``.
  Unanswered questions score 0.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, replace
from typing import Any, Literal

from simulator.errors import NotFoundError
from simulator.model.quiz import QuizBank
from simulator.quiz.draw import stable_sample, stable_shuffle
from simulator.quiz.questions import Grade, PreparedQuestion, grade, prepare_question

__all__ = [
    "MAX_TRIES",
    "AnswerResult",
    "Attempt",
    "LateAnswer",
    "Mode",
    "QuestionOutcome",
    "QuizResult",
    "QuizState",
    "answer",
    "draw_questions",
    "finish",
    "max_tries",
    "start_quiz",
]

Mode = Literal["training", "exam"]
AnswerStatus = Literal["correct", "partial", "wrong", "invalid", "recorded", "late", "refused"]
OutcomeStatus = Literal["correct", "partial", "wrong", "unanswered"]

MAX_TRIES = 5
"""Most tries per question in training mode, whatever the penalty."""


@dataclass(frozen=True, slots=True)
class Attempt:
    """One graded (valid) response; ``credit`` is the fraction after the retry penalty."""

    response: object
    grade: Grade
    credit: float
    at_s: float


@dataclass(frozen=True, slots=True)
class LateAnswer:
    """A response given after the time limit: kept for the record, never graded."""

    question_id: str
    response: object
    at_s: float


@dataclass(frozen=True, slots=True)
class QuizState:
    """An immutable quiz session; advance it with :func:`answer`."""

    quiz: QuizBank
    seed: int
    mode: Mode
    questions: tuple[PreparedQuestion, ...]
    attempts: tuple[tuple[Attempt, ...], ...]
    late: tuple[LateAnswer, ...] = ()
    expired: bool = False

    @property
    def time_limit_s(self) -> int | None:
        """The limit in seconds, or None."""
        return self.quiz.time_limit * 60 if self.quiz.time_limit is not None else None

    def index(self, question_id: str) -> int:
        """Position of a drawn question; :class:`NotFoundError` with a suggestion otherwise."""
        for position, prepared in enumerate(self.questions):
            if prepared.id == question_id:
                return position
        ids = [p.id for p in self.questions]
        close = difflib.get_close_matches(question_id, ids, n=1)
        hint = (
            f"vouliez-vous dire `{close[0]}` ?" if close else "questions tirées : " + ", ".join(ids)
        )
        raise NotFoundError(f"question `{question_id}` absente de ce tirage", hint)

    def question(self, question_id: str) -> PreparedQuestion:
        return self.questions[self.index(question_id)]

    def tries_left(self, question_id: str) -> int:
        """Tries still allowed for the question (exam mode: unlimited, shown as 1)."""
        attempts = self.attempts[self.index(question_id)]
        if self.mode == "exam":
            return 1
        if any(a.grade.correct for a in attempts):
            return 0
        return max(0, max_tries(self.quiz.penalty) - len(attempts))


@dataclass(frozen=True, slots=True)
class AnswerResult:
    """What the trainee is told after one answer.

    ``status``: ``correct``/``partial``/``wrong`` (training mode),
    ``recorded`` (exam mode: nothing revealed), ``invalid`` (unreadable: ask
    again), ``late`` (after the time limit), ``refused`` (question closed).
    ``score`` and ``feedback`` are empty in exam mode.
    """

    question_id: str
    status: AnswerStatus
    message: str = ""
    score: float | None = None
    max_score: float = 0.0
    feedback: tuple[str, ...] = ()
    tries_left: int = 0
    expected: str = ""


def max_tries(penalty: float) -> int:
    """Tries allowed in training mode for a retry ``penalty``."""
    if penalty <= 0:
        return MAX_TRIES
    return max(1, min(MAX_TRIES, math.floor(1 / penalty + 1e-9)))


def draw_questions(bank: QuizBank, seed: int) -> tuple[PreparedQuestion, ...]:
    """The questions of ``bank`` drawn, ordered, shuffled and rendered for ``seed``."""
    questions = list(bank.questions)
    ids = [q.id for q in questions]
    if bank.draw is not None:
        questions = stable_sample(questions, bank.draw, seed, bank.id, keys=ids)
        ids = [q.id for q in questions]
    if bank.shuffle:
        questions = stable_shuffle(questions, seed, bank.id, "order", keys=ids)
    return tuple(prepare_question(q, seed, bank.id) for q in questions)


def start_quiz(bank: QuizBank, seed: int, *, mode: Mode | None = None) -> QuizState:
    """A new session of ``bank`` for ``seed`` (``mode`` overrides ``bank.mode``)."""
    prepared = draw_questions(bank, seed)
    return QuizState(
        quiz=bank,
        seed=seed,
        mode=mode or bank.mode,
        questions=prepared,
        attempts=tuple(() for _ in prepared),
    )


def _check_time(now_s: float) -> None:
    if (
        isinstance(now_s, bool)
        or not isinstance(now_s, int | float)
        or not math.isfinite(now_s)
        or now_s < 0
    ):
        raise ValueError("now_s must be a finite number of seconds >= 0")


def answer(
    state: QuizState, question_id: str, response: object, now_s: float
) -> tuple[QuizState, AnswerResult]:
    """Answer one question at ``now_s`` seconds after the start (rules in the module docstring)."""
    _check_time(now_s)
    position = state.index(question_id)
    prepared = state.questions[position]
    limit = state.time_limit_s
    if state.expired or (limit is not None and now_s > limit):
        late = LateAnswer(question_id, response, now_s)
        new = replace(state, late=(*state.late, late), expired=True)
        return new, AnswerResult(
            question_id,
            "late",
            message="Temps écoulé : cette réponse est enregistrée comme hors délai et n'est pas notée.",
            max_score=prepared.points,
        )
    if state.mode == "training" and state.tries_left(question_id) == 0:
        return state, AnswerResult(
            question_id,
            "refused",
            message="Cette question est déjà corrigée.",
            max_score=prepared.points,
            expected=prepared.answer_text(),
        )
    graded = grade(prepared, response)
    if not graded.valid:
        return state, AnswerResult(
            question_id,
            "invalid",
            message=graded.message,
            max_score=prepared.points,
            tries_left=state.tries_left(question_id),
        )
    return _record(state, position, response, graded, now_s)


def _record(
    state: QuizState, position: int, response: object, graded: Grade, now_s: float
) -> tuple[QuizState, AnswerResult]:
    prepared = state.questions[position]
    previous = state.attempts[position]
    if state.mode == "exam":
        attempts = (Attempt(response, graded, graded.fraction, now_s),)
        new = _with_attempts(state, position, attempts)
        return new, AnswerResult(
            prepared.id,
            "recorded",
            message="Réponse enregistrée ; la correction sera donnée à la fin.",
            max_score=prepared.points,
            tries_left=1,
        )
    retries = len(previous)
    credit = max(0.0, graded.fraction - state.quiz.penalty * retries)
    new = _with_attempts(state, position, (*previous, Attempt(response, graded, credit, now_s)))
    left = new.tries_left(prepared.id)
    best = _counting(new.attempts[position], "training")
    assert best is not None
    return new, AnswerResult(
        prepared.id,
        graded.status,
        message=_retry_message(graded, left, state.quiz.penalty),
        score=_score(prepared.points, best.credit),
        max_score=prepared.points,
        # While another try is offered, the explanation would give the answer away: it comes with the last try.
        feedback=graded.feedback if (graded.correct or left == 0) else (),
        tries_left=left,
        expected=prepared.answer_text() if left == 0 else "",
    )


def _retry_message(graded: Grade, left: int, penalty: float) -> str:
    if graded.correct or left == 0:
        return ""
    lost = round(penalty * 100)
    return f"Vous pouvez réessayer ({left} essai(s) restant(s), −{lost} % des points par essai)."


def _with_attempts(state: QuizState, position: int, attempts: tuple[Attempt, ...]) -> QuizState:
    rows = list(state.attempts)
    rows[position] = attempts
    return replace(state, attempts=tuple(rows))


def _counting(attempts: tuple[Attempt, ...], mode: Mode) -> Attempt | None:
    """The attempt that counts: the last one in exam mode, the best (latest on ties) in training."""
    if not attempts:
        return None
    if mode == "exam":
        return attempts[-1]
    best = attempts[0]
    for attempt in attempts[1:]:
        if attempt.credit >= best.credit:
            best = attempt
    return best


def _score(points: float, credit: float) -> float:
    return round(points * credit, 4)


# ---------------------------------------------------------------- result


@dataclass(frozen=True, slots=True)
class QuestionOutcome:
    """The final line of one question in the result."""

    id: str
    kind: str
    text: str
    response: object
    status: OutcomeStatus
    score: float
    max_score: float
    tries: int
    feedback: tuple[str, ...]
    expected: str
    late: bool = False

    @property
    def correct(self) -> bool:
        return self.status == "correct"

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.kind,
            "text": self.text,
            "response": self.response,
            "status": self.status,
            "correct": self.correct,
            "score": self.score,
            "max": self.max_score,
            "tries": self.tries,
            "feedback": list(self.feedback),
            "expected": self.expected,
            "late": self.late,
        }


@dataclass(frozen=True, slots=True)
class QuizResult:
    """The result of a session: per question, totals, pass or fail."""

    quiz_id: str
    title: str
    seed: int
    mode: Mode
    outcomes: tuple[QuestionOutcome, ...]
    raw: float
    max_score: float
    percent: float
    pass_mark: int
    passed: bool
    feedback: str
    expired: bool
    late_answers: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (deterministic key order)."""
        return {
            "kind": "quiz",
            "id": self.quiz_id,
            "title": self.title,
            "seed": self.seed,
            "mode": self.mode,
            "questions": {o.id: o.to_dict() for o in self.outcomes},
            "totals": {"raw": self.raw, "max": self.max_score, "percent": self.percent},
            "pass_mark": self.pass_mark,
            "passed": self.passed,
            "feedback": self.feedback,
            "expired": self.expired,
            "late_answers": self.late_answers,
        }


def _outcome(state: QuizState, position: int) -> QuestionOutcome:
    prepared = state.questions[position]
    attempts = state.attempts[position]
    counting = _counting(attempts, state.mode)
    late = any(item.question_id == prepared.id for item in state.late)
    if counting is None:
        return QuestionOutcome(
            id=prepared.id,
            kind=prepared.kind,
            text=prepared.text,
            response=None,
            status="unanswered",
            score=0.0,
            max_score=prepared.points,
            tries=0,
            feedback=(prepared.feedback,) if prepared.feedback else (),
            expected=prepared.answer_text(),
            late=late,
        )
    status = counting.grade.status
    assert status != "invalid"
    return QuestionOutcome(
        id=prepared.id,
        kind=prepared.kind,
        text=prepared.text,
        response=counting.response,
        status=status,
        score=_score(prepared.points, counting.credit),
        max_score=prepared.points,
        tries=len(attempts),
        feedback=counting.grade.feedback,
        expected=prepared.answer_text(),
        late=late,
    )


def finish(state: QuizState) -> QuizResult:
    """The result of the session as it stands (unanswered questions score 0)."""
    outcomes = tuple(_outcome(state, i) for i in range(len(state.questions)))
    raw = round(sum(o.score for o in outcomes), 4)
    total = round(sum(o.max_score for o in outcomes), 4)
    percent = round(raw / total * 100, 2) if total else 0.0
    return QuizResult(
        quiz_id=state.quiz.id,
        title=state.quiz.title,
        seed=state.seed,
        mode=state.mode,
        outcomes=outcomes,
        raw=raw,
        max_score=total,
        percent=percent,
        pass_mark=state.quiz.pass_mark,
        passed=percent + 1e-9 >= state.quiz.pass_mark,
        feedback=state.quiz.feedback,
        expired=state.expired,
        late_answers=len(state.late),
    )
