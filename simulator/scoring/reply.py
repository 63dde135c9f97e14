"""Score one trainee reply against a rubric, with evidence and feedback.

Pure and deterministic: the reply, the rubric (criteria of a step or an
objection, plus the method's rules) and a :class:`Context` (the debtor's last
line, the case's facts, the call date) fully determine the result.

Scoring rule (documented in docs/scoring.md):

* positive criteria (``must``/``should``) earn their points when met, once per
  reply however often the reply repeats the cue;
* ``must-not`` criteria cost their points when violated;
* ``score = 100 × earned / max − 100 × penalties / max(max, 10)``, clamped to
  0–100; a failed ``must`` caps the score at 60; keyword stuffing caps it at 25;
  a fatal violation sets it to 0.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from rapidfuzz import fuzz, process

from simulator.model.criteria import (
    EmpathyCriterion,
    EntityCriterion,
    ForbiddenCriterion,
    OpenQuestionCriterion,
    PatternCriterion,
    PhraseCriterion,
    ReformulationCriterion,
    RelevanceCriterion,
    StyleCriterion,
)
from simulator.model.objection import Objection
from simulator.scoring import lexicon
from simulator.scoring.cues import ADVICE, FAULTS, LABELS, find_cues
from simulator.scoring.entities import Entities, extract_all, extract_amounts_and_dates, extract_person_names
from simulator.scoring.features import Facts, ReplyFacts, debtor_cues, featurize
from simulator.scoring.model import ScoringModel
from simulator.scoring.normalize import content_words, normalize, own_words

__all__ = [
    "MUST_CAP",
    "SERIOUS_FAULTS",
    "SERIOUS_FAULT_CAP",
    "STUFFING_CAP",
    "Analysis",
    "Context",
    "CriterionResult",
    "ReplyScore",
    "analyse",
    "feedback_options",
    "fill",
    "score_reply",
]

MUST_CAP = 60
"""Highest score of a reply that misses a ``must`` criterion."""
STUFFING_CAP = 25
SERIOUS_FAULT_CAP = 35
"""The most a reply can score when it commits one of :data:`SERIOUS_FAULTS` (top of the poor band)."""
SERIOUS_FAULTS = frozenset({
    "doubt", "denigration", "lie", "concession", "defensive", "why-accusatory", "blame", "apology",
    "minimiser",
})
"""Faults that make a reply poor whatever else it does well.

Each is a fault that harms the call by itself (it hurts the relationship or weakens the
claim), not a technique missed (letting the debtor pick the date, a vague time: the
model weighs those with the rest), and each is labelled poor in at least 97 % of the (at
least 7) corpus replies that show it (``tests/scoring/test_learned.py`` keeps that true). Without this cap a learned model may
add enough for the reply's other merits (its figures, its question) to lift such a reply
into the acceptable band, which an expert never does. The cap applies only where the
model itself holds the cue against the reply at this step or objection.
"""
"""Highest score of a reply that is a list of buzzwords."""
MAX_ANALYSED_CHARS = 4000
"""Replies are analysed on their first 4,000 characters (the text is kept whole)."""

_WORD = re.compile(r"[a-z0-9]+")
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
"""A case fact in a pattern or a model answer (``{caller}``, ``{signatory}``…; see ``model.case.PLACEHOLDERS``)."""
_DISCLOSURE = re.compile(
    r"\b(impaye|impayes|impayee|impayees|dette|dettes|retard de paiement|en retard|recouvrement|contentieux|"
    r"pas (encore |toujours )?(paye|payee|regle|reglee)|mise en demeure|vous (nous )?devez|il (nous )?doit|"
    r"elle (nous )?doit|nous doit|vous doit|en retard de paiement|relance (de|pour) (paiement|facture))\b"
)


@dataclass(frozen=True)
class Context:
    """What the scorer knows besides the reply."""

    reference: dt.date
    """The call date: "jeudi" and "le 18" are resolved against it."""
    placeholders: Mapping[str, str] = field(default_factory=dict)
    """Case facts for ``{caller}``, ``{creditor}``, ``{contact}``… in patterns and models."""
    debtor_line: str = ""
    """What the debtor said just before the reply."""
    objection: Objection | None = None
    """The objection on the table, if any."""
    identity_confirmed: bool = True
    """False until the right person is on the line: debt details are then a disclosure."""
    third_party: bool = False
    """True when speaking to a switchboard, a colleague, a wrong person or a voicemail."""
    earlier: tuple[str, ...] = ()
    """Earlier debtor lines (most recent first) that a reformulation may echo too."""
    model: ScoringModel | None = None
    """The learned layer (weights of the pack); None: the rubric alone gives the score."""
    facts: Facts = field(default_factory=Facts)
    """Case facts the learned layer compares the reply with (names, amounts)."""

    @functools.cached_property
    def placeholder_key(self) -> tuple[tuple[str, str], ...]:
        """The placeholders as a hashable key (for caches)."""
        return tuple(sorted(self.placeholders.items()))


class Analysis:
    """A reply analysed once, shared by every criterion; entities are extracted on first use."""

    __slots__ = ("_entities", "_words", "norm", "reference", "text", "tokens")

    def __init__(self, text: str, norm: str, reference: dt.date) -> None:
        self.text = text
        self.norm = norm
        self.reference = reference
        self.tokens = frozenset(_WORD.findall(norm))
        """Every word of the normalised reply (stop-words included), for trigger checks."""
        self._entities: Entities | None = None
        self._words: frozenset[str] | None = None

    @property
    def words(self) -> frozenset[str]:
        """Content words (no stop-words, plurals folded), for overlap with the debtor's words."""
        if self._words is None:
            self._words = frozenset(content_words(self.text))
        return self._words

    @property
    def entities(self) -> Entities:
        """Amounts, dates, references, means, phones (person names: :attr:`person_names`, on demand)."""
        if self._entities is None:
            self._entities = extract_all(self.text, self.reference, names=False)
        return self._entities

    @property
    def person_names(self) -> tuple[str, ...]:
        return tuple(extract_person_names(self.text))


