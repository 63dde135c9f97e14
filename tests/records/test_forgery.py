"""Forged and tampered attestations: a signature counts only for a key the verifier trusts, and a
PDF's pages are covered by its signature. Exit codes: 0 valid, 1 invalid, 2 usage, 3 untrusted."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from simulator.cli import main
from simulator.records.attest import build_attestation, sign
from simulator.records.canonical import pretty
from simulator.records.keys import fingerprint, load_private_key, public_info
from simulator.records.pdf import ATTACHMENT_NAME, render_pdf, render_signed_pdf

from .conftest import Populated


@pytest.fixture(autouse=True)
def no_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    monkeypatch.delenv("RELANCE_KEY_PASSPHRASE", raising=False)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def own_key(relance_home: Path, capsys: pytest.CaptureFixture[str]) -> Ed25519PrivateKey:
    assert run(capsys, "keys", "init", "--no-passphrase")[0] == 0
    return load_private_key()


@pytest.fixture
def payload(populated: Populated) -> dict[str, Any]:
    store = populated.store
    return build_attestation(store, store.trainee(populated.trainee_id), store.session(populated.session_id),
                             issued_date="2026-11-23", place="Lyon")


@pytest.fixture
def forger() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def _write(tmp_path: Path, name: str, data: bytes | str) -> str:
    path = tmp_path / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return str(path)


def _raised_scores(payload: dict[str, Any]) -> dict[str, Any]:
    forged = json.loads(json.dumps(payload))
    for module in forged["assessment"]["modules"]:
        module["best_score"] = 100.0
    return forged


# --------------------------------------------------------------------------- finding 4: trust


def test_json_re_signed_with_another_key_is_not_valid(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                      own_key: Ed25519PrivateKey, payload: dict[str, Any],
                                                      forger: Ed25519PrivateKey) -> None:
    forged = _write(tmp_path, "forged.json", pretty(sign(_raised_scores(payload), forger)))
    code, out, _ = run(capsys, "verify", forged)
    assert code == 3
    assert out.startswith("NON RECONNUE") and "VALIDE" not in out.replace("NON RECONNUE", "")
    assert fingerprint(public_info(forger).raw) in out
    assert "relance keys trust" in out
    code, out, _ = run(capsys, "verify", forged, "--json")
    data = json.loads(out)
    assert code == 3 and data["status"] == "untrusted" and data["valid"] is False and data["intact"] is True
    assert data["fingerprint"] == fingerprint(public_info(forger).raw)
    # The installation's own attestation is valid.
    genuine = _write(tmp_path, "genuine.json", pretty(sign(payload, own_key)))
    code, out, _ = run(capsys, "verify", genuine)
    assert code == 0 and out.startswith("VALIDE") and "clé de cette installation" in out


def test_trusting_a_key_makes_its_attestations_valid(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                    relance_home: Path, payload: dict[str, Any],
                                                    forger: Ed25519PrivateKey) -> None:
    other_org = forger  # another organisation's key, as a verifier meets it
    attestation = _write(tmp_path, "other-org.json", pretty(sign(payload, other_org)))
    assert run(capsys, "verify", attestation)[0] == 3
    info = public_info(other_org)
    key_file = _write(tmp_path, "org.pub", info.b64 + "\n")
    # A wrong published fingerprint: refused, nothing added.
    code, _, err = run(capsys, "keys", "trust", key_file, "--name", "Autre organisme",
                       "--fingerprint", "0000 " * 16)
    assert code == 2 and "ne correspond pas" in err
    assert run(capsys, "verify", attestation)[0] == 3
    code, out, _ = run(capsys, "keys", "trust", key_file, "--name", "Autre organisme",
                       "--fingerprint", info.fingerprint.lower().replace(" ", ":"))
    assert code == 0 and info.fingerprint in out
    code, out, _ = run(capsys, "verify", attestation)
    assert code == 0 and "clé de confiance « Autre organisme »" in out
    code, out, _ = run(capsys, "keys", "trusted", "--json")
    assert [(k["name"], k["kid"]) for k in json.loads(out)] == [("Autre organisme", info.kid)]
    assert run(capsys, "keys", "untrust", info.kid)[0] == 0
    assert run(capsys, "verify", attestation)[0] == 3
    assert run(capsys, "keys", "untrust", info.kid)[0] == 2
    # Trusting straight from an attestation (after comparing the fingerprint it prints).
    code, out, _ = run(capsys, "keys", "trust", attestation, "--name", "Autre organisme")
    assert code == 0 and info.fingerprint in out
    assert run(capsys, "verify", attestation)[0] == 0


def test_pinned_key_accepts_only_that_key(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                         relance_home: Path, payload: dict[str, Any],
                                         forger: Ed25519PrivateKey) -> None:
    attestation = _write(tmp_path, "a.json", pretty(sign(payload, forger)))
    code, out, _ = run(capsys, "verify", attestation, "--key", public_info(forger).b64)
    assert code == 0 and "clé indiquée par --key" in out
    code, out, _ = run(capsys, "verify", attestation, "--key", public_info(Ed25519PrivateKey.generate()).b64)
    assert code == 1 and "autre clé" in out


def test_rotated_installation_key_still_verifies_its_old_attestations(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], own_key: Ed25519PrivateKey, payload: dict[str, Any]
) -> None:
    old = _write(tmp_path, "old.json", pretty(sign(payload, own_key)))
    assert run(capsys, "keys", "init", "--no-passphrase", "--force")[0] == 0
    code, out, _ = run(capsys, "verify", old)
    assert code == 0 and "ancienne clé de cette installation" in out


def test_keys_show_prints_the_fingerprint(capsys: pytest.CaptureFixture[str], own_key: Ed25519PrivateKey) -> None:
    code, out, _ = run(capsys, "keys", "show")
    assert code == 0 and fingerprint(public_info(own_key).raw) in out


# --------------------------------------------------------------------------- finding 5: the PDF


@pytest.fixture
def signed_pdf(tmp_path: Path, own_key: Ed25519PrivateKey, payload: dict[str, Any]) -> bytes:
    return render_signed_pdf(sign(payload, own_key), own_key)


def _flipped(data: bytes, position: int) -> bytes:
    mutated = bytearray(data)
    mutated[position] ^= 0x01
    return bytes(mutated)


def test_the_genuine_pdf_is_valid_and_shows_the_fingerprint(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                            signed_pdf: bytes, own_key: Ed25519PrivateKey) -> None:
    from pypdf import PdfReader

    path = _write(tmp_path, "a.pdf", signed_pdf)
    code, out, _ = run(capsys, "verify", path)
    assert code == 0 and out.startswith("VALIDE"), out
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(signed_pdf)).pages)
    assert fingerprint(public_info(own_key).raw) in text
    # A PDF reader sees a signature over the whole file.
    reader = PdfReader(io.BytesIO(signed_pdf))
    fields = reader.get_fields() or {}
    assert any(f.get("/FT") == "/Sig" for f in fields.values())


def test_every_byte_flip_in_the_pages_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                 signed_pdf: bytes) -> None:
    # 40 positions spread over the whole file: page text, fonts, the QR code, structure, the
    # attachment, the signature itself. On the old design 39 of 39 such flips still verified.
    step = len(signed_pdf) // 40
    codes = {}
    for index in range(40):
        position = index * step + 7
        path = _write(tmp_path, f"flip-{index}.pdf", _flipped(signed_pdf, position))
        codes[position] = run(capsys, "verify", path)[0]
    assert set(codes.values()) == {1}, {p: c for p, c in codes.items() if c != 1}


def test_edited_pdf_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str], signed_pdf: bytes) -> None:
    from pypdf import PdfReader, PdfWriter
    from pypdf.annotations import FreeText

    # What an editor does: rewrite the file with a text box over the page (the attachment kept).
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(signed_pdf)))
    writer.add_annotation(0, FreeText(text="Note : 100 / 100", rect=(50, 550, 200, 600)))
    rewritten = io.BytesIO()
    writer.write(rewritten)
    # A field of the document information changed in place, garbage after %%EOF, a cut file.
    edited = signed_pdf.replace(b"(Relance)", b"(Relancf)", 1)
    assert edited != signed_pdf
    for name, data in (("rewritten.pdf", rewritten.getvalue()), ("edited.pdf", edited),
                       ("garbage.pdf", signed_pdf + b"\n%garbage\n"), ("truncated.pdf", signed_pdf[:-10])):
        code, out, _ = run(capsys, "verify", _write(tmp_path, name, data))
        assert code == 1 and out.startswith("INVALIDE"), (name, out)


def test_pdf_re_signed_by_another_key_is_untrusted(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                  own_key: Ed25519PrivateKey, payload: dict[str, Any],
                                                  forger: Ed25519PrivateKey) -> None:
    forged = render_signed_pdf(sign(_raised_scores(payload), forger), forger)
    code, out, _ = run(capsys, "verify", _write(tmp_path, "forged.pdf", forged))
    assert code == 3 and fingerprint(public_info(forger).raw) in out


def test_pdf_and_attachment_signed_by_two_keys_is_invalid(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                         own_key: Ed25519PrivateKey, payload: dict[str, Any],
                                                         forger: Ed25519PrivateKey) -> None:
    mixed = render_signed_pdf(sign(payload, forger), own_key)
    code, out, _ = run(capsys, "verify", _write(tmp_path, "mixed.pdf", mixed))
    assert code == 1 and "deux clés différentes" in out


def test_unsigned_pdf_of_the_old_design_is_invalid(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                  own_key: Ed25519PrivateKey, payload: dict[str, Any]) -> None:
    code, out, _ = run(capsys, "verify", _write(tmp_path, "old.pdf", render_pdf(sign(payload, own_key))))
    assert code == 1 and "ne porte pas de signature PDF" in out


def test_corrupted_embedded_json_is_invalid_not_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                              own_key: Ed25519PrivateKey) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.embed_file(bytes=b'{"format": "relance-signed-attestation", "payload": {', basename=ATTACHMENT_NAME)
    code, out, _ = run(capsys, "verify", _write(tmp_path, "broken.pdf", bytes(pdf.output())))
    assert code == 1 and "attestation.json" in out
    code, out, _ = run(capsys, "verify", _write(tmp_path, "broken.json", '{"format": "relance-signed-attestation", '))
    assert code == 1 and "endommagée" in out
    assert run(capsys, "verify", _write(tmp_path, "notes.txt", "bonjour"))[0] == 2


def test_replay_still_works_on_a_signed_pdf(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                           signed_pdf: bytes) -> None:
    from .conftest import PACK_DIRS

    packs = [arg for p in PACK_DIRS for arg in ("--pack", str(p))]
    code, out, _ = run(capsys, *packs, "verify", _write(tmp_path, "a.pdf", signed_pdf), "--replay")
    assert code == 0 and "recalculé" in out, out
