"""Labelled reply corpora: trainee replies with an expert's label, for training and calibration.

A corpus file (``kind: replies``) holds replies written for one or several cases,
each labelled good / acceptable / poor by someone who knows the trade, with the
debtor's line it answers and one line of reasons. The scorer's learned layer is
trained on the corpora of a pack (``relance train``) and measured on them
(``relance calibrate``); the split into train / validation / test is decided by
a hash of each item's id, so adding replies never moves the old ones.
"""

from __future__ import annotations

from typing import Annotated, Literal

from msgspec import Meta

from simulator.model.common import Id, Ref, Struct, Title

__all__ = ["LABELS", "Label", "LabelledReply", "ReplyCorpus"]

Label = Literal["good", "acceptable", "poor"]
"""``good`` (note ≥ 70), ``acceptable`` (40–69) ou ``poor`` (< 40)."""

LABELS: tuple[str, ...] = ("poor", "acceptable", "good")
"""Labels from worst to best (their index is the ordinal value)."""


class LabelledReply(Struct, kw_only=True):
    """One trainee reply, in its context, with the expert's label."""

    id: Id
    """Identifiant unique dans tous les corpus (il décide aussi de la partie : apprentissage, validation ou test)."""
    reply: Annotated[str, Meta(min_length=1, max_length=4000)]
    """Réplique du stagiaire, telle qu'il l'a tapée (fautes comprises)."""
    label: Label
    """Étiquette de l'expert : ``good``, ``acceptable`` ou ``poor``."""
    step: Ref | None = None
    """Étape de la méthode où la réplique est dite (id, ex. ``negocier``)."""
    objection: Ref | None = None
    """Objection que le débiteur vient de soulever, s'il y en a une (id, ex. ``cheque-parti``)."""
    debtor: Annotated[str, Meta(max_length=2000)] = ""
    """Ce que l'interlocuteur vient de dire, juste avant la réplique."""
    case: Ref | None = None
    """Dossier client de l'appel (id) : noms, montants, dates et limites dont la réplique est jugée."""
    reasons: Annotated[str, Meta(max_length=1000)] = ""
    """Une ligne : pourquoi cette étiquette."""


class ReplyCorpus(Struct, tag="replies", tag_field="kind", kw_only=True):
    """A file of labelled replies (``kind: replies``)."""

    id: Id
    """Identifiant du corpus."""
    title: Title
    """Intitulé."""
    author: str = ""
    """Qui a écrit et étiqueté les répliques."""
    blind: bool = False
    """``true`` si l'auteur n'a jamais vu le barème ni les erreurs du correcteur (écrit « à l'aveugle »)."""
    items: Annotated[tuple[LabelledReply, ...], Meta(min_length=1, max_length=20000)]
    """Les répliques étiquetées."""
