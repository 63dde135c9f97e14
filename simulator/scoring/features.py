"""Features of a reply in its context, for the learned layer of the scorer (pure).

A reply is described by sparse named features (``name -> value``, mostly 1.0):

* ``c:`` speech-act cues (:mod:`simulator.scoring.cues`), alone and crossed with
  the step's role (``|s:``) and the objection (``|o:``) on the table;
* ``e:`` entities (amount, calendar date, payment means, invoice number…) and
  the shape of the commitment they make;
* ``id:`` identity: the caller's own name and company, the debtor's name;
* ``d:`` the debtor's last line (voicemail, switchboard, wrong person, a precise
  or a vague promise, insolvency, a bank-detail request…) and ``x:`` what the
  reply does with it (discloses the debt to a third party, recaps a date the
  debtor never gave, accepts a vague promise…);
* ``r:`` the rubric of the step or objection (share of ``must`` met, faults);
* ``w:``/``b:``/``g:`` lemmatised words, word pairs and character n-grams.

The same reply, step, objection, debtor line and case facts always give the
same features, in the same order; nothing here reads a file or a clock.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from simulator.scoring.cues import find_cues
from simulator.scoring.normalize import STOPWORDS, normalize

__all__ = ["FEATURE_VERSION", "Facts", "ReplyFacts", "debtor_cues", "expand", "featurize", "lemmas"]

FEATURE_VERSION = 1
"""Bump when features change meaning: a weights file names the version it was trained with."""

_WORD = re.compile(r"[a-z0-9]+")
_RAW_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def _rx(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in parts))


DEBTOR_CUES: dict[str, re.Pattern[str]] = {
    "voicemail": _rx(
        r"\b(messagerie|repondeur|boite vocale|apres le (bip|signal)|laissez (moi |nous )?(un |votre )?message|"
        r"n est pas disponible pour le moment|pas joignable pour le moment)\b"
    ),
    "gatekeeper": _rx(
        r"\b(a quel sujet|c est pour quoi|c est pourquoi|c est de la part|de la part de qui|l objet de votre appel|prendre un message|"
        r"je vous (le|la) passe|ne quittez pas|standard|accueil|ne passe pas les appels|ne passons pas les appels|"
        r"par mail uniquement|par courriel uniquement|qui dois je annoncer|vous etes qui)\b"
    ),
    "contact-away": _rx(
        r"\b(en reunion|en rendez vous|en rdv|il n est pas la|elle n est pas la|absente?|en conge|en vacances|pas disponible|"
        r"en deplacement|sur (un|le) chantier|arret maladie|ne revient|revient (lundi|mardi|mercredi|jeudi|vendredi|demain|la semaine))\b"
    ),
    "wrong-person": _rx(
        r"\b(pas moi|ce n est pas moi|c est pas moi|je ne m occupe pas|je m occupe pas|mauvais (poste|numero|service)|a quitte|"
        r"je suis (aux|au|a l|a la) (achats|planning|entrepot|atelier|production|magasin|vente|commercial)|pas (le|la) bonne personne|"
        r"pas mon service|pas de mon ressort|ne gere pas|gere pas|vous vous etes trompe)\b"
    ),
    "identity-yes": _rx(r"^(oui|c est (bien )?moi|lui meme|elle meme|moi meme|c est (bien )?(lui|elle)|oui c est moi|en personne)\b"),
    "greeting": _rx(r"^(allo|oui|bonjour|comptabilite|[a-z]+ bonjour)\b[^.?!]{0,40}[.?!]?\s*$"),
    "vague-promise": _rx(
        r"\b(je m en occupe|on s en occupe|on va (vous )?(payer|regler|le faire)|on verra|bientot|des que possible|fin de (la )?semaine|"
        r"rapidement|plus tard|prochainement|je vais voir|on va voir|dans les prochains jours|d ici peu|promis|le reste apres|apres)\b"
    ),
    "agreement": _rx(
        r"\b(c est bon|d accord|ok|entendu|ca marche|c est note|c est bien ca|exact|voila|va pour|on fait comme ca|ca me va|"
        r"je lance|je fais le virement|on paie|on vous paie|je vous fais|je signe|je confirme|oui oui)\b"
    ),
    "busy": _rx(
        r"\b(pas le temps|presse|pressee|reunion dans|au volant|entre deux|occupe|occupee|rappelez|pas maintenant|deborde|debordee)\b"
    ),
    "hostile": _rx(
        r"\b(harcel\w*|marre|gonfl\w*|menteur|malhonnete|mauvais payeur|vous me traitez|ca suffit|arretez|insinuez|pas question|"
        r"asseoir dessus|du vol|pénibles?|penible)\b"
    ),
    "insolvency": _rx(
        r"\b(redressement|sauvegarde|liquidation|mandataire|administrateur judiciaire|jugement|procedure collective|tribunal|"
        r"faillite|syndic|proposition concordataire|insolvabilite)\b"
    ),
    "bank-details": _rx(r"\b(rib|iban|coordonnees bancaires|changement de (banque|compte)|nouveau compte|nouvelle banque|dictez)\b"),
    "dispute": _rx(r"\b(litige|conteste|contestons|defectueu\w*|abime\w*|casse\w*|dechire\w*|manque|manquant\w*|incomplete?|pas conforme|non conforme|erreur)\b"),
    "paid-claim": _rx(r"\b(cheque|virement)\b[^.?!]{0,40}\b(parti|fait|envoye|poste|passe|effectue|emis)\b|\bdeja (paye|regle)\b"),
    "cash": _rx(r"\b(tresorerie|treso|decouvert|juste en ce moment|pas les moyens|fonds|liquidites|banque nous)\b"),
    "question": _rx(r"\?\s*$"),
    "penalties": _rx(r"\b(penalites?|40 (euros|€)|frais de retard|indemnite)\b"),
    "policy-90": _rx(r"\b(90|quatre vingt dix|60) jours\b"),
}
"""What the debtor's last line says, read on its normalised text."""

