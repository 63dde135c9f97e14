"""Agreement between scores and an expert's labels (pure; no heavy import).

Figures, as the evaluation material defines them:

* **AUC(good > poor)**: the chance that a reply labelled good scores higher than
  one labelled poor (ties count half);
* **Spearman**: rank correlation between the score and the label (poor <
  acceptable < good), average ranks for ties;
* **three-band agreement**: share of replies whose band (good ≥ 70, acceptable
  40–69, poor < 40) is the expert's label; with the confusion matrix, per step
  and per objection, and the worst misses (furthest from their band).
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["Scored", "auc", "band", "report", "spearman"]

LABELS = ("good", "acceptable", "poor")
_RANK = {"poor": 0, "acceptable": 1, "good": 2}
_CENTRE = {"poor": 20, "acceptable": 55, "good": 85}


def band(score: float) -> str:
    return "good" if score >= 70 else "acceptable" if score >= 40 else "poor"


@dataclass(frozen=True)
class Scored:
    """One labelled reply and the score it got."""

    id: str
    label: str
    score: float
    reply: str = ""
    step: str | None = None
    objection: str | None = None
    feedback: str = ""


def auc(scores: Sequence[float], labels: Sequence[str]) -> float | None:
    good = sorted(s for s, label in zip(scores, labels, strict=True) if label == "good")
    poor = sorted(s for s, label in zip(scores, labels, strict=True) if label == "poor")
    if not good or not poor:
        return None
    # Counting with two sorted lists: O(n log n), exact with ties as halves.
    import bisect

    total = 0.0
    for g in good:
        below = bisect.bisect_left(poor, g)
        equal = bisect.bisect_right(poor, g) - below
        total += below + 0.5 * equal
    return total / (len(good) * len(poor))


def _ranks(values: Sequence[float]) -> list[float]:
    order = sorted(range(len(values)), key=values.__getitem__)
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2
        i = j + 1
    return ranks


def spearman(scores: Sequence[float], labels: Sequence[str]) -> float | None:
    if len(scores) < 3:
        return None
    rx = _ranks(list(scores))
    ry = _ranks([float(_RANK[label]) for label in labels])
    mx, my = statistics.fmean(rx), statistics.fmean(ry)
    num = sum((x - mx) * (y - my) for x, y in zip(rx, ry, strict=True))
    den = (sum((x - mx) ** 2 for x in rx) * sum((y - my) ** 2 for y in ry)) ** 0.5
    return num / den if den else None


def _group(items: Sequence[Scored], key: str) -> list[dict[str, Any]]:
    groups: dict[str, list[Scored]] = {}
    for item in items:
        value = getattr(item, key)
        if value:
            groups.setdefault(str(value), []).append(item)
    rows = []
    for name in sorted(groups):
        members = groups[name]
        agree = sum(1 for m in members if band(m.score) == m.label)
        rows.append({"id": name, "n": len(members), "agree": agree, "agreement": round(agree / len(members), 4)})
    return rows


def report(items: Sequence[Scored], misses: int = 10) -> dict[str, Any]:
    """Every figure of a calibration run, JSON-ready."""
    scores = [i.score for i in items]
    labels = [i.label for i in items]
    agree = sum(1 for i in items if band(i.score) == i.label)
    confusion = {
        expert: {scorer: sum(1 for i in items if i.label == expert and band(i.score) == scorer) for scorer in LABELS}
        for expert in LABELS
    }
    wrong = [i for i in items if band(i.score) != i.label]
    wrong.sort(key=lambda i: (-abs(i.score - _CENTRE[i.label]), i.id))
    a = auc(scores, labels)
    rho = spearman(scores, labels)
    return {
        "n": len(items),
        "auc": round(a, 4) if a is not None else None,
        "spearman": round(rho, 4) if rho is not None else None,
        "agreement": round(agree / len(items), 4) if items else None,
        "labels": {label: labels.count(label) for label in LABELS},
        "confusion": confusion,
        "per_step": _group(items, "step"),
        "per_objection": _group(items, "objection"),
        "misses": [
            {"id": i.id, "label": i.label, "score": round(i.score), "step": i.step, "objection": i.objection,
             "reply": i.reply, "feedback": i.feedback}
            for i in wrong[:misses]
        ],
    }
