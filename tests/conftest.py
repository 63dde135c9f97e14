"""Shared test setup: every test gets its own RELANCE_HOME (no user folders touched)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def relance_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("relance-home")
    monkeypatch.setenv("RELANCE_HOME", str(home))
    return home


@pytest.fixture
def project_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def shared_pack_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pack-cache")


@pytest.fixture
def warm_pack_cache(shared_pack_cache: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """One pack cache for the whole run: tests that run many commands parse the bundled packs once."""
    monkeypatch.setattr("simulator.locations.cache_dir", lambda: shared_pack_cache)
    return shared_pack_cache


def pytest_configure(config: pytest.Config) -> None:
    os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")


# Property tests: no deadline (a loaded machine is not a bug; hangs are caught by a watchdog in
# the tests), and in CI the same examples every run, so a red build is reproducible.
settings.register_profile(
    "relance",
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    print_blob=True,
)
settings.load_profile("relance")
