"""Lint a case by playing it: seeded playthroughs that look for dead ends.

In the spirit of ink's and Yarn Spinner's playthrough testers: each case is
played many times with replies drawn from labelled material (the objections'
examples, the method's model replies, and — through :func:`labelled_replies` —
whatever labelled corpus the packs carry) and from adversarial kinds (silence,
off-topic, insult, keyword stuffing). Along the way:

* every new situation of the call (step, objection on the table, progress…)
  is checked for a way out: good replies are played from it; if they leave the
  call stuck (no progress for :data:`STALL` replies, or the debtor ends the
  call while good replies made no progress), it is a **dead end**;
* the objections raised and the debtor's line kinds said are counted, so the
  report lists what is never reached;
* the outcomes of the playthroughs are tallied, and one good-only playthrough
  tells whether a good path reaches the objective.

Pure and deterministic: the randomness comes from ``random.Random`` seeded
with (seed, case, playthrough); no clock, no I/O.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from simulator.dialogue.engine import (
    MAX_TURNS,
    SUCCESS,
    CallState,
    advance,
    case_facts,
    fill_line,
    start,
)
from simulator.dialogue.scorecard import OUTCOME_LABELS, scorecard

__all__ = [
    "ADVERSARIAL",
    "DeadEnd",
    "LabelledReply",
    "STALL",
    "CaseLint",
    "labelled_replies",
    "lint_case",
]

OPENING = {
    "direct": "answer",
    "mobile": "answer",
    "switchboard": "gatekeeper",
    "absent": "absent",
    "wrong-person": "wrong_person",
    "voicemail": "voicemail",
}
"""The line kind that opens each situation (other situations' openings are not expected)."""
OPENINGS = frozenset(OPENING.values())
STALL = 6
"""Good replies in a row without progress that make a dead end."""
STUCK_AT_END = 3
"""Good replies without progress before the debtor ends the call that make a dead end."""
GOOD_RUN_TURNS = 30
"""Longest good continuation tried from one situation."""
MIX = (("good", 0.5), ("acceptable", 0.15), ("poor", 0.15), ("adversarial", 0.2))
"""How a mixed playthrough draws the kind of each reply."""

ADVERSARIAL = {
    "silence": ("…", "Euh…"),
    "off-topic": ("Vous avez vu le match hier soir ?", "Il fait beau chez vous en ce moment ?"),
    "insult": ("Vous êtes vraiment des incapables, c'est lamentable.",),
    "stuffing": (
        "Bonjour {caller} {creditor} facture {invoice} {amount} échéance virement date engagement je comprends "
        "récapitule confirme e-mail merci",
    ),
}
"""Adversarial reply kinds; stuffing strings the rubric's vocabulary together."""

_SITUATION_GOOD = {
    "voicemail": ("Bonjour {contact}, {caller}, société {creditor}. Merci de me rappeler au {caller_phone} ; "
                  "je répète : {caller_phone}. Bonne journée.",),
    "third-party": (
        "Bonjour, {caller}, société {creditor}. Qui s'occupe du règlement des fournisseurs, "
        "et à quel moment puis-je joindre {contact} ?",
        "Merci beaucoup, je rappellerai {available}. Bonne journée, au revoir.",
    ),
    "switchboard": ("Bonjour, {caller} de la société {creditor}. Je souhaite parler à {contact}, s'il vous plaît.",),
}
"""Good replies for situations the method's steps do not cover."""


@dataclass(frozen=True)
class LabelledReply:
    """A reply with its label and where it fits (step and/or objection)."""

    text: str
    label: str
    step: str | None = None
    objection: str | None = None
    source: str = ""


@dataclass(frozen=True)
class DeadEnd:
    """A situation good replies cannot get out of, and how to reach it."""

    step: str | None
    objection: str | None
    seed: int
    replies: tuple[str, ...]
    """Replies that reach the situation, then the good ones that stay stuck."""
    reason: str


@dataclass
class CaseLint:
    """What the playthroughs of one case found."""

    case: str
    playthroughs: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    objective_met: int = 0
    good_outcome: str | None = None
    good_score: int = 0
    good_objective: bool = False
    dead_ends: list[DeadEnd] = field(default_factory=list)
    raised: Counter[str] = field(default_factory=Counter)
    lines: Counter[str] = field(default_factory=Counter)
    never_raised: list[str] = field(default_factory=list)
    never_said: list[str] = field(default_factory=list)
    situations: int = 0
    replies_played: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "case": self.case,
            "playthroughs": self.playthroughs,
            "outcomes": dict(sorted(self.outcomes.items())),
            "objective_met": self.objective_met,
            "good_path": {"outcome": self.good_outcome, "score": self.good_score, "objective_met": self.good_objective},
            "dead_ends": [
                {"step": d.step, "objection": d.objection, "seed": d.seed, "replies": list(d.replies), "reason": d.reason}
                for d in self.dead_ends
            ],
            "objections_raised": dict(sorted(self.raised.items())),
            "never_raised": self.never_raised,
            "lines_said": dict(sorted(self.lines.items())),
            "never_said": self.never_said,
            "situations": self.situations,
            "replies_played": self.replies_played,
        }


