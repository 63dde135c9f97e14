"""xAPI 1.0.3: every exported statement meets the rules; the validator catches what breaks them."""

from __future__ import annotations

import copy
import re
import uuid
from datetime import datetime
from typing import Any

import pytest

from simulator.records.xapi import (
    INTERACTION_TYPES,
    VERBS,
    iso_duration,
    store_statements,
    validate_statement,
)

from .conftest import Populated

ADL_VERBS = {f"http://adlnet.gov/expapi/verbs/{v}" for v in
             ("answered", "completed", "passed", "failed", "initialized", "terminated")}
DURATION = re.compile(r"^PT(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)?$")


def _statements(populated: Populated) -> list[dict[str, Any]]:
    return list(store_statements(populated.store, populated.store.attempts()))


def _independent_checks(s: dict[str, Any]) -> None:
    """The 1.0.3 rules, written out again without the exporter's validator."""
    assert {"id", "actor", "verb", "object", "timestamp"} <= set(s)
    assert str(uuid.UUID(s["id"])) == s["id"]
    actor = s["actor"]
    assert actor["objectType"] == "Agent"
    assert sum(k in actor for k in ("mbox", "mbox_sha1sum", "openid", "account")) == 1
    assert s["verb"]["id"] in ADL_VERBS
    assert s["object"]["id"].startswith("https://")
    assert " " not in s["object"]["id"]
    datetime.fromisoformat(s["timestamp"])
    assert s["timestamp"].endswith("Z")
    result = s.get("result", {})
    score = result.get("score")
    if score is not None:
        for key in ("scaled", "raw", "min", "max"):
            assert isinstance(score[key], int | float) and not isinstance(score[key], bool)
        assert -1 <= score["scaled"] <= 1
        assert score["min"] < score["max"]
        assert score["min"] <= score["raw"] <= score["max"]
        assert score["scaled"] == pytest.approx(score["raw"] / score["max"], abs=1e-4)
    if "duration" in result:
        assert DURATION.match(result["duration"]), result["duration"]
    definition = s["object"].get("definition", {})
    if "interactionType" in definition:
        assert definition["interactionType"] in INTERACTION_TYPES
        assert definition["type"] == "http://adlnet.gov/expapi/activities/cmi.interaction"
    context = s.get("context", {})
    if "registration" in context:
        uuid.UUID(context["registration"])
    for key in context.get("extensions", {}):
        assert re.match(r"^https?://\S+$", key)


def test_every_statement_is_valid(populated: Populated) -> None:
    statements = _statements(populated)
    assert statements
    for statement in statements:
        assert validate_statement(statement) == [], statement
        _independent_checks(statement)


def test_verbs_interactions_and_attempt_coverage(populated: Populated) -> None:
    statements = _statements(populated)
    verbs = {s["verb"]["id"].rsplit("/", 1)[1] for s in statements}
    assert verbs == {"initialized", "answered", "completed", "passed", "failed", "terminated"}
    kinds = {s["object"]["definition"].get("interactionType") for s in statements} - {None}
    assert {"long-fill-in", "choice", "numeric", "sequencing", "likert", "true-false", "fill-in"} <= kinds
    attempts = {s["context"]["extensions"]["https://relance.invalid/xapi/extensions/attempt"].rsplit("/", 1)[1]
                for s in statements}
    assert str(populated.open_id) not in attempts  # still being written: not exported
    abandoned = [s for s in statements if s["context"]["extensions"][
        "https://relance.invalid/xapi/extensions/attempt"].endswith(f"/{populated.abandoned_id}")]
    assert [s["verb"]["id"].rsplit("/", 1)[1] for s in abandoned] == ["initialized", "terminated"]
    assert abandoned[-1]["result"]["completion"] is False


def test_call_statements_carry_pack_hash_registration_and_scores(populated: Populated) -> None:
    store = populated.store
    call = store.attempt(populated.call_id)
    statements = [s for s in _statements(populated)
                  if s["context"]["extensions"]["https://relance.invalid/xapi/extensions/attempt"].endswith(
                      f"/{call.id}")]
    ext = statements[0]["context"]["extensions"]
    assert ext["https://relance.invalid/xapi/extensions/pack-hash"] == call.pack_hash
    assert ext["https://relance.invalid/xapi/extensions/transcript-hash"] == call.transcript_hash
    replies = [s for s in statements if s["verb"]["id"].endswith("/answered")]
    trainee_turns = [t for t in call.result["turns"] if t["speaker"] == "trainee"]
    assert len(replies) == len(trainee_turns)
    assert replies[0]["result"]["response"] == trainee_turns[0]["text"]
    assert replies[0]["context"]["contextActivities"]["parent"][0]["id"] == statements[0]["object"]["id"]
    completed = next(s for s in statements if s["verb"]["id"].endswith("/completed"))
    assert completed["result"]["score"]["raw"] == call.score
    assert completed["result"]["score"]["max"] == 100
    registrations = {s["context"]["registration"] for s in _statements(populated)}
    assert len(registrations) == 1  # one session
    assert statements[0]["actor"]["mbox_sha1sum"]  # trainee with an e-mail
    other = next(s for s in _statements(populated) if s["actor"]["name"] == "Hugo Martin")
    assert other["actor"]["account"]["homePage"].startswith("https://")


