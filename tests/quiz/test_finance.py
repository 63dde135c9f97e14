"""Credit-management helpers and the dated rate table, against domain.md §4.1 and §5."""

from __future__ import annotations

import copy
import json
import tomllib
from datetime import date, datetime
from decimal import Decimal, localcontext
from importlib import resources
from pathlib import Path

import pytest

from simulator.quiz import finance as fin
from simulator.quiz import rates
from simulator.quiz.finance import round_half_up as r

D = Decimal

# (label, computed value, decimals, expected) — the worked examples of domain.md §5
WORKED_EXAMPLES = [
    ("5.1 DSO simple", lambda: fin.dso_simple(360_000, 1_800_000), 0, D("73")),
    ("5.1 DSO simple /360", lambda: fin.dso_simple(360_000, 1_800_000, days=360), 0, D("72")),
    (
        "5.1 Divalto 30 000 × 90 / 60 000",
        lambda: fin.dso_simple(30_000, 60_000, days=90),
        0,
        D("45"),
    ),
    (
        "5.1 BDC average balance",
        lambda: fin.dso_average_balance(150_000, 250_000, 1_200_000),
        1,
        D("60.8"),
    ),
    (
        "5.2 count-back",
        lambda: fin.dso_countback(250_000, [(120_000, 31), (100_000, 28), (90_000, 31)]).dso,
        1,
        D("69.3"),
    ),
    (
        "5.2 accounting on the quarter",
        lambda: fin.dso_simple(250_000, 310_000, days=90),
        1,
        D("72.6"),
    ),
    (
        "5.3 weighted delay",
        lambda: fin.weighted_average_delay([110_000, 50_000, 25_000, 15_000], [15, 45, 75, 120]),
        1,
        D("37.9"),
    ),
    ("5.3 overdue share", lambda: fin.share_percent(200_000, 500_000), 0, D("40")),
    ("5.4 credit cost /360", lambda: fin.credit_cost(50_000, 0.06, 45), 2, D("375.00")),
    ("5.4 credit cost /365", lambda: fin.credit_cost(50_000, 0.06, 45, basis=365), 2, D("369.86")),
    ("5.4 cash freed", lambda: fin.cash_freed_by_dso_cut(1_800_000, 10), 0, D("49315")),
    (
        "5.4 savings at 5 %",
        lambda: fin.annual_financing_savings(fin.cash_freed_by_dso_cut(1_800_000, 10), 0.05),
        0,
        D("2466"),
    ),
    (
        "5.4 discount simple",
        lambda: fin.discount_annual_cost(2, 10, 30).simple_percent,
        1,
        D("37.2"),
    ),
    (
        "5.4 discount compounded",
        lambda: fin.discount_annual_cost(2, 10, 30).compounded_percent,
        1,
        D("44.6"),
    ),
    ("5.5 penalty 12,15 %", lambda: fin.late_penalty(12_000, 12.15, 45), 2, D("179.75")),
    ("5.5 penalty 8,28 %", lambda: fin.late_penalty(12_000, 8.28, 45), 2, D("122.50")),
    ("5.5 penalty + 40 €", lambda: fin.penalty_with_indemnity(12_000, 12.15, 45), 2, D("219.75")),
    ("5.5 floor + 40 €", lambda: fin.penalty_with_indemnity(12_000, 8.28, 45), 2, D("162.50")),
    (
        "5.6 margin",
        lambda: fin.margin_erosion(100_000, 120_000, 0.04, 60, 0.06).margin,
        0,
        D("4000"),
    ),
    (
        "5.6 financing cost",
        lambda: fin.margin_erosion(100_000, 120_000, 0.04, 60, 0.06).financing_cost,
        0,
        D("1200"),
    ),
    (
        "5.6 residual margin",
        lambda: fin.margin_erosion(100_000, 120_000, 0.04, 60, 0.06).residual_margin,
        0,
        D("2800"),
    ),
    (
        "5.6 erosion",
        lambda: fin.margin_erosion(100_000, 120_000, 0.04, 60, 0.06).erosion_percent,
        0,
        D("30"),
    ),
    ("5.7 compensating revenue", lambda: fin.revenue_to_recover_loss(10_000, 0.05), 0, D("200000")),
    ("5.7 grid 1 000 @ 5 %", lambda: fin.revenue_to_recover_loss(1_000, 0.05), 0, D("20000")),
    ("5.7 grid 5 000 @ 10 %", lambda: fin.revenue_to_recover_loss(5_000, 0.10), 0, D("50000")),
    ("5.7 grid 20 000 @ 20 %", lambda: fin.revenue_to_recover_loss(20_000, 0.20), 0, D("100000")),
    ("5.8 BFR", lambda: fin.working_capital_need(150_000, 360_000, 200_000), 0, D("310000")),
    ("5.8 BFR in days", lambda: fin.in_days(310_000, 1_500_000), 1, D("75.4")),
    (
        "5.9 receivables / sales",
        lambda: fin.receivables_to_sales_ratio(360_000, 1_800_000),
        0,
        D("20"),
    ),
    ("5.10 need", lambda: fin.credit_limit_need(30_000), 0, D("90000")),
    ("5.10 capacity", lambda: fin.credit_limit_capacity(400_000), 0, D("40000")),
    ("5.10 limit", lambda: fin.credit_limit(90_000, 40_000), 0, D("40000")),
]


