"""The PDF attestation signed as a whole (pyHanko): what a reader sees is what is signed.

The JSON envelope attached to the PDF is signed on its own (:mod:`simulator.records.attest`),
but its signature says nothing of the pages around it: text, fonts and the QR code could be
edited while the attachment still verified. So the finished PDF is also signed with a PDF
signature (PAdES baseline, ``ETSI.CAdES.detached``), made with the same Ed25519 key and carried
by a self-signed certificate (the certificate is only the envelope of the public key; trust is
decided by :mod:`simulator.records.trust`, never by a certificate authority). PDF readers show
the signature; :func:`check_pdf` checks it strictly:

* exactly one signature, whose byte range covers the **entire file** (no byte appended after
  ``%%EOF``, no incremental update after signing);
* the digest of the covered bytes and the signature hold;
* the one hole in the byte range (the signature container) holds nothing else: canonical hex,
  a single DER object, zero padding only; the certificate is intact (its self-signature holds);
* the certificate's key is an Ed25519 key, returned so the caller can require it to be the key
  of the attached JSON.

The signature is an incremental update appended to the rendered attestation: the rendered
document (deterministic) is the file's first revision, byte for byte; the update records when it
was signed (the signing time PDF readers show), so two issues of the same attestation differ only
in that update.
"""

from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.x509.oid import NameOID

__all__ = ["FIELD_NAME", "PdfCheck", "check_pdf", "sign_pdf"]

FIELD_NAME = "Signature-Relance"
_NOT_AFTER = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)  # RFC 5280: no well-defined expiry


def _certificate(key: Ed25519PrivateKey, signer_name: str, moment: datetime) -> x509.Certificate:
    public_raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    digest = hashlib.sha256(public_raw).digest()
    common_name = (" ".join(signer_name.split()) or "Relance")[:64]
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, f"Relance — clé {digest.hex()[:16]}"),
        ]
    )
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(int.from_bytes(digest[:16], "big") >> 1 or 1)
        .not_valid_before(moment)
        .not_valid_after(_NOT_AFTER)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=True, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
                encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, None)
    )


def sign_pdf(unsigned: bytes, key: Ed25519PrivateKey, *, signer_name: str, moment: datetime,
             reason: str = "", location: str = "", field_name: str = FIELD_NAME) -> bytes:
    """``unsigned`` with a PDF signature over the whole file, made with ``key``.

    ``moment`` (the issue date) starts the certificate's validity, so the certificate is the same
    for every attestation issued that day with this key.
    """
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.sign.signers.pdf_signer import PdfSigner
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    certificate = _certificate(key, signer_name, moment)
    signer = signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER)),
        signing_key=asn1_keys.PrivateKeyInfo.load(
            key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                              serialization.NoEncryption())
        ),
        cert_registry=SimpleCertificateStore(),
    )

    writer = IncrementalPdfFileWriter(io.BytesIO(unsigned))
    metadata = signers.PdfSignatureMetadata(
        field_name=field_name,
        name=certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value,
        reason=reason or None,
        location=location or None,
        subfilter=fields.SigSeedSubFilter.PADES,
        tight_size_estimates=True,
    )
    output = PdfSigner(metadata, signer).sign_pdf(writer)
    return bytes(output.getvalue())


@dataclass
class PdfCheck:
    """What :func:`check_pdf` found: the signing key (raw) and every problem, in French."""

    public_key: bytes | None = None
    problems: list[str] = field(default_factory=list)
    signed: bool = False


def _der_length(data: bytes) -> int | None:
    """Total length of the DER object at the start of ``data`` (tag, length, content)."""
    if len(data) < 2 or data[0] != 0x30:
        return None
    first = data[1]
    if first < 0x80:
        return 2 + first
    count = first & 0x7F
    if count == 0 or count > 4 or len(data) < 2 + count:
        return None
    return 2 + count + int.from_bytes(data[2 : 2 + count], "big")


