"""Audit run by ``relance validate``: figures in model answers and debtor lines match their case.

A model answer (a step's hints and model, an objection's model) and a debtor
line (persona lines, the persona's objection lines, an objection's phrasings
when the persona has none) are said in every case that uses them, with their
``{placeholders}`` filled from that case (:func:`engine.case_facts`).  Each one
is checked, filled, against each such case:

* ``invoice-not-in-case`` — an invoice-like reference (``F-2026-0318``,
  ``PL-22871``, ``CDE-TM-2026-188``…) that is neither an invoice nor an order
  number of the case, nor written anywhere in the case file;
* ``invoice-amount-mismatch`` — an amount written right after a reference
  (« F-2026-0318 de 18 000 € », « F-2026-0318 (10 200 €) ») that is not that
  invoice's amount (nor an amount given in its description, e.g. its HT);
* ``amount-not-in-case`` — an amount with its currency that the case does
  not contain: allowed are each invoice amount, the total of any group of
  invoices, the objective and fallback amounts, the minimum down payment,
  the 40 € recovery indemnity (per invoice), and any amount written in the
  case file (title, briefing, history, invoice descriptions, objectives); a
  persona line may also cite an amount of the persona's own description
  (« au-delà de 5 000 €, les virements sont cosignés »);
* ``currency-mismatch`` — euros in a case in dollars, or the reverse.

Rule for generic texts: an objection or a method is written once for many
cases, so its figures should be placeholders (``{amount}``, ``{invoice}``,
``{invoices}``, ``{due}``).  A literal figure in an objection's model is
accepted only where it is true: it is checked against every case that raises
the objection, and an objection no case raises is not checked (its figures
can only be read as an example).  Labelled example replies of objections are
calibration data for the scorer, never shown as a model: they are not checked.

Findings are meant as warnings (a heuristic reading of free text must never
make a pack unusable), grouped per text and problem, with the cases concerned;
``relance validate`` locates them in their files (this module stays free of
the content layer: it reads the model and the engine only).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import msgspec

from simulator.dialogue.engine import Resolver, case_facts, fill_line, money, setup_call
from simulator.errors import SimulatorError
from simulator.model import Case, Method, Objection, Persona

__all__ = ["TextFinding", "model_answer_findings"]

PathT = tuple[str | int, ...]

_REF = re.compile(r"(?<![\w-])[A-Z]{1,5}(?:-[A-Z]{1,5})*-\d{3,}(?:-\d+)*(?![\w-])")
_SPACE = "[ \u00a0\u202f]"
_AMOUNT = re.compile(
    rf"(?<![\d,.])(\d{{1,3}}(?:{_SPACE}\d{{3}})+|\d+)(?:,(\d{{1,2}}))?{_SPACE}?"
    r"(€|\$|euros?\b|dollars?\b)",
    re.IGNORECASE,
)
_CONNECTOR = re.compile(r"^[ \u00a0\u202f]*[(:,—–-]?[ \u00a0\u202f]*(?:(?:de|d'un montant de|d’un montant de|pour|à|montant)[ \u00a0\u202f]*)?$")
_INDEMNITY = Decimal(40)
_MAX_GROUPED = 12
"""Above this many invoices, only the total and single invoices count as groups."""


@dataclass(frozen=True, slots=True)
class _Amount:
    value: Decimal
    currency: str  # "EUR" or "CAD"
    start: int
    end: int


def _amounts(text: str) -> list[_Amount]:
    found = []
    for m in _AMOUNT.finditer(text):
        digits = re.sub(_SPACE, "", m.group(1))
        try:
            value = Decimal(digits + ("." + m.group(2) if m.group(2) else ""))
        except InvalidOperation:  # pragma: no cover - the pattern only takes digits
            continue
        unit = m.group(3).lower()
        currency = "EUR" if unit.startswith(("€", "euro")) else "CAD"
        found.append(_Amount(value, currency, m.start(), m.end()))
    return found


@dataclass
class _CaseFacts:
    """What a case says: its references and amounts (and the currency)."""

    case: Case
    currency: str
    invoices: dict[str, Decimal]
    described: dict[str, set[Decimal]]
    refs: set[str]
    amounts: set[Decimal]
    facts: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, case: Case, persona: Persona) -> _CaseFacts:
        currency = case.invoices[0].currency
        invoices = {i.number: Decimal(str(i.amount)) for i in case.invoices}
        described = {i.number: {a.value for a in _amounts(i.description)} for i in case.invoices}
        texts = [case.title, case.briefing, case.objective.text]
        texts += [h.note for h in case.history]
        texts += [i.description for i in case.invoices]
        if case.fallback is not None:
            texts.append(case.fallback.text)
        refs = set(invoices) | {i.po for i in case.invoices if i.po}
        refs |= {m.group(0) for text in texts for m in _REF.finditer(text)}
        values = list(invoices.values())
        amounts: set[Decimal] = set()
        if len(values) <= _MAX_GROUPED:
            for size in range(1, len(values) + 1):
                amounts |= {sum(group, Decimal(0)) for group in itertools.combinations(values, size)}
        else:
            amounts |= set(values) | {sum(values, Decimal(0))}
        for objective in (case.objective, case.fallback):
            if objective is not None and objective.amount is not None:
                amounts.add(Decimal(str(objective.amount)))
        if case.limits.min_down_payment:
            amounts.add(Decimal(str(case.limits.min_down_payment)))
        amounts |= {a.value for text in texts for a in _amounts(text)}
        if currency == "EUR":
            amounts |= {_INDEMNITY * k for k in range(1, len(values) + 1)}
        return cls(case, currency, invoices, described, refs, {a.normalize() for a in amounts}, dict(case_facts(case, persona)))

    def shown(self, value: Decimal) -> str:
        return money(value, self.currency)


@dataclass(frozen=True, slots=True)
class _Text:
    """A template said in a case: which object and path it comes from."""

    kind: str  # the library kind of the owner: method, persona, objection
    owner: str
    path: PathT
    template: str
    persona_amounts: frozenset[Decimal] = frozenset()


def _issues(text: str, known: _CaseFacts, extra: frozenset[Decimal]) -> Iterator[tuple[str, str, str]]:
    """(code, key, message) for each figure of ``text`` (filled) that the case contradicts."""
    refs = list(_REF.finditer(text))
    amounts = _amounts(text)
    for m in refs:
        ref = m.group(0)
        if ref not in known.refs:
            listed = ", ".join(known.invoices)
            yield (
                "invoice-not-in-case",
                ref,
                f"facture « {ref} » absente du dossier `{known.case.id}` (factures : {listed})",
            )
            continue
        if ref not in known.invoices:
            continue  # an order number or another reference of the case
        following = next((a for a in amounts if a.start >= m.end()), None)
        next_ref = next((r.start() for r in refs if r.start() > m.start()), len(text))
        if following is None or following.start > next_ref or not _CONNECTOR.match(text[m.end() : following.start]):
            continue
        expected = known.invoices[ref]
        if following.value != expected and following.value not in known.described[ref]:
            said = text[m.start() : following.end]
            yield (
                "invoice-amount-mismatch",
                f"{ref}:{following.value}",
                f"« {said} » : la facture {ref} fait {known.shown(expected)} dans le dossier `{known.case.id}`",
            )
    for amount in amounts:
        if amount.currency != known.currency:
            other = "euros" if amount.currency == "EUR" else "dollars"
            held = "euros" if known.currency == "EUR" else "dollars"
            said = text[amount.start : amount.end]
            message = f"montant en {other} ({said}) dans le dossier `{known.case.id}`, tenu en {held}"
            yield ("currency-mismatch", f"{amount.value}{amount.currency}", message)
            continue
        value = amount.value.normalize()
        if value not in known.amounts and value not in extra:
            due = known.facts.get("amount", "")
            message = f"montant {known.shown(amount.value)} absent du dossier `{known.case.id}` (dû : {due})"
            yield ("amount-not-in-case", str(value), message)


_HINTS = {
    "invoice-not-in-case": "écrivez {invoice} (ou {invoices}) : le numéro est alors celui du dossier où la réplique est dite",
    "invoice-amount-mismatch": "pour citer chaque facture avec son montant, écrivez {invoices} ; {amount} est le total dû",
    "amount-not-in-case": "écrivez {amount} (total dû) ou {invoices} ; un montant propre au dossier doit figurer "
    "dans le dossier (facture, objectif, historique, briefing)",
    "currency-mismatch": "écrivez {amount} : la devise est alors celle du dossier",
}


def _texts_of(case: Case, persona: Persona, method: Method, objections: Sequence[Objection],
              schedule: Sequence[tuple[str, str, tuple[str, ...], int]]) -> Iterator[_Text]:
    for s, step in enumerate(method.steps):
        for i, hint in enumerate(step.hints):
            yield _Text("method", method.id, ("steps", s, "hints", i), hint)
        if step.model:
            yield _Text("method", method.id, ("steps", s, "model"), step.model)
    own = frozenset(a.value.normalize() for a in _amounts(persona.description))
    for key, lines in msgspec.structs.asdict(persona.lines).items():
        for i, line in enumerate(lines):
            yield _Text("persona", persona.id, ("lines", key, i), line, own)
    raised = {oid for oid, _at, _lines, _p in schedule}
    for k, po in enumerate(persona.objections):
        if po.objection in raised:
            for i, line in enumerate(po.lines):
                yield _Text("persona", persona.id, ("objections", k, "lines", i), line, own)
    with_lines = {oid for oid, _at, lines, _p in schedule if lines}
    for objection in objections:
        if objection.model:
            yield _Text("objection", objection.id, ("model",), objection.model)
        if objection.id not in with_lines:
            for i, phrasing in enumerate(objection.phrasings):
                yield _Text("objection", objection.id, ("phrasings", i), phrasing)


@dataclass(frozen=True, slots=True)
class TextFinding:
    """A figure of a text that contradicts the case(s) it is said in."""

    kind: str
    """Library kind of the object that holds the text: ``method``, ``persona`` or ``objection``."""
    owner: str
    """Id of that object."""
    path: PathT
    code: str
    message: str
    """French; the first case concerned, then the others."""
    hint: str
    cases: tuple[str, ...]


@dataclass
class _Group:
    text: _Text
    code: str
    messages: list[str] = field(default_factory=list)
    cases: list[str] = field(default_factory=list)

    def finding(self) -> TextFinding:
        message = self.messages[0]
        if len(self.cases) > 1:
            others = ", ".join(f"`{c}`" for c in self.cases[1:4])
            more = f" et {len(self.cases) - 4} autre(s)" if len(self.cases) > 4 else ""
            message += f" ; aussi dans {others}{more}"
        return TextFinding(
            self.text.kind, self.text.owner, self.text.path, self.code, message, _HINTS[self.code], tuple(self.cases)
        )


def model_answer_findings(resolver: Resolver, cases: Iterable[Case]) -> list[TextFinding]:
    """Figures in model answers and debtor lines that contradict the cases they are said in."""
    groups: dict[tuple[str, str, PathT, str, str], _Group] = {}
    for case in cases:
        try:
            setup = setup_call(case, resolver)
        except (SimulatorError, LookupError, StopIteration):
            continue  # broken references are reported by the reference checks
        known = _CaseFacts.of(case, setup.persona)
        for text in _texts_of(case, setup.persona, setup.method, setup.objections, setup.schedule):
            filled = fill_line(text.template, known.facts)
            for code, key, message in _issues(filled, known, text.persona_amounts):
                group = groups.setdefault((text.kind, text.owner, text.path, code, key), _Group(text, code))
                if case.id not in group.cases:
                    group.cases.append(case.id)
                    group.messages.append(message)
    return [group.finding() for group in groups.values()]
