"""The call engine: a pure, deterministic state machine over a case.

``start(case, seed, resolver) -> CallState`` and
``advance(state, reply, at=None) -> (CallState, events)``. The state is
immutable; everything random (which line variant the debtor says) is drawn
from the seed, the turn number and a label through SHA-256, so the same pack,
seed and replies give the same call on every machine and Python version.

The engine knows no step by name or number: it reads the method of the pack,
and each step's ``role`` tells it how the debtor reacts when the step is done
(``identify`` → the contact confirms, ``give-floor`` → objections, ``negotiate``
→ the commitment, ``close`` → the end of the call).
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, Protocol

from simulator.model import Case, Method, Objection, Persona, Step
from simulator.model.case import PLACEHOLDERS
from simulator.model.criteria import (
    EntityCriterion,
    ForbiddenCriterion,
    PatternCriterion,
    StyleCriterion,
)
from simulator.scoring import lexicon
from simulator.scoring.entities import payment_means_positions
from simulator.scoring.normalize import normalize
from simulator.scoring.features import Facts
from simulator.scoring.model import ScoringModel, cached_model
from simulator.scoring.reply import Analysis, Context, ReplyScore, analyse, feedback_options, fill, score_reply

__all__ = [
    "ENGINE_VERSION",
    "MAX_TURNS",
    "CallEnded",
    "CallSetup",
    "CallState",
    "Commitment",
    "Instalment",
    "Event",
    "Resolver",
    "Turn",
    "advance",
    "PLACEHOLDERS",
    "asked",
    "case_facts",
    "describe_commitment",
    "fill_line",
    "money",
    "setup_call",
    "start",
]

ENGINE_VERSION = "1.3"
"""Changes whenever the same replies could score differently."""
MAX_TURNS = 40
"""Trainee replies after which the call is abandoned."""
LOOKAHEAD = 3
"""How many steps ahead of the expected one a reply may cover."""
SUCCESS = {
    "direct": ("commitment", "instalments", "dispute"),
    "mobile": ("commitment", "instalments", "dispute"),
    "switchboard": ("commitment", "instalments", "dispute"),
    "absent": ("callback",),
    "wrong-person": ("callback",),
    "voicemail": ("voicemail",),
}
"""Outcomes that count as reaching the call's objective, per situation."""


class CallEnded(Exception):
    """Raised when a reply is given to a call that is over (a programming error upstream)."""


class Resolver(Protocol):
    """What the engine needs from a content library (``Library`` satisfies it)."""

    def persona(self, persona_id: str) -> Persona: ...

    def objection(self, objection_id: str) -> Objection: ...

    def method_for(self, case: Case) -> Method: ...


@dataclass(frozen=True)
class CallSetup:
    """The content of one call: the case and what it refers to."""

    case: Case
    persona: Persona
    method: Method
    objections: tuple[Objection, ...]
    schedule: tuple[tuple[str, str, tuple[str, ...], int], ...]
    """(objection id, step id where raised, debtor lines, persistence), in order."""
    placeholders: tuple[tuple[str, str], ...]
    model: ScoringModel | None = None
    """The learned layer of the scorer (None: the rubric alone)."""
    model_facts: Facts = Facts()
    """Case facts for the learned layer (names, amounts, who answers first)."""
    trainee: str = ""
    """The trainee's name: a caller may introduce herself with it where the case names no caller."""

    @property
    def facts(self) -> dict[str, str]:
        return dict(self.placeholders)

    def objection(self, objection_id: str) -> Objection:
        return next(o for o in self.objections if o.id == objection_id)

    def step(self, step_id: str) -> Step:
        return next(s for s in self.method.steps if s.id == step_id)


@dataclass(frozen=True)
class Instalment:
    """One payment the debtor agreed to."""

    amount: Decimal
    date: dt.date
    means: str | None
    who: str | None

    def as_dict(self) -> dict[str, Any]:
        return {"amount": str(self.amount), "date": self.date.isoformat(), "means": self.means, "who": self.who}


@dataclass(frozen=True)
class Commitment:
    """What the debtor agreed to: each payment, and which of the case's objectives it meets."""

    instalments: tuple[Instalment, ...]
    met: str | None = None
    """``"objective"``, ``"fallback"`` or None (a commitment short of both)."""
    currency: str = "EUR"

    @property
    def amount(self) -> Decimal:
        """The total promised."""
        return sum((i.amount for i in self.instalments), Decimal(0))

    @property
    def date(self) -> dt.date:
        """The first payment's date."""
        return self.instalments[0].date

    @property
    def means(self) -> str | None:
        return self.instalments[0].means

    @property
    def who(self) -> str | None:
        return self.instalments[0].who

    @property
    def objective_met(self) -> bool:
        """The case's main objective (not only the fallback) is met."""
        return self.met == "objective"

    @property
    def rank(self) -> int:
        return {"objective": 2, "fallback": 1}.get(self.met or "", 0)

    def as_dict(self) -> dict[str, Any]:
        return {
            "amount": str(self.amount),
            "date": self.date.isoformat(),
            "means": self.means,
            "who": self.who,
            "instalments": [i.as_dict() for i in self.instalments],
            "met": self.met,
            "objective_met": self.objective_met,
        }


@dataclass(frozen=True)
class Turn:
    """One line of the call."""

    speaker: str  # "debtor" | "trainee"
    text: str
    at: float | None = None
    score: ReplyScore | None = None
    steps: tuple[str, ...] = ()
    """Steps this trainee reply covered."""
    expected: str | None = None
    """Step expected when the reply was typed."""
    objection: str | None = None
    """Objection raised by this debtor line, or answered by this reply."""
    line_key: str = ""


@dataclass(frozen=True)
class Event:
    """Something the UI or a script may show: a debtor line, a step done, the end…"""

    kind: str
    text: str = ""
    step: str | None = None
    objection: str | None = None
    outcome: str | None = None
    score: int | None = None


