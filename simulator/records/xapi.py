"""xAPI 1.0.3 statements for stored attempts, and a validator of the 1.0.3 rules they must meet.

Mapping (one attempt → several statements, in this order):

* ``initialized`` at the start;
* ``answered`` per item: a call reply (interaction ``long-fill-in``, score /100), a quiz
  question (``choice``, ``true-false``, ``numeric``, ``sequencing``, ``matching``, ``fill-in``),
  a case-study question (``numeric``), a self-assessment item (``likert`` with its scale);
* ``completed`` with the score (``scaled``/``raw``/``min``/``max``) and the ISO 8601 duration;
* ``passed`` or ``failed`` when the attempt has a pass mark;
* ``terminated`` at the end (also for an abandoned attempt, with ``completion: false``).

Open attempts are not exported (they are still being written). The actor is the trainee
(``mbox_sha1sum`` of the e-mail, or an account on the store's home page); the session gives
``context.registration`` (a UUID derived from the store and the session code) and a
``grouping`` activity; ``context.extensions`` carry the pack id, version and hash, the
seed, the attempt and the transcript hash under IRI keys. Statement ids are UUID v5 of the
store id, the attempt id, the verb and the item number, so exporting again yields the same
ids and an LRS never stores a statement twice.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
import uuid
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from simulator.records.store import Attempt, Store, Trainee, TrainingSession, iso, parse_iso

__all__ = [
    "ACTIVITY_TYPES",
    "DEFAULT_BASE",
    "INTERACTION_TYPES",
    "STATEMENT_NAMESPACE",
    "VERBS",
    "XAPI_VERSION",
    "attempt_statements",
    "iso_duration",
    "store_statements",
    "validate_statement",
]

XAPI_VERSION = "1.0.3"
DEFAULT_BASE = "https://relance.invalid/xapi"
"""Base of Relance's activity and extension IRIs; the ``xapi.base`` setting overrides it."""

STATEMENT_NAMESPACE = uuid.UUID("1a978733-09cc-54da-8af1-18f1cb5f8d3c")
"""UUID namespace of statement ids and registrations: uuid5(NAMESPACE_URL, DEFAULT_BASE + "/statements")."""

LANG = "fr-FR"

VERBS: dict[str, tuple[str, dict[str, str]]] = {
    "initialized": ("http://adlnet.gov/expapi/verbs/initialized", {"en-US": "initialized", "fr-FR": "a commencé"}),
    "answered": ("http://adlnet.gov/expapi/verbs/answered", {"en-US": "answered", "fr-FR": "a répondu"}),
    "completed": ("http://adlnet.gov/expapi/verbs/completed", {"en-US": "completed", "fr-FR": "a terminé"}),
    "passed": ("http://adlnet.gov/expapi/verbs/passed", {"en-US": "passed", "fr-FR": "a réussi"}),
    "failed": ("http://adlnet.gov/expapi/verbs/failed", {"en-US": "failed", "fr-FR": "a échoué"}),
    "terminated": ("http://adlnet.gov/expapi/verbs/terminated", {"en-US": "terminated", "fr-FR": "a quitté"}),
}
"""ADL verbs (id, display)."""

ACTIVITY_TYPES = {
    "call": "http://adlnet.gov/expapi/activities/simulation",
    "quiz": "http://adlnet.gov/expapi/activities/assessment",
    "case-study": "http://adlnet.gov/expapi/activities/assessment",
    "questionnaire": "http://adlnet.gov/expapi/activities/assessment",
    "session": "http://adlnet.gov/expapi/activities/course",
    "interaction": "http://adlnet.gov/expapi/activities/cmi.interaction",
}

INTERACTION_TYPES = (
    "true-false", "choice", "fill-in", "long-fill-in", "matching", "performance", "sequencing", "likert",
    "numeric", "other",
)
QUESTION_TYPES = {
    "single": "choice",
    "multiple": "choice",
    "truefalse": "true-false",
    "numeric": "numeric",
    "calculated": "numeric",
    "ordering": "sequencing",
    "matching": "matching",
    "text": "fill-in",
}
"""Quiz question type → xAPI interaction type."""

