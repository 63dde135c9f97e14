"""Shared value types of the content model.

Every content object is a frozen :class:`msgspec.Struct`; sequences are tuples so
that a loaded pack cannot be mutated by an engine. Constraints live in the type
annotations (``Meta``) so that validation, the JSON Schema and the docs agree.
"""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec
from msgspec import Meta

__all__ = [
    "Id",
    "Language",
    "Level",
    "Money",
    "Region",
    "Ref",
    "Struct",
    "Text",
    "Title",
    "Difficulty",
    "Score100",
    "Currency",
]

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"

Id = Annotated[
    str,
    Meta(
        pattern=ID_PATTERN,
        min_length=1,
        max_length=64,
        description="Identifiant stable : minuscules, chiffres et tirets (ex. `cheque-parti`).",
    ),
]
"""A stable identifier: lower-case ASCII letters, digits and hyphens."""

Ref = Id
"""A reference to the id of another object of the pack (or of a pack it depends on)."""

Title = Annotated[str, Meta(min_length=1, max_length=200)]
Text = Annotated[str, Meta(min_length=1, max_length=4000)]
Money = Annotated[float, Meta(ge=0, le=1_000_000_000)]
Difficulty = Annotated[int, Meta(ge=1, le=3, description="1 facile, 2 moyen, 3 difficile")]
Score100 = Annotated[int, Meta(ge=0, le=100)]
Language = Literal["fr-FR", "fr-CA", "en"]
Region = Literal["FR", "QC"]
Currency = Literal["EUR", "CAD"]
Level = Literal["must", "should", "must-not"]


class Struct(
    msgspec.Struct,
    frozen=True,
    forbid_unknown_fields=True,
    kw_only=True,
    omit_defaults=True,
):
    """Base of every content object: immutable, strict about unknown keys."""
