"""`relance quiz`, `case-study` and `questionnaire` end to end, including every error path."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from simulator.cli import main

FIXTURE_PACK = str(Path(__file__).parent / "fixtures" / "pack")

GOOD_ANSWERS = """\
q-single: 3
q-multiple: [2, "Taux des pénalités de retard"]
q-vrai-faux: vrai
q-dso: 73 €
q-penalites: "119,84"
q-ordre: [Présentation, Rappel des faits, Écoute, Engagement]
q-paires:
  Je n'ai pas reçu la facture: Renvoyer la facture immédiatement
  Nous avons des difficultés: Proposer un échéancier
  Le chèque est parti: Demander la date et le numéro
q-texte: le DSO
"""


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "simulator", "--pack", FIXTURE_PACK, *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--pack", FIXTURE_PACK, *args])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out, captured.err


def write(tmp_path: Path, text: str, name: str = "reponses.yaml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


# ---------------------------------------------------------------- quiz --show


def test_show_lists_drawn_questions_with_ids_and_numbered_choices(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = cli(capsys, "quiz", "quiz-types", "--seed", "1", "--show")
    assert code == 0
    assert out.startswith(
        "Quiz « Un quiz avec chaque type de question » (quiz-types) — graine 1, 8 question(s)"
    )
    assert "1. [q-ordre] (classement) Remettez les étapes dans l'ordre." in out
    assert (
        "2. [q-penalites] (calcul) Facture de 12\u202f000\u00a0€ TTC, 30\u00a0jours de retard"
        in out
    )
    assert (
        "   1) 90 jours fin de mois\n   2) 60 jours après la commande\n   3) 30 jours après réception\n"
        in out
    )


def test_show_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "quiz", "quiz-types", "--seed", "1", "--show", "--json")
    assert code == 0
    data = json.loads(out)
    assert [q["id"] for q in data["questions"]][:2] == ["q-ordre", "q-penalites"]
    calculated = data["questions"][1]
    assert calculated["values"] == {
        "montant": "12\u202f000\u00a0€",
        "jours": "30\u00a0jours",
        "taux": "12,15\u00a0%",
    }
    assert data["questions"][5]["lefts"][0] == "Je n'ai pas reçu la facture"


def test_show_draw_depends_on_seed_only(capsys: pytest.CaptureFixture[str]) -> None:
    outs = [
        cli(capsys, "quiz", "quiz-examen", "--seed", str(s), "--show", "--json")[1]
        for s in (0, 0, 1, 2, 3)
    ]
    assert outs[0] == outs[1]
    assert len(set(outs)) >= 3


# ---------------------------------------------------------------- quiz --answers


def test_answers_text_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(
        capsys, "quiz", "quiz-types", "--seed", "1", "--answers", write(tmp_path, GOOD_ANSWERS)
    )
    assert code == 0
    assert "3. [q-dso] Créances 360 000 € TTC, CA 1 800 000 € TTC. DSO en jours ?" in out
    assert "Réponse non valide (à retaper) — 0 / 1 point(s)" in out
    assert "« 73 € » : la réponse s'exprime en jours." in out
    assert "Retour : Pénalités = 119,84\u00a0€" in out
    assert out.rstrip().endswith("Revoyez le module poste client si besoin.")
    assert "Résultat : 7 / 8 point(s) (87,5 %) — seuil 60 % : RÉUSSI" in out


def test_answers_json_is_byte_identical_across_runs(tmp_path: Path) -> None:
    answers = write(tmp_path, GOOD_ANSWERS)
    first = run("quiz", "quiz-types", "--seed", "1", "--answers", answers, "--json")
    second = run("quiz", "quiz-types", "--seed", "1", "--answers", answers, "--json")
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    data = json.loads(first.stdout)
    assert data["passed"] is True
    assert data["totals"] == {"raw": 7.0, "max": 8.0, "percent": 87.5}
    dso = data["questions"]["q-dso"]
    assert dso["status"] == "invalid" and dso["correct"] is False and dso["score"] == 0
    assert dso["response"] == "73 €" and "jours" in dso["message"]
    single = data["questions"]["q-single"]
    assert single["correct"] is True and single["feedback"] == [
        "Oui, article L441-10.",
        "Délai supplétif de 30 jours.",
    ]
    assert set(single) >= {
        "response",
        "correct",
        "score",
        "feedback",
        "status",
        "expected",
        "message",
    }


def test_failed_quiz_still_exits_0_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = cli(capsys, "quiz", "quiz-types", "--answers", write(tmp_path, "q-single: 1\n"))
    assert code == 0
    assert "NON RÉUSSI" in out
    assert out.count("Sans réponse") == 7


def test_json_answers_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, json.dumps({"q-dso": 73, "q-vrai-faux": True}), "r.json")
    code, out, _ = cli(capsys, "quiz", "quiz-types", "--answers", path, "--json")
    data = json.loads(out)
    assert (
        code == 0
        and data["questions"]["q-dso"]["correct"]
        and data["questions"]["q-vrai-faux"]["correct"]
    )


@pytest.mark.parametrize(
    ("answers", "question"),
    [
        ("q-single: {a: 1}\n", "q-single"),
        ("q-dso: [1, 2]\n", "q-dso"),
        ("q-dso: 2025-10-31\n", "q-dso"),  # a YAML date
        ("q-dso: .nan\n", "q-dso"),
        ("q-ordre: Présentation\n", "q-ordre"),
        ("q-paires: [a, b]\n", "q-paires"),
        ("q-vrai-faux: peut-être\n", "q-vrai-faux"),
        ("q-texte: ''\n", "q-texte"),
    ],
)
def test_wrong_types_are_invalid_per_question_not_crashes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], answers: str, question: str
) -> None:
    code, out, _ = cli(
        capsys, "quiz", "quiz-types", "--answers", write(tmp_path, answers), "--json"
    )
    assert code == 0
    entry = json.loads(out)["questions"][question]
    assert entry["status"] == "invalid" and entry["message"]


# ---------------------------------------------------------------- usage errors (exit 2)

USAGE_ERRORS = [
    ("missing-file", None, "introuvable"),
    ("empty", "", "vide"),
    ("comments-only", "# rien\n", "vide"),
    ("bad-yaml", "q-dso: [73\n", "illisible"),
    ("tab-indent", "q-paires:\n\ta: b\n", "illisible"),
    ("root-list", "- 73\n", "associer chaque identifiant"),
    ("root-scalar", "73\n", "associer chaque identifiant"),
    ("python-tag", "q-dso: !!python/object/apply:os.system ['ls']\n", "illisible"),
    ("unknown-id", "q-ds: 73\n", "`q-ds` inconnu"),
    ("bool-key", "yes: 3\n", "clé `true` invalide"),
    ("not-utf8", b"q-dso: \xff\n", "illisible"),
]


@pytest.mark.parametrize(
    ("name", "content", "message"), USAGE_ERRORS, ids=[c[0] for c in USAGE_ERRORS]
)
def test_answers_file_usage_errors_exit_2(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    content: str | bytes | None,
    message: str,
) -> None:
    path = tmp_path / "r.yaml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    code, out, err = cli(capsys, "quiz", "quiz-types", "--answers", str(path))
    assert code == 2
    assert out == ""
    assert err.startswith("relance: erreur : ") and message in err


def test_answers_path_is_a_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(capsys, "quiz", "quiz-types", "--answers", str(tmp_path))
    assert code == 2 and "est un dossier" in err


def test_unknown_question_id_suggests(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, _, err = cli(capsys, "quiz", "quiz-types", "--answers", write(tmp_path, "q-ds: 73\n"))
    assert "vouliez-vous dire `q-dso` ?" in err


def test_huge_answers_file_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("q-texte: " + "a" * (1024 * 1024 + 10) + "\n", encoding="utf-8")
    code, _, err = cli(capsys, "quiz", "quiz-types", "--answers", str(path))
    assert code == 2 and "trop volumineux" in err


def test_question_not_drawn_with_this_seed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = cli(
        capsys, "quiz", "quiz-examen", "--seed", "0", "--answers", write(tmp_path, "e1: vrai\n")
    )
    assert code == 2
    assert "n'est pas tirée avec la graine 0" in err and "--show" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["quiz", "quiz-typs", "--show"], "vouliez-vous dire `quiz-types`"),
        (["quiz", "quiz-types"], "--answers FICHIER ou --show"),
        (["quiz", "quiz-types", "--show", "--answers", "x.yaml"], "s'excluent"),
        (["case-study", "etude-dos", "--show"], "vouliez-vous dire `etude-dso`"),
        (["questionnaire", "autoeval", "--answers", "x.yaml"], "introuvable"),
    ],
)
def test_command_usage_errors(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, _, err = cli(capsys, *args)
    assert code == 2 and message in err


def test_bad_seed_is_an_argparse_error() -> None:
    result = run("quiz", "quiz-types", "--show", "--seed", "abc")
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_exam_quiz_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    answers = write(tmp_path, "e2: faux\ne3: vrai\ne5: 40 €\n")
    code, out, _ = cli(capsys, "quiz", "quiz-examen", "--seed", "0", "--answers", answers, "--json")
    data = json.loads(out)
    assert code == 0 and data["mode"] == "exam" and data["passed"] is True
    assert data["totals"]["percent"] == 100.0


# ---------------------------------------------------------------- case study


def test_case_study_show(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "case-study", "etude-dso", "--seed", "3", "--show")
    assert code == 0
    assert "Étude de cas « DSO et pénalités de la société Martin » (etude-dso) — graine 3" in out
    assert "| Créances clients TTC | 400\u202f000\u00a0€" in out
    assert "1. [dso] Calculez le DSO (méthode comptable) en jours. (en jours)" in out
    data = json.loads(cli(capsys, "case-study", "etude-dso", "--seed", "3", "--show", "--json")[1])
    assert data["tables"][0]["rows"][1] == ["CA TTC", "1\u202f440\u202f000\u00a0€"]


def test_case_study_answers_with_worked_solution(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = write(tmp_path, "dso: '101,4 jours'\npenalites: 179,75 %\n")
    code, out, _ = cli(capsys, "case-study", "etude-dso", "--seed", "3", "--answers", answers)
    assert code == 0
    assert (
        "| DSO = 400\u202f000\u00a0€ / 1\u202f440\u202f000\u00a0€ × 365 = 101,4\u00a0jours" in out
    )
    assert "Réponse non valide (à retaper)" in out
    assert "Résultat : 1 / 2 point(s) (50 %) — seuil 60 % : NON RÉUSSI" in out
    first = run("case-study", "etude-dso", "--seed", "3", "--answers", answers, "--json")
    second = run("case-study", "etude-dso", "--seed", "3", "--answers", answers, "--json")
    assert first.returncode == 0 and first.stdout == second.stdout
    data = json.loads(first.stdout)
    assert data["questions"]["dso"]["correct"] is True
    assert data["questions"]["penalites"]["status"] == "invalid"
    assert data["questions"]["dso"]["solution"][0].startswith("CA TTC = ")


def test_case_study_unknown_question(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(capsys, "case-study", "etude-dso", "--answers", write(tmp_path, "dos: 73\n"))
    assert code == 2 and "vouliez-vous dire `dso`" in err


# ---------------------------------------------------------------- questionnaire

BEFORE = "i-dso-calcul: 2\ni-dso-lire: 1\ni-penalites: 3\n"
AFTER = (
    "i-dso-calcul: 4\ni-dso-lire: 5\ni-penalites: 4\n"
    "free_text: Vérifier l'échéance avant d'appeler.\n"
)


def test_questionnaire_before(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(
        capsys, "questionnaire", "autoeval-poste-client", "--answers", write(tmp_path, BEFORE)
    )
    assert code == 0
    assert "positionnement (avant)" in out
    assert "  1,5/5  Calculer et interpréter un DSO — Peu maîtrisé" in out


def test_questionnaire_progress(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = write(tmp_path, BEFORE, "avant.yaml")
    after = write(tmp_path, AFTER, "apres.yaml")
    args = [
        "questionnaire",
        "autoeval-poste-client",
        "--answers",
        after,
        "--phase",
        "after",
        "--before",
        before,
    ]
    code, out, _ = cli(capsys, *args)
    assert code == 0
    assert (
        "Calculer et interpréter un DSO : 1,5 → 4,5 (+3) — Peu maîtrisé → Parfaitement maîtrisé"
        in out
    )
    assert "Ce que je retiens : Vérifier l'échéance avant d'appeler." in out
    code, out, _ = cli(capsys, *args, "--json")
    data = json.loads(out)
    assert data["phase"] == "after" and data["ratings"]["i-dso-lire"] == 5
    assert data["progress"][0] == {
        "objective": "obj-dso",
        "before": 1.5,
        "after": 4.5,
        "delta": 3.0,
        "before_label": "Peu maîtrisé",
        "after_label": "Parfaitement maîtrisé",
        "text": "Calculer et interpréter un DSO",
    }


@pytest.mark.parametrize(
    ("answers", "extra", "message"),
    [
        ("i-dso-calcul: 6\ni-dso-lire: 1\ni-penalites: 3\n", [], "n'est pas une note valide"),
        ("i-dso-calcul: 2.5\ni-dso-lire: 1\ni-penalites: 3\n", [], "n'est pas une note valide"),
        ("i-dso-calcl: 2\ni-dso-lire: 1\ni-penalites: 3\n", [], "vouliez-vous dire `i-dso-calcul`"),
        ("i-dso-lire: 1\n", [], "sans note"),
        (BEFORE + "free_text: [a]\n", [], "doit être un texte"),
        (BEFORE, ["--before", "x.yaml"], "--phase after"),
    ],
)
def test_questionnaire_errors_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], answers: str, extra: list[str], message: str
) -> None:
    code, out, err = cli(
        capsys,
        "questionnaire",
        "autoeval-poste-client",
        "--answers",
        write(tmp_path, answers),
        *extra,
    )
    assert code == 2 and out == "" and message in err