@pytest.mark.parametrize(
    ("label", "compute", "places", "expected"), WORKED_EXAMPLES, ids=[w[0] for w in WORKED_EXAMPLES]
)
def test_worked_examples(label: str, compute, places: int, expected: Decimal) -> None:
    value = compute()
    assert isinstance(value, Decimal)
    assert r(value, places) == expected


def test_exact_values_are_not_rounded_early() -> None:
    assert fin.dso_simple(360_000, 1_800_000) == 73
    assert fin.late_penalty(12_000, D("12.15"), 45) == D(65_610) / 365
    assert fin.credit_cost(50_000, D("0.06"), 45) == 375
    assert str(fin.revenue_to_recover_loss(10_000, 0.05)) == "200000"


def test_float_and_str_inputs_match_decimal() -> None:
    assert (
        fin.late_penalty(12_000, 12.15, 45)
        == fin.late_penalty("12000", "12.15", 45)
        == fin.late_penalty(D(12_000), D("12.15"), 45)
    )


def test_caller_context_is_ignored() -> None:
    with localcontext() as ctx:
        ctx.prec = 2
        value = fin.late_penalty(12_000, 12.15, 45)
    assert r(value) == D("179.75")


def test_countback_steps() -> None:
    result = fin.dso_countback(250_000, [(120_000, 31), (100_000, 28), (90_000, 31)])
    steps = result.steps
    assert [(s.remaining_before, s.remaining_after, s.full) for s in steps] == [
        (D(250_000), D(130_000), True),
        (D(130_000), D(30_000), True),
        (D(30_000), D(0), False),
    ]
    assert [s.days_counted for s in steps[:2]] == [31, 28]
    assert r(steps[2].days_counted, 1) == D("10.3")
    assert result.dso == sum(s.days_counted for s in steps)


def test_countback_edges() -> None:
    assert fin.dso_countback(0, [(100, 31)]).dso == 0
    assert fin.dso_countback(0, [(100, 31)]).steps == ()
    exact = fin.dso_countback(100, [(100, 31), (50, 30)])
    assert exact.dso == 31 and len(exact.steps) == 1
    assert (
        fin.dso_countback(100, [(0, 31), (100, 30)]).dso == 61
    )  # a month without sales counts in full
    with pytest.raises(ValueError, match="historique"):
        fin.dso_countback(1_000, [(100, 31), (100, 30)])
    with pytest.raises(ValueError):
        fin.dso_countback(-1, [(100, 31)])
    with pytest.raises(ValueError):
        fin.dso_countback(10, [(100,)])  # type: ignore[list-item]


def test_aged_balance_example() -> None:
    items = [(300_000, 0), (110_000, 15), (50_000, 45), (25_000, 75), (15_000, 100)]
    balance = fin.aged_balance(items)
    assert [b.label for b in balance.buckets] == [
        "non échu",
        "1–30 j",
        "31–60 j",
        "61–90 j",
        "91–120 j",
        "> 120 j",
    ]
    assert [b.amount for b in balance.buckets] == [300_000, 110_000, 50_000, 25_000, 15_000, 0]
    assert [r(b.percent, 0) for b in balance.buckets] == [60, 22, 10, 5, 3, 0]
    assert balance.total == 500_000 and balance.not_due == 300_000 and balance.overdue == 200_000
    assert balance.overdue_percent == 40


