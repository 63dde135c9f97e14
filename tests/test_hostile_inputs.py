"""The hostile inputs of the robustness probe, kept as regression fixtures (tests/fixtures/hostile).

Each reply file goes through `relance call`, each pack file through `relance validate` inside an
otherwise valid pack: a clear outcome (played, or a usage error / located problem), never a
traceback, nothing raw that drives the terminal. The big ones are made here rather than stored.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from simulator.cli import main
from simulator.commands.inputs import MAX_INPUT_BYTES
from simulator.content.library import load_library
from simulator.textsafe import UNSAFE

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
BASE_PACK = Path(__file__).parent / "content" / "fixtures" / "base"
REPLY_FILES = sorted((HOSTILE / "replies").iterdir())
PACK_FILES = sorted((HOSTILE / "pack-files").iterdir())
CASE = "leroy-premier-appel"


pytestmark = pytest.mark.usefixtures("warm_pack_cache")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_shown_safely(*texts: str) -> None:
    for text in texts:
        assert "Traceback" not in text
        found = UNSAFE.search(text)
        assert found is None, f"raw U+{ord(found.group()):04X} sent to the terminal"


def test_the_corpus_is_there() -> None:
    assert len(REPLY_FILES) >= 40 and len(PACK_FILES) >= 30


@pytest.mark.parametrize("path", REPLY_FILES, ids=[p.name for p in REPLY_FILES])
def test_hostile_reply_file(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "call", CASE, "--replies", str(path))
    assert code in (0, 1, 2), err
    assert_shown_safely(out, err)
    if code == 2:
        assert err.startswith("relance: erreur : ") and out == ""
    else:
        # 1: the call ended before the last replies (said, with the transcript shown).
        assert code == 0 or "non jouée" in err
        assert out.startswith("Dossier : ") and "Note globale" in out
        again, out, _ = run(capsys, "call", CASE, "--replies", str(path), "--json")
        assert again == code
        assert_shown_safely(out)
        json.loads(out)  # still valid JSON, text kept as typed


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("very-long-line.txt", ("Je vous appelle au sujet de la facture FA-2026-0412 " * 6000) + "\n", 0),
        ("many-lines.txt", "".join(f"Bonjour {i}\n" for i in range(40000)), 1),  # most never played
        ("long-string.json", json.dumps(["Bonjour madame " * 40000]), 0),
        ("oversize.txt", "x" * (MAX_INPUT_BYTES + 1), 2),
    ],
    ids=["very-long-line", "many-lines", "long-string", "oversize"],
)
def test_big_reply_files(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: str,
                         code: int) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    result, _out, err = run(capsys, "call", CASE, "--replies", str(path))
    assert result == code, err
    assert_shown_safely(err)
    if code == 2:
        assert "trop volumineux" in err
    if code == 1:
        assert "non jouée" in err


@pytest.mark.parametrize("path", PACK_FILES, ids=[p.name for p in PACK_FILES])
def test_hostile_pack_file(path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(BASE_PACK, pack)
    shutil.copy(path, pack / path.name)
    problems = load_library([pack], use_cache=False, strict=False).errors
    assert problems, "a hostile file must be a problem"
    assert all(Path(p.file).name == path.name for p in problems), [p.format() for p in problems]
    assert all(p.code and p.message and len(p.message) < 400 for p in problems)
    code, out, err = run(capsys, "validate", str(pack))
    assert code == 1
    assert_shown_safely(out, err)
