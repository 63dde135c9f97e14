"""Posting to an LRS: a local HTTP server on 127.0.0.1 (ephemeral port) stands in for it."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from simulator.errors import ExportError, UsageError
from simulator.records.lrs import normalise_endpoint, post_statements
from simulator.records.xapi import store_statements

from .conftest import Populated


class FakeLrs(ThreadingHTTPServer):
    """Answers each POST with the next scripted status (200 once the script is used up)."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.script: list[int] = []
        self.requests: list[dict[str, Any]] = []
        self.accepted: list[str] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/xapi"


class _Handler(BaseHTTPRequestHandler):
    server: FakeLrs

    def log_message(self, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        body = json.loads(self.rfile.read(length))
        self.server.requests.append({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body})
        status = self.server.script.pop(0) if self.server.script else 200
        if status == 200:
            self.server.accepted.extend(s["id"] for s in body)
            payload = json.dumps([s["id"] for s in body]).encode()
        else:
            payload = json.dumps({"error": True, "message": f"scripted {status}"}).encode()
        answer_json(self, status, payload)


def answer_json(handler: BaseHTTPRequestHandler, status: int, payload: bytes) -> None:
    """Send ``payload`` as a JSON answer with ``status`` (shared with the real-LRS proxy)."""
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(payload)))
    handler.end_headers()
    handler.wfile.write(payload)


@pytest.fixture
def lrs() -> Iterator[FakeLrs]:
    server = FakeLrs()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _statements(populated: Populated) -> list[dict[str, Any]]:
    return list(store_statements(populated.store, populated.store.attempts()))


def _no_sleep(_seconds: float) -> None:
    pass


def test_posts_batches_with_headers_and_marks_them_sent(lrs: FakeLrs, populated: Populated) -> None:
    statements = _statements(populated)
    report = post_statements(statements, lrs.url, store=populated.store, auth="formateur:s3cret", batch_size=10,
                             sleep=_no_sleep)
    assert report.sent == len(statements) and report.skipped == 0
    assert report.batches == len(lrs.requests) == -(-len(statements) // 10)
    first = lrs.requests[0]
    assert first["path"] == "/xapi/statements"
    assert first["headers"]["x-experience-api-version"] == "1.0.3"
    assert first["headers"]["authorization"] == "Basic " + base64.b64encode(b"formateur:s3cret").decode()
    assert first["headers"]["content-type"].startswith("application/json")
    assert lrs.accepted == [s["id"] for s in statements]
    assert populated.store.sent_statement_ids(normalise_endpoint(lrs.url)) == set(lrs.accepted)
    again = post_statements(statements, lrs.url, store=populated.store, sleep=_no_sleep)
    assert again.sent == 0 and again.skipped == len(statements)
    assert len(lrs.requests) == report.batches  # nothing re-sent


def test_server_error_then_success_is_retried(lrs: FakeLrs, populated: Populated) -> None:
    statements = _statements(populated)
    lrs.script = [500, 503]
    pauses: list[float] = []
    report = post_statements(statements, lrs.url, store=populated.store, batch_size=len(statements),
                             backoff=0.25, sleep=pauses.append)
    assert report.retries == 2 and report.sent == len(statements)
    assert pauses == [0.25, 0.5]  # exponential backoff
    assert len(lrs.requests) == 3
    assert lrs.accepted == [s["id"] for s in statements]


def test_retries_are_bounded(lrs: FakeLrs, populated: Populated) -> None:
    statements = _statements(populated)
    lrs.script = [500] * 10
    with pytest.raises(ExportError) as info:
        post_statements(statements, lrs.url, store=populated.store, retries=2, sleep=_no_sleep)
    assert "3 essais" in info.value.message
    assert len(lrs.requests) == 3
    assert populated.store.sent_statement_ids(normalise_endpoint(lrs.url)) == set()


def test_client_error_is_clear_and_nothing_is_marked_sent(lrs: FakeLrs, populated: Populated) -> None:
    statements = _statements(populated)
    lrs.script = [400]
    with pytest.raises(ExportError) as info:
        post_statements(statements, lrs.url, store=populated.store, sleep=_no_sleep)
    assert "HTTP 400" in info.value.message and "scripted 400" in info.value.message
    assert len(lrs.requests) == 1  # a 4xx is not retried
    assert populated.store.sent_statement_ids(normalise_endpoint(lrs.url)) == set()


def test_resume_sends_only_what_was_not_accepted(lrs: FakeLrs, populated: Populated) -> None:
    statements = _statements(populated)
    lrs.script = [200, 401]
    with pytest.raises(ExportError) as info:
        post_statements(statements, lrs.url, store=populated.store, batch_size=5, sleep=_no_sleep)
    assert "HTTP 401" in info.value.message and "--auth" in info.value.hint
    sent = populated.store.sent_statement_ids(normalise_endpoint(lrs.url))
    assert sent == {s["id"] for s in statements[:5]}
    lrs.requests.clear()
    report = post_statements(statements, lrs.url, store=populated.store, batch_size=5, sleep=_no_sleep)
    assert report.skipped == 5 and report.sent == len(statements) - 5
    resent = [s["id"] for r in lrs.requests for s in r["body"]]
    assert resent == [s["id"] for s in statements[5:]]


def test_unreachable_lrs_is_an_export_error(populated: Populated) -> None:
    server = FakeLrs()
    url = server.url
    server.server_close()  # the port is closed now
    with pytest.raises(ExportError) as info:
        post_statements(_statements(populated), url, retries=1, sleep=_no_sleep, timeout=2)
    assert "connexion impossible" in info.value.message


def test_bad_endpoint_or_auth_is_a_usage_error() -> None:
    with pytest.raises(UsageError):
        normalise_endpoint("ftp://lrs.example/xapi")
    with pytest.raises(UsageError):
        post_statements([], "http://127.0.0.1:1/xapi", auth="no-colon")
    assert normalise_endpoint("https://lrs.example/xapi/") == "https://lrs.example/xapi/statements"
    assert normalise_endpoint("https://lrs.example/xapi/statements") == "https://lrs.example/xapi/statements"


def test_cli_export_to_lrs(lrs: FakeLrs, relance_home: Path, populated_home: Any,
                           capsys: pytest.CaptureFixture[str]) -> None:
    from simulator.cli import main

    lrs.script = [500]
    code = main(["export", "--lrs", lrs.url, "--auth", "a:b", "--batch", "100"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "déclaration(s) envoyée(s)" in captured.err and "1 nouvel(s) essai(s)" in captured.err
    total = len(lrs.accepted)
    assert total > 10
    assert main(["export", "--lrs", lrs.url, "--auth", "a:b"]) == 0
    assert f"{total} déjà acceptée(s)" in capsys.readouterr().err
    lrs.script = [403]
    with populated_home() as store:
        before = len(store.attempts())
    assert before
    assert main(["export", "--lrs", lrs.url + "/other", "--auth", "a:b"]) == 1
    err = capsys.readouterr().err
    assert "HTTP 403" in err and "Traceback" not in err
    assert main(["export", "--lrs", lrs.url, "--format", "csv"]) == 2
