"""Safe evaluation of the answer formulas that trainers write in YAML quiz files.

Example formulas: ``creances / ca_ttc * 365``,
``round(montant * taux / 100 * jours / 365, 2) + 40``, ``min(besoin, capacite)``,
``(a + b) / 2``, ``x ** 2``, ``a if retard > 0 else 0``.

Why not ``eval``: quiz packs are content, possibly shared between training
centres; a formula must never be able to run code.  The source is only
*parsed* (``ast.parse(mode="eval")``, which builds a tree and executes
nothing), every node is checked against a whitelist, and evaluation is a small
tree walker over :class:`~decimal.Decimal` values.  ``eval``, ``exec`` and
running compiled code are never used.

Why :class:`~decimal.Decimal` rather than float: answers are money and day
counts compared with hand-worked examples; with Decimal ``0.1 + 0.2`` is
exactly ``0.3`` and ``round(x, 2)`` rounds the written decimal value, not its
binary approximation.  Arithmetic runs in a private context (28 significant
digits, overflow / invalid operation trapped) so the caller's decimal settings
never change a result.  Float inputs are converted through their shortest
``repr`` (``0.1`` → ``Decimal("0.1")``).

Language (everything else is refused before evaluation):

* numbers (``12``, ``0.05``, ``1e3``), variables (identifiers not starting
  with ``_``), ``True``/``False`` in conditions;
* ``+ - * /``, unary ``+``/``-``, ``**`` with a *constant* exponent of
  magnitude ≤ 100 (and a result of magnitude ≤ 1e15);
* ``round(x)``/``round(x, n)`` (half away from zero, like Moodle/PHP and
  French commercial rounding; ``n`` an integer constant in −15…15),
  ``min(a, b, ...)``, ``max(a, b, ...)``, ``abs``, ``sqrt``, ``floor``, ``ceil``;
* comparisons ``< <= > >= == !=``, ``and``/``or``/``not`` and
  ``a if condition else b`` — conditions must be boolean and arithmetic must
  be numeric (checked statically); the final result must be a number.

Limits: source ≤ 500 characters, expression nesting ≤ 50.  Identifiers are
NFKC-normalised by the Python parser, so environment keys are normalised the
same way before lookup.

Every problem is a :class:`FormulaError` (a ``ValueError``) with a French
``message`` for trainers and a stable ``code`` (see :data:`ERROR_CODES`).
"""

from __future__ import annotations

import ast
import copy
import difflib
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import (
    ROUND_CEILING,
    ROUND_FLOOR,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DecimalException,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    localcontext,
)
from typing import Literal

__all__ = [
    "ERROR_CODES",
    "FUNCTIONS",
    "MAX_DEPTH",
    "MAX_EXPONENT",
    "MAX_LENGTH",
    "MAX_POWER_RESULT",
    "Formula",
    "FormulaError",
    "check_formula",
    "compile_formula",
    "rewrite_formula",
]

MAX_LENGTH = 500
MAX_DEPTH = 50
MAX_EXPONENT = 100
MAX_POWER_RESULT = Decimal("1e15")

ERROR_CODES = frozenset(
    {
        "formula-syntax",  # not a valid expression, empty formula
        "formula-too-long",  # more than MAX_LENGTH characters
        "formula-too-deep",  # nesting deeper than MAX_DEPTH
        "formula-forbidden-name",  # identifier starting with "_"
        "formula-attribute",  # x.attr
        "formula-call",  # call of a non-whitelisted function, bad arity, keyword args
        "formula-construct",  # subscripts, lambdas, comprehensions, lists, f-strings...
        "formula-constant",  # string, bytes, None, complex constants
        "formula-operator",  # %, //, bitwise operators, `is`, `in`, ~
        "formula-exponent",  # non-constant or too large exponent, too large power
        "formula-type",  # arithmetic on a condition, condition that is a number
        "formula-unknown-variable",  # variable not provided / not declared
        "formula-division-by-zero",
        "formula-domain",  # sqrt(-1), (-8) ** 0.5, 0 ** 0, overflow
    }
)

_Kind = Literal["num", "bool"]