class CriterionResult(NamedTuple):
    """The outcome of one criterion on one reply (a tuple: built 40 times per reply)."""

    id: str
    kind: str
    label: str
    level: str
    passed: bool
    """For ``must-not``: True when the fault is absent."""
    points: float
    """Points earned (positive criteria) or lost (negative, for a violated ``must-not``)."""
    max_points: float
    evidence: tuple[str, ...] = ()
    """The words of the reply that matched (or, for a fault, the faulty words)."""
    feedback: str = ""
    fatal: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "label": self.label,
            "level": self.level,
            "passed": self.passed,
            "points": round(self.points, 2),
            "max_points": round(self.max_points, 2),
            "evidence": list(self.evidence),
            "feedback": self.feedback,
        }


@dataclass(frozen=True)
class ReplyScore:
    """The score of a reply against one rubric."""

    score: int
    criteria: tuple[CriterionResult, ...]
    violations: tuple[str, ...]
    fatal: bool
    stuffing: bool
    feedback: str
    model: str = ""
    step: str | None = None
    objection: str | None = None
    faults: tuple[tuple[str, str], ...] = ()
    """Faults that cost points (cue name, the words that showed it), most serious first."""
    rubric_score: int | None = None
    """What the rubric alone gives (shown beside the score; the learned layer decides)."""
    learned: bool = False
    """True when the score comes from the learned layer."""
    reply_text: str = ""
    """The reply as analysed: criteria evidence (found on its normalised form) is traced back to it for display."""

    @property
    def covered(self) -> bool:
        """All ``must`` criteria met (and at least one positive criterion when none is ``must``)."""
        positives = [c for c in self.criteria if c.level != "must-not"]
        musts = [c for c in positives if c.level == "must"]
        if self.fatal or self.stuffing:
            return False
        if musts:
            return all(c.passed for c in musts)
        return any(c.passed for c in positives)

    def _shown(self, c: CriterionResult) -> dict[str, Any]:
        data = c.as_dict()
        if self.reply_text and c.evidence:
            data["evidence"] = [own_words(self.reply_text, e) for e in c.evidence]
        return data

    def as_dict(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "step": self.step,
            "objection": self.objection,
            "criteria": [self._shown(c) for c in self.criteria],
            "violations": list(self.violations),
            "fatal": self.fatal,
            "stuffing": self.stuffing,
            "feedback": self.feedback,
            "model": self.model,
            "faults": [{"id": name, "label": LABELS.get(name, name), "evidence": words} for name, words in self.faults],
            "rubric_score": self.rubric_score,
        }


PRAISE_LENGTH = 160
"""Characters of criteria named in a praise (whole criteria only)."""

def analyse(text: str, reference: dt.date) -> Analysis:
    """Normalise and extract entities once per reply."""
    head = text[:MAX_ANALYSED_CHARS] if isinstance(text, str) else ""
    return Analysis(head, normalize(head), reference)


