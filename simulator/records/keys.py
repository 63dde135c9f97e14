"""The organisation's Ed25519 signing key: creation, loading, public key and key id.

The private key is a PKCS#8 PEM file, mode 0600, in ``data_dir()/keys/`` (optionally
encrypted with a passphrase); the public key sits beside it (``.pub``, raw 32 bytes in
base64) so that ``relance keys show`` never needs the passphrase. The key id is the first
16 hex digits of the SHA-256 of the raw public key: a short name, not a proof. The
**fingerprint** is the whole SHA-256 (64 hex digits in groups of four): that is what an
organisation publishes and what a verifier compares before trusting a key. Nothing here ever
prompts: callers decide where a passphrase comes from (file, environment, terminal).
"""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from simulator.errors import ExportError, UsageError

__all__ = [
    "KEY_NAME",
    "PublicKeyInfo",
    "create_key",
    "fingerprint",
    "key_id",
    "key_paths",
    "load_private_key",
    "load_public_key",
    "parse_public_key",
    "previous_public_keys",
    "public_info",
]

KEY_NAME = "attestation-ed25519"


def key_paths(folder: Path | None = None) -> tuple[Path, Path]:
    """(private key file, public key file) in ``folder`` (default ``data_dir()/keys``)."""
    if folder is None:
        from simulator.locations import data_dir

        folder = data_dir() / "keys"
    return folder / f"{KEY_NAME}.pem", folder / f"{KEY_NAME}.pub"


def key_id(public_raw: bytes) -> str:
    """First 16 hex digits of SHA-256 of the raw 32-byte public key."""
    return hashlib.sha256(public_raw).hexdigest()[:16]


def fingerprint(public_raw: bytes) -> str:
    """SHA-256 of the raw public key, in 16 groups of 4 hex digits (what organisations publish)."""
    digest = hashlib.sha256(public_raw).hexdigest().upper()
    return " ".join(digest[i : i + 4] for i in range(0, 64, 4))


@dataclass(frozen=True)
class PublicKeyInfo:
    raw: bytes
    kid: str
    path: Path | None = None

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.raw)

    @property
    def b64(self) -> str:
        return base64.b64encode(self.raw).decode("ascii")

    @property
    def hex(self) -> str:
        return self.raw.hex()


def _raw(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _write_private(path: Path, data: bytes, overwrite: bool) -> None:
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if overwrite else os.O_EXCL)
    fd = os.open(path, flags, 0o600)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.chmod(path, 0o600)


def create_key(folder: Path | None = None, *, passphrase: bytes | None = None, force: bool = False) -> PublicKeyInfo:
    """Create the key pair; refuses to replace an existing key unless ``force``.

    With ``force`` the previous key files are kept as ``*.old-<kid>`` (attestations already
    signed embed their public key and stay verifiable).
    """
    private_path, public_path = key_paths(folder)
    if private_path.exists() and not force:
        raise UsageError(
            f"une clé existe déjà : {private_path}",
            "`relance keys show` l'affiche ; --force la remplace (l'ancienne est conservée à côté)",
        )
    try:
        private_path.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(private_path.parent, 0o700)
        if private_path.exists():
            old = load_public_key(folder)
            for path in (private_path, public_path):
                if path.exists():
                    path.replace(path.with_name(f"{path.name}.old-{old.kid}"))
        key = Ed25519PrivateKey.generate()
        encryption: serialization.KeySerializationEncryption = (
            serialization.BestAvailableEncryption(passphrase) if passphrase else serialization.NoEncryption()
        )
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
        _write_private(private_path, pem, overwrite=False)
        raw = _raw(key.public_key())
        public_path.write_text(base64.b64encode(raw).decode("ascii") + "\n", encoding="ascii")
    except OSError as exc:
        raise ExportError(f"impossible d'écrire la clé dans {private_path.parent} ({exc.strerror})") from None
    return PublicKeyInfo(raw, key_id(raw), public_path)


