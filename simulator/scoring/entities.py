"""Entity extraction from a trainee's typed French reply.

Pure and deterministic: no I/O, no clock (relative dates are resolved against
an explicit ``reference`` date, the case's call date), no randomness. Every
public function accepts any ``str`` (empty, 10,000 characters, emoji,
control characters, Rich markup) and never raises; non-``str`` input yields
empty results.

Spans are ``(start, end)`` offsets into the *original* text, so the UI can
highlight them. ``extract_all`` is the scorer's entry point; it shares work
between extractors (phones, references and dates are found first so that
their digits are never read as amounts).

Rules for ambiguous input (also asserted by the tests)
------------------------------------------------------
Amounts
    * A number with a currency (``€``, ``euro(s)``, ``EUR``, ``e`` glued or
      spaced after a figure, ``$``, ``dollar(s)``, ``CAD``, ``USD``), a
      multiplier (``k``, ``M€``, ``mille``, ``million(s)``, ``milliard(s)``)
      or a tax marker (``HT``, ``TTC``) is always an amount. Currency codes:
      ``"EUR"`` and ``"DOLLAR"`` (no CAD/USD guess); ``None`` when absent.
    * A *plain* number (none of the above) is an amount only if its value is
      >= 100 **and** it is either written like a sum (thousands separator
      ``12 000`` / ``12.000`` / ``12,000``, or two-digit cents ``1 250,50``) or
      preceded within a few words by a money cue (``montant``, ``somme``,
      ``solde``, ``reste``, ``virement``, ``chèque``, ``régler``, ``payer``,
      ``acompte``, ``versement``, ``dû``...). Number words follow the same
      rule except that any value >= 1000 counts as "written like a sum".
    * Never amounts: numbers followed by a non-money unit (``jours``, ``h``,
      ``%``, ``pour cent``, ``mois``, ``pièces``...), numbers right after an
      identifier keyword (``n°``, ``numéro``, ``facture``, ``compte``,
      ``client``, ``BC``...), a year after ``en``/``depuis``/``fin``/``début``,
      ordinals (``2e``), and anything inside a date, phone number or
      invoice/PO reference.
    * ``12.000`` is twelve thousand (dot + exactly 3 digits); ``12.50`` is
      12.50. Values are ``Decimal`` quantised to cents.
Dates (``reference`` = call date)
    * ``jeudi`` / ``d'ici jeudi``: next Thursday strictly after the reference
      (on a Thursday, ``jeudi`` means next week's). ``ce jeudi``: the
      Thursday of the current run, i.e. today when the reference is a
      Thursday. ``jeudi prochain``: the Thursday of the next calendar week
      (Monday-based), so on Tuesday 17 it is the 26th, not the 19th.
      ``jeudi en huit``: next Thursday + 7 days. ``jeudi dernier``: last one
      strictly before.
    * ``le 18`` / ``au 18`` / ``lundi 24``: the 18th of the reference month if
      not past (today counts as not past), else the next month that has
      that day. A weekday that disagrees with the calendar date sets
      ``conflict=True``; the calendar date wins.
    * Day + month without year (``18 novembre``, ``18/11``): the occurrence
      nearest to the reference (previous, same or next year; ties go to the
      future), so ``échue le 31 octobre`` is in the past and ``le 15 janvier``
      said in November is next year. Two-digit years are 20yy.
    * ``dans 8 jours`` = +7 and ``dans 15 jours`` = +14 (French usage for one
      and two weeks); other counts are literal.
    * ``la semaine prochaine`` -> Monday of next week, ``le mois prochain`` ->
      first day of next month; both ``kind="relative"`` and ``vague=True``.
    * Vague expressions (``fin de semaine``, ``fin du mois``, ``début de mois``,
      ``dès que possible``, ``rapidement``...) are reported as canonical
      labels by ``extract_vague_dates``, not as dates.
References
    * Invoice refs and PO refs are returned upper-cased without spaces,
      keeping hyphens/slashes (``f-2025-1187`` -> ``F-2025-1187``). A keyword
      prefix is not part of the ref (``BC 4512`` and ``BC-4512`` -> ``4512``).
      Use ``ref_key`` to compare refs loosely.
Payment means / names / phones
    * Means are canonical: virement, cheque, lcr, prelevement, carte, especes,
      effet. Negation is not interpreted (``pas par chèque`` still yields
      ``cheque``).
    * Names are returned as written, without the title (``Mme Leroy`` ->
      ``Leroy``). Bare pairs need two capitalised words, neither a stop-word,
      greeting, weekday, month, title or business word, and not right after
      ``société``/``chez``...
    * Phones are digits only; French numbers in national form
      (``+33 1 23 45 67 89`` -> ``0123456789``), North-American ones as ten
      digits (``(514) 555-1234`` -> ``5145551234``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from .normalize import STOPWORDS, normalize

__all__ = [
    "Amount",
    "DateMention",
    "Entities",
    "extract_all",
    "extract_amounts",
    "extract_dates",
    "extract_invoice_refs",
    "extract_payment_means",
    "extract_person_names",
    "extract_phone_numbers",
    "extract_po_refs",
    "extract_vague_dates",
    "parse_french_number",
    "ref_key",
]

Span = tuple[int, int]


# ==========================================================================
# Data classes
# ==========================================================================


@dataclass(frozen=True, slots=True)
class Amount:
    """A sum of money mentioned in the reply."""

    value: Decimal  # quantised to cents
    currency: str | None  # "EUR", "DOLLAR" or None (plain number)
    span: Span
    raw: str
    tax: str | None = None  # "HT", "TTC" or None


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date mentioned in the reply, resolved against the reference date."""

    value: date
    span: Span
    raw: str
    kind: str  # "weekday" | "day-of-month" | "numeric" | "named-month" | "relative"
    vague: bool = False  # e.g. "la semaine prochaine": a date, but not a commitment date
    conflict: bool = False  # named weekday disagrees with the calendar date


@dataclass(frozen=True, slots=True)
class Entities:
    """Everything ``extract_all`` found (tuples, so the instance is hashable)."""

    amounts: tuple[Amount, ...] = ()
    dates: tuple[DateMention, ...] = ()
    vague_dates: tuple[str, ...] = ()
    invoice_refs: tuple[str, ...] = ()
    po_refs: tuple[str, ...] = ()
    payment_means: tuple[str, ...] = ()
    person_names: tuple[str, ...] = ()
    phone_numbers: tuple[str, ...] = ()


