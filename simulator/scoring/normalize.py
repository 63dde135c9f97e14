"""French text normalisation for matching trainee replies.

Everything here is pure, deterministic and never raises on any ``str``
(non-``str`` input gives ``""``/empty results). The scorer calls these on
every typed reply, so they are kept cheap: text made only of Windows-1252
characters (all of French, ``’ « » œ €`` included) is folded with one C-level
``bytes.translate``; anything else (emoji, CJK, full-width forms...) takes an
NFKD path.

Normalised form (what ``normalize`` returns)
--------------------------------------------
* lower case, accents folded (``é``->``e``, ``œ``->``oe``, ``ß``->``ss``);
* only ``a-z``, ``0-9``, single spaces and the signs ``€ $ % ? ! . , ; : / @ + °``
  survive; every other character (quotes, brackets, emoji, control
  characters...) becomes a space;
* **elisions and hyphens are split**: every apostrophe (straight or
  typographic) and every hyphen/dash becomes a space, so ``l'échéance`` ->
  ``l echeance``, ``aujourd'hui`` -> ``aujourd hui``, ``s'il vous plaît`` ->
  ``s il vous plait``, ``rendez-vous`` -> ``rendez vous``,
  ``qu'est-ce qui`` -> ``qu est ce qui``. There are no exceptions, so a cue
  phrase run through ``normalize`` always matches a normalised reply:
  callers should normalise their patterns with this same function;
* Rich console markup tags (``[bold]``, ``[/]``, ``[red on white]``...) are
  removed; other bracketed text is kept (brackets become spaces);
* SMS abbreviations and accent-less/typo forms are expanded token by token
  (``svp`` -> ``s il vous plait``, ``mr``/``m.`` -> ``monsieur``,
  ``ok``/``dac`` -> ``d accord``, ``n°1187`` -> ``numero 1187``, ``vir`` ->
  ``virement``...; see ``_ABBREVIATIONS``). Trailing punctuation of an
  abbreviated token is kept (``svp.`` -> ``s il vous plait.``);
* whitespace runs (incl. U+00A0 and U+202F) collapse to one space, no
  leading/trailing space.

``fold`` is the offset-preserving variant used for entity spans.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

__all__ = ["STOPWORDS", "content_words", "fold", "normalize", "own_words", "strip_markup", "tokens"]

# --------------------------------------------------------------------------
# Character folding tables
# --------------------------------------------------------------------------

_QUOTE_LIKE = "\u2019\u2018\u201a\u201b\u02bc\u02b9`\u00b4\u2032"
_DQUOTE_LIKE = "\u00ab\u00bb\u201c\u201d\u201e\u201f\u2033\u2039\u203a"
_DASH_LIKE = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_SPACE_LIKE = "\u00a0\u202f\u2007\u2009\u200a\u2002\u2003\u2004\u2005\u2006\u2008\u205f\u3000"
_NORM_ALLOWED = frozenset("abcdefghijklmnopqrstuvwxyz0123456789 €$%?!.,;:/@+°")


def _base_char(ch: str) -> str:
    """Lower-case, accent-less form of one character (may stay non-ASCII)."""
    if ch in _QUOTE_LIKE:
        return "'"
    if ch in _DQUOTE_LIKE:
        return '"'
    if ch in _DASH_LIKE:
        return "-"
    if ch in _SPACE_LIKE or (ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0):
        return " "
    if ch == "º":
        return "°"
    if ch == "…":
        return "."
    low = ch.lower() if len(ch.lower()) == 1 else ch
    decomposed = unicodedata.normalize("NFKD", low)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    if len(stripped) == 1 and stripped.isascii():
        return stripped.lower()
    return low


def _build_byte_tables() -> tuple[bytes, bytes]:
    """cp1252 byte tables: (offset-preserving fold, normalize fold).

    Outputs are ASCII plus 0x80 (``€``) and 0xB0 (``°``), so the result can
    be decoded as latin-1 (much faster than cp1252) and 0x80 put back as €.
    """
    span_tab = bytearray(range(256))
    norm_tab = bytearray(range(256))
    for b in range(256):
        try:
            ch = bytes([b]).decode("cp1252")
        except UnicodeDecodeError:  # undefined cp1252 byte: never produced by encode
            span_tab[b] = norm_tab[b] = 0x20
            continue
        base = _base_char(ch)
        encoded = base.encode("cp1252", "ignore")
        code = encoded[0] if len(base) == 1 and encoded else None
        keep = code is not None and (code < 0x80 or base in "€°")
        span_tab[b] = code if keep else 0x3F  # "?"
        norm_tab[b] = code if keep and base in _NORM_ALLOWED else 0x20
    return bytes(span_tab), bytes(norm_tab)


def _cp1252_fold(s: str, table: bytes, errors: str) -> str:
    out = s.encode("cp1252", errors).translate(table).decode("latin-1")
    return out.replace("\x80", "€") if "\x80" in out else out


_SPAN_BYTES, _NORM_BYTES = _build_byte_tables()

# Characters outside cp1252 that are common enough in French input to be
# mapped before encoding (keeps the fast path; all 1:1 so offsets hold).
_PRE_MAP = (("\u202f", " "), ("\u2009", " "), ("\u2007", " "), ("\u2011", "-"),
            ("\u2010", "-"), ("\u2212", "-"), ("\u1d49", "e"), ("\u02b3", "r"),
            ("\u2032", "'"), ("\u02bc", "'"))


def _pre_map(s: str) -> str:
    for src, dst in _PRE_MAP:
        if src in s:
            s = s.replace(src, dst)
    return s


def fold(text: str) -> str:
    """Lower-case, accent-fold ``text`` **keeping its length** (offsets hold).

    Apostrophes become ``'``, dashes ``-``, exotic spaces and control
    characters a space; characters with no 1:1 fold (emoji...) become ``?``.
    Entity extractors run their regexes on this and report spans that are
    valid on the original text.
    """
    if not text or not isinstance(text, str):
        return ""
    s = text.lower()
    if len(s) != len(text):  # e.g. "İ".lower() is two code points
        s = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    if s.isascii():
        return s
    return _cp1252_fold(_pre_map(s), _SPAN_BYTES, "replace")


def _build_slow_table() -> dict[int, str | None]:
    """str.translate table for the NFKD path (non-cp1252 input)."""
    table: dict[int, str | None] = {}
    for cp in list(range(0x0300, 0x0370)) + [
        c + off for c in (0x1AB0, 0x1DC0, 0x20D0, 0xFE20) for off in range(0x30)
    ]:
        table[cp] = None  # combining marks
    for ch in "\u200b\u200c\u200d\u2060\ufeff\u00ad":
        table[ord(ch)] = None  # zero-width glue (emoji sequences, soft hyphen)
    for src, dst in {"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "ł": "l", "đ": "d",
                     "ı": "i"}.items():
        table[ord(src)] = dst
    return table


_SLOW_FOLD = _build_slow_table()
_DISALLOWED_RE = re.compile(r"[^a-z0-9 €$%?!.,;:/@+°]+")

# Rich markup tags, matched before lower-casing so that only style-looking
# tags go (``[F-2025-1187]`` or ``[Voir facture]`` stay text).
_MARKUP_RE = re.compile(
    r"\[/?(?:(?:not\s+)?(?:bold|b|italic|i|underline2?|u|strike|s|dim|d|reverse|r|"
    r"blink2?|conceal|overline|o|frame|encircle|link|on|default|red|green|blue|"
    r"yellow|magenta|cyan|white|black|gr[ae]y\d*|bright_[a-z]+|color\(\d+\)|"
    r"#[0-9a-fA-F]{3,6}|rgb\([\d, ]+\)|@[a-z_]+)(?:[ =,][^\[\]\n]{0,80})?)?\]"
)

# --------------------------------------------------------------------------
# Abbreviations / typo forms (keys are folded, lower-case, single tokens)
# --------------------------------------------------------------------------

_ABBREVIATIONS: dict[str, str] = {
    # politeness / greetings
    "svp": "s il vous plait", "stp": "s il te plait", "sil": "s il",
    "bjr": "bonjour", "bsr": "bonsoir", "slt": "salut",
    "cdt": "cordialement", "cdlt": "cordialement", "cordt": "cordialement",
    "dsl": "desole", "mci": "merci", "mrc": "merci",
    # titles ("m." is handled separately: only before a word)
    "mr": "monsieur", "mme": "madame", "mmes": "mesdames", "mlle": "mademoiselle",
    "mrs": "messieurs",
    # agreement
    "ok": "d accord", "okay": "d accord", "oki": "d accord", "okey": "d accord",
    "dac": "d accord", "dacc": "d accord", "daccord": "d accord", "dacord": "d accord",
    # everyday shorthand
    "rdv": "rendez vous", "qd": "quand", "pr": "pour", "tt": "tout", "tte": "toute",
    "ts": "tous", "ds": "dans", "dc": "donc", "vs": "vous", "ns": "nous",
    "ac": "avec", "avc": "avec", "bcp": "beaucoup", "tjs": "toujours", "tjrs": "toujours",
    "qqn": "quelqu un", "qqch": "quelque chose", "qq": "quelques",
    "pb": "probleme", "pbm": "probleme", "pblm": "probleme",
    "pcq": "parce que", "pck": "parce que", "psk": "parce que",
    "pq": "pourquoi", "pk": "pourquoi", "mtn": "maintenant",
    "auj": "aujourd hui", "ajd": "aujourd hui", "aujourdhui": "aujourd hui",
    "jsp": "je ne sais pas", "jsuis": "je suis", "chui": "je suis",
    "jai": "j ai", "cest": "c est", "quest": "qu est", "jvous": "je vous", "jte": "je te",
    "msg": "message", "mail": "email", "courriel": "email", "mel": "email",
    "mails": "emails",
    # collection vocabulary
    "fact": "facture", "fac": "facture", "fct": "facture",
    "vir": "virement", "virmt": "virement", "chq": "cheque",
    "jrs": "jours", "jr": "jour", "num": "numero", "ref": "reference",
}
_ABBREVIATION_KEYS = frozenset(_ABBREVIATIONS)
_TRAILING_PUNCT = ".,;:!?"
_PUNCT_RE = re.compile(r"[.,;:!?]+")

# "m." is "monsieur" only before a word ("m. durand", "m.durand"), never at a
# sentence end. "n°"/"nº" is "numero" even when glued to digits ("n°1187").
_M_DOT_RE = re.compile(r"(?<![a-z0-9])m\.(?= ?[a-z])")
_NUMERO_RE = re.compile(r"(?<![a-z0-9])n ?°")


def _expand_tokens(words: list[str]) -> str:
    out: list[str] = []
    get = _ABBREVIATIONS.get
    n = len(words)
    for i, w in enumerate(words):
        exp = get(w)
        if exp is None:
            core = w.rstrip(_TRAILING_PUNCT)
            if core is not w and core:
                exp = get(core)
                if exp is not None:
                    exp += w[len(core):]
        if exp is not None:
            out.append(exp)
        elif w == "e" and i + 1 < n and words[i + 1].rstrip(_TRAILING_PUNCT) in ("mail", "mails"):
            continue  # "e-mail" -> "e mail" -> "email"
        else:
            out.append(w)
    return " ".join(out)


def strip_markup(text: str) -> str:
    """``text`` without Rich console markup tags (``[bold]``, ``[/]``…), as :func:`normalize` reads it."""
    return _MARKUP_RE.sub(" ", text)


def normalize(text: str) -> str:
    """Return the matching form of ``text`` (see module docstring).

    Memoised (LRU, 1024 entries) because the scorer normalises the same reply
    for many cues; ``_normalize`` is the uncached implementation.
    """
    if not text or not isinstance(text, str):
        return ""
    return _normalize_cached(text)


def _normalize(text: str) -> str:
    s = _MARKUP_RE.sub(" ", text) if "[" in text else text
    s = s.lower()
    if s.isascii():
        s = _DISALLOWED_RE.sub(" ", s)
    else:
        for src, dst in (("œ", "oe"), ("æ", "ae"), ("ß", "ss")):
            if src in s:
                s = s.replace(src, dst)
        s = _pre_map(s)
        try:
            s = _cp1252_fold(s, _NORM_BYTES, "strict")
        except UnicodeEncodeError:
            # NFKD would turn the ordinal indicator of "nº" into a plain "o".
            s = unicodedata.normalize("NFKD", s.replace("º", "°")).lower().translate(_SLOW_FOLD)
            s = _DISALLOWED_RE.sub(" ", s)
    if "m." in s:
        s = _M_DOT_RE.sub("monsieur ", s)
    if "°" in s:
        s = _NUMERO_RE.sub(" numero ", s)
    words = s.split()
    # Fast exit: most replies contain no abbreviation at all.
    if _ABBREVIATION_KEYS.isdisjoint(_PUNCT_RE.sub(" ", s).split()):
        return " ".join(words)
    return _expand_tokens(words)


_normalize_cached = lru_cache(maxsize=1024)(_normalize)

# --------------------------------------------------------------------------
# Tokens and content words
# --------------------------------------------------------------------------

_TOKEN_RE = re.compile(r"[a-z0-9]+|[€$%]")

STOPWORDS: frozenset[str] = frozenset(
    """
    a ai aie aient aies ait as au aucun aucune aupres aussi autre autres aux avaient avais
    avait avant avec avez aviez avions avoir avons ayant
    bien
    c ca car ce ceci cela celle celles celui ces cet cette ceux chaque chez ci comme
    d dans de des deja depuis donc dont du
    e elle elles en encore est et etaient etais etait ete etes etre eu eux
    fait faire fais fut
    il ils
    j je jusqu jusque
    l la le les leur leurs lui
    m ma mais me meme mes moi mon
    n ne ni nos notre nous
    on ont ou
    par parce pas peu peut peux plus pour pourquoi puis
    qu quand que quel quelle quelles quels qui quoi
    s sa sans se sera serai seront ses si sien soit sommes son sont sous suis sur
    t ta te tes toi ton tous tout toute toutes tres tu
    un une
    va vais vas voici voila vos votre vous vu
    y
    """.split()
)


def tokens(text: str) -> list[str]:
    """Normalised word tokens (letter/digit runs; ``€ $ %`` as own tokens)."""
    return _TOKEN_RE.findall(normalize(text))


def _fold_plural(word: str) -> str:
    """Light plural folding: drop a trailing s/x on words longer than 3 chars."""
    if len(word) > 3 and word[-1] in "sx":
        return word[:-1]
    return word


def content_words(text: str) -> set[str]:
    """Normalised tokens minus stop-words and signs, plural-folded.

    Meant for overlap measures (does a reformulation echo the debtor's
    reason?). The folding is crude (``prix`` -> ``pri``) but applied the same
    way on both sides of a comparison, which is all that matters.
    """
    # Stop-words are tested before folding: "mois" must not vanish as "moi".
    return {_fold_plural(tok) for tok in _TOKEN_RE.findall(normalize(text))
            if tok not in STOPWORDS and tok.isalnum()}


_SPAN_TOKEN_RE = re.compile(r"[a-z0-9€$%]+")


@lru_cache(maxsize=256)
def _folded_tokens(text: str) -> tuple[tuple[str, ...], tuple[tuple[int, int], ...]]:
    """Tokens of the offset-keeping fold of ``text``, with their spans (shared by every evidence)."""
    words, spans = [], []
    for m in _SPAN_TOKEN_RE.finditer(fold(text)):
        words.append(m.group(0))
        spans.append(m.span())
    return tuple(words), tuple(spans)


def own_words(text: str, normalised: str) -> str:
    """The trainee's own words (accents, apostrophes, case) behind a normalised match.

    Evidence is found on the normalised reply (``l huissier``); the trainee
    should read what they typed (``l’huissier``). The evidence's words are
    looked for, in order, among the words of the offset-keeping :func:`fold` of
    ``text``; when they cannot be traced back (an expanded abbreviation), the
    normalised words are returned.
    """
    if not normalised or not isinstance(text, str):
        return normalised
    at = text.lower().find(normalised)
    if at >= 0 and len(text.lower()) == len(text):  # typed exactly so: no tracing needed
        return text[at : at + len(normalised)]
    wanted = _SPAN_TOKEN_RE.findall(normalised)
    if not wanted:
        return normalised
    words, spans = _folded_tokens(text)
    n = len(wanted)
    first = wanted[0]
    for i in range(len(words) - n + 1):
        if words[i] == first and words[i : i + n] == tuple(wanted):
            return text[spans[i][0] : spans[i + n - 1][1]]
    # Words the normaliser joined (``e-mail`` → ``email``): each wanted word may span a few typed ones.
    for i in range(len(words)):
        end = _glued_match(words, i, wanted)
        if end is not None:
            return text[spans[i][0] : spans[end][1]]
    return normalised


def _glued_match(words: Sequence[str], start: int, wanted: Sequence[str]) -> int | None:
    """Index of the last typed word when ``wanted`` is spelled from ``start`` on, a wanted word
    possibly glued from several typed ones; None otherwise."""
    at = start
    for target in wanted:
        glued = ""
        while at < len(words) and len(glued) < len(target):
            glued += words[at]
            at += 1
            if not target.startswith(glued):
                return None
        if glued != target:
            return None
    return at - 1 if at > start else None
