"""Parse and format numbers the way a French-speaking trainee types and reads them.

Why a dedicated parser: numeric quiz answers are typed in a terminal by people
used to French conventions (``1 234,56 €``, ``12,5 %``, ``73 jours``), sometimes
with English habits (``1,234.56``) or pasted from a spreadsheet (no-break
spaces).  :func:`parse_number` turns such text into an exact :class:`Decimal`
plus a normalised unit, or raises :class:`NumberParseError` whose French
message the UI shows before asking again.  **Unparseable input is never graded
as a wrong answer** — it is simply refused.

Accepted input (all whitespace of Unicode category ``Zs`` — space, U+00A0
no-break space, U+202F narrow no-break space, thin space… — is treated as a
plain space; U+2212 "−" and the dashes U+2010–U+2013 are minus signs; U+2019
is read as the Swiss apostrophe):

* sign: optional ``+`` or ``-``, possibly followed by a space (``- 1 000``);
  it may stand before or after a currency prefix (``-€12`` or ``€-12``);
* units, case-insensitive, glued or spaced:

  - ``€``, ``EUR``, ``euro``, ``euros`` → ``"EUR"`` (suffix; ``€``/``EUR`` also as prefix),
  - ``$`` → ``"$"`` (suffix or prefix),
  - ``%`` → ``"%"`` (suffix). **The value is kept as typed**: ``"12,5 %"``
    gives ``value=12.5, unit="%"``, not 0.125 — the question decides what a
    percentage answer means,
  - ``j``, ``jour``, ``jours`` → ``"jours"`` (suffix; English "days" is not
    accepted — the course is French);

* digits with an optional decimal part: ``0,5``, ``,5`` and ``.5`` (leading
  separator) are accepted; a trailing separator (``5,``) is refused as a
  probable typing slip;
* thousands separators: space (any kind), apostrophe (``1'234.56``, Swiss), dot
  or comma — always in groups of exactly three digits after a first group of
  1–3 digits; a single kind per number;
* scientific notation ``1e3``, ``2,5E-4`` (exponent −15…15, no thousands
  separators) is accepted, because Moodle accepts it and whoever types it means it.

Ambiguity rule (dot and comma)
------------------------------
* **A comma alone is always the decimal separator**: ``"1,234"`` → 1.234,
  ``"12,5"`` → 12.5.  Several commas and no dot (``"12,5,3"``,
  ``"1,234,567"``) are refused: in French the comma cannot group thousands.
* **A single dot followed by exactly three digits, after an integer part of
  1–3 digits not starting with 0, and with no other separator**, is a
  thousands separator, as in French print: ``"1.234"`` → 1234,
  ``"-12.500"`` → −12500.  Any other single dot is decimal: ``"1.23"``,
  ``"1.2345"``, ``"0.125"``, ``"1234.567"``, ``"1 234.567"`` (spaces already
  group the thousands, so the dot is decimal).
* **Several dots** are thousands separators: ``"1.234.567"`` → 1234567
  (groups must be of three digits, else refused).
* **Dot and comma together**: the rightmost one is the decimal separator and
  the other one groups thousands: ``"1.234,56"`` → 1234.56 (French/German
  print), ``"1,234.56"`` → 1234.56 (English).
* A space between digit groups that are not groups of three (``"12 34"``) is
  refused as "two numbers".

:func:`format_fr` does the opposite for display: ``1 234,56 €`` with U+202F
(narrow no-break space) between thousands and U+00A0 before the unit, rounded
half away from zero (French commercial rounding, same as Moodle/PHP
``round``).  The minus sign is the ASCII hyphen-minus so that a displayed
value can be copied back into an answer field on any terminal.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

__all__ = [
    "NBSP",
    "NNBSP",
    "NumberParseError",
    "ParsedNumber",
    "format_fr",
    "parse_number",
]

NBSP = "\u00a0"
"""No-break space, placed between a number and its unit by :func:`format_fr`."""
NNBSP = "\u202f"
"""Narrow no-break space, the French thousands separator used by :func:`format_fr`."""

_MAX_INPUT = 100
"""Longer input is refused outright: no real answer needs it, and it bounds work."""

_MINUS_CHARS = {"\u2212", "\u2010", "\u2011", "\u2012", "\u2013", "\ufe63", "\uff0d"}
_APOSTROPHES = {"\u2019", "\u02bc", "\u00b4"}

_UNIT_ALIASES = {
    "€": "EUR",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "$": "$",
    "%": "%",
    "j": "jours",
    "jour": "jours",
    "jours": "jours",
}
_SUFFIX_RE = re.compile(r"\s*(€|\$|%|euros?|eur|jours?|j)$", re.IGNORECASE)
_PREFIX_RE = re.compile(r"^([+-]?)\s*(€|\$|eur)(?![a-z])\s*", re.IGNORECASE)
_SIGN_RE = re.compile(r"^([+-])\s*")
_BODY_CHARS_RE = re.compile(r"^[0-9 .,']+$")
_EXP_RE = re.compile(r"^(?P<int>[0-9]*)(?:[.,](?P<frac>[0-9]+))?[eE](?P<exp>[+-]?[0-9]{1,2})$")
_DIGITS_RE = re.compile(r"^[0-9]+$")

_EXAMPLES = "Exemples acceptés : 1 234,56 — 12,5 % — 73 jours — 4 000 $."


class NumberParseError(ValueError):
    """Raised when a typed answer cannot be read as a number.

    ``message`` is French and meant to be shown to the trainee as is; ``code``
    is a stable machine code: ``number-empty``, ``number-too-long``,
    ``number-invalid``, ``number-grouping``, ``number-separators``,
    ``number-unit``, ``number-range``.
    """

    def __init__(self, code: str, message: str, raw: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.raw = raw


@dataclass(frozen=True, slots=True)
class ParsedNumber:
    """A successfully parsed answer.

    ``value`` keeps the digits as typed (``"4 000,00"`` → ``Decimal("4000.00")``,
    equal to ``Decimal(4000)``); ``unit`` is ``None``, ``"EUR"``, ``"$"``,
    ``"%"`` or ``"jours"``; ``raw`` is the original text, for records.
    """

    value: Decimal
    unit: str | None
    raw: str


def _normalise(text: str) -> str:
    out = []
    for ch in text:
        if ch in _MINUS_CHARS:
            out.append("-")
        elif ch in _APOSTROPHES:
            out.append("'")
        elif ch in "\t\r\n" or unicodedata.category(ch) == "Zs":
            out.append(" ")
        else:
            out.append(ch)
    return re.sub(r" +", " ", "".join(out)).strip()


def _err(code: str, raw: str, detail: str) -> NumberParseError:
    return NumberParseError(code, detail, raw)


def _invalid(raw: str) -> NumberParseError:
    shown = raw.strip()
    return _err("number-invalid", raw, f"« {shown} » n'est pas un nombre reconnu. {_EXAMPLES}")


def _check_groups(int_part: str, sep: str, raw: str) -> str:
    """Validate thousands groups in ``int_part`` and return the bare digits."""
    groups = int_part.split(sep)
    first, rest = groups[0], groups[1:]
    ok = bool(_DIGITS_RE.match(first)) and len(first) <= 3
    ok = ok and all(len(g) == 3 and _DIGITS_RE.match(g) for g in rest)
    if not ok:
        shown = raw.strip()
        raise _err(
            "number-grouping",
            raw,
            f"« {shown} » : les chiffres doivent être groupés par trois pour les milliers "
            "(ex. 1 234 567). Tapez une seule valeur à la fois.",
        )
    return "".join(groups)


def _parse_body(body: str, raw: str) -> str:
    """Return a canonical decimal string (``"-"``-less) for the digits part."""
    m = _EXP_RE.match(body)
    if m:
        int_digits, frac, exp = m.group("int"), m.group("frac") or "", m.group("exp")
        if not (int_digits or frac):
            raise _invalid(raw)
        if abs(int(exp)) > 15:
            raise _err(
                "number-range", raw, f"« {raw.strip()} » : exposant trop grand (limite ±15)."
            )
        return f"{int_digits or '0'}.{frac or '0'}E{exp}"
    if not _BODY_CHARS_RE.match(body) or not any(c.isdigit() for c in body):
        raise _invalid(raw)

    commas, dots = body.count(","), body.count(".")
    spaced = " " in body or "'" in body
    decimal_sep: str | None
    thousands: str | None = None
    if commas and dots:
        decimal_sep = "," if body.rfind(",") > body.rfind(".") else "."
        thousands = "." if decimal_sep == "," else ","
        if body.count(decimal_sep) > 1 or spaced:
            raise _err(
                "number-separators",
                raw,
                f"« {raw.strip()} » : séparateurs incohérents. Écrivez par exemple 1 234,56.",
            )
    elif commas:
        if commas > 1:
            raise _err(
                "number-separators",
                raw,
                f"« {raw.strip()} » contient plusieurs virgules ; la virgule est le "
                "séparateur décimal (ex. 12,5 ou 1 234,56).",
            )
        decimal_sep = ","
    elif dots > 1:
        decimal_sep, thousands = None, "."
    elif dots == 1:
        head, _, tail = body.partition(".")
        if (
            not spaced
            and re.fullmatch(r"[1-9][0-9]{0,2}", head)
            and re.fullmatch(r"[0-9]{3}", tail)
        ):
            decimal_sep, thousands = None, "."
        else:
            decimal_sep = "."
    else:
        decimal_sep = None

    if decimal_sep is not None:
        int_part, _, frac = body.partition(decimal_sep)
        if not frac:
            raise _err(
                "number-invalid",
                raw,
                f"« {raw.strip()} » : chiffres attendus après le séparateur décimal.",
            )
        if not _DIGITS_RE.match(frac):
            raise _err(
                "number-grouping",
                raw,
                f"« {raw.strip()} » : la partie décimale ne doit contenir que des chiffres.",
            )
    else:
        int_part, frac = body, ""

    if int_part == "":
        if decimal_sep is None:
            raise _invalid(raw)
        digits = "0"
    else:
        kinds = {c for c in int_part if not c.isdigit()}
        if thousands is not None:
            kinds.add(thousands)
        if len(kinds) > 1:
            raise _err(
                "number-separators",
                raw,
                f"« {raw.strip()} » : un seul séparateur de milliers à la fois (ex. 1 234 567).",
            )
        digits = _check_groups(int_part, kinds.pop(), raw) if kinds else int_part
    return f"{digits}.{frac}" if frac else digits


def parse_number(text: str) -> ParsedNumber:
    """Parse a number typed by a trainee (see the module docstring for the rules).

    Raises :class:`NumberParseError` (a ``ValueError``) with a French message
    when the text is empty, ambiguous beyond the documented rules, or not a
    single number.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_number expects str, got {type(text).__name__}")
    raw = text
    if len(text) > _MAX_INPUT:
        raise _err("number-too-long", raw, "Saisie trop longue : tapez un seul nombre.")
    s = _normalise(text)
    if not s:
        raise _err("number-empty", raw, "Saisie vide : tapez un nombre, par exemple 1 234,56.")

    unit: str | None = None
    m = _SUFFIX_RE.search(s)
    if m and m.start() > 0:
        unit = _UNIT_ALIASES[m.group(1).lower()]
        s = s[: m.start()].rstrip()

    sign = ""
    m = _PREFIX_RE.match(s)
    if m:
        prefix_unit = _UNIT_ALIASES[m.group(2).lower()]
        if unit is not None:
            raise _err(
                "number-unit",
                raw,
                f"« {raw.strip()} » : une seule unité à la fois (ex. 1 234 € ou 12,5 %).",
            )
        unit = prefix_unit
        sign = m.group(1)
        s = s[m.end() :]
    m = _SIGN_RE.match(s)
    if m:
        if sign:
            raise _invalid(raw)
        sign = m.group(1)
        s = s[m.end() :]

    body = s.strip()
    if not body:
        raise _invalid(raw)
    canonical = _parse_body(body, raw)
    try:
        value = Decimal(canonical)
    except InvalidOperation:  # pragma: no cover - the grammar above prevents it
        raise _invalid(raw) from None
    if value.as_tuple().exponent > 0:  # "1e3" → 1000, not Decimal("1.0E+3")
        value = value.quantize(Decimal(1))
    if sign == "-" and value != 0:
        value = -value
    return ParsedNumber(value=value, unit=unit, raw=raw)


