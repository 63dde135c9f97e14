"""Records commands: ``trainee``, ``session``, ``settings``, ``attempts``, ``export``, ``attest``,
``keys``, ``verify``, ``report``.

Exit codes: 0 success; 1 failure (store, export, LRS; ``verify``: the attestation is invalid);
2 usage error (bad arguments, unreadable input file); ``verify`` only: 3 when the signature is
intact but made by a key this installation does not trust.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from simulator.errors import ExportError, UsageError

__all__ = ["record_call_cli", "record_case_study_cli", "record_questionnaire_cli", "record_quiz_cli", "register"]

PASSPHRASE_ENV = "RELANCE_KEY_PASSPHRASE"
LRS_AUTH_ENV = "RELANCE_LRS_AUTH"
MAX_VERIFY_BYTES = 64 * 1024 * 1024
SETTING_KEYS = {
    "provider.name": "raison sociale de l'organisme de formation (si la session n'en précise pas)",
    "provider.representative": "nom du représentant légal (certificat de réalisation)",
    "provider.nda": "numéro de déclaration d'activité",
    "provider.siret": "SIRET de l'organisme",
    "provider.address": "adresse de l'organisme",
    "xapi.base": "base des IRI d'activités et d'extensions xAPI (ex. https://formation.exemple.fr/xapi)",
    "language": "langue de l'interface (fr, en)",
}
KIND_LABELS = {"call": "appel", "quiz": "quiz", "case-study": "étude de cas", "questionnaire": "auto-évaluation"}
STATUS_LABELS = {"open": "en cours", "finished": "terminée", "abandoned": "abandonnée"}


# --------------------------------------------------------------------------- parsers


def _date(value: str) -> str:
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"date invalide : {value!r} (AAAA-MM-JJ attendu)") from None


def _hours(value: str) -> float:
    try:
        hours = float(value.replace(",", "."))
    except ValueError:
        raise argparse.ArgumentTypeError(f"durée invalide : {value!r} (nombre d'heures attendu)") from None
    if not 0 <= hours <= 10000:
        raise argparse.ArgumentTypeError("la durée doit être comprise entre 0 et 10 000 heures")
    return hours


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"nombre entier invalide : {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError("un nombre supérieur ou égal à 1 est attendu")
    return number


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    # trainee ---------------------------------------------------------------
    p = sub.add_parser("trainee", help="gérer les stagiaires", description="Crée, liste et choisit le stagiaire courant.")
    tsub = p.add_subparsers(dest="trainee_command", metavar="ACTION", required=True)
    q = tsub.add_parser("add", help="créer (ou mettre à jour) un stagiaire")
    q.add_argument("--nom", required=True)
    q.add_argument("--prenom", required=True)
    q.add_argument("--organisation", default="", help="employeur ou organisation du stagiaire")
    q.add_argument("--email", default="")
    q.add_argument("--session", metavar="CODE", default="", help="inscrire le stagiaire à cette session")
    q.add_argument("--use", action="store_true", help="en faire le stagiaire courant")
    q.set_defaults(handler=cmd_trainee_add)
    q = tsub.add_parser("list", help="lister les stagiaires")
    q.add_argument("--json", action="store_true", help="sortie JSON")
    q.set_defaults(handler=cmd_trainee_list)
    q = tsub.add_parser("use", help="choisir le stagiaire courant")
    q.add_argument("trainee_id", type=int, metavar="ID")
    q.set_defaults(handler=cmd_trainee_use)

    # session ---------------------------------------------------------------
    p = sub.add_parser("session", help="gérer les sessions de formation",
                       description="Crée, liste et choisit la session de formation courante.")
    ssub = p.add_subparsers(dest="session_command", metavar="ACTION", required=True)
    q = ssub.add_parser("create", help="créer une session de formation")
    q.add_argument("--code", required=True, help="code court de la session (ex. RT-2026-11)")
    q.add_argument("--title", required=True, help="intitulé de l'action de formation")
    q.add_argument("--objective", action="append", default=[], metavar="TEXTE", help="objectif (répétable)")
    q.add_argument("--nature", default="action de formation",
                   help="nature de l'action (action de formation, bilan de compétences, VAE, apprentissage)")
    q.add_argument("--start", type=_date, metavar="AAAA-MM-JJ", help="premier jour")
    q.add_argument("--end", type=_date, metavar="AAAA-MM-JJ", help="dernier jour")
    q.add_argument("--hours", type=_hours, metavar="H", help="durée prévue en heures")
    q.add_argument("--organisation", default="", help="organisme de formation (dispensateur)")
    q.add_argument("--trainer", default="", help="formateur ou formatrice")
    q.add_argument("--place", default="", help="lieu (ou « à distance »)")
    q.add_argument("--use", action="store_true", help="en faire la session courante")
    q.set_defaults(handler=cmd_session_create)
    q = ssub.add_parser("list", help="lister les sessions")
    q.add_argument("--json", action="store_true", help="sortie JSON")
    q.set_defaults(handler=cmd_session_list)
    q = ssub.add_parser("use", help="choisir la session courante")
    q.add_argument("code", metavar="CODE")
    q.set_defaults(handler=cmd_session_use)

    # settings --------------------------------------------------------------
    p = sub.add_parser("settings", help="afficher ou modifier les réglages de l'organisme",
                       description="Sans argument, affiche les réglages. Clés : "
                       + " ; ".join(f"{k} : {v}" for k, v in SETTING_KEYS.items()))
    p.add_argument("key", nargs="?", metavar="CLÉ")
    p.add_argument("value", nargs="?", metavar="VALEUR")
    p.add_argument("--unset", action="store_true", help="supprimer le réglage CLÉ")
    p.set_defaults(handler=cmd_settings)

    # attempts --------------------------------------------------------------
    p = sub.add_parser("attempts", help="lister les tentatives enregistrées")
    p.add_argument("--trainee", type=int, metavar="ID")
    p.add_argument("--kind", choices=("call", "quiz", "case-study", "questionnaire"))
    p.add_argument("--json", action="store_true", help="sortie JSON")
    p.set_defaults(handler=cmd_attempts)

    # export ----------------------------------------------------------------
    p = sub.add_parser(
        "export",
        help="exporter les résultats (CSV, JSON, xAPI) ou les envoyer à un LRS",
        description="Exporte les tentatives enregistrées : CSV (une ligne par tentative, ou par élément avec "
        "--items), JSON complet (avec transcriptions) ou déclarations xAPI 1.0.3 (une par ligne). "
        "En CSV, un texte qui commence par = + - @ (ou une tabulation, un retour chariot) est précédé d'une "
        "apostrophe : le tableur l'affiche comme du texte au lieu d'exécuter une formule. "
        "Avec --lrs, envoie les déclarations xAPI non encore acceptées par ce LRS.",
    )
    p.add_argument("--format", choices=("csv", "json", "xapi"), help="format (défaut : selon l'extension de -o, sinon csv)")
    p.add_argument("-o", "--output", metavar="FICHIER", help="fichier de sortie (défaut : sortie standard)")
    p.add_argument("--items", action="store_true", help="CSV : une ligne par réplique ou réponse")
    p.add_argument("--excel", action="store_true", help="CSV pour tableur français (point-virgule, virgule décimale)")
    p.add_argument("--trainee", type=int, metavar="ID", help="un seul stagiaire")
    p.add_argument("--session", metavar="CODE", help="une seule session")
    p.add_argument("--kind", choices=("call", "quiz", "case-study", "questionnaire"))
    p.add_argument("--lrs", metavar="URL", help="adresse du LRS (ex. https://lrs.exemple.fr/xapi)")
    p.add_argument("--auth", metavar="ID:MOT_DE_PASSE",
                   help=f"authentification Basic du LRS (ou la variable {LRS_AUTH_ENV})")
    p.add_argument("--batch", type=_positive, default=50, metavar="N", help="déclarations par requête (défaut 50)")
    p.add_argument("--retries", type=int, default=4, metavar="N", help="nouveaux essais après une erreur (défaut 4)")
    p.set_defaults(handler=cmd_export)

    # attest ----------------------------------------------------------------
    p = sub.add_parser(
        "attest",
        help="produire une attestation signée (PDF ou JSON)",
        description="Produit l'attestation de fin de formation et le certificat de réalisation d'un stagiaire "
        "pour une session, signés avec la clé de l'organisme (relance keys init). Le format suit "
        "l'extension : .pdf (avec QR code et JSON signé joint) ou .json.",
    )
    p.add_argument("-o", "--output", required=True, metavar="FICHIER.pdf|FICHIER.json")
    p.add_argument("--trainee", type=int, metavar="ID", help="stagiaire (défaut : le stagiaire courant)")
    p.add_argument("--session", metavar="CODE", help="session (défaut : la session courante ou celle du stagiaire)")
    p.add_argument("--date", type=_date, metavar="AAAA-MM-JJ", help="date de l'attestation (défaut : aujourd'hui)")
    p.add_argument("--place", default="", help="lieu de signature (défaut : le lieu de la session)")
    p.add_argument("--hours", type=_hours, metavar="H", help="durée réalisée en heures (défaut : durée prévue)")
    p.add_argument("--passphrase-file", metavar="FICHIER", help="phrase de passe de la clé (première ligne)")
    p.set_defaults(handler=cmd_attest)

    # keys ------------------------------------------------------------------
    p = sub.add_parser("keys", help="clé de signature de l'organisme",
                       description="Crée ou affiche la paire de clés Ed25519 qui signe les attestations.")
    ksub = p.add_subparsers(dest="keys_command", metavar="ACTION", required=True)
    q = ksub.add_parser(
        "init",
        help="créer la paire de clés",
        description="Crée la clé privée (fichier en mode 0600) et la clé publique. Phrase de passe : "
        f"--passphrase-file, la variable {PASSPHRASE_ENV}, ou une saisie au terminal. Sans terminal "
        "ni source de phrase de passe, la clé est créée sans chiffrement (et la commande le dit).",
    )
    q.add_argument("--passphrase-file", metavar="FICHIER", help="phrase de passe (première ligne du fichier)")
    q.add_argument("--no-passphrase", action="store_true", help="ne pas chiffrer la clé, sans demander")
    q.add_argument("--force", action="store_true", help="remplacer la clé existante (l'ancienne est conservée)")
    q.set_defaults(handler=cmd_keys_init)
    q = ksub.add_parser("show", help="afficher la clé publique, son identifiant et son empreinte")
    q.add_argument("--json", action="store_true", help="sortie JSON")
    q.set_defaults(handler=cmd_keys_show)
    q = ksub.add_parser(
        "trust",
        help="faire confiance à la clé d'un organisme",
        description="Ajoute une clé publique aux clés de confiance : `relance verify` dira VALIDE pour les "
        "attestations qu'elle signe. FICHIER est la clé publique de l'organisme (base64, hex ou PEM ; ou "
        "la clé elle-même) ou une de ses attestations (PDF ou JSON, dont la clé est extraite). Comparez "
        "d'abord l'empreinte affichée avec celle que l'organisme publie ; --fingerprint le fait pour vous.",
    )
    q.add_argument("source", metavar="FICHIER|CLÉ")
    q.add_argument("--name", required=True, metavar="ORGANISME", help="nom de l'organisme, affiché par verify")
    q.add_argument("--fingerprint", metavar="EMPREINTE",
                   help="empreinte publiée par l'organisme : la clé n'est ajoutée que si elle correspond")
    q.set_defaults(handler=cmd_keys_trust)
    q = ksub.add_parser("trusted", help="lister les clés de confiance")
    q.add_argument("--json", action="store_true", help="sortie JSON")
    q.set_defaults(handler=cmd_keys_trusted)
    q = ksub.add_parser("untrust", help="retirer une clé de confiance",
                        description="Retire les clés de confiance désignées par leur identifiant, leur empreinte "
                        "ou le nom de l'organisme.")
    q.add_argument("reference", metavar="IDENTIFIANT|EMPREINTE|NOM")
    q.set_defaults(handler=cmd_keys_untrust)

    # verify ----------------------------------------------------------------
    p = sub.add_parser(
        "verify",
        help="vérifier une attestation signée (JSON ou PDF)",
        description="Vérifie une attestation : la signature du JSON, et pour un PDF la signature du fichier "
        "entier (ce que le lecteur voit). VALIDE seulement si la clé est connue : la clé de cette "
        "installation, une clé de confiance (relance keys trust) ou celle de --key. Avec --replay, rejoue "
        "chaque transcription avec les packs cités (mêmes empreintes) et signale toute différence de note. "
        "Sortie : 0 valide ; 1 invalide (modifiée, endommagée, autre clé que --key, notes différentes) ; "
        "2 erreur d'usage (fichier introuvable, ni PDF ni JSON) ; 3 signature intacte mais clé inconnue "
        "(l'empreinte est affichée pour la comparer à celle que publie l'organisme).",
    )
    p.add_argument("file", metavar="FICHIER")
    p.add_argument("--replay", action="store_true", help="recalculer les notes avec les packs cités")
    p.add_argument("--key", metavar="CLÉ|FICHIER",
                   help="clé publique attendue (base64, hex, PEM ou fichier) : seule celle-ci est acceptée")
    p.add_argument("--json", action="store_true", help="sortie JSON")
    p.set_defaults(handler=cmd_verify)

    # report ----------------------------------------------------------------
    p = sub.add_parser(
        "report",
        help="synthèse d'une promotion à partir d'exports JSON",
        description="Agrège des exports JSON (relance export --format json) : par stagiaire, par module, "
        "par étape de la méthode, et les objections les moins bien traitées.",
    )
    p.add_argument("exports", nargs="+", metavar="EXPORT.json")
    p.add_argument("--csv", metavar="FICHIER", help="écrire aussi la synthèse en CSV")
    p.add_argument("--json", action="store_true", help="sortie JSON")
    p.add_argument("--top", type=_positive, default=10, metavar="N", help="objections affichées (défaut 10)")
    p.set_defaults(handler=cmd_report)


# --------------------------------------------------------------------------- helpers


@contextmanager
def _store() -> Iterator[Any]:
    from simulator.records.store import Store

    store = Store.open()
    try:
        yield store
    finally:
        store.close()


def _write_output(path: str | None, data: str | bytes) -> None:
    """Write to stdout, or atomically to ``path`` (a temporary file renamed into place)."""
    if path is None or path == "-":
        from simulator.textsafe import raw_stream

        if isinstance(data, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
        elif sys.stdout.isatty():
            # Shown in a terminal: control characters made visible (see simulator.textsafe).
            sys.stdout.write(data.replace("\r\n", "\n"))
        else:
            # Piped or redirected: the export is data, written as it is.
            raw_stream(sys.stdout).write(data)
        sys.stdout.flush()
        return
    target = Path(path)
    if target.is_dir():
        raise UsageError(f"{path} est un dossier : indiquez un nom de fichier")
    if not target.parent.exists():
        raise UsageError(f"dossier introuvable : {target.parent}")
    temporary = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    try:
        if isinstance(data, bytes):
            temporary.write_bytes(data)
        else:
            temporary.write_text(data, encoding="utf-8", newline="")
        temporary.replace(target)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise ExportError(f"impossible d'écrire {path} ({exc.strerror})") from None


def _library(args: argparse.Namespace) -> Any:
    from simulator.content.library import load_library

    paths = list(getattr(args, "pack", None) or [])
    for path in paths:
        if not Path(path).exists():
            raise UsageError(f"dossier introuvable : {path}")
    return load_library(paths or None)


def _module_titles(args: argparse.Namespace) -> dict[str, str]:
    """Module titles from the packs, if they load; ids otherwise (an attestation never needs them)."""
    from simulator.errors import SimulatorError

    try:
        library = _library(args)
    except SimulatorError:
        return {}
    return {m.id: m.title for pack in library.packs for m in pack.manifest.modules}


def _read_passphrase(path: str | None) -> bytes | None:
    if path:
        from simulator.commands.inputs import read_text

        text = read_text(path, "fichier de phrase de passe")
        lines = text.splitlines()
        secret = lines[0] if lines else ""
        if not secret:
            raise UsageError(f"fichier de phrase de passe vide : {path}")
        return secret.encode("utf-8")
    env = os.environ.get(PASSPHRASE_ENV)
    if env:
        return env.encode("utf-8")
    return None


# --------------------------------------------------------------------------- --record helpers


def _announce(store: Any, attempt_id: int) -> None:
    attempt = store.attempt(attempt_id)
    trainee = store.trainee(attempt.trainee_id)
    score = "" if attempt.score is None else f", note {attempt.score:g}"
    sys.stderr.write(f"tentative n° {attempt_id} enregistrée pour {trainee.full_name}{score}\n")


def record_call_cli(library: Any, document: Mapping[str, Any]) -> int:
    """``relance call --record``: store the call for the current trainee and session."""
    from simulator.records.recording import record_call, recording_target

    with _store() as store:
        trainee, session_id = recording_target(store)
        attempt_id = record_call(store, trainee.id, session_id, library, document)
        _announce(store, attempt_id)
    return attempt_id


def record_quiz_cli(library: Any, state: Any, result: Mapping[str, Any], answers: Mapping[str, Any]) -> int:
    """``relance quiz --record``: ``answers`` in the order they were given to the engine."""
    from simulator.records.recording import record_quiz, recording_target

    given = [(p.id, answers[p.id], 0.0) for p in state.questions if p.id in answers]
    with _store() as store:
        trainee, session_id = recording_target(store)
        attempt_id = record_quiz(store, trainee.id, session_id, library, state, result, given)
        _announce(store, attempt_id)
    return attempt_id


def record_case_study_cli(library: Any, sheet: Any, result: Mapping[str, Any], answers: Mapping[str, Any]) -> int:
    from simulator.records.recording import record_case_study, recording_target

    with _store() as store:
        trainee, session_id = recording_target(store)
        attempt_id = record_case_study(store, trainee.id, session_id, library, sheet, result, answers)
        _announce(store, attempt_id)
    return attempt_id


def recorded_phases(questionnaire_id: str) -> list[str]:
    """Phases of the current trainee's finished self-assessments of this questionnaire."""
    from simulator.records.recording import recording_target

    with _store() as store:
        trainee, _session = recording_target(store)
        return [
            str((a.result or {}).get("phase"))
            for a in store.attempts(trainee.id, "questionnaire", status="finished")
            if a.ref == questionnaire_id
        ]


