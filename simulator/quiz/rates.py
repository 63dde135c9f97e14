"""Dated French reference rates for late-payment penalties (C. com. L441-10 II).

Why data, not code: the rates change every half-year (ECB refinancing rate
frozen on 1 January / 1 July, legal interest rate published by arrêté).  They
live in ``rates_fr.json`` next to this module, shipped as package data
(``[tool.setuptools.package-data] "*" = ["*.json", ...]``) and read with
:mod:`importlib.resources`, so adding a half-year is a data-only change: append
an object to ``periods``.  The loader checks the table on load (contiguous
periods, ``default = ECB + 10``, ``minimum = 3 × legal rate``) so that a typo
fails loudly instead of teaching a wrong figure.

All rates are Decimal **percentages** (``Decimal("12.15")`` means 12,15 %/an).
Which date to look up is the caller's choice — the course examples use the
due date of the invoice (§5.5: due 31/10/2025 → S2 2025 → 12,15 %).

Rates expire: every period carries its validity (``valid_from`` …
``valid_to``), the last one is the table's last *confirmed* half-year, and a
half-year whose figures could not be confirmed from a source is listed in
``pending`` with a note saying what is missing — never given a guessed value.
:meth:`RateTable.outdated` tells ``relance validate`` when today is past the
table (the clock is the caller's: a date argument, never ``date.today()``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from itertools import pairwise
from typing import Any

__all__ = [
    "ECB_MARGIN_POINTS",
    "LEGAL_RATE_MULTIPLIER",
    "PendingPeriod",
    "RateNotAvailableError",
    "RatePeriod",
    "RateTable",
    "RateTableError",
    "all_periods",
    "default_penalty_rate",
    "load_rate_table",
    "minimum_contract_rate",
    "packaged_table",
    "parse_rate_table",
    "rates_on",
    "resource_path",
]

ECB_MARGIN_POINTS = Decimal(10)
"""Default penalty rate = ECB refinancing rate + 10 points (L441-10 II)."""
LEGAL_RATE_MULTIPLIER = Decimal(3)
"""Contractual penalty rate must be at least 3 × the legal interest rate."""

_RESOURCE = "rates_fr.json"
_CHECKED_RE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")


class RateTableError(ValueError):
    """The rate data file is malformed or internally inconsistent."""


class RateNotAvailableError(LookupError):
    """No reference period covers the requested date.

    ``message`` is French (shown to trainers/authors); ``date`` is the date asked.
    """

    def __init__(self, when: date, first: date, last: date) -> None:
        self.date = when
        self.message = (
            f"Aucun taux de référence connu pour le {when:%d/%m/%Y} "
            f"(table disponible du {first:%d/%m/%Y} au {last:%d/%m/%Y}) : "
            f"mettez à jour simulator/quiz/{_RESOURCE}."
        )
        super().__init__(self.message)


@dataclass(frozen=True, slots=True)
class RatePeriod:
    """One half-year of reference rates, valid from ``valid_from`` to ``valid_to`` inclusive."""

    label: str
    valid_from: date
    valid_to: date
    ecb_refi_percent: Decimal
    default_penalty_percent: Decimal
    legal_rate_professionals_percent: Decimal
    minimum_contract_percent: Decimal
    legal_rate_individuals_percent: Decimal
    sources: tuple[str, ...]
    checked: str
    """Last check against the sources (ISO ``YYYY-MM`` or ``YYYY-MM-DD``)."""
    notes: str = ""

    def covers(self, when: date) -> bool:
        return self.valid_from <= when <= self.valid_to


@dataclass(frozen=True, slots=True)
class PendingPeriod:
    """A half-year after the table whose rates are not confirmed yet (no values, a note)."""

    label: str
    valid_from: date
    valid_to: date
    note: str
    """French: what was found and what is missing (shown by ``relance validate``)."""


@dataclass(frozen=True, slots=True)
class RateTable:
    """An ordered, contiguous sequence of :class:`RatePeriod`, then the pending half-years."""

    periods: tuple[RatePeriod, ...]
    pending: tuple[PendingPeriod, ...] = ()

    @property
    def last(self) -> RatePeriod:
        """The last confirmed period: the table is valid up to its ``valid_to``."""
        return self.periods[-1]

    def outdated(self, today: date) -> bool:
        """True when ``today`` is after the last confirmed period (a half-year is missing)."""
        return today > self.last.valid_to

    def pending_on(self, when: date) -> PendingPeriod | None:
        """The pending half-year covering ``when``, if any."""
        return next((p for p in self.pending if p.valid_from <= when <= p.valid_to), None)

    def on(self, when: date) -> RatePeriod:
        """Return the period covering ``when``; raise :class:`RateNotAvailableError` otherwise."""
        if not isinstance(when, date):
            raise TypeError(f"expected a datetime.date, got {type(when).__name__}")
        for period in self.periods:
            if period.covers(when):
                return period
        raise RateNotAvailableError(when, self.periods[0].valid_from, self.periods[-1].valid_to)


def _decimal(raw: Any, where: str) -> Decimal:
    if isinstance(raw, bool) or not isinstance(raw, (int, str, Decimal)):
        raise RateTableError(f"{where}: expected a number, got {raw!r}")
    try:
        value = Decimal(raw)
    except ArithmeticError:
        raise RateTableError(f"{where}: not a number: {raw!r}") from None
    if not value.is_finite() or value < 0:
        raise RateTableError(f"{where}: must be a non-negative number, got {raw!r}")
    return value


def _date(raw: Any, where: str) -> date:
    try:
        return date.fromisoformat(raw)
    except (TypeError, ValueError):
        raise RateTableError(f"{where}: expected an ISO date YYYY-MM-DD, got {raw!r}") from None


_FIELDS = {
    "label",
    "valid_from",
    "valid_to",
    "ecb_refi_percent",
    "default_penalty_percent",
    "legal_rate_professionals_percent",
    "minimum_contract_percent",
    "legal_rate_individuals_percent",
    "sources",
    "checked",
    "notes",
}


def _period(raw: Mapping[str, Any], index: int) -> RatePeriod:
    where = f"periods[{index}]"
    if not isinstance(raw, Mapping):
        raise RateTableError(f"{where}: expected an object")
    unknown = set(raw) - _FIELDS
    missing = _FIELDS - {"notes"} - set(raw)
    if unknown or missing:
        raise RateTableError(
            f"{where}: unknown fields {sorted(unknown)}, missing {sorted(missing)}"
        )
    label = raw["label"]
    if not isinstance(label, str) or not label:
        raise RateTableError(f"{where}.label: expected a non-empty string")
    sources = raw["sources"]
    if (
        not isinstance(sources, list)
        or not sources
        or not all(isinstance(s, str) and s for s in sources)
    ):
        raise RateTableError(f"{where}.sources: expected a non-empty list of strings")
    checked = raw["checked"]
    if not isinstance(checked, str) or not _CHECKED_RE.match(checked):
        raise RateTableError(f"{where}.checked: expected YYYY-MM or YYYY-MM-DD, got {checked!r}")
    notes = raw.get("notes", "")
    if not isinstance(notes, str):
        raise RateTableError(f"{where}.notes: expected a string")
    period = RatePeriod(
        label=label,
        valid_from=_date(raw["valid_from"], f"{where}.valid_from"),
        valid_to=_date(raw["valid_to"], f"{where}.valid_to"),
        ecb_refi_percent=_decimal(raw["ecb_refi_percent"], f"{where}.ecb_refi_percent"),
        default_penalty_percent=_decimal(
            raw["default_penalty_percent"], f"{where}.default_penalty_percent"
        ),
        legal_rate_professionals_percent=_decimal(
            raw["legal_rate_professionals_percent"], f"{where}.legal_rate_professionals_percent"
        ),
        minimum_contract_percent=_decimal(
            raw["minimum_contract_percent"], f"{where}.minimum_contract_percent"
        ),
        legal_rate_individuals_percent=_decimal(
            raw["legal_rate_individuals_percent"], f"{where}.legal_rate_individuals_percent"
        ),
        sources=tuple(sources),
        checked=checked,
        notes=notes,
    )
    if period.valid_to < period.valid_from:
        raise RateTableError(f"{where} ({label}): valid_to is before valid_from")
    if period.default_penalty_percent != period.ecb_refi_percent + ECB_MARGIN_POINTS:
        raise RateTableError(
            f"{where} ({label}): default_penalty_percent must equal ecb_refi_percent + 10"
        )
    floor = (LEGAL_RATE_MULTIPLIER * period.legal_rate_professionals_percent).quantize(
        Decimal("0.01")
    )
    if period.minimum_contract_percent != floor:
        raise RateTableError(
            f"{where} ({label}): minimum_contract_percent must equal "
            "3 × legal_rate_professionals_percent"
            f" rounded to 0.01 ({floor})"
        )
    return period


def parse_rate_table(data: Mapping[str, Any]) -> RateTable:
    """Validate decoded JSON ``data`` and build a :class:`RateTable`.

    Numbers may be JSON numbers (decoded as Decimal by :func:`load_rate_table`)
    or strings.  Periods must be in chronological order and contiguous.
    """
    if not isinstance(data, Mapping) or data.get("schema") != 1:
        raise RateTableError('rate table: expected an object with "schema": 1')
    raw_periods = data.get("periods")
    if not isinstance(raw_periods, Sequence) or isinstance(raw_periods, str) or not raw_periods:
        raise RateTableError('rate table: "periods" must be a non-empty list')
    periods = tuple(_period(p, i) for i, p in enumerate(raw_periods))
    labels = [p.label for p in periods]
    if len(set(labels)) != len(labels):
        raise RateTableError("rate table: duplicate labels")
    for before, after in pairwise(periods):
        if after.valid_from != before.valid_to + timedelta(days=1):
            raise RateTableError(
                f"rate table: {after.label} must start the day after {before.label} ends "
                f"({before.valid_to + timedelta(days=1)})"
            )
    pending = _pending(data.get("pending", []), periods[-1])
    return RateTable(periods, pending)


def _pending(raw: Any, last: RatePeriod) -> tuple[PendingPeriod, ...]:
    if not isinstance(raw, Sequence) or isinstance(raw, str):
        raise RateTableError('rate table: "pending" must be a list')
    found: list[PendingPeriod] = []
    expected_start = last.valid_to + timedelta(days=1)
    for index, item in enumerate(raw):
        where = f"pending[{index}]"
        if not isinstance(item, Mapping) or set(item) != {"label", "valid_from", "valid_to", "note"}:
            raise RateTableError(f"{where}: expected an object with label, valid_from, valid_to, note")
        label, note = item["label"], item["note"]
        if not isinstance(label, str) or not label or not isinstance(note, str) or not note:
            raise RateTableError(f"{where}: label and note must be non-empty strings")
        start = _date(item["valid_from"], f"{where}.valid_from")
        end = _date(item["valid_to"], f"{where}.valid_to")
        if start != expected_start or end < start:
            raise RateTableError(
                f"rate table: pending {label} must start on {expected_start} (the day after "
                "the previous period) and end after it starts; remove it once its rates are "
                "confirmed and added to periods"
            )
        found.append(PendingPeriod(label, start, end, note))
        expected_start = end + timedelta(days=1)
    return tuple(found)


def load_rate_table(text: str | None = None) -> RateTable:
    """Parse ``text`` (JSON) or, when None, the packaged ``rates_fr.json``."""
    if text is None:
        return _packaged_table()
    return parse_rate_table(json.loads(text, parse_float=Decimal))


@lru_cache(maxsize=1)
def _packaged_table() -> RateTable:
    text = resources.files(__package__).joinpath(_RESOURCE).read_text(encoding="utf-8")
    return parse_rate_table(json.loads(text, parse_float=Decimal))


def packaged_table() -> RateTable:
    """The packaged table (parsed once)."""
    return _packaged_table()


def resource_path() -> str:
    """Where the packaged table lives, for messages (``…/simulator/quiz/rates_fr.json``)."""
    return str(resources.files(__package__).joinpath(_RESOURCE))


def all_periods() -> tuple[RatePeriod, ...]:
    """Every packaged period, oldest first."""
    return _packaged_table().periods


def rates_on(when: date) -> RatePeriod:
    """The packaged period covering ``when`` (raises :class:`RateNotAvailableError` outside)."""
    return _packaged_table().on(when)


def default_penalty_rate(when: date) -> Decimal:
    """Default late-penalty rate in % (ECB + 10 points) applicable on ``when``."""
    return rates_on(when).default_penalty_percent


def minimum_contract_rate(when: date) -> Decimal:
    """Lowest lawful contractual penalty rate in % (3 × legal interest rate) on ``when``."""
    return rates_on(when).minimum_contract_percent
