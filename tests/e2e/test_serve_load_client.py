"""``bench/serve.py``'s simulated trainees still speak to ``relance serve``: two of them, briefly.

The bench's clients are real websocket clients of textual-serve's protocol; this plays two
replies each (seconds, not minutes) against a real server on loopback, so that a change
of the app's screens or of the protocol that would break the load bench is seen here.
Skipped when no loopback port can be bound.
"""

from __future__ import annotations

import asyncio
import importlib.util
import socket
import sqlite3
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
DEMO = ROOT / "tests" / "tui" / "fixtures" / "demo"


def _bench():
    spec = importlib.util.spec_from_file_location("relance_bench_serve", ROOT / "bench" / "serve.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _loopback_port_free() -> bool:
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.bind(("127.0.0.1", 0))
        return True
    except OSError:
        return False


def test_two_simulated_trainees_play_replies_against_relance_serve(tmp_path: Path) -> None:
    if not _loopback_port_free():
        pytest.skip("no loopback port can be bound here")
    bench = _bench()
    scripts = bench.load_scripts([DEMO])
    try:
        server = bench.Server(tmp_path / "home", max_sessions=5, packs=[DEMO])
    except SystemExit as error:
        if "impossible d'écouter" in str(error):
            pytest.skip(f"relance serve could not listen: {error}")
        raise
    try:
        pace = bench.Pace(keys_per_second=80, think=(0.1, 0.2), max_replies=2, timeout=20)
        phase = asyncio.run(bench.measure(server, "test", 2, 120, scripts, pace, every=0.5))
    finally:
        server.stop()
    figures = phase.figures
    assert not figures.errors, figures.messages
    assert figures.sessions == 2 and len(figures.starts) == 2
    # Each trainee's first reply and a later one, each seen with its score.
    assert len(figures.firsts) == 2 and len(figures.later) == 2
    assert all(0 <= score <= 100 for score in figures.scores) and len(figures.scores) == 4
    summary = phase.summary()
    assert summary["memory_mib"]["sessions_sampled"] == 2
    assert summary["memory_mib"]["session_rss_median"] > 10
    assert phase.left == 0, "app processes outlived their closed tabs"
    assert not server.failures(), "".join(server.lines)
    # The replies reached the app and its store, under each trainee's name.
    with sqlite3.connect(tmp_path / "home" / "data" / "relance.sqlite3") as conn:
        names = sorted(row[0] for row in conn.execute("SELECT nom FROM trainees"))
        replies = conn.execute("SELECT COUNT(*) FROM events WHERE payload LIKE '%\"reply\"%'").fetchone()[0]
    assert names == ["Essai00", "Essai01"]
    assert replies == 4
