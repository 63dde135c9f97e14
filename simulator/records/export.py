"""Exports of the store: CSV (a row per attempt, or per item), complete JSON, xAPI JSON lines.

Every export is deterministic: the same store content gives byte-identical output (rows in
attempt order, sorted keys, no export time written).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from simulator.records.store import Attempt, Store, Trainee, TrainingSession
from simulator.records.xapi import QUESTION_TYPES

__all__ = [
    "ATTEMPT_COLUMNS",
    "EXPORT_FORMAT",
    "FORMULA_TRIGGERS",
    "ITEM_COLUMNS",
    "Selection",
    "attempt_rows",
    "export_document",
    "item_rows",
    "neutralise",
    "select",
    "write_csv",
    "xapi_lines",
]

EXPORT_FORMAT = "relance-export"
EXPORT_VERSION = 1

ATTEMPT_COLUMNS = (
    "attempt_id", "trainee_id", "nom", "prenom", "organisation", "email", "session", "kind", "ref", "module",
    "pack_id", "pack_version", "pack_hash", "seed", "started_at", "finished_at", "duration_s", "status",
    "score", "passed", "transcript_hash",
)
ITEM_COLUMNS = (
    "attempt_id", "trainee_id", "nom", "prenom", "session", "kind", "ref", "item", "item_id", "interaction",
    "step", "objection", "response", "score", "max", "status", "at",
)


@dataclass(frozen=True)
class Selection:
    """Attempts chosen for an export, with their trainees and sessions looked up once."""

    attempts: tuple[Attempt, ...]
    trainees: dict[int, Trainee]
    sessions: dict[int, TrainingSession]

    def session_code(self, attempt: Attempt) -> str:
        session = self.sessions.get(attempt.session_id) if attempt.session_id is not None else None
        return session.code if session else ""


def select(
    store: Store,
    *,
    trainee_id: int | None = None,
    session_code: str | None = None,
    kind: str | None = None,
    include_open: bool = True,
    results: bool = True,
) -> Selection:
    """The attempts matching the filters (all of them by default); ``results=False`` skips
    loading the JSON results (enough for the per-attempt CSV)."""
    session_id = store.session_by_code(session_code).id if session_code else None
    if trainee_id is not None:
        store.trainee(trainee_id)
    attempts = store.attempts(trainee_id, kind, session_id=session_id, results=results)
    if not include_open:
        attempts = [a for a in attempts if a.status != "open"]
    trainees = {t.id: t for t in store.trainees()}
    sessions = {s.id: s for s in store.sessions()}
    return Selection(tuple(attempts), trainees, sessions)


def _num(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def attempt_rows(selection: Selection) -> Iterator[dict[str, Any]]:
    """One row per attempt (CSV columns :data:`ATTEMPT_COLUMNS`)."""
    for a in selection.attempts:
        t = selection.trainees[a.trainee_id]
        yield {
            "attempt_id": a.id,
            "trainee_id": t.id,
            "nom": t.nom,
            "prenom": t.prenom,
            "organisation": t.organisation,
            "email": t.email,
            "session": selection.session_code(a),
            "kind": a.kind,
            "ref": a.ref,
            "module": a.module or "",
            "pack_id": a.pack_id,
            "pack_version": a.pack_version,
            "pack_hash": a.pack_hash,
            "seed": a.seed,
            "started_at": a.started_at,
            "finished_at": a.finished_at or "",
            "duration_s": _num(a.duration),
            "status": a.status,
            "score": _num(a.score),
            "passed": _num(a.passed),
            "transcript_hash": a.transcript_hash or "",
        }


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "vrai" if value else "faux"
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return " | ".join(_shown(v) for v in value)
    if isinstance(value, Mapping):
        return " | ".join(f"{k} → {_shown(v)}" for k, v in value.items())
    return str(value)


def attempt_items(attempt: Attempt) -> Iterator[dict[str, Any]]:
    """The items of one attempt: call replies, quiz/case-study answers, self-assessment ratings."""
    result = attempt.result or {}
    if attempt.kind == "call":
        number = 0
        for turn in result.get("turns", []):
            if turn.get("speaker") != "trainee":
                continue
            number += 1
            score = (turn.get("score") or {}).get("score")
            yield {
                "item": number,
                "item_id": f"reply-{number}",
                "interaction": "long-fill-in",
                "step": turn.get("expected_step") or "",
                "objection": turn.get("objection") or "",
                "response": turn.get("text", ""),
                "score": _num(score),
                "max": 100 if score is not None else "",
                "status": "+".join(turn.get("steps") or []),
                "at": _num(turn.get("at")),
            }
    elif attempt.kind in ("quiz", "case-study"):
        for number, (question_id, entry) in enumerate(result.get("questions", {}).items(), 1):
            yield {
                "item": number,
                "item_id": question_id,
                "interaction": QUESTION_TYPES.get(entry.get("type", ""), "numeric"),
                "step": "",
                "objection": "",
                "response": _shown(entry.get("response")),
                "score": _num(entry.get("score")),
                "max": _num(entry.get("max")),
                "status": entry.get("status", ""),
                "at": "",
            }
    elif attempt.kind == "questionnaire":
        for number, (item_id, value) in enumerate(result.get("ratings", {}).items(), 1):
            yield {
                "item": number,
                "item_id": item_id,
                "interaction": "likert",
                "step": "",
                "objection": "",
                "response": value,
                "score": "",
                "max": 5,
                "status": result.get("phase", ""),
                "at": "",
            }


def item_rows(selection: Selection) -> Iterator[dict[str, Any]]:
    """One row per item of every attempt (CSV columns :data:`ITEM_COLUMNS`)."""
    for a in selection.attempts:
        t = selection.trainees[a.trainee_id]
        head = {
            "attempt_id": a.id,
            "trainee_id": t.id,
            "nom": t.nom,
            "prenom": t.prenom,
            "session": selection.session_code(a),
            "kind": a.kind,
            "ref": a.ref,
        }
        for item in attempt_items(a):
            yield {**head, **item}


FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")
"""First characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection)."""


def neutralise(value: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula, prefixed with ``'`` (shown as text).

    Names, replies and answers come from anyone: ``=HYPERLINK(…)``, ``+cmd|' /C calc'!A0``,
    ``@SUM(1+1)`` or ``-2+3`` are written ``'=HYPERLINK(…)``… as OWASP's CSV-injection guidance
    says; spreadsheets show the text and hide the apostrophe. Leading spaces do not hide a
    trigger. Numbers written by Relance itself (scores, durations) are not text and stay numbers.
    """
    if isinstance(value, str) and value and (
        value[0] in FORMULA_TRIGGERS or value.lstrip(" \t\r\n")[:1] in FORMULA_TRIGGERS
    ):
        return "'" + value
    return value


