"""Signed attestations: tampering breaks them, re-serialising does not; replay; the PDF carries the same."""

from __future__ import annotations

import copy
import json
import logging
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from simulator.content.library import Library, load_library
from simulator.records.attest import build_attestation, replay, sign, verify
from simulator.records.canonical import canonical
from simulator.records.pdf import read_envelope, render_pdf

from .conftest import FIXTURES, PACK_DIRS, Populated


@pytest.fixture(scope="module")
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def _payload(populated: Populated, library: Library | None = None) -> dict[str, Any]:
    store = populated.store
    titles = {m.id: m.title for p in library.packs for m in p.manifest.modules} if library else {}
    return build_attestation(
        store,
        store.trainee(populated.trainee_id),
        store.session(populated.session_id),
        issued_date="2026-11-23",
        place="Lyon",
        module_titles=titles,
    )


@pytest.fixture
def envelope(populated: Populated, library: Library, key: Ed25519PrivateKey) -> dict[str, Any]:
    return sign(_payload(populated, library), key)


def test_payload_has_the_legal_mentions_and_certificate_fields(envelope: dict[str, Any], populated: Populated) -> None:
    p = envelope["payload"]
    assert p["trainee"]["nom"] == "Dupont" and p["trainee"]["prenom"] == "Élodie"
    assert p["trainee"]["employer"] == "Soléo Emballages"
    t = p["training"]
    assert t["title"].startswith("Relance téléphonique") and t["nature"] == "action de formation"
    assert t["objectives"] == ["Conduire un appel de relance en 9 étapes", "Traiter les objections"]
    assert (t["start_date"], t["end_date"], t["hours"]) == ("2026-11-12", "2026-11-13", 14)
    assert p["provider"]["name"] == "Formations Crédit SARL"
    assert p["issued"] == {"date": "2026-11-23", "place": "Lyon"}
    assert "L6353-1" in p["mentions"]["attestation"]
    assert p["assessment"]["planned"] is True
    modules = {m["module"]: m for m in p["assessment"]["modules"]}
    assert modules["poste-client"]["title"] == "Le poste client"
    assert modules["appels"]["best_score"] == populated.store.attempt(populated.call_id).score
    kinds = [a["kind"] for a in p["attempts"]]
    assert kinds.count("call") == 2  # the finished and the abandoned call; never the open one
    assert populated.open_id not in [a["id"] for a in p["attempts"]]
    call = next(a for a in p["attempts"] if a["id"] == populated.call_id)
    assert call["pack"]["hash"].startswith("sha256:") and call["transcript"]["turns"]
    assert call["transcript_hash"] == populated.store.attempt(populated.call_id).transcript_hash


def test_valid_signature_and_key_id(envelope: dict[str, Any], key: Ed25519PrivateKey) -> None:
    report = verify(envelope)
    assert report.valid, report.reasons
    assert report.kid == envelope["kid"] and len(report.kid) == 16


def test_reserialising_keeps_it_valid(envelope: dict[str, Any]) -> None:
    for text in (
        json.dumps(envelope, indent=4, ensure_ascii=True),
        json.dumps(envelope, separators=(",", ":"), sort_keys=True, ensure_ascii=False),
        json.dumps(dict(reversed(list(envelope.items()))), indent=1),
    ):
        assert verify(json.loads(text)).valid
    reordered = copy.deepcopy(envelope)
    reordered["payload"] = dict(reversed(list(reordered["payload"].items())))
    reordered["payload"]["training"] = dict(sorted(reordered["payload"]["training"].items(), reverse=True))
    assert verify(reordered).valid
    as_float = copy.deepcopy(envelope)
    as_float["payload"]["training"]["hours"] = 14.0  # the same number written 14.0: same canonical form
    assert verify(json.loads(json.dumps(as_float))).valid