@pytest.mark.parametrize(
    ("days", "label"),
    [
        (-10, "non échu"),
        (0, "non échu"),
        (1, "1–30 j"),
        (30, "1–30 j"),
        (31, "31–60 j"),
        (120, "91–120 j"),
        (121, "> 120 j"),
        (400, "> 120 j"),
    ],
)
def test_aged_balance_bucket_boundaries(days: int, label: str) -> None:
    balance = fin.aged_balance([(100, days)])
    [bucket] = [b for b in balance.buckets if b.amount]
    assert bucket.label == label


def test_aged_balance_custom_buckets_and_errors() -> None:
    balance = fin.aged_balance([(10, 5), (30, 50)], buckets=(0, 45))
    assert [b.label for b in balance.buckets] == ["non échu", "1–45 j", "> 45 j"]
    assert [b.amount for b in balance.buckets] == [0, 10, 30]
    with pytest.raises(ValueError):
        fin.aged_balance([])
    with pytest.raises(ValueError):
        fin.aged_balance([(-100, 10), (200, 5)])
    with pytest.raises(ValueError):
        fin.aged_balance([(100, 5)], buckets=(30, 60))
    with pytest.raises(ValueError):
        fin.aged_balance([(100, 5)], buckets=(0, 60, 60))


def test_weighted_average_delay_errors() -> None:
    with pytest.raises(ValueError):
        fin.weighted_average_delay([1, 2], [15])
    with pytest.raises(ValueError):
        fin.weighted_average_delay([0, 0], [15, 45])


@pytest.mark.parametrize(
    ("due", "paid", "expected"),
    [
        (date(2025, 10, 31), date(2025, 12, 15), 45),
        (date(2025, 10, 31), date(2025, 11, 1), 1),
        (date(2025, 10, 31), date(2025, 10, 31), 0),
        (date(2025, 10, 31), date(2025, 10, 1), 0),
        (date(2024, 2, 28), date(2024, 3, 1), 2),  # leap year
        (datetime(2025, 10, 31, 23, 59), datetime(2025, 12, 15, 0, 1), 45),
    ],
)
def test_days_late(due: date, paid: date, expected: int) -> None:
    assert fin.days_late(due, paid) == expected


def test_penalty_edges() -> None:
    assert fin.RECOVERY_INDEMNITY_EUR == 40
    assert fin.penalty_with_indemnity(12_000, 12.15, 0) == 0  # not late: no indemnity
    assert r(fin.penalty_with_indemnity(12_000, 12.15, 45, invoices=3)) == D("299.75")
    assert fin.late_penalty(12_000, 12.15, 0) == 0
    for bad in [(-1, 12.15, 45), (12_000, -1, 45), (12_000, 12.15, -1)]:
        with pytest.raises(ValueError):
            fin.late_penalty(*bad)
    with pytest.raises(TypeError):
        fin.late_penalty(12_000, 12.15, 4.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        fin.penalty_with_indemnity(12_000, 12.15, 45, invoices=0)


def test_penalty_with_rate_table() -> None:
    due, paid = date(2025, 10, 31), date(2025, 12, 15)
    rate = rates.default_penalty_rate(due)
    assert r(fin.late_penalty(12_000, rate, fin.days_late(due, paid))) == D("179.75")
    floor = rates.minimum_contract_rate(due)
    assert r(fin.late_penalty(12_000, floor, fin.days_late(due, paid))) == D("122.50")


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: fin.dso_simple(100, 0), ValueError),
        (lambda: fin.dso_simple(-1, 100), ValueError),
        (lambda: fin.dso_simple(100, 100, days=0), ValueError),
        (lambda: fin.dso_average_balance(1, 1, 0), ValueError),
        (lambda: fin.in_days(1, 0), ValueError),
        (lambda: fin.receivables_to_sales_ratio(1, 0), ValueError),
        (lambda: fin.share_percent(1, 0), ValueError),
        (lambda: fin.revenue_to_recover_loss(100, 0), ValueError),
        (
            lambda: fin.revenue_to_recover_loss(100, 5),
            ValueError,
        ),  # 5 means 500 %: a fraction is expected
        (lambda: fin.revenue_to_recover_loss(-100, 0.05), ValueError),
        (lambda: fin.margin_erosion(100, 120, 0, 60, 0.06), ValueError),
        (lambda: fin.discount_annual_cost(0, 10, 30), ValueError),
        (lambda: fin.discount_annual_cost(100, 10, 30), ValueError),
        (lambda: fin.discount_annual_cost(2, 30, 30), ValueError),
        (lambda: fin.credit_cost(-1, 0.06, 45), ValueError),
        (lambda: fin.working_capital_need(-1, 0, 0), ValueError),
        (lambda: fin.credit_limit(-1, 10), ValueError),
        (lambda: fin.dso_simple(True, 100), TypeError),
        (lambda: fin.dso_simple("abc", 100), ValueError),
        (lambda: fin.dso_simple(float("nan"), 100), ValueError),
        (lambda: fin.dso_simple(None, 100), TypeError),
    ],
)
def test_invalid_inputs(call, error: type[Exception]) -> None:
    with pytest.raises(error):
        call()