def record_questionnaire_cli(library: Any, questionnaire: Any, given: Any, levels: Any) -> int:
    from simulator.records.recording import record_questionnaire, recording_target

    result = {
        "kind": "questionnaire",
        "id": questionnaire.id,
        "title": questionnaire.title,
        "phase": given.phase,
        "ratings": dict(given.ratings),
        "free_text": given.free_text,
        "objectives": [{"objective": lv.objective, "mean": float(lv.mean), "label": lv.label} for lv in levels],
    }
    with _store() as store:
        trainee, session_id = recording_target(store)
        attempt_id = record_questionnaire(store, trainee.id, session_id, library, questionnaire, result)
        _announce(store, attempt_id)
    return attempt_id


# --------------------------------------------------------------------------- trainee / session / settings


def _trainee_dict(t: Any, current: int | None) -> dict[str, Any]:
    return {"id": t.id, "nom": t.nom, "prenom": t.prenom, "organisation": t.organisation, "email": t.email,
            "current": t.id == current}


def cmd_trainee_add(args: argparse.Namespace) -> int:
    with _store() as store:
        trainee = store.upsert_trainee(args.nom, args.prenom, args.organisation, args.email, args.session)
        if args.use:
            store.set_current_trainee(trainee.id)
    current = " (stagiaire courant)" if args.use else ""
    sys.stdout.write(f"stagiaire n° {trainee.id} : {trainee.prenom} {trainee.nom}, {trainee.organisation or '—'}{current}\n")
    return 0


