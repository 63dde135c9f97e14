"""``{name}`` placeholders in question texts, tables and worked solutions.

A placeholder is a bare variable name between braces: ``{ca_ttc}``.  It is
replaced by the value formatted the French way (:func:`format_fr`) with the
value's unit and number of decimals.  Anything else between braces
(``{ca * 2}``, ``{ CA }``) is left as typed at run time and reported by the
content checks, so that an author sees the mistake instead of a half-rendered
text.  Author text is data: nothing else is interpreted.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal

from simulator.quiz.numbers import format_fr

__all__ = [
    "BRACES_RE",
    "NAME_RE",
    "Shown",
    "braces",
    "natural_decimals",
    "render",
]

BRACES_RE = re.compile(r"\{([^{}\n]*)\}")
"""Every ``{…}`` group (one line, no nested braces)."""
NAME_RE = re.compile(r"[a-z_][a-z0-9_]*")
"""What a placeholder may contain: a variable name, as in the model."""

MAX_NATURAL_DECIMALS = 6


@dataclass(frozen=True, slots=True)
class Shown:
    """A value with how to display it."""

    value: Decimal
    decimals: int
    unit: str | None = None

    def text(self) -> str:
        """French display, e.g. ``1 800 000 €`` or ``12,15 %``."""
        return format_fr(self.value, self.decimals, self.unit)


def natural_decimals(value: Decimal) -> int:
    """Decimals a drawn value needs: ``12.15`` → 2, ``1500000`` → 0 (at most 6)."""
    exponent = value.normalize().as_tuple().exponent
    assert isinstance(exponent, int)
    return min(MAX_NATURAL_DECIMALS, max(0, -exponent))


def braces(text: str) -> Iterator[tuple[str, bool]]:
    """Each ``{…}`` content of ``text`` and whether it is a valid placeholder name."""
    for match in BRACES_RE.finditer(text):
        content = match.group(1)
        yield content, NAME_RE.fullmatch(content) is not None


def render(text: str, values: Mapping[str, Shown]) -> str:
    """Replace each ``{name}`` known in ``values``; leave everything else as typed."""

    def replace(match: re.Match[str]) -> str:
        shown = values.get(match.group(1))
        return shown.text() if shown is not None else match.group(0)

    return BRACES_RE.sub(replace, text)
