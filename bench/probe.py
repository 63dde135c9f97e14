"""The robustness probe's figures, measured again: crashes, concurrent writers, attestations.

Three measures, each printing its figures (counts, not times; nothing is asserted):

``crash``
    ``--rounds`` (100) times: a child process records calls the way the app does (an attempt
    opened, each reply played by the engine and saved as an event, the call closed with its
    transcript) and prints an acknowledgement after each commit; it is killed with SIGKILL at a
    random moment. After each kill the store must pass ``PRAGMA integrity_check`` and hold every
    acknowledged reply and every acknowledged finished call. Prints the acknowledged-but-lost count.

``writers``
    ``--writers`` (4) processes write to one store for ``--seconds`` (60): open attempts, save
    replies, close them, list progress (as the app and the CLI do). Prints operations and errors
    (a locked database, a failed write…).

``attestations``
    Genuine JSON and PDF attestations, then tampered and forged ones: values changed in the JSON,
    bytes flipped across the whole PDF (and every byte of its signature container), bytes added
    after ``%%EOF``, a cut file, a rewrite by a PDF editor, an incremental update signed by
    another key, the attachment of another attestation, everything re-signed with another key.
    Prints false alarms on genuine ones and how the others were judged (valid / invalid / untrusted).

Usage: ``python bench/probe.py crash|writers|attestations|all [--rounds N] [--writers N] [--seconds S]``
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PACKS = [ROOT / "tests" / "records" / "fixtures" / "appels", ROOT / "tests" / "records" / "fixtures" / "quiz"]

# --------------------------------------------------------------------------- crash

RECORDER = textwrap.dedent(
    """
    import sys, yaml
    from pathlib import Path
    from simulator.content.library import load_library
    from simulator.dialogue import start, advance, to_document
    from simulator.records.recording import finish_call, pack_dependencies
    from simulator.records.store import Store

    store_path, trainee, packs = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    library = load_library(packs)
    replies = yaml.safe_load(Path(packs[0], "leroy-bon-parcours.yaml").read_text(encoding="utf-8"))["replies"]
    case = library.case("leroy-premier-appel")
    pack = library.pack_of("case", case.id)
    store = Store.open(store_path)
    print("ready", flush=True)
    while True:
        attempt = store.start_attempt(trainee, "call", case.id, pack.id, pack.manifest.version, pack.hash, 1,
                                      module="appels", dependencies=pack_dependencies(library, pack))
        state, _opening = start(case, 1, library)
        for number, reply in enumerate(replies, 1):
            state, _events = advance(state, reply, float(number))
            seq = store.add_event(attempt, {"type": "reply", "text": reply, "at": float(number)})
            print("reply", attempt, seq, flush=True)
            if state.ended:
                break
        finish_call(store, attempt, to_document(state, pack.id, pack.hash, pack.manifest.version))
        print("finished", attempt, flush=True)
    """
)


def crash(rounds: int, seed: int = 20261123) -> dict[str, int]:
    from simulator.records.store import Store

    rng = random.Random(seed)
    folder = Path(tempfile.mkdtemp(prefix="relance-crash-"))
    path = folder / "relance.sqlite3"
    with Store.open(path) as store:
        trainee = store.upsert_trainee("Dupont", "Élodie", "Soléo").id
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RELANCE_HOME": str(folder / "home")}
    acknowledged_replies: set[tuple[int, int]] = set()
    acknowledged_calls: set[int] = set()
    lost = damaged = 0
    for number in range(rounds):
        child = subprocess.Popen([sys.executable, "-c", RECORDER, str(path), str(trainee), *map(str, PACKS)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        assert child.stdout is not None
        first = child.stdout.readline()  # "ready": the library is loaded, recording starts
        if not first.startswith(b"ready"):
            raise SystemExit(f"recorder did not start: {child.stderr.read().decode() if child.stderr else ''}")
        time.sleep(rng.uniform(0.0, 0.6))
        child.send_signal(signal.SIGKILL)
        out, _err = child.communicate(timeout=60)
        for line in out.decode(errors="replace").splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[0] == "reply":
                acknowledged_replies.add((int(parts[1]), int(parts[2])))
            elif len(parts) == 2 and parts[0] == "finished":
                acknowledged_calls.add(int(parts[1]))
        with Store.open(path) as store:
            conn = store._conn  # the integrity check needs the connection
            if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                damaged += 1
            stored = {(a, s) for a, s in conn.execute("SELECT attempt_id, seq FROM events")}
            finished = {a for (a,) in conn.execute("SELECT id FROM attempts WHERE status = 'finished' "
                                                      "AND result IS NOT NULL")}
        lost = len(acknowledged_replies - stored) + len(acknowledged_calls - finished)
        if (number + 1) % 10 == 0:
            print(f"  {number + 1} kills: {len(acknowledged_replies)} replies and {len(acknowledged_calls)} calls "
                  f"acknowledged, {lost} lost", flush=True)
    figures = {"kills": rounds, "acknowledged_replies": len(acknowledged_replies),
               "acknowledged_calls": len(acknowledged_calls), "acknowledged_but_lost": lost,
               "integrity_failures": damaged}
    print(f"crash: {figures}")
    return figures


# --------------------------------------------------------------------------- writers

WRITER = textwrap.dedent(
    """
    import sys, time, json
    from simulator.records.store import Store
    from simulator.errors import SimulatorError

    path, trainee, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    store = Store.open(path)
    deadline = time.monotonic() + seconds
    operations = errors = 0
    messages = []
    while time.monotonic() < deadline:
        try:
            attempt = store.start_attempt(trainee, "quiz", "quiz-types", "p", "1", "sha256:x", 7)
            for n in range(8):
                store.add_event(attempt, {"type": "answer", "question": f"q{n}", "response": "x" * (n * 20)})
            store.attempts(trainee, results=False)
            store.finish_attempt(attempt, 50.0, False, {"totals": {"percent": 50.0}})
            operations += 11
        except (SimulatorError, Exception) as error:  # noqa: BLE001 - every failure counts
            errors += 1
            messages.append(f"{type(error).__name__}: {error}")
    print(json.dumps({"operations": operations, "errors": errors, "messages": messages[:5]}))
    """
)


def writers(count: int, seconds: float) -> dict[str, Any]:
    from simulator.records.store import Store

    folder = Path(tempfile.mkdtemp(prefix="relance-writers-"))
    path = folder / "relance.sqlite3"
    with Store.open(path) as store:
        trainees = [store.upsert_trainee(f"Nom{i}", f"Prénom{i}", "Org").id for i in range(count)]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RELANCE_HOME": str(folder / "home")}
    children = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(t), str(seconds)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) for t in trainees]
    reports = []
    for child in children:
        out, err = child.communicate(timeout=seconds + 120)
        if child.returncode != 0:
            reports.append({"operations": 0, "errors": 1, "messages": [err.decode()[-300:]]})
        else:
            reports.append(json.loads(out))
    with Store.open(path) as store:
        conn = store._conn
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        finished = conn.execute("SELECT COUNT(*) FROM attempts WHERE status = 'finished'").fetchone()[0]
    figures = {
        "writers": count, "seconds": seconds,
        "operations": sum(r["operations"] for r in reports), "errors": sum(r["errors"] for r in reports),
        "finished_attempts": finished, "integrity": integrity,
        "messages": [m for r in reports for m in r["messages"]][:5],
    }
    print(f"writers: {figures}")
    return figures


# --------------------------------------------------------------------------- attestations


def _populated_home(home: Path) -> None:
    import yaml

    sys.path.insert(0, str(ROOT / "tests"))
    from records.conftest import FakeClock, populate  # type: ignore[import-not-found]

    from simulator.content.library import load_library
    from simulator.records.store import Store

    library = load_library([str(p) for p in PACKS], use_cache=False)
    replies = list(yaml.safe_load((PACKS[0] / "leroy-bon-parcours.yaml").read_text(encoding="utf-8"))["replies"])
    with Store.open(home / "data" / "relance.sqlite3", now=FakeClock()) as store:
        populate(store, library, replies)


def attestations(flips: int = 64, seed: int = 7) -> dict[str, Any]:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from pypdf import PdfReader, PdfWriter
    from pypdf.annotations import FreeText

    from simulator.commands.records import check_attestation
    from simulator.errors import UsageError
    from simulator.records.attest import build_attestation, sign
    from simulator.records.canonical import pretty
    from simulator.records.keys import create_key, load_private_key
    from simulator.records.pdf import render_signed_pdf
    from simulator.records.pdfsign import sign_pdf
    from simulator.records.store import Store
    from simulator.records.trust import trusted_sources

    rng = random.Random(seed)
    folder = Path(tempfile.mkdtemp(prefix="relance-attest-"))
    os.environ["RELANCE_HOME"] = str(folder / "home")
    _populated_home(folder / "home")
    create_key()
    key = load_private_key()
    forger = Ed25519PrivateKey.generate()
    trusted = trusted_sources()
    genuine: list[tuple[str, bytes]] = []
    with Store.open() as store:
        session = store.sessions()[0]
        for trainee in store.trainees():
            for day in ("2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27", "2026-11-28"):
                payload = build_attestation(store, trainee, session, issued_date=day, place="Lyon")
                envelope = sign(payload, key)
                genuine.append((f"{trainee.nom}-{day}.json", pretty(envelope).encode()))
                genuine.append((f"{trainee.nom}-{day}.pdf", render_signed_pdf(envelope, key)))

    def judge(name: str, data: bytes) -> str:
        path = folder / name
        path.write_bytes(data)
        try:
            return str(check_attestation(str(path), trusted=trusted).status)
        except UsageError:
            return "usage"

    untouched = Counter(judge(name, data) for name, data in genuine)
    tampered: Counter[str] = Counter()
    forged: Counter[str] = Counter()
    kinds: dict[str, Counter[str]] = {}

    def record(kind: str, verdict: str, bucket: Counter[str]) -> None:
        bucket[verdict] += 1
        kinds.setdefault(kind, Counter())[verdict] += 1

    pdfs = [(n, d) for n, d in genuine if n.endswith(".pdf")]
    jsons = [(n, d) for n, d in genuine if n.endswith(".json")]
    for name, data in jsons:
        envelope = json.loads(data)
        for change in ("score", "name", "date", "transcript", "kid"):
            changed = json.loads(data)
            payload = changed["payload"]
            if change == "score":
                payload["assessment"]["modules"][0]["best_score"] = 100.0
            elif change == "name":
                payload["trainee"]["nom"] += "x"
            elif change == "date":
                payload["issued"]["date"] = "2027-01-01"
            elif change == "transcript":
                entry = next(a for a in payload["attempts"] if a["kind"] == "call")
                entry["transcript"]["turns"][0]["text"] += " !"
            else:
                changed["kid"] = "0" * 16
            record(f"json-{change}", judge("t-" + name, json.dumps(changed).encode()), tampered)
        text = data.decode()
        record("json-duplicate-key", judge("d-" + name, text.replace('"nom": ', '"nom": "X", "nom": ', 1).encode()),
               tampered)
        record("json-truncated", judge("c-" + name, data[: len(data) // 2]), tampered)
        payload = envelope["payload"]
        payload["assessment"]["planned"] = True
        record("json-re-signed", judge("f-" + name, pretty(sign(payload, forger)).encode()), forged)
    for index, (name, data) in enumerate(pdfs):
        for _ in range(flips):
            position = rng.randrange(len(data))
            mutated = bytearray(data)
            mutated[position] ^= 1 << rng.randrange(8)
            record("pdf-random-flip", judge("r-" + name, bytes(mutated)), tampered)
        record("pdf-garbage-after-eof", judge("g-" + name, data + b"\n%%EOF garbage\n"), tampered)
        record("pdf-truncated", judge("c-" + name, data[:-64]), tampered)
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
        writer.add_annotation(0, FreeText(text="100 / 100", rect=(50, 550, 200, 600)))
        rewritten = io.BytesIO()
        writer.write(rewritten)
        record("pdf-editor-rewrite", judge("e-" + name, rewritten.getvalue()), tampered)
        second = sign_pdf(data, forger, signer_name="Faussaire", moment=_moment(), field_name="Ajout")
        record("pdf-second-signature", judge("s-" + name, second), tampered)
        other = pdfs[(index + 1) % len(pdfs)][1]
        record("pdf-other-attachment", judge("o-" + name, _swap_attachment(data, other)), tampered)
        envelope = json.loads(next(d for n, d in jsons if n == name.replace(".pdf", ".json")))
        record("pdf-re-signed", judge("f-" + name, render_signed_pdf(sign(envelope["payload"], forger), forger)), forged)
        if index == 0:
            from pyhanko.pdf_utils.reader import PdfFileReader

            signature = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures[0]
            start, end = signature.byte_range[1], signature.byte_range[2]
            for position in range(start, end):
                mutated = bytearray(data)
                mutated[position] ^= 1 << rng.randrange(8)
                record("pdf-signature-container-flip", judge("h-" + name, bytes(mutated)), tampered)
    refused = sum(n for verdict, n in tampered.items() if verdict in ("invalid", "usage"))
    figures = {
        "genuine": len(genuine), "genuine_verdicts": dict(untouched),
        "false_alarms": sum(n for verdict, n in untouched.items() if verdict != "valid"),
        "tampered": sum(tampered.values()), "tampered_refused": refused,
        "tampered_verdicts": dict(tampered),
        "forged": sum(forged.values()), "forged_verdicts": dict(forged),
        "by_kind": {kind: dict(counts) for kind, counts in sorted(kinds.items())},
    }
    print("attestations:", json.dumps(figures, ensure_ascii=False, indent=2))
    return figures


def _moment() -> Any:
    from datetime import UTC, datetime

    return datetime(2026, 11, 23, tzinfo=UTC)


def _swap_attachment(data: bytes, other: bytes) -> bytes:
    """The same pages with another attestation's JSON attached (rewritten by pypdf)."""
    from pypdf import PdfReader, PdfWriter

    from simulator.records.pdf import ATTACHMENT_NAME

    attached = PdfReader(io.BytesIO(other)).attachments[ATTACHMENT_NAME][0]
    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(data)).pages:
        writer.add_page(page)
    writer.add_attachment(ATTACHMENT_NAME, attached)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("measure", choices=("crash", "writers", "attestations", "all"))
    parser.add_argument("--rounds", type=int, default=100, help="kills for `crash` (default 100)")
    parser.add_argument("--writers", type=int, default=4, help="processes for `writers` (default 4)")
    parser.add_argument("--seconds", type=float, default=60.0, help="duration of `writers` (default 60)")
    parser.add_argument("--flips", type=int, default=64, help="random byte flips per PDF (default 64)")
    args = parser.parse_args()
    if args.measure in ("crash", "all"):
        crash(args.rounds)
    if args.measure in ("writers", "all"):
        writers(args.writers, args.seconds)
    if args.measure in ("attestations", "all"):
        attestations(args.flips)


if __name__ == "__main__":
    main()