class FormulaError(ValueError):
    """A formula was refused or could not be evaluated.

    ``code`` is one of :data:`ERROR_CODES`; ``message`` is French and meant for
    the trainer; ``position`` is the 0-based column in the source when known;
    ``name`` is the offending identifier when there is one.
    """

    def __init__(
        self,
        code: str,
        message: str,
        *,
        position: int | None = None,
        name: str | None = None,
    ) -> None:
        assert code in ERROR_CODES, code
        super().__init__(message)
        self.code = code
        self.message = message
        self.position = position
        self.name = name

    def __repr__(self) -> str:
        return f"FormulaError({self.code!r}, {self.message!r})"


# name -> (min args, max args or None)
FUNCTIONS: Mapping[str, tuple[int, int | None]] = {
    "round": (1, 2),
    "min": (2, None),
    "max": (2, None),
    "abs": (1, 1),
    "sqrt": (1, 1),
    "floor": (1, 1),
    "ceil": (1, 1),
}

_ARITH_OPS: dict[type[ast.operator], str] = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.Pow: "**",
}
_OPERATOR_HINTS: dict[type[ast.AST], str] = {
    ast.Mod: "l'opérateur % (modulo) n'est pas autorisé ; pour un pourcentage écrivez taux / 100",
    ast.FloorDiv: "l'opérateur // n'est pas autorisé ; écrivez floor(a / b)",
    ast.BitXor: "l'opérateur ^ n'est pas autorisé ; pour une puissance écrivez x ** 2",
    ast.MatMult: "l'opérateur @ n'est pas autorisé",
    ast.BitAnd: "l'opérateur & n'est pas autorisé ; pour « et » écrivez and",
    ast.BitOr: "l'opérateur | n'est pas autorisé ; pour « ou » écrivez or",
    ast.LShift: "l'opérateur << n'est pas autorisé",
    ast.RShift: "l'opérateur >> n'est pas autorisé",
    ast.Invert: "l'opérateur ~ n'est pas autorisé",
    ast.Is: "« is » n'est pas autorisé ; écrivez ==",
    ast.IsNot: "« is not » n'est pas autorisé ; écrivez !=",
    ast.In: "« in » n'est pas autorisé",
    ast.NotIn: "« not in » n'est pas autorisé",
}
_COMPARE_OPS = (ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.Eq, ast.NotEq)
_CONSTRUCT_NAMES: dict[type[ast.AST], str] = {
    ast.Subscript: "l'indexation x[...]",
    ast.Slice: "l'indexation x[...]",
    ast.Lambda: "lambda",
    ast.ListComp: "les compréhensions",
    ast.SetComp: "les compréhensions",
    ast.DictComp: "les compréhensions",
    ast.GeneratorExp: "les compréhensions",
    ast.List: "les listes [...]",
    ast.Tuple: "les tuples",
    ast.Set: "les ensembles {...}",
    ast.Dict: "les dictionnaires {...}",
    ast.JoinedStr: "les f-strings",
    ast.FormattedValue: "les f-strings",
    ast.NamedExpr: "l'affectation :=",
    ast.Starred: "l'opérateur *args",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield",
}


def _col(node: ast.AST) -> int | None:
    return getattr(node, "col_offset", None)


def _const_number(node: ast.expr) -> Decimal | None:
    """Value of a (possibly signed) numeric literal, else None."""
    sign = 1
    while isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        if isinstance(node.op, ast.USub):
            sign = -sign
        node = node.operand
    if (
        isinstance(node, ast.Constant)
        and isinstance(node.value, (int, float))
        and not isinstance(node.value, bool)
    ):
        d = _literal(node.value)
        return -d if sign < 0 else d
    return None


def _literal(value: float) -> Decimal:
    return Decimal(value) if isinstance(value, int) else Decimal(repr(value))


def _depth(tree: ast.AST) -> int:
    """Maximum nesting of expression nodes, computed without recursion."""
    deepest = 0
    stack: list[tuple[ast.AST, int]] = [(tree, 0)]
    while stack:
        node, d = stack.pop()
        if isinstance(node, ast.expr):
            d += 1
            deepest = max(deepest, d)
        stack.extend((child, d) for child in ast.iter_child_nodes(node))
    return deepest


