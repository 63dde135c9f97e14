"""An in-memory store with the records store's interface, for UI tests that must not touch disk."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any


@dataclass(frozen=True)
class Trainee:
    id: int
    nom: str
    prenom: str
    organisation: str
    email: str = ""


@dataclass(frozen=True)
class Attempt:
    id: int
    trainee_id: int
    kind: str
    ref: str
    pack_id: str
    pack_version: str
    pack_hash: str
    seed: int
    started_at: str
    status: str = "open"
    score: float | None = None
    passed: bool | None = None
    result: dict[str, Any] = field(default_factory=dict)
    transcript_hash: str | None = None


class MemoryStore:
    def __init__(self) -> None:
        self.trainees: dict[int, Trainee] = {}
        self.settings: dict[str, str] = {}
        self.attempt_rows: dict[int, Attempt] = {}
        self.event_rows: dict[int, list[dict[str, Any]]] = {}
        self.clock = 0

    def _now(self) -> str:
        self.clock += 1
        return (dt.datetime(2026, 11, 23, 9, 0) + dt.timedelta(minutes=self.clock)).isoformat()

    def upsert_trainee(self, nom: str, prenom: str, organisation: str, email: str = "", session_code: str = "") -> Trainee:
        trainee = Trainee(len(self.trainees) + 1, nom, prenom, organisation, email)
        self.trainees[trainee.id] = trainee
        return trainee

    def current_trainee(self) -> Trainee | None:
        value = self.settings.get("current_trainee")
        return self.trainees.get(int(value)) if value else None

    def set_current_trainee(self, trainee_id: int) -> None:
        self.settings["current_trainee"] = str(trainee_id)

    def get_setting(self, key: str, default: Any = None) -> Any:
        return self.settings.get(key, default)

    def set_setting(self, key: str, value: Any) -> None:
        self.settings[key] = value

    def start_attempt(self, trainee_id, kind, ref, pack_id, pack_version, pack_hash, seed, session_id=None) -> int:
        attempt_id = len(self.attempt_rows) + 1
        self.attempt_rows[attempt_id] = Attempt(attempt_id, trainee_id, kind, ref, pack_id, pack_version, pack_hash, seed, self._now())
        self.event_rows[attempt_id] = []
        return attempt_id

    def add_event(self, attempt_id: int, payload: dict[str, Any]) -> int:
        self.event_rows[attempt_id].append(payload)
        return len(self.event_rows[attempt_id])

    def events(self, attempt_id: int) -> list[dict[str, Any]]:
        return list(self.event_rows[attempt_id])

    def finish_attempt(self, attempt_id, score, passed, result, transcript_hash=None) -> None:
        self.attempt_rows[attempt_id] = replace(
            self.attempt_rows[attempt_id], status="finished", score=score, passed=passed, result=result,
            transcript_hash=transcript_hash,
        )

    def abandon_attempt(self, attempt_id: int) -> None:
        self.attempt_rows[attempt_id] = replace(self.attempt_rows[attempt_id], status="abandoned")

    def open_attempts(self, trainee_id: int) -> list[Attempt]:
        return [a for a in self.attempt_rows.values() if a.trainee_id == trainee_id and a.status == "open"]

    def attempts(self, trainee_id: int | None = None, kind: str | None = None) -> list[Attempt]:
        return [
            a for a in self.attempt_rows.values()
            if (trainee_id is None or a.trainee_id == trainee_id) and (kind is None or a.kind == kind)
        ]

    def close(self) -> None:
        pass
