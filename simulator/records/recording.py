"""Storing an engine's attempt: the glue between the engines' results and :class:`Store`.

The headless commands (``relance call --record``, ``relance quiz --record``…) and the app
use these helpers so that every attempt is stored the same way:

* the attempt row cites the pack (id, version, hash) and the hashes of the packs it
  depends on, the seed and the module;
* each reply / answer / rating is an event, committed on its own;
* the result is the engine's JSON result; for a call it is the transcript document
  (:func:`simulator.dialogue.to_document`) and ``transcript_hash`` is its canonical hash;
* ``score`` is a percentage (call: the overall /100; quiz and case study: percent of the
  points) and ``passed`` compares it with the pass mark (calls: :data:`CALL_PASS_MARK`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from simulator.errors import UsageError
from simulator.records.canonical import content_hash
from simulator.records.store import Store, Trainee

__all__ = [
    "CALL_MODULE",
    "CALL_PASS_MARK",
    "finish_call",
    "pack_dependencies",
    "record_call",
    "record_case_study",
    "record_questionnaire",
    "record_quiz",
    "recording_target",
]

CALL_PASS_MARK = 70
"""A call is passed at 70/100, the lower bound of the « good » calibration band."""

CALL_MODULE = "appels"
"""Module under which call attempts are reported (cases do not name a module)."""


def recording_target(store: Store) -> tuple[Trainee, int | None]:
    """The current trainee and session (id or None); :class:`UsageError` if no trainee is chosen."""
    trainee = store.current_trainee()
    if trainee is None:
        raise UsageError(
            "aucun stagiaire courant : impossible d'enregistrer la tentative",
            "créez-le avec `relance trainee add --nom … --prenom … --organisation … --use`",
        )
    session = store.current_session()
    return trainee, session.id if session else None


def pack_dependencies(library: Any, pack: Any) -> dict[str, str]:
    """``{pack id: hash}`` of the packs ``pack`` depends on, transitively (not ``pack`` itself)."""
    by_id = {p.id: p for p in library.packs}
    found: dict[str, str] = {}
    todo = list(pack.manifest.depends)
    while todo:
        pack_id = todo.pop()
        if pack_id in found or pack_id == pack.id or pack_id not in by_id:
            continue
        found[pack_id] = by_id[pack_id].hash
        todo.extend(by_id[pack_id].manifest.depends)
    return dict(sorted(found.items()))


def _start(
    store: Store, trainee_id: int, session_id: int | None, kind: str, ref: str, pack: Any, seed: int,
    library: Any, module: str | None,
) -> int:
    return store.start_attempt(
        trainee_id,
        kind,
        ref,
        pack.id,
        pack.manifest.version,
        pack.hash,
        seed,
        session_id,
        module=module,
        dependencies=pack_dependencies(library, pack),
    )


def finish_call(store: Store, attempt_id: int, document: Mapping[str, Any], *, duration: float | None = None) -> None:
    """Close a call attempt with its transcript document (score, pass, transcript hash)."""
    overall = document["scorecard"]["overall"]
    store.finish_attempt(
        attempt_id,
        float(overall),
        overall >= CALL_PASS_MARK,
        document,
        content_hash(document),
        duration=duration,
    )


def record_call(
    store: Store, trainee_id: int, session_id: int | None, library: Any, document: Mapping[str, Any]
) -> int:
    """Store a finished call from its transcript document; returns the attempt id."""
    case_id = document["case"]
    pack = library.pack_of("case", case_id)
    attempt_id = _start(store, trainee_id, session_id, "call", case_id, pack, int(document["seed"]), library, CALL_MODULE)
    for turn in document["turns"]:
        if turn["speaker"] == "trainee":
            store.add_event(attempt_id, {"type": "reply", "text": turn["text"], "at": turn.get("at")})
    finish_call(store, attempt_id, document)
    return attempt_id


def _answers(store: Store, attempt_id: int, answers: Iterable[tuple[str, Any, float]]) -> None:
    for question_id, response, at in answers:
        store.add_event(attempt_id, {"type": "answer", "question": question_id, "response": response, "at": at})


def record_quiz(
    store: Store,
    trainee_id: int,
    session_id: int | None,
    library: Any,
    state: Any,
    result: Mapping[str, Any],
    answers: Iterable[tuple[str, Any, float]],
) -> int:
    """Store a quiz: ``state`` is the final :class:`~simulator.quiz.session.QuizState`,
    ``result`` its ``finish(state).to_dict()``, ``answers`` the (question, response, seconds) given."""
    bank = state.quiz
    pack = library.pack_of("quiz", bank.id)
    data = dict(result)
    questions = {key: dict(value) for key, value in data.get("questions", {}).items()}
    for prepared in state.questions:
        if prepared.id in questions and prepared.options:
            questions[prepared.id]["options"] = list(prepared.options)
    data["questions"] = questions
    attempt_id = _start(store, trainee_id, session_id, "quiz", bank.id, pack, state.seed, library, bank.module)
    _answers(store, attempt_id, answers)
    store.finish_attempt(attempt_id, float(data["totals"]["percent"]), bool(data["passed"]), data)
    return attempt_id


def record_case_study(
    store: Store,
    trainee_id: int,
    session_id: int | None,
    library: Any,
    sheet: Any,
    result: Mapping[str, Any],
    answers: Mapping[str, Any],
) -> int:
    """Store a graded case study (``sheet`` from ``start_case_study``, ``result`` its ``to_dict()``)."""
    study = sheet.study
    pack = library.pack_of("case-study", study.id)
    attempt_id = _start(store, trainee_id, session_id, "case-study", study.id, pack, sheet.seed, library, study.module)
    _answers(store, attempt_id, ((qid, response, 0.0) for qid, response in answers.items()))
    store.finish_attempt(attempt_id, float(result["totals"]["percent"]), bool(result["passed"]), dict(result))
    return attempt_id


def record_questionnaire(
    store: Store,
    trainee_id: int,
    session_id: int | None,
    library: Any,
    questionnaire: Any,
    result: Mapping[str, Any],
) -> int:
    """Store a self-assessment (no score, no pass); ``result`` holds ``ratings`` and ``phase``."""
    pack = library.pack_of("questionnaire", questionnaire.id)
    data = dict(result)
    data.setdefault("scale", list(questionnaire.scale))
    attempt_id = _start(store, trainee_id, session_id, "questionnaire", questionnaire.id, pack, 0, library, None)
    for item_id, value in data.get("ratings", {}).items():
        store.add_event(attempt_id, {"type": "rating", "item": item_id, "value": value})
    store.finish_attempt(attempt_id, None, None, data)
    return attempt_id
