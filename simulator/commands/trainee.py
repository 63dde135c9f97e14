"""The trainee's loop from the command line: ``drills`` (spaced drill cards) and ``serve`` (the class in a browser).

Exit codes: 0 success; 1 failure (store); 2 usage error (unknown trainee, a network
address without a token, a port in use).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from simulator.errors import UsageError

__all__ = ["register"]

TOKEN_ENV = "RELANCE_SERVE_TOKEN"


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"port invalide : {value!r} (nombre de 0 à 65535)") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port invalide : {port} (0 à 65535 ; 0 : un port libre)")
    return port


def _sessions(value: str) -> int:
    try:
        count = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"nombre invalide : {value!r}") from None
    if not 1 <= count <= 1000:
        raise argparse.ArgumentTypeError("entre 1 et 1 000 séances")
    return count


def register(sub: Any) -> None:
    p = sub.add_parser(
        "drills",
        help="cartes d'entraînement espacé d'un stagiaire (dues, prochaines révisions)",
        description="Liste les cartes d'entraînement (une étape ou une objection mal traitée en appel, "
        "revue à intervalles croissants, FSRS) : dues aujourd'hui d'abord, puis les suivantes.",
    )
    p.add_argument("--trainee", type=int, metavar="ID", help="stagiaire (défaut : le stagiaire courant)")
    p.add_argument("--due", action="store_true", help="seulement les cartes dues aujourd'hui")
    p.add_argument("--json", action="store_true", help="sortie JSON")
    p.set_defaults(handler=cmd_drills)

    p = sub.add_parser(
        "serve",
        help="ouvrir l'application dans un navigateur (une séance par onglet)",
        description="Sert l'application par le Web (textual-serve) : chaque onglet ouvert est une séance "
        "de stagiaire, sur la même base de progression. Hors de la boucle locale, un jeton est obligatoire. "
        "Une ligne « prêt (ready) » donne l'adresse dès que le serveur écoute.",
    )
    p.add_argument("--host", default="127.0.0.1", help="adresse d'écoute (défaut : 127.0.0.1, ce poste seulement)")
    p.add_argument("--port", type=_port, default=8000, help="port (défaut : 8000 ; 0 : un port libre)")
    p.add_argument(
        "--token",
        metavar="SECRET",
        help=f"jeton exigé des navigateurs (obligatoire hors de la boucle locale ; ou variable {TOKEN_ENV})",
    )
    p.add_argument("--max-sessions", type=_sessions, default=50, metavar="N", help="séances simultanées au plus (défaut : 50)")
    p.set_defaults(handler=cmd_serve)


def cmd_drills(args: argparse.Namespace) -> int:
    from simulator.records.drills import days_until, end_of_day
    from simulator.records.store import Store

    with Store.open() as store:
        if args.trainee is not None:
            trainee = store.trainee(args.trainee)
        else:
            trainee = store.current_trainee()
            if trainee is None:
                raise UsageError("aucun stagiaire courant", "précisez --trainee ID (`relance trainee list`)")
        now = store.now()
        cards = store.drills(trainee.id, due_by=end_of_day(now) if args.due else None)
        rows = [
            {
                "id": c.id,
                "key": c.key,
                "kind": c.kind,
                "target": c.target,
                "title": c.title,
                "case": c.case_id,
                "due": c.due,
                "due_in_days": days_until(c, now),
                "reviews": c.reviews,
                "debtor_line": c.debtor_line,
            }
            for c in cards
        ]
    if args.json:
        data = {"trainee": {"id": trainee.id, "nom": trainee.nom, "prenom": trainee.prenom}, "drills": rows}
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return 0
    out = sys.stdout
    if not rows:
        out.write(f"Aucune carte d'entraînement pour {trainee.full_name}.\n")
        return 0
    titles = _case_titles(args)
    due = sum(1 for r in rows if r["due_in_days"] == 0)
    out.write(f"Cartes d'entraînement de {trainee.full_name} : {len(rows)} (dont {due} due(s) aujourd'hui)\n\n")
    kinds = {"step": "étape", "objection": "objection"}
    for row in rows:
        when = "aujourd'hui" if row["due_in_days"] == 0 else f"dans {row['due_in_days']} j"
        case = titles.get(row["case"], row["case"])
        out.write(f"  {when:<12} {kinds[row['kind']]:<9} {row['title']}  ({case}, {row['reviews']} révision(s))\n")
    return 0


def _case_titles(args: argparse.Namespace) -> dict[str, str]:
    """Case id → title, from the packs in use (ids alone when they cannot be read)."""
    from simulator.content.library import load_library
    from simulator.errors import ContentError

    try:
        library = load_library(getattr(args, "pack", None) or None)
    except ContentError:
        return {}
    return {case.id: case.title for case in library.all("case")}


def cmd_serve(args: argparse.Namespace) -> int:
    from simulator.tui.web.server import app_command, serve

    token = args.token or os.environ.get(TOKEN_ENV) or None
    packs = getattr(args, "pack", None) or []
    serve(
        args.host,
        args.port,
        token=token,
        command=app_command(packs, getattr(args, "lang", None)),
        max_sessions=args.max_sessions,
    )
    return 0
