"""``relance stats``: where trainees fail, over the recorded calls."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

__all__ = ["register"]


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "stats",
        help="statistiques des appels enregistrés pour le formateur",
        description="Sur les appels enregistrés (relance call --record, l'application) : par dossier, "
        "étape et objection, la note moyenne des répliques, le taux d'échec (note < 40), les fautes les "
        "plus fréquentes et les répliques les moins bien notées. --export-unlabelled écrit ces répliques "
        "au format du corpus étiqueté (kind: replies), à étiqueter puis à ajouter à un pack.",
    )
    p.add_argument("--session", metavar="CODE", help="seulement cette session de formation")
    p.add_argument("--case", metavar="ID", help="seulement ce dossier")
    p.add_argument("--json", action="store_true", help="sortie JSON")
    p.add_argument("--export-unlabelled", metavar="FICHIER", help="écrire les répliques les plus faibles, à étiqueter")
    p.set_defaults(handler=cmd_stats)


def _line(bucket: dict[str, Any]) -> str:
    faults = ", ".join(f"{name} ×{count}" for name, count in bucket["faults"][:3]) or "—"
    return (
        f"  {bucket['key']:<44} {bucket['replies']:>4} rép.  moyenne {bucket['mean']:>5}  "
        f"échecs {bucket['failure_rate'] * 100:5.1f} %  fautes : {faults}"
    )


def cmd_stats(args: argparse.Namespace) -> int:
    from simulator.commands.records import _store
    from simulator.records.stats import call_stats, unlabelled_items

    with _store() as store:
        session_id = store.session_by_code(args.session).id if args.session else None
        attempts = store.attempts(kind="call", session_id=session_id, status="finished")
    transcripts = [a.result for a in attempts if isinstance(a.result, dict)]
    stats = call_stats(transcripts, args.case)
    if args.export_unlabelled:
        import yaml

        items = unlabelled_items(stats)
        document = {"kind": "replies", "id": "a-etiqueter", "title": "Répliques à étiqueter", "items": items}
        header = (
            "# Répliques les moins bien notées des appels enregistrés (relance stats).\n"
            "# Pour chacune, mettez `label: good`, `acceptable` ou `poor` et complétez `reasons`,\n"
            "# puis ajoutez ce fichier à un pack : la notation s'étalonne sur ces exemples.\n"
        )
        target = Path(args.export_unlabelled)
        try:
            target.write_text(header + yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8")
        except OSError as exc:
            from simulator.errors import ExportError

            raise ExportError(f"impossible d'écrire {target} : {exc.strerror}") from None
        sys.stderr.write(f"écrit : {target} ({len(items)} réplique(s) à étiqueter)\n")
    if args.json:
        sys.stdout.write(json.dumps(stats, ensure_ascii=False, indent=2) + "\n")
        return 0
    out = sys.stdout
    if not stats["calls"]:
        out.write("aucun appel enregistré" + (f" pour le dossier {args.case}" if args.case else "") + "\n")
        return 0
    outcomes = ", ".join(f"{k} ×{v}" for k, v in stats["outcomes"].items())
    out.write(f"{stats['calls']} appel(s) : {outcomes}\n")
    for title, group in (("Par dossier", "cases"), ("Par étape", "steps"), ("Par objection", "objections")):
        if stats[group]:
            out.write(f"\n{title}\n")
            for bucket in stats[group]:
                out.write(_line(bucket) + "\n")
    weakest = sorted((r for b in stats["cases"] for r in b["lowest"]), key=lambda r: r["score"])[:5]
    if weakest:
        out.write("\nRépliques les moins bien notées\n")
        for reply in weakest:
            where = reply["objection"] or reply["step"] or "—"
            out.write(f"  {reply['score']:>3}/100  {reply['case']} · {where} : {reply['reply'][:90]}\n")
    return 0
