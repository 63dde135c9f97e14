"""Signed attestations: the payload, its Ed25519 signature over RFC 8785 JSON, verification, replay.

The payload gathers what French law and the OPCOs ask of an end-of-training document:

* **attestation de fin de formation** (Code du travail, art. L6353-1): objectives, nature and
  duration of the training, results of the assessment of learning outcomes;
* **certificat de réalisation** (model of the arrêté of 21/12/2018): beneficiary and employer,
  title, nature, dates, hours, provider, place, date and signature;

and, for anyone to check the results, every attempt with its pack id, version and hash, the
hashes of the packs it depended on, the seed and the transcript (calls) or the answers
(quizzes, case studies), with the transcript hash. Because scoring is deterministic, a
verifier holding the same packs can replay each transcript and must find the same scores.

Envelope (JSON)::

    {"format": "relance-signed-attestation", "alg": "Ed25519", "canon": "RFC8785",
     "kid": "<16 hex>", "public_key": "<base64url raw>", "sig": "<base64url>", "payload": {…}}

The signature covers ``canonical(payload)`` only, so re-indenting or re-ordering the file keeps
it valid while any change of a value breaks it. The public key is embedded so that anyone can
check the signature is *intact*; whether the key is the organisation's is the verifier's
knowledge (:mod:`simulator.records.trust`): :attr:`VerifyReport.status` is ``valid`` only for a
trusted key, ``untrusted`` for an intact signature by an unknown key, ``invalid`` otherwise.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from simulator.records.canonical import canonical, content_hash
from simulator.records.keys import fingerprint, key_id, public_info
from simulator.records.recording import CALL_MODULE
from simulator.records.store import Attempt, Store, Trainee, TrainingSession

__all__ = [
    "ATTESTATION_FORMAT",
    "ENVELOPE_FORMAT",
    "PINNED",
    "DuplicateKeyError",
    "VerifyReport",
    "b64url",
    "build_attestation",
    "loads_strict",
    "qr_text",
    "replay",
    "sign",
    "unb64url",
    "verify",
]

ATTESTATION_FORMAT = "relance-attestation"
ATTESTATION_VERSION = 1
ENVELOPE_FORMAT = "relance-signed-attestation"

LEGAL_MENTIONS = {
    "attestation": "Attestation de fin de formation (Code du travail, art. L6353-1) : objectifs, nature et "
    "durée de l'action, résultats de l'évaluation des acquis de la formation.",
    "certificat": "Certificat de réalisation (modèle de l'arrêté du 21 décembre 2018 relatif aux pièces "
    "justificatives, art. R6332-26 du Code du travail).",
    "conservation": "Sans préjudice des délais imposés par les règles fiscales, comptables ou commerciales, "
    "le dispensateur conserve l'ensemble des pièces justificatives qui ont permis d'établir le présent "
    "certificat pendant 3 ans à compter de la fin de l'année du dernier paiement.",
    "verification": "Document signé électroniquement (Ed25519 sur JSON canonique RFC 8785). Chaque "
    "tentative cite l'empreinte du pack de contenu et de sa transcription : `relance verify --replay` "
    "recalcule les notes.",
}

DEFAULT_MODULE_TITLES = {
    CALL_MODULE: "Mises en situation d'appel",
    "call": "Mises en situation d'appel",
    "quiz": "Quiz",
    "case-study": "Études de cas",
    "questionnaire": "Auto-évaluation (positionnement)",
}
"""Titles of the pseudo-modules (attempts whose content names no module)."""


class DuplicateKeyError(ValueError):
    """A JSON object repeats a key (a document built to be read two ways)."""


def loads_strict(text: str | bytes) -> Any:
    """JSON with duplicate keys refused (``ValueError``): every reader must see the same document."""
    import json

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [k for k, _ in items]
        if len(set(keys)) != len(keys):
            duplicated = sorted({k for k in keys if keys.count(k) > 1})
            raise DuplicateKeyError(f"clé JSON en double : {', '.join(duplicated)}")
        return dict(items)

    return json.loads(text, object_pairs_hook=pairs)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


# --------------------------------------------------------------------------- payload


def _title(attempt: Attempt) -> str:
    result = attempt.result or {}
    return str(result.get("title") or attempt.ref)


def _attempt_entry(store: Store, attempt: Attempt) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": attempt.id,
        "kind": attempt.kind,
        "ref": attempt.ref,
        "title": _title(attempt),
        "module": attempt.module,
        "pack": {"id": attempt.pack_id, "version": attempt.pack_version, "hash": attempt.pack_hash},
        "dependencies": dict(attempt.dependencies),
        "seed": attempt.seed,
        "started_at": attempt.started_at,
        "finished_at": attempt.finished_at,
        "duration_s": attempt.duration,
        "status": attempt.status,
        "score": attempt.score,
        "passed": attempt.passed,
    }
    if attempt.kind == "call":
        entry["transcript"] = attempt.result
        entry["transcript_hash"] = attempt.transcript_hash or (
            content_hash(attempt.result) if attempt.result is not None else None
        )
    else:
        entry["result"] = attempt.result
        entry["answers"] = [e for e in store.events(attempt.id) if e.get("type") in ("answer", "rating")]
        entry["transcript_hash"] = content_hash({"result": attempt.result, "answers": entry["answers"]})
    return entry


def _modules(attempts: Sequence[Attempt], titles: Mapping[str, str]) -> list[dict[str, Any]]:
    groups: dict[str, list[Attempt]] = {}
    for attempt in attempts:
        if attempt.status != "finished":
            continue
        groups.setdefault(attempt.module or attempt.kind, []).append(attempt)
    out = []
    for module, items in groups.items():
        scored = [a.score for a in items if a.score is not None]
        graded = [a for a in items if a.passed is not None]
        out.append(
            {
                "module": module,
                "title": titles.get(module) or module,
                "attempts": len(items),
                "best_score": max(scored) if scored else None,
                "mean_score": round(sum(scored) / len(scored), 2) if scored else None,
                "passed": sum(1 for a in graded if a.passed),
                "graded": len(graded),
            }
        )
    return out


def build_attestation(
    store: Store,
    trainee: Trainee,
    session: TrainingSession,
    *,
    issued_date: str,
    place: str = "",
    hours: float | None = None,
    module_titles: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The attestation payload for ``trainee`` in ``session`` (finished and abandoned attempts)."""
    titles = {**DEFAULT_MODULE_TITLES, **dict(module_titles or {})}
    attempts = [a for a in store.attempts(trainee.id, session_id=session.id) if a.status != "open"]
    provider = {
        "name": session.organisation or str(store.get_setting("provider.name", "")),
        "representative": str(store.get_setting("provider.representative", "")),
        "nda": str(store.get_setting("provider.nda", "")),
        "siret": str(store.get_setting("provider.siret", "")),
        "address": str(store.get_setting("provider.address", "")),
    }
    recorded = round(sum(a.duration or 0.0 for a in attempts), 2)
    starts = sorted(a.started_at for a in attempts)
    ends = sorted(a.finished_at for a in attempts if a.finished_at)
    scored = [a for a in attempts if a.score is not None or a.passed is not None]
    return {
        "format": ATTESTATION_FORMAT,
        "version": ATTESTATION_VERSION,
        "store": store.uuid,
        "issued": {"date": issued_date, "place": place or session.place},
        "provider": provider,
        "trainee": {
            "id": trainee.id,
            "nom": trainee.nom,
            "prenom": trainee.prenom,
            "employer": trainee.organisation,
            "email": trainee.email,
        },
        "training": {
            "code": session.code,
            "title": session.title,
            "objectives": list(session.objectives),
            "nature": session.nature,
            "start_date": session.start_date,
            "end_date": session.end_date,
            "planned_hours": session.planned_hours,
            "hours": hours if hours is not None else session.planned_hours,
            "trainer": session.trainer,
            "place": session.place,
        },
        "activity": {
            "attempts": len(attempts),
            "recorded_seconds": recorded,
            "first": starts[0] if starts else None,
            "last": ends[-1] if ends else None,
        },
        "assessment": {"planned": bool(scored), "modules": _modules(attempts, titles)},
        "attempts": [_attempt_entry(store, a) for a in attempts],
        "mentions": dict(LEGAL_MENTIONS),
    }


