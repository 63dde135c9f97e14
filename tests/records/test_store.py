"""The SQLite store: schema, API, clock, foreign and damaged files, concurrent writers."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from simulator.errors import NotFoundError, StoreError, UsageError
from simulator.records.store import APPLICATION_ID, SCHEMA_VERSION, Store, default_store_path

from .conftest import FakeClock


def test_new_store_has_application_id_wal_and_schema_version(tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / "deep" / "folder" / "relance.sqlite3"
    with Store.open(path, now=clock) as store:
        assert store.check() == "ok"
        assert store.uuid
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()


def test_default_path_honours_relance_home(relance_home: Path) -> None:
    assert default_store_path() == relance_home / "data" / "relance.sqlite3"
    with Store.open() as store:
        assert store.path == relance_home / "data" / "relance.sqlite3"
    assert (relance_home / "data" / "relance.sqlite3").exists()


def test_locate_prints_the_store_path(relance_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from simulator.cli import main

    assert main(["locate", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["store"] == str(default_store_path())


def test_reopen_keeps_data_and_uuid(tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / "s.sqlite3"
    with Store.open(path, now=clock) as store:
        trainee = store.upsert_trainee("Dupont", "Élodie", "Soléo")
        first_uuid = store.uuid
    with Store.open(path, now=clock) as store:
        assert store.trainee(trainee.id) == trainee
        assert store.uuid == first_uuid


def test_trainee_upsert_is_case_insensitive_and_keeps_email(store: Store) -> None:
    a = store.upsert_trainee("Dupont", "Élodie", "Soléo Emballages", "e@example.fr")
    b = store.upsert_trainee("  DUPONT ", "élodie", "soléo  emballages")
    assert a.id == b.id
    assert b.email == "e@example.fr"
    assert len(store.trainees()) == 1
    with pytest.raises(UsageError):
        store.upsert_trainee("", "x", "y")


def test_current_trainee_and_settings(store: Store) -> None:
    assert store.current_trainee() is None
    trainee = store.upsert_trainee("Dupont", "Élodie", "Soléo")
    store.set_current_trainee(trainee.id)
    assert store.current_trainee() == trainee
    with pytest.raises(NotFoundError):
        store.set_current_trainee(999)
    store.set_setting("language", "fr")
    assert store.get_setting("language") == "fr"
    assert store.get_setting("missing", "default") == "default"
    store.set_setting("language", None)
    assert store.get_setting("language") is None


def test_sessions_and_enrolment(store: Store) -> None:
    session = store.create_session("S1", "Relance", objectives=["A", " ", "B"], planned_hours=7.5)
    assert session.objectives == ("A", "B")
    with pytest.raises(UsageError):
        store.create_session("S1", "Autre")
    trainee = store.upsert_trainee("Dupont", "Élodie", "Soléo", session_code="S1")
    assert [s.code for s in store.trainee_sessions(trainee.id)] == ["S1"]
    with pytest.raises(NotFoundError):
        store.upsert_trainee("Martin", "Hugo", "X", session_code="NOPE")
    assert store.current_session() is None
    store.set_current_session(session.id)
    assert store.current_session() == session


def test_attempt_lifecycle_with_injected_clock(store: Store) -> None:
    trainee = store.upsert_trainee("Dupont", "Élodie", "Soléo")
    attempt_id = store.start_attempt(trainee.id, "quiz", "q1", "pack", "1.0", "sha256:00", 4, module="m1",
                                     dependencies={"dep": "sha256:11"})
    assert [a.id for a in store.open_attempts(trainee.id)] == [attempt_id]
    assert store.add_event(attempt_id, {"type": "answer", "question": "a", "response": "1 234,5 €"}) == 1
    assert store.add_event(attempt_id, {"type": "answer", "question": "b", "response": [1, 2]}) == 2
    assert store.events(attempt_id)[0]["response"] == "1 234,5 €"
    store.finish_attempt(attempt_id, 75.0, True, {"totals": {"raw": 3, "max": 4, "percent": 75.0}})
    attempt = store.attempt(attempt_id)
    assert attempt.status == "finished"
    assert attempt.started_at == "2026-11-23T09:00:04.000Z"  # ticks: two schema versions, trainee, start
    assert attempt.duration == 3.0  # three ticks: two events, then the finish
    assert attempt.passed is True and attempt.score == 75.0
    assert attempt.result == {"totals": {"raw": 3, "max": 4, "percent": 75.0}}
    assert attempt.dependencies == {"dep": "sha256:11"} and attempt.module == "m1"
    assert store.open_attempts(trainee.id) == []
    with pytest.raises(StoreError):
        store.add_event(attempt_id, {"late": True})
    with pytest.raises(StoreError):
        store.finish_attempt(attempt_id, 1, False, {})
    with pytest.raises(ValueError):
        store.start_attempt(trainee.id, "essay", "x", "p", "1", "h", 0)
    with pytest.raises(NotFoundError):
        store.start_attempt(999, "quiz", "x", "p", "1", "h", 0)


def test_abandon_and_filters(store: Store) -> None:
    a = store.upsert_trainee("A", "A", "")
    b = store.upsert_trainee("B", "B", "")
    first = store.start_attempt(a.id, "call", "c", "p", "1", "h", 1)
    store.start_attempt(b.id, "quiz", "q", "p", "1", "h", 1)
    store.abandon_attempt(first, duration=12.345)
    assert store.attempt(first).status == "abandoned"
    assert store.attempt(first).duration == 12.35
    assert [x.kind for x in store.attempts(kind="quiz")] == ["quiz"]
    assert [x.id for x in store.attempts(a.id)] == [first]
    assert len(store.attempts()) == 2


def test_batch_groups_writes_and_rolls_back(store: Store) -> None:
    trainee = store.upsert_trainee("A", "A", "")
    with store.batch():
        for i in range(5):
            store.start_attempt(trainee.id, "quiz", f"q{i}", "p", "1", "h", i)
    assert len(store.attempts()) == 5
    with pytest.raises(RuntimeError), store.batch():
        store.start_attempt(trainee.id, "quiz", "lost", "p", "1", "h", 0)
        raise RuntimeError("boom")
    assert len(store.attempts()) == 5


# --------------------------------------------------------------------------- foreign and damaged files


def _refused(path: Path, clock: FakeClock, expected: str) -> None:
    before = path.read_bytes()
    with pytest.raises(StoreError) as info:
        Store.open(path, now=clock)
    assert expected in info.value.message
    assert path.read_bytes() == before


def test_non_sqlite_file_is_refused_and_untouched(tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / "relance.sqlite3"
    path.write_bytes(b"Ceci n'est pas une base.\n" * 200)
    _refused(path, clock, "pas une base SQLite")


def test_short_file_is_refused(tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / "relance.sqlite3"
    path.write_bytes(b"SQLite format 3\x00abc")
    _refused(path, clock, "pas une base SQLite")


def test_foreign_sqlite_database_is_refused_and_untouched(tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / "relance.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount REAL)")
    conn.execute("INSERT INTO invoices (amount) VALUES (4800)")
    conn.commit()
    conn.close()
    _refused(path, clock, "autre application")
    assert not Path(str(path) + "-wal").exists()


def test_other_application_id_is_refused(tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / "relance.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 1234")
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    _refused(path, clock, "autre application")


def test_newer_schema_is_refused(tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / "relance.sqlite3"
    Store.open(path, now=clock).close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO schema_version VALUES (99, 'x', 'future')")
    conn.commit()
    conn.close()
    _refused(path, clock, "plus récente")


def test_corrupt_store_is_refused_and_untouched(tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / "relance.sqlite3"
    with Store.open(path, now=clock) as store:
        trainee = store.upsert_trainee("A", "A", "")
        with store.batch():
            for i in range(200):
                store.start_attempt(trainee.id, "quiz", f"q{i}", "p", "1", "h" * 50, i)
    data = bytearray(path.read_bytes())
    page = 4096
    assert len(data) > 4 * page
    for offset in range(page, len(data), page):  # every page but the header's
        data[offset : offset + 64] = b"\xff" * 64
    path.write_bytes(bytes(data))
    _refused(path, clock, "endommagée")


def test_empty_file_is_initialised(tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / "relance.sqlite3"
    path.write_bytes(b"")
    with Store.open(path, now=clock) as store:
        assert store.check() == "ok"


def test_directory_in_place_of_the_store(tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / "relance.sqlite3"
    path.mkdir()
    with pytest.raises(StoreError):
        Store.open(path, now=clock)


def test_cli_reports_a_foreign_store_without_traceback(relance_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from simulator.cli import main

    path = default_store_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\x00garbage" * 100)
    assert main(["trainee", "list"]) == 1
    err = capsys.readouterr().err
    assert "pas une base" in err and "Traceback" not in err
    assert path.read_bytes() == b"\x00garbage" * 100


# --------------------------------------------------------------------------- concurrency


def test_two_connections_in_threads_interleave_writes(tmp_path: Path) -> None:
    path = tmp_path / "relance.sqlite3"
    first = Store.open(path)
    second = Store.open(path)
    trainee = first.upsert_trainee("A", "A", "")
    ids = [first.start_attempt(trainee.id, "call", "c", "p", "1", "h", 0) for _ in range(2)]
    errors: list[BaseException] = []

    def write(store: Store, attempt_id: int) -> None:
        try:
            for i in range(60):
                store.add_event(attempt_id, {"i": i})
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(s, a)) for s, a in zip((first, second), ids, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert [e["i"] for e in first.events(ids[0])] == list(range(60))
    assert [e["i"] for e in second.events(ids[1])] == list(range(60))
    assert first.check() == "ok"
    first.close()
    second.close()


def test_second_process_writes_while_we_write(tmp_path: Path) -> None:
    path = tmp_path / "relance.sqlite3"
    with Store.open(path) as store:
        trainee = store.upsert_trainee("A", "A", "")
        mine = store.start_attempt(trainee.id, "call", "c", "p", "1", "h", 0)
        theirs = store.start_attempt(trainee.id, "call", "c", "p", "1", "h", 0)
        code = textwrap.dedent(
            f"""
            from simulator.records.store import Store
            with Store.open({str(path)!r}) as s:
                for i in range(150):
                    s.add_event({theirs}, {{"i": i}})
            print("done")
            """
        )
        child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for i in range(150):
            store.add_event(mine, {"i": i})
        out, err = child.communicate(timeout=60)
        assert child.returncode == 0, err
        assert "done" in out
        assert len(store.events(mine)) == 150
        assert [e["i"] for e in store.events(theirs)] == list(range(150))
        assert store.check() == "ok"
