"""The trainee's store: one SQLite file holding trainees, training sessions, attempts and events.

Why SQLite and how it is used:

* **WAL journal, ``synchronous=FULL``, one committed transaction per event.** A reply or an
  answer is on disk when :meth:`Store.add_event` returns; a ``kill -9`` at any moment loses at
  most the event being written. Writes take the write lock up front (``BEGIN IMMEDIATE``),
  so a second process writing at the same time waits (busy timeout) and retries a bounded
  number of times instead of failing or corrupting anything.
* **Recognisable file.** ``PRAGMA application_id`` is :data:`APPLICATION_ID` ("RELA"). A file
  that is not SQLite, or a SQLite file of another application, or a damaged one, gives a
  clear :class:`~simulator.errors.StoreError`; it is inspected read-only first and never
  written to.
* **Schema version table and migrations.** :data:`MIGRATIONS` is applied in order, each in
  its own transaction; a store written by a newer Relance is refused rather than damaged.
* **Injected clock.** Every timestamp comes from the ``now`` callable given to
  :meth:`Store.open`, so tests and benchmarks are deterministic.
* **Generic attempts.** A call, a quiz, a case study or a questionnaire is one ``attempts``
  row (kind, reference, pack id/version/hash, seed, times, score, pass, result as JSON);
  its replies or answers are ``events`` rows committed as they happen. A retried call
  names the attempt it retries (``retry_of``) and how many of its replies it kept
  (``retry_from``).
* **Follow-up sheets and drills beside the attempts.** The follow-up sheet of a call is
  written after the call is closed, so it has its own table (``followups``), never an event
  of a closed attempt. Drill cards (``drills``) keep the spaced-repetition state as JSON and
  its due time as text, so the store needs no scheduler to list what is due.

The Textual app and the headless commands use this API; nothing here imports Textual.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple, Self

from simulator.errors import NotFoundError, StoreError, UsageError

__all__ = [
    "APPLICATION_ID",
    "ATTEMPT_KINDS",
    "ATTEMPT_STATUSES",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "STORE_NAME",
    "Attempt",
    "Clock",
    "Drill",
    "FollowUp",
    "Store",
    "Trainee",
    "TrainingSession",
    "default_clock",
    "end_of_day",
    "default_store_path",
    "iso",
    "parse_iso",
]

STORE_NAME = "relance.sqlite3"
"""File name of the store inside :func:`simulator.locations.data_dir`."""

APPLICATION_ID = 0x52454C41
"""``PRAGMA application_id`` of a Relance store: the bytes "RELA"."""

ATTEMPT_KINDS = ("call", "quiz", "case-study", "questionnaire")
ATTEMPT_STATUSES = ("open", "finished", "abandoned")

BUSY_TIMEOUT_MS = 5000
"""How long SQLite waits for another writer before reporting the store busy."""
LOCK_RETRIES = 4
"""Extra attempts to take the write lock after a busy timeout (bounded)."""

Clock = Callable[[], datetime]

_SQLITE_MAGIC = b"SQLite format 3\x00"


def _utc_now() -> datetime:
    return datetime.now(UTC)


def end_of_day(now: datetime) -> datetime:
    """The last second of ``now``'s day in the machine's time zone (« today's » drill cards)."""
    return now.astimezone().replace(hour=23, minute=59, second=59, microsecond=0)


def default_clock() -> Clock:
    """The wall clock, or a clock starting at ``RELANCE_NOW`` (ISO date or date-time).

    ``RELANCE_NOW`` is a seam for demonstrations and tests (« a drill due the next day »):
    the clock starts at that moment and then runs in real time, so durations stay true.
    A value that is not a date is refused with a clear :class:`UsageError`.
    """
    import os

    value = os.environ.get("RELANCE_NOW", "").strip()
    if not value:
        return _utc_now
    try:
        start = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(
            f"RELANCE_NOW ne contient pas une date lisible : {value!r}",
            "écrivez une date ISO, par exemple 2026-11-18 ou 2026-11-18T09:00",
        ) from None
    if start.tzinfo is None:
        start = start.replace(tzinfo=UTC)
    origin = time.monotonic()

    def shifted() -> datetime:
        from datetime import timedelta

        return start + timedelta(seconds=time.monotonic() - origin)

    return shifted


def iso(moment: datetime) -> str:
    """ISO 8601 UTC text with milliseconds and a ``Z``: ``2026-11-23T15:24:00.000Z``."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_iso(text: str) -> datetime:
    """The aware datetime of a timestamp written by :func:`iso`."""
    return datetime.fromisoformat(text)


def default_store_path() -> Path:
    """``data_dir()/relance.sqlite3`` (``RELANCE_HOME`` honoured)."""
    from simulator.locations import data_dir

    return data_dir() / STORE_NAME


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class Trainee:
    """A trainee (stagiaire): the beneficiary named on attestations."""

    id: int
    nom: str
    prenom: str
    organisation: str
    email: str = ""
    created: str = ""

    @property
    def full_name(self) -> str:
        return f"{self.prenom} {self.nom}".strip()


@dataclass(frozen=True)
class TrainingSession:
    """A training session (action de formation) as the attestation states it."""

    id: int
    code: str
    title: str
    objectives: tuple[str, ...] = ()
    nature: str = "action de formation"
    start_date: str | None = None
    end_date: str | None = None
    planned_hours: float | None = None
    organisation: str = ""
    trainer: str = ""
    place: str = ""
    created: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "title": self.title,
            "objectives": list(self.objectives),
            "nature": self.nature,
            "start_date": self.start_date,
            "end_date": self.end_date,
            "planned_hours": self.planned_hours,
            "organisation": self.organisation,
            "trainer": self.trainer,
            "place": self.place,
        }


@dataclass(frozen=True)
class Attempt:
    """One call, quiz, case study or questionnaire taken by a trainee.

    ``score`` is a percentage (0–100) or None (self-assessment); ``duration`` is in
    seconds; ``result`` is the engine's JSON result (a call transcript, a quiz result…);
    ``dependencies`` maps the ids of the packs the attempt used besides ``pack_id`` to
    their hashes.
    """

    id: int
    trainee_id: int
    session_id: int | None
    kind: str
    ref: str
    module: str | None
    pack_id: str
    pack_version: str
    pack_hash: str
    seed: int
    started_at: str
    finished_at: str | None
    duration: float | None
    status: str
    score: float | None
    passed: bool | None
    result: dict[str, Any] | None = field(default=None, compare=False)
    transcript_hash: str | None = None
    dependencies: dict[str, str] = field(default_factory=dict, compare=False)
    retry_of: int | None = None
    """The attempt this one retries (« Rejouer à partir d'ici »), if any."""
    retry_from: int | None = None
    """How many trainee replies of ``retry_of`` were kept before the retry began."""


_ATTEMPT_COLUMNS = (
    "id, trainee_id, session_id, kind, ref, module, pack_id, pack_version, pack_hash, seed, "
    "started_at, finished_at, duration, status, score, passed, result, transcript_hash, dependencies, "
    "retry_of, retry_from"
)


class FollowUp(NamedTuple):
    """The follow-up sheet (main courante) written after a call, with its grading.

    (A named tuple, like :class:`Drill`: cheaper to define than a dataclass, and this
    module is imported when the app starts.)"""

    attempt_id: int
    saved_at: str
    score: float
    sheet: dict[str, str]
    result: dict[str, Any]


class Drill(NamedTuple):
    """A drill card: one step or objection a trainee handled poorly, in its context.

    ``replies`` are the trainee's replies that lead, with ``seed``, from the start of
    ``case_id`` to the moment the debtor said ``debtor_line``; ``card`` is the
    spaced-repetition state (JSON) and ``due`` when the card is next due (ISO UTC).
    """

    id: int
    trainee_id: int
    key: str
    kind: str
    target: str
    title: str
    case_id: str
    pack_id: str
    pack_hash: str
    seed: int
    replies: tuple[str, ...]
    debtor_line: str
    source_attempt: int | None
    card: dict[str, Any]
    due: str
    created: str
    updated: str
    reviews: int = 0


_DRILL_COLUMNS = (
    "id, trainee_id, key, kind, target, title, case_id, pack_id, pack_hash, seed, replies, debtor_line, "
    "source_attempt, card, due, created, updated, "
    "(SELECT COUNT(*) FROM drill_reviews r WHERE r.drill_id = drills.id)"
)


def _drill(row: Sequence[Any]) -> Drill:
    return Drill(
        id=row[0],
        trainee_id=row[1],
        key=row[2],
        kind=row[3],
        target=row[4],
        title=row[5],
        case_id=row[6],
        pack_id=row[7],
        pack_hash=row[8],
        seed=row[9],
        replies=tuple(json.loads(row[10])),
        debtor_line=row[11],
        source_attempt=row[12],
        card=json.loads(row[13]),
        due=row[14],
        created=row[15],
        updated=row[16],
        reviews=row[17],
    )


def _attempt(row: Sequence[Any]) -> Attempt:
    return Attempt(
        id=row[0],
        trainee_id=row[1],
        session_id=row[2],
        kind=row[3],
        ref=row[4],
        module=row[5],
        pack_id=row[6],
        pack_version=row[7],
        pack_hash=row[8],
        seed=row[9],
        started_at=row[10],
        finished_at=row[11],
        duration=row[12],
        status=row[13],
        score=row[14],
        passed=None if row[15] is None else bool(row[15]),
        result=json.loads(row[16]) if row[16] is not None else None,
        transcript_hash=row[17],
        dependencies=json.loads(row[18]) if row[18] else {},
        retry_of=row[19],
        retry_from=row[20],
    )


def _trainee(row: Sequence[Any]) -> Trainee:
    return Trainee(id=row[0], nom=row[1], prenom=row[2], organisation=row[3], email=row[4], created=row[5])


def _session(row: Sequence[Any]) -> TrainingSession:
    return TrainingSession(
        id=row[0],
        code=row[1],
        title=row[2],
        objectives=tuple(json.loads(row[3] or "[]")),
        nature=row[4],
        start_date=row[5],
        end_date=row[6],
        planned_hours=row[7],
        organisation=row[8],
        trainer=row[9],
        place=row[10],
        created=row[11],
    )


_SESSION_COLUMNS = (
    "id, code, title, objectives, nature, start_date, end_date, planned_hours, organisation, "
    "trainer, place, created"
)


def _json(value: Any) -> str:
    """Stored JSON: sorted keys, UTF-8 kept, compact (byte-identical for equal values)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _key(*parts: str) -> str:
    return "|".join(" ".join(p.split()).casefold() for p in parts)


# --------------------------------------------------------------------------- schema

MIGRATIONS: tuple[tuple[int, str, str], ...] = (
    (
        1,
        "trainees, sessions, enrolments, attempts, events, settings, xAPI sent markers",
        """
        CREATE TABLE settings (
            key   TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE TABLE trainees (
            id           INTEGER PRIMARY KEY,
            nom          TEXT NOT NULL,
            prenom       TEXT NOT NULL,
            organisation TEXT NOT NULL DEFAULT '',
            email        TEXT NOT NULL DEFAULT '',
            key          TEXT NOT NULL UNIQUE,
            created      TEXT NOT NULL
        );
        CREATE TABLE sessions (
            id            INTEGER PRIMARY KEY,
            code          TEXT NOT NULL UNIQUE,
            title         TEXT NOT NULL,
            objectives    TEXT NOT NULL DEFAULT '[]',
            nature        TEXT NOT NULL DEFAULT 'action de formation',
            start_date    TEXT,
            end_date      TEXT,
            planned_hours REAL,
            organisation  TEXT NOT NULL DEFAULT '',
            trainer       TEXT NOT NULL DEFAULT '',
            place         TEXT NOT NULL DEFAULT '',
            created       TEXT NOT NULL
        );
        CREATE TABLE enrolments (
            trainee_id INTEGER NOT NULL REFERENCES trainees(id) ON DELETE CASCADE,
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            created    TEXT NOT NULL,
            PRIMARY KEY (trainee_id, session_id)
        ) WITHOUT ROWID;
        CREATE TABLE attempts (
            id              INTEGER PRIMARY KEY,
            trainee_id      INTEGER NOT NULL REFERENCES trainees(id),
            session_id      INTEGER REFERENCES sessions(id),
            kind            TEXT NOT NULL CHECK (kind IN ('call', 'quiz', 'case-study', 'questionnaire')),
            ref             TEXT NOT NULL,
            module          TEXT,
            pack_id         TEXT NOT NULL,
            pack_version    TEXT NOT NULL,
            pack_hash       TEXT NOT NULL,
            seed            INTEGER NOT NULL,
            started_at      TEXT NOT NULL,
            finished_at     TEXT,
            duration        REAL,
            status          TEXT NOT NULL DEFAULT 'open'
                            CHECK (status IN ('open', 'finished', 'abandoned')),
            score           REAL,
            passed          INTEGER CHECK (passed IN (0, 1)),
            result          TEXT,
            transcript_hash TEXT,
            dependencies    TEXT NOT NULL DEFAULT '{}'
        );
        CREATE INDEX attempts_by_trainee ON attempts (trainee_id, kind, status);
        CREATE INDEX attempts_by_session ON attempts (session_id);
        CREATE TABLE events (
            attempt_id INTEGER NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
            seq        INTEGER NOT NULL,
            at         TEXT NOT NULL,
            payload    TEXT NOT NULL,
            PRIMARY KEY (attempt_id, seq)
        ) WITHOUT ROWID;
        CREATE TABLE xapi_sent (
            endpoint     TEXT NOT NULL,
            statement_id TEXT NOT NULL,
            sent_at      TEXT NOT NULL,
            PRIMARY KEY (endpoint, statement_id)
        ) WITHOUT ROWID;
        """,
    ),
    (
        2,
        "retried attempts, follow-up sheets, drill cards and their reviews",
        """
        ALTER TABLE attempts ADD COLUMN retry_of INTEGER REFERENCES attempts(id);
        ALTER TABLE attempts ADD COLUMN retry_from INTEGER;
        CREATE TABLE followups (
            attempt_id INTEGER PRIMARY KEY REFERENCES attempts(id) ON DELETE CASCADE,
            saved_at   TEXT NOT NULL,
            score      REAL NOT NULL,
            sheet      TEXT NOT NULL,
            result     TEXT NOT NULL
        );
        CREATE TABLE drills (
            id             INTEGER PRIMARY KEY,
            trainee_id     INTEGER NOT NULL REFERENCES trainees(id) ON DELETE CASCADE,
            key            TEXT NOT NULL,
            kind           TEXT NOT NULL CHECK (kind IN ('step', 'objection')),
            target         TEXT NOT NULL,
            title          TEXT NOT NULL,
            case_id        TEXT NOT NULL,
            pack_id        TEXT NOT NULL,
            pack_hash      TEXT NOT NULL,
            seed           INTEGER NOT NULL,
            replies        TEXT NOT NULL,
            debtor_line    TEXT NOT NULL,
            source_attempt INTEGER REFERENCES attempts(id),
            card           TEXT NOT NULL,
            due            TEXT NOT NULL,
            created        TEXT NOT NULL,
            updated        TEXT NOT NULL,
            UNIQUE (trainee_id, key)
        );
        CREATE INDEX drills_due ON drills (trainee_id, due);
        CREATE TABLE drill_reviews (
            drill_id   INTEGER NOT NULL REFERENCES drills(id) ON DELETE CASCADE,
            seq        INTEGER NOT NULL,
            at         TEXT NOT NULL,
            source     TEXT NOT NULL CHECK (source IN ('call', 'drill')),
            attempt_id INTEGER,
            reply      TEXT NOT NULL DEFAULT '',
            score      INTEGER NOT NULL,
            rating     INTEGER NOT NULL,
            PRIMARY KEY (drill_id, seq)
        ) WITHOUT ROWID;
        """,
    ),
)
"""(version, description, SQL) applied in order; never edit a released entry, append one."""

SCHEMA_VERSION = MIGRATIONS[-1][0]


def _is_busy(error: sqlite3.Error) -> bool:
    text = str(error).lower()
    return "locked" in text or "busy" in text


def _store_error(path: Path, error: sqlite3.Error) -> StoreError:
    text = str(error)
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return StoreError(
            f"la base de progression est endommagée : {path} ({text})",
            "elle n'a pas été modifiée ; restaurez une sauvegarde ou déplacez le fichier "
            "(RELANCE_HOME permet d'utiliser un autre dossier)",
        )
    if _is_busy(error):
        return StoreError(
            f"la base de progression est occupée par un autre processus : {path}",
            "réessayez dans un instant",
        )
    if "readonly" in text or "read-only" in text:
        return StoreError(f"la base de progression est en lecture seule : {path}")
    return StoreError(f"erreur de la base de progression {path} : {text}")


def _inspect(path: Path) -> bool:
    """Whether ``path`` holds an initialised Relance store; :class:`StoreError` if foreign/corrupt.

    Only reads the file (its header, then a read-only connection): a file we cannot
    vouch for is never written to.
    """
    if not path.exists():
        return False
    if path.is_dir():
        raise StoreError(f"{path} est un dossier, pas une base de progression")
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError as exc:
        raise StoreError(f"base de progression illisible : {path} ({exc.strerror})") from None
    if not header:
        return False  # an empty file: SQLite treats it as an empty database
    if len(header) < 100 or not header.startswith(_SQLITE_MAGIC):
        raise StoreError(
            f"{path} n'est pas une base de progression Relance (ce n'est pas une base SQLite)",
            "le fichier n'a pas été modifié ; déplacez-le ou choisissez un autre dossier avec RELANCE_HOME",
        )
    application_id = int.from_bytes(header[68:72], "big")
    if application_id not in (0, APPLICATION_ID):
        raise StoreError(
            f"{path} est une base SQLite d'une autre application (application_id {application_id:#x})",
            "le fichier n'a pas été modifié ; déplacez-le ou choisissez un autre dossier avec RELANCE_HOME",
        )
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as error:
        raise _store_error(path, error) from None
    try:
        # The header on disk may predate the write-ahead log: ask SQLite, which reads through it.
        application_id = conn.execute("PRAGMA application_id").fetchone()[0]
        if application_id not in (0, APPLICATION_ID):
            raise StoreError(
                f"{path} est une base SQLite d'une autre application (application_id {application_id:#x})",
                "le fichier n'a pas été modifié ; déplacez-le ou choisissez un autre dossier avec RELANCE_HOME",
            )
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if application_id == 0:
            if tables:
                raise StoreError(
                    f"{path} est une base SQLite d'une autre application",
                    "le fichier n'a pas été modifié ; déplacez-le ou choisissez un autre dossier avec RELANCE_HOME",
                )
            return False
        if "schema_version" not in tables:
            raise StoreError(f"la base de progression {path} est incomplète (table schema_version absente)")
        (version,) = conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_version").fetchone()
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"la base de progression {path} a été créée par une version plus récente de Relance "
                f"(schéma {version}, cette version connaît le schéma {SCHEMA_VERSION})",
                "mettez Relance à jour ; la base n'a pas été modifiée",
            )
        conn.execute("SELECT count(*) FROM attempts").fetchone()
    except sqlite3.Error as error:
        raise _store_error(path, error) from None
    finally:
        conn.close()
    return True


# --------------------------------------------------------------------------- the store


class Store:
    """The SQLite store. Open with :meth:`Store.open`; use as a context manager or call :meth:`close`.

    Thread-safe (one connection behind a lock), so the app's worker threads may share it.
    """

    def __init__(self, conn: sqlite3.Connection, path: Path, now: Clock) -> None:
        self._conn = conn
        self.path = path
        self._now = now
        self._lock = threading.RLock()
        self._depth = 0

    # ------------------------------------------------------------------ lifecycle

    @classmethod
    def open(cls, path: Path | str | None = None, *, now: Clock | None = None) -> Store:
        """Open (creating folders and schema if needed) the store at ``path``.

        Default: ``data_dir()/relance.sqlite3``. A foreign or damaged file raises
        :class:`StoreError` and is left untouched.
        """
        target = Path(path) if path is not None else default_store_path()
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"impossible de créer le dossier {target.parent} ({exc.strerror})") from None
        _inspect(target)
        try:
            conn = sqlite3.connect(
                str(target), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as error:
            raise _store_error(target, error) from None
        store = cls(conn, target, now or default_clock())
        try:
            store._configure()
            store._migrate()
        except sqlite3.Error as error:
            conn.close()
            raise _store_error(target, error) from None
        except BaseException:
            conn.close()
            raise
        return store

    def _configure(self) -> None:
        conn = self._conn
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        for attempt in range(LOCK_RETRIES + 1):
            try:
                mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                break
            except sqlite3.OperationalError as error:
                if not _is_busy(error) or attempt == LOCK_RETRIES:
                    raise
                time.sleep(0.05 * (attempt + 1))
        if str(mode).lower() != "wal":  # pragma: no cover - e.g. a network file system
            raise StoreError(f"impossible d'activer le journal WAL sur {self.path} (mode {mode})")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")

    def _migrate(self) -> None:
        with self._write() as conn:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_version ("
                " version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL, description TEXT NOT NULL)"
            )
            (current,) = conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_version").fetchone()
            if current > SCHEMA_VERSION:
                raise StoreError(
                    f"la base de progression {self.path} a été créée par une version plus récente de Relance",
                    "mettez Relance à jour ; la base n'a pas été modifiée",
                )
            if current == 0:
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            for version, description, script in MIGRATIONS:
                if version <= current:
                    continue
                for statement in script.split(";"):
                    if statement.strip():
                        conn.execute(statement)
                conn.execute(
                    "INSERT INTO schema_version (version, applied_at, description) VALUES (?, ?, ?)",
                    (version, self._stamp(), description),
                )
            if current == 0:
                conn.execute(
                    "INSERT OR IGNORE INTO settings (key, value) VALUES ('store.uuid', ?)",
                    (_json(str(__import__("uuid").uuid4())),),
                )

    def close(self) -> None:
        """Close the connection (a WAL checkpoint folds committed events into the main file)."""
        with self._lock:
            try:
                self._conn.close()
            except sqlite3.Error:  # pragma: no cover
                pass

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ transactions

    def _stamp(self) -> str:
        return iso(self._now())

    def now(self) -> datetime:
        """The store's clock (injected at :meth:`open`): every timestamp and due date uses it."""
        return self._now()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (``BEGIN IMMEDIATE``), retried while another process holds the lock."""
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self._conn
                finally:
                    self._depth -= 1
                return
            for attempt in range(LOCK_RETRIES + 1):
                try:
                    self._conn.execute("BEGIN IMMEDIATE")
                    break
                except sqlite3.OperationalError as error:
                    if not _is_busy(error) or attempt == LOCK_RETRIES:
                        raise _store_error(self.path, error) from None
                    time.sleep(0.05 * (2**attempt))
                except sqlite3.Error as error:
                    raise _store_error(self.path, error) from None
            self._depth = 1
            try:
                yield self._conn
            except sqlite3.Error as error:
                self._rollback()
                raise _store_error(self.path, error) from None
            except BaseException:
                self._rollback()
                raise
            else:
                try:
                    self._conn.execute("COMMIT")
                except sqlite3.Error as error:
                    self._rollback()
                    raise _store_error(self.path, error) from None
            finally:
                self._depth = 0

    def _rollback(self) -> None:
        try:
            self._conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                yield self._conn
            except sqlite3.Error as error:
                raise _store_error(self.path, error) from None

    @contextmanager
    def batch(self) -> Iterator[Store]:
        """Group several writes into one transaction (imports, benchmarks); nests freely."""
        with self._write():
            yield self

    def check(self) -> str:
        """``PRAGMA integrity_check``: ``"ok"`` or SQLite's description of the damage."""
        with self._read() as conn:
            rows = conn.execute("PRAGMA integrity_check").fetchall()
        return "\n".join(str(r[0]) for r in rows)

    @property
    def uuid(self) -> str:
        """A random id given to the store when it was created (xAPI statement ids derive from it)."""
        return str(self.get_setting("store.uuid", ""))

    # ------------------------------------------------------------------ settings

    def get_setting(self, key: str, default: Any = None) -> Any:
        with self._read() as conn:
            row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else default

    def set_setting(self, key: str, value: Any) -> None:
        """Store a JSON-serialisable value; ``None`` deletes the setting."""
        with self._write() as conn:
            if value is None:
                conn.execute("DELETE FROM settings WHERE key = ?", (key,))
            else:
                conn.execute(
                    "INSERT INTO settings (key, value) VALUES (?, ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (key, _json(value)),
                )

    def settings(self) -> dict[str, Any]:
        with self._read() as conn:
            rows = conn.execute("SELECT key, value FROM settings ORDER BY key").fetchall()
        return {k: json.loads(v) for k, v in rows}

    # ------------------------------------------------------------------ trainees

    def upsert_trainee(
        self, nom: str, prenom: str, organisation: str, email: str = "", session_code: str = ""
    ) -> Trainee:
        """The trainee with this name and organisation (case-insensitive), created if new.

        A non-empty ``email`` replaces the stored one; ``session_code`` enrols the trainee
        in that session (:class:`NotFoundError` if no session has this code).
        """
        nom, prenom, organisation, email = (" ".join(s.split()) for s in (nom, prenom, organisation, email))
        if not nom or not prenom:
            raise UsageError("le nom et le prénom du stagiaire sont obligatoires")
        key = _key(nom, prenom, organisation)
        with self._write() as conn:
            row = conn.execute("SELECT id FROM trainees WHERE key = ?", (key,)).fetchone()
            if row is None:
                trainee_id = conn.execute(
                    "INSERT INTO trainees (nom, prenom, organisation, email, key, created) VALUES (?, ?, ?, ?, ?, ?)",
                    (nom, prenom, organisation, email, key, self._stamp()),
                ).lastrowid
            else:
                trainee_id = row[0]
                conn.execute(
                    "UPDATE trainees SET nom = ?, prenom = ?, organisation = ?, "
                    "email = CASE WHEN ? = '' THEN email ELSE ? END WHERE id = ?",
                    (nom, prenom, organisation, email, email, trainee_id),
                )
            if session_code:
                session = self._session_by_code(conn, session_code)
                conn.execute(
                    "INSERT OR IGNORE INTO enrolments (trainee_id, session_id, created) VALUES (?, ?, ?)",
                    (trainee_id, session.id, self._stamp()),
                )
        assert trainee_id is not None
        return self.trainee(trainee_id)

    def trainee(self, trainee_id: int) -> Trainee:
        """The trainee with this id; :class:`NotFoundError` otherwise."""
        with self._read() as conn:
            row = conn.execute(
                "SELECT id, nom, prenom, organisation, email, created FROM trainees WHERE id = ?", (trainee_id,)
            ).fetchone()
        if row is None:
            raise NotFoundError(f"stagiaire n° {trainee_id} inconnu", "`relance trainee list` affiche les stagiaires")
        return _trainee(row)

    def trainees(self) -> list[Trainee]:
        with self._read() as conn:
            rows = conn.execute(
                "SELECT id, nom, prenom, organisation, email, created FROM trainees ORDER BY id"
            ).fetchall()
        return [_trainee(r) for r in rows]

    def current_trainee(self) -> Trainee | None:
        trainee_id = self.get_setting("current_trainee")
        if trainee_id is None:
            return None
        try:
            return self.trainee(int(trainee_id))
        except NotFoundError:
            return None

    def set_current_trainee(self, trainee_id: int | None) -> None:
        if trainee_id is not None:
            self.trainee(trainee_id)
        self.set_setting("current_trainee", trainee_id)

    # ------------------------------------------------------------------ sessions

    def create_session(
        self,
        code: str,
        title: str,
        *,
        objectives: Sequence[str] = (),
        nature: str = "action de formation",
        start_date: str | None = None,
        end_date: str | None = None,
        planned_hours: float | None = None,
        organisation: str = "",
        trainer: str = "",
        place: str = "",
    ) -> TrainingSession:
        """A new training session; :class:`UsageError` if the code is taken."""
        code = code.strip()
        if not code or not title.strip():
            raise UsageError("le code et l'intitulé de la session sont obligatoires")
        with self._write() as conn:
            if conn.execute("SELECT 1 FROM sessions WHERE code = ?", (code,)).fetchone():
                raise UsageError(f"une session de code `{code}` existe déjà")
            session_id = conn.execute(
                "INSERT INTO sessions (code, title, objectives, nature, start_date, end_date, planned_hours, "
                "organisation, trainer, place, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    code,
                    title.strip(),
                    _json([o.strip() for o in objectives if o.strip()]),
                    nature.strip() or "action de formation",
                    start_date,
                    end_date,
                    planned_hours,
                    organisation.strip(),
                    trainer.strip(),
                    place.strip(),
                    self._stamp(),
                ),
            ).lastrowid
        assert session_id is not None
        return self.session(session_id)

    def _session_by_code(self, conn: sqlite3.Connection, code: str) -> TrainingSession:
        row = conn.execute(f"SELECT {_SESSION_COLUMNS} FROM sessions WHERE code = ?", (code.strip(),)).fetchone()
        if row is None:
            raise NotFoundError(f"session `{code}` inconnue", "`relance session list` affiche les sessions")
        return _session(row)

    def session(self, session_id: int) -> TrainingSession:
        with self._read() as conn:
            row = conn.execute(f"SELECT {_SESSION_COLUMNS} FROM sessions WHERE id = ?", (session_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"session n° {session_id} inconnue", "`relance session list` affiche les sessions")
        return _session(row)

    def session_by_code(self, code: str) -> TrainingSession:
        with self._read() as conn:
            return self._session_by_code(conn, code)

    def sessions(self) -> list[TrainingSession]:
        with self._read() as conn:
            rows = conn.execute(f"SELECT {_SESSION_COLUMNS} FROM sessions ORDER BY id").fetchall()
        return [_session(r) for r in rows]

    def current_session(self) -> TrainingSession | None:
        session_id = self.get_setting("current_session")
        if session_id is None:
            return None
        try:
            return self.session(int(session_id))
        except NotFoundError:
            return None

    def set_current_session(self, session_id: int | None) -> None:
        if session_id is not None:
            self.session(session_id)
        self.set_setting("current_session", session_id)

    def enrol(self, trainee_id: int, session_id: int) -> None:
        with self._write() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO enrolments (trainee_id, session_id, created) VALUES (?, ?, ?)",
                (trainee_id, session_id, self._stamp()),
            )

    def trainee_sessions(self, trainee_id: int) -> list[TrainingSession]:
        """Sessions the trainee is enrolled in, oldest first."""
        with self._read() as conn:
            rows = conn.execute(
                f"SELECT {', '.join('s.' + c.strip() for c in _SESSION_COLUMNS.split(','))} FROM sessions s "
                "JOIN enrolments e ON e.session_id = s.id WHERE e.trainee_id = ? ORDER BY s.id",
                (trainee_id,),
            ).fetchall()
        return [_session(r) for r in rows]

    # ------------------------------------------------------------------ attempts

    def start_attempt(
        self,
        trainee_id: int,
        kind: str,
        ref: str,
        pack_id: str,
        pack_version: str,
        pack_hash: str,
        seed: int,
        session_id: int | None = None,
        *,
        module: str | None = None,
        dependencies: Mapping[str, str] | None = None,
        retry_of: int | None = None,
        retry_from: int | None = None,
    ) -> int:
        """Open an attempt (status ``open``) and return its id.

        ``retry_of`` links a retried call to the attempt it retries; ``retry_from`` is the
        number of that attempt's replies kept before the retry.
        """
        if kind not in ATTEMPT_KINDS:
            raise ValueError(f"unknown attempt kind {kind!r} (expected one of {ATTEMPT_KINDS})")
        with self._write() as conn:
            if conn.execute("SELECT 1 FROM trainees WHERE id = ?", (trainee_id,)).fetchone() is None:
                raise NotFoundError(f"stagiaire n° {trainee_id} inconnu")
            if session_id is not None and conn.execute(
                "SELECT 1 FROM sessions WHERE id = ?", (session_id,)
            ).fetchone() is None:
                raise NotFoundError(f"session n° {session_id} inconnue")
            if retry_of is not None and conn.execute(
                "SELECT 1 FROM attempts WHERE id = ? AND trainee_id = ?", (retry_of, trainee_id)
            ).fetchone() is None:
                raise NotFoundError(f"tentative n° {retry_of} inconnue pour ce stagiaire")
            attempt_id = conn.execute(
                "INSERT INTO attempts (trainee_id, session_id, kind, ref, module, pack_id, pack_version, pack_hash, "
                "seed, started_at, dependencies, retry_of, retry_from) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    trainee_id,
                    session_id,
                    kind,
                    ref,
                    module,
                    pack_id,
                    pack_version,
                    pack_hash,
                    int(seed),
                    self._stamp(),
                    _json(dict(dependencies or {})),
                    retry_of,
                    retry_from,
                ),
            ).lastrowid
        assert attempt_id is not None
        return attempt_id

    def add_event(self, attempt_id: int, payload: Mapping[str, Any]) -> int:
        """Record one reply/answer of an open attempt, committed before returning; returns its seq (1, 2…)."""
        text = _json(dict(payload))
        with self._write() as conn:
            row = conn.execute("SELECT status FROM attempts WHERE id = ?", (attempt_id,)).fetchone()
            if row is None:
                raise NotFoundError(f"tentative n° {attempt_id} inconnue")
            if row[0] != "open":
                raise StoreError(f"la tentative n° {attempt_id} est close ({row[0]}) : plus aucune réponse n'y est ajoutée")
            (seq,) = conn.execute(
                "SELECT COALESCE(MAX(seq), 0) + 1 FROM events WHERE attempt_id = ?", (attempt_id,)
            ).fetchone()
            conn.execute(
                "INSERT INTO events (attempt_id, seq, at, payload) VALUES (?, ?, ?, ?)",
                (attempt_id, seq, self._stamp(), text),
            )
        return int(seq)

    def events(self, attempt_id: int) -> list[dict[str, Any]]:
        """The payloads of an attempt's events, in order."""
        with self._read() as conn:
            rows = conn.execute(
                "SELECT payload FROM events WHERE attempt_id = ? ORDER BY seq", (attempt_id,)
            ).fetchall()
        return [json.loads(r[0]) for r in rows]

    def event_rows(self, attempt_id: int) -> list[tuple[int, str, dict[str, Any]]]:
        """``(seq, timestamp, payload)`` of an attempt's events, in order."""
        with self._read() as conn:
            rows = conn.execute(
                "SELECT seq, at, payload FROM events WHERE attempt_id = ? ORDER BY seq", (attempt_id,)
            ).fetchall()
        return [(r[0], r[1], json.loads(r[2])) for r in rows]

    def _close_attempt(self, attempt_id: int, status: str, values: dict[str, Any], duration: float | None) -> None:
        with self._write() as conn:
            row = conn.execute("SELECT status, started_at FROM attempts WHERE id = ?", (attempt_id,)).fetchone()
            if row is None:
                raise NotFoundError(f"tentative n° {attempt_id} inconnue")
            if row[0] != "open":
                raise StoreError(f"la tentative n° {attempt_id} est déjà close ({row[0]})")
            finished = self._now()
            if duration is None:
                duration = max(0.0, (finished - parse_iso(row[1])).total_seconds())
            values = {"status": status, "finished_at": iso(finished), "duration": round(float(duration), 2), **values}
            assignments = ", ".join(f"{column} = ?" for column in values)
            conn.execute(f"UPDATE attempts SET {assignments} WHERE id = ?", (*values.values(), attempt_id))

    def finish_attempt(
        self,
        attempt_id: int,
        score: float | None,
        passed: bool | None,
        result: Mapping[str, Any],
        transcript_hash: str | None = None,
        *,
        duration: float | None = None,
    ) -> None:
        """Close an attempt as finished with its score (0–100 or None), pass/fail and JSON result.

        ``duration`` (seconds) defaults to the time since the start, by the store's clock.
        """
        self._close_attempt(
            attempt_id,
            "finished",
            {
                "score": None if score is None else float(score),
                "passed": None if passed is None else int(bool(passed)),
                "result": _json(dict(result)),
                "transcript_hash": transcript_hash,
            },
            duration,
        )

    def abandon_attempt(self, attempt_id: int, *, duration: float | None = None) -> None:
        """Close an open attempt without a result (the trainee left it)."""
        self._close_attempt(attempt_id, "abandoned", {}, duration)

    def attempt(self, attempt_id: int) -> Attempt:
        with self._read() as conn:
            row = conn.execute(f"SELECT {_ATTEMPT_COLUMNS} FROM attempts WHERE id = ?", (attempt_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"tentative n° {attempt_id} inconnue")
        return _attempt(row)

    def open_attempts(self, trainee_id: int) -> list[Attempt]:
        """The trainee's attempts still open (to offer to resume them), oldest first."""
        return self.attempts(trainee_id, status="open")

    def attempts(
        self,
        trainee_id: int | None = None,
        kind: str | None = None,
        *,
        session_id: int | None = None,
        status: str | None = None,
        results: bool = True,
    ) -> list[Attempt]:
        """Attempts filtered by trainee, kind, session and status, in id order.

        ``results=False`` leaves ``result`` as None (listing and CSV need no transcript).
        """
        where: list[str] = []
        params: list[Any] = []
        for column, value in (("trainee_id", trainee_id), ("kind", kind), ("session_id", session_id), ("status", status)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        columns = _ATTEMPT_COLUMNS if results else _ATTEMPT_COLUMNS.replace(" result,", " NULL,")
        with self._read() as conn:
            rows = conn.execute(f"SELECT {columns} FROM attempts{clause} ORDER BY id", params).fetchall()
        return [_attempt(r) for r in rows]

    # ------------------------------------------------------------------ follow-up sheets

    def save_followup(self, attempt_id: int, sheet: Mapping[str, str], score: float, result: Mapping[str, Any]) -> FollowUp:
        """Keep the follow-up sheet of a finished call (saving again replaces it).

        The sheet is written after the call is over: it is attached to the closed
        attempt, not added as one of its events.
        """
        with self._write() as conn:
            row = conn.execute("SELECT kind, status FROM attempts WHERE id = ?", (attempt_id,)).fetchone()
            if row is None:
                raise NotFoundError(f"tentative n° {attempt_id} inconnue")
            if row[0] != "call":
                raise UsageError("seul un appel a une fiche de suivi")
            if row[1] != "finished":
                raise StoreError("la fiche de suivi s'enregistre une fois l'appel terminé")
            conn.execute(
                "INSERT INTO followups (attempt_id, saved_at, score, sheet, result) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (attempt_id) DO UPDATE SET saved_at = excluded.saved_at, score = excluded.score, "
                "sheet = excluded.sheet, result = excluded.result",
                (attempt_id, self._stamp(), float(score), _json(dict(sheet)), _json(dict(result))),
            )
        found = self.followup(attempt_id)
        assert found is not None
        return found

    def followup(self, attempt_id: int) -> FollowUp | None:
        """The follow-up sheet of a call, or None if none was saved."""
        with self._read() as conn:
            row = conn.execute(
                "SELECT attempt_id, saved_at, score, sheet, result FROM followups WHERE attempt_id = ?", (attempt_id,)
            ).fetchone()
        return FollowUp(row[0], row[1], row[2], json.loads(row[3]), json.loads(row[4])) if row else None

    def followups(self, trainee_id: int | None = None) -> dict[int, FollowUp]:
        """Follow-up sheets by attempt id (of one trainee, or all)."""
        query = "SELECT f.attempt_id, f.saved_at, f.score, f.sheet, f.result FROM followups f"
        params: tuple[Any, ...] = ()
        if trainee_id is not None:
            query += " JOIN attempts a ON a.id = f.attempt_id WHERE a.trainee_id = ?"
            params = (trainee_id,)
        with self._read() as conn:
            rows = conn.execute(query + " ORDER BY f.attempt_id", params).fetchall()
        return {r[0]: FollowUp(r[0], r[1], r[2], json.loads(r[3]), json.loads(r[4])) for r in rows}

    # ------------------------------------------------------------------ drill cards

    def save_drill(
        self,
        trainee_id: int,
        key: str,
        *,
        kind: str,
        target: str,
        title: str,
        case_id: str,
        pack_id: str,
        pack_hash: str,
        seed: int,
        replies: Sequence[str],
        debtor_line: str,
        source_attempt: int | None,
        card: Mapping[str, Any],
        due: str,
    ) -> Drill:
        """Create the trainee's card ``key`` or refresh its context and schedule."""
        if kind not in ("step", "objection"):
            raise ValueError(f"unknown drill kind {kind!r}")
        stamp = self._stamp()
        with self._write() as conn:
            conn.execute(
                "INSERT INTO drills (trainee_id, key, kind, target, title, case_id, pack_id, pack_hash, seed, replies, "
                "debtor_line, source_attempt, card, due, created, updated) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (trainee_id, key) DO UPDATE SET kind = excluded.kind, target = excluded.target, "
                "title = excluded.title, case_id = excluded.case_id, pack_id = excluded.pack_id, "
                "pack_hash = excluded.pack_hash, seed = excluded.seed, replies = excluded.replies, "
                "debtor_line = excluded.debtor_line, source_attempt = excluded.source_attempt, "
                "card = excluded.card, due = excluded.due, updated = excluded.updated",
                (
                    trainee_id, key, kind, target, title, case_id, pack_id, pack_hash, int(seed),
                    _json(list(replies)), debtor_line, source_attempt, _json(dict(card)), due, stamp, stamp,
                ),
            )
            row = conn.execute(
                f"SELECT {_DRILL_COLUMNS} FROM drills WHERE trainee_id = ? AND key = ?", (trainee_id, key)
            ).fetchone()
        return _drill(row)

    def drill(self, drill_id: int) -> Drill:
        with self._read() as conn:
            row = conn.execute(f"SELECT {_DRILL_COLUMNS} FROM drills WHERE id = ?", (drill_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"carte d'entraînement n° {drill_id} inconnue")
        return _drill(row)

    def drill_by_key(self, trainee_id: int, key: str) -> Drill | None:
        with self._read() as conn:
            row = conn.execute(
                f"SELECT {_DRILL_COLUMNS} FROM drills WHERE trainee_id = ? AND key = ?", (trainee_id, key)
            ).fetchone()
        return _drill(row) if row else None

    def drills(self, trainee_id: int | None = None, *, due_by: datetime | None = None) -> list[Drill]:
        """Drill cards (of one trainee, or all), soonest due first; ``due_by`` keeps those due by then."""
        where: list[str] = []
        params: list[Any] = []
        if trainee_id is not None:
            where.append("trainee_id = ?")
            params.append(trainee_id)
        if due_by is not None:
            where.append("due <= ?")
            params.append(iso(due_by))
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        with self._read() as conn:
            rows = conn.execute(f"SELECT {_DRILL_COLUMNS} FROM drills{clause} ORDER BY due, id", params).fetchall()
        return [_drill(r) for r in rows]

    def count_due_drills(self, trainee_id: int, now: datetime | None = None) -> int:
        """How many of the trainee's cards are due (cheap: for the home screen)."""
        with self._read() as conn:
            (count,) = conn.execute(
                "SELECT COUNT(*) FROM drills WHERE trainee_id = ? AND due <= ?", (trainee_id, iso(now or self._now()))
            ).fetchone()
        return int(count)

    def review_drill(
        self,
        drill_id: int,
        *,
        card: Mapping[str, Any],
        due: str,
        source: str,
        score: int,
        rating: int,
        reply: str = "",
        attempt_id: int | None = None,
    ) -> Drill:
        """Record one review of a card (in a drill or in a call) and its new schedule."""
        stamp = self._stamp()
        with self._write() as conn:
            if conn.execute("SELECT 1 FROM drills WHERE id = ?", (drill_id,)).fetchone() is None:
                raise NotFoundError(f"carte d'entraînement n° {drill_id} inconnue")
            (seq,) = conn.execute(
                "SELECT COALESCE(MAX(seq), 0) + 1 FROM drill_reviews WHERE drill_id = ?", (drill_id,)
            ).fetchone()
            conn.execute(
                "INSERT INTO drill_reviews (drill_id, seq, at, source, attempt_id, reply, score, rating) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (drill_id, seq, stamp, source, attempt_id, reply, int(score), int(rating)),
            )
            conn.execute(
                "UPDATE drills SET card = ?, due = ?, updated = ? WHERE id = ?", (_json(dict(card)), due, stamp, drill_id)
            )
        return self.drill(drill_id)

    def drill_reviews(self, drill_id: int) -> list[dict[str, Any]]:
        """The reviews of a card, oldest first."""
        with self._read() as conn:
            rows = conn.execute(
                "SELECT seq, at, source, attempt_id, reply, score, rating FROM drill_reviews WHERE drill_id = ? "
                "ORDER BY seq",
                (drill_id,),
            ).fetchall()
        keys = ("seq", "at", "source", "attempt_id", "reply", "score", "rating")
        return [dict(zip(keys, r, strict=True)) for r in rows]

    # ------------------------------------------------------------------ xAPI sent markers

    def sent_statement_ids(self, endpoint: str) -> set[str]:
        """Ids of the statements an LRS at ``endpoint`` has accepted."""
        with self._read() as conn:
            rows = conn.execute("SELECT statement_id FROM xapi_sent WHERE endpoint = ?", (endpoint,)).fetchall()
        return {r[0] for r in rows}

    def mark_sent(self, endpoint: str, statement_ids: Sequence[str]) -> None:
        """Record that the LRS accepted these statements (one transaction)."""
        stamp = self._stamp()
        with self._write() as conn:
            conn.executemany(
                "INSERT OR IGNORE INTO xapi_sent (endpoint, statement_id, sent_at) VALUES (?, ?, ?)",
                [(endpoint, sid, stamp) for sid in statement_ids],
            )
