"""Content checks of quizzes and case studies: each problem named with file, line and code.

Each case is a tiny pack written in ``tmp_path``; the line that the problem must
point at carries the marker ``# <-``.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import msgspec
import pytest

from simulator.content.library import load_library
from simulator.content.problems import Problem
from simulator.model.quiz import Variable
from simulator.quiz.checks import MAX_GRID, SAMPLE, combinations

PACK = """\
kind: pack
id: p
title: P
version: "1.0"
modules:
  - id: m
    title: M
"""

QUIZ_HEAD = """\
kind: quiz
id: quiz-bad
title: Quiz
module: m
questions:
"""

STUDY_HEAD = """\
kind: case-study
id: cs-bad
title: Cas
module: m
"""


def _problems(tmp_path: Path, name: str, text: str) -> tuple[list[Problem], int]:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "pack.yaml").write_text(PACK, encoding="utf-8")
    body = textwrap.dedent(text)
    (pack / name).write_text(body, encoding="utf-8")
    marked = [n for n, line in enumerate(body.splitlines(), 1) if "# <-" in line]
    assert len(marked) == 1, "one marker per case"
    library = load_library([pack], use_cache=False, strict=False)
    return list(library.problems), marked[0]


def _quiz(question: str) -> str:
    return QUIZ_HEAD + textwrap.indent(textwrap.dedent(question), "  ")


def calc(
    formula: str, variables: str = "[{name: x, values: [1, 2]}]", marker: str = "  # <-"
) -> str:
    return _quiz(
        f"""\
        - type: calculated
          id: c
          text: "{{x}} ?"
          variables: {variables}
          formula: "{formula}"{marker}
        """
    )


QUIZ_CASES = [
    # formula refusals, reported at validation time with the formula's own code
    ("attribute", calc("x.real"), "formula-attribute"),
    ("dunder-import", calc("__import__('os').system('ls')"), "formula-forbidden-name"),
    ("call", calc("open(x)"), "formula-call"),
    ("huge-exponent", calc("x ** 1000"), "formula-exponent"),
    ("modulo", calc("x % 2"), "formula-operator"),
    ("lambda", calc("(lambda: 1)()"), "formula-construct"),
    ("syntax", calc("x +"), "formula-syntax"),
    ("unknown-variable", calc("montant * 2"), "formula-unknown-variable"),
    # evaluation over every value of the variables
    ("division-by-zero", calc("1 / x", "[{name: x, values: [1, 0]}]"), "formula-division-by-zero"),
    ("sqrt-negative", calc("sqrt(x)", "[{name: x, min: -2, max: 2}]"), "formula-domain"),
    (
        "single-two-correct",
        _quiz(
            """\
            - type: single
              id: s
              text: "?"
              choices:
                - {text: A, correct: true}  # <-
                - {text: B, correct: true}
            """
        ),
        "single-correct-count",
    ),
    (
        "single-none-correct",
        _quiz(
            """\
            - type: single
              id: s
              text: "?"
              choices:
                - {text: A}  # <-
                - {text: B}
            """
        ),
        "single-correct-count",
    ),
    (
        "duplicate-choice",
        _quiz(
            """\
            - type: single
              id: s
              text: "?"
              choices:
                - {text: Oui, correct: true}
                - {text: "oui !"}  # <-
            """
        ),
        "duplicate-choice",
    ),
    (
        "fractions-unreachable",
        _quiz(
            """\
            - type: multiple
              id: m
              text: "?"
              choices:
                - {text: A, fraction: 0.5}  # <-
                - {text: B, fraction: -1}
            """
        ),
        "fractions-unreachable",
    ),
    (
        "relative-tolerance-too-large",
        _quiz(
            """\
            - type: numeric
              id: n
              text: "?"
              answer: 73
              tolerance: 5  # <-
              tolerance_mode: relative
            """
        ),
        "tolerance-relative-range",
    ),
    (
        "variable-min-above-max",
        calc("x", "\n            - {name: x, min: 10, max: 1}  # <-", marker="").replace(
            "variables: ", "variables:"
        ),
        "variable-range",
    ),
    (
        "variable-values-and-range",
        calc(
            "x", "\n            - {name: x, values: [1], min: 0, max: 2}  # <-", marker=""
        ).replace("variables: ", "variables:"),
        "variable-ambiguous",
    ),
    (
        "variable-incomplete",
        calc("x", "\n            - {name: x, min: 0}  # <-", marker="").replace(
            "variables: ", "variables:"
        ),
        "variable-incomplete",
    ),
    (
        "unknown-placeholder",
        _quiz(
            """\
            - type: calculated
              id: c
              text: "Facture de {montnt}"  # <-
              variables: [{name: montant, values: [1]}]
              formula: montant
            """
        ),
        "unknown-placeholder",
    ),
    (
        "placeholder-expression",
        _quiz(
            """\
            - type: calculated
              id: c
              text: "Double : {x * 2}"  # <-
              variables: [{name: x, values: [1]}]
              formula: x
            """
        ),
        "placeholder-syntax",
    ),
    (
        "duplicate-ordering-item",
        _quiz(
            """\
            - type: ordering
              id: o
              text: "?"
              items:
                - Écoute
                - Ecoute  # <-
            """
        ),
        "duplicate-item",
    ),
    (
        "duplicate-matching-left",
        _quiz(
            """\
            - type: matching
              id: p
              text: "?"
              pairs:
                - {left: A, right: X}
                - {left: A, right: Y}  # <-
            """
        ),
        "duplicate-left",
    ),
]

STUDY_CASES = [
    (
        "derived-uses-later-name",
        STUDY_HEAD
        + """\
