"""Entity extraction from a trainee's typed French reply.

Pure and deterministic: no I/O, no clock (relative dates are resolved against
an explicit ``reference`` date, the case's call date), no randomness. Every
public function accepts any ``str`` (empty, 10,000 characters, emoji,
control characters, Rich markup) and never raises; non-``str`` input yields
empty results.

Spans are ``(start, end)`` offsets into the *original* text (regexes run on
``normalize.fold(text)``, a lower-case accent-free copy of the same length).
``extract_all`` is the scorer's entry point; it shares work between
extractors: phones, references and dates are found first so that their digits
are never read as amounts.

Rules for ambiguous input (asserted by the tests)
-------------------------------------------------
Amounts
    * A number with a currency (``€``, ``euro(s)``, ``EUR``, ``e`` right after
      a figure, ``$``, ``dollar(s)``, ``CAD``, ``USD``; before or after the
      figure), a multiplier (``k``, ``M€``, ``mille``, ``million(s)``,
      ``milliard(s)``) or a tax marker (``HT``, ``TTC``) is always an amount.
      ``currency`` is ``"EUR"``, ``"DOLLAR"`` (no CAD/USD guess) or ``None``.
    * A *plain* number (none of the above) is an amount only if its value is
      >= 100 **and** it is written like a sum (thousands separator:
      ``12 000``, ``12.000``, ``12,000``; or two-digit cents: ``1 250,50``) or
      a money cue precedes it within ~20 characters (``montant``, ``somme``,
      ``solde``, ``reste``, ``virement``, ``chèque``, ``régler``, ``payer``,
      ``acompte``, ``versement``...). Number words follow the same rule, a
      numeral of two words or more worth >= 1000 (``mille deux cents``)
      counting as "written like a sum"; ``mille`` alone does not
      (``mille mercis``).
    * Never amounts: numbers followed by a non-money unit (``jours``, ``h``,
      ``%``, ``pour cent``, ``mois``, ``pièces``...), numbers right after an
      identifier keyword (``n°``, ``numéro``, ``facture``, ``compte``,
      ``client``, ``BC``...), a year after ``en``/``depuis``/``fin``/``début``,
      ordinals (``2e``), and digits inside a date, a phone number or an
      invoice/PO reference.
    * ``12.000`` is twelve thousand (dot + exactly 3 digits); ``12.50`` is
      12.50. Values are ``Decimal`` quantised to cents.
Dates (``reference`` = call date, never the clock)
    * ``jeudi`` / ``d'ici jeudi``: first Thursday strictly after the
      reference (said on a Thursday, it means next week's). ``ce jeudi``: the
      coming Thursday, or today when the reference is a Thursday.
      ``jeudi prochain``: the Thursday of the next calendar week (Monday-based):
      on Tuesday 17 it is the 26th, not the 19th. ``jeudi en huit``: first
      Thursday after + 7 days. ``jeudi dernier``: last one strictly before.
    * ``le 18`` / ``au 18`` / ``lundi 24``: the 18th of the reference month if
      not past (the reference day itself is not past), else the next month
      having that day. A weekday that disagrees with the resolved calendar
      date sets ``conflict=True``; the calendar date wins.
    * Day + month without year (``18 novembre``, ``18/11``): the occurrence
      nearest to the reference (previous, same or next year; ties go to the
      future), so ``échue le 31 octobre`` is in the past and ``le 15 janvier``
      said in November is next year. Two-digit years are 20yy. ``18.11``
      and ``18-11`` need a year (else they read as decimals/ranges).
    * ``dans 8 jours`` = +7 and ``dans 15 jours`` = +14 (French usage for one
      and two weeks); other counts are literal.
    * ``la semaine prochaine`` -> Monday of next week, ``le mois prochain`` ->
      first day of next month; ``kind="relative"``, ``vague=True``.
    * Vague expressions (``fin de semaine``, ``fin du mois``, ``début de mois``,
      ``dès que possible``, ``rapidement``...) are reported as canonical
      labels by ``extract_vague_dates``, not as dates.
References
    * Returned upper-case without spaces, hyphens/slashes kept
      (``f-2025-1187`` -> ``F-2025-1187``). A keyword prefix is not part of the
      ref (``BC 4512``, ``BC-4512``, ``bon de commande n° 4512`` -> ``4512``).
      Compare loosely with ``ref_key``.
Payment means / names / phones
    * Means are canonical: virement, cheque, lcr, prelevement, carte, especes,
      effet. Negation is not interpreted (``pas par chèque`` gives ``cheque``).
    * Names are returned as written, without the title (``Mme Leroy`` ->
      ``Leroy``). Bare pairs need two capitalised words, neither a stop-word,
      greeting, weekday, month, title or business word, and not right after
      ``société``/``chez``... A single capitalised word counts after
      ``je suis``/``ici``/``c'est``/``je m'appelle``.
    * Phones are digits only; French numbers in national form
      (``+33 1 23 45 67 89`` -> ``0123456789``), North-American ones as ten
      digits (``(514) 555-1234`` -> ``5145551234``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache

from .normalize import STOPWORDS, fold

__all__ = [
    "Amount",
    "DateMention",
    "Entities",
    "extract_all",
    "extract_amounts",
    "extract_amounts_and_dates",
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
    vague: bool = False  # e.g. "la semaine prochaine": a date, not a commitment date
    conflict: bool = False  # the named weekday disagrees with the calendar date


@dataclass(frozen=True, slots=True)
class Entities:
    """Everything ``extract_all`` found (tuples keep the instance immutable)."""

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

_DIGIT_RE = re.compile(r"[0-9]")
_NON_DIGIT_RE = re.compile(r"[^0-9]")
_CENT = Decimal("0.01")


def _is_str(text: object) -> bool:
    return isinstance(text, str) and bool(text)


def _starts_word(low: str, i: int) -> bool:
    return i == 0 or not low[i - 1].isalnum()


def _ends_word(low: str, j: int) -> bool:
    return j >= len(low) or not low[j].isalnum()


def _overlaps(span: Span, spans: list[Span]) -> bool:
    a, b = span
    for c, d in spans:
        if a < d and c < b:
            return True
    return False


# Bytes table keeping a-z and blanking everything else (digits included, so
# "bc4512" yields the word "bc").
_LETTERS_ONLY = bytes(c if 97 <= c <= 122 else 32 for c in range(256))


def _word_prefixes(low: str) -> set[str]:
    """First four letters of every word of the folded text.

    Most extractors first check that a word their regex needs is present
    (``gate.isdisjoint(prefixes)``): one pass over the text instead of one
    regex scan or dozens of substring searches per extractor. Each gate lists
    the prefixes of words that every match necessarily contains.
    """
    letters = low.encode("latin-1", "replace").translate(_LETTERS_ONLY).decode("ascii")
    return {w[:4] for w in letters.split()}


def _dedupe(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


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
    r"(?:\+|00) ?33 ?(?:\(0\) ?)?(?P<a>[1-9])(?P<ra>(?:[ .\-]?[0-9]{2}){4})"
    r"|0(?P<b>[1-9])(?P<rb>(?:[ .\-]?[0-9]{2}){4})"
)
# North-American numbers start at the area code (fast scan); an optional
# "+1"/"1" country prefix is then read backwards.
_PHONE_NA_RE = re.compile(
    r"(?:\((?P<a1>[2-9][0-9]{2})\)[ .\-]?|(?P<a2>[2-9][0-9]{2})[ .\-])"
    r"(?P<b>[2-9][0-9]{2})[ .\-](?P<c>[0-9]{4})(?![0-9])"
)
_PHONE_NA_PREFIX_RE = re.compile(r"\+?1[ .\-]?$")


def _digit_boundaries_ok(low: str, start: int, end: int) -> bool:
    if start and (low[start - 1].isdigit() or low[start - 1] == "+"):
        return False
    if end < len(low):
        nxt = low[end]
        if nxt.isdigit() or (nxt in ".," and low[end + 1:end + 2].isdigit()):
            return False
    return True


# Every supported format has >= 10 digits in a run of digits and separators.
_PHONE_GATE_RE = re.compile(r"[0-9(][0-9 .\-()]{8,}[0-9]")


def _find_phones(low: str) -> list[tuple[str, Span]]:
    found: list[tuple[str, Span]] = []
    if not _PHONE_GATE_RE.search(low):
        return found
    for m in _PHONE_FR_RE.finditer(low):
        if _digit_boundaries_ok(low, m.start(), m.end()):
            first = m.group("a") or m.group("b")
            rest = m.group("ra") or m.group("rb")
            found.append(("0" + first + _NON_DIGIT_RE.sub("", rest), m.span()))
    spans = [s for _, s in found]
    for m in _PHONE_NA_RE.finditer(low):
        start = m.start()
        pm = _PHONE_NA_PREFIX_RE.search(low, max(0, start - 3), start)
        if pm:
            start = pm.start()
        if _digit_boundaries_ok(low, start, m.end()) and not _overlaps((start, m.end()), spans):
            area = m.group("a1") or m.group("a2")
            found.append((area + m.group("b") + m.group("c"), (start, m.end())))
            found.sort(key=lambda x: x[1])
    return found


def extract_phone_numbers(text: str) -> list[str]:
    """French and North-American phone numbers, digits only (see module doc)."""
    if not _is_str(text) or not _DIGIT_RE.search(text):
        return []
    return _dedupe([p for p, _ in _find_phones(fold(text))])


# ==========================================================================
# Invoice and purchase-order references
# ==========================================================================

# A reference token: optional letter prefix, then digits, then -/ groups.
_REF = r"(?P<ref>[a-z]{0,5}[-/]?[0-9][0-9a-z]*(?:[-/][0-9a-z]+)*)"
_NUMKW = r"(?:n ?°|numero|num\.|#|reference|ref\.?)"
_PO_WORDS = r"(?:bons? de commande|bdc|bc|po|cde|cmd|commandes?|purchase order)"

_NUMBER_KW_RE = re.compile(
    rf"{_NUMKW} *(?:(?:de|du) +(?:la +|votre +|notre +|le +)?"
    rf"(?P<what>facture|{_PO_WORDS}) *)?:? *{_REF}"
)
_INVOICE_KW_RE = re.compile(
    rf"(?:factures?|fact\.?|fac\.?|fct|invoices?)(?![a-z]) *"
    rf"(?:{_NUMKW} *(?:de +(?:la +)?facture *)?)?:? *{_REF}"
)
_PO_KW_RE = re.compile(rf"{_PO_WORDS}(?![a-z]) *(?:{_NUMKW})? *[-:]? *{_REF}")
_LIST_CONT_RE = re.compile(rf" *(?:,|et|&|\+) *(?:{_NUMKW} *)?{_REF}")
# Structured refs ("F-2025-1187", "FA2025-0042") are found from their digit
# part (cheap scan), then the letter prefix is read backwards.
_STRUCT_TAIL_RE = re.compile(r"[-0-9](?<=[A-Za-z][-0-9])[-/0-9A-Za-z]*")
_STRUCT_FULL_RE = re.compile(
    r"[A-Za-z]{1,5}-?[0-9]{2,}(?:[-/][0-9]+)+|[A-Z]{1,5}-[0-9]{3,}|[A-Z]{1,4}[0-9]{4,}"
)
_PO_PREFIXES = frozenset({"BC", "BDC", "PO", "CDE", "CMD"})
_LEADING_LETTERS_RE = re.compile(r"[A-Za-z]+")
_DATE_LIKE_REF_RE = re.compile(r"[0-9]{1,2}/[0-9]{1,2}(?:/[0-9]{2,4})?")
_THOUSANDS_AFTER_RE = re.compile(r" [0-9]{3}(?![0-9])")
_REF_KEY_RE = re.compile(r"[^0-9A-Z]")
_NUMBER_KW_GATE = frozenset({"n", "nume", "num", "refe", "ref"})  # + "#" (not a word)
_INVOICE_GATE = frozenset({"fact", "fac", "fct", "invo"})
_PO_GATE = frozenset({"bon", "bons", "comm", "bdc", "bc", "po", "cde", "cmd", "purc"})


def ref_key(ref: str) -> str:
    """Loose comparison key: ``F-2025-1187``, ``f 2025/1187`` -> ``F20251187``."""
    if not isinstance(ref, str):
        return ""
    return _REF_KEY_RE.sub("", ref.upper())


def _find_refs(text: str, low: str, phone_spans: list[Span],
               pre: set[str]) -> list[tuple[str, str, Span]]:
    """Return (kind, ref, span) with kind "invoice" or "po", in text order."""
    found: list[tuple[str, str, Span]] = []
    taken: list[Span] = list(phone_spans)

    def add(kind: str, m: re.Match[str], min_digits: int) -> bool:
        ref = m.group("ref")
        span = m.span("ref")
        if sum(map(str.isdigit, ref)) < min_digits or _DATE_LIKE_REF_RE.fullmatch(ref):
            return False
        if ref.isdigit() and _THOUSANDS_AFTER_RE.match(low, span[1]):
            return False  # "facture 12 000 €": the digits start an amount
        if not _ends_word(low, span[1]) or _overlaps(span, taken):
            return False
        found.append((kind, low[span[0]:span[1]].upper(), span))  # dashes folded to "-"
        taken.append(span)
        return True

    def add_list(kind: str, end: int) -> None:
        # "factures 1187 et 1188", "n° 1187, 1188"
        while True:
            m = _LIST_CONT_RE.match(low, end)
            if not m or not add(kind, m, 2):
                return
            end = m.end()

    # Keyword-led forms first ("bon de commande n° 4512" is a PO, not the bare
    # "n° 4512" invoice form), then bare "n°"/"numéro"/"réf" forms.
    if not _PO_GATE.isdisjoint(pre):
        for m in _PO_KW_RE.finditer(low):
            if _starts_word(low, m.start()) and add("po", m, 2):
                add_list("po", m.end())
    if not _INVOICE_GATE.isdisjoint(pre):
        for m in _INVOICE_KW_RE.finditer(low):
            if _starts_word(low, m.start()) and add("invoice", m, 2):
                add_list("invoice", m.end())
    if "#" in low or not _NUMBER_KW_GATE.isdisjoint(pre):
        for m in _NUMBER_KW_RE.finditer(low):
            if m.group(0)[0] != "#" and not _starts_word(low, m.start()):
                continue
            what = m.group("what") or ""
            kind = "invoice" if not what or what.startswith("fact") else "po"
            if add(kind, m, 1):
                add_list(kind, m.end())
    for m in _STRUCT_TAIL_RE.finditer(text):
        start = m.start()
        if text[start] == "-" and not text[start + 1:start + 2].isdigit():
            continue  # "e-mail"
        while start > 0 and m.start() - start < 6 and text[start - 1].isascii() \
                and text[start - 1].isalpha():
            start -= 1
        if start > 0 and (text[start - 1].isalnum() or text[start - 1] in "-/_"):
            continue
        ref = text[start:m.end()]
        if not _STRUCT_FULL_RE.fullmatch(ref):
            continue
        prefix = _LEADING_LETTERS_RE.match(ref)
        span = (start, m.end())
        if (prefix and prefix.group(0).upper() in _PO_PREFIXES) or _overlaps(span, taken):
            continue  # "BC-4512" is read (prefix-less) by _PO_KW_RE
        found.append(("invoice", ref.upper(), span))
        taken.append(span)
    found.sort(key=lambda x: x[2])
    return found


def extract_invoice_refs(text: str) -> list[str]:
    """Invoice references, upper-case, no spaces (``F-2025-1187``, ``1187``)."""
    if not _is_str(text) or not _DIGIT_RE.search(text):
        return []
    low = fold(text)
    refs = _find_refs(text, low, [s for _, s in _find_phones(low)], _word_prefixes(low))
    return _dedupe([r for k, r, _ in refs if k == "invoice"])


def extract_po_refs(text: str) -> list[str]:
    """Purchase-order references (``BC 4512``, ``bon de commande n° 4512`` -> ``4512``)."""
    if not _is_str(text) or not _DIGIT_RE.search(text):
        return []
    low = fold(text)
    refs = _find_refs(text, low, [s for _, s in _find_phones(low)], _word_prefixes(low))
    return _dedupe([r for k, r, _ in refs if k == "po"])


# ==========================================================================
# French number words
# ==========================================================================

_NUMBER_WORD = (
    r"zero|une?|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|"
    r"quatorze|quinze|seize|vingts?|trente|quarante|cinquante|soixante|septante|"
    r"huitante|octante|nonante|cents?|milles?|millions?|milliards?"
)
_NUMBER_WORDS_RE = re.compile(
    rf"(?=[zudtqcshnosvm])(?<![\w'\-])(?:{_NUMBER_WORD})"
    rf"(?:(?:\s+|-)(?:et(?:\s+|-))?(?:{_NUMBER_WORD}))*(?![\w'])"
)
_LETTERS_RE = re.compile(r"[a-z]+")
# Word amounts below 100 need a currency; above, "cent"/"mil..." must appear.
# Number words are amounts only if >= 100 ("cent"/"mil..." present) or
# followed by a currency/tax word: look for a currency right after a letter.
_WORD_CURRENCIES = ("€", "$", "eur", "dollar", "cad", "usd", " ht", " ttc", "h.t", "hors tax",
                    "toutes tax")


def _numeral(words: list[str]) -> int | None:
    """The value of a whole French numeral (by ``text2num``), or None when the words are not one."""
    from text_to_num import text2num

    try:  # the words are accent-folded; the library knows "zéro" only with its accent
        return int(text2num(" ".join("zéro" if w == "zero" else w for w in words), "fr"))
    except ValueError:
        return None


def _parse_word_list(words: list[str]) -> list[tuple[int, int, int]]:
    """Split a run of number words into numbers: (first_idx, end_idx, value).

    Each number is the longest run of words that ``text2num`` reads as one
    numeral ("cinq mille vendredi, cinq mille le douze" holds two). Runs are a
    few words long, so trying the longest first is cheap.
    """
    out: list[tuple[int, int, int]] = []
    i, n = 0, len(words)
    while i < n:
        for j in range(min(n, i + 12), i, -1):
            value = _numeral(words[i:j])
            if value is not None:
                out.append((i, j, value))
                i = j
                break
        else:  # this word cannot start a number (e.g. a stray "et")
            i += 1
    return out


def parse_french_number(text: str) -> int | None:
    """Parse a whole French numeral (``quatre-vingt-dix-neuf`` -> 99), by the ``text2num`` library.

    Accepts spaces or hyphens, ``vingt et un``/``vingt-et-un``,
    ``quatre-vingts``, ``septante/huitante/nonante``, up to milliards.
    Returns None unless the whole text is exactly one numeral. (Finding
    numerals inside a sentence, amounts, currencies and dates stays here:
    the library reads numbers, not money.)
    """
    if not _is_str(text):
        return None
    low = fold(text).strip()
    if not low or _NUMBER_WORDS_RE.fullmatch(low) is None:
        return None
    words = _LETTERS_RE.findall(low)
    parts = _parse_word_list(words)
    if len(parts) != 1 or parts[0][:2] != (0, len(words)):
        return None
    return parts[0][2]


# ==========================================================================
# Amounts
# ==========================================================================

_CURRENCY = (
    r"(?P<cur>€|euros?(?![a-z])|eur(?![a-z])|e(?![a-z0-9])|"
    r"\$(?: ?(?:ca|can|us)(?![a-z]))?|dollars?(?: (?:canadiens?|americains?|us))?(?![a-z])|"
    r"cad(?![a-z])|usd(?![a-z]))"
)
_TAX = (
    r"(?P<tax>ht(?![a-z])|ttc(?![a-z])|h\.t\.?|t\.t\.c\.?|hors[ \-]taxes?(?![a-z])|"
    r"toutes taxes comprises)"
)
_AMOUNT_RE = re.compile(
    # integer part; the first digit must not be glued to a word, ref or decimal
    r"(?P<int>[0-9](?<![\w.,/'\-][0-9])"
    r"(?:[0-9]{0,2}(?: [0-9]{3})+|[0-9]{0,2}(?:\.[0-9]{3})+|[0-9]{0,2}(?:,[0-9]{3})+"
    r"|[0-9]{0,2}(?:'[0-9]{3})+|[0-9]*))"
    r"(?:[,.](?P<dec>[0-9]{1,2})(?![0-9]))?"
    r"(?![0-9]|[.,/\-][0-9])"
    r"(?: ?(?P<mult>k(?![a-z])|m(?:ds?)?(?= ?(?:€|\$|euros?\b|eur\b|dollars?\b|d'))"
    r"|millions?(?![a-z])|milliards?(?![a-z])|mille(?![a-z])))?"
    rf"(?: ?(?:d' ?)?{_CURRENCY})?"
    rf"(?: ?{_TAX})?"
)
_WORD_TAIL_RE = re.compile(rf"(?: ?(?:d' ?)?{_CURRENCY})?(?: ?{_TAX})?")
_MULTIPLIERS = {"k": 1000, "m": 10**6, "md": 10**9, "mds": 10**9, "mille": 1000,
                "million": 10**6, "millions": 10**6, "milliard": 10**9, "milliards": 10**9}
_NON_MONEY_UNIT_RE = re.compile(
    r" ?(?:%|pour ?cents?\b|jours?\b|j\b|h\b|heures?\b|min\b|minutes?\b|mois\b|ans?\b|"
    r"annees?\b|semaines?\b|pieces?\b|unites?\b|articles?\b|clients?\b|factures?\b|"
    r"kg\b|km\b|kilos?\b|m2|m²|m\b|fois\b|personnes?\b|salaries?\b|employes?\b|"
    r"colis\b|palettes?\b|litres?\b|l\b|°|eme\b|er\b|ex\b|exemplaires?\b|lignes?\b|"
    r"produits?\b|commandes?\b|tonnes?\b|t\b|appels?\b|references?\b|dossiers?\b|"
    r"fournisseurs?\b)"
)
_MONEY_CUE_RE = re.compile(
    r"\b(?:montant|somme|solde|total|reste|restant|reliquat|acompte|versements?|"
    r"versee?s?|verser|virements?|vir\.|cheques?|reglements?|regl\w*|pa[iy]\w*|"
    r"dues?|doi[st]|devez|devons|impaye\w*|encours|creances?|factur\w* de|"
    r"ordre de|hauteur de|cout\w*|prix)\b[^.?!;0-9]{0,20}$"
)
_ID_KEYWORD_BEFORE_RE = re.compile(
    r"(?:\bn ?°|\b(?:numero|num\.|ref\w*\.?|compte|dossier|client|contrat|commande|"
    r"facture|ticket|bc|po|siret|siren|code)|#) *:? *$"
)
_YEAR_BEFORE_RE = re.compile(r"\b(?:en|depuis|annee|fin|debut|mi|exercice|courant)[ \-]+$")
_POUR_CENT_RE = re.compile(r" +pour ?cents?\b")


def _precurrency(low: str, start: int) -> tuple[str | None, int]:
    """Currency written before the figure ("€ 12 000", "$4 000", "EUR 500")."""
    j = start - 1 if start and low[start - 1] == " " else start
    if j and low[j - 1] in "€$":
        return low[j - 1], j - 1
    if j >= 3 and low[j - 3:j] in ("eur", "usd", "cad") and _starts_word(low, j - 3):
        return low[j - 3:j], j - 3
    return None, start


def _currency_code(cur: str | None) -> str | None:
    if not cur:
        return None
    return "DOLLAR" if cur[0] in "$dcu" else "EUR"


def _tax_code(tax: str | None) -> str | None:
    if not tax:
        return None
    return "TTC" if tax[0] == "t" else "HT"


def _plain_number_is_amount(low: str, start: int, end: int, value: Decimal,
                            looks_like_sum: bool) -> bool:
    """Rule for numbers without currency/multiplier/tax (see module doc)."""
    if value < 100 or _NON_MONEY_UNIT_RE.match(low, end):
        return False
    lo = max(0, start - 40)
    if _ID_KEYWORD_BEFORE_RE.search(low, lo, start):
        return False
    if 1900 <= value <= 2099 and _YEAR_BEFORE_RE.search(low, lo, start):
        return False
    return looks_like_sum or _MONEY_CUE_RE.search(low, lo, start) is not None


def _find_digit_amounts(text: str, low: str, protected: list[Span]) -> list[Amount]:
    out: list[Amount] = []
    for m in _AMOUNT_RE.finditer(low):
        int_txt, dec, mult, cur, tax = m.groups()
        start, end = m.span()
        if not cur:
            cur, start = _precurrency(low, start)
        if not (cur or mult or tax) and len(int_txt) < 3:
            continue  # plain number below 100: never an amount
        num_end = m.end(2) if dec else m.end(1)
        if _overlaps((m.start(), num_end), protected):
            continue
        digits = _NON_DIGIT_RE.sub("", int_txt) if len(int_txt) > 3 else int_txt
        if len(digits) > 15:
            continue  # not a sum (and would overflow the cents quantisation)
        value = Decimal(digits + "." + dec) if dec else Decimal(digits)
        if mult:
            value *= _MULTIPLIERS[mult]
        if cur == "e" and not mult and value < 100:
            continue  # "2e relance", "18e": ordinals
        if not (cur or mult or tax):
            looks_like_sum = len(digits) != len(int_txt) or bool(dec and len(dec) == 2)
            if not _plain_number_is_amount(low, start, num_end, value, looks_like_sum):
                continue
            end = num_end
        out.append(Amount(value.quantize(_CENT), _currency_code(cur), (start, end),
                          text[start:end], _tax_code(tax)))
    return out


def _find_word_amounts(text: str, low: str, taken: list[Span]) -> list[Amount]:
    out: list[Amount] = []
    for m in _NUMBER_WORDS_RE.finditer(low):
        if _overlaps(m.span(), taken):
            continue
        base = m.start()
        words = [(w.group(0), base + w.start(), base + w.end())
                 for w in _LETTERS_RE.finditer(m.group(0))]
        for i, j, value in _parse_word_list([w for w, _, _ in words]):
            start, end = words[i][1], words[j - 1][2]
            if _POUR_CENT_RE.match(low, end) or (
                    words[i][0].startswith("cent") and low[max(0, start - 5):start] == "pour "):
                continue  # "cinq pour cent"
            tail = _WORD_TAIL_RE.match(low, end)
            cur, tax = tail.group("cur"), tail.group("tax")
            if cur == "e":  # "e" is a currency only right after figures
                cur = tax = None
            dval = Decimal(value)
            if cur or tax:
                end = tail.end()
            else:
                looks_like_sum = value >= 1000 and j - i >= 2 and not 1900 <= value <= 2099
                if not _plain_number_is_amount(low, start, end, dval, looks_like_sum):
                    continue
            out.append(Amount(dval.quantize(_CENT), _currency_code(cur), (start, end),
                              text[start:end], _tax_code(tax)))
    return out


def _currency_after_letter(low: str) -> bool:
    for cur in _WORD_CURRENCIES:
        i = low.find(cur)
        while i != -1:
            if cur[0].isalpha() and not _starts_word(low, i):  # "eur" in "heure"
                i = low.find(cur, i + 1)
                continue
            j = i
            while j > 0 and low[j - 1] in " -":
                j -= 1
            if j > 0 and low[j - 1].isalpha():
                return True
            i = low.find(cur, i + 1)
    return False


def _find_amounts(text: str, low: str, protected: list[Span], has_digit: bool,
                  pre: set[str]) -> list[Amount]:
    amounts = _find_digit_amounts(text, low, protected) if has_digit else []
    if "cent" in pre or "mill" in pre or _currency_after_letter(low):
        taken = protected + [a.span for a in amounts]
        words = _find_word_amounts(text, low, taken)
        if words:
            amounts = sorted(amounts + words, key=lambda a: a.span)
    return amounts


def extract_amounts(text: str) -> list[Amount]:
    """Sums of money in figures or words, in text order (rules: module doc)."""
    if not _is_str(text):
        return []
    low = fold(text)
    has_digit = _DIGIT_RE.search(low) is not None
    pre = _word_prefixes(low)
    protected: list[Span] = []
    if has_digit:
        phones = [s for _, s in _find_phones(low)]
        protected = phones + [s for _, _, s in _find_refs(text, low, phones, pre)]
        # Date spans do not depend on the reference date.
        protected += [d.span for d in _find_dates(text, low, date(2001, 1, 1), True, pre,
                                                  protected)]
    return _find_amounts(text, low, protected, has_digit, pre)


# ==========================================================================
# Dates
# ==========================================================================

_WEEKDAYS = {"lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4,
             "samedi": 5, "dimanche": 6}
_MONTH = (
    r"(?:janv(?:ier|\.)?|fev(?:rier|r\.?|\.)?|mars|avr(?:il|\.)?|mai|juin|juil(?:let|\.)?|"
    r"aout|sept(?:embre|\.)?|oct(?:obre|\.)?|nov(?:embre|\.)?|dec(?:embre|\.)?)"
)
_MONTH_KEYS = {"jan": 1, "fev": 2, "mar": 3, "avr": 4, "mai": 5, "juin": 6, "juil": 7,
               "aou": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12}
_DIGIT_DATE_RE = re.compile(
    r"(?P<d>[0-9](?<![\w/.\-'][0-9])[0-9]?)(?P<er> ?er(?![a-z]))?"
    r"(?:(?P<sep>[/.\-])(?P<m>[01]?[0-9])(?:(?P=sep)(?P<y>[0-9]{4}|[0-9]{2}))?"
    r"(?![\w/]|[.\-,][0-9])"
    rf"| *(?P<mn>{_MONTH})(?![a-z])(?: +(?P<y2>(?:19|20)[0-9]{{2}})(?![0-9]))?)?"
)
_PREMIER_RE = re.compile(
    rf"premier +(?P<mn>{_MONTH})(?![a-z])(?: +(?P<y2>(?:19|20)[0-9]{{2}})(?![0-9]))?"
)
_DATE_ARTICLES = frozenset({"le", "du", "au", "ce", "jusqu'au"})
_DOM_BAD_AFTER_RE = re.compile(
    r"[a-z0-9]|[/.,:][0-9]| *[0-9]| ?(?:h\b|heures?\b|%|€|\$|k€|euros?\b|eur\b|dollars?\b|"
    r"jours?\b|mois\b|ans?\b|semaines?\b|fois\b|pieces?\b|e\b|eme\b|ieme\b|"
    r"rue\b|avenue\b|av\b|bd\b|boulevard\b|place\b|allee\b|chemin\b|route\b|impasse\b|"
    r"quai\b|bis\b|ter\b)"
)
# "le 1er" is a date before these words (or punctuation/end), an ordinal
# before a noun ("le 1er versement").
_AFTER_FIRST_OK = frozenset({"du", "de", "a", "au", "et", "ou", "matin", "soir", "midi",
                             "avant", "apres", "comme", "sinon", "si", "je", "nous", "vous",
                             "on", "c", "ca", "ce", "dernier", "prochain", "au", "pour"})
_NEXT_WORD_RE = re.compile(r" +([a-z]+)")
_NEXT_MONTH_AFTER_RE = re.compile(r" +(?:du|de) +mois +(?:prochain|suivant)(?![a-z])")
_FRACTION_BEFORE_RE = re.compile(r"\b(?:les|des|aux|un|une) +$")
_FRACTION_AFTER_RE = re.compile(r" +d(?:e|u|es)\b| +d'")
_WEEKDAY_RE = re.compile(r"[lmjvsd](?:undi|ardi|ercredi|eudi|endredi|amedi|imanche)")
_WD_SUFFIX_RE = re.compile(r" +(?P<suf>prochain|en +huit|en +quinze|dernier)(?![a-z])")
_REL_WORD_RE = re.compile(
    r"aujourd'? ?hui|apres[ \-]demain|avant[ \-]hier|demain|hier|ce soir|ce matin|"
    r"cet apres[ \-]midi|dans la journee"
)
_REL_WORD_GATE = frozenset({"aujo", "hui", "apre", "avan", "dema", "hier", "soir", "mati"})
_REL_UNIT_GATE = frozenset({"jour", "sema", "mois"})
_REL_LEAD_GATE = frozenset({"dans", "ici", "sous"})
_WEEKDAY_GATE = frozenset({"lund", "mard", "merc", "jeud", "vend", "same", "dima"})
_REL_COUNT_RE = re.compile(
    r"(?:dans|d'ici|sous) +(?P<n>[0-9]{1,3}|une?|deux|trois|quatre|cinq|six|sept|huit|neuf|"
    r"dix|quinze|vingt|trente) +(?P<unit>jours?|semaines?|mois)(?![a-z])"
)
_REL_NEXT_RE = re.compile(r"(?:la +)?semaine +prochaine|(?:le +)?mois +prochain(?!e)")
_SMALL_COUNTS = {"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6,
                 "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "quinze": 15, "vingt": 20,
                 "trente": 30}


def _word_before(low: str, s: int) -> tuple[str, int]:
    """The word ending right before the spaces preceding ``s`` and its start."""
    j = s
    while j > 0 and low[j - 1] == " ":
        j -= 1
    if j == s:
        return "", s
    k = j
    while k > 0 and (low[k - 1].isalpha() or low[k - 1] == "'"):
        k -= 1
    return low[k:j], k


def _date_prefix(low: str, s: int) -> tuple[int, str | None] | None:
    """``(start, weekday)`` of a "le"/"du"/"au"/"ce"/weekday prefix before ``s``."""
    word, k = _word_before(low, s)
    if word in _WEEKDAYS:
        article, k2 = _word_before(low, k)
        return (k2 if article in _DATE_ARTICLES else k), word
    if word in _DATE_ARTICLES:
        return k, None
    return None


def _month_number(s: str) -> int | None:
    if s.startswith(("juin", "juil")):
        return _MONTH_KEYS[s[:4]]
    return _MONTH_KEYS.get(s[:3])


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
    for k in range(13):
        y, m = _add_months(ref.year, ref.month, k)
        d = _make_date(y, m, day)
        if d is not None and d >= ref:
            return d
    return None


def _weekday_date(ref: date, wd: int, ce: bool, suffix: str) -> date | None:
    suffix = " ".join(suffix.split())
    ahead = (wd - ref.weekday()) % 7
    if suffix == "dernier":
        return _shift(ref, -((ref.weekday() - wd) % 7 or 7))
    if suffix == "prochain":
        return _shift(ref, 7 - ref.weekday() + wd)  # that weekday in next calendar week
    if ce and not suffix:
        return _shift(ref, ahead)  # "ce jeudi" said on a Thursday = today
    days = ahead or 7  # strictly after the reference
    if suffix == "en huit":
        days += 7
    elif suffix == "en quinze":
        days += 14
    return _shift(ref, days)


def _resolve_year(ref: date, y: str | None, month: int, day: int) -> date | None:
    if y:
        return _make_date(int(y) + (2000 if len(y) == 2 else 0), month, day)
    return _nearest_occurrence(ref, month, day)


def _find_dates(text: str, low: str, ref: date, has_digit: bool, pre: set[str],
                protected: list[Span] | None = None) -> list[DateMention]:
    """Date mentions; candidates overlapping ``protected`` (phones, refs) are dropped."""
    cands: list[DateMention] = []
    add = cands.append

    if has_digit:
        for m in _DIGIT_DATE_RE.finditer(low):
            s, e = m.span()
            d_txt, er, sep, m_txt, y, mn, y2 = m.groups()
            day = int(d_txt)
            if not (mn or sep) and _DOM_BAD_AFTER_RE.match(low, e):
                continue  # "12 000", "10 h", "30 jours": not a bare day number
            pm = _date_prefix(low, s) if s and low[s - 1] == " " else None
            wd = pm[1] if pm else None
            if mn:
                month = _month_number(mn)
                value = _resolve_year(ref, y2, month, day) if month else None
                kind = "named-month"
            elif sep and not er:
                if not y and (sep != "/" or _FRACTION_BEFORE_RE.search(low, max(0, s - 10), s)
                              or _FRACTION_AFTER_RE.match(low, e)):
                    continue  # "1.5", "18-20", "les 3/4 de la somme"
                month = int(m_txt)
                value = _resolve_year(ref, y, month, day) if 1 <= month <= 12 else None
                kind = "numeric"
            else:
                # Bare day number: needs "le/au/du" or a weekday before it.
                if pm is None:
                    continue
                if er:
                    nw = _NEXT_WORD_RE.match(low, e)
                    if nw and nw.group(1) not in _AFTER_FIRST_OK:
                        continue  # "le 1er versement"
                kind = "day-of-month"
                nm = _NEXT_MONTH_AFTER_RE.match(low, e)
                if nm:  # "le 30 du mois prochain"
                    y, mo = _add_months(ref.year, ref.month, 1)
                    value, e = (_make_date(y, mo, day) if 1 <= day <= 31 else None), nm.end()
                else:
                    value = _day_of_month(ref, day)
            if value is not None:
                start = pm[0] if pm else s
                add(DateMention(value, (start, e), text[start:e], kind,
                                conflict=bool(wd) and value.weekday() != _WEEKDAYS[wd]))
    if "prem" in pre:
        for m in _PREMIER_RE.finditer(low):
            month = _month_number(m.group("mn"))
            value = _resolve_year(ref, m.group("y2"), month, 1) if month else None
            if value is not None and _starts_word(low, m.start()):
                add(DateMention(value, m.span(), text[m.start():m.end()], "named-month"))

    if not _WEEKDAY_GATE.isdisjoint(pre):
        for m in _WEEKDAY_RE.finditer(low):
            s, e = m.span()
            if not (_starts_word(low, s) and _ends_word(low, e)):
                continue
            ce = s >= 3 and (low[s - 3:s] == "ce " and _starts_word(low, s - 3)
                             or s >= 4 and low[s - 4:s] == "cet " and _starts_word(low, s - 4))
            if ce:
                s -= 3 if low[s - 3:s] == "ce " else 4
            sm = _WD_SUFFIX_RE.match(low, e)
            if sm:
                e = sm.end()
            value = _weekday_date(ref, _WEEKDAYS[m.group(0)], ce, sm.group("suf") if sm else "")
            if value is not None:
                add(DateMention(value, (s, e), text[s:e], "weekday"))

    if not _REL_WORD_GATE.isdisjoint(pre) or "dans la journee" in low:
        for m in _REL_WORD_RE.finditer(low):
            s, e = m.span()
            if not (_starts_word(low, s) and _ends_word(low, e)):
                continue
            w = m.group(0)
            if w.startswith("apres"):
                value = _shift(ref, 2)
            elif w.startswith("avant"):
                value = _shift(ref, -2)
            elif w == "demain":
                value = _shift(ref, 1)
            elif w == "hier":
                value = _shift(ref, -1)
            else:  # aujourd'hui, ce soir, ce matin, cet après-midi, dans la journée
                value = ref
            if value is not None:
                add(DateMention(value, (s, e), text[s:e], "relative"))
    if not _REL_UNIT_GATE.isdisjoint(pre) and not _REL_LEAD_GATE.isdisjoint(pre):
        for m in _REL_COUNT_RE.finditer(low):
            if not _starts_word(low, m.start()):
                continue
            n_txt = m.group("n")
            n = int(n_txt) if n_txt.isdigit() else _SMALL_COUNTS[n_txt]
            unit = m.group("unit")
            if unit.startswith("jour"):
                value = _shift(ref, {8: 7, 15: 14}.get(n, n))
            elif unit.startswith("semaine"):
                value = _shift(ref, 7 * n)
            else:
                y, mo = _add_months(ref.year, ref.month, n)
                value = None
                # Same day n months later, clamped to the month end (31 Jan + 1 month).
                for day in [ref.day] + [d for d in (30, 29, 28) if d < ref.day]:
                    value = _make_date(y, mo, day)
                    if value is not None:
                        break
            if value is not None:
                add(DateMention(value, m.span(), text[m.start():m.end()], "relative"))
    if "proc" in pre:
        for m in _REL_NEXT_RE.finditer(low):
            if not _starts_word(low, m.start()):
                continue
            if "semaine" in m.group(0):
                value = _shift(ref, 7 - ref.weekday())
            else:
                y, mo = _add_months(ref.year, ref.month, 1)
                value = _make_date(y, mo, 1)
            if value is not None:
                add(DateMention(value, m.span(), text[m.start():m.end()], "relative", vague=True))

    if protected:
        cands = [d for d in cands if not _overlaps(d.span, protected)]
    if len(cands) < 2:
        return cands
    # Keep the longest mention at each position, drop overlapping ones.
    cands.sort(key=lambda d: (d.span[0], -d.span[1]))
    out: list[DateMention] = []
    last_end = -1
    for d in cands:
        if d.span[0] >= last_end:
            out.append(d)
            last_end = d.span[1]
    return out


@lru_cache(maxsize=4096)
def extract_amounts_and_dates(text: str, reference: date) -> tuple[tuple[Amount, ...], tuple[DateMention, ...]]:
    """Amounts and dates only, as :func:`extract_all` finds them (for the debtor's lines: cheaper)."""
    if not _is_str(text) or not isinstance(reference, date):
        return (), ()
    if isinstance(reference, datetime):
        reference = reference.date()
    low = fold(text)
    pre = _word_prefixes(low)
    has_digit = _DIGIT_RE.search(low) is not None
    protected: list[Span] = []
    if has_digit:
        phones = [s for _, s in _find_phones(low)]
        protected = phones + [s for _, _, s in _find_refs(text, low, phones, pre)]
    dates = _find_dates(text, low, reference, has_digit, pre, protected)
    protected += [d.span for d in dates]
    return tuple(_find_amounts(text, low, protected, has_digit, pre)), tuple(dates)


def extract_dates(text: str, reference: date) -> list[DateMention]:
    """Dates in text order, resolved against ``reference`` (rules: module doc)."""
    if not _is_str(text) or not isinstance(reference, date):
        return []
    if isinstance(reference, datetime):  # keep date arithmetic on plain dates
        reference = reference.date()
    low = fold(text)
    pre = _word_prefixes(low)
    if _DIGIT_RE.search(low) is None:
        return _find_dates(text, low, reference, False, pre)
    phones = [s for _, s in _find_phones(low)]
    protected = phones + [s for _, _, s in _find_refs(text, low, phones, pre)]
    return _find_dates(text, low, reference, True, pre, protected)


# --------------------------------------------------------------------------
# Vague timing expressions
# --------------------------------------------------------------------------

_NMONTH = (r"(?:janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|"
           r"decembre)")
_MONTH_PREFIXES = ("janv", "fevr", "mars", "avri", "mai", "juin", "juil", "aout", "sept",
                   "octo", "nove", "dece")
# (label, gate word prefixes, pattern); a pattern runs on the folded text only
# when a word it needs is present (see _word_prefixes).
_VAGUE_SPECS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("fin de semaine", ("sema", "week"),
     r"fin (?:de (?:la |cette )?|d')?semaine|week[ \-]?end"),
    ("fin de mois", ("fin",), rf"fin (?:du |de |de ce |d')?(?:mois|{_NMONTH})"),
    ("debut de mois", ("debu",), rf"debut (?:du |de |de ce |d')?(?:mois|{_NMONTH})"),
    ("mi mois", ("mi",), rf"mi[ \-](?:mois|{_NMONTH})"),
    ("des que possible", ("que", "asap", "plus"),
     r"des que (?:possible|je (?:peux|pourrai)|nous (?:pouvons|pourrons)|on (?:peut|pourra)|"
     r"ca (?:rentre|sera possible))|asap|au plus (?:vite|tot)|le plus (?:vite|tot) possible"),
    ("rapidement", ("rapi", "vite", "peu", "ince"),
     r"rapidement|tres vite|sous peu|incessamment"),
    ("bientot", ("bien", "proc"), r"bientot|prochainement"),
    ("prochains jours", ("jour",),
     r"(?:dans|d'ici|sous) (?:les |des )?(?:prochains|quelques) jours|un de ces jours"),
    ("la semaine prochaine", ("sema",), r"semaine prochaine"),
    ("le mois prochain", ("mois",), r"(?<!du )(?<!de )mois prochain"),
    ("cette semaine", ("sema",), r"cette semaine|(?:dans|courant de) la semaine"),
    ("dans le mois", ("mois", "cour") + _MONTH_PREFIXES,
     rf"ce mois[ \-]ci|dans le mois|courant (?:du mois|de ce mois|{_NMONTH})|en {_NMONTH}"),
    ("fin d annee", ("anne",), r"fin (?:de l'|d')annee"),
    ("plus tard", ("tard", "verr", "voir"),
     r"(?<!au )(?<!le )plus tard|je verrai|on verra|je vais voir"),  # not "au plus tard jeudi"
)
_VAGUE = tuple((label, frozenset(gates), re.compile(pat)) for label, gates, pat in _VAGUE_SPECS)
_VAGUE_ANY_GATE = frozenset().union(*(gates for _, gates, _ in _VAGUE))
_PAYMENT_TERM_BEFORE_RE = re.compile(r"(?:jours?|j) +$")


