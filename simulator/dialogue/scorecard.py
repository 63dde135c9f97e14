"""The call scorecard: a score per step and per objection, the outcome, overall /100, and why.

The overall score is a weighted mean that moves smoothly with the reply scores:

* every step reached and every objection raised counts with its weight (its best
  reply's score);
* what the call obtained counts as one more part, worth a quarter of the whole:
  the objective met 100, the fallback only 75, a commitment short of both 40,
  nothing 0 (for a voicemail or a third party: the message or the callback done
  properly, 100, or not, 0);
* each step skipped costs 3 points;
* a fatal fault (threat, insult, bank details by phone) caps the call at 20.

``explanations`` lists every point lost, largest first, so that 100 minus their
sum is the overall score: a trainee sees why a call with good replies still
scored 55 (no commitment) rather than a bare number.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from simulator.dialogue.engine import SUCCESS, CallState
from simulator.scoring.cues import LABELS

__all__ = [
    "FATAL_CAP",
    "ORDER_PENALTY",
    "OUTCOME_SHARE",
    "Explanation",
    "ObjectionResult",
    "Scorecard",
    "StepResult",
    "scorecard",
]

ORDER_PENALTY = 3
"""Points off the overall score per skipped step."""
FATAL_CAP = 20
"""Highest overall score of a call with a fatal fault."""
OUTCOME_SHARE = 0.25
"""Share of the overall score that rewards what the call obtained."""
OUTCOME_SCORES = {"objective": 100, "fallback": 75, "short": 40, "none": 0}
"""What the call obtained, scored: objective met, fallback only, a commitment short of both, nothing."""
THIRD_PARTY_SITUATIONS = ("voicemail", "absent", "wrong-person")


@dataclass(frozen=True)
class StepResult:
    id: str
    title: str
    weight: int
    score: int
    covered: bool
    skipped: bool
    attempted: bool = False
    """A reply aimed at this step (covered, or tried without doing it)."""


@dataclass(frozen=True)
class ObjectionResult:
    id: str
    title: str
    weight: int
    score: int


@dataclass(frozen=True)
class Explanation:
    """Points lost for one reason (``points`` is negative)."""

    kind: str
    """``step``, ``objection``, ``outcome``, ``skipped``, ``fatal`` or ``floor``."""
    label: str
    """What happened, in French, for the CLI and exports."""
    points: float
    subject: str = ""
    """The step's or objection's title (``step``, ``objection``, ``skipped``)."""
    score: int | None = None
    """The step's or objection's score, or the score of what the call obtained (``outcome``)."""
    detail: str = ""
    """``outcome``: objective, fallback, short, or the call's outcome when nothing was obtained;
    ``step``: skipped, missed or scored."""

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "label": self.label, "points": round(self.points, 1), "subject": self.subject,
                "score": self.score, "detail": self.detail}


@dataclass(frozen=True)
class Scorecard:
    steps: tuple[StepResult, ...]
    objections: tuple[ObjectionResult, ...]
    overall: int
    outcome: str | None
    objective_met: bool
    """The case's main objective is met (not only its fallback)."""
    violations: tuple[str, ...]
    skipped: tuple[str, ...]
    commitment: dict[str, Any] | None
    met: str | None = None
    """``objective``, ``fallback`` or None: what the call obtained against the case's objectives."""
    explanations: tuple[Explanation, ...] = ()
    faults: tuple[str, ...] = ()
    """The call's faults named in words (« formule d'excuse », « divulgation à un tiers »…), first seen first."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "overall": self.overall,
            "outcome": self.outcome,
            "objective_met": self.objective_met,
            "met": self.met,
            "steps": [s.__dict__ for s in self.steps],
            "objections": [o.__dict__ for o in self.objections],
            "violations": list(self.violations),
            "skipped": list(self.skipped),
            "commitment": self.commitment,
            "explanations": [e.as_dict() for e in self.explanations],
            "faults": list(self.faults),
        }


HARD_RULES = {
    "bourrage-mots-cles": "liste de mots-clés au lieu d'une phrase",
    "divulgation-tiers": "divulgation de la dette à un tiers",
    "hors-francais": "réplique illisible ou pas en français",
}
"""The hard rules' violation codes, in words."""


