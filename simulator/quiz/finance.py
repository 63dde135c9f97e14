"""Credit-management calculations used by quizzes and case studies.

Every helper reproduces a worked example of the domain reference (§5 of
``domain.md``) so that a quiz can compute its expected answer *and* show the
working.

Conventions (why):

* **Decimal everywhere, unrounded results.**  Inputs may be ``int``,
  ``float`` (converted through their shortest ``repr``, so ``0.06`` is exactly
  6 %), ``Decimal`` or a numeric ``str``; results are exact or 28-digit
  :class:`~decimal.Decimal`.  Rounding happens only at presentation
  (:func:`round_half_up`, :func:`simulator.quiz.numbers.format_fr`) so chained
  calculations do not accumulate rounding errors and tolerance checks see the
  true value.  Arithmetic uses a private decimal context, unaffected by the
  caller's.
* **Rates:** a parameter named ``*_percent`` is a percentage (``12.15`` for
  12,15 %); a parameter named ``*_rate`` is a fraction (``0.06`` for 6 %).
  Results named ``*_percent`` are percentages.
* **Day-count bases:** 365 for statutory late penalties and DSO; 360 (year
  "bancaire") by default for financing costs, as in the course examples.
* Invalid input raises ``ValueError`` with a French message (the author or
  trainee sees it); negative amounts are refused where they have no meaning.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import (
    ROUND_DOWN,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    localcontext,
)
from functools import wraps
from itertools import pairwise
from typing import Literal, ParamSpec, TypeVar

__all__ = [
    "RECOVERY_INDEMNITY_EUR",
    "AgedBalance",
    "AgedBucket",
    "CountbackResult",
    "CountbackStep",
    "DiscountCost",
    "Instalment",
    "MarginErosion",
    "Number",
    "aged_balance",
    "annual_financing_savings",
    "cash_freed_by_dso_cut",
    "credit_cost",
    "credit_limit",
    "credit_limit_capacity",
    "credit_limit_need",
    "days_late",
    "discount_annual_cost",
    "dso_average_balance",
    "dso_countback",
    "dso_simple",
    "due_date_45_eom",
    "due_date_net",
    "end_of_month",
    "in_days",
    "instalment_plan",
    "late_penalty",
    "margin_erosion",
    "penalty_with_indemnity",
    "receivables_to_sales_ratio",
    "revenue_to_recover_loss",
    "round_half_up",
    "share_percent",
    "weighted_average_delay",
    "working_capital_need",
]

Number = Decimal | int | float | str
"""Accepted numeric input; see the module docstring for conversions."""

RECOVERY_INDEMNITY_EUR = Decimal(40)
"""Indemnité forfaitaire pour frais de recouvrement, per late invoice (C. com. D441-5)."""

_HUNDRED = Decimal(100)
_CONTEXT = Context(
    prec=28,
    rounding=ROUND_HALF_EVEN,
    traps=[InvalidOperation, DivisionByZero, Overflow],
)

_P = ParamSpec("_P")
_R = TypeVar("_R")


def _exact(func: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run ``func`` in the module's decimal context (28 digits, traps on)."""

    @wraps(func)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with localcontext(_CONTEXT):
            result = func(*args, **kwargs)
            if isinstance(result, Decimal):
                result = _plain(result)  # type: ignore[assignment]
            return result

    return wrapper


def _plain(value: Decimal) -> Decimal:
    """Drop a positive exponent (10000 / 0.05 gives ``2.000E+5``; return ``200000``)."""
    if value.as_tuple().exponent > 0 and value.adjusted() < 27:  # type: ignore[operator]
        return value.quantize(Decimal(1))
    return value


