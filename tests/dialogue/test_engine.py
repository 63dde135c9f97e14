"""The call engine: good and poor calls, situations, determinism, hostile replies."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.commands.golden import run_golden
from simulator.content.library import load_library
from simulator.dialogue import CallEnded, advance, play, scorecard, start, to_document
from simulator.dialogue.transcript import dumps

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def library():
    return load_library(use_cache=False)


@pytest.fixture(scope="module")
def situations():
    return load_library([FIXTURES / "situations"], use_cache=False)


def _golden(library, golden_id):
    return next(g for g in library.all("golden") if g.id == golden_id)


@pytest.mark.parametrize(
    ("golden_id", "success"),
    [
        ("leroy-bon-parcours", True),
        ("leroy-mauvais-parcours", False),
        ("garnier-bon-parcours", True),
        ("garnier-mauvais-parcours", False),
    ],
)
def test_starter_cases_good_script_commits_and_poor_script_does_not(library, golden_id, success):
    golden = _golden(library, golden_id)
    state, _used = play(library.case(golden.case), golden.seed, library, list(golden.replies))
    card = scorecard(state)
    assert state.ended
    if success:
        assert card.outcome in ("commitment", "instalments", "dispute")
        assert state.commitment is not None and state.commitment.met in ("objective", "fallback")
        assert card.overall >= 70
    else:
        assert card.outcome not in ("commitment", "instalments", "dispute")
        assert state.commitment is None
        assert card.overall < 40
    assert run_golden(library, golden).ok


def test_every_bundled_case_has_a_good_and_a_poor_golden(library):
    from simulator.dialogue.engine import SUCCESS

    for case in library.all("case"):
        goldens = [g for g in library.all("golden") if g.case == case.id]
        # A good path reaches the success outcome of the case's situation (a
        # commitment when the contact answers, a callback with a third party, a
        # message on a voicemail) with a score of at least 70.
        assert any(
            set(g.expect.outcomes) <= set(SUCCESS[case.situation]) and g.expect.score.min >= 70 for g in goldens
        ), case.id
        assert any(g.expect.score.max < 40 for g in goldens), case.id


def test_same_seed_and_replies_give_identical_transcripts(library):
    golden = _golden(library, "garnier-bon-parcours")
    case = library.case(golden.case)
    pack = library.pack_of("case", case.id)
    a = dumps(to_document(play(case, 7, library, list(golden.replies))[0], pack.id, pack.hash))
    b = dumps(to_document(play(case, 7, library, list(golden.replies))[0], pack.id, pack.hash))
    assert a == b


def test_seed_changes_the_debtor_lines_not_the_scores(library):
    golden = _golden(library, "leroy-bon-parcours")
    case = library.case(golden.case)
    texts = set()
    for seed in range(6):
        state, _ = play(case, seed, library, list(golden.replies))
        texts.add(tuple(t.text for t in state.turns if t.speaker == "debtor"))
        assert scorecard(state).outcome == "commitment"
    assert len(texts) > 1


def test_the_debtor_reacts_to_a_poor_reply_by_repeating_the_objection(library):
    case = library.case("leroy-premier-appel")
    golden = _golden(library, "leroy-bon-parcours")
    state, _ = start(case, 1, library)
    for reply in golden.replies[:5]:
        state, events = advance(state, reply)
    objection_turn = state.turns[-1]
    assert objection_turn.objection == "facture-non-recue"
    state, events = advance(state, "Je comprends mais elle a bien été envoyée, c'est impossible, vous l'avez forcément reçue.")
    assert state.turns[-1].objection == "facture-non-recue"  # raised again
    assert state.irritation == 1
    assert any(e.kind == "score" and e.score < 40 for e in events)


def test_conceding_pleases_the_debtor_then_ends_the_call_without_commitment(library):
    case = library.case("leroy-premier-appel")
    golden = _golden(library, "leroy-bon-parcours")
    state, _ = start(case, 1, library)
    for reply in golden.replies[:5]:
        state, _ = advance(state, reply)
    state, _ = advance(state, "Ce n'est pas grave, prenez votre temps pour la retrouver.")
    assert not state.ended and state.irritation == 0 and state.concessions == 1
    state, _ = advance(state, "Vous me la réglerez quand vous pourrez.")
    assert state.ended and state.outcome == "no-commitment" and state.commitment is None
    assert scorecard(state).overall < 40


def test_threat_ends_the_call_with_a_hangup(library):
    case = library.case("leroy-premier-appel")
    state, _ = start(case, 1, library)
    state, events = advance(state, "Bonjour, Claire Martin de Soléo Emballages. Payez ou vous irez en prison, escroc !")
    assert state.ended and state.outcome == "hangup"
    assert events[-1].kind == "ended"
    assert scorecard(state).overall <= 20
    with pytest.raises(CallEnded):
        advance(state, "Allô ?")


def test_accepting_a_bank_detail_change_by_phone_is_fatal(library):
    case = library.case("leroy-premier-appel")
    state, _ = start(case, 1, library)
    state, _ = advance(state, "Bonjour, Claire Martin de Soléo Emballages. Je note votre nouveau RIB pour nos remboursements.")
    assert state.ended and "changement-rib" in state.violations


def test_refusing_a_bank_detail_change_is_not_a_fault(library):
    case = library.case("leroy-premier-appel")
    state, _ = start(case, 1, library)
    state, _ = advance(
        state,
        "Bonjour, Claire Martin de Soléo Emballages. Notre RIB n'a pas changé : tout changement passe par une "
        "confirmation écrite signée.",
    )
    assert not state.ended and "changement-rib" not in state.violations


def test_skipping_steps_is_recorded_and_costs_points(library):
    case = library.case("leroy-premier-appel")
    good = _golden(library, "leroy-bon-parcours").replies
    skipping = [good[0], good[3], *good[4:]]  # no identity check, no listening frame
    state, _ = play(case, 1, library, skipping)
    card = scorecard(state)
    assert "verifier-interlocuteur" in card.skipped and "mettre-en-ecoute" in card.skipped
    full, _ = play(case, 1, library, list(good))
    assert card.overall < scorecard(full).overall


def test_amount_before_identity_is_a_disclosure(library):
    case = library.case("leroy-premier-appel")
    state, _ = start(case, 1, library)
    state, _ = advance(state, "Bonjour, c'est au sujet de la facture F-2026-0412 de 4 800 €.")
    assert "discretion" in state.violations


@pytest.mark.parametrize(
    "reply",
    [
        "",
        "x" * 10_000,
        "😀🙏📞💶",
        "[bold]Bonjour[/bold] [red]Claire Martin[/red] de Soléo Emballages",
        "Hello, this is Claire from Soleo, we are calling about your unpaid invoice.",
        "Bonjour\x00\x07\x1b[31m Claire\u202eMartin",
        "   \n\t  ",
    ],
    ids=["empty", "10k", "emoji", "markup", "english", "control", "blank"],
)
def test_hostile_replies_never_crash_and_are_kept_as_typed(library, reply):
    case = library.case("leroy-premier-appel")
    state, _ = start(case, 1, library)
    state, events = advance(state, reply)
    turn = next(t for t in state.turns if t.speaker == "trainee")
    assert turn.text == reply
    assert 0 <= turn.score.score <= 100
    if reply.strip() == "" or reply.startswith(("x", "😀", "Hello")):
        assert turn.score.score < 40
    assert any(e.kind == "debtor" for e in events) or state.ended
    document = to_document(state, "p", "h")
    assert document["turns"][1]["text"] == reply


def test_markup_reply_still_scores_its_words(library):
    case = library.case("leroy-premier-appel")
    state, _ = start(case, 1, library)
    state, _ = advance(state, "[bold]Bonjour[/bold], Claire Martin, de [i]Soléo Emballages[/i].")
    assert state.turns[1].score.score >= 70


def test_voicemail_message(situations):
    case = situations.case("cas-voicemail")
    state, events = start(case, 1, situations)
    assert "messagerie" in events[0].text
    good = ("Bonjour Madame Moreau, Claire Martin, société Soléo Emballages. Merci de me rappeler au "
            "04 65 71 08 42, je répète : 04 65 71 08 42. Bonne journée.")
    done, _ = advance(state, good)
    assert done.ended and done.outcome == "voicemail"
    assert scorecard(done).overall >= 70
    bad, _ = advance(state, "Bonjour, c'est pour la facture impayée de 2 400 €, rappelez-moi.")
    assert bad.outcome == "voicemail"
    assert scorecard(bad).overall < 40
    assert "vm-discretion" in bad.violations


def test_absent_contact_gets_a_callback(situations):
    case = situations.case("cas-absent")
    state, _ = start(case, 1, situations)
    state, _ = advance(state, "Bonjour, Claire Martin de Soléo Emballages. À quel moment puis-je la joindre aujourd'hui, et à qui ai-je l'honneur ?")
    state, _ = advance(state, "Très bien, je rappelle à 14 h. Merci, bonne journée.")
    assert state.ended and state.outcome == "callback"
    assert scorecard(state).overall >= 70


def test_wrong_person_must_not_hear_the_debt(situations):
    case = situations.case("cas-wrong-person")
    state, _ = start(case, 1, situations)
    state, _ = advance(state, "Vous devez 2 400 € sur la facture F-2026-0500, payez-la.")
    assert "tp-discretion" in state.violations


def test_switchboard_transfers_when_the_contact_is_asked_for(situations):
    case = situations.case("cas-switchboard")
    state, _ = start(case, 1, situations)
    state, events = advance(state, "Bonjour, Claire Martin de Soléo Emballages. Je souhaite parler à Madame Moreau, s'il vous plaît.")
    assert state.connected and any(e.kind == "transferred" for e in events)


def test_mobile_starts_with_the_contact(situations):
    case = situations.case("cas-mobile")
    state, events = start(case, 1, situations)
    assert state.connected and events[0].text == "Julie Moreau, bonjour."


# ---------------------------------------------------------------- issue 15, point 8


def test_model_answers_pair_each_invoice_with_its_own_amount(library):
    from simulator.dialogue.engine import case_facts, fill_line

    case = library.case("garnier-promesse-non-tenue")
    facts = dict(case_facts(case, library.persona(case.persona)))
    assert facts["invoice"] == "F-2026-0318 et F-2026-0356"
    assert facts["invoices"] == (
        "les factures F-2026-0318 de 10\u202f200\xa0€ et F-2026-0356 de 7\u202f800\xa0€, soit 18\u202f000\xa0€ au total"
    )
    step = next(s for s in library.method_for(case).steps if s.id == "enoncer-sujet")
    said = fill_line(step.model, facts)
    assert "F-2026-0318 de 18" not in said and "F-2026-0318 de 10\u202f200\xa0€" in said
    single = library.case("leroy-premier-appel")
    facts = dict(case_facts(single, library.persona(single.persona)))
    assert fill_line(step.model, facts).startswith("Je vous appelle concernant la facture F-2026-0412 de 4\u202f800\xa0€ :")


def test_a_name_ending_with_a_full_stop_is_not_followed_by_another():
    from simulator.dialogue.engine import fill_line

    facts = {"company": "Imprimerie Saint-Laurent inc.", "amount": "5 €"}
    assert fill_line("Bonjour, {company}. Au revoir.", facts) == "Bonjour, Imprimerie Saint-Laurent inc. Au revoir."
    assert fill_line("Chez {company}, {amount}.", facts) == "Chez Imprimerie Saint-Laurent inc., 5 €."
    assert fill_line("Rien à remplir… {inconnu}.", facts) == "Rien à remplir… {inconnu}."


def test_the_bundled_debtor_lines_never_double_a_full_stop(library):
    from simulator.dialogue import play

    case = library.case("bouchard-boite-vocale")
    for seed in range(1, 9):
        state, _ = start(case, seed, library)
        assert ".." not in state.turns[0].text.replace("…", "")
    golden = _golden(library, "bouchard-bon-parcours")
    state, _used = play(case, golden.seed, library, list(golden.replies))
    assert all(".." not in t.text for t in state.turns if t.speaker == "debtor")


def test_on_the_contacts_own_line_a_colleague_answers_not_a_switchboard(library):
    import msgspec

    case = library.case("renaud-interlocuteur-absent")
    state, _ = start(case, 1, library)
    state, events = advance(state, "Bonjour, Laura Vidal, de Pneus Atlantique. À qui ai-je l'honneur, et quand puis-je joindre Monsieur Renaud ?")
    said = " ".join(e.text for e in events if e.kind == "debtor")
    assert "accueil" not in said
    assert "Ici Sophie Lambert, de l'exploitation." in said and "jeudi matin" in said
    # Without a name in the case, the engine still speaks as a colleague on that line.
    anonymous = msgspec.structs.replace(case, debtor=msgspec.structs.replace(case.debtor, assistant=""))
    state, _ = start(anonymous, 1, library)
    state, events = advance(state, "Bonjour, Laura Vidal, de Pneus Atlantique. À qui ai-je l'honneur ?")
    said = " ".join(e.text for e in events if e.kind == "debtor")
    assert "je réponds sur sa ligne" in said and "accueil" not in said


def test_the_debtor_agrees_to_the_date_the_trainee_proposed(library):
    """The payment date is the one of the amount's sentence, not a date said before."""
    golden = _golden(library, "roussel-bon-parcours")
    case = library.case(golden.case)
    state, _used = play(case, golden.seed, library, list(golden.replies))
    assert state.commitment is not None
    assert str(state.commitment.date) == "2026-11-23" and state.commitment.amount == 6360
    agreed = [t.text for t in state.turns if t.speaker == "debtor" and "20/11" in t.text]
    assert agreed == []


