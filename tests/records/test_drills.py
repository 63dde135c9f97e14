"""Spaced drills: cards from poorly handled moments, rebuilt in context, scheduled by FSRS."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from simulator.dialogue import play
from simulator.records.drills import (
    DrillError,
    answer_drill,
    days_until,
    due_today,
    moments,
    rating_for,
    record_call_drills,
    start_drill,
)
from simulator.records.store import Store

from .conftest import FakeClock


GOOD_ANSWER = (
    "Je comprends : je vous la renvoie immédiatement par e-mail. Quelle adresse utilisez-vous pour les factures "
    "fournisseurs ? Elle était payable le 4 novembre ; je vous propose donc un virement de 4 800 € ce vendredi "
    "20 novembre. Cela vous convient ?"
)


def _good_call(library, good_replies):
    replies = [*good_replies[:5], GOOD_ANSWER, *good_replies[7:]]
    state, _used = play(library.case("leroy-premier-appel"), 1, library, replies)
    assert all(t.score.score >= 60 for t in state.turns if t.score is not None)
    return state


def _poor_call(library, good_replies):
    """The good call, except the reply to the objection is vague."""
    replies = list(good_replies)
    replies[5] = "Bon, on verra bien, rappelez-moi plus tard."
    state, _used = play(library.case("leroy-premier-appel"), 1, library, replies)
    return state


@pytest.fixture
def day_clock() -> FakeClock:
    clock = FakeClock(step=1.0)
    clock.moment = datetime(2026, 11, 17, 10, 0, tzinfo=UTC)
    return clock


@pytest.fixture
def drill_store(tmp_path, day_clock) -> Store:
    store = Store.open(tmp_path / "relance.sqlite3", now=day_clock)
    yield store
    store.close()


def test_ratings_follow_the_score_bands() -> None:
    assert [rating_for(s) for s in (0, 39, 40, 59, 60, 84, 85, 100)] == [1, 1, 2, 2, 3, 3, 4, 4]


def test_moments_name_the_step_or_objection_and_its_context(library, good_replies) -> None:
    state, _ = play(library.case("leroy-premier-appel"), 1, library, good_replies)
    found = moments(state)
    assert len(found) == len(good_replies)
    assert found[0].kind == "step" and found[0].replies == () and found[0].debtor_line == state.turns[0].text
    objection = next(m for m in found if m.kind == "objection")
    assert objection.key.startswith("objection:") and objection.replies == tuple(good_replies[: len(objection.replies)])


def test_a_poor_reply_becomes_a_card_due_the_next_day_and_a_good_drill_pushes_it_back(
    library, good_replies, drill_store, day_clock
) -> None:
    trainee = drill_store.upsert_trainee("Dupont", "Élodie", "Soléo")
    state = _poor_call(library, good_replies)
    cards = record_call_drills(drill_store, trainee.id, state, case_id="leroy-premier-appel", pack_id="p",
                               pack_hash="h", attempt_id=None)
    assert cards, "the vague answer to the objection must make a card"
    card = next(c for c in cards if c.kind == "objection")
    assert card.replies == tuple(good_replies[:5]) and card.reviews == 1
    # Due tomorrow, not today (no minute-long learning steps).
    assert due_today(drill_store, trainee.id) == []
    assert days_until(card, day_clock.moment) == 1
    day_clock.moment += timedelta(days=1)
    assert [c.key for c in due_today(drill_store, trainee.id)] == [c.key for c in cards]
    # The drill rebuilds the call at that moment and scores the reply as in a call.
    rebuilt = start_drill(card, library)
    assert rebuilt.last_debtor_line == card.debtor_line and rebuilt.current_objection.id == card.target
    score, updated, after = answer_drill(drill_store, card, rebuilt, GOOD_ANSWER)
    assert score.score >= 60 and score.objection == card.target
    assert updated.reviews == 2 and days_until(updated, day_clock.moment) >= 2
    assert after.turns[-1].speaker == "debtor"
    reviews = drill_store.drill_reviews(card.id)
    assert [r["source"] for r in reviews] == ["call", "drill"]


def test_same_reviews_give_the_same_schedule(library, good_replies, tmp_path) -> None:
    dumps = []
    for name in ("a", "b"):
        clock = FakeClock()
        with Store.open(tmp_path / f"{name}.sqlite3", now=clock) as store:
            trainee = store.upsert_trainee("Dupont", "Élodie", "Soléo")
            record_call_drills(store, trainee.id, _poor_call(library, good_replies), case_id="leroy-premier-appel",
                               pack_id="p", pack_hash="h", attempt_id=None)
            dumps.append(json.dumps([(d.key, d.card, d.due) for d in store.drills(trainee.id)], sort_keys=True))
    assert dumps[0] == dumps[1]


def test_a_good_call_makes_no_card_but_reviews_an_existing_one(library, good_replies, drill_store) -> None:
    trainee = drill_store.upsert_trainee("Dupont", "Élodie", "Soléo")
    good = _good_call(library, good_replies)
    assert record_call_drills(drill_store, trainee.id, good, case_id="leroy-premier-appel", pack_id="p",
                              pack_hash="h", attempt_id=None) == []
    record_call_drills(drill_store, trainee.id, _poor_call(library, good_replies), case_id="leroy-premier-appel",
                       pack_id="p", pack_hash="h", attempt_id=None)
    before = {d.key: d.reviews for d in drill_store.drills(trainee.id)}
    record_call_drills(drill_store, trainee.id, good, case_id="leroy-premier-appel", pack_id="p", pack_hash="h",
                       attempt_id=None)
    after = {d.key: d.reviews for d in drill_store.drills(trainee.id)}
    assert all(after[k] == before[k] + 1 for k in before)


def test_a_card_whose_moment_is_gone_says_so(library, good_replies, drill_store) -> None:
    trainee = drill_store.upsert_trainee("Dupont", "Élodie", "Soléo")
    (card, *_rest) = record_call_drills(
        drill_store, trainee.id, _poor_call(library, good_replies), case_id="leroy-premier-appel", pack_id="p",
        pack_hash="h", attempt_id=None,
    )
    gone = drill_store.save_drill(
        trainee.id, card.key, kind=card.kind, target=card.target, title=card.title, case_id="dossier-supprime",
        pack_id="p", pack_hash="h", seed=1, replies=card.replies, debtor_line="", source_attempt=None,
        card=card.card, due=card.due,
    )
    with pytest.raises(DrillError):
        start_drill(gone, library)


def test_the_drills_command_names_the_case_by_its_title(
    library, good_replies, tmp_path, monkeypatch, capsys
) -> None:
    from simulator.cli import main

    monkeypatch.setenv("RELANCE_HOME", str(tmp_path / "home"))
    with Store.open() as store:
        trainee = store.upsert_trainee("Dupont", "Élodie", "Soléo")
        record_call_drills(store, trainee.id, _poor_call(library, good_replies), case_id="leroy-premier-appel",
                           pack_id="p", pack_hash="h", attempt_id=None)
    assert main(["drills", "--trainee", str(trainee.id)]) == 0
    out = capsys.readouterr().out
    title = library.case("leroy-premier-appel").title
    assert f"({title}, 1 révision(s))" in out and "(leroy-premier-appel," not in out


def test_a_step_tried_but_not_done_shows_its_reply_score_not_zero(library, good_replies) -> None:
    from simulator.dialogue.scorecard import scorecard
    from simulator.tui.i18n import set_language
    from simulator.tui.screens.debrief import step_mark

    replies = [*good_replies[:-1], "Merci beaucoup Madame Leroy pour votre aide. Je vous souhaite une bonne journée, au revoir."]
    state, _used = play(library.case("leroy-premier-appel"), 1, library, replies)
    last = [t for t in state.turns if t.speaker == "trainee"][-1].score
    assert last.step == "conclure" and 0 < last.score < 70
    card = scorecard(state)
    (conclude,) = [s for s in card.steps if s.id == "conclure"]
    assert (conclude.covered, conclude.attempted, conclude.score) == (False, True, last.score)
    set_language("fr")
    assert step_mark(conclude, ended=True, one_step=False) == "tentée, non franchie"
    loss = next(e for e in card.explanations if e.subject == conclude.title)
    assert f"{last.score}/100, non franchie" in loss.label