def test_zero_sales_message_is_french() -> None:
    with pytest.raises(ValueError, match="strictement positif"):
        fin.dso_simple(360_000, 0)


def test_meaningful_negatives_are_allowed() -> None:
    assert fin.working_capital_need(10, 20, 100) == -70  # BFR négatif
    assert r(fin.in_days(-70, 365), 0) == -70
    assert fin.credit_limit_capacity(-50_000) == 0  # negative equity → no unsecured credit
    erosion = fin.margin_erosion(10_000, 12_000, 0.01, 90, 0.06)
    assert erosion.residual_margin < 0 and erosion.erosion_percent > 100


def test_credit_limit_parameters() -> None:
    assert fin.credit_limit_need(30_000, vat_rate=0, payment_days=30, reaction_days=0) == 30_000
    assert fin.credit_limit_capacity(400_000, rate=0.05) == 20_000
    assert fin.credit_limit(30_000, 40_000) == 30_000


def test_discount_cost_other_terms() -> None:
    cost = fin.discount_annual_cost(1, 10, 30)
    assert r(cost.simple_percent, 1) == D("18.4")  # 1/99 × 365/20


@pytest.mark.parametrize(
    ("invoice", "method", "expected"),
    [
        (date(2025, 1, 15), "A", date(2025, 3, 31)),
        (date(2025, 1, 15), "B", date(2025, 3, 17)),
        (date(2025, 1, 31), "A", date(2025, 3, 31)),
        (date(2025, 1, 31), "B", date(2025, 3, 17)),
        (date(2025, 1, 1), "A", date(2025, 2, 28)),
        (date(2024, 1, 15), "B", date(2024, 3, 16)),  # leap February
        (date(2025, 11, 20), "A", date(2026, 1, 31)),
        (date(2025, 11, 20), "B", date(2026, 1, 14)),
    ],
)
def test_due_date_45_eom(invoice: date, method: str, expected: date) -> None:
    assert fin.due_date_45_eom(invoice, method) == expected  # type: ignore[arg-type]


def test_due_dates_other() -> None:
    assert fin.due_date_net(date(2025, 1, 15), 60) == date(2025, 3, 16)
    assert fin.due_date_net(date(2025, 1, 15), 0) == date(2025, 1, 15)
    assert fin.end_of_month(date(2024, 2, 3)) == date(2024, 2, 29)
    assert fin.due_date_45_eom(date(2025, 1, 15)) == date(2025, 3, 31)  # method A by default
    with pytest.raises(ValueError):
        fin.due_date_45_eom(date(2025, 1, 15), "C")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        fin.due_date_net(date(2025, 1, 15), -1)
    with pytest.raises(TypeError):
        fin.due_date_net("2025-01-15", 60)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("total", "n", "amounts"),
    [
        (100, 3, ["33.34", "33.33", "33.33"]),
        ("1000.00", 4, ["250.00"] * 4),
        (D("0.05"), 2, ["0.03", "0.02"]),
        (D("12219.75"), 6, ["2036.63", "2036.63", "2036.63", "2036.62", "2036.62", "2036.62"]),
        (D("219.75"), 1, ["219.75"]),
    ],
)
def test_instalment_amounts_sum_exactly(total, n: int, amounts: list[str]) -> None:
    plan = fin.instalment_plan(total, n, date(2025, 1, 31))
    assert [str(i.amount) for i in plan] == amounts
    assert sum(i.amount for i in plan) == D(str(total))
    assert [i.number for i in plan] == list(range(1, n + 1))


