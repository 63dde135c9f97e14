"""Shared pieces of the interface: localised key bindings, literal text, bars."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from rich.text import Text

from simulator.textsafe import pictures
from simulator.tui.i18n import t

__all__ = ["bar", "literal", "localize_bindings"]


def localize_bindings(node: Any) -> None:
    """Translate binding descriptions, written as catalogue keys in ``BINDINGS``.

    Textual reads ``BINDINGS`` once per class; each node keeps its own copy, so
    translating the copy lets the footer follow the language setting.
    """
    merged = type(node)._merged_bindings
    if merged is None:
        return
    current = node._bindings.key_to_bindings
    localized = {
        key: [replace(b, description=t(b.description)) if b.description.startswith("key.") else b for b in bindings]
        for key, bindings in merged.key_to_bindings.items()
    }
    # Keep bindings Textual added at run time (the command palette's ctrl+p…).
    for key, bindings in current.items():
        localized.setdefault(key, bindings)
    node._bindings.key_to_bindings = localized


def literal(text: str, style: str = "") -> Text:
    """Author or trainee text shown as written: never parsed as markup, control characters
    shown as visible pictures (a pasted ESC sequence never reaches the terminal)."""
    return Text(pictures(text), style=style)


def bar(score: float, width: int = 20) -> str:
    """A text bar for a 0–100 score: ``█████░░░░░``."""
    score = max(0.0, min(100.0, float(score)))
    full = round(score / 100 * width)
    return "█" * full + "░" * (width - full)
