"""The typed, frozen content model of a Relance pack.

Imports only the standard library and msgspec: engines and the CLI can use it
without paying for Textual.
"""

from simulator.model.case import Case, Creditor, Debtor, HistoryEntry, Invoice, Limits, CallObjective, ThirdParty
from simulator.model.case_study import CaseStudy, CaseStudyQuestion, Derived, Table
from simulator.model.criteria import CRITERION_TYPES, Criterion
from simulator.model.corpus import LabelledReply, ReplyCorpus
from simulator.model.golden import Expectation, Golden, ScoreBand
from simulator.model.method import Method, Step
from simulator.model.objection import Example, Objection
from simulator.model.pack import DOCUMENT_TYPES, Document, Manifest, Module, Pack, TrainingObjective
from simulator.model.persona import Asked, Persona, PersonaLines, PersonaObjection, Traits
from simulator.model.questionnaire import Questionnaire, QuestionnaireItem
from simulator.model.quiz import QUESTION_TYPES, Question, QuizBank, Variable

__all__ = [
    "Asked",
    "ThirdParty",
    "CRITERION_TYPES",
    "DOCUMENT_TYPES",
    "QUESTION_TYPES",
    "CallObjective",
    "Case",
    "CaseStudy",
    "CaseStudyQuestion",
    "Creditor",
    "Criterion",
    "Debtor",
    "Derived",
    "Document",
    "Example",
    "Expectation",
    "Golden",
    "HistoryEntry",
    "Invoice",
    "LabelledReply",
    "Limits",
    "Manifest",
    "Method",
    "Module",
    "Objection",
    "TrainingObjective",
    "Pack",
    "Persona",
    "PersonaLines",
    "PersonaObjection",
    "Question",
    "Questionnaire",
    "QuestionnaireItem",
    "QuizBank",
    "ReplyCorpus",
    "ScoreBand",
    "Step",
    "Table",
    "Traits",
    "Variable",
]