# --------------------------------------------------------------------------- signing


def sign(payload: Mapping[str, Any], key: Ed25519PrivateKey) -> dict[str, Any]:
    """The signed envelope of ``payload``."""
    info = public_info(key)
    signature = key.sign(canonical(dict(payload)))
    return {
        "format": ENVELOPE_FORMAT,
        "alg": "Ed25519",
        "canon": "RFC8785",
        "kid": info.kid,
        "public_key": b64url(info.raw),
        "sig": b64url(signature),
        "payload": dict(payload),
    }


def qr_text(envelope: Mapping[str, Any]) -> str:
    """Compact verification data for the QR code: key id, SHA-256 of the canonical payload, signature."""
    digest = hashlib.sha256(canonical(envelope["payload"])).digest()
    return f"RELANCE-ATT1:{envelope['kid']}:{b64url(digest)}:{envelope['sig']}"


# --------------------------------------------------------------------------- verification


@dataclass
class VerifyReport:
    """Outcome of :func:`verify` (and :func:`replay`).

    ``valid`` is False as soon as one reason is found (the signature or the content does not
    hold); ``trusted_as`` says how the signing key is known, empty for an unknown key.
    """

    valid: bool
    kid: str = ""
    reasons: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    payload: dict[str, Any] | None = None
    replayed: int = 0
    fingerprint: str = ""
    trusted_as: str = ""
    public_key: bytes = b""
    version_mismatch: list[str] = field(default_factory=list)
    """Calls scored by another engine or scorer version: not replayed (not a failure)."""

    def fail(self, reason: str) -> None:
        self.valid = False
        self.reasons.append(reason)

    @property
    def status(self) -> str:
        """``valid`` (intact, trusted key), ``untrusted`` (intact, unknown key) or ``invalid``."""
        if not self.valid:
            return "invalid"
        return "valid" if self.trusted_as else "untrusted"


