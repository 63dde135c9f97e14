"""Benchmark: a class of simulated trainees against ``relance serve``.

Starts ``relance serve --port 0`` (bundled packs, a fresh ``RELANCE_HOME``) and drives it
with websocket clients that speak textual-serve's protocol exactly as the browser page does:
the page opens ``/ws?width=W&height=H``, the server starts one app process for it, sends the
terminal's output as binary frames and takes the keyboard as ``["stdin", keys]`` JSON
messages (one message per key press, as xterm.js sends them).

Each simulated trainee opens a session, fills the welcome form, then plays calls from the
home list: it starts a case, reads the client's line (a pause), types each reply of one of
the case's golden transcripts key by key, presses Enter and waits for that reply's score
line (``→ NN/100 · …``) below its own ``Vous : …`` line in the output stream. After the
call it opens the debrief, goes back home and takes the next case, until the time is up;
then it closes its tab.

Two phases in one run, on the same server:

1. **alone** — one trainee for ``--baseline-seconds``: the baseline;
2. **class** — ``--trainees`` trainees arriving over ``--ramp`` seconds, for ``--seconds``.

Printed for each: sessions, calls, replies, errors by kind, reply latency (Enter → score
line shown) p50 / p95 / max, session start (connect → welcome form shown), memory per
session (RSS and PSS of each app process tree the server spawned, sampled every two seconds),
the CPU used by the server and its sessions; then the class's ratios to the baseline and
the issue's goal (0 errors, p95 ≤ 300 ms), which is printed, never asserted. App processes
still alive after the class left are counted as errors, and so is any traceback the
server prints. The bench's own CPU is printed too: on a small machine the clients compete
with the server.

Usage: ``python bench/serve.py [--trainees 30] [--seconds 180] [--quick] [--json]``
(``--quick``: 6 trainees for 18 s, typing and reading faster — about 35 s in all).
"""

from __future__ import annotations

import argparse
import asyncio
import codecs
import json
import math
import os
import random
import re
import resource
import statistics
import string
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78]")
"""Terminal escape sequences (colours, cursor moves, titles): stripped to read the text shown."""

ENTER, DOWN, HOME, ESCAPE, F6 = "\r", "\x1b[B", "\x1b[H", "\x1b", "\x1b[17~"
"""What xterm.js sends for these keys."""


def shown(key: str, head: int | None = None, **values: object) -> re.Pattern[str]:
    """A regex for the French text of interface ``key`` (the catalogue's, so it follows the app).

    Only the first ``head`` characters of the text are matched when given (a long text may
    wrap). Given placeholders are matched as given, ``{score}`` as a number (group 1), any
    other as anything.
    """
    from simulator.tui.i18n import CATALOGUE

    parts = []
    for literal, name, _, _ in string.Formatter().parse(CATALOGUE[key][0][:head]):
        parts.append(re.escape(literal))
        if name is None:
            continue
        if name in values:
            parts.append(re.escape(str(values[name])))
        else:
            parts.append(r"(\d+)" if name == "score" else r"[^\n]*?")
    return re.compile("".join(parts))


