"""Objections raised by debtors, with the technique and labelled example replies."""

from __future__ import annotations

from typing import Annotated, Literal

from msgspec import Meta

from simulator.model.common import Id, Struct, Title
from simulator.model.criteria import Criterion

__all__ = ["Example", "ExampleLabel", "Objection", "ObjectionCategory"]

ObjectionCategory = Literal[
    "facture",
    "paiement-annonce",
    "circuit",
    "tresorerie",
    "litige",
    "relation",
    "juridique",
    "report",
    "fraude",
    "interlocuteur",
    "agressivite",
]
"""Famille d'objection."""

ExampleLabel = Literal["good", "acceptable", "poor"]


class Example(Struct, kw_only=True):
    """A labelled example reply; they double as the scorer's calibration set."""

    reply: Annotated[str, Meta(min_length=1, max_length=2000)]
    """Réplique du stagiaire."""
    label: ExampleLabel
    """``good`` (≥ 70), ``acceptable`` (40–69) ou ``poor`` (< 40)."""
    note: str = ""
    """Pourquoi cette étiquette."""
    debtor: str = ""
    """Phrase du débiteur à laquelle on répond (par défaut : la 1re formulation)."""


class Objection(Struct, tag="objection", tag_field="kind", kw_only=True):
    """A classic objection and how to handle it."""

    id: Id
    """Identifiant stable (ex. ``cheque-parti``)."""
    title: Title
    """Intitulé court."""
    category: ObjectionCategory
    """Famille."""
    phrasings: Annotated[tuple[Annotated[str, Meta(min_length=1, max_length=600)], ...], Meta(min_length=1)]
    """Formulations du débiteur."""
    technique: str = ""
    """Technique recommandée."""
    weight: Annotated[int, Meta(ge=0, le=100)] = 20
    """Poids de l'objection dans la note de l'appel."""
    criteria: tuple[Criterion, ...] = ()
    """Critères d'une bonne réponse."""
    feedback: str = ""
    """Retour général montré au débrief."""
    model: str = ""
    """Réponse modèle."""
    examples: tuple[Example, ...] = ()
    """Exemples étiquetés (au moins 2 bons, 1 acceptable, 2 mauvais conseillés)."""
