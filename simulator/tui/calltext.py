"""What a call shows, as Rich text: who you are, the client file, scored replies, why a score.

Pure builders (no Textual): the call screen, the debrief, the drills and a trainer's
playtest panel share them, so a reply, its evidence and its model answer read the same
everywhere. Author and trainee text is always literal (never markup).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from rich.text import Text

from simulator.dialogue.engine import money
from simulator.dialogue.trainee import caller_name
from simulator.scoring.normalize import fold
from simulator.scoring.reply import fill
from simulator.tui.base import literal, number, score_style, short_date, tie_amounts
from simulator.tui.i18n import language, said_by, t

if TYPE_CHECKING:
    import datetime as dt

    from simulator.dialogue.engine import CallSetup, CallState, Turn
    from simulator.dialogue.scorecard import Scorecard
    from simulator.model import Case
    from simulator.scoring.reply import ReplyScore

__all__ = [
    "call_day",
    "client_file",
    "evidence_words",
    "identity",
    "model_answer",
    "overall_reasons",
    "reply_lines",
    "situation_goal",
]

_WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")

ONE_STEP = {"voicemail": "messagerie", "absent": "tiers", "wrong-person": "tiers"}
"""Situations scored as one step (not the method's steps): situation → step id."""

_SITUATION_MODELS = {
    "messagerie": (
        "Bonjour {contact}, {caller}, {service} de {creditor}. Merci de me rappeler au {phone} — "
        "je répète : {phone}. Bonne journée."
    ),
    "tiers": "Qui s'occupe du règlement des fournisseurs, et à quel moment puis-je le joindre aujourd'hui ?",
}
"""Model answers of the one-step situations, with the caller's number written out."""


def call_day(day: dt.date) -> str:
    """« mardi 17/11/2026 » (French) or « Tuesday 17 Nov 2026 »."""
    if language() == "fr":
        return f"{_WEEKDAYS[day.weekday()]} {short_date(day)}"
    return f"{day.strftime('%A')} {short_date(day)}"


def identity(case: Case, trainee: str) -> Text:
    """Two lines at the top of the call: who you are (and your call-back number), when, whom you call."""
    creditor = case.creditor
    out = Text()
    out.append(f"{t('call.you_are')} ", style="bold")
    out.append(caller_name(case, trainee), style="bold cyan")
    out.append(f" ({creditor.company}, {creditor.service})")
    if creditor.phone:  # a phone number never breaks across lines
        out.append(f" · {t('call.callback')} {creditor.phone.replace(' ', chr(0xA0))}")
    out.append("\n")
    out.append(t("call.when", day=call_day(case.call_date), time=case.call_time), style="bold")
    role = f" ({case.debtor.contact_role})" if case.debtor.contact_role else ""
    out.append(f" · {t('call.calling')} ")
    # Whom and which company first: on a narrow screen the role is what gets cut.
    out.append(f"{case.debtor.contact}, {case.debtor.company}{role}", style="magenta")
    return out


def _limits(case: Case) -> list[str]:
    limits = case.limits
    currency = case.invoices[0].currency
    lines = []
    if limits.instalments:
        lines.append(t("call.limit.instalments", n=limits.instalments))
    else:
        lines.append(t("call.limit.no_instalments"))
    if limits.min_down_payment:
        lines.append(t("call.limit.down", amount=money(limits.min_down_payment, currency)))
    if limits.max_delay_days:
        lines.append(t("call.limit.delay", n=limits.max_delay_days))
    lines.append(t("call.limit.penalties_yes") if limits.waive_penalties else t("call.limit.penalties_no"))
    return lines


def client_file(case: Case) -> Text:
    """The client file, what to obtain first (objective, fallback, limits), then the facts."""
    out = Text()

    def section(title: str) -> None:
        out.append(f"\n{title}\n", style="bold")

    out.append(case.title + "\n", style="bold")
    out.append(t("call.situation", situation=t(f"situation.{case.situation}")) + "\n", style="italic")
    section(t("call.objective"))
    out.append(tie_amounts(case.objective.text.strip()) + "\n", style="green")
    if case.fallback is not None:
        section(t("call.fallback"))
        out.append(tie_amounts(case.fallback.text.strip()) + "\n", style="yellow")
    section(t("call.limits"))
    for line in _limits(case):
        out.append(f"• {line}\n")
    if case.briefing:
        section(t("call.briefing"))
        out.append(tie_amounts(case.briefing.strip()) + "\n")
    section(t("call.invoices"))
    total = 0.0
    for invoice in case.invoices:
        total += invoice.amount
        out.append(
            t(
                "call.invoice_line",
                number=invoice.number,
                amount=money(invoice.amount, invoice.currency),
                due=short_date(invoice.due),
            )
            + "\n"
        )
    out.append(t("call.total", amount=money(total, case.invoices[0].currency)) + "\n", style="bold")
    section(t("call.contact"))
    role = f" — {case.debtor.contact_role}" if case.debtor.contact_role else ""
    out.append(f"{case.debtor.contact}{role}\n")
    out.append(f"{case.debtor.company}\n")
    if case.debtor.phone:
        out.append(f"{case.debtor.phone}\n")
    if case.debtor.email:
        out.append(f"{case.debtor.email}\n")
    if case.debtor.payment_terms:
        out.append(t("call.terms", terms=case.debtor.payment_terms) + "\n")
    if case.debtor.customer_since:
        out.append(t("call.since", year=case.debtor.customer_since) + "\n")
    if case.third_parties:
        section(t("call.third_parties"))
        for party in case.third_parties:
            side = t("call.our_side" if party.side == "creditor" else "call.their_side")
            what = party.function or party.role
            out.append(f"{party.name} — {what} ({side})\n")
    if case.creditor.email:
        out.append(t("call.your_email", email=case.creditor.email) + "\n")
    if case.history:
        section(t("call.history"))
        for entry in case.history:
            out.append(f"{short_date(entry.date)} · {tie_amounts(' '.join(entry.note.split()))}\n")
    return out


def situation_goal(state: CallState) -> Text | None:
    """For a voicemail or a third party, the one thing to do (the method's steps do not apply)."""
    step = ONE_STEP.get(state.setup.case.situation)
    if step is None:
        return None
    done = dict(state.step_scores).get(step)
    line = Text(f"{t('call.goal')} ", style="bold")
    line.append(t(f"call.goal.{step}"))
    if done is not None:
        line.append(f"  {done}/100", style=score_style(done))
    return line


def _display_facts(setup: CallSetup) -> dict[str, str]:
    """The case facts for showing a model answer: every invoice named, the caller's number."""
    facts = dict(setup.facts)
    case = setup.case
    numbers = [invoice.number for invoice in case.invoices]
    if len(numbers) > 1:
        facts["invoice"] = ", ".join(numbers[:-1]) + f" {t('words.and')} " + numbers[-1]
    facts["phone"] = case.creditor.phone or t("call.your_number")
    facts.setdefault("service", case.creditor.service)
    return facts


def model_answer(setup: CallSetup, score: ReplyScore) -> str:
    """The model answer of a scored reply, filled with facts that agree with the client file.

    With several invoices the answer names them all (« les factures A et B de 18 000 € »),
    never the first one beside the total; a voicemail model gives the caller's number.
    """
    template = ""
    if score.objection:
        template = next((o.model for o in setup.objections if o.id == score.objection), "") or ""
    elif score.step in _SITUATION_MODELS:
        template = _SITUATION_MODELS[score.step]
    elif score.step:
        template = next((s.model for s in setup.method.steps if s.id == score.step), "") or ""
    if not template:
        return (score.model or "").strip()
    if len(setup.case.invoices) > 1:
        template = re.sub(r"\b[Ll]a facture \{invoice\}", "les factures {invoice}", template)
        template = re.sub(r"\bréférence \{invoice\}", "références {invoice}", template)
    facts = _display_facts(setup)
    text = fill(template.strip(), facts)
    return re.sub(r"\{(phone|service)\}", lambda m: facts[m.group(1)], text)


def evidence_words(reply: str, evidence: Iterable[str]) -> list[tuple[int, int]]:
    """Where the scorer's evidence sits in the reply as typed: (start, end) spans.

    The scorer reports folded words (« qu est ce qui vous empeche »); the trainee
    must see their own (« qu'est-ce qui vous empêche »).
    """
    folded = fold(reply)
    spans: list[tuple[int, int]] = []
    for item in evidence:
        needle = item.split(" (")[0].strip().lower()
        words = re.findall(r"[0-9a-z?]+", fold(needle))
        if not words or len("".join(words)) < 2:
            continue
        pattern = r"[^0-9a-z]+".join(re.escape(w) for w in words)
        found = re.search(rf"(?<![0-9a-z]){pattern}", folded)
        if found:
            spans.append(found.span())
    return spans


def _quote(reply: str, evidence: Iterable[str]) -> str:
    """The trainee's own words behind the evidence (the scorer's words when not found)."""
    parts = []
    for item in evidence:
        spans = evidence_words(reply, [item])
        if spans:
            start, end = spans[0]
            parts.append(reply[start:end])
        elif "(réplique précédente)" in item:
            parts.append(t("debrief.previous_reply"))
        else:
            parts.append(item)
    return " ; ".join(dict.fromkeys(parts))


def reply_lines(setup: CallSetup, turn: Turn) -> list[Text]:
    """A scored reply: the reply with its evidence lit, the score, each criterion, advice, model."""
    score = turn.score
    assert score is not None
    head = Text(said_by(t("call.you")), style="bold cyan")
    offset = len(head.plain)
    head.append_text(literal(turn.text))  # control characters made visible, same length: spans still fit
    good = [e for c in score.criteria if c.passed and c.level != "must-not" for e in c.evidence]
    bad = [e for c in score.criteria if not c.passed and c.level == "must-not" for e in c.evidence]
    for start, end in evidence_words(turn.text, good):
        head.stylize("bold green", offset + start, offset + end)
    for start, end in evidence_words(turn.text, bad):
        head.stylize("bold red underline", offset + start, offset + end)
    titles = {s.id: s.title for s in setup.method.steps}
    titles.update({o.id: o.title for o in setup.objections})
    titles.update({"messagerie": t("step.title.messagerie"), "tiers": t("step.title.tiers")})
    where = titles.get(score.objection or score.step or "", score.objection or score.step or "")
    lines = [head, Text(f"   {score.score}/100 · {where}", style=score_style(score.score))]
    for c in score.criteria:
        if c.level == "must-not" and c.passed:
            continue
        ok = c.passed and c.level != "must-not"
        line = Text(f"   {'✓' if ok else '✗'} {c.label}", style="green" if ok else "red")
        if c.evidence:
            line.append_text(literal("  " + t("debrief.evidence", text=_quote(turn.text, c.evidence)), style="dim"))
        lines.append(line)
    for cue, words in score.faults:  # faults named in words, with the trainee's own words
        lines.append(literal(f"   ✗ {_cue_label(cue)} « {words} »", style="red"))
    if score.feedback:
        lines.append(Text("   " + t("debrief.feedback", text=score.feedback), style="yellow"))
    model = model_answer(setup, score)
    if model:
        lines.append(Text("   " + t("debrief.model", text=model), style="italic"))
    return lines


def _cue_label(cue: str) -> str:
    try:
        from simulator.scoring import cues  # type: ignore[attr-defined]

        return str(getattr(cues, "LABELS", {}).get(cue, cue.replace("-", " ")))
    except ImportError:
        return cue.replace("-", " ")


def overall_reasons(card: Scorecard) -> list[str]:
    """Why the call got its overall score: the scorecard's explanations, one line per point lost."""
    lines = []
    for e in card.explanations:
        points = number(e.points, 1)
        if e.kind == "step":
            state = t(f"debrief.loss.step.{e.detail}") if e.detail in ("skipped", "missed") else f"{e.score}/100"
            if e.detail == "missed" and e.score:
                state = t("debrief.loss.step.tried", score=e.score)
            lines.append(t("debrief.loss.step", subject=e.subject, state=state, points=points))
        elif e.kind == "outcome":
            lines.append(t("debrief.loss.outcome", what=t(f"debrief.obtained.{e.detail}"), points=points))
        elif e.kind == "floor":
            lines.append(t("debrief.loss.floor"))
        else:
            lines.append(t(f"debrief.loss.{e.kind}", subject=e.subject, score=e.score, points=points))
    return lines