class SessionError(Exception):
    """One trainee's failure, with a short kind (``timeout:score``, ``closed``, ``connect``…)."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = kind


# --------------------------------------------------------------------------- one browser tab


class Tab:
    """A websocket client that behaves like textual-serve's page: keys in, terminal text out."""

    def __init__(self) -> None:
        self._raw: list[str] = []
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self._changed = asyncio.Event()
        self._reader: asyncio.Task[None] | None = None
        self._http: Any = None
        self.ws: Any = None
        self.closed: str | None = None

    async def open(self, url: str, width: int, height: int) -> None:
        import aiohttp

        self._http = aiohttp.ClientSession()
        try:
            self.ws = await self._http.ws_connect(f"{url}?width={width}&height={height}", max_msg_size=1 << 22)
        except (aiohttp.ClientError, OSError) as error:
            await self._http.close()
            raise SessionError("connect", str(error) or type(error).__name__) from None
        await self.ws.send_str(json.dumps(["resize", {"width": width, "height": height}]))
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        import aiohttp

        try:
            async for message in self.ws:
                if message.type == aiohttp.WSMsgType.BINARY:
                    self._raw.append(self._decoder.decode(message.data))
                    self._changed.set()
        except Exception as error:  # noqa: BLE001 - reported as this tab's failure
            self.closed = f"{type(error).__name__}: {error}"
        finally:
            if self.closed is None:
                self.closed = f"closed by the server (code {self.ws.close_code})"
            self._changed.set()

    async def send(self, keys: str) -> None:
        if self.closed:
            raise SessionError("closed", self.closed)
        try:
            await self.ws.send_str(json.dumps(["stdin", keys]))
        except (ConnectionError, RuntimeError) as error:
            raise SessionError("closed", str(error)) from None

    def mark(self) -> None:
        """Forget what was shown so far: the next :meth:`expect` only reads what comes after."""
        self._raw.clear()

    def text(self) -> str:
        return ANSI.sub("", "".join(self._raw))

    async def expect(self, pattern: str | re.Pattern[str], what: str, timeout: float) -> re.Match[str]:
        """Wait until ``pattern`` is shown (since the last :meth:`mark`)."""
        regex = pattern if isinstance(pattern, re.Pattern) else re.compile(re.escape(pattern))
        deadline = time.monotonic() + timeout
        while True:
            self._changed.clear()
            found = regex.search(self.text())
            if found:
                return found
            if self.closed:
                raise SessionError("closed", f"{self.closed} while waiting for {what}")
            left = deadline - time.monotonic()
            if left <= 0:
                raise SessionError(f"timeout:{what}", f"not shown after {timeout:.0f} s; last text {self.text()[-200:]!r}")
            try:
                await asyncio.wait_for(self._changed.wait(), left)
            except TimeoutError:
                pass

    async def close(self) -> None:
        if self.ws is not None and not self.ws.closed:
            await self.ws.close()
        if self._reader is not None:
            try:
                await asyncio.wait_for(self._reader, 10)
            except (TimeoutError, asyncio.CancelledError):
                self._reader.cancel()
        if self._http is not None:
            await self._http.close()


# --------------------------------------------------------------------------- what trainees play


@dataclass(frozen=True)
class Script:
    """One golden transcript: the case's place in the home list, its title, the replies."""

    position: int
    title: str
    replies: tuple[str, ...]


def load_scripts(packs: Iterable[str | Path] = ()) -> list[Script]:
    """The goldens of the packs (default: the bundled ones), cases ordered as the home list."""
    from simulator.content.library import load_library

    library = load_library(list(packs) or None)
    cases = sorted(library.all("case"), key=lambda c: (c.difficulty, c.title))
    position = {case.id: n for n, case in enumerate(cases)}
    scripts = [
        Script(position[g.case], next(c.title for c in cases if c.id == g.case), tuple(g.replies))
        for g in library.all("golden")
        if g.case in position and g.replies
    ]
    if not scripts:
        raise SystemExit("no golden transcript with replies in these packs: nothing to play")
    return sorted(scripts, key=lambda s: (s.position, s.replies))


@dataclass(frozen=True)
class Pace:
    """How a trainee behaves."""

    keys_per_second: float = 5.0
    think: tuple[float, float] = (3.0, 8.0)
    """Seconds spent reading the client's line before typing."""
    timeout: float = 30.0
    """Longest wait for any screen (a longer one is an error)."""
    start_timeout: float = 90.0
    """Longest wait for a new session's welcome form (many open at once on a small machine)."""
    max_replies: int | None = None
    """Stop after this many replies (the tests); None: until the deadline."""
    width: int = 120
    height: int = 36


@dataclass
class Figures:
    """What one phase measured."""

    firsts: list[float] = field(default_factory=list)
    """Latency of each session's first reply (the scorer's lazy imports happen then)."""
    later: list[float] = field(default_factory=list)
    """Latency of the other replies."""
    timeline: list[tuple[float, float]] = field(default_factory=list)
    """(monotonic time of the Enter, latency) of every reply."""
    starts: list[float] = field(default_factory=list)
    scores: list[int] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    messages: list[str] = field(default_factory=list)
    calls: int = 0
    sessions: int = 0
    keys: int = 0
    """Key presses sent (the offered load)."""

    @property
    def latencies(self) -> list[float]:
        return self.firsts + self.later

    def fail(self, who: str, error: SessionError) -> None:
        self.errors[error.kind] += 1
        if len(self.messages) < 8:
            self.messages.append(f"{who}: {error}")


