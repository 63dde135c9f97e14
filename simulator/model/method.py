"""The call method: ordered steps, each with a goal and gradable criteria."""

from __future__ import annotations

from typing import Annotated, Literal

from msgspec import Meta

from simulator.model.common import Id, Struct, Title
from simulator.model.criteria import Criterion

__all__ = ["Method", "Step", "StepRole"]

StepRole = Literal[
    "introduce", "identify", "listen", "state", "give-floor", "capture", "negotiate", "recap", "close"
]
"""What the step does in the call, so the engine knows how the debtor reacts to it:
``introduce`` (se présenter), ``identify`` (vérifier l'interlocuteur), ``listen``
(mettre en écoute), ``state`` (énoncer le sujet), ``give-floor`` (donner la parole :
les objections arrivent ici par défaut), ``capture`` (capter, reformuler),
``negotiate`` (obtenir l'engagement), ``recap`` (reformuler l'accord), ``close``
(conclure : fin de l'appel)."""


class Step(Struct, kw_only=True):
    """One step of the call method (e.g. « Se présenter »)."""

    id: Id
    """Identifiant stable de l'étape (ex. ``se-presenter``)."""
    title: Title
    """Nom de l'étape affiché au stagiaire."""
    goal: str = ""
    """Objectif de l'étape, en une phrase."""
    role: StepRole | None = None
    """Rôle de l'étape pour le moteur (réaction du débiteur, engagement, fin d'appel)."""
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
