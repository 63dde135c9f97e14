"""Spaced drills: what a trainee handled poorly in a call comes back until it is mastered.

* **A card per step or objection.** Every trainee reply scored below
  :data:`POOR_SCORE` in a call makes (or refreshes) the trainee's card for that step or
  objection: the case, the seed and the replies that lead to the moment, and the
  debtor's line the trainee answered. Replaying those replies with the same seed rebuilds
  the call exactly at that moment (the engine is deterministic), so a drill is "the
  debtor's line in context, the trainee replies, scored as in a call".
* **Scheduled with FSRS** (the maintained ``fsrs`` package): each reply's score maps to a
  rating (:func:`rating_for`) and the scheduler gives the next due date. Learning steps
  are off (a drill is a daily practice, not a flash card to see again in a minute) and
  fuzzing is off (same reviews, same schedule). A reply in a later call on a step or
  objection that has a card counts as a review too.
* **The clock is injected:** every "now" comes from the store's clock
  (:meth:`Store.now`, ``RELANCE_NOW`` for demonstrations), never from the system here.

``fsrs`` is imported by the functions that schedule, never at module import: the home
screen counts due cards with a plain SQL query.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from simulator.errors import SimulatorError
from simulator.records.store import Drill, Store, end_of_day, iso, parse_iso

if TYPE_CHECKING:
    from simulator.dialogue.engine import CallState
    from simulator.scoring.reply import ReplyScore

__all__ = [
    "POOR_SCORE",
    "DrillError",
    "Moment",
    "answer_drill",
    "days_until",
    "due_today",
    "end_of_day",
    "moments",
    "next_due",
    "rating_for",
    "record_call_drills",
    "schedule",
    "start_drill",
]

POOR_SCORE = 60
"""A reply scored below this makes a drill card of its step or objection."""

RATING_BANDS = ((40, 1), (60, 2), (85, 3))
"""Score below the bound → FSRS rating: Again (1), Hard (2), Good (3); otherwise Easy (4)."""

SITUATION_STEPS = {"messagerie": "Message laissé", "tiers": "Tiers au téléphone"}
"""Titles of the one-step situations (voicemail, third party), which are not method steps."""


class DrillError(SimulatorError):
    """A card can no longer be played (its case or pack changed so the moment is gone)."""


@dataclass(frozen=True)
class Moment:
    """One trainee reply of a call, as a drill sees it."""

    key: str
    kind: str
    target: str
    title: str
    score: int
    replies: tuple[str, ...]
    """The trainee's replies before this one (they rebuild the moment)."""
    debtor_line: str
    reply: str


def rating_for(score: int) -> int:
    """The FSRS rating (1 Again … 4 Easy) of a reply's score."""
    for bound, rating in RATING_BANDS:
        if score < bound:
            return rating
    return 4


def moments(state: CallState) -> list[Moment]:
    """Every trainee reply of a call as a moment (step or objection), in call order."""
    setup = state.setup
    titles = {s.id: s.title for s in setup.method.steps}
    objection_titles = {o.id: o.title for o in setup.objections}
    found: list[Moment] = []
    replies: list[str] = []
    debtor_line = ""
    for turn in state.turns:
        if turn.speaker == "debtor":
            debtor_line = turn.text
            continue
        score = turn.score
        if score is not None:
            if turn.objection:
                kind, target = "objection", turn.objection
                title = objection_titles.get(target, target)
            else:
                target = score.step or turn.expected or ""
                kind = "step"
                title = titles.get(target) or SITUATION_STEPS.get(target, target)
            if target:
                found.append(
                    Moment(f"{kind}:{target}", kind, target, title, score.score, tuple(replies), debtor_line, turn.text)
                )
        replies.append(turn.text)
    return found


def _card_id(key: str) -> int:
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:6], "big")


def _scheduler() -> Any:
    from fsrs import Scheduler

    return Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)


