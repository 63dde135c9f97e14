"""Self-assessment questionnaires, taken before (positioning) and after training."""

from __future__ import annotations

from typing import Annotated

from msgspec import Meta

from simulator.model.common import Id, Ref, Struct, Title

__all__ = ["DEFAULT_SCALE", "Questionnaire", "QuestionnaireItem"]

DEFAULT_SCALE = (
    "Pas du tout maîtrisé",
    "Peu maîtrisé",
    "Partiellement maîtrisé",
    "Bien maîtrisé",
    "Parfaitement maîtrisé",
)


class QuestionnaireItem(Struct, kw_only=True):
    """One statement rated 1–5 against a training objective."""

    id: Id
    """Identifiant."""
    objective: Ref
    """Objectif de formation (déclaré dans un module de ``pack.yaml``)."""
    text: Annotated[str, Meta(min_length=1, max_length=1000)]
    """Énoncé (« Je sais calculer un DSO par épuisement du CA »)."""


class Questionnaire(Struct, tag="questionnaire", tag_field="kind", kw_only=True):
    """A self-assessment questionnaire."""

    id: Id
    """Identifiant."""
    title: Title
    """Titre."""
    description: str = ""
    """Consigne."""
    scale: Annotated[tuple[Annotated[str, Meta(min_length=1, max_length=80)], ...], Meta(min_length=5, max_length=5)] = DEFAULT_SCALE
    """Libellés des niveaux 1 à 5."""
    items: Annotated[tuple[QuestionnaireItem, ...], Meta(min_length=1)]
    """Énoncés."""
    free_text: str = "Ce que je retiens"
    """Invite de la question libre (vide : pas de question libre)."""
