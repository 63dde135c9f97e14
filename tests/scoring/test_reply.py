"""Every criterion kind, the score rule and its caps, evidence and feedback."""

from __future__ import annotations

import datetime as dt

import pytest

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
from simulator.scoring.reply import MUST_CAP, STUFFING_CAP, Context, score_reply

DAY = dt.date(2026, 11, 17)
FACTS = {"caller": "Claire Martin", "caller_last": "Martin", "creditor": "Soléo Emballages", "contact": "Madame Leroy"}


def ctx(**kw):
    return Context(reference=DAY, placeholders=FACTS, **kw)


def one(criterion, text, **kw):
    result = score_reply(text, [criterion], ctx(**kw))
    return result.criteria[0], result


OBJECTION = Objection(
    id="tresorerie-tendue",
    title="Trésorerie tendue",
    category="tresorerie",
    phrasings=("Notre trésorerie est tendue en ce moment, je ne peux pas payer.",),
)

CASES = [
    # (criterion, reply, extra context, expected passed)
    (PatternCriterion(id="p", label="L", patterns=("{creditor}",)), "Claire Martin, de Soléo Emballages.", {}, True),
    (PatternCriterion(id="p", label="L", patterns=("{creditor}",)), "Claire Martin, de chez Axis.", {}, False),
    (PatternCriterion(id="p", label="L", patterns=(r"c.est bien (cela|ca)",)), "C'est bien ça ?", {}, True),
    (PhraseCriterion(id="f", label="L", phrases=("je vous propose un virement",)), "Alors je vous propose un virement jeudi.", {}, True),
    (PhraseCriterion(id="f", label="L", phrases=("je vous propose un virement",)), "Payez quand vous voulez.", {}, False),
    (EntityCriterion(id="e", label="L", entities=("amount", "date", "means")), "Un virement de 4 800 € jeudi.", {}, True),
    (EntityCriterion(id="e", label="L", entities=("amount", "date", "means")), "Un virement de 4 800 € dès que possible.", {}, False),
    (EntityCriterion(id="e", label="L", entities=("invoice", "amount"), mode="any"), "La facture F-2026-0412.", {}, True),
    (OpenQuestionCriterion(id="o", label="L"), "Où en est le traitement de cette facture ?", {}, True),
    (OpenQuestionCriterion(id="o", label="L"), "Qu'est-ce qui a empêché le règlement ?", {}, True),
    (OpenQuestionCriterion(id="o", label="L"), "Vous avez reçu la facture ?", {}, False),
    (OpenQuestionCriterion(id="o", label="L"), "Comment allez-vous.", {}, False),
    (
        ReformulationCriterion(id="r", label="L"),
        "Si je comprends bien, votre trésorerie est tendue car votre client paie en retard. C'est bien cela ?",
        {"debtor_line": "Notre trésorerie est tendue, notre client nous paie en retard."},
        True,
    ),
    (
        ReformulationCriterion(id="r", label="L"),
        "Si je comprends bien, d'accord. C'est bien cela ?",
        {"debtor_line": "Notre trésorerie est tendue, notre client nous paie en retard."},
        False,
    ),
    (EmpathyCriterion(id="m", label="L"), "J'entends, et je vous propose un acompte vendredi.", {}, True),
    (EmpathyCriterion(id="m", label="L"), "Je comprends, prenez votre temps.", {}, False),
    (EmpathyCriterion(id="m", label="L"), "Je comprends mais il faut payer.", {}, False),
    (RelevanceCriterion(id="v", label="L"), "Quel montant pouvez-vous régler malgré cette trésorerie tendue ?", {"objection": OBJECTION}, True),
    (RelevanceCriterion(id="v", label="L"), "Pouvez-vous me donner le numéro de bon de commande ?", {"objection": OBJECTION}, False),
    (StyleCriterion(id="s", label="L", level="must-not", faults=("conditional",)), "Je voudrais savoir si vous pouvez payer.", {}, False),
    (StyleCriterion(id="s", label="L", level="must-not", faults=("apology",)), "Excusez-moi de vous déranger.", {}, False),
    (StyleCriterion(id="s", label="L", level="must-not", faults=("minimiser",)), "Il y a un petit souci sur une facture.", {}, False),
    (StyleCriterion(id="s", label="L", level="must-not", faults=("negative",)), "Pas de souci, je comprends.", {}, False),
    (StyleCriterion(id="s", label="L", level="must-not", faults=("je-comprends-mais",)), "Je comprends, mais la facture est due.", {}, False),
    (StyleCriterion(id="s", label="L", level="must-not", faults=("accusatory-why",)), "Pourquoi vous ne payez pas ?", {}, False),
    (StyleCriterion(id="s", label="L", level="must-not", faults=("weak-verb",)), "Je vais essayer de vous rappeler.", {}, False),
    (StyleCriterion(id="s", label="L", level="must-not", faults=("vague-date",)), "Réglez dès que possible.", {}, False),
    (StyleCriterion(id="s", label="L", level="must-not", faults=("conditional", "vague-date")), "La facture reste ouverte ; je note jeudi.", {}, True),
    (ForbiddenCriterion(id="x", label="L", level="must-not", categories=("threat",)), "Vous irez en prison.", {}, False),
    (ForbiddenCriterion(id="x", label="L", level="must-not", categories=("insult",)), "Vous êtes un escroc.", {}, False),
    (ForbiddenCriterion(id="x", label="L", level="must-not", categories=("bank-details",)), "Je note votre nouveau RIB.", {}, False),
    (ForbiddenCriterion(id="x", label="L", level="must-not", categories=("bank-details",)), "Notre RIB n'a pas changé, exigez une confirmation écrite.", {}, True),
    (ForbiddenCriterion(id="x", label="L", level="must-not", categories=("disclosure",)), "C'est pour la facture de 4 800 €.", {"third_party": True}, False),
    (ForbiddenCriterion(id="x", label="L", level="must-not", categories=("disclosure",)), "C'est pour la facture de 4 800 €.", {}, True),
    (ForbiddenCriterion(id="x", label="L", level="must-not", categories=("disclosure",)), "Merci de me rappeler au 04 65 71 08 42.", {"third_party": True}, True),
]