class TimeUp(Exception):
    """The phase is over: the trainee closes the tab, wherever it is."""


async def _pause(seconds: float, deadline: float) -> None:
    await asyncio.sleep(max(0.0, min(seconds, deadline - time.monotonic())))
    if time.monotonic() >= deadline:
        raise TimeUp


async def _type(tab: Tab, text: str, pace: Pace, rng: random.Random, deadline: float = float("inf"),
                figures: Figures | None = None) -> None:
    """One key press per message, at a human pace."""
    for char in text:
        await tab.send(char)
        if figures is not None:
            figures.keys += 1
        await _pause(rng.uniform(0.5, 1.5) / pace.keys_per_second, deadline)


def _score_after(reply: str) -> re.Pattern[str]:
    """This reply's score line: the first ``→ NN/100 · …`` below the line that shows the reply."""
    you = shown("call.you").pattern + " : " + re.escape(reply[:20])
    return re.compile(you + ".*?" + shown("call.score").pattern, re.DOTALL)


async def trainee(number: int, ws_url: str, scripts: list[Script], pace: Pace, deadline: float,
                  figures: Figures, seed: int = 0) -> None:
    """One simulated trainee, from opening the tab to closing it at ``deadline`` (or after
    ``pace.max_replies`` replies). Failures are counted in ``figures``, never raised."""
    rng = random.Random(seed * 1000 + number)
    name, first = f"Essai{number:02d}", "Camille"
    tab = Tab()
    replies = 0
    ended_text = shown("call.ended", head=15)
    try:
        began = time.perf_counter()
        await tab.open(ws_url, pace.width, pace.height)
        figures.sessions += 1
        await tab.expect(shown("identity.title"), "welcome", pace.start_timeout)
        figures.starts.append(time.perf_counter() - began)
        await asyncio.sleep(0.3)
        for value in (name, first, "Banc de charge", ""):  # name, first name, organisation, no session code
            await _type(tab, value, pace, rng)
            await asyncio.sleep(0.15)
            await tab.send(ENTER)
            await asyncio.sleep(0.15)
        hello = shown("home.hello", name=f"{first} {name}")
        await tab.expect(hello, "home", pace.timeout)
        turn = number
        while True:
            script = scripts[turn % len(scripts)]
            turn += 1
            await _pause(0.5, deadline)
            for key in (HOME, DOWN, *[DOWN] * script.position):  # the first call, then the script's
                await tab.send(key)
                await asyncio.sleep(0.05)
            tab.mark()
            await tab.send(ENTER)
            await tab.expect(shown("call.title", case=script.title[:20]), "call", pace.timeout)
            ended = False
            for reply in script.replies:
                await _pause(rng.uniform(*pace.think), deadline)  # reading the client's line
                ended = bool(ended_text.search(tab.text()))
                if ended:
                    break
                await _type(tab, reply, pace, rng, deadline, figures)
                tab.mark()
                sent = time.perf_counter()
                await tab.send(ENTER)
                found = await tab.expect(_score_after(reply), "score", pace.timeout)
                latency = time.perf_counter() - sent
                (figures.later if replies else figures.firsts).append(latency)
                figures.timeline.append((time.monotonic() - latency, latency))
                figures.scores.append(int(found.group(1)))
                replies += 1
                if pace.max_replies is not None and replies >= pace.max_replies:
                    return
            if not ended:
                await _pause(1.0, deadline)
                ended = bool(ended_text.search(tab.text()))
            tab.mark()
            if ended:
                await tab.send(ENTER)
            else:  # the script ran out before the client hung up: F6, then « o » (oui)
                await tab.send(F6)
                await tab.expect(shown("call.hangup_confirm", head=20), "hang-up", pace.timeout)
                await asyncio.sleep(0.3)
                await tab.send("o")
            await tab.expect(shown("debrief.overall"), "debrief", pace.timeout)
            figures.calls += 1
            await _pause(rng.uniform(*pace.think), deadline)
            tab.mark()
            await tab.send(ESCAPE)
            await tab.expect(hello, "home", pace.timeout)
    except TimeUp:
        pass  # the tab closes wherever the trainee is, as a trainee leaving does
    except SessionError as error:
        figures.fail(f"trainee {number}", error)
    finally:
        await tab.close()