class _Checker:
    """Static whitelist walker: collects every error and the variable names."""

    def __init__(self) -> None:
        self.errors: list[FormulaError] = []
        self.variables: set[str] = set()

    def error(self, code: str, message: str, node: ast.AST, name: str | None = None) -> None:
        self.errors.append(FormulaError(code, message, position=_col(node), name=name))

    def expect(self, node: ast.expr, kind: _Kind, what: str) -> None:
        got = self.visit(node)
        if got is not None and got != kind:
            if kind == "num":
                msg = f"{what} doit être un nombre, pas une condition"
            else:
                msg = f"{what} doit être une condition (ex. retard > 0), pas un nombre"
            self.error("formula-type", msg, node)

    def visit(self, node: ast.expr) -> _Kind | None:
        """Return the static kind of ``node`` (None when it is already in error)."""
        if isinstance(node, ast.Constant):
            v = node.value
            if isinstance(v, bool):
                return "bool"
            if isinstance(v, (int, float)):
                return "num"
            if isinstance(v, (str, bytes)):
                self.error(
                    "formula-constant", "les textes entre guillemets ne sont pas autorisés", node
                )
            else:
                self.error("formula-constant", f"constante non autorisée : {v!r}", node)
            return None
        if isinstance(node, ast.Name):
            name = node.id
            if name.startswith("_"):
                self.error(
                    "formula-forbidden-name",
                    f"nom interdit : « {name} » (les noms commençant par _ sont réservés)",
                    node,
                    name,
                )
                return None
            if name in FUNCTIONS:
                self.error(
                    "formula-call",
                    f"« {name} » est une fonction : écrivez par exemple {name}(x)",
                    node,
                    name,
                )
                return None
            self.variables.add(name)
            return "num"
        if isinstance(node, ast.BinOp):
            op = type(node.op)
            if op not in _ARITH_OPS:
                hint = _OPERATOR_HINTS.get(op, "opérateur non autorisé")
                self.error("formula-operator", hint, node)
                self.visit(node.left)
                self.visit(node.right)
                return None
            symbol = _ARITH_OPS[op]
            self.expect(node.left, "num", f"l'opérande de « {symbol} »")
            if op is ast.Pow:
                exponent = _const_number(node.right)
                if exponent is None:
                    self.error(
                        "formula-exponent",
                        "l'exposant de ** doit être un nombre écrit en clair (ex. x ** 2)",
                        node.right,
                    )
                    self.visit(node.right)
                elif abs(exponent) > MAX_EXPONENT:
                    self.error(
                        "formula-exponent",
                        f"exposant trop grand : {exponent} (maximum {MAX_EXPONENT})",
                        node.right,
                    )
            else:
                self.expect(node.right, "num", f"l'opérande de « {symbol} »")
            return "num"
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, (ast.USub, ast.UAdd)):
                self.expect(node.operand, "num", "l'opérande du signe")
                return "num"
            if isinstance(node.op, ast.Not):
                self.expect(node.operand, "bool", "l'opérande de « not »")
                return "bool"
            self.error("formula-operator", _OPERATOR_HINTS[ast.Invert], node)
            return None
        if isinstance(node, ast.Compare):
            ok = True
            for op in node.ops:
                if not isinstance(op, _COMPARE_OPS):
                    self.error(
                        "formula-operator",
                        _OPERATOR_HINTS.get(type(op), "comparaison non autorisée"),
                        node,
                    )
                    ok = False
            for operand in (node.left, *node.comparators):
                self.expect(operand, "num", "chaque membre d'une comparaison")
            return "bool" if ok else None
        if isinstance(node, ast.BoolOp):
            word = "and" if isinstance(node.op, ast.And) else "or"
            for value in node.values:
                self.expect(value, "bool", f"chaque membre de « {word} »")
            return "bool"
        if isinstance(node, ast.IfExp):
            self.expect(node.test, "bool", "la condition de « if »")
            body, orelse = self.visit(node.body), self.visit(node.orelse)
            if body is None or orelse is None:
                return None
            if body != orelse:
                self.error(
                    "formula-type",
                    "les deux branches de « if … else » doivent être du même type",
                    node,
                )
                return None
            return body
        if isinstance(node, ast.Call):
            return self.visit_call(node)
        if isinstance(node, ast.Attribute):
            self.visit(node.value)  # report e.g. __import__(...) too, first
            self.error(
                "formula-attribute",
                f"l'accès à un attribut (« .{node.attr} ») n'est pas autorisé",
                node,
                node.attr,
            )
            return None
        if isinstance(node, ast.Tuple):
            self.error(
                "formula-construct",
                "virgule décimale ? Dans une formule, écrivez 0.05 (point décimal) ; "
                "la virgule ne sert qu'à séparer les arguments d'une fonction",
                node,
            )
            return None
        label = _CONSTRUCT_NAMES.get(type(node), f"la construction {type(node).__name__}")
        self.error("formula-construct", f"{label} : non autorisé dans une formule", node)
        return None

    def visit_call(self, node: ast.Call) -> _Kind | None:
        func = node.func
        if isinstance(func, ast.Attribute):
            self.visit(func.value)
            self.error(
                "formula-attribute",
                f"l'accès à un attribut (« .{func.attr} ») n'est pas autorisé",
                func,
                func.attr,
            )
            return None
        if not isinstance(func, ast.Name):
            # e.g. (lambda: 1)() — report what the callee is, not only the call
            if self.visit(func) is not None:
                self.error(
                    "formula-call",
                    "seules les fonctions nommées round, min, max, abs, sqrt, floor, ceil "
                    "sont autorisées",
                    node,
                )
            return None
        name = func.id
        if name.startswith("_"):
            self.error("formula-forbidden-name", f"nom interdit : « {name} »", func, name)
            return None
        if name not in FUNCTIONS:
            allowed = ", ".join(FUNCTIONS)
            self.error(
                "formula-call",
                f"fonction non autorisée : « {name} » (fonctions permises : {allowed})",
                func,
                name,
            )
            return None
        if node.keywords:
            self.error("formula-call", f"{name}() n'accepte pas d'arguments nommés", node, name)
            return None
        if any(isinstance(a, ast.Starred) for a in node.args):
            self.error("formula-call", f"{name}() n'accepte pas *args", node, name)
            return None
        low, high = FUNCTIONS[name]
        n = len(node.args)
        if n < low or (high is not None and n > high):
            if high is None:
                expected = f"au moins {low} arguments"
            elif low == high:
                expected = f"{low} argument" + ("s" if low > 1 else "")
            else:
                expected = f"{low} à {high} arguments"
            self.error("formula-call", f"{name}() attend {expected}, reçu {n}", node, name)
            return None
        if name == "round" and n == 2:
            self.expect(node.args[0], "num", "l'argument de round()")
            digits = _const_number(node.args[1])
            if digits is None or digits != digits.to_integral_value() or not -15 <= digits <= 15:
                self.error(
                    "formula-call",
                    "le second argument de round() doit être un entier écrit en clair "
                    "entre -15 et 15 (ex. round(x, 2))",
                    node.args[1],
                    name,
                )
            return "num"
        for arg in node.args:
            self.expect(arg, "num", f"l'argument de {name}()")
        return "num"


