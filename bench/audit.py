"""Benchmark: the content audits of ``relance validate`` against the rest of validate.

Measured in the same process, interleaved, on the bundled packs and on a
synthetic bank of calculated questions whose tolerances are scanned over
every draw:

* baseline: what ``relance validate --no-cache`` did before the audits —
  load and check every pack, replay the golden transcripts;
* audits: wrong methods over all draws, rates and their half-year, figures of
  model answers and debtor lines against their cases, rate-table date.

Prints medians and the ratio audits / baseline. Target (issue 15): the audits
add well under a few seconds to ``relance validate`` on the bundled packs.

Usage: ``python bench/audit.py [--rounds N] [--questions N]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from simulator.commands.audits import run_audits
from simulator.commands.golden import run_goldens
from simulator.content.library import load_library

TODAY = dt.date(2026, 12, 4)


def synthetic(folder: Path, questions: int) -> None:
    """A bank of calculated questions: 3 variables, 1 680 draws each, 360-day year and + 40."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pack.yaml").write_text(
        "kind: pack\nid: bench-audit\ntitle: Pack de mesure\nversion: 1.0.0\n"
        "modules:\n  - {id: module-1, title: Module de mesure}\n",
        encoding="utf-8",
    )
    body = "".join(
        f"  - id: q{i}\n    type: calculated\n"
        "    text: Facture de {montant}, {jours} de retard, taux {taux}.\n"
        "    variables:\n"
        "      - {name: montant, min: 1000, max: 30000, step: 1000, unit: EUR}\n"
        "      - {name: jours, min: 10, max: 100, step: 10, unit: jours}\n"
        "      - {name: taux, values: [3, 4, 5, 6, 7, 8], unit: \"%\"}\n"
        f"    formula: round(montant * taux / 100 * jours / 360, 2) + 40\n"
        f"    tolerance: {0.5 + (i % 5)}\n    unit: EUR\n    decimals: 2\n"
        for i in range(questions)
    )
    (folder / "quiz.yaml").write_text(
        f"kind: quiz\nid: bench-quiz\ntitle: Banque de mesure\nmodule: module-1\nquestions:\n{body}",
        encoding="utf-8",
    )


def measure(paths: list[str] | None, rounds: int) -> tuple[float, float, int]:
    baseline, audits = [], []
    found = 0
    for _ in range(rounds):
        start = time.perf_counter()
        library = load_library(paths, use_cache=False, strict=False)
        run_goldens(library)
        baseline.append(time.perf_counter() - start)
        start = time.perf_counter()
        found = len(run_audits(library, TODAY))
        audits.append(time.perf_counter() - start)
    return statistics.median(baseline), statistics.median(audits), found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--questions", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["RELANCE_HOME"] = str(Path(tmp) / "home")
        base, audit, found = measure(None, args.rounds)
        print(f"bundled packs: validate without audits {base:.3f} s, audits {audit:.3f} s "
              f"(ratio {audit / base:.2f}), {found} warning(s)")
        pack = Path(tmp) / "pack"
        synthetic(pack, args.questions)
        base, audit, found = measure([str(pack)], args.rounds)
        print(f"{args.questions} calculated questions × 1 680 draws: load {base:.3f} s, audits {audit:.3f} s "
              f"(ratio {audit / base:.2f}), {found} warning(s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
