"""Property-based tests (Hypothesis) over what reads input from anyone: the YAML reader, the
validator, `score` and the reply-file reader. Whatever the input: never a traceback (a result,
problems, or a usage error), never a hang (a watchdog fails the example after 20 s), bounded
memory for the YAML reader, and nothing raw that drives the terminal."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import signal
import tempfile
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.cli import main
from simulator.commands.inputs import read_replies
from simulator.content.library import load_library
from simulator.content.yaml_source import load_yaml_bytes
from simulator.errors import UsageError
from simulator.textsafe import UNSAFE

pytestmark = pytest.mark.usefixtures("warm_pack_cache")

BASE_PACK = Path(__file__).parent / "content" / "fixtures" / "base"
YAML_CODES = {
    "file-too-large", "not-utf8", "control-character", "yaml-syntax", "empty-file", "too-many-values",
    "too-deep", "python-tag", "unknown-tag", "bad-scalar", "duplicate-key", "root-not-mapping",
}
HANG_SECONDS = 20
MEMORY_BOUND = 64 * 1024 * 1024


@contextmanager
def watchdog(seconds: int = HANG_SECONDS) -> Iterator[None]:
    """Fail (instead of hanging the suite) when one example runs longer than ``seconds``."""

    def expired(_signum: int, _frame: Any) -> None:
        raise TimeoutError(f"no answer after {seconds} s: a hang")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# --------------------------------------------------------------------------- strategies

YAML_TOKENS = [
    "kind: persona\n", "id: p-x\n", "name: x\n", "- ", "  ", "    ", "\t", "&a ", "*a", "&b ", "*b",
    "<<: *a\n", "<<: [*a, *b]\n", "!!python/object/apply:os.system ", "!!binary ", "!custom ", "!!str ",
    "{", "}", "[", "]", ", ", ": ", "? ", '"', "'", "\\e", "\\x00", "\\u202e", "|\n", ">-\n", "---\n",
    "...\n", "# c\n", "\n", "é", "\u202e", "\x1b", "\x00", "\ufeff", "9" * 40, ".nan", ".inf",
    "2026-02-30", "2026-11-23", "~", "null", "yes", "no", "0x1F", "0o17", "1_000", "%YAML 1.1\n",
    "%TAG ! tag:evil,2000:\n",
]
yaml_texts = st.lists(st.one_of(st.sampled_from(YAML_TOKENS), st.text(max_size=8)), max_size=60).map("".join)
raw_inputs = st.one_of(st.binary(max_size=2048), yaml_texts.map(lambda t: t.encode("utf-8", "surrogatepass")))

json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=30),
              st.sampled_from(["bonne-foi", "mod-a", "obj-a", "p1", "quiz-test", "se-presenter", "=1+1"])),
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(st.text(max_size=10), children, max_size=4)),
    max_leaves=12,
)

replies = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=300
) | st.sampled_from([
    "Bonjour, Claire Martin de Soléo Emballages, je souhaite parler à Martine Leroy.",
    "Je vous appelle au sujet de la facture FA-2026-0412 de 4 800 € échue le 15 octobre.",
    "Pouvez-vous régler 2 400 € par virement d'ici vendredi 20 novembre ?",
    "Si vous ne payez pas on vous envoie l'huissier !",
    "\x1b]0;PWNED\x07\x08\x00 \u202e",
])


def _plain(value: Any) -> bool:
    if isinstance(value, dict):
        return all(_plain(k) and _plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    return value is None or isinstance(value, str | int | float | bool | dt.date | dt.datetime)


# --------------------------------------------------------------------------- the YAML reader


@settings(max_examples=300)
@given(raw=raw_inputs)
def test_yaml_reader_returns_data_or_located_problems(raw: bytes) -> None:
    tracemalloc.start()
    try:
        with watchdog():
            document, problems = load_yaml_bytes(raw, "f.yaml")
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < MEMORY_BOUND
    assert (document is None) == bool(problems)
    for problem in problems:
        assert problem.code in YAML_CODES and problem.file == "f.yaml" and problem.line >= 0
    if document is not None:
        assert isinstance(document.data, dict) and _plain(document.data)


# --------------------------------------------------------------------------- the validator


def _nodes(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(value, dict):
        for key, child in value.items():
            found.extend(_nodes(child, (*path, key)))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found.extend(_nodes(child, (*path, index)))
    return found


def _mutate(document: Any, data: st.DataObject) -> Any:
    for _ in range(data.draw(st.integers(1, 4))):
        paths = [p for p in _nodes(document) if p]
        if not paths:
            return data.draw(json_values)
        path = data.draw(st.sampled_from(paths))
        parent = document
        for part in path[:-1]:
            parent = parent[part]
        action = data.draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "replace":
            parent[path[-1]] = data.draw(json_values)
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[data.draw(st.text(min_size=1, max_size=12))] = data.draw(json_values)
        else:
            parent.append(data.draw(json_values))
    return document


@settings(max_examples=60)
@given(data=st.data())
def test_validator_reports_problems_for_any_mutation_of_a_valid_pack(data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(sorted(p.name for p in BASE_PACK.glob("*.yaml"))))
    document = _mutate(yaml.safe_load((BASE_PACK / name).read_text(encoding="utf-8")), data)
    with tempfile.TemporaryDirectory() as folder:
        pack = Path(folder) / "pack"
        shutil.copytree(BASE_PACK, pack)
        (pack / name).write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
        with watchdog():
            library = load_library([pack], use_cache=False, strict=False)
    for problem in library.problems:
        assert problem.code and problem.message and problem.line >= 0
        assert Path(problem.file).name.endswith(".yaml")


# --------------------------------------------------------------------------- score


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@settings(max_examples=40)
@given(
    items=st.lists(
        st.fixed_dictionaries(
            {"reply": replies},
            optional={
                "step": st.one_of(st.integers(-2, 12), st.sampled_from(["se-presenter", "negocier", "x", ""])),
                "objection": st.sampled_from(["tresorerie-tendue", "facture-non-recue", "inconnue"]),
                "debtor": st.text(max_size=40),
            },
        ),
        min_size=1,
        max_size=4,
    )
)
def test_score_answers_every_reply_deterministically(items: list[dict[str, Any]],
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        batch = Path(folder) / "batch.jsonl"
        batch.write_text("".join(json.dumps(item) + "\n" for item in items), encoding="utf-8")
        with watchdog():
            code, out, err = _run(capsys, "score", "--batch", str(batch))
            again = _run(capsys, "score", "--batch", str(batch))
    assert (code, out, err) == again  # deterministic
    assert code in (0, 1) and "Traceback" not in err and not UNSAFE.search(out + err)
    lines = [json.loads(line) for line in out.splitlines()]
    assert len(lines) == len(items)
    for line in lines:
        assert "error" in line or 0 <= line["score"] <= 100


# --------------------------------------------------------------------------- reply files


@settings(max_examples=200)
@given(raw=st.one_of(st.binary(max_size=1024), yaml_texts.map(lambda t: t.encode("utf-8", "surrogatepass"))),
       suffix=st.sampled_from([".txt", ".yaml", ".yml", ".json", ""]))
def test_reply_reader_returns_replies_or_a_usage_error(raw: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"replies{suffix}"
        path.write_bytes(raw)
        with watchdog():
            try:
                found = read_replies(str(path))
            except UsageError as error:
                assert error.message and error.exit_code == 2
                return
    assert found and all(isinstance(r, str) and r.strip() for r in found)


@settings(max_examples=30)
@given(lines=st.lists(replies, min_size=1, max_size=12))
def test_call_plays_any_replies_and_keeps_them_as_typed(lines: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    text = "\n".join(lines) + "\n"
    expected = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "replies.txt"
        path.write_text(text, encoding="utf-8")
        with watchdog():
            code, out, err = _run(capsys, "call", "leroy-premier-appel", "--replies", str(path))
            code_json, document, _ = _run(capsys, "call", "leroy-premier-appel", "--replies", str(path), "--json")
    if not expected:
        assert code == 2 and "vide" in err
        return
    # 1: the call ended before the last replies, which `call` says (the transcript is still shown).
    assert code == code_json and (code == 0 or (code == 1 and "non jouée" in err)), err
    assert not UNSAFE.search(out + err + document)
    typed = [t["text"] for t in json.loads(document)["turns"] if t["speaker"] == "trainee"]
    assert typed and typed == expected[: len(typed)]
