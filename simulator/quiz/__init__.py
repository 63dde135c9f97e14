"""Quiz, case-study and self-assessment engines (pure, deterministic, headless).

Public API (import from here or from the submodule):

* draws — :mod:`.draw`: seeded, Python-version-stable shuffles and variable draws;
* grading — :mod:`.questions`: ``prepare_question``, ``grade`` → :class:`Grade`
  (``invalid`` for unreadable input, never "wrong");
* quiz sessions — :mod:`.session`: ``start_quiz``, ``answer``, ``finish``;
* case studies — :mod:`.case_study`: ``start_case_study``, ``grade_case_question``,
  ``grade_case_study``;
* self-assessment — :mod:`.questionnaire`: ``rate``, ``objective_levels``, ``compare``;
* helpers — :mod:`.numbers` (French number input), :mod:`.formula` (safe formulas),
  :mod:`.finance` (credit-management calculations);
* content checks — :mod:`.checks`, registered with the pack loader by
  :func:`simulator.content.library.load_library`.

Names are resolved lazily (PEP 562) so that importing one helper, e.g.
``simulator.quiz.numbers``, does not load every engine.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "AnswerResult",
    "CaseAnswer",
    "CaseStudyResult",
    "CaseStudySheet",
    "Formula",
    "FormulaError",
    "Grade",
    "NumberParseError",
    "ObjectiveLevel",
    "ObjectiveProgress",
    "ParsedNumber",
    "PreparedQuestion",
    "QuestionOutcome",
    "QuestionnaireAnswers",
    "QuestionnaireError",
    "QuizResult",
    "QuizState",
    "answer",
    "check_formula",
    "compare",
    "compile_formula",
    "draw_questions",
    "finish",
    "format_fr",
    "grade",
    "grade_case_question",
    "grade_case_study",
    "grade_number",
    "objective_levels",
    "parse_number",
    "prepare_question",
    "rate",
    "start_case_study",
    "start_quiz",
]

_HOMES = {
    "AnswerResult": "session",
    "QuestionOutcome": "session",
    "QuizResult": "session",
    "QuizState": "session",
    "answer": "session",
    "draw_questions": "session",
    "finish": "session",
    "start_quiz": "session",
    "Grade": "questions",
    "PreparedQuestion": "questions",
    "grade": "questions",
    "grade_number": "questions",
    "prepare_question": "questions",
    "CaseAnswer": "case_study",
    "CaseStudyResult": "case_study",
    "CaseStudySheet": "case_study",
    "grade_case_question": "case_study",
    "grade_case_study": "case_study",
    "start_case_study": "case_study",
    "ObjectiveLevel": "questionnaire",
    "ObjectiveProgress": "questionnaire",
    "QuestionnaireAnswers": "questionnaire",
    "QuestionnaireError": "questionnaire",
    "compare": "questionnaire",
    "objective_levels": "questionnaire",
    "rate": "questionnaire",
    "Formula": "formula",
    "FormulaError": "formula",
    "check_formula": "formula",
    "compile_formula": "formula",
    "NumberParseError": "numbers",
    "ParsedNumber": "numbers",
    "format_fr": "numbers",
    "parse_number": "numbers",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'simulator.quiz' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"simulator.quiz.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
