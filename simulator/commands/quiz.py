"""Headless assessment commands: ``quiz``, ``case-study``, ``questionnaire``.

Answers come from a YAML or JSON file (at most 1 Mio) mapping question ids to
responses; see ``relance quiz --help``.  Exit codes:

* **0** — the answers were graded, *whether the quiz is passed or not* (the
  output says « réussi » / « non réussi » and JSON has ``passed``): a failed
  quiz is a result, not an error of the command;
* **2** — usage error: missing or unreadable answers file, bad YAML, unknown
  quiz or question id (with a suggestion), question not drawn with this seed,
  invalid self-assessment rating;
* **1** — the content pack has problems (``relance validate`` lists them).

An unreadable answer to one question (« 73 € » for a question in jours, a
choice that does not exist…) is not a usage error: that question is reported
``invalid`` with the French message and scores 0, the others are graded.
With no clock in batch mode, every answer is taken at 0 s (no time limit).
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import json
import math
import sys
import textwrap
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from simulator.commands.inputs import MAX_INPUT_BYTES as MAX_ANSWERS_BYTES
from simulator.errors import UsageError

__all__ = ["MAX_ANSWERS_BYTES", "read_answers", "register"]

TYPE_LABELS = {
    "single": "choix unique",
    "multiple": "choix multiples",
    "truefalse": "vrai ou faux",
    "numeric": "numérique",
    "calculated": "calcul",
    "ordering": "classement",
    "matching": "association",
    "text": "réponse courte",
}
STATUS_LABELS = {
    "correct": "Correct",
    "partial": "Partiellement correct",
    "wrong": "Incorrect",
    "invalid": "Réponse non valide (à retaper)",
    "unanswered": "Sans réponse",
}
MODE_LABELS = {"training": "entraînement", "exam": "examen"}

_ANSWERS_HELP = (
    "fichier YAML ou JSON : identifiant de question → réponse. Choix unique : le texte du "
    "choix ou son numéro dans l'ordre de --show ; choix multiples : une liste ; vrai/faux : "
    "vrai ou faux ; numérique : « 1 234,56 € » ou un nombre ; classement : la liste des "
    "éléments (textes ou numéros) ; association : gauche → droite ; réponse courte : un texte"
)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "quiz",
        help="passer un quiz à partir d'un fichier de réponses, ou afficher son tirage",
        description="Corrige un fichier de réponses (--answers) ou affiche les questions tirées "
        "avec la graine (--show). Sortie 0 dès que les réponses sont corrigées, quiz réussi ou "
        "non ; 2 en cas d'erreur d'usage.",
    )
    p.add_argument("quiz_id", metavar="QUIZ_ID", help="identifiant du quiz")
    _common(p)
    p.set_defaults(handler=cmd_quiz)

    p = sub.add_parser(
        "case-study",
        help="répondre à une étude de cas chiffrée, ou afficher son dossier",
        description="Corrige les réponses d'une étude de cas (--answers) et affiche le corrigé "
        "pas à pas, ou affiche le dossier tiré avec la graine (--show).",
    )
    p.add_argument("study_id", metavar="ID", help="identifiant de l'étude de cas")
    _common(p)
    p.set_defaults(handler=cmd_case_study)

    p = sub.add_parser(
        "questionnaire",
        help="enregistrer une auto-évaluation (notes de 1 à 5) et voir la progression",
        description="Lit les notes (identifiant d'énoncé → 1 à 5, et `free_text` facultatif) et "
        "affiche le niveau par objectif ; avec --before, la progression depuis le positionnement.",
    )
    p.add_argument("questionnaire_id", metavar="ID", help="identifiant du questionnaire")
    p.add_argument("--answers", metavar="FICHIER", required=True, help="notes : énoncé → 1 à 5")
    p.add_argument(
        "--phase",
        choices=("before", "after"),
        default=None,
        help="before : positionnement ; after : fin de formation (défaut : before ; avec --record, "
        "after si le positionnement du stagiaire est déjà enregistré, comme le propose l'application)",
    )
    p.add_argument(
        "--before",
        metavar="FICHIER",
        help="notes du positionnement, pour comparer (avec --phase after)",
    )
    p.add_argument("--json", action="store_true", help="sortie JSON")
    p.add_argument("--record", action="store_true", help="enregistrer pour le stagiaire courant")
    p.set_defaults(handler=cmd_questionnaire)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--answers", metavar="FICHIER", help=_ANSWERS_HELP)
    p.add_argument("--seed", type=int, default=0, help="graine du tirage (défaut : 0)")
    p.add_argument("--show", action="store_true", help="afficher le tirage au lieu de corriger")
    p.add_argument("--json", action="store_true", help="sortie JSON")
    p.add_argument("--record", action="store_true", help="enregistrer pour le stagiaire courant")


def _mode(args: argparse.Namespace) -> str:
    if args.show and args.answers:
        raise UsageError(
            "--show et --answers s'excluent", "affichez d'abord le tirage, puis corrigez"
        )
    if not args.show and not args.answers:
        raise UsageError("indiquez --answers FICHIER ou --show", "voir `relance quiz --help`")
    return "show" if args.show else "answers"


def _library(args: argparse.Namespace) -> Any:
    from simulator.content.library import load_library

    paths = list(getattr(args, "pack", None) or [])
    for path in paths:
        if not Path(path).exists():
            raise UsageError(f"dossier introuvable : {path}")
    return load_library(paths or None)


def _write_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


# ---------------------------------------------------------------- answers file


def _jsonable(value: Any) -> Any:
    """The response as plain JSON data (YAML dates, NaN… become text)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, Mapping):
        return {_key(k): _jsonable(v) for k, v in value.items()}
    return str(value)


