"""French number input parsing and display (simulator.quiz.numbers)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from simulator.quiz.numbers import (
    NBSP,
    NNBSP,
    NumberParseError,
    ParsedNumber,
    format_fr,
    parse_number,
)

D = Decimal

ACCEPTED: list[tuple[str, Decimal, str | None]] = [
    # French thousands with every kind of space
    ("1 234,56", D("1234.56"), None),
    ("1\u00a0234,56", D("1234.56"), None),
    ("1\u202f234,56", D("1234.56"), None),
    ("1\u2009234,56", D("1234.56"), None),
    ("1 234 567,89", D("1234567.89"), None),
    ("1 000 000", D("1000000"), None),
    ("  42  ", D("42"), None),
    # currency
    ("1 234,56 €", D("1234.56"), "EUR"),
    ("1\u202f234,56\u00a0€", D("1234.56"), "EUR"),
    ("1 234 €", D("1234"), "EUR"),
    ("1234€", D("1234"), "EUR"),
    ("€1234", D("1234"), "EUR"),
    ("€ 1 234,50", D("1234.50"), "EUR"),
    ("EUR 12", D("12"), "EUR"),
    ("12 eur", D("12"), "EUR"),
    ("12 euros", D("12"), "EUR"),
    ("1 euro", D("1"), "EUR"),
    ("1 234 $", D("1234"), "$"),
    ("4 000,00 $", D("4000"), "$"),
    ("$100", D("100"), "$"),
    ("-€12", D("-12"), "EUR"),
    ("€-12", D("-12"), "EUR"),
    # decimal separators and the ambiguity rule
    ("1234.56", D("1234.56"), None),
    ("1234,56", D("1234.56"), None),
    ("0,5", D("0.5"), None),
    (",5", D("0.5"), None),
    (".5", D("0.5"), None),
    ("1,234", D("1.234"), None),
    ("1.234", D("1234"), None),
    ("12.500", D("12500"), None),
    ("-12.500", D("-12500"), None),
    ("1.23", D("1.23"), None),
    ("1.2345", D("1.2345"), None),
    ("0.125", D("0.125"), None),
    ("1234.567", D("1234.567"), None),
    ("1 234.567", D("1234.567"), None),
    ("1.234.567", D("1234567"), None),
    ("1.234,56", D("1234.56"), None),
    ("1,234.56", D("1234.56"), None),
    ("1,234,567.89", D("1234567.89"), None),
    ("1.234.567,89", D("1234567.89"), None),
    ("1'234.56", D("1234.56"), None),
    ("1\u2019234,56", D("1234.56"), None),
    # signs
    ("-1 000", D("-1000"), None),
    ("\u2212 1 000", D("-1000"), None),
    ("\u22121000", D("-1000"), None),
    ("- 1 000 €", D("-1000"), "EUR"),
    ("+3", D("3"), None),
    ("-0", D("0"), None),
    # percent and days
    ("12,5 %", D("12.5"), "%"),
    ("12,5%", D("12.5"), "%"),
    ("12,5\u202f%", D("12.5"), "%"),
    ("-2,5 %", D("-2.5"), "%"),
    ("73 jours", D("73"), "jours"),
    ("73 JOURS", D("73"), "jours"),
    ("1 jour", D("1"), "jours"),
    ("73 j", D("73"), "jours"),
    ("73j", D("73"), "jours"),
    ("60,8 j", D("60.8"), "jours"),
    # scientific notation
    ("1e3", D("1000"), None),
    ("2,5E-4", D("0.00025"), None),
    ("1.5e2 €", D("150"), "EUR"),
]

REFUSED: list[tuple[str, str]] = [
    ("", "number-empty"),
    ("   ", "number-empty"),
    ("\u00a0\u202f", "number-empty"),
    ("abc", "number-invalid"),
    ("douze", "number-invalid"),
    ("12abc", "number-invalid"),
    ("12 et 13", "number-invalid"),
    ("12 34", "number-grouping"),
    ("1 2345", "number-grouping"),
    ("1234 567", "number-grouping"),
    ("12,5,3", "number-separators"),
    ("1,234,567", "number-separators"),
    ("1.2.3", "number-grouping"),
    ("1,23.4", "number-grouping"),
    ("1.234,5,6", "number-separators"),
    ("1 234.567,8", "number-separators"),
    ("1 234,5 6", "number-grouping"),
    ("5,", "number-invalid"),
    ("5.", "number-invalid"),
    (",", "number-invalid"),
    (".", "number-invalid"),
    ("-", "number-invalid"),
    ("%", "number-invalid"),
    ("€", "number-invalid"),
    ("12 %%", "number-invalid"),
    ("€12 %", "number-unit"),
    ("€12 €", "number-unit"),
    ("--5", "number-invalid"),
    ("+-5", "number-invalid"),
    ("-€-5", "number-invalid"),
    ("5-", "number-invalid"),
    ("1e", "number-invalid"),
    ("e3", "number-invalid"),
    ("1,e3", "number-invalid"),
    ("1e999", "number-invalid"),
    ("1e99", "number-range"),
    ("1 234e3", "number-invalid"),
    ("inf", "number-invalid"),
    ("nan", "number-invalid"),
    ("12 days", "number-invalid"),
    ("½", "number-invalid"),
    ("１２", "number-invalid"),
    ("12²", "number-invalid"),
    ("0x10", "number-invalid"),
    ("1_000", "number-invalid"),
    ("1" * 101, "number-too-long"),
]


@pytest.mark.parametrize(("text", "value", "unit"), ACCEPTED, ids=[repr(a[0]) for a in ACCEPTED])
def test_accepted(text: str, value: Decimal, unit: str | None) -> None:
    parsed = parse_number(text)
    assert isinstance(parsed.value, Decimal)
    assert parsed.value == value
    assert parsed.unit == unit
    assert parsed.raw == text


@pytest.mark.parametrize(("text", "code"), REFUSED, ids=[repr(r[0][:20]) for r in REFUSED])
def test_refused(text: str, code: str) -> None:
    with pytest.raises(NumberParseError) as info:
        parse_number(text)
    err = info.value
    assert err.code == code
    assert isinstance(err, ValueError)
    assert err.raw == text
    assert err.message and str(err) == err.message


def test_parameter_counts() -> None:
    assert len(ACCEPTED) + len(REFUSED) >= 45


def test_messages_are_french_and_quote_the_input() -> None:
    with pytest.raises(NumberParseError) as info:
        parse_number("douze")
    assert "« douze »" in info.value.message
    assert "n'est pas un nombre" in info.value.message
    with pytest.raises(NumberParseError) as info:
        parse_number("12,5,3")
    assert "virgule" in info.value.message


def test_value_keeps_typed_digits() -> None:
    assert str(parse_number("4 000,00 $").value) == "4000.00"
    assert str(parse_number("1e3").value) == "1000"
    assert str(parse_number("-0").value) == "0"


def test_percent_value_is_not_divided() -> None:
    assert parse_number("12,5 %") == ParsedNumber(D("12.5"), "%", "12,5 %")


def test_parsed_number_is_frozen() -> None:
    parsed = parse_number("1")
    with pytest.raises(AttributeError):
        parsed.value = D(2)  # type: ignore[misc]


def test_non_string_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        parse_number(12)  # type: ignore[arg-type]


FORMATTED = [
    ((D("1234.56"), 2, "EUR"), f"1{NNBSP}234,56{NBSP}€"),
    ((1234.5, 2, "EUR"), f"1{NNBSP}234,50{NBSP}€"),
    ((D("1234567.891"), 2, None), f"1{NNBSP}234{NNBSP}567,89"),
    ((D("179.753"), 2, "€"), f"179,75{NBSP}€"),
    ((D("2.675"), 2, None), "2,68"),
    ((2.675, 2, None), "2,68"),
    ((D("-2.675"), 2, None), "-2,68"),
    ((D("-1234.5"), 0, "$"), f"-1{NNBSP}235{NBSP}$"),
    ((D("12.5"), 1, "%"), f"12,5{NBSP}%"),
    ((D("37.2449"), 1, "%"), f"37,2{NBSP}%"),
    ((73, 0, "jours"), f"73{NBSP}jours"),
    ((1, 0, "jours"), f"1{NBSP}jour"),
    ((D("0.5"), 1, "j"), f"0,5{NBSP}jour"),
    ((D("60.8"), 1, "jours"), f"60,8{NBSP}jours"),
    ((D("-0.001"), 2, None), "0,00"),
    ((0, 2, None), "0,00"),
    ((999, 0, None), "999"),
    ((1000, 0, None), f"1{NNBSP}000"),
    ((D("49315.068"), 0, "EUR"), f"49{NNBSP}315{NBSP}€"),
    ((D("1E+6"), 0, None), f"1{NNBSP}000{NNBSP}000"),
    ((5, 2, "mois"), f"5,00{NBSP}mois"),
]


@pytest.mark.parametrize(("args", "expected"), FORMATTED)
def test_format_fr(args: tuple, expected: str) -> None:
    assert format_fr(*args) == expected


@pytest.mark.parametrize(
    "value",
    [D("1234.56"), D("-1234567.89"), D("0.5"), D("12.5"), D("1000000"), D("-0.01")],
)
@pytest.mark.parametrize("unit", [None, "EUR", "$", "%"])
def test_format_then_parse_round_trips(value: Decimal, unit: str | None) -> None:
    parsed = parse_number(format_fr(value, 2, unit))
    assert parsed.value == value
    assert parsed.unit == unit


@pytest.mark.parametrize("bad", [True, "12", None, float("nan"), D("Infinity")])
def test_format_fr_rejects_non_numbers(bad: object) -> None:
    with pytest.raises((TypeError, ValueError)):
        format_fr(bad)  # type: ignore[arg-type]


def test_format_fr_rejects_bad_decimals() -> None:
    with pytest.raises(ValueError):
        format_fr(1, -1)