def cmd_trainee_list(args: argparse.Namespace) -> int:
    with _store() as store:
        trainees = store.trainees()
        current = store.get_setting("current_trainee")
    if args.json:
        sys.stdout.write(json.dumps([_trainee_dict(t, current) for t in trainees], ensure_ascii=False, indent=2) + "\n")
        return 0
    if not trainees:
        sys.stdout.write("aucun stagiaire (relance trainee add --nom … --prenom … --organisation …)\n")
    for t in trainees:
        mark = "*" if t.id == current else " "
        email = f" <{t.email}>" if t.email else ""
        sys.stdout.write(f"{mark} {t.id:>4}  {t.prenom} {t.nom}{email} — {t.organisation or '—'}\n")
    return 0


def cmd_trainee_use(args: argparse.Namespace) -> int:
    with _store() as store:
        store.set_current_trainee(args.trainee_id)
        trainee = store.trainee(args.trainee_id)
    sys.stdout.write(f"stagiaire courant : {trainee.full_name} (n° {trainee.id})\n")
    return 0


def cmd_session_create(args: argparse.Namespace) -> int:
    if args.start and args.end and args.end < args.start:
        raise UsageError("la date de fin précède la date de début")
    with _store() as store:
        session = store.create_session(
            args.code, args.title, objectives=args.objective, nature=args.nature, start_date=args.start,
            end_date=args.end, planned_hours=args.hours, organisation=args.organisation, trainer=args.trainer,
            place=args.place,
        )
        if args.use:
            store.set_current_session(session.id)
    current = " (session courante)" if args.use else ""
    sys.stdout.write(f"session {session.code} créée : {session.title}{current}\n")
    return 0


