"""Call-practice commands: ``call``, ``grade``."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from simulator.dialogue.scorecard import OUTCOME_LABELS
from simulator.errors import UsageError

__all__ = ["BANDS", "band_of", "register"]

BANDS = (("good", 70), ("acceptable", 40), ("poor", 0))
"""Calibration bands: good ≥ 70, acceptable 40–69, poor < 40."""



def band_of(score: int) -> str:
    for name, floor in BANDS:
        if score >= floor:
            return name
    return "poor"  # pragma: no cover


def _seed(value: str) -> int:
    try:
        seed = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"graine invalide : {value!r} (entier attendu)") from None
    if not 0 <= seed < 2**32:
        raise argparse.ArgumentTypeError("la graine doit être comprise entre 0 et 4294967295")
    return seed


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "call",
        help="jouer un appel complet depuis un fichier de répliques",
        description="Joue un appel sur un dossier à partir d'un fichier de répliques (une par ligne, "
        "ou une liste YAML/JSON) et affiche la transcription notée et la fiche de score.",
    )
    p.add_argument("case", metavar="DOSSIER", help="identifiant du dossier (relance list cases)")
    p.add_argument("--replies", required=True, metavar="FICHIER", help="répliques du stagiaire ('-' : entrée standard)")
    p.add_argument("--seed", type=_seed, default=1, help="graine du tirage des répliques du débiteur (défaut 1)")
    p.add_argument("--json", action="store_true", help="afficher la transcription JSON")
    p.add_argument("--record", action="store_true", help="enregistrer l'appel pour le stagiaire courant")
    p.set_defaults(handler=cmd_call)

    p = sub.add_parser(
        "grade",
        help="renoter des transcriptions enregistrées",
        description="Rejoue les répliques de transcriptions JSON et signale toute différence avec les notes "
        "enregistrées. Sortie 0 si tout est identique, 1 sinon.",
    )
    p.add_argument("transcripts", nargs="+", metavar="TRANSCRIPTION")
    p.add_argument("--json", action="store_true", help="sortie JSON")
    p.set_defaults(handler=cmd_grade)


def _library(args: argparse.Namespace) -> Any:
    from simulator.content.library import load_library

    return load_library(getattr(args, "pack", None) or None)


# --------------------------------------------------------------------------- call


def cmd_call(args: argparse.Namespace) -> int:
    from simulator.commands.inputs import read_replies
    from simulator.dialogue import dumps, play, scorecard, to_document

    library = _library(args)
    case = library.case(args.case)
    replies = read_replies(args.replies)
    state, used = play(case, args.seed, library, replies)
    pack = library.pack_of("case", case.id)
    document = to_document(state, pack.id, pack.hash, pack.manifest.version)
    if args.json:
        sys.stdout.write(dumps(document))
    else:
        _print_call(state, scorecard(state), case, args.seed)
    if args.record:
        from simulator.commands.records import record_call_cli

        record_call_cli(library, document)
    if used < len(replies):
        # The same replies in a golden transcript are an error: so they are here.
        from simulator.errors import SimulatorError

        raise SimulatorError(
            f"l'appel s'est terminé après la réplique {used} : "
            f"{len(replies) - used} réplique(s) non jouée(s)",
            hint="retirez les répliques en trop (la transcription ci-dessus est complète)",
        )
    return 0


def _print_call(state: Any, card: Any, case: Any, seed: int) -> None:
    out = sys.stdout
    out.write(f"Dossier : {case.title} ({case.id}, graine {seed})\n\n")
    for turn in state.turns:
        if turn.speaker == "debtor":
            out.write(f"  Débiteur : {turn.text}\n")
        else:
            out.write(f"  Vous     : {turn.text}\n")
            score = turn.score
            steps = ", ".join(turn.steps) or "—"
            out.write(f"             → {score.score}/100 · étapes franchies : {steps}\n")
            out.write(f"             → {score.feedback}\n")
    out.write("\n")
    met = {"objective": " (objectif atteint)", "fallback": " (objectif de repli seulement)"}.get(card.met or "", "")
    out.write(f"Issue : {OUTCOME_LABELS.get(card.outcome, card.outcome)}{met}\n")
    if state.commitment is not None:
        from simulator.dialogue.engine import describe_commitment

        out.write(f"Engagement : {describe_commitment(state.commitment)}\n")
    out.write(f"Note globale : {card.overall}/100\n")
    for step in card.steps:
        mark = "sautée" if step.skipped else ("✓" if step.covered else "—")
        out.write(f"  {step.title:<28} {step.score:>3}/100  {mark}\n")
    for objection in card.objections:
        out.write(f"  Objection : {objection.title:<40} {objection.score:>3}/100\n")
    if card.explanations:
        out.write("Points perdus :\n")
        for e in card.explanations:
            out.write(f"  {e.points:+6.1f}  {e.label}\n".replace(".", ",", 1))
    if card.faults:
        out.write("Fautes : " + ", ".join(card.faults) + "\n")


# --------------------------------------------------------------------------- grade


def cmd_grade(args: argparse.Namespace) -> int:
    from simulator.commands.inputs import read_json
    from simulator.dialogue import play, to_document
    from simulator.dialogue.transcript import TRANSCRIPT_FORMAT
    from simulator.dialogue.transcript import differences as transcript_differences

    library = _library(args)
    reports = []
    differ = False
    for path in args.transcripts:
        doc = read_json(path, "transcription")
        if not isinstance(doc, dict) or doc.get("format") != TRANSCRIPT_FORMAT:
            raise UsageError(f"{path} n'est pas une transcription d'appel Relance")
        try:
            case = library.case(doc["case"])
            seed = int(doc["seed"])
            turns = doc["turns"]
            replies = [t["text"] for t in turns if t["speaker"] == "trainee"]
            times = [t.get("at") for t in turns if t["speaker"] == "trainee"]
        except (KeyError, TypeError, ValueError):
            raise UsageError(f"{path} : transcription incomplète ou mal formée") from None
        pack = library.pack_of("case", case.id)
        state, _used = play(case, seed, library, replies, times, str(doc.get("trainee") or ""))
        fresh = to_document(state, pack.id, pack.hash, pack.manifest.version)
        differences = transcript_differences(doc, fresh)
        notes = []
        if doc.get("pack", {}).get("hash") != pack.hash:
            notes.append("le pack a changé depuis l'enregistrement (empreinte différente)")
        if doc.get("engine") != fresh["engine"]:
            notes.append(f"moteur {doc.get('engine')} → {fresh['engine']}")
        differ = differ or bool(differences)
        reports.append({"file": path, "identical": not differences, "differences": differences, "notes": notes,
                        "recorded": doc.get("scorecard", {}).get("overall"), "regraded": fresh["scorecard"]["overall"]})
    if args.json:
        sys.stdout.write(json.dumps(reports, ensure_ascii=False, indent=2) + "\n")
    else:
        for r in reports:
            status = "identique" if r["identical"] else f"{len(r['differences'])} différence(s)"
            sys.stdout.write(f"{r['file']} : {status} (note enregistrée {r['recorded']}, recalculée {r['regraded']})\n")
            for note in r["notes"]:
                sys.stdout.write(f"  note : {note}\n")
            for d in r["differences"][:20]:
                sys.stdout.write(f"  {d}\n")
    return 1 if differ else 0
