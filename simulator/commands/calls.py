"""Call-practice commands: ``call``, ``score``, ``grade``, ``calibrate``."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from simulator.errors import UsageError

__all__ = ["BANDS", "band_of", "register"]

BANDS = (("good", 70), ("acceptable", 40), ("poor", 0))
"""Calibration bands: good ≥ 70, acceptable 40–69, poor < 40."""

OUTCOME_LABELS = {
    "commitment": "engagement obtenu",
    "instalments": "échéancier convenu",
    "callback": "rappel convenu",
    "dispute": "litige ouvert, partie non contestée réglée",
    "refusal": "pas d'engagement",
    "hangup": "le débiteur a raccroché",
    "voicemail": "message laissé",
    "abandoned": "appel abandonné",
    None: "appel en cours (répliques épuisées)",
}


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
        "score",
        help="noter une réplique",
        description="Note une réplique contre une étape de la méthode ou une objection. "
        "Sans --step ni --objection, la réplique est notée contre chaque étape et la meilleure est retenue.",
    )
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--reply", metavar="TEXTE", help="la réplique à noter")
    group.add_argument("--batch", metavar="FICHIER", help="lignes JSON {reply, step, debtor, objection, case}")
    p.add_argument("--step", metavar="N|ID", help="étape (numéro à partir de 1 ou identifiant)")
    p.add_argument("--debtor", metavar="TEXTE", default="", help="ce que le débiteur vient de dire")
    p.add_argument("--objection", metavar="ID", help="objection à laquelle la réplique répond")
    p.add_argument("--case", metavar="ID", help="dossier (noms, société, date de l'appel)")
    p.add_argument("--json", action="store_true", help="sortie JSON")
    p.set_defaults(handler=cmd_score)

    p = sub.add_parser(
        "grade",
        help="renoter des transcriptions enregistrées",
        description="Rejoue les répliques de transcriptions JSON et signale toute différence avec les notes "
        "enregistrées. Sortie 0 si tout est identique, 1 sinon.",
    )
    p.add_argument("transcripts", nargs="+", metavar="TRANSCRIPTION")
    p.add_argument("--json", action="store_true", help="sortie JSON")
    p.set_defaults(handler=cmd_grade)

    p = sub.add_parser(
        "calibrate",
        help="vérifier la notation sur les exemples étiquetés des objections",
        description="Note chaque exemple étiqueté des objections et affiche l'accord avec son étiquette "
        "(bon ≥ 70, acceptable 40–69, mauvais < 40), par objection et au total.",
    )
    p.add_argument("--json", action="store_true", help="sortie JSON")
    p.add_argument("--details", action="store_true", help="afficher chaque exemple en désaccord")
    p.set_defaults(handler=cmd_calibrate)


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
    met = " (objectif atteint)" if card.objective_met else ""
    out.write(f"Issue : {OUTCOME_LABELS.get(card.outcome, card.outcome)}{met}\n")
    out.write(f"Note globale : {card.overall}/100\n")
    for step in card.steps:
        mark = "sautée" if step.skipped else ("✓" if step.covered else "—")
        out.write(f"  {step.title:<28} {step.score:>3}/100  {mark}\n")
    for objection in card.objections:
        out.write(f"  Objection : {objection.title:<40} {objection.score:>3}/100\n")
    if card.violations:
        out.write("Fautes : " + ", ".join(card.violations) + "\n")


# --------------------------------------------------------------------------- score


def _score_one(library: Any, item: dict[str, Any]) -> dict[str, Any]:
    from simulator.dialogue.engine import case_facts
    from simulator.scoring.reply import Context, analyse, score_reply

    reply = item.get("reply")
    if not isinstance(reply, str):
        raise UsageError("`reply` doit être un texte")
    cases = library.all("case")
    case = library.case(item["case"]) if item.get("case") else (cases[0] if cases else None)
    if case is None:
        raise UsageError("aucun dossier chargé : indiquez --case")
    method = library.method_for(case)
    facts = dict(case_facts(case, library.persona(case.persona)))
    objection = library.objection(item["objection"]) if item.get("objection") else None
    debtor = item.get("debtor") or (objection.phrasings[0] if objection else "")
    ctx = Context(reference=case.call_date, placeholders=facts, debtor_line=str(debtor), objection=objection)
    analysis = analyse(reply, case.call_date)
    step_arg = item.get("step")
    steps = list(method.steps)
    step = None
    if step_arg not in (None, ""):
        text = str(step_arg)
        if text.isdigit():
            number = int(text)
            if not 1 <= number <= len(steps):
                raise UsageError(f"étape {number} inexistante : la méthode compte {len(steps)} étapes")
            step = steps[number - 1]
        else:
            found = [s for s in steps if s.id == text]
            if not found:
                from simulator.content.problems import did_you_mean

                raise UsageError(f"étape `{text}` inconnue", did_you_mean(text, [s.id for s in steps]))
            step = found[0]
    if objection is not None:
        result = score_reply(reply, (*objection.criteria, *method.rules), ctx, analysis=analysis,
                             model=objection.model, objection=objection.id, step=step.id if step else None)
    elif step is not None:
        result = score_reply(reply, (*step.criteria, *method.rules), ctx, analysis=analysis, model=step.model, step=step.id)
    else:
        scored = [
            score_reply(reply, (*s.criteria, *method.rules), ctx, analysis=analysis, model=s.model, step=s.id)
            for s in steps
        ]
        result = max(scored, key=lambda r: r.score)  # first best: earliest step on ties
    data = result.as_dict()
    data["case"] = case.id
    data["band"] = band_of(result.score)
    return data


def cmd_score(args: argparse.Namespace) -> int:
    library = _library(args)
    if args.reply is not None:
        data = _score_one(
            library,
            {"reply": args.reply, "step": args.step, "debtor": args.debtor, "objection": args.objection, "case": args.case},
        )
        if args.json:
            sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        else:
            _print_score(data)
        return 0
    from simulator.commands.inputs import read_text
    from simulator.errors import SimulatorError

    text = read_text(args.batch, "fichier de lot")
    failures = 0
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            if not isinstance(item, dict):
                raise UsageError("chaque ligne doit être un objet JSON")
            data = _score_one(library, item)
        except json.JSONDecodeError as exc:
            data = {"line": number, "error": f"JSON invalide (colonne {exc.colno})"}
            failures += 1
        except SimulatorError as exc:
            data = {"line": number, "error": str(exc)}
            failures += 1
        sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
    return 1 if failures else 0


def _print_score(data: dict[str, Any]) -> None:
    out = sys.stdout
    where = data.get("objection") or data.get("step")
    out.write(f"Note : {data['score']}/100 ({data['band']}) — {where}\n")
    for c in data["criteria"]:
        mark = "✓" if c["passed"] else "✗"
        evidence = f" « {' ; '.join(c['evidence'])} »" if c["evidence"] else ""
        out.write(f"  {mark} [{c['level']}] {c['label']} ({c['points']:+g}){evidence}\n")
    if data["violations"]:
        out.write("Fautes : " + ", ".join(data["violations"]) + "\n")
    out.write(f"Conseil : {data['feedback']}\n")
    if data.get("model"):
        out.write(f"Modèle : {data['model']}\n")


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
        state, _used = play(case, seed, library, replies, times)
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


# --------------------------------------------------------------------------- calibrate


def calibration(library: Any) -> dict[str, Any]:
    """Score every labelled example against its objection; agreement per objection and overall."""
    from simulator.dialogue.engine import case_facts
    from simulator.scoring.reply import Context, score_reply

    rows = []
    total = agree = 0
    cases = library.all("case")
    for objection in library.all("objection"):
        if not objection.examples:
            continue
        case = next((c for c in cases if c.objections and objection.id in c.objections), None)
        if case is None:
            case = next(
                (c for c in cases if any(po.objection == objection.id for po in library.persona(c.persona).objections)),
                cases[0] if cases else None,
            )
        if case is None:
            continue
        method = library.method_for(case)
        facts = dict(case_facts(case, library.persona(case.persona)))
        details = []
        for example in objection.examples:
            ctx = Context(
                reference=case.call_date,
                placeholders=facts,
                debtor_line=example.debtor or objection.phrasings[0],
                objection=objection,
            )
            result = score_reply(example.reply, (*objection.criteria, *method.rules), ctx, objection=objection.id)
            predicted = band_of(result.score)
            details.append({"label": example.label, "predicted": predicted, "score": result.score,
                            "reply": example.reply.strip(), "agree": predicted == example.label})
        n_agree = sum(1 for d in details if d["agree"])
        total += len(details)
        agree += n_agree
        rows.append({"id": objection.id, "title": objection.title, "examples": len(details), "agree": n_agree,
                     "agreement": round(n_agree / len(details), 4), "details": details})
    return {
        "bands": {"good": ">= 70", "acceptable": "40-69", "poor": "< 40"},
        "objections": rows,
        "overall": {"examples": total, "agree": agree, "agreement": round(agree / total, 4) if total else None},
    }


def cmd_calibrate(args: argparse.Namespace) -> int:
    library = _library(args)
    report = calibration(library)
    if args.json:
        sys.stdout.write(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
        return 0
    for row in report["objections"]:
        sys.stdout.write(f"{row['id']:<32} {row['agree']:>3}/{row['examples']:<3} {row['agreement'] * 100:5.1f} %\n")
        if args.details:
            for d in row["details"]:
                if not d["agree"]:
                    sys.stdout.write(f"    {d['label']} → {d['predicted']} ({d['score']}) : {d['reply'][:90]}\n")
    o = report["overall"]
    if o["examples"]:
        sys.stdout.write(f"{'TOTAL':<32} {o['agree']:>3}/{o['examples']:<3} {o['agreement'] * 100:5.1f} %\n")
    else:
        sys.stdout.write("aucun exemple étiqueté\n")
    return 0
