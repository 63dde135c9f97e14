"""``relance new``: write a commented, valid content file and say what to edit.

Every file starts with a ``yaml-language-server`` modeline pointing at a
``pack-schema.json`` written at the pack's root, so completion and checks work
in the editor wherever the pack lives (not only inside the Relance repository).
With ``--from``, the new object is a copy of an existing one (bundled or from
the packs given), each top-level key preceded by its documentation.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Any

import msgspec

from simulator.errors import NotFoundError, UsageError

__all__ = ["FOLDERS", "SCHEMA_FILE", "scaffold"]

SCHEMA_FILE = "pack-schema.json"
BUNDLED_CALLS = "relance-appels"
"""The bundled pack whose method, personas and objections a new pack reuses."""
FOLDERS = {"persona": "personas", "case": "dossiers", "objection": "objections", "quiz": "quiz", "golden": "golden"}
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def _slug(text: str) -> str:
    import unicodedata

    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
    return slug[:64] or "mon-pack"


def _find_root(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        if (folder / "pack.yaml").is_file():
            return folder
    return None


def _modeline(file: Path, root: Path) -> str:
    relative = os.path.relpath(root / SCHEMA_FILE, file.parent)
    return f"# yaml-language-server: $schema={Path(relative).as_posix()}\n"


def _write_schema(root: Path) -> Path | None:
    target = root / SCHEMA_FILE
    if target.exists():
        return None
    from simulator.commands.content import schema_text

    target.write_text(schema_text(), encoding="utf-8")
    return target


def _write(path: Path, text: str, force: bool) -> None:
    if path.exists() and not force:
        raise UsageError(f"{path} existe déjà", "choisissez un autre identifiant, ou --force pour le remplacer")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"impossible d'écrire {path} : {exc.strerror}") from None


# --------------------------------------------------------------------------- templates

_PACK = """\
# Le manifeste du pack : ce fichier s'appelle toujours pack.yaml, à la racine du dossier.
kind: pack
id: {id}
title: {title}            # titre montré aux stagiaires et aux formateurs
version: "1.0"            # entre guillemets : sinon YAML lit un nombre
language: fr-FR           # fr-FR, fr-CA ou en
authors: []
# Réutiliser la méthode en 9 étapes, les personnages et les objections fournis :
# sans cette ligne, `martine-leroy` ou `tresorerie-tendue` sont « introuvables ».
depends: [relance-appels]
# Modules de formation (pour les quiz et les études de cas) :
# modules:
#   - id: mon-module
#     title: Mon module
"""

_PERSONA = """\
# Un personnage de débiteur. Les répliques sont tirées au sort avec la graine de l'appel.
# Repères remplacés par le dossier : {{contact}}, {{company}}, {{amount}}, {{invoice}},
# {{due}}, {{date}}, {{means}}, {{signatory}}, {{down_payment}}… (liste : docs/authoring.md).
# Une ligne qui commence par {{ ou qui contient « : » se met entre guillemets.
kind: persona
id: {id}
name: Prénom Nom           # nom affiché
civility: Madame           # Madame ou Monsieur (pour « Madame Nom »)
role: comptable fournisseurs
type: bonne-foi            # profil : bonne-foi, difficulte-tresorerie, contestataire…
difficulty: 1              # 1 facile, 2 moyen, 3 difficile
traits: {{patience: 3, cooperation: 4, honesty: 4}}
lines:
  answer: ["{{company}}, comptabilité, bonjour."]
  identity: ["Oui, c'est moi."]
  explain: ["Je regarde… La facture est arrivée, elle attend le bon à payer."]
  agree: ["C'est d'accord, je lance le {{means}} de {{amount}} le {{date}}."]
  confirm: ["Oui, c'est bien ça."]
  goodbye: ["Au revoir."]
  # Réponses aux questions de diagnostic (« Quel montant pouvez-vous régler ? »…) :
  asked_amount: ["Je peux régler la totalité, {{amount}}."]
  asked_date: ["Je peux le lancer le {{date}}."]
objections:
  - objection: tresorerie-tendue   # une objection du pack ou de relance-appels
    at: negocier                   # étape où elle est soulevée
    asked:                         # réponses cohérentes avec l'objection
      amount: ["Tout de suite, je ne peux faire que {{down_payment}}."]
"""

_CASE = """\
# Un dossier client : la situation d'un appel. Les montants s'écrivent 14400.00
# ou "14 400,00 €" (entre guillemets dans une ligne entre accolades).
kind: case
id: {id}
title: Mon client, facture de 14 400 €
persona: {persona}             # qui répond (relance list personas)
situation: direct              # direct, switchboard, absent, voicemail, wrong-person, mobile
difficulty: 1
call_date: {today}             # les dates dites (« jeudi ») partent de ce jour
creditor:
  company: Axis Fournitures    # votre société
  caller: Claire Martin
  email: c.martin@axis-fournitures.fr