async def warm_up(ws_url: str, pace: Pace) -> None:
    """Open one tab and close it once the welcome form shows (the first builds the packs' cache)."""
    tab = Tab()
    try:
        await tab.open(ws_url, pace.width, pace.height)
        await tab.expect(shown("identity.title"), "welcome", pace.start_timeout)
    finally:
        await tab.close()


async def run_class(ws_url: str, trainees: int, seconds: float, scripts: list[Script], pace: Pace,
                    *, ramp: float = 0.0, seed: int = 0, first: int = 0) -> Figures:
    """``trainees`` trainees arriving evenly over ``ramp`` seconds, each leaving ``seconds`` after the start."""
    figures = Figures()
    deadline = time.monotonic() + seconds

    async def arrive(n: int) -> None:
        await asyncio.sleep(ramp * n / max(1, trainees))
        await trainee(first + n, ws_url, scripts, pace, deadline, figures, seed)

    await asyncio.gather(*(arrive(n) for n in range(trainees)))
    return figures


# --------------------------------------------------------------------------- the server and its processes


class Server:
    """``relance serve --port 0`` in a fresh RELANCE_HOME; its output kept to count failures."""

    def __init__(self, home: Path, max_sessions: int, packs: Iterable[str | Path] = ()) -> None:
        args = [sys.executable, "-m", "simulator"]
        for pack in packs:
            args += ["--pack", str(pack)]
        args += ["serve", "--port", "0", "--max-sessions", str(max_sessions)]
        self.process = subprocess.Popen(
            args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            env={**os.environ, "RELANCE_HOME": str(home)},
        )
        self.lines: list[str] = []
        self.url: str | None = None
        ready = threading.Event()

        def pump() -> None:
            assert self.process.stdout is not None
            for line in self.process.stdout:
                self.lines.append(line)
                found = re.search(r"prêt \(ready\) — (http://\S+)", line)
                if found and self.url is None:
                    self.url = found.group(1)
                    ready.set()
            ready.set()

        threading.Thread(target=pump, daemon=True).start()
        if not ready.wait(120) or self.url is None:
            self.stop()
            raise SystemExit("relance serve did not start:\n" + "".join(self.lines[-20:]))

    @property
    def ws_url(self) -> str:
        assert self.url is not None
        return self.url.split("?")[0].replace("http://", "ws://", 1) + "ws"

    def failures(self) -> Counter[str]:
        """Tracebacks, failed app starts and interrupted sessions the server printed."""
        text = "".join(self.lines)
        return Counter({
            "server:traceback": text.count("Traceback (most recent call last)"),
            "server:app-failed-to-start": text.count("Application failed to start"),
            "server:session-interrupted": text.count("séance interrompue"),
        }) + Counter()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(entry))
    return children


def _tree(pid: int, children: dict[int, list[int]]) -> list[int]:
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        todo.extend(children.get(current, []))
    return out