def fault_names(state: CallState) -> tuple[str, ...]:
    """Every fault of the call in words: the reply faults, then broken rules, without repeats."""
    names: list[str] = []
    for turn in state.turns:
        score = turn.score
        if turn.speaker != "trainee" or score is None:
            continue
        names.extend(LABELS.get(name, name) for name, _words in score.faults)
        for code in score.violations:
            if code in HARD_RULES:
                names.append(HARD_RULES[code])
                continue
            result = next((r for r in score.criteria if r.id == code), None)
            if result is not None and result.kind != "style":  # style faults are named by their cues
                names.append(f"règle non respectée : {result.label[:1].lower()}{result.label[1:]}")
    return tuple(dict.fromkeys(names))


OUTCOME_LABELS = {
    "commitment": "engagement obtenu",
    "instalments": "échéancier convenu",
    "callback": "rappel convenu",
    "dispute": "litige ouvert, partie non contestée réglée",
    "refusal": "refus du client",
    "no-commitment": "appel terminé sans engagement",
    "hangup": "le débiteur a raccroché",
    "voicemail": "message laissé",
    "abandoned": "appel abandonné",
    None: "appel en cours (répliques épuisées)",
}
"""How each call ended, in French (the app has its own catalogue: ``outcome.*``)."""


OBTAINED_LABELS = {
    "objective": "objectif atteint",
    "fallback": "objectif de repli seulement",
    "short": "engagement en deçà de l'objectif et du repli",
    "message-missed": "message sans les éléments attendus ou avec une faute",
    "callback-missed": "rappel non obtenu, ou obtenu avec une faute",
    "hangup": "aucun engagement (le client a raccroché)",
    "refusal": "aucun engagement (le client a refusé)",
    "no-commitment": "aucun engagement (appel terminé sans engagement)",
    "callback": "un rappel, pas un engagement",
    "None": "aucun engagement (appel interrompu)",
}
"""What the call obtained, in French (the app has its own catalogue: ``debrief.obtained.*``)."""


def _obtained(state: CallState, success: bool) -> tuple[str, int, str]:
    """(met, score of what was obtained, a key of :data:`OBTAINED_LABELS`)."""
    situation = state.setup.case.situation
    if situation in THIRD_PARTY_SITUATIONS:
        if success:
            return "objective", OUTCOME_SCORES["objective"], "objective"
        return "", OUTCOME_SCORES["none"], "message-missed" if situation == "voicemail" else "callback-missed"
    c = state.commitment
    if c is not None and success:
        if c.met in ("objective", "fallback"):
            return c.met, OUTCOME_SCORES[c.met], c.met
        return "", OUTCOME_SCORES["short"], "short"
    return "", OUTCOME_SCORES["none"], str(state.outcome) if str(state.outcome) in OBTAINED_LABELS else "None"


def _attempted(state: CallState) -> dict[str, int]:
    """Best score of the replies scored against each step, done or not."""
    tried: dict[str, int] = {}
    for turn in state.turns:
        if turn.speaker == "trainee" and turn.score is not None and turn.score.step and not turn.score.objection:
            tried[turn.score.step] = max(tried.get(turn.score.step, 0), turn.score.score)
    return tried