def cmd_session_list(args: argparse.Namespace) -> int:
    with _store() as store:
        sessions = store.sessions()
        current = store.get_setting("current_session")
    if args.json:
        data = [{"id": s.id, **s.as_dict(), "current": s.id == current} for s in sessions]
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return 0
    if not sessions:
        sys.stdout.write("aucune session (relance session create --code … --title …)\n")
    for s in sessions:
        mark = "*" if s.id == current else " "
        dates = f"{s.start_date or '?'} → {s.end_date or '?'}"
        hours = f", {s.planned_hours:g} h" if s.planned_hours is not None else ""
        sys.stdout.write(f"{mark} {s.code:<14} {s.title} ({dates}{hours})\n")
    return 0


def cmd_session_use(args: argparse.Namespace) -> int:
    with _store() as store:
        session = store.session_by_code(args.code)
        store.set_current_session(session.id)
    sys.stdout.write(f"session courante : {session.code} — {session.title}\n")
    return 0


def cmd_settings(args: argparse.Namespace) -> int:
    with _store() as store:
        if args.key is None:
            values = store.settings()
            for key in SETTING_KEYS:
                sys.stdout.write(f"{key:<24} {values.get(key, '')}\n")
            return 0
        if args.key not in SETTING_KEYS:
            from simulator.content.problems import did_you_mean

            raise UsageError(f"réglage `{args.key}` inconnu", did_you_mean(args.key, list(SETTING_KEYS)))
        if args.unset:
            store.set_setting(args.key, None)
        elif args.value is None:
            sys.stdout.write(f"{store.get_setting(args.key, '')}\n")
        else:
            if args.key == "xapi.base":
                from urllib.parse import urlsplit

                parts = urlsplit(args.value)
                if parts.scheme not in ("http", "https") or not parts.netloc or " " in args.value:
                    raise UsageError("xapi.base doit être une adresse http(s) sans espace")
            store.set_setting(args.key, args.value)
    return 0


