"""``relance lint``: play each case many times and report dead ends and what is never reached."""

from __future__ import annotations

import argparse
import json
import shlex
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from simulator.commands.calls import OUTCOME_LABELS, _seed
from simulator.content.problems import Problem
from simulator.errors import UsageError

__all__ = ["lint_library", "register"]

DEFAULT_PLAYTHROUGHS = 8


def _count(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"nombre invalide : {value!r}") from None
    if not 1 <= number <= 500:
        raise argparse.ArgumentTypeError("entre 1 et 500 parties par dossier")
    return number


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "lint",
        help="jouer chaque dossier de nombreuses fois et signaler les impasses",
        description="Joue des parties avec des répliques tirées du matériel étiqueté (réponses modèles, "
        "exemples des objections, transcriptions de référence) et des répliques hostiles (silence, "
        "hors sujet, insulte, bourrage de mots-clés). Signale les impasses (erreur), les dossiers où "
        "aucun bon parcours n'atteint l'objectif, les objections et répliques jamais atteintes, la "
        "répartition des issues et les transcriptions de référence qui ne passent plus. Sortie 1 si "
        "une impasse ou une transcription en échec est trouvée.",
    )
    p.add_argument("cases", nargs="*", metavar="DOSSIER", help="dossiers à jouer (défaut : tous)")
    p.add_argument(
        "--playthroughs",
        type=_count,
        default=DEFAULT_PLAYTHROUGHS,
        metavar="N",
        help=f"parties mixtes par dossier (défaut {DEFAULT_PLAYTHROUGHS})",
    )
    p.add_argument("--seed", type=_seed, default=1, help="graine des tirages (défaut 1)")
    p.add_argument("--json", action="store_true", help="rapport JSON")
    p.set_defaults(handler=cmd_lint)


def pack_flag(library: Any, kind: str, object_id: str) -> str:
    """`` --pack DIR`` when the object comes from a trainer's pack (commands in hints must work as printed)."""
    from simulator.content.library import bundled_pack_dirs

    root = Path(library.pack_of(kind, object_id).root).resolve()
    if any(root == folder.resolve() for folder in bundled_pack_dirs()):
        return ""
    return f" --pack {shlex.quote(str(root))}"


def _case_file(library: Any, case_id: str) -> Path:
    pack = library.pack_of("case", case_id)
    return Path(pack.root) / dict(pack.sources).get(case_id, "pack.yaml")