def scorecard(state: CallState) -> Scorecard:
    """Summarise a call (finished or not)."""
    setup = state.setup
    situation = setup.case.situation
    best = dict(state.step_scores)
    handled = dict(state.handled)
    steps: list[StepResult] = []
    if situation in THIRD_PARTY_SITUATIONS:
        key = "messagerie" if situation == "voicemail" else "tiers"
        title = "Message laissé" if situation == "voicemail" else "Tiers au téléphone"
        steps.append(StepResult(key, title, 1, best.get(key, 0), key in best, False))
    else:
        tried = _attempted(state)
        for step in setup.method.steps:
            covered = step.id in state.covered
            if step.optional and not covered:
                continue
            # A step tried but not done counts what its best reply scored (no cliff to 0): the
            # debrief then shows the same figure as the reply, and says the step is not done.
            score = best.get(step.id, 0) if covered else tried.get(step.id, 0)
            steps.append(
                StepResult(step.id, step.title, step.weight, score, covered, step.id in state.skipped,
                           attempted=covered or step.id in tried)
            )
    objections = tuple(
        ObjectionResult(o.id, o.title, o.weight, handled.get(o.id, 0)) for o in setup.objections if o.id in handled
    )
    fatal = any(t.score is not None and t.score.fatal for t in state.turns)
    success = state.outcome in SUCCESS.get(situation, ())
    if success and situation in THIRD_PARTY_SITUATIONS:
        # Leaving a message or getting a callback only counts when it was done
        # properly: a decent score and no fault (no debt detail to a third party).
        success = best.get(steps[0].id, 0) >= 60 and not state.violations
    met, obtained, obtained_key = _obtained(state, success)

    parts_weight = sum(s.weight for s in steps) + sum(o.weight for o in objections)
    outcome_weight = parts_weight * OUTCOME_SHARE / (1 - OUTCOME_SHARE) if parts_weight else 1.0
    total = parts_weight + outcome_weight
    losses: list[Explanation] = []
    for s in steps:
        if s.score < 100:
            detail = "skipped" if s.skipped else ("missed" if not s.covered else "scored")
            shown = {"skipped": "sautée", "missed": "non franchie"}.get(detail, f"{s.score}/100")
            if detail == "missed" and s.attempted:
                shown = f"{s.score}/100, non franchie"
            losses.append(Explanation("step", f"Étape « {s.title} » : {shown}", -s.weight * (100 - s.score) / total,
                                      s.title, s.score, detail))
    for o in objections:
        if o.score < 100:
            losses.append(Explanation("objection", f"Objection {o.title} : {o.score}/100",
                                      -o.weight * (100 - o.score) / total, o.title, o.score))
    if obtained < 100:
        losses.append(Explanation("outcome", f"Résultat de l'appel : {OBTAINED_LABELS[obtained_key]}",
                                  -outcome_weight * (100 - obtained) / total, score=obtained, detail=obtained_key))
    for step_id in state.skipped:
        title = next((s.title for s in setup.method.steps if s.id == step_id), step_id)
        losses.append(Explanation("skipped", f"Étape « {title} » sautée (ordre de la méthode)", -float(ORDER_PENALTY), title))
    overall = 100.0 + sum(e.points for e in losses)
    if fatal and overall > FATAL_CAP:
        losses.append(Explanation("fatal", f"Faute grave : note plafonnée à {FATAL_CAP}", FATAL_CAP - overall,
                                  score=FATAL_CAP))
        overall = float(FATAL_CAP)
    if overall < 0:
        # The order penalty cannot take the score below zero.
        losses.append(Explanation("floor", "Note plancher : 0", -overall))
        overall = 0.0
    losses.sort(key=lambda e: (e.points, e.label))
    violations = tuple(dict.fromkeys(state.violations))
    return Scorecard(
        steps=tuple(steps),
        objections=objections,
        overall=int(round(max(0.0, min(100.0, overall)))),
        outcome=state.outcome,
        objective_met=met == "objective",
        violations=violations,
        skipped=state.skipped,
        commitment=state.commitment.as_dict() if state.commitment else None,
        met=met or None,
        explanations=tuple(e for e in losses if abs(e.points) >= 0.05),
        faults=fault_names(state),
    )
