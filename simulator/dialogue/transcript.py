"""Transcripts: the versioned JSON record of a call, and replaying one.

A transcript holds the pack id and hash, the engine version, the seed, the
case and every turn (speaker, text as typed, time offset given by the caller,
the reply's score and evidence) and the scorecard. Replaying the trainee's
replies with the same seed through the same pack reproduces it exactly, which
is what ``relance grade`` and attestation verification rely on.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from simulator.dialogue.engine import ENGINE_VERSION, CallState, Resolver, advance, start
from simulator.dialogue.scorecard import scorecard
from simulator.model import Case

__all__ = ["TRANSCRIPT_FORMAT", "TRANSCRIPT_VERSION", "differences", "dumps", "play", "to_document"]

TRANSCRIPT_FORMAT = "relance-call-transcript"
TRANSCRIPT_VERSION = 1


def play(
    case: Case,
    seed: int,
    resolver: Resolver,
    replies: Sequence[str],
    times: Sequence[float | None] | None = None,
    trainee: str = "",
) -> tuple[CallState, int]:
    """Play replies until they run out or the call ends; return the state and replies used."""
    state, _events = start(case, seed, resolver, trainee)
    used = 0
    for index, reply in enumerate(replies):
        if state.ended:
            break
        at = times[index] if times is not None and index < len(times) else None
        state, _events = advance(state, reply, at)
        used += 1
    return state, used


def to_document(state: CallState, pack_id: str, pack_hash: str, pack_version: str = "") -> dict[str, Any]:
    """The transcript as a JSON-ready dict (stable key order)."""
    turns = []
    for turn in state.turns:
        item: dict[str, Any] = {"speaker": turn.speaker, "text": turn.text, "at": turn.at}
        if turn.speaker == "trainee":
            item["expected_step"] = turn.expected
            item["steps"] = list(turn.steps)
            if turn.objection:
                item["objection"] = turn.objection
            item["score"] = turn.score.as_dict() if turn.score else None
        elif turn.objection:
            item["objection"] = turn.objection
        turns.append(item)
    model = state.setup.model
    document: dict[str, Any] = {
        "format": TRANSCRIPT_FORMAT,
        "version": TRANSCRIPT_VERSION,
        "engine": ENGINE_VERSION,
        "scorer": model.version if model is not None else "rubric",
        "pack": {"id": pack_id, "version": pack_version, "hash": pack_hash},
        "case": state.setup.case.id,
        "persona": state.setup.persona.id,
        "method": state.setup.method.id,
        "seed": state.seed,
        "ended": state.ended,
        "turns": turns,
        "scorecard": scorecard(state).as_dict(),
    }
    if state.setup.trainee:
        document["trainee"] = state.setup.trainee
    return document


def dumps(document: dict[str, Any]) -> str:
    """Canonical text of a transcript: byte-identical for identical calls."""
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def differences(recorded: Mapping[str, Any], fresh: Mapping[str, Any]) -> list[str]:
    """What differs between a recorded transcript and the same call replayed (French lines).

    Used by ``relance grade`` and by attestation verification: an empty list
    means the replay reproduced the recorded call exactly.
    """
    out: list[str] = []
    old_turns = list(recorded.get("turns") or [])
    new_turns = list(fresh.get("turns") or [])
    for index in range(max(len(old_turns), len(new_turns))):
        old = old_turns[index] if index < len(old_turns) else None
        new = new_turns[index] if index < len(new_turns) else None
        if old == new:
            continue
        if old is None or new is None:
            out.append(f"tour {index + 1} : présent d'un seul côté")
            continue
        if old.get("text") != new.get("text"):
            out.append(f"tour {index + 1} : texte différent")
        old_score = (old.get("score") or {}).get("score")
        new_score = (new.get("score") or {}).get("score")
        if old_score != new_score:
            out.append(f"tour {index + 1} : note {old_score} → {new_score}")
        elif old.get("text") == new.get("text"):
            out.append(f"tour {index + 1} : détail de notation différent")
    old_card = recorded.get("scorecard") or {}
    new_card = fresh.get("scorecard") or {}
    if old_card != new_card:
        out.append(
            f"fiche de score : {old_card.get('overall')} ({old_card.get('outcome')}) → "
            f"{new_card.get('overall')} ({new_card.get('outcome')})"
        )
    if recorded.get("scorer") != fresh.get("scorer"):
        out.append(
            f"version de notation différente : enregistrée {recorded.get('scorer') or 'inconnue (avant le modèle appris)'}, "
            f"actuelle {fresh.get('scorer')} — les notes ne peuvent pas être reproduites à l'identique"
        )
    for key in ("engine", "case", "persona", "method", "seed", "ended", "format", "version"):
        if recorded.get(key) != fresh.get(key):
            out.append(f"{key} : {recorded.get(key)} → {fresh.get(key)}")
    return out
