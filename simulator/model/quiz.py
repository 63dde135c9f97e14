"""Quiz banks and their question types (Moodle semantics, see assessment.md §1.1)."""

from __future__ import annotations

from typing import Annotated, Literal

from msgspec import Meta

from simulator.model.common import Id, Ref, Struct, Title

__all__ = [
    "QUESTION_TYPES",
    "Calculated",
    "Choice",
    "MatchPair",
    "Matching",
    "MultipleChoice",
    "Numeric",
    "Ordering",
    "Question",
    "QuizBank",
    "ShortText",
    "SingleChoice",
    "TrueFalse",
    "Unit",
    "Variable",
    "WeightedChoice",
]

QText = Annotated[str, Meta(min_length=1, max_length=4000)]
Short = Annotated[str, Meta(min_length=1, max_length=500)]
Unit = Literal["EUR", "$", "%", "jours"]
"""Unités reconnues dans les réponses numériques."""
VarName = Annotated[str, Meta(pattern=r"^[a-z_][a-z0-9_]*$", max_length=40)]


class Choice(Struct, kw_only=True):
    """A choice of a single-choice question."""

    text: Short
    """Texte du choix."""
    correct: bool = False
    """Bonne réponse."""
    feedback: str = ""
    """Retour si ce choix est sélectionné."""


class WeightedChoice(Struct, kw_only=True):
    """A choice of a multiple-choice question, with its fraction of the grade."""

    text: Short
    """Texte du choix."""
    fraction: Annotated[float, Meta(ge=-1.0, le=1.0)] = 0.0
    """Part de la note (−1 à 1) ; la somme des choix cochés est ramenée dans [0, 1]."""
    feedback: str = ""
    """Retour si ce choix est coché."""


class MatchPair(Struct, kw_only=True):
    """One left/right pair of a matching question."""

    left: Short
    """Élément de gauche (ex. une objection)."""
    right: Short
    """Élément de droite associé (ex. la technique)."""


class Variable(Struct, kw_only=True):
    """A variable of a calculated question or case study: a range with a step, or fixed values."""

    name: VarName
    """Nom utilisé dans les formules."""
    min: float | None = None
    """Borne basse (avec ``max`` et ``step``)."""
    max: float | None = None
    """Borne haute."""
    step: Annotated[float, Meta(gt=0)] | None = None
    """Pas entre deux valeurs."""
    values: tuple[float, ...] = ()
    """Valeurs possibles (à la place de min/max/step)."""
    label: str = ""
    """Libellé affiché (ex. « CA TTC annuel »)."""
    unit: Unit | None = None
    """Unité affichée."""


class _Question(Struct, tag_field="type", kw_only=True):
    id: Id
    """Identifiant stable de la question."""
    text: QText
    """Énoncé."""
    points: Annotated[float, Meta(gt=0, le=100)] = 1.0
    """Points de la question."""
    feedback: str = ""
    """Retour général, montré après la réponse."""
    source: str = ""
    """Source courte (texte de loi, auteur, date de vérification)."""
    module: Ref | None = None
    """Module de formation (par défaut : celui de la banque)."""


class SingleChoice(_Question, tag="single", kw_only=True):
    """One correct choice among several."""

    choices: Annotated[tuple[Choice, ...], Meta(min_length=2, max_length=12)]
    """Choix proposés."""
    shuffle: bool = True
    """Mélanger les choix."""


class MultipleChoice(_Question, tag="multiple", kw_only=True):
    """Several choices may be ticked; grade = sum of fractions clamped to [0, 1]."""

    choices: Annotated[tuple[WeightedChoice, ...], Meta(min_length=2, max_length=12)]
    """Choix proposés, chacun avec sa fraction."""
    shuffle: bool = True
    """Mélanger les choix."""


class TrueFalse(_Question, tag="truefalse", kw_only=True):
    """A statement to mark true or false."""

    answer: bool
    """Réponse attendue."""
    feedback_right: str = ""
    """Retour montré à qui répond juste (avant le retour général)."""
    feedback_wrong: str = ""
    """Retour montré à qui se trompe (avant le retour général)."""


