"""`relance validate`, `schema`, `list`, `locate` as a trainer or a script uses them."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from simulator.cli import main

FIXTURES = Path(__file__).parent / "content" / "fixtures"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "simulator", *args], capture_output=True, text=True, timeout=120
    )


def test_validate_bundled_packs_is_clean() -> None:
    result = run("validate")
    assert result.returncode == 0, result.stdout + result.stderr
    # Success is reported on stdout, naming each pack checked with its counts.
    lines = result.stdout.splitlines()
    assert any(line.startswith("pack relance-appels (") and "dossier(s)" in line and line.endswith("OK") for line in lines)
    assert any(line.startswith("pack relance-quiz (") and "quiz" in line for line in lines)
    assert lines[-1].startswith("OK : 2 pack(s)")
    assert not any(" error " in line or " warning " in line for line in lines)


def test_validate_reports_problems_with_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(FIXTURES / "base", pack)
    shutil.copy(FIXTURES / "bad" / "unknown-key.yaml", pack)
    assert main(["validate", str(pack)]) == 1
    out = [line for line in capsys.readouterr().out.splitlines() if " error " in line]
    assert len(out) == 1
    assert out[0].endswith(
        "unknown-key.yaml:5:1: error unknown-key: clé `dificulty` inconnue [dificulty] "
        "(vouliez-vous dire `difficulty` ?)"
    )


def test_validate_json_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(FIXTURES / "base", pack)
    shutil.copy(FIXTURES / "bad" / "duplicate-key.yaml", pack)
    assert main(["validate", "--format", "json", str(pack)]) == 1
    records = [r for r in json.loads(capsys.readouterr().out) if r["severity"] == "error"]
    assert len(records) == 1
    record = records[0]
    assert record["code"] == "duplicate-key" and record["line"] == 5 and record["column"] == 1
    assert record["file"].endswith("duplicate-key.yaml")
    assert set(record) >= {"file", "line", "column", "path", "object_id", "code", "message", "hint"}


def test_validate_usage_errors_exit_2() -> None:
    assert run("validate", "/does/not/exist").returncode == 2
    assert run("validate", "--format", "xml").returncode == 2
    assert run("frobnicate").returncode == 2


def test_schema_to_stdout_and_file(tmp_path: Path) -> None:
    result = run("schema")
    assert result.returncode == 0
    schema = json.loads(result.stdout)
    assert schema["$schema"].endswith("2020-12/schema")
    out = tmp_path / "s.json"
    assert run("schema", "-o", str(out)).returncode == 0
    assert json.loads(out.read_text()) == schema
    assert run("schema", "-o", str(tmp_path / "missing" / "dir" / "s.json")).returncode == 2


@pytest.mark.parametrize(
    "kind", ["packs", "personas", "cases", "objections", "quizzes", "case-studies", "questionnaires"]
)
def test_list_json_has_id_and_title(kind: str) -> None:
    result = run("list", kind, "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert rows, f"no {kind} in the bundled packs"
    for row in rows:
        assert row["id"] and row["title"]
    if kind == "packs":
        assert all(row["hash"].startswith("sha256:") and row["version"] and row["language"] for row in rows)
    if kind == "quizzes":
        assert all(row["questions"] >= 1 for row in rows)
    if kind == "objections":
        assert all(row["phrasings"] for row in rows)


def test_list_text_and_unknown_kind() -> None:
    result = run("list", "personas")
    assert result.returncode == 0 and result.stdout.strip()
    assert run("list", "people").returncode == 2


def test_locate_respects_relance_home(relance_home: Path) -> None:
    result = run("locate", "--json")
    paths = json.loads(result.stdout)
    assert paths["data"].startswith(str(relance_home))
    assert paths["cache"].startswith(str(relance_home))