_ACCEPT = re.compile(r"^(\W*)(parfait|super|tres bien|d accord|ok|entendu|c est note|je note|genial|merci|bon ben|bon|ca marche|nickel)\b")
_PAY_ASK = re.compile(r"\b(pay\w*|regl\w*|verse\w*|virement|solder|acompte|au moins|une partie|en partie)\b")


@dataclass(frozen=True)
class Facts:
    """Case facts the features compare the reply with (all optional)."""

    caller: str = ""
    creditor: str = ""
    contact: str = ""
    company: str = ""
    trainee: str = ""
    amounts: tuple[Decimal, ...] = ()
    invoices: tuple[str, ...] = ()
    third_party: bool = False
    """The case's first interlocutor is not the debtor (switchboard, voicemail, absent, wrong person)."""

    @classmethod
    def from_placeholders(cls, facts: Mapping[str, str], **extra: Any) -> Facts:
        fields: dict[str, Any] = {
            "caller": facts.get("caller", ""),
            "creditor": facts.get("creditor", ""),
            "contact": facts.get("contact_last", "") or facts.get("contact", ""),
            "company": facts.get("company", ""),
            "trainee": facts.get("trainee", ""),
        }
        fields.update(extra)
        return cls(**fields)


@dataclass(frozen=True)
class ReplyFacts:
    """What the feature extractor needs of an analysed reply (see :class:`~simulator.scoring.reply.Analysis`)."""

    text: str
    norm: str
    amounts: tuple[Decimal, ...]
    money: int
    dates: tuple[Any, ...]
    vague_dates: int
    invoices: int
    means: int
    phones: tuple[str, ...]


@functools.lru_cache(maxsize=8192)
def _lemma(token: str) -> str:
    from simulator.scoring.lemmas import lemmatize

    return normalize(lemmatize(token)) or token


def lemmas(text: str) -> list[str]:
    """Lemmatised, accent-folded word tokens of ``text`` (numbers become ``0``)."""
    out = []
    for raw in _RAW_WORD.findall(text.lower()):
        if raw.isdigit():
            out.append("0")
            continue
        for part in _lemma(raw).split():
            out.append(part)
    return out


@functools.lru_cache(maxsize=4096)
def debtor_cues(line: str) -> tuple[str, ...]:
    """The debtor-line cues found in ``line`` (cached: debtor lines repeat)."""
    norm = normalize(line)
    return tuple(name for name, rx in DEBTOR_CUES.items() if rx.search(norm))


@functools.lru_cache(maxsize=1024)
def _name_parts(name: str) -> tuple[str, ...]:
    return tuple(w for w in _WORD.findall(normalize(name)) if len(w) > 1 and w not in STOPWORDS)


@functools.lru_cache(maxsize=1024)
def _company_words(name: str) -> frozenset[str]:
    generic = {"sas", "sarl", "sa", "inc", "ltee", "sasu", "eurl", "groupe", "societe", "ste", "et", "fils", "cie", "les", "des"}
    return frozenset(w for w in _WORD.findall(normalize(name)) if len(w) > 2 and w not in generic and w not in STOPWORDS)