def _analyse(source: str) -> tuple[ast.Expression | None, frozenset[str], list[FormulaError]]:
    if not isinstance(source, str):
        raise TypeError(f"formula source must be str, got {type(source).__name__}")
    if len(source) > MAX_LENGTH:
        return (
            None,
            frozenset(),
            [
                FormulaError(
                    "formula-too-long",
                    f"formule trop longue : {len(source)} caractères (maximum {MAX_LENGTH})",
                )
            ],
        )
    text = source.replace("\r", " ").replace("\n", " ").replace("\t", " ").strip()
    if not text:
        return None, frozenset(), [FormulaError("formula-syntax", "formule vide")]
    try:
        # Parsing only builds a syntax tree (compile with PyCF_ONLY_AST); nothing runs.
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        return None, frozenset(), [_syntax_error(text, exc)]
    except (ValueError, RecursionError, MemoryError):
        return None, frozenset(), [FormulaError("formula-syntax", "formule illisible")]
    if _depth(tree) > MAX_DEPTH:
        return (
            None,
            frozenset(),
            [
                FormulaError(
                    "formula-too-deep", f"formule trop imbriquée (maximum {MAX_DEPTH} niveaux)"
                )
            ],
        )
    checker = _Checker()
    kind = checker.visit(tree.body)
    if kind == "bool":
        checker.error(
            "formula-type", "le résultat doit être un nombre, pas une condition", tree.body
        )
    errors = sorted(checker.errors, key=lambda e: (e.position is None, e.position or 0))
    return tree, frozenset(checker.variables), errors


