"""Safe answer formulas (simulator.quiz.formula)."""

from __future__ import annotations

import ast
import builtins
import os
from decimal import Decimal, localcontext
from pathlib import Path

import pytest

from simulator.quiz.formula import (
    ERROR_CODES,
    MAX_LENGTH,
    Formula,
    FormulaError,
    check_formula,
    compile_formula,
)

D = Decimal

RESULTS = [
    ("creances / ca_ttc * 365", {"creances": 360_000, "ca_ttc": 1_800_000}, D("73")),
    (
        "round(montant * taux / 100 * jours / 365, 2) + 40",
        {"montant": 12_000, "taux": 12.15, "jours": 45},
        D("219.75"),
    ),
    (
        "round(montant * taux / 100 * jours / 365, 2)",
        {"montant": 12_000, "taux": 8.28, "jours": 45},
        D("122.50"),
    ),
    ("min(besoin, capacite)", {"besoin": 90_000, "capacite": 40_000}, D("40000")),
    ("max(a, b)", {"a": 1, "b": D("1.5")}, D("1.5")),
    ("max(a, b, c)", {"a": 1, "b": 3, "c": 2}, D("3")),
    ("abs(x)", {"x": -4}, D("4")),
    ("(a + b) / 2", {"a": 150_000, "b": 250_000}, D("200000")),
    ("x ** 2", {"x": 12}, D("144")),
    ("x ** -1", {"x": 4}, D("0.25")),
    ("x ** 0.5", {"x": 16}, D("4")),
    ("-x", {"x": 3}, D("-3")),
    ("+x", {"x": 3}, D("3")),
    ("--x", {"x": 3}, D("3")),
    ("0.1 + 0.2", {}, D("0.3")),
    ("x + y", {"x": 0.1, "y": 0.2}, D("0.3")),
    ("1e3 / 4", {}, D("250")),
    ("perte / marge", {"perte": 10_000, "marge": 0.05}, D("200000")),
    ("round(2.5)", {}, D("3")),
    ("round(-2.5)", {}, D("-3")),
    ("round(2.675, 2)", {}, D("2.68")),
    ("round(1234.5, -2)", {}, D("1200")),
    ("floor(x)", {"x": D("-1.5")}, D("-2")),
    ("ceil(x)", {"x": D("1.2")}, D("2")),
    ("sqrt(x)", {"x": 2}, D("1.414213562373095048801688724")),
    ("a if retard > 0 else 0", {"a": 40, "retard": 3}, D("40")),
    ("a if retard > 0 else 0", {"a": 40, "retard": 0}, D("0")),
    ("1 if 0 < x <= 30 else 2", {"x": 30}, D("1")),
    ("1 if 0 < x <= 30 else 2", {"x": 31}, D("2")),
    ("1 if x == 2 or not x != 3 else 0", {"x": 3}, D("1")),
    ("1 if x >= 1 and x < 2 else 0", {"x": 1}, D("1")),
    ("1 if True else 0", {}, D("1")),
    ("(1 if x > 0 else 2) * 10", {"x": -1}, D("20")),
    (
        "ca * (1 + tva) * (delai + reaction) / 30",
        {"ca": 30_000, "tva": 0.2, "delai": 60, "reaction": 15},
        D("90000"),
    ),
    ("créances / ca * 365", {"créances": 360_000, "ca": 1_800_000}, D("73")),
    ("montant\n  * 2", {"montant": 3}, D("6")),
    ("  x  ", {"x": 3}, D("3")),
]


@pytest.mark.parametrize(("source", "env", "expected"), RESULTS)
def test_results(source: str, env: dict, expected: Decimal) -> None:
    result = compile_formula(source).evaluate(env)
    assert isinstance(result, Decimal)
    assert result == expected


def test_result_is_plain_not_exponent() -> None:
    assert (
        str(compile_formula("perte / marge").evaluate({"perte": 10_000, "marge": 0.05})) == "200000"
    )