# --------------------------------------------------------------------------- labelled material


def labelled_replies(library: Any, case: Any) -> tuple[LabelledReply, ...]:
    """Every labelled reply lint may play in ``case``: the one place reply sources are listed.

    Today: the method's model replies (good, per step), the objections'
    labelled examples, the replies of the case's golden transcripts (good
    from a good one, poor from a poor one, for any step) and the labelled
    corpus replies written for this case.
    """
    facts = dict(case_facts(case, library.persona(case.persona)))
    method = library.method_for(case)
    items: list[LabelledReply] = []
    for step in method.steps:
        if step.model:
            items.append(LabelledReply(fill_line(step.model, facts), "good", step=step.id, source=f"method:{step.id}"))
    for objection in library.all("objection"):
        for example in objection.examples:
            items.append(
                LabelledReply(
                    fill_line(example.reply.strip(), facts),
                    example.label,
                    objection=objection.id,
                    source=f"objection:{objection.id}",
                )
            )
    for golden in library.all("golden"):
        if golden.case != case.id:
            continue
        label = "good" if golden.expect.score.min >= 70 else "poor" if golden.expect.score.max <= 39 else ""
        if label:
            items.extend(LabelledReply(r, label, source=f"golden:{golden.id}") for r in golden.replies if r.strip())
    for corpus in library.all("replies"):
        items.extend(
            LabelledReply(item.reply, item.label, step=item.step, objection=item.objection, source=f"corpus:{corpus.id}")
            for item in corpus.items
            if item.case == case.id
        )
    return tuple(items)


class _Pool:
    """Labelled replies indexed by (step or objection, label)."""

    def __init__(self, items: Iterable[LabelledReply], facts: dict[str, str]) -> None:
        self.by_step: dict[tuple[str, str], list[str]] = {}
        self.by_objection: dict[tuple[str, str], list[str]] = {}
        self.any: dict[str, list[str]] = {}
        self.free: dict[str, list[str]] = {}
        """Replies labelled for the call as a whole (golden transcripts): tried at any point."""
        for item in items:
            if item.objection:
                self.by_objection.setdefault((item.objection, item.label), []).append(item.text)
            elif item.step:
                self.by_step.setdefault((item.step, item.label), []).append(item.text)
            else:
                self.free.setdefault(item.label, []).append(item.text)
            self.any.setdefault(item.label, []).append(item.text)
        self.facts = facts

    def candidates(self, state: CallState, label: str) -> list[str]:
        objection = state.current_objection
        if objection is not None:
            found = self.by_objection.get((objection.id, label), [])
            if not found and label == "good" and objection.model:
                found = [fill_line(objection.model.strip(), self.facts)]
            return found
        situation = _situation(state)
        if situation is not None and label == "good":
            options = _SITUATION_GOOD[situation]
            index = min(state.trainee_turns, len(options) - 1)
            return [fill_line(options[index], self.facts)]
        step = state.current_step
        if step is None:
            return []
        return self.by_step.get((step.id, label), [])


def _situation(state: CallState) -> str | None:
    situation = state.setup.case.situation
    if situation == "voicemail":
        return "voicemail"
    if situation in ("absent", "wrong-person"):
        return "third-party"
    if situation == "switchboard" and not state.connected:
        return "switchboard"
    return None