def _vague_from_folded(low: str, pre: set[str]) -> list[str]:
    if _VAGUE_ANY_GATE.isdisjoint(pre):
        return []
    hits: list[tuple[int, str]] = []
    for label, gates, rx in _VAGUE:
        if gates.isdisjoint(pre):
            continue
        for m in rx.finditer(low):
            s = m.start()
            if not (_starts_word(low, s) and _ends_word(low, m.end())):
                continue
            if label == "fin de mois" and _PAYMENT_TERM_BEFORE_RE.search(low, max(0, s - 8), s):
                continue  # "30 jours fin de mois" is a payment term, not a promise
            hits.append((s, label))
            break
    hits.sort()
    return [label for _, label in hits]


def extract_vague_dates(text: str) -> list[str]:
    """Canonical labels of vague timing expressions, in order of appearance.

    Labels: "fin de semaine", "fin de mois", "debut de mois", "mi mois",
    "des que possible", "rapidement", "bientot", "prochains jours",
    "la semaine prochaine", "le mois prochain", "cette semaine",
    "dans le mois", "fin d annee", "plus tard" (covers "je verrai",
    "on verra"). "30 jours fin de mois" (a payment term) is not vague.
    """
    if not _is_str(text):
        return []
    low = fold(text)
    return _vague_from_folded(low, _word_prefixes(low))