def _cms_oddities(der: bytes, certificate_der: bytes) -> str:
    """Why the signature container is not exactly the one :func:`sign_pdf` writes ("" if it is).

    A CMS container has fields its signature does not cover (the list of digest algorithms, the
    version numbers, the algorithm parameters, the certificate set). Nobody reads them to decide
    anything, but a file whose bytes changed is not the file that was signed: each such field
    must hold the one value Relance writes (the encoding itself is checked by the caller: the
    container is one DER object followed by zero padding only).
    """
    from asn1crypto import cms
    from asn1crypto import x509 as asn1_x509

    try:
        info = cms.ContentInfo.load(der, strict=True)
        if info["content_type"].native != "signed_data":
            return "le conteneur n'est pas un SignedData"
        signed = info["content"]
        signers = signed["signer_infos"]
        if len(signers) != 1:
            return "nombre de signataires inattendu"
        signer = signers[0]
        digest = signer["digest_algorithm"]
        certificates = signed["certificates"]
        encapsulated = signed["encap_content_info"]
        tbs = asn1_x509.Certificate.load(certificate_der)["tbs_certificate"]
        sid = signer["sid"]
        expectations = (
            (sid.name == "issuer_and_serial_number"
             and sid.chosen["issuer"].dump() == tbs["issuer"].dump()
             and sid.chosen["serial_number"].native == tbs["serial_number"].native, "identité du signataire"),
            (signed["version"].native == "v1", "version"),
            ([a.dump() for a in signed["digest_algorithms"]] == [digest.dump()], "algorithmes d'empreinte"),
            (digest["algorithm"].native == "sha512" and digest["parameters"].native is None, "empreinte"),
            (signer["version"].native == "v1", "version du signataire"),
            (signer["signature_algorithm"]["algorithm"].native == "ed25519"
             and signer["signature_algorithm"]["parameters"].native is None, "algorithme de signature"),
            (encapsulated["content_type"].native == "data" and encapsulated["content"].native is None,
             "contenu encapsulé"),
            (certificates.native is not None and len(certificates) == 1
             and certificates[0].chosen.dump() == certificate_der, "certificats"),
            (not signed["crls"].native, "listes de révocation"),
            (signer["unsigned_attrs"].native is None, "attributs non signés"),
        )
    except Exception as exc:  # noqa: BLE001 - asn1crypto parses lazily: any access may fail
        return f"conteneur illisible ({type(exc).__name__})"
    for ok, what in expectations:
        if not ok:
            return f"champ inattendu ({what})"
    return ""


def check_pdf(data: bytes) -> PdfCheck:
    """Check the PDF signature of an attestation (see the module docstring)."""
    logging.getLogger("pyhanko").setLevel(logging.CRITICAL)
    logging.getLogger("pyhanko_certvalidator").setLevel(logging.CRITICAL)
    check = PdfCheck()
    try:
        from pyhanko.pdf_utils.reader import PdfFileReader

        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = list(reader.embedded_signatures)
    except Exception as exc:  # noqa: BLE001 - any parse failure of a hostile file is a verdict
        check.problems.append(f"PDF endommagé : sa structure est illisible ({type(exc).__name__})")
        return check
    if not signatures:
        check.problems.append(
            "ce PDF ne porte pas de signature PDF : ses pages ne sont pas protégées "
            "(attestation d'une version antérieure, ou signature retirée)"
        )
        return check
    check.signed = True
    if len(signatures) != 1:
        check.problems.append(f"{len(signatures)} signatures PDF au lieu d'une")
        return check
    signature = signatures[0]
    try:
        _check_signature(data, signature, check)
    except Exception as exc:  # noqa: BLE001 - a damaged signature container is a verdict too
        check.problems.append(f"signature PDF illisible ou endommagée ({type(exc).__name__})")
    return check


def _check_signature(data: bytes, signature: Any, check: PdfCheck) -> None:
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import ModificationLevel, SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    start, first_end, second_start, second_length = (int(x) for x in signature.byte_range)
    contents = bytes(signature.sig_object["/Contents"])
    hole = data[first_end:second_start]
    if start != 0 or hole != b"<" + contents.hex().upper().encode("ascii") + b">":
        check.problems.append("signature PDF modifiée : son conteneur n'est pas celui qui a été écrit")
    length = _der_length(contents)
    if length is None or length > len(contents) or contents[length:].strip(b"\0"):
        check.problems.append("signature PDF modifiée : données en trop dans son conteneur")
    if second_start + second_length != len(data):
        check.problems.append(
            "des octets ont été ajoutés après la partie signée du PDF (après %%EOF ou mise à jour incrémentale)"
        )
    if length is not None and length <= len(contents):
        odd = _cms_oddities(contents[:length], signature.signer_cert.dump())
        if odd:
            check.problems.append(f"signature PDF modifiée : {odd}")
    certificate_der = signature.signer_cert.dump()
    certificate = x509.load_der_x509_certificate(certificate_der)
    public = certificate.public_key()
    if not isinstance(public, Ed25519PublicKey):
        check.problems.append("signature PDF faite avec une clé qui n'est pas Ed25519")
        return
    try:
        certificate.verify_directly_issued_by(certificate)
    except Exception:  # noqa: BLE001 - InvalidSignature, ValueError…
        check.problems.append("certificat de la signature PDF modifié (sa signature ne tient plus)")
    check.public_key = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    context = ValidationContext(trust_roots=[signature.signer_cert], allow_fetching=False)
    status = validate_pdf_signature(signature, context)
    if not status.intact:
        check.problems.append("le contenu du PDF a été modifié après la signature (empreinte différente)")
    elif not status.valid:
        check.problems.append("signature PDF invalide pour cette clé")
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        check.problems.append("la signature PDF ne couvre pas tout le fichier")
    if status.modification_level not in (None, ModificationLevel.NONE):
        check.problems.append("le PDF a été modifié après la signature (mise à jour incrémentale)")