KIND_LABELS = {"call": "Appel", "quiz": "Quiz", "case-study": "Étude de cas", "questionnaire": "Auto-évaluation"}


# --------------------------------------------------------------------------- helpers


def iso_duration(seconds: float) -> str:
    """ISO 8601 duration (xAPI format, 0.01 s precision): ``PT1H2M3.5S``, ``PT0S``."""
    if not math.isfinite(seconds) or seconds < 0:
        seconds = 0.0
    centis = round(seconds * 100)
    hours, rest = divmod(centis, 360_000)
    minutes, rest = divmod(rest, 6_000)
    text = "PT"
    if hours:
        text += f"{hours}H"
    if minutes:
        text += f"{minutes}M"
    if rest or (not hours and not minutes):
        whole, frac = divmod(rest, 100)
        text += f"{whole}.{frac:02d}".rstrip("0").rstrip(".") + "S"
    return text


def _uuid5(name: str) -> str:
    """``str(uuid.uuid5(STATEMENT_NAMESPACE, name))``, without building UUID objects (hot path)."""
    digest = bytearray(hashlib.sha1(STATEMENT_NAMESPACE.bytes + name.encode("utf-8")).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50
    digest[8] = (digest[8] & 0x3F) | 0x80
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-").lower()
    return slug[:60].rstrip("-") or hashlib.sha1(text.encode()).hexdigest()[:10]


def _number(value: Any) -> int | float:
    """A JSON number: integral values as int (``100`` not ``100.0``), others rounded to 4 places."""
    number = float(value)
    return int(number) if number.is_integer() else round(number, 4)


def _score(raw: Any, maximum: Any, minimum: float = 0) -> dict[str, Any] | None:
    if raw is None or maximum is None:
        return None
    top = float(maximum)
    low = float(minimum)
    if not top > low:
        return None
    value = min(max(float(raw), low), top)
    return {
        "scaled": _number(round(value / top, 4)) if top > 0 else 0,
        "raw": _number(value),
        "min": _number(low),
        "max": _number(top),
    }


def _at(start: str, offset: Any, fallback: str | None) -> str:
    if isinstance(offset, int | float) and not isinstance(offset, bool) and math.isfinite(offset) and offset >= 0:
        return iso(parse_iso(start) + timedelta(seconds=float(offset)))
    return fallback or start


def _response_choice(response: Any, options: list[str]) -> str:
    items = response if isinstance(response, list) else [response]
    ids = []
    for item in items:
        text = str(item).strip()
        if options and text.isdigit() and 1 <= int(text) <= len(options):
            ids.append(_slug(options[int(text) - 1]))
            continue
        match = next((o for o in options if o.casefold() == text.casefold()), None)
        ids.append(_slug(match if match is not None else text))
    return "[,]".join(ids)


def _response_numeric(response: Any) -> str | None:
    if isinstance(response, bool):
        return None
    if isinstance(response, int | float):
        return format(Decimal(str(response)).normalize(), "f")
    try:
        from simulator.quiz.numbers import parse_number

        return format(parse_number(str(response)).value.normalize(), "f")
    except (ValueError, TypeError):
        return None


def _response_text(kind: str, response: Any, options: list[str]) -> str | None:
    if kind == "choice":
        return _response_choice(response, options)
    if kind == "true-false":
        if isinstance(response, bool):
            return "true" if response else "false"
        text = str(response).strip().casefold()
        return "true" if text in ("vrai", "true", "oui", "v", "1") else "false"
    if kind == "numeric":
        return _response_numeric(response)
    if kind == "sequencing":
        return _response_choice(response, options)
    if kind == "matching":
        if isinstance(response, Mapping):
            return "[,]".join(f"{_slug(str(k))}[.]{_slug(str(v))}" for k, v in response.items())
        return None
    if response is None:
        return None
    return str(response) if not isinstance(response, list | dict) else None


# --------------------------------------------------------------------------- statements


class _Builder:
    def __init__(self, attempt: Attempt, trainee: Trainee, session: TrainingSession | None, store_uuid: str, base: str):
        self.attempt = attempt
        self.base = base.rstrip("/")
        self.store_uuid = store_uuid
        self.actor = self._actor(trainee)
        self.activity_id = (
            f"{self.base}/activities/{attempt.kind}/{quote(attempt.pack_id, safe='')}/{quote(attempt.ref, safe='')}"
        )
        result = attempt.result or {}
        title = result.get("title") or attempt.ref
        self.activity = {
            "objectType": "Activity",
            "id": self.activity_id,
            "definition": {
                "type": ACTIVITY_TYPES[attempt.kind],
                "name": {LANG: f"{KIND_LABELS[attempt.kind]} : {title}"},
            },
        }
        ext = f"{self.base}/extensions"
        extensions: dict[str, Any] = {
            f"{ext}/attempt": f"{store_uuid}/{attempt.id}",
            f"{ext}/pack-id": attempt.pack_id,
            f"{ext}/pack-version": attempt.pack_version,
            f"{ext}/pack-hash": attempt.pack_hash,
            f"{ext}/seed": attempt.seed,
        }
        if attempt.transcript_hash:
            extensions[f"{ext}/transcript-hash"] = attempt.transcript_hash
        if attempt.module:
            extensions[f"{ext}/module"] = attempt.module
        self.context: dict[str, Any] = {"platform": "Relance", "language": LANG, "extensions": extensions}
        if session is not None:
            self.context["registration"] = _uuid5(f"{store_uuid}/session/{session.code}")
            self.context["contextActivities"] = {
                "grouping": [
                    {
                        "objectType": "Activity",
                        "id": f"{self.base}/sessions/{quote(session.code, safe='')}",
                        "definition": {"type": ACTIVITY_TYPES["session"], "name": {LANG: session.title}},
                    }
                ]
            }

    def _actor(self, trainee: Trainee) -> dict[str, Any]:
        actor: dict[str, Any] = {"objectType": "Agent", "name": trainee.full_name}
        if trainee.email:
            actor["mbox_sha1sum"] = hashlib.sha1(f"mailto:{trainee.email.strip().lower()}".encode()).hexdigest()
        else:
            actor["account"] = {"homePage": self.base, "name": f"{self.store_uuid}/{trainee.id}"}
        return actor

    def statement(
        self, verb: str, number: int, timestamp: str, obj: dict[str, Any] | None = None,
        result: dict[str, Any] | None = None, parent: bool = False,
    ) -> dict[str, Any]:
        verb_id, display = VERBS[verb]
        statement: dict[str, Any] = {
            "id": _uuid5(f"{self.store_uuid}/{self.attempt.id}/{verb}/{number}"),
            "actor": self.actor,
            "verb": {"id": verb_id, "display": display},
            "object": obj or self.activity,
            "context": self.context,
            "timestamp": timestamp,
        }
        if parent:
            context = dict(self.context)
            activities = dict(context.get("contextActivities", {}))
            activities["parent"] = [{"objectType": "Activity", "id": self.activity_id}]
            context["contextActivities"] = activities
            statement["context"] = context
        if result:
            statement["result"] = result
        return statement

    def interaction(self, item: str, kind: str, name: str, description: str = "", **extra: Any) -> dict[str, Any]:
        definition: dict[str, Any] = {
            "type": ACTIVITY_TYPES["interaction"],
            "name": {LANG: name},
            "interactionType": kind,
        }
        if description:
            definition["description"] = {LANG: description}
        definition.update(extra)
        return {"objectType": "Activity", "id": f"{self.activity_id}/{item}", "definition": definition}

    # ---------------------------------------------------------------- items

    def answered(self) -> Iterator[dict[str, Any]]:
        attempt = self.attempt
        result = attempt.result or {}
        end = attempt.finished_at
        ext = f"{self.base}/extensions"
        if attempt.kind == "call":
            number = 0
            for turn in result.get("turns", []):
                if turn.get("speaker") != "trainee":
                    continue
                number += 1
                score = (turn.get("score") or {}).get("score")
                step = turn.get("expected_step") or ""
                obj = self.interaction(
                    f"replies/{number}", "long-fill-in", f"Réplique {number}" + (f" — {step}" if step else "")
                )
                res: dict[str, Any] = {"response": turn.get("text", "")}
                scored = _score(score, 100)
                if scored:
                    res["score"] = scored
                extensions: dict[str, Any] = {f"{ext}/steps": list(turn.get("steps") or [])}
                if turn.get("objection"):
                    extensions[f"{ext}/objection"] = turn["objection"]
                res["extensions"] = extensions
                yield self.statement("answered", number, _at(attempt.started_at, turn.get("at"), end), obj, res, True)
        elif attempt.kind in ("quiz", "case-study"):
            for number, (question_id, entry) in enumerate(result.get("questions", {}).items(), 1):
                if entry.get("status") == "unanswered" or entry.get("response") is None:
                    continue
                kind = QUESTION_TYPES.get(entry.get("type", ""), "numeric" if attempt.kind == "case-study" else "other")
                options = [str(o) for o in entry.get("options", [])]
                extra: dict[str, Any] = {}
                if options and kind in ("choice", "sequencing"):
                    extra["choices"] = [{"id": _slug(o), "description": {LANG: o}} for o in options]
                obj = self.interaction(
                    f"questions/{quote(question_id, safe='')}", kind, f"Question {question_id}",
                    str(entry.get("text") or ""), **extra,
                )
                res = {"success": entry.get("status") == "correct"}
                response = _response_text(kind, entry.get("response"), options)
                if response is not None:
                    res["response"] = response
                scored = _score(entry.get("score"), entry.get("max"))
                if scored:
                    res["score"] = scored
                res["extensions"] = {f"{ext}/status": entry.get("status", "")}
                yield self.statement("answered", number, end or attempt.started_at, obj, res, True)
        elif attempt.kind == "questionnaire":
            scale = [str(s) for s in result.get("scale", [])] or [str(i) for i in range(1, 6)]
            likert = [{"id": f"likert_{i}", "description": {LANG: label}} for i, label in enumerate(scale, 1)]
            for number, (item_id, value) in enumerate(result.get("ratings", {}).items(), 1):
                obj = self.interaction(
                    f"items/{quote(item_id, safe='')}", "likert", f"Énoncé {item_id}", scale=likert
                )
                res = {
                    "response": f"likert_{value}",
                    "extensions": {f"{ext}/phase": result.get("phase", "")},
                }
                yield self.statement("answered", number, end or attempt.started_at, obj, res, True)

    def total_score(self) -> dict[str, Any] | None:
        attempt = self.attempt
        result = attempt.result or {}
        if attempt.kind == "call":
            overall = (result.get("scorecard") or {}).get("overall", attempt.score)
            return _score(overall, 100)
        totals = result.get("totals")
        if isinstance(totals, Mapping):
            return _score(totals.get("raw"), totals.get("max"))
        if attempt.score is not None:
            return _score(attempt.score, 100)
        return None

    def all(self) -> list[dict[str, Any]]:
        attempt = self.attempt
        if attempt.status == "open" or attempt.finished_at is None:
            return []
        duration = iso_duration(attempt.duration or 0.0)
        out = [self.statement("initialized", 0, attempt.started_at)]
        if attempt.status == "abandoned":
            out.append(
                self.statement("terminated", 0, attempt.finished_at, result={"completion": False, "duration": duration})
            )
            return out
        out.extend(self.answered())
        score = self.total_score()
        completed: dict[str, Any] = {"completion": True, "duration": duration}
        if score:
            completed["score"] = score
        out.append(self.statement("completed", 0, attempt.finished_at, result=completed))
        if attempt.passed is not None:
            verdict: dict[str, Any] = {"success": bool(attempt.passed), "duration": duration}
            if score:
                verdict["score"] = score
            out.append(self.statement("passed" if attempt.passed else "failed", 0, attempt.finished_at, result=verdict))
        out.append(self.statement("terminated", 0, attempt.finished_at, result={"duration": duration}))
        return out


def attempt_statements(
    attempt: Attempt,
    trainee: Trainee,
    session: TrainingSession | None,
    *,
    store_uuid: str,
    base: str = DEFAULT_BASE,
) -> list[dict[str, Any]]:
    """The statements of one attempt (none while it is open)."""
    return _Builder(attempt, trainee, session, store_uuid, base).all()


def store_statements(store: Store, attempts: Iterable[Attempt], *, base: str | None = None) -> Iterator[dict[str, Any]]:
    """Statements of ``attempts`` from ``store``, in attempt order."""
    base = base or str(store.get_setting("xapi.base", DEFAULT_BASE))
    trainees: dict[int, Trainee] = {}
    sessions: dict[int, TrainingSession] = {}
    store_uuid = store.uuid
    for attempt in attempts:
        trainee = trainees.get(attempt.trainee_id) or trainees.setdefault(attempt.trainee_id, store.trainee(attempt.trainee_id))
        session = None
        if attempt.session_id is not None:
            session = sessions.get(attempt.session_id) or sessions.setdefault(
                attempt.session_id, store.session(attempt.session_id)
            )
        yield from attempt_statements(attempt, trainee, session, store_uuid=store_uuid, base=base)


# --------------------------------------------------------------------------- validation

_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]+$")
_LANG_TAG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
_TIMESTAMP = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"
)
_DURATION = re.compile(
    r"^P(?!$)(\d+(?:\.\d+)?Y)?(\d+(?:\.\d+)?M)?(\d+(?:\.\d+)?W)?(\d+(?:\.\d+)?D)?"
    r"(T(?=\d)(\d+(?:\.\d+)?H)?(\d+(?:\.\d+)?M)?(\d+(?:\.\d+)?S)?)?$"
)
_STATEMENT_KEYS = {"id", "actor", "verb", "object", "result", "context", "timestamp", "stored", "authority",
                   "version", "attachments"}