# --------------------------------------------------------------------------- playing


def _progress_key(state: CallState) -> tuple[Any, ...]:
    return (
        state.step_index,
        state.current,
        state.progress,
        len(state.queue),
        state.commitment is not None,
        state.recapped,
        state.connected,
        state.callback,
    )


def _situation_key(state: CallState) -> tuple[Any, ...]:
    return (*_progress_key(state), state.irritation, state.concessions, state.identity_confirmed)


def _good(state: CallState, pool: _Pool, rng: random.Random) -> tuple[str, CallState] | None:
    """A good reply and the state after it: one that makes progress if any labelled one does."""
    specific = pool.candidates(state, "good")
    others = [r for r in dict.fromkeys(pool.free.get("good", ())) if r not in specific]
    if not specific and not others:
        return None
    ordered = [*rng.sample(specific, len(specific)), *others]
    key = _progress_key(state)
    first: tuple[str, CallState] | None = None
    for reply in ordered:
        after, _events = advance(state, reply)
        if first is None:
            first = (reply, after)
        if _progress_key(after) != key or (after.ended and after.outcome not in FAILED_ENDS):
            return reply, after
    return first


FAILED_ENDS = ("refusal", "no-commitment", "hangup")
"""Outcomes that end a call with nothing obtained."""


def _escape(state: CallState, pool: _Pool, rng: random.Random) -> tuple[str, CallState, list[str]]:
    """Play good replies from ``state``: ``ok``, ``stall``, ``stuck-end`` or ``unlifted``; the state and replies.

    ``unlifted``: an objection was on the table and :data:`STUCK_AT_END` or more
    good replies never took it off before the call ended with nothing obtained
    — the steps may have gone on under it, but no good answer exists for it
    (one good reply that ends the call is the debtor's patience, not the content).
    """
    played: list[str] = []
    same = 0
    key = _progress_key(state)
    on_table = state.current
    lifted = on_table is None
    while not state.ended and len(played) < GOOD_RUN_TURNS and state.trainee_turns < MAX_TURNS:
        chosen = _good(state, pool, rng)
        if chosen is None:
            # No labelled good reply for this point: judge nothing (not a content dead end).
            return "ok", state, played
        reply, state = chosen
        played.append(reply)
        lifted = lifted or state.current != on_table
        new_key = _progress_key(state)
        same = same + 1 if new_key == key else 0
        key = new_key
        if same >= STALL:
            return "stall", state, played
    if not state.ended:
        return "stall", state, played
    if state.outcome in FAILED_ENDS and same >= STUCK_AT_END:
        return "stuck-end", state, played
    if state.outcome in FAILED_ENDS and not lifted and len(played) >= STUCK_AT_END:
        return "unlifted", state, played
    return "ok", state, played


def _where(state: CallState) -> tuple[str | None, str | None]:
    step = state.current_step
    objection = state.current_objection
    return (step.id if step is not None else None), (objection.id if objection is not None else None)


def _adversarial(rng: random.Random, facts: dict[str, str]) -> str:
    kind = rng.choice(sorted(ADVERSARIAL))
    return fill_line(rng.choice(ADVERSARIAL[kind]), facts)


def _mixed_reply(state: CallState, pool: _Pool, rng: random.Random) -> str:
    draw = rng.random()
    label = "adversarial"
    for name, weight in MIX:
        if draw < weight:
            label = name
            break
        draw -= weight
    if label == "adversarial":
        return _adversarial(rng, pool.facts)
    options = pool.candidates(state, label) or pool.candidates(state, "good") or pool.any.get(label, [])
    return rng.choice(options) if options else _adversarial(rng, pool.facts)


def _note(result: CaseLint, state: CallState) -> None:
    for turn in state.turns:
        if turn.speaker == "debtor":
            result.lines[turn.line_key or "?"] += 1
            if turn.objection and turn.line_key == "objection":
                result.raised[turn.objection] += 1


