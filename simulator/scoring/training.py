"""Train the learned layer on labelled replies (``relance train``); scikit-learn is imported here only.

The recipe, reproducible byte for byte:

1. every labelled reply of the corpora is turned into features by the same code
   that scores replies (:func:`simulator.dialogue.judge.item_features`);
2. each reply's split (train 60 %, validation 20 %, test 20 %) is decided by a
   hash of its id, so adding replies never moves the old ones; the test part is
   never used for fitting or tuning;
3. an ordinal model is fitted: two L2-regularised logistic regressions on the
   same features (at least acceptable / good), whose decision values are summed
   into one latent value per reply;
4. the regularisation and the two thresholds that separate the bands are chosen
   by k-fold cross-validation on the training data (folds by hash too);
5. the final weights are fitted on train + validation, rounded, and written as
   sorted JSON (``scorer/weights.json``).

Features seen in fewer than ``MIN_COUNT`` training replies are dropped: they
cannot be learned and would only bloat the file.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from simulator.scoring.features import FEATURE_VERSION
from simulator.scoring.model import MODEL_FORMAT

__all__ = [
    "ORDINAL",
    "Row",
    "choose_thresholds",
    "cross_validated",
    "fit",
    "split_of",
    "train",
    "weights_json",
]

ORDINAL = {"poor": 0, "acceptable": 1, "good": 2}
MIN_COUNT = 2
C_GRID = (0.1, 0.3, 1.0)
FOLDS = 5
DIGITS = 5
"""Weights are rounded to this many decimals (so every machine writes the same file)."""


def split_of(item_id: str) -> str:
    """``train``, ``validation`` or ``test``, by a stable hash of the item id."""
    bucket = int(hashlib.sha256(item_id.encode("utf-8")).hexdigest()[:8], 16) % 100
    return "train" if bucket < 60 else "validation" if bucket < 80 else "test"


def fold_of(item_id: str, folds: int = FOLDS) -> int:
    """The cross-validation fold of an item (a different hash from the split)."""
    return int(hashlib.sha256(b"fold:" + item_id.encode("utf-8")).hexdigest()[:8], 16) % folds


@dataclass
class Row:
    """A labelled reply turned into features."""

    id: str
    label: str
    features: dict[str, float]
    step: str | None = None
    objection: str | None = None
    corpus: str = ""
    reply: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def split(self) -> str:
        return split_of(self.id)


# ----------------------------------------------------------------------------- fitting


@dataclass(frozen=True)
class Linear:
    """Weights by feature name (the two ordinal models summed) and thresholds on the latent value."""

    weights: dict[str, float]
    thresholds: tuple[float, float] = (0.0, 1.0)
    spread: tuple[float, float] = (1.0, 1.0)

    def latent(self, features: dict[str, float]) -> float:
        w = self.weights
        return math.fsum(w[k] * v for k, v in features.items() if k in w)


def _vocabulary(rows: Sequence[Row]) -> list[str]:
    counts: Counter[str] = Counter()
    for row in rows:
        counts.update(row.features.keys())
    return sorted(name for name, n in counts.items() if n >= MIN_COUNT or name == "bias")


def fit(rows: Sequence[Row], c: float) -> Linear:
    """Fit the ordinal pair of logistic regressions; weights summed per feature."""
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    names = _vocabulary(rows)
    index = {name: i for i, name in enumerate(names)}
    data: list[float] = []
    cols: list[int] = []
    ptr = [0]
    for row in rows:
        for name in sorted(row.features):
            j = index.get(name)
            if j is not None:
                cols.append(j)
                data.append(row.features[name])
        ptr.append(len(cols))
    x = csr_matrix((np.asarray(data, dtype=float), np.asarray(cols), np.asarray(ptr)), shape=(len(rows), len(names)))
    y = np.asarray([ORDINAL[r.label] for r in rows])
    total = np.zeros(len(names))
    intercept = 0.0
    for cut in (1, 2):
        target = (y >= cut).astype(int)
        if target.min() == target.max():  # one class only: nothing to learn at this cut
            intercept += 4.0 if target[0] else -4.0
            continue
        model = LogisticRegression(C=c, max_iter=5000, tol=1e-6, solver="lbfgs")
        model.fit(x, target)
        total += model.coef_[0]
        intercept += float(model.intercept_[0])
    weights = {name: round(float(w), DIGITS) for name, w in zip(names, total, strict=True)}
    weights["bias"] = round(weights.get("bias", 0.0) + intercept, DIGITS)
    return Linear({k: v for k, v in weights.items() if v != 0.0})


def cross_validated(rows: Sequence[Row], c: float, folds: int = FOLDS) -> list[float]:
    """Out-of-fold latent value of every row (each row scored by a model that never saw it)."""
    out = [0.0] * len(rows)
    for k in range(folds):
        train_rows = [r for r in rows if fold_of(r.id, folds) != k]
        held = [i for i, r in enumerate(rows) if fold_of(r.id, folds) == k]
        if not held or not train_rows:
            continue
        model = fit(train_rows, c)
        for i in held:
            out[i] = model.latent(rows[i].features)
    return out


def choose_thresholds(latent: Sequence[float], labels: Sequence[str]) -> tuple[float, float]:
    """The two cut points that maximise three-band agreement (ties: the widest middle band's centre)."""
    values = sorted(set(round(z, 6) for z in latent))
    if len(values) < 3:
        return (min(values, default=0.0) - 0.5, max(values, default=0.0) + 0.5)
    cuts = [(a + b) / 2 for a, b in zip(values, values[1:], strict=False)]
    if len(cuts) > 200:  # quantiles of the candidate cuts keep the search quadratic in 200
        cuts = [cuts[int(i * (len(cuts) - 1) / 199)] for i in range(200)]
    y = [ORDINAL[label] for label in labels]
    pairs = sorted(zip(latent, y, strict=True))
    best = (-1, 0.0, 0.0)
    for i, t1 in enumerate(cuts):
        for t2 in cuts[i:]:
            hits = sum(1 for z, label in pairs if (z >= t1) + (z >= t2) == label)
            if hits > best[0] or (hits == best[0] and (t2 - t1) > (best[2] - best[1])):
                best = (hits, t1, t2)
    return (round(best[1], DIGITS), round(best[2], DIGITS))


def agreement(latent: Sequence[float], labels: Sequence[str], thresholds: tuple[float, float]) -> float:
    t1, t2 = thresholds
    y = [ORDINAL[label] for label in labels]
    return sum(1 for z, label in zip(latent, y, strict=True) if (z >= t1) + (z >= t2) == label) / max(1, len(y))


def _spread(latent: Sequence[float], thresholds: tuple[float, float]) -> tuple[float, float]:
    """How far below t1 and above t2 replies typically lie (sets the slope of the 0–40 and 70–100 ends)."""
    t1, t2 = thresholds
    below = sorted(t1 - z for z in latent if z < t1)
    above = sorted(z - t2 for z in latent if z >= t2)
    low = below[len(below) // 2] if below else 1.0
    high = above[len(above) // 2] if above else 1.0
    return (round(max(low, 0.05), DIGITS), round(max(high, 0.05), DIGITS))


def train(
    rows: Sequence[Row],
    *,
    c: float | None = None,
    progress: Callable[[str], None] = lambda _m: None,
) -> tuple[Linear, dict[str, Any]]:
    """Choose C and thresholds by cross-validation on train, fit on train + validation."""
    train_rows = [r for r in rows if r.split == "train"]
    fit_rows = [r for r in rows if r.split in ("train", "validation")]
    if len({r.label for r in train_rows}) < 3:
        raise ValueError("il faut des répliques good, acceptable et poor dans la partie apprentissage")
    labels = [r.label for r in train_rows]
    report: dict[str, Any] = {"cv": {}}
    best: tuple[float, float, list[float]] | None = None
    for candidate in (c,) if c is not None else C_GRID:
        progress(f"validation croisée, C = {candidate}")
        latent = cross_validated(train_rows, candidate)
        thresholds = choose_thresholds(latent, labels)
        score = agreement(latent, labels, thresholds)
        report["cv"][str(candidate)] = round(score, 4)
        if best is None or score > best[1]:
            best = (candidate, score, latent)
    assert best is not None
    chosen = best[0]
    progress(f"seuils par validation croisée sur apprentissage + validation (C = {chosen})")
    fit_latent = cross_validated(fit_rows, chosen)
    fit_labels = [r.label for r in fit_rows]
    thresholds = choose_thresholds(fit_latent, fit_labels)
    spread = _spread(fit_latent, thresholds)
    progress("ajustement final")
    model = fit(fit_rows, chosen)
    report.update(
        {
            "c": chosen,
            "rows": {"train": len(train_rows), "validation": len(fit_rows) - len(train_rows),
                     "test": sum(1 for r in rows if r.split == "test")},
            "cv_agreement": round(agreement(fit_latent, fit_labels, thresholds), 4),
        }
    )
    return Linear(model.weights, thresholds, spread), report


def weights_json(model: Linear, trained: dict[str, Any]) -> bytes:
    """The weights file: sorted, rounded, one canonical byte string for one model."""
    document = {
        "format": MODEL_FORMAT,
        "feature_version": FEATURE_VERSION,
        "thresholds": list(model.thresholds),
        "spread": list(model.spread),
        "trained": trained,
        "weights": {k: model.weights[k] for k in sorted(model.weights)},
    }
    return (json.dumps(document, ensure_ascii=False, sort_keys=True, indent=0, separators=(",", ":")) + "\n").encode()