_IFIS = ("mbox", "mbox_sha1sum", "openid", "account")
_INTERACTION_ONLY = {"interactionType", "correctResponsesPattern", "choices", "scale", "source", "target", "steps"}
_COMPONENT_LISTS = {
    "choice": {"choices"},
    "sequencing": {"choices"},
    "likert": {"scale"},
    "matching": {"source", "target"},
    "performance": {"steps"},
}


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _lang_map(value: Any, where: str, problems: list[str]) -> None:
    if not isinstance(value, Mapping) or not value:
        problems.append(f"{where}: language map expected")
        return
    for tag, text in value.items():
        if not isinstance(tag, str) or not _LANG_TAG.match(tag):
            problems.append(f"{where}: invalid language tag {tag!r}")
        if not isinstance(text, str):
            problems.append(f"{where}.{tag}: string expected")


def _extensions(value: Any, where: str, problems: list[str]) -> None:
    if not isinstance(value, Mapping):
        problems.append(f"{where}: object expected")
        return
    for key in value:
        if not isinstance(key, str) or not _IRI.match(key):
            problems.append(f"{where}: key {key!r} is not an IRI")


def _agent(value: Any, where: str, problems: list[str]) -> None:
    if not isinstance(value, Mapping):
        problems.append(f"{where}: object expected")
        return
    if value.get("objectType", "Agent") != "Agent":
        problems.append(f"{where}.objectType: Agent expected")
    ifis = [k for k in _IFIS if k in value]
    if len(ifis) != 1:
        problems.append(f"{where}: exactly one inverse functional identifier required (found {ifis})")
    if "mbox" in value and not str(value["mbox"]).startswith("mailto:"):
        problems.append(f"{where}.mbox: mailto: IRI expected")
    if "mbox_sha1sum" in value and not re.fullmatch(r"[0-9a-f]{40}", str(value["mbox_sha1sum"])):
        problems.append(f"{where}.mbox_sha1sum: 40 hex digits expected")
    if "account" in value:
        account = value["account"]
        if not isinstance(account, Mapping) or set(account) != {"homePage", "name"}:
            problems.append(f"{where}.account: homePage and name required")
        else:
            if not isinstance(account["homePage"], str) or not _IRI.match(account["homePage"]):
                problems.append(f"{where}.account.homePage: IRL expected")
            if not isinstance(account["name"], str) or not account["name"]:
                problems.append(f"{where}.account.name: string expected")
    if "name" in value and not isinstance(value["name"], str):
        problems.append(f"{where}.name: string expected")


