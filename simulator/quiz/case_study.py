"""Numeric case studies: a dossier generated from seeded variables, graded by formula.

``start_case_study(study, seed)`` builds a :class:`CaseStudySheet`:

1. each variable is drawn with the seed (:func:`simulator.quiz.draw.draw_value`,
   scope = the study id), unless the caller fixes it (``values=``: a trainer's
   worked example, a test);
2. derived values are computed **in the author's order**, each formula seeing
   the variables and the derived values above it (unrounded: rounding is
   for display only, write ``round(…, 2)`` in a formula to round a step);
3. the intro, table cells, question texts, solutions and feedbacks have
   their ``{name}`` placeholders replaced by the value in French format with
   its unit and decimals (variables: as many decimals as the value has);
   solution and feedback lines may also cite ``{reponse}``, the expected
   answer of their question;
4. each question's expected value is its formula over all those values.

Grading is the numeric rule of :mod:`simulator.quiz.questions`: tolerance
(absolute or relative, inclusive), or equality once rounded to the question's
``decimals``; a wrong unit or unreadable number is ``invalid`` (asked again,
never wrong).  The worked solution comes with every graded answer.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from simulator.errors import ContentError, NotFoundError
from simulator.model.case_study import CaseStudy, CaseStudyQuestion
from simulator.quiz.draw import draw_value, to_decimal
from simulator.quiz.formula import FormulaError, compile_formula
from simulator.quiz.numbers import format_fr
from simulator.quiz.questions import Grade, grade_number
from simulator.quiz.render import Shown, natural_decimals, render

__all__ = [
    "CaseAnswer",
    "CaseQuestionSheet",
    "CaseStudyResult",
    "CaseStudySheet",
    "RenderedTable",
    "grade_case_question",
    "grade_case_study",
    "start_case_study",
]


@dataclass(frozen=True, slots=True)
class RenderedTable:
    """A dossier table with its values filled in."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True)
class CaseQuestionSheet:
    """One question of the dossier with its expected value and worked solution."""

    question: CaseStudyQuestion
    text: str
    expected: Decimal
    solution: tuple[str, ...]
    feedback: str

    @property
    def id(self) -> str:
        return self.question.id

    def answer_text(self) -> str:
        return format_fr(self.expected, self.question.decimals, self.question.unit)


@dataclass(frozen=True, slots=True)
class CaseStudySheet:
    """A case study as one trainee gets it for one seed."""

    study: CaseStudy
    seed: int
    values: tuple[tuple[str, Shown], ...]
    intro: str
    tables: tuple[RenderedTable, ...]
    questions: tuple[CaseQuestionSheet, ...]

    def value(self, name: str) -> Decimal:
        """The unrounded value of a variable or derived value."""
        return dict(self.values)[name].value

    def question(self, question_id: str) -> CaseQuestionSheet:
        for sheet in self.questions:
            if sheet.id == question_id:
                return sheet
        ids = [q.id for q in self.questions]
        close = difflib.get_close_matches(question_id, ids, n=1)
        hint = f"vouliez-vous dire `{close[0]}` ?" if close else "questions : " + ", ".join(ids)
        raise NotFoundError(f"question `{question_id}` absente de l'étude de cas", hint)


def _evaluate(study: CaseStudy, where: str, source: str, env: Mapping[str, Shown]) -> Decimal:
    try:
        return compile_formula(source, env).evaluate({k: s.value for k, s in env.items()})
    except FormulaError as exc:
        raise ContentError(
            f"étude de cas `{study.id}`, {where} : formule non évaluable ({exc.message})",
            hint="lancez `relance validate` sur le pack",
        ) from None


def _initial_values(
    study: CaseStudy, seed: int, fixed: Mapping[str, Any] | None
) -> dict[str, Shown]:
    fixed = dict(fixed or {})
    names = {v.name for v in study.variables}
    unknown = sorted(set(fixed) - names)
    if unknown:
        raise ValueError(f"variables inconnues de l'étude `{study.id}` : {', '.join(unknown)}")
    values: dict[str, Shown] = {}
    for variable in study.variables:
        if variable.name in fixed:
            value = to_decimal(fixed[variable.name])
        else:
            value = draw_value(variable, seed, study.id)
        values[variable.name] = Shown(value, natural_decimals(value), variable.unit)
    return values


