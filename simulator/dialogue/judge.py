"""Score a standalone reply in a case's context: ``relance score``, training and calibration.

A reply outside a call is given with its step (number or id), the objection on
the table, the debtor's last line and the case. This module resolves those
against the content library, builds the scoring context (case facts for the
placeholders and for the learned layer, the pack's model) and scores — the same
path for a trainer's ``score --batch``, for ``relance train`` (features) and for
``relance calibrate`` (agreement), so that what is measured is what runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from simulator.dialogue.engine import case_facts, model_facts
from simulator.errors import NotFoundError, UsageError
from simulator.model import Case, Method, Objection, Step
from simulator.scoring.features import expand
from simulator.scoring.model import ScoringModel, cached_model
from simulator.scoring.reply import Context, ReplyScore, analyse, learned_features, score_reply
from simulator.scoring.training import Row

__all__ = ["Item", "item_features", "labelled_rows", "resolve", "score_item", "scoring_model"]

_UNSET: Any = object()


@dataclass(frozen=True)
class Item:
    """A reply to score (the fields of a ``score --batch`` line)."""

    reply: str
    step: str | int | None = None
    objection: str | None = None
    debtor: str = ""
    case: str | None = None
    trainee: str = ""

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Item:
        reply = data.get("reply")
        if not isinstance(reply, str):
            raise UsageError("`reply` doit être un texte")
        for key in ("objection", "case", "debtor", "trainee"):
            value = data.get(key)
            if value is not None and not isinstance(value, str):
                raise UsageError(f"`{key}` doit être un texte")
        step = data.get("step")
        if step is not None and not isinstance(step, (str, int)) or isinstance(step, bool):
            raise UsageError("`step` doit être un numéro d'étape ou un identifiant")
        return cls(
            reply=reply,
            step=step if step != "" else None,
            objection=data.get("objection") or None,
            debtor=data.get("debtor") or "",
            case=data.get("case") or None,
            trainee=data.get("trainee") or "",
        )


@dataclass(frozen=True)
class Resolved:
    case: Case
    method: Method
    step: Step | None
    objection: Objection | None


def resolve(library: Any, item: Item) -> Resolved:
    """The case, method, step and objection an item names (clear errors for unknown ones)."""
    cases = library.all("case")
    if item.case:
        case = library.case(item.case)
    elif cases:
        case = cases[0]
    else:
        raise UsageError("aucun dossier chargé : indiquez `case`")
    method = library.method_for(case)
    objection = library.objection(item.objection) if item.objection else None
    steps = list(method.steps)
    step = None
    if item.step is not None:
        text = str(item.step).strip()
        if text.isdigit():
            number = int(text)
            if not 1 <= number <= len(steps):
                raise UsageError(f"étape {number} inexistante : la méthode compte {len(steps)} étapes")
            step = steps[number - 1]
        else:
            found = [s for s in steps if s.id == text]
            if not found:
                from simulator.content.problems import did_you_mean

                raise NotFoundError(f"étape `{text}` inconnue", did_you_mean(text, [s.id for s in steps]))
            step = found[0]
    return Resolved(case, method, step, objection)


def scoring_model(library: Any, case: Case) -> ScoringModel | None:
    """The learned layer for a case (see :meth:`Library.scorer_file`), or None for the rubric alone."""
    located = library.scorer_file(case)
    return cached_model(*located) if located else None


def context_for(library: Any, r: Resolved, item: Item, model: ScoringModel | None) -> Context:
    persona = library.persona(r.case.persona)
    facts = dict(case_facts(r.case, persona))
    if item.trainee:
        facts["trainee"] = item.trainee
    debtor = item.debtor or (r.objection.phrasings[0] if r.objection else "")
    return Context(
        reference=r.case.call_date,
        placeholders=facts,
        debtor_line=debtor,
        objection=r.objection,
        model=model,
        facts=model_facts(r.case, persona, trainee=item.trainee),
    )


def _criteria(r: Resolved) -> tuple[Any, ...]:
    if r.objection is not None:
        return (*r.objection.criteria, *r.method.rules)
    if r.step is not None:
        return (*r.step.criteria, *r.method.rules)
    return tuple(r.method.rules)


def score_item(library: Any, item: Item, model: ScoringModel | None = _UNSET) -> ReplyScore:
    """Score one reply; without a step or an objection, at the step it attempts (see below)."""
    r = resolve(library, item)
    if model is _UNSET:
        model = scoring_model(library, r.case)
    ctx = context_for(library, r, item, model)
    analysis = analyse(item.reply, r.case.call_date)
    if r.objection is not None:
        return score_reply(
            item.reply, _criteria(r), ctx, analysis=analysis, model=r.objection.model, objection=r.objection.id,
            step=r.step.id if r.step else None, role=r.step.role if r.step else "negotiate",
        )
    if r.step is not None:
        return score_reply(item.reply, _criteria(r), ctx, analysis=analysis, model=r.step.model, step=r.step.id,
                           role=r.step.role)
    scored = [
        score_reply(item.reply, (*s.criteria, *r.method.rules), ctx, analysis=analysis, model=s.model, step=s.id,
                    role=s.role)
        for s in r.method.steps
    ]
    # The step the reply attempts is the one whose own cues it shows best (the rubric's
    # evidence); its grade is then the learned one. Taking the best grade over all steps
    # would let any decent sentence score high somewhere.
    return max(scored, key=lambda x: (x.rubric_score if x.rubric_score is not None else x.score, x.score))


def item_features(library: Any, item: Item) -> dict[str, float]:
    """The learned layer's features of an item, exactly as :func:`score_item` computes them."""
    r = resolve(library, item)
    ctx = context_for(library, r, item, None)
    analysis = analyse(item.reply, r.case.call_date)
    role = r.step.role if r.step else ("negotiate" if r.objection else None)
    result = score_reply(item.reply, _criteria(r), ctx, analysis=analysis, role=role)
    from simulator.scoring.cues import find_cues

    base = learned_features(
        analysis, ctx, role, result.criteria, result.rubric_score or 0, result.stuffing, result.fatal,
        find_cues(analysis.norm) if analysis.norm else {},
    )
    return expand(base, role, r.objection.id if r.objection else None)


