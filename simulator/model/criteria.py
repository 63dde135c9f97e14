"""Gradable criteria, shared by the steps of a method and by objections.

A criterion is one observable thing in a trainee's typed reply. Its ``kind``
selects the matcher (see ``simulator.scoring``); ``level`` says whether the
reply must show it (``must``), should show it (``should``) or must not show it
(``must-not``, a violation). ``points`` is the criterion's weight; a criterion
scores at most its points however often the reply repeats it.
"""

from __future__ import annotations

from typing import Annotated, Literal

from msgspec import Meta

from simulator.model.common import Id, Level, Struct, Text, Title

__all__ = [
    "CRITERION_TYPES",
    "Criterion",
    "EmpathyCriterion",
    "EntityCriterion",
    "EntityKind",
    "ForbiddenCriterion",
    "ForbiddenKind",
    "OpenQuestionCriterion",
    "PatternCriterion",
    "PhraseCriterion",
    "ReformulationCriterion",
    "RelevanceCriterion",
    "StyleCriterion",
    "StyleKind",
]

Points = Annotated[int, Meta(ge=0, le=100)]
Phrase = Annotated[str, Meta(min_length=1, max_length=300)]

EntityKind = Literal["amount", "date", "commitment-date", "invoice", "means", "person", "phone", "po"]
"""Entities the scorer can find in a reply: amount, calendar date (any), commitment
date (a calendar date not before the call), invoice reference, payment means,
person name, phone number, purchase-order reference."""

StyleKind = Literal[
    "conditional",
    "hedging",
    "apology",
    "minimiser",
    "negative",
    "je-comprends-mais",
    "accusatory-why",
    "weak-verb",
    "vague-date",
]
"""Style faults: conditional, hedging, apology formulas, minimisers, negative wording,
"je comprends mais", accusatory "pourquoi", weak verbs (essayer, espérer), vague dates."""

ForbiddenKind = Literal["threat", "insult", "disclosure", "bank-details"]
"""Forbidden behaviour: unlawful threat, insult, disclosing the debt to a third party,
accepting or dictating a bank-detail change by phone."""


class _Base(Struct, tag_field="kind", kw_only=True):
    id: Id
    """Identifiant du critère, unique dans son étape ou son objection."""
    label: Title
    """Ce que le critère vérifie, montré au stagiaire dans le débrief."""
    level: Level = "should"
    """``must`` (indispensable), ``should`` (attendu) ou ``must-not`` (faute)."""
    points: Points = 5
    """Poids du critère ; jamais compté plus d'une fois par réplique."""
    feedback: str = ""
    """Conseil affiché quand le critère n'est pas satisfait (ou quand la faute est commise)."""
    fatal: bool = False
    """Pour ``must-not`` : la faute met fin à l'appel."""


class PhraseCriterion(_Base, tag="phrase", kw_only=True):
    """Fuzzy match of the reply against model phrases (rapidfuzz, see ``threshold``)."""

    phrases: Annotated[tuple[Phrase, ...], Meta(min_length=1)]
    """Formulations modèles ; la réplique doit en approcher une."""
    threshold: Annotated[int, Meta(ge=50, le=100)] = 80
    """Similarité minimale (0–100) avec l'une des formulations."""


class PatternCriterion(_Base, tag="pattern", kw_only=True):
    """Regular expressions over the normalised reply (lower case, no accents)."""

    patterns: Annotated[tuple[Phrase, ...], Meta(min_length=1)]
    """Expressions régulières, écrites sans accents et en minuscules."""


class EntityCriterion(_Base, tag="entity", kw_only=True):
    """The reply states concrete facts: amounts, dates, references, means, names."""

    entities: Annotated[tuple[EntityKind, ...], Meta(min_length=1)]
    """Entités attendues."""
    mode: Literal["all", "any"] = "all"
    """``all`` : toutes présentes ; ``any`` : au moins une."""


class OpenQuestionCriterion(_Base, tag="open-question", kw_only=True):
    """The reply asks an open question (qu'est-ce qui, comment, où en est, quel…)."""


class ReformulationCriterion(_Base, tag="reformulation", kw_only=True):
    """The reply restates the debtor's last line (real content overlap, not just a marker)."""

    min_overlap: Annotated[float, Meta(ge=0.05, le=1.0)] = 0.25
    """Part minimale des mots porteurs de sens du débiteur repris dans la réplique."""


class EmpathyCriterion(_Base, tag="empathy", kw_only=True):
    """Empathy without conceding the delay ("je comprends, et…", not "prenez votre temps")."""


class RelevanceCriterion(_Base, tag="relevance", kw_only=True):
    """The reply addresses the objection actually raised (its vocabulary and technique)."""

    keywords: tuple[Phrase, ...] = ()
    """Mots-clés propres à l'objection, en plus de ses formulations."""


class StyleCriterion(_Base, tag="style", kw_only=True):
    """Style penalties; a style criterion is normally ``must-not``."""

    faults: Annotated[tuple[StyleKind, ...], Meta(min_length=1)]
    """Fautes de style recherchées."""


class ForbiddenCriterion(_Base, tag="forbidden", kw_only=True):
    """Forbidden behaviour from the built-in lexicons, plus optional extra patterns."""

    categories: Annotated[tuple[ForbiddenKind, ...], Meta(min_length=1)]
    """Catégories interdites."""
    patterns: tuple[Phrase, ...] = ()
    """Expressions régulières supplémentaires (texte normalisé)."""


Criterion = (
    PhraseCriterion
    | PatternCriterion
    | EntityCriterion
    | OpenQuestionCriterion
    | ReformulationCriterion
    | EmpathyCriterion
    | RelevanceCriterion
    | StyleCriterion
    | ForbiddenCriterion
)

CRITERION_TYPES = (
    PhraseCriterion,
    PatternCriterion,
    EntityCriterion,
    OpenQuestionCriterion,
    ReformulationCriterion,
    EmpathyCriterion,
    RelevanceCriterion,
    StyleCriterion,
    ForbiddenCriterion,
)

# Used by docs only.
CriterionText = Text
