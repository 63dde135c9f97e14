"""The trust store: which signing keys this installation believes, and under which name.

A signature only says "the holder of this key signed this". Whether that holder is the training
organisation it claims to be is knowledge the verifier must bring, so ``relance verify`` says
VALIDE only for a key it knows:

* the installation's own key (and its earlier keys, kept by ``keys init --force``);
* a key added with ``relance keys trust FICHIER --name ORGANISME``, after comparing its
  fingerprint with the one the organisation publishes;
* the key given with ``verify --key`` (that key only).

The store is one JSON file, ``data_dir()/keys/trusted.json``, written atomically::

    {"format": "relance-trusted-keys", "version": 1,
     "keys": [{"name": "Formations Crédit SARL", "kid": "…", "public_key": "<base64>", "added": "2026-11-23"}]}
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from simulator.errors import ExportError, UsageError
from simulator.records.keys import (
    PublicKeyInfo,
    fingerprint,
    key_id,
    key_paths,
    load_public_key,
    previous_public_keys,
)

__all__ = [
    "TRUST_FORMAT",
    "TrustedKey",
    "add_trusted",
    "load_trusted",
    "remove_trusted",
    "trust_path",
    "trusted_sources",
]

TRUST_FORMAT = "relance-trusted-keys"
OWN_KEY = "clé de cette installation"
OWN_OLD_KEY = "ancienne clé de cette installation"


@dataclass(frozen=True)
class TrustedKey:
    name: str
    raw: bytes
    added: str

    @property
    def kid(self) -> str:
        return key_id(self.raw)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.raw)

    def as_dict(self) -> dict[str, str]:
        return {
            "name": self.name,
            "kid": self.kid,
            "fingerprint": self.fingerprint,
            "public_key": base64.b64encode(self.raw).decode("ascii"),
            "added": self.added,
        }


def trust_path(folder: Path | None = None) -> Path:
    return key_paths(folder)[0].parent / "trusted.json"


def load_trusted(folder: Path | None = None) -> list[TrustedKey]:
    """The keys added with ``keys trust``; an unreadable store is an error, never ignored."""
    path = trust_path(folder)
    if not path.exists():
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("format") != TRUST_FORMAT:
            raise ValueError("format inconnu")
        keys = []
        for entry in data.get("keys", []):
            raw = base64.b64decode(str(entry["public_key"]), validate=True)
            if len(raw) != 32:
                raise ValueError("clé de longueur invalide")
            keys.append(TrustedKey(str(entry["name"]), raw, str(entry.get("added", ""))))
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        raise ExportError(
            f"liste des clés de confiance illisible : {path} ({exc})",
            "corrigez ou supprimez ce fichier, puis ajoutez de nouveau les clés avec `relance keys trust`",
        ) from None
    return keys


def _save(keys: list[TrustedKey], folder: Path | None) -> None:
    path = trust_path(folder)
    document = {"format": TRUST_FORMAT, "version": 1, "keys": [k.as_dict() for k in keys]}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        temporary.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        temporary.replace(path)
    except OSError as exc:
        raise ExportError(f"impossible d'écrire {path} ({exc.strerror})") from None


def add_trusted(raw: bytes, name: str, folder: Path | None = None, *, today: str | None = None) -> TrustedKey:
    """Trust ``raw`` under ``name`` (renaming it if it is already trusted)."""
    name = " ".join(name.split())
    if not name:
        raise UsageError("--name attend le nom de l'organisme (non vide)")
    keys = [k for k in load_trusted(folder) if k.raw != raw]
    entry = TrustedKey(name, raw, today or date.today().isoformat())
    keys.append(entry)
    _save(keys, folder)
    return entry


def remove_trusted(reference: str, folder: Path | None = None) -> list[TrustedKey]:
    """Forget the keys whose id, fingerprint (start, spaces optional) or name is ``reference``."""
    wanted = reference.strip()
    compact = wanted.replace(" ", "").upper()
    keys = load_trusted(folder)

    def matches(key: TrustedKey) -> bool:
        return (
            key.kid == wanted.lower()
            or (len(compact) >= 16 and key.fingerprint.replace(" ", "").startswith(compact))
            or key.name.casefold() == wanted.casefold()
        )

    removed = [k for k in keys if matches(k)]
    if not removed:
        raise UsageError(
            f"aucune clé de confiance ne correspond à « {reference} »",
            "`relance keys trusted` liste les clés (identifiant, empreinte, nom)",
        )
    _save([k for k in keys if not matches(k)], folder)
    return removed


def trusted_sources(folder: Path | None = None) -> Mapping[bytes, str]:
    """Every key this installation trusts, with how it is known (shown by ``verify``)."""
    sources: dict[bytes, str] = {}
    for key in load_trusted(folder):
        sources[key.raw] = f"clé de confiance « {key.name} »"
    for old in previous_public_keys(folder):
        sources[old.raw] = OWN_OLD_KEY
    own: PublicKeyInfo | None
    try:
        own = load_public_key(folder)
    except ExportError:
        own = None
    if own is not None:
        sources[own.raw] = OWN_KEY
    return sources