def _syntax_error(text: str, exc: SyntaxError) -> FormulaError:
    position = exc.offset - 1 if exc.offset else None
    hints = []
    if "×" in text or "÷" in text:
        hints.append("utilisez * pour multiplier et / pour diviser")
    if "%" in text:
        hints.append("pour un pourcentage écrivez taux / 100")
    if re.search(r"\d,\d", text):
        hints.append("virgule décimale ? écrivez 0.05 avec un point")
    if "too many nested" in str(exc.msg):
        return FormulaError(
            "formula-too-deep", f"formule trop imbriquée (maximum {MAX_DEPTH} niveaux)"
        )
    where = f" (colonne {position + 1})" if position is not None else ""
    message = f"syntaxe invalide{where}"
    if hints:
        message += " : " + " ; ".join(hints)
    return FormulaError("formula-syntax", message, position=position)


_CONTEXT = Context(
    prec=28,
    rounding=ROUND_HALF_EVEN,
    Emax=999_999,
    Emin=-999_999,
    traps=[InvalidOperation, DivisionByZero, Overflow],
)


@dataclass(frozen=True)
class Formula:
    """A formula that passed the static checks; evaluate it with :meth:`evaluate`.

    Build it with :func:`compile_formula`.  ``variables`` are the identifiers
    the formula reads (NFKC-normalised).
    """

    source: str
    variables: frozenset[str]
    _tree: ast.Expression = field(repr=False, compare=False)
    _run: _Node = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_run", _closure(self._tree.body))

    def evaluate(self, env: Mapping[str, Decimal | float]) -> Decimal:
        """Evaluate with the variable values of ``env``; return an unrounded Decimal.

        Raises :class:`FormulaError` for a missing variable
        (``formula-unknown-variable``), a non-numeric value (``formula-type``),
        a division by zero, a power out of bounds (``formula-exponent``) or an
        impossible operation (``formula-domain``).
        """
        values = _prepare_env(env, self.variables)
        with localcontext(_CONTEXT):
            try:
                result = self._run(values)
            except DivisionByZero:
                raise FormulaError("formula-division-by-zero", "division par zéro") from None
            except (Overflow, InvalidOperation, DecimalException):
                raise FormulaError(
                    "formula-domain", "opération impossible (résultat indéfini ou trop grand)"
                ) from None
        assert isinstance(result, Decimal)
        if result.as_tuple().exponent > 0 and result.adjusted() < 27:  # type: ignore[operator]
            result = result.quantize(Decimal(1))  # 10000 / 0.05 → 200000, not 2.000E+5
        return result

    @property
    def tree(self) -> ast.Expression:
        """A copy of the checked syntax tree (to build a variant with :func:`rewrite_formula`)."""
        return copy.deepcopy(self._tree)

    def evaluate_or_none(self, values: Mapping[str, Decimal]) -> Decimal | None:
        """Evaluate with ``values`` already Decimal and NFKC-named; None when evaluation fails.

        The fast path for checks that evaluate one formula over thousands of
        draws (see :mod:`simulator.quiz.wrong_methods`): no name normalisation,
        no error message built.
        """
        with localcontext(_CONTEXT):
            try:
                result = self._run(values)
            except (KeyError, FormulaError, DecimalException, ArithmeticError):
                return None
        return result if isinstance(result, Decimal) else None


