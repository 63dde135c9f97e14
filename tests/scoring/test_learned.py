"""The learned scorer: its corpus, its split, its determinism, and what held-out probing found.

The agreement figures themselves are checked on the held-out test split by
``tests/test_cli_calls.py::test_calibrate_reports_agreement_on_the_held_out_test_split``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from simulator.content.library import load_library
from simulator.dialogue.judge import Item, score_item
from simulator.scoring.reply import SERIOUS_FAULT_CAP, SERIOUS_FAULTS
from simulator.scoring.training import split_of

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def library():
    return load_library()


def _score(library, reply: str, **kw):
    return score_item(library, Item(reply=reply, **kw))


# --------------------------------------------------------------------------- the corpus


def test_the_corpus_covers_every_step_and_objection(library) -> None:
    corpora = library.all("replies")
    items = [i for c in corpora for i in c.items]
    assert len(items) >= 1500
    steps = Counter(i.step for i in items)
    method = library.all("method")[0]
    assert {s.id for s in method.steps} <= set(steps)
    assert min(steps[s.id] for s in method.steps) >= 60
    objections = Counter(i.objection for i in items if i.objection)
    assert {o.id for o in library.all("objection")} <= set(objections)
    assert min(objections[o.id] for o in library.all("objection")) >= 25
    labels = Counter(i.label for i in items)
    assert min(labels.values()) / len(items) > 0.2  # every label well represented
    # Written blind (by authors who never saw the scorer nor its misses): well over 30 %.
    blind = sum(len(c.items) for c in corpora if c.blind)
    assert blind / len(items) >= 0.3
    assert all(i.reasons.strip() for i in items)


def test_the_split_is_frozen_by_the_item_id() -> None:
    # Pure function of the id: adding replies never moves the old ones.
    assert [split_of(f"fa-{n:04d}") for n in range(1, 11)] == [
        split_of(f"fa-{n:04d}") for n in range(1, 11)
    ]
    frozen = {"fa-0001": split_of("fa-0001"), "qc-0100": split_of("qc-0100"), "dt-0200": split_of("dt-0200")}
    assert frozen == {"fa-0001": "test", "qc-0100": "validation", "dt-0200": "validation"}
    shares = Counter(split_of(f"x-{n}") for n in range(10_000))
    assert abs(shares["train"] / 10_000 - 0.6) < 0.03
    assert abs(shares["test"] / 10_000 - 0.2) < 0.03


def test_the_test_split_holds_a_fifth_of_the_corpus(library) -> None:
    items = [i for c in library.all("replies") for i in c.items]
    test = [i for i in items if split_of(i.id) == "test"]
    assert 0.15 < len(test) / len(items) < 0.25


# --------------------------------------------------------------------------- determinism


def test_two_processes_give_byte_identical_batch_output(library, tmp_path: Path) -> None:
    items = [i for c in library.all("replies") for i in c.items][:60]
    batch = tmp_path / "batch.jsonl"
    batch.write_text(
        "\n".join(
            json.dumps({"reply": i.reply, "step": i.step, "objection": i.objection, "debtor": i.debtor,
                        "case": i.case}, ensure_ascii=False)
            for i in items
        ) + "\n",
        encoding="utf-8",
    )
    runs = [
        subprocess.run([sys.executable, "-m", "simulator", "score", "--batch", str(batch), "--json"],
                       capture_output=True, cwd=ROOT, check=True).stdout
        for _ in range(2)
    ]
    assert runs[0] == runs[1] and runs[0].count(b"\n") == len(items)


def test_retraining_reproduces_the_weights_file_byte_for_byte() -> None:
    """`relance train --check` retrains on the bundled corpora and compares with the committed file."""
    result = subprocess.run([sys.executable, "-m", "simulator", "train", "--check"], capture_output=True, text=True,
                            cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "reproduit à l’octet" in result.stdout


# --------------------------------------------------------------------------- what held-out probing found


def test_a_word_soup_scored_against_all_steps_is_poor(library) -> None:
    soup = ("bonjour claire martin soleo bien avec madame leroy facture montant echeance disponible moment "
            "question comment quel virement date recapitule accord merci au revoir")
    result = _score(library, soup, case="leroy-premier-appel")
    assert result.score < 40 and result.stuffing


def test_a_keyword_list_is_poor_even_repeated(library) -> None:
    keywords = "Chèque, numéro, montant, date d'envoi, opposition, virement ?"
    once = _score(library, keywords, objection="cheque-parti", case="leroy-premier-appel")
    twenty = _score(library, " ".join([keywords] * 20), objection="cheque-parti", case="leroy-premier-appel")
    assert once.score < 40 and twenty.score < 40


def test_nonsense_with_the_right_words_scores_below_the_model_answer(library) -> None:
    debtor = "Le chèque est parti la semaine dernière."
    model = library.objection("cheque-parti").model
    nonsense = ("Le numéro du chèque mange la banque ; quelle adresse danse l'opposition à défaut du virement de "
                "4 800 € le 20 novembre ?")
    kw = {"objection": "cheque-parti", "case": "leroy-premier-appel", "debtor": debtor}
    good = _score(library, model, **kw).score
    bad = _score(library, nonsense, **kw).score
    # The learned layer reads words and cues, not meaning: the nonsense keeps its right
    # words' credit (it scores in the good band, a known limit), but no longer scores like
    # the model answer.
    assert bad < 100 and bad <= good - 10


@pytest.mark.parametrize(
    ("reply", "fault", "advice"),
    [
        ("Vous avez pas payé la F-2026-0412 de 4 800 € échue le 4 novembre, vous êtes en retard de 27 jours.",
         "blame", "Reproche"),
        ("Excusez-moi de vous déranger, c'est au sujet de la facture F-2026-0412 de 4 800 €, échue le 4 novembre.",
         "apology", "Formule d'excuse"),
        ("Oh, c'est un petit retard, pas grand-chose : la F-2026-0412 de 4 800 €, échue le 4 novembre.",
         "minimiser", "Vous minimisez"),
    ],
    ids=["blame", "apology", "minimiser"],
)
def test_a_serious_fault_keeps_a_reply_poor_whatever_its_facts(library, reply: str, fault: str, advice: str) -> None:
    # Every fact of the step is there; the fault alone makes the reply poor, and is named first.
    kw = {"step": "enoncer-sujet", "case": "leroy-premier-appel", "debtor": "Oui, je vous écoute."}
    plain = _score(library, "La facture F-2026-0412 de 4 800 €, échue le 4 novembre, n'est pas réglée.", **kw)
    result = _score(library, reply, **kw)
    assert plain.score >= 40
    assert result.score <= SERIOUS_FAULT_CAP and fault in {name for name, _ in result.faults}
    assert result.feedback.startswith(advice)


def test_the_capped_faults_are_poor_in_the_corpus(library) -> None:
    # The cap is the corpus's verdict, not a guess: each capped fault is labelled poor in at
    # least 97 % of the corpus replies that show it (and shows in at least 7 of them).
    from simulator.scoring.cues import find_cues
    from simulator.scoring.normalize import normalize

    labels: dict[str, Counter] = {name: Counter() for name in SERIOUS_FAULTS}
    for corpus in library.all("replies"):
        for item in corpus.items:
            for name in find_cues(normalize(item.reply)).keys() & SERIOUS_FAULTS:
                labels[name][item.label] += 1
    for name, counts in labels.items():
        total = sum(counts.values())
        assert total >= 7 and counts["poor"] / total >= 0.97, (name, dict(counts))


def test_a_claim_told_with_doubt_is_named(library) -> None:
    from simulator.scoring.cues import find_cues
    from simulator.scoring.normalize import normalize

    for reply in ("Sauf erreur de notre part, la facture ne semblerait pas réglée.",
                  "Je pense qu'on aurait possiblement une facture en souffrance, si je ne me trompe pas."):
        assert "unsure-claim" in find_cues(normalize(reply))
    assert "unsure-claim" not in find_cues(normalize("La facture F-2026-0412 de 4 800 € est échue depuis le 4 novembre."))


def test_a_threat_is_named_and_scores_zero(library) -> None:
    result = _score(library, "si vous ne payez pas vendredi je vous envoie l'huissier, c'est clair ?",
                    objection="cheque-parti", case="leroy-premier-appel")
    assert result.score == 0 and result.fatal
    assert result.feedback.startswith("Faute grave") and "huissier" in result.feedback
    assert "Citez le numéro de facture" not in result.feedback


def test_an_apology_is_flagged_and_heads_the_feedback(library) -> None:
    result = _score(library, "Désolée de vous déranger, excusez-moi… Claire Martin, de Soléo Emballages.",
                    step="se-presenter", case="leroy-premier-appel", debtor="Allô, oui ?")
    assert "apology" in {name for name, _words in result.faults}
    assert result.feedback.startswith("Formule d'excuse") and "Désolée de vous déranger" in result.feedback


def test_je_comprends_is_heard_as_empathy(library) -> None:
    result = _score(library, "Je comprends.", step="capter-reponses", case="leroy-premier-appel",
                    debtor="On est un peu justes en trésorerie ce mois-ci.")
    assert any(c.kind == "empathy" and c.passed for c in result.criteria)


def test_the_same_closing_scores_the_same_in_any_call(library) -> None:
    scores = {
        _score(library, "Merci, bonne journée.", step="conclure", case=case, debtor="C'est noté.").score
        for case in ("leroy-premier-appel", "delmas-politique-90-jours", "cote-cheque-jamais-arrive")
    }
    assert len(scores) == 1 and scores.pop() < 70  # no written confirmation, no next step


def test_the_most_serious_fault_comes_first(library) -> None:
    result = _score(library, "Excusez-moi de vous déranger, mais si vous ne payez pas, on prévient vos clients.",
                    step="negocier", case="leroy-premier-appel")
    assert result.score == 0 and result.feedback.startswith("Faute grave")


@pytest.mark.parametrize(
    "reply",
    ["", "   ", "x" * 10_000, "[bold red][/][link=http://x][/link][blink][/blink]",
     "Hello, this is Claire from Soleo, we are calling about your unpaid invoice."],
    ids=["empty", "blank", "10k", "markup", "english"],
)
def test_non_replies_score_poor_without_a_crash(library, reply: str) -> None:
    result = _score(library, reply, step="enoncer-sujet", case="leroy-premier-appel")
    assert 0 <= result.score < 40


def test_markup_in_a_reply_is_text_not_a_bonus(library) -> None:
    plain = "Je vous appelle au sujet de la facture F-2026-0412 de 4 800 €, échue le 4 novembre."
    marked = "[bold]Je vous appelle[/bold] au sujet de la facture [red]F-2026-0412[/red] de 4 800 €, échue le 4 novembre."
    kw = {"step": "enoncer-sujet", "case": "leroy-premier-appel", "debtor": "Je vous écoute."}
    assert _score(library, marked, **kw).score == _score(library, plain, **kw).score


def test_hard_fails_stay_zero_whatever_the_model_says(library) -> None:
    voicemail = "Vous êtes bien sur la messagerie de Martine Leroy, laissez un message après le bip."
    disclosed = _score(library, "Bonjour, Claire Martin de Soléo Emballages, je vous appelle pour la facture "
                       "F-2026-0412 de 4 800 € impayée. Rappelez-moi au 04 65 71 08 42.",
                       step="se-presenter", case="leroy-premier-appel", debtor=voicemail)
    assert disclosed.score == 0 and "divulgation-tiers" in disclosed.violations
    bank = _score(library, "Oui, je vous confirme, c'est bien notre nouveau compte, vous pouvez faire le virement dessus.",
                  objection="changement-rib", case="leroy-premier-appel",
                  debtor="On a reçu un mail avec vos nouvelles coordonnées bancaires, c'est bon ?")
    assert bank.score == 0 and bank.fatal


def test_a_low_score_comes_with_a_good_example_from_the_corpus(library) -> None:
    from simulator.dialogue.judge import good_examples

    found = good_examples(library, "D'accord, merci, au revoir.", case="leroy-premier-appel", step="negocier",
                          objection="cheque-parti")
    assert found and all(e.label == "good" and e.objection == "cheque-parti" for e in found)


# --------------------------------------------------------------------------- the cue matcher


def _plain_search(norm: str, patterns) -> set[str]:
    return {name for name, rx in patterns.items() if rx.search(norm)}


def test_the_cue_matcher_finds_what_each_regex_finds(library) -> None:
    """Spelled-out phrases, prefilters and the question gate change the speed, never the answer."""
    from simulator.scoring.cues import CUES, find_cues
    from simulator.scoring.features import DEBTOR_CUES, debtor_cues
    from simulator.scoring.normalize import normalize

    items = [i for c in library.all("replies") for i in c.items]
    for item in items:
        norm = normalize(item.reply)
        assert set(find_cues(norm)) == _plain_search(norm, CUES), item.id
        assert set(debtor_cues(item.debtor)) == _plain_search(normalize(item.debtor), DEBTOR_CUES), item.id


def test_the_cue_matcher_on_shuffled_cue_phrases() -> None:
    """Random texts built from the cues' own phrases, glued at awkward places."""
    import random

    from simulator.scoring.cues import CUES, SPELLED, find_cues

    phrases = sorted({core for forms in SPELLED.values() for core, _b, _a in forms})
    rng = random.Random(11)
    glue = [" ", "", " ? ", ", ", "x", " ne ", "."]
    for _ in range(400):
        text = "".join(rng.choice(phrases) + rng.choice(glue) for _ in range(rng.randint(1, 6))).strip()
        assert set(find_cues(text)) == _plain_search(text, CUES), text