def write_csv(rows: Iterable[Mapping[str, Any]], columns: tuple[str, ...], *, excel: bool = False) -> str:
    """CSV text: RFC 4180 (comma, point decimals) or, with ``excel``, the French spreadsheet
    dialect (semicolon, decimal comma, UTF-8 byte order mark). Text cells that a spreadsheet
    would evaluate are neutralised (:func:`neutralise`), in both dialects."""
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(
        buffer, fieldnames=columns, delimiter=";" if excel else ",", lineterminator="\r\n", extrasaction="ignore"
    )
    writer.writeheader()
    for row in rows:
        row = {k: neutralise(v) for k, v in row.items()}
        if excel:
            row = {k: (str(v).replace(".", ",") if isinstance(v, float) else v) for k, v in row.items()}
        writer.writerow(row)
    text = buffer.getvalue()
    return ("\ufeff" + text) if excel else text


def _attempt_dict(store: Store, selection: Selection, a: Attempt, followups: Mapping[int, Any]) -> dict[str, Any]:
    sheet = followups.get(a.id)
    return {
        "id": a.id,
        "session": selection.session_code(a) or None,
        "kind": a.kind,
        "ref": a.ref,
        "module": a.module,
        "pack": {"id": a.pack_id, "version": a.pack_version, "hash": a.pack_hash},
        "dependencies": a.dependencies,
        "seed": a.seed,
        "started_at": a.started_at,
        "finished_at": a.finished_at,
        "duration_s": a.duration,
        "status": a.status,
        "score": a.score,
        "passed": a.passed,
        "transcript_hash": a.transcript_hash,
        "retry_of": a.retry_of,
        "retry_from": a.retry_from,
        "result": a.result,
        "events": [{"seq": seq, "at": at, "payload": payload} for seq, at, payload in store.event_rows(a.id)],
        "followup": (
            {"saved_at": sheet.saved_at, "score": sheet.score, "sheet": sheet.sheet, "result": sheet.result}
            if sheet is not None
            else None
        ),
    }


def _drill_dict(store: Store, drill: Any) -> dict[str, Any]:
    return {
        "key": drill.key,
        "kind": drill.kind,
        "target": drill.target,
        "title": drill.title,
        "case": drill.case_id,
        "pack": {"id": drill.pack_id, "hash": drill.pack_hash},
        "seed": drill.seed,
        "replies": list(drill.replies),
        "debtor_line": drill.debtor_line,
        "source_attempt": drill.source_attempt,
        "card": drill.card,
        "due": drill.due,
        "created": drill.created,
        "reviews": store.drill_reviews(drill.id),
    }


def export_document(store: Store, selection: Selection) -> dict[str, Any]:
    """The complete JSON export: sessions, trainees and their attempts with results, events and
    follow-up sheets, and each trainee's drill cards with their reviews."""
    followups = store.followups()
    by_trainee: dict[int, list[Attempt]] = {}
    for a in selection.attempts:
        by_trainee.setdefault(a.trainee_id, []).append(a)
    used_sessions = sorted({a.session_id for a in selection.attempts if a.session_id is not None})
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "store": store.uuid,
        "sessions": [{"id": sid, **selection.sessions[sid].as_dict()} for sid in used_sessions],
        "trainees": [
            {
                "id": t.id,
                "nom": t.nom,
                "prenom": t.prenom,
                "organisation": t.organisation,
                "email": t.email,
                "attempts": [_attempt_dict(store, selection, a, followups) for a in by_trainee[t.id]],
                "drills": [_drill_dict(store, d) for d in store.drills(t.id)],
            }
            for t in (selection.trainees[tid] for tid in sorted(by_trainee))
        ],
    }


def xapi_lines(statements: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    """JSON lines (one statement per line, sorted keys, UTF-8 kept)."""
    for statement in statements:
        yield json.dumps(statement, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