def start_case_study(
    study: CaseStudy, seed: int, *, values: Mapping[str, Any] | None = None
) -> CaseStudySheet:
    """Draw, compute and render ``study`` for ``seed`` (``values`` fixes some variables)."""
    env = _initial_values(study, seed, values)
    for derived in study.derived:
        value = _evaluate(study, f"valeur `{derived.name}`", derived.formula, env)
        env[derived.name] = Shown(value, derived.decimals, derived.unit)
    tables = tuple(
        RenderedTable(
            title=render(t.title, env),
            columns=tuple(render(c, env) for c in t.columns),
            rows=tuple(tuple(render(cell, env) for cell in row) for row in t.rows),
        )
        for t in study.tables
    )
    questions = tuple(_question_sheet(study, q, env) for q in study.questions)
    return CaseStudySheet(
        study=study,
        seed=seed,
        values=tuple(env.items()),
        intro=render(study.intro, env).strip(),
        tables=tables,
        questions=questions,
    )


def _question_sheet(
    study: CaseStudy, question: CaseStudyQuestion, env: Mapping[str, Shown]
) -> CaseQuestionSheet:
    expected = _evaluate(study, f"question `{question.id}`", question.formula, env)
    with_answer = {**env, "reponse": Shown(expected, question.decimals, question.unit)}
    return CaseQuestionSheet(
        question=question,
        text=render(question.text, env).strip(),
        expected=expected,
        solution=tuple(render(line, with_answer).strip() for line in question.solution),
        feedback=render(question.feedback, with_answer).strip(),
    )


@dataclass(frozen=True, slots=True)
class CaseAnswer:
    """A graded answer to one case-study question, with the worked solution."""

    question_id: str
    response: object
    status: Literal["correct", "wrong", "invalid", "unanswered"]
    score: float
    max_score: float
    expected: str
    solution: tuple[str, ...]
    feedback: str
    message: str = ""

    @property
    def correct(self) -> bool:
        return self.status == "correct"

    def to_dict(self) -> dict[str, Any]:
        return {
            "response": self.response,
            "status": self.status,
            "correct": self.correct,
            "score": self.score,
            "max": self.max_score,
            "feedback": [self.feedback] if self.feedback else [],
            "expected": self.expected,
            "solution": list(self.solution),
            "message": self.message,
        }


def grade_case_question(sheet: CaseStudySheet, question_id: str, response: object) -> CaseAnswer:
    """Grade one answer; an ``invalid`` status carries the French message (ask again)."""
    q = sheet.question(question_id)
    if response is None:
        return _answer(q, None, "unanswered", 0.0)
    graded: Grade = grade_number(
        response,
        q.expected,
        tolerance=q.question.tolerance,
        mode=q.question.tolerance_mode,
        unit=q.question.unit,
        decimals=q.question.decimals,
    )
    if not graded.valid:
        return _answer(q, response, "invalid", 0.0, graded.message)
    status: Literal["correct", "wrong"] = "correct" if graded.correct else "wrong"
    return _answer(q, response, status, graded.fraction)


def _answer(
    q: CaseQuestionSheet,
    response: object,
    status: Literal["correct", "wrong", "invalid", "unanswered"],
    fraction: float,
    message: str = "",
) -> CaseAnswer:
    return CaseAnswer(
        question_id=q.id,
        response=response,
        status=status,
        score=round(q.question.points * fraction, 4),
        max_score=q.question.points,
        expected=q.answer_text(),
        solution=q.solution,
        feedback=q.feedback,
        message=message,
    )


@dataclass(frozen=True, slots=True)
class CaseStudyResult:
    """Every answer of a case study, totals and pass/fail."""

    study_id: str
    title: str
    seed: int
    answers: tuple[CaseAnswer, ...]
    raw: float
    max_score: float
    percent: float
    pass_mark: int
    passed: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": "case-study",
            "id": self.study_id,
            "title": self.title,
            "seed": self.seed,
            "questions": {a.question_id: a.to_dict() for a in self.answers},
            "totals": {"raw": self.raw, "max": self.max_score, "percent": self.percent},
            "pass_mark": self.pass_mark,
            "passed": self.passed,
        }


def grade_case_study(sheet: CaseStudySheet, responses: Mapping[str, object]) -> CaseStudyResult:
    """Grade every question (missing → unanswered, unreadable → invalid, both 0 points).

    Unknown question ids in ``responses`` raise :class:`NotFoundError`.
    """
    for question_id in responses:
        sheet.question(question_id)
    answers = tuple(grade_case_question(sheet, q.id, responses.get(q.id)) for q in sheet.questions)
    raw = round(sum(a.score for a in answers), 4)
    total = round(sum(a.max_score for a in answers), 4)
    percent = round(raw / total * 100, 2) if total else 0.0
    return CaseStudyResult(
        study_id=sheet.study.id,
        title=sheet.study.title,
        seed=sheet.seed,
        answers=answers,
        raw=raw,
        max_score=total,
        percent=percent,
        pass_mark=sheet.study.pass_mark,
        passed=percent + 1e-9 >= sheet.study.pass_mark,
    )