def test_likert_statements_have_a_scale(populated: Populated) -> None:
    likert = [s for s in _statements(populated) if s["object"]["definition"].get("interactionType") == "likert"]
    assert len(likert) == 3
    scale_ids = [c["id"] for c in likert[0]["object"]["definition"]["scale"]]
    assert likert[0]["result"]["response"] in scale_ids
    assert "score" not in likert[0]["result"]


def test_ids_are_deterministic(populated: Populated) -> None:
    first = _statements(populated)
    second = _statements(populated)
    assert first == second
    assert len({s["id"] for s in first}) == len(first)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "PT0S"), (0.004, "PT0S"), (0.01, "PT0.01S"), (1.5, "PT1.5S"), (59.999, "PT1M"), (61, "PT1M1S"),
     (3600, "PT1H"), (3725.25, "PT1H2M5.25S"), (-3, "PT0S"), (float("nan"), "PT0S")],
)
def test_iso_durations(seconds: float, text: str) -> None:
    assert iso_duration(seconds) == text


def _base() -> dict[str, Any]:
    return {
        "id": "2922047d-8792-5517-abc6-12bc1f9d123e",
        "actor": {"objectType": "Agent", "name": "A", "mbox": "mailto:a@example.fr"},
        "verb": {"id": VERBS["completed"][0], "display": {"en-US": "completed"}},
        "object": {"objectType": "Activity", "id": "https://relance.invalid/xapi/activities/quiz/p/q"},
        "result": {"score": {"scaled": 0.5, "raw": 5, "min": 0, "max": 10}, "duration": "PT1M", "success": True},
        "context": {"registration": "10da719b-89a1-58f5-a489-c98c19a11b83", "language": "fr-FR"},
        "timestamp": "2026-11-23T09:00:00.000Z",
    }


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (("result", "score", "scaled"), 1.5, "outside [-1, 1]"),
        (("result", "score", "raw"), 11, "above max"),
        (("result", "score", "raw"), -1, "below min"),
        (("result", "score", "min"), 10, "min must be less than max"),
        (("result", "score", "raw"), "5", "number expected"),
        (("result", "duration"), 750, "ISO 8601 duration"),
        (("result", "duration"), "PT1,5S", "ISO 8601 duration"),
        (("result", "duration"), "P", "ISO 8601 duration"),
        (("result", "success"), "yes", "boolean"),
        (("timestamp",), "23/11/2026", "timestamp"),
        (("timestamp",), "2026-11-23T09:00:00-00:00", "timestamp"),
        (("id",), "not-a-uuid", "UUID"),
        (("verb", "id"), "completed", "IRI"),
        (("object", "id"), "quiz 1", "IRI"),
        (("context", "registration"), "session-1", "UUID"),
        (("context", "language"), "fr_FR", "RFC 5646"),
        (("actor", "mbox_sha1sum"), "abc", "exactly one inverse functional identifier"),
    ],
)
def test_validator_catches_rule_breaks(path: tuple[str, ...], value: Any, expected: str) -> None:
    statement = _base()
    assert validate_statement(statement) == []
    target = statement
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    problems = validate_statement(statement)
    assert any(expected in p for p in problems), problems


def test_validator_catches_structure_breaks() -> None:
    statement = _base()
    del statement["actor"]
    assert any("actor" in p for p in validate_statement(statement))
    statement = _base()
    statement["object"]["definition"] = {"interactionType": "essay"}
    assert any("not an xAPI interaction type" in p for p in validate_statement(statement))
    statement = _base()
    statement["object"]["definition"] = {"interactionType": "numeric", "choices": [{"id": "a"}]}
    assert any("not allowed for numeric" in p for p in validate_statement(statement))
    statement = _base()
    statement["context"]["extensions"] = {"pack-hash": "x"}
    assert any("not an IRI" in p for p in validate_statement(statement))
    statement = copy.deepcopy(_base())
    statement["stored_by"] = "me"
    assert any("unknown properties" in p for p in validate_statement(statement))