PINNED = "clé indiquée par --key"


def verify(
    envelope: Any, *, pinned_key: bytes | None = None, trusted: Mapping[bytes, str] | None = None
) -> VerifyReport:
    """Check an envelope's structure, key id, signature and transcript hashes, and whether its
    key is ``pinned_key`` (when given) or one of ``trusted`` (raw key → how it is known)."""
    report = VerifyReport(valid=True)
    if not isinstance(envelope, Mapping) or envelope.get("format") != ENVELOPE_FORMAT:
        report.fail("ce n'est pas une attestation signée Relance (format inconnu)")
        return report
    if envelope.get("alg") != "Ed25519" or envelope.get("canon") != "RFC8785":
        report.fail(f"algorithme non pris en charge : {envelope.get('alg')} / {envelope.get('canon')}")
        return report
    payload = envelope.get("payload")
    if not isinstance(payload, Mapping):
        report.fail("attestation sans contenu (payload)")
        return report
    try:
        public_raw = unb64url(str(envelope.get("public_key", "")))
        signature = unb64url(str(envelope.get("sig", "")))
    except (ValueError, TypeError):
        report.fail("clé publique ou signature mal encodée")
        return report
    if len(public_raw) != 32 or len(signature) != 64:
        report.fail("clé publique ou signature de longueur invalide")
        return report
    report.kid = key_id(public_raw)
    report.fingerprint = fingerprint(public_raw)
    report.public_key = public_raw
    if envelope.get("kid") != report.kid:
        report.fail(f"identifiant de clé incohérent : annoncé {envelope.get('kid')}, calculé {report.kid}")
    if pinned_key is not None:
        if pinned_key != public_raw:
            report.fail(f"signée par une autre clé ({report.kid}) que la clé attendue ({key_id(pinned_key)})")
        else:
            report.trusted_as = PINNED
    elif trusted:
        report.trusted_as = trusted.get(public_raw, "")
    try:
        data = canonical(dict(payload))
    except ValueError as exc:
        report.fail(f"contenu non canonisable : {exc}")
        return report
    try:
        Ed25519PublicKey.from_public_bytes(public_raw).verify(signature, data)
    except InvalidSignature:
        report.fail("signature invalide : le contenu a été modifié après la signature, ou la signature "
                    "ne correspond pas à cette clé")
    report.payload = dict(payload)
    if payload.get("format") != ATTESTATION_FORMAT:
        report.fail("le contenu signé n'est pas une attestation Relance")
        return report
    for entry in payload.get("attempts", []) or []:
        if not isinstance(entry, Mapping):
            report.fail("tentative mal formée dans l'attestation")
            continue
        expected = entry.get("transcript_hash")
        if entry.get("kind") == "call":
            actual = content_hash(entry.get("transcript")) if entry.get("transcript") is not None else None
        else:
            actual = content_hash({"result": entry.get("result"), "answers": entry.get("answers", [])})
        if expected != actual:
            report.fail(f"tentative n° {entry.get('id')} : empreinte de transcription incohérente")
    return report


