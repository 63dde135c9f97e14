"""Golden transcripts: scripted calls with the outcome and score they must produce."""

from __future__ import annotations

from typing import Annotated

from msgspec import Meta

from simulator.model.case import OutcomeKind
from simulator.model.common import Id, Ref, Struct, Title

__all__ = ["Expectation", "Golden", "ScoreBand"]


class ScoreBand(Struct, kw_only=True):
    """An inclusive score range on 0–100."""

    min: Annotated[int, Meta(ge=0, le=100)] = 0
    """Note minimale."""
    max: Annotated[int, Meta(ge=0, le=100)] = 100
    """Note maximale."""


class Expectation(Struct, kw_only=True):
    """What the scripted call must produce."""

    outcomes: Annotated[tuple[OutcomeKind, ...], Meta(min_length=1)]
    """Issues acceptées."""
    score: ScoreBand = ScoreBand()
    """Fourchette de note attendue."""


class Golden(Struct, tag="golden", tag_field="kind", kw_only=True):
    """A golden transcript (test plan) run by ``relance validate``."""

    id: Id
    """Identifiant."""
    title: Title = "Transcription de référence"
    """Intitulé."""
    case: Ref
    """Dossier joué."""
    seed: Annotated[int, Meta(ge=0, le=2**32 - 1)] = 1
    """Graine du tirage des répliques du personnage."""
    replies: Annotated[tuple[Annotated[str, Meta(max_length=10000)], ...], Meta(min_length=1)]
    """Répliques du stagiaire, dans l'ordre."""
    expect: Expectation
    """Résultat attendu."""