def test_instalment_dates() -> None:
    monthly = fin.instalment_plan(400, 4, date(2025, 1, 31))
    assert [i.due_date for i in monthly] == [
        date(2025, 1, 31),
        date(2025, 2, 28),
        date(2025, 3, 31),
        date(2025, 4, 30),
    ]
    across_year = fin.instalment_plan(300, 3, date(2025, 11, 15))
    assert [i.due_date for i in across_year] == [
        date(2025, 11, 15),
        date(2025, 12, 15),
        date(2026, 1, 15),
    ]
    every_two_weeks = fin.instalment_plan(300, 3, date(2025, 1, 1), interval_days=14)
    assert [i.due_date for i in every_two_weeks] == [
        date(2025, 1, 1),
        date(2025, 1, 15),
        date(2025, 1, 29),
    ]


def test_instalment_errors() -> None:
    for args, kwargs in [
        ((0, 3, date(2025, 1, 1)), {}),
        ((-100, 3, date(2025, 1, 1)), {}),
        ((D("100.001"), 3, date(2025, 1, 1)), {}),
        ((100, 0, date(2025, 1, 1)), {}),
        ((D("0.02"), 3, date(2025, 1, 1)), {}),
        ((100, 3, date(2025, 1, 1)), {"interval_days": 0}),
    ]:
        with pytest.raises(ValueError):
            fin.instalment_plan(*args, **kwargs)


# ------------------------------------------------------------------ rate table

RATE_ROWS = [
    # label, a date inside, ECB, default, legal pro, floor, legal individuals
    ("S1 2025", date(2025, 1, 1), "3.15", "13.15", "3.71", "11.13", "7.21"),
    ("S1 2025", date(2025, 6, 30), "3.15", "13.15", "3.71", "11.13", "7.21"),
    ("S2 2025", date(2025, 7, 1), "2.15", "12.15", "2.76", "8.28", "6.65"),
    ("S2 2025", date(2025, 10, 31), "2.15", "12.15", "2.76", "8.28", "6.65"),
    ("S2 2025", date(2025, 12, 31), "2.15", "12.15", "2.76", "8.28", "6.65"),
    ("S1 2026", date(2026, 1, 1), "2.15", "12.15", "2.62", "7.86", "6.67"),
    ("S1 2026", date(2026, 6, 30), "2.15", "12.15", "2.62", "7.86", "6.67"),
]


@pytest.mark.parametrize(
    ("label", "when", "ecb", "default", "legal", "floor", "individuals"), RATE_ROWS
)
def test_rates_on(label, when, ecb, default, legal, floor, individuals) -> None:
    period = rates.rates_on(when)
    assert period.label == label
    assert period.ecb_refi_percent == D(ecb)
    assert period.default_penalty_percent == D(default)
    assert period.legal_rate_professionals_percent == D(legal)
    assert period.minimum_contract_percent == D(floor)
    assert period.legal_rate_individuals_percent == D(individuals)
    assert rates.default_penalty_rate(when) == D(default)
    assert rates.minimum_contract_rate(when) == D(floor)
    assert period.sources and all(s.startswith("https://") for s in period.sources)
    assert period.checked


@pytest.mark.parametrize("when", [date(2024, 12, 31), date(2026, 7, 1), date(2030, 1, 1)])
def test_rates_outside_table(when: date) -> None:
    with pytest.raises(rates.RateNotAvailableError) as info:
        rates.rates_on(when)
    assert info.value.date == when
    assert "rates_fr.json" in info.value.message
    assert when.strftime("%d/%m/%Y") in info.value.message
    assert isinstance(info.value, LookupError)


def test_periods_are_ordered_and_contiguous() -> None:
    periods = rates.all_periods()
    assert [p.label for p in periods] == ["S1 2025", "S2 2025", "S1 2026"]
    assert all(isinstance(p.ecb_refi_percent, Decimal) for p in periods)


def test_rate_file_ships_as_package_data() -> None:
    resource = resources.files("simulator.quiz").joinpath("rates_fr.json")
    assert resource.is_file()
    pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
    config = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    assert "*.json" in config["tool"]["setuptools"]["package-data"]["*"]


def _packaged_json() -> dict:
    text = resources.files("simulator.quiz").joinpath("rates_fr.json").read_text(encoding="utf-8")
    return json.loads(text)


