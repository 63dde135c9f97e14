"""Crash safety: writers killed with SIGKILL at random moments lose nothing they acknowledged.

Two child processes write events to the same store at the same time; each prints
``attempt seq`` (flushed) only after :meth:`Store.add_event` returned, i.e. after the commit.
Each round kills both at random points (bounded: a few rounds of well under a second).
Afterwards the store must pass ``PRAGMA integrity_check`` and hold every acknowledged event.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from simulator.records.store import Store

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

CHILD = textwrap.dedent(
    """
    import sys
    from simulator.records.store import Store

    path, attempt = sys.argv[1], int(sys.argv[2])
    store = Store.open(path)
    n = 0
    while True:
        n += 1
        payload = {"type": "answer", "question": f"q{n}", "response": "réponse " + "x" * (n % 97), "n": n}
        seq = store.add_event(attempt, payload)
        sys.stdout.write(f"{attempt} {seq} {n}\\n")
        sys.stdout.flush()
    """
)

ROUNDS = 4


def _acknowledged(output: bytes) -> list[tuple[int, int, int]]:
    rows = []
    for line in output.decode().splitlines():
        parts = line.split()
        if len(parts) == 3:  # a line cut by the kill is not an acknowledgement
            rows.append((int(parts[0]), int(parts[1]), int(parts[2])))
    return rows


def test_kill_9_loses_no_acknowledged_event(tmp_path: Path) -> None:
    path = tmp_path / "relance.sqlite3"
    with Store.open(path) as store:
        trainee = store.upsert_trainee("Dupont", "Élodie", "Soléo")
        attempts = [store.start_attempt(trainee.id, "quiz", "q", "p", "1", "h", 0) for _ in range(2)]
    rng = random.Random(20261123)
    acknowledged: list[tuple[int, int, int]] = []
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    deadline = time.monotonic() + 60
    for _ in range(ROUNDS):
        children = [
            subprocess.Popen([sys.executable, "-c", CHILD, str(path), str(a)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, env=env)
            for a in attempts
        ]
        # Let them start writing, then kill each at its own random moment.
        time.sleep(0.35)
        for child in children:
            time.sleep(rng.uniform(0.0, 0.25))
            child.send_signal(signal.SIGKILL)
        for child in children:
            out, err = child.communicate(timeout=30)
            assert child.returncode == -signal.SIGKILL, err.decode()
            acknowledged.extend(_acknowledged(out))
        assert time.monotonic() < deadline
    assert len(acknowledged) > 10, "the writers did not get going"
    print(f"{len(acknowledged)} acknowledged events")
    with Store.open(path) as store:
        assert store.check() == "ok"
        for attempt in attempts:
            events = store.events(attempt)
            seqs = [seq for seq, _at, _payload in store.event_rows(attempt)]
            assert seqs == list(range(1, len(seqs) + 1)), "sequence numbers have no gap"
            by_seq = dict(zip(seqs, events, strict=True))
            for owner, seq, n in acknowledged:
                if owner == attempt:
                    assert seq in by_seq, f"acknowledged event {attempt}/{seq} lost"
                    assert by_seq[seq]["n"] == n