def _prepare_env(env: Mapping[str, object], needed: frozenset[str]) -> dict[str, Decimal]:
    normalised = {unicodedata.normalize("NFKC", k): v for k, v in env.items() if isinstance(k, str)}
    missing = sorted(needed - normalised.keys())
    if missing:
        names = ", ".join(f"« {m} »" for m in missing)
        raise FormulaError(
            "formula-unknown-variable",
            f"variable(s) sans valeur : {names}",
            name=missing[0],
        )
    values: dict[str, Decimal] = {}
    for name in needed:
        raw = normalised[name]
        if isinstance(raw, bool) or not isinstance(raw, (Decimal, int, float)):
            raise FormulaError(
                "formula-type",
                f"la variable « {name} » doit être un nombre (reçu {type(raw).__name__})",
                name=name,
            )
        value = raw if isinstance(raw, Decimal) else _literal(raw)
        if not value.is_finite():
            raise FormulaError(
                "formula-domain", f"la variable « {name} » n'est pas un nombre fini", name=name
            )
        values[name] = value
    return values


_Node = Callable[[Mapping[str, Decimal]], "Decimal | bool"]


def _closure(node: ast.expr) -> _Node:
    """Turn an already-checked node into a function of the variable values.

    Built once per formula (a tree walk per evaluation is several times
    slower over the thousands of draws a content check examines); the
    arithmetic is the same Decimal arithmetic, run by :meth:`Formula.evaluate`
    inside the private context.
    """
    if isinstance(node, ast.Constant):
        v = node.value
        constant = v if isinstance(v, bool) else _literal(v)
        return lambda _values: constant
    if isinstance(node, ast.Name):
        name = node.id
        return lambda values: values[name]
    if isinstance(node, ast.BinOp):
        left = _closure(node.left)
        if isinstance(node.op, ast.Pow):
            exponent = _const_number(node.right)
            assert exponent is not None

            def power(values: Mapping[str, Decimal]) -> Decimal:
                base = left(values)
                if base == 0 and exponent < 0:
                    raise DivisionByZero
                result = base**exponent  # type: ignore[operator]
                if abs(result) > MAX_POWER_RESULT:
                    raise FormulaError(
                        "formula-exponent",
                        "puissance trop grande (résultat au-delà de 10^15 en valeur absolue)",
                    )
                return +result

            return power
        right = _closure(node.right)
        if isinstance(node.op, ast.Add):
            return lambda values: left(values) + right(values)  # type: ignore[operator]
        if isinstance(node.op, ast.Sub):
            return lambda values: left(values) - right(values)  # type: ignore[operator]
        if isinstance(node.op, ast.Mult):
            return lambda values: left(values) * right(values)  # type: ignore[operator]
        if isinstance(node.op, ast.Div):

            def divide(values: Mapping[str, Decimal]) -> Decimal:
                a, b = left(values), right(values)
                if b == 0:
                    raise DivisionByZero
                return a / b  # type: ignore[operator]

            return divide
        raise AssertionError(node.op)  # pragma: no cover - rejected by the checker
    if isinstance(node, ast.UnaryOp):
        operand = _closure(node.operand)
        if isinstance(node.op, ast.Not):
            return lambda values: not operand(values)
        if isinstance(node.op, ast.USub):
            return lambda values: -operand(values)  # type: ignore[operator]
        return lambda values: +operand(values)  # type: ignore[operator]
    if isinstance(node, ast.Compare):
        first = _closure(node.left)
        rest = [(op, _closure(c)) for op, c in zip(node.ops, node.comparators, strict=True)]

        def compare(values: Mapping[str, Decimal]) -> bool:
            a = first(values)
            for op, comparator in rest:
                b = comparator(values)
                if not _compare(op, a, b):  # type: ignore[arg-type]
                    return False
                a = b
            return True

        return compare
    if isinstance(node, ast.BoolOp):
        parts = [_closure(v) for v in node.values]
        if isinstance(node.op, ast.And):
            return lambda values: all(p(values) for p in parts)
        return lambda values: any(p(values) for p in parts)
    if isinstance(node, ast.IfExp):
        test, body, orelse = _closure(node.test), _closure(node.body), _closure(node.orelse)
        return lambda values: body(values) if test(values) else orelse(values)
    if isinstance(node, ast.Call):
        return _call_closure(node)
    raise AssertionError(type(node).__name__)  # pragma: no cover - rejected by the checker


