"""Moodle interchange: ``import gift|aiken|moodle-xml`` and ``export-quiz``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import msgspec

from simulator.errors import ExportError, UsageError

__all__ = ["banks_yaml", "register"]

IMPORT_FORMATS = ("gift", "aiken", "moodle-xml")
EXPORT_FORMATS = ("moodle-xml", "gift")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "import",
        help="importer une banque de questions Moodle (GIFT, Aiken, Moodle XML) en quiz YAML",
        description="Transforme une banque de questions en fichiers quiz YAML (un par catégorie). "
        "Ce que Relance ne représente pas (composition, texte à trous…) est signalé question par "
        "question avec sa ligne. Sortie 0 si tout est importé, 1 si des questions sont écartées.",
    )
    p.add_argument("format", choices=IMPORT_FORMATS, metavar="FORMAT", help=", ".join(IMPORT_FORMATS))
    p.add_argument("file", metavar="FICHIER", help="fichier à importer ('-' : entrée standard)")
    p.add_argument("--module", required=True, metavar="ID", help="module de formation des quiz créés")
    p.add_argument("-o", "--output", metavar="DOSSIER", help="dossier où écrire les quiz (défaut : dossier courant)")
    p.add_argument("--id", dest="quiz_id", metavar="ID", help="identifiant du quiz sans catégorie (défaut : nom du fichier)")
    p.add_argument("--force", action="store_true", help="remplacer les fichiers existants")
    p.add_argument("--json", action="store_true", help="afficher les questions lues et les notes en JSON, sans rien écrire")
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser(
        "export-quiz",
        help="exporter les quiz d'un module pour Moodle (Moodle XML ou GIFT)",
        description="Écrit les banques de questions d'un module (ou un quiz par son identifiant) dans un "
        "fichier que Moodle importe : une catégorie par quiz.",
    )
    p.add_argument("module", metavar="MODULE", help="module (ou identifiant d'un quiz)")
    p.add_argument("--format", choices=EXPORT_FORMATS, default="moodle-xml", help="format (défaut moodle-xml)")
    p.add_argument("-o", "--output", metavar="FICHIER", help="fichier à écrire (défaut : sortie standard)")
    p.set_defaults(handler=cmd_export)


def _slug(text: str) -> str:
    from simulator.quiz.gift import question_id

    return question_id(text, set(), "quiz-importe")


def banks_yaml(bank: Any, source: str) -> str:
    """A quiz bank as a commented YAML file."""
    import yaml

    data = msgspec.to_builtins(bank)
    data = {"kind": "quiz", **{k: v for k, v in data.items() if k != "kind"}}
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    return f"# Importé de {source} par `relance import` ; relisez les énoncés et les retours.\n{body}"


def cmd_import(args: argparse.Namespace) -> int:
    import re

    from simulator.commands.inputs import read_bytes
    from simulator.model.common import ID_PATTERN
    from simulator.quiz.gift import parse_aiken, parse_gift, to_banks

    if not re.match(ID_PATTERN, args.module):
        raise UsageError(f"identifiant de module invalide : {args.module!r}", "minuscules, chiffres et tirets")
    raw = read_bytes(args.file, "banque de questions")
    bank_ids: dict[str, str] = {}
    if args.format == "moodle-xml":
        from simulator.quiz.moodle_xml import parse_moodle_xml

        imported, bank_ids = parse_moodle_xml(raw)
    else:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise UsageError(f"{args.file} n'est pas en UTF-8", "enregistrez le fichier en UTF-8") from None
        imported = (parse_gift if args.format == "gift" else parse_aiken)(text)
    stem = Path(args.file).stem if args.file != "-" else "quiz-importe"
    default_id = args.quiz_id or _slug(stem)
    banks = to_banks(imported, args.module, default_id, stem, bank_ids)
    shown = args.file if args.file != "-" else "<entrée standard>"
    skipped = [n for n in imported.notes if n.severity == "error"]
    if args.json:
        payload = {
            "banks": [{"id": b.id, "title": b.title, "questions": msgspec.to_builtins(b.questions)} for b in banks],
            "notes": [{"line": n.line, "title": n.title, "message": n.message, "severity": n.severity} for n in imported.notes],
        }
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return 1 if skipped else 0
    for note in imported.notes:
        sys.stderr.write(note.format(shown) + "\n")
    if not banks:
        raise UsageError(f"aucune question importable dans {shown}")
    folder = Path(args.output or ".")
    targets = [(folder / f"{bank.id}.yaml", bank) for bank in banks]
    if not args.force:
        existing = [str(t) for t, _b in targets if t.exists()]
        if existing:
            raise UsageError(f"fichier(s) déjà présent(s) : {', '.join(existing)}", "--force pour les remplacer")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for target, bank in targets:
            target.write_text(banks_yaml(bank, Path(shown).name), encoding="utf-8")
            sys.stdout.write(f"écrit : {target} ({len(bank.questions)} question(s))\n")
    except OSError as exc:
        raise UsageError(f"impossible d'écrire dans {folder} : {exc.strerror}") from None
    total = sum(len(b.questions) for b in banks)
    sys.stdout.write(f"{total} question(s) importée(s), {len(skipped)} écartée(s)\n")
    _next_step(folder, args.module)
    return 1 if skipped else 0


def _next_step(folder: Path, module: str) -> None:
    """Say what the imported files still need to validate: a pack, and the module declared."""
    from simulator.commands.content import enclosing_pack
    from simulator.content.library import load_library

    pack = enclosing_pack(folder.resolve())
    if pack is None:
        declare = "" if load_library().module(module) else f"déclarez-y le module `{module}` (`modules:`), "
        sys.stdout.write(
            f"à faire : ces fichiers doivent être dans un pack — créez-le (`relance new pack ID -d {folder}`), "
            f"{declare}puis `relance validate {folder}`\n"
        )
        return
    library = load_library([str(pack)], use_cache=False, strict=False)
    if library.module(module) is None:
        known = sorted({m.id for p in library.packs for m in p.manifest.modules})
        sys.stdout.write(
            f"à faire : le module `{module}` n'est déclaré ni dans {pack / 'pack.yaml'} ni dans ses dépendances "
            f"(modules connus : {', '.join(known) or 'aucun'}) ; ajoutez-le sous `modules:`, "
            f"puis `relance validate {pack}`\n"
        )
    else:
        sys.stdout.write(f"suite : `relance validate {pack}`\n")


def cmd_export(args: argparse.Namespace) -> int:
    from simulator.content.library import load_library

    library = load_library(getattr(args, "pack", None) or None)
    banks = [q for q in library.all("quiz") if q.module == args.module or q.id == args.module]
    if not banks:
        from simulator.content.problems import did_you_mean

        modules = sorted({q.module for q in library.all("quiz")})
        raise UsageError(
            f"aucun quiz pour le module `{args.module}`",
            did_you_mean(args.module, modules) or "modules : " + ", ".join(modules),
        )
    if args.format == "moodle-xml":
        from simulator.quiz.moodle_xml import moodle_xml

        text, skipped = moodle_xml(banks)
    else:
        from simulator.quiz.gift import gift_text

        text, skipped = gift_text(banks)
    for note in skipped:
        sys.stderr.write(f"note : {note}\n")
    if args.output and args.output != "-":
        target = Path(args.output)
        tmp = target.with_name(f".{target.name}.tmp")
        try:
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(target)
        except OSError as exc:
            raise ExportError(f"impossible d'écrire {target} : {exc.strerror}") from None
        left_out = sum(1 for note in skipped if "non export" in note or "sans équivalent" in note)
        count = sum(len(b.questions) for b in banks) - left_out
        sys.stdout.write(f"écrit : {target} ({len(banks)} quiz, {count} question(s) ; {left_out} non exportée(s))\n")
    else:
        sys.stdout.write(text)
    return 0