@pytest.mark.parametrize(("criterion", "reply", "extra", "passed"), CASES)
def test_criterion_kinds(criterion, reply, extra, passed):
    result, _ = one(criterion, reply, **extra)
    assert result.passed is passed, (result, reply)
    if criterion.level != "must-not" and passed:
        assert result.evidence, "a met criterion shows its evidence"
    if criterion.level == "must-not" and not passed:
        assert result.evidence and result.points < 0


def test_points_are_capped_however_often_a_cue_is_repeated():
    c = PatternCriterion(id="merci", label="Remercie", patterns=("merci",), points=5)
    once = score_reply("Merci.", [c, PatternCriterion(id="n", label="N", patterns=("xyz",), points=5)], ctx())
    many = score_reply("Merci merci merci merci merci merci.", [c, PatternCriterion(id="n", label="N", patterns=("xyz",), points=5)], ctx())
    assert once.score == many.score == 50


def test_missing_must_caps_the_score():
    criteria = [
        PatternCriterion(id="a", label="A", level="must", patterns=("zzz",), points=1),
        PatternCriterion(id="b", label="B", patterns=("bonjour",), points=20),
    ]
    result = score_reply("Bonjour", criteria, ctx())
    assert result.score == MUST_CAP
    assert result.feedback.startswith("Manque") or result.feedback


def test_keyword_stuffing_scores_poor():
    criteria = [
        EntityCriterion(id="e", label="Engagement", entities=("amount", "date", "means"), points=10),
        PatternCriterion(id="r", label="Récap", patterns=("je recapitule",), points=5),
    ]
    stuffed = score_reply("Je récapitule, virement, 4 800 €, jeudi, merci, bonne journée, confirmation, e-mail", criteria, ctx())
    assert stuffed.stuffing and stuffed.score <= STUFFING_CAP
    sentence = score_reply("Je récapitule : un virement de 4 800 € part jeudi, je vous le confirme par e-mail.", criteria, ctx())
    assert not sentence.stuffing and sentence.score == 100


def test_fatal_violation_scores_zero_and_explains():
    criteria = [
        PatternCriterion(id="a", label="A", patterns=("bonjour",), points=10),
        ForbiddenCriterion(id="t", label="Pas de menace", level="must-not", fatal=True, categories=("threat",),
                           feedback="Une menace met fin à l'appel."),
    ]
    result = score_reply("Bonjour, vous irez en prison.", criteria, ctx())
    assert result.fatal and result.score == 0
    # The fault is named with the words that showed it, then the advice.
    assert result.feedback == "Faute grave (« prison ») : Une menace met fin à l'appel."
    assert result.violations == ("t",)


def test_carried_criteria_count_for_multi_reply_handling():
    criteria = [
        PatternCriterion(id="renvoi", label="Renvoie", patterns=("renvoie",), level="must", points=5),
        EntityCriterion(id="date", label="Date", entities=("amount", "date", "means"), level="must", points=5),
    ]
    alone = score_reply("Je note un virement de 4 800 € jeudi.", criteria, ctx())
    carried = score_reply("Je note un virement de 4 800 € jeudi.", criteria, ctx(), carried=frozenset({"renvoi"}))
    assert alone.score == 50 and carried.score == 100
    assert "(réplique précédente)" in carried.criteria[0].evidence


def test_model_answer_is_filled_with_case_facts():
    result = score_reply("Bonjour", [], ctx(), model="Bonjour, {caller}, société {creditor}.")
    assert result.model == "Bonjour, Claire Martin, société Soléo Emballages."


def test_empty_reply_scores_zero():
    result = score_reply("", [PatternCriterion(id="a", label="A", patterns=(".*",), points=5)], ctx())
    assert result.score == 0


STYLE_SAMPLES = {
    "conditional": ["je voudrais", "serait il possible", "il faudrait", "ce serait bien"],
    "hedging": ["peut etre", "eventuellement", "si jamais", "je crois qu il y a", "si ca ne vous derange pas"],
    "apology": ["excusez moi de vous deranger", "desole de vous deranger", "je me permets"],
    "minimiser": ["petit souci", "juste pour", "un petit peu", "pas grand chose", "rien de grave"],
    "negative": ["pas de souci", "ne vous inquietez pas", "sans vouloir vous embeter", "ce n est pas grave"],
    "je-comprends-mais": ["je comprends votre point de vue, mais"],
    "vague-date": ["des que possible", "quand vous pourrez", "rapidement", "fin de semaine", "plus tard", "bientot"],
    "weak-verb": ["essayer", "j espere", "on verra"],
    "accusatory-why": ["pourquoi vous ne payez pas", "vous n avez pas paye"],
}


@pytest.mark.parametrize(("fault", "text"), [(f, t) for f, ts in STYLE_SAMPLES.items() for t in ts])
def test_style_triggers_cover_the_fault_patterns(fault, text):
    """The trigger-word prefilter must never hide a fault its pattern finds."""
    from simulator.scoring import lexicon

    assert lexicon.STYLE[fault].search(text)
    c = StyleCriterion(id="s", label="S", level="must-not", faults=(fault,))
    result, _ = one(c, text)
    assert not result.passed
