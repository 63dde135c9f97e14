"""`relance call`, `score`, `grade`, `calibrate` as trainers and scripts use them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from simulator.cli import main
from simulator.content.library import load_library


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "simulator", *args], capture_output=True, text=True, timeout=120, input=stdin
    )


@pytest.fixture(scope="module")
def good_replies(tmp_path_factory) -> Path:
    library = load_library(use_cache=False)
    golden = next(g for g in library.all("golden") if g.id == "garnier-bon-parcours")
    path = tmp_path_factory.mktemp("replies") / "replies.txt"
    path.write_text("\n".join(golden.replies) + "\n", encoding="utf-8")
    return path


def test_call_json_is_byte_identical_across_processes(good_replies: Path) -> None:
    a = run("call", "garnier-promesse-non-tenue", "--replies", str(good_replies), "--seed", "42", "--json")
    b = run("call", "garnier-promesse-non-tenue", "--replies", str(good_replies), "--seed", "42", "--json")
    assert a.returncode == 0, a.stderr
    assert a.stdout == b.stdout
    doc = json.loads(a.stdout)
    assert doc["format"] == "relance-call-transcript" and doc["seed"] == 42
    assert doc["pack"]["hash"].startswith("sha256:")
    assert doc["scorecard"]["outcome"] in ("dispute", "instalments", "commitment")
    trainee = [t for t in doc["turns"] if t["speaker"] == "trainee"]
    assert all({"score", "criteria", "violations", "feedback"} <= set(t["score"]) for t in trainee)


def test_call_text_output_and_yaml_replies(tmp_path: Path) -> None:
    replies = tmp_path / "r.yaml"
    replies.write_text("- 'Bonjour, Claire Martin, de Soléo Emballages.'\n- 'Je suis bien avec Madame Leroy ?'\n")
    result = run("call", "leroy-premier-appel", "--replies", str(replies))
    assert result.returncode == 0, result.stderr
    assert "Débiteur :" in result.stdout and "Note globale" in result.stdout
    assert "appel en cours" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["call", "leroy-premier-appl", "--replies", "README.md"], "vouliez-vous dire `leroy-premier-appel`"),
        (["call", "leroy-premier-appel", "--replies", "/nope.txt"], "introuvable"),
        (["call", "leroy-premier-appel", "--replies", "README.md", "--seed", "-3"], "graine"),
        (["call", "leroy-premier-appel"], "--replies"),
    ],
)
def test_call_usage_errors(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_call_bad_yaml_replies(tmp_path: Path) -> None:
    bad = tmp_path / "r.yaml"
    bad.write_text("- a\n  b: [\n")
    result = run("call", "leroy-premier-appel", "--replies", str(bad))
    assert result.returncode == 2 and "illisible" in result.stderr
    bad.write_text("kind: persona\n")
    result = run("call", "leroy-premier-appel", "--replies", str(bad))
    assert result.returncode == 2 and "liste" in result.stderr


def test_score_one_reply_json(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["score", "--reply", "Bonjour, Claire Martin, de Soléo Emballages.", "--step", "1",
                 "--case", "leroy-premier-appel", "--json"])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["score"] >= 70 and data["band"] == "good" and data["step"] == "se-presenter"
    assert {c["id"] for c in data["criteria"]} >= {"nom-appelant", "societe"}
    assert all({"id", "passed", "points", "evidence"} <= set(c) for c in data["criteria"])
    assert data["violations"] == [] and data["feedback"]


def test_score_against_an_objection(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["score", "--reply", "Je comprends, prenez votre temps, payez quand vous pourrez.",
                 "--objection", "tresorerie-tendue", "--json"])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["objection"] == "tresorerie-tendue" and data["score"] < 40 and data["band"] == "poor"


def test_score_without_step_picks_the_best_step(capsys: pytest.CaptureFixture[str]) -> None:
    main(["score", "--reply", "Je récapitule : un virement de 4 800 € part jeudi 19 novembre. C'est bien cela ?", "--case", "leroy-premier-appel", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert data["step"] == "reformuler-accords"


def test_score_batch(tmp_path: Path) -> None:
    batch = tmp_path / "b.jsonl"
    batch.write_text(
        json.dumps({"reply": "Bonjour, Claire Martin, de Soléo Emballages.", "step": 1, "case": "leroy-premier-appel"}) + "\n"
        + "not json\n"
        + json.dumps({"reply": "Où en est cette facture ?", "step": "donner-la-parole"}) + "\n"
        + json.dumps({"reply": "x", "step": 42}) + "\n"
    )
    result = run("score", "--batch", str(batch))
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [("error" in line) for line in lines] == [False, True, False, True]
    assert lines[0]["band"] == "good"
    assert result.returncode == 1


def test_score_bad_step() -> None:
    result = run("score", "--reply", "x", "--step", "neogcier")
    assert result.returncode == 2 and "`negocier`" in result.stderr


def test_grade_identical_then_tampered(tmp_path: Path, good_replies: Path) -> None:
    out = run("call", "garnier-promesse-non-tenue", "--replies", str(good_replies), "--json")
    transcript = tmp_path / "t.json"
    transcript.write_text(out.stdout, encoding="utf-8")
    ok = run("grade", str(transcript))
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "identique" in ok.stdout
    doc = json.loads(out.stdout)
    doc["turns"][1]["score"]["score"] = 100 if doc["turns"][1]["score"]["score"] != 100 else 99
    doc["scorecard"]["overall"] = 100
    tampered = tmp_path / "t2.json"
    tampered.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    bad = run("grade", str(tampered), "--json")
    assert bad.returncode == 1
    report = json.loads(bad.stdout)[0]
    assert not report["identical"] and any("note" in d for d in report["differences"])


def test_grade_rejects_a_non_transcript(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text("{\"hello\": 1}")
    assert run("grade", str(path)).returncode == 2
    path.write_text("{not json")
    result = run("grade", str(path))
    assert result.returncode == 2 and "JSON invalide" in result.stderr


def test_calibrate_reports_agreement_on_the_held_out_test_split() -> None:
    """The goal of the scorer, measured on replies it was never trained on."""
    result = run("calibrate", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["source"].endswith("partie test")
    assert report["n"] >= 300
    assert report["auc"] >= 0.95 and report["agreement"] >= 0.8
    assert sum(report["confusion"]["good"].values()) == report["labels"]["good"]
    assert {row["id"] for row in report["per_step"]} >= {"se-presenter", "negocier", "conclure"}
    assert report["per_objection"] and report["misses"]


def test_calibrate_an_external_labelled_file(tmp_path: Path) -> None:
    rows = [
        {"reply": "Bonjour, Claire Martin, du service crédit clients de Soléo Emballages.", "step": 1,
         "case": "leroy-premier-appel", "label": "good"},
        {"reply": "Si vous ne payez pas vendredi, je vous envoie l'huissier, c'est clair ?", "step": 7,
         "case": "leroy-premier-appel", "label": "poor"},
        {"reply": "x", "step": 42, "label": "poor"},
    ]
    path = tmp_path / "labelled.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    result = run("calibrate", "--labelled", str(path), "--json")
    report = json.loads(result.stdout)
    assert result.returncode == 1  # one row names a step that does not exist
    assert report["n"] == 2 and report["agreement"] == 1.0
    assert len(report["errors"]) == 1 and "étape 42" in report["errors"][0]
    path.write_text(json.dumps({"reply": "Bonjour", "label": "excellent"}) + "\n", encoding="utf-8")
    bad = run("calibrate", "--labelled", str(path))
    assert bad.returncode == 2 and "`label`" in bad.stderr and "Traceback" not in bad.stderr