def cmd_attempts(args: argparse.Namespace) -> int:
    with _store() as store:
        attempts = store.attempts(args.trainee, args.kind, results=False)
        trainees = {t.id: t for t in store.trainees()}
    if args.json:
        data = [
            {k: v for k, v in a.__dict__.items() if k != "result"} | {"trainee": trainees[a.trainee_id].full_name}
            for a in attempts
        ]
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return 0
    if not attempts:
        sys.stdout.write("aucune tentative enregistrée\n")
    for a in attempts:
        score = "—" if a.score is None else f"{a.score:g}"
        verdict = "" if a.passed is None else (" réussi" if a.passed else " non réussi")
        sys.stdout.write(
            f"{a.id:>5}  {a.started_at[:16].replace('T', ' ')}  {trainees[a.trainee_id].full_name:<24} "
            f"{KIND_LABELS[a.kind]:<15} {a.ref:<32} {STATUS_LABELS[a.status]:<10} {score}{verdict}\n"
        )
    return 0


# --------------------------------------------------------------------------- export


def _export_format(args: argparse.Namespace) -> str:
    if args.lrs:
        if args.format not in (None, "xapi"):
            raise UsageError("--lrs envoie des déclarations xAPI : retirez --format ou indiquez --format xapi")
        return "xapi"
    if args.format:
        return str(args.format)
    suffix = Path(args.output).suffix.lower() if args.output else ""
    return {".json": "json", ".jsonl": "xapi", ".ndjson": "xapi"}.get(suffix, "csv")


def cmd_export(args: argparse.Namespace) -> int:
    from simulator.records import export

    fmt = _export_format(args)
    if args.items and fmt != "csv":
        raise UsageError("--items ne concerne que le format csv")
    if args.excel and fmt != "csv":
        raise UsageError("--excel ne concerne que le format csv")
    if args.auth and not args.lrs:
        raise UsageError("--auth s'utilise avec --lrs")
    if args.retries < 0 or args.retries > 10:
        raise UsageError("--retries doit être compris entre 0 et 10")
    with _store() as store:
        selection = export.select(store, trainee_id=args.trainee, session_code=args.session, kind=args.kind,
                                  include_open=fmt != "xapi", results=fmt != "csv" or args.items)
        if fmt == "csv":
            if args.items:
                text = export.write_csv(export.item_rows(selection), export.ITEM_COLUMNS, excel=args.excel)
            else:
                text = export.write_csv(export.attempt_rows(selection), export.ATTEMPT_COLUMNS, excel=args.excel)
            _write_output(args.output, text)
        elif fmt == "json":
            from simulator.records.canonical import pretty

            _write_output(args.output, pretty(export.export_document(store, selection)))
        else:
            from simulator.records.xapi import store_statements, validate_statement

            statements = list(store_statements(store, selection.attempts))
            seen: set[int] = set()
            for statement in statements:
                problems = validate_statement(statement, seen=seen)
                if problems:
                    raise ExportError(f"déclaration xAPI non conforme ({statement.get('id')}) : {problems[0]}")
            if args.lrs:
                from simulator.records.lrs import post_statements

                auth = args.auth or os.environ.get(LRS_AUTH_ENV)
                report = post_statements(statements, args.lrs, store=store, auth=auth, batch_size=args.batch,
                                         retries=args.retries)
                sys.stderr.write(
                    f"LRS {report.endpoint} : {report.sent} déclaration(s) envoyée(s) en {report.batches} lot(s), "
                    f"{report.skipped} déjà acceptée(s) auparavant"
                    + (f", {report.retries} nouvel(s) essai(s)" if report.retries else "") + "\n"
                )
                if args.output:
                    _write_output(args.output, "".join(export.xapi_lines(statements)))
            else:
                _write_output(args.output, "".join(export.xapi_lines(statements)))
    return 0


# --------------------------------------------------------------------------- keys / attest / verify


def cmd_keys_init(args: argparse.Namespace) -> int:
    from simulator.records.keys import create_key, key_paths

    if args.no_passphrase and args.passphrase_file:
        raise UsageError("--no-passphrase et --passphrase-file s'excluent")
    private_path, public_path = key_paths()
    if private_path.exists() and not args.force:
        raise UsageError(
            f"une clé existe déjà : {private_path}",
            "`relance keys show` l'affiche ; --force la remplace (l'ancienne est conservée à côté)",
        )
    passphrase = None if args.no_passphrase else _read_passphrase(args.passphrase_file)
    announced = ""
    if passphrase is None and not args.no_passphrase:
        if sys.stdin is not None and sys.stdin.isatty():
            import getpass

            first = getpass.getpass("Phrase de passe (vide : clé non chiffrée) : ")
            if first:
                if getpass.getpass("Confirmez la phrase de passe : ") != first:
                    raise UsageError("les deux saisies diffèrent ; aucune clé n'a été créée")
                passphrase = first.encode("utf-8")
        else:
            announced = (
                "note : entrée standard non interactive et aucune phrase de passe fournie "
                f"(--passphrase-file ou {PASSPHRASE_ENV}) : la clé est créée NON chiffrée\n"
            )
    info = create_key(passphrase=passphrase, force=args.force)
    if announced:
        sys.stderr.write(announced)
    protection = "chiffrée par phrase de passe" if passphrase else "non chiffrée"
    sys.stdout.write(
        f"clé créée ({protection}) : {private_path}\n"
        f"clé publique : {public_path}\n"
        f"identifiant : {info.kid}\n"
        f"clé publique (base64) : {info.b64}\n"
    )
    return 0