# ==========================================================================
# Small helpers
# ==========================================================================

_ACCENTS = str.maketrans("àâäáãçéèêëíìîïñóòôöõúùûüýÿ", "aaaaaceeeeiiiinooooouuuuyy")
_DIGIT_RE = re.compile(r"\d")
_CENT = Decimal("0.01")


def _fold(s: str) -> str:
    """Lower-case and strip the accents French uses (cheap, no NFKD)."""
    return s.lower().translate(_ACCENTS)


def _overlaps(span: Span, spans: list[Span]) -> bool:
    a, b = span
    return any(a < d and c < b for c, d in spans)


def _dedupe(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _as_date(reference: date) -> date:
    # datetime is a date subclass; arithmetic on it would leak datetimes.
    return reference.date() if isinstance(reference, datetime) else reference


def _shift(d: date, days: int) -> date | None:
    try:
        return d + timedelta(days=days)
    except OverflowError:
        return None


def _make_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except (ValueError, OverflowError):
        return None


def _add_months(year: int, month: int, n: int) -> tuple[int, int]:
    m = month - 1 + n
    return year + m // 12, m % 12 + 1


# ==========================================================================
# Phone numbers
# ==========================================================================

_PHONE_FR_RE = re.compile(
    r"(?<![\d+])(?:(?:\+|00)\s?33\s?(?:\(0\)\s?)?(?P<a>[1-9])|0(?P<b>[1-9]))"
    r"(?P<rest>(?:[ .\-\u00a0\u202f]?\d{2}){4})(?![\d]|[.,]\d)"
)
_PHONE_NA_RE = re.compile(
    r"(?<![\d+])(?:\+?1[ .\-]?)?(?:\((?P<a1>[2-9]\d{2})\)[ .\-\u00a0]?|(?P<a2>[2-9]\d{2})[ .\-\u00a0])"
    r"(?P<b>[2-9]\d{2})[ .\-\u00a0](?P<c>\d{4})(?!\d)"
)
_NON_DIGIT_RE = re.compile(r"\D")


def _find_phones(text: str) -> list[tuple[str, Span]]:
    found: list[tuple[str, Span]] = []
    for m in _PHONE_FR_RE.finditer(text):
        first = m.group("a") or m.group("b")
        found.append(("0" + first + _NON_DIGIT_RE.sub("", m.group("rest")), m.span()))
    for m in _PHONE_NA_RE.finditer(text):
        if _overlaps(m.span(), [s for _, s in found]):
            continue
        area = m.group("a1") or m.group("a2")
        found.append((area + m.group("b") + m.group("c"), m.span()))
    found.sort(key=lambda x: x[1])
    return found


def extract_phone_numbers(text: str) -> list[str]:
    """French and North-American phone numbers, digits only (see module doc)."""
    if not isinstance(text, str) or not _DIGIT_RE.search(text):
        return []
    return _dedupe([p for p, _ in _find_phones(text)])


# ==========================================================================
# Invoice and purchase-order references
# ==========================================================================

# A reference token: optional letter prefix, then digits, then -/ groups.
_REF = r"(?P<ref>[A-Za-z]{0,5}[-/]?\d[\dA-Za-z]*(?:[-/][\dA-Za-z]+)*)"
_REF_ONLY_RE = re.compile(_REF)
_NUMKW = r"(?:n\s?[°º]|num[ée]ro|num\.|#|r[ée]f[ée]rence|r[ée]f\.?)"
_PO_WORDS = r"(?:bons?\s+de\s+commande|bdc|bc|po|cde|cmd|commandes?|purchase\s+order)"

_INVOICE_KW_RE = re.compile(
    rf"(?<![\w])(?:factures?|fact\.?|fac\.?|fct|invoices?)(?![a-zà-ÿ])\s*"
    rf"(?:{_NUMKW}\s*(?:de\s+(?:la\s+)?facture\s*)?)?:?\s*{_REF}",
    re.I,
)
_NUMBER_KW_RE = re.compile(
    rf"(?<![\w]){_NUMKW}\s*(?:(?:de|du)\s+(?:la\s+|votre\s+|notre\s+|le\s+)?"
    rf"(?P<what>facture|{_PO_WORDS})\s*)?:?\s*{_REF}",
    re.I,
)
_PO_KW_RE = re.compile(
    rf"(?<![\w]){_PO_WORDS}(?![a-zà-ÿ])\s*(?:{_NUMKW})?\s*[-:]?\s*{_REF}",
    re.I,
)
_STRUCT_REF_RE = re.compile(
    r"(?<![\w\-/])(?P<ref>[A-Za-z]{1,5}-?\d{2,}(?:[-/]\d+)+|[A-Z]{1,5}-\d{3,}|[A-Z]{1,4}\d{4,})"
    r"(?![\w\-/])"
)
_LIST_CONT_RE = re.compile(rf"\s*(?:,|et|&|\+)\s*(?:{_NUMKW}\s*)?{_REF}", re.I)
_PO_PREFIXES = frozenset({"BC", "BDC", "PO", "CDE", "CMD"})
_DATE_LIKE_REF_RE = re.compile(r"\d{1,2}/\d{1,2}(?:/\d{2,4})?")
_THOUSANDS_AFTER_RE = re.compile(r"[ \u00a0\u202f]\d{3}(?!\d)")


def _clean_ref(ref: str) -> str:
    return ref.upper().replace(" ", "")


def ref_key(ref: str) -> str:
    """Loose comparison key: ``F-2025-1187``, ``f 2025/1187`` -> ``F20251187``."""
    if not isinstance(ref, str):
        return ""
    return re.sub(r"[^0-9A-Z]", "", ref.upper())


def _valid_ref(text: str, ref: str, end: int, min_digits: int) -> bool:
    if sum(c.isdigit() for c in ref) < min_digits:
        return False
    if _DATE_LIKE_REF_RE.fullmatch(ref):
        return False
    # "facture 12 000 €": the digits start an amount, not a reference.
    return not (ref.isdigit() and _THOUSANDS_AFTER_RE.match(text, end))


def _find_refs(text: str, phone_spans: list[Span]) -> list[tuple[str, str, Span]]:
    """Return (kind, ref, span) with kind "invoice" or "po", ordered by position."""
    found: list[tuple[str, str, Span]] = []
    taken: list[Span] = list(phone_spans)

    def add(kind: str, m: re.Match[str], min_digits: int) -> bool:
        ref = m.group("ref")
        span = m.span("ref")
        if _overlaps(span, taken) or not _valid_ref(text, ref, span[1], min_digits):
            return False
        found.append((kind, _clean_ref(ref), span))
        taken.append(span)
        return True

    def add_list(kind: str, end: int) -> None:
        # "factures 1187 et 1188", "n° 1187, 1188"
        while True:
            m = _LIST_CONT_RE.match(text, end)
            if not m or not add(kind, m, 2):
                return
            end = m.end()

    for m in _NUMBER_KW_RE.finditer(text):
        what = (m.group("what") or "").lower()
        kind = "invoice" if not what or what.startswith("fact") else "po"
        if add(kind, m, 1):
            add_list(kind, m.end())
    for m in _INVOICE_KW_RE.finditer(text):
        if add("invoice", m, 2):
            add_list("invoice", m.end())
    for m in _PO_KW_RE.finditer(text):
        if add("po", m, 2):
            add_list("po", m.end())
    for m in _STRUCT_REF_RE.finditer(text):
        ref = m.group("ref")
        prefix = re.match(r"[A-Za-z]+", ref)
        if prefix and prefix.group(0).upper() in _PO_PREFIXES:
            continue  # "BC-4512" is handled (prefix-less) by _PO_KW_RE
        add("invoice", m, 2)
    found.sort(key=lambda x: x[2])
    return found


def extract_invoice_refs(text: str) -> list[str]:
    """Invoice references, upper-case, no spaces (``F-2025-1187``, ``1187``)."""
    if not isinstance(text, str) or not _DIGIT_RE.search(text):
        return []
    phones = [s for _, s in _find_phones(text)]
    return _dedupe([r for k, r, _ in _find_refs(text, phones) if k == "invoice"])


def extract_po_refs(text: str) -> list[str]:
    """Purchase-order references (``BC 4512``, ``bon de commande n° 4512`` -> ``4512``)."""
    if not isinstance(text, str) or not _DIGIT_RE.search(text):
        return []
    phones = [s for _, s in _find_phones(text)]
    return _dedupe([r for k, r, _ in _find_refs(text, phones) if k == "po"])


# ==========================================================================
# French number words
# ==========================================================================

_UNITS = {"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5,
          "six": 6, "sept": 7, "huit": 8, "neuf": 9}
_TEENS = {"dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14,
          "quinze": 15, "seize": 16}
_TENS = {"vingt": 20, "vingts": 20, "trente": 30, "quarante": 40, "cinquante": 50,
         "soixante": 60, "septante": 70, "huitante": 80, "octante": 80, "nonante": 90}
_HUNDREDS = {"cent", "cents"}
_THOUSANDS = {"mille", "milles", "mil"}
_BIG = {"million": 10**6, "millions": 10**6, "milliard": 10**9, "milliards": 10**9}

_NUMBER_WORD = (
    r"z[ée]ro|une?|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|"
    r"quatorze|quinze|seize|vingts?|trente|quarante|cinquante|soixante|septante|"
    r"huitante|octante|nonante|cents?|mille|milles|millions?|milliards?"
)
_NUMBER_WORDS_RE = re.compile(
    rf"(?<![\w'’-])(?:{_NUMBER_WORD})(?:(?:[\s\u00a0\u202f]+|-)(?:et(?:[\s\u00a0\u202f]+|-))?"
    rf"(?:{_NUMBER_WORD}))*(?![\w'’])",
    re.I,
)
_WORD_RE = re.compile(r"[a-zA-Zéèêàâîôûç]+")


class _NumState:
    """Incremental, grammar-checked French numeral parser state."""

    __slots__ = ("big", "thousands", "seg", "last", "k_done", "zero")

    def __init__(self) -> None:
        self.big = 0  # millions / milliards part
        self.thousands = 0  # "... mille" part
        self.seg = 0  # current 0..999 segment
        self.last = ""  # class of the last word: U T D C K M ET
        self.k_done = False
        self.zero = False

    @property
    def value(self) -> int:
        return self.big + self.thousands + self.seg

    def step(self, w: str, nxt: str | None) -> bool:
        """Consume word ``w`` (``nxt`` = following word); False if invalid here."""
        last, seg = self.last, self.seg
        if self.zero:
            return False
        if w in ("zero", "zéro"):
            if last:
                return False
            self.zero = True
            self.last = "Z"
            return True
        if w == "et":
            # Only "vingt et un", ..., "soixante et un/onze".
            if last == "D" and seg % 10 == 0 and 20 <= seg % 100 <= 60 and (
                nxt in ("un", "une") or (nxt == "onze" and seg % 100 == 60)
            ):
                self.last = "ET"
                return True
            return False
        if w in _UNITS:
            v = _UNITS[w]
            ok = (
                last in ("", "C", "K", "M")
                or (last == "D" and seg % 10 == 0 and seg % 100 != 0)
                or (last == "ET" and v == 1)
                or (last == "T" and seg % 100 in (10, 70, 90) and v >= 7)
            )
            if not ok:
                return False
            self.seg += v
            self.last = "U"
            return True
        if w in _TEENS:
            ok = (
                last in ("", "C", "K", "M")
                or (last == "D" and seg % 100 in (60, 80))
                or (last == "ET" and w == "onze")
            )
            if not ok:
                return False
            self.seg += _TEENS[w]
            self.last = "T"
            return True
        if w in _TENS:
            if w.startswith("vingt") and last == "U" and seg % 100 == 4:
                self.seg += 76  # quatre-vingt(s) = 4 x 20
                self.last = "D"
                return True
            if last not in ("", "C", "K", "M"):
                return False
            self.seg += _TENS[w]
            self.last = "D"
            return True
        if w in _HUNDREDS:
            if last in ("", "K", "M"):
                self.seg = 100
            elif last == "U" and seg < 10:
                self.seg = seg * 100
            else:
                return False
            self.last = "C"
            return True
        if w in _THOUSANDS:
            if self.k_done or last == "ET":
                return False
            self.thousands = max(seg, 1) * 1000
            self.seg = 0
            self.k_done = True
            self.last = "K"
            return True
        if w in _BIG:
            if last == "ET":
                return False
            self.big += max(self.thousands + seg, 1) * _BIG[w]
            self.thousands = 0
            self.seg = 0
            self.k_done = False
            self.last = "M"
            return True
        return False


def _parse_word_list(words: list[str]) -> list[tuple[int, int, int]]:
    """Split a run of number words into numbers: (first_idx, end_idx, value)."""
    out: list[tuple[int, int, int]] = []
    i, n = 0, len(words)
    while i < n:
        st = _NumState()
        j = i
        while j < n and st.step(words[j], words[j + 1] if j + 1 < n else None):
            j += 1
        if j == i:  # word cannot start a number (e.g. a stray "et")
            i += 1
            continue
        if st.last == "ET":  # never end on "et"
            j -= 1
        out.append((i, j, st.value))
        i = j
    return out


def parse_french_number(text: str) -> int | None:
    """Parse a whole French numeral (``quatre-vingt-dix-neuf`` -> 99).

    Accepts spaces or hyphens, ``vingt et un``/``vingt-et-un``,
    ``quatre-vingts``, ``septante/huitante/octante/nonante``, up to milliards.
    Returns None unless the whole text is one valid numeral.
    """
    if not isinstance(text, str):
        return None
    words = [w.lower() for w in _WORD_RE.findall(text.replace("’", "'"))]
    if not words or len("".join(words)) < len(re.sub(r"[\s\-\u00a0\u202f]", "", text)):
        return None  # other characters (digits, punctuation) present
    parts = _parse_word_list(words)
    if len(parts) != 1 or parts[0][:2] != (0, len(words)):
        return None
    return parts[0][2]


# ==========================================================================
# Amounts
# ==========================================================================

_SEP = "[ \u00a0\u202f\u2009\u2007]"
_CURRENCY = (
    r"(?P<cur>€|euros?(?![a-z])|eur(?![a-z])|e(?![a-zà-ÿ\d])|"
    r"\$\s?(?:CA|CAN|US)?(?![a-z])|dollars?(?:\s+(?:canadiens?|am[ée]ricains?|US))?(?![a-z])|"
    r"cad(?![a-z])|usd(?![a-z]))"
)
_TAX = (
    r"(?P<tax>ht(?![a-z])|ttc(?![a-z])|h\.t\.?|t\.t\.c\.?|hors[\s-]taxes?(?![a-z])|"
    r"toutes\s+taxes\s+comprises)"
)
_AMOUNT_RE = re.compile(
    rf"""
    (?:(?<![\w])(?P<precur>€|\$|eur|usd|cad)\s?)?
    (?<![\w.,/\-'’])
    (?P<int>\d{{1,3}}(?:{_SEP}\d{{3}})+|\d{{1,3}}(?:\.\d{{3}})+|\d{{1,3}}(?:,\d{{3}})+
           |\d{{1,3}}(?:['’]\d{{3}})+|\d+)
    (?:[,.](?P<dec>\d{{1,2}})(?!\d))?
    (?![\d]|[.,/\-]\d)
    (?:\s?(?P<mult>k(?![a-z])|m(?:ds?)?(?=\s?(?:€|\$|euros?\b|eur\b|dollars?\b|d['’]))
           |millions?(?![a-z])|milliards?(?![a-z])|mille(?![a-z])))?
    (?:\s?(?:d['’]\s?)?{_CURRENCY})?
    (?:\s?{_TAX})?
    """,
    re.I | re.X,
)
_WORD_TAIL_RE = re.compile(rf"(?:\s?(?:d['’]\s?)?{_CURRENCY})?(?:\s?{_TAX})?", re.I)
_MULTIPLIERS = {"k": 1000, "m": 10**6, "md": 10**9, "mds": 10**9, "mille": 1000,
                "million": 10**6, "millions": 10**6, "milliard": 10**9, "milliards": 10**9}
_NON_MONEY_UNIT_RE = re.compile(
    r"\s?(?:%|pour\s?cents?\b|jours?\b|j\b|h\b|heures?\b|min\b|minutes?\b|mois\b|ans?\b|"
    r"ann[ée]es?\b|semaines?\b|pi[èe]ces?\b|unit[ée]s?\b|articles?\b|clients?\b|"
    r"factures?\b|kg\b|km\b|kilos?\b|m2|m²|m\b|fois\b|personnes?\b|salari[ée]s?\b|"
    r"employ[ée]s?\b|colis\b|palettes?\b|litres?\b|l\b|°|[èe]me\b|er\b|ex\b|"
    r"exemplaires?\b|lignes?\b|produits?\b|commandes?\b|tonnes?\b|t\b|appels?\b|"
    r"r[ée]f[ée]rences?\b|dossiers?\b|fournisseurs?\b)",
    re.I,
)
_MONEY_CUE_RE = re.compile(
    r"\b(?:montant|somme|solde|total|reste|restant|reliquat|acompte|versement|vers[ée]e?s?|"
    r"verser|virement|vir\.|ch[èe]que|r[èe]glement|r[ée]gl\w*|pa[iy]\w*|dûe?s?|"
    r"dues?|doi[st]|devez|devons|impay\w*|encours|cr[ée]ance|factur\w*\s+de|"
    r"ordre\s+de|hauteur\s+de|co[ûu]t\w*|prix)\b[^.?!;\d]{0,20}$",
    re.I,
)
_ID_KEYWORD_BEFORE_RE = re.compile(
    r"(?:\bn\s?[°º]|\b(?:num[ée]ro|num\.|r[ée]f\w*\.?|compte|dossier|client|contrat|commande|"
    r"facture|ticket|bc|po|siret|siren|code)|#)\s*:?\s*$",
    re.I,
)
_YEAR_BEFORE_RE = re.compile(
    r"\b(?:en|depuis|ann[ée]e|fin|d[ée]but|mi|exercice|courant)[\s-]+$", re.I
)
_POUR_CENT_RE = re.compile(r"\s+pour\s?cents?\b", re.I)


def _quantise(v: Decimal) -> Decimal:
    return v.quantize(_CENT)


def _currency_code(cur: str | None) -> str | None:
    if not cur:
        return None
    c = cur.lower()
    if c.startswith(("$", "dollar", "cad", "usd")):
        return "DOLLAR"
    return "EUR"


def _tax_code(tax: str | None) -> str | None:
    if not tax:
        return None
    t = tax.lower().replace(".", "")
    return "TTC" if t.startswith(("ttc", "toutes")) else "HT"


def _plain_number_is_amount(text: str, start: int, end: int, value: Decimal,
                            looks_like_sum: bool) -> bool:
    """Rule for numbers without currency/multiplier/tax (see module doc)."""
    if value < 100:
        return False
    if _NON_MONEY_UNIT_RE.match(text, end):
        return False
    before = text[max(0, start - 40):start]
    if _ID_KEYWORD_BEFORE_RE.search(before):
        return False
    if 1900 <= value <= 2099 and value == value.to_integral_value() and _YEAR_BEFORE_RE.search(before):
        return False
    return looks_like_sum or _MONEY_CUE_RE.search(before) is not None


def _find_digit_amounts(text: str, protected: list[Span]) -> list[Amount]:
    out: list[Amount] = []
    for m in _AMOUNT_RE.finditer(text):
        num_span = (m.start("int"), m.end("dec") if m.group("dec") else m.end("int"))
        if _overlaps(num_span, protected):
            continue
        int_txt = m.group("int")
        digits = _NON_DIGIT_RE.sub("", int_txt)
        if len(digits) > 15:
            continue  # not a sum; would also overflow the cents quantisation
        dec = m.group("dec")
        value = Decimal(digits + ("." + dec if dec else ""))
        mult = m.group("mult")
        cur = m.group("cur") or m.group("precur")
        tax = m.group("tax")
        if mult:
            value *= _MULTIPLIERS[mult.lower()]
        start, end = m.span()
        if cur and cur.lower() == "e" and not mult and value < 100:
            continue  # "2e relance", "18e" : ordinals
        if not (cur or mult or tax):
            looks_like_sum = len(digits) != len(int_txt) or bool(dec and len(dec) == 2)
            if not _plain_number_is_amount(text, start, num_span[1], value, looks_like_sum):
                continue
            end = num_span[1]
        out.append(Amount(_quantise(value), _currency_code(cur), (start, end),
                          text[start:end], _tax_code(tax)))
    return out


def _find_word_amounts(text: str, taken: list[Span]) -> list[Amount]:
    out: list[Amount] = []
    for m in _NUMBER_WORDS_RE.finditer(text):
        if _overlaps(m.span(), taken):
            continue
        words = [(w.group(0).lower(), m.start() + w.start(), m.start() + w.end())
                 for w in _WORD_RE.finditer(m.group(0))]
        for i, j, value in _parse_word_list([w for w, _, _ in words]):
            start, end = words[i][1], words[j - 1][2]
            if _POUR_CENT_RE.match(text, end) or (
                    words[i][0].startswith("cent") and text[max(0, start - 5):start].lower() == "pour "):
                continue  # "cinq pour cent"
            tail = _WORD_TAIL_RE.match(text, end)
            cur, tax = tail.group("cur"), tail.group("tax")
            if cur and cur.lower() == "e":  # "e" is only a currency after figures
                cur = tax = None
            dval = Decimal(value)
            if cur or tax:
                end = tail.end()
            else:
                # Words: >= 1000 in two words or more reads like a sum
                # ("mille deux cents"), but not "mille" alone ("mille mercis").
                looks_like_sum = value >= 1000 and j - i >= 2 and not 1900 <= value <= 2099
                if not _plain_number_is_amount(text, start, end, dval, looks_like_sum):
                    continue
            out.append(Amount(_quantise(dval), _currency_code(cur), (start, end),
                              text[start:end], _tax_code(tax)))
    return out


def _find_amounts(text: str, protected: list[Span], has_digit: bool) -> list[Amount]:
    amounts = _find_digit_amounts(text, protected) if has_digit else []
    taken = protected + [a.span for a in amounts]
    amounts += _find_word_amounts(text, taken)
    amounts.sort(key=lambda a: a.span)
    return amounts


def extract_amounts(text: str) -> list[Amount]:
    """Sums of money in figures or words, in text order (rules: module doc)."""
    if not isinstance(text, str) or not text:
        return []
    has_digit = _DIGIT_RE.search(text) is not None
    protected: list[Span] = []
    if has_digit:
        phones = [s for _, s in _find_phones(text)]
        protected = phones + [s for _, _, s in _find_refs(text, phones)]
        protected += [d.span for d in _find_dates(text, date(2001, 1, 1), True)]
    return _find_amounts(text, protected, has_digit)


# ==========================================================================
# Dates
# ==========================================================================

_WEEKDAYS = {"lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4,
             "samedi": 5, "dimanche": 6}
_WD = r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)"
_MONTH = (
    r"(?:janv(?:ier|\.)?|f[ée]v(?:rier|r\.?|\.)?|mars|avr(?:il|\.)?|mai|juin|juil(?:let|\.)?|"
    r"ao[uû]t|sept(?:embre|\.)?|oct(?:obre|\.)?|nov(?:embre|\.)?|d[ée]c(?:embre|\.)?)"
)
_DAY = r"(?:1\s?er|1ᵉʳ|premier|[0-3]?\d)"
_MONTH_KEYS = {"jan": 1, "fev": 2, "mar": 3, "avr": 4, "mai": 5, "juin": 6, "juil": 7,
               "aou": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12}