def lint_library(
    library: Any,
    case_ids: Sequence[str] | None = None,
    *,
    playthroughs: int = DEFAULT_PLAYTHROUGHS,
    seed: int = 1,
    progress: Any = None,
) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Lint the cases; return one report per case and the problems found (located in case files)."""
    from simulator.commands.golden import run_golden
    from simulator.content.loader import located_problem
    from simulator.dialogue.lint import labelled_replies, lint_case

    cases = [library.case(c) for c in case_ids] if case_ids else library.all("case")
    reports: list[dict[str, Any]] = []
    problems: list[Problem] = []
    for number, case in enumerate(cases, 1):
        if progress is not None:
            progress(number, len(cases), case.id)
        goldens = [g for g in library.all("golden") if g.case == case.id]
        good_paths = [list(g.replies) for g in goldens if g.expect.score.min >= 70]
        result = lint_case(
            case, library, labelled_replies(library, case), playthroughs=playthroughs, seed=seed, good_paths=good_paths
        )
        report = result.as_dict()
        file = _case_file(library, case.id)

        def problem(code: str, message: str, hint: str, severity: str = "warning", path: tuple[str | int, ...] = ("id",)) -> None:
            problems.append(
                located_problem(file, path, object_id=case.id, code=code, message=message, hint=hint, severity=severity)
            )

        pack_option = pack_flag(library, "case", case.id)
        for dead, shown in zip(result.dead_ends, report["dead_ends"], strict=True):
            where = f"à l'étape `{dead.step}`" if dead.step else "en fin de méthode"
            if dead.objection:
                where += f", objection `{dead.objection}` sur la table"
            message = f"impasse {where} : {dead.reason}"
            shown["message"] = message  # the text output prints each dead end's replies under its own problem
            problem(
                "dead-end",
                message,
                f"aucune bonne réplique étiquetée n'en sort ; rejouez les {len(dead.replies)} répliques du rapport "
                f"(`relance{pack_option} lint {case.id} --json`) avec `relance{pack_option} call {case.id} --replies …`",
                severity="error",
            )
        if not result.good_objective:
            problem(
                "no-good-path",
                f"aucun bon parcours n'atteint l'objectif (meilleur : "
                f"{OUTCOME_LABELS.get(result.good_outcome, result.good_outcome)}, {result.good_score}/100)",
                "ajoutez une transcription de référence « bon parcours » qui réussit, ou des exemples « good » "
                "aux objections de ce dossier",
            )
        for objection in result.never_raised:
            problem(
                "never-raised",
                f"objection `{objection}` jamais soulevée en {result.playthroughs + 1} partie(s)",
                "vérifiez son étape (`at:`) : elle est peut-être après la fin de l'appel",
            )
        report["goldens"] = []
        for golden in goldens:
            outcome = run_golden(library, golden)
            report["goldens"].append({"id": golden.id, "ok": outcome.ok, "reason": outcome.reason})
            if not outcome.ok:
                pack = library.pack_of("golden", golden.id)
                problems.append(
                    located_problem(
                        Path(pack.root) / dict(pack.sources).get(golden.id, ""),
                        ("expect",),
                        object_id=golden.id,
                        code="golden-mismatch",
                        message=f"transcription de référence non conforme : {outcome.reason}",
                        hint=f"rejouez-la avec `relance{pack_option} call {golden.case} --replies …` pour voir le détail",
                    )
                )
        reports.append(report)
    return reports, problems


def _summary(report: dict[str, Any]) -> str:
    outcomes = ", ".join(f"{OUTCOME_LABELS.get(k, k)} ×{v}" for k, v in report["outcomes"].items())
    good = report["good_path"]
    good_text = (
        f"bon parcours : {OUTCOME_LABELS.get(good['outcome'], good['outcome'])} ({good['score']}/100)"
        + ("" if good["objective_met"] else " — objectif NON atteint")
    )
    raised = len(report["objections_raised"])
    total = raised + len(report["never_raised"])
    goldens = report.get("goldens", [])
    golden_text = f", références {sum(g['ok'] for g in goldens)}/{len(goldens)}" if goldens else ""
    return (
        f"{report['case']} : {report['playthroughs']} parties ({outcomes}) ; objectif atteint "
        f"{report['objective_met']}/{report['playthroughs']} ; {good_text} ; objections atteintes "
        f"{raised}/{total} ; impasses {len(report['dead_ends'])}{golden_text}"
        + (
            "\n    répliques du personnage jamais dites (clés de `lines`) : "
            + ", ".join(f"`{key}`" for key in report["never_said"])
            if report["never_said"]
            else ""
        )
    )


def cmd_lint(args: argparse.Namespace) -> int:
    from simulator.content.library import load_library

    library = load_library(getattr(args, "pack", None) or None)
    for case_id in args.cases:
        library.case(case_id)  # a clear "introuvable" before any play
    if not library.all("case"):
        raise UsageError("aucun dossier à jouer dans les packs chargés")
    started = time.perf_counter()
    interactive = sys.stderr.isatty() and not args.json

    def progress(number: int, total: int, case_id: str) -> None:
        if interactive:
            sys.stderr.write(f"\r[{number}/{total}] {case_id:<50}")
            sys.stderr.flush()

    reports, problems = lint_library(
        library, args.cases or None, playthroughs=args.playthroughs, seed=args.seed, progress=progress
    )
    if interactive:
        sys.stderr.write("\r" + " " * 60 + "\r")
    errors = [p for p in problems if p.severity == "error"]
    if args.json:
        import msgspec

        payload = {
            "seed": args.seed,
            "playthroughs": args.playthroughs,
            "cases": reports,
            "problems": msgspec.to_builtins(problems),
        }
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return 1 if errors else 0
    for report in reports:
        sys.stdout.write(_summary(report) + "\n")
    if problems:
        sys.stdout.write("\n")
    for problem in sorted(problems, key=lambda p: (p.severity != "error", p.file, p.code)):
        sys.stdout.write(problem.format() + "\n")
        if problem.code == "dead-end":
            report = next(r for r in reports if r["case"] == problem.object_id)
            for dead in (d for d in report["dead_ends"] if d.get("message") == problem.message):
                sys.stdout.write(f"    graine {dead['seed']}, répliques :\n")
                for reply in dead["replies"]:
                    sys.stdout.write(f"      {reply}\n")
    elapsed = f"{time.perf_counter() - started:.1f}".replace(".", ",")  # French decimal comma
    sys.stdout.write(
        f"{len(reports)} dossier(s), {len(errors)} erreur(s), {len(problems) - len(errors)} avertissement(s) "
        f"en {elapsed} s\n"
    )
    return 1 if errors else 0