def cmd_keys_show(args: argparse.Namespace) -> int:
    from simulator.records.keys import is_encrypted, key_paths, load_public_key

    info = load_public_key()
    private_path, _ = key_paths()
    data = {
        "kid": info.kid,
        "fingerprint": info.fingerprint,
        "algorithm": "Ed25519",
        "public_key_base64": info.b64,
        "public_key_hex": info.hex,
        "private_key": str(private_path),
        "public_key_file": str(info.path) if info.path else None,
        "encrypted": is_encrypted(),
    }
    if args.json:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return 0
    sys.stdout.write(
        f"identifiant      {info.kid}\n"
        f"empreinte        {info.fingerprint}\n"
        f"algorithme       Ed25519\n"
        f"clé publique     {info.b64}\n"
        f"en hexadécimal   {info.hex}\n"
        f"clé privée       {private_path} ({'chiffrée' if data['encrypted'] else 'non chiffrée'})\n"
    )
    return 0


def _key_from_source(source: str) -> bytes:
    """A public key from a key file, a key written out, or an attestation (its intact signing key)."""
    from simulator.records.keys import parse_public_key

    path = Path(source)
    if path.is_file():
        data = _read_attestation_file(source)
        if data.startswith(b"%PDF") or b"relance-signed-attestation" in data:
            report = check_attestation(source)
            if not report.valid:
                raise UsageError(
                    f"{source} : attestation invalide, sa clé ne peut pas être ajoutée",
                    "; ".join(report.reasons[:2]),
                )
            return bytes(report.public_key)
        try:
            return parse_public_key(data.decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise UsageError(f"{source} n'est ni une clé publique ni une attestation") from None
    return parse_public_key(source)


def cmd_keys_trust(args: argparse.Namespace) -> int:
    from simulator.records.keys import fingerprint
    from simulator.records.trust import add_trusted

    raw = _key_from_source(args.source)
    printed = fingerprint(raw)
    if args.fingerprint is not None:
        given = "".join(args.fingerprint.split()).replace(":", "").upper()
        if given != printed.replace(" ", ""):
            raise UsageError(
                "l'empreinte de cette clé ne correspond pas à celle indiquée : clé non ajoutée",
                f"empreinte de la clé : {printed}",
            )
    entry = add_trusted(raw, args.name)
    sys.stdout.write(
        f"clé de confiance ajoutée : « {entry.name} »\n"
        f"identifiant      {entry.kid}\n"
        f"empreinte        {entry.fingerprint}\n"
    )
    if args.fingerprint is None:
        sys.stderr.write(
            "note : vérifiez que cette empreinte est bien celle que publie l'organisme "
            "(ou indiquez-la avec --fingerprint)\n"
        )
    return 0


def cmd_keys_trusted(args: argparse.Namespace) -> int:
    from simulator.records.trust import load_trusted

    keys = load_trusted()
    if args.json:
        sys.stdout.write(json.dumps([k.as_dict() for k in keys], ensure_ascii=False, indent=2) + "\n")
        return 0
    if not keys:
        sys.stdout.write("aucune clé de confiance (relance keys trust FICHIER --name ORGANISME)\n")
    for key in keys:
        sys.stdout.write(f"{key.kid}  {key.name}  (ajoutée le {key.added})\n  empreinte {key.fingerprint}\n")
    return 0


def cmd_keys_untrust(args: argparse.Namespace) -> int:
    from simulator.records.trust import remove_trusted

    for key in remove_trusted(args.reference):
        sys.stdout.write(f"clé retirée : {key.kid} « {key.name} »\n")
    return 0


def _signing_key(args: argparse.Namespace) -> Any:
    from simulator.records.keys import is_encrypted, load_private_key

    passphrase = _read_passphrase(args.passphrase_file)
    if passphrase is None and is_encrypted() and sys.stdin is not None and sys.stdin.isatty():
        import getpass

        passphrase = getpass.getpass("Phrase de passe de la clé de signature : ").encode("utf-8") or None
    return load_private_key(passphrase=passphrase)


def _attest_session(store: Any, trainee: Any, code: str | None) -> Any:
    if code:
        return store.session_by_code(code)
    current = store.current_session()
    mine = store.trainee_sessions(trainee.id)
    used = {a.session_id for a in store.attempts(trainee.id) if a.session_id is not None}
    if current is not None and (current.id in used or any(s.id == current.id for s in mine)):
        return current
    candidates = {s.id: s for s in mine} | {sid: store.session(sid) for sid in used}
    if len(candidates) == 1:
        return next(iter(candidates.values()))
    if not candidates:
        raise UsageError(
            f"{trainee.full_name} n'est inscrit(e) à aucune session de formation",
            "créez-la avec `relance session create …` et inscrivez le stagiaire (relance trainee add … --session CODE)",
        )
    raise UsageError(
        f"{trainee.full_name} a suivi plusieurs sessions : précisez --session",
        "sessions : " + ", ".join(sorted(s.code for s in candidates.values())),
    )


def cmd_attest(args: argparse.Namespace) -> int:
    from simulator.records.attest import build_attestation, sign
    from simulator.records.canonical import pretty

    suffix = Path(args.output).suffix.lower()
    if suffix not in (".pdf", ".json"):
        raise UsageError("le fichier de sortie doit se terminer par .pdf ou .json")
    key = _signing_key(args)
    with _store() as store:
        if args.trainee is not None:
            trainee = store.trainee(args.trainee)
        else:
            trainee = store.current_trainee()
            if trainee is None:
                raise UsageError("aucun stagiaire courant : indiquez --trainee ID", "`relance trainee list`")
        session = _attest_session(store, trainee, args.session)
        payload = build_attestation(
            store, trainee, session, issued_date=args.date or date.today().isoformat(), place=args.place,
            hours=args.hours, module_titles=_module_titles(args),
        )
    envelope = sign(payload, key)
    if suffix == ".json":
        _write_output(args.output, pretty(envelope))
    else:
        from simulator.records.pdf import render_signed_pdf

        _write_output(args.output, render_signed_pdf(envelope, key))
    sys.stdout.write(
        f"attestation signée (clé {envelope['kid']}) : {args.output} — {trainee.full_name}, session {session.code}, "
        f"{len(payload['attempts'])} exercice(s)\n"
    )
    return 0


VERIFY_EXIT = {"valid": 0, "invalid": 1, "untrusted": 3}
"""Exit codes of ``verify`` (2 is a usage error: no such file, not an attestation at all…)."""


def _read_attestation_file(path: str) -> bytes:
    from simulator.content.files import FileRefused, read_regular_file

    file = Path(path)
    if not file.exists():
        raise UsageError(f"fichier introuvable : {path}")
    if file.is_dir():
        raise UsageError(f"{path} est un dossier : indiquez le fichier de l'attestation")
    try:
        return read_regular_file(file, MAX_VERIFY_BYTES)
    except FileRefused as refused:
        raise UsageError(f"{path} : {refused.message}") from None


def _load_attestation(path: str) -> tuple[Any, Any, str]:
    """(envelope, PDF check or None, reason it is broken or ""); :class:`UsageError` if the file is
    neither a PDF nor an attestation JSON. A damaged attestation is a verdict (invalid), not a usage error."""
    from simulator.records.attest import DuplicateKeyError, loads_strict

    data = _read_attestation_file(path)
    if b"%PDF-" in data[:1024] or data.rstrip().endswith(b"%%EOF"):
        from simulator.records.pdf import read_envelope
        from simulator.records.pdfsign import check_pdf

        check = check_pdf(data)
        try:
            envelope = read_envelope(data)
        except ValueError as exc:  # DuplicateKeyError included
            return None, check, f"pièce jointe attestation.json endommagée : {exc}"
        if envelope is None:
            return None, check, "ce PDF ne contient pas d'attestation signée (pièce jointe attestation.json absente)"
        return envelope, check, ""
    stripped = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not (stripped.startswith(b"{") or b"relance-signed-attestation" in data):
        raise UsageError(f"{path} n'est ni un PDF ni un fichier JSON d'attestation")
    try:
        return loads_strict(data.decode("utf-8-sig")), None, ""
    except DuplicateKeyError as exc:
        return None, None, str(exc)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return None, None, f"attestation JSON endommagée : ce n'est plus du JSON valide ({type(exc).__name__})"


def _pinned_key(value: str | None) -> bytes | None:
    from simulator.records.keys import parse_public_key

    if not value:
        return None
    text = value
    if Path(value).is_file():
        from simulator.commands.inputs import read_text

        text = read_text(value, "fichier de clé publique")
    return parse_public_key(text)


def check_attestation(path: str, *, pinned: bytes | None = None, trusted: Any = None) -> Any:
    """The :class:`~simulator.records.attest.VerifyReport` of an attestation file (JSON or PDF)."""
    from simulator.records.attest import VerifyReport, verify

    envelope, pdf_check, broken = _load_attestation(path)
    report = VerifyReport(valid=False, reasons=[broken]) if broken else verify(
        envelope, pinned_key=pinned, trusted=trusted
    )
    if pdf_check is not None:
        for problem in reversed(pdf_check.problems):
            report.valid = False
            report.reasons.insert(0, problem)
        if pdf_check.public_key and report.public_key and pdf_check.public_key != report.public_key:
            report.fail("le PDF et son fichier attestation.json joint sont signés par deux clés différentes")
    return report


def cmd_verify(args: argparse.Namespace) -> int:
    from simulator.records.attest import replay
    from simulator.records.trust import trusted_sources

    pinned = _pinned_key(args.key)
    report = check_attestation(args.file, pinned=pinned, trusted=None if pinned else trusted_sources())
    if args.replay and report.payload is not None and report.valid:
        report = replay(report, _library(args))
    status = report.status
    payload = report.payload or {}
    trainee = payload.get("trainee") or {}
    training = payload.get("training") or {}
    who = f"{trainee.get('prenom', '')} {trainee.get('nom', '')}".strip()
    if args.json:
        local = _local_kid()
        data = {
            "file": args.file,
            "status": status,
            "valid": status == "valid",
            "intact": report.valid,
            "kid": report.kid,
            "fingerprint": report.fingerprint or None,
            "trusted_as": report.trusted_as or None,
            "reasons": report.reasons,
            "replayed": report.replayed if args.replay else None,
            "not_replayed": report.version_mismatch if args.replay else None,
            "trainee": who or None,
            "session": training.get("code"),
            "local_key": bool(local and local == report.kid),
        }
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return VERIFY_EXIT[status]
    what = (
        f"attestation de {who or '?'}, session {training.get('code', '?')}, "
        f"signée le {(payload.get('issued') or {}).get('date', '?')}"
    )
    if status == "valid":
        sys.stdout.write(f"VALIDE — {what} par la clé {report.kid} ({report.trusted_as})\n")
    elif status == "untrusted":
        provider = str((payload.get("provider") or {}).get("name") or "ORGANISME")
        sys.stdout.write(
            f"NON RECONNUE — signature intacte, mais la clé {report.kid} n'est pas une clé de confiance\n"
            f"  {what}, au nom de « {provider} »\n"
            f"  empreinte de la clé : {report.fingerprint}\n"
            "  Comparez cette empreinte avec celle que l'organisme publie (et imprime sur ses attestations PDF).\n"
            f"  Si elles sont identiques : relance keys trust {args.file} --name \"{provider}\"\n"
        )
    else:
        sys.stdout.write(f"INVALIDE — {args.file}\n")
        for reason in report.reasons:
            sys.stdout.write(f"  • {reason}\n")
        return VERIFY_EXIT[status]
    if args.replay:
        sys.stdout.write(f"rejeu : {report.replayed} exercice(s) recalculé(s), notes identiques\n")
        if report.version_mismatch:
            sys.stdout.write(
                f"rejeu impossible pour {len(report.version_mismatch)} appel(s) : version de notation différente "
                "(la signature, elle, est vérifiée)\n"
            )
            for note in report.version_mismatch:
                sys.stdout.write(f"  • {note}\n")
    return VERIFY_EXIT[status]


def _local_kid() -> str | None:
    from simulator.records.keys import load_public_key

    try:
        return load_public_key().kid
    except ExportError:
        return None


# --------------------------------------------------------------------------- report


def cmd_report(args: argparse.Namespace) -> int:
    from simulator.commands.inputs import read_json
    from simulator.records.export import EXPORT_FORMAT
    from simulator.records.report import build_report, report_rows

    documents = []
    for path in args.exports:
        document = _read_export(path, read_json)
        if not isinstance(document, dict) or document.get("format") != EXPORT_FORMAT:
            raise UsageError(f"{path} n'est pas un export JSON Relance", "produisez-le avec `relance export --format json`")
        documents.append(document)
    report = build_report(documents, _module_titles(args))
    if args.csv:
        from simulator.records.export import write_csv

        _write_output(args.csv, write_csv(report_rows(report), ("section", "key", "label", "n", "mean", "rate", "extra")))
    if args.json:
        sys.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2) + "\n")
        return 0
    _print_report(report, args.top)
    return 0


