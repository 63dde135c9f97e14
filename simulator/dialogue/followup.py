"""The follow-up sheet (main courante) filled after a call, compared with the call.

After each call the trainee records what happened: date, interlocutor, the
reason given, the commitment (amount, date, means, who), the next action and
its date. The sheet is scored against what the call actually obtained — a
sheet that invents a commitment the debtor never gave, or forgets the one it
gave, is exactly the mistake that makes a later mise en demeure weak.
Pure and deterministic.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from rapidfuzz import fuzz

from simulator.dialogue.engine import CallState, money
from simulator.scoring.entities import extract_all
from simulator.scoring.normalize import normalize

__all__ = ["FIELDS", "FieldResult", "FollowUpSheet", "SheetScore", "score_sheet"]

FIELDS = (
    "date",
    "interlocutor",
    "reason",
    "amount",
    "promised_date",
    "means",
    "who",
    "next_action",
    "next_date",
)
"""Fields of the sheet, in display order."""


@dataclass(frozen=True)
class FollowUpSheet:
    """What the trainee wrote (free text per field, as typed)."""

    date: str = ""
    interlocutor: str = ""
    reason: str = ""
    amount: str = ""
    promised_date: str = ""
    means: str = ""
    who: str = ""
    next_action: str = ""
    next_date: str = ""

    def as_dict(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in FIELDS}


@dataclass(frozen=True)
class FieldResult:
    field: str
    ok: bool
    points: int
    max_points: int
    expected: str
    feedback: str


@dataclass(frozen=True)
class SheetScore:
    score: int
    fields: tuple[FieldResult, ...]

    def as_dict(self) -> dict[str, Any]:
        return {"score": self.score, "fields": [f.__dict__ for f in self.fields]}


def _date(text: str, reference: dt.date) -> dt.date | None:
    found = [d.value for d in extract_all(text, reference).dates if not d.vague]
    return found[0] if found else None


def _amount(text: str, reference: dt.date) -> Decimal | None:
    found = extract_all(text, reference).amounts
    if found:
        return found[0].value
    digits = normalize(text).replace(" ", "").replace(",", ".").rstrip("€$")
    try:
        return Decimal(digits) if digits else None
    except ArithmeticError:
        return None


def _means(text: str, reference: dt.date) -> str | None:
    found = extract_all(text, reference).payment_means
    return found[0] if found else None


def _similar(a: str, b: str) -> float:
    return float(fuzz.token_set_ratio(normalize(a), normalize(b)))


def score_sheet(sheet: FollowUpSheet, state: CallState) -> SheetScore:
    """Score the sheet against the call (each field with the expected value and a tip)."""
    case = state.setup.case
    ref = case.call_date
    results: list[FieldResult] = []

    def add(name: str, ok: bool, points: int, expected: str, tip: str) -> None:
        results.append(FieldResult(name, ok, points if ok else 0, points, expected, "" if ok else tip))

    written = _date(sheet.date, ref)
    add("date", written == ref, 1, ref.strftime("%d/%m/%Y"), "Notez la date de l'appel.")

    contact = case.debtor.contact
    who_spoke = contact if state.identity_confirmed else (state.setup.persona.name if state.connected else "")
    add(
        "interlocutor",
        bool(sheet.interlocutor.strip()) and (not who_spoke or _similar(sheet.interlocutor, who_spoke) >= 70),
        2,
        who_spoke or "standard / tiers",
        "Notez le nom de la personne qui vous a parlé (et sa fonction).",
    )

    raised = [state.setup.objection(oid) for oid, _s in state.handled]
    if raised:
        best = max(
            max(_similar(sheet.reason, text) for text in (o.title, *o.phrasings)) for o in raised
        )
        add("reason", best >= 55, 2, raised[0].title, "Notez le motif invoqué par le client, avec ses mots.")
    else:
        add("reason", True, 2, "aucun motif invoqué", "")

    c = state.commitment
    if c is not None and c.amount is not None:
        amount = _amount(sheet.amount, ref)
        add("amount", amount is not None and abs(amount - c.amount) < Decimal("1"), 2,
            money(c.amount, case.invoices[0].currency),
            "Reportez le montant exact promis.")
        add("promised_date", _date(sheet.promised_date, ref) == c.date, 2,
            c.date.strftime("%d/%m/%Y") if c.date else "", "Reportez la date exacte promise (jour du calendrier).")
        add("means", _means(sheet.means, ref) == c.means, 1, c.means or "", "Reportez le mode de paiement convenu.")
        add("who", bool(sheet.who.strip()), 1, c.who or contact, "Notez qui lance le paiement.")
        follow = _date(sheet.next_date, ref)
        expected = (c.date + dt.timedelta(days=1)) if c.date else None
        add(
            "next_date",
            follow is not None and expected is not None and c.date is not None and c.date <= follow <= expected + dt.timedelta(days=2),
            2,
            expected.strftime("%d/%m/%Y") if expected else "",
            "Programmez la vérification du paiement le lendemain de la date promise (J+1).",
        )
    else:
        invented = bool(_amount(sheet.amount, ref)) or _date(sheet.promised_date, ref) is not None
        add("amount", not invented, 3, "aucun engagement", "Le client ne s'est engagé sur rien : n'inventez pas de promesse.")
        follow = _date(sheet.next_date, ref)
        add("next_date", follow is not None and ref < follow <= ref + dt.timedelta(days=3), 2,
            (ref + dt.timedelta(days=1)).strftime("%d/%m/%Y"),
            "Sans engagement, relancez très vite (dans les deux jours).")
    add("next_action", len(sheet.next_action.strip()) >= 5, 2, "action datée",
        "Décrivez la prochaine action (vérifier le virement, rappeler, mise en demeure…).")

    total = sum(r.max_points for r in results)
    earned = sum(r.points for r in results)
    return SheetScore(score=round(100 * earned / total) if total else 0, fields=tuple(results))
