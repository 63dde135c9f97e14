"""Benchmark: time to first screen and peak memory, beside a bare Textual app.

Each measurement is a fresh process (as a trainee starting ``relance``):

* baseline: a bare Textual app (Header, Static, Footer), headless, exits once
  its screen is shown;
* relance: the real app on the bundled packs (validated-pack cache warm, a
  trainee already known), headless, exits once the home screen is shown.

Runs are interleaved; medians of wall time and of peak RSS are printed with the
ratios. Targets (issue 5): ≤ 1.25× the time and ≤ 1.3× the memory of the bare app.

Usage: ``python bench/startup.py [--rounds N]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BARE = textwrap.dedent(
    """
    from textual.app import App
    from textual.widgets import Footer, Header, Static

    class Bare(App):
        def compose(self):
            yield Header()
            yield Static("Bonjour")
            yield Footer()

        def on_mount(self):
            self.call_after_refresh(self.exit)

    Bare().run(headless=True)
    """
)

RELANCE = textwrap.dedent(
    """
    from simulator.tui.screens.home import HomeScreen

    # Exit as soon as the home screen is shown (as the bare app exits once its
    # screen is shown): wrap HomeScreen.on_mount.
    mounted = HomeScreen.on_mount

    def on_mount(self):
        mounted(self)
        self.call_after_refresh(self.app.exit)

    HomeScreen.on_mount = on_mount
    import sys
    from simulator.cli import main
    sys.argv = ["relance"]
    import textual.app
    run = textual.app.App.run
    textual.app.App.run = lambda self, **kw: run(self, headless=True)
    main([])
    """
)

PEAK = textwrap.dedent(
    """
    import resource, subprocess, sys, time
    start = time.perf_counter()
    code = subprocess.call([sys.executable, "-c", sys.argv[1]])
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f"{wall} {peak} {code}")
    """
)


def measure(script: str, env: dict[str, str]) -> tuple[float, float]:
    out = subprocess.run(
        [sys.executable, "-c", PEAK, script], capture_output=True, text=True, env=env, cwd=ROOT, check=True
    )
    wall, peak_kib, code = out.stdout.split()
    if code != "0":
        raise SystemExit(f"the measured app failed: {out.stderr}")
    return float(wall), float(peak_kib) / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "RELANCE_HOME": home, "TEXTUAL_ANIMATIONS": "none"}
        # A known trainee and a warm pack cache, as on a trainee's second start.
        setup = (
            "from simulator.records.store import Store\n"
            "from simulator.content.library import load_library\n"
            "load_library()\n"
            "s = Store.open()\n"
            "t = s.upsert_trainee('Martin', 'Claire', 'Soléo')\n"
            "s.set_current_trainee(t.id)\n"
            "s.close()\n"
        )
        subprocess.run([sys.executable, "-c", setup], env=env, cwd=ROOT, check=True)
        measure(RELANCE, env)  # warm the OS caches too
        measure(BARE, env)
        bare_t, bare_m, app_t, app_m = [], [], [], []
        for _ in range(args.rounds):
            t, m = measure(BARE, env)
            bare_t.append(t)
            bare_m.append(m)
            t, m = measure(RELANCE, env)
            app_t.append(t)
            app_m.append(m)
    bt, bm, at, am = (statistics.median(x) for x in (bare_t, bare_m, app_t, app_m))
    print(f"{args.rounds} interleaved rounds, medians, fresh process each")
    print(f"bare Textual app  : {bt * 1000:7.0f} ms  {bm:6.1f} MiB peak")
    print(f"relance home      : {at * 1000:7.0f} ms  {am:6.1f} MiB peak")
    print(f"ratio time        : {at / bt:5.2f}x   target <= 1.25x")
    print(f"ratio memory      : {am / bm:5.2f}x   target <= 1.30x")
    return 0


if __name__ == "__main__":
    started = time.perf_counter()
    raise SystemExit(main())
