"""Trainer commands: ``show`` (what an object expects) and ``new`` (scaffold a file)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import msgspec


__all__ = ["register", "render_objection"]

SHOW_KINDS = ("objection", "persona", "case", "method", "quiz", "golden")
NEW_KINDS = ("pack", "persona", "case", "objection", "quiz")

LEVELS = {"must": "obligatoire", "should": "conseillé", "must-not": "interdit"}
LABELS = {"good": "bonne", "acceptable": "acceptable", "poor": "mauvaise"}


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "show",
        help="montrer ce qu'attend un objet (objection, personnage, dossier…)",
        description="Affiche un objet des packs sans ouvrir son YAML : pour une objection, ses "
        "formulations, la technique, chaque critère (niveau, points, ce qui est cherché), la réponse "
        "modèle et les exemples étiquetés.",
    )
    p.add_argument("kind", choices=SHOW_KINDS, metavar="TYPE", help=", ".join(SHOW_KINDS))
    p.add_argument("id", metavar="ID", help="identifiant (relance list …)")
    p.add_argument("--json", action="store_true", help="sortie JSON (l'objet tel que chargé)")
    p.set_defaults(handler=cmd_show)

    p = sub.add_parser(
        "new",
        help="créer un fichier de contenu commenté (pack, personnage, dossier…)",
        description="Écrit un fichier YAML commenté et valide, avec la ligne de schéma pour la "
        "complétion dans l'éditeur, puis dit quoi modifier. Avec --from, part d'un objet existant.",
    )
    p.add_argument("kind", choices=NEW_KINDS, metavar="TYPE", help=", ".join(NEW_KINDS))
    p.add_argument("id", metavar="ID", help="identifiant du nouvel objet (minuscules, chiffres, tirets)")
    p.add_argument("--from", dest="source", metavar="EXISTANT", help="copier cet objet existant")
    p.add_argument(
        "-d",
        "--dir",
        metavar="DOSSIER",
        help="dossier du pack où écrire (défaut : le dossier courant ; pour `new pack`, un nouveau dossier ID)",
    )
    p.add_argument("--force", action="store_true", help="remplacer un fichier existant")
    p.set_defaults(handler=cmd_new)

    p = sub.add_parser(
        "playtest",
        help="jouer un dossier depuis n'importe quel point, rechargé à chaque enregistrement",
        description="Ouvre l'écran d'appel avec un panneau formateur (étape, variables du personnage, "
        "file des objections, critères et preuves de la dernière réplique). À chaque fichier YAML "
        "enregistré, les packs sont rechargés et les répliques déjà tapées rejouées ; une erreur de "
        "contenu s'affiche dans le panneau sans interrompre la session. Échap pour quitter.",
    )
    p.add_argument("case", metavar="DOSSIER", help="identifiant du dossier")
    p.add_argument("--from", dest="start_at", metavar="ÉTAPE|OBJECTION", help="commencer à cette étape ou à cette objection")
    p.add_argument("--set", dest="sets", action="append", default=[], metavar="VAR=VALEUR",
                   help="variable du personnage (patience, cooperation, irritation, concessions, identity_confirmed, connected)")
    p.add_argument("--seed", type=_seed_arg, default=1, help="graine (défaut 1)")
    p.add_argument("--no-watch", action="store_true", help="ne pas surveiller les fichiers")
    p.set_defaults(handler=cmd_playtest)


def _seed_arg(value: str) -> int:
    from simulator.commands.calls import _seed

    return _seed(value)


def cmd_playtest(args: argparse.Namespace) -> int:
    from simulator.content.library import bundled_pack_dirs, load_library
    from simulator.dialogue import start
    from simulator.dialogue.playtest import parse_sets, position

    paths = getattr(args, "pack", None) or None
    library = load_library(paths)
    case = library.case(args.case)
    sets = parse_sets(args.sets)
    # Check the starting point before opening the screen: a typo is a usage error.
    state, _events = start(case, args.seed, library)
    position(state, args.start_at, sets)
    watched = [Path(p) for p in paths] if paths else bundled_pack_dirs()
    watched += [Path(p.root) for p in library.packs if Path(p.root) not in watched]

    def reload() -> object:
        return load_library(paths, strict=False)

    from simulator.tui.playtest import PlaytestApp

    app = PlaytestApp(
        library,
        case.id,
        seed=args.seed,
        start_at=args.start_at,
        sets=sets,
        watch=[] if args.no_watch else watched,
        reload=reload,
    )
    app.run()
    return 0


# --------------------------------------------------------------------------- show


ENTITY_LABELS = {
    "amount": "un montant",
    "date": "une date",
    "commitment-date": "une date d'engagement (pas avant l'appel)",
    "invoice": "une référence de facture",
    "means": "un mode de paiement",
    "person": "un nom de personne",
    "phone": "un numéro de téléphone",
    "po": "un numéro de bon de commande",
}
"""The facts an entity criterion looks for, as a trainer reads them (the YAML value in backticks)."""


def _criterion_detail(criterion: Any) -> str:
    kind = type(criterion).__struct_config__.tag
    if kind == "phrase":
        return "formulation proche de : " + " | ".join(f"« {p} »" for p in criterion.phrases)
    if kind == "pattern":
        return "expression : " + " | ".join(f"`{p}`" for p in criterion.patterns)
    if kind == "entity":
        joiner = " et " if criterion.mode == "all" else " ou "
        return "faits précis : " + joiner.join(f"{ENTITY_LABELS.get(e, e)} (`{e}`)" for e in criterion.entities)
    if kind == "style":
        return "fautes de style : " + ", ".join(criterion.faults)
    if kind == "forbidden":
        extra = (" ; " + " | ".join(f"`{p}`" for p in criterion.patterns)) if criterion.patterns else ""
        return "comportement interdit : " + ", ".join(criterion.categories) + extra
    if kind == "relevance":
        return "répond à l'objection" + (" : " + ", ".join(criterion.keywords) if criterion.keywords else "")
    return {
        "open-question": "pose une question ouverte",
        "reformulation": "reprend ce que vient de dire le débiteur",
        "empathy": "empathie sans concéder le retard",
    }.get(str(kind), str(kind))


def render_objection(objection: Any) -> str:
    """What an objection expects, in French, for a trainer."""
    out = [f"{objection.title} ({objection.id}) — famille : {objection.category}, poids {objection.weight}", ""]
    out.append("Le débiteur dit :")
    out.extend(f"  « {p.strip()} »" for p in objection.phrasings)
    if objection.technique:
        out += ["", "Technique : " + objection.technique.strip()]
    if objection.criteria:
        out += ["", "Critères d'une bonne réponse :"]
        for c in objection.criteria:
            fatal = ", éliminatoire" if c.fatal else ""
            out.append(f"  [{LEVELS[c.level]}, {c.points} pt{fatal}] {c.label} ({c.id})")
            out.append(f"      {_criterion_detail(c)}")
            if c.feedback:
                out.append(f"      retour : {c.feedback.strip()}")
    if objection.model:
        out += ["", "Réponse modèle :", "  " + objection.model.strip()]
    if objection.feedback:
        out += ["", "Retour au débrief : " + objection.feedback.strip()]
    if objection.examples:
        out += ["", "Exemples étiquetés :"]
        for example in objection.examples:
            note = f" — {example.note.strip()}" if example.note else ""
            out.append(f"  [{LABELS[example.label]}] {example.reply.strip()}{note}")
    return "\n".join(out) + "\n"


def _render_generic(obj: Any) -> str:
    import yaml

    data = msgspec.to_builtins(obj)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def cmd_show(args: argparse.Namespace) -> int:
    from simulator.content.library import load_library

    library = load_library(getattr(args, "pack", None) or None)
    obj = library.get(args.kind, args.id)
    if args.json:
        sys.stdout.write(json.dumps(msgspec.to_builtins(obj), ensure_ascii=False, indent=2) + "\n")
    elif args.kind == "objection":
        sys.stdout.write(render_objection(obj))
    else:
        sys.stdout.write(_render_generic(obj))
    return 0


# --------------------------------------------------------------------------- new


def cmd_new(args: argparse.Namespace) -> int:
    from simulator.commands.scaffold import scaffold

    written, advice = scaffold(
        args.kind,
        args.id,
        source=args.source,
        folder=Path(args.dir) if args.dir else None,
        packs=getattr(args, "pack", None) or None,
        force=args.force,
    )
    for path in written:
        sys.stdout.write(f"écrit : {path}\n")
    sys.stdout.write(advice)
    return 0