_NAMED_DATE_RE = re.compile(
    rf"(?<![\w])(?:(?:le|du|au|ce)\s+)?(?:(?P<wd>{_WD})\s+)?(?P<d>{_DAY})(?![\d,.]\d)\s*"
    rf"(?P<m>{_MONTH})(?![a-zà-ÿ])(?:\s+(?P<y>(?:19|20)\d{{2}})(?!\d))?",
    re.I,
)
_NUMERIC_DATE_RE = re.compile(
    rf"(?<![\w])(?:(?:le|du|au|ce)\s+)?(?:(?P<wd>{_WD})\s+)?"
    r"(?<![\w/.\-])(?P<d>[0-3]?\d)(?P<sep>[/.\-])(?P<m>[01]?\d)(?:(?P=sep)(?P<y>\d{4}|\d{2}))?"
    r"(?![\w/]|[.\-,]\d)",
    re.I,
)
_DAY_OF_MONTH_RE = re.compile(
    rf"(?<![\w])(?:(?:(?:le|au|du|jusqu['’]au|ce)\s+)?(?P<wd>{_WD})\s+|"
    rf"(?:le|au|du|jusqu['’]au)\s+)(?P<d>{_DAY})(?![\d/.,:]?\d)(?![a-zà-ÿ])"
    r"(?!\s?(?:h\b|heures?|%|€|\$|k€|euros?|eur\b|dollars?|jours?|mois\b|ans?\b|"
    r"semaines?|fois\b|pi[eè]ces?|e\b)|\s*\d)",
    re.I,
)
_WEEKDAY_RE = re.compile(
    rf"(?<![\w])(?:(?P<ce>ce|cet)\s+)?(?P<wd>{_WD})(?:\s+(?P<suf>prochain|en\s+huit|en\s+quinze|dernier))?"
    r"(?![\w])",
    re.I,
)
_SMALL_COUNTS = {"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6,
                 "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "quinze": 15, "vingt": 20,
                 "trente": 30}