debtor:
  company: Morel Agencement
  contact: {contact}
  contact_role: comptable fournisseurs
  payment_terms: 45 jours fin de mois
  customer_since: 2016
third_parties:
  - {{name: Hélène Vidal, role: daf, function: directrice administrative et financière}}
  - {{name: Bruno Lefort, role: commercial, side: creditor}}
invoices:
  - number: F-2026-0412
    issued: {issued}
    due: {due}
    amount: 14400.00
objective:
  text: Obtenir un virement de la totalité sous 7 jours.
  within_days: 7
fallback:
  text: À défaut, un acompte de 5 000 € cette semaine et le solde sous 30 jours.
  amount: 5000
  within_days: 7
limits: {{instalments: 2, max_delay_days: 30, min_down_payment: 5000}}
briefing: Premier appel de relance ; restez courtois et obtenez une date.
"""

_OBJECTION = """\
# Une objection : ce que dit le débiteur, la technique et les critères d'une bonne réponse.
# Les expressions (patterns) portent sur le texte normalisé : minuscules, sans accents.
kind: objection
id: {id}
title: Intitulé court de l'objection
category: tresorerie           # facture, paiement-annonce, circuit, tresorerie, litige…
phrasings:
  - "Je ne peux pas tout payer ce mois-ci."
technique: Reformuler, puis obtenir un montant et une date précis.
criteria:
  - kind: reformulation
    id: reformule
    label: Reformule la difficulté
    level: should
    points: 3
  - kind: entity
    id: montant-date
    label: Obtient un montant et une date
    level: must
    points: 6
    entities: [amount, commitment-date]
model: "Je comprends. Quel montant pouvez-vous régler cette semaine, et à quelle date ?"
examples:
  - {{label: good, reply: "Je comprends que la trésorerie est serrée : 5 000 € vendredi par virement, c'est possible ?"}}
  - {{label: poor, reply: "Bon, payez quand vous pourrez."}}
