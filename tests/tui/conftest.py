"""Helpers for the app tests: an app on the bundled packs with an in-memory store."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from memory_store import MemoryStore  # noqa: E402

from simulator.content.library import load_library  # noqa: E402

DEMO = Path(__file__).parent / "fixtures" / "demo"


@pytest.fixture(scope="session")
def library():
    return load_library([DEMO])


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture
def known_store() -> MemoryStore:
    """A store where the trainee is already known (no identity screen)."""
    s = MemoryStore()
    trainee = s.upsert_trainee("Martin", "Claire", "Soléo Emballages")
    s.set_current_trainee(trainee.id)
    return s