_RELATIVE_RE = re.compile(
    r"(?<![\w])(?:"
    r"(?P<auj>aujourd['’ ]?hui)|(?P<apdem>apr[èe]s[\s-]demain)|(?P<avhier>avant[\s-]hier)|"
    r"(?P<dem>demain)|(?P<hier>hier)|"
    r"(?P<today>ce\s+soir|ce\s+matin|cet\s+apr[èe]s[\s-]midi|dans\s+la\s+journ[ée]e)|"
    r"(?:dans|d['’]ici|sous)\s+(?P<n>\d{1,3}|un|une|deux|trois|quatre|cinq|six|sept|huit|"
    r"neuf|dix|quinze|vingt|trente)\s+(?P<unit>jours?|semaines?|mois)|"
    r"(?P<nextweek>(?:la\s+)?semaine\s+prochaine)|(?P<nextmonth>(?:le\s+)?mois\s+prochain)"
    r")(?![\w])",
    re.I,
)
_FRACTION_BEFORE_RE = re.compile(r"(?:\bles|\bdes|\baux|\bun|\bune)\s+$", re.I)
_FRACTION_AFTER_RE = re.compile(r"\s+d(?:e|u|es)\b|\s+d['’]", re.I)


def _day_number(s: str) -> int:
    s = "".join(s.lower().split())
    if s in ("1er", "1ᵉʳ", "premier"):
        return 1
    return int(s)


