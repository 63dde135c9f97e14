"""Numeric case studies: a generated dossier, formula questions and worked solutions."""

from __future__ import annotations

from typing import Annotated, Literal

from msgspec import Meta

from simulator.model.common import Id, Ref, Struct, Title
from simulator.model.quiz import Unit, Variable

__all__ = ["CaseStudy", "CaseStudyQuestion", "Derived", "Table"]

Formula = Annotated[str, Meta(min_length=1, max_length=500)]
VarName = Annotated[str, Meta(pattern=r"^[a-z_][a-z0-9_]*$", max_length=40)]


class Derived(Struct, kw_only=True):
    """A value computed from the variables (e.g. ``ca_ttc = ca_ht * 1.2``)."""

    name: VarName
    """Nom de la valeur."""
    formula: Formula
    """Formule."""
    label: str = ""
    """Libellé."""
    unit: Unit | None = None
    """Unité."""
    decimals: Annotated[int, Meta(ge=0, le=6)] = 2
    """Décimales affichées."""


class Table(Struct, kw_only=True):
    """A table of the dossier; cells may cite values in braces: ``{ca_mars}``."""

    title: Title
    """Titre du tableau."""
    columns: Annotated[tuple[str, ...], Meta(min_length=1, max_length=12)]
    """En-têtes de colonnes."""
    rows: Annotated[tuple[tuple[str, ...], ...], Meta(min_length=1, max_length=200)]
    """Lignes (chaque cellule est un texte, avec des valeurs entre accolades)."""


class CaseStudyQuestion(Struct, kw_only=True):
    """A question whose answer is a formula over the dossier's values."""

    id: Id
    """Identifiant."""
    text: Annotated[str, Meta(min_length=1, max_length=4000)]
    """Énoncé."""
    formula: Formula
    """Formule de la réponse."""
    tolerance: Annotated[float, Meta(ge=0)] = 0.0
    """Écart accepté."""
    tolerance_mode: Literal["absolute", "relative"] = "absolute"
    """Mode de tolérance."""
    unit: Unit | None = None
    """Unité."""
    decimals: Annotated[int, Meta(ge=0, le=6)] = 2
    """Décimales affichées."""
    points: Annotated[float, Meta(gt=0, le=100)] = 1.0
    """Points."""
    solution: tuple[str, ...] = ()
    """Corrigé pas à pas ; chaque ligne peut citer des valeurs entre accolades."""
    feedback: str = ""
    """Retour après la réponse."""


class CaseStudy(Struct, tag="case-study", tag_field="kind", kw_only=True):
    """A numeric case study (DSO, aged balance, penalties, margin erosion…)."""

    id: Id
    """Identifiant."""
    title: Title
    """Titre."""
    module: Ref
    """Module de formation."""
    intro: str = ""
    """Présentation du cas (peut citer des valeurs entre accolades)."""
    variables: tuple[Variable, ...] = ()
    """Variables tirées avec la graine."""
    derived: tuple[Derived, ...] = ()
    """Valeurs calculées, dans l'ordre."""
    tables: tuple[Table, ...] = ()
    """Tableaux du dossier."""
    questions: Annotated[tuple[CaseStudyQuestion, ...], Meta(min_length=1)]
    """Questions."""
    pass_mark: Annotated[int, Meta(ge=0, le=100)] = 60
    """Seuil de réussite en %."""
