"""Client files (dossiers clients): the situation of one practice call."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from msgspec import Meta

from simulator.model.common import Currency, Difficulty, Id, Money, Ref, Region, Struct, Title

__all__ = [
    "PLACEHOLDERS",
    "Case",
    "CallStyle",
    "Creditor",
    "Debtor",
    "HistoryEntry",
    "Invoice",
    "Limits",
    "CallObjective",
    "OutcomeKind",
    "PaymentMeans",
    "Situation",
    "ThirdParty",
    "ThirdPartyRole",
]

PLACEHOLDERS = (
    "amount", "assistant", "available", "caller", "caller_email", "caller_last", "caller_phone", "company", "contact",
    "contact_email", "contact_last", "creditor", "customer_since", "date", "deadline", "down_payment", "due",
    "invoice", "means", "payment_terms", "reason", "sales_rep", "seniority", "service", "signatory",
    "signatory_role",
)
"""Every ``{name}`` a debtor line may use, filled from the case by the call engine's
``case_facts`` (kept in step with it by a test)."""

Situation = Literal["direct", "switchboard", "absent", "voicemail", "wrong-person", "mobile"]
"""Comment l'appel commence : interlocuteur direct, standard, absent, messagerie,
mauvaise personne, mobile."""

CallStyle = Literal["relationnel", "standard", "ferme", "solution", "formel"]
"""Style d'appel (domain.md §1.4)."""

OutcomeKind = Literal[
    "commitment",
    "instalments",
    "callback",
    "dispute",
    "refusal",
    "hangup",
    "voicemail",
    "abandoned",
]
"""Issues possibles d'un appel."""

PaymentMeans = Literal["virement", "cheque", "lcr", "prelevement", "carte", "effet", "especes"]


class Creditor(Struct, kw_only=True):
    """The trainee's side: the company that is owed."""

    company: Title
    """Société créancière (celle du stagiaire)."""
    caller: Title = "Claire Martin"
    """Nom de l'appelant joué par le stagiaire."""
    service: str = "service crédit clients"
    """Service de l'appelant."""
    phone: str = ""
    """Numéro à laisser en messagerie."""
    email: str = ""
    """Adresse e-mail de l'appelant, à donner pour la confirmation écrite (``{caller_email}``)."""


class Debtor(Struct, kw_only=True):
    """The client company and its contact path."""

    company: Title
    """Société débitrice."""
    contact: Title
    """Interlocuteur visé (nom)."""
    contact_role: str = ""
    """Fonction de l'interlocuteur."""
    phone: str = ""
    """Numéro appelé."""
    importance: Literal["strategique", "recurrent", "occasionnel", "nouveau"] = "recurrent"
    """Importance commerciale du client."""
    city: str = ""
    """Ville."""
    assistant: str = ""
    """Nom de la personne du standard ou du collègue qui répond à sa place."""
    available: str = ""
    """Quand joindre l'interlocuteur, dit par un tiers (« cet après-midi à partir de 14 h »)."""
    email: str = ""
    """Adresse e-mail de l'interlocuteur (``{contact_email}``)."""
    payment_terms: str = ""
    """Conditions de paiement du contrat (« 45 jours fin de mois », ``{payment_terms}``)."""
    customer_since: Annotated[int, Meta(ge=1900, le=2100)] | None = None
    """Année d'entrée en relation (``{customer_since}`` ; ``{seniority}`` : « 12 ans »)."""


ThirdPartyRole = Literal[
    "signataire", "daf", "dirigeant", "comptable", "acheteur", "assistant", "commercial", "juriste", "autre"
]
"""Rôle d'un tiers du dossier."""


class ThirdParty(Struct, kw_only=True):
    """Someone else in the file: who signs payments, our sales rep, a buyer…"""

    name: Title
    """Nom (« Hélène Vidal »)."""
    role: ThirdPartyRole
    """Rôle : ``daf``, ``signataire``, ``commercial`` (notre commercial)…"""
    side: Literal["debtor", "creditor"] = "debtor"
    """``debtor`` : chez le client ; ``creditor`` : chez vous (le commercial, par exemple)."""
    function: str = ""
    """Fonction en toutes lettres (« directrice administrative et financière »)."""
    signs: bool = False
    """Signe ou valide les paiements (``{signatory}``) ; un ``daf`` côté client signe par défaut."""
    phone: str = ""
    """Téléphone."""
    email: str = ""
    """Adresse e-mail."""
    note: str = ""
    """Ce que le stagiaire sait de cette personne."""


