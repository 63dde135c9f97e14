"""Benchmark: exports of 10,000 attempts (CSV, xAPI) and 100 signed PDF attestations.

Builds a temporary store (100 trainees × 10 sessions × 10 attempts: calls with a real
transcript, quizzes, case studies and self-assessments), then measures in the same process:

* CSV, a row per attempt (select + rows + csv writer), against the baseline
  ``json.dumps`` of the same rows;
* xAPI JSON lines (statements built, validated against the 1.0.3 rules, serialised), against
  the baseline ``json.dumps`` of the same attempts with their results;
* 100 PDF attestations (payload from the store, Ed25519 signature over RFC 8785, PDF with
  font, QR code and the signed JSON attached, the whole PDF signed), against the baseline of
  the same 100 signed JSON attestations.

Prints medians, per-item rates and ratios. Never asserts a time.

Usage: ``python bench/export.py [--attempts N] [--pdfs N] [--rounds N]``
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402

from simulator.content.library import load_library  # noqa: E402
from simulator.dialogue import play, to_document  # noqa: E402
from simulator.records import export  # noqa: E402
from simulator.records.attest import build_attestation, sign  # noqa: E402
from simulator.records.canonical import content_hash, pretty  # noqa: E402
from simulator.records.pdf import render_signed_pdf  # noqa: E402
from simulator.records.store import Store  # noqa: E402
from simulator.records.xapi import store_statements, validate_statement  # noqa: E402

PACKS = [ROOT / "tests" / "records" / "fixtures" / "appels", ROOT / "tests" / "records" / "fixtures" / "quiz"]


class Clock:
    def __init__(self) -> None:
        self.moment = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.moment += timedelta(seconds=37)
        return self.moment


def _results(library: Any) -> dict[str, tuple[dict[str, Any], float, bool | None, list[dict[str, Any]]]]:
    import yaml

    from simulator.quiz.case_study import grade_case_study, start_case_study
    from simulator.quiz.session import answer, finish, start_quiz

    replies = yaml.safe_load((PACKS[0] / "leroy-bon-parcours.yaml").read_text(encoding="utf-8"))["replies"]
    case = library.case("leroy-premier-appel")
    pack = library.pack_of("case", case.id)
    state, _ = play(case, 1, library, replies, [12.0 * (i + 1) for i in range(len(replies))])
    call = to_document(state, pack.id, pack.hash, pack.manifest.version)
    call_events = [{"type": "reply", "text": r, "at": 12.0 * (i + 1)} for i, r in enumerate(replies)]

    quiz_state = start_quiz(library.quiz("quiz-types"), 3)
    responses = {"q-single": 1, "q-vrai-faux": "vrai", "q-dso": "73 jours", "q-texte": "DSO"}
    events = []
    for prepared in quiz_state.questions:
        if prepared.id in responses:
            quiz_state, _ = answer(quiz_state, prepared.id, responses[prepared.id], 4.0)
            events.append({"type": "answer", "question": prepared.id, "response": responses[prepared.id], "at": 4.0})
    quiz = finish(quiz_state).to_dict()

    sheet = start_case_study(library.case_study("etude-dso"), 2)
    study = grade_case_study(sheet, {"dso": "80"}).to_dict()
    questionnaire = {"kind": "questionnaire", "id": "autoeval-poste-client", "title": "Auto-évaluation",
                     "phase": "before", "ratings": {"i-dso-calcul": 2, "i-dso-lire": 3, "i-penalites": 4},
                     "scale": ["1", "2", "3", "4", "5"]}
    return {
        "call": (call, float(call["scorecard"]["overall"]), call["scorecard"]["overall"] >= 70, call_events),
        "quiz": (quiz, float(quiz["totals"]["percent"]), bool(quiz["passed"]), events),
        "case-study": (study, float(study["totals"]["percent"]), bool(study["passed"]),
                       [{"type": "answer", "question": "dso", "response": "80", "at": 0.0}]),
        "questionnaire": (questionnaire, None, None,  # type: ignore[dict-item]
                          [{"type": "rating", "item": k, "value": v} for k, v in questionnaire["ratings"].items()]),
    }


REFS = {"call": ("leroy-premier-appel", "records-appels", "appels"), "quiz": ("quiz-types", "records-quiz", "poste-client"),
        "case-study": ("etude-dso", "records-quiz", "poste-client"),
        "questionnaire": ("autoeval-poste-client", "records-quiz", None)}
MIX = ["call", "call", "call", "call", "quiz", "quiz", "quiz", "case-study", "case-study", "questionnaire"]


def build_store(path: Path, attempts: int, library: Any) -> tuple[Store, float]:
    results = _results(library)
    packs = {p.id: p for p in library.packs}
    store = Store.open(path, now=Clock())
    trainees = 100
    per_session = 10
    sessions = max(1, attempts // (trainees * per_session))
    started = time.perf_counter()
    with store.batch():
        codes = []
        for s in range(sessions):
            session = store.create_session(f"S{s:03d}", f"Relance téléphonique — session {s}",
                                           objectives=["Conduire un appel", "Traiter les objections"],
                                           start_date="2026-11-02", end_date="2026-11-03", planned_hours=14,
                                           organisation="Formations Crédit SARL", trainer="Anne Morel", place="Lyon")
            codes.append(session)
        count = 0
        for t in range(trainees):
            trainee = store.upsert_trainee(f"Nom{t:03d}", f"Prénom{t:03d}", "Soléo Emballages",
                                           f"stagiaire{t}@example.fr")
            for session in codes:
                store.enrol(trainee.id, session.id)
                for i in range(per_session):
                    if count >= attempts:
                        break
                    kind = MIX[i % len(MIX)]
                    ref, pack_id, module = REFS[kind]
                    pack = packs[pack_id]
                    result, score, passed, events = results[kind]
                    attempt_id = store.start_attempt(trainee.id, kind, ref, pack.id, pack.manifest.version, pack.hash,
                                                     i, session.id, module=module)
                    for event in events:
                        store.add_event(attempt_id, event)
                    store.finish_attempt(attempt_id, score, passed, result,
                                         content_hash(result) if kind == "call" else None)
                    count += 1
    return store, time.perf_counter() - started


def timed(function: Callable[[], Any], rounds: int) -> tuple[float, Any]:
    times = []
    value = None
    for _ in range(rounds):
        started = time.perf_counter()
        value = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=10_000)
    parser.add_argument("--pdfs", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    library = load_library([str(p) for p in PACKS], use_cache=False)
    key = Ed25519PrivateKey.generate()
    with tempfile.TemporaryDirectory() as folder:
        store, build_time = build_store(Path(folder) / "bench.sqlite3", args.attempts, library)
        n = len(store.attempts())
        print(f"store: {n} attempts, {len(store.trainees())} trainees, {len(store.sessions())} sessions "
              f"(built in {build_time:.2f} s, one transaction)")

        def csv_export() -> str:
            selection = export.select(store, results=False)
            return export.write_csv(export.attempt_rows(selection), export.ATTEMPT_COLUMNS)

        def csv_baseline() -> str:
            selection = export.select(store, results=False)
            return json.dumps(list(export.attempt_rows(selection)), ensure_ascii=False)

        def xapi_export() -> str:
            selection = export.select(store, include_open=False)
            statements = list(store_statements(store, selection.attempts))
            seen: set[int] = set()
            for statement in statements:
                if validate_statement(statement, seen=seen):
                    raise SystemExit("invalid statement")
            return "".join(export.xapi_lines(statements))

        def xapi_baseline() -> str:
            attempts = store.attempts()
            return json.dumps([{**a.__dict__} for a in attempts], ensure_ascii=False)

        t_csv, csv_text = timed(csv_export, args.rounds)
        t_csv_base, _ = timed(csv_baseline, args.rounds)
        t_xapi, xapi_text = timed(xapi_export, args.rounds)
        t_xapi_base, _ = timed(xapi_baseline, args.rounds)
        statements = xapi_text.count("\n")

        targets = []
        sessions = store.sessions()
        for trainee in store.trainees()[: args.pdfs]:
            targets.append((trainee, sessions[0]))
        while len(targets) < args.pdfs:
            targets.append(targets[len(targets) % max(1, len(store.trainees()))])

        def attestations_json() -> list[str]:
            out = []
            for trainee, session in targets:
                payload = build_attestation(store, trainee, session, issued_date="2026-11-23", place="Lyon")
                out.append(pretty(sign(payload, key)))
            return out

        def attestations_pdf() -> list[bytes]:
            out = []
            for trainee, session in targets:
                payload = build_attestation(store, trainee, session, issued_date="2026-11-23", place="Lyon")
                out.append(render_signed_pdf(sign(payload, key), key))
            return out

        pdf_rounds = max(1, args.rounds - 2)
        t_json_att, jsons = timed(attestations_json, pdf_rounds)
        t_pdf, pdfs = timed(attestations_pdf, pdf_rounds)
        store.close()

    def line(label: str, seconds: float, items: int, unit: str, base: float | None = None) -> None:
        ratio = f"{seconds / base:6.2f}× baseline" if base else ""
        print(f"  {label:<46} {seconds * 1000:9.1f} ms  {items / seconds:10.0f} {unit}/s  "
              f"{seconds / items * 1e6:8.1f} µs/{unit}  {ratio}")

    print(f"\nmedians over {args.rounds} round(s) (PDF: {pdf_rounds})")
    print("CSV, a row per attempt")
    line("baseline json.dumps of the same rows", t_csv_base, n, "attempt")
    line("relance export --format csv", t_csv, n, "attempt", t_csv_base)
    print(f"    output {len(csv_text) / 1024:.0f} KiB")
    print("xAPI 1.0.3 JSON lines")
    line("baseline json.dumps of the attempts + results", t_xapi_base, n, "attempt")
    line("relance export --format xapi (built+validated)", t_xapi, n, "attempt", t_xapi_base)
    line("  … per statement", t_xapi, statements, "stmt")
    print(f"    {statements} statements, output {len(xapi_text) / 1048576:.1f} MiB")
    print(f"Attestations ({args.pdfs}, 10 attempts each)")
    line("baseline signed JSON attestations", t_json_att, len(jsons), "att")
    line("signed PDF attestations", t_pdf, len(pdfs), "att", t_json_att)
    print(f"    PDF size median {statistics.median(len(p) for p in pdfs) / 1024:.0f} KiB, "
          f"JSON {statistics.median(len(j) for j in jsons) / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
