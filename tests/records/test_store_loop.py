"""The store's trainee-loop tables: follow-up sheets, retried attempts, drill cards; upgrade from schema 1."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from simulator.errors import NotFoundError, StoreError, UsageError
from simulator.records.store import MIGRATIONS, Store, default_clock

from .conftest import FakeClock


def _call(store: Store, trainee_id: int, **kwargs: object) -> int:
    return store.start_attempt(trainee_id, "call", "leroy", "pack", "1", "sha256:00", 7, **kwargs)  # type: ignore[arg-type]


def test_followup_sheet_is_kept_for_a_finished_call_and_replaced_when_saved_again(store: Store) -> None:
    trainee = store.upsert_trainee("Dupont", "Élodie", "Soléo")
    attempt = _call(store, trainee.id)
    store.add_event(attempt, {"type": "reply", "text": "Bonjour", "at": 1.0})
    with pytest.raises(StoreError):  # the call is not over yet
        store.save_followup(attempt, {"date": "17/11/2026"}, 50, {"fields": []})
    store.finish_attempt(attempt, 62, False, {"scorecard": {}})
    saved = store.save_followup(attempt, {"date": "17/11/2026"}, 58, {"fields": [{"field": "date", "ok": True}]})
    assert saved.score == 58 and saved.sheet == {"date": "17/11/2026"}
    store.save_followup(attempt, {"date": "18/11/2026"}, 100, {"fields": []})
    assert store.followup(attempt).score == 100  # type: ignore[union-attr]
    assert list(store.followups(trainee.id)) == [attempt]
    assert store.followups(trainee.id + 1) == {}
    quiz = store.start_attempt(trainee.id, "quiz", "q", "p", "1", "h", 1)
    store.finish_attempt(quiz, 10, False, {})
    with pytest.raises(UsageError):
        store.save_followup(quiz, {}, 0, {})
    with pytest.raises(NotFoundError):
        store.save_followup(999, {}, 0, {})


def test_a_retry_names_the_attempt_it_retries(store: Store) -> None:
    trainee = store.upsert_trainee("Dupont", "Élodie", "Soléo")
    other = store.upsert_trainee("Roy", "Léa", "Soléo")
    first = _call(store, trainee.id)
    store.abandon_attempt(first)
    retry = _call(store, trainee.id, retry_of=first, retry_from=3)
    attempt = store.attempt(retry)
    assert (attempt.retry_of, attempt.retry_from) == (first, 3)
    assert store.attempt(first).retry_of is None
    with pytest.raises(NotFoundError):  # another trainee's attempt cannot be retried
        _call(store, other.id, retry_of=first, retry_from=0)


def test_drill_cards_are_saved_listed_by_due_date_and_reviewed(store: Store) -> None:
    trainee = store.upsert_trainee("Dupont", "Élodie", "Soléo")
    common = dict(
        kind="objection", target="cheque-parti", title="Le chèque est parti", case_id="leroy", pack_id="p",
        pack_hash="sha256:00", seed=4, replies=["Bonjour", "Madame Leroy ?"], debtor_line="Le chèque est parti.",
        source_attempt=None,
    )
    later = store.save_drill(trainee.id, "objection:cheque-parti", card={"s": 1}, due="2026-11-25T09:00:00.000Z", **common)
    sooner = store.save_drill(
        trainee.id, "step:presentation", card={"s": 2}, due="2026-11-24T09:00:00.000Z",
        **{**common, "kind": "step", "target": "presentation", "title": "Se présenter"},
    )
    assert [d.key for d in store.drills(trainee.id)] == ["step:presentation", "objection:cheque-parti"]
    assert store.drills(trainee.id, due_by=datetime(2026, 11, 24, 12, tzinfo=UTC)) == [sooner]
    assert store.count_due_drills(trainee.id, datetime(2026, 11, 23, tzinfo=UTC)) == 0
    assert store.count_due_drills(trainee.id, datetime(2026, 11, 26, tzinfo=UTC)) == 2
    # Saving the same key again refreshes the context, keeps one card.
    again = store.save_drill(trainee.id, "objection:cheque-parti", card={"s": 3}, due=later.due,
                             **{**common, "replies": ["Allô"]})
    assert again.id == later.id and again.replies == ("Allô",) and len(store.drills(trainee.id)) == 2
    reviewed = store.review_drill(later.id, card={"s": 4}, due="2026-12-01T09:00:00.000Z", source="drill", score=82,
                                  rating=3, reply="Je comprends, quel est le numéro du chèque ?")
    assert reviewed.card == {"s": 4} and reviewed.due.startswith("2026-12-01") and reviewed.reviews == 1
    assert [r["score"] for r in store.drill_reviews(later.id)] == [82]
    with pytest.raises(NotFoundError):
        store.review_drill(999, card={}, due="x", source="drill", score=0, rating=1)


def test_a_schema_1_store_is_upgraded_in_place(tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL, description TEXT NOT NULL)")
    version, description, script = MIGRATIONS[0]
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)
    conn.execute("INSERT INTO schema_version VALUES (1, '2026-01-01', ?)", (description,))
    conn.execute("PRAGMA application_id = 1380273217")
    conn.execute("INSERT INTO trainees (nom, prenom, organisation, key, created) VALUES ('A', 'B', 'C', 'a|b|c', 'x')")
    conn.execute(
        "INSERT INTO attempts (trainee_id, kind, ref, pack_id, pack_version, pack_hash, seed, started_at) "
        "VALUES (1, 'call', 'leroy', 'p', '1', 'h', 3, '2026-01-01')"
    )
    conn.commit()
    conn.close()
    with Store.open(path, now=clock) as store:
        (attempt,) = store.attempts()
        assert attempt.retry_of is None and attempt.ref == "leroy"
        assert store.drills() == []


def test_relance_now_starts_the_clock_at_a_chosen_moment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RELANCE_NOW", "2026-11-18T09:00")
    moment = default_clock()()
    assert moment.date().isoformat() == "2026-11-18" and moment.tzinfo is not None
    monkeypatch.setenv("RELANCE_NOW", "demain")
    with pytest.raises(UsageError):
        default_clock()