def _month_number(s: str) -> int | None:
    f = _fold(s).rstrip(".")
    if f.startswith(("juin", "juil")):
        return _MONTH_KEYS[f[:4]]
    return _MONTH_KEYS.get(f[:3])


def _nearest_occurrence(ref: date, month: int, day: int) -> date | None:
    """Day+month without year: the occurrence nearest to ``ref`` (ties: future)."""
    best: date | None = None
    best_key: tuple[int, int] | None = None
    for year in (ref.year - 1, ref.year, ref.year + 1):
        d = _make_date(year, month, day)
        if d is None:
            continue
        delta = (d - ref).days
        key = (abs(delta), 0 if delta >= 0 else 1)
        if best_key is None or key < best_key:
            best, best_key = d, key
    return best


def _day_of_month(ref: date, day: int) -> date | None:
    """``le 18``: this month if not past, else the next month having that day."""
    if not 1 <= day <= 31:
        return None
    for k in range(0, 13):
        y, m = _add_months(ref.year, ref.month, k)
        d = _make_date(y, m, day)
        if d is not None and d >= ref:
            return d
    return None


def _weekday_date(ref: date, wd: int, ce: bool, suffix: str) -> date | None:
    suffix = " ".join(suffix.lower().split())
    ahead = (wd - ref.weekday()) % 7
    if suffix == "dernier":
        return _shift(ref, -((ref.weekday() - wd) % 7 or 7))
    if suffix == "prochain":
        return _shift(ref, 7 - ref.weekday() + wd)  # the weekday in next calendar week
    if ce and not suffix:
        return _shift(ref, ahead)  # "ce jeudi" on a Thursday = today
    base = ahead or 7  # strictly after the reference
    if suffix == "en huit":
        base += 7
    elif suffix == "en quinze":
        base += 14
    return _shift(ref, base)