class Numeric(_Question, tag="numeric", kw_only=True):
    """A number, with a tolerance and an optional unit."""

    answer: float
    """Valeur attendue."""
    tolerance: Annotated[float, Meta(ge=0)] = 0.0
    """Écart accepté."""
    tolerance_mode: Literal["absolute", "relative"] = "absolute"
    """``absolute`` (en unités) ou ``relative`` (fraction de la réponse, 0.01 = 1 %)."""
    feedback_right: str = ""
    """Retour montré à qui donne la bonne valeur (avant le retour général)."""
    feedback_wrong: str = ""
    """Retour montré pour toute autre valeur (avant le retour général)."""
    unit: Unit | None = None
    """Unité attendue (facultative dans la réponse)."""


class Calculated(_Question, tag="calculated", kw_only=True):
    """A numeric question whose values are drawn with the seed and answer computed by formula."""

    variables: Annotated[tuple[Variable, ...], Meta(min_length=1)]
    """Variables tirées au sort ; l'énoncé les cite entre accolades : ``{ca}``."""
    formula: Annotated[str, Meta(min_length=1, max_length=500)]
    """Formule de la réponse (ex. ``creances / ca * 365``)."""
    tolerance: Annotated[float, Meta(ge=0)] = 0.0
    """Écart accepté."""
    tolerance_mode: Literal["absolute", "relative"] = "absolute"
    """Mode de tolérance."""
    unit: Unit | None = None
    """Unité."""
    decimals: Annotated[int, Meta(ge=0, le=6)] = 2
    """Décimales affichées."""


class Ordering(_Question, tag="ordering", kw_only=True):
    """Put items in order; partial credit per item in its right place."""

    items: Annotated[tuple[Short, ...], Meta(min_length=2, max_length=20)]
    """Éléments dans le bon ordre (ils sont présentés mélangés)."""


class Matching(_Question, tag="matching", kw_only=True):
    """Match each left item with its right item."""

    pairs: Annotated[tuple[MatchPair, ...], Meta(min_length=2, max_length=20)]
    """Paires correctes."""


class ShortText(_Question, tag="text", kw_only=True):
    """A short typed answer, matched fuzzily against accepted answers."""

    answers: Annotated[tuple[Short, ...], Meta(min_length=1)]
    """Réponses acceptées."""
    threshold: Annotated[int, Meta(ge=50, le=100)] = 85
    """Similarité minimale (0–100) après normalisation."""


Question = (
    SingleChoice | MultipleChoice | TrueFalse | Numeric | Calculated | Ordering | Matching | ShortText
)
QUESTION_TYPES = (
    SingleChoice,
    MultipleChoice,
    TrueFalse,
    Numeric,
    Calculated,
    Ordering,
    Matching,
    ShortText,
)


class QuizBank(Struct, tag="quiz", tag_field="kind", kw_only=True):
    """A bank of questions for one training module."""

    id: Id
    """Identifiant du quiz."""
    title: Title
    """Titre."""
    module: Ref
    """Module de formation (déclaré dans ``pack.yaml``)."""
    description: str = ""
    """Présentation."""
    draw: Annotated[int, Meta(ge=1, le=500)] | None = None
    """Nombre de questions tirées (par défaut : toutes)."""
    shuffle: bool = True
    """Mélanger l'ordre des questions."""
    pass_mark: Annotated[int, Meta(ge=0, le=100)] = 60
    """Seuil de réussite en %."""
    mode: Literal["training", "exam"] = "training"
    """``training`` : correction après chaque question ; ``exam`` : à la fin."""
    penalty: Annotated[float, Meta(ge=0, le=1)] = 1 / 3
    """Pénalité par nouvel essai (mode entraînement)."""
    time_limit: Annotated[int, Meta(ge=1, le=600)] | None = None
    """Durée maximale en minutes."""
    feedback: str = ""
    """Retour général en fin de quiz."""
    questions: Annotated[tuple[Question, ...], Meta(min_length=1, max_length=10000)]
    """Questions."""
