"""Common wrong methods that a numeric tolerance lets through.

A calculated question (or a case-study question) accepts answers within its
tolerance.  A tolerance that is too loose also accepts a *wrong method*: a
365-day year where 360 is imposed, the HT amount where the TTC is financed,
an early-payment discount divided by 100 instead of (100 − discount)…  This
module rewrites each answer formula into the formula a trainee would apply
with such a mistake, evaluates both over every draw of the variables, and
reports the share of draws where the wrong answer is graded right.

The wrong methods (:data:`WRONG_METHODS`), each a rewrite of the formula's
syntax tree (a method that changes nothing in a formula does not apply to it):

* ``annee-365`` / ``annee-360`` — a day-count constant 360 used as 365, or
  365 as 360 (only as a factor or divisor);
* ``trimestre-91-25`` — a quarter of 90, 91 or 92 days taken as 365 / 4 =
  91,25 days;
* ``ht-au-lieu-du-ttc`` — the VAT factor (``× 1.2``, ``× 1.14975``,
  ``× (1 + tva / 100)``) forgotten, or a ``…_ttc`` value replaced by the
  matching ``…_ht`` value the trainee can see; ``ttc-au-lieu-du-ht`` — the
  reverse (``/ 1.2`` forgotten, ``…_ht`` replaced by ``…_ttc``);
* ``taux-sur-100`` — a rate divided by 100 (or 1) instead of (100 − rate),
  the classic error on the cost of an early-payment discount;
* ``sans-indemnite-40`` — the 40 € recovery indemnity (``+ 40`` or
  ``+ 40 * n``) forgotten.

How a draw is judged: the trainee types the wrong value rounded to the
question's decimals; it *passes* when the grading rule of
:func:`simulator.quiz.questions.grade_number` accepts it, and it *counts*
only when its rounded value differs from the expected one (a wrong method
that gives the right figure cannot be caught by any tolerance).

In a case study the trainee reads the variables and the derived values the
dossier shows (in the intro, the tables or a question text); a derived value
the dossier does not show is one the trainee computes, so the wrong method is
applied to its formula too.

Draws: every combination of the variables the question depends on, up to
:data:`MAX_DRAWS` combinations; above, the corners plus a seeded sample (the
same at every run), and the message says how many draws were examined.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from simulator.model.case_study import CaseStudy
from simulator.model.quiz import Calculated, Variable
from simulator.quiz.draw import combinations, to_decimal, value_count, well_formed
from simulator.quiz.formula import Formula, FormulaError, compile_formula, rewrite_formula
from simulator.quiz.render import braces

__all__ = [
    "MAX_DRAWS",
    "SAMPLE",
    "WRONG_METHODS",
    "Finding",
    "WrongMethod",
    "scan_calculated",
    "scan_study",
]

MAX_DRAWS = 5000
"""Largest grid of draws examined exhaustively (the bundled banks stay below it)."""
SAMPLE = 400
"""Seeded draws examined, besides the corners, when a grid is larger."""

VAT_FACTORS = (Decimal("1.2"), Decimal("1.14975"))
"""TTC/HT factors: France (20 %) and Québec (TPS 5 % + TVQ 9,975 %)."""
TAX_WORDS = ("tva", "tps", "tvq", "taxe", "taxes")
QUARTER_DAYS = (Decimal(90), Decimal(91), Decimal(92))
INDEMNITY = Decimal(40)


@dataclass(frozen=True, slots=True)
class WrongMethod:
    """A named mistake: ``rewrite(tree, visible)`` returns the changed tree, or None."""

    code: str
    label: str
    """French, as shown to trainers: « année de 365 jours au lieu de 360 »."""
    rewrite: Callable[[ast.Expression, frozenset[str]], ast.Expression | None]


@dataclass(frozen=True, slots=True)
class Finding:
    """A wrong method accepted on ``passes`` of ``draws`` draws of one question."""

    question: int
    """Index of the question in its bank or case study."""
    method: WrongMethod
    passes: int
    draws: int
    exhaustive: bool
    example: tuple[tuple[str, Decimal], ...]
    """The variables of the draw where the wrong answer is furthest from the right one."""
    expected: Decimal
    wrong: Decimal

    @property
    def share(self) -> float:
        return self.passes / self.draws if self.draws else 0.0


# ---------------------------------------------------------------- rewrites


def _number(node: ast.AST) -> Decimal | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        return Decimal(node.value) if isinstance(node.value, int) else Decimal(repr(node.value))
    return None


def _const(value: Decimal) -> ast.Constant:
    return ast.Constant(value=int(value) if value == value.to_integral_value() else float(value))


class _Rewriter(ast.NodeTransformer):
    """Applies ``change`` bottom-up and remembers whether anything changed."""

    def __init__(self, change: Callable[[ast.AST], ast.AST | None]) -> None:
        self.change = change
        self.changed = False

    def generic_visit(self, node: ast.AST) -> ast.AST:
        node = super().generic_visit(node)
        replaced = self.change(node)
        if replaced is not None:
            self.changed = True
            return replaced
        return node


def _rewriting(change: Callable[[ast.AST], ast.AST | None]) -> Callable[[ast.Expression, frozenset[str]], ast.Expression | None]:
    def rewrite(tree: ast.Expression, _visible: frozenset[str]) -> ast.Expression | None:
        rewriter = _Rewriter(change)
        new = rewriter.visit(tree)
        return new if rewriter.changed else None

    return rewrite


def _factor_constant(old: Sequence[Decimal], new: Decimal) -> Callable[[ast.AST], ast.AST | None]:
    """Replace a constant in ``old`` used as a factor or divisor by ``new``."""

    def change(node: ast.AST) -> ast.AST | None:
        if not (isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mult, ast.Div))):
            return None
        left, right = _number(node.left), _number(node.right)
        if right is not None and right in old and right != new:
            return ast.BinOp(left=node.left, op=node.op, right=_const(new))
        if left is not None and left in old and left != new and isinstance(node.op, ast.Mult):
            return ast.BinOp(left=_const(new), op=node.op, right=node.right)
        return None

    return change


def _mentions_tax(node: ast.AST) -> bool:
    return any(
        isinstance(n, ast.Name) and any(word in n.id.lower().split("_") for word in TAX_WORDS)
        for n in ast.walk(node)
    )


def _is_vat_factor(node: ast.AST) -> bool:
    value = _number(node)
    if value is not None:
        return value in VAT_FACTORS
    # (1 + tva / 100)
    return (
        isinstance(node, ast.BinOp)
        and isinstance(node.op, ast.Add)
        and (_number(node.left) == 1 and _mentions_tax(node.right) or _number(node.right) == 1 and _mentions_tax(node.left))
    )


def _drop_vat(op: type[ast.operator]) -> Callable[[ast.AST], ast.AST | None]:
    """Remove a VAT factor applied with ``op`` (× adds the VAT, ÷ removes it)."""

    def change(node: ast.AST) -> ast.AST | None:
        if not (isinstance(node, ast.BinOp) and isinstance(node.op, op)):
            return None
        if _is_vat_factor(node.right):
            return node.left
        if op is ast.Mult and _is_vat_factor(node.left):
            return node.right
        return None

    return change


def _swap_suffix(old: str, new: str) -> Callable[[ast.Expression, frozenset[str]], ast.Expression | None]:
    """Rewrite: drop a VAT factor, and read ``x_new`` where the formula reads ``x_old``."""
    vat = _rewriting(_drop_vat(ast.Mult if old == "ttc" else ast.Div))

    def rewrite(tree: ast.Expression, visible: frozenset[str]) -> ast.Expression | None:
        changed = vat(tree, visible)
        base = changed if changed is not None else tree

        def rename(node: ast.AST) -> ast.AST | None:
            if isinstance(node, ast.Name):
                for suffix_old, suffix_new in ((f"_{old}", f"_{new}"), (old, new)):
                    if node.id.endswith(suffix_old):
                        other = node.id[: -len(suffix_old)] + suffix_new
                        if other != node.id and other in visible:
                            return ast.Name(id=other, ctx=ast.Load())
                        break
            return None

        rewriter = _Rewriter(rename)
        renamed = rewriter.visit(base)
        if changed is None and not rewriter.changed:
            return None
        return renamed

    return rewrite


def _rate_over_hundred(node: ast.AST) -> ast.AST | None:
    """``a / (100 - t)`` → ``a / 100`` (and ``a / (1 - t)`` → ``a / 1``)."""
    if (
        isinstance(node, ast.BinOp)
        and isinstance(node.op, ast.Div)
        and isinstance(node.right, ast.BinOp)
        and isinstance(node.right.op, ast.Sub)
    ):
        base = _number(node.right.left)
        if base in (Decimal(100), Decimal(1)) and _number(node.right.right) is None:
            return ast.BinOp(left=node.left, op=ast.Div(), right=_const(base))  # type: ignore[arg-type]
    return None


def _is_indemnity(node: ast.AST) -> bool:
    if _number(node) == INDEMNITY:
        return True
    return (
        isinstance(node, ast.BinOp)
        and isinstance(node.op, ast.Mult)
        and (_number(node.left) == INDEMNITY or _number(node.right) == INDEMNITY)
    )


def _forget_indemnity(node: ast.AST) -> ast.AST | None:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        if _is_indemnity(node.right):
            return node.left
        if _is_indemnity(node.left):
            return node.right
    return None


WRONG_METHODS: tuple[WrongMethod, ...] = (
    WrongMethod(
        "annee-365",
        "année de 365 jours au lieu de 360",
        _rewriting(_factor_constant((Decimal(360),), Decimal(365))),
    ),
    WrongMethod(
        "annee-360",
        "année de 360 jours au lieu de 365",
        _rewriting(_factor_constant((Decimal(365),), Decimal(360))),
    ),
    WrongMethod(
        "trimestre-91-25",
        "trimestre de 91,25 jours (365 / 4) au lieu des jours réels",
        _rewriting(_factor_constant(QUARTER_DAYS, Decimal("91.25"))),
    ),
    WrongMethod("ht-au-lieu-du-ttc", "montant HT au lieu du TTC", _swap_suffix("ttc", "ht")),
    WrongMethod("ttc-au-lieu-du-ht", "montant TTC au lieu du HT", _swap_suffix("ht", "ttc")),
    WrongMethod(
        "taux-sur-100",
        "taux rapporté à 100 au lieu de (100 − taux)",
        _rewriting(_rate_over_hundred),
    ),
    WrongMethod(
        "sans-indemnite-40",
        "indemnité forfaitaire de 40 € oubliée",
        _rewriting(_forget_indemnity),
    ),
)


# ---------------------------------------------------------------- draws


def _draws(variables: Sequence[Variable], scope: str) -> tuple[Iterator[dict[str, Decimal]], int, bool]:
    """Every combination (or corners plus a seeded sample), its count, and whether it is exhaustive."""
    total = math.prod(value_count(v) for v in variables)
    combos = combinations(variables, "wrong-method", scope, max_grid=MAX_DRAWS, sample=SAMPLE)
    if total <= MAX_DRAWS:
        return combos, total, True
    unique = list({tuple(c.items()): c for c in combos}.values())
    return iter(unique), len(unique), False


# ---------------------------------------------------------------- grading


def _round(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


class _Judge:
    """The grading rule of ``grade_number`` for one question, on a typed wrong value."""

    def __init__(self, tolerance: float, mode: str, decimals: int) -> None:
        self.tolerance = to_decimal(tolerance)
        self.relative = mode == "relative"
        self.decimals = decimals

    def caught_only_by_tolerance(self, expected: Decimal, wrong: Decimal) -> bool:
        """True when ``wrong``, typed as shown, differs from ``expected`` but is accepted."""
        typed = _round(wrong, self.decimals)
        if typed == _round(expected, self.decimals):
            return False  # indistinguishable at the displayed precision
        allowed = self.tolerance * abs(expected) if self.relative else self.tolerance
        return abs(typed - expected) <= allowed


# ---------------------------------------------------------------- chains


@dataclass(frozen=True, slots=True)
class _Step:
    name: str | None
    """Name of the derived value it computes; None for the question itself."""
    right: Formula
    wrong: Formula | None
    """The rewritten formula, or None when the method does not change it (or it is shown)."""


@dataclass(slots=True)
class _Tally:
    """Draws a wrong method passes, and the one where it is furthest from the right answer."""

    passes: int = 0
    gap: Decimal = Decimal(-1)
    example: dict[str, Decimal] = field(default_factory=dict)
    expected: Decimal = Decimal(0)
    wrong: Decimal = Decimal(0)

    def add(self, draw: dict[str, Decimal], expected: Decimal, wrong: Decimal) -> None:
        self.passes += 1
        gap = abs(wrong - expected)
        if gap > self.gap:
            self.gap, self.example, self.expected, self.wrong = gap, draw, expected, wrong


def _compile(source: str) -> Formula | None:
    try:
        return compile_formula(source)
    except FormulaError:
        return None


def _rewrite(formula: Formula, method: WrongMethod, visible: frozenset[str]) -> Formula | None:
    tree = method.rewrite(formula.tree, visible)
    if tree is None:
        return None
    try:
        return rewrite_formula(formula, tree, method.code)
    except FormulaError:
        return None


def _scan(
    variables: Sequence[Variable],
    derived: Sequence[tuple[str, Formula, bool]],
    questions: Sequence[tuple[int, Formula, _Judge]],
    visible: frozenset[str],
    scope: str,
) -> list[Finding]:
    """Scan ``questions`` (index, formula, judge) over the draws of ``variables``.

    ``derived`` lists (name, formula, shown) in order: a shown value is read
    by the trainee as computed; a hidden one is recomputed with the method.
    """
    if not well_formed(variables):
        return []
    by_name = {name: (formula, shown) for name, formula, shown in derived}
    findings: list[Finding] = []
    for index, formula, judge in questions:
        if judge.tolerance == 0:
            continue  # only the displayed value is accepted: no tolerance to abuse
        # The derived values this question needs, in their order, and the variables under them.
        needed: set[str] = set()
        pending = list(formula.variables)
        while pending:
            name = pending.pop()
            if name in needed:
                continue
            needed.add(name)
            if name in by_name:
                pending.extend(by_name[name][0].variables)
        chain_names = [name for name, _f, _s in derived if name in needed]
        used = [v for v in variables if v.name in needed]
        # For each method, the steps to recompute: the rewritten ones and those that
        # read a recomputed value; every other value is the right one.
        methods: list[tuple[WrongMethod, list[_Step]]] = []
        for method in WRONG_METHODS:
            plan: list[_Step] = []
            changed: set[str] = set()
            for name in chain_names:
                d_formula, shown = by_name[name]
                wrong = None if shown else _rewrite(d_formula, method, visible)
                if wrong is not None or (not shown and d_formula.variables & changed):
                    plan.append(_Step(name, d_formula, wrong))
                    changed.add(name)
            wrong_q = _rewrite(formula, method, visible)
            if wrong_q is not None or formula.variables & changed:
                plan.append(_Step(None, formula, wrong_q))
                methods.append((method, plan))
        if not methods:
            continue
        draws, count, exhaustive = _draws(used, f"{scope}:{index}")
        tallies = {m.code: _Tally() for m, _s in methods}
        for start in draws:
            right_env: dict[str, Decimal] = start
            if chain_names:
                right_env = dict(start)
                for name in chain_names:
                    value = by_name[name][0].evaluate_or_none(right_env)
                    if value is None:
                        break
                    right_env[name] = value
            expected = formula.evaluate_or_none(right_env)
            if expected is None:
                continue
            for method, plan in methods:
                env = dict(right_env) if len(plan) > 1 else right_env
                wrong_value: Decimal | None = None
                for step in plan:
                    value = (step.wrong or step.right).evaluate_or_none(env)
                    if value is None:
                        break
                    if step.name is None:
                        wrong_value = value
                    else:
                        env[step.name] = value
                if wrong_value is not None and judge.caught_only_by_tolerance(expected, wrong_value):
                    tallies[method.code].add(start, expected, wrong_value)
        for method, _plan in methods:
            tally = tallies[method.code]
            if tally.passes:
                findings.append(
                    Finding(
                        question=index,
                        method=method,
                        passes=tally.passes,
                        draws=count,
                        exhaustive=exhaustive,
                        example=tuple(tally.example.items()),
                        expected=tally.expected,
                        wrong=tally.wrong,
                    )
                )
    return findings


def scan_calculated(question: Calculated, index: int, scope: str) -> list[Finding]:
    """Wrong methods accepted by one calculated quiz question."""
    formula = _compile(question.formula)
    if formula is None or not formula.variables <= {v.name for v in question.variables}:
        return []
    judge = _Judge(question.tolerance, question.tolerance_mode, question.decimals)
    visible = frozenset(v.name for v in question.variables)
    return _scan(question.variables, (), ((index, formula, judge),), visible, scope)


def _shown_names(study: CaseStudy) -> frozenset[str]:
    texts = [study.intro]
    for table in study.tables:
        texts.append(table.title)
        texts.extend(table.columns)
        texts.extend(cell for row in table.rows for cell in row)
    texts.extend(q.text for q in study.questions)
    return frozenset(content for text in texts for content, is_name in braces(text) if is_name)


def scan_study(study: CaseStudy) -> list[Finding]:
    """Wrong methods accepted by the questions of one case study."""
    shown = _shown_names(study)
    known = {v.name for v in study.variables}
    derived: list[tuple[str, Formula, bool]] = []
    for d in study.derived:
        formula = _compile(d.formula)
        if formula is None or not formula.variables <= known:
            return []  # the content check reports it
        derived.append((d.name, formula, d.name in shown))
        known.add(d.name)
    questions = []
    for k, q in enumerate(study.questions):
        formula = _compile(q.formula)
        if formula is None or not formula.variables <= known:
            return []
        questions.append((k, formula, _Judge(q.tolerance, q.tolerance_mode, q.decimals)))
    visible = frozenset({v.name for v in study.variables} | {n for n, _f, s in derived if s})
    return _scan(study.variables, derived, questions, visible, study.id)