def is_encrypted(folder: Path | None = None) -> bool:
    private_path, _ = key_paths(folder)
    try:
        return b"ENCRYPTED" in private_path.read_bytes()[:64]
    except OSError:
        return False


def load_private_key(folder: Path | None = None, passphrase: bytes | None = None) -> Ed25519PrivateKey:
    """The private key; :class:`ExportError` if missing, unreadable or the passphrase is wrong."""
    private_path, _ = key_paths(folder)
    if not private_path.exists():
        raise ExportError(
            f"aucune clé de signature : {private_path}",
            "créez la clé de l'organisme avec `relance keys init`",
        )
    try:
        data = private_path.read_bytes()
    except OSError as exc:
        raise ExportError(f"clé illisible : {private_path} ({exc.strerror})") from None
    encrypted = b"ENCRYPTED" in data[:64]
    if encrypted and not passphrase:
        raise ExportError(
            "la clé de signature est protégée par une phrase de passe",
            "indiquez --passphrase-file FICHIER (ou la variable RELANCE_KEY_PASSPHRASE)",
        )
    try:
        key = serialization.load_pem_private_key(data, password=passphrase if encrypted else None)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        if encrypted:
            raise ExportError("phrase de passe incorrecte pour la clé de signature") from None
        raise ExportError(f"clé de signature illisible ou endommagée : {private_path}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise ExportError(f"{private_path} n'est pas une clé Ed25519")
    return key


def load_public_key(folder: Path | None = None) -> PublicKeyInfo:
    """The public key (from the ``.pub`` file, or derived from an unencrypted private key)."""
    private_path, public_path = key_paths(folder)
    if public_path.exists():
        try:
            raw = parse_public_key(public_path.read_text(encoding="ascii"))
        except (OSError, UnicodeDecodeError, UsageError):
            raise ExportError(f"clé publique illisible : {public_path}") from None
        return PublicKeyInfo(raw, key_id(raw), public_path)
    if private_path.exists() and not is_encrypted(folder):
        raw = _raw(load_private_key(folder).public_key())
        return PublicKeyInfo(raw, key_id(raw), None)
    raise ExportError("aucune clé de signature", "créez la clé de l'organisme avec `relance keys init`")


def previous_public_keys(folder: Path | None = None) -> list[PublicKeyInfo]:
    """Keys this installation used before `keys init --force` (kept as ``*.pub.old-<kid>``)."""
    _private_path, public_path = key_paths(folder)
    found = []
    for path in sorted(public_path.parent.glob(f"{public_path.name}.old-*")):
        try:
            raw = parse_public_key(path.read_text(encoding="ascii"))
        except (OSError, UnicodeDecodeError, UsageError):
            continue
        found.append(PublicKeyInfo(raw, key_id(raw), path))
    return found


def public_info(key: Ed25519PrivateKey) -> PublicKeyInfo:
    raw = _raw(key.public_key())
    return PublicKeyInfo(raw, key_id(raw))


def parse_public_key(text: str) -> bytes:
    """A raw 32-byte Ed25519 public key from base64, base64url, hex or a PEM block."""
    value = text.strip()
    if value.startswith("-----BEGIN"):
        try:
            key = serialization.load_pem_public_key(value.encode("ascii"))
        except (ValueError, UnsupportedAlgorithm):
            raise UsageError("clé publique PEM illisible") from None
        if not isinstance(key, Ed25519PublicKey):
            raise UsageError("la clé publique n'est pas une clé Ed25519")
        return _raw(key)
    if len(value) == 64:
        try:
            return bytes.fromhex(value)
        except ValueError:
            pass
    try:
        raw = base64.urlsafe_b64decode(value.replace("+", "-").replace("/", "_") + "=" * (-len(value) % 4))
    except (ValueError, TypeError):
        raw = b""
    if len(raw) != 32:
        raise UsageError("clé publique invalide : 32 octets attendus (base64, base64url, hex ou PEM)")
    return raw
