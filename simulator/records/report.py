"""Cohort report for trainers, from several trainees' JSON exports (``relance export --format json``).

Per trainee (attempts, mean call score, mean quiz/case-study score, passes, time), per module,
per step of the call method (mean step score, how often it was covered or skipped) and the
weakest objections (lowest mean handling score first).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["CohortReport", "build_report", "report_rows"]


def _mean(values: Sequence[float]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


@dataclass
class _Acc:
    label: str
    scores: list[float] = field(default_factory=list)
    covered: int = 0
    skipped: int = 0
    passed: int = 0
    graded: int = 0
    count: int = 0
    seconds: float = 0.0
    trainees: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class CohortReport:
    trainees: list[dict[str, Any]]
    modules: list[dict[str, Any]]
    steps: list[dict[str, Any]]
    objections: list[dict[str, Any]]

    def as_dict(self) -> dict[str, Any]:
        return {"trainees": self.trainees, "modules": self.modules, "steps": self.steps, "objections": self.objections}


def build_report(documents: Iterable[Mapping[str, Any]], module_titles: Mapping[str, str] | None = None) -> CohortReport:
    """Aggregate export documents (finished attempts only)."""
    titles = {"appels": "Mises en situation d'appel", **dict(module_titles or {})}
    trainees: dict[str, dict[str, Any]] = {}
    modules: dict[str, _Acc] = {}
    steps: dict[str, _Acc] = {}
    objections: dict[str, _Acc] = {}
    for document in documents:
        store = str(document.get("store", ""))
        for trainee in document.get("trainees", []):
            key = f"{store}/{trainee.get('id')}"
            name = f"{trainee.get('prenom', '')} {trainee.get('nom', '')}".strip()
            row = trainees.setdefault(
                key,
                {"key": key, "name": name, "organisation": trainee.get("organisation", ""), "_calls": [],
                 "_assess": [], "passed": 0, "graded": 0, "attempts": 0, "seconds": 0.0},
            )
            for attempt in trainee.get("attempts", []):
                if attempt.get("status") != "finished":
                    continue
                row["attempts"] += 1
                row["seconds"] += float(attempt.get("duration_s") or 0.0)
                score = attempt.get("score")
                kind = attempt.get("kind")
                if score is not None:
                    (row["_calls"] if kind == "call" else row["_assess"]).append(float(score))
                if attempt.get("passed") is not None:
                    row["graded"] += 1
                    row["passed"] += bool(attempt["passed"])
                module = attempt.get("module") or kind or "?"
                acc = modules.setdefault(module, _Acc(titles.get(module, module)))
                acc.count += 1
                acc.trainees.add(key)
                if score is not None:
                    acc.scores.append(float(score))
                if attempt.get("passed") is not None:
                    acc.graded += 1
                    acc.passed += bool(attempt["passed"])
                if kind == "call":
                    card = (attempt.get("result") or {}).get("scorecard") or {}
                    for step in card.get("steps", []):
                        s = steps.setdefault(step["id"], _Acc(step.get("title", step["id"])))
                        s.count += 1
                        s.scores.append(float(step.get("score", 0)))
                        s.covered += bool(step.get("covered"))
                        s.skipped += bool(step.get("skipped"))
                    for objection in card.get("objections", []):
                        o = objections.setdefault(objection["id"], _Acc(objection.get("title", objection["id"])))
                        o.count += 1
                        o.trainees.add(key)
                        o.scores.append(float(objection.get("score", 0)))
    trainee_rows = []
    for row in sorted(trainees.values(), key=lambda r: (r["name"].casefold(), r["key"])):
        calls, assess = row.pop("_calls"), row.pop("_assess")
        row.update(calls=len(calls), call_mean=_mean(calls), assessments=len(assess), assessment_mean=_mean(assess),
                   seconds=round(row["seconds"], 2))
        trainee_rows.append(row)
    module_rows = [
        {"module": module, "title": acc.label, "attempts": acc.count, "trainees": len(acc.trainees),
         "mean": _mean(acc.scores), "passed": acc.passed, "graded": acc.graded,
         "pass_rate": round(acc.passed / acc.graded, 4) if acc.graded else None}
        for module, acc in sorted(modules.items())
    ]
    step_rows = [
        {"step": step, "title": acc.label, "calls": acc.count, "mean": _mean(acc.scores),
         "covered_rate": round(acc.covered / acc.count, 4) if acc.count else None, "skipped": acc.skipped}
        for step, acc in steps.items()
    ]
    objection_rows = sorted(
        (
            {"objection": oid, "title": acc.label, "times": acc.count, "trainees": len(acc.trainees),
             "mean": _mean(acc.scores), "min": min(acc.scores) if acc.scores else None}
            for oid, acc in objections.items()
        ),
        key=lambda r: (r["mean"] if r["mean"] is not None else 101, r["objection"]),
    )
    return CohortReport(trainee_rows, module_rows, step_rows, objection_rows)


def report_rows(report: CohortReport) -> list[dict[str, Any]]:
    """The report as long-format rows for CSV (section, key, label, n, mean, rate, extra)."""
    rows: list[dict[str, Any]] = []
    for t in report.trainees:
        rows.append({"section": "stagiaire", "key": t["key"], "label": t["name"], "n": t["attempts"],
                     "mean": t["call_mean"], "rate": f"{t['passed']}/{t['graded']}",
                     "extra": f"évaluations {t['assessment_mean']}; {t['seconds']} s"})
    for m in report.modules:
        rows.append({"section": "module", "key": m["module"], "label": m["title"], "n": m["attempts"],
                     "mean": m["mean"], "rate": m["pass_rate"], "extra": f"{m['trainees']} stagiaire(s)"})
    for s in report.steps:
        rows.append({"section": "étape", "key": s["step"], "label": s["title"], "n": s["calls"], "mean": s["mean"],
                     "rate": s["covered_rate"], "extra": f"sautée {s['skipped']} fois"})
    for o in report.objections:
        rows.append({"section": "objection", "key": o["objection"], "label": o["title"], "n": o["times"],
                     "mean": o["mean"], "rate": "", "extra": f"minimum {o['min']}"})
    return rows