# ==========================================================================
# Payment means
# ==========================================================================

# (canonical, gate word prefixes, pattern, words one of which must precede a
# bare match). Patterns run on the folded text, only when a gate word occurs.
_MEANS_SPECS: tuple[tuple[str, tuple[str, ...], str, dict[str, frozenset[str]]], ...] = (
    ("virement", ("vir", "vire", "viro", "inte", "tran", "depo", "tef", "paie"),
     r"vir(?:ements?|er|ez|ons|e|\.)?|interac|transferts? bancaires?|depots? directs?|tef"
     r"|paiements? electroniques?|transferts? electroniques?(?: de fonds)?", {}),
    ("cheque", ("cheq", "chq"), r"ch(?:eques?|q)", {}),
    ("lcr", ("lcr", "lett"), r"lcr|lettres? de change(?: releve)?", {}),
    ("prelevement", ("prel", "domi"), r"prelev[a-z]*|domiciliation", {}),
    ("carte", ("cb", "cart", "mast", "amex", "tpe"),
     r"cb|cartes?(?: (?:bancaires?|bleues?|de credit|de paiement|visa|mastercard|amex)(?![a-z]))?"
     r"|mastercard|amex|tpe",
     {"carte": frozenset({"par", "en", "via", "paiement"}),
      "cartes": frozenset({"par", "en", "via", "paiement"})}),
    ("especes", ("espe", "cash", "liqu", "nume"), r"especes|cash|liquide|numeraire",
     {"liquide": frozenset({"en"})}),
    ("effet", ("trai", "effe", "bill", "bor"),
     r"traites?|effets? de commerce|billets? a ordre|bor",
     {w: frozenset({"par", "une", "la", "en", "des", "les", "votre", "notre", "cette", "sa",
                    "leur"}) for w in ("traite", "traites")}),
)
_MEANS = tuple((canon, frozenset(gates), re.compile(pat), need)
               for canon, gates, pat, need in _MEANS_SPECS)