def schedule(card: dict[str, Any] | None, key: str, score: int, now: datetime) -> tuple[dict[str, Any], str]:
    """Review a card (a new one if ``card`` is None) with the rating of ``score`` at ``now``.

    Returns the new card state (JSON) and its due time (ISO UTC, as the store writes it).
    """
    from fsrs import Card, Rating

    current = Card.from_dict(card) if card else Card(card_id=_card_id(key), due=now)
    reviewed, _log = _scheduler().review_card(current, Rating(rating_for(score)), now)
    return reviewed.to_dict(), iso(reviewed.due)


def record_call_drills(
    store: Store,
    trainee_id: int,
    state: CallState,
    *,
    case_id: str,
    pack_id: str,
    pack_hash: str,
    attempt_id: int | None,
) -> list[Drill]:
    """After a call: make or refresh the cards of poorly handled moments, and count every
    moment that has a card as a review. Returns the cards touched, in call order."""
    now = store.now()
    worst: dict[str, Moment] = {}
    for moment in moments(state):
        if moment.key not in worst or moment.score < worst[moment.key].score:
            worst[moment.key] = moment
    touched: list[Drill] = []
    for key, moment in worst.items():
        existing = store.drill_by_key(trainee_id, key)
        if existing is None and moment.score >= POOR_SCORE:
            continue
        card, due = schedule(existing.card if existing else None, key, moment.score, now)
        if existing is None or moment.score < POOR_SCORE:
            existing = store.save_drill(
                trainee_id, key, kind=moment.kind, target=moment.target, title=moment.title, case_id=case_id,
                pack_id=pack_id, pack_hash=pack_hash, seed=state.seed, replies=moment.replies,
                debtor_line=moment.debtor_line, source_attempt=attempt_id,
                card=existing.card if existing else card, due=existing.due if existing else due,
            )
        touched.append(
            store.review_drill(existing.id, card=card, due=due, source="call", score=moment.score,
                               rating=rating_for(moment.score), reply=moment.reply, attempt_id=attempt_id)
        )
    return touched


def due_today(store: Store, trainee_id: int) -> list[Drill]:
    """The trainee's cards due by the end of today, soonest first."""
    return store.drills(trainee_id, due_by=end_of_day(store.now()))


def start_drill(drill: Drill, library: Any, trainee: str = "") -> CallState:
    """The call rebuilt at the card's moment: the debtor has just said its line."""
    from simulator.dialogue.trainee import play_as

    try:
        case = library.case(drill.case_id)
    except SimulatorError:
        raise DrillError(f"le dossier « {drill.case_id} » de cette carte n'est plus disponible") from None
    state = play_as(case, drill.seed, library, drill.replies, trainee)
    if state.ended or state.trainee_turns != len(drill.replies):
        raise DrillError("ce moment de l'appel n'existe plus (le dossier a changé)")
    if drill.kind == "objection" and (state.current_objection is None or state.current_objection.id != drill.target):
        raise DrillError("l'objection de cette carte n'est plus soulevée à ce moment (le dossier a changé)")
    return state


def answer_drill(
    store: Store, drill: Drill, state: CallState, reply: str
) -> tuple[ReplyScore, Drill, CallState]:
    """Score ``reply`` at the card's moment as in a call, review the card, return the score,
    the rescheduled card and the call state after the reply (the debtor's reaction)."""
    from simulator.dialogue import advance

    after, _events = advance(state, reply)
    turn = next(t for t in reversed(after.turns) if t.speaker == "trainee")
    assert turn.score is not None
    score = turn.score
    card, due = schedule(drill.card, drill.key, score.score, store.now())
    updated = store.review_drill(
        drill.id, card=card, due=due, source="drill", score=score.score, rating=rating_for(score.score), reply=reply
    )
    return score, updated, after


def next_due(drill: Drill) -> datetime:
    """When the card is next due (aware datetime)."""
    return parse_iso(drill.due.replace("Z", "+00:00"))


def days_until(drill: Drill, now: datetime) -> int:
    """Calendar days from ``now`` to the card's due date, in local time (0: due today or late)."""
    return max(0, (next_due(drill).astimezone().date() - now.astimezone().date()).days)
