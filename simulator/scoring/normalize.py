"""French text normalisation for matching trainee replies.

Everything here is pure, deterministic and must never raise on any ``str``:
the scorer calls it on every typed reply, so it is also kept cheap
(precompiled regexes, ``str.translate`` tables, an ASCII fast path).

Normalised form (what ``normalize`` returns)
--------------------------------------------
* lower case, accents folded (NFKD + combining marks dropped, ``œ``->``oe``);
* only ``a-z``, ``0-9``, single spaces and the signs ``€ $ % ? ! . , ; : / @ + °``
  survive; every other character (quotes, brackets, emoji, control
  characters...) becomes a space;
* **elisions and hyphens are split**: every apostrophe (straight or
  typographic) and every hyphen/dash becomes a space, so ``l'échéance`` ->
  ``l echeance``, ``aujourd'hui`` -> ``aujourd hui``, ``s'il vous plaît`` ->
  ``s il vous plait``, ``rendez-vous`` -> ``rendez vous``,
  ``qu'est-ce qui`` -> ``qu est ce qui``. The rule has no exceptions, so a cue
  phrase run through ``normalize`` always matches the normalised reply;
  callers should normalise their patterns with this same function;
* Rich console markup tags (``[bold]``, ``[/]``, ``[red on white]``...) are
  removed;
* common SMS abbreviations and accent-less/typo forms are expanded
  (``svp`` -> ``s il vous plait``, ``mr``/``m.`` -> ``monsieur``,
  ``ok``/``dac`` -> ``d accord``, ``n°`` -> ``numero``...; see ``_ABBREVIATIONS``);
* whitespace runs (incl. U+00A0 and U+202F) collapse to one space, no
  leading/trailing space.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["STOPWORDS", "content_words", "normalize", "tokens"]

# --------------------------------------------------------------------------
# Character folding
# --------------------------------------------------------------------------


def _build_fold_table() -> dict[int, str | None]:
    """Translate table applied after NFKD on non-ASCII input."""
    table: dict[int, str | None] = {}
    # Combining diacritics (what NFKD splits accents into) are dropped.
    for cp in range(0x0300, 0x0370):
        table[cp] = None
    for cp in (0x1AB0, 0x1DC0, 0x20D0, 0xFE20):
        for off in range(0x30):
            table[cp + off] = None
    # Zero-width characters glue words (or emoji sequences): drop them.
    for ch in "\u200b\u200c\u200d\u2060\ufeff\u00ad":
        table[ord(ch)] = None
    # Letters NFKD does not decompose.
    for src, dst in {
        "œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss", "ø": "o",
        "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ı": "i",
    }.items():
        table[ord(src)] = dst
    # Apostrophes and quotes: unified; both are later turned into spaces.
    for ch in "\u2019\u2018\u201b\u02bc\u02b9\u0060\u00b4\u2032":
        table[ord(ch)] = "'"
    for ch in "\u00ab\u00bb\u201c\u201d\u201e\u201f\u2033\u2039\u203a":
        table[ord(ch)] = '"'
    # Dashes and exotic spaces.
    for ch in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212":
        table[ord(ch)] = "-"
    for ch in "\u00a0\u202f\u2007\u2009\u200a\u2002\u2003\u2004\u2005\u2006\u2008\u205f\u3000":
        table[ord(ch)] = " "
    # Ellipsis survives NFKD as "..." already; bullet-like signs become spaces.
    return table


_FOLD = _build_fold_table()

# Everything outside this set becomes a space (emoji, control characters,
# brackets, quotes, apostrophes, hyphens, underscores...).
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
# Abbreviations / typo forms (keys are already folded and lower-case)
# --------------------------------------------------------------------------

_ABBREVIATIONS: dict[str, str] = {
    # politeness / greetings
    "svp": "s il vous plait",
    "stp": "s il te plait",
    "sil vous plait": "s il vous plait",
    "sil te plait": "s il te plait",
    "bjr": "bonjour",
    "bsr": "bonsoir",
    "slt": "salut",
    "cdt": "cordialement",
    "cdlt": "cordialement",
    "cordt": "cordialement",
    "dsl": "desole",
    "mci": "merci",
    "mrc": "merci",
    # titles
    "mr": "monsieur",
    "mme": "madame",
    "mmes": "mesdames",
    "mlle": "mademoiselle",
    "mrs": "messieurs",
    # agreement
    "ok": "d accord",
    "okay": "d accord",
    "oki": "d accord",
    "okey": "d accord",
    "dac": "d accord",
    "dacc": "d accord",
    "daccord": "d accord",
    "dacord": "d accord",
    # everyday shorthand
    "rdv": "rendez vous",
    "qd": "quand",
    "pr": "pour",
    "tt": "tout",
    "tte": "toute",
    "ts": "tous",
    "ds": "dans",
    "dc": "donc",
    "vs": "vous",
    "ns": "nous",
    "ac": "avec",
    "avc": "avec",
    "bcp": "beaucoup",
    "tjs": "toujours",
    "tjrs": "toujours",
    "qqn": "quelqu un",
    "qqch": "quelque chose",
    "qq": "quelques",
    "pb": "probleme",
    "pbm": "probleme",
    "pblm": "probleme",
    "pcq": "parce que",
    "pck": "parce que",
    "psk": "parce que",
    "pq": "pourquoi",
    "pk": "pourquoi",
    "mtn": "maintenant",
    "auj": "aujourd hui",
    "ajd": "aujourd hui",
    "aujourdhui": "aujourd hui",
    "jsp": "je ne sais pas",
    "jsuis": "je suis",
    "chui": "je suis",
    "jai": "j ai",
    "cest": "c est",
    "quest ce": "qu est ce",
    "jvous": "je vous",
    "jte": "je te",
    "msg": "message",
    "mail": "email",
    "e mail": "email",
    "courriel": "email",
    "mel": "email",
    "mels": "emails",
    "mails": "emails",
    # collection vocabulary
    "fact": "facture",
    "fact.": "facture",
    "fac": "facture",
    "fac.": "facture",
    "fct": "facture",
    "vir": "virement",
    "vir.": "virement",
    "virmt": "virement",
    "chq": "cheque",
    "jrs": "jours",
    "jr": "jour",
    "num": "numero",
    "num.": "numero",
    "ref": "reference",
    "ref.": "reference",
}


def _build_abbrev_re(keys: list[str]) -> re.Pattern[str]:
    # Longest first so "sil vous plait" wins over shorter keys; a key ending
    # with "." or "°" must not be followed by a letter/digit either.
    alts = "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))
    return re.compile(rf"(?<![a-z0-9])(?:{alts})(?![a-z0-9])")


_ABBREV_RE = _build_abbrev_re(list(_ABBREVIATIONS))


def _expand(match: re.Match[str]) -> str:
    return _ABBREVIATIONS[match.group(0)]


# "m." is "monsieur" only before a word ("m. durand", "m.durand"), never at a
# sentence end. "n°"/"nº" is "numero" even when glued to digits ("n°1187").
_M_DOT_RE = re.compile(r"(?<![a-z0-9])m\.(?= ?[a-z])")
_NUMERO_RE = re.compile(r"(?<![a-z0-9])n ?°")


def normalize(text: str) -> str:
    """Return the matching form of ``text`` (see module docstring)."""
    if not text or not isinstance(text, str):
        return ""
    s = text
    if "[" in s:
        s = _MARKUP_RE.sub(" ", s)
    if s.isascii():
        s = s.lower()
    else:
        if "º" in s:  # NFKD would turn the ordinal indicator into a plain "o"
            s = s.replace("º", "°")
        # lower() after NFKD: compatibility forms may decompose to capitals
        # (full-width letters); the table then drops the combining marks.
        s = unicodedata.normalize("NFKD", s).lower().translate(_FOLD)
    if "m." in s:
        s = _M_DOT_RE.sub("monsieur ", s)
    if "°" in s:
        s = _NUMERO_RE.sub(" numero ", s)
    # Non-ASCII leftovers (emoji, CJK...) are outside the allowed set too.
    s = " ".join(_DISALLOWED_RE.sub(" ", s).split())
    return _ABBREV_RE.sub(_expand, s)


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
    """Normalised word tokens (letters/digits runs; € $ % as own tokens)."""
    return _TOKEN_RE.findall(normalize(text))


def _fold_plural(word: str) -> str:
    """Light plural folding: drop a trailing s/x on words longer than 3 chars."""
    if len(word) > 3 and word[-1] in "sx":
        return word[:-1]
    return word


def content_words(text: str) -> set[str]:
    """Normalised tokens minus stop-words and signs, plural-folded.

    Meant for overlap measures (e.g. does a reformulation echo the debtor's
    reason?). Folding is applied identically on both sides, so crude stems
    such as ``prix`` -> ``pri`` are harmless.
    """
    out: set[str] = set()
    for tok in _TOKEN_RE.findall(normalize(text)):
        if tok in STOPWORDS or not tok.isalnum():
            continue
        folded = _fold_plural(tok)
        if folded not in STOPWORDS:
            out.add(folded)
    return out