variables: [{name: a, values: [1]}]
derived:
  - {name: b, formula: c + 1}  # <-
  - {name: c, formula: a * 2}
questions:
  - {id: q, text: "?", formula: b}
""",
        "formula-unknown-variable",
    ),
    (
        "derived-division-by-zero",
        STUDY_HEAD
        + """\
variables: [{name: a, min: 0, max: 3}]
derived:
  - {name: b, formula: 10 / a}  # <-
questions:
  - {id: q, text: "?", formula: b}
""",
        "formula-division-by-zero",
    ),
    (
        "question-attribute",
        STUDY_HEAD
        + """\
variables: [{name: a, values: [1]}]
questions:
  - id: q
    text: "?"
    formula: a.__class__  # <-
""",
        "formula-attribute",
    ),
    (
        "solution-placeholder",
        STUDY_HEAD
        + """\
variables: [{name: a, values: [1]}]
questions:
  - id: q
    text: "?"
    formula: a
    solution:
      - "a = {a}, résultat {reponse}"
      - "total {totl}"  # <-
""",
        "unknown-placeholder",
    ),
    (
        "table-cell-placeholder",
        STUDY_HEAD
        + """\
variables: [{name: ca, values: [1]}]
tables:
  - title: T
    columns: [Poste, Montant]
    rows:
      - [CA, "{ca}"]
      - [Créances, "{creances}"]  # <-
questions:
  - {id: q, text: "?", formula: ca}
""",
        "unknown-placeholder",
    ),
    (
        "duplicate-name",
        STUDY_HEAD
        + """\
variables: [{name: a, values: [1]}]
derived:
  - {name: a, formula: "2"}  # <-
questions:
  - {id: q, text: "?", formula: a}