def _cited_packs(entry: Mapping[str, Any]) -> dict[str, str]:
    pack = entry.get("pack") or {}
    cited = {str(k): str(v) for k, v in (entry.get("dependencies") or {}).items()}
    cited[str(pack.get("id"))] = str(pack.get("hash"))
    return cited


def _check_packs(entry: Mapping[str, Any], library: Any, report: VerifyReport) -> bool:
    loaded = {p.id: p.hash for p in library.packs}
    ok = True
    for pack_id, digest in sorted(_cited_packs(entry).items()):
        if pack_id not in loaded:
            report.fail(f"tentative n° {entry.get('id')} : pack `{pack_id}` absent (indiquez-le avec --pack)")
            ok = False
        elif loaded[pack_id] != digest:
            report.fail(
                f"tentative n° {entry.get('id')} : le pack `{pack_id}` chargé n'est pas celui cité "
                f"(empreinte citée {digest[:19]}…, chargée {loaded[pack_id][:19]}…)"
            )
            ok = False
    return ok


def _scorer_version(library: Any, case: Any) -> str:
    """The version of the scorer a call of ``case`` would be scored with here (as transcripts record it)."""
    from simulator.scoring.model import cached_model

    located = library.scorer_file(case)
    return cached_model(*located).version if located else "rubric"


def _replay_call(entry: Mapping[str, Any], library: Any, report: VerifyReport) -> None:
    from simulator.dialogue import play, to_document
    from simulator.dialogue.engine import ENGINE_VERSION

    transcript = entry.get("transcript") or {}
    attempt = entry.get("id")
    try:
        case = library.case(transcript["case"])
        seed = int(transcript["seed"])
        trainee_turns = [t for t in transcript["turns"] if t["speaker"] == "trainee"]
        replies = [str(t["text"]) for t in trainee_turns]
        times = [t.get("at") for t in trainee_turns]
    except Exception:  # noqa: BLE001 - any malformed transcript is reported, never raised
        report.fail(f"tentative n° {attempt} : transcription illisible ou dossier introuvable")
        return
    pack = library.pack_of("case", case.id)
    recorded = (str(transcript.get("engine") or "?"), str(transcript.get("scorer") or "rubric"))
    current = (ENGINE_VERSION, _scorer_version(library, case))
    if recorded != current:
        # Scored by another version of the engine or of the learned scorer: replaying here
        # would not reproduce its notes, and that says nothing about tampering.
        report.version_mismatch.append(
            f"tentative n° {attempt} (appel {case.id}) : notée par le moteur {recorded[0]}, notation « {recorded[1]} » ; "
            f"cette installation a le moteur {current[0]}, notation « {current[1]} » — rejouez-la avec une installation "
            "de la version d'origine pour recalculer ses notes"
        )
        return
    state, _used = play(case, seed, library, replies, times, str(transcript.get("trainee") or ""))
    fresh = to_document(state, pack.id, pack.hash, pack.manifest.version)
    from simulator.dialogue.transcript import differences as transcript_differences

    differences = transcript_differences(transcript, fresh)
    if not differences and canonical(fresh) != canonical(dict(transcript)):
        differences.append("transcription différente (métadonnées)")
    if entry.get("score") is not None and float(entry["score"]) != float(fresh["scorecard"]["overall"]):
        differences.append(f"note enregistrée {entry['score']} ≠ note recalculée {fresh['scorecard']['overall']}")
    for difference in differences:
        report.fail(f"tentative n° {attempt} (appel {case.id}) : {difference}")
    report.replayed += 1