def lint_case(
    case: Any,
    resolver: Any,
    replies: Sequence[LabelledReply],
    *,
    playthroughs: int = 8,
    seed: int = 1,
    good_paths: Sequence[Sequence[str]] = (),
) -> CaseLint:
    """Play ``case`` (one good-only playthrough, then ``playthroughs`` mixed ones) and report.

    ``good_paths`` are whole calls labelled good (a good golden transcript's
    replies): when the good-only playthrough misses the objective, they are
    the other good paths tried.
    """
    first, _events = start(case, seed, resolver)
    facts = first.setup.facts
    pool = _Pool(replies, facts)
    result = CaseLint(case=case.id)
    checked: set[tuple[Any, ...]] = set()
    found: set[tuple[str | None, str | None]] = set()
    """Dead ends already reported: (step, objection), or ("*", objection) for an unlifted objection."""

    def check(state: CallState, path: tuple[str, ...], rng_seed: int) -> None:
        key = _situation_key(state)
        if state.ended or key in checked:
            return
        checked.add(key)
        verdict, end, played = _escape(state, pool, random.Random(rng_seed))
        result.replies_played += len(played)
        if verdict == "ok":
            return
        # An objection no good reply lifts is one dead end, wherever the steps go on under it.
        where = _where(end) if verdict != "unlifted" else _where(state)
        seen = where if verdict != "unlifted" else ("*", where[1])
        if seen in found or ("*", where[1]) in found:
            return
        found.add(seen)
        ending = OUTCOME_LABELS.get(end.outcome, end.outcome)
        if verdict == "stall":
            reason = f"{STALL} bonnes répliques de suite sans progrès"
        elif verdict == "stuck-end":
            reason = f"le débiteur met fin à l'appel ({ending}) alors que les bonnes répliques ne font plus avancer"
        else:
            reason = (
                f"aucune bonne réplique étiquetée ne lève l'objection : l'appel avance sous elle puis finit sur "
                f"« {ending} »"
            )
        result.dead_ends.append(DeadEnd(where[0], where[1], rng_seed, (*path, *played), reason))

    # The good path from the start.
    rng = random.Random(f"{seed}:{case.id}:good")
    verdict, good_end, played = _escape(first, pool, rng)
    result.replies_played += len(played)
    card = scorecard(good_end)
    result.good_outcome = good_end.outcome
    result.good_score = card.overall
    result.good_objective = bool(card.objective_met or good_end.outcome in SUCCESS.get(case.situation, ()))
    _note(result, good_end)
    if not result.good_objective:
        # Other good paths: the good golden transcripts, played as written.
        for path in good_paths:
            state = first
            for reply in path:
                if state.ended:
                    break
                state, _events = advance(state, reply)
            card = scorecard(state)
            if card.objective_met or state.outcome in SUCCESS.get(case.situation, ()):
                result.good_outcome, result.good_score, result.good_objective = state.outcome, card.overall, True
                _note(result, state)
                break
    # Situations along the good path are checked too (a stall there is a dead end).
    state = first
    for index, reply in enumerate(played):
        check(state, tuple(played[:index]), seed)
        state, _events = advance(state, reply)

    for number in range(playthroughs):
        rng = random.Random(f"{seed}:{case.id}:{number}")
        state = first
        path: list[str] = []
        while not state.ended and state.trainee_turns < MAX_TURNS:
            check(state, tuple(path), seed + number + 1)
            reply = _mixed_reply(state, pool, rng)
            state, _events = advance(state, reply)
            path.append(reply)
        result.replies_played += len(path)
        result.playthroughs += 1
        result.outcomes[state.outcome or "in-progress"] += 1
        if scorecard(state).objective_met:
            result.objective_met += 1
        _note(result, state)

    result.situations = len(checked)
    scheduled = dict.fromkeys(oid for oid, _at, _lines, _p in first.setup.schedule)
    conversation = case.situation not in ("voicemail", "absent", "wrong-person")
    result.never_raised = [oid for oid in scheduled if oid not in result.raised] if conversation else []
    persona_lines = first.setup.persona.lines
    opening = OPENING[case.situation]
    relevant = (
        [opening]
        if case.situation in ("voicemail", "absent", "wrong-person")
        else [k for k in persona_lines.__struct_fields__ if k not in OPENINGS or k == opening]
    )
    result.never_said = [key for key in relevant if getattr(persona_lines, key) and key not in result.lines]
    return result
