"""Shared pieces of the interface: localised key bindings, literal text, bars, numbers and dates."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from typing import Any

from rich.text import Text

from simulator.textsafe import pictures
from simulator.tui.i18n import language, t

__all__ = [
    "bar",
    "tie_amounts",
    "clean_message",
    "keep_spaces_unbroken",
    "literal",
    "localize_bindings",
    "number",
    "score_style",
    "short_date",
    "when",
]

NO_BREAK = "\u00a0\u202f\u2007"
"""No-break space, narrow no-break space (French thousands) and figure space."""


def keep_spaces_unbroken() -> None:
    """Make Textual's word wrap keep no-break spaces: « 4 980 € » never splits into « 4 » / « 980 € ».

    Rich (which wraps Textual's content) and Textual's text area split words on ``\\s``,
    which in Python includes U+00A0 and U+202F. Their word patterns are replaced by
    ones that treat those spaces as part of a word. Called once when the app module is
    imported (``tests/tui`` checks the result on screen).
    """
    from rich import _wrap as rich_wrap
    from textual import _wrap as textual_wrap

    space = rf"[^\S{NO_BREAK}]"
    word = rf"(?:[^\s]|[{NO_BREAK}])"
    rich_wrap.re_word = re.compile(rf"{space}*{word}+{space}*")
    textual_wrap.re_chunk = re.compile(rf"{word}+{space}*|{space}+")


_THOUSANDS = re.compile(r"(?<=\d) (?=\d{3}(?!\d))")
_UNIT = re.compile(r"(?<=\d) (?=(?:€|\$|%|EUR|CAD|HT|TTC|jours?)\b|[€$%])")


def tie_amounts(text: str) -> str:
    """Author text with its amounts kept on one line: « 4 800 € » gets no-break spaces.

    Authors type plain spaces in YAML; thousands groups take a narrow no-break space and
    a unit a no-break space, so a line never ends in the middle of an amount.
    """
    return _UNIT.sub("\u00a0", _THOUSANDS.sub("\u202f", text))


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


def score_style(score: float) -> str:
    """Colour of a 0–100 score: green from 70, yellow from 40, red below."""
    return "green" if score >= 70 else ("yellow" if score >= 40 else "red")


def number(value: float, decimals: int = 2) -> str:
    """A number as the interface language writes it, without useless zeros.

    French: ``66,67``, ``2``, ``0,67`` (decimal comma); English: ``66.67``.
    """
    rounded = round(float(value), decimals)
    if rounded == int(rounded):
        text = str(int(rounded))
    else:
        text = f"{rounded:.{decimals}f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if language() == "fr" else text


def short_date(day: dt.date) -> str:
    """``17/11/2026`` in French, ``17 Nov 2026`` in English (never ISO on screen)."""
    if language() == "fr":
        return day.strftime("%d/%m/%Y")
    return f"{day.day} {day.strftime('%b %Y')}"


def when(stamp: str) -> str:
    """A stored UTC timestamp shown in local time: ``17/11/2026 10:05``."""
    try:
        moment = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return f"{short_date(moment.date())} {moment.strftime('%H:%M')}"


def clean_message(message: str) -> str:
    """An error message for a screen: command names keep their words, lose their backticks."""
    return message.replace("`", "")