def _compare_totals(entry: Mapping[str, Any], fresh: Mapping[str, Any], report: VerifyReport) -> None:
    recorded = entry.get("result") or {}
    attempt = entry.get("id")
    differences = []
    if (recorded.get("totals") or {}) != fresh["totals"]:
        differences.append(f"totaux {recorded.get('totals')} → {fresh['totals']}")
    if recorded.get("passed") != fresh["passed"]:
        differences.append(f"réussite {recorded.get('passed')} → {fresh['passed']}")
    old_q = recorded.get("questions") or {}
    for question_id, new in fresh["questions"].items():
        old = old_q.get(question_id) or {}
        if old.get("score") != new["score"]:
            differences.append(f"question {question_id} : {old.get('score')} → {new['score']}")
    if entry.get("score") is not None and float(entry["score"]) != float(fresh["totals"]["percent"]):
        differences.append(f"note enregistrée {entry['score']} ≠ {fresh['totals']['percent']}")
    for difference in differences:
        report.fail(f"tentative n° {attempt} ({entry.get('kind')} {entry.get('ref')}) : {difference}")


def _replay_quiz(entry: Mapping[str, Any], library: Any, report: VerifyReport) -> None:
    from simulator.quiz.session import answer, finish, start_quiz

    try:
        state = start_quiz(library.quiz(str(entry["ref"])), int(entry["seed"]))
        for item in entry.get("answers") or []:
            state, _ = answer(state, str(item["question"]), item["response"], float(item.get("at") or 0))
    except Exception:  # noqa: BLE001
        report.fail(f"tentative n° {entry.get('id')} : réponses du quiz illisibles")
        return
    _compare_totals(entry, finish(state).to_dict(), report)
    report.replayed += 1


def _replay_case_study(entry: Mapping[str, Any], library: Any, report: VerifyReport) -> None:
    from simulator.quiz.case_study import grade_case_study, start_case_study

    try:
        sheet = start_case_study(library.case_study(str(entry["ref"])), int(entry["seed"]))
        answers = {str(item["question"]): item["response"] for item in entry.get("answers") or []}
        fresh = grade_case_study(sheet, answers).to_dict()
    except Exception:  # noqa: BLE001
        report.fail(f"tentative n° {entry.get('id')} : réponses de l'étude de cas illisibles")
        return
    _compare_totals(entry, fresh, report)
    report.replayed += 1


def replay(report: VerifyReport, library: Any) -> VerifyReport:
    """Re-score every finished call, quiz and case study of a verified payload with ``library``.

    The packs loaded must be the cited ones (same hashes); any difference makes the report invalid.
    """
    payload = report.payload or {}
    for entry in payload.get("attempts", []) or []:
        if not isinstance(entry, Mapping) or entry.get("status") != "finished":
            continue
        kind = entry.get("kind")
        if kind == "questionnaire":
            continue
        if not _check_packs(entry, library, report):
            continue
        if kind == "call":
            _replay_call(entry, library, report)
        elif kind == "quiz":
            _replay_quiz(entry, library, report)
        elif kind == "case-study":
            _replay_case_study(entry, library, report)
    return report