def _read_export(path: str, read_json: Any) -> Any:
    file = Path(path)
    if file.is_file() and file.stat().st_size > 1024 * 1024:
        # Exports of a whole cohort exceed the 1 MiB limit of ordinary input files.
        try:
            return json.loads(file.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            raise UsageError(f"export illisible : {path}") from None
    return read_json(path, "export")


def _print_report(report: Any, top: int) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from simulator.textsafe import raw_stream, visible

    # Rich writes its own styling escapes: it gets the raw stream, and every name it shows
    # (they come from export files) has its control characters made visible here.
    console = Console(file=raw_stream(sys.stdout), highlight=False)
    if not console.is_terminal:
        console = Console(file=raw_stream(sys.stdout), highlight=False, width=140)  # no wrapping of names

    def fmt(value: Any, suffix: str = "") -> Text:
        if value is None:
            return Text("—")
        if isinstance(value, float):
            return Text(f"{value:.1f}".replace(".", ",") + suffix)
        return Text(f"{value}{suffix}")

    def rate(value: Any) -> Text:
        return Text("—") if value is None else Text(f"{value * 100:.0f} %")

    def label(value: Any) -> Text:
        return Text(visible(str(value)))

    table = Table(title="Par stagiaire", title_justify="left")
    for column in ("Stagiaire", "Organisation", "Exercices", "Appels", "Note appels", "Évaluations",
                   "Note évaluations", "Réussis", "Temps"):
        table.add_column(column)
    for t in report.trainees:
        table.add_row(label(t["name"]), label(t["organisation"] or "—"), fmt(t["attempts"]), fmt(t["calls"]),
                      fmt(t["call_mean"]), fmt(t["assessments"]), fmt(t["assessment_mean"]),
                      Text(f"{t['passed']}/{t['graded']}"), Text(f"{round(t['seconds'] / 60)} min"))
    console.print(table)

    table = Table(title="Par module", title_justify="left")
    for column in ("Module", "Exercices", "Stagiaires", "Note moyenne", "Taux de réussite"):
        table.add_column(column)
    for m in report.modules:
        table.add_row(label(m["title"]), fmt(m["attempts"]), fmt(m["trainees"]), fmt(m["mean"]), rate(m["pass_rate"]))
    console.print(table)

    if report.steps:
        table = Table(title="Par étape de la méthode (appels)", title_justify="left")
        for column in ("Étape", "Appels", "Note moyenne", "Franchie", "Sautée"):
            table.add_column(column)
        for s in report.steps:
            table.add_row(label(s["title"]), fmt(s["calls"]), fmt(s["mean"]), rate(s["covered_rate"]), fmt(s["skipped"]))
        console.print(table)

    if report.objections:
        table = Table(title="Objections les moins bien traitées", title_justify="left")
        for column in ("Objection", "Rencontrée", "Stagiaires", "Note moyenne", "Minimum"):
            table.add_column(column)
        for o in report.objections[:top]:
            table.add_row(label(o["title"]), fmt(o["times"]), fmt(o["trainees"]), fmt(o["mean"]), fmt(o["min"]))
        console.print(table)