def test_variables_and_source() -> None:
    f = compile_formula("round(creances / ca_ttc * 365, 1) + min(a, 2)")
    assert f.source == "round(creances / ca_ttc * 365, 1) + min(a, 2)"
    assert f.variables == frozenset({"creances", "ca_ttc", "a"})
    assert isinstance(f, Formula)
    with pytest.raises(AttributeError):
        f.source = "1"  # type: ignore[misc]
    assert compile_formula("x + 1") == compile_formula("x + 1")


def test_caller_decimal_context_does_not_matter() -> None:
    f = compile_formula("1 / 3")
    with localcontext() as ctx:
        ctx.prec = 3
        value = f.evaluate({})
    assert str(value) == "0.3333333333333333333333333333"


def test_env_keys_are_nfkc_normalised() -> None:
    f = compile_formula("ｃａ * 2")  # fullwidth letters normalise to "ca"
    assert f.variables == {"ca"}
    assert f.evaluate({"ｃａ": 2}) == 4
    assert f.evaluate({"ca": 2}) == 4


REFUSED = [
    # attribute access
    ("x.__class__", "formula-attribute"),
    ("x.real", "formula-attribute"),
    ("(1).__class__.__bases__", "formula-attribute"),
    ("math.sqrt(x)", "formula-attribute"),
    # forbidden names / imports
    ("__import__('os')", "formula-forbidden-name"),
    ("__import__('os').system('echo pwned')", "formula-forbidden-name"),
    ("_x + 1", "formula-forbidden-name"),
    ("__builtins__", "formula-forbidden-name"),
    ("import os", "formula-syntax"),
    # calls outside the whitelist
    ("print('x')", "formula-call"),
    ("eval('1')", "formula-call"),
    ("exec('1')", "formula-call"),
    ("open('/etc/passwd')", "formula-call"),
    ("getattr(x, 'y')", "formula-call"),
    ("pow(2, 3)", "formula-call"),
    ("round", "formula-call"),
    ("min(x)", "formula-call"),
    ("abs(x, y)", "formula-call"),
    ("round(x, 2, 3)", "formula-call"),
    ("round(x, y)", "formula-call"),
    ("round(x, 1.5)", "formula-call"),
    ("round(x, 99)", "formula-call"),
    ("round(x, ndigits=2)", "formula-call"),
    ("max(*x)", "formula-call"),
    ("3(2)", "formula-call"),
    # constructs
    ("x[0]", "formula-construct"),
    ("x[1:2]", "formula-construct"),
    ("lambda: 1", "formula-construct"),
    ("(lambda: 1)()", "formula-construct"),
    ("[i for i in x]", "formula-construct"),
    ("sum(i for i in x)", "formula-call"),
    ("{i: i for i in x}", "formula-construct"),
    ("[1, 2]", "formula-construct"),
    ("{1, 2}", "formula-construct"),
    ("{'a': 1}", "formula-construct"),
    ("(x := 1)", "formula-construct"),
    ("taux * 0,5", "formula-construct"),
    ("f'{x}'", "formula-construct"),
    # constants
    ("'abc'", "formula-constant"),
    ("b'abc'", "formula-constant"),
    ("None", "formula-constant"),
    ("1j", "formula-constant"),
    ("...", "formula-constant"),
    # operators
    ("x % 2", "formula-operator"),
    ("x // 2", "formula-operator"),
    ("x ^ 2", "formula-operator"),
    ("x & 1", "formula-operator"),
    ("x << 2", "formula-operator"),
    ("~x", "formula-operator"),
    ("1 if x is 1 else 0", "formula-operator"),
    ("1 if x in y else 0", "formula-operator"),
    # exponents
    ("2 ** x", "formula-exponent"),
    ("2 ** (1 + 1)", "formula-exponent"),
    ("2 ** 101", "formula-exponent"),
    ("2 ** -101", "formula-exponent"),
    ("9 ** 9 ** 9", "formula-exponent"),
    # types
    ("x > 1", "formula-type"),
    ("(x > 1) + 1", "formula-type"),
    ("1 if x else 0", "formula-type"),
    ("not x", "formula-type"),
    ("1 if x > 0 else x > 1", "formula-type"),
    ("True + 1", "formula-type"),
    # syntax, length, depth
    ("", "formula-syntax"),
    ("   ", "formula-syntax"),
    ("1 +", "formula-syntax"),
    ("montant × 2", "formula-syntax"),
    ("taux * 0,05", "formula-syntax"),
    ("x = 1", "formula-syntax"),
    ("1\x00", "formula-syntax"),
    ("x" * (MAX_LENGTH + 1), "formula-too-long"),
    ("-" * 60 + "1", "formula-too-deep"),
    ("abs(" * 51 + "x" + ")" * 51, "formula-too-deep"),
    ("(" * 210 + "1" + ")" * 210, "formula-too-deep"),
]