@dataclass(frozen=True)
class CallState:
    """Everything about a call in progress (immutable)."""

    setup: CallSetup
    seed: int
    step_index: int = 0
    covered: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()
    step_scores: tuple[tuple[str, int], ...] = ()
    patience: int = 3
    cooperation: int = 3
    irritation: int = 0
    queue: tuple[int, ...] = ()
    """Indexes in ``setup.schedule`` of objections still to raise."""
    current: int | None = None
    """Index in ``setup.schedule`` of the objection on the table."""
    progress: int = 0
    carried: frozenset[str] = frozenset()
    """Objection criteria already met by earlier replies while the objection is on the table."""
    handled: tuple[tuple[str, int], ...] = ()
    """(objection id, best score) of every objection raised."""
    connected: bool = True
    identity_confirmed: bool = False
    commitment: Commitment | None = None
    recapped: bool = False
    callback: bool = False
    outcome: str | None = None
    ended: bool = False
    turns: tuple[Turn, ...] = ()
    violations: tuple[str, ...] = ()
    trainee_turns: int = 0
    concessions: int = 0
    """Replies that gave the debtor more time for nothing (the second one ends the call)."""

    @property
    def current_step(self) -> Step | None:
        steps = self.setup.method.steps
        return steps[self.step_index] if self.step_index < len(steps) else None

    @property
    def current_objection(self) -> Objection | None:
        if self.current is None:
            return None
        return self.setup.objection(self.setup.schedule[self.current][0])

    @property
    def mood(self) -> float:
        """1.0 calm … 0.0 about to hang up (for the training-mode gauge)."""
        return max(0.0, 1.0 - self.irritation / max(1, self.patience + 1))

    @property
    def last_debtor_line(self) -> str:
        for turn in reversed(self.turns):
            if turn.speaker == "debtor":
                return turn.text
        return ""


# --------------------------------------------------------------------------- setup

_DEFAULT_LINES: dict[str, tuple[str, ...]] = {
    "answer": ("Allô, oui ?",),
    "identity": ("Oui, c'est moi.",),
    "availability": ("Oui, allez-y.",),
    "explain": ("Je regarde… Je ne sais pas où en est cette facture.",),
    "acknowledge": ("D'accord.",),
    "confused": ("Pardon ? Je ne vous suis pas.",),
    "irritated": ("Écoutez, je n'ai pas beaucoup de temps.",),
    "evasive": ("Je vais voir ce que je peux faire.",),
    "agree": ("C'est d'accord.",),
    "confirm": ("Oui, c'est bien ça.",),
    "goodbye": ("Au revoir.",),
    "hangup": ("Je n'ai plus rien à vous dire. Au revoir.",),
    "gatekeeper": ("Standard, bonjour. C'est à quel sujet ?",),
    "absent": ("{contact} n'est pas là aujourd'hui.",),
    "wrong_person": ("Ah, ce n'est pas moi qui m'occupe de ça.",),
    "voicemail": ("Vous êtes bien sur la messagerie de {contact}. Laissez un message après le bip.",),
    "refuse": ("Je ne peux rien vous promettre.",),
    "asked_amount": ("Il faut que je regarde avec la comptabilité ; je ne peux pas vous donner un montant comme ça.",),
    "asked_date": ("Je ne peux pas vous donner de date précise tout de suite.",),
    "asked_means": ("D'habitude, nous réglons par {means}.",),
    "asked_reason": ("Je dois vérifier où en est le dossier chez nous.",),
    "asked_who": ("C'est moi qui prépare les règlements.",),
}
_SIGNATORY_WHO = ("C'est {signatory} qui valide les paiements.", "Les règlements passent par la signature de {signatory}.")
"""Default answer to « who signs? » when the file names a signatory."""


MEANS_LABELS = {
    "virement": "virement",
    "cheque": "chèque",
    "lcr": "LCR",
    "prelevement": "prélèvement",
    "carte": "carte bancaire",
    "effet": "effet de commerce",
    "especes": "espèces",
}
"""How the debtor says each payment means."""

_PLAN_AGREEMENT = ("C'est d'accord, je note ces échéances.", "Entendu, je m'organise pour tenir ces dates.")


ROLE_LABELS = {
    "signataire": "signataire des paiements",
    "daf": "directeur administratif et financier",
    "dirigeant": "dirigeant",
    "comptable": "comptable",
    "acheteur": "acheteur",
    "assistant": "assistant",
    "commercial": "commercial",
    "juriste": "juriste",
    "autre": "",
}
"""How a third party's role is said when its ``function`` is not given."""


def _signatory(case: Case) -> Any:
    """Who signs payments at the client: a third party that ``signs``, else a DAF or the head."""
    debtor_side = [t for t in case.third_parties if t.side == "debtor"]
    for test in (
        lambda t: t.signs,
        lambda t: t.role in ("signataire", "daf"),
        lambda t: t.role == "dirigeant",
    ):
        found = next((t for t in debtor_side if test(t)), None)
        if found is not None:
            return found
    return None


def _join(items: Sequence[str]) -> str:
    """« A », « A et B », « A, B et C »."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " et " + items[-1]


@functools.lru_cache(maxsize=256)
def case_facts(case: Case, persona: Persona) -> tuple[tuple[str, str], ...]:
    """The placeholders of a call (``{name}`` in persona lines, rubrics, hints and models).

    Sorted (name, value) pairs; an unknown fact is the empty string (a pattern
    citing it then never matches). ``{invoice}`` names every open invoice
    (« F-1 et F-2 »), ``{amount}`` is their total and ``{invoices}`` pairs each
    number with its own amount (« les factures F-1 de 10 200 € et F-2 de
    7 800 €, soit 18 000 € ») — so a model answer never gives one invoice the
    total of several; ``{due}`` is the first invoice's due date,
    ``{seniority}`` « 12 ans » and ``{deadline}`` the objective's last payment date.
    """
    total = sum(Decimal(str(i.amount)) for i in case.invoices)
    currency = case.invoices[0].currency
    first = case.invoices[0]
    contact = case.debtor.contact
    caller = case.creditor.caller
    civility = f"{persona.civility} " if persona.civility else ""
    means = MEANS_LABELS.get(case.objective.means[0] if case.objective.means else "virement", "virement")
    signatory = _signatory(case)
    sales_rep = next((t for t in case.third_parties if t.side == "creditor" and t.role == "commercial"), None)
    down = case.fallback.amount if case.fallback is not None and case.fallback.amount else case.limits.min_down_payment
    since = case.debtor.customer_since
    years = case.call_date.year - since if since is not None else None
    numbers = [i.number for i in case.invoices]
    if len(case.invoices) == 1:
        invoices = f"la facture {first.number} de {money(total, currency)}"
    else:
        each = [f"{i.number} de {money(Decimal(str(i.amount)), currency)}" for i in case.invoices]
        invoices = f"les factures {_join(each)}, soit {money(total, currency)} au total"
    facts = {
        "caller": caller,
        "caller_last": caller.split()[-1] if caller.split() else caller,
        "caller_email": case.creditor.email,
        "caller_phone": case.creditor.phone,
        "creditor": case.creditor.company,
        "contact": f"{civility}{contact.split()[-1]}" if civility else contact,
        "contact_last": contact.split()[-1] if contact.split() else contact,
        "contact_email": case.debtor.email,
        "company": case.debtor.company,
        "invoice": _join(numbers),
        "invoices": invoices,
        "amount": money(total, currency),
        "due": first.due.strftime("%d/%m/%Y"),
        "means": means,
        "date": (case.call_date + dt.timedelta(days=2)).strftime("%d/%m"),
        "deadline": (case.call_date + dt.timedelta(days=case.objective.within_days)).strftime("%d/%m"),
        "down_payment": money(down, currency) if down else "",
        "reason": "la facture est en attente chez vous",
        "service": case.creditor.service,
        "assistant": case.debtor.assistant,
        "available": case.debtor.available or "plutôt demain matin",
        "signatory": signatory.name if signatory is not None else "",
        "signatory_role": (signatory.function or ROLE_LABELS[signatory.role]) if signatory is not None else "",
        "sales_rep": sales_rep.name if sales_rep is not None else "",
        "payment_terms": case.debtor.payment_terms,
        "customer_since": str(since) if since is not None else "",
        "seniority": "" if years is None else ("moins d'un an" if years < 1 else f"{years} an{'s' if years > 1 else ''}"),
    }
    return tuple(sorted(facts.items()))


fill_line = fill
"""Fill a line's ``{placeholders}`` with case facts (see :func:`simulator.scoring.reply.fill`)."""


