"""Reply-scoring commands: ``score``, ``calibrate``, ``train``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from simulator.errors import SimulatorError, UsageError

__all__ = ["register"]


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "score",
        help="noter une réplique",
        description="Note une réplique contre une étape de la méthode ou une objection, dans le contexte d'un "
        "dossier. Sans --step ni --objection, la réplique est notée contre chaque étape et la meilleure est "
        "retenue. La note vient du modèle appris du pack (s'il en a un) ; les règles dures (menace, divulgation "
        "à un tiers, coordonnées bancaires, bourrage de mots-clés) s'appliquent toujours.",
    )
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--reply", metavar="TEXTE", help="la réplique à noter")
    group.add_argument(
        "--batch", metavar="FICHIER",
        help="lignes JSON {reply, step, debtor, objection, case} ('-' : entrée standard) ; une ligne JSON en sortie par ligne",
    )
    p.add_argument("--step", metavar="N|ID", help="étape (numéro à partir de 1 ou identifiant)")
    p.add_argument("--debtor", metavar="TEXTE", default="", help="ce que le débiteur vient de dire")
    p.add_argument("--objection", metavar="ID", help="objection à laquelle la réplique répond")
    p.add_argument("--case", metavar="ID", help="dossier (noms, société, montants, date de l'appel)")
    p.add_argument("--trainee", metavar="NOM", default="", help="nom du stagiaire (accepté pour se présenter)")
    p.add_argument("--rubric-only", action="store_true", help="noter avec le barème seul, sans le modèle appris")
    p.add_argument("--json", action="store_true", help="sortie JSON")
    p.set_defaults(handler=cmd_score)

    p = sub.add_parser(
        "calibrate",
        help="mesurer l'accord de la notation avec des répliques étiquetées",
        description="Note des répliques étiquetées par un expert (good, acceptable, poor) et affiche l'accord : "
        "AUC(good > poor), corrélation de Spearman, accord sur les trois bandes (good ≥ 70, acceptable 40–69, "
        "poor < 40), matrice de confusion, accord par étape et par objection, pires écarts. Par défaut : la "
        "partie test des corpus des packs (jamais utilisée pour l'apprentissage).",
    )
    p.add_argument(
        "--labelled", metavar="FICHIER",
        help="un fichier étiqueté externe : lignes JSON {reply, step, debtor, objection, case, label}, "
        "ou un fichier YAML/JSON de corpus (`items:`)",
    )
    p.add_argument("--split", choices=("test", "validation", "train", "all"), default="test",
                   help="partie des corpus à mesurer (défaut : test)")
    p.add_argument("--cv", action="store_true",
                   help="ajouter la validation croisée (5 plis) sur la partie apprentissage (demande l'extra [train])")
    p.add_argument("--misses", type=int, default=10, metavar="N", help="nombre de pires écarts affichés (défaut 10)")
    p.add_argument("--rubric-only", action="store_true", help="mesurer le barème seul, sans le modèle appris")
    p.add_argument("--json", action="store_true", help="sortie JSON")
    p.set_defaults(handler=cmd_calibrate)

    p = sub.add_parser(
        "train",
        help="entraîner le modèle de notation sur les répliques étiquetées",
        description="Entraîne la couche apprise de la notation sur les corpus de répliques étiquetées visibles "
        "depuis le pack cible (le pack et ses dépendances) et écrit scorer/weights.json dans ce pack. "
        "Reproductible : mêmes corpus, même fichier, octet pour octet. Demande l'extra [train] "
        "(python -m pip install -e \".[train]\").",
    )
    p.add_argument("--target", metavar="DOSSIER",
                   help="pack qui reçoit le modèle (défaut : le premier --pack, sinon le pack d'appels fourni)")
    p.add_argument("--c", type=float, metavar="C", help="régularisation (défaut : choisie par validation croisée)")
    p.add_argument("--check", action="store_true",
                   help="ne rien écrire : réentraîner et vérifier que le fichier existant est reproduit à l'octet")
    p.add_argument("-o", "--output", metavar="FICHIER", help="écrire ailleurs que dans le pack")
    p.set_defaults(handler=cmd_train)


def _library(args: argparse.Namespace) -> Any:
    from simulator.content.library import load_library

    return load_library(getattr(args, "pack", None) or None)


# --------------------------------------------------------------------------- score


def _score_data(library: Any, item: Any, rubric_only: bool, examples: bool = False) -> dict[str, Any]:
    from simulator.commands.calls import band_of
    from simulator.dialogue.judge import resolve, score_item

    kwargs = {"model": None} if rubric_only else {}
    result = score_item(library, item, **kwargs)
    data = result.as_dict()
    data["case"] = resolve(library, item).case.id
    data["band"] = band_of(result.score)
    if examples and result.score < 70:
        from simulator.dialogue.judge import good_examples

        found = good_examples(library, item.reply, case=data["case"], step=result.step, objection=result.objection)
        data["examples"] = [{"id": e.id, "case": e.case, "reply": e.reply.strip()} for e in found]
    return data


def cmd_score(args: argparse.Namespace) -> int:
    from simulator.dialogue.judge import Item

    library = _library(args)
    if args.reply is not None:
        item = Item.from_mapping(
            {"reply": args.reply, "step": args.step, "debtor": args.debtor, "objection": args.objection,
             "case": args.case, "trainee": args.trainee}
        )
        data = _score_data(library, item, args.rubric_only, examples=True)
        if args.json:
            sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        else:
            _print_score(data)
        return 0
    from simulator.commands.inputs import read_text

    text = read_text(args.batch, "fichier de lot")
    failures = 0
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            if not isinstance(row, dict):
                raise UsageError("chaque ligne doit être un objet JSON")
            data = _score_data(library, Item.from_mapping(row), args.rubric_only)
        except json.JSONDecodeError as exc:
            data = {"line": number, "error": f"JSON invalide (colonne {exc.colno})"}
            failures += 1
        except (SimulatorError, RecursionError) as exc:
            data = {"line": number, "error": str(exc) if isinstance(exc, SimulatorError) else "ligne trop imbriquée"}
            failures += 1
        sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
    return 1 if failures else 0


def _print_score(data: dict[str, Any]) -> None:
    from simulator.scoring.cues import LABELS

    out = sys.stdout
    where = data.get("objection") or data.get("step") or "réplique"
    out.write(f"Note : {data['score']}/100 ({data['band']}) — {where}\n")
    if data.get("rubric_score") is not None and data["rubric_score"] != data["score"]:
        out.write(f"  (barème seul : {data['rubric_score']}/100)\n")
    for fault in data.get("faults") or []:
        out.write(f"  ✗ {LABELS.get(fault['id'], fault['id'])} « {fault['evidence']} »\n")
    for c in data["criteria"]:
        mark = "✓" if c["passed"] else "✗"
        evidence = f" « {' ; '.join(c['evidence'])} »" if c["evidence"] else ""
        out.write(f"  {mark} [{c['level']}] {c['label']} ({c['points']:+g}){evidence}\n")
    if data["violations"]:
        out.write("Fautes : " + ", ".join(data["violations"]) + "\n")
    out.write(f"Conseil : {data['feedback']}\n")
    if data.get("model"):
        out.write(f"Modèle : {data['model']}\n")
    for example in data.get("examples", []):
        out.write(f"Une bonne réponse du corpus ({example['case']}) : {example['reply']}\n")


# --------------------------------------------------------------------------- calibrate


_ALIASES = {"debtor_says": "debtor", "text": "reply"}


def _labelled_rows(path: str) -> list[dict[str, Any]]:
    """Rows of an external labelled file: JSON lines, or YAML/JSON with a list or an ``items`` list."""
    from simulator.commands.inputs import read_bytes, read_text

    if path.endswith((".yaml", ".yml", ".json")):
        from simulator.content.yaml_source import load_yaml_bytes

        document, problems = load_yaml_bytes(read_bytes(path, "fichier étiqueté"), path, root=object)
        if document is None:
            problem = problems[0]
            raise UsageError(f"{path} : {problem.message}", problem.hint)
        data = document.data
        rows = data.get("items") if isinstance(data, dict) else data
        if not isinstance(rows, list):
            raise UsageError(f"{path} : une liste de répliques (ou une clé `items:`) est attendue")
    else:
        rows = []
        for number, line in enumerate(read_text(path, "fichier étiqueté").splitlines(), 1):
            if not line.strip():
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise UsageError(f"{path}, ligne {number} : JSON invalide (colonne {exc.colno})") from None
    out = []
    for index, row in enumerate(rows, 1):
        if not isinstance(row, dict):
            raise UsageError(f"{path}, réplique {index} : un objet {{reply, label, …}} est attendu")
        row = {_ALIASES.get(k, k): v for k, v in row.items()}
        if isinstance(row.get("debtor"), str):
            row["debtor"] = row["debtor"].strip().strip("«»").strip()
        if row.get("label") not in ("good", "acceptable", "poor"):
            raise UsageError(f"{path}, réplique {index} : `label` doit valoir good, acceptable ou poor")
        row.setdefault("id", f"ligne-{index}")
        out.append(row)
    if not out:
        raise UsageError(f"{path} : aucune réplique étiquetée")
    return out


def cmd_calibrate(args: argparse.Namespace) -> int:
    from simulator.dialogue.judge import Item, resolve, score_item, scoring_model
    from simulator.scoring.calibration import Scored, report
    from simulator.scoring.training import split_of

    if args.misses < 0:
        raise UsageError("--misses doit être positif ou nul")
    library = _library(args)
    scored: list[Scored] = []
    errors: list[str] = []
    models: set[str] = set()
    if args.labelled:
        source = args.labelled
        rows = _labelled_rows(args.labelled)
    else:
        source = f"corpus des packs, partie {args.split}"
        rows = [
            {"id": item.id, "reply": item.reply, "step": item.step, "objection": item.objection,
             "debtor": item.debtor, "case": item.case, "label": item.label}
            for corpus in library.all("replies")
            for item in corpus.items
            if args.split == "all" or split_of(item.id) == args.split
        ]
        if not rows:
            raise UsageError(
                "aucune réplique étiquetée dans les packs chargés",
                "ajoutez un corpus (`kind: replies`) ou mesurez un fichier avec --labelled",
            )
    for row in rows:
        try:
            item = Item.from_mapping(row)
            if args.rubric_only:
                result = score_item(library, item, model=None)
            else:
                model = scoring_model(library, resolve(library, item).case)
                models.add(model.version if model else "barème")
                result = score_item(library, item, model=model)
        except SimulatorError as exc:
            errors.append(f"{row.get('id')} : {exc}")
            continue
        scored.append(Scored(str(row["id"]), row["label"], float(result.score), item.reply,
                             str(item.step) if item.step is not None else None, item.objection, result.feedback))
    result_report: dict[str, Any] = {"source": source, "scorer": sorted(models) or ["barème"], **report(scored, args.misses)}
    if errors:
        result_report["errors"] = errors
    if args.cv and not args.labelled:
        result_report["cross_validation"] = _cross_validation(library)
    if args.json:
        sys.stdout.write(json.dumps(result_report, ensure_ascii=False, indent=2) + "\n")
    else:
        _print_calibration(result_report)
    return 1 if errors else 0


def _cross_validation(library: Any) -> dict[str, Any]:
    from simulator.dialogue.judge import labelled_rows
    from simulator.scoring import training
    from simulator.scoring.calibration import Scored, report
    from simulator.scoring.model import to_score

    _need_training_extra()
    rows = [r for r in labelled_rows(library, library.all("replies"), progress=_progress) if r.split == "train"]
    c = training.C_GRID[-1]
    latent = training.cross_validated(rows, c)
    thresholds = training.choose_thresholds(latent, [r.label for r in rows])
    spread = training._spread(latent, thresholds)
    items = [Scored(r.id, r.label, to_score(z, thresholds, spread), r.reply, r.step, r.objection)
             for r, z in zip(rows, latent, strict=True)]
    figures = report(items, 0)
    return {k: figures[k] for k in ("n", "auc", "spearman", "agreement", "confusion", "per_step")} | {"folds": training.FOLDS}


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f} %".replace(".", ",")


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}".replace(".", ",")


def _print_calibration(r: dict[str, Any]) -> None:
    out = sys.stdout
    out.write(f"Source : {r['source']} — notation : {', '.join(r['scorer'])}\n")
    labels = r["labels"]
    out.write(f"{r['n']} répliques (good {labels['good']}, acceptable {labels['acceptable']}, poor {labels['poor']})\n")
    out.write(f"AUC(good > poor) {_num(r['auc'])}   Spearman {_num(r['spearman'])}   "
              f"accord sur les trois bandes {_pct(r['agreement'])}\n\n")
    out.write("expert \\ notation   good  acceptable   poor\n")
    for label in ("good", "acceptable", "poor"):
        row = r["confusion"][label]
        out.write(f"{label:<18} {row['good']:>5} {row['acceptable']:>11} {row['poor']:>6}\n")
    for title, key in (("Par étape", "per_step"), ("Par objection", "per_objection")):
        if r[key]:
            out.write(f"\n{title} :\n")
            for g in r[key]:
                out.write(f"  {g['id']:<32} {g['agree']:>4}/{g['n']:<4} {_pct(g['agreement'])}\n")
    cv = r.get("cross_validation")
    if cv:
        out.write(f"\nValidation croisée ({cv['folds']} plis) sur la partie apprentissage : {cv['n']} répliques, "
                  f"AUC {_num(cv['auc'])}, Spearman {_num(cv['spearman'])}, accord {_pct(cv['agreement'])}\n")
    if r["misses"]:
        out.write("\nPires écarts :\n")
        for m in r["misses"]:
            where = m["objection"] or m["step"] or ""
            out.write(f"  {m['id']} [{where}] expert {m['label']}, note {m['score']} : {m['reply'][:100]}\n")
    for error in r.get("errors", []):
        out.write(f"erreur : {error}\n")


# --------------------------------------------------------------------------- train


def _need_training_extra() -> None:
    try:
        import sklearn  # noqa: F401
    except ImportError:
        raise UsageError(
            "l'entraînement demande scikit-learn",
            'installez l\'extra : python -m pip install -e ".[train]"',
        ) from None


def _progress(done: int, total: int) -> None:
    """One line per quarter of the corpus (a carriage return would be escaped by the safe output)."""
    quarters = {total * k // 4 for k in range(1, 5)}
    if any(done >= q > done - 100 for q in quarters):
        sys.stderr.write(f"  caractéristiques : {done}/{total} répliques\n")
        sys.stderr.flush()


def cmd_train(args: argparse.Namespace) -> int:
    from simulator.content.loader import SCORER_FILE
    from simulator.dialogue.judge import labelled_rows
    from simulator.scoring import training

    _need_training_extra()
    if args.c is not None and not args.c > 0:
        raise UsageError("--c doit être strictement positif")
    library = _library(args)
    target = _target_pack(library, args)
    from simulator.content.library import _scope

    corpora = [c for pack in _scope(target, library.packs) for c in library.corpora_of(pack)]
    if not corpora:
        raise UsageError(
            f"aucun corpus de répliques étiquetées visible depuis le pack `{target.id}`",
            "ajoutez des fichiers `kind: replies` (voir docs/authoring.md)",
        )
    sys.stderr.write(f"Entraînement pour le pack `{target.id}` : {sum(len(c.items) for c in corpora)} répliques "
                     f"dans {len(corpora)} corpus\n")
    rows = labelled_rows(library, corpora, progress=_progress)
    try:
        model, report = training.train(rows, c=args.c, progress=lambda m: sys.stderr.write(f"  {m}\n"))
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    report["corpora"] = sorted(c.id for c in corpora)
    payload = training.weights_json(model, report)
    path = Path(args.output) if args.output else Path(target.root) / SCORER_FILE
    if args.check:
        try:
            current = path.read_bytes()
        except OSError:
            sys.stderr.write(f"{path} : absent\n")
            return 1
        same = current == payload
        sys.stdout.write(f"{path} : {'reproduit à l’octet' if same else 'DIFFÉRENT du réentraînement'}\n")
        return 0 if same else 1
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(payload)
        tmp.replace(path)
    except OSError as exc:
        raise UsageError(f"impossible d'écrire {path} ({exc.strerror})") from None
    sys.stdout.write(
        f"{path} écrit : {len(model.weights)} pondérations, C = {report['c']}, seuils {model.thresholds[0]} / "
        f"{model.thresholds[1]} ; accord en validation croisée {_pct(report['cv_agreement'])}\n"
        "Mesurez-le sur la partie test : relance calibrate\n"
    )
    return 0


def _target_pack(library: Any, args: argparse.Namespace) -> Any:
    if args.target:
        wanted = Path(args.target).resolve()
        for pack in library.packs:
            if Path(pack.root) == wanted:
                return pack
        raise UsageError(f"{args.target} n'est pas un pack chargé", "ajoutez --pack DOSSIER pour le charger")
    packs = getattr(args, "pack", None)
    if packs:
        first = Path(packs[0]).resolve()
        for pack in library.packs:
            if Path(pack.root) == first:
                return pack
    for pack in library.packs:
        if pack.corpus_size:
            return pack
    return library.packs[0]