""",
        "duplicate-name",
    ),
]


@pytest.mark.parametrize(("name", "text", "code"), QUIZ_CASES, ids=[c[0] for c in QUIZ_CASES])
def test_quiz_problem_has_file_line_and_code(
    tmp_path: Path, name: str, text: str, code: str
) -> None:
    problems, line = _problems(tmp_path, "quiz.yaml", text)
    matching = [p for p in problems if p.code == code]
    assert matching, [p.format() for p in problems]
    problem = matching[0]
    assert Path(problem.file).name == "quiz.yaml"
    assert problem.line == line, problem.format()
    assert problem.object_id == "quiz-bad"
    assert problem.message and problem.hint
    assert problem.path.startswith("questions[0]")


@pytest.mark.parametrize(("name", "text", "code"), STUDY_CASES, ids=[c[0] for c in STUDY_CASES])
def test_case_study_problem_has_file_line_and_code(
    tmp_path: Path, name: str, text: str, code: str
) -> None:
    problems, line = _problems(tmp_path, "etude.yaml", text)
    matching = [p for p in problems if p.code == code]
    assert matching, [p.format() for p in problems]
    problem = matching[0]
    assert Path(problem.file).name == "etude.yaml"
    assert problem.line == line, problem.format()
    assert problem.object_id == "cs-bad"


def test_messages_are_helpful(tmp_path: Path) -> None:
    problems, _ = _problems(tmp_path, "quiz.yaml", calc("1 / x", "[{name: x, values: [1, 0]}]"))
    (problem,) = problems
    assert "division par zéro" in problem.message and "x = 0" in problem.message
    assert problem.path == "questions[0].formula"


def test_unknown_placeholder_suggests(tmp_path: Path) -> None:
    problems, _ = _problems(
        tmp_path,
        "quiz.yaml",
        QUIZ_CASES[[c[0] for c in QUIZ_CASES].index("unknown-placeholder")][1],
    )
    assert [p.hint for p in problems] == ["vouliez-vous dire `montant` ?"]


def test_later_name_hint(tmp_path: Path) -> None:
    problems, _ = _problems(tmp_path, "etude.yaml", STUDY_CASES[0][1])
    assert "plus bas" in problems[0].message


def test_relative_tolerance_on_zero_is_a_warning_only(tmp_path: Path) -> None:
    text = _quiz(
        """\
        - type: numeric
          id: n
          text: "?"
          answer: 0
          tolerance: 0.1  # <-
          tolerance_mode: relative
        """
    )
    problems, line = _problems(tmp_path, "quiz.yaml", text)
    assert [(p.code, p.severity, p.line) for p in problems] == [
        ("tolerance-relative-zero", "warning", line)
    ]


def test_a_clean_pack_has_no_problem(project_root: Path) -> None:
    library = load_library(
        [project_root / "tests/quiz/fixtures/pack"], use_cache=False, strict=False
    )
    assert [p.format() for p in library.problems] == []


def test_bad_pack_refuses_to_load_strictly(tmp_path: Path) -> None:
    from simulator.errors import ContentError

    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "pack.yaml").write_text(PACK, encoding="utf-8")
    (pack / "quiz.yaml").write_text(calc("x.real", marker=""), encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_library([pack], use_cache=False)
    assert [p.code for p in info.value.problems] == ["formula-attribute"]


# ---------------------------------------------------------------- bounded grids


def _var(name: str, **spec: object) -> Variable:
    return msgspec.convert({"name": name, **spec}, Variable)


def test_small_grid_is_exhaustive() -> None:
    variables = [_var("a", min=1, max=40), _var("b", values=[1, 2, 3])]
    combos = list(combinations(variables, "s"))
    assert len(combos) == 120 <= MAX_GRID
    assert len({tuple(c.values()) for c in combos}) == 120


def test_large_grid_checks_corners_and_a_seeded_sample() -> None:
    variables = [_var("a", min=0, max=999), _var("b", min=0, max=999)]  # 1 000 000 combinations
    combos = list(combinations(variables, "s"))
    assert len(combos) == 4 + SAMPLE
    corners = {(c["a"], c["b"]) for c in combos[:4]}
    assert corners == {(0, 0), (0, 999), (999, 0), (999, 999)}
    assert combos == list(combinations(variables, "s"))  # same every run


def test_large_grid_failure_at_a_corner_is_found(tmp_path: Path) -> None:
    text = calc("1 / (x - 1000)", "[{name: x, min: 0, max: 1000}, {name: y, min: 0, max: 100}]")
    problems, line = _problems(tmp_path, "quiz.yaml", text)
    assert [(p.code, p.line) for p in problems] == [("formula-division-by-zero", line)]
