"""Fixtures for the records tests: a frozen copy of content packs, a fake clock, a populated store."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from simulator.content.library import Library, load_library
from simulator.dialogue import play, to_document
from simulator.records.recording import (
    record_call,
    record_case_study,
    record_questionnaire,
    record_quiz,
)
from simulator.records.store import Store

from .ralph import ralph  # noqa: F401 - a real LRS for the tests that ask for it

FIXTURES = Path(__file__).parent / "fixtures"
PACK_DIRS = [FIXTURES / "appels", FIXTURES / "quiz"]
"""Frozen copies of content (the bundled packs evolve; these tests must not)."""


class FakeClock:
    """Each call advances by ``step`` seconds from 2026-11-23 09:00 UTC."""

    def __init__(self, step: float = 1.0) -> None:
        self.moment = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
        self.step = step

    def __call__(self) -> datetime:
        self.moment += timedelta(seconds=self.step)
        return self.moment


@pytest.fixture(scope="session")
def library() -> Library:
    return load_library([str(p) for p in PACK_DIRS], use_cache=False)


@pytest.fixture(scope="session")
def good_replies() -> list[str]:
    data = yaml.safe_load((FIXTURES / "appels" / "leroy-bon-parcours.yaml").read_text(encoding="utf-8"))
    return list(data["replies"])


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store(tmp_path: Path, clock: FakeClock) -> Iterator[Store]:
    s = Store.open(tmp_path / "relance.sqlite3", now=clock)
    yield s
    s.close()


def call_document(library: Library, replies: list[str], seed: int = 1, case_id: str = "leroy-premier-appel") -> dict[str, Any]:
    case = library.case(case_id)
    pack = library.pack_of("case", case_id)
    times = [float(10 * (i + 1)) for i in range(len(replies))]
    state, _ = play(case, seed, library, replies, times)
    return to_document(state, pack.id, pack.hash, pack.manifest.version)


@dataclass
class Populated:
    store: Store
    trainee_id: int
    other_id: int
    session_id: int
    call_id: int
    quiz_id: int
    case_study_id: int
    questionnaire_id: int
    abandoned_id: int
    open_id: int


def populate(store: Store, library: Library, replies: list[str]) -> Populated:
    """A session, two trainees and one attempt of every kind and status."""
    from simulator.quiz.case_study import grade_case_study, start_case_study
    from simulator.quiz.questionnaire import rate
    from simulator.quiz.session import answer, finish, start_quiz

    session = store.create_session(
        "RT-2026-11",
        "Relance téléphonique B2B — 4 800 € en jeu",
        objectives=["Conduire un appel de relance en 9 étapes", "Traiter les objections"],
        start_date="2026-11-12",
        end_date="2026-11-13",
        planned_hours=14,
        organisation="Formations Crédit SARL",
        trainer="Anne Morel",
        place="Lyon",
    )
    trainee = store.upsert_trainee("Dupont", "Élodie", "Soléo Emballages", "elodie.dupont@example.fr", "RT-2026-11")
    other = store.upsert_trainee("Martin", "Hugo", "Vercors Traiteur", "", "RT-2026-11")
    store.set_current_trainee(trainee.id)
    store.set_current_session(session.id)

    call_id = record_call(store, trainee.id, session.id, library, call_document(library, replies))
    record_call(store, other.id, session.id, library, call_document(library, replies[:5], seed=3))

    bank = library.quiz("quiz-types")
    state = start_quiz(bank, 7)
    given = []
    responses = {"q-single": 1, "q-vrai-faux": "vrai", "q-dso": "73 jours", "q-texte": "DSO",
                 "q-multiple": [1, 2], "q-ordre": ["Présentation", "Rappel des faits", "Écoute", "Engagement"]}
    for prepared in state.questions:
        if prepared.id in responses:
            state, _ = answer(state, prepared.id, responses[prepared.id], 5.0)
            given.append((prepared.id, responses[prepared.id], 5.0))
    quiz_id = record_quiz(store, trainee.id, session.id, library, state, finish(state).to_dict(), given)

    sheet = start_case_study(library.case_study("etude-dso"), 2)
    case_answers = {"dso": "80", "penalites": "1 234,56 €"}
    result = grade_case_study(sheet, case_answers).to_dict()
    case_study_id = record_case_study(store, trainee.id, session.id, library, sheet, result, case_answers)

    questionnaire = library.questionnaire("autoeval-poste-client")
    given_q = rate(questionnaire, {"i-dso-calcul": 2, "i-dso-lire": 3, "i-penalites": 4}, phase="before")
    questionnaire_result = {"kind": "questionnaire", "id": questionnaire.id, "title": questionnaire.title,
                            "phase": given_q.phase, "ratings": dict(given_q.ratings), "free_text": ""}
    questionnaire_id = record_questionnaire(store, trainee.id, session.id, library, questionnaire, questionnaire_result)

    pack = library.pack_of("case", "leroy-premier-appel")
    abandoned = store.start_attempt(trainee.id, "call", "leroy-premier-appel", pack.id, pack.manifest.version,
                                    pack.hash, 5, session.id)
    store.add_event(abandoned, {"type": "reply", "text": "Bonjour", "at": 1.0})
    store.abandon_attempt(abandoned)
    open_id = store.start_attempt(trainee.id, "call", "leroy-premier-appel", pack.id, pack.manifest.version,
                                  pack.hash, 6, session.id)
    store.add_event(open_id, {"type": "reply", "text": "Bonjour, Claire Martin", "at": 2.0})
    return Populated(store, trainee.id, other.id, session.id, call_id, quiz_id, case_study_id, questionnaire_id,
                     abandoned, open_id)


@pytest.fixture
def populated(store: Store, library: Library, good_replies: list[str]) -> Populated:
    return populate(store, library, good_replies)


@pytest.fixture
def populated_home(relance_home: Path, library: Library, good_replies: list[str]) -> Any:
    """The default store (under RELANCE_HOME) populated; returns a function that opens it."""
    with Store.open(now=FakeClock()) as s:
        populate(s, library, good_replies)
    return Store.open