_MEANS_ANY_GATE = frozenset().union(*(gates for _, gates, _, _ in _MEANS))


def _means_from_folded(low: str, pre: set[str]) -> list[str]:
    return [c for _, c in _means_hits(low, pre)]


def payment_means_positions(text: str) -> list[tuple[int, str]]:
    """(start offset in ``text``, canonical means) of the first mention of each means."""
    if not _is_str(text):
        return []
    low = fold(text)
    return _means_hits(low, _word_prefixes(low))


def _means_hits(low: str, pre: set[str]) -> list[tuple[int, str]]:
    if _MEANS_ANY_GATE.isdisjoint(pre):
        return []
    hits: list[tuple[int, str]] = []
    for canon, gates, rx, need_before in _MEANS:
        if gates.isdisjoint(pre):
            continue
        for m in rx.finditer(low):
            s, e = m.span()
            if not _starts_word(low, s) or (low[e - 1] != "." and not _ends_word(low, e)):
                continue
            need = need_before.get(m.group(0))
            if need is not None and _word_before(low, s)[0] not in need:
                continue  # "je traite", "carte grise", "liquide" alone
            hits.append((s, canon))
            break
    hits.sort()
    return hits


def extract_payment_means(text: str) -> list[str]:
    """Canonical payment means in order of first mention.

    Values: "virement" (incl. Interac), "cheque", "lcr" (incl. lettre de
    change), "prelevement", "carte" (CB, carte bancaire, paiement par
    carte...), "especes", "effet" (traite, effet de commerce, billet à ordre).
    """
    if not _is_str(text):
        return []
    low = fold(text)
    return _means_from_folded(low, _word_prefixes(low))


