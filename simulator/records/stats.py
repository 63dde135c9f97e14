"""Statistics for trainers over recorded calls: where trainees fail, and with which replies.

Pure aggregation of call transcripts (the ``result`` of recorded attempts):
per case, per step and per objection, the mean reply score, the failure rate
(replies under :data:`FAIL_BELOW`), the most frequent faults (violations and
failed ``must`` criteria) and the lowest-scored replies. Those replies can be
written in the labelled-reply format for a trainer to label and add to a pack
— how the scorer gets better from real use.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["FAIL_BELOW", "Bucket", "call_stats", "unlabelled_items"]

FAIL_BELOW = 40
"""A reply scored under this is a failure (the « poor » band)."""
LOWEST = 5
"""Lowest-scored replies kept per bucket."""


@dataclass
class Bucket:
    """Scores, faults and weakest replies of one case, step or objection."""

    key: str
    scores: list[int] = field(default_factory=list)
    faults: Counter[str] = field(default_factory=Counter)
    replies: list[dict[str, Any]] = field(default_factory=list)

    def add(self, score: int, faults: Iterable[str], reply: dict[str, Any]) -> None:
        self.scores.append(score)
        self.faults.update(faults)
        self.replies.append(reply)

    def as_dict(self) -> dict[str, Any]:
        count = len(self.scores)
        lowest = sorted(self.replies, key=lambda r: (r["score"], r["reply"]))[:LOWEST]
        return {
            "key": self.key,
            "replies": count,
            "mean": round(sum(self.scores) / count, 1) if count else None,
            "failure_rate": round(sum(1 for s in self.scores if s < FAIL_BELOW) / count, 3) if count else None,
            "faults": self.faults.most_common(5),
            "lowest": lowest,
        }


def _faults(score: Mapping[str, Any]) -> list[str]:
    found = list(score.get("violations") or [])
    for criterion in score.get("criteria") or []:
        if criterion.get("level") == "must" and not criterion.get("passed"):
            found.append(str(criterion.get("label") or criterion.get("id")))
    return found


def call_stats(transcripts: Iterable[Mapping[str, Any]], case: str | None = None) -> dict[str, Any]:
    """Aggregate call transcripts (optionally of one case) by case, step and objection."""
    cases: dict[str, Bucket] = {}
    steps: dict[str, Bucket] = defaultdict(lambda: Bucket(""))
    objections: dict[str, Bucket] = defaultdict(lambda: Bucket(""))
    calls = 0
    outcomes: Counter[str] = Counter()
    for doc in transcripts:
        case_id = str(doc.get("case", ""))
        if case is not None and case_id != case:
            continue
        calls += 1
        outcomes[str((doc.get("scorecard") or {}).get("outcome"))] += 1
        debtor = ""
        for turn in doc.get("turns") or []:
            if turn.get("speaker") == "debtor":
                debtor = str(turn.get("text", ""))
                continue
            score = turn.get("score")
            if not isinstance(score, Mapping):
                continue
            value = int(score.get("score", 0))
            faults = _faults(score)
            step = score.get("step") or turn.get("expected_step")
            objection = score.get("objection")
            reply = {
                "case": case_id,
                "step": step,
                "objection": objection,
                "debtor": debtor,
                "reply": str(turn.get("text", "")),
                "score": value,
                "faults": faults,
            }
            cases.setdefault(case_id, Bucket(case_id)).add(value, faults, reply)
            if objection:
                bucket = objections[objection]
                bucket.key = objection
                bucket.add(value, faults, reply)
            elif step:
                bucket = steps[f"{case_id}/{step}"]
                bucket.key = f"{case_id}/{step}"
                bucket.add(value, faults, reply)
    return {
        "calls": calls,
        "outcomes": dict(sorted(outcomes.items())),
        "cases": [b.as_dict() for _k, b in sorted(cases.items())],
        "steps": [b.as_dict() for _k, b in sorted(steps.items())],
        "objections": [b.as_dict() for _k, b in sorted(objections.items())],
    }


def unlabelled_items(stats: Mapping[str, Any], limit: int = 200) -> list[dict[str, Any]]:
    """The lowest-scored replies as labelled-corpus items with an empty label, most useful first."""
    seen: set[tuple[str, str]] = set()
    pool: list[dict[str, Any]] = []
    for group in ("objections", "steps"):
        for bucket in stats[group]:
            for reply in bucket["lowest"]:
                key = (reply["case"], reply["reply"])
                if key in seen:
                    continue
                seen.add(key)
                pool.append(reply)
    pool.sort(key=lambda r: (r["score"], r["case"], r["reply"]))
    items = []
    for number, reply in enumerate(pool[:limit], 1):
        item = {
            "id": f"a-etiqueter-{number:03d}",
            "case": reply["case"],
            "step": reply["step"],
            "objection": reply["objection"],
            "debtor": reply["debtor"],
            "reply": reply["reply"],
            "label": "",
            "reasons": list(dict.fromkeys(reply["faults"])),
        }
        items.append({k: v for k, v in item.items() if v is not None})
    return items