"""

_QUIZ = """\
# Une banque de questions d'un module (déclaré dans pack.yaml, ou dans relance-quiz).
kind: quiz
id: {id}
title: Mon quiz
module: {module}
questions:
  - id: q1
    type: single
    text: Quel délai de paiement maximal fixe la loi entre entreprises en France ?
    choices:
      - {{text: 60 jours après la date d'émission de la facture, correct: true}}
      - {{text: 90 jours}}
    feedback: "Article L441-10 du Code de commerce : 60 jours, ou 45 jours fin de mois."
"""

_ADVICE = {
    "pack": "à faire : changez `title`, puis ajoutez vos fichiers avec `relance new persona|case|objection|quiz ID -d {root}`.",
    "persona": "à faire : changez le nom, le profil (`type`) et les répliques (`lines`), puis les objections.",
    "case": "à faire : changez `title`, `debtor`, `invoices` et l'objectif ; `persona:` nomme qui répond.",
    "objection": "à faire : changez les formulations, les critères et les exemples (au moins 2 bons, 1 acceptable, 2 mauvais).",
    "quiz": "à faire : changez `module` (un module de pack.yaml) et écrivez vos questions.",
}


# --------------------------------------------------------------------------- copies


def _commented_yaml(obj: Any, new_id: str) -> str:
    """A copy of ``obj`` as YAML, with ``new_id`` and each top-level key documented."""
    import yaml

    from simulator.content.docgen import field_docs

    data = msgspec.to_builtins(obj, builtin_types=(dt.date,))
    kind = type(obj).__struct_config__.tag
    data = {"kind": kind, **{k: v for k, v in data.items() if k != "kind"}}
    data["id"] = new_id
    docs = field_docs(type(obj))
    out: list[str] = []
    for key, value in data.items():
        if key in docs and key not in ("kind", "id"):
            out.append(f"# {docs[key]}")
        block = yaml.safe_dump({key: value}, allow_unicode=True, sort_keys=False, width=100)
        out.append(block.rstrip("\n"))
    return "\n".join(out) + "\n"


def _library(packs: list[str] | None, root: Path | None) -> Any:
    from simulator.content.library import load_library

    paths: list[str] = list(packs or [])
    if root is not None and str(root) not in paths:
        paths.append(str(root))
    library = load_library(paths or None, strict=False)
    return library


# --------------------------------------------------------------------------- entry point


def scaffold(
    kind: str,
    new_id: str,
    *,
    source: str | None = None,
    folder: Path | None = None,
    packs: list[str] | None = None,
    force: bool = False,
) -> tuple[list[Path], str]:
    """Write the new file(s); return what was written and the advice to print."""
    if not _ID.match(new_id) or len(new_id) > 64:
        raise UsageError(f"identifiant invalide : {new_id!r}", "minuscules, chiffres et tirets (ex. `morel-premier-appel`)")
    written: list[Path] = []
    if kind == "pack":
        if source:
            raise UsageError("`--from` ne s'applique pas à un pack", "copiez le dossier du pack à la place")
        root = folder if folder is not None else Path(new_id)
        manifest = root / "pack.yaml"
        _write(manifest, _modeline(manifest, root) + _PACK.format(id=new_id, title=new_id.replace("-", " ").capitalize()), force)
        written.append(manifest)
        schema = _write_schema(root)
        if schema:
            written.append(schema)
        advice = _ADVICE["pack"].format(root=root) + f"\nvérifiez : relance validate {root}\n"
        return written, advice

    start = (folder if folder is not None else Path.cwd()).resolve()
    root = _find_root(start)
    if root is None:
        # No pack here yet: make one, so the new file validates straight away.
        root = start
        manifest = root / "pack.yaml"
        pack_id = _slug(root.name)
        _write(manifest, _modeline(manifest, root) + _PACK.format(id=pack_id, title=root.name or pack_id), force=False)
        written.append(manifest)
    schema = _write_schema(root)
    if schema:
        written.append(schema)
    target = root / FOLDERS[kind] / f"{new_id}.yaml"
    if source:
        library = _library(packs, root)
        lookup = {"case": "case", "persona": "persona", "objection": "objection", "quiz": "quiz"}[kind]
        try:
            original = library.get(lookup, source)
        except NotFoundError as error:
            raise UsageError(error.message, error.hint) from None
        body = f"# Copie de `{source}` ; changez ce qui doit l'être.\n" + _commented_yaml(original, new_id)
        _write(target, _modeline(target, root) + body, force)
        written.append(target)
        if kind == "case":
            written.extend(_copy_goldens(library, source, new_id, root, force))
    else:
        _write(target, _modeline(target, root) + _template(kind, new_id, root, packs), force)
        written.append(target)
    advice = _ADVICE[kind]
    copies = sum(1 for path in written if path.parent.name == FOLDERS["golden"])
    if kind == "case" and copies:
        advice += (
            f" Les {copies} transcription(s) de référence copiées rejouent l'original : adaptez leurs "
            f"répliques à votre dossier (dans {FOLDERS['golden']}/)."
        )
    elif kind == "case":
        advice += " Ajoutez ensuite deux transcriptions de référence (bon et mauvais parcours)."
    if kind == "persona":
        advice += f" Pour le faire jouer, écrivez `persona: {new_id}` dans le dossier (case) qui l'utilise."
    advice += f"\nvérifiez : relance validate {root}\n"
    if kind == "case":
        advice += f"essayez : relance playtest {new_id} --pack {root}\n"
    return written, advice


def _copy_goldens(library: Any, source: str, new_id: str, root: Path, force: bool) -> list[Path]:
    """The source case's golden transcripts, pointed at the copy (they pass as long as it is unchanged)."""
    written = []
    for golden in library.all("golden"):
        if golden.case != source:
            continue
        suffix = golden.id.split("-", 1)[1] if "-" in golden.id else golden.id
        copy = msgspec.structs.replace(golden, case=new_id, id=f"{new_id}-{suffix}"[:64].rstrip("-"))
        target = root / FOLDERS["golden"] / f"{copy.id}.yaml"
        body = f"# Transcription de référence copiée de `{golden.id}` : rejouée par `relance validate`.\n"
        _write(target, _modeline(target, root) + body + _commented_yaml(copy, copy.id), force)
        written.append(target)
    return written


def _template(kind: str, new_id: str, root: Path, packs: list[str] | None) -> str:
    today = dt.date.today()
    if kind == "persona":
        return _PERSONA.format(id=new_id)
    if kind == "objection":
        return _OBJECTION.format(id=new_id)
    if kind == "quiz":
        library = _library(packs, root)
        modules = [m.id for p in (*library.packs, *library.partials) for m in p.manifest.modules]
        module = modules[0] if modules else "mon-module"
        return _QUIZ.format(id=new_id, module=module)
    persona, contact = "martine-leroy", "Martine Leroy"
    mine = sorted((root / FOLDERS["persona"]).glob("*.yaml")) if (root / FOLDERS["persona"]).is_dir() else []
    if mine:
        persona = mine[0].stem
        contact = persona.replace("-", " ").title()
    return _CASE.format(
        id=new_id,
        persona=persona,
        contact=contact,
        today=today.isoformat(),
        issued=(today - dt.timedelta(days=75)).isoformat(),
        due=(today - dt.timedelta(days=15)).isoformat(),
    )