@pytest.mark.parametrize(("source", "code"), REFUSED, ids=[repr(r[0][:30]) for r in REFUSED])
def test_refused_at_compile(source: str, code: str) -> None:
    with pytest.raises(FormulaError) as info:
        compile_formula(source)
    err = info.value
    assert err.code == code, err.message
    assert err.code in ERROR_CODES
    assert isinstance(err, ValueError)
    assert err.message and str(err) == err.message


def test_every_static_code_is_exercised() -> None:
    static = {code for _, code in REFUSED}
    runtime = {"formula-unknown-variable", "formula-division-by-zero", "formula-domain"}
    assert static | runtime == ERROR_CODES


def test_messages_are_french_with_hints() -> None:
    def message(src: str) -> str:
        with pytest.raises(FormulaError) as info:
            compile_formula(src)
        return info.value.message

    assert "taux / 100" in message("x % 2")
    assert "point" in message("taux * 0,05")
    assert "* pour multiplier" in message("montant × 2")
    assert "x ** 2" in message("x ^ 2")
    assert "trop longue" in message("x" * 501)
    assert "fonctions permises" in message("print(1)")


RUNTIME = [
    ("1 / 0", {}, "formula-division-by-zero"),
    ("a / b", {"a": 1, "b": 0}, "formula-division-by-zero"),
    ("a / (b - b)", {"a": 0, "b": 5}, "formula-division-by-zero"),
    ("x ** -1", {"x": 0}, "formula-division-by-zero"),
    ("sqrt(x)", {"x": -1}, "formula-domain"),
    ("x ** 0.5", {"x": -8}, "formula-domain"),
    ("x ** 0", {"x": 0}, "formula-domain"),
    ("x", {"x": float("inf")}, "formula-domain"),
    ("x", {"x": D("NaN")}, "formula-domain"),
    ("10 ** 16", {}, "formula-exponent"),
    ("x ** 100", {"x": 2}, "formula-exponent"),
    ("x ** 2", {"x": D("1e300")}, "formula-exponent"),
    ("a + b", {"a": 1}, "formula-unknown-variable"),
    ("a + b", {}, "formula-unknown-variable"),
    ("x", {"x": "12"}, "formula-type"),
    ("x", {"x": True}, "formula-type"),
    ("x", {"x": None}, "formula-type"),
]


@pytest.mark.parametrize(("source", "env", "code"), RUNTIME)
def test_refused_at_evaluation(source: str, env: dict, code: str) -> None:
    f = compile_formula(source)
    with pytest.raises(FormulaError) as info:
        f.evaluate(env)
    assert info.value.code == code


def test_unknown_variable_lists_missing_names() -> None:
    with pytest.raises(FormulaError) as info:
        compile_formula("a + b + c").evaluate({"b": 1})
    assert "« a »" in info.value.message and "« c »" in info.value.message
    assert info.value.name == "a"