def _memory(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process in bytes; zeros if it is gone."""
    try:
        import psutil
    except ImportError:
        psutil = None
    if psutil is not None:
        try:
            info = psutil.Process(pid).memory_full_info()
            return info.rss, getattr(info, "pss", info.rss)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            return 0, 0
    try:
        rss = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[21]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0, 0
    pss = rss
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                pss = int(line.split()[1]) * 1024
                break
    except OSError:
        pass
    return rss, pss


def cpu_seconds(pid: int) -> tuple[float, float]:
    """CPU seconds used by a process itself, and by the children it has reaped (ended sessions)."""
    try:
        import psutil

        times = psutil.Process(pid).cpu_times()
        return times.user + times.system, times.children_user + times.children_system
    except ImportError:
        fields = [int(v) for v in Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[11:15]]
        return (fields[0] + fields[1]) / TICKS, (fields[2] + fields[3]) / TICKS


def _children(pid: int) -> dict[int, list[int]]:
    try:
        import psutil
    except ImportError:
        return _children_map()
    out: dict[int, list[int]] = {}
    try:
        for child in psutil.Process(pid).children(recursive=True):
            try:
                out.setdefault(child.ppid(), []).append(child.pid)
            except psutil.NoSuchProcess:
                pass
    except psutil.NoSuchProcess:
        pass
    return out


@dataclass
class Sample:
    """The server's process tree at one moment: (RSS, PSS) by session; the machine's CPU ticks."""

    sessions: dict[int, tuple[int, int]]
    server_rss: int
    at: float = 0.0
    ticks: tuple[int, int] = (0, 0)
    """(busy, all) CPU ticks of the whole machine since boot (other users' work included)."""
    ours: float = 0.0
    """CPU seconds so far of the server, its sessions (live and ended) and this bench's clients."""


def _machine_ticks() -> tuple[int, int]:
    try:
        values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return 0, 0
    idle = values[3] + (values[4] if len(values) > 4 else 0)  # idle + iowait
    total = sum(values[:8])  # guest time is already counted in user
    return total - idle, total


def sample(server_pid: int) -> Sample:
    """Each direct child of the server is one session (its shell and app process together)."""
    children = _children(server_pid)
    sessions: dict[int, tuple[int, int]] = {}
    own = resource.getrusage(resource.RUSAGE_SELF)
    ours = sum(cpu_seconds(server_pid)) + own.ru_utime + own.ru_stime
    for child in children.get(server_pid, []):
        rss = pss = 0
        for pid in _tree(child, children):
            r, p = _memory(pid)
            rss, pss = rss + r, pss + p
            ours += _live_cpu(pid)
        if rss:
            sessions[child] = (rss, pss)
    return Sample(sessions, _memory(server_pid)[0], time.monotonic(), _machine_ticks(), ours)


def _live_cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICKS
    except (OSError, IndexError, ValueError):
        return 0.0


async def watch(server_pid: int, samples: list[Sample], stop: asyncio.Event, every: float = 2.0) -> None:
    while not stop.is_set():
        samples.append(await asyncio.to_thread(sample, server_pid))
        try:
            await asyncio.wait_for(stop.wait(), every)
        except TimeoutError:
            pass


async def app_processes_left(server_pid: int, wait: float = 15.0) -> int:
    """App processes still alive ``wait`` seconds after every tab closed (0 expected)."""
    deadline = time.monotonic() + wait
    while True:
        left = len(_children(server_pid).get(server_pid, []))
        if not left or time.monotonic() >= deadline:
            return left
        await asyncio.sleep(0.5)


# --------------------------------------------------------------------------- report


def _pct(values: list[float], q: float, scale: float = 1.0, digits: int = 1) -> float | None:
    """Nearest-rank percentile (None without values)."""
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[max(0, math.ceil(q * len(ordered)) - 1)] * scale, digits)


def _mib(values: Iterable[int], how: Any = statistics.median) -> float | None:
    values = list(values)
    return round(how(values) / 2**20, 1) if values else None


@dataclass
class Phase:
    """One phase's figures and the server's process tree sampled meanwhile."""

    name: str
    trainees: int
    began: float
    seconds: float
    figures: Figures
    samples: list[Sample]
    server_cpu: float
    sessions_cpu: float
    left: int

    def windows(self, width: float) -> list[dict[str, Any]]:
        """Replies, latency, open sessions and the machine's CPU use in each ``width``-second slice."""
        out = []
        start = 0.0
        while start < self.seconds:
            end = start + width
            lat = [v for t, v in self.figures.timeline if start <= t - self.began < end]
            inside = [x for x in self.samples if start <= x.at - self.began < end]
            busy = ours = None
            if len(inside) >= 2 and inside[-1].ticks[1] > inside[0].ticks[1]:
                first, last = inside[0], inside[-1]
                cores = (last.ticks[1] - first.ticks[1]) / TICKS / max(last.at - first.at, 1e-9)
                busy = round(100 * (last.ticks[0] - first.ticks[0]) / (last.ticks[1] - first.ticks[1]))
                ours = round(100 * (last.ours - first.ours) / max(last.at - first.at, 1e-9) / max(cores, 1e-9))
            out.append({
                "from_s": round(start), "replies": len(lat),
                "p50_ms": _pct(lat, 0.5, 1000.0, 0), "p95_ms": _pct(lat, 0.95, 1000.0, 0),
                "sessions": max((len(x.sessions) for x in inside), default=0),
                "machine_cpu_pct": busy, "our_cpu_pct": ours,
            })
            start = end
        return out

    def summary(self, window: float = 30.0) -> dict[str, Any]:
        f = self.figures
        # Each session at its largest (a session grows when its first reply loads the scorer).
        peaks: dict[int, tuple[int, int]] = {}
        for one in self.samples:
            for pid, (rss, pss) in one.sessions.items():
                old = peaks.get(pid, (0, 0))
                peaks[pid] = (max(old[0], rss), max(old[1], pss))
        total = max((sum(r for r, _ in one.sessions.values()) + one.server_rss for one in self.samples), default=0)
        errors = Counter(f.errors)
        if self.left:
            errors["app-processes-left"] = self.left
        ms = 1000.0
        return {
            "phase": self.name,
            "trainees": self.trainees,
            "seconds": round(self.seconds, 1),
            "sessions_opened": f.sessions,
            "calls_finished": f.calls,
            "replies": len(f.latencies),
            "keys_per_second": round(f.keys / max(self.seconds, 1e-9), 1),
            "errors": sum(errors.values()),
            "errors_by_kind": dict(errors),
            "error_samples": f.messages,
            "latency_ms": {
                "p50": _pct(f.latencies, 0.50, ms),
                "p95": _pct(f.latencies, 0.95, ms),
                "max": _pct(f.latencies, 1.0, ms),
                "first_reply_p50": _pct(f.firsts, 0.50, ms),
                "first_reply_p95": _pct(f.firsts, 0.95, ms),
                "later_replies_p50": _pct(f.later, 0.50, ms),
                "later_replies_p95": _pct(f.later, 0.95, ms),
            },
            "session_start_s": {"p50": _pct(f.starts, 0.50, digits=2), "p95": _pct(f.starts, 0.95, digits=2)},
            "memory_mib": {
                "sessions_sampled": len(peaks),
                "session_rss_median": _mib(r for r, _ in peaks.values()),
                "session_rss_max": _mib((r for r, _ in peaks.values()), max),
                "session_pss_median": _mib(p for _, p in peaks.values()),
                "server_rss_max": _mib((one.server_rss for one in self.samples), max),
                "all_rss_max": _mib([total]),
            },
            "cpu_s": {"server": round(self.server_cpu, 1), "sessions": round(self.sessions_cpu, 1)},
            "windows": self.windows(window),
        }


def _v(value: float | None, unit: str, digits: int = 0) -> str:
    return "n/a" if value is None else f"{value:.{digits}f} {unit}"


def print_phase(s: dict[str, Any]) -> None:
    m, lat, st = s["memory_mib"], s["latency_ms"], s["session_start_s"]
    print(f"\n{s['phase']}: {s['trainees']} trainee(s), {s['seconds']:.0f} s")
    print(f"  sessions {s['sessions_opened']}, calls finished {s['calls_finished']}, replies scored {s['replies']}, "
          f"keys typed {s['keys_per_second']:g}/s in all")
    kinds = ", ".join(f"{k} {v}" for k, v in sorted(s["errors_by_kind"].items())) or "none"
    print(f"  errors {s['errors']} ({kinds})")
    for message in s["error_samples"]:
        print(f"    {message[:300]}")
    print(f"  reply latency, Enter → score shown: p50 {_v(lat['p50'], 'ms')}, p95 {_v(lat['p95'], 'ms')}, "
          f"max {_v(lat['max'], 'ms')}")
    print(f"    a session's first reply: p50 {_v(lat['first_reply_p50'], 'ms')}, p95 {_v(lat['first_reply_p95'], 'ms')}; "
          f"later replies: p50 {_v(lat['later_replies_p50'], 'ms')}, p95 {_v(lat['later_replies_p95'], 'ms')}")
    print(f"  session start, connect → welcome form: p50 {_v(st['p50'], 's', 2)}, p95 {_v(st['p95'], 's', 2)}")
    print(f"  memory per session ({m['sessions_sampled']} sessions, each at its peak): RSS median "
          f"{_v(m['session_rss_median'], 'MiB', 1)}, max {_v(m['session_rss_max'], 'MiB', 1)}; PSS median "
          f"{_v(m['session_pss_median'], 'MiB', 1)}; server RSS {_v(m['server_rss_max'], 'MiB', 1)}; "
          f"server and sessions together at most {_v(m['all_rss_max'], 'MiB', 1)}")
    cpu = s["cpu_s"]
    print(f"  CPU: server (the relay) {cpu['server']} s, sessions (the apps) {cpu['sessions']} s — "
          f"{(cpu['server'] + cpu['sessions']) / max(s['seconds'], 1e-9):.2f} cores on average")
    if len(s["windows"]) > 1:
        print("  over time:   from  sessions  replies   p50 ms   p95 ms   machine CPU busy (this run's share)")
        for w in s["windows"]:
            busy = "n/a" if w["machine_cpu_pct"] is None else f"{w['machine_cpu_pct']} % ({w['our_cpu_pct']} %)"
            print(f"              {w['from_s']:>4}s  {w['sessions']:>8}  {w['replies']:>7}  {_v(w['p50_ms'], ''):>7}"
                  f"  {_v(w['p95_ms'], ''):>7}   {busy}")


def _ratio(a: float | None, b: float | None) -> str:
    if not a or not b:
        return "n/a"
    return f"{a / b:.2f}x"


async def measure(server: Server, name: str, trainees: int, seconds: float, scripts: list[Script],
                  pace: Pace, ramp: float = 0.0, seed: int = 0, first: int = 0, every: float = 2.0) -> Phase:
    """Run one phase against ``server`` and sample its process tree every ``every`` seconds."""
    samples: list[Sample] = []
    stop = asyncio.Event()
    pid = server.process.pid
    before = cpu_seconds(pid)
    watcher = asyncio.create_task(watch(pid, samples, stop, every))
    began = time.monotonic()
    figures = await run_class(server.ws_url, trainees, seconds, scripts, pace, ramp=ramp, seed=seed, first=first)
    elapsed = time.monotonic() - began
    stop.set()
    await watcher
    left = await app_processes_left(pid)  # once they are reaped, their CPU counts in the server's
    after = cpu_seconds(pid)
    return Phase(name, trainees, began, elapsed, figures, samples, after[0] - before[0], after[1] - before[1], left)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trainees", type=int, default=None, help="simulated trainees in the class (default 30; 6 with --quick)")
    parser.add_argument("--seconds", type=float, default=None, help="length of the class phase in seconds (default 180; 18 with --quick)")
    parser.add_argument("--baseline-replies", type=int, default=None,
                        help="replies the trainee alone plays for the baseline (default 10; 3 with --quick)")
    parser.add_argument("--ramp", type=float, default=None, help="seconds over which the class arrives (default 20; 3 with --quick)")
    parser.add_argument("--keys-per-second", type=float, default=None, help="typing speed of each trainee (default 5, about 60 words a minute; 30 with --quick)")
    parser.add_argument("--think", type=float, nargs=2, metavar=("MIN", "MAX"), default=None,
                        help="seconds a trainee reads before each reply (default 3 8; 1 2 with --quick)")
    parser.add_argument("--quick", action="store_true", help="a short run to try the bench (about 40 s in all, with the warm-up)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the trainees' pauses and typing rhythm")
    parser.add_argument("--pack", action="append", default=[], help="play these packs' goldens instead of the bundled ones")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    args = parser.parse_args(argv)
    quick = args.quick
    trainees = args.trainees if args.trainees is not None else (6 if quick else 30)
    seconds = args.seconds if args.seconds is not None else (18.0 if quick else 180.0)
    baseline = args.baseline_replies if args.baseline_replies is not None else (3 if quick else 10)
    ramp = args.ramp if args.ramp is not None else (3.0 if quick else 20.0)
    keys = args.keys_per_second if args.keys_per_second is not None else (30.0 if quick else 5.0)
    think = tuple(args.think) if args.think is not None else ((1.0, 2.0) if quick else (3.0, 8.0))
    if trainees < 1 or seconds <= 0 or baseline < 1 or ramp < 0 or keys <= 0 or not 0 <= think[0] <= think[1]:
        parser.error("--trainees and --baseline-replies ≥ 1; --seconds and --keys-per-second > 0; "
                     "--ramp ≥ 0; --think MIN MAX with 0 ≤ MIN ≤ MAX")
    if not Path("/proc/self/stat").exists():
        parser.error("this bench reads /proc (Linux) for memory per session")
    pace = Pace(keys_per_second=keys, think=think)
    # Alone, the trainee types and reads faster (nothing else competes): enough replies in little time.
    alone_pace = replace(pace, keys_per_second=max(keys, 40.0), think=(0.5, 1.0), max_replies=baseline)
    scripts = load_scripts(args.pack)
    cores = os.cpu_count() or 1
    print(f"relance serve under load: {len(scripts)} golden calls to play; the class types {keys:g} keys/s "
          f"and reads {pace.think[0]:g}–{pace.think[1]:g} s before each reply; the baseline trainee alone plays "
          f"{baseline} replies ({alone_pace.keys_per_second:g} keys/s); {cores} cores, "
          f"load average {os.getloadavg()[0]:.2f} before the run")
    with tempfile.TemporaryDirectory(prefix="relance-serve-bench-") as home:
        server = Server(Path(home), max_sessions=trainees + 5, packs=args.pack)
        try:
            print(f"server: {server.url} (pid {server.process.pid})")
            # A first tab builds the packs' cache in the fresh RELANCE_HOME: not measured.
            asyncio.run(warm_up(server.ws_url, pace))
            asyncio.run(app_processes_left(server.process.pid))
            alone = asyncio.run(measure(server, "alone (baseline)", 1, 600.0, scripts, alone_pace, 0.0, args.seed, 0))
            crowd = asyncio.run(measure(server, "class", trainees, seconds, scripts, pace, ramp, args.seed, 1))
        finally:
            server.stop()
        failures = server.failures()
    base, load = alone.summary(), crowd.summary(window=5.0 if quick else 30.0)
    if failures:
        load["errors_by_kind"].update(failures)
        load["errors"] += sum(failures.values())
    for s in (base, load):
        print_phase(s)
    own = resource.getrusage(resource.RUSAGE_SELF)
    print(f"\nthis bench's own CPU (the {trainees} clients): {own.ru_utime + own.ru_stime:.1f} s; "
          f"load average at the end {os.getloadavg()[0]:.2f}")
    print("class / alone:"
          f" p50 {_ratio(load['latency_ms']['p50'], base['latency_ms']['p50'])},"
          f" p95 {_ratio(load['latency_ms']['p95'], base['latency_ms']['p95'])},"
          f" first reply p50 {_ratio(load['latency_ms']['first_reply_p50'], base['latency_ms']['first_reply_p50'])},"
          f" later replies p95 {_ratio(load['latency_ms']['later_replies_p95'], base['latency_ms']['later_replies_p95'])},"
          f" session start p50 {_ratio(load['session_start_s']['p50'], base['session_start_s']['p50'])},"
          f" memory per session (RSS median) {_ratio(load['memory_mib']['session_rss_median'], base['memory_mib']['session_rss_median'])}")
    p95 = load["latency_ms"]["p95"]
    met = load["errors"] == 0 and p95 is not None and p95 <= 300
    print(f"goal (issue 14): 0 errors and p95 ≤ 300 ms — {'met' if met else 'NOT met'} "
          f"({load['errors']} errors, p95 {_v(p95, 'ms')} over {load['replies']} replies)")
    if args.json:
        print(json.dumps({"alone": base, "class": load, "goal_met": met}, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