def _conflict(value: date, wd: str | None) -> bool:
    return bool(wd) and value.weekday() != _WEEKDAYS[wd.lower()]


def _find_dates(text: str, reference: date, has_digit: bool) -> list[DateMention]:
    ref = _as_date(reference)
    cands: list[DateMention] = []

    if has_digit or "premier" in text.lower():
        for m in _NAMED_DATE_RE.finditer(text):
            month = _month_number(m.group("m"))
            day = _day_number(m.group("d"))
            if month is None:
                continue
            value = (_make_date(int(m.group("y")), month, day) if m.group("y")
                     else _nearest_occurrence(ref, month, day))
            if value is not None:
                cands.append(DateMention(value, m.span(), m.group(0), "named-month",
                                         conflict=_conflict(value, m.group("wd"))))
    if has_digit:
        for m in _NUMERIC_DATE_RE.finditer(text):
            y = m.group("y")
            if not y and m.group("sep") != "/":
                continue  # "1.5", "18-20": not dates without a year
            if not y and (_FRACTION_BEFORE_RE.search(text, 0, m.start())
                          or _FRACTION_AFTER_RE.match(text, m.end())):
                continue  # "les 3/4 de la somme"
            day, month = int(m.group("d")), int(m.group("m"))
            if not (1 <= day <= 31 and 1 <= month <= 12):
                continue
            if y:
                value = _make_date(int(y) + (2000 if len(y) == 2 else 0), month, day)
            else:
                value = _nearest_occurrence(ref, month, day)
            if value is not None:
                cands.append(DateMention(value, m.span(), m.group(0), "numeric",
                                         conflict=_conflict(value, m.group("wd"))))
        for m in _DAY_OF_MONTH_RE.finditer(text):
            value = _day_of_month(ref, _day_number(m.group("d")))
            if value is not None:
                cands.append(DateMention(value, m.span(), m.group(0), "day-of-month",
                                         conflict=_conflict(value, m.group("wd"))))

    for m in _WEEKDAY_RE.finditer(text):
        value = _weekday_date(ref, _WEEKDAYS[m.group("wd").lower()], bool(m.group("ce")),
                              m.group("suf") or "")
        if value is not None:
            cands.append(DateMention(value, m.span(), m.group(0), "weekday"))

    for m in _RELATIVE_RE.finditer(text):
        vague = False
        if m.group("auj") or m.group("today"):
            value: date | None = ref
        elif m.group("apdem"):
            value = _shift(ref, 2)
        elif m.group("avhier"):
            value = _shift(ref, -2)
        elif m.group("dem"):
            value = _shift(ref, 1)
        elif m.group("hier"):
            value = _shift(ref, -1)
        elif m.group("nextweek"):
            value, vague = _shift(ref, 7 - ref.weekday()), True
        elif m.group("nextmonth"):
            y, mo = _add_months(ref.year, ref.month, 1)
            value, vague = _make_date(y, mo, 1), True
        else:
            n_txt = m.group("n").lower()
            n = int(n_txt) if n_txt.isdigit() else _SMALL_COUNTS[n_txt]
            unit = m.group("unit").lower()
            if unit.startswith("jour"):
                value = _shift(ref, {8: 7, 15: 14}.get(n, n))
            elif unit.startswith("semaine"):
                value = _shift(ref, 7 * n)
            else:
                y, mo = _add_months(ref.year, ref.month, n)
                value = None
                for day in (ref.day, 30, 29, 28):  # clamp "dans un mois" on the 31st
                    if day <= ref.day:
                        value = _make_date(y, mo, day)
                        if value is not None:
                            break
        if value is not None:
            cands.append(DateMention(value, m.span(), m.group(0), "relative", vague=vague))

    # Keep the longest mention at each position, drop overlapping ones.
    cands.sort(key=lambda d: (d.span[0], -d.span[1]))
    out: list[DateMention] = []
    last_end = -1
    for d in cands:
        if d.span[0] >= last_end:
            out.append(d)
            last_end = d.span[1]
    return out