def _key(key: Any) -> str:
    if isinstance(key, bool) or key is None:
        return {True: "true", False: "false", None: "null"}[key]
    return str(_jsonable(key))


def read_answers(path: str) -> dict[str, Any]:
    """Read an answers file: a mapping id → response; :class:`UsageError` for any problem."""
    from simulator.content.yaml_source import load_yaml_bytes

    from simulator.commands.inputs import read_bytes

    document, problems = load_yaml_bytes(read_bytes(path, "fichier de réponses"), path)
    if document is None:
        problem = problems[0]
        if problem.code == "empty-file":
            raise UsageError(
                f"fichier de réponses vide : {path}",
                "écrivez une ligne `id-question: réponse` par question",
            )
        if problem.code == "root-not-mapping":
            raise UsageError(
                f"{path} : le fichier doit associer chaque identifiant à une réponse",
                "ex. `q-dso: 73 jours` (une ligne par question)",
            )
        where = f"{path}:{problem.line}:{problem.column}" if problem.line else path
        raise UsageError(
            f"fichier de réponses illisible — {where} : {problem.message}", problem.hint
        )
    answers: dict[str, Any] = {}
    for key, value in document.data.items():
        if isinstance(key, bool) or key is None or not isinstance(key, str | int):
            raise UsageError(
                f"{path} : clé `{_key(key)}` invalide",
                'mettez l\'identifiant entre guillemets (ex. "oui": …)',
            )
        answers[str(key)] = _jsonable(value)
    return answers


def _unknown_ids(answers: Mapping[str, Any], known: list[str], what: str) -> None:
    for key in answers:
        if key not in known:
            close = difflib.get_close_matches(key, known, n=1)
            hint = f"vouliez-vous dire `{close[0]}` ?" if close else f"{what} : " + ", ".join(known)
            raise UsageError(f"identifiant de question `{key}` inconnu", hint)


# ---------------------------------------------------------------- display helpers


WIDTH = 100
"""Text output is wrapped at this width (no-break spaces of French numbers are kept)."""


def _wrap(text: str, first: str = "", rest: str = "   ") -> str:
    """Wrap a paragraph of author text for the terminal; keeps the author's line breaks."""
    lines = []
    for index, paragraph in enumerate(text.splitlines() or [""]):
        lead = first if index == 0 else rest
        for spaced, glued in _GLUE.items():  # never break before « : ; ? ! » or after «
            paragraph = paragraph.replace(spaced, glued)
        filled = textwrap.fill(
            paragraph, WIDTH, initial_indent=lead, subsequent_indent=rest, break_on_hyphens=False
        )
        lines.append(filled.replace(_JOIN, " ") or lead.rstrip())
    return "\n".join(lines) + "\n"


