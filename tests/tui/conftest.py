"""Helpers for the app tests: the app on a frozen demo pack with a real SQLite store in a temporary folder.

The store is the real one (the same checks as in use: a closed attempt refuses new
events, the follow-up sheet has its own table…); its clock is fake so that dates on
screen are the same on every run.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # the helpers module beside the tests

from simulator.content.library import load_library
from simulator.records.store import Store

DEMO = Path(__file__).parent / "fixtures" / "demo"


class FakeClock:
    """Each reading advances by ``step`` seconds from 2026-11-17 09:00 UTC; ``moment`` may be moved."""

    def __init__(self, step: float = 1.0) -> None:
        self.moment = datetime(2026, 11, 17, 9, 0, tzinfo=UTC)
        self.step = step

    def __call__(self) -> datetime:
        self.moment += timedelta(seconds=self.step)
        return self.moment

    def next_day(self) -> None:
        self.moment += timedelta(days=1)


@pytest.fixture(scope="session")
def library():
    return load_library([DEMO])


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store(tmp_path: Path, clock: FakeClock) -> Iterator[Store]:
    s = Store.open(tmp_path / "relance.sqlite3", now=clock)
    yield s
    s.close()


@pytest.fixture
def known_store(store: Store) -> Store:
    """A store where the trainee is already known (no identity screen)."""
    trainee = store.upsert_trainee("Martin", "Claire", "Soléo Emballages")
    store.set_current_trainee(trainee.id)
    return store