def test_adding_a_half_year_is_data_only() -> None:
    data = _packaged_json()
    # Confirming a pending half-year: its figures go to "periods", its note leaves "pending".
    data["pending"] = [p for p in data.get("pending", []) if p["label"] != "S2 2026"]
    data["periods"].append(
        {
            "label": "S2 2026",
            "valid_from": "2026-07-01",
            "valid_to": "2026-12-31",
            "ecb_refi_percent": "2.00",
            "default_penalty_percent": "12.00",
            "legal_rate_professionals_percent": "2.50",
            "minimum_contract_percent": "7.50",
            "legal_rate_individuals_percent": "6.50",
            "sources": ["https://example.invalid/test-only"],
            "checked": "2026-07-02",
        }
    )
    table = rates.load_rate_table(json.dumps(data))
    assert table.on(date(2026, 9, 1)).default_penalty_percent == D("12.00")
    assert table.on(date(2025, 10, 31)).default_penalty_percent == D("12.15")
    assert table.last.label == "S2 2026"
    assert not table.outdated(date(2026, 12, 4))


def test_table_says_when_it_expires() -> None:
    table = rates.packaged_table()
    assert table.last.label == "S1 2026" and table.last.valid_to == date(2026, 6, 30)
    assert not table.outdated(date(2026, 6, 30))
    assert table.outdated(date(2026, 7, 1))
    assert table.outdated(date(2026, 12, 4))
    # The unconfirmed half-year carries no figure, only what is missing.
    pending = table.pending_on(date(2026, 12, 4))
    assert pending is not None and pending.label == "S2 2026"
    assert "taux de l'intérêt légal" in pending.note and "sources.md" in pending.note
    assert table.pending_on(date(2027, 1, 2)) is None
    with pytest.raises(rates.RateNotAvailableError):
        table.on(date(2026, 9, 1))


@pytest.mark.parametrize(
    "pending",
    [
        [{"label": "S2 2026", "valid_from": "2026-07-02", "valid_to": "2026-12-31", "note": "x"}],  # gap
        [{"label": "S2 2026", "valid_from": "2026-07-01", "valid_to": "2026-06-30", "note": "x"}],  # ends first
        [{"label": "S2 2026", "valid_from": "2026-07-01", "valid_to": "2026-12-31", "note": ""}],  # no note
        [{"label": "S2 2026", "valid_from": "2026-07-01", "valid_to": "2026-12-31"}],  # missing key
        [{"label": "S2 2026", "valid_from": "2026-07-01", "valid_to": "2026-12-31", "note": "x",
          "ecb_refi_percent": 2.4}],  # a guessed figure
        "S2 2026",
    ],
)
def test_pending_half_years_are_checked(pending) -> None:
    data = _packaged_json()
    data["pending"] = pending
    with pytest.raises(rates.RateTableError):
        rates.load_rate_table(json.dumps(data))


def _broken(mutate) -> str:
    data = copy.deepcopy(_packaged_json())
    mutate(data)
    return json.dumps(data)


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d["periods"][1].update(default_penalty_percent=12.5),  # not ECB + 10
        lambda d: d["periods"][1].update(minimum_contract_percent=8.3),  # not 3 × legal rate
        lambda d: d["periods"][1].update(valid_from="2025-07-02"),  # gap
        lambda d: d["periods"][2].update(valid_from="2025-12-31"),  # overlap
        lambda d: d["periods"][0].update(valid_to="2024-12-31"),  # ends before it starts
        lambda d: d["periods"][0].update(checked="last week"),
        lambda d: d["periods"][0].update(sources=[]),
        lambda d: d["periods"][0].update(extra=1),
        lambda d: d["periods"][0].pop("label"),
        lambda d: d["periods"][0].update(ecb_refi_percent=-1),
        lambda d: d["periods"][0].update(ecb_refi_percent=True),
        lambda d: d["periods"][0].update(valid_from="01/01/2025"),
        lambda d: d["periods"][2].update(label="S1 2025"),
        lambda d: d.update(schema=2),
        lambda d: d.update(periods=[]),
    ],
)
def test_inconsistent_rate_data_fails_loudly(mutate) -> None:
    with pytest.raises(rates.RateTableError):
        rates.load_rate_table(_broken(mutate))