@functools.lru_cache(maxsize=256)
def model_facts(case: Case, persona: Persona, trainee: str = "") -> Facts:
    """What the learned layer compares a reply with: names, the case's amounts, who answers first."""
    invoices = [Decimal(str(i.amount)) for i in case.invoices]
    amounts = {sum(invoices, Decimal(0)), *invoices}
    for objective in (case.objective, case.fallback):
        if objective is not None and objective.amount:
            amounts.add(Decimal(str(objective.amount)))
    days = max(
        [case.limits.max_delay_days]
        + [o.within_days for o in (case.objective, case.fallback) if o is not None]
    )
    return Facts.from_placeholders(
        dict(case_facts(case, persona)),
        trainee=trainee,
        amounts=tuple(sorted(amounts)),
        invoices=tuple(i.number for i in case.invoices),
        third_party=case.situation in ("switchboard", "voicemail", "absent", "wrong-person"),
        horizon=case.call_date + dt.timedelta(days=days),
        instalments=case.limits.instalments,
        min_down_payment=Decimal(str(case.limits.min_down_payment)),
        waive_penalties=case.limits.waive_penalties,
    )



def money(value: Decimal | float, currency: str) -> str:
    """French display of an amount: ``12 000,50 €``, ``4 800 $`` (``currency``: EUR or CAD).

    Narrow no-break thousands separator, no-break space before the sign, no
    ``,00`` for whole amounts — how the debtor says it and the client file shows it.
    """
    text = f"{value:,.2f}".replace(",", "\u202f").replace(".", ",")
    text = text.removesuffix(",00")
    return f"{text}\u00a0{'€' if currency == 'EUR' else '$'}"