# ==========================================================================
# Person names
# ==========================================================================

_UP = "A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸ"
_LOW = "a-zàâäçéèêëîïôöùûüÿœæ"
_CAP_WORD = rf"[{_UP}](?:[{_LOW}]+(?:[-'’][{_UP}]?[{_LOW}]+)*|[{_UP}]+(?:-[{_UP}]{{2,}})?)"
_CAP_WORD_RE = re.compile(rf"[{_UP}](?<![\w'’\-].)(?:[{_LOW}]+(?:[-'’][{_UP}]?[{_LOW}]+)*"
                          rf"|[{_UP}]+(?:-[{_UP}]{{2,}})?)(?![\w'’\-])")
_TITLE_LOW_RE = re.compile(r"madame|monsieur|mademoiselle|mme|mlle|mr\.?|m\.|docteur|dr\.?|maitre")
_NAMES_AFTER_TITLE_RE = re.compile(
    rf"\s+(?P<names>[{_UP}{_LOW}'’\-]+(?:\s+[{_UP}][{_UP}{_LOW}'’\-]*){{0,2}})"
)
_TITLE_GATE = frozenset({"mada", "mons", "made", "mme", "mlle", "mr", "m", "doct", "dr", "mait"})
_INTRO_LOW_RE = re.compile(r"je suis|ici|c'est|je m'appelle|mon nom est")
_INTRO_GATE = frozenset({"suis", "ici", "est", "appe", "nom"})
_INTRO_NAME_RE = re.compile(rf"\s+(?P<name>{_CAP_WORD})(?![\w'’\-])")
_COMPANY_BEFORE_RE = re.compile(
    r"(?:societe|chez|entreprise|groupe|cabinet|sarl|sas|sasu|eurl|ets|etablissements|"
    r"marque|enseigne|banque|client|fournisseur) +$"
)
_NAME_BLACKLIST: frozenset[str] = STOPWORDS | frozenset(
    """
    lundi mardi mercredi jeudi vendredi samedi dimanche janvier fevrier mars avril mai juin
    juillet aout septembre octobre novembre decembre
    madame monsieur mademoiselle mme mlle mr docteur maitre messieurs mesdames
    bonjour bonsoir salut merci oui non ok okay parfait bon bonne belle excellent
    excusez pardon desole alors donc ensuite enfin cordialement salutations
    aujourd hui demain hier concernant suite objet rappel relance
    service direction comptabilite compta credit client clients fournisseur fournisseurs
    groupe societe entreprise banque tresorerie achats finance finances financier financiere
    directeur directrice responsable gestionnaire assistante assistant standard accueil
    dossier facture factures avoir virement cheque paiement reglement montant total
    email mail france quebec canada euro euros tva ht ttc sepa lcr rib iban bic cb
    pouvez pourriez pourrions sommes comment combien ici oui voila parfait super entendu
    exact exactement effectivement justement sinon ainsi aussi cependant pourtant toutefois
    cabinet chapitre article formule loi annexe objet
    serait sera etait peut pourrait voudrait souhaite souhaiterait dit disait avait vient
    revient doit devait sait veut vais vas
    """.split()
)


