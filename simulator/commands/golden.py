"""Golden transcripts: scripted calls replayed by ``relance validate`` and the tests.

In the spirit of Yarn Spinner's test plans: a golden file names a case, a seed,
the trainee's replies and what must come out (accepted outcomes and a score
band). A golden that does not hold is a content problem, located in its file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from simulator.content.problems import Problem
from simulator.dialogue.scorecard import OUTCOME_LABELS, scorecard
from simulator.dialogue.transcript import play

__all__ = ["GoldenResult", "run_golden", "run_goldens"]


class GoldenResult:
    """What a golden transcript produced."""

    def __init__(self, golden_id: str, outcome: str | None, score: int, ok: bool, reason: str) -> None:
        self.golden_id = golden_id
        self.outcome = outcome
        self.score = score
        self.ok = ok
        self.reason = reason


def run_golden(library: Any, golden: Any) -> GoldenResult:
    """Replay one golden transcript and compare with its expectation."""
    case = library.case(golden.case)
    state, used = play(case, golden.seed, library, list(golden.replies))
    card = scorecard(state)
    reasons = []
    expected = set(golden.expect.outcomes)
    if "refusal" in expected:
        # Before engine 1.2 a call that ended politely without a commitment was a
        # "refusal"; goldens written then keep meaning "no commitment".
        expected.add("no-commitment")
    if card.outcome not in expected:
        wanted = " ou ".join(f"« {OUTCOME_LABELS.get(o, o)} »" for o in golden.expect.outcomes)
        reasons.append(f"issue « {OUTCOME_LABELS.get(card.outcome, card.outcome)} » au lieu de {wanted}")
    band = golden.expect.score
    if not band.min <= card.overall <= band.max:
        reasons.append(f"note {card.overall} hors de la fourchette {band.min}–{band.max}")
    if used < len(golden.replies):
        reasons.append(f"appel terminé après {used} réplique(s) sur {len(golden.replies)}")
    return GoldenResult(golden.id, card.outcome, card.overall, not reasons, " ; ".join(reasons))


def run_goldens(library: Any) -> tuple[list[Problem], int]:
    """Run every golden transcript of the library; return problems and the number run."""
    from simulator.commands.lint import pack_flag
    from simulator.content.loader import located_problem

    problems: list[Problem] = []
    count = 0
    for pack in library.packs:
        files = dict(pack.sources)
        for golden in pack.goldens:
            count += 1
            result = run_golden(library, golden)
            if result.ok:
                continue
            problems.append(
                located_problem(
                    Path(pack.root) / files.get(golden.id, ""),
                    ("expect",),
                    object_id=golden.id,
                    code="golden-mismatch",
                    message=f"transcription de référence non conforme : {result.reason}",
                    hint=f"rejouez-la avec `relance{pack_flag(library, 'golden', golden.id)} call {golden.case} "
                    f"--replies …` pour voir le détail",
                )
            )
    return problems, count
