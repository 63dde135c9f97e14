"""Packs built to hurt: special files, huge devices, ids that shadow a dependency's, self-dependency.

Every check goes through `relance validate` in a child process with a time and memory bound, so a
regression shows as a failed test (a hang or an exploding read), never as a stuck suite.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
BUNDLED_PERSONA = Path(__file__).resolve().parents[2] / "cases" / "personas" / "thierry-masson.yaml"


def _limit_memory() -> None:
    # 1.5 GiB of address space: far above what validating a small pack takes, far below
    # what reading /dev/zero "to the end" would.
    resource.setrlimit(resource.RLIMIT_AS, (1536 * 1024 * 1024, 1536 * 1024 * 1024))


def validate(*args: str, timeout: float = 60) -> tuple[int, list[dict[str, object]]]:
    result = subprocess.run(
        [sys.executable, "-m", "simulator", "validate", "--format", "json", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
        preexec_fn=_limit_memory,
    )
    assert "Traceback" not in result.stderr, result.stderr
    # Warnings (a case without golden transcripts…) are not what these tests are about.
    problems = [p for p in json.loads(result.stdout or "[]") if p.get("severity") != "warning"]
    return result.returncode, problems


def _base(tmp_path: Path, name: str = "pack") -> Path:
    """The base fixture pack, without its golden transcripts (these tests are about files and ids)."""
    pack = tmp_path / name
    shutil.copytree(FIXTURES / "base", pack, ignore=shutil.ignore_patterns("golden-*.yaml"))
    return pack


@pytest.mark.parametrize("name", ["fifo.yaml", "pack.yaml"])
def test_a_fifo_is_a_located_problem_not_a_hang(tmp_path: Path, name: str) -> None:
    pack = _base(tmp_path)
    (pack / name).unlink(missing_ok=True)
    os.mkfifo(pack / name)
    code, problems = validate(str(pack), timeout=30)
    assert code == 1
    mine = [p for p in problems if str(p["file"]).endswith(name)]
    assert [p["code"] for p in mine] == ["not-regular-file"]
    assert "FIFO" in str(mine[0]["message"])


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_symlink_to_an_endless_device_is_refused_without_reading_it(tmp_path: Path, device: str) -> None:
    pack = _base(tmp_path)
    (pack / "endless.yaml").symlink_to(device)
    code, problems = validate(str(pack), timeout=30)
    assert code == 1
    assert [(Path(str(p["file"])).name, p["code"]) for p in problems] == [("endless.yaml", "not-regular-file")]


def test_a_big_regular_file_is_refused_from_its_size(tmp_path: Path) -> None:
    pack = _base(tmp_path)
    with (pack / "big.yaml").open("wb") as handle:
        handle.truncate(3 * 1024 * 1024)  # sparse: 3 MiB of zeros
    code, problems = validate(str(pack))
    assert code == 1
    assert [p["code"] for p in problems] == ["file-too-large"]
    assert "3.00 Mio" in str(problems[0]["message"])


def test_dangling_and_looping_symlinks_are_unreadable_files(tmp_path: Path) -> None:
    pack = _base(tmp_path)
    (pack / "dangling.yaml").symlink_to(tmp_path / "nowhere.yaml")
    (pack / "loop.yaml").symlink_to(pack / "loop.yaml")
    code, problems = validate(str(pack))
    assert code == 1
    assert sorted((Path(str(p["file"])).name, p["code"]) for p in problems) == [
        ("dangling.yaml", "unreadable"),
        ("loop.yaml", "unreadable"),
    ]


def test_a_symlink_to_a_regular_file_is_read(tmp_path: Path) -> None:
    pack = _base(tmp_path)
    shared = tmp_path / "shared-quiz.yaml"
    (pack / "quiz.yaml").rename(shared)
    (pack / "quiz.yaml").symlink_to(shared)
    assert validate(str(pack)) == (0, [])


def _dependent_pack(tmp_path: Path, depends: str = "[relance-appels]") -> Path:
    pack = tmp_path / "mine"
    pack.mkdir()
    (pack / "pack.yaml").write_text(
        f"kind: pack\nid: mon-pack\ntitle: Mon pack\nversion: '1.0'\ndepends: {depends}\n", encoding="utf-8"
    )
    return pack


def test_a_persona_reusing_a_dependency_id_is_an_error(tmp_path: Path) -> None:
    pack = _dependent_pack(tmp_path)
    shutil.copy(BUNDLED_PERSONA, pack / "copie.yaml")
    code, problems = validate(str(pack))
    assert code == 1
    assert len(problems) == 1
    problem = problems[0]
    assert problem["code"] == "shadowed-id"
    assert str(problem["file"]).endswith("copie.yaml")
    assert problem["line"] > 0 and problem["object_id"] == "thierry-masson"
    assert "pack requis `relance-appels`" in str(problem["message"])
    # The listing no longer shows two of them: the pack does not load at all.
    listing = subprocess.run(
        [sys.executable, "-m", "simulator", "list", "personas", "--json", "--pack", str(pack)],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert listing.returncode == 1 and "shadowed-id" in listing.stderr


def test_a_quiz_reusing_an_id_of_another_loaded_pack_is_an_error(tmp_path: Path) -> None:
    first = _base(tmp_path)
    second = _base(tmp_path, "second")
    manifest = (second / "pack.yaml").read_text(encoding="utf-8").replace("id: base-test", "id: autre-pack")
    manifest = manifest.replace("id: mod-a", "id: mod-b").replace("id: obj-a", "id: obj-b")
    (second / "pack.yaml").write_text(manifest, encoding="utf-8")
    for name in ("case.yaml", "method.yaml", "objection.yaml", "persona.yaml"):
        (second / name).unlink()
    quiz = (second / "quiz.yaml").read_text(encoding="utf-8").replace("module: mod-a", "module: mod-b")
    (second / "quiz.yaml").write_text(quiz, encoding="utf-8")
    code, problems = validate(str(first), str(second))
    assert code == 1
    assert [(p["code"], p["object_id"]) for p in problems] == [("shadowed-id", "quiz-test")]
    assert "second" in str(problems[0]["file"]) and "chargé en même temps" in str(problems[0]["message"])


def test_a_pack_depending_on_itself_is_an_error(tmp_path: Path) -> None:
    pack = _dependent_pack(tmp_path, "[relance-appels, mon-pack]")
    code, problems = validate(str(pack))
    assert code == 1
    assert [(p["code"], p["line"], p["path"]) for p in problems] == [("self-dependency", 5, "depends[1]")]


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_special_scorer_weights_file_is_a_problem_not_a_hang(tmp_path: Path, kind: str) -> None:
    pack = _base(tmp_path)
    weights = pack / "scorer" / "weights.json"
    weights.parent.mkdir()
    if kind == "fifo":
        os.mkfifo(weights)
    else:
        weights.symlink_to("/dev/zero")
    code, problems = validate(str(pack), timeout=30)
    assert code == 1
    assert [(Path(str(p["file"])).name, p["code"]) for p in problems] == [("weights.json", "not-regular-file")]