def fill(template: str, placeholders: Mapping[str, str]) -> str:
    """Replace ``{name}`` placeholders by case facts, without doubling a full stop.

    Unknown names are left as typed. A value that ends with a full stop
    (« Imprimerie Saint-Laurent inc. ») placed before one in the template
    would read « inc.. »: the template's stop is dropped.
    """
    if "{" not in template:
        return template

    def value(match: re.Match[str]) -> str:
        name, stop = match.group(1), match.group(2)
        if name not in placeholders:
            return match.group(0)
        text = placeholders[name]
        return text if stop and text.endswith(".") else text + stop

    return _FILL.sub(value, template)


_FILL = re.compile(r"\{([a-z_]+)\}(\.?)")


@functools.lru_cache(maxsize=8192)
def _words(text: str) -> frozenset[str]:
    """Content words of debtor lines and phrasings (they repeat from reply to reply)."""
    return frozenset(content_words(text))


@functools.lru_cache(maxsize=4096)
def _compiled(pattern: str) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern)
    except re.error:
        return None


@functools.lru_cache(maxsize=4096)
def _prepared_phrases(phrases: tuple[str, ...], placeholders: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    facts = dict(placeholders)
    return tuple(normalize(fill(p, facts)) for p in phrases)


def _entity_found(kind: str, entities: Entities, reference: dt.date, entities_text: str = "") -> tuple[str, ...]:
    if kind == "amount":
        return tuple(a.raw for a in entities.amounts)
    if kind == "date":
        return tuple(d.raw for d in entities.dates if not d.vague)
    if kind == "commitment-date":
        return tuple(d.raw for d in entities.dates if not d.vague and d.value >= reference)
    if kind == "invoice":
        return entities.invoice_refs
    if kind == "means":
        return entities.payment_means
    if kind == "person":
        return tuple(extract_person_names(entities_text)) if entities_text else entities.person_names
    if kind == "phone":
        return entities.phone_numbers
    if kind == "po":
        return entities.po_refs
    return ()


def _match_pattern(c: PatternCriterion, a: Analysis, ctx: Context) -> tuple[bool, tuple[str, ...]]:
    rx = _alternation(c.patterns, ctx.placeholder_key if any("{" in p for p in c.patterns) else ())
    m = rx.search(a.norm) if rx is not None else None
    return (True, (m.group(0).strip(),)) if m else (False, ())


@functools.lru_cache(maxsize=4096)
def _alternation(patterns: tuple[str, ...], placeholders: tuple[tuple[str, str], ...]) -> re.Pattern[str] | None:
    """One compiled regex for all of a criterion's patterns (one search per reply)."""
    facts = dict(placeholders)
    parts = []
    for raw in patterns:
        if "{" in raw:
            raw = _PLACEHOLDER.sub(
                lambda m: re.escape(normalize(facts[m.group(1)])) if facts.get(m.group(1)) else "(?!x)x", raw
            )
        if _compiled(raw) is not None:  # an invalid pattern is a content problem, skipped here
            parts.append(f"(?:{raw})")
    return _compiled("|".join(parts)) if parts else None


def _match_phrase(c: PhraseCriterion, a: Analysis, ctx: Context) -> tuple[bool, tuple[str, ...]]:
    phrases = _prepared_phrases(c.phrases, ctx.placeholder_key)
    best = process.extractOne(a.norm, phrases, scorer=fuzz.token_set_ratio, score_cutoff=c.threshold)
    return (True, (f"{best[0]} ({best[1]:.0f} %)",)) if best is not None else (False, ())


def _match_entity(c: EntityCriterion, a: Analysis, ctx: Context) -> tuple[bool, tuple[str, ...]]:
    found = {kind: _entity_found(kind, a.entities, a.reference, a.text) for kind in c.entities}
    present = [kind for kind, values in found.items() if values]
    ok = len(present) == len(c.entities) if c.mode == "all" else bool(present)
    return ok, tuple(v for kind in present for v in found[kind][:2])


def _match_open_question(c: OpenQuestionCriterion, a: Analysis, ctx: Context) -> tuple[bool, tuple[str, ...]]:
    if "?" not in a.norm:
        return False, ()
    m = lexicon.OPEN_QUESTION.search(a.norm)
    return (True, (m.group(0).strip(" .,;:"),)) if m else (False, ())


def _match_reformulation(c: ReformulationCriterion, a: Analysis, ctx: Context) -> tuple[bool, tuple[str, ...]]:
    return _reformulation(c.min_overlap, a, ctx)


def _match_empathy(c: EmpathyCriterion, a: Analysis, ctx: Context) -> tuple[bool, tuple[str, ...]]:
    m = lexicon.EMPATHY.search(a.norm)
    if not m or lexicon.CONCESSION.search(a.norm) or lexicon.STYLE["je-comprends-mais"].search(a.norm):
        return False, ()
    return True, (m.group(0),)


def _match_relevance(c: RelevanceCriterion, a: Analysis, ctx: Context) -> tuple[bool, tuple[str, ...]]:
    return _relevance(c.keywords, a, ctx)


def _match_style(c: StyleCriterion, a: Analysis, ctx: Context) -> tuple[bool, tuple[str, ...]]:
    words = a.tokens
    faults = [f for f in c.faults if not lexicon.STYLE_TRIGGERS[f].isdisjoint(words)]
    if not faults:
        return False, ()  # the common case: no trigger word, no regex scan
    hits = []
    echo = normalize(ctx.debtor_line) if ctx.debtor_line else ""
    for fault in faults:
        for m in lexicon.STYLE[fault].finditer(a.norm):
            if fault == "vague-date" and echo and m.group(0) in echo:
                continue  # repeating the debtor's own words in a reformulation
            hits.append(f"{m.group(0)} ({lexicon.STYLE_LABELS[fault]})")
            break
    return bool(hits), tuple(hits)


_FORBIDDEN_ANY = re.compile(
    "|".join(f"(?:{rx.pattern})" for rx in (*lexicon.FORBIDDEN.values(), lexicon.BANK_ACCEPT))
)


def _match_forbidden(c: ForbiddenCriterion, a: Analysis, ctx: Context) -> tuple[bool, tuple[str, ...]]:
    textual = [category for category in c.categories if category != "disclosure"]
    if textual and (lexicon.FORBIDDEN_TRIGGERS.isdisjoint(a.tokens) or _FORBIDDEN_ANY.search(a.norm) is None):
        bank_talk = ctx.debtor_line and "bank-details" in debtor_cues(ctx.debtor_line)
        categories = [
            category for category in c.categories if category == "disclosure" or (category == "bank-details" and bank_talk)
        ]
    else:
        categories = list(c.categories)
    hits = [hit for hit in (_forbidden(category, a, ctx) for category in categories) if hit]
    if c.patterns:
        rx = _alternation(c.patterns, ctx.placeholder_key if any("{" in p for p in c.patterns) else ())
        m = rx.search(a.norm) if rx is not None else None
        if m:
            hits.append(m.group(0))
    return bool(hits), tuple(hits)


_MATCHERS: dict[type, Any] = {
    PatternCriterion: _match_pattern,
    PhraseCriterion: _match_phrase,
    EntityCriterion: _match_entity,
    OpenQuestionCriterion: _match_open_question,
    ReformulationCriterion: _match_reformulation,
    EmpathyCriterion: _match_empathy,
    RelevanceCriterion: _match_relevance,
    StyleCriterion: _match_style,
    ForbiddenCriterion: _match_forbidden,
}
_KINDS: dict[type, str] = {t: str(t.__struct_config__.tag) for t in _MATCHERS}


def _forbidden(category: str, a: Analysis, ctx: Context) -> str:
    if category == "disclosure":
        if ctx.identity_confirmed and not ctx.third_party:
            return ""
        return _debt_detail(a, ctx)
    if category == "bank-details":
        accepted = lexicon.BANK_ACCEPT.search(a.norm)
        if accepted:
            return accepted.group(0)
        m = lexicon.FORBIDDEN[category].search(a.norm)
        if m and not lexicon.BANK_SAFE.search(a.norm):
            return m.group(0)
        if ctx.debtor_line and "bank-details" in debtor_cues(ctx.debtor_line):
            # The debtor asks about new bank details: confirming them on the phone is the fraud.
            confirmed = lexicon.BANK_CONFIRM.search(a.norm)
            if confirmed and not lexicon.BANK_SAFE.search(a.norm) and not lexicon.BANK_ALERT.search(a.norm):
                return confirmed.group(0)
        return ""
    for m in lexicon.FORBIDDEN[category].finditer(a.norm):
        if category == "insult" and lexicon.NEGATED.search(a.norm[max(0, m.start() - 45) : m.start()]):
            continue
        return m.group(0)
    return ""


def _reformulation(min_overlap: float, a: Analysis, ctx: Context) -> tuple[bool, tuple[str, ...]]:
    """Real content overlap with what the debtor said, not just a marker phrase.

    The reply is compared with the debtor's last line and, failing that, with
    the earlier lines of the context and the objection's phrasings (the reason
    the debtor gave, in other words); the best overlap counts.
    """
    candidates = [ctx.debtor_line, *ctx.earlier]
    if ctx.objection is not None:
        candidates.extend(ctx.objection.phrasings)
    marker = lexicon.REFORMULATION_MARKERS.search(a.norm)
    for line in candidates:
        theirs = _words(line)
        if not theirs:
            continue
        common = sorted(theirs & a.words)
        ratio = len(common) / len(theirs)
        enough = ratio >= min_overlap and len(common) >= 2
        if enough and (marker or ratio >= min(1.0, 2 * min_overlap)):
            evidence = ((marker.group(0),) if marker else ()) + _shown_words(common, a)
            return True, evidence
    return False, ()


def _relevance(keywords: Sequence[str], a: Analysis, ctx: Context) -> tuple[bool, tuple[str, ...]]:
    """The reply engages with the objection actually raised (its own vocabulary)."""
    objection = ctx.objection
    pool = set(_relevance_pool(tuple(keywords), objection))
    pool |= _words(ctx.debtor_line)
    pool -= _GENERIC
    common = sorted(pool & a.words)
    if common:
        return True, _shown_words(common, a)
    return False, ()


def _shown_words(common: Sequence[str], a: Analysis, limit: int = 4) -> tuple[str, ...]:
    """The shared words a trainee can read as evidence: whole words in reply order, not the
    letters and digits of a reference cut apart (``f``, ``2026``) unless nothing else was shared."""
    readable = [w for w in common if len(w) >= 3 and not w.isdigit()] or list(common)
    readable.sort(key=lambda w: (a.norm.find(w) if w in a.norm else len(a.norm), w))
    return tuple(readable[:limit])


@functools.lru_cache(maxsize=1024)
def _relevance_pool(keywords: tuple[str, ...], objection: Objection | None) -> frozenset[str]:
    pool: set[str] = set()
    for k in keywords:
        pool |= _words(k)
    if objection is not None:
        for k in objection.phrasings:
            pool |= _words(k)
        for c in objection.criteria:
            if isinstance(c, RelevanceCriterion):
                for k in c.keywords:
                    pool |= _words(k)
    return frozenset(pool)


_GENERIC = frozenset(
    {"facture", "paiement", "payer", "regler", "reglement", "madame", "monsieur", "bonjour", "merci",
     "oui", "non", "alor", "bon", "bien", "voir", "dire", "faut", "peux", "pouvez", "fair"}
)


def _is_stuffing(a: Analysis, ctx: Context | None = None) -> bool:
    """A list of buzzwords: many call markers, little else, no sentence structure.

    In a list-like reply, the vocabulary of the objection on the table counts
    as markers too ("Redressement, mandataire, déclaration de créance, BODACC").
    """
    hits = list(lexicon.STUFFING_MARKERS.finditer(a.norm))
    distinct = {m.group(0) for m in hits}
    fragments = [f for f in _FRAGMENT.split(a.text) if f.strip()]
    list_like = (
        len(fragments) >= 4
        and sum(len(f.split()) for f in fragments) / len(fragments) <= 2.5
        and "?" not in a.text.rstrip(" ?")
    )
    if (list_like or len(distinct) < 4) and ctx is not None and ctx.objection is not None:
        distinct |= set(a.words & _relevance_pool((), ctx.objection))
    if list_like and len(distinct - _POLITE) >= 3:
        # "Facture, duplicata, adresse, virement, 4 800 €, vendredi." — a list, not a sentence.
        # (A terse recap — "Parfait : 6 000 € le 24, 6 000 € le 8" — names facts, not buzzwords.)
        return True
    if _word_soup(a):
        return True
    if len({m.group(0) for m in lexicon.JARGON.finditer(a.norm)}) >= 2:
        # "Je vous donne la parole et je vous écoute activement" — the course recited.
        return True
    if len(distinct) < 4:
        return False
    covered = sum(m.end() - m.start() for m in hits)
    letters = max(1, sum(1 for ch in a.norm if ch.isalpha()))
    return covered / letters >= 0.55


_POLITE = frozenset({"merci", "bonne journee"})
_FRAGMENT = re.compile(r"[,;/|\n•]+| - ")

_SUBJECTS = frozenset(
    "je j vous nous il elle on ils elles c ce ca cela ceci tu moi est sont ai as a avez avons ont suis sera seront "
    "serai etait peux peut pouvez pouvons fais fait faites faut vais va allez allons dois doit devez note propose "
    "voici voila".split()
)


def _word_soup(a: Analysis) -> bool:
    """Words without a sentence: many words, yet no subject, verb or address at all; or one list repeated.

    "bonjour claire martin soleo bien avec madame leroy facture montant échéance
    disponible moment question comment quel virement date récapitule accord" is
    every step's vocabulary and no act. A real reply of a dozen words always has
    a pronoun, an auxiliary or a thanks somewhere.
    """
    words = _WORD.findall(a.norm)
    if len(words) >= 16 and _SUBJECTS.isdisjoint(words) and sum(a.text.count(c) for c in ",.;:!?") <= 1:
        return True
    if len(words) >= 30 and len(set(words)) / len(words) < 0.3:
        return True  # the same few words over and over
    return False


_ENGLISH_TELLS = frozenset(
    "the this is are we you your from about calling call hello hi invoice invoices to of and with for that it "
    "please pay paid payment unpaid our my i am will would can could thanks thank".split()
)


def _not_french(a: Analysis) -> bool:
    """A reply in another language (English tells), or one long run of letters with no word in it."""
    words = _WORD.findall(a.norm)
    if not words:
        return False
    if len(words) <= 2 and max(len(w) for w in words) > 40:
        return True
    if len(words) < 4:
        return False
    return sum(1 for w in words if w in _ENGLISH_TELLS) / len(words) >= 0.3


def _feedback(
    results: Sequence[CriterionResult],
    fatal: bool,
    stuffing: bool,
    score: int,
    faults: Sequence[tuple[str, str]] = (),
    disclosed: str = "",
    foreign: bool = False,
    text: str = "",
) -> str:
    """One line of advice: the most serious fault first, then what is missing, or praise."""
    if fatal:
        bad = next(r for r in results if r.fatal and not r.passed)
        words = f" (« {own_words(text, bad.evidence[0])} »)" if bad.evidence else ""
        return f"Faute grave{words} : " + (bad.feedback.strip() or bad.label)
    if disclosed:
        return (
            f"Divulgation à un tiers (« {disclosed} ») : ne citez ni montant, ni facture, ni retard tant que "
            "vous ne parlez pas à la bonne personne."
        )
    if stuffing:
        return "Une liste de mots-clés n'est pas une réplique : faites des phrases adressées à votre interlocuteur."
    if foreign:
        return "Réplique illisible ou pas en français : parlez à votre interlocuteur en phrases françaises."
    if faults:
        name, words = faults[0]
        return ADVICE.get(name, "À éviter : {w}.").format(w=words)
    if score < 70:
        for level in ("must", "must-not", "should"):
            for r in results:
                if r.level == level and not r.passed:
                    return r.feedback or (f"À éviter : {r.label}." if level == "must-not" else f"Manque : {r.label}.")
        return "Réplique correcte, mais en deçà des bonnes réponses notées : comparez-la à la réponse modèle."
    met = [r.label.lower() for r in results if r.passed and r.level != "must-not"]
    if not met:
        unmet = next((r.label.lower() for r in results if r.level == "must" and not r.passed), "")
        # Rated good from the labelled examples while no criterion of the rubric recognised it:
        # say so, rather than a bare praise beside a column of crosses.
        return (
            f"Bonne réplique au vu des réponses notées, même si le barème n'y reconnaît pas : {unmet}."
            if unmet
            else "Bonne réplique."
        )
    shown: list[str] = []
    for label in met:  # whole criteria only: never a label cut in the middle
        if shown and len(", ".join([*shown, label])) > PRAISE_LENGTH:
            break
        shown.append(label)
    return "Bonne réplique : " + ", ".join(shown) + "."


def feedback_options(score: ReplyScore) -> list[str]:
    """Every piece of advice that holds for a scored reply, the most useful first.

    The first is ``score.feedback``; the others let a call avoid repeating the
    same line word for word to a trainee who makes the same mistake again.
    """
    options = [score.feedback]
    options.extend(ADVICE.get(name, "").format(w=words) for name, words in score.faults[1:])
    if score.score < 70:
        for level in ("must", "must-not", "should"):
            for r in score.criteria:
                if r.level == level and not r.passed and r.feedback:
                    options.append(r.feedback.strip())
    return [o for o in dict.fromkeys(options) if o]


def score_reply(
    text: str,
    criteria: Iterable[Any],
    ctx: Context,
    *,
    analysis: Analysis | None = None,
    model: str = "",
    step: str | None = None,
    objection: str | None = None,
    carried: frozenset[str] = frozenset(),
    role: str | None = None,
) -> ReplyScore:
    """Score ``text`` against ``criteria`` (a step's or an objection's, plus the method rules).

    ``carried`` holds ids of positive criteria already met by earlier replies on
    the same objection: handling an objection may take several replies (resend
    the invoice, then agree the date), and the objection is judged on all of them.

    ``role`` is the role of the step the reply is said at (``introduce``,
    ``negotiate``…): the learned layer weighs cues per role. With a model in the
    context, the score is the model's; the rubric keeps the evidence, and hard
    rules no model can override still apply (threat, insult or bank details by
    phone: 0; debt details to a third party: 0; keyword stuffing: at most 25).
    """
    a = analysis if analysis is not None else analyse(text, ctx.reference)
    results: list[CriterionResult] = []
    max_pos = 0.0
    earned = 0.0
    penalty = 0.0
    fatal = False
    violations: list[str] = []
    for criterion in criteria:
        hit, evidence = _MATCHERS[type(criterion)](criterion, a, ctx)
        points = float(criterion.points)
        if criterion.level == "must-not":
            passed = not hit
            lost = 0.0 if passed else points
            penalty += lost
            if not passed:
                violations.append(criterion.id)
                fatal = fatal or criterion.fatal
            results.append(
                CriterionResult(
                    criterion.id, _kind(criterion), criterion.label, criterion.level, passed, -lost, points,
                    evidence, criterion.feedback, criterion.fatal,
                )
            )
        else:
            max_pos += points
            if not hit and criterion.id in carried:
                hit, evidence = True, ("(réplique précédente)",)
            got = points if hit else 0.0
            earned += got
            results.append(
                CriterionResult(
                    criterion.id, _kind(criterion), criterion.label, criterion.level, hit, got, points,
                    evidence, criterion.feedback,
                )
            )
    base = 100.0 * earned / max_pos if max_pos else 100.0
    value = base - 100.0 * penalty / max(max_pos, 10.0)
    if any(r.level == "must" and not r.passed for r in results):
        value = min(value, MUST_CAP)
    stuffing = _is_stuffing(a, ctx)
    foreign = _not_french(a)
    rubric_score = int(round(max(0.0, min(100.0, min(value, STUFFING_CAP) if stuffing else value))))
    # Without a model only a few cues name faults: search those alone.
    cues = find_cues(a.norm, None if ctx.model is not None else _RUBRIC_FAULTS) if a.norm else {}
    disclosed = _hard_disclosure(a, ctx, role) if a.norm else ""
    faults: list[tuple[str, str]] = []
    learned = ctx.model is not None and bool(a.norm)
    if learned:
        assert ctx.model is not None
        base_features = learned_features(a, ctx, role, results, rubric_score, stuffing, fatal, cues)
        value = ctx.model.score_in(base_features, role, objection)
        # Faults the model holds against this reply (a cue with a negative effect here).
        for name in FAULTS:
            if name in cues and ctx.model.weight_in("c:" + name, role, objection) < 0:
                faults.append((name, own_words(a.text, cues[name])))
    else:
        faults = [(name, own_words(a.text, cues[name])) for name in FAULTS if name in cues and name in _RUBRIC_FAULTS]
    if learned and any(name in SERIOUS_FAULTS for name, _ in faults):
        value = min(value, SERIOUS_FAULT_CAP)  # the fault heads the feedback (FAULTS are in order)
    if stuffing:
        value = min(value, STUFFING_CAP)
        violations.append("bourrage-mots-cles")
    if foreign:
        value = min(value, STUFFING_CAP)
        violations.append("hors-francais")
    if disclosed:
        # Debt details given to someone who is not the debtor: a hard fail, whatever the words.
        value = 0
        violations.append("divulgation-tiers")
    if fatal:
        value = 0
    if not a.norm:
        value = 0
    score = int(round(max(0.0, min(100.0, value))))
    return ReplyScore(
        score=score,
        criteria=tuple(results),
        violations=tuple(dict.fromkeys(violations)),
        fatal=fatal,
        stuffing=stuffing,
        feedback=_feedback(results, fatal, stuffing, score, faults, disclosed, foreign, a.text),
        model=fill(model, ctx.placeholders),
        step=step,
        objection=objection,
        faults=tuple(faults),
        rubric_score=rubric_score,
        learned=learned,
        reply_text=a.text,
    )


_RUBRIC_FAULTS = frozenset({"threat", "insult", "apology", "vague-time", "concession", "doubt", "why-accusatory"})
"""Cues reported as faults when no learned layer weighs them (rubric-only scoring)."""


def _hard_disclosure(a: Analysis, ctx: Context, role: str | None) -> str:
    """Debt details said to a third party (switchboard, colleague, voicemail): the words, or ""."""
    third = ctx.third_party
    if not third and ctx.debtor_line:
        # "C'est à quel sujet ?" is the switchboard's question before the transfer, and the
        # debtor's own once the subject is due: a filter only at the start of the call.
        early = role in (None, "introduce", "identify")
        third = any(c in ("voicemail", "wrong-person") or (c == "gatekeeper" and early) for c in debtor_cues(ctx.debtor_line))
    return _debt_detail(a, ctx) if third else ""


def _debt_detail(a: Analysis, ctx: Context) -> str:
    """The first detail of the debt a reply gives (invoice number, sum, "impayé"…), in the trainee's words."""
    if a.entities.invoice_refs:
        return a.entities.invoice_refs[0]
    money = [x.raw for x in a.entities.amounts if x.currency]
    if money:
        return money[0]
    text = a.norm
    service = ctx.placeholders.get("service")
    if service:
        text = text.replace(normalize(service), " ")  # "service recouvrement" names the caller, not the debt
    m = _DISCLOSURE.search(text)
    return own_words(a.text, m.group(0)) if m else ""


_MAY_HOLD_FIGURES = re.compile(
    r"[0-9]|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|demain|aujourd|semaine|mois|"
    r"janvier|f[eé]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|d[eé]cembre|"
    r"mille|cent|vingt|trente|quarante|cinquante|soixante|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|quinze",
    re.IGNORECASE,
)
"""A cheap test before extracting amounts and dates from a debtor line (a miss costs nothing but time)."""


def learned_features(
    a: Analysis,
    ctx: Context,
    role: str | None,
    results: Sequence[CriterionResult],
    rubric_score: int,
    stuffing: bool,
    fatal: bool,
    cues: Mapping[str, str] | None = None,
) -> dict[str, float]:
    """The base features of a reply for the learned layer (shared by training and scoring)."""
    e = a.entities
    reply = ReplyFacts(
        text=a.text,
        norm=a.norm,
        amounts=tuple(x.value for x in e.amounts),
        money=sum(1 for x in e.amounts if x.currency),
        dates=tuple(d for d in e.dates if not d.vague),
        vague_dates=len(e.vague_dates),
        invoices=len(e.invoice_refs),
        means=len(e.payment_means),
        phones=tuple(e.phone_numbers),
    )
    rubric: dict[str, float] = {"score": round(rubric_score / 100, 2)}
    musts = [r for r in results if r.level == "must"]
    shoulds = [r for r in results if r.level == "should"]
    if musts:
        rubric["must"] = round(sum(r.passed for r in musts) / len(musts), 3)
    if shoulds:
        rubric["should"] = round(sum(r.passed for r in shoulds) / len(shoulds), 3)
    for r in results:
        if r.level == "must-not" and not r.passed:
            rubric["viol:" + r.kind] = 1.0
    if stuffing:
        rubric["stuffing"] = 1.0
    if fatal:
        rubric["fatal"] = 1.0
    debtor = ctx.debtor_line
    # Most debtor lines name no sum and no day: skip the extractors for them.
    amounts, dates = (
        extract_amounts_and_dates(debtor, ctx.reference) if debtor and _MAY_HOLD_FIGURES.search(debtor) else ((), ())
    )
    return featurize(
        reply,
        role=role,
        debtor=debtor,
        debtor_amounts=tuple(x.value for x in amounts),
        debtor_dates=tuple(d for d in dates if not d.vague),
        facts=ctx.facts,
        rubric=rubric,
        cues=cues,
    )


def _kind(criterion: Any) -> str:
    """The criterion's ``kind`` tag (msgspec keeps it on the class, not the instance)."""
    return _KINDS[type(criterion)]