def _name_ok(word: str) -> bool:
    f = fold(word)
    return f not in _NAME_BLACKLIST and f.rsplit("'", 1)[-1] not in _NAME_BLACKLIST


def _find_names(text: str, low: str, pre: set[str]) -> list[tuple[str, Span]]:
    found: list[tuple[str, Span]] = []
    taken: list[Span] = []

    titles = _TITLE_LOW_RE.finditer(low) if not _TITLE_GATE.isdisjoint(pre) else ()
    for m in titles:
        if not _starts_word(low, m.start()):
            continue
        if low[m.end() - 1] != "." and not _ends_word(low, m.end()):
            continue
        nm = _NAMES_AFTER_TITLE_RE.match(text, m.end())
        if not nm:
            continue
        pos = nm.start("names")
        start = end = pos
        # A lower-case name is accepted only after a lower-case title
        # ("merci madame leroy"): who writes "Madame" capitalises the name.
        lower_ok = text[m.start()].islower()
        for k, w in enumerate(nm.group("names").split()):
            capital = w[0].isupper()
            if not _name_ok(w) or (not capital and (k or not lower_ok)):
                break
            pos = text.index(w, pos)
            end = pos + len(w)
            pos = end
        if end > start:
            found.append((text[start:end], (start, end)))
            taken.append((start, end))

    words = [(w.group(0), w.span()) for w in _CAP_WORD_RE.finditer(text)]
    i = 0
    while i < len(words) - 1:
        (w1, s1), (w2, s2) = words[i], words[i + 1]
        if (s2[0] - s1[1] == 1 and text[s1[1]] in " \u00a0" and not w1.isupper()
                and _name_ok(w1) and _name_ok(w2)
                and not _overlaps((s1[0], s2[1]), taken)
                and not _COMPANY_BEFORE_RE.search(low, max(0, s1[0] - 30), s1[0])):
            found.append((text[s1[0]:s2[1]], (s1[0], s2[1])))
            taken.append((s1[0], s2[1]))
            i += 2
            continue
        i += 1

    intros = _INTRO_LOW_RE.finditer(low) if not _INTRO_GATE.isdisjoint(pre) else ()
    for m in intros:
        if not _starts_word(low, m.start()):
            continue
        nm = _INTRO_NAME_RE.match(text, m.end())
        if nm and not _overlaps(nm.span("name"), taken) and _name_ok(nm.group("name")):
            found.append((nm.group("name"), nm.span("name")))
            taken.append(nm.span("name"))

    found.sort(key=lambda x: x[1])
    return found