def _call_closure(node: ast.Call) -> _Node:
    assert isinstance(node.func, ast.Name)
    name = node.func.id
    args = [_closure(a) for a in node.args]
    if name == "round":
        digits = int(_const_number(node.args[1]) or 0) if len(node.args) == 2 else 0
        quantum = Decimal(1).scaleb(-digits)
        x = args[0]
        return lambda values: x(values).quantize(quantum, rounding=ROUND_HALF_UP)  # type: ignore[union-attr]
    if name == "min":
        return lambda values: min(a(values) for a in args)  # type: ignore[type-var]
    if name == "max":
        return lambda values: max(a(values) for a in args)  # type: ignore[type-var]
    (x,) = args
    if name == "abs":
        return lambda values: abs(x(values))  # type: ignore[arg-type]
    if name == "sqrt":

        def root(values: Mapping[str, Decimal]) -> Decimal:
            v = x(values)
            if v < 0:  # type: ignore[operator]
                raise FormulaError("formula-domain", "racine carrée d'un nombre négatif")
            return v.sqrt()  # type: ignore[union-attr]

        return root
    if name == "floor":
        return lambda values: x(values).to_integral_value(rounding=ROUND_FLOOR)  # type: ignore[union-attr]
    if name == "ceil":
        return lambda values: x(values).to_integral_value(rounding=ROUND_CEILING)  # type: ignore[union-attr]
    raise AssertionError(name)  # pragma: no cover


def _compare(op: ast.cmpop, a: Decimal, b: Decimal) -> bool:
    if isinstance(op, ast.Lt):
        return a < b
    if isinstance(op, ast.LtE):
        return a <= b
    if isinstance(op, ast.Gt):
        return a > b
    if isinstance(op, ast.GtE):
        return a >= b
    if isinstance(op, ast.Eq):
        return a == b
    if isinstance(op, ast.NotEq):
        return a != b
    raise AssertionError(op)  # pragma: no cover


def compile_formula(source: str, variables: Iterable[str] | None = None) -> Formula:
    """Check ``source`` statically and return a :class:`Formula`.

    Raises the first :class:`FormulaError` found (by position).  When
    ``variables`` is given, names not in it are refused
    (``formula-unknown-variable``), as :func:`check_formula` does.
    """
    tree, names, errors = _analyse(source)
    if tree is not None and variables is not None:
        errors += _unknown_variables(names, variables)
    if errors:
        raise errors[0]
    assert tree is not None
    return Formula(source=source, variables=names, _tree=tree)


def rewrite_formula(formula: Formula, tree: ast.Expression, label: str) -> Formula:
    """A variant of ``formula`` with the syntax tree ``tree`` (e.g. a wrong method).

    ``tree`` is checked against the same whitelist as a written formula, so a
    rewrite can never evaluate anything a trainer could not write; ``label``
    is appended to the source for messages.  Raises :class:`FormulaError`.
    """
    ast.fix_missing_locations(tree)
    checker = _Checker()
    kind = checker.visit(tree.body)
    if checker.errors:
        raise checker.errors[0]
    if kind == "bool":
        raise FormulaError("formula-type", "le résultat doit être un nombre, pas une condition")
    return Formula(
        source=f"{formula.source} [{label}]", variables=frozenset(checker.variables), _tree=tree
    )


def check_formula(source: str, variables: Iterable[str]) -> list[FormulaError]:
    """Return every static problem of ``source`` (empty list when it is valid).

    For the content validator: syntax, whitelist, limits, and variables that
    are not among ``variables`` (one ``formula-unknown-variable`` error per
    name, with a "did you mean" suggestion).  Nothing is evaluated.
    """
    tree, names, errors = _analyse(source)
    if tree is not None:
        errors += _unknown_variables(names, variables)
    return errors


def _unknown_variables(names: frozenset[str], variables: Iterable[str]) -> list[FormulaError]:
    known = {unicodedata.normalize("NFKC", v) for v in variables}
    errors = []
    for name in sorted(names - known):
        close = difflib.get_close_matches(name, sorted(known), n=1)
        hint = f" — vouliez-vous dire « {close[0]} » ?" if close else ""
        errors.append(
            FormulaError(
                "formula-unknown-variable", f"variable inconnue : « {name} »{hint}", name=name
            )
        )
    return errors
