"""`relance export --lrs` against a real LRS (Ralph): every statement delivered once, through
injected HTTP 500s, dropped connections and a server killed mid-run; read back equal to what
was sent.

Faults come from a small proxy on loopback between Relance and Ralph: for each POST it follows
a script (pass, answer 500, drop the connection before or after forwarding, kill Ralph after
forwarding) and logs which statement ids it forwarded and which were acknowledged to Relance.
"""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from .conftest import FakeClock, populate
from .ralph import Ralph
from .test_lrs import answer_json

LRS_ADDED = ("stored", "authority")
"""Properties an LRS sets on the statements it stores (xAPI 1.0.3, §2.4.8 and §2.4.9)."""


class FaultyProxy(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, ralph: Ralph) -> None:
        super().__init__(("127.0.0.1", 0), _ProxyHandler)
        self.ralph = ralph
        self.script: list[str] = []
        self.log: list[tuple[str, list[str], int | None]] = []
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/xAPI"

    def acknowledged(self) -> list[str]:
        return [i for _action, ids, status in self.log if status in (200, 204) for i in ids]


class _ProxyHandler(BaseHTTPRequestHandler):
    server: FaultyProxy
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:
        pass

    def _drop(self) -> None:
        self.close_connection = True  # no answer at all: the client sees the connection close

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        ids = [s["id"] for s in json.loads(body)]
        with self.server.lock:
            action = self.server.script.pop(0) if self.server.script else "pass"
        if action == "500":
            self.server.log.append((action, ids, 500))
            answer_json(self, 500, b'{"detail": "injected failure"}')
            return
        if action == "drop":
            self.server.log.append((action, ids, None))
            return self._drop()
        headers = {k: v for k, v in self.headers.items() if k.lower() in
                   ("authorization", "content-type", "x-experience-api-version", "content-length")}
        try:
            upstream = http.client.HTTPConnection("127.0.0.1", self.server.ralph.port, timeout=30)
            upstream.request("POST", self.path, body=body, headers=headers)
            reply = upstream.getresponse()
            status, payload = reply.status, reply.read()
            upstream.close()
        except OSError:  # Ralph is down: the client's connection is dropped
            self.server.log.append(("down", ids, None))
            return self._drop()
        if action == "kill":
            self.server.ralph.kill()
        if action in ("drop-after", "kill"):
            self.server.log.append((action, ids, None))  # stored by Ralph, never acknowledged
            return self._drop()
        self.server.log.append((action, ids, status))
        answer_json(self, status, payload)


@pytest.fixture
def proxy(ralph: Ralph) -> Iterator[FaultyProxy]:
    server = FaultyProxy(ralph)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def recorded(relance_home: Path, library: Any, good_replies: list[str]) -> Path:
    """The default store under RELANCE_HOME, with attempts of every kind (46 statements)."""
    from simulator.records.store import Store

    with Store.open(now=FakeClock()) as store:
        populate(store, library, good_replies)
    return relance_home


def relance(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "simulator", *args], capture_output=True, text=True,
                          timeout=300, env=os.environ.copy(), check=False)


def sent_statements(tmp_path: Path) -> list[dict[str, Any]]:
    target = tmp_path / "sent.jsonl"
    result = relance("export", "--format", "xapi", "-o", str(target))
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]


def assert_read_back_equals_sent(ralph: Ralph, sent: list[dict[str, Any]]) -> None:
    stored = ralph.statements()
    counts = Counter(s["id"] for s in stored)
    assert [i for i, n in counts.items() if n > 1] == [], "a statement is stored twice"
    assert set(counts) == {s["id"] for s in sent}
    by_id = {s["id"]: s for s in stored}
    for statement in sent:
        back = {k: v for k, v in by_id[statement["id"]].items() if k not in LRS_ADDED}
        assert back == statement
    # On disk too, each statement is written once.
    on_disk = Counter(ralph.stored_ids())
    assert max(on_disk.values()) == 1 and set(on_disk) == set(counts)


def test_export_delivers_every_statement_once(ralph: Ralph, recorded: Path, tmp_path: Path) -> None:
    sent = sent_statements(tmp_path)
    assert len(sent) >= 40
    # Wrong credentials: a clear refusal, nothing stored, nothing marked as sent.
    refused = relance("export", "--lrs", ralph.url, "--auth", "relance-test:wrong", "--retries", "0")
    assert refused.returncode == 1 and "HTTP 401" in refused.stderr and "Traceback" not in refused.stderr
    assert ralph.stored_ids() == []
    result = relance("export", "--lrs", ralph.url, "--auth", ralph.auth, "--batch", "8")
    assert result.returncode == 0, result.stderr + ralph.log_tail()
    assert f"{len(sent)} déclaration(s) envoyée(s)" in result.stderr
    assert_read_back_equals_sent(ralph, sent)
    # Again: nothing is sent twice.
    again = relance("export", "--lrs", ralph.url, "--auth", ralph.auth, "--batch", "8")
    assert again.returncode == 0
    assert f"0 déclaration(s) envoyée(s) en 0 lot(s), {len(sent)} déjà acceptée(s)" in again.stderr
    assert_read_back_equals_sent(ralph, sent)


def test_interrupted_transfer_resumes_without_sending_twice(ralph: Ralph, proxy: FaultyProxy, recorded: Path,
                                                            tmp_path: Path) -> None:
    sent = sent_statements(tmp_path)
    batch = 4
    # Batch 1 goes through; batch 2 meets a 500 then passes; batch 3 a dropped connection; batch 4
    # is stored by Ralph but its answer is lost; batch 5 is forwarded, then Ralph is killed.
    proxy.script = ["pass", "500", "pass", "drop", "pass", "drop-after", "pass", "kill"]
    first = relance("export", "--lrs", proxy.url, "--auth", ralph.auth, "--batch", str(batch), "--retries", "2")
    assert first.returncode == 1, first.stderr
    assert "relancez la commande" in first.stderr and "Traceback" not in first.stderr
    assert "16 déclaration(s) envoyée(s)" in first.stderr  # batches 1 to 4 acknowledged
    stored_before = set(ralph.stored_ids())
    assert len(stored_before) == 5 * batch  # batch 5 reached the disk before the crash
    acknowledged_first = proxy.acknowledged()
    assert len(acknowledged_first) == len(set(acknowledged_first)) == 4 * batch

    ralph.start()  # after the crash: same port, same data
    second = relance("export", "--lrs", proxy.url, "--auth", ralph.auth, "--batch", str(batch), "--retries", "2")
    assert second.returncode == 0, second.stderr + ralph.log_tail()
    assert f"{len(sent) - 4 * batch} déclaration(s) envoyée(s)" in second.stderr
    assert f"{4 * batch} déjà acceptée(s)" in second.stderr

    # None twice: no statement acknowledged to Relance was ever sent again…
    forwarded_after_ack: list[str] = []
    acked: set[str] = set()
    for _action, ids, status in proxy.log:
        forwarded_after_ack.extend(i for i in ids if i in acked)
        if status in (200, 204):
            acked.update(ids)
    assert forwarded_after_ack == []
    assert acked == {s["id"] for s in sent}
    # …and what the LRS holds is every statement once, equal to what was sent.
    assert_read_back_equals_sent(ralph, sent)