def _default_floor_step(method: Method) -> str:
    for step in method.steps:
        if step.role == "give-floor":
            return step.id
    return method.steps[len(method.steps) // 2].id


def setup_call(case: Case, resolver: Resolver, trainee: str = "") -> CallSetup:
    """Gather what a call needs from the content (persona, method, objections, the scorer's model).

    The model comes from the resolver's ``scorer_file(case)`` when it has one
    (the content library does); a resolver without it scores with the rubric alone.
    """
    persona = resolver.persona(case.persona)
    method = resolver.method_for(case)
    floor = _default_floor_step(method)
    schedule: list[tuple[str, str, tuple[str, ...], int]] = []
    if case.objections is not None:
        by_persona = {po.objection: po for po in persona.objections}
        for oid in case.objections:
            po = by_persona.get(oid)
            schedule.append((oid, (po.at if po and po.at else floor), po.lines if po else (), po.persistence if po else 1))
    else:
        for po in persona.objections:
            schedule.append((po.objection, po.at or floor, po.lines, po.persistence))
    objections = tuple(resolver.objection(oid) for oid in dict.fromkeys(s[0] for s in schedule))
    locate = getattr(resolver, "scorer_file", None)
    located = locate(case) if locate is not None else None
    placeholders = dict(case_facts(case, persona))
    if trainee:
        placeholders["trainee"] = trainee
    return CallSetup(
        case=case,
        persona=persona,
        method=method,
        objections=objections,
        schedule=tuple(schedule),
        placeholders=tuple(sorted(placeholders.items())),
        model=cached_model(*located) if located else None,
        model_facts=model_facts(case, persona, trainee),
        trainee=trainee,
    )


# --------------------------------------------------------------------------- randomness


def _pick(state: CallState, label: str, options: Sequence[str]) -> str:
    """Deterministic choice among variants: SHA-256 of (seed, turn, label)."""
    if not options:
        return ""
    digest = hashlib.sha256(f"{state.seed}:{len(state.turns)}:{label}".encode()).digest()
    return options[int.from_bytes(digest[:8], "big") % len(options)]


def _line(state: CallState, key: str) -> str:
    lines = getattr(state.setup.persona.lines, key, ()) or _DEFAULT_LINES.get(key, ("…",))
    facts = state.setup.facts
    c = state.commitment
    if c is not None:
        # Once a commitment is on the table, the debtor speaks of *that* one.
        first = c.instalments[0]
        facts["amount"] = money(first.amount, c.currency)
        facts["date"] = first.date.strftime("%d/%m")
        if first.means:
            facts["means"] = MEANS_LABELS.get(first.means, first.means)
        if len(c.instalments) >= 2:
            # Several amounts (a plan, a disputed part): the debtor does not restate
            # figures it could pair wrongly; it agrees in general terms.
            plain = tuple(x for x in lines if "{amount}" not in x and "{date}" not in x)
            lines = plain or _PLAN_AGREEMENT
    return fill_line(_pick(state, key, lines), facts)


# --------------------------------------------------------------------------- start


def start(case: Case, seed: int, resolver: Resolver, trainee: str = "") -> tuple[CallState, list[Event]]:
    """Open the call: the phone is answered (by the contact, a switchboard or a voicemail)."""
    setup = setup_call(case, resolver, trainee)
    traits = setup.persona.traits
    state = CallState(
        setup=setup,
        seed=int(seed),
        patience=traits.patience + 1,
        cooperation=traits.cooperation,
        queue=tuple(range(len(setup.schedule))),
        connected=case.situation in ("direct", "mobile"),
    )
    key = {
        "direct": "answer",
        "mobile": "answer",
        "switchboard": "gatekeeper",
        "absent": "absent",
        "wrong-person": "wrong_person",
        "voicemail": "voicemail",
    }[case.situation]
    text = _line(state, key)
    state = replace(state, turns=(Turn("debtor", text, at=0.0, line_key=key),))
    return state, [Event("debtor", text=text)]


# --------------------------------------------------------------------------- advance


def _context(state: CallState, third_party: bool = False) -> Context:
    return Context(
        reference=state.setup.case.call_date,
        placeholders=state.setup.facts,
        debtor_line=state.last_debtor_line,
        earlier=tuple(t.text for t in reversed(state.turns) if t.speaker == "debtor")[1:3],
        objection=state.current_objection,
        identity_confirmed=state.identity_confirmed,
        third_party=third_party,
        model=state.setup.model,
        facts=state.setup.model_facts,
    )


def _step_score(state: CallState, step: Step, text: str, a: Analysis, ctx: Context) -> ReplyScore:
    criteria = (*step.criteria, *state.setup.method.rules)
    return score_reply(
        text, criteria, ctx, analysis=a, model=fill_line(step.model, ctx.placeholders), step=step.id, role=step.role
    )


def _objection_score(state: CallState, objection: Objection, text: str, a: Analysis, ctx: Context) -> ReplyScore:
    """An objection reply: judged as listening (the step under way) or as negotiating, whichever it does best.

    Facing an objection, a trainee may first reformulate and diagnose, or answer
    and ask for a commitment at once; both are right moves.
    """
    criteria = (*objection.criteria, *state.setup.method.rules)
    current = state.current_step
    roles = [current.role if current is not None else None]
    if ctx.model is not None and "negotiate" not in roles:
        roles.append("negotiate")
    scored = [
        score_reply(text, criteria, ctx, analysis=a, model=fill_line(objection.model, ctx.placeholders), objection=objection.id,
                    carried=state.carried, role=role)
        for role in roles
    ]
    return max(scored, key=lambda r: r.score)


def _best(pairs: tuple[tuple[str, int], ...], key: str, value: int) -> tuple[tuple[str, int], ...]:
    out = dict(pairs)
    out[key] = max(out.get(key, 0), value)
    return tuple(out.items())


def advance(state: CallState, reply: str, at: float | None = None) -> tuple[CallState, list[Event]]:
    """The trainee says ``reply``; return the new state and what happened."""
    if state.ended:
        raise CallEnded("l'appel est terminé")
    text = reply if isinstance(reply, str) else str(reply)
    situation = state.setup.case.situation
    a = analyse(text, state.setup.case.call_date)
    state = replace(state, trainee_turns=state.trainee_turns + 1)
    if situation == "voicemail":
        return _voicemail(state, text, a, at)
    if not state.connected and situation == "switchboard":
        return _switchboard(state, text, a, at)
    if situation in ("absent", "wrong-person"):
        return _third_party(state, text, a, at)
    return _conversation(state, text, a, at)


def _finish(state: CallState, outcome: str, events: list[Event]) -> CallState:
    events.append(Event("ended", outcome=outcome))
    return replace(state, outcome=outcome, ended=True)


def _say(state: CallState, key: str, events: list[Event], at: float | None, objection: str | None = None, text: str | None = None) -> CallState:
    line = text if text is not None else _line(state, key)
    events.append(Event("debtor", text=line, objection=objection))
    return replace(state, turns=(*state.turns, Turn("debtor", line, at=at, objection=objection, line_key=key)))


def _fresh_feedback(state: CallState, score: ReplyScore) -> ReplyScore:
    """The same advice is not given twice in a call: the next one that holds, or a pointer back."""
    given = {t.score.feedback for t in state.turns if t.speaker == "trainee" and t.score is not None}
    if score.feedback not in given or score.score >= 70:  # praise may repeat; advice may not
        return score
    for option in feedback_options(score)[1:]:
        if option not in given:
            return replace(score, feedback=option)
    first = next(
        n for n, t in enumerate((t for t in state.turns if t.speaker == "trainee"), 1)
        if t.score is not None and t.score.feedback == score.feedback
    )
    return replace(score, feedback=f"Même remarque qu'à la réplique n° {first}.")


def _record(state: CallState, text: str, at: float | None, score: ReplyScore, steps: tuple[str, ...], objection: str | None, events: list[Event]) -> CallState:
    score = _fresh_feedback(state, score)
    expected = state.current_step.id if state.current_step else None
    events.append(Event("score", score=score.score, step=score.step, objection=score.objection, text=score.feedback))
    for violation in score.violations:
        events.append(Event("violation", text=violation, step=score.step))
    turn = Turn("trainee", text, at=at, score=score, steps=steps, expected=expected, objection=objection)
    return replace(
        state,
        turns=(*state.turns, turn),
        violations=(*state.violations, *score.violations),
    )


def _conversation(state: CallState, text: str, a: Analysis, at: float | None) -> tuple[CallState, list[Event]]:
    events: list[Event] = []
    steps = state.setup.method.steps
    ctx = _context(state)
    # Score the reply against the expected step and the next few.
    candidates: list[tuple[int, ReplyScore]] = []
    for index in range(state.step_index, min(len(steps), state.step_index + LOOKAHEAD + 1)):
        candidates.append((index, _step_score(state, steps[index], text, a, ctx)))
    covered = _covered_run(state.step_index, candidates, [s.role for s in steps])
    objection = state.current_objection
    obj_score = _objection_score(state, objection, text, a, ctx) if objection else None

    if covered:
        furthest = covered[-1][0]
        headline = covered[-1][1]
    else:
        furthest = None
        # Nothing achieved: judge the reply where it does best (a trainee who skips
        # ahead is told about the step they are attempting), ties to the expected step.
        headline = (
            max(candidates, key=lambda c: (c[1].score, -c[0]))[1]
            if candidates
            else score_reply(text, state.setup.method.rules, ctx, analysis=a)
        )
    if obj_score is not None:
        headline = obj_score
    fatal = headline.fatal or any(s.fatal for _i, s in candidates)
    if fatal and not headline.fatal:
        headline = next(s for _i, s in candidates if s.fatal)
    elif not _forbidden_hits(headline):
        # Forbidden behaviour counts wherever it is found (a disclosure checked by
        # a later step still happened now): report the rubric that caught it.
        caught = [s for _i, s in candidates if _forbidden_hits(s)]
        if caught:
            headline = caught[0]

    covered_ids = tuple(steps[i].id for i, _s in covered)
    state = _record(state, text, at, headline, covered_ids, objection.id if objection else None, events)

    # Step bookkeeping: covered steps, skipped steps (order faults), best scores.
    if furthest is not None:
        step_scores = state.step_scores
        new_covered = list(state.covered)
        skipped = list(state.skipped)
        covered_set = {i for i, _s in covered}
        for index in range(state.step_index, furthest + 1):
            step = steps[index]
            if index in covered_set:
                score = dict(candidates)[index].score
                step_scores = _best(step_scores, step.id, score)
                new_covered.append(step.id)
                events.append(Event("step", step=step.id, score=score))
            elif not step.optional:
                skipped.append(step.id)
                events.append(Event("skipped", step=step.id))
        state = replace(
            state,
            step_scores=step_scores,
            covered=tuple(new_covered),
            skipped=tuple(skipped),
            step_index=furthest + 1,
        )

    if fatal:
        state = _say(state, "hangup", events, at)
        return _finish(state, "hangup", events), events

    roles = {steps[i].role for i, _s in covered}
    if "identify" in roles:
        state = replace(state, identity_confirmed=True)
    # The trainee takes leave (the method's closing step, or a plain "au revoir"):
    # the call ends after this reply, whatever is still on the table.
    leaving = "close" in roles or (_FAREWELL.search(a.norm) is not None and state.trainee_turns > 1)
    conceding = lexicon.CONCESSION.search(a.norm) is not None

    # The objection on the table.
    if objection is not None and obj_score is not None:
        passed = {r.id for r in obj_score.criteria if r.passed and r.level != "must-not"}
        state = replace(
            state,
            handled=_best(state.handled, objection.id, obj_score.score),
            carried=state.carried | frozenset(passed),
        )
        # A round of the objection is won when the criteria met so far score ≥ 60
        # and this reply itself engages with the objection (meets one of its own
        # positive criteria): a persistent debtor repeats the objection, and a
        # good collector holds the line ("disque rayé") without starting over.
        own = any(
            r.passed and r.level != "must-not" and "(réplique précédente)" not in r.evidence
            for r in obj_score.criteria
            if r.id in {c.id for c in objection.criteria}
        )
        question = asked(a.norm, a.text) if not leaving else None
        proposes = any(not d.vague and d.value >= state.setup.case.call_date for d in a.entities.dates) and bool(
            a.entities.amounts or a.entities.payment_means
        )
        if question is not None and obj_score.score >= 40 and not proposes:
            # A diagnostic question alone ("Quel montant pouvez-vous régler ?") is part
            # of handling the objection, not its end: the debtor answers in the
            # objection's terms and the objection stays on the table.
            return _answer_asked(state, question, events, at), events
        if obj_score.score >= 60 and own:
            progress = state.progress + 1
            needed = state.setup.schedule[state.current][3] + (1 if state.cooperation <= 1 else 0)  # type: ignore[index]
            if progress >= needed:
                events.append(Event("objection-handled", objection=objection.id, score=obj_score.score))
                state = replace(state, current=None, progress=0, carried=frozenset())
            else:
                state = replace(state, progress=progress)
                if not leaving:
                    return _raise_again(state, objection, events, at), events
        else:
            if conceding and not leaving:
                # Giving in pleases the debtor: no irritation; the second time, the
                # debtor takes the delay offered and closes the call.
                state = replace(state, concessions=state.concessions + 1)
                if state.concessions >= 2:
                    state = _say(state, "goodbye", events, at)
                    return _finish(state, _final_outcome(state), events), events
                return _say(state, "acknowledge", events, at), events
            if obj_score.score < 40 or not own:
                # A poor reply irritates; so does one that ignores what the debtor just said.
                state = replace(state, irritation=state.irritation + 1)
            if state.irritation > state.patience:
                state = _say(state, "refuse", events, at)
                return _finish(state, "refusal", events), events
            if not leaving:
                if obj_score.score >= 40 and a.text.rstrip().endswith("?"):
                    # A fair question gets an answer, not the objection again.
                    return _say(state, "explain", events, at), events
                return _raise_again(state, objection, events, at, harden=obj_score.score < 40), events
    elif conceding and not leaving:
        state = replace(state, concessions=state.concessions + 1)
        if state.concessions >= 2:
            state = _say(state, "goodbye", events, at)
            return _finish(state, _final_outcome(state), events), events
    elif headline.score < 40 and not covered:
        state = replace(state, irritation=state.irritation + 1)
        if state.irritation > state.patience:
            state = _say(state, "hangup", events, at)
            return _finish(state, "hangup", events), events

    # New objections due at a step now reached.
    reached = {s.id for s in steps[: state.step_index]}
    if leaving and ("close" not in roles or state.current is not None):
        state = _say(state, "goodbye", events, at)
        return _finish(state, _final_outcome(state), events), events
    if state.current is None and not leaving:
        for index in state.queue:
            oid, at_step, _lines, _persistence = state.setup.schedule[index]
            if at_step in reached:
                return _raise(state, index, events, at), events

    if state.trainee_turns >= MAX_TURNS:
        state = _say(state, "goodbye", events, at)
        return _finish(state, _final_outcome(state), events), events

    # Commitment.
    negotiating = "negotiate" in roles or any(
        s.role == "negotiate" and s.id in state.covered for s in steps
    )
    if negotiating and state.current is None and not _objection_due(state):
        commitment = _commitment(state, a)
        if commitment is not None and (state.commitment is None or commitment.rank >= state.commitment.rank):
            state = replace(state, commitment=commitment)
            events.append(Event("commitment", text=describe_commitment(commitment)))
            if "close" not in roles and "recap" not in roles:
                state = _say(state, "agree", events, at)
                return state, events
    if "recap" in roles and state.commitment is not None:
        state = replace(state, recapped=True)
        if "close" not in roles:
            state = _say(state, "confirm", events, at)
            return state, events
    if "close" in roles:
        state = _say(state, "goodbye", events, at)
        return _finish(state, _final_outcome(state), events), events

    question = asked(a.norm, a.text) if headline.score >= 40 else None
    if question is not None and ("negotiate" in roles or not covered or "capture" in roles):
        return _answer_asked(state, question, events, at), events
    key = _reaction(state, roles, headline, covered)
    state = _say(state, key, events, at)
    return state, events


JUMP_SCORE = 70
"""A reply covers a step beyond a gap (skipping steps) only with at least this score."""


def _covered_run(
    first: int, candidates: list[tuple[int, ReplyScore]], roles: Sequence[str | None] = ()
) -> list[tuple[int, ReplyScore]]:
    """Steps a reply covers: a contiguous run from the expected step, plus one clear jump.

    Weak cues far ahead (an open question while introducing oneself) must not
    make the call jump steps; a reply that clearly does a later step's job does
    (and the steps in between are recorded as skipped).
    """
    run: list[tuple[int, ReplyScore]] = []
    expected = first
    for index, score in candidates:
        # The learned grade vouches only for the step under way, and only for the steps that
        # move the conversation on (not negotiate, recap or close, which commit or end the
        # call): further steps need their own cues.
        role = roles[index] if index < len(roles) else None
        if index == expected and (score.covered or (index == first and role in LEARNED_ROLES and _covers(score))):
            run.append((index, score))
            expected += 1
    # Whether a reply does a later step's job is read on the rubric's evidence (the step's
    # own cues), not on the learned grade: a good reply is not a reason to skip steps.
    jumps = [(i, s) for i, s in candidates if i > expected and s.covered and _rubric(s) >= JUMP_SCORE]
    if jumps:
        run.append(jumps[-1])
    return run


LEARNED_COVER = 70
"""A reply the learned layer grades good (and free of faults) does the step it is said at."""
LEARNED_ROLES = frozenset({"introduce", "identify", "listen", "state", "give-floor", "capture"})
"""Steps the learned grade alone may mark as done."""


def _covers(score: ReplyScore) -> bool:
    """The reply does the step under way: the rubric's evidence says so, or the learned grade does.

    « Elle en est où, dans votre circuit ? » is an open question whatever the
    rubric's patterns say: a step graded good is not recorded as skipped.
    """
    if score.covered:
        return True
    return score.learned and score.score >= LEARNED_COVER and not (score.fatal or score.stuffing or score.faults)


def _rubric(score: ReplyScore) -> int:
    return score.rubric_score if score.rubric_score is not None else score.score


def _forbidden_hits(score: ReplyScore) -> list[str]:
    return [r.id for r in score.criteria if r.kind == "forbidden" and not r.passed]


def _objection_due(state: CallState) -> bool:
    """True when an objection scheduled at a reached step has not been raised yet."""
    reached = {s.id for s in state.setup.method.steps[: state.step_index]}
    return any(state.setup.schedule[i][1] in reached for i in state.queue)


def _reaction(state: CallState, roles: set[Any], headline: ReplyScore, covered: list[Any]) -> str:
    if not covered:
        if headline.score < 40:
            return "irritated" if state.irritation >= max(1, state.patience - 1) else "confused"
        return "evasive"
    if "negotiate" in roles:
        return "evasive"
    if "give-floor" in roles or "state" in roles:
        return "explain"
    if "listen" in roles:
        return "availability"
    if "identify" in roles:
        return "identity"
    return "acknowledge"


def _raise(state: CallState, index: int, events: list[Event], at: float | None) -> CallState:
    oid, _step, lines, _p = state.setup.schedule[index]
    objection = state.setup.objection(oid)
    options = lines or objection.phrasings
    text = fill_line(_pick(state, f"objection:{oid}", options), state.setup.facts)
    state = replace(state, current=index, progress=0, queue=tuple(i for i in state.queue if i != index))
    events.append(Event("objection", objection=oid, text=objection.title))
    return _say(state, "objection", events, at, objection=oid, text=text)


def _raise_again(state: CallState, objection: Objection, events: list[Event], at: float | None, harden: bool = False) -> CallState:
    if harden:
        key = "irritated" if state.irritation >= state.patience else "evasive"
        prefix = _line(state, key)
    else:
        prefix = ""
    index = state.current
    lines = state.setup.schedule[index][2] if index is not None else ()
    options = lines or objection.phrasings
    said = [t.text for t in state.turns if t.speaker == "debtor" and t.objection == objection.id]
    last = said[-1] if said else state.last_debtor_line
    others = [o for o in options if fill_line(o, state.setup.facts) not in last] or list(options)
    text = fill_line(_pick(state, f"again:{objection.id}", others), state.setup.facts)
    full = f"{prefix} {text}".strip() if prefix and prefix not in text else text
    return _say(state, "objection", events, at, objection=objection.id, text=full)


_SENTENCE_END = re.compile(r"[.!?;](?=\s|$)")
_ASKED = (
    ("who", re.compile(r"\bqui (est[- ]ce qui )?(valide|signe|autorise|decide|s'occupe|gere|lance|peut (valider|signer))")),
    ("amount", re.compile(r"\b(quel montant|combien (pouvez|pourriez|allez|pourrez|comptez)|quelle somme|quelle part)\b")),
    ("means", re.compile(r"\b(quel (moyen|mode)|par quel|comment (allez|comptez|pouvez|pourriez)[- ]vous (regler|payer|proceder))\b")),
    ("date", re.compile(r"\b(quand|quelle date|quel jour|a quelle echeance|d'ici quand|sous quel delai|dans quel delai)\b")),
    ("reason", re.compile(r"\b(pourquoi|pour quelle raison|qu'?\s?est[- ]ce qui (bloque|coince|vous empeche|empeche|se passe)|quel est le (probleme|blocage))\b")),
)
"""Diagnostic questions the debtor answers with an ``asked_*`` line, by priority."""


def asked(norm: str, text: str) -> str | None:
    """The diagnostic question a reply asks (``amount``, ``date``…), if it is a question."""
    if "?" not in text:
        return None
    for kind, pattern in _ASKED:
        if pattern.search(norm):
            return kind
    return None


def _answer_asked(state: CallState, kind: str, events: list[Event], at: float | None) -> CallState:
    """Answer a diagnostic question: the objection's own answer, else the persona's line."""
    index = state.current
    if index is not None:
        oid = state.setup.schedule[index][0]
        po = next((p for p in state.setup.persona.objections if p.objection == oid), None)
        own = getattr(po.asked, kind) if po is not None else ()
        if own:
            text = fill_line(_pick(state, f"asked:{oid}:{kind}", own), state.setup.facts)
            return _say(state, f"asked_{kind}", events, at, objection=oid, text=text)
    key = f"asked_{kind}"
    if kind == "who" and not getattr(state.setup.persona.lines, key) and state.setup.facts.get("signatory"):
        text = fill_line(_pick(state, key, _SIGNATORY_WHO), state.setup.facts)
        return _say(state, key, events, at, text=text)
    return _say(state, key, events, at)


_FAREWELL = re.compile(r"\b(au revoir|bonne (journee|soiree|fin de journee|apres midi)|a bientot)\b")
_HOUR = re.compile(r"\b([01]?\d|2[0-3]) ?(h|heures?)( ?[0-5]\d)?\b")


def _payments(state: CallState, a: Analysis) -> tuple[list[tuple[Decimal, dt.date]], str | None]:
    """The (amount, date) payments a reply states, and its payment means.

    Entities are paired by their position in the reply: each future date takes
    the nearest amount *of its sentence* (any amount if its sentence has none),
    and the means is the one nearest to a paired amount, so « opposition sur ce
    chèque … réglez 8 048 $ par virement vendredi » is a transfer on Friday,
    « dossier qualité aujourd'hui » is not a payment date, and in « l'avoir de
    2 640 € suivra le constat de jeudi. Les 6 360 € non contestés partent par
    virement lundi 23 » the payment is 6 360 € on Monday, not on Thursday.
    A pair is kept when the amount is close to the date (60 characters), or
    when both sit in a sentence that names a payment means.
    """
    e = a.entities
    call_date = state.setup.case.call_date
    dates = [d for d in e.dates if not d.vague and d.value >= call_date]
    means_at = payment_means_positions(a.text)
    if not (e.amounts and dates and means_at):
        return [], None
    ends = [m.end() for m in _SENTENCE_END.finditer(a.text)]

    def sentence(position: float) -> int:
        return bisect.bisect_right(ends, position)

    def centre(span: tuple[int, int]) -> float:
        return (span[0] + span[1]) / 2

    def near_means(position: float) -> float:
        return min(abs(m - position) for m, _c in means_at)

    paying = {sentence(m) for m, _c in means_at}
    pairs: list[tuple[float, Decimal, dt.date, float]] = []
    kept: list[bool] = []
    for d in dates:
        here = sentence(centre(d.span))
        pool = [x for x in e.amounts if sentence(centre(x.span)) == here] or list(e.amounts)
        amount = min(pool, key=lambda x: abs(centre(x.span) - centre(d.span)))
        gap = abs(centre(amount.span) - centre(d.span))
        pairs.append((gap, amount.value, d.value, centre(amount.span)))
        kept.append(gap <= 60 or (here in paying and sentence(centre(amount.span)) == here))
    close = [p for p, keep in zip(pairs, kept, strict=True) if keep]
    if not close:
        close = [min(pairs, key=lambda p: p[0] + near_means(p[3]))]
    # Keep the pairs that sit near a payment means (a plan names it once).
    anchored = sorted(close, key=lambda p: near_means(p[3]))
    best_distance = near_means(anchored[0][3])
    chosen = [p for p in close if near_means(p[3]) <= max(best_distance, 1) + 120]
    by_date: dict[dt.date, Decimal] = {}
    used: set[float] = set()
    for _gap, amount, day, position in sorted(chosen, key=lambda p: p[0]):
        # Each amount pays on one date (the nearest): a recap that says "validated
        # by Friday, then 21 600 € on 1 December" is one payment, not two.
        if position in used or day in by_date:
            continue
        used.add(position)
        by_date[day] = amount
    anchor = anchored[0][3]
    means = min(means_at, key=lambda m: abs(m[0] - anchor))[1]
    return [(amount, day) for day, amount in sorted(by_date.items())], means


def _commitment(state: CallState, a: Analysis) -> Commitment | None:
    """The commitment stated in the reply, checked against the case's objectives.

    A commitment needs an amount, a calendar date (not in the past) and a
    payment means. It meets the objective when the whole amount is paid by the
    objective's deadline; or, failing that, when it meets the fallback objective
    (down payment by its deadline) within the negotiation limits (number of
    instalments, last payment date).
    """
    payments, means = _payments(state, a)
    if not payments or means is None:
        return None
    case = state.setup.case
    total = sum(Decimal(str(i.amount)) for i in case.invoices)
    instalments = len(payments) >= 2
    amounts = [amount for amount, _d in payments]
    dates = [day for _a, day in payments]
    paid = sum(amounts) if instalments else amounts[0]

    def means_ok(objective: Any) -> bool:
        return not objective.means or means in objective.means

    objective = case.objective
    wanted = Decimal(str(objective.amount)) if objective.amount is not None else total
    primary = (
        paid >= wanted * Decimal("0.99")
        and dates[-1] <= case.call_date + dt.timedelta(days=objective.within_days)
        and means_ok(objective)
    )
    fallback = False
    if case.fallback is not None:
        fb = case.fallback
        limits = case.limits
        down = Decimal(str(fb.amount)) if fb.amount is not None else Decimal(str(limits.min_down_payment))
        fallback = (
            amounts[0] >= down * Decimal("0.99")
            and dates[0] <= case.call_date + dt.timedelta(days=fb.within_days)
            and means_ok(fb)
        )
        if instalments:
            fallback = fallback and (
                len(payments) <= max(1, limits.instalments)
                and dates[-1] <= case.call_date + dt.timedelta(days=max(fb.within_days, limits.max_delay_days))
            )
    names = a.person_names
    who = names[0] if names else None
    return Commitment(
        instalments=tuple(Instalment(amount, day, means, who) for amount, day in payments),
        met="objective" if primary else "fallback" if fallback else None,
        currency=case.invoices[0].currency,
    )


def describe_commitment(c: Commitment) -> str:
    """« 7 200 € par virement le 28/11/2026, puis 7 200 € le 15/12/2026 (objectif de repli atteint) »."""
    parts = []
    for n, i in enumerate(c.instalments):
        text = money(i.amount, c.currency)
        if i.means and (n == 0 or i.means != c.instalments[n - 1].means):
            text += f" par {MEANS_LABELS.get(i.means, i.means)}"
        text += f" le {i.date.strftime('%d/%m/%Y')}"
        parts.append(text)
    met = {"objective": "objectif atteint", "fallback": "objectif de repli atteint"}.get(c.met or "", "en deçà de l'objectif")
    return ", puis ".join(parts) + f" ({met})"


def _final_outcome(state: CallState) -> str:
    c = state.commitment
    if c is not None:
        handled = {oid for oid, _s in state.handled}
        if any(o.category == "litige" for o in state.setup.objections if o.id in handled):
            return "dispute"
        if len(c.instalments) >= 2:
            return "instalments"
        return "commitment"
    if state.callback:
        return "callback"
    return "no-commitment"


# --------------------------------------------------------------------------- situations


def _built_in(kind: str, **kwargs: Any) -> Any:
    factory = {"pattern": PatternCriterion, "entity": EntityCriterion, "forbidden": ForbiddenCriterion, "style": StyleCriterion}[kind]
    return factory(**kwargs)


_VOICEMAIL_RUBRIC = (
    _built_in("pattern", id="vm-nom", label="Donne son nom", level="must", points=3, patterns=("{caller_last}",),
              feedback="Donnez votre prénom et votre nom."),
    _built_in("pattern", id="vm-societe", label="Cite sa société", level="must", points=3, patterns=("{creditor}",),
              feedback="Citez votre société."),
    _built_in("entity", id="vm-telephone", label="Laisse un numéro de rappel", level="must", points=3, entities=("phone",),
              feedback="Laissez un numéro où vous rappeler."),
    _built_in("pattern", id="vm-rappel", label="Demande un rappel", level="should", points=2,
              patterns=(r"rappel", r"recontact", r"joindre"), feedback="Demandez explicitement d'être rappelé."),
    _built_in("forbidden", id="vm-discretion", label="Aucun détail de la dette sur une messagerie", level="must-not",
              points=6, categories=("disclosure",), feedback="Sur une messagerie, ni montant, ni facture, ni mot « impayé »."),
)


def _voicemail(state: CallState, text: str, a: Analysis, at: float | None) -> tuple[CallState, list[Event]]:
    events: list[Event] = []
    ctx = _context(state, third_party=True)
    score = score_reply(text, (*_VOICEMAIL_RUBRIC, *state.setup.method.rules), ctx, analysis=a, step="messagerie", role="introduce",
                        model="Bonjour {contact}, {caller}, société {creditor}. Merci de me rappeler au … — je répète : … Bonne journée.")
    phones = a.entities.phone_numbers
    said_twice = any(normalize(text).replace(" ", "").count(p[-8:]) >= 2 for p in phones) or len(phones) >= 2 and len(set(phones)) < len(phones)
    if phones and not said_twice:
        score = replace(score, score=min(score.score, 75), feedback=score.feedback if score.score < 75 else "Répétez le numéro une seconde fois, lentement.")
    state = _record(state, text, at, score, ("messagerie",), None, events)
    state = replace(state, step_scores=_best(state.step_scores, "messagerie", score.score))
    return _finish(state, "voicemail", events), events


def _switchboard(state: CallState, text: str, a: Analysis, at: float | None) -> tuple[CallState, list[Event]]:
    """A switchboard filters the call: ask for the contact, say nothing of the debt."""
    events: list[Event] = []
    steps = state.setup.method.steps
    ctx = _context(state, third_party=True)
    candidates = [(i, _step_score(state, steps[i], text, a, ctx)) for i in range(state.step_index, min(len(steps), state.step_index + 2))]
    identify = [(i, s) for i, s in candidates if steps[i].role == "identify" and s.covered]
    headline = identify[0][1] if identify else candidates[-1][1]
    fatal = any(s.fatal for _i, s in candidates)
    disclosed = any(_forbidden_hits(s) for _i, s in candidates)
    state = _record(state, text, at, headline, tuple(steps[i].id for i, s in candidates if s.covered), None, events)
    if fatal:
        state = _say(state, "hangup", events, at)
        return _finish(state, "hangup", events), events
    if identify and not disclosed:
        covered = tuple(steps[i].id for i, s in candidates if s.covered)
        scores = state.step_scores
        for i, s in candidates:
            if s.covered:
                scores = _best(scores, steps[i].id, s.score)
        state = replace(state, connected=True, identity_confirmed=True, covered=(*state.covered, *covered),
                        step_scores=scores, step_index=identify[0][0] + 1)
        events.append(Event("transferred"))
        state = _say(state, "identity", events, at)
        return state, events
    if _FAREWELL.search(a.norm):
        state = _say(state, "goodbye", events, at)
        return _finish(state, "no-commitment", events), events
    state = replace(state, irritation=state.irritation + 1)
    if state.irritation > state.patience:
        state = _say(state, "hangup", events, at)
        return _finish(state, "hangup", events), events
    state = _say(state, "gatekeeper", events, at)
    return state, events


_THIRD_PARTY_SELF = {
    "absent": "Je suis une collègue, je réponds sur sa ligne en son absence.",
    "wrong-person": "Ce n'est pas mon service.",
}
"""Who answers, when the case names no one (``debtor.assistant``): on the contact's own
line it is a colleague, not a switchboard."""


def _third_party(state: CallState, text: str, a: Analysis, at: float | None) -> tuple[CallState, list[Event]]:
    """Absent contact or wrong person: get a name and a callback time, disclose nothing.

    The third party answers what is asked: who they are (``debtor.assistant``),
    who handles payments and when to reach the contact (``debtor.available``).
    The call ends when the trainee takes leave.
    """
    events: list[Event] = []
    ctx = _context(state, third_party=True)
    rubric = (
        _built_in("pattern", id="tp-qui", label="Demande le bon interlocuteur ou son nom", level="must", points=4,
                  patterns=(r"\bqui\b", r"\bnom\b", r"personne (qui|en charge)", r"{contact_last}", r"\bservice\b",
                            r"\bcomptabilite\b"),
                  feedback="Demandez le nom de la bonne personne (ou de votre interlocuteur)."),
        _built_in("pattern", id="tp-quand", label="Obtient un moment de rappel", level="must", points=4,
                  patterns=(r"\b(quand|quel moment|a quelle heure|quel jour|rappel\w*|joindre|disponible|recontact\w*)\b",),
                  feedback="Demandez quand rappeler, ou fixez un créneau précis."),
        _built_in("forbidden", id="tp-discretion", label="Aucun détail de la dette à un tiers", level="must-not",
                  points=8, categories=("disclosure",), feedback="Ne donnez ni montant ni facture à un tiers."),
    )
    score = score_reply(text, (*rubric, *state.setup.method.rules), ctx, analysis=a, step="tiers", role="identify",
                        model="Qui s'occupe du règlement des fournisseurs, et à quel moment puis-je le joindre aujourd'hui ?")
    if state.callback and _FAREWELL.search(a.norm) and not score.violations and not score.fatal and score.score < 85:
        # Taking leave once the call-back is agreed is how this call should end, not a missing question.
        score = replace(score, score=85, feedback="Bonne réplique : le rappel est convenu, vous prenez congé.")
    state = _record(state, text, at, score, ("tiers",) if score.covered else (), None, events)
    state = replace(state, step_scores=_best(state.step_scores, "tiers", score.score))
    if score.fatal:
        state = _say(state, "hangup", events, at)
        return _finish(state, "hangup", events), events
    call_date = state.setup.case.call_date
    future = any(not d.vague and d.value >= call_date for d in a.entities.dates)
    has_time = future or bool(_HOUR.search(a.norm))
    asked = {r.id for r in score.criteria if r.passed and r.level != "must-not"}
    if score.covered or (has_time and "tp-discretion" not in score.violations):
        state = replace(state, callback=True)
    if _FAREWELL.search(a.norm):
        state = _say(state, "goodbye", events, at)
        return _finish(state, "callback" if state.callback else "no-commitment", events), events
    if state.trainee_turns >= 6:
        state = _say(state, "goodbye", events, at)
        return _finish(state, "callback" if state.callback else "no-commitment", events), events
    facts = state.setup.facts
    said = " ".join(t.text for t in state.turns if t.speaker == "debtor")
    handler = f"C'est {facts['contact']} qui s'occupe des règlements."
    availability = f"Vous pouvez rappeler {facts['available']}."
    parts = []
    if "tp-qui" in asked and handler not in said:  # who answers and who pays: said once, not at every reply
        who = facts.get("assistant")
        parts.append(f"Ici {who}." if who else _THIRD_PARTY_SELF[state.setup.case.situation])
        parts.append(handler)
        if facts.get("signatory"):
            parts.append(f"Les paiements sont signés par {facts['signatory']}.")
    answered = ("tp-quand" in asked or has_time) and "?" in text and availability not in said
    if answered:
        parts.append(availability)  # a question about when gets the answer, even with a time proposed
    elif has_time:
        parts.append("C'est noté, je lui transmets.")
    elif "tp-quand" in asked and not parts:
        parts.append(availability)
    if parts:
        return _say(state, "acknowledge", events, at, text=" ".join(parts)), events
    return _say(state, "acknowledge" if score.score >= 40 else "confused", events, at), events