def _activity(value: Any, where: str, problems: list[str]) -> None:
    if not isinstance(value, Mapping):
        problems.append(f"{where}: object expected")
        return
    if value.get("objectType", "Activity") != "Activity":
        problems.append(f"{where}.objectType: Activity expected")
    if not isinstance(value.get("id"), str) or not _IRI.match(value["id"]):
        problems.append(f"{where}.id: IRI required")
    definition = value.get("definition")
    if definition is None:
        return
    if not isinstance(definition, Mapping):
        problems.append(f"{where}.definition: object expected")
        return
    for key in ("name", "description"):
        if key in definition:
            _lang_map(definition[key], f"{where}.definition.{key}", problems)
    if "type" in definition and (not isinstance(definition["type"], str) or not _IRI.match(definition["type"])):
        problems.append(f"{where}.definition.type: IRI expected")
    if "extensions" in definition:
        _extensions(definition["extensions"], f"{where}.definition.extensions", problems)
    kind = definition.get("interactionType")
    present = _INTERACTION_ONLY & set(definition)
    if kind is None:
        if present:
            problems.append(f"{where}.definition: {sorted(present)} need an interactionType")
        return
    if kind not in INTERACTION_TYPES:
        problems.append(f"{where}.definition.interactionType: {kind!r} is not an xAPI interaction type")
        return
    allowed = _COMPONENT_LISTS.get(kind, set())
    for key in present - {"interactionType", "correctResponsesPattern"}:
        if key not in allowed:
            problems.append(f"{where}.definition.{key}: not allowed for {kind}")
            continue
        components = definition[key]
        if not isinstance(components, list):
            problems.append(f"{where}.definition.{key}: list expected")
            continue
        ids = [c.get("id") if isinstance(c, Mapping) else None for c in components]
        if any(not isinstance(i, str) or not i for i in ids) or len(set(ids)) != len(ids):
            problems.append(f"{where}.definition.{key}: unique string ids required")
        for index, component in enumerate(components):
            if isinstance(component, Mapping) and "description" in component:
                _lang_map(component["description"], f"{where}.definition.{key}[{index}].description", problems)
    if "correctResponsesPattern" in definition:
        pattern = definition["correctResponsesPattern"]
        if not isinstance(pattern, list) or not all(isinstance(p, str) for p in pattern):
            problems.append(f"{where}.definition.correctResponsesPattern: list of strings expected")


