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
* ``w:``/``b:`` lemmatised words and word pairs. (Character n-grams were tried and
  dropped: they learn an author's spelling, and cost agreement on other authors.)

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

from simulator.scoring.cues import CueMatcher, find_cues
from simulator.scoring.normalize import STOPWORDS, normalize, strip_markup

__all__ = ["FEATURE_VERSION", "Facts", "ReplyFacts", "debtor_cues", "expand", "featurize", "lemmas"]

FEATURE_VERSION = 2
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

_DEBTOR_MATCHER = CueMatcher(DEBTOR_CUES)

_CIVILITY = frozenset({"monsieur", "madame", "mme", "mr", "mademoiselle"})
_SENTENCE_END = re.compile(r"[.!?]+(?:\s|$)")
_DEBT_WORD = re.compile(
    r"\b(impaye\w*|dette|retard|doit|devez|du|due|relance|recouvrement|facture|regle\w*|pay\w*|montant|creance|echue?s?)\b"
)
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
    horizon: Any = None
    """The latest payment date the case allows (objective, fallback or granted delay), if known."""
    instalments: int = 0
    """Most instalments the trainee may grant (0: none)."""
    min_down_payment: Decimal = Decimal(0)
    """Smallest first payment of an instalment plan the case accepts."""
    waive_penalties: bool = False
    """Whether waiving late penalties is within the trainee's mandate."""

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


_LEMMAS: dict[str, tuple[str, ...]] = {}
"""Lemma(s) of each word seen (a plain dict: a reply looks up some thirty words)."""


def _lemma(token: str) -> tuple[str, ...]:
    found = _LEMMAS.get(token)
    if found is None:
        from simulator.scoring.lemmas import lemmatize

        found = tuple(normalize(lemmatize(token)).split()) or (token,)
        if len(_LEMMAS) > 50_000:  # bounded: a long-running server sees unbounded typos
            _LEMMAS.clear()
        _LEMMAS[token] = found
    return found


def lemmas(text: str) -> list[str]:
    """Lemmatised, accent-folded word tokens of ``text`` (numbers become ``0``)."""
    out: list[str] = []
    if "[" in text:
        text = strip_markup(text)
    for raw in _RAW_WORD.findall(text.lower()):
        if raw.isdigit():
            out.append("0")
        else:
            out.extend(_lemma(raw))
    return out


@functools.lru_cache(maxsize=4096)
def debtor_cues(line: str) -> tuple[str, ...]:
    """The debtor-line cues found in ``line`` (cached: debtor lines repeat)."""
    return tuple(_DEBTOR_MATCHER.find(normalize(line)))


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

    f["bias"] = 1.0

    # -------------------------------------------------------------- speech acts
    if cues is None:
        cues = find_cues(norm)
    for name in cues:
        f["c:" + name] = 1.0

    # ----------------------------------------------------------------- entities
    future = [d for d in reply.dates if not getattr(d, "vague", False)]
    has_amount = reply.money > 0 or bool(reply.amounts)
    has_date = bool(future)
    if has_amount:
        f["e:amount"] = 1.0
    if reply.money:
        f["e:money"] = 1.0
    if has_date:
        f["e:date"] = 1.0
    if len(future) >= 2:
        f["e:dates2"] = 1.0
    if reply.vague_dates:
        f["e:vague-date"] = 1.0
    if reply.invoices:
        f["e:invoice"] = 1.0
    if reply.means:
        f["e:means"] = 1.0
    if reply.phones:
        f["e:phone"] = 1.0
        if len(reply.phones) != len(set(reply.phones)) or norm.count(reply.phones[0][-2:]) >= 2:
            f["e:phone-twice"] = 1.0
    commitment = ("A" if has_amount else "") + ("D" if has_date else "") + ("M" if reply.means else "")
    f["e:commit=" + (commitment or "none")] = 1.0
    if len(reply.amounts) >= 2 and len(future) >= 2:
        f["e:schedule"] = 1.0

    # Amounts the case knows (invoice total, an invoice, the fallback) or not.
    if reply.amounts and facts.amounts:
        known = [a for a in reply.amounts if any(abs(a - k) <= Decimal("1") for k in facts.amounts)]
        if known:
            f["e:known-amount"] = 1.0
        if len(known) < len(reply.amounts):
            f["e:other-amount"] = 1.0

    # The case's limits: a plan or a date the trainee may not grant.
    if facts.horizon is not None and future:
        if max(d.value for d in future) > facts.horizon:
            f["x:beyond-horizon"] = 1.0
    if len(reply.amounts) >= 2 and len(future) >= 2:
        if facts.instalments == 0:
            f["x:plan-not-allowed"] = 1.0
        elif len(future) > facts.instalments:
            f["x:too-many-instalments"] = 1.0
        if facts.min_down_payment and min(reply.amounts) < facts.min_down_payment:
            f["x:down-payment-too-low"] = 1.0
    if not facts.waive_penalties and "concession" in cues and "penalit" in norm:
        f["x:waives-penalties-without-mandate"] = 1.0

    # --------------------------------------------------------------- identity
    caller = _name_parts(facts.caller)
    if caller:
        first, last = caller[0], caller[-1]
        has_first = first in token_set
        has_last = last in token_set if len(caller) > 1 else has_first
        if has_first and has_last:
            f["id:caller-full"] = 1.0
        elif has_last:
            f["id:caller-last"] = 1.0
        elif has_first:
            f["id:caller-first-only"] = 1.0
    trainee = _name_parts(facts.trainee)
    if trainee and trainee[-1] in token_set:
        f["id:trainee-name"] = 1.0
    creditor = _company_words(facts.creditor)
    if creditor and creditor & token_set:
        f["id:creditor"] = 1.0
    contact = _name_parts(facts.contact)
    if contact and contact[-1] in token_set:
        f["id:contact-name"] = 1.0
    company = _company_words(facts.company)
    if company and company & token_set:
        f["id:debtor-company"] = 1.0
    if not _CIVILITY.isdisjoint(token_set):
        f["id:civility"] = 1.0

    # -------------------------------------------------------------- the debtor
    d_cues = debtor_cues(debtor) if debtor else ()
    third = facts.third_party and role in (None, "introduce", "identify")
    for name in d_cues:
        f["d:" + name] = 1.0
    early = role in (None, "introduce", "identify")
    third_party = third or any(c in ("voicemail", "wrong-person") or (c == "gatekeeper" and early) for c in d_cues)
    debt_words = reply.invoices or reply.money or _DEBT_WORD.search(norm)
    if third_party:
        f["d:third-party"] = 1.0
        if debt_words:
            f["x:discloses"] = 1.0
        if reply.money or reply.invoices:
            f["x:discloses-figures"] = 1.0
    if "insolvency" in d_cues:
        if _PAY_ASK.search(norm) and (has_date or has_amount):
            f["x:claims-despite-procedure"] = 1.0
        if "collective-procedure-ok" in cues:
            f["x:declares-claim"] = 1.0
    if "bank-details" in d_cues:
        if "fraud-alert" in cues:
            f["x:fraud-alert"] = 1.0
        if "bank-dictation" in cues:
            f["x:dictates-bank"] = 1.0
    d_vague = "vague-promise" in d_cues
    accept = _ACCEPT.search(norm) is not None
    if d_vague and not has_date:
        f["x:vague-left-vague"] = 1.0
        if accept:
            f["x:accepts-vague"] = 1.0
    if debtor_dates:
        if has_date:
            theirs = {getattr(d, "value", None) for d in debtor_dates}
            mine = {getattr(d, "value", None) for d in future}
            f["x:date-same" if theirs & mine else "x:date-differs"] = 1.0
        else:
            f["x:debtor-date-not-echoed"] = 1.0
    if debtor_amounts:
        if reply.amounts:
            same = [a for a in reply.amounts if any(abs(a - b) <= Decimal("1") for b in debtor_amounts)]
            f["x:amount-same" if same else "x:amount-differs"] = 1.0
        else:
            f["x:debtor-amount-not-echoed"] = 1.0
    elif reply.amounts and role == "recap":
        f["x:recap-amount-not-from-debtor"] = 1.0
    if "agreement" in d_cues and not debtor_dates and not debtor_amounts and has_date and role == "recap":
        f["x:recap-date-not-from-debtor"] = 1.0
    if role in ("capture", "negotiate", "recap") and not has_date and not reply.text.rstrip().endswith("?"):
        if "thanks" in cues or "farewell" in cues or accept:
            f["x:settles-without-date"] = 1.0
    if "hostile" in d_cues:
        for name in ("empathy", "proposal", "threat", "insult", "doubt", "concession"):
            if name in cues:
                f[f"x:hostile+{name}"] = 1.0
    if "busy" in d_cues and "callback-time" in cues:
        f["x:busy-callback-fixed"] = 1.0
    if "dispute" in d_cues and "isolate" in cues:
        f["x:dispute-isolated"] = 1.0
    # Overlap with the debtor's words (reformulation, echo).
    if debtor:
        theirs = {w for w in _WORD.findall(normalize(debtor)) if w not in STOPWORDS and len(w) > 2}
        if theirs:
            common = len(theirs & token_set) / len(theirs)
            f["x:overlap"] = round(common, 3)

    # ----------------------------------------------------------------- shape
    n_words = len(words)
    f["len:" + _bucket(n_words, (2, 5, 10, 20, 35, 60, 100))] = 1.0
    questions = reply.text.count("?")
    f["q:" + _bucket(questions, (0, 1, 2, 3))] = 1.0
    if reply.text.rstrip().endswith("?"):
        f["q:ends"] = 1.0
    if n_words > 60 and questions == 0:
        f["shape:monologue"] = 1.0
    sentences = max(1, len(_SENTENCE_END.findall(reply.text)))
    f["sent:" + _bucket(sentences, (1, 2, 3, 5))] = 1.0
    commas = norm.count(",")
    if commas >= 4 and commas * 3 >= n_words:
        f["shape:list"] = 1.0
    repeated = n_words - len(token_set)
    if n_words >= 12 and repeated / n_words > 0.5:
        f["shape:repetitive"] = 1.0

    # ---------------------------------------------------------------- rubric
    if rubric:
        for name, value in rubric.items():
            f["r:" + name] = value

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
