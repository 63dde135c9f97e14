"""Content checks of quiz banks and case studies, run by the pack loader.

Registered with :func:`simulator.model.checks.register_check`; the loader
turns each :class:`Located` into a problem with file and line.  What is
checked, and why:

* **single choice**: exactly one correct choice (otherwise the question
  cannot be answered right, or the key is ambiguous); choice texts distinct
  (answers may be given by text);
* **multiple choice**: fractions in [−1, 1], positive fractions that can
  reach full marks (sum ≥ 0.999, Moodle's rounding of thirds);
* **numeric**: tolerance ≥ 0, relative tolerance ≤ 1 (100 %), and the
  answer, displayed the French way (:func:`format_fr`) with its unit, reads
  back to itself through :func:`parse_number` — so the expected answer is
  something a trainee can type; a relative tolerance on an answer of 0 is a
  warning (only 0 is then accepted);
* **variables**: either ``values`` or ``min``/``max`` (with optional
  ``step``), ``min ≤ max``, names unique;
* **formulas** (calculated questions, case-study derived values and
  questions): compile with the whitelist of :mod:`simulator.quiz.formula`
  (attribute access, imports, calls outside the whitelist, huge exponents…
  are reported with the formula's own error code, e.g. ``formula-attribute``)
  and reference only known names — in a case study, only variables and
  derived values defined *above*;
* **evaluation**: each formula evaluates without error for every
  combination of its variables' values.  When the grid has more than
  :data:`MAX_GRID` combinations, the check covers the corners (every
  variable at its first or last value; all-first and all-last only when
  there are more than 8 variables) plus :data:`SAMPLE` combinations drawn
  with a fixed seed — bounded work, same result at every run;
* **placeholders**: every ``{…}`` in texts, tables, solutions and feedback is
  a bare name that exists (``{reponse}`` is also allowed in solutions and
  feedback: the question's expected answer);
* **ordering** items and **matching** left items distinct; short-text
  answers not empty once normalised.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal

from simulator.model.checks import Located, register_check
from simulator.model import Pack
from simulator.model.case_study import CaseStudy
from simulator.model.quiz import (
    Calculated,
    Matching,
    MultipleChoice,
    Numeric,
    Ordering,
    QuizBank,
    ShortText,
    SingleChoice,
    Variable,
)
from simulator.quiz.draw import combinations as draw_combinations
from simulator.quiz.draw import to_decimal, well_formed
from simulator.quiz.formula import Formula, FormulaError, check_formula, compile_formula
from simulator.quiz.numbers import NumberParseError, format_fr, parse_number
from simulator.quiz.questions import fold_text
from simulator.quiz.render import braces, natural_decimals

__all__ = ["MAX_GRID", "SAMPLE", "check_quiz_content", "combinations"]

MAX_GRID = 2000
"""Largest grid of variable values checked exhaustively."""
SAMPLE = 200
"""Seeded combinations checked in addition to the corners of a larger grid."""
MAX_CORNER_VARIABLES = 8

PathT = tuple[str | int, ...]
ANSWER_NAME = "reponse"


# ---------------------------------------------------------------- helpers


def _located(
    owner: str, path: PathT, code: str, message: str, hint: str = "", severity: str = "error"
) -> Located:
    return Located(owner, path, code, message, hint, severity)


def _suggest(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=1)
    return f"vouliez-vous dire `{close[0]}` ?" if close else ""


def _placeholders(owner: str, path: PathT, text: str, known: Iterable[str]) -> Iterator[Located]:
    names = set(known)
    for content, is_name in braces(text):
        if not is_name:
            yield _located(
                owner,
                path,
                "placeholder-syntax",
                f"« {{{content}}} » : entre accolades, seulement un nom de valeur",
                "écrivez par exemple {ca_ttc} ; pour un calcul, ajoutez une valeur dérivée",
            )
        elif content not in names:
            hint = _suggest(content, names) or (
                "valeurs connues : " + ", ".join(sorted(names))
                if names
                else "aucune valeur définie"
            )
            yield _located(owner, path, "unknown-placeholder", f"valeur `{content}` inconnue", hint)


def _variables(owner: str, base: PathT, variables: Sequence[Variable]) -> Iterator[Located]:
    seen: set[str] = set()
    for j, v in enumerate(variables):
        path = (*base, j)
        if v.name in seen:
            yield _located(
                owner, (*path, "name"), "duplicate-variable", f"variable `{v.name}` déjà définie"
            )
        seen.add(v.name)
        has_range = v.min is not None or v.max is not None
        if v.values and (has_range or v.step is not None):
            yield _located(
                owner,
                path,
                "variable-ambiguous",
                f"variable `{v.name}` : `values` et `min`/`max`/`step` à la fois",
                "gardez soit la liste `values`, soit la plage `min`/`max`/`step`",
            )
        elif not v.values and (v.min is None or v.max is None):
            yield _located(
                owner,
                path,
                "variable-incomplete",
                f"variable `{v.name}` : il faut `values`, ou `min` et `max`",
                "ex. `min: 1000`, `max: 5000`, `step: 500` (pas de 1 si `step` est absent)",
            )
        elif not v.values and v.min is not None and v.max is not None and v.min > v.max:
            yield _located(
                owner,
                (*path, "min"),
                "variable-range",
                f"variable `{v.name}` : min ({v.min}) supérieur à max ({v.max})",
                "échangez les deux bornes",
            )


def _tolerance(owner: str, base: PathT, tolerance: float, mode: str) -> Iterator[Located]:
    if tolerance < 0 or not math.isfinite(tolerance):
        yield _located(
            owner,
            (*base, "tolerance"),
            "tolerance-negative",
            "tolérance négative",
            "mettez 0 ou plus",
        )
    elif mode == "relative" and tolerance > 1:
        yield _located(
            owner,
            (*base, "tolerance"),
            "tolerance-relative-range",
            f"tolérance relative de {tolerance} (plus de 100 %)",
            "en mode relatif, 0.01 = 1 % ; mettez une valeur entre 0 et 1",
        )


_TO_THE_CENT = re.compile(r"\bau centime\b|\barrondi(?:e|es|s)? au centime\b|\bcentime près\b", re.IGNORECASE)
CENT_TOLERANCE = 0.01
"""Largest absolute tolerance of an answer asked « au centime » (one cent of rounding)."""


def _to_the_cent(owner: str, base: PathT, text: str, tolerance: float, mode: str) -> Iterator[Located]:
    """A question that asks for the cent must not accept an answer ten cents off."""
    if _TO_THE_CENT.search(text) and (mode == "relative" or tolerance > CENT_TOLERANCE):
        yield _located(
            owner,
            (*base, "tolerance"),
            "tolerance-cent",
            f"la question demande un montant au centime mais accepte un écart de {tolerance} "
            f"({'relatif' if mode == 'relative' else 'absolu'})",
            f"mettez `tolerance: {CENT_TOLERANCE}` (absolu) : un écart d'un centime d'arrondi, pas plus",
            severity="warning",
        )


def _formula_problems(
    owner: str, path: PathT, source: str, known: Iterable[str], later: Iterable[str] = ()
) -> list[Located]:
    later_names = set(later)
    found = []
    for error in check_formula(source, known):
        message, hint = f"formule : {error.message}", _FORMULA_HINT
        if error.code == "formula-unknown-variable" and error.name in later_names:
            message = f"formule : `{error.name}` est calculé plus bas"
            hint = "une valeur dérivée ne peut utiliser que les valeurs définies au-dessus : déplacez-la"
        found.append(_located(owner, path, error.code, message, hint))
    return found


_FORMULA_HINT = (
    "opérations permises : + - * / **, comparaisons, « a if condition else b », "
    "round, min, max, abs, sqrt, floor, ceil"
)


# ---------------------------------------------------------------- grids


def combinations(variables: Sequence[Variable], scope: str) -> Iterator[dict[str, Decimal]]:
    """The combinations the evaluation check covers (see the module docstring)."""
    return draw_combinations(variables, "check", scope, max_grid=MAX_GRID, sample=SAMPLE,
                             max_corner_variables=MAX_CORNER_VARIABLES)


def _describe(env: Mapping[str, Decimal]) -> str:
    return ", ".join(f"{k} = {format_fr(v, natural_decimals(v))}" for k, v in env.items())


# ---------------------------------------------------------------- quizzes


def _check_single(owner: str, base: PathT, q: SingleChoice) -> Iterator[Located]:
    correct = sum(1 for c in q.choices if c.correct)
    if correct != 1:
        yield _located(
            owner,
            (*base, "choices"),
            "single-correct-count",
            f"{correct} choix marqués `correct: true` au lieu d'un seul",
            "une question `single` a exactement une bonne réponse ; pour plusieurs, utilisez `type: multiple`",
        )
    yield from _distinct(
        owner, (*base, "choices"), [c.text for c in q.choices], "text", "duplicate-choice", "choix"
    )


def _distinct(
    owner: str, base: PathT, texts: Sequence[str], attr: str | None, code: str, what: str
) -> Iterator[Located]:
    seen: dict[str, int] = {}
    for j, text in enumerate(texts):
        key = fold_text(text)
        if key in seen:
            path = (*base, j, attr) if attr else (*base, j)
            yield _located(
                owner,
                path,
                code,
                f"{what} « {text} » en double (même texte que le n° {seen[key] + 1})",
                "chaque élément doit se distinguer des autres",
            )
        else:
            seen[key] = j


def _check_multiple(owner: str, base: PathT, q: MultipleChoice) -> Iterator[Located]:
    for j, choice in enumerate(q.choices):
        if not -1.0 <= choice.fraction <= 1.0:
            yield _located(
                owner,
                (*base, "choices", j, "fraction"),
                "fraction-range",
                f"fraction {choice.fraction} hors de [-1, 1]",
                "0.5 = la moitié des points ; -1 retire tous les points",
            )
    positive = sum(c.fraction for c in q.choices if c.fraction > 0)
    if positive < 0.999:
        yield _located(
            owner,
            (*base, "choices"),
            "fractions-unreachable",
            f"les fractions positives totalisent {positive:g} : la note maximale est inatteignable",
            "la somme des fractions positives doit valoir 1 (ex. 0.5 + 0.5, ou 0.3333333 × 3)",
        )
    yield from _distinct(
        owner, (*base, "choices"), [c.text for c in q.choices], "text", "duplicate-choice", "choix"
    )


def _check_numeric(owner: str, base: PathT, q: Numeric) -> Iterator[Located]:
    yield from _tolerance(owner, base, q.tolerance, q.tolerance_mode)
    value = to_decimal(q.answer)
    shown = format_fr(value, natural_decimals(value), q.unit)
    try:
        parsed = parse_number(shown)
        readable = parsed.value == value and parsed.unit == q.unit
    except NumberParseError:
        readable = False
    if not readable:
        yield _located(
            owner,
            (*base, "answer"),
            "answer-unreadable",
            f"la réponse affichée « {shown} » ne se relit pas comme {q.answer}",
            "vérifiez la valeur et l'unité de la réponse",
        )
    if q.tolerance_mode == "relative" and value == 0 and q.tolerance > 0:
        yield _located(
            owner,
            (*base, "tolerance"),
            "tolerance-relative-zero",
            "tolérance relative sur une réponse nulle : seul 0 sera accepté",
            "utilisez `tolerance_mode: absolute`",
            "warning",
        )


def _check_calculated(owner: str, base: PathT, q: Calculated) -> Iterator[Located]:
    yield from _tolerance(owner, base, q.tolerance, q.tolerance_mode)
    yield from _variables(owner, (*base, "variables"), q.variables)
    names = [v.name for v in q.variables]
    yield from _placeholders(owner, (*base, "text"), q.text, names)
    yield from _placeholders(owner, (*base, "feedback"), q.feedback, [*names, ANSWER_NAME])
    static = _formula_problems(owner, (*base, "formula"), q.formula, names)
    yield from static
    if static or not well_formed(q.variables):
        return
    formula = compile_formula(q.formula, names)
    for env in combinations(q.variables, f"{owner}:{q.id}"):
        try:
            formula.evaluate(env)
        except FormulaError as error:
            yield _located(
                owner,
                (*base, "formula"),
                error.code,
                f"formule : {error.message} pour {_describe(env)}",
                "la formule doit donner un nombre pour toutes les valeurs des variables",
            )
            return


def _check_quiz(quiz: QuizBank) -> Iterator[Located]:
    for i, q in enumerate(quiz.questions):
        base: PathT = ("questions", i)
        if isinstance(q, SingleChoice):
            yield from _check_single(quiz.id, base, q)
        elif isinstance(q, MultipleChoice):
            yield from _check_multiple(quiz.id, base, q)
        elif isinstance(q, Numeric):
            yield from _check_numeric(quiz.id, base, q)
        elif isinstance(q, Calculated):
            yield from _check_calculated(quiz.id, base, q)
        elif isinstance(q, Ordering):
            yield from _distinct(
                quiz.id, (*base, "items"), q.items, None, "duplicate-item", "élément"
            )
        elif isinstance(q, Matching):
            lefts = [p.left for p in q.pairs]
            yield from _distinct(
                quiz.id, (*base, "pairs"), lefts, "left", "duplicate-left", "élément de gauche"
            )
        elif isinstance(q, ShortText):
            for j, accepted in enumerate(q.answers):
                if not fold_text(accepted):
                    yield _located(
                        quiz.id,
                        (*base, "answers", j),
                        "empty-answer",
                        "réponse acceptée vide une fois normalisée",
                        "écrivez au moins un mot ou un nombre",
                    )


# ---------------------------------------------------------------- case studies


def _check_study_static(study: CaseStudy) -> Iterator[Located]:
    owner = study.id
    yield from _variables(owner, ("variables",), study.variables)
    known = [v.name for v in study.variables]
    derived_names = [d.name for d in study.derived]
    for j, derived in enumerate(study.derived):
        if derived.name in known:
            yield _located(
                owner,
                ("derived", j, "name"),
                "duplicate-name",
                f"`{derived.name}` est déjà défini",
                "chaque variable et valeur dérivée a un nom unique",
            )
        yield from _formula_problems(
            owner, ("derived", j, "formula"), derived.formula, known, derived_names[j + 1 :]
        )
        known.append(derived.name)
    yield from _placeholders(owner, ("intro",), study.intro, known)
    for t, table in enumerate(study.tables):
        yield from _placeholders(owner, ("tables", t, "title"), table.title, known)
        for c, column in enumerate(table.columns):
            yield from _placeholders(owner, ("tables", t, "columns", c), column, known)
        for r, row in enumerate(table.rows):
            if len(row) != len(table.columns):
                yield _located(
                    owner,
                    ("tables", t, "rows", r),
                    "table-row-width",
                    f"ligne de {len(row)} cellule(s) pour {len(table.columns)} colonne(s)",
                    "chaque ligne a une cellule par colonne",
                )
            for c, cell in enumerate(row):
                yield from _placeholders(owner, ("tables", t, "rows", r, c), cell, known)
    with_answer = [*known, ANSWER_NAME]
    for k, question in enumerate(study.questions):
        base: PathT = ("questions", k)
        yield from _tolerance(owner, base, question.tolerance, question.tolerance_mode)
        yield from _to_the_cent(owner, base, question.text, question.tolerance, question.tolerance_mode)
        yield from _formula_problems(owner, (*base, "formula"), question.formula, known)
        yield from _placeholders(owner, (*base, "text"), question.text, known)
        yield from _placeholders(owner, (*base, "feedback"), question.feedback, with_answer)
        for s, line in enumerate(question.solution):
            yield from _placeholders(owner, (*base, "solution", s), line, with_answer)


def _check_study_values(study: CaseStudy) -> Iterator[Located]:
    """Evaluate the whole chain on the checked combinations; one problem per failing formula."""
    formulas: list[tuple[PathT, str | None, Formula]] = []
    for j, derived in enumerate(study.derived):
        formulas.append((("derived", j, "formula"), derived.name, compile_formula(derived.formula)))
    for k, question in enumerate(study.questions):
        formulas.append((("questions", k, "formula"), None, compile_formula(question.formula)))
    failed: set[PathT] = set()
    for start in combinations(study.variables, study.id):
        env = dict(start)
        for path, name, formula in formulas:
            try:
                value = formula.evaluate(env)
            except FormulaError as error:
                if path not in failed:
                    failed.add(path)
                    yield _located(
                        study.id,
                        path,
                        error.code,
                        f"formule : {error.message} pour {_describe(start)}",
                        "la formule doit donner un nombre pour toutes les valeurs des variables",
                    )
                if name is not None:
                    break  # later formulas need this value
                continue
            if name is not None:
                env[name] = value


def _check_study(study: CaseStudy) -> Iterator[Located]:
    static = list(_check_study_static(study))
    yield from static
    if not any(p.severity == "error" for p in static) and well_formed(study.variables):
        yield from _check_study_values(study)


@register_check
def check_quiz_content(pack: Pack) -> Iterator[Located]:
    """Every quiz-bank and case-study problem of ``pack`` (see the module docstring)."""
    for quiz in pack.quizzes:
        yield from _check_quiz(quiz)
    for study in pack.case_studies:
        yield from _check_study(study)
