"""Shared test setup: every test gets its own RELANCE_HOME (no user folders touched)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def relance_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("relance-home")
    monkeypatch.setenv("RELANCE_HOME", str(home))
    return home


@pytest.fixture
def project_root() -> Path:
    return ROOT


def pytest_configure(config: pytest.Config) -> None:
    os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
