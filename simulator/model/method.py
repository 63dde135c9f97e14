"""The call method: ordered steps, each with a goal and gradable criteria."""

from __future__ import annotations

from typing import Annotated

from msgspec import Meta

from simulator.model.common import Id, Struct, Title
from simulator.model.criteria import Criterion

__all__ = ["Method", "Step"]


class Step(Struct, kw_only=True):
    """One step of the call method (e.g. « Se présenter »)."""

    id: Id
    """Identifiant stable de l'étape (ex. ``se-presenter``)."""
    title: Title
    """Nom de l'étape affiché au stagiaire."""
    goal: str = ""
    """Objectif de l'étape, en une phrase."""
    weight: Annotated[int, Meta(ge=0, le=100)] = 10
    """Poids de l'étape dans la note de l'appel."""
    criteria: tuple[Criterion, ...] = ()
    """Critères observables dans les répliques de cette étape."""
    hints: tuple[str, ...] = ()
    """Formulations modèles proposées en mode entraînement."""
    model: str = ""
    """Réponse modèle montrée au débrief."""
    optional: bool = False
    """Étape que l'on peut sauter sans pénalité d'ordre (ex. vérification déjà faite)."""


class Method(Struct, tag="method", tag_field="kind", kw_only=True):
    """An ordered call method. The engine never assumes a number of steps."""

    id: Id
    """Identifiant de la méthode."""
    title: Title
    """Titre affiché."""
    description: str = ""
    """Présentation de la méthode."""
    steps: Annotated[tuple[Step, ...], Meta(min_length=1, max_length=30)]
    """Étapes dans l'ordre de l'appel."""
    rules: tuple[Criterion, ...] = ()
    """Critères appliqués à chaque réplique, quelle que soit l'étape (fautes interdites, style)."""