def test_a_third_party_answers_what_is_asked_once_and_a_farewell_after_the_callback_is_good(library) -> None:
    replies = [
        "Bonjour Madame, Laura Vidal, de la société Pneus Atlantique. Puis-je vous demander votre nom, s'il vous plaît ?",
        "Merci Madame Lambert. À quel moment Monsieur Renaud sera-t-il joignable ? Je peux le rappeler demain matin, "
        "vers 9 heures, cela vous semble possible ?",
        "Pouvez-vous lui laisser mon nom, Laura Vidal, et mon numéro, le 02 51 37 84 20 ? Je le rappellerai jeudi à 9 heures.",
        "Merci beaucoup Madame Lambert, bonne fin de journée, au revoir.",
    ]
    state, _used = play(library.case("renaud-interlocuteur-absent"), 1, library, replies)
    said = [t.text for t in state.turns if t.speaker == "debtor"]
    handler = "qui s'occupe des règlements"
    assert sum(handler in line for line in said) == 1  # not repeated at every reply
    assert "Vous pouvez rappeler" in said[2]  # « À quel moment … ? » gets the moment
    farewell = [t for t in state.turns if t.speaker == "trainee"][-1].score
    assert farewell.score >= 70 and "Demandez le nom" not in farewell.feedback
    assert state.outcome == "callback"
