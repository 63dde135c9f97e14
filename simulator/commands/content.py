"""Content commands: ``validate``, ``schema``, ``list``, ``locate``."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import msgspec

from simulator.errors import UsageError

__all__ = ["register"]

LIST_KINDS = {
    "packs": None,
    "personas": "persona",
    "cases": "case",
    "objections": "objection",
    "quizzes": "quiz",
    "case-studies": "case-study",
    "questionnaires": "questionnaire",
    "methods": "method",
    "goldens": "golden",
    "corpora": "replies",
}



def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "validate",
        help="vérifier des packs de contenu",
        description="Vérifie les packs (défaut : le pack du dossier courant s'il y en a un, sinon les packs fournis) et affiche chaque problème "
        "sous la forme fichier:ligne:colonne: error CODE: message (conseil). Rejoue ensuite les "
        "transcriptions de référence et audite le contenu (méthodes fausses acceptées par une "
        "tolérance, taux cités sans leur semestre, montants et factures des répliques modèles, "
        "table des taux échue) : l'audit ne donne que des avertissements (warning). "
        "Sortie 0 sans erreur, 1 si des erreurs sont trouvées, 2 en cas d'erreur d'usage.",
    )
    p.add_argument("paths", nargs="*", metavar="DOSSIER", help="dossiers de packs")
    p.add_argument("--format", choices=("text", "json"), default="text", help="format de sortie")
    p.add_argument("--no-cache", action="store_true", help="ignorer le cache des packs validés")
    p.add_argument("--no-golden", action="store_true", help="ne pas rejouer les transcriptions de référence")
    p.add_argument(
        "--lint",
        action="store_true",
        help="jouer aussi chaque dossier (relance lint) : une impasse est une erreur",
    )
    p.add_argument(
        "--date",
        type=_iso_date,
        metavar="AAAA-MM-JJ",
        help="date du jour pour les contrôles datés, comme l'échéance de la table des taux (défaut : aujourd'hui)",
    )
    p.set_defaults(handler=cmd_validate)

    p = sub.add_parser(
        "schema",
        help="afficher le schéma JSON des fichiers de pack",
        description="Affiche le schéma JSON (draft 2020-12) des fichiers de pack, généré depuis le modèle.",
    )
    p.add_argument("-o", "--output", metavar="FICHIER", help="écrire dans ce fichier")
    p.set_defaults(handler=cmd_schema)

    p = sub.add_parser(
        "list",
        help="lister les contenus des packs",
        description="Liste les objets des packs chargés.",
    )
    p.add_argument("kind", choices=tuple(LIST_KINDS), metavar="TYPE", help=", ".join(LIST_KINDS))
    p.add_argument("--json", action="store_true", help="sortie JSON")
    p.set_defaults(handler=cmd_list)

    p = sub.add_parser("locate", help="afficher où Relance range ses données")
    p.add_argument("--json", action="store_true", help="sortie JSON")
    p.set_defaults(handler=cmd_locate)


def _paths(args: argparse.Namespace, extra: list[str] | None = None) -> list[str] | None:
    paths = list(extra or []) + list(getattr(args, "pack", None) or [])
    for path in paths:
        if not Path(path).exists():
            raise UsageError(f"dossier introuvable : {path}")
    return paths or None


def _iso_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"date invalide : {value!r} (attendu : AAAA-MM-JJ)") from None


def enclosing_pack(start: Path) -> Path | None:
    """The pack folder holding ``start`` (a ``pack.yaml`` there or in a parent folder), if any."""
    for folder in (start, *start.parents):
        if (folder / "pack.yaml").is_file():
            return folder
    return None


def cmd_validate(args: argparse.Namespace, today: dt.date | None = None) -> int:
    from simulator.content.library import load_library
    from simulator.content.problems import Problem

    paths = _paths(args, args.paths)
    if paths is None:
        # Run from inside a trainer's pack, `relance validate` checks that pack (as git finds its repository).
        here = enclosing_pack(Path.cwd())
        if here is not None:
            sys.stderr.write(f"aucun dossier donné : vérification du pack du dossier courant ({here})\n")
            paths = [str(here)]
    library = load_library(paths, use_cache=not args.no_cache, strict=False)
    problems: list[Problem] = list(library.problems)
    goldens_run = 0
    if not args.no_golden and not library.errors:
        from simulator.commands.golden import run_goldens

        golden_problems, goldens_run = run_goldens(library)
        problems.extend(golden_problems)
    if not library.errors:
        from simulator.commands.audits import run_audits

        problems.extend(run_audits(library, args.date or today or dt.date.today()))
    if args.lint and not library.errors and library.all("case"):
        from simulator.commands.lint import lint_library

        _reports, lint_problems = lint_library(library)
        # Goldens were just replayed: keep lint's own findings.
        problems.extend(p for p in lint_problems if p.code != "golden-mismatch")
    problems.sort(key=lambda p: (p.file, p.line, p.column, p.code))
    errors = [p for p in problems if p.severity == "error"]
    if args.format == "json":
        sys.stdout.write(msgspec.json.encode(problems).decode() + "\n")
    else:
        for problem in problems:
            sys.stdout.write(problem.format() + "\n")
        if problems:
            sys.stdout.write("\n")
        for line in pack_summaries(library, problems):
            sys.stdout.write(line + "\n")
        warnings = len(problems) - len(errors)
        if errors:
            sys.stdout.write(f"{len(errors)} erreur(s), {warnings} avertissement(s)\n")
        else:
            extra = f", {warnings} avertissement(s)" if warnings else ""
            sys.stdout.write(
                f"OK : {len(library.packs)} pack(s), "
                f"{goldens_run} transcription(s) de référence rejouée(s){extra}\n"
            )
    return 1 if errors else 0




COUNTED = (
    ("methods", "méthode(s)"),
    ("personas", "personnage(s)"),
    ("cases", "dossier(s)"),
    ("objections", "objection(s)"),
    ("quizzes", "quiz"),
    ("case_studies", "étude(s) de cas"),
    ("questionnaires", "questionnaire(s)"),
    ("goldens", "transcription(s) de référence"),
)


def pack_summaries(library: Any, problems: Any) -> list[str]:
    """One line per pack checked: id, folder, what it holds and its problems."""
    lines = []
    for pack in (*library.packs, *library.partials):
        counts = ", ".join(f"{len(getattr(pack, f))} {label}" for f, label in COUNTED if getattr(pack, f))
        questions = sum(len(q.questions) for q in pack.quizzes)
        if questions:
            counts += f" ({questions} questions)"
        replies = pack.corpus_size
        if replies:
            counts += f", {replies} répliques étiquetées"
        if pack.scorer:
            counts += ", modèle de notation entraîné"
        root = Path(pack.root)
        try:
            shown = str(root.relative_to(Path.cwd()))
        except ValueError:
            shown = str(root)
        mine = [p for p in problems if _inside(p.file, root)]
        n_err = sum(1 for p in mine if p.severity == "error")
        status = f"{n_err} erreur(s)" if n_err else "OK"
        if len(mine) > n_err:
            status += f", {len(mine) - n_err} avertissement(s)"
        lines.append(f"pack {pack.id} ({shown}) : {counts or 'vide'} — {status}")
    return lines


def _inside(file: str, root: Path) -> bool:
    try:
        Path(file).resolve().relative_to(root)
    except ValueError:
        return False
    return True


def document_schema() -> dict[str, Any]:
    """JSON Schema of a pack file, generated from the model."""
    from simulator.model import Document

    schema: dict[str, Any] = msgspec.json.schema(Document)
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://relance.invalid/schema/pack-file.json",
        "title": "Fichier de pack Relance",
        "description": "Un fichier YAML d'un pack Relance ; la clé `kind` choisit le type d'objet.",
        **schema,
    }
    return schema


def schema_text() -> str:
    return json.dumps(document_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def cmd_schema(args: argparse.Namespace) -> int:
    text = schema_text()
    if args.output:
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"impossible d'écrire {args.output} : {exc.strerror}") from None
    else:
        sys.stdout.write(text)
    return 0


def _pack_rows(library: Any) -> list[dict[str, Any]]:
    rows = []
    for pack in library.packs:
        rows.append(
            {
                "id": pack.id,
                "title": pack.title,
                "version": pack.manifest.version,
                "language": pack.manifest.language,
                "hash": pack.hash,
                "path": pack.root,
                "counts": {
                    "methods": len(pack.methods),
                    "personas": len(pack.personas),
                    "cases": len(pack.cases),
                    "objections": len(pack.objections),
                    "quizzes": len(pack.quizzes),
                    "questions": sum(len(q.questions) for q in pack.quizzes),
                    "case_studies": len(pack.case_studies),
                    "questionnaires": len(pack.questionnaires),
                    "goldens": len(pack.goldens),
                },
            }
        )
    return rows


def _object_row(kind: str, obj: Any, pack: Any) -> dict[str, Any]:
    row: dict[str, Any] = {"id": obj.id, "title": getattr(obj, "title", "") or getattr(obj, "name", ""), "pack": pack.id}
    if kind == "persona":
        row.update(name=obj.name, type=obj.type, difficulty=obj.difficulty, region=obj.region)
        row["title"] = obj.title or f"{obj.name} ({obj.type})"
    elif kind == "case":
        row.update(
            persona=obj.persona,
            situation=obj.situation,
            difficulty=obj.difficulty,
            region=obj.region,
            amount=round(sum(i.amount for i in obj.invoices), 2),
            currency=obj.invoices[0].currency,
        )
    elif kind == "objection":
        row.update(category=obj.category, phrasings=list(obj.phrasings), examples=len(obj.examples))
    elif kind == "quiz":
        row.update(module=obj.module, questions=len(obj.questions), mode=obj.mode, draw=obj.draw)
    elif kind == "case-study":
        row.update(module=obj.module, questions=len(obj.questions))
    elif kind == "questionnaire":
        row.update(items=len(obj.items))
    elif kind == "method":
        row.update(steps=[s.id for s in obj.steps])
    elif kind == "golden":
        row.update(case=obj.case, outcomes=list(obj.expect.outcomes))
    return row


def cmd_list(args: argparse.Namespace) -> int:
    from simulator.content.library import load_library

    library = load_library(_paths(args))
    kind = LIST_KINDS[args.kind]
    if kind is None:
        rows = _pack_rows(library)
    else:
        rows = []
        for pack in library.packs:
            field = {"case-study": "case_studies", "quiz": "quizzes"}.get(kind, kind + "s")
            for obj in getattr(pack, field):
                rows.append(_object_row(kind, obj, pack))
    if args.json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return 0
    if not rows:
        sys.stdout.write("(aucun)\n")
        return 0
    width = max(len(r["id"]) for r in rows)
    for row in rows:
        extra = ""
        if kind is None:
            extra = f"  v{row['version']}  {row['language']}  {row['hash'][:19]}…"
        elif kind == "quiz":
            extra = f"  ({row['questions']} questions)"
        sys.stdout.write(f"{row['id']:<{width}}  {row['title']}{extra}\n")
    return 0


def cmd_locate(args: argparse.Namespace) -> int:
    from simulator import locations

    data = locations.data_dir()
    paths = {
        "data": str(data),
        "store": str(data / "relance.sqlite3"),
        "config": str(locations.config_dir()),
        "cache": str(locations.cache_dir()),
        "bundled_packs": [str(p) for p in _bundled()],
    }
    if args.json:
        sys.stdout.write(json.dumps(paths, ensure_ascii=False, indent=2) + "\n")
    else:
        labels = {
            "data": "données",
            "store": "base de progression",
            "config": "réglages",
            "cache": "cache des packs",
            "bundled_packs": "packs fournis",
        }
        for key, value in paths.items():
            shown = ", ".join(value) if isinstance(value, list) else value
            sys.stdout.write(f"{labels[key]:<20} {shown}\n")
    return 0


def _bundled() -> list[Path]:
    from simulator.content.library import bundled_pack_dirs

    return bundled_pack_dirs()