def extract_person_names(text: str) -> list[str]:
    """Person names as written, without titles, in text order (rules: module doc)."""
    if not _is_str(text):
        return []
    return list(_person_names(text))


@lru_cache(maxsize=1024)
def _person_names(text: str) -> tuple[str, ...]:
    low = fold(text)
    return tuple(_dedupe([n for n, _ in _find_names(text, low, _word_prefixes(low))]))


# ==========================================================================
# All at once
# ==========================================================================


def extract_all(text: str, reference: date, names: bool = True) -> Entities:
    """Run every extractor once on ``text``, sharing intermediate results.

    Results are memoised (LRU): the scorer may ask several criteria about the
    same reply, and ``Entities`` is immutable. ``names=False`` skips person
    names (``person_names`` is then empty; :func:`extract_person_names` gives them).
    """
    if not _is_str(text) or not isinstance(reference, date):
        return Entities()
    if isinstance(reference, datetime):
        reference = reference.date()
    return _extract_all_cached(text, reference, names)


@lru_cache(maxsize=4096)
def _extract_all_cached(text: str, reference: date, names: bool = True) -> Entities:
    return _extract_all(text, reference, names)


def _extract_all(text: str, reference: date, names: bool = True) -> Entities:
    low = fold(text)
    pre = _word_prefixes(low)
    has_digit = _DIGIT_RE.search(low) is not None
    phones: list[tuple[str, Span]] = []
    refs: list[tuple[str, str, Span]] = []
    if has_digit:
        phones = _find_phones(low)
        refs = _find_refs(text, low, [s for _, s in phones], pre)
    protected = [s for _, s in phones] + [s for _, _, s in refs]
    dates = _find_dates(text, low, reference, has_digit, pre, protected)
    protected += [d.span for d in dates]
    return Entities(
        amounts=tuple(_find_amounts(text, low, protected, has_digit, pre)),
        dates=tuple(dates),
        vague_dates=tuple(_vague_from_folded(low, pre)),
        invoice_refs=tuple(_dedupe([r for k, r, _ in refs if k == "invoice"])),
        po_refs=tuple(_dedupe([r for k, r, _ in refs if k == "po"])),
        payment_means=tuple(_means_from_folded(low, pre)),
        person_names=tuple(_dedupe([n for n, _ in _find_names(text, low, pre)])) if names else (),
        phone_numbers=tuple(_dedupe([p for p, _ in phones])),
    )