def _d(
    value: Number, name: str, *, min_value: Decimal | int | None = None, positive: bool = False
) -> Decimal:
    """Convert ``value`` to Decimal and check its sign."""
    if isinstance(value, bool):
        raise TypeError(f"{name}: bool is not a number")
    if isinstance(value, Decimal):
        d = value
    elif isinstance(value, int):
        d = Decimal(value)
    elif isinstance(value, float):
        d = Decimal(repr(value))
    elif isinstance(value, str):
        try:
            d = Decimal(value.strip())
        except InvalidOperation:
            raise ValueError(f"{name} : « {value} » n'est pas un nombre") from None
    else:
        raise TypeError(f"{name}: expected a number, got {type(value).__name__}")
    if not d.is_finite():
        raise ValueError(f"{name} : valeur non finie")
    if positive and d <= 0:
        raise ValueError(f"{name} doit être strictement positif (reçu {d})")
    if min_value is not None and d < min_value:
        raise ValueError(f"{name} doit être supérieur ou égal à {min_value} (reçu {d})")
    return d


def _int(value: int, name: str, *, min_value: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name}: expected an int, got {type(value).__name__}")
    if min_value is not None and value < min_value:
        raise ValueError(f"{name} doit être supérieur ou égal à {min_value} (reçu {value})")
    return value


def _day(value: date, name: str) -> date:
    if not isinstance(value, date):
        raise TypeError(f"{name}: expected a datetime.date, got {type(value).__name__}")
    # a datetime is a date subclass; keep only the calendar day
    return date(value.year, value.month, value.day)


def round_half_up(value: Number, places: int = 2) -> Decimal:
    """Round half away from zero (French commercial rounding): 179.753 → 179.75, 2.675 → 2.68."""
    d = _d(value, "value")
    with localcontext(_CONTEXT) as ctx:
        ctx.prec = max(28, d.adjusted() + places + 3)
        return d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


@_exact
def share_percent(part: Number, whole: Number) -> Decimal:
    """``part / whole × 100``; ``whole`` must be positive."""
    return _d(part, "part") / _d(whole, "whole", positive=True) * _HUNDRED


# --------------------------------------------------------------------------- DSO


@_exact
def dso_simple(receivables: Number, sales: Number, days: int = 365) -> Decimal:
    """DSO, accounting method: receivables TTC / sales TTC of the period × days of the period.

    §5.1: 360 000 / 1 800 000 × 365 = 73 days.  Zero sales → ``ValueError``
    (the ratio is meaningless, not infinite).
    """
    r = _d(receivables, "créances", min_value=0)
    s = _d(sales, "chiffre d'affaires", positive=True)
    return r / s * _int(days, "jours", min_value=1)


@_exact
def dso_average_balance(begin: Number, end: Number, sales: Number, days: int = 365) -> Decimal:
    """DSO on the average balance (BDC, Québec): ((begin + end) / 2) / sales × days.

    §5.1: average 200 000 $ / 1 200 000 $ × 365 = 60,8 days.
    """
    b = _d(begin, "solde de début", min_value=0)
    e = _d(end, "solde de fin", min_value=0)
    s = _d(sales, "chiffre d'affaires", positive=True)
    return (b + e) / 2 / s * _int(days, "jours", min_value=1)


@dataclass(frozen=True, slots=True)
class CountbackStep:
    """One month of the count-back: ``remaining_before`` receivables are set against ``sales``.

    ``full`` months add their whole ``period_days``; the last month adds the
    prorata ``remaining_before / sales × period_days``.
    """

    index: int
    sales: Decimal
    period_days: int
    remaining_before: Decimal
    remaining_after: Decimal
    days_counted: Decimal
    full: bool


@dataclass(frozen=True, slots=True)
class CountbackResult:
    dso: Decimal
    steps: tuple[CountbackStep, ...]