def extract_dates(text: str, reference: date) -> list[DateMention]:
    """Dates in text order, resolved against ``reference`` (rules: module doc)."""
    if not isinstance(text, str) or not text or not isinstance(reference, date):
        return []
    return _find_dates(text, reference, _DIGIT_RE.search(text) is not None)


# --------------------------------------------------------------------------
# Vague date expressions (matched on the normalised text)
# --------------------------------------------------------------------------

_NMONTH = (r"(?:janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|"
           r"decembre)")
_VAGUE_RE = re.compile(
    r"(?<![a-z0-9])(?:"
    r"(?P<fin_de_semaine>fin (?:de (?:la |cette )?|d )?semaine|week end|weekend)|"
    rf"(?P<fin_de_mois>(?<!jours )(?<!j )fin (?:du |de |de ce |de ce mois |d )?(?:mois|{_NMONTH}))|"
    rf"(?P<debut_de_mois>debut (?:du |de |de ce |d )?(?:mois|{_NMONTH}))|"
    rf"(?P<mi_mois>mi (?:mois|{_NMONTH}))|"
    r"(?P<des_que_possible>des que (?:possible|je (?:peux|pourrai)|nous (?:pouvons|pourrons)|"
    r"on (?:peut|pourra)|ca (?:rentre|sera possible))|asap|au plus (?:vite|tot)|"
    r"le plus (?:vite|tot) possible)|"
    r"(?P<rapidement>rapidement|tres vite|sous peu|incessamment)|"
    r"(?P<bientot>bientot|prochainement)|"
    r"(?P<prochains_jours>(?:dans|d ici|sous) (?:les |des )?(?:prochains|quelques) jours|"
    r"un de ces jours)|"
    r"(?P<semaine_prochaine>semaine prochaine)|"
    r"(?P<mois_prochain>mois prochain)|"
    r"(?P<cette_semaine>cette semaine|(?:dans|courant de) la semaine)|"
    rf"(?P<ce_mois>ce mois ci|dans le mois|courant (?:du mois|de ce mois|{_NMONTH})|"
    rf"en {_NMONTH})|"
    r"(?P<fin_d_annee>fin (?:de l |d )?annee)|"
    r"(?P<plus_tard>plus tard|je verrai|on verra|je vais voir)"
    r")(?![a-z0-9])"
)
_VAGUE_LABELS = {
    "fin_de_semaine": "fin de semaine",
    "fin_de_mois": "fin de mois",
    "debut_de_mois": "debut de mois",
    "mi_mois": "mi mois",
    "des_que_possible": "des que possible",
    "rapidement": "rapidement",
    "bientot": "bientot",
    "prochains_jours": "prochains jours",
    "semaine_prochaine": "la semaine prochaine",
    "mois_prochain": "le mois prochain",
    "cette_semaine": "cette semaine",
    "ce_mois": "dans le mois",
    "fin_d_annee": "fin d annee",
    "plus_tard": "plus tard",
}


def _vague_from_normalized(norm: str) -> list[str]:
    return _dedupe([_VAGUE_LABELS[m.lastgroup] for m in _VAGUE_RE.finditer(norm)
                    if m.lastgroup])


def extract_vague_dates(text: str) -> list[str]:
    """Canonical labels of vague timing expressions, in order of appearance.

    Labels (ASCII, normalised): "fin de semaine", "fin de mois", "debut de mois",
    "mi mois", "des que possible", "rapidement", "bientot", "prochains jours",
    "la semaine prochaine", "le mois prochain", "cette semaine", "dans le mois",
    "fin d annee", "plus tard". "30 jours fin de mois" (a payment term) is
    not vague.
    """
    if not isinstance(text, str) or not text:
        return []
    return _vague_from_normalized(normalize(text))


# ==========================================================================
# Payment means (matched on the normalised text)
# ==========================================================================

_MEANS_RE = re.compile(
    r"(?<![a-z0-9])(?:"
    r"(?P<virement>virements?|interac|transferts? bancaires?|virer|virez|virons|vire)|"
    r"(?P<cheque>cheques?)|"
    r"(?P<lcr>lcr|lettres? de change(?: releve)?)|"
    r"(?P<prelevement>prelev[a-z]*|domiciliation)|"
    r"(?P<carte>cb|cartes? (?:bancaires?|bleues?|de credit|de paiement|visa|mastercard|amex)|"
    r"(?:par|en|avec une|via) carte|paiement carte|mastercard|amex|tpe)|"
    r"(?P<especes>especes|cash|en liquide|numeraire)|"
    r"(?P<effet>(?:par|une|la|en|des|les|votre|notre|cette|sa|leur) traites?|"
    r"effets? de commerce|billets? a ordre|bor)"
    r")(?![a-z0-9])"
)


def extract_payment_means(text: str) -> list[str]:
    """Canonical payment means in order of first mention.

    Values: "virement" (incl. Interac), "cheque", "lcr" (incl. lettre de
    change), "prelevement", "carte" (CB, carte bancaire...), "especes",
    "effet" (traite, effet de commerce, billet à ordre).
    """
    if not isinstance(text, str) or not text:
        return []
    return _means_from_normalized(normalize(text))


