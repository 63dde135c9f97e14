"""Text that reaches a terminal never drives it: replies, names and file names with ESC, OSC,
BEL, BS, NUL or bidi overrides are shown, not obeyed; what is stored keeps the text as typed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from simulator.cli import main
from simulator.textsafe import UNSAFE, pictures, visible

HOSTILE = "Bonjour \x1b]0;PWNED\x07 madame\x1b[31m Leroy\x08\x08\x00 \u202eEDCBA \x9b2J fin"
RAW_BYTES = [b"\x1b", b"\x07", b"\x08", b"\x00", "\u202e".encode(), "\x9b".encode()]


def relance(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "simulator", *args],
        capture_output=True,
        check=False,
        input=stdin.encode() if stdin is not None else None,
        timeout=120,
    )


def assert_no_raw_controls(data: bytes) -> None:
    for raw in RAW_BYTES:
        assert raw not in data, (raw, data[:400])


def test_visible_and_pictures() -> None:
    assert visible(HOSTILE) == (
        "Bonjour \\u001b]0;PWNED\\u0007 madame\\u001b[31m Leroy\\u0008\\u0008\\u0000 \\u202eEDCBA \\u009b2J fin"
    )
    assert pictures(HOSTILE) == "Bonjour ␛]0;PWNED␇ madame␛[31m Leroy␈␈␀ \ufffdEDCBA \ufffd2J fin"
    assert len(pictures(HOSTILE)) == len(HOSTILE)
    assert visible("é\tà\n€ « ok »") == "é\tà\n€ « ok »"
    assert not UNSAFE.search(visible(HOSTILE)) and not UNSAFE.search(pictures(HOSTILE))


def test_call_with_a_hostile_reply_file_shows_the_controls(tmp_path: Path) -> None:
    replies = tmp_path / "replies.txt"
    replies.write_text(HOSTILE + "\nJe vous appelle au sujet de la facture\n", encoding="utf-8")
    result = relance("call", "leroy-premier-appel", "--replies", str(replies))
    assert result.returncode == 0, result.stderr
    assert_no_raw_controls(result.stdout + result.stderr)
    assert "Vous     : Bonjour \\u001b]0;PWNED\\u0007 madame\\u001b[31m" in result.stdout.decode()


def test_call_json_and_record_keep_the_reply_as_typed(tmp_path: Path, relance_home: Path) -> None:
    replies = tmp_path / "replies.txt"
    replies.write_text(HOSTILE + "\n", encoding="utf-8")
    result = relance("call", "leroy-premier-appel", "--replies", str(replies), "--json")
    assert result.returncode == 0
    assert_no_raw_controls(result.stdout)
    document = json.loads(result.stdout)
    typed = [turn["text"] for turn in document["turns"] if turn["speaker"] == "trainee"]
    assert typed == [HOSTILE]


def test_reply_on_standard_input_and_score(tmp_path: Path) -> None:
    result = relance("call", "leroy-premier-appel", "--replies", "-", stdin=HOSTILE + "\n")
    assert result.returncode == 0
    assert_no_raw_controls(result.stdout + result.stderr)
    argument = HOSTILE.replace("\x00", "")  # a command-line argument cannot hold NUL
    result = relance("score", "--reply", argument + " facture FA-2026-0412", "--step", "4")
    assert result.returncode == 0
    assert_no_raw_controls(result.stdout + result.stderr)
    result = relance("score", "--reply", argument, "--json")
    assert result.returncode == 0
    assert_no_raw_controls(result.stdout)
    assert json.loads(result.stdout)["score"] >= 0


def test_a_hostile_file_name_in_an_error_is_shown_not_obeyed(tmp_path: Path) -> None:
    name = tmp_path / "r\x1b]0;PWNED\x07.txt"
    result = relance("call", "leroy-premier-appel", "--replies", str(name))
    assert result.returncode == 2
    assert_no_raw_controls(result.stderr)
    assert "\\u001b]0;PWNED\\u0007" in result.stderr.decode()


def test_names_in_listings_are_shown_not_obeyed(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["trainee", "add", "--nom", "Leroy\x1b[2J", "--prenom", "Eve\x07", "--organisation", "X\x00"]) == 0
    assert main(["trainee", "list"]) == 0
    out = capsys.readouterr().out
    assert not UNSAFE.search(out)
    assert "Eve\\u0007 Leroy\\u001b[2J" in out
    assert main(["trainee", "list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["nom"] == "Leroy\x1b[2J" and rows[0]["organisation"] == "X\x00"


def test_a_csv_export_piped_to_a_file_keeps_the_data(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["trainee", "add", "--nom", "Leroy\x1b[2J", "--prenom", "Eve", "--organisation", "X", "--use"]) == 0
    replies = tmp_path / "r.txt"
    replies.write_text("Bonjour\n", encoding="utf-8")
    assert main(["call", "leroy-premier-appel", "--replies", str(replies), "--record"]) == 0
    capsys.readouterr()
    out = tmp_path / "export.csv"
    assert main(["export", "-o", str(out)]) == 0
    assert "Leroy\x1b[2J" in out.read_text(encoding="utf-8")