def test_check_formula_reports_everything() -> None:
    errors = check_formula("creance / ca + _x + y.z + print(1)", ["creances", "ca"])
    codes = [e.code for e in errors]
    assert codes.count("formula-forbidden-name") == 1
    assert "formula-attribute" in codes
    assert "formula-call" in codes
    unknown = [e for e in errors if e.code == "formula-unknown-variable"]
    assert [e.name for e in unknown] == ["creance", "y"]
    assert "vouliez-vous dire « creances »" in unknown[0].message


def test_check_formula_ok_and_syntax() -> None:
    assert check_formula("creances / ca_ttc * 365", {"creances", "ca_ttc", "autre"}) == []
    [err] = check_formula("1 +", ["x"])
    assert err.code == "formula-syntax"


def test_check_formula_import_reports_forbidden_name_first() -> None:
    errors = check_formula("__import__('os').system('echo pwned')", [])
    assert errors[0].code == "formula-forbidden-name"
    assert {e.code for e in errors} == {"formula-forbidden-name", "formula-attribute"}


def test_compile_with_declared_variables() -> None:
    compile_formula("a + b", variables=["a", "b"])
    with pytest.raises(FormulaError) as info:
        compile_formula("a + c", variables=["a", "b"])
    assert info.value.code == "formula-unknown-variable"
    assert info.value.name == "c"


def test_error_position() -> None:
    [err] = check_formula("1 + x.y", ["x"])
    assert err.position == 4


# ---------------------------------------------------------------- nothing runs

DANGEROUS = [
    "print('executed')",
    "__import__('os').system('echo executed')",
    "exec('print(1)')",
    "eval('print(1)')",
    "open('/tmp/relance-formula-test', 'w')",
    "(lambda: print('executed'))()",
    "[print('executed') for _ in x]",
    "breakpoint()",
    "globals()",
    "x.__class__.__subclasses__()",
]


@pytest.mark.parametrize("source", DANGEROUS)
def test_dangerous_formulas_are_refused_without_running_anything(
    source: str,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    calls: list[str] = []

    def forbid(name: str):
        def _f(*args, **kwargs):
            calls.append(name)
            raise AssertionError(f"{name} must never be called")

        return _f

    marker = tmp_path / "executed"
    source = source.replace("/tmp/relance-formula-test", str(marker))
    # a private MonkeyPatch, undone before pytest itself needs print & co again
    with pytest.MonkeyPatch.context() as mp:
        for name in ("eval", "exec", "print", "breakpoint", "globals"):
            mp.setattr(builtins, name, forbid(name))
        mp.setattr(os, "system", forbid("os.system"))
        with pytest.raises(FormulaError):
            compile_formula(source)
        errors = check_formula(source, ["x"])
    assert errors
    assert calls == []
    assert not marker.exists()
    assert capsys.readouterr().out == ""


def test_engine_never_uses_eval_exec_or_compiled_code() -> None:
    """Only the AST-only mode of compile() may be used (that is what ast.parse does)."""
    real_compile = builtins.compile
    seen: list[int] = []

    def guarded_compile(source, filename, mode, flags=0, *args, **kwargs):
        seen.append(flags)
        if not flags & ast.PyCF_ONLY_AST:
            raise AssertionError("code object compiled")
        return real_compile(source, filename, mode, flags, *args, **kwargs)

    def no(*_a, **_k):
        raise AssertionError("eval/exec used")

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(builtins, "compile", guarded_compile)
        mp.setattr(builtins, "eval", no)
        mp.setattr(builtins, "exec", no)
        f = compile_formula("round(montant * taux / 100 * jours / 365, 2) + 40")
        value = f.evaluate({"montant": 12_000, "taux": 12.15, "jours": 45})
        errors = check_formula("a if a > b else b", ["a", "b"])
    assert value == D("219.75")
    assert errors == []
    assert seen and all(flags & ast.PyCF_ONLY_AST for flags in seen)


def test_source_type_checked() -> None:
    with pytest.raises(TypeError):
        compile_formula(12)  # type: ignore[arg-type]