@_exact
def dso_countback(
    receivables: Number, monthly_sales: Sequence[tuple[Number, int]]
) -> CountbackResult:
    """DSO by count-back (méthode par épuisement du CA), with the step-by-step working.

    ``monthly_sales`` is ``(sales TTC, days in the period)``, **most recent
    first**.  §5.2: 250 000 against (120 000, 31), (100 000, 28), (90 000, 31)
    → 31 + 28 + 30 000/90 000 × 31 = 69,3 days.  If the receivables exceed all
    the sales given, the history is too short and ``ValueError`` is raised.
    """
    remaining = _d(receivables, "créances", min_value=0)
    steps: list[CountbackStep] = []
    total = Decimal(0)
    for index, item in enumerate(monthly_sales):
        if remaining == 0:
            break
        try:
            raw_sales, raw_days = item
        except (TypeError, ValueError):
            raise ValueError(f"période {index + 1} : attendu (CA TTC, nombre de jours)") from None
        sales = _d(raw_sales, f"CA de la période {index + 1}", min_value=0)
        period_days = _int(raw_days, f"jours de la période {index + 1}", min_value=1)
        if sales <= remaining:
            counted = Decimal(period_days)
            after = remaining - sales
            full = True
        else:
            counted = remaining / sales * period_days
            after = Decimal(0)
            full = False
        steps.append(CountbackStep(index, sales, period_days, remaining, after, counted, full))
        total += counted
        remaining = after
    if remaining > 0:
        raise ValueError(
            "historique de CA insuffisant : les créances dépassent le CA "
            "de toutes les périodes fournies"
        )
    return CountbackResult(dso=total, steps=tuple(steps))


# ---------------------------------------------------------------- aged balance


@dataclass(frozen=True, slots=True)
class AgedBucket:
    """Receivables overdue by ``low``..``high`` days (``high`` None = open-ended).

    The "non échu" bucket has ``low = high = 0`` (items with days_overdue ≤ 0).
    """

    label: str
    low: int
    high: int | None
    amount: Decimal
    percent: Decimal


@dataclass(frozen=True, slots=True)
class AgedBalance:
    buckets: tuple[AgedBucket, ...]
    total: Decimal
    not_due: Decimal
    overdue: Decimal
    overdue_percent: Decimal


@_exact
def aged_balance(
    items: Sequence[tuple[Number, int]],
    buckets: Sequence[int] = (0, 30, 60, 90, 120),
) -> AgedBalance:
    """Balance âgée: totals and shares by age bucket.

    ``items`` are ``(amount, days_overdue)``; ``days_overdue <= 0`` means not
    yet due.  With the default boundaries the buckets are: non échu, 1–30,
    31–60, 61–90, 91–120, > 120.  Negative amounts (unapplied credit notes)
    are refused: net them against their invoice first, otherwise the shares
    are meaningless.  §5.3: 500 000 of which 200 000 overdue → 40 %.
    """
    bounds = [_int(b, "bornes") for b in buckets]
    if not bounds or bounds[0] != 0 or any(b >= a for b, a in pairwise(bounds)):
        raise ValueError("les bornes doivent commencer à 0 et être strictement croissantes")
    labels: list[tuple[str, int, int | None]] = [("non échu", 0, 0)]
    for low, high in pairwise(bounds):
        labels.append((f"{low + 1}–{high} j", low + 1, high))
    labels.append((f"> {bounds[-1]} j", bounds[-1] + 1, None))
    amounts = [Decimal(0)] * len(labels)
    for index, item in enumerate(items):
        try:
            raw_amount, raw_days = item
        except (TypeError, ValueError):
            raise ValueError(f"ligne {index + 1} : attendu (montant, jours de retard)") from None
        amount = _d(raw_amount, f"montant ligne {index + 1}", min_value=0)
        overdue_days = _int(raw_days, f"jours de retard ligne {index + 1}")
        slot = 0
        if overdue_days > 0:
            slot = len(labels) - 1
            for i, (_, low, high) in enumerate(labels[1:-1], start=1):
                if low <= overdue_days <= (high or 0):
                    slot = i
                    break
        amounts[slot] += amount
    total = sum(amounts, Decimal(0))
    if total <= 0:
        raise ValueError("balance vide : le total des créances doit être positif")
    result = tuple(
        AgedBucket(label, low, high, amount, amount / total * _HUNDRED)
        for (label, low, high), amount in zip(labels, amounts, strict=True)
    )
    overdue = total - amounts[0]
    return AgedBalance(result, total, amounts[0], overdue, overdue / total * _HUNDRED)


