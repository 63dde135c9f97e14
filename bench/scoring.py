"""Benchmark: reply scoring latency and batch throughput, beside raw rapidfuzz.

Two measures, each beside a baseline measured in the same run
(``rapidfuzz.process.extract`` of each normalised reply over 40 phrases with
``token_set_ratio``):

1. **What users run** — the bundled packs' scorer (rubric, speech-act cues,
   learned layer, hard rules) on the labelled corpus replies, each made
   distinct by a varying tail so that no cache serves a previous result, in
   the context of its own case, step, objection and debtor line, exactly as
   ``relance score --batch`` does: median and p99 latency, throughput.
2. **The rubric alone** on a synthetic 40-criterion rubric (phrases, patterns,
   entities, style, forbidden, open question, reformulation, empathy,
   relevance), as measured since issue 3.

Targets (issue 11): p99 ≤ 2 ms per reply; ≥ 3,000 replies/s on one core, for
measure 1.

Usage: ``python bench/scoring.py [--replies N]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

from rapidfuzz import fuzz, process

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from simulator.model.criteria import (  # noqa: E402
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
from simulator.model.objection import Objection  # noqa: E402
from simulator.scoring.normalize import normalize  # noqa: E402
from simulator.scoring.reply import Context, score_reply  # noqa: E402

PHRASES = [
    "je vous propose un virement", "quelle date retenons nous", "je vous la renvoie a l instant",
    "a part ce point tout est en ordre", "si je comprends bien", "je recapitule", "c est bien cela",
    "je vous confirme par e mail", "quel montant pouvez vous regler", "qui valide le paiement",
    "ou en est le traitement", "avez vous bien recu la facture", "elle est echue depuis",
    "le reglement part jeudi", "nous convenons de", "je note un virement", "vous le lancez vous meme",
    "je vous rappelle demain", "j ouvre un dossier litige", "la partie non contestee",
    "un acompte des cette semaine", "le solde le 30", "une echeance manquee rend le solde exigible",
    "je transmets au service contentieux", "vous recevrez une mise en demeure", "merci bonne journee",
    "service credit clients", "je suis bien en ligne avec", "vous avez deux minutes",
    "sous les yeux", "qu est ce qui a empeche", "comment se presente votre planning",
    "jeudi ou vendredi", "par ecrit", "dans l heure", "le bon de commande", "la facture corrigee",
    "votre run de paiement", "un paiement exceptionnel", "confirmation ecrite signee",
]
assert len(PHRASES) == 40

REPLIES = [
    "Bonjour, Claire Martin, du service crédit clients de Soléo Emballages.",
    "Je suis bien en ligne avec Madame Leroy, qui gère les règlements fournisseurs ?",
    "Je vous appelle au sujet de la facture F-2026-0412 de 4 800 €, échue le 4 novembre.",
    "Si je comprends bien, votre trésorerie est tendue car votre client paie en retard. Quel montant pouvez-vous régler cette semaine ?",
    "J'entends, et je vous propose 6 000 € par virement vendredi 20 novembre, puis 6 000 € le 4 décembre et le solde le 18 décembre.",
    "Je récapitule : un virement de 4 800 € part jeudi 19 novembre, référence F-2026-0412. C'est bien cela ?",
    "Je comprends mais il faudrait payer dès que possible, pas de souci.",
    "Je vous confirme cet accord par e-mail aujourd'hui. Merci Madame Leroy, bonne journée.",
]


def rubric() -> list[object]:
    criteria: list[object] = []
    for i in range(0, 40, 2):
        criteria.append(PhraseCriterion(id=f"ph{i}", label="P", phrases=(PHRASES[i], PHRASES[i + 1])))
    for i in range(10):
        criteria.append(PatternCriterion(id=f"pa{i}", label="P", patterns=(rf"\b{PHRASES[i * 4].split()[-1]}\b",)))
    criteria += [
        EntityCriterion(id="e1", label="E", entities=("amount", "date", "means")),
        EntityCriterion(id="e2", label="E", entities=("invoice",)),
        OpenQuestionCriterion(id="o", label="O"),
        ReformulationCriterion(id="r", label="R"),
        EmpathyCriterion(id="m", label="M"),
        RelevanceCriterion(id="v", label="V"),
        StyleCriterion(id="s", label="S", level="must-not", faults=("conditional", "hedging", "apology", "negative", "vague-date")),
        ForbiddenCriterion(id="f", label="F", level="must-not", categories=("threat", "insult", "bank-details")),
        StyleCriterion(id="s2", label="S", level="must-not", faults=("je-comprends-mais", "weak-verb")),
        ForbiddenCriterion(id="f2", label="F", level="must-not", categories=("disclosure",)),
    ]
    assert len(criteria) == 40
    return criteria


def _learned(replies: int) -> tuple[list[float], float]:
    """Per-reply latencies and batch throughput of the full scorer on corpus replies."""
    from simulator.content.library import load_library
    from simulator.dialogue.judge import Item, score_item, scoring_model

    library = load_library()
    corpus = [i for c in library.all("replies") for i in c.items]
    days = ["lundi", "mardi", "mercredi", "jeudi", "vendredi"]
    items = [
        Item(
            reply=f"{it.reply} Je note {1000 + n} € {days[n % 5]} {1 + n % 28}.",
            step=it.step, objection=it.objection, debtor=it.debtor, case=it.case,
        )
        for n, it in enumerate(corpus[i % len(corpus)] for i in range(replies))
    ]
    model = scoring_model(library, library.case(corpus[0].case))
    for item in items[:200]:  # warm up: regexes compiled, lemmas loaded, as a running scorer would be
        score_item(library, Item(reply=item.reply + " (amorce)", step=item.step, objection=item.objection,
                                 debtor=item.debtor, case=item.case), model=model)
    latencies = []
    for item in items:
        t = time.perf_counter()
        score_item(library, item, model=model)
        latencies.append(time.perf_counter() - t)
    again = [Item(reply=it.reply + " Merci.", step=it.step, objection=it.objection, debtor=it.debtor, case=it.case)
             for it in items]
    t = time.perf_counter()
    for item in again:
        score_item(library, item, model=model)
    return sorted(latencies), len(again) / (time.perf_counter() - t)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replies", type=int, default=4000)
    args = parser.parse_args()
    if args.replies < 100:
        parser.error("--replies doit valoir au moins 100")
    criteria = rubric()
    objection = Objection(id="tresorerie-tendue", title="T", category="tresorerie",
                          phrasings=("Notre trésorerie est tendue en ce moment.",))
    ctx = Context(
        reference=dt.date(2026, 11, 17),
        placeholders={"creditor": "Soléo Emballages", "caller": "Claire Martin"},
        debtor_line="Notre trésorerie est tendue, notre client nous paie en retard.",
        objection=objection,
    )
    days = ["lundi", "mardi", "mercredi", "jeudi", "vendredi"]
    replies = [
        f"{REPLIES[i % len(REPLIES)]} Je note {1000 + i} € {days[i % 5]} {1 + i % 28}."
        for i in range(args.replies)
    ]
    for reply in REPLIES:
        score_reply(reply, criteria, ctx)

    t = time.perf_counter()
    for reply in replies:
        process.extract(normalize(reply), PHRASES, scorer=fuzz.token_set_ratio, limit=None)
    baseline = (time.perf_counter() - t) / len(replies)

    latencies, batch = _learned(args.replies)
    median = statistics.median(latencies)
    p99 = latencies[int(len(latencies) * 0.99) - 1]
    print(f"{len(latencies)} distinct corpus replies, bundled scorer (rubric + cues + learned layer), one core")
    print(f"baseline rapidfuzz extract(token_set_ratio) : {baseline * 1e6:8.1f} µs/reply")
    print(f"score median                                 : {median * 1e6:8.1f} µs   ({median / baseline:4.1f}x baseline)")
    print(f"score p99                                    : {p99 * 1e6:8.1f} µs   ({p99 / baseline:4.1f}x baseline)  target <= 2000 µs")
    print(f"batch throughput                             : {batch:8.0f} replies/s  target >= 3000")

    rubric_latencies = []
    for reply in replies:
        t = time.perf_counter()
        score_reply(reply, criteria, ctx)
        rubric_latencies.append(time.perf_counter() - t)
    rubric_latencies.sort()
    print(f"\n{len(replies)} replies, synthetic 40-criterion rubric alone (no learned layer)")
    print(f"score_reply median                           : {statistics.median(rubric_latencies) * 1e6:8.1f} µs")
    print(f"score_reply p99                              : {rubric_latencies[int(len(replies) * 0.99) - 1] * 1e6:8.1f} µs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
