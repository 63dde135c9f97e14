"""One malformed fixture per failure mode: the problem names the file, the line and the code."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from simulator.content.library import load_library
from simulator.content.problems import Problem

FIXTURES = Path(__file__).parent / "fixtures"

# (fixture, expected line, expected code, expected hint fragment or "")
CASES = [
    ("yaml-syntax.yaml", 3, "yaml-syntax", "guillemets"),
    ("python-tag.yaml", 3, "python-tag", ""),
    ("unknown-tag.yaml", 5, "unknown-tag", ""),
    ("billion-laughs.yaml", 7, "too-many-values", ""),
    ("not-utf8.yaml", 3, "not-utf8", "UTF-8"),
    ("control-character.yaml", 3, "control-character", ""),
    ("escaped-control.yaml", 3, "control-character", "séquence"),
    ("empty.yaml", 0, "empty-file", ""),
    ("comments-only.yaml", 0, "empty-file", ""),
    ("root-list.yaml", 1, "root-not-mapping", ""),
    ("wrong-type.yaml", 6, "wrong-type", ""),
    ("out-of-range.yaml", 5, "out-of-range", ""),
    ("negative-amount.yaml", 9, "out-of-range", ""),
    ("unknown-enum.yaml", 4, "unknown-value", "`bonne-foi`"),
    ("unknown-key.yaml", 5, "unknown-key", "`difficulty`"),
    ("duplicate-key.yaml", 5, "duplicate-key", "ligne 3"),
    ("missing-key.yaml", 1, "missing-key", ""),
    ("unknown-kind.yaml", 1, "unknown-kind", "`persona`"),
    ("unknown-reference.yaml", 6, "unknown-reference", "`cheque-parti`"),
    ("bad-pattern.yaml", 10, "bad-pattern", ""),
    ("nested-quantifier.yaml", 10, "nested-quantifier", "une seule fois"),
    ("bad-id.yaml", 2, "bad-format", "`tresorerie-tendue`"),
    ("bad-date.yaml", 5, "bad-scalar", ""),
    ("too-deep.yaml", 1, "too-deep", ""),
    ("yes-no-key.yaml", 10, "wrong-type", "guillemets"),
]


def _pack_with(tmp_path: Path, *extra: Path) -> Path:
    pack = tmp_path / "pack"
    shutil.copytree(FIXTURES / "base", pack)
    for path in extra:
        shutil.copy(path, pack / path.name)
    return pack


def _problems(pack: Path) -> list[Problem]:
    return list(load_library([pack], use_cache=False, strict=False).problems)


def test_base_pack_is_clean(tmp_path: Path) -> None:
    assert _problems(_pack_with(tmp_path)) == []


@pytest.mark.parametrize(("fixture", "line", "code", "hint"), CASES, ids=[c[0] for c in CASES])
def test_bad_fixture_is_reported_with_file_line_and_code(
    tmp_path: Path, fixture: str, line: int, code: str, hint: str
) -> None:
    problems = _problems(_pack_with(tmp_path, FIXTURES / "bad" / fixture))
    assert len(problems) == 1, [p.format() for p in problems]
    problem = problems[0]
    assert Path(problem.file).name == fixture
    assert problem.line == line
    assert problem.code == code
    assert hint in problem.hint
    assert problem.severity == "error"
    # The one-line format is what trainers read.
    assert problem.format().startswith(problem.file)
    assert f" error {code}: " in problem.format()


def test_duplicate_id_names_both_files(tmp_path: Path) -> None:
    problems = _problems(_pack_with(tmp_path, FIXTURES / "bad" / "duplicate-id.yaml"))
    assert [p.code for p in problems] == ["duplicate-id"]
    text = problems[0].format()
    assert "duplicate-id.yaml" in text and "persona.yaml" in text
    assert problems[0].line == 2


def test_file_over_size_limit_is_refused(tmp_path: Path) -> None:
    from simulator.content.yaml_source import MAX_FILE_BYTES

    pack = _pack_with(tmp_path)
    big = pack / "huge.yaml"
    line = "# " + "x" * 98 + "\n"
    big.write_text("kind: persona\nid: huge\n" + line * (MAX_FILE_BYTES // len(line) + 10))
    problems = _problems(pack)
    assert [(Path(p.file).name, p.code) for p in problems] == [("huge.yaml", "file-too-large")]


def test_all_problems_of_one_file_are_collected(tmp_path: Path) -> None:
    pack = _pack_with(tmp_path)
    (pack / "many.yaml").write_text(
        "kind: persona\n"
        "id: p3\n"
        "type: bonne-fois\n"  # unknown value
        "difficulty: 9\n"  # out of range
        "colour: bleu\n"  # unknown key
        "traits: {patience: 0}\n"  # out of range
    )
    problems = _problems(pack)
    found = sorted((p.line, p.code) for p in problems)
    assert found == [
        (1, "missing-key"),  # name
        (3, "unknown-value"),
        (4, "out-of-range"),
        (5, "unknown-key"),
        (6, "out-of-range"),
    ]
    assert all(p.object_id == "p3" for p in problems)


def test_problems_in_several_files_are_all_reported(tmp_path: Path) -> None:
    bad = FIXTURES / "bad"
    pack = _pack_with(tmp_path, bad / "unknown-key.yaml", bad / "python-tag.yaml", bad / "empty.yaml")
    names = sorted(Path(p.file).name for p in _problems(pack))
    assert names == ["empty.yaml", "python-tag.yaml", "unknown-key.yaml"]


def test_missing_manifest_and_missing_folder(tmp_path: Path) -> None:
    (tmp_path / "nopack").mkdir()
    (tmp_path / "nopack" / "persona.yaml").write_text("kind: persona\nid: x\nname: X\ntype: bonne-foi\n")
    codes = [p.code for p in _problems(tmp_path / "nopack")]
    assert codes == ["missing-manifest"]
    codes = [p.code for p in _problems(tmp_path / "nowhere")]
    assert codes == ["pack-not-found"]


def test_python_tag_is_never_executed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    pack = _pack_with(tmp_path)
    (pack / "evil.yaml").write_text(
        f'kind: persona\nid: evil\nname: !!python/object/apply:os.system ["touch {marker}"]\ntype: bonne-foi\n'
    )
    assert [p.code for p in _problems(pack)] == ["python-tag"]
    assert not marker.exists()


def test_broken_reference_in_case_suggests_the_persona(tmp_path: Path) -> None:
    pack = _pack_with(tmp_path)
    text = (pack / "case.yaml").read_text().replace("persona: paul-test", "persona: paul-tset")
    (pack / "case.yaml").write_text(text)
    problems = _problems(pack)
    assert [(Path(p.file).name, p.line, p.code) for p in problems] == [("case.yaml", 4, "unknown-reference")]
    assert "`paul-test`" in problems[0].hint


@pytest.mark.parametrize(
    ("text", "line", "column", "said"),
    [
        # The quote opened on line 4 runs to the end of the file: the parser stops at the end,
        # the trainer must look where the quote opens.
        ('kind: persona\nid: p\nlines:\n  evasive: ["Je vais voir\n  agree: ["Oui."]\n\n\n', 4, 13, "guillemet ouvert ici"),
        ('kind: persona\nid: p\nlines:\n  evasive:\n    - "Je vais voir\n  agree: ["Oui."]\n\n\n', 5, 7, "guillemet ouvert ici"),
        ("kind: persona\nid: p\nname: 'Sophie\ntype: bonne-foi\n", 3, 7, "guillemet ouvert ici"),
        ("kind: persona\nid: p\ntraits: {patience: 3\nname: x\n", 3, 9, "`{`"),
        ("kind: persona\nid: p\nlines:\n\tevasive: x\n", 4, 1, "tabulation"),
        ("kind: persona\nid: p\nname: x\n---\nid: q\n", 4, 1, "plusieurs documents"),
    ],
)
def test_syntax_errors_are_said_in_french_where_to_look(
    tmp_path: Path, text: str, line: int, column: int, said: str
) -> None:
    pack = _pack_with(tmp_path)
    (pack / "broken.yaml").write_text(text, encoding="utf-8")
    (problem,) = [p for p in _problems(pack) if p.code == "yaml-syntax"]
    assert (problem.line, problem.column) == (line, column)
    assert said in problem.message
    assert not any(word in problem.message for word in ("found", "expected", "while", "scanning"))