@_exact
def weighted_average_delay(
    bucket_amounts: Sequence[Number], midpoints: Sequence[Number]
) -> Decimal:
    """Average delay weighted by amount: Σ(amount × midpoint) / Σ amount.

    §5.3: (110k×15 + 50k×45 + 25k×75 + 15k×120) / 200k = 37,9 days.
    """
    if len(bucket_amounts) != len(midpoints):
        raise ValueError("autant de montants que de points milieux sont nécessaires")
    amounts = [_d(a, "montant", min_value=0) for a in bucket_amounts]
    mids = [_d(m, "point milieu", min_value=0) for m in midpoints]
    total = sum(amounts, Decimal(0))
    if total <= 0:
        raise ValueError("le total des montants doit être positif")
    return sum((a * m for a, m in zip(amounts, mids, strict=True)), Decimal(0)) / total


# ----------------------------------------------------------- late penalties (FR)


def days_late(due_date: date, paid_date: date) -> int:
    """Days of delay, counted from the day after the due date to the payment day inclusive.

    31/10/2025 → 15/12/2025 = 45.  Payment on or before the due date → 0.
    """
    due, paid = _day(due_date, "due_date"), _day(paid_date, "paid_date")
    return max(0, (paid - due).days)


@_exact
def late_penalty(
    amount_ttc: Number, rate_percent: Number, days_late: int, basis: int = 365
) -> Decimal:
    """Pénalités de retard: amount TTC × rate × days late / 365 (C. com. L441-10 II).

    §5.5: 12 000 × 12,15 % × 45 / 365 = 179,75 €; at 8,28 % → 122,50 €.
    """
    amount = _d(amount_ttc, "montant TTC", min_value=0)
    rate = _d(rate_percent, "taux", min_value=0)
    days = _int(days_late, "jours de retard", min_value=0)
    return amount * rate / _HUNDRED * days / _int(basis, "base", min_value=1)


@_exact
def penalty_with_indemnity(
    amount_ttc: Number,
    rate_percent: Number,
    days_late: int,
    *,
    invoices: int = 1,
    basis: int = 365,
) -> Decimal:
    """Penalties plus the 40 € recovery indemnity per late invoice (none if not late).

    §5.5: 179,75 + 40 = 219,75 €.
    """
    n = _int(invoices, "nombre de factures", min_value=1)
    penalty = late_penalty(amount_ttc, rate_percent, days_late, basis)
    return penalty + (RECOVERY_INDEMNITY_EUR * n if days_late > 0 else Decimal(0))


# ------------------------------------------------------------- cost of credit


@_exact
def credit_cost(amount: Number, annual_rate: Number, days: int, basis: int = 360) -> Decimal:
    """Cost of financing ``amount`` for ``days``: amount × rate × days / basis.

    ``annual_rate`` is a fraction.  §5.4: 50 000 × 0,06 × 45 / 360 = 375 €
    (/365 → 369,86 €).
    """
    a = _d(amount, "montant", min_value=0)
    r = _d(annual_rate, "taux annuel", min_value=0)
    return a * r * _int(days, "jours", min_value=0) / _int(basis, "base", min_value=1)


@_exact
def cash_freed_by_dso_cut(sales_ttc: Number, days_cut: Number, basis: int = 365) -> Decimal:
    """Cash released by cutting DSO by ``days_cut`` days: sales TTC × days / basis.

    §5.4: 1 800 000 × 10 / 365 = 49 315 €.
    """
    s = _d(sales_ttc, "CA TTC", min_value=0)
    return s * _d(days_cut, "réduction en jours", min_value=0) / _int(basis, "base", min_value=1)


@_exact
def annual_financing_savings(cash_freed: Number, annual_rate: Number) -> Decimal:
    """Yearly financing cost avoided: cash × rate (fraction).  §5.4: 49 315 × 5 % = 2 466 €."""
    return _d(cash_freed, "trésorerie libérée", min_value=0) * _d(
        annual_rate, "taux annuel", min_value=0
    )


@dataclass(frozen=True, slots=True)
class DiscountCost:
    """Annualised cost of an early-payment discount, in %."""

    simple_percent: Decimal
    compounded_percent: Decimal