_DISPLAY_UNITS = {"EUR": "€", "€": "€", "$": "$", "%": "%"}
_DAY_UNITS = {"jours", "jour", "j"}


def _to_decimal(value: Decimal | float) -> Decimal:
    if isinstance(value, bool):
        raise TypeError("format_fr: a bool is not a number")
    if isinstance(value, Decimal):
        d = value
    elif isinstance(value, int):
        d = Decimal(value)
    elif isinstance(value, float):
        d = Decimal(repr(value))  # shortest repr: 0.1 stays 0.1
    else:
        raise TypeError(f"format_fr expects a number, got {type(value).__name__}")
    if not d.is_finite():
        raise ValueError("format_fr: value must be finite")
    return d


def format_fr(value: Decimal | float, decimals: int = 2, unit: str | None = None) -> str:
    """Format ``value`` for French display: ``format_fr(1234.5, 2, "EUR")`` → ``"1 234,50 €"``.

    Thousands are separated by U+202F, the unit follows after U+00A0. Rounding
    is half away from zero. ``unit`` may be ``"EUR"``/``"€"``, ``"$"``, ``"%"``,
    ``"jours"`` (written "jour" when |value| < 2, French singular rule) or any
    other text, appended verbatim.
    """
    if isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= 12:
        raise ValueError("decimals must be an integer between 0 and 12")
    d = _to_decimal(value)
    with localcontext() as ctx:
        ctx.prec = max(60, d.adjusted() + decimals + 5)
        q = d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    negative = q < 0
    text = format(abs(q), "f")
    int_part, _, frac = text.partition(".")
    groups = []
    while len(int_part) > 3:
        groups.insert(0, int_part[-3:])
        int_part = int_part[:-3]
    groups.insert(0, int_part)
    out = NNBSP.join(groups)
    if frac:
        out += "," + frac
    if negative:
        out = "-" + out
    if unit is not None:
        if unit in _DAY_UNITS:
            label = "jour" if abs(q) < 2 else "jours"
        else:
            label = _DISPLAY_UNITS.get(unit, unit)
        out += NBSP + label
    return out