def _timestamp(value: Any, where: str, problems: list[str]) -> None:
    if not isinstance(value, str) or not _TIMESTAMP.match(value) or value.endswith("-00:00"):
        problems.append(f"{where}: ISO 8601 timestamp with a time zone expected, got {value!r}")
        return
    try:
        datetime.fromisoformat(value)
    except ValueError:
        problems.append(f"{where}: invalid date or time {value!r}")


def validate_statement(statement: Any, *, seen: set[int] | None = None) -> list[str]:
    """Problems of ``statement`` against the xAPI 1.0.3 rules this exporter relies on (empty: valid).

    Checked: known top-level properties; ``id`` a UUID; actor an Agent with exactly one
    inverse functional identifier; verb and object ids IRIs; language maps; interaction
    types and their component lists; ``result.score`` (``scaled`` in [-1, 1], ``min`` <
    ``max``, ``raw`` in [``min``, ``max``], numbers only); ``success``/``completion``
    booleans; ISO 8601 ``duration`` and ``timestamp``; ``context.registration`` a UUID;
    extension keys IRIs.

    ``seen`` (for a batch whose statements are all alive, e.g. a list being exported): ids of
    actor/object/context objects already found valid; statements of one attempt share them.
    """
    problems: list[str] = []
    if not isinstance(statement, Mapping):
        return ["statement: object expected"]
    unknown = set(statement) - _STATEMENT_KEYS
    if unknown:
        problems.append(f"statement: unknown properties {sorted(unknown)}")
    for required in ("actor", "verb", "object"):
        if required not in statement:
            problems.append(f"statement.{required}: required")
    if "id" in statement and (not isinstance(statement["id"], str) or not _UUID.match(statement["id"])):
        problems.append("statement.id: lower-case RFC 4122 UUID expected")
    def fresh(value: Any) -> bool:
        if seen is None:
            return True
        key = id(value)
        if key in seen:
            return False
        seen.add(key)
        return True

    if "actor" in statement and fresh(statement["actor"]):
        _agent(statement["actor"], "actor", problems)
    verb = statement.get("verb")
    if verb is not None:
        if not isinstance(verb, Mapping) or not isinstance(verb.get("id"), str) or not _IRI.match(verb["id"]):
            problems.append("verb.id: IRI required")
        elif "display" in verb:
            _lang_map(verb["display"], "verb.display", problems)
    if "object" in statement and fresh(statement["object"]):
        _activity(statement["object"], "object", problems)
    result = statement.get("result")
    if result is not None:
        if not isinstance(result, Mapping):
            problems.append("result: object expected")
        else:
            unknown = set(result) - {"score", "success", "completion", "response", "duration", "extensions"}
            if unknown:
                problems.append(f"result: unknown properties {sorted(unknown)}")
            for key in ("success", "completion"):
                if key in result and not isinstance(result[key], bool):
                    problems.append(f"result.{key}: boolean expected")
            if "response" in result and not isinstance(result["response"], str):
                problems.append("result.response: string expected")
            if "duration" in result and (
                not isinstance(result["duration"], str) or not _DURATION.match(result["duration"])
            ):
                problems.append(f"result.duration: ISO 8601 duration expected, got {result['duration']!r}")
            if "extensions" in result:
                _extensions(result["extensions"], "result.extensions", problems)
            score = result.get("score")
            if score is not None:
                if not isinstance(score, Mapping) or not score:
                    problems.append("result.score: object expected")
                else:
                    unknown = set(score) - {"scaled", "raw", "min", "max"}
                    if unknown:
                        problems.append(f"result.score: unknown properties {sorted(unknown)}")
                    for key, value in score.items():
                        if not _is_number(value):
                            problems.append(f"result.score.{key}: number expected, got {value!r}")
                    if _is_number(score.get("scaled")) and not -1 <= score["scaled"] <= 1:
                        problems.append(f"result.score.scaled: {score['scaled']} outside [-1, 1]")
                    low, high, raw = score.get("min"), score.get("max"), score.get("raw")
                    if _is_number(low) and _is_number(high) and not low < high:
                        problems.append("result.score: min must be less than max")
                    if _is_number(raw) and _is_number(low) and raw < low:
                        problems.append(f"result.score.raw: {raw} below min {low}")
                    if _is_number(raw) and _is_number(high) and raw > high:
                        problems.append(f"result.score.raw: {raw} above max {high}")
    context = statement.get("context")
    if context is not None and fresh(context):
        if not isinstance(context, Mapping):
            problems.append("context: object expected")
        else:
            registration = context.get("registration")
            if registration is not None and (not isinstance(registration, str) or not _UUID.match(registration)):
                problems.append("context.registration: UUID expected")
            if "language" in context and (
                not isinstance(context["language"], str) or not _LANG_TAG.match(context["language"])
            ):
                problems.append("context.language: RFC 5646 tag expected")
            if "extensions" in context:
                _extensions(context["extensions"], "context.extensions", problems)
            activities = context.get("contextActivities", {})
            if not isinstance(activities, Mapping):
                problems.append("context.contextActivities: object expected")
            else:
                for key, items in activities.items():
                    if key not in ("parent", "grouping", "category", "other"):
                        problems.append(f"context.contextActivities: unknown key {key!r}")
                    for index, item in enumerate(items if isinstance(items, list) else [items]):
                        _activity(item, f"context.contextActivities.{key}[{index}]", problems)
    if "timestamp" in statement:
        _timestamp(statement["timestamp"], "timestamp", problems)
    if "version" in statement and not re.fullmatch(r"1\.0(\.\d+)?", str(statement["version"])):
        problems.append("version: 1.0.x expected")
    return problems
