"""Debtor personas: who answers the phone, how they talk and how they react."""

from __future__ import annotations

from typing import Annotated, Literal

from msgspec import Meta

from simulator.model.common import Difficulty, Id, Ref, Region, Struct, Title

__all__ = [
    "ASKED_KEYS",
    "Asked",
    "LINE_KEYS",
    "Persona",
    "PersonaLines",
    "PersonaObjection",
    "PersonaType",
    "Traits",
]

PersonaType = Literal[
    "bonne-foi",
    "sur-controle",
    "difficulte-tresorerie",
    "contestataire",
    "procedurier",
    "chronique",
    "manipulateur",
    "fraudeur",
    "client-roi",
    "injoignable",
    "standard",
    "messagerie",
    "absent",
    "mauvais-interlocuteur",
    "mobile",
]
"""Typologie des débiteurs (domain.md §2) et situations d'exception."""

Trait = Annotated[int, Meta(ge=1, le=5)]
Line = Annotated[str, Meta(min_length=1, max_length=600)]
Lines = tuple[Line, ...]


class Traits(Struct, kw_only=True):
    """Personality on a 1–5 scale; the engine turns them into patience and cooperation."""

    patience: Trait = 3
    """Patience : combien de répliques maladroites avant de s'agacer (1 = très peu)."""
    cooperation: Trait = 3
    """Coopération : facilité à s'engager sur une date (1 = très réticent)."""
    honesty: Trait = 3
    """Sincérité : 1 = invente des excuses, 5 = dit toujours la vérité."""


class PersonaLines(Struct, kw_only=True):
    """Line variants per situation; the engine draws one with the call's seed.

    Placeholders in braces are filled from the case: ``{contact}``, ``{company}``,
    ``{caller}``, ``{creditor}``, ``{amount}``, ``{invoice}``, ``{due}``, ``{means}``,
    ``{date}``, ``{signatory}``, ``{sales_rep}``, ``{payment_terms}``, ``{down_payment}``…
    (the full list is in the authoring guide).
    """

    answer: Lines = ()
    """Décroche le téléphone (« Comptabilité, bonjour. »)."""
    identity: Lines = ()
    """Confirme être la bonne personne."""
    availability: Lines = ()
    """Répond à la vérification de disponibilité."""
    explain: Lines = ()
    """Explique la situation quand on lui donne la parole sans objection à soulever."""
    acknowledge: Lines = ()
    """Réagit à une bonne réplique (la conversation avance)."""
    confused: Lines = ()
    """Réagit à une réplique hors sujet ou confuse."""
    irritated: Lines = ()
    """S'agace après des répliques maladroites."""
    evasive: Lines = ()
    """Devient évasif (réponse floue, pas de date)."""
    agree: Lines = ()
    """Accepte l'engagement proposé."""
    confirm: Lines = ()
    """Confirme la reformulation de l'accord."""
    goodbye: Lines = ()
    """Prend congé en fin d'appel."""
    hangup: Lines = ()
    """Dernière phrase avant de raccrocher."""
    gatekeeper: Lines = ()
    """Standard ou assistant(e) qui filtre."""
    absent: Lines = ()
    """L'interlocuteur est absent (dit par un tiers)."""
    wrong_person: Lines = ()
    """« Ce n'est pas moi qui m'occupe de ça. »"""
    voicemail: Lines = ()
    """Annonce de la messagerie vocale."""
    refuse: Lines = ()
    """Refus ferme de s'engager."""
    asked_amount: Lines = ()
    """Répond à « Quel montant pouvez-vous régler ? »."""
    asked_date: Lines = ()
    """Répond à « Quand / à quelle date pouvez-vous régler ? »."""
    asked_means: Lines = ()
    """Répond à « Par quel moyen allez-vous régler ? »."""
    asked_reason: Lines = ()
    """Répond à « Qu'est-ce qui bloque ? », « Pour quelle raison ? »."""
    asked_who: Lines = ()
    """Répond à « Qui valide / signe le paiement ? » (``{signatory}``)."""


LINE_KEYS = tuple(PersonaLines.__struct_fields__)


class Asked(Struct, kw_only=True):
    """Answers to diagnostic questions while one objection is on the table.

    They keep the persona consistent with the objection it just raised (short of
    cash: « Je peux faire {down_payment} cette semaine »); a missing one falls
    back on the persona's ``asked_*`` line.
    """

    amount: Lines = ()
    """Répond à « Quel montant pouvez-vous régler ? »."""
    date: Lines = ()
    """Répond à « Quand pouvez-vous régler ? »."""
    means: Lines = ()
    """Répond à « Par quel moyen ? »."""
    reason: Lines = ()
    """Répond à « Qu'est-ce qui bloque ? »."""
    who: Lines = ()
    """Répond à « Qui valide le paiement ? »."""


ASKED_KEYS = tuple(Asked.__struct_fields__)


class PersonaObjection(Struct, kw_only=True):
    """An objection this persona raises, and when."""

    objection: Ref
    """Identifiant de l'objection (fichier ``kind: objection``)."""
    at: Ref | None = None
    """Étape de la méthode où elle est soulevée (par défaut : quand on lui donne la parole)."""
    lines: Lines = ()
    """Formulations propres au personnage (sinon celles de l'objection)."""
    persistence: Annotated[int, Meta(ge=1, le=3)] = 1
    """Nombre de bonnes réponses nécessaires pour lever l'objection."""
    asked: Asked = Asked()
    """Réponses aux questions de diagnostic tant que l'objection est sur la table."""


class Persona(Struct, tag="persona", tag_field="kind", kw_only=True):
    """A scripted debtor."""

    id: Id
    """Identifiant stable du personnage."""
    name: Title
    """Nom affiché (« Martine Leroy »)."""
    civility: Literal["Madame", "Monsieur"] | None = None
    """Civilité, pour « Madame Leroy »."""
    role: str = ""
    """Fonction (« comptable fournisseurs »)."""
    type: PersonaType
    """Profil dans la typologie des débiteurs."""
    difficulty: Difficulty = 1
    """Difficulté : 1, 2 ou 3."""
    region: Region = "FR"
    """``FR`` (France) ou ``QC`` (Québec)."""
    description: str = ""
    """Portrait pour le formateur (non montré pendant l'appel)."""
    traits: Traits = Traits()
    """Patience, coopération, sincérité."""
    lines: PersonaLines = PersonaLines()
    """Répliques par situation."""
    objections: tuple[PersonaObjection, ...] = ()
    """Objections soulevées, dans l'ordre."""
    title: str = ""
    """Titre court pour les listes (par défaut : le nom et le profil)."""
