"""``relance serve`` end to end: Debian's Chromium, driven by Playwright, plays a reply in a browser tab.

The browser is the system's (``/usr/bin/chromium``, through ``executable_path``): nothing is
downloaded. The terminal is drawn on a canvas, so what the app shows is read from the
websocket frames it sends (ANSI text); the store is checked too. Without Chromium or
Playwright the test is skipped on a developer's machine and fails in CI (``CI`` set),
where ``.ci/run`` installs them.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

DEMO = Path(__file__).resolve().parent.parent / "tui" / "fixtures" / "demo"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-gpu",
    "--disable-quic",
]
ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78]")


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _require_browser() -> str:
    chromium = _chromium()
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        chromium = None
    if chromium is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium or Playwright missing in CI: .ci/run must install them")
        pytest.skip("Chromium (apt-get install chromium) or Playwright not installed")
    return chromium


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """``relance --pack DEMO serve --port 0`` in a fresh RELANCE_HOME; yields (url, store path)."""
    home = tmp_path / "home"
    env = {**os.environ, "RELANCE_HOME": str(home), "TEXTUAL_ANIMATIONS": "none"}
    process = subprocess.Popen(
        [sys.executable, "-m", "simulator", "--pack", str(DEMO), "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        url = None
        deadline = time.monotonic() + 60
        assert process.stdout is not None
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            found = re.search(r"prêt \(ready\) — (http://\S+)", line)
            if found:
                url = found.group(1)
                break
        assert url, "relance serve did not print its ready line"
        yield url, home / "data" / "relance.sqlite3"
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:  # pragma: no cover
            process.kill()


def _screen_text(frames: list[bytes | str]) -> str:
    raw = "".join(f.decode("utf-8", "replace") if isinstance(f, bytes) else "" for f in frames)
    return ANSI.sub("", raw)


def test_a_trainee_plays_a_reply_in_the_browser(served: tuple[str, Path], tmp_path: Path) -> None:
    chromium = _require_browser()
    from playwright.sync_api import sync_playwright

    url, store_path = served
    frames: list[bytes | str] = []

    def enter(text: str = "") -> None:
        """Type like a person: the text, a pause, then Enter (keys arriving in one burst are a paste)."""
        if text:
            page.keyboard.type(text, delay=15)
            page.wait_for_timeout(250)
        page.keyboard.press("Enter")
        page.wait_for_timeout(350)

    def wait_for(text: str, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in _screen_text(frames):
                return
            page.wait_for_timeout(200)
        raise AssertionError(f"« {text} » never shown; last screen text: {_screen_text(frames)[-800:]!r}")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: frames.append(payload)))
            page.goto(url)
            assert page.title().startswith("Relance")
            assert page.locator("link[rel=icon]").get_attribute("href").endswith("relance.svg")
            wait_for("Bienvenue dans Relance")
            page.focus(".xterm-helper-textarea")  # keyboard focus without a click on the app
            for value in ("Martin", "Claire", "Soléo Emballages", ""):
                enter(value)
            wait_for("Bonjour Claire Martin")
            enter()  # the first call is highlighted
            wait_for("Vous : Claire Martin")
            enter("Bonjour, Claire Martin, du service crédit clients de Soléo Emballages.")
            wait_for("/100 ·")
            screenshot = tmp_path / "relance-serve.png"
            page.screenshot(path=str(screenshot))
            assert screenshot.stat().st_size > 10_000
            keep = os.environ.get("RELANCE_E2E_SCREENSHOT")
            if keep:
                shutil.copy(screenshot, keep)
        finally:
            browser.close()
    with sqlite3.connect(store_path) as conn:
        (trainee,) = conn.execute("SELECT prenom, nom FROM trainees").fetchall()
        payloads = [row[0] for row in conn.execute("SELECT payload FROM events")]
    assert trainee == ("Claire", "Martin")
    assert any("Soléo Emballages" in p and '"reply"' in p for p in payloads)