def _set(path: tuple[Any, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def change(payload: dict[str, Any]) -> None:
        target = payload
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


def _first_call(payload: dict[str, Any]) -> dict[str, Any]:
    return next(a for a in payload["attempts"] if a["kind"] == "call" and a["status"] == "finished")


def _edit_transcript_line(payload: dict[str, Any]) -> None:
    turn = next(t for t in _first_call(payload)["transcript"]["turns"] if t["speaker"] == "trainee")
    turn["text"] += " "


def _edit_score(payload: dict[str, Any]) -> None:
    _first_call(payload)["score"] = 100.0


def _edit_turn_score(payload: dict[str, Any]) -> None:
    turn = next(t for t in _first_call(payload)["transcript"]["turns"] if t["speaker"] == "trainee")
    turn["score"]["score"] = 99


@pytest.mark.parametrize(
    "change",
    [
        _set(("trainee", "nom"), "Durand"),
        _set(("trainee", "prenom"), "Elodie"),
        _set(("training", "start_date"), "2026-11-11"),
        _set(("training", "end_date"), "2026-11-14"),
        _set(("training", "hours"), 21),
        _set(("training", "planned_hours"), 14.5),
        _set(("issued", "date"), "2026-12-01"),
        _set(("assessment", "planned"), False),
        _edit_score,
        _edit_turn_score,
        _edit_transcript_line,
    ],
    ids=["name", "first-name", "start-date", "end-date", "hours", "planned-hours", "issue-date", "assessment",
         "score", "reply-score", "transcript-line"],
)
def test_any_change_breaks_the_signature(envelope: dict[str, Any], change: Callable[[dict[str, Any]], None]) -> None:
    tampered = copy.deepcopy(envelope)
    change(tampered["payload"])
    report = verify(tampered)
    assert not report.valid
    assert any("signature invalide" in r for r in report.reasons)


def test_swapped_key_or_bad_envelope_is_invalid(envelope: dict[str, Any]) -> None:
    other = Ed25519PrivateKey.generate()
    forged = sign(envelope["payload"], other)
    forged["public_key"] = envelope["public_key"]
    forged["kid"] = envelope["kid"]
    assert not verify(forged).valid
    resigned = sign(envelope["payload"], other)
    assert verify(resigned).valid  # valid by itself, but…
    pinned = verify(resigned, pinned_key=_raw(envelope["public_key"]))
    assert not pinned.valid and any("autre clé" in r for r in pinned.reasons)
    wrong_kid = copy.deepcopy(envelope)
    wrong_kid["kid"] = "0000000000000000"
    assert not verify(wrong_kid).valid
    assert not verify({"format": "something-else"}).valid
    assert not verify([1, 2]).valid
    truncated = copy.deepcopy(envelope)
    truncated["sig"] = truncated["sig"][:20]
    assert not verify(truncated).valid


def _raw(b64: str) -> bytes:
    import base64

    return base64.urlsafe_b64decode(b64 + "=" * (-len(b64) % 4))


def test_signed_payload_is_deterministic(populated: Populated, library: Library, key: Ed25519PrivateKey) -> None:
    first = sign(_payload(populated, library), key)
    second = sign(_payload(populated, library), key)
    assert canonical(first) == canonical(second)


def test_replay_reproduces_every_score(envelope: dict[str, Any], library: Library) -> None:
    report = replay(verify(envelope), library)
    assert report.valid, report.reasons
    assert report.replayed == 3  # the finished call, the quiz, the case study (not the self-assessment)


def test_replay_detects_a_transcript_rescored_and_resigned(envelope: dict[str, Any], library: Library) -> None:
    forged_payload = copy.deepcopy(envelope["payload"])
    call = _first_call(forged_payload)
    turn = next(t for t in call["transcript"]["turns"] if t["speaker"] == "trainee")
    turn["score"]["score"] = 12
    from simulator.records.canonical import content_hash

    call["transcript_hash"] = content_hash(call["transcript"])
    forged = sign(forged_payload, Ed25519PrivateKey.generate())
    report = verify(forged)
    assert report.valid  # a consistent, signed document…
    replay(report, library)
    assert not report.valid  # …whose scores the engine does not reproduce
    assert any("note 12 →" in r for r in report.reasons)


def test_a_call_scored_by_an_older_engine_is_not_replayed_and_says_why(envelope: dict[str, Any], library: Library) -> None:
    """Attestations signed before the learned scorer keep verifying; their calls are not re-scored."""
    payload = copy.deepcopy(envelope["payload"])
    call = _first_call(payload)
    call["transcript"]["engine"] = "1.0"
    call["transcript"].pop("scorer", None)
    from simulator.records.canonical import content_hash

    call["transcript_hash"] = content_hash(call["transcript"])
    report = replay(verify(sign(payload, Ed25519PrivateKey.generate())), library)
    assert report.valid, report.reasons
    assert report.replayed == 2  # the quiz and the case study
    (note,) = report.version_mismatch
    assert "moteur 1.0" in note and "notation « rubric »" in note and "version d'origine" in note


def test_replay_detects_quiz_results_that_do_not_follow(envelope: dict[str, Any], library: Library) -> None:
    payload = copy.deepcopy(envelope["payload"])
    quiz = next(a for a in payload["attempts"] if a["kind"] == "quiz")
    quiz["result"]["totals"]["percent"] = 100.0
    quiz["score"] = 100.0
    from simulator.records.canonical import content_hash

    quiz["transcript_hash"] = content_hash({"result": quiz["result"], "answers": quiz["answers"]})
    report = replay(verify(sign(payload, Ed25519PrivateKey.generate())), library)
    assert not report.valid and any("quiz quiz-types" in r for r in report.reasons)


def test_inconsistent_transcript_hash_is_reported(envelope: dict[str, Any]) -> None:
    payload = copy.deepcopy(envelope["payload"])
    _edit_transcript_line(payload)
    report = verify(sign(payload, Ed25519PrivateKey.generate()))
    assert not report.valid and any("empreinte de transcription" in r for r in report.reasons)


def test_replay_with_a_changed_pack_is_invalid(envelope: dict[str, Any], tmp_path: Path) -> None:
    changed = tmp_path / "appels"
    shutil.copytree(FIXTURES / "appels", changed)
    manifest = changed / "pack.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace('version: "1.0"', 'version: "1.1"'),
                        encoding="utf-8")
    library = load_library([str(changed), str(PACK_DIRS[1])], use_cache=False)
    report = replay(verify(envelope), library)
    assert not report.valid
    assert any("n'est pas celui cité" in r and "records-appels" in r for r in report.reasons)
    missing = replay(verify(envelope), load_library([str(PACK_DIRS[1])], use_cache=False))
    assert any("absent" in r for r in missing.reasons)


# --------------------------------------------------------------------------- PDF


def test_pdf_embeds_the_signed_json_and_is_deterministic(envelope: dict[str, Any],
                                                         caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        pdf = render_pdf(envelope)
    assert not [r for r in caplog.records if "glyph" in r.getMessage().lower()], "missing glyphs"
    assert pdf.startswith(b"%PDF-")
    assert render_pdf(envelope) == pdf
    back = read_envelope(pdf)
    assert back == json.loads(json.dumps(envelope))
    assert verify(back).valid


def test_pdf_text_renders_euro_accents_and_narrow_spaces(envelope: dict[str, Any]) -> None:
    from io import BytesIO

    from pypdf import PdfReader

    reader = PdfReader(BytesIO(render_pdf(envelope)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "4 800 €" in text  # the session title
    assert "Élodie" in text and "réalisation" in text
    assert "\u202f" in text  # French number formatting (« 14 heures », « 94 / 100 »)
    assert envelope["kid"] in text
    fonts = {str(f) for page in reader.pages for f in page["/Resources"]["/Font"].values()}
    assert fonts  # an embedded TrueType font, not a core font
    assert all("/Helvetica" not in str(page["/Resources"]["/Font"]) for page in reader.pages)


def test_pdf_without_attestation_reads_as_none() -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    assert read_envelope(bytes(pdf.output())) is None
    with pytest.raises(ValueError):
        read_envelope(b"%PDF-1.7 broken")