def labelled_rows(
    library: Any,
    corpora: Iterable[Any],
    *,
    progress: Callable[[int, int], None] = lambda _i, _n: None,
) -> list[Row]:
    """Every labelled reply of ``corpora`` with its features (for training and calibration)."""
    items = [(corpus, item) for corpus in corpora for item in corpus.items]
    rows = []
    for n, (corpus, item) in enumerate(items, 1):
        features = item_features(
            library, Item(reply=item.reply, step=item.step, objection=item.objection, debtor=item.debtor, case=item.case)
        )
        rows.append(Row(item.id, item.label, features, item.step, item.objection, corpus.id, item.reply))
        if n % 100 == 0 or n == len(items):
            progress(n, len(items))
    return rows


def good_examples(library: Any, reply: str, *, case: str | None, step: str | None, objection: str | None,
                  limit: int = 2) -> list[Any]:
    """The labelled good replies closest to ``reply`` for the same objection (else step): what a good reply looked like.

    Replies written for the same case come first (their names and figures are
    the trainee's own); the closest in words, by rapidfuzz's token set ratio.
    """
    from rapidfuzz import fuzz

    from simulator.scoring.normalize import normalize

    pool = [
        item
        for corpus in library.all("replies")
        for item in corpus.items
        if item.label == "good"
        and (item.objection == objection if objection else (item.step == step and item.objection is None))
    ]
    if not pool:
        return []
    mine = normalize(reply)
    ranked = sorted(
        pool,
        key=lambda item: (item.case != case, -fuzz.token_set_ratio(mine, normalize(item.reply)), item.id),
    )
    return ranked[:limit]