@_exact
def discount_annual_cost(
    discount_percent: Number = 2,
    discount_days: int = 10,
    net_days: int = 30,
    basis: int = 365,
) -> DiscountCost:
    """Cost of granting "2/10 net 30": d/(100−d) × basis/(net − discount days).

    §5.4: 2/98 × 365/20 = 37,2 % simple; (1 + 2/98)^(365/20) − 1 = 44,6 % compounded.
    """
    d = _d(discount_percent, "escompte", positive=True)
    if d >= _HUNDRED:
        raise ValueError("l'escompte doit être inférieur à 100 %")
    early = _int(discount_days, "délai d'escompte", min_value=0)
    net = _int(net_days, "délai net", min_value=1)
    if net <= early:
        raise ValueError("le délai net doit être plus long que le délai d'escompte")
    period_rate = d / (_HUNDRED - d)
    periods = Decimal(_int(basis, "base", min_value=1)) / (net - early)
    simple = period_rate * periods * _HUNDRED
    compounded = ((1 + period_rate) ** periods - 1) * _HUNDRED
    return DiscountCost(simple, compounded)


@dataclass(frozen=True, slots=True)
class MarginErosion:
    margin: Decimal
    financing_cost: Decimal
    residual_margin: Decimal
    erosion_percent: Decimal


@_exact
def margin_erosion(
    sale_ht: Number,
    sale_ttc: Number,
    net_margin_rate: Number,
    days_late: int,
    financing_rate: Number,
    basis: int = 360,
) -> MarginErosion:
    """How much of the net margin a late payment eats (§5.6).

    margin = sale HT × net margin rate; cost = sale TTC × financing rate × days / basis.
    100 000 HT / 120 000 TTC, 4 %, 60 days at 6 % → margin 4 000, cost 1 200,
    residual 2 800, erosion 30 %.  The residual may be negative (loss).
    """
    margin = _d(sale_ht, "vente HT", min_value=0) * _d(
        net_margin_rate, "taux de marge", positive=True
    )
    if margin <= 0:
        raise ValueError("la marge doit être positive pour mesurer son érosion")
    cost = credit_cost(sale_ttc, financing_rate, days_late, basis)
    return MarginErosion(margin, cost, margin - cost, cost / margin * _HUNDRED)


@_exact
def revenue_to_recover_loss(loss_ht: Number, margin_rate: Number) -> Decimal:
    """CA compensatoire: extra sales needed to earn back a bad debt = loss HT / net margin rate.

    §5.7: 10 000 / 0,05 = 200 000 €.
    """
    rate = _d(margin_rate, "taux de marge", positive=True)
    if rate > 1:
        raise ValueError("le taux de marge est une fraction (0,05 pour 5 %)")
    return _d(loss_ht, "perte HT", min_value=0) / rate


# ------------------------------------------------------- working capital, ratios


@_exact
def working_capital_need(stocks: Number, receivables: Number, payables: Number) -> Decimal:
    """BFR d'exploitation = stocks + receivables − payables (may be negative).  §5.8: 310 000 €."""
    return (
        _d(stocks, "stocks", min_value=0)
        + _d(receivables, "créances clients", min_value=0)
        - _d(payables, "dettes fournisseurs", min_value=0)
    )


@_exact
def in_days(amount: Number, sales_ht: Number, basis: int = 365) -> Decimal:
    """Express an amount in days of annual sales: amount / sales × basis.

    §5.8: 310 000 → 75,4 j.
    """
    return (
        _d(amount, "montant")
        / _d(sales_ht, "CA HT", positive=True)
        * _int(basis, "base", min_value=1)
    )


@_exact
def receivables_to_sales_ratio(receivables: Number, sales: Number) -> Decimal:
    """Receivables / sales (same tax basis) in %.  §5.9: 360 000 / 1 800 000 = 20 %."""
    return share_percent(
        _d(receivables, "créances", min_value=0), _d(sales, "chiffre d'affaires", positive=True)
    )


# ------------------------------------------------------------------ credit limit


