"""A real learning record store for the tests: Ralph (``ralph-malph``), file-system backend, on loopback.

Ralph lives in its own virtual environment (``.ci/install-ralph`` makes ``.ralph-venv/``), found
through ``RELANCE_RALPH`` (the ``ralph`` executable), ``.ralph-venv/bin/ralph`` or the ``PATH``.
Without it the tests are skipped on a developer's machine and fail in CI (``CI`` set), where
``.ci/run`` installs it. Each test gets its own server: its own port, data folder and
credentials made by the test; the server can be killed (SIGKILL, reloader and worker) and
started again on the same port and data, as after a crash.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SITE = Path(__file__).resolve().parent / "ralph_site"
START_TIMEOUT = 60.0


def ralph_executable() -> str | None:
    candidates = [os.environ.get("RELANCE_RALPH", ""), str(ROOT / ".ralph-venv" / "bin" / "ralph"),
                  shutil.which("ralph") or ""]
    return next((c for c in candidates if c and os.access(c, os.X_OK)), None)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Ralph:
    """One Ralph server: ``start()``, ``kill()``, ``statements()`` (read back through the xAPI)."""

    def __init__(self, executable: str, folder: Path) -> None:
        self.executable = executable
        self.folder = folder
        self.data = folder / "data"
        self.port = _free_port()
        self.username = "relance-test"
        self.password = secrets.token_urlsafe(18)
        self.process: subprocess.Popen[bytes] | None = None
        self.env = {
            **os.environ,
            "RALPH_APP_DIR": str(folder / "app"),
            "RALPH_AUTH_FILE": str(folder / "auth.json"),
            "RALPH_RUNSERVER_BACKEND": "fs",
            "PYTHONPATH": str(SITE),
        }
        self.env.pop("PYTHONHOME", None)
        subprocess.run(
            [executable, "auth", "-u", self.username, "-p", self.password, "-s", "all",
             "-M", "mailto:relance-test@example.org", "-w"],
            env=self.env, check=True, capture_output=True, timeout=120,
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/xAPI"

    @property
    def auth(self) -> str:
        return f"{self.username}:{self.password}"

    @property
    def lrs_file(self) -> Path:
        return self.data / "fs_lrs.jsonl"

    def start(self) -> None:
        workdir = self.folder / "cwd"  # runserver watches its working folder for code changes
        workdir.mkdir(exist_ok=True)
        log = (self.folder / "ralph.log").open("ab")
        self.process = subprocess.Popen(
            [self.executable, "runserver", "-b", "fs", "-h", "127.0.0.1", "-p", str(self.port),
             "--fs-default-directory-path", str(self.data)],
            cwd=workdir, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Ralph stopped at start:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/__heartbeat__", timeout=2) as reply:
                    if reply.status == 200:
                        return
            except (OSError, urllib.error.URLError):
                time.sleep(0.2)
        self.kill()
        raise RuntimeError(f"Ralph did not answer within {START_TIMEOUT:.0f} s:\n{self.log_tail()}")

    def kill(self) -> None:
        """SIGKILL the server's whole process group (the reloader and its worker), as a crash would."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=30)
        self.process = None

    def log_tail(self) -> str:
        try:
            return (self.folder / "ralph.log").read_text(encoding="utf-8", errors="replace")[-3000:]
        except OSError:
            return ""

    def _get(self, path: str) -> Any:
        token = base64.b64encode(self.auth.encode()).decode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}",
            headers={"Authorization": f"Basic {token}", "X-Experience-API-Version": "1.0.3"},
        )
        with urllib.request.urlopen(request, timeout=30) as reply:
            return json.loads(reply.read())

    def statements(self) -> list[dict[str, Any]]:
        """Every statement the LRS holds, read back through ``GET /xAPI/statements`` (all pages)."""
        found: list[dict[str, Any]] = []
        path = "/xAPI/statements?limit=25"
        for _page in range(1000):
            page = self._get(path)
            found.extend(page["statements"])
            more = page.get("more")
            if not more:
                return found
            path = more
        raise AssertionError("endless pagination")

    def stored_ids(self) -> list[str]:
        """Statement ids as written in the LRS file, duplicates included."""
        if not self.lrs_file.exists():
            return []
        return [json.loads(line)["id"] for line in self.lrs_file.read_text(encoding="utf-8").splitlines() if line]


@pytest.fixture
def ralph(tmp_path: Path) -> Iterator[Ralph]:
    executable = ralph_executable()
    if executable is None:
        message = "Ralph (ralph-malph) is not installed: run .ci/install-ralph"
        if os.environ.get("CI"):
            pytest.fail(message + " (CI must run the LRS tests)")
        pytest.skip(message)
    server = Ralph(executable, tmp_path / "ralph")
    server.start()
    try:
        yield server
    finally:
        server.kill()