def _bucket(n: int, edges: tuple[int, ...]) -> str:
    for edge in edges:
        if n <= edge:
            return str(edge)
    return f">{edges[-1]}"


def featurize(
    reply: ReplyFacts,
    *,
    role: str | None,
    debtor: str,
    debtor_amounts: tuple[Decimal, ...] = (),
    debtor_dates: tuple[Any, ...] = (),
    facts: Facts = Facts(),
    rubric: Mapping[str, float] | None = None,
    cues: Mapping[str, str] | None = None,
) -> dict[str, float]:
    """The base features of one reply (see :func:`expand` for the step and objection crosses)."""
    f: dict[str, float] = {}
    norm = reply.norm
    words = _WORD.findall(norm)
    token_set = set(words)

    def add(name: str, value: float = 1.0) -> None:
        f[name] = value

    f["bias"] = 1.0

    # -------------------------------------------------------------- speech acts
    if cues is None:
        cues = find_cues(norm)
    for name in cues:
        add("c:" + name)

    # ----------------------------------------------------------------- entities
    future = [d for d in reply.dates if not getattr(d, "vague", False)]
    has_amount = reply.money > 0 or bool(reply.amounts)
    has_date = bool(future)
    if has_amount:
        add("e:amount")
    if reply.money:
        add("e:money")
    if has_date:
        add("e:date")
    if len(future) >= 2:
        add("e:dates2")
    if reply.vague_dates:
        add("e:vague-date")
    if reply.invoices:
        add("e:invoice")
    if reply.means:
        add("e:means")
    if reply.phones:
        add("e:phone")
        if len(reply.phones) != len(set(reply.phones)) or norm.count(reply.phones[0][-2:]) >= 2:
            add("e:phone-twice")
    commitment = ("A" if has_amount else "") + ("D" if has_date else "") + ("M" if reply.means else "")
    add("e:commit=" + (commitment or "none"))
    if len(reply.amounts) >= 2 and len(future) >= 2:
        add("e:schedule")

    # Amounts the case knows (invoice total, an invoice, the fallback) or not.
    if reply.amounts and facts.amounts:
        known = [a for a in reply.amounts if any(abs(a - k) <= Decimal("1") for k in facts.amounts)]
        if known:
            add("e:known-amount")
        if len(known) < len(reply.amounts):
            add("e:other-amount")

    # --------------------------------------------------------------- identity
    caller = _name_parts(facts.caller)
    if caller:
        first, last = caller[0], caller[-1]
        has_first = first in token_set
        has_last = last in token_set if len(caller) > 1 else has_first
        if has_first and has_last:
            add("id:caller-full")
        elif has_last:
            add("id:caller-last")
        elif has_first:
            add("id:caller-first-only")
    trainee = _name_parts(facts.trainee)
    if trainee and trainee[-1] in token_set:
        add("id:trainee-name")
    creditor = _company_words(facts.creditor)
    if creditor and creditor & token_set:
        add("id:creditor")
    contact = _name_parts(facts.contact)
    if contact and contact[-1] in token_set:
        add("id:contact-name")
    company = _company_words(facts.company)
    if company and company & token_set:
        add("id:debtor-company")
    if re.search(r"\b(monsieur|madame|mme|mr)\b", norm):
        add("id:civility")

    # -------------------------------------------------------------- the debtor
    d_cues = debtor_cues(debtor) if debtor else ()
    third = facts.third_party and role in (None, "introduce", "identify")
    for name in d_cues:
        f["d:" + name] = 1.0
    early = role in (None, "introduce", "identify")
    third_party = third or any(c in ("voicemail", "wrong-person") or (c == "gatekeeper" and early) for c in d_cues)
    debt_words = reply.invoices or reply.money or re.search(
        r"\b(impaye\w*|dette|retard|doit|devez|du|due|relance|recouvrement|facture|regle\w*|pay\w*|montant|creance|echue?s?)\b", norm
    )
    if third_party:
        f["d:third-party"] = 1.0
        if debt_words:
            add("x:discloses")
        if reply.money or reply.invoices:
            add("x:discloses-figures")
    if "insolvency" in d_cues:
        if _PAY_ASK.search(norm) and (has_date or has_amount):
            add("x:claims-despite-procedure")
        if "collective-procedure-ok" in cues:
            add("x:declares-claim")
    if "bank-details" in d_cues:
        if "fraud-alert" in cues:
            add("x:fraud-alert")
        if "bank-dictation" in cues:
            add("x:dictates-bank")
    d_vague = "vague-promise" in d_cues
    accept = _ACCEPT.search(norm) is not None
    if d_vague and not has_date:
        add("x:vague-left-vague")
        if accept:
            add("x:accepts-vague")
    if debtor_dates:
        if has_date:
            theirs = {getattr(d, "value", None) for d in debtor_dates}
            mine = {getattr(d, "value", None) for d in future}
            add("x:date-same" if theirs & mine else "x:date-differs")
        else:
            add("x:debtor-date-not-echoed")
    if debtor_amounts:
        if reply.amounts:
            same = [a for a in reply.amounts if any(abs(a - b) <= Decimal("1") for b in debtor_amounts)]
            add("x:amount-same" if same else "x:amount-differs")
        else:
            add("x:debtor-amount-not-echoed")
    elif reply.amounts and role == "recap":
        add("x:recap-amount-not-from-debtor")
    if "agreement" in d_cues and not debtor_dates and not debtor_amounts and has_date and role == "recap":
        add("x:recap-date-not-from-debtor")
    if "hostile" in d_cues:
        for name in ("empathy", "proposal", "threat", "insult", "doubt", "concession"):
            if name in cues:
                f[f"x:hostile+{name}"] = 1.0
    if "busy" in d_cues and "callback-time" in cues:
        add("x:busy-callback-fixed")
    if "dispute" in d_cues and "isolate" in cues:
        add("x:dispute-isolated")
    # Overlap with the debtor's words (reformulation, echo).
    if debtor:
        theirs = {w for w in _WORD.findall(normalize(debtor)) if w not in STOPWORDS and len(w) > 2}
        if theirs:
            common = len(theirs & token_set) / len(theirs)
            f["x:overlap"] = round(common, 3)

    # ----------------------------------------------------------------- shape
    n_words = len(words)
    add("len:" + _bucket(n_words, (2, 5, 10, 20, 35, 60, 100)))
    questions = reply.text.count("?")
    add("q:" + _bucket(questions, (0, 1, 2, 3)))
    if reply.text.rstrip().endswith("?"):
        add("q:ends")
    if n_words > 60 and questions == 0:
        add("shape:monologue")
    sentences = max(1, len(re.findall(r"[.!?]+(\s|$)", reply.text)))
    add("sent:" + _bucket(sentences, (1, 2, 3, 5)))
    commas = norm.count(",")
    if commas >= 4 and commas * 3 >= n_words:
        add("shape:list")
    repeated = n_words - len(token_set)
    if n_words >= 12 and repeated / n_words > 0.5:
        add("shape:repetitive")

    # ---------------------------------------------------------------- rubric
    if rubric:
        for name, value in rubric.items():
            add("r:" + name, value)

    # -------------------------------------------------------------- lexical
    lem = lemmas(reply.text)[:200]
    seen_w: set[str] = set()
    for w in lem:
        if w in seen_w:
            continue
        seen_w.add(w)
        f["w:" + w] = 1.0
    for a, b in zip(lem, lem[1:], strict=False):
        f[f"b:{a}_{b}"] = 1.0
    padded = f" {' '.join(words[:120])} "
    for n in (3, 4, 5):
        for i in range(len(padded) - n + 1):
            f["g:" + padded[i : i + n]] = 1.0
    # Saturating transforms keep one long reply from dominating.
    f["len:log"] = round(math.log1p(n_words), 3)
    return f


_STEP_CROSSED = ("bias", "c:", "e:", "id:", "d:", "x:", "r:", "len:", "q:", "sent:", "shape:", "w:", "b:")
_OBJECTION_CROSSED = ("bias", "c:", "e:", "x:", "r:")


def expand(base: Mapping[str, float], role: str | None, objection: str | None) -> dict[str, float]:
    """The base features plus their crosses with the step's role (``|s:``) and the objection (``|o:``).

    The role (``introduce``, ``negotiate``, ``recap``…) rather than the step id,
    so that a pack with its own method and the same kinds of steps benefits too.

    A cue can be worth much at one step and nothing at another ("je note" in a
    recap, not in an introduction): the crosses let the model learn that while
    the base feature carries what is common to every step.
    """
    s = f"|s:{role or '-'}"
    o = f"|o:{objection}" if objection else ""
    out = dict(base)
    for name, value in base.items():
        if name.startswith(_STEP_CROSSED) and name != "len:log":
            out[name + s] = value
            if o and name.startswith(_OBJECTION_CROSSED):
                out[name + o] = value
    return out
