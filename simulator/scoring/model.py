"""The learned layer: weights from a plain JSON file, a deterministic dot product.

A weights file (``scorer/weights.json`` in a pack) holds a linear model over the
named features of :mod:`simulator.scoring.features`, trained by ``relance
train`` on the pack's labelled corpora:

* ``latent = Σ weight(feature) × value`` over the reply's features, summed with
  :func:`math.fsum` (exactly rounded, hence independent of order and machine);
* two thresholds ``t1 < t2`` on the latent value separate poor / acceptable /
  good; the latent value is mapped to 0–100 by a monotone curve that sends
  ``t1`` to 40 and ``t2`` to 70, so the three bands of the score are the
  model's three classes and a higher latent value always means a higher score.

No pickle, no heavy import: the file is JSON, read with msgspec on first use.
"""

from __future__ import annotations

import functools
import hashlib
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import msgspec

from simulator.errors import ContentError

__all__ = ["MODEL_FORMAT", "ScoringModel", "cached_model", "load_model", "to_score"]

MODEL_FORMAT = 1
"""Version of the weights file layout."""


class _File(msgspec.Struct, kw_only=True):
    format: int
    feature_version: int
    thresholds: tuple[float, float]
    spread: tuple[float, float]
    weights: dict[str, float]
    trained: dict[str, Any] = {}


class ScoringModel:
    """A loaded weights file (immutable after loading)."""

    __slots__ = ("__weakref__", "_merged", "_objections", "_roles", "digest", "feature_version", "spread",
                 "thresholds", "trained", "weights")

    def __init__(self, data: _File, digest: str) -> None:
        self.weights: Mapping[str, float] = data.weights
        self.thresholds = data.thresholds
        self.spread = data.spread
        self.feature_version = data.feature_version
        self.trained = data.trained
        self.digest = digest
        """sha256 of the file's bytes: written into transcripts and attestations."""
        self._roles: dict[str, dict[str, float]] = {}
        self._objections: dict[str, dict[str, float]] = {}
        self._merged: dict[tuple[str, str], dict[str, float]] = {}

    @property
    def version(self) -> str:
        """A short identity of the model: feature version and the file's digest."""
        return f"f{self.feature_version}-{self.digest[:12]}"

    def latent(self, features: Mapping[str, float]) -> float:
        w = self.weights
        return math.fsum(w[name] * value for name, value in features.items() if name in w)

    def contributions(self, features: Mapping[str, float]) -> list[tuple[str, float]]:
        """Each feature's share of the latent value, largest effect first (ties by name)."""
        w = self.weights
        parts = [(name, w[name] * value) for name, value in features.items() if name in w and name != "bias"]
        return sorted(parts, key=lambda p: (-abs(p[1]), p[0]))

    def score(self, features: Mapping[str, float]) -> float:
        return to_score(self.latent(features), self.thresholds, self.spread)

    # Scoring a reply in context without building its crossed features: each base
    # feature's weight in a role (its own weight plus its ``|s:role`` cross) and in
    # an objection (its ``|o:`` cross) is looked up in a table built once per role
    # and per objection. The result is the latent value of ``expand(base, role,
    # objection)``, summed per feature.

    def _role_table(self, role: str | None) -> dict[str, float]:
        key = role or "-"
        table = self._roles.get(key)
        if table is None:
            suffix = f"|s:{key}"
            table = {}
            for name, weight in self.weights.items():
                if "|" not in name:
                    table[name] = table.get(name, 0.0) + weight
                elif name.endswith(suffix):
                    base = name[: -len(suffix)]
                    table[base] = table.get(base, 0.0) + weight
            self._roles[key] = table
        return table

    def _objection_table(self, objection: str | None) -> dict[str, float]:
        if not objection:
            return {}
        table = self._objections.get(objection)
        if table is None:
            suffix = f"|o:{objection}"
            table = {name[: -len(suffix)]: weight for name, weight in self.weights.items() if name.endswith(suffix)}
            self._objections[objection] = table
        return table

    def weight_in(self, name: str, role: str | None, objection: str | None) -> float:
        """A base feature's weight in context (alone, crossed with the role and the objection)."""
        return self._table(role, objection).get(name, 0.0)

    def _table(self, role: str | None, objection: str | None) -> dict[str, float]:
        """Each base feature's weight in one context (role and objection crosses added in)."""
        key = (role or "-", objection or "")
        table = self._merged.get(key)
        if table is None:
            table = {name: weight + 0.0 for name, weight in self._role_table(role).items()}
            for name, weight in self._objection_table(objection).items():
                table[name] = table.get(name, 0.0) + weight
            if len(self._merged) > 512:
                self._merged.clear()
            self._merged[key] = table
        return table

    def latent_in(self, base: Mapping[str, float], role: str | None, objection: str | None) -> float:
        table = self._table(role, objection)
        get = table.get
        return math.fsum(value * w for name, value in base.items() if (w := get(name)) is not None)

    def score_in(self, base: Mapping[str, float], role: str | None, objection: str | None) -> float:
        """The 0–100 score of a reply's base features said at ``role`` against ``objection``."""
        return to_score(self.latent_in(base, role, objection), self.thresholds, self.spread)


def to_score(z: float, thresholds: tuple[float, float], spread: tuple[float, float]) -> float:
    """Map a latent value to 0–100: ``t1`` → 40, ``t2`` → 70, monotone and continuous."""
    t1, t2 = thresholds
    low, high = spread
    if z < t1:
        # 40 at t1, falling towards 0 as z goes down.
        return 80.0 / (1.0 + math.exp(min(50.0, (t1 - z) / max(low, 1e-6))))
    if z < t2:
        return 40.0 + 30.0 * (z - t1) / max(t2 - t1, 1e-9)
    return 100.0 - 60.0 / (1.0 + math.exp(min(50.0, (z - t2) / max(high, 1e-6))))


def load_model(path: Path) -> ScoringModel:
    """Read and check a weights file; a broken file is a :class:`ContentError`."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ContentError(f"fichier de pondérations illisible : {path} ({exc.strerror})") from None
    try:
        data = msgspec.json.decode(raw, type=_File)
    except msgspec.DecodeError as exc:
        raise ContentError(
            f"fichier de pondérations invalide : {path} ({exc})",
            hint="régénérez-le avec `relance train`",
        ) from None
    if data.format != MODEL_FORMAT:
        raise ContentError(
            f"fichier de pondérations au format {data.format}, attendu {MODEL_FORMAT} : {path}",
            hint="régénérez-le avec `relance train`",
        )
    t1, t2 = data.thresholds
    if not (math.isfinite(t1) and math.isfinite(t2) and t1 < t2):
        raise ContentError(f"seuils invalides dans {path}", hint="régénérez-le avec `relance train`")
    return ScoringModel(data, hashlib.sha256(raw).hexdigest())


@functools.lru_cache(maxsize=8)
def cached_model(path: Path, digest: str) -> ScoringModel:
    """The model at ``path``, loaded once; it must still be the file whose sha256 is ``digest``.

    The digest is the one recorded in the pack when it was loaded (and in its
    hash): scoring with a file that changed since would not be reproducible.
    """
    model = load_model(path)
    if model.digest != digest:
        raise ContentError(
            f"le fichier de pondérations {path} a changé depuis le chargement du pack",
            hint="relancez la commande",
        )
    return model
