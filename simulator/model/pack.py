"""The pack manifest and the loaded, validated pack."""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import Meta

from simulator.model.case import Case
from simulator.model.case_study import CaseStudy
from simulator.model.common import Id, Language, Struct, Title
from simulator.model.corpus import ReplyCorpus
from simulator.model.golden import Golden
from simulator.model.method import Method
from simulator.model.objection import Objection
from simulator.model.persona import Persona
from simulator.model.questionnaire import Questionnaire
from simulator.model.quiz import QuizBank

__all__ = ["DOCUMENT_TYPES", "Document", "Manifest", "Module", "Pack", "TrainingObjective"]


class TrainingObjective(Struct, kw_only=True):
    """A training objective (référencé par les questionnaires d'auto-évaluation)."""

    id: Id
    """Identifiant."""
    text: Annotated[str, Meta(min_length=1, max_length=500)]
    """Énoncé de l'objectif."""


class Module(Struct, kw_only=True):
    """A training module; quizzes and case studies belong to one."""

    id: Id
    """Identifiant."""
    title: Title
    """Titre du module."""
    objectives: tuple[TrainingObjective, ...] = ()
    """Objectifs pédagogiques."""


class Manifest(Struct, tag="pack", tag_field="kind", kw_only=True):
    """``pack.yaml``: what the pack is."""

    id: Id
    """Identifiant du pack."""
    title: Title
    """Titre."""
    version: Annotated[str, Meta(pattern=r"^\d+\.\d+(\.\d+)?$")]
    """Version (``1.0`` ou ``1.0.0``)."""
    language: Language = "fr-FR"
    """Langue du contenu : ``fr-FR``, ``fr-CA`` ou ``en``."""
    description: str = ""
    """Présentation."""
    authors: tuple[str, ...] = ()
    """Auteurs."""
    licence: str = ""
    """Licence du contenu."""
    depends: tuple[Id, ...] = ()
    """Packs dont ce pack utilise des objets (méthode, objections, modules…)."""
    modules: tuple[Module, ...] = ()
    """Modules de formation."""


Document = (
    Manifest | Method | Persona | Case | Objection | QuizBank | CaseStudy | Questionnaire | Golden | ReplyCorpus
)
"""Every file of a pack is one of these, chosen by its ``kind`` key."""

DOCUMENT_TYPES = (
    Manifest, Method, Persona, Case, Objection, QuizBank, CaseStudy, Questionnaire, Golden, ReplyCorpus,
)


class Pack(msgspec.Struct, frozen=True, kw_only=True):
    """A validated pack: its objects, its content hash and where each came from."""

    manifest: Manifest
    root: str
    hash: str
    methods: tuple[Method, ...] = ()
    personas: tuple[Persona, ...] = ()
    cases: tuple[Case, ...] = ()
    objections: tuple[Objection, ...] = ()
    quizzes: tuple[QuizBank, ...] = ()
    case_studies: tuple[CaseStudy, ...] = ()
    questionnaires: tuple[Questionnaire, ...] = ()
    goldens: tuple[Golden, ...] = ()
    corpora: tuple[ReplyCorpus, ...] = ()
    """Labelled reply corpora (training and calibration of the scorer); empty when not loaded."""
    corpus_size: int = 0
    """How many labelled replies the pack's corpora hold (known even when they are not loaded)."""
    scorer: str = ""
    """sha256 of the pack's scorer weights file (``scorer/weights.json``), or "" when it has none."""
    sources: tuple[tuple[str, str], ...] = ()
    """(object id, file path relative to the pack) for every object."""

    @property
    def id(self) -> str:
        return self.manifest.id

    @property
    def title(self) -> str:
        return self.manifest.title