class Invoice(Struct, kw_only=True):
    """One open invoice."""

    number: Annotated[str, Meta(min_length=1, max_length=40)]
    """Numéro de facture (ex. ``F-2026-1187``)."""
    issued: dt.date
    """Date d'émission."""
    due: dt.date
    """Date d'échéance."""
    amount: Money
    """Montant TTC restant dû."""
    currency: Currency = "EUR"
    """Devise."""
    po: str = ""
    """Numéro de bon de commande."""
    description: str = ""
    """Objet de la facture."""


class HistoryEntry(Struct, kw_only=True):
    """Something that happened before this call."""

    date: dt.date
    """Date de l'événement."""
    kind: Literal["call", "email", "letter", "promise", "broken-promise", "payment", "dispute"]
    """Nature de l'événement."""
    note: Annotated[str, Meta(min_length=1, max_length=1000)]
    """Ce qui a été dit ou fait."""


class CallObjective(Struct, kw_only=True):
    """What the trainee should obtain from one call (a case's ``objective`` and ``fallback``)."""

    text: Annotated[str, Meta(min_length=1, max_length=500)]
    """Objectif en une phrase."""
    amount: Money | None = None
    """Montant à obtenir (par défaut : le total dû)."""
    within_days: Annotated[int, Meta(ge=0, le=120)] = 7
    """Délai maximal accepté pour le paiement, en jours après l'appel."""
    means: tuple[PaymentMeans, ...] = ()
    """Modes de paiement acceptables (vide : tous)."""


class Limits(Struct, kw_only=True):
    """What the trainee is allowed to concede."""

    instalments: Annotated[int, Meta(ge=0, le=12)] = 0
    """Nombre maximal d'échéances accordables (0 : pas d'échéancier)."""
    max_delay_days: Annotated[int, Meta(ge=0, le=180)] = 0
    """Délai supplémentaire maximal accordable."""
    waive_penalties: bool = False
    """Abandon des pénalités autorisé en échange d'un paiement daté."""
    min_down_payment: Money = 0
    """Acompte minimal exigé en cas d'échéancier."""


class Case(Struct, tag="case", tag_field="kind", kw_only=True):
    """A client file: creditor, debtor, invoices, history and what to obtain."""

    id: Id
    """Identifiant stable du dossier."""
    title: Title
    """Titre du dossier."""
    persona: Ref
    """Personnage qui répond."""
    method: Ref | None = None
    """Méthode d'appel (par défaut : la seule méthode du pack)."""
    situation: Situation = "direct"
    """Situation au décroché."""
    call_style: CallStyle = "standard"
    """Style d'appel attendu."""
    difficulty: Difficulty = 1
    """Difficulté : 1, 2 ou 3."""
    region: Region = "FR"
    """``FR`` ou ``QC``."""
    call_date: dt.date
    """Date de l'appel : les dates dites (« jeudi ») sont calculées à partir d'elle."""
    call_time: Annotated[str, Meta(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")] = "10:00"
    """Heure de l'appel (HH:MM)."""
    creditor: Creditor
    """Votre société."""
    debtor: Debtor
    """Le client."""
    invoices: Annotated[tuple[Invoice, ...], Meta(min_length=1)]
    """Factures ouvertes."""
    third_parties: tuple[ThirdParty, ...] = ()
    """Tiers du dossier : qui signe les paiements, notre commercial… (``{signatory}``, ``{sales_rep}``)."""
    history: tuple[HistoryEntry, ...] = ()
    """Historique (appels, promesses, litiges)."""
    objective: CallObjective
    """Objectif principal."""
    fallback: CallObjective | None = None
    """Objectif de repli."""
    limits: Limits = Limits()
    """Marges de négociation."""
    objections: tuple[Ref, ...] | None = None
    """Objections de cet appel (par défaut : celles du personnage)."""
    briefing: str = ""
    """Consignes données au stagiaire avant l'appel."""
    follow_up: bool = False
    """Appel de suivi après une promesse non tenue."""