_JOIN = "\x01"
_GLUE = {f" {p}": f"{_JOIN}{p}" for p in ":;?!»"} | {"« ": f"«{_JOIN}"}


def _pts(value: float) -> str:
    from simulator.quiz.numbers import format_fr

    text = format_fr(round(value, 2), 2)
    return text.rstrip("0").rstrip(",")


def _shown_response(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "vrai" if value else "faux"
    if isinstance(value, list):
        return ", ".join(_shown_response(v) for v in value)
    if isinstance(value, dict):
        return " ; ".join(f"{k} → {_shown_response(v)}" for k, v in value.items())
    return str(value)


def _total_line(raw: float, total: float, percent: float, pass_mark: int, passed: bool) -> str:
    verdict = "RÉUSSI" if passed else "NON RÉUSSI"
    return (
        f"Résultat : {_pts(raw)} / {_pts(total)} point(s) ({_pts(percent)} %) — "
        f"seuil {pass_mark} % : {verdict}\n"
    )


# ---------------------------------------------------------------- quiz


def _question_show(position: int, prepared: Any) -> dict[str, Any]:
    question = prepared.question
    data: dict[str, Any] = {
        "number": position,
        "id": prepared.id,
        "type": prepared.kind,
        "text": prepared.text,
        "points": prepared.points,
        "options": list(prepared.options),
    }
    if prepared.kind == "matching":
        data["lefts"] = [pair.left for pair in question.pairs]
    if prepared.kind in ("numeric", "calculated"):
        data["unit"] = question.unit
    if prepared.values:
        data["values"] = {name: shown.text() for name, shown in prepared.values}
    return data


def _show_quiz(state: Any, as_json: bool) -> None:
    quiz = state.quiz
    questions = [_question_show(i, p) for i, p in enumerate(state.questions, 1)]
    if as_json:
        _write_json(
            {
                "kind": "quiz",
                "id": quiz.id,
                "title": quiz.title,
                "seed": state.seed,
                "mode": state.mode,
                "pass_mark": quiz.pass_mark,
                "time_limit_minutes": quiz.time_limit,
                "questions": questions,
            }
        )
        return
    out = sys.stdout
    limit = f", durée {quiz.time_limit} min" if quiz.time_limit else ""
    out.write(
        f"Quiz « {quiz.title} » ({quiz.id}) — graine {state.seed}, {len(questions)} question(s), "
        f"mode {MODE_LABELS[state.mode]}, seuil {quiz.pass_mark} %{limit}\n"
    )
    for q in questions:
        out.write(
            "\n" + _wrap(q["text"], f"{q['number']}. [{q['id']}] ({TYPE_LABELS[q['type']]}) ")
        )
        if q["type"] == "matching":
            out.write("   À gauche :\n")
            for n, left in enumerate(q["lefts"], 1):
                out.write(f"     {n}) {left}\n")
            out.write("   À droite :\n")
        for n, option in enumerate(q["options"], 1):
            indent = "     " if q["type"] == "matching" else "   "
            out.write(_wrap(option, f"{indent}{n}) ", indent + "   "))
        if q.get("unit"):
            out.write(f"   Unité : {_unit_label(q['unit'])}\n")


def _unit_label(unit: str) -> str:
    return {"EUR": "€", "$": "$", "%": "%", "jours": "jours"}.get(unit, unit)


def cmd_quiz(args: argparse.Namespace) -> int:
    from simulator.quiz.session import answer, finish, start_quiz

    mode = _mode(args)
    library = _library(args)
    bank = library.quiz(args.quiz_id)
    state = start_quiz(bank, args.seed)
    if mode == "show":
        _show_quiz(state, args.json)
        return 0
    answers = read_answers(args.answers)
    _unknown_ids(answers, [q.id for q in bank.questions], "questions du quiz")
    drawn = [p.id for p in state.questions]
    for key in answers:
        if key not in drawn:
            raise UsageError(
                f"la question `{key}` n'est pas tirée avec la graine {args.seed}",
                f"`relance quiz {bank.id} --seed {args.seed} --show` affiche les questions tirées",
            )
    invalid: dict[str, str] = {}
    for prepared in state.questions:
        if prepared.id in answers:
            state, result = answer(state, prepared.id, answers[prepared.id], 0)
            if result.status == "invalid":
                invalid[prepared.id] = result.message
    data = finish(state).to_dict()
    for question_id, entry in data["questions"].items():
        entry["message"] = ""
        if question_id in invalid:
            entry.update(
                response=answers[question_id], status="invalid", message=invalid[question_id]
            )
    if args.json:
        _write_json(data)
    else:
        _print_result("Quiz", data)
    if args.record:
        from simulator.commands.records import record_quiz_cli

        record_quiz_cli(library, state, data, answers)
    return 0


def _print_result(kind: str, data: dict[str, Any]) -> None:
    out = sys.stdout
    extra = f", mode {MODE_LABELS[data['mode']]}" if "mode" in data else ""
    out.write(f"{kind} « {data['title']} » ({data['id']}) — graine {data['seed']}{extra}\n")
    for number, (question_id, entry) in enumerate(data["questions"].items(), 1):
        out.write("\n" + _wrap(entry["text"], f"{number}. [{question_id}] "))
        out.write(f"   Votre réponse : {_shown_response(entry['response'])}\n")
        status = STATUS_LABELS[entry["status"]]
        out.write(f"   {status} — {_pts(entry['score'])} / {_pts(entry['max'])} point(s)\n")
        if entry.get("message"):
            out.write(_wrap(entry["message"], "   ", "   "))
        if not entry["correct"]:
            out.write(_wrap(entry["expected"], "   Réponse attendue : ", "     "))
        for line in entry.get("solution", []):
            out.write(f"   | {line}\n")
        for line in entry["feedback"]:
            out.write(_wrap(line, "   Retour : ", "     "))
    totals = data["totals"]
    out.write(
        "\n"
        + _total_line(
            totals["raw"], totals["max"], totals["percent"], data["pass_mark"], data["passed"]
        )
    )
    if data.get("feedback"):
        out.write(_wrap(data["feedback"].strip(), "", ""))


# ---------------------------------------------------------------- case study


def _table_text(table: Any) -> list[str]:
    rows = [table.columns, *table.rows]
    widths = [
        max(len(row[c]) if c < len(row) else 0 for row in rows) for c in range(len(table.columns))
    ]
    lines = [f"   {table.title}"]
    for index, row in enumerate(rows):
        cells = [(row[c] if c < len(row) else "").ljust(widths[c]) for c in range(len(widths))]
        lines.append("   | " + " | ".join(cells) + " |")
        if index == 0:
            lines.append("   |" + "|".join("-" * (w + 2) for w in widths) + "|")
    return lines


def _show_case_study(sheet: Any, as_json: bool) -> None:
    study = sheet.study
    if as_json:
        _write_json(
            {
                "kind": "case-study",
                "id": study.id,
                "title": study.title,
                "seed": sheet.seed,
                "intro": sheet.intro,
                "tables": [
                    {
                        "title": t.title,
                        "columns": list(t.columns),
                        "rows": [list(r) for r in t.rows],
                    }
                    for t in sheet.tables
                ],
                "questions": [
                    {
                        "id": q.id,
                        "text": q.text,
                        "unit": q.question.unit,
                        "points": q.question.points,
                    }
                    for q in sheet.questions
                ],
            }
        )
        return
    out = sys.stdout
    out.write(f"Étude de cas « {study.title} » ({study.id}) — graine {sheet.seed}\n")
    if sheet.intro:
        out.write("\n" + _wrap(sheet.intro, "", ""))
    for table in sheet.tables:
        out.write("\n" + "\n".join(_table_text(table)) + "\n")
    for number, q in enumerate(sheet.questions, 1):
        unit = f" (en {_unit_label(q.question.unit)})" if q.question.unit else ""
        out.write("\n" + _wrap(q.text + unit, f"{number}. [{q.id}] "))


def cmd_case_study(args: argparse.Namespace) -> int:
    from simulator.quiz.case_study import grade_case_study, start_case_study

    mode = _mode(args)
    library = _library(args)
    sheet = start_case_study(library.case_study(args.study_id), args.seed)
    if mode == "show":
        _show_case_study(sheet, args.json)
        return 0
    answers = read_answers(args.answers)
    _unknown_ids(answers, [q.id for q in sheet.questions], "questions de l'étude")
    data = grade_case_study(sheet, answers).to_dict()
    for number, entry in enumerate(data["questions"].values()):
        entry["text"] = sheet.questions[number].text
    if args.json:
        _write_json(data)
    else:
        _print_result("Étude de cas", data)
    if args.record:
        from simulator.commands.records import record_case_study_cli

        record_case_study_cli(library, sheet, data, answers)
    return 0


# ---------------------------------------------------------------- questionnaire


def _objective_texts(library: Any) -> dict[str, str]:
    return {
        objective.id: objective.text
        for pack in library.packs
        for module in pack.manifest.modules
        for objective in module.objectives
    }


def _questionnaire_answers(questionnaire: Any, path: str, phase: str) -> Any:
    from simulator.quiz.questionnaire import rate

    data = read_answers(path)
    free_text = data.pop("free_text", "")
    if free_text is None:
        free_text = ""
    if not isinstance(free_text, str):
        raise UsageError("`free_text` doit être un texte")
    return rate(questionnaire, data, phase=phase, free_text=free_text)  # type: ignore[arg-type]


def _phase_to_record(questionnaire_id: str) -> str:
    """The phase the app would propose to the current trainee (positioning first)."""
    from simulator.commands.records import recorded_phases
    from simulator.quiz.questionnaire import default_phase

    return default_phase(recorded_phases(questionnaire_id))


def cmd_questionnaire(args: argparse.Namespace) -> int:
    from simulator.quiz.questionnaire import PHASE_LABELS, compare, objective_levels

    if args.before and args.phase != "after":
        raise UsageError("--before compare au positionnement : ajoutez --phase after")
    library = _library(args)
    questionnaire = library.questionnaire(args.questionnaire_id)
    if args.phase is None:
        args.phase = _phase_to_record(questionnaire.id) if args.record else "before"
    given = _questionnaire_answers(questionnaire, args.answers, args.phase)
    texts = _objective_texts(library)
    levels = objective_levels(questionnaire, given)
    if args.record:
        from simulator.commands.records import record_questionnaire_cli

        record_questionnaire_cli(library, questionnaire, given, levels)
    progress = ()
    if args.before:
        before = _questionnaire_answers(questionnaire, args.before, "before")
        progress = compare(questionnaire, before, given)
    if args.json:
        data = {
            "kind": "questionnaire",
            "id": questionnaire.id,
            "title": questionnaire.title,
            **{k: v for k, v in given.to_dict().items() if k != "questionnaire"},
            "objectives": [
                {
                    "objective": lv.objective,
                    "text": texts.get(lv.objective, ""),
                    "mean": float(lv.mean),
                    "label": lv.label,
                    "items": lv.items,
                }
                for lv in levels
            ],
            "progress": [p.to_dict() | {"text": texts.get(p.objective, "")} for p in progress],
        }
        _write_json(data)
        return 0
    out = sys.stdout
    out.write(
        f"Questionnaire « {questionnaire.title} » ({questionnaire.id}) — {PHASE_LABELS[args.phase]}\n\n"
    )
    ratings = dict(given.ratings)
    for item in questionnaire.items:
        value = ratings[item.id]
        label = questionnaire.scale[value - 1]
        out.write(_wrap(f"{item.text} — {label}", f"  {value}/5  ", "       "))
    out.write("\nNiveau par objectif :\n")
    for lv in levels:
        text = f"{texts.get(lv.objective, lv.objective)} — {lv.label}"
        out.write(_wrap(text, f"  {_pts(float(lv.mean))}/5  ", "        "))
    if progress:
        out.write("\nProgression depuis le positionnement :\n")
        for p in progress:
            sign = "+" if p.delta > 0 else ""
            line = (
                f"{texts.get(p.objective, p.objective)} : {_pts(float(p.before))} → "
                f"{_pts(float(p.after))} ({sign}{_pts(float(p.delta))}) — "
                f"{p.before_label} → {p.after_label}"
            )
            out.write(_wrap(line, "  ", "    "))
    if given.free_text:
        label = questionnaire.free_text or "Texte libre"
        out.write("\n" + _wrap(f"{label} : {given.free_text}", "", ""))
    return 0