@_exact
def credit_limit_need(
    monthly_sales_ht: Number,
    vat_rate: Number = Decimal("0.20"),
    payment_days: int = 60,
    reaction_days: int = 15,
    days_per_month: int = 30,
) -> Decimal:
    """Credit limit by need: monthly sales TTC × (payment + reaction days) in months.

    §5.10: 30 000 HT × 1,20 × (60 + 15) / 30 = 90 000 €.
    """
    ttc = _d(monthly_sales_ht, "CA mensuel HT", min_value=0) * (
        1 + _d(vat_rate, "taux de TVA", min_value=0)
    )
    days = _int(payment_days, "délai de paiement", min_value=0) + _int(
        reaction_days, "délai de réaction", min_value=0
    )
    return ttc * days / _int(days_per_month, "jours par mois", min_value=1)


@_exact
def credit_limit_capacity(equity: Number, rate: Number = Decimal("0.10")) -> Decimal:
    """Credit limit by capacity: a policy share of the customer's equity (10 % by default).

    Negative equity is meaningful (capitaux propres négatifs) and gives 0.
    §5.10: 10 % × 400 000 = 40 000 €.
    """
    e = _d(equity, "capitaux propres")
    r = _d(rate, "pourcentage", min_value=0)
    return max(Decimal(0), e * r)


@_exact
def credit_limit(need: Number, capacity: Number) -> Decimal:
    """Granted limit = min(need, capacity); the excess needs guarantees.  §5.10: 40 000 €."""
    return min(_d(need, "besoin", min_value=0), _d(capacity, "capacité", min_value=0))


# --------------------------------------------------------------------- due dates


def end_of_month(day: date) -> date:
    """Last day of ``day``'s month."""
    d = _day(day, "day")
    return date(d.year, d.month, calendar.monthrange(d.year, d.month)[1])


def due_date_net(invoice_date: date, days: int) -> date:
    """Invoice date + ``days`` calendar days.  60 jours date de facture: 15/01/2025 → 16/03/2025."""
    return _day(invoice_date, "invoice_date") + timedelta(days=_int(days, "jours", min_value=0))


def due_date_45_eom(invoice_date: date, method: Literal["A", "B"] = "A") -> date:
    """ "45 jours fin de mois", both methods admitted by the DGCCRF.

    * ``"A"``: invoice + 45 days, then end of that month — 15/01/2025 → 01/03 → 31/03/2025;
    * ``"B"``: end of the invoice month, then + 45 days — 31/01/2025 + 45 → 17/03/2025.
    """
    d = _day(invoice_date, "invoice_date")
    if method == "A":
        return end_of_month(d + timedelta(days=45))
    if method == "B":
        return end_of_month(d) + timedelta(days=45)
    raise ValueError(f'méthode inconnue : {method!r} (attendu "A" ou "B")')


# ----------------------------------------------------------------- instalments


@dataclass(frozen=True, slots=True)
class Instalment:
    number: int
    due_date: date
    amount: Decimal


def _add_months(start: date, months: int) -> date:
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


@_exact
def instalment_plan(
    total: Number,
    n: int,
    first_date: date,
    *,
    interval_days: int | None = None,
) -> tuple[Instalment, ...]:
    """Split ``total`` into ``n`` instalments whose sum is exactly ``total``.

    Amounts are in cents; the leftover cents go to the *first* instalments
    (the creditor is paid sooner): 100 € in 3 → 33,34 + 33,33 + 33,33.
    Dates: monthly on the same day as ``first_date`` (clamped to the month's
    end: 31/01 → 28/02 → 31/03) unless ``interval_days`` is given.
    """
    amount = _d(total, "montant total", positive=True)
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError("le montant total doit être exprimé au centime près")
    count = _int(n, "nombre d'échéances", min_value=1)
    start = _day(first_date, "first_date")
    if interval_days is not None:
        _int(interval_days, "intervalle", min_value=1)
    cents = int(amount * 100)
    if cents < count:
        raise ValueError("montant trop faible : chaque échéance doit être d'au moins 0,01")
    base, extra = divmod(cents, count)
    plan = []
    for i in range(count):
        due = (
            _add_months(start, i)
            if interval_days is None
            else start + timedelta(days=interval_days * i)
        )
        part = (Decimal(base + (1 if i < extra else 0)) / 100).quantize(
            Decimal("0.01"), rounding=ROUND_DOWN
        )
        plan.append(Instalment(i + 1, due, part))
    return tuple(plan)