def _means_from_normalized(norm: str) -> list[str]:
    return _dedupe([m.lastgroup for m in _MEANS_RE.finditer(norm) if m.lastgroup])


# ==========================================================================
# Person names
# ==========================================================================

_UP = "A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸ"
_LOW = "a-zàâäçéèêëîïôöùûüÿœæ"
_CAP_WORD = rf"[{_UP}][{_LOW}]+(?:[-'’][{_UP}]?[{_LOW}]+)*|[{_UP}]{{2,}}(?:-[{_UP}]{{2,}})?"
_CAP_WORD_RE = re.compile(rf"(?<![\w'’-])(?:{_CAP_WORD})(?![\w'’-])")
_TITLE_RE = re.compile(
    r"(?<![\w])(?i:madame|monsieur|mademoiselle|mme|mlle|mr\.?|m\.|docteur|dr\.?|ma[îi]tre)"
    rf"\s+(?P<names>[{_UP}{_LOW}'’-]+(?:\s+[{_UP}][{_UP}{_LOW}'’-]+){{0,2}})"
)
_INTRO_RE = re.compile(
    r"(?<![\w])(?i:je\s+suis|ici|c['’]est|moi\s+c['’]est|je\s+m['’]appelle|mon\s+nom\s+est)"
    rf"\s+(?P<name>{_CAP_WORD})(?![\w'’-])"
)
_COMPANY_BEFORE_RE = re.compile(
    r"(?i:soci[ée]t[ée]|chez|entreprise|groupe|cabinet|sarl|sas|sasu|eurl|ets|"
    r"[ée]tablissements|marque|enseigne|banque|client|fournisseur)\s+$"
)
_NAME_BLACKLIST: frozenset[str] = STOPWORDS | frozenset(
    """
    lundi mardi mercredi jeudi vendredi samedi dimanche janvier fevrier mars avril mai juin
    juillet aout septembre octobre novembre decembre
    madame monsieur mademoiselle mme mlle mr docteur maitre messieurs mesdames
    bonjour bonsoir salut merci oui non ok okay parfait tres bien bon bonne belle excellent
    excusez pardon desole alors donc ensuite enfin voila voici cordialement salutations
    aujourd hui demain hier concernant suite objet rappel relance
    service direction comptabilite compta credit client clients fournisseur fournisseurs
    groupe societe entreprise banque tresorerie achats finance finances financier financiere
    directeur directrice responsable gestionnaire assistante assistant standard accueil
    dossier facture factures avoir virement cheque paiement reglement montant total
    email mail france quebec canada euro euros tva ht ttc sepa lcr rib iban bic cb
    je tu il elle nous vous ils elles on ce cela ca pouvez pourriez est sommes
    comment quand quel quelle quels quelles pourquoi combien
    """.split()
)


def _name_ok(word: str) -> bool:
    return _fold(word).replace("’", "'").split("'")[-1] not in _NAME_BLACKLIST and \
        _fold(word) not in _NAME_BLACKLIST


def _find_names(text: str) -> list[tuple[str, Span]]:
    found: list[tuple[str, Span]] = []

    for m in _TITLE_RE.finditer(text):
        parts = m.group("names").split()
        kept: list[str] = []
        for k, w in enumerate(parts):
            capital = w[0].isupper()
            if not _name_ok(w) or (k > 0 and not capital) or (not capital and "-" in w):
                break
            kept.append(w)
        if kept:
            start = m.start("names")
            end = start + _span_len(text, start, kept)
            found.append((text[start:end], (start, end)))

    taken = [s for _, s in found]
    words = [(w.group(0), w.span()) for w in _CAP_WORD_RE.finditer(text)]
    i = 0
    while i < len(words) - 1:
        (w1, s1), (w2, s2) = words[i], words[i + 1]
        gap = text[s1[1]:s2[0]]
        if (gap in (" ", "\u00a0") and not w1.isupper() and _name_ok(w1) and _name_ok(w2)
                and not _overlaps((s1[0], s2[1]), taken)
                and not _COMPANY_BEFORE_RE.search(text, max(0, s1[0] - 30), s1[0])):
            found.append((text[s1[0]:s2[1]], (s1[0], s2[1])))
            taken.append((s1[0], s2[1]))
            i += 2
            continue
        i += 1

    for m in _INTRO_RE.finditer(text):
        span = m.span("name")
        if not _overlaps(span, taken) and _name_ok(m.group("name")):
            found.append((m.group("name"), span))
            taken.append(span)

    found.sort(key=lambda x: x[1])
    return found


def _span_len(text: str, start: int, parts: list[str]) -> int:
    pos = start
    for k, p in enumerate(parts):
        if k:
            while pos < len(text) and text[pos].isspace():
                pos += 1
        pos += len(p)
    return pos - start


def extract_person_names(text: str) -> list[str]:
    """Person names as written, without titles, in order (rules: module doc)."""
    if not isinstance(text, str) or not text:
        return []
    return _dedupe([n for n, _ in _find_names(text)])


# ==========================================================================
# All at once
# ==========================================================================


def extract_all(text: str, reference: date) -> Entities:
    """Run every extractor once, sharing intermediate results."""
    if not isinstance(text, str) or not text or not isinstance(reference, date):
        return Entities()
    norm = normalize(text)
    has_digit = _DIGIT_RE.search(text) is not None
    phones: list[tuple[str, Span]] = []
    refs: list[tuple[str, str, Span]] = []
    if has_digit:
        phones = _find_phones(text)
        refs = _find_refs(text, [s for _, s in phones])
    dates = _find_dates(text, reference, has_digit)
    protected = [s for _, s in phones] + [s for _, _, s in refs] + [d.span for d in dates]
    amounts = _find_amounts(text, protected, has_digit)
    return Entities(
        amounts=tuple(amounts),
        dates=tuple(dates),
        vague_dates=tuple(_vague_from_normalized(norm)),
        invoice_refs=tuple(_dedupe([r for k, r, _ in refs if k == "invoice"])),
        po_refs=tuple(_dedupe([r for k, r, _ in refs if k == "po"])),
        payment_means=tuple(_means_from_normalized(norm)),
        person_names=tuple(_dedupe([n for n, _ in _find_names(text)])),
        phone_numbers=tuple(_dedupe([p for p, _ in phones])),
    )