# --------------------------------------------------------------------------- what the trainee reads (issue-13 walk)

LEROY_FLOOR = "Je regarde… Non, je n'ai aucune facture F-2026-0412 dans mon logiciel."


def test_praise_names_whole_criteria_never_a_cut_word(library) -> None:
    result = _score(
        library,
        "Je comprends. Quelle adresse e-mail utilisez-vous pour les factures fournisseurs ? Je vous la renvoie tout "
        "de suite... Elle vient de partir : vous la voyez arriver ? Elle était payable le 4 novembre ; je vous "
        "propose donc un virement de 4 800 € jeudi 19 novembre. Cela vous convient ?",
        objection="facture-non-recue", case="leroy-premier-appel", debtor=LEROY_FLOOR,
    )
    assert result.feedback.startswith("Bonne réplique : ")
    named = result.feedback.removeprefix("Bonne réplique : ").rstrip(".").split(", ")
    labels = {c.label.lower() for c in result.criteria}
    # Labels contain commas ("(montant, date, mode)"): each named part belongs to a whole label.
    assert all(any(part in label for label in labels) for part in named)
    assert not result.feedback.endswith(", t.")


def test_an_indirect_open_question_is_an_open_question(library) -> None:
    result = _score(library, "Pouvez-vous me dire ce qui s'est passé de votre côté pour cette facture ?",
                    step="donner-la-parole", case="leroy-premier-appel",
                    debtor="Je regarde votre compte… Je ne vois rien de bloqué de notre côté.")
    assert any(c.kind == "open-question" and c.passed for c in result.criteria)
    assert result.feedback != "Bonne réplique."


def test_evidence_is_in_the_trainees_own_words(library) -> None:
    reply = ("Je comprends, cela arrive. Pouvez-vous me confirmer votre adresse e-mail de facturation ? Je vous "
             "renvoie la facture F-2026-0412 immédiatement, et vous me confirmez sa bonne réception.")
    result = _score(library, reply, objection="facture-non-recue", case="leroy-premier-appel", debtor=LEROY_FLOOR)
    shown = result.as_dict()["criteria"]
    by_id = {c["id"]: c for c in shown}
    assert by_id["renvoi-immediat"]["evidence"] == ["Je vous renvoie"]  # not the noun « adresse »
    assert by_id["confirme-reception"]["passed"]
    words = [w for c in shown for w in c.get("evidence", [])]
    assert all(w in reply for w in words), words  # « e-mail », never « email » or a lone « f »
